#!/usr/bin/env bash
# Desktop smoke test of the real window under Xvfb, with trayer as the tray
# host. Any step that times out fails.
#
# 1. Launch; the window must map at 1280×800 and the frontend must call
#    App.Ready (--ready-file). Screenshot the login screen (not blank).
# 2. Sign in by typing into the login form; screenshot the home view.
# 3. With the admin's close_to_tray preference on, closing the window hides
#    it and the app keeps running; the tray menu shows it, hides it, shows it
#    again, and 退出 quits with status 0.
# 4. Two more launches: closing the window while nobody is signed in quits,
#    and so does SIGTERM, both with status 0.
# 5. A fresh computer joins the hall from its first-run screen by keyboard
#    and the same process reopens as the hall's window.
# 6. A window started on a data directory the hall host holds opens to say
#    so, and 退出 ends it with status 3.
#
# Screenshots go to build/smoke/: desktop.png (login), desktop-home.png
# (signed in), window-home.png (the window alone, for docs/screenshot.png).
#
#   scripts/smoke-desktop.sh            # uses build/bin/budayang
#   BUDAYANG_BIN=/path/to/budayang scripts/smoke-desktop.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BUDAYANG_BIN:-build/bin/budayang}
out=build/smoke
password=Smoke-Admin-2024
mkdir -p "$out"
tmp=$(mktemp -d /tmp/budayang-smoke.XXXXXX)
pids=()

