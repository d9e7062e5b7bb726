#!/usr/bin/env bash
# Builds the Debian/UOS/Kylin package of a built Linux binary with dpkg-deb:
# /usr/bin/budayang, its menu entry (with the hall host's actions) and icon,
# a manual page, the lintian overrides, and Depends computed from the
# libraries the binary links (dpkg-shlibdeps) — libwebkit2gtk-4.1-0,
# libgtk-3-0, libayatana-appindicator3-1 and the libraries below them.
#
#   scripts/make-deb.sh BIN VERSION OUTDIR   # → OUTDIR/budayang_VERSION_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$1 version=$2 outdir=$3
work=build/deb
root=$work/root
deb=$outdir/budayang_${version}_amd64.deb
rm -rf "$work" && mkdir -p "$root/DEBIAN" "$outdir"

install -D -m 0755 "$bin" "$root/usr/bin/budayang"
# As dh_strip does for an executable: lintian refuses unstripped binaries.
strip --remove-section=.comment --remove-section=.note "$root/usr/bin/budayang"
install -D -m 0644 build/linux/budayang.desktop "$root/usr/share/applications/budayang.desktop"
install -d "$root/usr/share/icons/hicolor/256x256/apps"
convert build/appicon.png -resize 256x256 -depth 8 -strip "$root/usr/share/icons/hicolor/256x256/apps/budayang.png"
install -D -m 0644 build/linux/lintian-overrides "$root/usr/share/lintian/overrides/budayang"
install -D -m 0644 build/linux/copyright "$root/usr/share/doc/budayang/copyright"
install -d "$root/usr/share/man/man1"
gzip -9n <build/linux/budayang.1 >"$root/usr/share/man/man1/budayang.1.gz"
# A native package's changelog (lintian wants one); its date is the commit's, so
# the package builds the same twice.
date=$(git log -1 --format=%cD 2>/dev/null || date -R)
printf 'budayang (%s) unstable; urgency=medium\n\n  * Release %s; see the project'"'"'s git history.\n\n -- Budayang maintainers <maintainers@budayang.example>  %s\n' \
	"$version" "$version" "$date" | gzip -9n >"$root/usr/share/doc/budayang/changelog.gz"
chmod 0644 "$root/usr/share/man/man1/budayang.1.gz" "$root/usr/share/doc/budayang/changelog.gz" \
	"$root/usr/share/icons/hicolor/256x256/apps/budayang.png"

# dpkg-shlibdeps reads a source package's control file.
mkdir -p "$work/src/debian"
printf 'Source: budayang\n\nPackage: budayang\nArchitecture: amd64\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O -e"../root/usr/bin/budayang" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
for lib in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
	[[ $depends == *"$lib "* || $depends == *"$lib," || $depends == *"$lib" ]] \
		|| { echo "make-deb: $lib missing from the computed Depends: $depends" >&2; exit 1; }
done

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: budayang
Version: $version
Architecture: amd64
Maintainer: Budayang maintainers <maintainers@budayang.example>
Installed-Size: $size
Depends: $depends
Section: misc
Priority: optional
Homepage: https://budayang.invalid/
Description: workstation of town and village convenience-service centres
 不打烊 (Budayang) runs a township or village service centre's hall: the
 queue with its kiosk, display and rating pad, bookings, window cases and
 the duty roster, on one PC or a hall host with windows on the LAN, without
 internet. The one program opens the desktop window, serves the hall's LAN
 as its host (budayang --listen), or runs headless (budayang serve).
CONTROL
find "$root" -type d -exec chmod 0755 {} +
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
