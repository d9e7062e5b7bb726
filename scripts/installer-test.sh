#!/usr/bin/env bash
# Test of the Windows installer that `make test` runs on Debian (Wine cannot
# run Go ≥ 1.22 binaries, so the installer's behaviour on Windows is checked
# on paper, see docs/install.md): 7z lists what the installer holds — the
# program, byte for byte the cross-compiled build/bin/budayang.exe, and the
# uninstaller NSIS writes at install time — every shortcut and the logon
# Run key in the .nsi point at one of those files, and the installer and the
# program carry the version and publisher in their file properties.
#
#   scripts/installer-test.sh build/bin/budayang-setup.exe 0.1.0
set -euo pipefail
cd "$(dirname "$0")/.."

setup=$1 version=$2
nsi=build/windows/installer/budayang.nsi
exe=build/bin/budayang.exe
fail() { echo "installer-test: FAIL: $*" >&2; exit 1; }
say() { echo "installer-test: $*"; }

listing=$(7z l -slt "$setup") || fail "7z cannot list $setup"
grep -q '^Type = Nsis$' <<<"$listing" || fail "7z does not see an NSIS installer in $setup"
# Files installed into $INSTDIR are listed at the archive's root.
declare -A size=()
path=
while IFS= read -r line; do
	case $line in
	"Path = "*) path=${line#Path = } ;;
	"Size = "*) [[ -n $path ]] && size[$path]=${line#Size = } ;;
	esac
done <<<"$(sed -n '/^----------$/,$p' <<<"$listing")"
say "7z lists: ${!size[*]}"

[[ -v size[budayang.exe] ]] || fail "the program budayang.exe is not in the installer"
[[ ${size[budayang.exe]} == "$(stat -c %s "$exe")" ]] \
	|| fail "budayang.exe in the installer is ${size[budayang.exe]} bytes, $exe is $(stat -c %s "$exe")"
[[ -v size[uninstall.exe] ]] || fail "the uninstaller uninstall.exe is not in the installer"

# Every shortcut's target and the Run key's program, as the .nsi writes them.
targets=$(grep -oP '^\s*CreateShortCut\s+"[^"]+"\s+"\$INSTDIR\\\K[^"]+' "$nsi"; \
	grep -oP 'WriteRegStr HKLM "\$\{RUNKEY\}" "Budayang" .\"\$INSTDIR\\\K[^"]+' "$nsi")
(($(wc -l <<<"$targets") >= 4)) || fail "found only these shortcut and Run key targets in $nsi: $targets"
while IFS= read -r target; do
	[[ -v size[$target] ]] || fail "a shortcut or the Run key points at \$INSTDIR\\$target, which the installer does not hold"
done <<<"$targets"
say "shortcuts and the Run key point at: $(sort -u <<<"$targets" | tr '\n' ' ')"

for file in "$setup" "$exe"; do
	props=$(7z l -tPE "$file" 2>/dev/null || true)
	for want in "ProductVersion: $version" "CompanyName: Budayang" "ProductName: 不打烊 · 便民服务工作台"; do
		grep -qF "$want" <<<"$props" || fail "$file's file properties lack '$want'"
	done
done
say "version $version and publisher Budayang in the file properties of $(basename "$setup") and $(basename "$exe"); OK"
