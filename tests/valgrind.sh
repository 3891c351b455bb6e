#!/bin/bash
# Run the tests that start vger with vger under valgrind memcheck.
#
#   tests/valgrind.sh [TEST...]          (or: make check-valgrind)
#
# Run in a configured build directory of a plain build (valgrind does
# not run an ASan build).  TEST is a test of the suite
# (tests/check_cli, tests/e2e/tui.sh, ...); with none, every test that
# starts vger: the command-line tests (tests/check_*.c through
# tests/testlib.c's t_vger()) and the end-to-end tests under tmux
# (tests/e2e/*.sh).  Each test runs through `make check TESTS=...`
# with $VGER a wrapper that runs vger under
#
#   valgrind --error-exitcode=97 --leak-check=full
#            --errors-for-leak-kinds=definite
#
# one log a run in tests/valgrind/TEST/ (kept).  A test whose vger
# made a memory error or a definite leak fails (vger exits 97), and
# the summary at the end names, for each test, how many runs of vger
# it made, how many had errors (with the first) and how many ended
# with no summary: a forked child of vger that ran another program
# (git, an editor) or a run the test killed.
# Exits 1 when any test failed or any run had an error.
#
# valgrind makes vger 10 to 50 times slower: time limits of the
# tests are raised (CK_TIMEOUT_MULTIPLIER; VGER_E2E_SLOW multiplies
# the waits of tests/e2e/lib.sh).  The whole
# run takes about 40 minutes on two cores (README, "Safety").
set -u

if [ ! -f Makefile ] || [ ! -x ./vger ]; then
	echo "tests/valgrind.sh: run it in a built build directory" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null; then
	echo "tests/valgrind.sh: valgrind is not installed" >&2
	exit 2
fi
if grep -q '^SAN_FLAGS = -f' Makefile; then
	echo "tests/valgrind.sh: this is a sanitizer build; valgrind" \
		"needs a plain one" >&2
	exit 2
fi

build=$(pwd)
# By its path: some tests run vger with a PATH of their own.
valgrind=$(command -v valgrind)
srcdir=$(sed -n 's/^abs_top_srcdir = //p' Makefile)
out=$build/tests/valgrind
supp=$srcdir/tests/valgrind.supp

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for t in $(cd "$srcdir" && grep -l \
			't_vger(\|t_pty_run(\|getenv("VGER")' \
			tests/check_*.c | sort); do
		tests+=("${t%.c}")
	done
	for t in $(cd "$srcdir" && ls tests/e2e/*.sh | sort); do
		[ "$t" = tests/e2e/lib.sh ] && continue
		grep -q "^TESTS.*$t\|[[:space:]]$t" "$srcdir/tests/Makefile.inc" ||
			continue
		tests+=("$t")
	done
fi

rm -rf "$out"
mkdir -p "$out"
make -s -j2 vger >/dev/null || exit 1
status=0
start=$(date +%s)
summary=
for t in "${tests[@]}"; do
	name=${t//\//_}
	logs=$out/$name
	mkdir -p "$logs"
	# The wrapper: one per test so that its logs are that test's,
	# also for vger started by a shell with a clean environment.
	cat >"$logs/vger" <<EOF
#!/bin/sh
exec $valgrind --error-exitcode=97 --leak-check=full \\
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--suppressions="$supp" --num-callers=30 \\
	--log-file="$logs/vger.%p.log" "$build/vger" "\$@"
EOF
	chmod +x "$logs/vger"
	t0=$(date +%s)
	CK_TIMEOUT_MULTIPLIER=10 VGER_E2E_SLOW=10 \
		make -s check TESTS="$t" VGER_UNDER_TEST="$logs/vger" \
		>"$logs/make.log" 2>&1
	rc=$?
	runs=0 bad=0 cut=0 first=
	for log in "$logs"/vger.*.log; do
		[ -f "$log" ] || continue
		runs=$((runs + 1))
		# No summary: a forked child that exec'd another program
		# (valgrind follows no child) or a run the test killed.
		if ! grep -q 'ERROR SUMMARY: ' "$log"; then
			cut=$((cut + 1))
		elif ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
			bad=$((bad + 1))
			[ -n "$first" ] || first=$(grep -m1 -E \
				'^==[0-9]+== [A-Z][a-z]+.*(invalid|Invalid|uninitialised|definitely lost|Mismatched|overlap)' \
				"$log" | sed 's/^==[0-9]*== //')
			[ -n "$first" ] || first="see $log"
		fi
	done
	result=PASS
	[ "$rc" = 0 ] || result=FAIL
	[ "$bad" = 0 ] || result=FAIL
	[ "$result" = PASS ] || status=1
	line=$(printf '%s: %s: %d runs of vger, %d with errors, %d cut short (%ds)' \
		"$result" "$t" "$runs" "$bad" "$cut" $(($(date +%s) - t0)))
	echo "$line"
	[ -z "$first" ] || echo "    $first"
	summary="$summary$line"$'\n'
done
echo
echo "valgrind: ${#tests[@]} tests in $(($(date +%s) - start)) s; logs in $out"
printf '%s' "$summary" | grep -c '^PASS' | sed 's/$/ passed/'
printf '%s' "$summary" | grep -c '^FAIL' | sed 's/$/ failed/'
exit $status
