#!/bin/bash
# Benchmark the TUI beside alot and aerc on a generated corpus.
#
#   bench/tui-bench.sh [MESSAGES]      (default 200000)
#
# The corpus is bench/series-bench.sh's (bench/out/series-MESSAGES),
# generated and indexed the same way when missing; SERIES_CORPUS=DIR
# copies an indexed one (such a directory of another checkout, only
# read) instead.  For the run, 31 messages are added to the database
# and removed at exit: a 30-patch series whose last patch is a
# 2,000-line diff (bench/gen-corpus makes neither).
#
# Then, in one run, each program in a 160x50 tmux pane whose screen
# bench/tui-probe.py reads at each output (its resolution, one
# capture-pane round trip, is printed):
#   - vger cold (empty cache), COLD_RUNS times (default 3): until the
#     status line is on the screen, until the model is in ("N series,
#     M messages");
#   - first screen with a warm cache, RUNS rounds (default 5) after an
#     untimed one: vger until its first series row, alot and aerc (its
#     notmuch backend, flat and threaded) until their first thread
#     line, all on the query vger lists; peak memory (VmHWM) of each
#     once it is idle;
#   - keys, KEY_RUNS times (default 3): limit the list to the 30-patch
#     series, open it, move over the 30 patches, open the 2,000-line
#     one, page through it, go back, open the series again; each key
#     timed by vger itself (VGER_TRACE_KEYS: key read to repaint
#     written) and from outside (tmux send-keys to the screen's last
#     change).
# The OS page cache holds the index and, for the cold runs, the
# message files first.  LOAD_BELOW=1.5 waits (at most LOAD_WAIT
# seconds, default 1800) for the 1-minute load average to drop under
# 1.5 before measuring.  AERC_THREADED=0 leaves out the threaded aerc
# (a minute a run at 200,000 messages); KEEP=1 keeps the raw results.
# Needs tmux, alot, aerc, notmuch and python3 (install-deps.sh).
set -euo pipefail

n=${1:-200000}
top=$(cd "$(dirname "$0")/.." && pwd)
vger=${VGER:-$top/vger}
gen=${GEN_CORPUS:-$top/bench/gen-corpus}
probe=$top/bench/tui-probe.py
out=$top/bench/out/series-$n
query='to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org'
runs=${RUNS:-5}
cold_runs=${COLD_RUNS:-3}
key_runs=${KEY_RUNS:-3}
cols=160 lines=50

for t in tmux alot aerc notmuch python3 "$vger" "$gen"; do
	command -v "$t" >/dev/null || { echo "bench: $t missing (make; ./install-deps.sh)" >&2; exit 1; }
done

