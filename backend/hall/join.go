package hall

import (
	"encoding/hex"
	"net/http"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
)

// SetLAN tells the server how the LAN reaches it, for the windows' join
// code. Without it the host does not serve its LAN and makes no code.
func (s *Server) SetLAN(lan LAN) { s.lan = &lan }

type joinCodeOut struct {
	Code string `json:"code"`
	// Fingerprint is the short form people see in messages; SHA256 the whole.
	Fingerprint string    `json:"fingerprint"`
	SHA256      string    `json:"sha256"`
	Addresses   []string  `json:"addresses"`
	ExpiresAt   time.Time `json:"expires_at"`
}

func (s *Server) joinCode(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	if s.lan == nil {
		writeError(w, s.log, apperr.Errorf(apperr.Conflict, "本机没有作为大厅主机对局域网提供服务，窗口无法加入：请以 budayang --listen 0.0.0.0:8470 或 budayang serve --addr 0.0.0.0:8470 启动。"))
		return
	}
	code, err := s.lan.JoinCode(s.core.Clock.Now(), hostOnly(r.Host))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	fp := s.lan.Identity.Fingerprint
	writeJSON(w, http.StatusOK, joinCodeOut{Code: code.String(), Fingerprint: ShortFingerprint(fp),
		SHA256: hex.EncodeToString(fp), Addresses: code.URLs(), ExpiresAt: code.Expires})
}