cleanup() {
	local status=$?
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill "${pids[i]}" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	if [[ $status -ne 0 && -f $tmp/app.log ]]; then
		echo "--- app log ---" >&2
		tail -n 40 "$tmp/app.log" >&2
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "smoke: FAIL: $*" >&2
	exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND... polls COMMAND every 0.1 s.
wait_for() {
	local secs=$1 what=$2
	local deadline=$((SECONDS + secs))
	shift 2
	until "$@"; do
		((SECONDS < deadline)) || fail "timed out after $secs s waiting for $what"
		sleep 0.1
	done
}

# not_blank PNG: more than a handful of colours and visible contrast.
not_blank() {
	local colours dev
	read -r colours dev < <(convert "$1" -format '%k %[fx:standard_deviation]\n' info:)
	echo "smoke: $1: $colours colours, standard deviation $dev"
	((colours > 64)) && awk -v d="$dev" 'BEGIN { exit !(d > 0.05) }'
}

[[ -x $bin ]] || fail "$bin not found: run make build"
cc -O2 -o "$tmp/wm-close" scripts/wm-close.c -lX11 || fail "cannot build scripts/wm-close.c (libx11-dev)"

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
pids+=($!)
wait_for 10 "Xvfb" test -s "$tmp/display"
export DISPLAY=":$(head -n1 "$tmp/display")"
echo "smoke: Xvfb on $DISPLAY"

trayer=
if command -v trayer >/dev/null; then
	trayer --edge top --align right --widthtype request --height 24 >"$tmp/trayer.log" 2>&1 &
	trayer=$!
	pids+=($trayer)
fi

BUDAYANG_ADMIN_PASSWORD=$password "$bin" init --data "$tmp/data" \
	--site 渠县示例镇便民服务中心 --kind town --population 42000 --floor-area 320 >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
api=http://127.0.0.1:$port/api/v1

window_mapped() {
	kill -0 "$app" 2>/dev/null || fail "the app exited before its window mapped"
	win=$(xdotool search --onlyvisible --name '不打烊' 2>/dev/null | head -n1)
	[[ -n $win ]]
}
window_hidden() { [[ -z $(xdotool search --onlyvisible --name '不打烊' 2>/dev/null) ]]; }
window_shown() { ! window_hidden; }
app_alive() { kill -0 "$app" 2>/dev/null; }

# launch [ARGS...]: starts the window on $datadir and waits for it to map and be ready.
datadir=$tmp/data
launch() {
	rm -f "$tmp/ready"
	local start mapped ready
	start=$(date +%s.%N)
	"$bin" --data "$datadir" --ready-file "$tmp/ready" "$@" >"$tmp/app.log" 2>&1 &
	app=$!
	pids+=($app)
	wait_for 30 "the window to map" window_mapped
	mapped=$(date +%s.%N)
	wait_for 30 "the frontend's ready call (--ready-file)" test -f "$tmp/ready"
	ready=$(date +%s.%N)
	app_alive || fail "the app exited"
	printf 'smoke: window %s "%s" mapped after %.2f s, frontend ready after %.2f s\n' \
		"$win" "$(xdotool getwindowname "$win")" "$(echo "$mapped - $start" | bc)" "$(echo "$ready - $start" | bc)"
}

# quit_with HOW: waits for the app to exit with status 0 after HOW.
quit_with() {
	wait_for 15 "the app to quit after $1" bash -c "! kill -0 $app 2>/dev/null"
	local status=0
	wait "$app" || status=$?
	[[ $status -eq 0 ]] || fail "the app exited with status $status after $1"
	if grep -q 'CRITICAL.*gtk_main_quit' "$tmp/app.log"; then
		fail "GTK's main loop was quit twice"
	fi
	echo "smoke: quit with status 0 after $1"
}

# --- 1. launch, login screen ---
launch --listen "127.0.0.1:$port"
geometry=$(xdotool getwindowgeometry "$win" | awk '/Geometry/ { print $2 }')
[[ $geometry == 1280x800 ]] || fail "window geometry $geometry, want 1280x800"
sleep 1 # let webfonts and the first paint settle
import -window root "$out/desktop.png"
not_blank "$out/desktop.png" || fail "$out/desktop.png is blank"

# --- 2. sign in through the real login form (the user name field has focus) ---
xdotool windowfocus --sync "$win"
xdotool type --delay 20 admin
xdotool key Tab
xdotool type --delay 20 "$password"
xdotool key Return
signed_in() {
	import -window root "$out/desktop-home.png"
	local diff
	diff=$(compare -metric AE -fuzz 5% "$out/desktop.png" "$out/desktop-home.png" null: 2>&1 || true)
	((${diff%%.*} > 100000))
}
wait_for 15 "the home view after signing in" signed_in
not_blank "$out/desktop-home.png" || fail "$out/desktop-home.png is blank"
sleep 1
import -window "$win" "$out/window-home.png"
grep -q 'msg="frontend ready"' "$tmp/app.log" || fail "no \"frontend ready\" in the app log"

# --- 3. close to tray, and the tray menu ---
# The tray: trayer embeds the indicator as a small window named after the
# program; its menu is 隐藏窗口/显示窗口, the status line, 退出.
tray_icon() {
	local w
	for w in $(xdotool search --onlyvisible --name '^budayang$' 2>/dev/null); do
		eval "$(xdotool getwindowgeometry --shell "$w")"
		if ((WIDTH <= 32 && HEIGHT <= 32 && WIDTH > 4)); then
			icon=$w
			return 0
		fi
	done
	return 1
}
menu_open() {
	local w
	for w in $(xdotool search --onlyvisible --name '^budayang$' 2>/dev/null); do
		eval "$(xdotool getwindowgeometry --shell "$w")"
		((HEIGHT > 40)) && return 0
	done
	return 1
}
# tray_menu KEY: opens the tray menu and activates its first (Down) or last (Up) item.
tray_menu() {
	xdotool mousemove --window "$icon" 8 8 click 1
	wait_for 5 "the tray menu" menu_open
	xdotool key "$1" key Return
}

if [[ -n $trayer ]]; then
	wait_for 10 "the tray icon in trayer" tray_icon
	# The preference is the admin's, so another session may set it.
	token=$(curl -fsS "$api/login" -H 'Content-Type: application/json' \
		-d "{\"user\":\"admin\",\"password\":\"$password\",\"workstation\":\"smoke\"}" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
	curl -fsS -X PUT "$api/me/preferences" -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' -d '{"close_to_tray":true,"locale":"zh-CN"}' >/dev/null
	"$tmp/wm-close" "$win"
	wait_for 5 "closing the window to hide it to the tray" window_hidden
	sleep 0.5
	app_alive || fail "closing the window quit the app although close_to_tray is on"
	echo "smoke: close with close_to_tray on: hidden to the tray, still running"
	tray_menu Down # 显示窗口
	wait_for 5 "显示窗口 in the tray menu to show the window" window_shown
	tray_menu Down # 隐藏窗口
	wait_for 5 "隐藏窗口 in the tray menu to hide the window" window_hidden
	tray_menu Down # 显示窗口
	wait_for 5 "显示窗口 in the tray menu to show the window" window_shown
	echo "smoke: tray icon $icon: 显示窗口 and 隐藏窗口 work"
	tray_menu Up # 退出
	quit_with "退出 in the tray menu"
else
	echo "smoke: no trayer: tray checks skipped"
	kill -TERM "$app"
	quit_with SIGTERM
fi

# --- 4. closing while nobody is signed in quits; so does SIGTERM ---
launch
"$tmp/wm-close" "$win"
quit_with "closing the window while signed out"
launch
kill -TERM "$app"
quit_with SIGTERM

# --- 5. a fresh computer joins the hall from its first-run screen ---
# The site above serves the LAN; a computer with an empty data directory
# opens its first-run screen, the keyboard picks 本机是大厅的窗口 (Tab to
# the choice, Down), types the host's join code and presses Enter; the same
# process then starts again (exec) as the window of the hall and shows the
# host's login screen.
"$bin" serve --data "$tmp/data" --addr "127.0.0.1:$port" >"$tmp/host.log" 2>&1 &
pids+=($!)
wait_for 15 "the hall host to answer" curl -fs -o /dev/null "$api/status"
token=$(curl -fsS "$api/login" -H 'Content-Type: application/json' \
	-d "{\"user\":\"admin\",\"password\":\"$password\",\"workstation\":\"smoke\"}" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
code=$(curl -fsS "$api/hall/join-code" -H "Authorization: Bearer $token" | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])')
datadir=$tmp/window
launch
xdotool windowfocus --sync "$win"
xdotool key Tab Tab Down
sleep 0.3
rm -f "$tmp/ready"
xdotool key Tab
xdotool type --delay 10 "$code"
xdotool key Return
wait_for 30 "the joined window's ready call" test -f "$tmp/ready"
app_alive || fail "the app exited instead of reopening as the hall's window"
grep -q '以大厅的窗口打开' "$tmp/app.log" || fail "the app did not reopen as the hall's window"
[[ -s $datadir/hall-pin.json ]] || fail "no hall-pin.json saved in the window's data directory"
wait_for 10 "the reopened window to map" window_mapped
sleep 1
import -window root "$out/window-joined.png"
not_blank "$out/window-joined.png" || fail "the reopened window is blank"
echo "smoke: joined the hall from the first-run screen; the same process reopened as its window"
kill -TERM "$app"
quit_with SIGTERM

# --- 6. a start that cannot go on says why in a window ---
# The hall host still holds the site's data directory; the window started on
# it from the menu opens to say so, and 退出 (Tab, Enter) ends it with 3,
# which the watchdog does not restart.
datadir=$tmp/data
launch
sleep 0.5
import -window root "$out/window-problem.png"
grep -q '正在被另一个不打烊进程使用' "$tmp/app.log" || fail "the locked data directory's sentence is not in the app log"
not_blank "$out/window-problem.png" || fail "the problem window is blank"
xdotool windowfocus --sync "$win"
xdotool key Tab Return
wait_for 15 "the problem window to quit after 退出" bash -c "! kill -0 $app 2>/dev/null"
status=0
wait "$app" || status=$?
[[ $status -eq 3 ]] || fail "the problem window exited with $status after 退出, want 3"
echo "smoke: a locked data directory opens a window that says so; 退出 ends it with 3"

echo "smoke: OK — screenshots in $out/"
