package hall

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
)

// SetupCodeRequired is the error code of a first-run setup or recovery
// restore refused for want of the setup code.
const SetupCodeRequired = "setup_code_required"

// maxCodeFailures is how many wrong codes spend the setup code: after them
// only the host itself may set up or restore, until the program restarts.
const maxCodeFailures = 10

// SetupCode lets a computer other than the host run first-run setup or the
// recovery restore: the host prints it on its console, and a caller on the
// LAN must give it (header X-Setup-Code or body field setup_code). The
// host's own window and loopback never need it.
type SetupCode struct {
	code     string
	mu       sync.Mutex
	failures int
}

// NewSetupCode returns a random eight-digit code.
func NewSetupCode() *SetupCode {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		panic(fmt.Sprintf("setup code: %v", err))
	}
	return &SetupCode{code: fmt.Sprintf("%08d", n.Int64())}
}

// String is the code as printed: two groups of four digits.
func (c *SetupCode) String() string { return c.code[:4] + "-" + c.code[4:] }

// check says why r may not run a host-only step, or "" when it may: it comes
// from the host, or carries the code.
func (c *SetupCode) check(r *http.Request, given string) string {
	if onHost(r) {
		return ""
	}
	if given == "" {
		given = r.Header.Get("X-Setup-Code")
	}
	given = strings.NewReplacer("-", "", " ", "").Replace(given)
	if c == nil {
		return "首次设置和从备份恢复只能在主机本机上进行。"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.failures >= maxCodeFailures:
		return "设置验证码错误次数过多，已失效；请在主机本机上操作，或重新启动主机上的不打烊以获得新的验证码。"
	case given == "":
		return "在其他电脑上进行首次设置或从备份恢复，需要输入主机控制台显示的设置验证码。"
	case subtle.ConstantTimeCompare([]byte(given), []byte(c.code)) != 1:
		c.failures++
		return "设置验证码不正确，请核对主机控制台显示的验证码。"
	}
	return ""
}

// hostOrCode answers 403 setup_code_required and returns false unless r may
// run a host-only step.
func hostOrCode(w http.ResponseWriter, r *http.Request, c *SetupCode, given string) bool {
	if msg := c.check(r, given); msg != "" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": msg, "code": SetupCodeRequired})
		return false
	}
	return true
}
