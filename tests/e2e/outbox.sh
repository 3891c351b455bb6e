#!/bin/bash
# Your own series from the TUI (issue 14): vger runs in a git branch
# of a small kernel tree (two commits and a cover letter); R respins it (the vger respin flow: files,
# To/Cc from MAINTAINERS, the checks) and shows what it wrote and what
# vger send would send; S asks, then sends it to tests/smtpd.py on
# loopback, message by message; a server that refuses the second
# message stops there, and S again resumes with the rest only.  Then
# :report on a commit of the branch and on a fix on the list (its
# Fixes: commit offered), and :stable where no stable branch is.
. "$(dirname "$0")/lib.sh"
e2e_mail_setup

# The server refuses the data of the second message once.
received=$e2e_tmp/smtp
e2e_smtpd "$received" --fail-data 2:554
e2e_git_user

# A kernel tree with a BPF section, and a branch of two commits.
repo=$e2e_tmp/linux
e2e_kernel_tree "$repo"
echo 'int a;' >"$repo/kernel/bpf/core.c"
git -C "$repo" add -A
git -C "$repo" commit -qm initial
git -C "$repo" checkout -qb quux
for n in b c; do
	echo "int $n;" >>"$repo/kernel/bpf/core.c"
	git -C "$repo" commit -qam "bpf: Add $n to the core

The core needs $n for the quux map.

Signed-off-by: Test User <test@example.org>"
done
git -C "$repo" config vger.base master
git -C "$repo" config vger.tree bpf-next
# The cover letter, written as vger respin --edit-cover writes it.
e2e_cover_letter "$repo" "bpf: Add b and c to the core

The quux map needs both." || { echo "FAIL: vger respin --edit-cover"; exit 1; }
# The editor of :report keeps a copy of the draft.
printf '#!/bin/sh\ncp "$1" "%s/report-draft"\n' "$e2e_tmp" >"$e2e_tmp/editor"
chmod +x "$e2e_tmp/editor"
nsent() { ls "$received" | grep -c '\.eml$'; }
sent_is() { test "$(nsent)" = "$1"; }

screen() { e2e_screen t; }
has() { screen | grep -qF -- "$1"; }
# The question on the bottom line.
asking() { screen | tail -1 | grep -qF "[y/n] $1"; }

vger="env TZ=UTC NOTMUCH_CONFIG=/dev/null VGER_NOW=2025-06-10"
# The sanitizers' options of the test environment (env -i drops them).
vger="$vger ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-}"
vger="$vger GIT_CONFIG_GLOBAL=$GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM=1"
vger="$vger XDG_STATE_HOME=$e2e_tmp/state XDG_CACHE_HOME=$e2e_tmp/cache"
vger="$vger EDITOR=$e2e_tmp/editor"
vger="$vger $VGER --db $db"
# A fix on the list whose Fixes: names the branch's first commit.
bug=$(git -C "$repo" rev-parse quux~1)
mkdir -p "$db/fix/cur"
cat >"$db/fix/cur/1:2,S" <<EOF
From: Fay Fixer <fay@example.org>
To: bpf@vger.kernel.org
Subject: [PATCH bpf] bpf: Fix b in the core
Date: Mon, 09 Jun 2025 10:00:00 +0000
Message-ID: <fix-1@example.org>

b was never read.

Fixes: ${bug:0:12} ("bpf: Add b to the core")
Signed-off-by: Fay Fixer <fay@example.org>
---
 kernel/bpf/core.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/kernel/bpf/core.c b/kernel/bpf/core.c
--- a/kernel/bpf/core.c
+++ b/kernel/bpf/core.c
@@ -1,2 +1,3 @@
 int a;
 int b;
+int d;
EOF
e2e_nm new --quiet
e2e_shell t "$repo"
e2e_wait t '$' 10
e2e_type t "$vger; echo \"[exit \$?]\""
e2e_check "vger starts in the branch" e2e_wait t "[series] all" 30
e2e_check "the model is read" e2e_wait t "2 series, 8 messages" 30

$T send-keys -t t R
e2e_check "R respins: the outbox view" e2e_wait t "[outbox]" 30
e2e_check "it says what it wrote" \
	e2e_wait t "PATCH bpf-next: v1, 3 files in" 5
