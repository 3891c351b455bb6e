#!/bin/bash
# Remake the seeds of the cache_records, cache_listing and cache_groups
# fuzz targets
# from the caches vger writes for the fixture mail.  Run it after a
# change of either cache's format: tests/check_mail.c's
# fuzz_cache_seeds_are_current fails until then, because a seed of an
# old format is refused at its first line and the fuzzer would never
# get past it.
#
#   fuzz/corpus/make-cache-seeds.sh [VGER]     (in a built tree)
#
# Seeds: the records and the listing of a first batch (-full), of a
# second batch added to it (records with an appended segment, the
# listing with the patch the update wrote beside it, after a NUL byte:
# -patch), each (the patch) cut in a line (-torn), the records' first
# 40 and last 10 lines, and the listing's header with one series line;
# the groups file of each batch, the second's also cut short.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
vger=$(realpath "${1:-$top/vger}")
fix=$top/tests/fixtures/mail
rec=$top/fuzz/corpus/cache_records
lis=$top/fuzz/corpus/cache_listing
grp=$top/fuzz/corpus/cache_groups
tmp=$(mktemp -d /tmp/vger-seeds.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 TZ=UTC
export NOTMUCH_CONFIG=$tmp/notmuch-config XDG_CACHE_HOME=$tmp/cache
mkdir -p "$tmp/mail"
printf '[database]\npath=%s/mail\n[new]\ntags=unread\n' "$tmp" >"$NOTMUCH_CONFIG"

cache() {
	notmuch new --quiet
	"$vger" series --db "$tmp/mail" >/dev/null
	dir=$(echo "$tmp"/cache/vger/series-*)
}

# A line of a file cut in two.
torn() {
	head -c $(($(stat -c %s "$1") / 3)) "$1" >"$2"
}

# The listing's header with no pulls and one series line (line N).
one_line() {
	local src=$1 n=$2 out=$3
	awk -v n="$n" 'NR == 1 { $5 = 0; $6 = 1; print; next }
		NR == n { print }' "$src" >"$out"
}

mkdir -p "$grp"
rm -f "$rec"/rec-* "$lis"/listing-* "$grp"/groups-*
cp -R "$fix/series" "$fix/pulls" "$fix/bot-notices" "$tmp/mail/"
cache
cp "$dir/records" "$rec/rec-full"
cp "$dir/series.jsonl" "$lis/listing-full"
cp "$dir/groups" "$grp/groups-full"
cp -R "$fix/single" "$fix/pw-bot-commands" "$tmp/mail/"
cache
if ! grep -q '^vger-append ' "$dir/records"; then
	echo "make-cache-seeds: the second batch was not appended" >&2
	exit 1
fi
if [ ! -f "$dir/series.jsonl.patch" ]; then
	echo "make-cache-seeds: the second batch did not patch the listing" >&2
	exit 1
fi
cp "$dir/records" "$rec/rec-appended"
# The listing is the first batch's, the patch beside it what changed.
{ cat "$dir/series.jsonl"; printf '\0'; cat "$dir/series.jsonl.patch"; } \
	>"$lis/listing-2-patch"
torn "$dir/series.jsonl.patch" "$tmp/patch-torn"
{ cat "$dir/series.jsonl"; printf '\0'; cat "$tmp/patch-torn"; } \
	>"$lis/listing-2-patch-torn"
cp "$dir/groups" "$grp/groups-2"
torn "$grp/groups-2" "$grp/groups-2-torn"

for r in full appended; do
	torn "$rec/rec-$r" "$rec/rec-$r-torn"
	head -n 40 "$rec/rec-$r" >"$rec/rec-$r-head40"
	{ head -n 1 "$rec/rec-$r"; tail -n 10 "$rec/rec-$r"; } \
		>"$rec/rec-$r-tail"
done
for l in full; do
	torn "$lis/listing-$l" "$lis/listing-$l-torn"
	pulls=$(head -n 1 "$lis/listing-$l" | cut -d' ' -f5)
	lines=$(wc -l <"$lis/listing-$l")
	for n in $(seq $((pulls + 2)) 3 "$lines"); do
		one_line "$lis/listing-$l" "$n" \
			"$lis/listing-$l-line$(printf %02d $((n - pulls - 1)))"
	done
done
echo "make-cache-seeds: $(ls "$rec" | wc -l) records seeds," \
	"$(ls "$lis" | grep -c listing-) listing seeds," \
	"$(ls "$grp" | grep -c groups-) groups seeds"
