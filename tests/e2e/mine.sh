#!/bin/bash
# Your own series tied to their branches (issue 14, item 7), the merge
# window's RFC question from the TUI, and :stable on a tree with stable
# branches.  A small kernel tree: v1 of branch quux is respun and sent
# by the command line (which tags it vger/quux-v1), its messages go
# into notmuch, and master is checked out.  In the mine view (2) the
# series shows its branch; R respins quux, not master, without
# touching the work tree; in the 6.13 merge window it asks about an
# RFC (no, then yes) and S asks about the closed tree, then sends.  A
# series of yours that vger did not send has no branch: R says so.
# Then :stable on a fix that linux-6.6.y carries as a backport,
# linux-6.12.y lacks and linux-6.1.y never needed (it has no bug).
. "$(dirname "$0")/lib.sh"
e2e_mail_setup

received=$e2e_tmp/smtp
e2e_smtpd "$received"
e2e_git_user

repo=$e2e_tmp/linux
e2e_kernel_tree "$repo"
core=$repo/kernel/bpf/core.c
commit() {
	git -C "$repo" commit -qam "$1

$2

Signed-off-by: Test User <test@example.org>"
	git -C "$repo" rev-parse HEAD
}
echo 'int a;' >"$core"
git -C "$repo" add -A
initial=$(commit "bpf: Start the core" "The core starts here.")
git -C "$repo" branch linux-6.1.y
echo 'int b;' >>"$core"
bug=$(commit "bpf: Add b to the core" "The core needs b.")
git -C "$repo" branch linux-6.6.y
git -C "$repo" branch linux-6.12.y
echo 'int b = 1;' >>"$core"
fix=$(commit "bpf: Fix b in the core" \
	"b was never set.

Fixes: ${bug:0:12} (\"bpf: Add b to the core\")")
# 6.6 has the backport, as stable backports say it; 6.12 has not.
git -C "$repo" checkout -q linux-6.6.y
echo 'int b = 1;' >>"$core"
backport=$(commit "bpf: Fix b in the core" "commit $fix upstream.

b was never set.")
git -C "$repo" checkout -q linux-6.12.y
echo 'int e;' >"$repo/kernel/bpf/other.c"
git -C "$repo" add -A
commit "bpf: Add other" "Something else." >/dev/null
# quux: two commits on master, its cover letter, v1 sent by the CLI.
git -C "$repo" checkout -q master
git -C "$repo" checkout -qb quux
for n in c d; do
	echo "int $n;" >>"$core"
	commit "bpf: Add $n to the core" "The quux map needs $n." >/dev/null
done
git -C "$repo" config vger.base master
git -C "$repo" config vger.tree bpf-next
e2e_cover_letter "$repo" "bpf: Add c and d to the core

The quux map needs both." || { echo "FAIL: vger respin --edit-cover"; exit 1; }
cli="env TZ=UTC NOTMUCH_CONFIG=/dev/null VGER_NOW=2025-06-10 $VGER"
(cd "$repo" && $cli respin && $cli send -y outgoing/quux-v1) \
	>"$e2e_tmp/cli.out" 2>&1 ||
	{ cat "$e2e_tmp/cli.out"; echo "FAIL: v1 by the command line"; exit 1; }
e2e_check "v1 sent and tagged by vger send" \
	git -C "$repo" show-ref -q --verify refs/tags/vger/quux-v1
nsent() { ls "$received" | grep -c '\.eml$'; }
sent_is() { test "$(nsent)" = "$1"; }
e2e_check "three messages at the server" sent_is 3
# What was sent goes into notmuch, with a series of yours that vger
# never sent (no tag, so no branch).
mkdir -p "$db/sent/cur"
for f in "$received"/*.eml; do
	tr -d '\r' <"$f" >"$db/sent/cur/$(basename "$f" .eml):2,S"
done
# (git format-patch writes it, from a branch dropped since.)
git -C "$repo" checkout -qb tidy master
echo 'int tidy;' >>"$core"
# older than v1 of quux, which stays the first row
GIT_AUTHOR_DATE="2025-06-09T10:00:00Z" \
	commit "bpf: Tidy the core by hand" "Tidy." >/dev/null
git -C "$repo" format-patch -q -1 --stdout --subject-prefix="PATCH bpf-next" \
	--to=bpf@vger.kernel.org | sed 1d >"$db/sent/cur/hand:2,S"	# the mbox "From " line
git -C "$repo" checkout -q master
git -C "$repo" branch -qD tidy
e2e_nm new --quiet

printf '#!/bin/sh\ncp "$1" "%s/draft"\n' "$e2e_tmp" >"$e2e_tmp/editor"
chmod +x "$e2e_tmp/editor"
screen() { e2e_screen t; }
asking() { screen | tail -1 | grep -qF "[y/n] $1"; }
status_has() { screen | tail -1 | grep -qF -- "$1"; }
untouched() {
	test "$(git -C "$repo" symbolic-ref --short HEAD)" = master &&
		git -C "$repo" diff --quiet HEAD
}

# In the 6.13 merge window (bpf-next closed).
vger="env TZ=UTC NOTMUCH_CONFIG=/dev/null VGER_NOW=2024-11-20"
vger="$vger ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-}"
vger="$vger GIT_CONFIG_GLOBAL=$GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM=1"
vger="$vger XDG_STATE_HOME=$e2e_tmp/state XDG_CACHE_HOME=$e2e_tmp/cache"
vger="$vger EDITOR=$e2e_tmp/editor"
vger="$vger $VGER --db $db"
e2e_shell t "$repo" 120 30
e2e_wait t '$' 10
e2e_type t "$vger; echo \"[exit \$?]\""
e2e_check "vger starts" e2e_wait t "[series] all" 30
$T send-keys -t t 2
e2e_check "the mine view" e2e_wait t "[series] mine" 10
e2e_check "the sent series' row names its branch" e2e_until 10 \
	eval 'screen | grep -F "bpf: Add c and d to the core" | grep -qw quux'
e2e_check "the hand-sent series' row names none" \
	eval 'screen | grep -F "Tidy the core by hand" | grep -qvw quux'
$T send-keys -t t Enter
e2e_check "the series view says the branch" \
	e2e_wait t "branch: quux (v1 sent)" 10
$T send-keys -t t q
e2e_check "back in the mine view" e2e_wait t "[series] mine" 10

# R in the mine view, the question of the merge window answered $1.
respin_answering() {
	$T send-keys -t t R
	e2e_check "R: the merge window asks about an RFC ($1)" \
		e2e_until 30 asking "bpf-next takes RFC patches during the merge window; make this version an RFC?"
	$T send-keys -t t "$1"
}
respin_answering n
e2e_check "R respun quux as v2, not master" \
	e2e_wait t "PATCH bpf-next v2: v2, 3 files in outgoing/quux-v2" 30
e2e_check "the closed tree is said" e2e_wait t "warning: bpf-next" 5
e2e_check "master stays checked out, its work tree untouched" untouched
e2e_check "the cover letter carried to v2" eval \
	'git -C "$repo" config branch.quux.description | grep -q "^Changes in v2:"'
# S in the outbox, the question of the closed tree answered $1.
send_answering() {
	$T send-keys -t t S
	e2e_check "S asks about the closed tree ($1)" \
		e2e_until 10 asking "Send to bpf-next while it is closed?"
	$T send-keys -t t "$1"
}
send_answering n
e2e_check "no: not sent" e2e_wait t "Not sent" 10
e2e_check "the server has v1 only" sent_is 3

# Again, as an RFC this time.
$T send-keys -t t q
e2e_check "back in the list" e2e_wait t "[series] mine" 10
rm -rf "$repo/outgoing/quux-v2"
respin_answering y
e2e_check "yes: an RFC" \
	e2e_wait t "RFC PATCH bpf-next v2: v2, 3 files in outgoing/quux-v2" 30
send_answering y
e2e_check "S said the tree takes RFCs" e2e_wait t "this is an RFC" 5
e2e_check "then the send itself is asked" \
	e2e_until 10 asking "Send this series of 3 messages"
$T send-keys -t t y
e2e_check "sent" e2e_wait t "All 3 messages are out" 20
e2e_check "the server has v2" sent_is 6
e2e_check "v2 went as an RFC" eval \
	'tr -d "\r" <"$received/4.eml" | grep -q "^Subject: \[RFC PATCH bpf-next v2 0/2\] bpf: Add c and d"'
e2e_check "v2 tagged on quux" \
	git -C "$repo" show-ref -q --verify refs/tags/vger/quux-v2
e2e_check "still master checked out" untouched

# A series of yours that no branch carries.
$T send-keys -t t q
e2e_check "the list again" e2e_wait t "[series] mine" 10
$T send-keys -t t /
$T send-keys -t t -l "subject:tidy"
$T send-keys -t t Enter
e2e_check "the hand-sent series alone" e2e_wait t "mine & subject:tidy" 10
$T send-keys -t t R
e2e_check "R: no branch carries it" e2e_until 10 status_has \
	"no branch of yours carries this series; check it out and press R"

# :stable: 6.6 has the backport, 6.12 wants it, 6.1 never had the bug.
$T send-keys -t t :
$T send-keys -t t -l "stable $fix"
$T send-keys -t t Enter
e2e_check ":stable: the draft view" e2e_wait t "y sends it" 20
e2e_check ":stable: asks for linux-6.12.y only" \
	grep -qx "please consider this commit for linux-6.12.y:" "$e2e_tmp/draft"
e2e_check ":stable: names the fix" \
	grep -qx "${fix:0:12} (\"bpf: Fix b in the core\")" "$e2e_tmp/draft"
e2e_check ":stable: linux-6.6.y has its backport" \
	grep -qx "linux-6.6.y has it already (${backport:0:12})." "$e2e_tmp/draft"
e2e_check ":stable: linux-6.1.y never had the bug" \
	eval '! grep -q "linux-6\.1\.y" "$e2e_tmp/draft"'
e2e_check ":stable: To the BPF maintainers from MAINTAINERS" \
	eval 'sed -n "/^To:/,/^[^ ]/p" "$e2e_tmp/draft" | grep -qF "ast@kernel.org"'
e2e_check ":stable: Cc netdev, never stable@" \
	eval 'grep -A3 "^Cc:" "$e2e_tmp/draft" | grep -qF "netdev@vger.kernel.org" &&
	      ! grep -qi "stable@vger.kernel.org" "$e2e_tmp/draft"'
$T send-keys -t t d
e2e_check ":stable: discarded" e2e_wait t "Discarded" 10
$T send-keys -t t :
$T send-keys -t t -l "stable $initial"
$T send-keys -t t Enter
e2e_check ":stable on what every branch has asks nothing" \
	e2e_until 20 status_has "stable: every stable branch that needs ${initial:0:12}"
$T send-keys -t t Q
e2e_check "Q quits with status 0" e2e_wait t "[exit 0]" 10
exit $e2e_fail
