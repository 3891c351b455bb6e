# The generated corpus the benchmarks share, sourced by them:
#
#   bench_corpus OUT N [GEN-OPTION...]
#
# makes sure OUT (bench/out/series-N by convention) holds N messages of
# bench/gen-corpus --seed 1 [GEN-OPTION...] (e.g. --netdev) in OUT/mail,
# indexed by notmuch with the configuration OUT/notmuch-config, which it
# exports as NOTMUCH_CONFIG.
# Made once (OUT/.done says it is whole, and by which format of the
# generator: a corpus of another is made again).  SERIES_CORPUS=DIR copies
# such a directory (another checkout's, only read) instead of
# generating; GEN_CORPUS names the generator (default bench/gen-corpus).

bench_corpus() {
	local out n=$2

	out=$(mkdir -p "$1" && cd "$1" && pwd) || return 1
	shift 2
	local gen=${GEN_CORPUS:-$(dirname "${BASH_SOURCE[0]}")/gen-corpus}

	local format
	format=$("$gen" --version) || return 1
	export NOTMUCH_CONFIG=$out/notmuch-config
	[ -f "$out/.done" ] && [ "$(cat "$out/.done")" = "$format" ] &&
		return 0
	rm -rf "$out"
	mkdir -p "$out"
	printf '[database]\npath=%s/mail\n[new]\ntags=unread\n[maildir]\nsynchronize_flags=false\n' \
		"$out" >"$NOTMUCH_CONFIG"
	if [ -n "${SERIES_CORPUS:-}" ]; then
		if [ ! -f "$SERIES_CORPUS/.done" ]; then
			echo "bench: $SERIES_CORPUS is not an indexed corpus" >&2
			return 1
		fi
		echo "bench: copying $SERIES_CORPUS"
		cp -a "$SERIES_CORPUS/mail" "$out/mail"
	else
		echo "bench: generating $n messages"
		/usr/bin/time -f 'gen-corpus: %es' "$gen" --seed 1 "$@" \
			--messages "$n" "$out/mail" || return 1
		echo "bench: notmuch new"
		/usr/bin/time -f 'notmuch new: %es' notmuch new --quiet ||
			return 1
	fi
	echo "$format" >"$out/.done"
}
