#!/bin/bash
# The TUI under faults (tests/FAULTS.md): a message file removed after
# notmuch new, opened in the pager; SIGTERM and SIGHUP to vger and
# Ctrl-C on its terminal while a series or a message is open; a
# database of a newer notmuch.  After each: the terminal given back
# (alternate screen off, cursor visible, `stty -a` in the pane shows
# icanon and echo) and nothing half-written.  vger runs under `sh -c`,
# which restores no terminal mode itself (an interactive bash would).
. "$(dirname "$0")/lib.sh"
e2e_mail_setup

vger="env TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null"
vger="$vger NOTMUCH_CONFIG=/dev/null VGER_NOW=2025-06-10"
vger="$vger XDG_CACHE_HOME=$e2e_tmp/cache $VGER --db $db"

# start NAME: vger in a pane of its own, its pid in $e2e_tmp/NAME.pid;
# after it: its status as "[vger N]", then the terminal's modes.
start() {
	e2e_start "$1" "sh -c 'echo \$\$ >$e2e_tmp/$1.pid; exec $vger'; \
echo \"[vger \$?]\"; stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo '[modes]'"
}

# given_back NAME STATUS: vger ended with STATUS, the terminal is sane.
given_back() {
	local name=$1 status=$2
	e2e_check "$name: vger ends with status $status" \
		e2e_wait "$name" "[vger $status]" 10
	e2e_check "$name: the terminal's modes are back (icanon, echo)" \
		e2e_wait "$name" "icanon echo [modes]" 5
	e2e_check "$name: the alternate screen is off" \
		test "$(e2e_pane "$name" '#{alternate_on}')" = 0
	e2e_check "$name: the cursor is visible" \
		test "$(e2e_pane "$name" '#{cursor_flag}')" = 1
	e2e_check "$name: no temporary file is left" \
		test -z "$(find "$e2e_tmp" -name '*.tmp*' -print -quit)"
}

# ---- a message file gone since notmuch new ----

gone=$db/order/02-patch-1-of-3.eml
cp "$gone" "$e2e_tmp/kept.eml"
rm "$gone"
start gone
e2e_check "gone: the list is shown" e2e_wait gone "[series] all" 30
e2e_check "gone: the skipped message is said" \
	e2e_wait gone "1 message skipped or incomplete" 10
$T send-keys -t gone Enter
e2e_check "gone: the series opens" e2e_wait gone "[thread] v1 of 1" 10
$T send-keys -t gone j
e2e_check "gone: the patch is selected" \
	e2e_until 10 eval 'e2e_screen gone | grep -q "5/10\$"'
$T send-keys -t gone Enter
e2e_check "gone: the pager says the file is gone" \
	e2e_wait gone "$gone: No such file or directory" 10
e2e_check "gone: the pager stays up" e2e_wait gone "[message] 2/7" 5
$T send-keys -t gone J
e2e_check "gone: the next message still opens" \
	e2e_wait gone "[message] 3/7 Re: [PATCH bpf-next 1/3]" 10
e2e_check "gone: its text is shown" e2e_wait gone "Looks fine." 5
$T send-keys -t gone q q q
given_back gone 0
cp "$e2e_tmp/kept.eml" "$gone"

# ---- signals while a series or a message is open ----

# open NAME series|pager: the series (the thread view), or its first
# patch in the pager.
open() {
	local pane=$1
	$T send-keys -t "$pane" Enter
	e2e_wait "$pane" "[thread] v1 of 1" 10 || return 1
	[ "$2" = series ] && return 0
	$T send-keys -t "$pane" j
	e2e_until 10 eval 'e2e_screen "$pane" | grep -q "5/10\$"' || return 1
	$T send-keys -t "$pane" Enter
	e2e_wait "$pane" "[message] 2/7 [PATCH bpf-next 1/3]" 10
}

# signal NAME SIGNAL STATUS WHAT: open WHAT, then SIGNAL to vger (INT:
# Ctrl-C typed on its terminal).
signal() {
	local name=$1 sig=$2 status=$3 what=$4
	start "$name"
	e2e_wait "$name" "[series] all" 30 ||
		{ echo "FAIL: $name: vger did not start"; e2e_fail=1; return; }
	# Enter before the model is in may open nothing ("Still loading").
	e2e_check "$name: the model is read" e2e_wait "$name" " series, " 30
	e2e_check "$name: the $what is open" open "$name" "$what"
	e2e_check "$name: the alternate screen is on" \
		test "$(e2e_pane "$name" '#{alternate_on}')" = 1
	if [ "$sig" = INT ]; then
		$T send-keys -t "$name" C-c
	else
		kill -"$sig" "$(cat "$e2e_tmp/$name.pid")"
	fi
	given_back "$name" "$status"
}

signal term-series TERM 143 series
signal hup-series HUP 129 series
signal term-pager TERM 143 pager
signal hup-pager HUP 129 pager
# Ctrl-C is not a key of vger's: the terminal keeps ISIG (cbreak), and
# curses' handler gives the terminal back before vger ends.
signal int-pager INT 130 pager

# ---- a database of a newer notmuch ----

if command -v xapian-metadata >/dev/null; then
	xapian-metadata set "$db/.notmuch/xapian" version 99
	start newer
	e2e_check "newer: notmuch's words, on one line" \
		e2e_until 10 eval '$T capture-pane -p -J -t newer |
			grep -q "^vger: error: $db: .*: Notmuch database at $db has a newer database format version (99) than"'

	given_back newer 1
	e2e_check "newer: the TUI was never started" \
		eval '! e2e_screen newer | grep -qF "[series]"'
else
	echo "SKIP: a database of a newer notmuch: xapian-metadata (xapian-tools) not installed"
fi
exit $e2e_fail
