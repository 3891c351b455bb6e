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

# vger prints a byte that is no valid UTF-8 as \xNN (util/sbuf.h's
# sanitiser); the script prints it raw (it cuts a name inside a
# character now and then): the oracle's answer is shown the same way.
visible='$_ = Encode::encode("UTF-8", Encode::decode("UTF-8", $_,
	sub { sprintf "\\x%02x", $_[0] }))'
pass=0
fail=0
start=$(date +%s)
while read -r p; do
	(cd "$tree" && HOME="$tmp/home" perl scripts/get_maintainer.pl \
		--norolestats --nogit --nogit-fallback --nogit-chief-penguins \
		"$p" 2>/dev/null) | perl -MEncode -pe "$visible" |
		LC_ALL=C sort > "$tmp/a"
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
# Fixes: lines in a tree that is a git repository: the script adds the
# signers of the fixed commit (at most 5, not Linus, not those in
# .get_maintainer.ignore).  Five at most: with more, the script picks
# among equal counts in Perl's hash order, so the commit has five.
fx=$tmp/fixes-tree
"$srcdir/tests/maint/mktree.sh" "$fx" "$srcdir/tests/fixtures/MAINTAINERS.v7.1.3" \
	"$srcdir/tests/fixtures/maint/mailmap"
cp "$tree/scripts/get_maintainer.pl" "$fx/scripts/"
printf 'Ignored Person <ignored@example.org>\n# a comment\n' > "$fx/.get_maintainer.ignore"
mkdir -p "$fx/kernel/bpf"
echo 'int x;' > "$fx/kernel/bpf/core.c"
(
	cd "$fx"
	export GIT_AUTHOR_NAME="Fix Author" GIT_AUTHOR_EMAIL=fix.author@example.org
	export GIT_COMMITTER_NAME=Committer GIT_COMMITTER_EMAIL=c@example.org
	export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
	git init -q . && git add -f kernel/bpf/core.c
	git -c core.hooksPath=/dev/null commit -q -F - <<'MSG'
bpf: the commit that a fix fixes

Body text.

Reported-by: Not A Signer <reporter@example.org>
Signed-off-by: Fix Author <fix.author@example.org>
Reviewed-by: Ignored Person <ignored@example.org>
Acked-by: Linus Torvalds <torvalds@linux-foundation.org>
Acked-by: Someone Mapped <daniel@iogearbox.net>
  Reviewed-by: Indented Reviewer <indented@example.org>
Acked-by: Andrii Nakryiko <andrii.other@example.org>
Signed-off-by: Second Signer <second@example.org>
Signed-off-by: Fix Author <fix.author@example.org>
MSG
	git rev-parse --short=12 HEAD > .fixed
)
id=$(cat "$fx/.fixed")
for variant in one two; do
	p=$tmp/fixes-$variant.patch
	{
		printf 'From: A U Thor <author@example.org>\nSubject: [PATCH] bpf: fix it\n\n'
		printf 'Fix the thing.\n\nFixes: %s ("bpf: the commit that a fix fixes")\n' "$id"
		[ $variant = two ] && printf 'Fixes: 0123456789ab ("not there")\n'
		printf 'Signed-off-by: A U Thor <author@example.org>\n---\n'
		printf 'diff --git a/kernel/bpf/core.c b/kernel/bpf/core.c\n'
		printf -- '--- a/kernel/bpf/core.c\n+++ b/kernel/bpf/core.c\n'
		printf '@@ -1 +1 @@\n-int x;\n+int y;\n'
	} > "$p"
	(cd "$fx" && HOME="$tmp/home" perl scripts/get_maintainer.pl \
		--norolestats --nogit --nogit-fallback --nogit-chief-penguins \
		"$p" 2>/dev/null) | LC_ALL=C sort > "$tmp/a"
	"$vger" cc --root "$fx" "$p" 2>/dev/null | LC_ALL=C sort > "$tmp/b"
	if grep -q second@example.org "$tmp/a" && cmp -s "$tmp/a" "$tmp/b"; then
		echo "PASS: Fixes: signers ($variant)"
		pass=$((pass + 1))
	else
		echo "FAIL: Fixes: signers ($variant)"
		diff "$tmp/a" "$tmp/b" | sed 's/^/# /' | head -10
		fail=$((fail + 1))
	fi
done

echo "# oracle: $pass passed, $fail failed, $(( $(date +%s) - start )) s"
[ "$fail" -eq 0 ] && [ "$pass" -ge 200 ]
