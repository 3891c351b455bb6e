#!/bin/sh
# Write one git-format-patch-like mail per line of a change list, for
# the MAINTAINERS tests: "M path", "A path", "D path", "R old new" or
# "X path" (mode change).  The file contents are made up: only the
# paths and the mail text matter to get_maintainer.pl and vger cc.
#
# usage: gen-patches.sh LIST OUTDIR [PREFIX]
set -eu
list=$1
out=$2
prefix=${3:-gen}
mkdir -p "$out"
n=0
while read -r kind a b; do
	case $kind in ''|'#'*) continue ;; esac
	n=$((n + 1))
	f=$(printf '%s/%s-%03d.patch' "$out" "$prefix" "$n")
	base=${a##*/}
	{
		printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
		printf 'From: A U Thor <author@example.org>\n'
		printf 'Date: Tue, 24 Nov 2026 00:00:00 +0000\n'
		printf 'Subject: [PATCH] %s: change %s\n\n' "${a%/*}" "$base"
		printf 'A generated change to %s for the MAINTAINERS tests.\n\n' "$base"
		printf 'Signed-off-by: A U Thor <author@example.org>\n---\n'
		case $kind in
		R) printf ' %s => %s | 0\n' "$a" "$b" ;;
		*) printf ' %s | 1 +\n' "$a" ;;
		esac
		printf ' 1 file changed, 1 insertion(+)\n'
		case $kind in
		A) printf ' create mode 100644 %s\n' "$a" ;;
		D) printf ' delete mode 100644 %s\n' "$a" ;;
		X) printf ' mode change 100644 => 100755 %s\n' "$a" ;;
		R) printf ' rename %s => %s (100%%)\n' "$a" "$b" ;;
		esac
		printf '\n'
		case $kind in
		M)
			printf 'diff --git a/%s b/%s\n' "$a" "$a"
			printf 'index 1111111..2222222 100644\n'
			printf -- '--- a/%s\n+++ b/%s\n' "$a" "$a"
			printf '@@ -1,1 +1,2 @@\n first line\n+second line\n'
			;;
		A)
			printf 'diff --git a/%s b/%s\n' "$a" "$a"
			printf 'new file mode 100644\nindex 0000000..2222222\n'
			printf -- '--- /dev/null\n+++ b/%s\n' "$a"
			printf '@@ -0,0 +1 @@\n+new line\n'
			;;
		D)
			printf 'diff --git a/%s b/%s\n' "$a" "$a"
			printf 'deleted file mode 100644\nindex 1111111..0000000\n'
			printf -- '--- a/%s\n+++ /dev/null\n' "$a"
			printf '@@ -1 +0,0 @@\n-old line\n'
			;;
		X)
			printf 'diff --git a/%s b/%s\n' "$a" "$a"
			printf 'old mode 100644\nnew mode 100755\n'
			;;
		R)
			printf 'diff --git a/%s b/%s\n' "$a" "$b"
			printf 'similarity index 100%%\n'
			printf 'rename from %s\nrename to %s\n' "$a" "$b"
			;;
		esac
		printf -- '-- \n2.39.2\n\n'
	} > "$f"
done < "$list"
