#!/bin/bash
# Writing mail in the TUI end to end (issue 14): the real vger under
# tmux on a fixture database, EDITOR a script, tests/smtpd.py on
# loopback.  Acked-by in one key (Y in the series view) (the commit message quoted, the
# trailer with the user's identity), sent: the message at the server
# (threading, recipients) and in notmuch (tag sent, the parent tagged
# replied); a group reply in the pager whose recipients are those of
# notmuch reply, postponed, listed by D and resumed, sent; a new mail
# whose editor fails (the draft kept), discarded from the list; a
# reply to the author, discarded from the draft view.
. "$(dirname "$0")/lib.sh"
e2e_mail_setup
tags_of() { e2e_nm search --output=tags "id:$1" | tr '\n' ' '; }

received=$e2e_tmp/smtp
e2e_smtpd "$received"
cat >"$e2e_tmp/gitconfig" <<EOF
[user]
	name = Test User
	email = test@example.org
[sendemail]
	smtpServer = 127.0.0.1
	smtpServerPort = $e2e_smtp_port
EOF

# The editor: fails while editor-fail exists; else adds a line to the
# draft and keeps a copy of what it was given (edited-N, N from 1).
cat >"$e2e_tmp/editor" <<'EOF'
#!/bin/sh
dir=$(dirname "$0")
[ -e "$dir/editor-fail" ] && exit 3
n=$(ls "$dir" | grep -c '^edited-')
cp "$1" "$dir/edited-$((n + 1))"
printf 'E2E-EDITED-%s\n' "$((n + 1))" >>"$1"
EOF
chmod +x "$e2e_tmp/editor"
edited() { cat "$e2e_tmp/edited-$1" 2>/dev/null; }
ndrafts() { find "$db/drafts/cur" "$db/drafts/new" -type f 2>/dev/null | wc -l; }
nsent() { ls "$received" | grep -c '\.eml$'; }
sent_is() { test "$(nsent)" = "$1"; }
eml() { tr -d '\r' <"$received/$1.eml"; }

screen() { e2e_screen t; }
bar() { screen | grep -E "^\[$1.* $2\$" >/dev/null; }
has() { screen | grep -qF -- "$1"; }

vger="env TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$e2e_tmp/gitconfig"
# The sanitizers' options of the test environment (env -i drops them).
vger="$vger ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-}"
vger="$vger NOTMUCH_CONFIG=/dev/null VGER_NOW=2025-06-10"
vger="$vger EDITOR=$e2e_tmp/editor XDG_STATE_HOME=$e2e_tmp/state"
vger="$vger XDG_CACHE_HOME=$e2e_tmp/cache $VGER --db $db"
e2e_shell t "$e2e_tmp"
e2e_wait t '$' 10
e2e_type t "$vger; echo \"[exit \$?]\""
e2e_check "vger starts" e2e_wait t "[series] all" 30
e2e_check "the model is read" e2e_wait t "1 series, 7 messages" 30

# Acked-by in one key, on patch 1/3 of the series view.
$T send-keys -t t Enter
e2e_check "Enter opens the series" e2e_until 10 bar "thread\] v1 of 1" 4/10
$T send-keys -t t j Y
e2e_check "Y: the draft view after the editor" e2e_wait t "y sends it" 10
e2e_check "the editor had the draft" e2e_until 10 test -s "$e2e_tmp/edited-1"
e2e_check "the ack: Subject: Re: as the patch's" \
	eval 'edited 1 | grep -qx "Subject: Re: \[PATCH bpf-next 1/3\] bpf: Add the quux map"'
e2e_check "the ack: the trailer with the user's identity" \
	eval 'edited 1 | grep -qx "Acked-by: Test User <test@example.org>"'
e2e_check "the ack: the commit message quoted, not the diff" \
	eval 'edited 1 | grep -q "^> " && ! edited 1 | grep -q "quux1;"'
e2e_check "the ack: threaded under the patch" \
	eval 'edited 1 | grep -qx "In-Reply-To: <order-1@example.org>"'
e2e_check "the draft view shows who it goes to" \
	eval 'has "To: Olga Orderly <olga@example.org>" && has "Cc: bpf@vger.kernel.org"'
e2e_check "the draft is in the drafts maildir while shown" \
	test "$(ndrafts)" = 1
$T send-keys -t t y
e2e_check "y sends it" e2e_until 20 sent_is 1
e2e_check "the status line says it went" e2e_wait t "Sent: Re: [PATCH" 10
e2e_check "at the server: In-Reply-To the patch" \
	eval 'eml 1 | grep -qx "In-Reply-To: <order-1@example.org>"'
e2e_check "at the server: the recipients" \
	eval 'grep -qx "olga@example.org" "$received/1.rcpt" &&
	      grep -qx "bpf@vger.kernel.org" "$received/1.rcpt"'
