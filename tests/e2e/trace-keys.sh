#!/bin/bash
# VGER_TRACE_KEYS=FILE under tmux: a "key NAME T" line per key read and
# a "paint T" line when the repaint after it is written, in order, the
# paint never before the key (bench/tui-bench.sh reads these).
. "$(dirname "$0")/lib.sh"
e2e_need_tmux
VGER=${VGER:-./vger}
e2e_tmp=$(mktemp -d /tmp/vger-e2e.XXXXXX)
trap e2e_cleanup EXIT
trace=$e2e_tmp/trace

# trace_lines N: poll the trace until it has N lines (10 s).
trace_lines() {
	local i=0
	while [ $i -lt 100 ]; do
		[ "$(wc -l <"$trace")" -ge "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

e2e_start tr "env TMPDIR=$e2e_tmp XDG_CACHE_HOME=$e2e_tmp/cache VGER_TRACE_KEYS=$trace $VGER demo --messages 300"
e2e_check "the list is drawn" e2e_wait tr "[series] all" 120
e2e_check "the whole model is read" e2e_wait tr " messages" 60
e2e_check "no key, no line" test ! -s "$trace"
$T send-keys -t tr j
e2e_check "j is traced, then its paint" trace_lines 2
$T send-keys -t tr G
e2e_check "G is traced, then its paint" trace_lines 4
e2e_check "the times are seconds and microseconds" \
	grep -qxE 'paint [0-9]+\.[0-9]{6}' "$trace"
e2e_check "key, paint, key, paint, in time order" awk '
	NR == 1 && ($1 != "key" || $2 != "j") { bad = 1 }
	NR == 3 && ($1 != "key" || $2 != "G") { bad = 1 }
	(NR == 2 || NR == 4) && $1 != "paint" { bad = 1 }
	{ if ($NF + 0 < last) bad = 1; last = $NF + 0 }
	END { exit bad || NR != 4 }' "$trace"
$T send-keys -t tr q
e2e_check "q quits" e2e_wait tr "[exit 0]" 30
exit $e2e_fail
