# Sourced by the benchmarks: bench_need TOOL... stops unless each is
# there; bench_corpus N makes (once) N generated
# messages with bench/gen-corpus in bench/out/series-N and indexes
# them with `notmuch new`; $out is that directory, $NOTMUCH_CONFIG its
# config.  Needs $top and $gen.
bench_corpus() {
	local n=$1

	out=$top/bench/out/series-$n
	export NOTMUCH_CONFIG=$out/notmuch-config
	if [ ! -f "$out/.done" ]; then
		rm -rf "$out"
		mkdir -p "$out"
		printf '[database]\npath=%s/mail\n[new]\ntags=unread\n[maildir]\nsynchronize_flags=false\n' \
			"$out" >"$NOTMUCH_CONFIG"
		echo "bench: generating $n messages"
		/usr/bin/time -f 'gen-corpus: %es' "$gen" --seed 1 --messages "$n" "$out/mail"
		echo "bench: notmuch new"
		/usr/bin/time -f 'notmuch new: %es' notmuch new --quiet
		touch "$out/.done"
	fi
}

bench_need() {
	local t

	for t in "$@"; do
		command -v "$t" >/dev/null ||
			{ echo "bench: $t missing (make; ./install-deps.sh)" >&2; exit 1; }
	done
	export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 TZ=UTC
}