export TZ=UTC LC_ALL=C.UTF-8
. "$top/bench/corpus-lib.sh"
GEN_CORPUS=$gen bench_corpus "$out" "$n"
db=$out/mail
tmp=$(mktemp -d /tmp/vger-tui-bench.XXXXXX)
sock=vger-tui-bench-$$
T="tmux -L $sock -f /dev/null"
cleanup() {
	$T kill-server 2>/dev/null || :
	[ -n "${KEEP:-}" ] && echo "bench: raw results in $tmp" || rm -rf "$tmp"
	if [ -d "$db/tui-bench" ]; then
		rm -rf "$db/tui-bench"
		notmuch new --quiet || :
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The 30-patch series, dated after the corpus: the newest thread.
rm -rf "$db/tui-bench"
mkdir -p "$db/tui-bench/cur" "$db/tui-bench/new" "$db/tui-bench/tmp"
python3 - "$db/tui-bench/cur" <<'PY'
import sys
out = sys.argv[1]
author = "Bench Author <bench.author@example.org>"
def write(i, subject, body, parent):
    hdr = [
        "From: " + author,
        "To: bpf@vger.kernel.org",
        "Cc: Alexei Starovoitov <ast@kernel.org>, "
        "Daniel Borkmann <daniel@iogearbox.net>, "
        "Andrii Nakryiko <andrii@kernel.org>",
        "Subject: " + subject,
        "Date: Tue, 01 Jan 2030 10:%02d:00 +0000" % i,
        "Message-ID: <20300101100000.tuibench.%02d@example.org>" % i,
    ]
    if parent:
        hdr += ["In-Reply-To: " + parent, "References: " + parent]
    hdr += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit"]
    with open("%s/tuibench-%02d:2," % (out, i), "w") as f:
        f.write("\n".join(hdr) + "\n\n" + body)
cover = "<20300101100000.tuibench.00@example.org>"
write(0, "[PATCH bpf-next 00/30] bpf: tuibench, thirty steps",
      "Thirty patches, the last one a 2,000-line selftest, for the TUI\n"
      "benchmark (bench/tui-bench.sh).\n\n"
      "Bench Author (30):\n" +
      "".join("  bpf: tuibench step %d\n" % i for i in range(1, 30)) +
      "  selftests/bpf: tuibench: add a 2,000-line test\n\n-- \n2.43.0\n",
      None)
for i in range(1, 30):
    hunk = "".join("+\tbench_step_%d(ctx, %d);\n" % (i, k) for k in range(8))
    write(i, "[PATCH bpf-next %02d/30] bpf: tuibench step %d" % (i, i),
          "Step %d of the benchmark series.\n\n"
          "Signed-off-by: %s\n---\n kernel/bpf/tuibench.c | 8 ++++++++\n"
          " 1 file changed, 8 insertions(+)\n\n"
          "diff --git a/kernel/bpf/tuibench.c b/kernel/bpf/tuibench.c\n"
          "index 1111111111aa..2222222222bb 100644\n"
          "--- a/kernel/bpf/tuibench.c\n+++ b/kernel/bpf/tuibench.c\n"
          "@@ -%d,6 +%d,14 @@ static int bench_step(void *ctx)\n"
          " {\n \tint err;\n \n%s \n \treturn 0;\n }\n-- \n2.43.0\n"
          % (i, author, 10 * i, 10 * i, hunk), cover)
n = 1990
code = "".join("+\tif (bench_check(ctx, %d) != %d)\n+\t\treturn -%d;\n"
               % (k, k * 7, k % 120 + 1) for k in range(n // 2))
write(30, "[PATCH bpf-next 30/30] selftests/bpf: tuibench: add a 2,000-line test",
      "A large selftest, so the pager has 2,000 lines to page through.\n\n"
      "Signed-off-by: %s\n---\n"
      " tools/testing/selftests/bpf/progs/tuibench.c | %d +++++\n"
      " 1 file changed, %d insertions(+)\n"
      " create mode 100644 tools/testing/selftests/bpf/progs/tuibench.c\n\n"
      "diff --git a/tools/testing/selftests/bpf/progs/tuibench.c "
      "b/tools/testing/selftests/bpf/progs/tuibench.c\n"
      "new file mode 100644\nindex 000000000000..3333333333cc\n"
      "--- /dev/null\n+++ b/tools/testing/selftests/bpf/progs/tuibench.c\n"
      "@@ -0,0 +1,%d @@\n%s-- \n2.43.0\n" % (author, n, n, n, code), cover)
PY
notmuch new --quiet
count=$(notmuch count "$query")
echo "bench: $count messages match the query, with the 30-patch series"

# Wait for a quieter machine when asked.
if [ -n "${LOAD_BELOW:-}" ]; then
	waited=0
	while awk -v max="$LOAD_BELOW" '{ exit !($1 >= max) }' /proc/loadavg &&
		[ "$waited" -lt "${LOAD_WAIT:-1800}" ]; do
		sleep 10
		waited=$((waited + 10))
	done
	echo "bench: load $(cut -d' ' -f1-3 /proc/loadavg) after ${waited}s"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The index always; the message files for the cold runs (a minute at
# 200,000 messages, most of it opening files).
echo "bench: warming the page cache"
cat "$db"/.notmuch/xapian/* >/dev/null
[ "$cold_runs" -gt 0 ] && find "$db" -type f -print0 | xargs -0 cat >/dev/null

# Private configurations: nothing of the user's is read or written.
mkdir -p "$tmp/home/alot" "$tmp/home/aerc-flat/aerc" \
	"$tmp/home/aerc-threads/aerc"
: >"$tmp/home/alot/config"
for v in flat threads; do
	d=$tmp/home/aerc-$v/aerc
	printf '[bpf]\nsource = notmuch://%s\nquery-map = %s/query-map\ndefault = bpf\nfrom = Bench <bench@example.org>\n' \
		"$db" "$d" >"$d/accounts.conf"
	chmod 600 "$d/accounts.conf"
	printf 'bpf=%s\n' "$query" >"$d/query-map"
	printf '[ui]\ntimestamp-format = 2006-01-02 15:04\nthreading-enabled = %s\n' \
		"$([ $v = threads ] && echo true || echo false)" >"$d/aerc.conf"
done
printf '[vger]\n\toffline = true\n' >"$tmp/gitconfig"
export GIT_CONFIG_GLOBAL=$tmp/gitconfig GIT_CONFIG_NOSYSTEM=1

$T new-session -d -s bench -x $cols -y $lines 'exec sleep 2147483647' \; \
	set -g remain-on-exit on \; set -g status off \; \
	set -g default-terminal tmux-256color \; set -g window-size manual

row='row=v[0-9]+ +[0-9]+/[0-9]+ +A[0-9]+ R[0-9]+ T[0-9]+'
model='model=[0-9]+ series, [0-9]+ messages'
# The cold start's status line (tui/tui.c says it).
status='status=^Building the series model'
run_vger() {		# CACHE_DIR PROBE_OPTION...
	local cache=$1
	shift
	python3 "$probe" "$@" "$sock" -- env XDG_CACHE_HOME="$cache" \
		"$vger" --db "$db"
}
run_alot() {
	python3 "$probe" --idle --pattern 'row=^ *\S.* \([0-9]+\) +\S' "$sock" -- \
		env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home" \
		XDG_DATA_HOME="$tmp/home" XDG_CACHE_HOME="$tmp/home" \
		alot -r -n "$NOTMUCH_CONFIG" -c "$tmp/home/alot/config" \
		search "$query"
}
run_aerc() {		# flat|threads
	python3 "$probe" --idle --timeout 300 \
		--pattern 'row=[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +\S' \
		"$sock" -- env HOME="$tmp/home" \
		XDG_CONFIG_HOME="$tmp/home/aerc-$1" \
		XDG_DATA_HOME="$tmp/home" XDG_CACHE_HOME="$tmp/home" aerc
}

# Each run's output is read below; a failed run is said there (the
# probe prints the last screen on stderr).
# Cold: an empty cache each time; the last one is the warm cache.
for i in $(seq "$cold_runs"); do
	echo "bench: vger cold $i/$cold_runs"
	rm -rf "$tmp/cache"
	run_vger "$tmp/cache" --idle --pattern "$status" --pattern "$model" \
		--timeout 600 >"$tmp/cold-$i.txt" || :
done

clients="vger alot aerc-flat"
[ "${AERC_THREADED:-1}" = 1 ] && clients="$clients aerc-threads"
rounds=
[ "$runs" -gt 0 ] && rounds=$(seq 0 "$runs")
for r in $rounds; do
	echo "bench: first screen, round $r/$runs"
	for c in $clients; do
		f=$tmp/warm-$c-$r.txt
		case $c in
		vger) run_vger "$tmp/cache" --idle --pattern "$row" \
			--pattern "$model" >"$f" || : ;;
		alot) run_alot >"$f" || : ;;
		aerc-*) run_aerc "${c#aerc-}" >"$f" || :
		esac
	done
done

# Keys: limit to the series, open it, j over its patches, open the
# last one (2,000 lines), page to its end, g, G, back twice; open the
# series again (what the first opening built is there now), back.
{
	echo "wait ${model#model=}"
	echo 'key prompt /'
	echo 'type subject:tuibench'
	echo 'key limit Enter ^.* 30/30 .*tuibench'
	echo 'key open-series Enter \[1/30\] bpf: tuibench step 1$'
	for i in $(seq 30); do echo 'key move-j j'; done
	echo 'key open-patch Enter ^Subject: .*30/30'
	echo 'repeat page-Space Space (\d+)-(\d+)/\2$'
	echo 'key first-g g'
	echo 'key last-G G'
	echo 'key back-series q ^\[thread\]'
	echo 'key back-list q ^\[series\]'
	echo 'key open-again Enter \[1/30\] bpf: tuibench step 1$'
	echo 'key back-list q ^\[series\]'
} >"$tmp/keys"
for i in $(seq "$key_runs"); do
	echo "bench: keys $i/$key_runs"
	: >"$tmp/trace-$i"
	python3 "$probe" --keys "$tmp/keys" "$sock" -- env \
		XDG_CACHE_HOME="$tmp/cache" VGER_TRACE_KEYS="$tmp/trace-$i" \
		"$vger" --db "$db" >"$tmp/keys-$i.txt" || :
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$tmp" "$count" "$runs" "$cold_runs" "$key_runs" "$clients" \
	"$load_before" "$load_after" "alot $(alot --version 2>&1 | head -n 1)" \
	"$(aerc -v 2>&1 | awk '{ print $1, $2; exit }')" "$(tmux -V)" <<'PY'
import os, statistics as st, sys
tmp, count = sys.argv[1], sys.argv[2]
runs, cold_runs, key_runs = map(int, sys.argv[3:6])
clients = sys.argv[6].split()
load_before, load_after, alot_v, aerc_v, tmux_v = sys.argv[7:12]

rtts, errors = [], []
def read(path):
    r = {"pattern": {}, "step": [], "hwm": []}
    for line in open(path):
        w = line.split()
        if not w:
            continue
        if w[0] == "pattern":
            r["pattern"][w[1]] = float(w[2])
        elif w[0] == "step":
            r["step"].append((w[1], int(w[2]), float(w[3])))
        elif w[0] == "hwm" and w[1] != "None":
            r["hwm"].append(int(w[1]))
        elif w[0] == "rtt":
            rtts.append((float(w[1]), float(w[2])))
        elif w[0] == "note":
            errors.append("%s: note: %s" % (os.path.basename(path),
                                            " ".join(w[1:])))
        elif w[0] == "error":
            errors.append("%s: %s" % (os.path.basename(path),
                                      " ".join(w[1:])))
    return r

def spread(xs, unit="s", scale=1.0, fmt="%.3f"):
    if not xs:
        return "failed"
    xs = [x * scale for x in xs]
    return (fmt + " %s (" + fmt + "–" + fmt + ")") % (
        st.median(xs), unit, min(xs), max(xs))

def mb(kbs):
    return "%.0f MB" % (max(kbs) / 1024) if kbs else ""

def met(value, target):
    return "met" if value is not None and value <= target else "MISSED"

rows = []
cold = [read("%s/cold-%d.txt" % (tmp, i)) for i in range(1, cold_runs + 1)]
warm = {c: [read("%s/warm-%s-%d.txt" % (tmp, c, r))
            for r in range(1, runs + 1)] for c in clients}
for c in clients if runs else []:	# the untimed round's errors count
    read("%s/warm-%s-0.txt" % (tmp, c))
first = {c: [r["pattern"]["row"] for r in warm[c] if "row" in r["pattern"]]
         for c in clients}
names = {"vger": "vger, first series row",
         "alot": alot_v + ", first thread line",
         "aerc-flat": aerc_v + " (notmuch, flat list), first line",
         "aerc-threads": aerc_v + " (notmuch, threading-enabled), "
                         "first thread line"}
vmed = st.median(first["vger"]) if first["vger"] else None
for c in clients:
    f = first[c]
    med = st.median(f) if f else None
    ratio = "%.1fx" % (med / vmed) if med and vmed else ""
    if c == "vger":
        ratio = "1.0x"
    hwm = [h for r in warm[c] for h in r["hwm"][:1]]
    target = ("0.15 s: " + met(med, 0.15)) if c == "vger" else ""
    rows.append((names[c] + " (warm)", spread(f), ratio, mb(hwm), target))
wm = [r["pattern"]["model"] for r in warm["vger"] if "model" in r["pattern"]]
rows.append(("vger, whole model in (warm)", spread(wm), "", "", ""))
cs = [r["pattern"]["status"] for r in cold if "status" in r["pattern"]]
cm = [r["pattern"]["model"] for r in cold if "model" in r["pattern"]]
rows.append(("vger cold: status line on screen", spread(cs), "", "",
             "0.2 s: " + met(st.median(cs) if cs else None, 0.2)))
rows.append(("vger cold: whole model in (\"N series, M messages\")",
             spread(cm), "", mb([h for r in cold for h in r["hwm"][:1]]),
             ""))

# Keys: the probe's steps in order against vger's trace, key by key.
labels = {"limit": "limit to the series (Enter; a notmuch query)",
          "open-series": "open the 30-patch series (Enter)",
          "move-j": "move over its patches (j)",
          "open-patch": "open the 2,000-line patch (Enter)",
          "page-Space": "page through it (Space)",
          "first-g": "to its top (g)", "last-G": "to its end (G)",
          "back-series": "back to the series (q)",
          "back-list": "back to the list (q)",
          "open-again": "open the series again (Enter)"}
inner, outer, key_hwm = {}, {}, []
for i in range(1, key_runs + 1):
    k = read("%s/keys-%d.txt" % (tmp, i))
    key_hwm += k["hwm"]
    trace = []	# (read, painted) per key
    pending = []
    for line in open("%s/trace-%d" % (tmp, i)):
        w = line.split()
        if w[0] == "key":
            pending.append(float(w[-1]))
        elif w[0] == "paint":
            trace += [(t, float(w[1])) for t in pending]
            pending = []
    at = 0
    for label, nkeys, secs in k["step"]:
        outer.setdefault(label, []).append(secs)
        for t in trace[at:at + nkeys]:
            inner.setdefault(label, []).append(t[1] - t[0])
        at += nkeys
    if at != len(trace):
        errors.append("keys-%d: %d keys sent, %d traced" %
                      (i, at, len(trace)))
for label, text in labels.items():
    if label not in inner:
        continue
    v, o = inner[label], outer[label]
    rows.append(("key: %s, %d key%s" % (text, len(v),
                                         "s" if len(v) > 1 else ""),
                 "%.1f ms (max %.1f); under tmux %.1f ms (max %.1f)" % (
                     st.median(v) * 1000, max(v) * 1000,
                     st.median(o) * 1000, max(o) * 1000), "", "",
                 "20 ms: " + met(max(v), 0.020)))
rows.append(("vger after the keys", "", "", mb(key_hwm),
             "300 MB: " + met(max(key_hwm) / 1024 if key_hwm else None,
                              300)))

print()
print("| %s messages, load %s | median (min–max) | vs vger | "
      "peak memory | target |" % (count, load_before))
print("|---|---:|---:|---:|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
if rtts:
    med = st.median(x[0] for x in rtts)
    print("%d warm rounds after an untimed one, %d cold, %d key runs; "
          "load %s before, %s after; %s, 160x50 pane; screen read at each "
          "output, one capture-pane round trip %.2f ms (median; max %.1f "
          "ms); peak memory is VmHWM once idle (max over runs)."
          % (runs, cold_runs, key_runs, load_before, load_after, tmux_v,
             med, max(x[1] for x in rtts)))
for e in errors:
    print(e if ": note: " in e else "error: " + e)
PY
