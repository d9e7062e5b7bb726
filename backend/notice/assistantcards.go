package notice

import (
	"fmt"
	"strings"
	"time"
)

// AssistantCard is one village assistant's public contact card: everything
// on it is public by design (plan task 13), a work phone, not a private one.
type AssistantCard struct {
	Name      string
	Room      string
	Villages  []string
	WorkPhone string
	WeChat    string
	Hours     string
}

// AssistantCardsPDF writes the cards of a site's village assistants (帮办代办
// 联系卡) for the notice board: one bordered block per assistant.
func AssistantCardsPDF(centre string, cards []AssistantCard, printed time.Time) ([]byte, error) {
	d := newDoc(11, fmt.Sprintf("%s · 打印于 %s", centre, DateTime(printed)))
	d.title(centre, "村（社区）代办员联系卡")
	d.para("群众办事可先联系所在村（社区）的代办员：电话、微信咨询，材料由代办员代收代交，行动不便的可预约上门服务，代办免费。")
	if len(cards) == 0 {
		d.pdf.Ln(2)
		d.para("暂未登记代办员联系卡。")
	}
	for _, c := range cards {
		d.pdf.Ln(3)
		pairs := [][2]string{
			{"代办员", c.Name}, {"便民服务室", orDash(c.Room)},
			{"工作电话", orDash(c.WorkPhone)}, {"微信", orDash(c.WeChat)},
			{"服务范围", orDash(strings.Join(c.Villages, "、"))},
			{"服务时间", orDash(c.Hours)},
		}
		d.fields(pairs, map[string]bool{"服务范围": true, "服务时间": true})
	}
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return d.bytes()
}
