#!/bin/bash
# The series model at lore's size: bpf and netdev in one database.
#
#   bench/scale-bench.sh [MESSAGES...]   (default 50000 200000 500000 1000000)
#
# For each size, in one run and on the same query (QUERY, default both
# lists), on a corpus of bench/gen-corpus --netdev (kept in
# bench/out/scale-N for the next run):
#   - vger series cold (empty cache): time and peak memory (VmHWM);
#   - vger series --limit 50 warm, beside notmuch search --limit=50 and
#     notmuch count, as ratios;
#   - 1,000 new messages: notmuch new, then vger's incremental update,
#     INC_RUNS times (default 5) from the same cache, and its peak
#     memory;
#   - the cost per message: cold time and peak memory over the messages
#     the query matches.
# Then one Markdown table with a column per size.  The corpora are big
# (see DISK_KB_PER_MSG below): the script says what each needs and
# refuses a size when bench/out's file system has too little free.
# Needs hyperfine and GNU time (install-deps.sh installs both); 500k
# and 1M need an idle machine and about an hour each, mostly notmuch new.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
vger=${VGER:-$top/vger}
gen=${GEN_CORPUS:-$top/bench/gen-corpus}
query=${QUERY:-'to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org or to:netdev@vger.kernel.org or cc:netdev@vger.kernel.org'}
runs=${RUNS:-10}
inc_runs=${INC_RUNS:-5}
# Disk a corpus takes, per message: the files (about 5.4 KB) and
# notmuch's database (11.7 KB in all at 50,000 messages).
kb_per_msg=${DISK_KB_PER_MSG:-12}

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50000 200000 500000 1000000)
for n in "${sizes[@]}"; do
	if ! [[ $n =~ ^[1-9][0-9]*$ ]] || [ "$n" -lt 2000 ] ||
	   [ "$n" -gt 5000000 ]; then
		echo "bench: bad size '$n': a number of messages, 2000 to 5000000" >&2
		exit 2
	fi
done
for t in hyperfine /usr/bin/time notmuch python3 "$vger" "$gen"; do
	command -v "$t" >/dev/null ||
		{ echo "bench: $t missing (make; ./install-deps.sh)" >&2; exit 1; }
done

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 TZ=UTC
. "$top/bench/corpus-lib.sh"
mkdir -p "$top/bench/out"

# Refuse a size whose corpus is not made yet and would not fit.
for n in "${sizes[@]}"; do
	out=$top/bench/out/scale-$n
	[ -f "$out/.done" ] && continue
	need=$((n * kb_per_msg))
	free=$(df -Pk "$top/bench/out" | awk 'NR == 2 { print $4 }')
	echo "bench: the corpus of $n messages takes about $((need / 1024 / 1024 + 1)) GB in bench/out/scale-$n ($((free / 1024 / 1024)) GB free)"
	if [ "$free" -lt $((need + need / 5 + 1048576)) ]; then
		echo "bench: not enough free disk for $n messages: need about $(((need + need / 5) / 1024 / 1024 + 1)) GB and 1 GB to spare; free some or pick smaller sizes" >&2
		exit 1
	fi
done

work=$(mktemp -d /tmp/vger-scale.XXXXXX)
extra_db=
cleanup() {
	rm -rf "$work"
	if [ -n "$extra_db" ] && [ -d "$extra_db/scale-extra" ]; then
		rm -rf "$extra_db/scale-extra"
		notmuch new --quiet || :
	fi
}
trap cleanup EXIT
results=$work/results.tsv
: >"$results"

# "seconds KB cpu-seconds" of one run of a command, its output thrown
# away.
timed() {
	{ /usr/bin/time -f '%e %M %U %S' "$@" >/dev/null; } 2>&1 |
		tail -n 1 | awk '{ print $1, $2, $3 + $4 }'
}

