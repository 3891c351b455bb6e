#!/bin/bash
# What every vger command pays before it starts: libcurl (and the
# libraries only it brings) is loaded by the commands that fetch or
# send, on first use (util/curl.c), not by every start.
. "$(dirname "$0")/e2e/lib.sh"

VGER=${VGER:-./vger}

command -v readelf >/dev/null || { echo "SKIP: readelf (binutils) missing"; exit 77; }
e2e_check "vger is not linked with libcurl" \
	eval '! readelf -d "$VGER" | grep -q "NEEDED.*libcurl"'
# The dynamic loader says each library it opens.
loaded() { LD_DEBUG=files "$VGER" "$@" 2>&1 >/dev/null | grep -c 'file=libcurl' || :; }
e2e_check "a command that does not fetch never loads libcurl" \
	test "$(loaded window --help)" = 0
e2e_check "vger version loads it and names it" \
	eval '"$VGER" version | grep -q "libcurl/"'
e2e_check "vger version loads it once" \
	test "$(loaded version)" -ge 1
exit $e2e_fail
