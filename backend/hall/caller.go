package hall

import (
	"context"
	"net"
	"net/http"
)

type callerKey struct{}

// withWindow marks ctx as a request from the desktop window on this machine,
// which reaches the handler through Invoke and never crosses the LAN.
func withWindow(ctx context.Context) context.Context {
	return context.WithValue(ctx, callerKey{}, true)
}

// fromWindow reports whether r came from the host's own desktop window.
func fromWindow(r *http.Request) bool {
	v, _ := r.Context().Value(callerKey{}).(bool)
	return v
}

// fromLoopback reports whether r came over TCP from this machine.
func fromLoopback(r *http.Request) bool {
	if fromWindow(r) {
		return false
	}
	ip := net.ParseIP(clientAddr(r))
	return ip != nil && ip.IsLoopback()
}

// onHost reports whether r came from this machine: its window or loopback.
// Setup, recovery and the lock-out exemption trust only these callers.
func onHost(r *http.Request) bool { return fromWindow(r) || fromLoopback(r) }