e2e_check "the files are written" \
	eval 'ls "$repo"/outgoing/quux-v1/*.patch | wc -l | grep -qx 3'
e2e_check "Cc from MAINTAINERS" \
	eval 'screen | grep -E "^(To|Cc): " | grep -qF "ast@kernel.org"'
e2e_check "the checks ran" e2e_wait t "checks for bpf-next:" 5
e2e_check "the send summary" e2e_wait t "vger send: 3 messages, 3 to send" 10
e2e_check "the summary lists the subjects" \
	e2e_wait t "[PATCH bpf-next 2/2] bpf: Add c to the core" 5

$T send-keys -t t S
e2e_check "S asks first" e2e_until 10 asking "Send"
$T send-keys -t t n
e2e_check "no: nothing sent" e2e_wait t "Not sent" 10
e2e_check "the server got nothing" sent_is 0
$T send-keys -t t S
e2e_check "asked again" e2e_until 10 asking "Send"
$T send-keys -t t y
e2e_check "the first message is sent, the second refused" \
	e2e_wait t "NOT sent 2/3" 20
e2e_check "sent 1/2 shown" e2e_wait t "sent 1/3: [PATCH bpf-next 0/2] bpf: Add b and c" 5
e2e_check "the server has one" sent_is 1
$T send-keys -t t S
e2e_check "S again: asked to resume, naming what was sent" \
	e2e_until 10 asking "1 of 3 messages of this series were sent"
$T send-keys -t t y
e2e_check "then asked to send the rest" e2e_until 10 asking "Send"
$T send-keys -t t y
e2e_check "the rest is sent" e2e_wait t "All 3 messages are out" 20
e2e_check "the server has all three, the first once" sent_is 3
e2e_check "the resume starts at the refused one" \
	eval 'tr -d "\r" <"$received/2.eml" | grep -q "^Subject: \[PATCH bpf-next 1/2\]"'

# :report on the first commit: the draft as the BPF FAQ asks.
$T send-keys -t t q :
$T send-keys -t t -l "report $bug"
$T send-keys -t t Enter
e2e_check ":report: the draft view" e2e_wait t "y sends it" 20
e2e_check ":report: To the list, Cc the maintainers from MAINTAINERS" \
	eval 'grep -qx "To: bpf@vger.kernel.org" "$e2e_tmp/report-draft" &&
	      grep -E "^(Cc:|    )" "$e2e_tmp/report-draft" |
	      grep -qF "ast@kernel.org"'
e2e_check ":report: the commit named as Fixes: names it" \
	grep -qF "${bug:0:12} (\"bpf: Add b to the core\")" \
	"$e2e_tmp/report-draft"
$T send-keys -t t d
e2e_check ":report: discarded" e2e_wait t "Discarded" 10
$T send-keys -t t :
$T send-keys -t t -l "stable $bug"
$T send-keys -t t Enter
e2e_check ":stable without stable branches says so" \
	e2e_wait t "stable: " 20

# :report on the fix: the prompt starts with the commit it fixes.
$T send-keys -t t /
$T send-keys -t t -l "from:fay@example.org"
$T send-keys -t t Enter
e2e_check "the fix's series alone" e2e_wait t "bpf: Fix b in the core" 10
$T send-keys -t t Enter
e2e_check "the fix's thread" e2e_wait t "[thread]" 10
: >"$e2e_tmp/report-draft"
$T send-keys -t t :
$T send-keys -t t -l "report"
$T send-keys -t t Enter
e2e_check ":report on a fix offers its Fixes: commit" \
	e2e_wait t "bug report on commit (empty: none): ${bug:0:12}" 10
$T send-keys -t t Enter
e2e_check "that commit's report" e2e_until 20 \
	grep -qF "${bug:0:12} (\"bpf: Add b to the core\")" \
	"$e2e_tmp/report-draft"
e2e_check "then its draft view" e2e_wait t "y sends it" 10
$T send-keys -t t d
$T send-keys -t t Q
e2e_check "Q quits with status 0" e2e_wait t "[exit 0]" 10
exit $e2e_fail
