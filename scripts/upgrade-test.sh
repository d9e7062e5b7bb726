#!/usr/bin/env bash
# Upgrade test that `make test` runs (issue #15: install version N-1, create
# data, install version N, the data is there). Version N-1 is this program
# built with its newest schema step withheld and an older version number
# (`make upgrade-test` builds and packages it), so the step under test is the
# one this release adds. With the N-1 package installed, `budayang init` and
# `budayang seed --scale test` make a site with three weeks of tickets,
# cases, ratings and bookings, and the rows are counted. The N package is
# installed over it (a dpkg upgrade); on the same data directory the
# server then answers with version N, the schema is N's, the counts are the
# same, the backup taken before the upgrade lies in backups/ at schema N-1,
# and the period report counts the upgraded tickets. The N-1 package
# installed again refuses the now newer directory with its sentence and
# leaves it as it was. Installing needs root or passwordless sudo, as
# scripts/deb-test.sh.
#
#   scripts/upgrade-test.sh PREV.deb PREV_VERSION NEW.deb NEW_VERSION
set -euo pipefail

prev_deb=$1 prev_version=$2 new_deb=$3 new_version=$4
say() { echo "upgrade-test: $*"; }
fail() { echo "upgrade-test: FAIL: $*" >&2; exit 1; }

source "$(dirname "$0")/deb-lib.sh"
need_root

tmp=$(mktemp -d /tmp/budayang-upgrade.XXXXXX)
server=
cleanup() {
	local status=$?
	[[ -n $server ]] && kill -9 "$server" 2>/dev/null
	"${sudo[@]}" dpkg -r budayang >/dev/null 2>&1 || true
	rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT

# schema prints the version printed by /usr/bin/budayang version.
schema() { /usr/bin/budayang version | sed -n 's/.*schema \([0-9]*\)).*/\1/p'; }

# counts prints the schema of the data directory's database and its rows per table.
counts() {
	python3 - "$data/budayang.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print("schema", db.execute("PRAGMA user_version").fetchone()[0])
for t in ("site", "staff", "ticket", "case_file", "case_material", "rating", "rectification", "booking", "audit_log"):
    print(t, db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
PY
}

data=$tmp/data
# The seeded days run up to this moment; the servers below start from it too.
export BUDAYANG_CLOCK=2026-11-25T10:00:00+08:00
export BUDAYANG_ADMIN_PASSWORD=upgrade-test-Pw1

install_deb "$prev_deb" "$prev_version" "$tmp/dpkg.log"
prev_schema=$(schema)
new_schema=$(dpkg-deb --fsys-tarfile "$new_deb" | tar -xO ./usr/bin/budayang >"$tmp/new" && chmod +x "$tmp/new" && "$tmp/new" version | sed -n 's/.*schema \([0-9]*\)).*/\1/p')
((prev_schema + 1 == new_schema)) || fail "version N-1 knows schema $prev_schema, N knows $new_schema: want one step apart"
say "installed $prev_version (schema $prev_schema)"

/usr/bin/budayang init --site 青山镇便民服务中心 --kind town --population 42000 --data "$data" >"$tmp/init.log" 2>&1 \
	|| { cat "$tmp/init.log" >&2; fail "budayang init with $prev_version"; }
/usr/bin/budayang seed --scale test --data "$data" >"$tmp/seed.log" 2>&1 \
	|| { cat "$tmp/seed.log" >&2; fail "budayang seed with $prev_version"; }
before=$(counts)
grep -qx "schema $prev_schema" <<<"$before" || fail "the data made by $prev_version is at $(head -1 <<<"$before")"
grep -qx "ticket 0" <<<"$before" && fail "the seed made no tickets"
say "data made with $prev_version: $(tr '\n' ' ' <<<"$before")"

install_deb "$new_deb" "$new_version" "$tmp/dpkg.log"
[[ $(schema) == "$new_schema" ]] || fail "after the upgrade /usr/bin/budayang knows schema $(schema), want $new_schema"
say "upgraded the package to $new_version"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port/api/v1
/usr/bin/budayang serve --data "$data" --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
server=$!
for ((i = 0; i < 300; i++)); do
	curl -sf -o "$tmp/status.json" "$base/status" 2>/dev/null && break
	kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.log" >&2; fail "$new_version did not start on the upgraded data"; }
	sleep 0.1
done
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])).get("version") != sys.argv[2])' "$tmp/status.json" "$new_version" \
	|| fail "the upgraded server answered $(cat "$tmp/status.json"), want version $new_version"

# The period report over the seeded weeks reads the upgraded tickets (the
# step under test gave them their wait and handling columns).
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"user\":\"admin\",\"password\":\"$BUDAYANG_ADMIN_PASSWORD\"}" "$base/login" \
	| python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || fail "admin could not sign in after the upgrade"
curl -sf -H "Authorization: Bearer $token" "$base/reports/period?from=2026-10-01&to=2026-11-24&by=staff" >"$tmp/period.json" \
	|| fail "the period report after the upgrade did not answer 200"
served=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"]; print(sum(x["served"] for x in r), sum(x["wait"]["count"] for x in r))' "$tmp/period.json")
read -r n waits <<<"$served"
((n > 0 && waits >= n)) || fail "the period report after the upgrade counts $n served and $waits waits"
kill -TERM "$server" && wait "$server" || true
server=

after=$(counts)
grep -qx "schema $new_schema" <<<"$after" || fail "the upgraded data is at $(head -1 <<<"$after"), want schema $new_schema"
# The audit log grows by the sign-in above; every other table must match.
diff <(tail -n +2 <<<"$before" | grep -v '^audit_log ') <(tail -n +2 <<<"$after" | grep -v '^audit_log ') \
	|| fail "rows changed across the upgrade (above: before < > after)"
ls "$data"/backups/*-schema"$prev_schema".db >/dev/null 2>&1 || fail "no backup at schema $prev_schema in $data/backups before the upgrade"
say "upgraded data at schema $new_schema: the same rows, $n tickets served in the report, backup $(basename "$data"/backups/*-schema"$prev_schema".db)"

install_deb "$prev_deb" "$prev_version" "$tmp/dpkg.log"
out=$(/usr/bin/budayang serve --data "$data" --addr 127.0.0.1:0 2>&1) && fail "$prev_version opened the newer data: $out"
[[ $out == *"数据目录由更新版本的不打烊创建"* ]] || fail "$prev_version on the newer data said '$out', want the newer-version sentence"
grep -qx "schema $new_schema" <<<"$(counts)" || fail "the refused downgrade changed the data's schema"
say "$prev_version refuses the newer data: $(tail -1 <<<"$out")"

"${sudo[@]}" dpkg -r budayang >/dev/null
say "removed; OK"
