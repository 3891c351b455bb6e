#!/bin/sh
# Run vger's fuzz targets (fuzz/) with libFuzzer, ASan and UBSan.
#
#   bench/fuzz.sh TARGET|all SECONDS [LIBFUZZER-OPTION...]
#
# TARGET is a file name of fuzz/ without .c (subject, message, trailer,
# address, render, maint, releases, netnext, send_record, cache_records,
# cache_listing, lore, collect, patchwork); `all` runs each in turn
# for SECONDS.
# Needs clang (clang-14 on Debian 12, with its libclang_rt.fuzzer;
# install-deps.sh installs it with VGER_DEPS_FUZZ=1); `make check` does
# not: it replays the corpora through fuzz/replay.c.
#
# The tree as it is in the work tree (committed or not) is copied to
# bench/out/fuzz/build and built there with clang, out of the way of
# the gcc build.  libFuzzer starts from fuzz/corpus/TARGET and keeps
# what it finds new in bench/out/fuzz/corpus/TARGET (never in the
# repository); crashes, timeouts, leaks and sanitizer reports go to
# bench/out/fuzz/crashes/TARGET/, the log to bench/out/fuzz/TARGET.log.
# A finding's input, minimised (-minimize_crash=1), goes into
# fuzz/corpus/TARGET/ with its fix, so make check keeps replaying it.
#
# Runs at nice 10, one target at a time, with -timeout=5 and
# -rss_limit_mb=2048.  Exits 1 when any target found something.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: bench/fuzz.sh TARGET|all SECONDS [LIBFUZZER-OPTION...]" >&2
	exit 2
fi
target=$1 secs=$2
shift 2
case $secs in
'' | *[!0-9]*) echo "bench/fuzz.sh: SECONDS must be a number" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/bench/out/fuzz
build=$out/build
CC=${CC:-clang-14}
command -v "$CC" >/dev/null 2>&1 || CC=clang
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "bench/fuzz.sh: no clang (apt-get install clang)" >&2
	exit 2
fi

all=$(cd "$top/fuzz" && ls ./*.c | sed 's|^\./||; s|\.c$||' |
	grep -v -x -e fuzz -e replay -e calendar)
if [ "$target" = all ]; then
	targets=$all
elif echo "$all" | grep -q -x -- "$target"; then
	targets=$target
else
	echo "bench/fuzz.sh: no target '$target'; one of:" $all >&2
	exit 2
fi

# Copy the work tree (tar keeps the times: make rebuilds what changed).
mkdir -p "$build"
(cd "$top" && git ls-files -z -c -o --exclude-standard |
	xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$build"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
if [ ! -f "$build/Makefile" ]; then
	echo "bench/fuzz.sh: configuring a $CC build in $build"
	(cd "$build" && ./autogen.sh >/dev/null 2>&1 &&
	 ./configure -q CC="$CC" \
		CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $san" \
		LDFLAGS="$san")
fi
progs=
for t in $targets; do
	progs="$progs fuzz/fuzz-$t"
done
# shellcheck disable=SC2086
(cd "$build" && make -s -j2 calendar/releases-table.c &&
 make -s -j2 FUZZ_MAIN= FUZZ_ENGINE=-fsanitize=fuzzer $progs) >"$out/make.log" 2>&1 || {
	cat "$out/make.log" >&2
	exit 1
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LC_ALL=C.UTF-8 TZ=UTC
found=0
for t in $targets; do
	mkdir -p "$out/corpus/$t" "$out/crashes/$t"
	touch "$out/$t.start"
	echo "bench/fuzz.sh: $t for ${secs}s (log: $out/$t.log)"
	status=0
	(cd "$out/corpus/$t" &&
	 nice -n 10 "$build/fuzz/fuzz-$t" -max_total_time="$secs" \
		-timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t/" "$@" \
		"$out/corpus/$t" "$top/fuzz/corpus/$t") >"$out/$t.log" 2>&1 ||
		status=$?
	grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|^#[0-9]+.*DONE' \
		"$out/$t.log" | sed 's/^/  /' || :
	# Only what this run wrote: earlier findings stay in the folder.
	new=$(find "$out/crashes/$t" -type f -newer "$out/$t.start" |
		sed 's|.*/||' | tr '\n' ' ')
	if [ "$status" != 0 ] || [ -n "$new" ]; then
		found=1
		echo "  FOUND (exit $status): $new"
		grep -E 'ERROR: |SUMMARY: |runtime error' "$out/$t.log" |
			head -5 | sed 's/^/  /'
	fi
done
exit $found