for n in "${sizes[@]}"; do
	out=$top/bench/out/scale-$n
	echo "== $n messages"
	GEN_CORPUS=$gen bench_corpus "$out" "$n" --netdev
	db=$out/mail
	cache=$work/cache-$n
	mkdir -p "$cache"
	export XDG_CACHE_HOME=$cache
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	count=$(notmuch count "$query")
	echo "bench: $count messages match the query (load $load)"

	read -r cold_s cold_kb cold_cpu < <(timed "$vger" series --db "$db" \
		--query "$query" --limit 50)
	echo "bench: cold build $cold_s s ($cold_cpu s CPU), peak $cold_kb KB"
	read -r _ warm_kb _ < <(timed "$vger" series --db "$db" \
		--query "$query" --limit 50)
	echo "bench: warm listing peak $warm_kb KB"
	hyperfine -N -w 2 -r "$runs" --export-json "$work/warm-$n.json" \
		-n vger "$vger series --db $db --query '$query' --limit 50" \
		-n search "notmuch search --limit=50 '$query'" \
		-n count "notmuch count '$query'"

	# 1,000 new messages after the corpus's end: notmuch new once,
	# then vger's update, every run from the cache as it was before
	# them (restored by --prepare, flushed so that its writeback does
	# not land in the timed run).
	cp -a "$cache/vger" "$work/before"
	rm -rf "$work/extra"
	"$gen" --netdev --seed 2 --messages 1000 --start 2031-01-06 \
		--quiet "$work/extra"
	mkdir -p "$db/scale-extra"
	extra_db=$db
	mv "$work/extra/cur/"* "$db/scale-extra/"
	read -r nm_new _ < <(timed notmuch new --quiet)
	hyperfine -w 1 -r "$inc_runs" --export-json "$work/inc-$n.json" \
		--prepare "rm -rf '$cache/vger' && cp -a '$work/before' '$cache/vger' && sync" \
		-n update "$vger series --db $db --query '$query' --limit 50"
	rm -rf "$cache/vger" && cp -a "$work/before" "$cache/vger" && sync
	read -r _ inc_kb _ < <(timed "$vger" series --db "$db" \
		--query "$query" --limit 50)
	echo "bench: update peak $inc_kb KB"
	# The database as it was, for the next run.
	rm -rf "$db/scale-extra" "$work/before"
	notmuch new --quiet
	extra_db=
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$count" \
		"$cold_s" "$cold_kb" "$cold_cpu" "$warm_kb" "$nm_new" \
		"$inc_kb" "$load" "$(du -skD "$out" | cut -f1)" >>"$results"
done

python3 - "$results" "$work" <<'PY'
import json, sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
work = sys.argv[2]


def result(path, name):
    for r in json.load(open(path))["results"]:
        if r["command"] == name:
            return r
    raise SystemExit(f"bench: no {name} in {path}")


def mb(kb):
    """GNU time's KB are KiB: MB in powers of ten, as the targets are
    written, and MiB beside."""
    return f"{kb * 1024 / 1e6:.0f} MB ({kb / 1024:.0f} MiB)"


cols = []
for (n, count, cold_s, cold_kb, cold_cpu, warm_kb, nm_new, inc_kb, load,
     disk) in rows:
    warm = f"{work}/warm-{n}.json"
    rv, rs, rc = (result(warm, k) for k in ("vger", "search", "count"))
    v, s, c = rv["mean"], rs["mean"], rc["mean"]
    cpu = [r["user"] + r["system"] for r in (rv, rs, rc)]
    inc = result(f"{work}/inc-{n}.json", "update")
    count, cold_s, cold_kb = int(count), float(cold_s), int(cold_kb)
    cols.append({
        "corpus": f"{int(n):,} ({int(disk) / 1048576:.1f} GiB)",
        "query matches": f"{count:,}",
        "cold build": f"{cold_s:.1f} s",
        "cold, CPU (user + system)": f"{float(cold_cpu):.1f} s",
        "cold, per message": f"{cold_s / count * 1e6:.0f} µs "
                             f"({float(cold_cpu) / count * 1e6:.0f} µs "
                             f"CPU)",
        "peak memory, cold": mb(cold_kb),
        "peak memory, per message": f"{cold_kb * 1024 / count:.0f} B",
        "`vger series --limit 50`, warm": f"{v * 1000:.1f} ms",
        "`notmuch search --limit=50`": f"{s * 1000:.0f} ms "
                                       f"({s / v:.1f}x vger)",
        "`notmuch count`": f"{c * 1000:.0f} ms ({c / v:.1f}x vger)",
        "warm, CPU (user + system)": f"{cpu[0] * 1000:.0f} ms",
        "`notmuch search --limit=50`, CPU": f"{cpu[1] * 1000:.0f} ms "
                                            f"({cpu[1] / cpu[0]:.1f}x vger)",
        "`notmuch count`, CPU": f"{cpu[2] * 1000:.0f} ms "
                                f"({cpu[2] / cpu[0]:.1f}x vger)",
        "peak memory, warm": mb(int(warm_kb)),
        "`notmuch new`, 1,000 messages": f"{float(nm_new):.1f} s",
        "vger update after them": f"{inc['mean']:.2f} s "
                                  f"({inc['min']:.2f} to {inc['max']:.2f})",
        "update, CPU (user + system)":
            f"{(inc['user'] + inc['system']):.2f} s",
        "peak memory, update": mb(int(inc_kb)),
        "load average at the start": load,
    })
keys = list(cols[0])
print()
print("| " + " | ".join(["messages"] + [c["corpus"] for c in cols]) + " |")
print("|---|" + "---:|" * len(cols))
for k in keys[1:]:
    print("| " + " | ".join([k] + [c[k] for c in cols]) + " |")
PY
