# Sourced by scripts/deb-test.sh and scripts/upgrade-test.sh, which define
# say and fail first: how they get root for dpkg, when they leave the
# machine alone, and how they install a package.

# need_root: sets sudo to () as root or (sudo -n) with passwordless sudo;
# without either, or with budayang already installed (a real install is not
# the tests' to replace), it says why and exits 0.
need_root() {
	sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		if sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			say "SKIPPED installing packages: needs root or passwordless sudo (CI runs as root)"
			exit 0
		fi
	fi
	if dpkg-query -W -f='${Status}' budayang 2>/dev/null | grep -q 'install ok installed'; then
		say "SKIPPED installing packages: budayang is already installed on this machine and is left as it is"
		exit 0
	fi
}

# install_deb DEB VERSION LOG: installs DEB (an upgrade or downgrade as
# well), lets apt add dependencies missing here, and checks that VERSION
# is what is installed.
install_deb() {
	if ! "${sudo[@]}" dpkg -i "$1" >"$3" 2>&1; then
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -f -y --no-install-recommends >>"$3" 2>&1 \
			|| { cat "$3" >&2; fail "dpkg -i $1"; }
	fi
	local got
	got=$(dpkg-query -W -f='${Version}' budayang)
	[[ $got == "$2" ]] || fail "installed budayang $got, want $2"
}
