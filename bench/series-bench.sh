#!/bin/bash
# Benchmark the series model against notmuch on a generated corpus.
#
#   bench/series-bench.sh [MESSAGES]      (default 200000)
#
# Generates MESSAGES messages with bench/gen-corpus (kept in bench/out/
# for the next run), indexes them with `notmuch new`, then times, in one
# run and on the same query:
#   - vger series cold (empty cache), with its peak memory;
#   - vger series --limit 50 warm, beside notmuch search --limit=50 and
#     notmuch count;
#   - vger series --limit 50 after 1,000 new messages (incremental),
#     INC_RUNS times (default 5) from the same cache, with its peak
#     memory.
# Needs hyperfine and GNU time (install-deps.sh installs both).
set -euo pipefail

n=${1:-200000}
top=$(cd "$(dirname "$0")/.." && pwd)
vger=${VGER:-$top/vger}
gen=${GEN_CORPUS:-$top/bench/gen-corpus}
out=$top/bench/out/series-$n
query='to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org'
runs=${RUNS:-10}

for t in hyperfine /usr/bin/time notmuch "$vger" "$gen"; do
	command -v "$t" >/dev/null || { echo "bench: $t missing (make; ./install-deps.sh)" >&2; exit 1; }
done

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 TZ=UTC
. "$top/bench/corpus-lib.sh"
GEN_CORPUS=$gen bench_corpus "$out" "$n"
db=$out/mail
cache=$(mktemp -d /tmp/vger-bench-cache.XXXXXX)
trap 'rm -rf "$cache" "$out/extra"' EXIT
export XDG_CACHE_HOME=$cache

count=$(notmuch count "$query")
echo "bench: $count messages match the query"

# Cold: build the model from notmuch and the message files.
cold=$( { /usr/bin/time -f '%e %M' "$vger" series --db "$db" --limit 50 >/dev/null; } 2>&1 | tail -n 1)
cold_s=${cold% *}
cold_kb=${cold#* }

# Warm: the cache is current.
hyperfine -N -w 2 -r "$runs" --export-json "$cache/warm.json" \
	-n 'vger series --limit 50' "$vger series --db $db --limit 50" \
	-n 'notmuch search --limit=50' "notmuch search --limit=50 '$query'" \
	-n 'notmuch count' "notmuch count '$query'" >"$cache/warm.txt"
cat "$cache/warm.txt"

# Incremental: 1,000 new messages.  Every run starts from the cache as
# it was before them (restored by --prepare, flushed so that its
# writeback does not land in the timed run).
cp -a "$cache/vger" "$cache/before"
"$gen" --seed 2 --messages 1000 --start 2030-01-01 "$out/extra" >/dev/null
mkdir -p "$db/extra"
mv "$out/extra/cur/"* "$db/extra/"
notmuch new --quiet
hyperfine -w 1 -r "${INC_RUNS:-5}" --export-json "$cache/inc.json" \
	--prepare "rm -rf '$cache/vger' && cp -a '$cache/before' '$cache/vger' && sync" \
	-n 'vger series after 1,000 new messages' \
	"$vger series --db $db --limit 50" >"$cache/inc.txt"
cat "$cache/inc.txt"
rm -rf "$cache/vger" && cp -a "$cache/before" "$cache/vger" && sync
inc_kb=$( { /usr/bin/time -f '%M' "$vger" series --db "$db" --limit 50 >/dev/null; } 2>&1 | tail -n 1)
# Put the database back as it was for the next run.
rm -rf "$db/extra"
notmuch new --quiet
python3 - "$cache/warm.json" "$cold_s" "$cold_kb" "$cache/inc.json" "$inc_kb" "$count" <<'PY'
import json, sys
res = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
cold, kb, count = float(sys.argv[2]), int(sys.argv[3]), sys.argv[6]
inc = json.load(open(sys.argv[4]))["results"][0]
inc_kb = int(sys.argv[5])
v, s, c = res["vger series --limit 50"], res["notmuch search --limit=50"], res["notmuch count"]
print()
print(f"| {count} messages | time | vs notmuch search --limit=50 |")
print("|---|---|---|")
print(f"| vger series --limit 50, warm | {v*1000:.1f} ms | {v/s:.2f}x |")
print(f"| notmuch search --limit=50 | {s*1000:.1f} ms | 1.00x |")
print(f"| notmuch count | {c*1000:.1f} ms | {c/s:.2f}x |")
print(f"| vger series, cold build | {cold:.2f} s | peak {kb/1024:.0f} MB |")
print(f"| vger series after 1,000 new messages | {inc['mean']:.2f} s "
      f"(min {inc['min']:.2f}, max {inc['max']:.2f}) | peak {inc_kb/1024:.0f} MB |")
PY
