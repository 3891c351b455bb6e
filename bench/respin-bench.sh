#!/bin/sh
# Time `vger respin` against bare `git format-patch` on a 30-commit BPF
# series in a git import of a kernel tree, and check that both write the
# same files byte for byte.
#
#   bench/respin-bench.sh [KERNEL_SRC]
#
# KERNEL_SRC: a kernel source tree (default /work/kernel/linux-source-6.1,
# else /usr/src/linux-source-6.1 as unpacked from Debian's package).
# When it is a git repository already, it is used as it is (read only:
# the series is built in a copy's branch); otherwise the tree is copied
# into $BENCH_REPO (default ${TMPDIR:-/tmp}/vger-respin-bench) and
# imported as one commit.  VGER: the binary (default ./vger).  RUNS:
# timed runs per command (default 10).  Needs git; uses hyperfine when
# installed.
set -eu

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C
VGER=${VGER:-$(pwd)/vger}
RUNS=${RUNS:-10}
SRC=${1:-/work/kernel/linux-source-6.1}
[ -d "$SRC" ] || SRC=/usr/src/linux-source-6.1
REPO=${BENCH_REPO:-${TMPDIR:-/tmp}/vger-respin-bench}
G="git -C $REPO -c user.name=Bench -c user.email=bench@example.org"

if [ ! -d "$SRC/kernel/bpf" ]; then
	echo "SKIP: no kernel tree at $SRC (apt-get install linux-source-6.1)"
	exit 77
fi
if [ ! -x "$VGER" ]; then
	echo "SKIP: no vger binary at $VGER"
	exit 77
fi

if [ ! -d "$REPO/.git" ]; then
	echo "importing $SRC into $REPO (once) ..." >&2
	rm -rf "$REPO.tmp"
	if [ -d "$SRC/.git" ]; then
		git clone -q --shared "$SRC" "$REPO.tmp"
	else
		cp -r "$SRC" "$REPO.tmp"
		git -C "$REPO.tmp" init -q -b master
		# Debian's packaging ignores "/*": add everything anyway
		git -C "$REPO.tmp" add -A -f .
		GIT_COMMITTER_DATE='@1700000000 +0000' \
		GIT_AUTHOR_DATE='@1700000000 +0000' \
		git -C "$REPO.tmp" -c user.name=Import \
			-c user.email=import@example.org \
			commit -q -m "Linux 6.1 (imported source)"
		git -C "$REPO.tmp" repack -adq
	fi
	mv "$REPO.tmp" "$REPO"
fi

# The series: 30 commits over kernel/bpf, net, arch/*/net, include/uapi,
# tools/lib/bpf and the selftests, each changing lines inside functions.
if ! $G rev-parse -q --verify refs/heads/bench-series >/dev/null; then
	$G checkout -q -B bench-series master
	set -- kernel/bpf/verifier.c kernel/bpf/syscall.c kernel/bpf/btf.c \
		kernel/bpf/helpers.c kernel/bpf/core.c kernel/bpf/hashtab.c \
		net/core/filter.c net/core/sock_map.c net/ipv4/tcp_bpf.c \
		net/xdp/xsk.c arch/x86/net/bpf_jit_comp.c \
		arch/arm64/net/bpf_jit_comp.c arch/riscv/net/bpf_jit_comp64.c \
		include/uapi/linux/bpf.h tools/include/uapi/linux/bpf.h \
		include/linux/bpf.h include/linux/filter.h \
		tools/lib/bpf/libbpf.c tools/lib/bpf/bpf.c tools/lib/bpf/btf.c \
		tools/lib/bpf/libbpf.h \
		tools/testing/selftests/bpf/test_verifier.c \
		tools/testing/selftests/bpf/test_progs.c \
		tools/testing/selftests/bpf/prog_tests/xdp.c \
		tools/testing/selftests/bpf/progs/test_xdp.c \
		tools/bpf/bpftool/prog.c tools/bpf/bpftool/map.c \
		net/bpf/test_run.c kernel/trace/bpf_trace.c \
		net/core/bpf_sk_storage.c
	i=0
	for f in "$@"; do
		i=$((i + 1))
		[ -f "$REPO/$f" ] || { echo "missing $f" >&2; exit 1; }
		n=$(wc -l < "$REPO/$f")
		# change a line in the middle, add two, drop one near the end
		awk -v m=$((n / 2)) -v e=$((n - n / 5)) -v i=$i '
			NR == m { print $0 " /* bench " i " */"; next }
			NR == m + 7 { print; print "\t/* added by the bench, " i " */"; print ""; next }
			NR == e && length($0) == 0 { next }
			{ print }' "$REPO/$f" > "$REPO/$f.new"
		mv "$REPO/$f.new" "$REPO/$f"
		if [ $((i % 3)) -eq 0 ]; then
			extra=tools/testing/selftests/bpf/prog_tests/bench_$i.c
			printf '// SPDX-License-Identifier: GPL-2.0\n#include <test_progs.h>\n\nvoid test_bench_%d(void)\n{\n\tASSERT_OK(0, "bench");\n}\n' $i > "$REPO/$extra"
			$G add -f "$extra"
		fi
		GIT_COMMITTER_DATE="@$((1700000000 + i * 60)) +0000" \
		GIT_AUTHOR_DATE="@$((1700000000 + i * 60)) +0000" \
		$G commit -q -a -m "bpf: bench change $i in $(basename "$f")

