package county

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"budayang/backend/apperr"
)

// CodeTTL is how long an enrolment code may be used after it is made.
const CodeTTL = 72 * time.Hour

// PinBytes is how much of the county certificate's SHA-256 a code carries:
// 128 bits, beyond any forgery.
const PinBytes = 16

// secretBytes is the code's one-time secret: 80 bits, tried against a
// county that audits and refuses every wrong try.
const secretBytes = 10

// Code is an enrolment code: where the county listens, which certificate
// is the county's, and the one-time secret that names the site to enrol.
type Code struct {
	Host    string
	Port    int
	Pin     []byte
	Secret  []byte
	Expires time.Time
}

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// String encodes c as base32 in groups of four with a two-byte checksum, so
// a mistyped code fails as mistyped.
func (c Code) String() string {
	var b bytes.Buffer
	b.WriteByte(1) // version
	_ = binary.Write(&b, binary.BigEndian, uint32(c.Expires.Unix()))
	_ = binary.Write(&b, binary.BigEndian, uint16(c.Port))
	b.WriteByte(byte(len(c.Host)))
	b.WriteString(c.Host)
	b.Write(c.Pin[:PinBytes])
	b.Write(c.Secret[:secretBytes])
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:2])
	s := codeEncoding.EncodeToString(b.Bytes())
	var groups []string
	for len(s) > 4 {
		groups = append(groups, s[:4])
		s = s[4:]
	}
	return strings.Join(append(groups, s), "-")
}

// URL is the county address the code names.
func (c Code) URL() string {
	return "https://" + net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

// ParseCode reads a code made by Code.String and checks it has not expired
// at now. Its errors are sentences for the person who typed it.
func ParseCode(s string, now time.Time) (Code, error) {
	bad := apperr.Errorf(apperr.Invalid, "县平台登记码不正确，请核对后重新输入（由县平台管理员用 budayang county code 生成）。")
	clean := strings.ToUpper(strings.NewReplacer("-", "", " ", "", "\t", "", "\n", "").Replace(s))
	raw, err := codeEncoding.DecodeString(clean)
	if err != nil || len(raw) < 1+4+2+1+PinBytes+secretBytes+2 || raw[0] != 1 {
		return Code{}, bad
	}
	body, check := raw[:len(raw)-2], raw[len(raw)-2:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:2], check) {
		return Code{}, bad
	}
	c := Code{
		Expires: time.Unix(int64(binary.BigEndian.Uint32(body[1:5])), 0).UTC(),
		Port:    int(binary.BigEndian.Uint16(body[5:7])),
	}
	n := int(body[7])
	rest := body[8:]
	if len(rest) != n+PinBytes+secretBytes {
		return Code{}, bad
	}
	c.Host = string(rest[:n])
	c.Pin = append([]byte(nil), rest[n:n+PinBytes]...)
	c.Secret = append([]byte(nil), rest[n+PinBytes:]...)
	if now.After(c.Expires) {
		return Code{}, apperr.Errorf(apperr.Invalid, "县平台登记码已于 %s 过期，请县平台管理员重新生成。", c.Expires.Local().Format("2006-01-02 15:04"))
	}
	return c, nil
}

// SecretHash is how the county stores a code's secret: only its digest.
func SecretHash(secret []byte) string {
	sum := sha256.Sum256(secret)
	return strings.ToLower(codeEncoding.EncodeToString(sum[:]))
}

// hostPort splits a county address (a URL or host:port) for a code.
func hostPort(addr string) (string, int, error) {
	if u, err := url.Parse(addr); err == nil && u.Host != "" {
		addr = u.Host
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, apperr.Errorf(apperr.Invalid, "县平台地址“%s”不正确，应为 主机:端口，例如 10.0.0.5:8480。", addr)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 || len(h) > 255 {
		return "", 0, apperr.Errorf(apperr.Invalid, "县平台地址“%s”不正确，应为 主机:端口，例如 10.0.0.5:8480。", addr)
	}
	return h, port, nil
}
