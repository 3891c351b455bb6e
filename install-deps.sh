#!/bin/sh
# Install every Debian 12 package vger needs to build, test and run,
# and what bench/ compares it with (alot and aerc: bench/tui-bench.sh).
# Idempotent; works as root or through sudo.  Set VGER_DEPS_KERNEL=1 to
# also install linux-source-6.1 (the MAINTAINERS oracle tests and bench/),
# VGER_DEPS_FUZZ=1 for clang (bench/fuzz.sh).
# b4 is the oracle of vger am's test (tests/am_oracle.sh), never run by vger.
# valgrind runs vger in tests/valgrind.sh (make check-valgrind).
# xapian-tools: a test makes a notmuch database of a future version.
set -eu

PKGS="
	build-essential autoconf automake pkg-config
	libnotmuch-dev notmuch
	libgmime-3.0-dev
	libgit2-dev git
	libcurl4-openssl-dev
	libncurses-dev
	libjson-c-dev
	libpcre2-dev
	zlib1g-dev
	check
	tmux
	valgrind
	python3
	xapian-tools
	perl
	ca-certificates
	hyperfine time
	b4
	alot aerc
	lei public-inbox curl
"
[ "${VGER_DEPS_KERNEL:-0}" = 1 ] && PKGS="$PKGS linux-source-6.1 xz-utils"
# Optional: clang's libFuzzer for bench/fuzz.sh (CI does not fuzz).
[ "${VGER_DEPS_FUZZ:-0}" = 1 ] && PKGS="$PKGS clang"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
else
	SUDO=sudo
fi

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
