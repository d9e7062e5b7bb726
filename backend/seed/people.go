package seed

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"budayang/backend/catalog"
)

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
var given = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强海燕春梅德明永福家琴淑珍文亮晓东")

// personName draws a two- or three-character name.
func (g *gen) personName() string {
	n := string(surnames[g.rng.IntN(len(surnames))]) + string(given[g.rng.IntN(len(given))])
	if g.rng.IntN(3) > 0 {
		n += string(given[g.rng.IntN(len(given))])
	}
	return n
}

// phone draws a mobile number.
func (g *gen) phone() string {
	heads := []string{"133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "180", "181", "182", "187", "188", "189", "199"}
	return fmt.Sprintf("%s%08d", heads[g.rng.IntN(len(heads))], g.rng.IntN(100_000_000))
}

// uniquePhone is a mobile number no other seeded booking has (one place
// per citizen per slot is a unique index).
func uniquePhone(n int) string { return fmt.Sprintf("177%08d", n) }

// idNumber draws a resident ID number of the county (渠县 511725) with a
// valid birth date and check character; the sequence part counts up, so no
// two seeded citizens share one.
func (g *gen) idNumber() string {
	birth := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(65*365))
	g.idNumbers++
	body := fmt.Sprintf("511725%s%03d", birth.Format("20060102"), g.idNumbers%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// id is a UUIDv7 for a row created at t, its random part drawn from the
// seed, so ids sort by creation like those the services make.
func (g *gen) id(t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint64(b[8:], g.rng.Uint64())
	r := g.rng.Uint32()
	b[6], b[7] = 0x70|byte(r>>8)&0x0f, byte(r)
	b[8] = 0x80 | b[8]&0x3f
	return uuid.UUID(b).String()
}

// item is a catalog item as a case copies it.
type item struct {
	code, name, department string
	limitDays              int
	materials              []catalog.Material
}

func (g *gen) loadItems(ctx context.Context) error {
	rows, err := g.c.DB.Read().QueryContext(ctx, `SELECT code, name, department, body FROM catalog_item ORDER BY position`)
	if err != nil {
		return fmt.Errorf("seed: read catalog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it item
		var body string
		if err := rows.Scan(&it.code, &it.name, &it.department, &body); err != nil {
			return fmt.Errorf("seed: read catalog: %w", err)
		}
		var full catalog.Item
		if err := json.Unmarshal([]byte(body), &full); err != nil {
			return fmt.Errorf("seed: catalog item %s: %w", it.code, err)
		}
		it.limitDays, it.materials = full.LimitDays, full.Materials
		g.items = append(g.items, it)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(g.items) == 0 {
		return fmt.Errorf("seed: the catalog is empty")
	}
	return nil
}
