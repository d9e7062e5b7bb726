package hall

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"budayang/backend/apperr"
)

// JoinWithCode makes dataDir the data directory of a window of the hall
// host that code names: it reaches the host (at base when given, an https
// URL, else at the code's addresses), checks its certificate against the
// code and saves the pin. Its errors are sentences for the person who typed
// the code: a wrong or expired code is apperr.Invalid, a host that cannot
// be reached apperr.Unavailable, another certificate apperr.Forbidden.
func JoinWithCode(ctx context.Context, dataDir, code, base string, now time.Time) (Pin, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return Pin{}, apperr.Errorf(apperr.Invalid, "请填写加入码（在主机的 设置 → 窗口加入码 查看）。")
	}
	jc, err := ParseJoinCode(code, now)
	if err != nil {
		return Pin{}, err
	}
	pin, err := Join(ctx, jc, base)
	if err != nil {
		return Pin{}, err
	}
	if err := SavePin(dataDir, pin); err != nil {
		return Pin{}, fmt.Errorf("save the pinned hall host: %w", err)
	}
	return pin, nil
}

// AllowJoinHall lets the desktop window of a computer not set up yet make
// it a window of a hall host instead (POST /api/v1/setup/join-hall): the
// pin is saved in the site's data directory and joined is called after the
// answer, to reopen the program as that window. Without it (the headless
// server, a hall host listening on the LAN) the route refuses everyone.
func (s *Server) AllowJoinHall(joined func(Pin)) { s.joined = joined }

// joinHallAllowed says why r may not turn this computer into a window, or
// "" when it may. Only the host's own desktop window may: a caller on the
// LAN, or a page in a browser on this machine, must never make the host
// follow a hall host of its choosing.
func (s *Server) joinHallAllowed(r *http.Request) string {
	if !fromWindow(r) || s.joined == nil {
		return "只能在本机不打烊的桌面窗口中加入大厅（菜单里的“不打烊”）。"
	}
	return ""
}

func (s *Server) joinHall(w http.ResponseWriter, r *http.Request) {
	if msg := s.joinHallAllowed(r); msg != "" {
		writeError(w, s.log, apperr.Errorf(apperr.Forbidden, "%s", msg))
		return
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	needed, err := s.core.Site.SetupNeeded(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if !needed {
		writeError(w, s.log, apperr.Errorf(apperr.Conflict, "本机已完成首次设置，是一个独立的站点，不能再加入大厅。"))
		return
	}
	pin, err := JoinWithCode(r.Context(), s.core.DataDir, in.Code, "", s.core.Clock.Now())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"host": pin.Host, "fingerprint": pin.Short()})
	s.joined(pin)
}
