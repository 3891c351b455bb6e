#!/bin/bash
# What every vger command pays before it starts: libcurl (and the
# libraries only it brings) is loaded by the commands that fetch or
# send, on first use (util/curl.c), not by every start; libgit2 (and
# its libssh2, OpenSSL, mbedTLS, Kerberos) by the commands that open a
# repository (util/git2.c).
. "$(dirname "$0")/e2e/lib.sh"

VGER=${VGER:-./vger}

command -v readelf >/dev/null || { echo "SKIP: readelf (binutils) missing"; exit 77; }
# The dynamic loader says each library it opens: how many times LIB is.
loaded() {
	local lib=$1
	shift
	LD_DEBUG=files "$VGER" "$@" 2>&1 >/dev/null | grep -c "file=$lib" || :
}
# LIB is not linked, a command that needs none does not load it, and
# `vger version` loads it and prints NAMED (its name and version).
lazy() {
	local lib=$1 named=$2
	shift 2
	e2e_check "vger is not linked with $lib" \
		eval "! readelf -d \"\$VGER\" | grep -q 'NEEDED.*$lib'"
	e2e_check "vger $* does not load $lib" \
		test "$(loaded "$lib" "$@")" = 0
	e2e_check "vger version loads $lib" \
		test "$(loaded "$lib" version)" -ge 1
	e2e_check "vger version names $lib" \
		eval "\"\$VGER\" version | grep -q '$named'"
}
lazy libcurl "libcurl/" window --help
# Reading the git config does not need it.
GIT_CONFIG_NOSYSTEM=1 lazy libgit2 "libgit2 [0-9]" window --offline
# util/git2.c is generated from libgit2's headers and the list of what
# vger calls: written again, it is the same.
top=$(realpath "${top_srcdir:-.}")
e2e_check "util/git2.c is what util/git2-wrappers writes" \
	eval 'python3 "$top/util/git2-wrappers" | cmp -s - "$top/util/git2.c"'
exit $e2e_fail
