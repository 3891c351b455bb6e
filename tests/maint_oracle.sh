#!/bin/sh
# vger cc against the real scripts/get_maintainer.pl, run as the oracle
# in a real kernel tree: every patch must get the same set of addresses.
#
# The tree: $VGER_KERNEL_TREE, else /work/kernel/linux-source-6.1, else
# skipped (exit 77).  Debian's linux-source-6.1 package provides one:
#   mkdir -p /work/kernel && tar -C /work/kernel -xJf /usr/src/linux-source-6.1.tar.xz
# The patches: the real patches of tests/fixtures/maint/patches, single-
# file changes generated for $VGER_ORACLE_GEN (default 180) files spread
# over the whole tree, and the patches under $VGER_ORACLE_MAIL (a
# directory of mails) when it is set.  One PASS/FAIL line per patch.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
vger=${VGER:-./vger}
tree=${VGER_KERNEL_TREE:-/work/kernel/linux-source-6.1}
if [ ! -f "$tree/scripts/get_maintainer.pl" ] || [ ! -f "$tree/MAINTAINERS" ]; then
	echo "SKIP: no kernel tree at $tree (set VGER_KERNEL_TREE)"
	exit 77
fi
command -v perl >/dev/null 2>&1 || { echo "SKIP: no perl"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/gen"

# single-file changes spread over the tree (every k-th file, sorted)
ngen=${VGER_ORACLE_GEN:-180}
(cd "$tree" && find . -type f ! -path './.*' | sed 's|^\./||' | LC_ALL=C sort) > "$tmp/files"
total=$(wc -l < "$tmp/files")
step=$((total / (ngen > 0 ? ngen : 1)))
[ "$step" -ge 1 ] || step=1
awk -v s="$step" -v n="$ngen" 'NR % s == 1 && c < n { print "M " $0; c++ }' \
	"$tmp/files" > "$tmp/changes"
"$srcdir/tests/maint/gen-patches.sh" "$tmp/changes" "$tmp/gen" oracle

ls "$srcdir"/tests/fixtures/maint/patches/real-* "$tmp"/gen/* > "$tmp/list"
if [ -n "${VGER_ORACLE_MAIL:-}" ] && [ -d "$VGER_ORACLE_MAIL" ]; then
	grep -rl '^diff --git' "$VGER_ORACLE_MAIL" | LC_ALL=C sort >> "$tmp/list"
fi

pass=0
fail=0
start=$(date +%s)
while read -r p; do
	(cd "$tree" && HOME="$tmp/home" perl scripts/get_maintainer.pl \
		--norolestats --nogit --nogit-fallback --nogit-chief-penguins \
		"$p" 2>/dev/null) | LC_ALL=C sort > "$tmp/a"
	"$vger" cc --root "$tree" "$p" 2>/dev/null | LC_ALL=C sort > "$tmp/b"
	name=${p#"$srcdir"/}
	name=${name#"$tmp"/}
	if [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; then
		echo "PASS: $name"
		pass=$((pass + 1))
	else
		echo "FAIL: $name"
		diff "$tmp/a" "$tmp/b" | sed 's/^/# /' | head -10
		fail=$((fail + 1))
	fi
done < "$tmp/list"
echo "# oracle: $pass passed, $fail failed, $(( $(date +%s) - start )) s"
[ "$fail" -eq 0 ] && [ "$pass" -ge 200 ]