e2e_check "at the server: the trailer and the editor's line" \
	eval 'eml 1 | grep -qx "Acked-by: Test User <test@example.org>" &&
	      eml 1 | grep -qx "E2E-EDITED-1"'
msgid=$(eml 1 | sed -n 's/^Message-I[Dd]: *<\(.*\)>$/\1/p' | head -1)
e2e_check "in notmuch at once, tagged sent" \
	eval '[ -n "$msgid" ] && tags_of "$msgid" | grep -qw sent'
e2e_check "the patch is tagged replied" \
	eval 'tags_of order-1@example.org | grep -qw replied'
e2e_check "a sent draft leaves the drafts maildir" test "$(ndrafts)" = 0
e2e_check "back in the series view" e2e_wait t "[thread] v1 of 1" 10

# A group reply in the pager, to Rita's review of 2/3.
$T send-keys -t t /
$T send-keys -t t -l "Rita Reviewer"
$T send-keys -t t Enter Enter
e2e_check "the pager shows Rita's review" \
	e2e_wait t "Subject: Re: [PATCH bpf-next 2/3] bpf: Walk the quux map" 10
$T send-keys -t t g
e2e_check "g: the draft view" e2e_wait t "y sends it" 10
e2e_check "the group reply quotes Rita" \
	eval 'edited 2 | grep -q "Rita Reviewer wrote:\$" &&
	      edited 2 | grep -qx "> Reviewed-by: Rita Reviewer <rita@example.com>"'
# notmuch reply is the oracle for the recipients.
oracle=$(e2e_nm reply --reply-to=all --format=headers-only \
	id:order-r1@example.com | grep -E '^(To|Cc):' |
	grep -oE '[[:alnum:]._-]+@[[:alnum:].-]+' | sort -u)
ours=$(edited 2 | sed -n '/^$/q;p' | grep -E '^(To|Cc):' |
	grep -oE '[[:alnum:]._-]+@[[:alnum:].-]+' | sort -u)
e2e_check "the group reply's recipients are notmuch reply's" \
	eval '[ -n "$oracle" ] && [ "$oracle" = "$ours" ]'
$T send-keys -t t p
e2e_check "p postpones" e2e_wait t "Postponed" 10
e2e_check "the postponed draft stays" test "$(ndrafts)" = 1
$T send-keys -t t D
e2e_check "D lists the drafts" e2e_wait t "[drafts] 1 postponed" 10
e2e_check "the list shows its subject" \
	e2e_wait t "Re: [PATCH bpf-next 2/3] bpf: Walk the quux map" 5
$T send-keys -t t Enter
e2e_check "Enter resumes it in the editor" \
	e2e_until 10 eval 'edited 3 | grep -qx "E2E-EDITED-2"'
e2e_check "then the draft view" e2e_wait t "y sends it" 10
$T send-keys -t t y
e2e_check "the resumed draft is sent" e2e_until 20 sent_is 2
e2e_check "at the server: to Rita, threaded under her review" \
	eval 'grep -qx "rita@example.com" "$received/2.rcpt" &&
	      eml 2 | grep -qx "In-Reply-To: <order-r1@example.com>"'
e2e_check "the drafts list is empty again" e2e_wait t "No drafts" 10
$T send-keys -t t q

# A new mail whose editor fails: the draft is kept, then discarded.
touch "$e2e_tmp/editor-fail"
$T send-keys -t t m
e2e_check "a failing editor is said" e2e_wait t "exited with status 3" 10
e2e_check "the draft is kept" test "$(ndrafts)" = 1
rm "$e2e_tmp/editor-fail"
$T send-keys -t t D
e2e_check ":drafts lists it" e2e_wait t "[drafts] 1 postponed" 10
$T send-keys -t t d
e2e_check "d discards it" e2e_wait t "No drafts" 10
e2e_check "the drafts maildir is empty" test "$(ndrafts)" = 0
e2e_check "nothing more was sent" test "$(nsent)" = 2

# r in the pager: a reply to the author only.
$T send-keys -t t q
e2e_check "back in Rita's review" \
	e2e_wait t "[message]" 10
$T send-keys -t t r
e2e_check "r: the draft view" e2e_wait t "y sends it" 10
e2e_check "r: To the author, nobody in Cc" \
	eval 'edited 4 | grep -qx "To: Rita Reviewer <rita@example.com>" &&
	      ! edited 4 | sed -n "/^\$/q;p" | grep -q "^Cc:"'
$T send-keys -t t d
e2e_check "d in the draft view discards it" e2e_wait t "Discarded" 10
e2e_check "nothing left behind" test "$(ndrafts)" = 0
$T send-keys -t t Q
e2e_check "Q quits with status 0" e2e_wait t "[exit 0]" 10
exit $e2e_fail
