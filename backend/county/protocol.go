// Package county is the county server (县平台) in the same binary as the
// site: the registry of enrolled sites, their one-time enrolment codes and
// every site's records at their latest version with the history of
// changes. Sites reach it over HTTPS with a pinned certificate and sign
// every request with their site credential (see Sign); county staff read it
// through /api/v1/county/… with a bearer token from Login.
//
// This file holds what both sides of the wire share.
package county

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Protocol is the site↔county protocol version this build speaks. A county
// accepts versions MinProtocol..Protocol; anything else is answered 426 with
// a sentence naming the side that must be upgraded.
const (
	Protocol    = 1
	MinProtocol = 1
)

// Headers of a signed site→county request.
const (
	HeaderProtocol  = "Budayang-Protocol"
	HeaderSite      = "Budayang-Site"
	HeaderTime      = "Budayang-Time"
	HeaderNonce     = "Budayang-Nonce"
	HeaderSignature = "Budayang-Signature"
	// HeaderLocalTime is the site's own clock (Unix seconds) when it signs
	// with a corrected time: the county records the skew from it.
	HeaderLocalTime = "Budayang-Local-Time"
	// HeaderCountyTime is the county's clock (Unix seconds) on every
	// /county/v1 answer; a site whose clock is off signs with its offset.
	HeaderCountyTime = "Budayang-County-Time"
)

// MaxSkew is how far a request's time may be from the county's clock. The
// skew is recorded either way; beyond this the request is refused, since
// its nonce may have been forgotten.
const MaxSkew = 5 * time.Minute

// CredentialSize is the length of a site credential: 32 random bytes.
const CredentialSize = 32

// Sign returns the hex HMAC-SHA256, under the site's credential, of the
// request's method, path, body digest, time (Unix seconds) and nonce, one
// per line. Sites send it in HeaderSignature; the county recomputes it.
func Sign(credential []byte, method, path string, body []byte, unix int64, nonce string) string {
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, credential)
	m.Write([]byte(strings.Join([]string{method, path, hex.EncodeToString(sum[:]), strconv.FormatInt(unix, 10), nonce}, "\n")))
	return hex.EncodeToString(m.Sum(nil))
}

// Entry is one outbox row as a site pushes it: Seq orders it within the
// site, ID (the outbox entry's UUID) makes its delivery idempotent.
type Entry struct {
	Seq       int64  `json:"seq"`
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	EntityID  string `json:"entity_id"`
	Payload   string `json:"payload"`
	CreatedAt string `json:"created_at"`
}

// PushRequest is the body of POST /county/v1/push. Pending and Dead are the
// site's own counts, which the county shows beside the site.
type PushRequest struct {
	Pending int     `json:"pending"`
	Dead    int     `json:"dead"`
	Entries []Entry `json:"entries"`
}

// Rejected is an entry the county will not take, with the reason in a
// sentence for the site admin.
type Rejected struct {
	ID     string `json:"id"`
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// PushReply acknowledges a committed batch: every entry of it is either
// applied (now or before) or listed in Rejected.
type PushReply struct {
	AckedThrough int64      `json:"acked_through"`
	Rejected     []Rejected `json:"rejected"`
	// Held is how many distinct entries of the site the county holds.
	Held int64 `json:"held"`
}

// EnrollRequest is the body of POST /county/v1/enroll.
type EnrollRequest struct {
	Code string `json:"code"`
}

// EnrollReply gives the site its id and credential, once.
type EnrollReply struct {
	SiteID     string `json:"site_id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Credential []byte `json:"credential"`
}

// ShortFingerprint is the form people see of a certificate's SHA-256: the
// first eight bytes in four groups (the same form as the hall host's).
func ShortFingerprint(fp []byte) string {
	if len(fp) > 8 {
		fp = fp[:8]
	}
	h := strings.ToUpper(hex.EncodeToString(fp))
	var parts []string
	for len(h) > 4 {
		parts = append(parts, h[:4])
		h = h[4:]
	}
	return strings.Join(append(parts, h), "-")
}

// MaxMissingIDs bounds the ids one POST /county/v1/missing asks about.
const MaxMissingIDs = 1000

// MissingRequest is the body of POST /county/v1/missing: ids of entries the
// site holds as delivered, asked about when the county's Held fell below
// what the site counts as applied (a county restored from a backup).
type MissingRequest struct {
	IDs []string `json:"ids"`
}

// MissingReply lists those of the asked ids the county does not hold.
type MissingReply struct {
	Missing []string `json:"missing"`
}
