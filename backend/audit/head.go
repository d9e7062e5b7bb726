package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// errHeadInvalid says the head file is not one this key wrote.
var errHeadInvalid = errors.New("audit head file does not check out")

type headFile struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
	MAC  string `json:"mac"`
}

// headMAC signs a head, so the file cannot be set to whatever entry a cut
// left newest without the key.
func headMAC(key []byte, h head) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("budayang audit head v1\x00" + strconv.FormatInt(h.Seq, 10) + "\x00" + h.Hash))
	return hex.EncodeToString(m.Sum(nil))
}

// readHead returns the head in path; found is false when there is no file,
// errHeadInvalid when it is damaged or signed with another key.
func readHead(path string, key []byte) (h head, found bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return head{Hash: genesis}, false, nil
	}
	if err != nil {
		return head{}, false, fmt.Errorf("read audit head %s: %w", path, err)
	}
	var f headFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return head{}, true, errHeadInvalid
	}
	h = head{Seq: f.Seq, Hash: f.Hash}
	if !hmac.Equal([]byte(headMAC(key, h)), []byte(f.MAC)) {
		return head{}, true, errHeadInvalid
	}
	return h, true, nil
}

// writeHead replaces path with h atomically: a synced temporary file (0600)
// renamed over it.
func writeHead(path string, key []byte, h head) error {
	data, err := json.Marshal(headFile{Seq: h.Seq, Hash: h.Hash, MAC: headMAC(key, h)})
	if err != nil {
		return err
	}
	tmp := path + ".new"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write audit head: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write audit head: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	return nil
}
