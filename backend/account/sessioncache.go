package account

import (
	"sync"
	"time"
)

// sessionCache keeps Authenticate's answers by token hash. Every staff
// request and event stream asks, and an answer changes only through this
// service — logout, a staff update, a password reset — which clears the cache
// once its write has committed. The generation keeps a lookup that read the
// database before such a commit from storing its stale answer after it.
type sessionCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]cachedSession
}

type cachedSession struct {
	p     Principal
	until time.Time
}

// maxCachedSessions bounds the cache; past it, it starts again empty.
const maxCachedSessions = 1024

func (c *sessionCache) get(hash string) (cachedSession, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[hash]
	return v, ok
}

func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *sessionCache) put(hash string, gen uint64, v cachedSession) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxCachedSessions {
		c.m = map[string]cachedSession{}
	}
	c.m[hash] = v
}

func (c *sessionCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}
