#!/bin/sh
# vger cc against scripts/get_maintainer.pl on a real kernel tree.
#
# Imports Debian's linux-source-6.1 into a git repository (once; cached
# in $VGER_BENCH_TREE, default /work/kernel/linux-6.1-git, or
# bench/out/linux-6.1-git when /work/kernel does not exist), makes a
# 30-commit BPF series touching kernel/bpf, net/, arch/*/net,
# include/uapi, tools/lib/bpf and the selftests, writes it with
# git format-patch, and times side by side:
#   - get_maintainer.pl once per patch (what b4 and most scripts do),
#   - get_maintainer.pl once over all 30 patches,
#   - vger cc over the 30 patch files, and over the commit range,
#   - both on one patch (hyperfine when installed),
# then checks that every patch gets the same set of addresses.
#
# usage: bench/cc-bench.sh [VGER-BINARY]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
vger=${1:-${VGER:-$here/../vger}}
vger=$(cd "$(dirname "$vger")" && pwd)/$(basename "$vger")
if [ -d /work/kernel ]; then
	default_tree=/work/kernel/linux-6.1-git
else
	default_tree=$here/out/linux-6.1-git
fi
tree=${VGER_BENCH_TREE:-$default_tree}
out=$here/out/cc
GM="--norolestats --nogit --nogit-fallback --nogit-chief-penguins"
export HOME="$here/out/home"	# no ~/.get_maintainer.conf
mkdir -p "$HOME" "$out"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# 1. the kernel tree as a git repository
if [ ! -d "$tree/.git" ]; then
	echo "cc-bench: importing linux-source-6.1 into $tree (once)"
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	if [ -d /work/kernel/linux-source-6.1/kernel ]; then
		cp -a /work/kernel/linux-source-6.1/. "$tree.tmp/"
	else
		src=/usr/src/linux-source-6.1.tar.xz
		[ -f "$src" ] || {
			echo "cc-bench: install linux-source-6.1 (VGER_DEPS_KERNEL=1 ./install-deps.sh)" >&2
			exit 77
		}
		tar -C "$tree.tmp" --strip-components=1 -xJf "$src"
	fi
	(
		cd "$tree.tmp"
		git init -q -b master
		git add -A -f .
		git -c user.name=bench -c user.email=bench@example.org \
			commit -q -m "Linux 6.1 (Debian linux-source-6.1)"
	)
	mv "$tree.tmp" "$tree"
fi

# 2. the series: 30 commits on branch vger-bench
files="kernel/bpf/verifier.c kernel/bpf/syscall.c kernel/bpf/core.c
kernel/bpf/btf.c kernel/bpf/helpers.c kernel/bpf/hashtab.c
kernel/bpf/arraymap.c kernel/bpf/trampoline.c net/core/filter.c
net/core/sock_map.c net/core/xdp.c net/ipv4/tcp_bpf.c net/bpf/test_run.c
net/xdp/xsk.c arch/x86/net/bpf_jit_comp.c arch/arm64/net/bpf_jit_comp.c
arch/riscv/net/bpf_jit_comp64.c arch/s390/net/bpf_jit_comp.c
arch/powerpc/net/bpf_jit_comp.c include/uapi/linux/bpf.h
include/linux/bpf.h include/linux/filter.h tools/include/uapi/linux/bpf.h
tools/lib/bpf/libbpf.c tools/lib/bpf/btf.c tools/lib/bpf/bpf.c
tools/testing/selftests/bpf/test_verifier.c
tools/testing/selftests/bpf/progs/test_xdp.c
tools/testing/selftests/bpf/prog_tests/xdp.c tools/bpf/bpftool/prog.c"
cd "$tree"
if ! git rev-parse -q --verify refs/heads/vger-bench >/dev/null; then
	git checkout -q -B vger-bench master
	i=0
	for f in $files; do
		i=$((i + 1))
		printf '/* vger bench change %d */\n' "$i" >> "$f"
		git add -f "$f"
		git -c user.name="A U Thor" -c user.email=author@example.org \
			commit -q -m "bpf: bench change $i to ${f##*/}

