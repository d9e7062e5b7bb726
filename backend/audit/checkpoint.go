package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
)

// VerifiedFileName is the verification checkpoint beside the database: the
// newest entry a verification found intact, signed with the audit key. It
// lets the first verification after a start check only the entries written
// since, as later ones in the same run do, instead of walking millions of
// lines while the audit page waits. The nightly job still checks the whole
// chain. A missing, damaged or foreign checkpoint, or one naming an entry
// whose hash has changed, means a full verification.
const VerifiedFileName = "audit.verified"

type verifiedFile struct {
	Seq       int64  `json:"seq"`
	Hash      string `json:"hash"`
	KeyedFrom int64  `json:"keyed_from"`
	MAC       string `json:"mac"`
}

func verifiedMAC(key []byte, v verified) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("budayang audit verified v1\x00" + strconv.FormatInt(v.seq, 10) + "\x00" + v.hash + "\x00" + strconv.FormatInt(v.keyedFrom, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

func (l *Log) verifiedPath() string { return filepath.Join(filepath.Dir(l.headPath), VerifiedFileName) }

// readVerified returns the checkpoint when it exists and is signed with
// this log's key.
func (l *Log) readVerified() (verified, bool) {
	raw, err := os.ReadFile(l.verifiedPath())
	if err != nil {
		return verified{}, false
	}
	var f verifiedFile
	if json.Unmarshal(raw, &f) != nil {
		return verified{}, false
	}
	v := verified{seq: f.Seq, hash: f.Hash, keyedFrom: f.KeyedFrom, started: true}
	if !hmac.Equal([]byte(verifiedMAC(l.key, v)), []byte(f.MAC)) {
		return verified{}, false
	}
	return v, true
}

// writeVerified saves v as the checkpoint, atomically; a failure only costs
// the next start a full verification, so it is logged, not returned.
func (l *Log) writeVerified(v verified) {
	data, err := json.Marshal(verifiedFile{Seq: v.seq, Hash: v.hash, KeyedFrom: v.keyedFrom, MAC: verifiedMAC(l.key, v)})
	if err == nil {
		tmp := l.verifiedPath() + ".new"
		if err = os.WriteFile(tmp, append(data, '\n'), 0o600); err == nil {
			err = os.Rename(tmp, l.verifiedPath())
		}
	}
	if err != nil && l.logger != nil {
		l.logger.Warn("write audit verification checkpoint", "path", l.verifiedPath(), "err", err)
	}
}
