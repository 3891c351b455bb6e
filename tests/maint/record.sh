#!/bin/sh
# Record the expected output of the MAINTAINERS fixture tests from the
# real scripts/get_maintainer.pl (tests/check_maint.c compares vger's
# answers with it).  Run by hand after changing a fixture:
#
#   tests/maint/record.sh [KERNEL_TREE]
#
# KERNEL_TREE (default $VGER_KERNEL_TREE, else /work/kernel/linux-source-6.1)
# only provides scripts/get_maintainer.pl; the tree the script runs in
# is made by mktree.sh from the fixtures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fix=$(cd "$here/../fixtures" && pwd)
kernel=${1:-${VGER_KERNEL_TREE:-/work/kernel/linux-source-6.1}}
script=$kernel/scripts/get_maintainer.pl
[ -f "$script" ] || { echo "record.sh: no $script" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"

# the generated single-file changes
rm -f "$fix"/maint/patches/gen-*.patch
"$here/gen-patches.sh" "$fix/maint/changes.txt" "$fix/maint/patches" gen

run() {	# tree patch...
	(cd "$1" && shift && HOME="$tmp/home" perl scripts/get_maintainer.pl \
		--norolestats --nogit --nogit-fallback --nogit-chief-penguins \
		"$@")
}

for variant in full bpf; do
	case $variant in
	full) m=$fix/MAINTAINERS.v7.1.3 ;;
	bpf) m=$fix/MAINTAINERS-bpf-excerpt.txt ;;
	esac
	tree=$tmp/tree-$variant
	"$here/mktree.sh" "$tree" "$m" "$fix/maint/mailmap"
	mkdir -p "$tree/scripts"
	cp "$script" "$tree/scripts/get_maintainer.pl"
	out=$fix/maint/expected/$variant
	rm -rf "$out"
	mkdir -p "$out"
	for p in "$fix"/maint/patches/*; do
		name=${p##*/}
		run "$tree" "$p" > "$out/$name.out" 2> "$out/$name.err" || true
		[ -s "$out/$name.err" ] || rm -f "$out/$name.err"
	done
	# every real patch at once: one run over a whole set
	run "$tree" "$fix"/maint/patches/real-*.eml > "$out/ALL-real.out" 2>/dev/null
done
# without the .mailmap
tree=$tmp/tree-nomailmap
"$here/mktree.sh" "$tree" "$fix/MAINTAINERS.v7.1.3"
mkdir -p "$tree/scripts"
cp "$script" "$tree/scripts/get_maintainer.pl"
out=$fix/maint/expected/nomailmap
rm -rf "$out"
mkdir -p "$out"
for p in "$fix"/maint/patches/real-*.eml; do
	run "$tree" "$p" > "$out/${p##*/}.out" 2>/dev/null || true
done
echo "record.sh: recorded with $script"
