package account

import (
	"testing"
	"time"
)

// A lookup that read the database before a logout committed must not put its
// answer back after the logout cleared the cache.
func TestSessionCache_StaleAnswerAfterClearIsDropped(t *testing.T) {
	var c sessionCache
	v := cachedSession{p: Principal{Staff: Staff{Login: "clerk1"}}, until: time.Now().Add(time.Hour)}
	gen := c.generation()
	c.clear()
	c.put("h", gen, v)
	if _, ok := c.get("h"); ok {
		t.Fatal("an answer read before the clear was kept")
	}
	c.put("h", c.generation(), v)
	if got, ok := c.get("h"); !ok || got.p.Login != "clerk1" {
		t.Fatalf("a fresh answer was not kept: %+v %v", got, ok)
	}
}