Make a small change to $f for the vger cc benchmark.

Signed-off-by: A U Thor <author@example.org>"
	done
	git checkout -q master
fi
rm -rf "$out/patches"
git format-patch -q -o "$out/patches" master..vger-bench
set -- "$out"/patches/*.patch
n=$#
one=$1
echo "cc-bench: $n patches in $tree ($(git rev-parse --short vger-bench))"

# 3. timings
res=$out/res
rm -rf "$res"
mkdir -p "$res"
t0=$(now)
for p in "$@"; do
	perl scripts/get_maintainer.pl $GM "$p" > "$res/${p##*/}.gm" 2>/dev/null
done
t1=$(now)
perl scripts/get_maintainer.pl $GM "$@" > "$res/all.gm" 2>/dev/null
t2=$(now)
for p in "$@"; do
	"$vger" cc --root "$tree" "$p" > "$res/${p##*/}.vger" 2>/dev/null
done
t3=$(now)
"$vger" cc --root "$tree" "$@" > "$res/all.vger" 2>/dev/null
t4=$(now)
"$vger" cc --root "$tree" master..vger-bench > "$res/range.vger" 2>/dev/null
t5=$(now)

gm_each=$(ms "$t0" "$t1")
gm_all=$(ms "$t1" "$t2")
v_each=$(ms "$t2" "$t3")
v_all=$(ms "$t3" "$t4")
v_range=$(ms "$t4" "$t5")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 1) b = 1; printf "%.0fx", a / b }'; }
echo "get_maintainer.pl, once per patch ($n runs):  ${gm_each} ms"
echo "get_maintainer.pl, all $n patches in one run:  ${gm_all} ms"
echo "vger cc, once per patch ($n runs):            ${v_each} ms   ($(ratio "$gm_each" "$v_each") faster)"
echo "vger cc, all $n patch files in one run:        ${v_all} ms   ($(ratio "$gm_all" "$v_all") faster than one run, $(ratio "$gm_each" "$v_all") than per patch)"
echo "vger cc master..vger-bench (libgit2):          ${v_range} ms   ($(ratio "$gm_all" "$v_range") faster than one run)"
echo "vger cc's own work (--stats), one patch and all $n:"
"$vger" cc --stats --root "$tree" "$one" 2>&1 >/dev/null | sed 's/^/  /'
"$vger" cc --stats --root "$tree" "$@" 2>&1 >/dev/null | sed 's/^/  /'

# 4. one patch
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 2 --runs "${VGER_BENCH_RUNS:-10}" --style basic \
		--export-markdown "$out/single.md" \
		"perl scripts/get_maintainer.pl $GM $one" \
		"$vger cc --root $tree $one" 2>&1 | grep -E 'Time|faster|Benchmark' || true
else
	t0=$(now)
	perl scripts/get_maintainer.pl $GM "$one" >/dev/null 2>&1
	t1=$(now)
	"$vger" cc --root "$tree" "$one" >/dev/null 2>&1
	t2=$(now)
	echo "one patch: get_maintainer.pl $(ms "$t0" "$t1") ms, vger cc $(ms "$t1" "$t2") ms"
fi

# 5. the same addresses
bad=0
same() {	# expected got what
	LC_ALL=C sort "$1" > "$1.sorted"
	LC_ALL=C sort "$2" > "$2.sorted"
	if ! cmp -s "$1.sorted" "$2.sorted"; then
		echo "DIFFERENT: $3"
		diff "$1.sorted" "$2.sorted" | head -5
		bad=$((bad + 1))
	fi
}
for p in "$@"; do
	same "$res/${p##*/}.gm" "$res/${p##*/}.vger" "${p##*/}"
done
same "$res/all.gm" "$res/all.vger" "all patches in one run"
same "$res/all.gm" "$res/range.vger" "the range"
if [ "$bad" -eq 0 ]; then
	echo "cc-bench: identical address sets for all $n patches, the whole set and the range"
else
	echo "cc-bench: $bad differences" >&2
	exit 1
fi
