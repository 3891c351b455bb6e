#!/bin/bash
# Benchmark vger am against the raw export it replaces.
#
#   bench/am-bench.sh [MESSAGES]      (default 200000)
#
# Uses the corpus the benchmarks share, bench/out/series-N (made by
# bench/corpus-lib.sh when missing), adds one 30-patch series with its
# reviews (a cover letter, 30 patches, an ack on each patch and five
# replies to the cover letter; written by this script, indexed by an
# incremental `notmuch new`, taken out again at the end), then times
# warm, in one run:
#   - vger am on that series (the thread read from notmuch, every
#     message file parsed, the trailers collected, the mbox written);
#   - notmuch show --format=mbox thread:... > file, the raw export;
#   - vger am --help: vger's process start alone, for scale.
# Needs hyperfine (install-deps.sh installs it).
set -euo pipefail

n=${1:-200000}
top=$(cd "$(dirname "$0")/.." && pwd)
vger=${VGER:-$top/vger}
gen=${GEN_CORPUS:-$top/bench/gen-corpus}
runs=${RUNS:-20}

for t in hyperfine notmuch python3 /usr/bin/time "$vger" "$gen"; do
	command -v "$t" >/dev/null || { echo "bench: $t missing (make; ./install-deps.sh)" >&2; exit 1; }
done

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 TZ=UTC
out=$top/bench/out/series-$n
. "$top/bench/corpus-lib.sh"
GEN_CORPUS=$gen bench_corpus "$out" "$n"
db=$out/mail
series=$db/am-bench-30
cover_id=am-bench-30-0@example.org
# Put the corpus back as the other benchmarks expect it.
cleanup() {
	rm -rf "$series" "${tmp:-}"
	notmuch new --quiet
}
trap cleanup EXIT
rm -rf "$series"
if :; then
	python3 - "$series" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(d)
n = 30
def mail(i, mid, subj, frm, date, body, irt=None):
    h = ["From: %s" % frm, "To: bpf@vger.kernel.org", "Subject: %s" % subj,
         "Date: %s" % date, "Message-ID: <%s>" % mid]
    if irt:
        h += ["In-Reply-To: <%s>" % irt, "References: <am-bench-30-0@example.org> <%s>" % irt]
    h += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
          "Content-Transfer-Encoding: 8bit"]
    open(os.path.join(d, "%03d.eml" % i), "w").write("\n".join(h) + "\n\n" + body)
author = "Bench Author <bench@example.org>"
mail(0, "am-bench-30-0@example.org", "[PATCH bpf-next v2 00/30] bench: A thirty patch series",
     author, "Mon, 05 Jan 2026 10:00:00 +0000",
     "Thirty patches to time vger am.\n\nbase-commit: 0123456789abcdef0123456789abcdef01234567\n")
for i in range(1, n + 1):
    body = "Patch %d of the bench series.\n\nSigned-off-by: %s\n---\n" % (i, author)
    body += " f%d.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n" % i
    body += "diff --git a/f%d.c b/f%d.c\nindex 1111111..2222222 100644\n--- a/f%d.c\n+++ b/f%d.c\n" % (i, i, i, i)
    body += "@@ -1,3 +1,3 @@\n int f%d(void)\n-\treturn 0;\n+\treturn %d;\n }\n-- \n2.47.0\n" % (i, i)
    mail(i, "am-bench-30-%d@example.org" % i,
         "[PATCH bpf-next v2 %02d/30] bench: Make f%d return %d" % (i, i, i),
         author, "Mon, 05 Jan 2026 10:00:%02d +0000" % i, body, "am-bench-30-0@example.org")
for i in range(1, n + 1):
    mail(100 + i, "am-bench-30-r%d@example.org" % i,
         "Re: [PATCH bpf-next v2 %02d/30] bench: Make f%d return %d" % (i, i, i),
         "Rev Iewer <rev@example.org>", "Tue, 06 Jan 2026 10:%02d:00 +0000" % i,
         "> Patch %d of the bench series.\n\nAcked-by: Rev Iewer <rev@example.org>\n" % i,
         "am-bench-30-%d@example.org" % i)
for k in range(5):
    mail(200 + k, "am-bench-30-c%d@example.org" % k,
         "Re: [PATCH bpf-next v2 00/30] bench: A thirty patch series",
         "Maint %d <maint%d@example.org>" % (k, k), "Wed, 07 Jan 2026 10:0%d:00 +0000" % k,
         "Looks good.\n\nReviewed-by: Maint %d <maint%d@example.org>\n" % (k, k),
         "am-bench-30-0@example.org")
PY
	notmuch new --quiet
fi
thread=$(notmuch search --output=threads "id:$cover_id")
nmsg=$(notmuch count "$thread")
total=$(notmuch count '*')
tmp=$(mktemp -d /tmp/vger-am-bench.XXXXXX)
echo "bench: $total messages; the series' thread has $nmsg"

# vger's start alone (loading its libraries), for scale.
hyperfine -N -w 3 -r "$runs" --export-json "$tmp/am.json" \
	-n 'vger am (30 patches)' "$vger am --db $db -o $tmp/out $cover_id" \
	-n 'vger am --help' "$vger am --help" \
	-n 'notmuch show --format=mbox' \
	"sh -c 'notmuch show --format=mbox $thread > $tmp/raw.mbox'" >"$tmp/am.txt"
cat "$tmp/am.txt"
python3 - "$tmp/am.json" "$total" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
v, s = res["vger am (30 patches)"], res["notmuch show --format=mbox"]
h = res["vger am --help"]
print()
print(f"| {sys.argv[2]} messages | mean | min..max | vs the raw export |")
print("|---|---:|---:|---:|")
print(f"| vger am, 30-patch series, warm | {v['mean']*1000:.1f} ms | "
      f"{v['min']*1000:.1f}..{v['max']*1000:.1f} ms | {v['mean']/s['mean']:.2f}x |")
print(f"| notmuch show --format=mbox thread:... > file | {s['mean']*1000:.1f} ms | "
      f"{s['min']*1000:.1f}..{s['max']*1000:.1f} ms | 1.00x |")
print(f"| vger am --help (the process start alone) | {h['mean']*1000:.1f} ms | "
      f"{h['min']*1000:.1f}..{h['max']*1000:.1f} ms | {h['mean']/s['mean']:.2f}x |")
PY
