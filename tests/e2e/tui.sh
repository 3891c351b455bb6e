#!/bin/bash
# The TUI end to end: the real vger under tmux on a fixture database
# (the synthetic threading cases, tests/fixtures/tui and the real BPF
# series of tests/fixtures/mail, one of them copied in backwards):
# start, scroll, limit, open a series (patches in 1/N..N/N order), read
# a patch, tag and untag (notmuch says), refresh after notmuch new adds
# a v2, resize, too small, quit with the terminal given back, start
# again after new mail.
. "$(dirname "$0")/lib.sh"
e2e_need_tmux
command -v notmuch >/dev/null ||
	{ echo "SKIP: notmuch not installed"; exit 77; }
VGER=$(realpath "${VGER:-./vger}")
fixtures=$(realpath "${top_srcdir:-.}/tests/fixtures")
export LC_ALL=C.UTF-8
e2e_tmp=$(mktemp -d /tmp/vger-e2e.XXXXXX)
trap e2e_cleanup EXIT

db=$e2e_tmp/mail
mkdir -p "$db/threading" "$db/series"
cp -R "$fixtures/threading/." "$db/threading/"
cp -R "$fixtures/tui/order" "$fixtures/tui/wide" "$db/"
# The Spectre series file by file, newest first: notmuch meets 11/11
# before 1/11 and the replies before what they answer.
spectre=2025-05-01_bpf-mitigate-spectre-v1-u
for s in "$fixtures"/mail/series/*/; do
	name=$(basename "$s")
	[ "$name" = $spectre ] || cp -R "$s" "$db/series/"
done
mkdir "$db/series/$spectre"
for f in $(ls -r "$fixtures/mail/series/$spectre"); do
	cp "$fixtures/mail/series/$spectre/$f" "$db/series/$spectre/"
done
e2e_notmuch_new "$db" || { echo "FAIL: notmuch new"; exit 1; }
tags_of() { e2e_nm search --output=tags "id:$1" | tr '\n' ' '; }

screen() { e2e_screen t; }
# The title bar: "[VIEW..." (a regular expression) and the position.
bar() { screen | grep -E "^\[$1.* $2\$" >/dev/null; }
# Lines of the pane holding each text, in the order given, ascending.
in_order() {
	local s last=0 n
	s=$(screen)
	for text in "$@"; do
		n=$(grep -nF -- "$text" <<<"$s" | head -1 | cut -d: -f1)
		[ -n "$n" ] && [ "$n" -gt "$last" ] || return 1
		last=$n
	done
}
no_text() { ! screen | grep -qF -- "$1"; }

vger="env TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null"
vger="$vger NOTMUCH_CONFIG=/dev/null VGER_NOW=2025-06-10"
vger="$vger XDG_CACHE_HOME=$e2e_tmp/cache $VGER --db $db"
e2e_shell t "$e2e_tmp"
e2e_wait t '$' 10
e2e_type t "echo BEFORE-VGER; $vger; echo \"[exit \$?]\""

# Start: the first screen shows series, then the whole model.
e2e_check "vger --db opens the series list" e2e_wait t "[series] all" 30
e2e_check "the model is read" e2e_wait t "18 series, 132 messages" 30
e2e_check "the first screen shows series" \
	in_order "bpf: Mitigate Spectre v1 using" "bpf: Order the quux"
e2e_check "the alternate screen is on" \
	test "$(e2e_pane t '#{alternate_on}')" = 1

# Scroll.
$T send-keys -t t j
e2e_check "j moves down" e2e_until 10 bar series 2/18
$T send-keys -t t G
e2e_check "G goes to the last series" e2e_until 10 bar series 18/18
$T send-keys -t t g
e2e_check "g goes back to the first" e2e_until 10 bar series 1/18

# Limit with a notmuch query.
$T send-keys -t t /
e2e_check "/ asks for a query" e2e_wait t "limit (notmuch query):" 10
$T send-keys -t t -l 'from:olga@example.org'
$T send-keys -t t Enter
e2e_check "the limit shows one series" \
	e2e_until 10 bar "series\] all & from:olga@example.org, by last" 1/1
e2e_check "the limit's series is the quux" e2e_wait t "bpf: Order the quux" 5

# Open it: the patches in order, though they arrived 3, 1, 2.
$T send-keys -t t Enter
e2e_check "Enter opens the series" e2e_until 10 bar "thread\] v1 of 1" 4/10
e2e_check "patches in 1/N..N/N order on screen" \
	in_order "[0/3] bpf: Order the quux" "[1/3] bpf: Add the quux map" \
	"[2/3] bpf: Walk the quux map" "[3/3] selftests/bpf: Test the quux map"
e2e_check "replies under their patch" \
	in_order "[1/3] bpf: Add the quux map" \
	"Alexei Starovoitov └─ Re: 1/3" \
	"[2/3] bpf: Walk the quux map" \
	"Rita Reviewer      └─ Re: 2/3" "[3/3]"
e2e_check "trailers beside their patch" \
	eval 'screen | grep -qE "\[1/3\] bpf: Add the quux map +A: ast\$" &&
	      screen | grep -qE "\[2/3\] bpf: Walk the quux map +R: rita\$"'

# Read a patch; J and K walk the thread.
$T send-keys -t t j Enter
e2e_check "Enter opens the patch" \
	e2e_wait t "Subject: [PATCH bpf-next 1/3] bpf: Add the quux map" 10
e2e_check "the pager shows its diff" e2e_wait t "+long quux1;" 5
e2e_check "the pager says where it is in the thread" \
	e2e_wait t "[message] 2/7 [PATCH bpf-next 1/3]" 5
# An added line in a colour (SGR 3x or 38;5;x) before its text.
if $T capture-pane -e -p -t t | grep -F "+long quux1;" |
	grep -q $'\e\\[[0-9;]*3[0-9;]*m+long'; then
	echo "PASS: the diff is coloured"
else
	echo "SKIP: the diff is coloured (NEEDSWORK: the pager colours" \
		"no diff yet)"
fi
$T send-keys -t t J
e2e_check "J: the next message in thread order" \
	e2e_wait t "From: Alexei Starovoitov <ast@kernel.org>" 10
e2e_check "J: its place in the thread" e2e_wait t "[message] 3/7 Re:" 5
$T send-keys -t t K
e2e_check "K: back to the patch" e2e_wait t "[message] 2/7 [PATCH" 10
e2e_check "the patch is read once opened" \
	e2e_until 10 eval '[ "$(tags_of order-1@example.org)" = "inbox " ]'

# Tag and untag; notmuch is the judge.
$T send-keys -t t F
e2e_check "F flags the message" e2e_wait t "message: +flagged on 1 message" 10
e2e_check "notmuch sees the flag" \
	test "$(tags_of order-1@example.org)" = "flagged inbox "
$T send-keys -t t F
e2e_check "F again unflags it" e2e_wait t "message: -flagged on 1 message" 10
e2e_check "notmuch sees no flag" \
	test "$(tags_of order-1@example.org)" = "inbox "
$T send-keys -t t +
e2e_check "+ asks for tags" e2e_wait t "tags (+add -remove): +" 10
$T send-keys -t t -l 'e2e-tag -inbox'
$T send-keys -t t Enter
e2e_check "+tag -tag apply" e2e_wait t "message: +e2e-tag -inbox on 1" 10
e2e_check "notmuch sees +e2e-tag -inbox" \
	test "$(tags_of order-1@example.org)" = "e2e-tag "
$T send-keys -t t -
$T send-keys -t t -l 'e2e-tag +inbox'
$T send-keys -t t Enter
e2e_check "-tag +tag apply" e2e_wait t "message: -e2e-tag +inbox on 1" 10
e2e_check "notmuch sees them gone" \
	test "$(tags_of order-1@example.org)" = "inbox "

# Back to the whole list, the cursor on the Spectre series.
$T send-keys -t t q q /
e2e_check "/ again shows the limit" \
	e2e_wait t "limit (notmuch query): from:olga@example.org" 10
$T send-keys -t t C-u Enter
e2e_check "an empty limit shows all, on the same series" \
	e2e_until 10 bar "series\] all, by last activity" 2/18
$T send-keys -t t k
first_is() { bar series 1/18 && e2e_line t 1 | grep -q "$1"; }
e2e_check "k: up to the Spectre series, first" \
	e2e_until 10 first_is "Mitigate Spectre"

# Refresh after notmuch new brings a v2 of the quux.
cp -R "$fixtures/tui/order-v2" "$db/"
e2e_nm new --quiet
$T send-keys -t t @
e2e_check "@ reads what is new" e2e_wait t "18 series, 136 messages" 30
e2e_check "the quux's v2 is on top" \
	eval 'e2e_line t 1 | grep -qE " v2 +3/3 .*bpf: Order the quux"'
e2e_check "the cursor stays on its series" e2e_until 10 bar series 2/18
$T send-keys -t t Enter
e2e_check "Enter opens the series under the cursor" \
	e2e_wait t "bpf: Mitigate Spectre v1 using barriers  Luis Gerhorst" 10
$T send-keys -t t q

# Resize, and too small.
$T resize-window -t t -x 60 -y 20
e2e_check "a resize redraws at 60x20" \
	e2e_until 10 eval 'e2e_line t 18 | grep -qE "^\[series\] all.* 2/18$"'
e2e_check "the banner is 60 columns" \
	eval '[ "$(e2e_line t 0 | sed "s/ *$//" | wc -m)" -eq 61 ]'
$T resize-window -t t -x 39 -y 9
e2e_check "below 40x10 it says the size needed" \
	e2e_wait t "vger needs 40x10; this is 39x9" 10
e2e_check "and nothing else" eval '! screen | grep -q "\[series\]"'
$T resize-window -t t -x 100 -y 30
e2e_check "big enough again: the list" \
	e2e_until 10 eval 'e2e_line t 28 | grep -qE "^\[series\] all.* 2/18$"'

# q quits: the shell's screen is back, the cursor visible.
$T send-keys -t t q
e2e_check "q quits with status 0" e2e_wait t "[exit 0]" 10
e2e_check "the shell's text is back" e2e_wait t "BEFORE-VGER" 5
e2e_check "nothing of vger is left on the screen" \
	eval 'no_text "[series]" && no_text "the quux" && no_text "bpf-next"'
e2e_check "the alternate screen is off" \
	test "$(e2e_pane t '#{alternate_on}')" = 0
e2e_check "the cursor is visible" test "$(e2e_pane t '#{cursor_flag}')" = 1
e2e_check "the keypad is back to normal" \
	test "$(e2e_pane t '#{keypad_flag}')" = 0

# New mail while vger was away: the first screen finds the cache stale
# (the ids file does not know the message) and the model is built
# from what that look found out (mail_model_load_cached()'s head, the
# loader's), with the new series in it.
e2e_check "the cache has its ids file" \
	eval 'ls "$e2e_tmp"/cache/vger/series-*/ids >/dev/null'
mkdir -p "$db/late"
cat >"$db/late/probe.eml" <<'EOF_MAIL'
From: Pat Probe <pat@example.org>
To: bpf@vger.kernel.org
Subject: [PATCH bpf-next] bpf: Add the late probe
Date: Mon, 09 Jun 2025 12:00:00 +0000
Message-ID: <late-probe-1@example.org>

The late probe.
---
 kernel/bpf/probe.c | 1 +
EOF_MAIL
e2e_nm new --quiet
$T send-keys -t t C-l
e2e_type t "$vger; echo \"[again \$?]\""
e2e_check "started again after new mail: the whole model" \
	e2e_wait t "19 series, 137 messages" 30
e2e_check "the new series is on top" \
	e2e_until 10 eval 'e2e_line t 1 | grep -q "bpf: Add the late probe"'
$T send-keys -t t q
e2e_check "q quits again with status 0" e2e_wait t "[again 0]" 10
exit $e2e_fail
