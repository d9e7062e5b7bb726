package hall

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"budayang/backend/apperr"
)

// JoinCodeTTL is how long a join code may be used after it is made.
const JoinCodeTTL = 24 * time.Hour

// joinPinBytes is how much of the certificate's SHA-256 a join code carries:
// 128 bits, beyond any forgery, in a code short enough to type.
const joinPinBytes = 16

// maxJoinAddrs bounds the addresses a code carries, to keep it short.
const maxJoinAddrs = 2

// JoinCode is what a window needs to join a hall host: where the host
// listens and which certificate is the host's.
type JoinCode struct {
	Addrs []net.IP
	Port  int
	// Pin is the first 16 bytes of the SHA-256 of the host's certificate.
	Pin     []byte
	Expires time.Time
}

var joinEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// String encodes c as base32 in groups of four, with a checksum that makes
// a mistyped code fail as mistyped.
func (c JoinCode) String() string {
	var b bytes.Buffer
	b.WriteByte(1) // version
	_ = binary.Write(&b, binary.BigEndian, uint32(c.Expires.Unix()))
	_ = binary.Write(&b, binary.BigEndian, uint16(c.Port))
	var v4 [][]byte
	for _, ip := range c.Addrs {
		if ip4 := ip.To4(); ip4 != nil && len(v4) < maxJoinAddrs {
			v4 = append(v4, ip4)
		}
	}
	b.WriteByte(byte(len(v4)))
	for _, ip := range v4 {
		b.Write(ip)
	}
	b.Write(c.Pin[:joinPinBytes])
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:2])
	s := joinEncoding.EncodeToString(b.Bytes())
	var groups []string
	for len(s) > 4 {
		groups = append(groups, s[:4])
		s = s[4:]
	}
	return strings.Join(append(groups, s), "-")
}

// ParseJoinCode reads a code made by JoinCode.String and checks that it has
// not expired at now. Its errors are sentences for the person typing it.
func ParseJoinCode(s string, now time.Time) (JoinCode, error) {
	bad := apperr.Errorf(apperr.Invalid, "加入码“%s”不正确，请核对后重新输入（在主机的 设置 → 窗口加入码 查看）。", s)
	clean := strings.ToUpper(strings.NewReplacer("-", "", " ", "", "\t", "").Replace(s))
	raw, err := joinEncoding.DecodeString(clean)
	if err != nil || len(raw) < 1+4+2+1+joinPinBytes+2 || raw[0] != 1 {
		return JoinCode{}, bad
	}
	body, check := raw[:len(raw)-2], raw[len(raw)-2:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:2], check) {
		return JoinCode{}, bad
	}
	c := JoinCode{
		Expires: time.Unix(int64(binary.BigEndian.Uint32(body[1:5])), 0).UTC(),
		Port:    int(binary.BigEndian.Uint16(body[5:7])),
	}
	n := int(body[7])
	rest := body[8:]
	if len(rest) != n*4+joinPinBytes {
		return JoinCode{}, bad
	}
	for i := 0; i < n; i++ {
		c.Addrs = append(c.Addrs, net.IP(append([]byte(nil), rest[i*4:i*4+4]...)))
	}
	c.Pin = append([]byte(nil), rest[n*4:]...)
	if now.After(c.Expires) {
		return JoinCode{}, apperr.Errorf(apperr.Invalid, "加入码已于 %s 过期，请在主机上重新取得加入码。", c.Expires.Local().Format("2006-01-02 15:04"))
	}
	return c, nil
}

// URLs are the host addresses the code names, as https URLs.
func (c JoinCode) URLs() []string {
	var out []string
	for _, ip := range c.Addrs {
		out = append(out, "https://"+net.JoinHostPort(ip.String(), strconv.Itoa(c.Port)))
	}
	return out
}

// LAN is how the hall host is reached on its LAN: its TLS identity and the
// address it listens on.
type LAN struct {
	Identity *Identity
	// Addr is the listening address (host:port); an unspecified host means
	// every address of the machine.
	Addr string
}

// JoinCode makes a code for windows to join this host, valid for
// JoinCodeTTL from now; prefer, when it is one of the host's addresses,
// the address the admin reached the host by.
func (l LAN) JoinCode(now time.Time, prefer string) (JoinCode, error) {
	host, portStr, err := net.SplitHostPort(l.Addr)
	if err != nil {
		return JoinCode{}, fmt.Errorf("listen address %q: %w", l.Addr, err)
	}
	port, _ := strconv.Atoi(portStr)
	var addrs []net.IP
	if p := net.ParseIP(prefer); p != nil && p.To4() != nil && !p.IsLoopback() {
		addrs = append(addrs, p)
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
		addrs = append(addrs, ip)
	} else {
		addrs = append(addrs, LANAddrs()...)
	}
	var uniq []net.IP
	for _, ip := range addrs {
		dup := false
		for _, u := range uniq {
			dup = dup || u.Equal(ip)
		}
		if !dup && ip.To4() != nil {
			uniq = append(uniq, ip)
		}
	}
	if len(uniq) == 0 {
		return JoinCode{}, apperr.Errorf(apperr.Conflict, "本机没有可供窗口连接的局域网地址：请用 --listen 0.0.0.0:8470 或本机的局域网 IP 启动大厅主机。")
	}
	return JoinCode{Addrs: uniq, Port: port, Pin: l.Identity.Fingerprint[:joinPinBytes], Expires: now.Add(JoinCodeTTL)}, nil
}
