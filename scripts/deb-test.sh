#!/usr/bin/env bash
# Test of the .deb that `make test` runs: lintian passes it (errors and
# warnings, apart from build/linux/lintian-overrides); installed with dpkg,
# /usr/bin/budayang prints its version, serves a fresh data directory under
# the watchdog and answers GET /api/v1/status with JSON; a second watchdog on
# the directory is refused; killed with -9 the
# server is started again within seconds, stopped cleanly it is not; then
# the package is removed. Installing needs root or passwordless sudo: without
# either, that part is skipped with a message (CI runs as root).
#
#   scripts/deb-test.sh build/bin/budayang_0.1.0_amd64.deb 0.1.0
set -euo pipefail

deb=$1 version=$2
say() { echo "deb-test: $*"; }
fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }

lint=0
report=$(lintian --fail-on error,warning "$deb" 2>&1) || lint=$?
grep -v 'running with root privileges' <<<"$report" || true
((lint == 0)) || fail "lintian reports errors or warnings (above)"
say "lintian: clean apart from build/linux/lintian-overrides"

source "$(dirname "$0")/deb-lib.sh"
need_root

tmp=$(mktemp -d /tmp/budayang-deb.XXXXXX)
watchdog=
cleanup() {
	local status=$?
	if [[ -n $watchdog ]]; then
		pkill -9 -P "$watchdog" 2>/dev/null || true
		kill -9 "$watchdog" 2>/dev/null || true
	fi
	"${sudo[@]}" dpkg -r budayang >/dev/null 2>&1 || true
	rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT

install_deb "$deb" "$version" "$tmp/dpkg.log"
say "installed $(dpkg-query -W -f='${Package} ${Version}' budayang)"

got=$(/usr/bin/budayang version)
[[ $got == "budayang $version (commit "*", schema "*")" ]] || fail "budayang version printed '$got'"
say "$got"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port/api/v1/status
/usr/bin/budayang serve --watchdog --data "$tmp/data" --addr "127.0.0.1:$port" >"$tmp/out" 2>"$tmp/err" &
watchdog=$!

# status_ok waits up to $1 seconds for the status answer: 200, JSON, this version.
status_ok() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		if curl -sf -o "$tmp/status.json" -D "$tmp/status.head" "$url" 2>/dev/null; then
			grep -qi '^content-type: application/json' "$tmp/status.head" \
				&& python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d.get("version")!=sys.argv[2])' "$tmp/status.json" "$version" \
				&& return 0
		fi
		sleep 0.1
	done
	cat "$tmp/err" >&2
	return 1
}
child() { pgrep -P "$watchdog" | head -1; }

status_ok 30 || fail "GET /api/v1/status did not answer 200 JSON with version $version"
say "GET /api/v1/status → 200 $(cat "$tmp/status.json")"

second_out=$(/usr/bin/budayang serve --watchdog --data "$tmp/data" --addr 127.0.0.1:0 2>&1) \
	&& fail "a second watchdog on the same data directory started: $second_out"
[[ $second_out == *"正在被另一个不打烊进程使用"* ]] || fail "a second watchdog said '$second_out', want the data directory's lock"
say "a second watchdog on the data directory is refused: the lock is held"

first=$(child)
[[ -n $first ]] || fail "no server process under the watchdog"
kill -9 "$first"
sleep 0.2
status_ok 10 || fail "the server killed with -9 was not started again within 10 s"
second=$(child)
[[ -n $second && $second != "$first" ]] || fail "the watchdog's server is still $first"
say "killed -9 server $first; the watchdog started $second and it answers"

kill -TERM "$watchdog"
for ((i = 0; i < 150; i++)); do kill -0 "$watchdog" 2>/dev/null || break; sleep 0.1; done
kill -0 "$watchdog" 2>/dev/null && fail "the watchdog did not stop within 15 s of SIGTERM"
wait "$watchdog" || fail "the watchdog exited $? after SIGTERM, want 0"
watchdog=
kill -0 "$second" 2>/dev/null && fail "the server $second outlived its watchdog"
curl -sf -o /dev/null "$url" 2>/dev/null && fail "something still answers on port $port after a clean stop"
say "SIGTERM: the watchdog stopped its server and did not restart it"

"${sudo[@]}" dpkg -r budayang >/dev/null
[[ ! -e /usr/bin/budayang ]] || fail "/usr/bin/budayang left after dpkg -r"
say "removed; OK"