Change one line, add two and remove one, so that the patch has hunks
inside functions (the cpp diff driver of the kernel's .gitattributes).

Signed-off-by: Bench <bench@example.org>"
	done
fi

OUT=${TMPDIR:-/tmp}/vger-respin-bench-out
rm -rf "$OUT"
mkdir -p "$OUT"
range=master..bench-series
sig=vger-bench
GFP="git -C $REPO -c user.name=Bench -c user.email=bench@example.org format-patch -q --cover-letter -v3 --subject-prefix='PATCH bpf-next' --signature=$sig"
FP="$GFP --to=bpf@vger.kernel.org -o $OUT/git $range"
VR="cd $REPO && $VGER respin $range -v3 --tree bpf-next --cover-letter --no-trailers --signature=$sig --force -o $OUT/vger"
GM="cd $REPO && perl scripts/get_maintainer.pl --norolestats --nogit --nogit-fallback --nogit-chief-penguins $OUT/git/v3-00[0-9][1-9]-*.patch $OUT/git/v3-00[1-9]0-*.patch"

# Equality first.  vger respin adds the tree's list and the addresses
# MAINTAINERS gives (as vger cc does) to To:/Cc:; git is given the same
# with --to/--cc, so every file must then be the same byte for byte (the
# cover letter's Date: is the wall clock in both).
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
sh -c "$FP"
sh -c "$VR" >/dev/null 2>&1
patches=$(ls "$OUT"/git/v3-*.patch | grep -v -- '-0000-')
args=--to=bpf@vger.kernel.org
while IFS= read -r a; do args="$args
--to=$a"; done <<EOF2
$(cd "$REPO" && $VGER cc --to $patches)
EOF2
while IFS= read -r a; do
	[ "$a" = bpf@vger.kernel.org ] || args="$args
--cc=$a"
done <<EOF2
$(cd "$REPO" && $VGER cc --cc $patches)
EOF2
rm -rf "$OUT/git-cc"
(IFS='
'; git -C "$REPO" -c user.name=Bench -c user.email=bench@example.org \
	format-patch -q --cover-letter -v3 --subject-prefix='PATCH bpf-next' \
	--signature=$sig $args -o "$OUT/git-cc" $range)
if diff -r -I '^Date: ' "$OUT/git-cc" "$OUT/vger" >"$OUT/diff.txt"; then
	echo "PASS: vger respin files identical to git format-patch with the same To/Cc ($(ls "$OUT/git-cc" | wc -l) files, $(grep -c '' <<EOF2
$args
EOF2
) recipients)"
else
	echo "FAIL: vger respin differs from git format-patch (see $OUT/diff.txt)"
fi

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -w 2 -r "$RUNS" --export-markdown "$OUT/times.md" \
		-n "git format-patch" "sh -c \"rm -rf $OUT/git; $FP\"" \
		-n "vger respin (format + Cc + checks)" "sh -c \"$VR\"" \
		-n "get_maintainer.pl on the 30 patches" "sh -c \"$GM\"" >&2
	cat "$OUT/times.md"
else
	for cmd in "$FP" "$VR" "$GM"; do
		start=$(date +%s%N)
		for _ in $(seq "$RUNS"); do sh -c "rm -rf $OUT/git; $cmd" >/dev/null 2>&1; done
		end=$(date +%s%N)
		echo "$(( (end - start) / RUNS / 1000000 )) ms: $cmd"
	done
fi
