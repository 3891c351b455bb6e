#!/bin/bash
# b4 am as the oracle of vger am: on real series from the list and the
# partial-reroll fixture, each indexed into a real notmuch database, the
# thread exported as b4 reads it (-m), both tools' mboxes split by git
# mailsplit and read by git mailinfo: author, date, subject, commit
# message (trailers in order) and patch must be the same.  Skipped
# without b4 (Debian's b4 package: install-deps.sh installs it).
set -u
command -v b4 >/dev/null || { echo "SKIP: b4 not installed"; exit 77; }
command -v notmuch >/dev/null || { echo "SKIP: notmuch not installed"; exit 77; }
top=${top_srcdir:-.}
vger=${VGER:-./vger}
tmp=$(mktemp -d /tmp/vger-am-oracle.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$tmp/gitconfig
mkdir -p "$HOME"
printf '[user]\n\tname = Test Maint\n\temail = maint@example.org\n[b4]\n\tattestation-policy = off\n' >"$GIT_CONFIG_GLOBAL"
pass=0 fail=0

# mailinfo_all MBOX DIR: what git mailinfo reads from each message.
mailinfo_all() {
	mkdir -p "$2"
	git mailsplit -o"$2" "$1" >/dev/null || return 1
	local m
	for m in "$2"/[0-9]*; do
		git mailinfo --encoding=UTF-8 "$m.msg" "$m.patch" <"$m" >"$m.info" || return 1
		rm "$m"
	done
}

# check NAME FIXTURE-DIR MESSAGE-ID [noname] [LINE]: LINE (a fixed
# string) is a trailer vger adds to every patch and b4 0.12 does not.
check() {
	local name=$1 dir=$2 id=$3 noname=${4:-} extra=${5:-} t=$tmp/$1
	mkdir -p "$t/mail" "$t/vger" "$t/b4"
	cp -R "$dir" "$t/mail/"
	printf '[database]\npath=%s/mail\n' "$t" >"$t/nm"
	NOTMUCH_CONFIG=$t/nm notmuch new --quiet
	thread=$(NOTMUCH_CONFIG=$t/nm notmuch search --output=threads "id:$id")
	NOTMUCH_CONFIG=$t/nm notmuch show --format=mbox "$thread" >"$t/thread.mbox"
	if ! "$vger" am --db "$t/mail" -o "$t/vger" "$id" >"$t/vger.log" 2>&1; then
		echo "FAIL: $name: vger am failed: $(cat "$t/vger.log")"; fail=$((fail + 1)); return
	fi
	# -t: cover letter trailers on every patch (newer b4 does it unasked)
	if ! b4 --offline-mode am -t -m "$t/thread.mbox" -o "$t/b4" "$id" >"$t/b4.log" 2>&1; then
		echo "FAIL: $name: b4 am failed: $(tail -3 "$t/b4.log")"; fail=$((fail + 1)); return
	fi
	local v b
	v=$(ls "$t"/vger/*.mbx) b=$(ls "$t"/b4/*.mbx)
	if [ -z "$noname" ] && [ "$(basename "$v")" != "$(basename "$b")" ]; then
		echo "FAIL: $name: named $(basename "$v"), b4 names it $(basename "$b")"; fail=$((fail + 1)); return
	fi
	mailinfo_all "$v" "$t/mv" && mailinfo_all "$b" "$t/mb" || {
		echo "FAIL: $name: git mailinfo failed"; fail=$((fail + 1)); return; }
	if [ -n "$extra" ]; then
		local m
		for m in "$t"/mv/*.msg; do
			if ! grep -qxF "$extra" "$m"; then
				echo "FAIL: $name: no \"$extra\" in $(basename "$m")"
				fail=$((fail + 1)); return
			fi
			grep -vxF "$extra" "$m" >"$m.x" && mv "$m.x" "$m"
		done
	fi
	if diff -r "$t/mv" "$t/mb" >"$t/diff"; then
		echo "PASS: $name: $(ls "$t"/mv/*.info | wc -l) patches as b4 am writes them"
		pass=$((pass + 1))
	else
		echo "FAIL: $name: differs from b4 am:"; head -20 "$t/diff"; fail=$((fail + 1))
	fi
}

fx=$top/tests/fixtures
check spectre "$fx/mail/series/2025-05-01_bpf-mitigate-spectre-v1-u" \
	20250501073603.1402960-1-luis.gerhorst@fau.de
check strdup "$fx/mail/series/2024-04-29_free-strdup-memory-in-sel" \
	$(sed -n 's/^Message-I[dD]: *<\(.*\)>.*/\1/p' "$fx/mail/series/2024-04-29_free-strdup-memory-in-sel/001.eml" | head -1)
check track "$fx/mail/series/2023-12-19_bpf-support-to-track-bpf" \
	$(sed -n 's/^Message-I[dD]: *<\(.*\)>.*/\1/p' "$fx/mail/series/2023-12-19_bpf-support-to-track-bpf/001.eml" | head -1)
# "[PATCH net-next,v4 0/9]": b4 takes "net-next,v4" for one word and
# the series for a v1, so only its name differs.
check refactor "$fx/mail/series/2022-09-16_refactor-duplicate-codes" \
	$(sed -n 's/^Message-I[dD]: *<\(.*\)>.*/\1/p' "$fx/mail/series/2022-09-16_refactor-duplicate-codes/001.eml" | head -1) \
	noname
# Not 2024-11-18_bpf-vsock-fix-poll-and-cl: b4 0.12 stops on one of its
# headers (Python's email "Header values may not contain linefeed").
check reroll "$fx/am/reroll" 20250306080000.1002-0-ana@example.org
# v2 in reply to v1's cover letter: v2's unchanged patch keeps v1's ack;
# replies in windows-1252 and ISO-8859-2, 8-bit.  b4 0.12 reads v2's
# cover letter as a reply (its "base-commit:" line counts as a trailer),
# so the Tested-by given on it goes up to v1's cover letter and into no
# patch; vger gives it to v2's patches, and only that differs.
check mixed "$fx/am/mixed" 20250310080000.3001-0-ana@example.org "" \
	"Tested-by: Łukasz Tester <lukasz@example.org>"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
