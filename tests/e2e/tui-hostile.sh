#!/bin/bash
# The TUI over hostile mail, under tmux: escape sequences, C1 controls,
# bidi overrides, NUL and invalid UTF-8 (tests/fixtures/hostile-tui),
# and, generated here, a 10 MB line, a 1,000-reply thread, a 500-patch
# series and MIME nested 2,000 deep with OSC 52 (the clipboard) in its
# headers, its part's file name and its text.  The screen shows the controls visibly, the pane
# title stays tmux's own, every key is answered within a bound, and the
# peak memory stays bounded.
. "$(dirname "$0")/lib.sh"
e2e_need_tmux
for tool in notmuch python3; do
	command -v $tool >/dev/null ||
		{ echo "SKIP: $tool not installed"; exit 77; }
done
VGER=$(realpath "${VGER:-./vger}")
fixtures=$(realpath "${top_srcdir:-.}/tests/fixtures")
export LC_ALL=C.UTF-8
e2e_tmp=$(mktemp -d /tmp/vger-e2e.XXXXXX)
trap e2e_cleanup EXIT
# Peak memory allowed, kB (the issue's target for 200,000 messages is
# 300 MB; this database has 1,500).
MAX_HWM_KB=${MAX_HWM_KB:-200000}
# AddressSanitizer's shadow memory and quarantine: four times as much.
if ldd "$VGER" 2>/dev/null | grep -q libasan; then
	MAX_HWM_KB=$((MAX_HWM_KB * 4))
fi

db=$e2e_tmp/mail
mkdir -p "$db"
cp -R "$fixtures/hostile-tui" "$db/"
python3 - "$db" <<'EOF'
import os, sys

db = sys.argv[1]
diff = ("\nSigned-off-by: Bulk Sender <bulk@example.org>\n---\n"
        " kernel/bpf/big.c | 2 +-\n\n"
        "diff --git a/kernel/bpf/big.c b/kernel/bpf/big.c\n"
        "--- a/kernel/bpf/big.c\n+++ b/kernel/bpf/big.c\n"
        "@@ -1 +1 @@\n-int big;\n+long big;\n")

def write(path, frm, subject, mid, minute, body, irt=None, refs=()):
    h = [f"From: {frm}", "To: bpf@vger.kernel.org", f"Subject: {subject}",
         "Date: Tue, 03 Jun 2025 %02d:%02d:%02d +0000"
         % (minute // 3600 % 24, minute // 60 % 60, minute % 60),
         f"Message-ID: <{mid}>"]
    if irt:
        h.append(f"In-Reply-To: <{irt}>")
    if refs:
        h.append("References: " + "\n ".join(f"<{r}>" for r in refs))
    h += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit", "", ""]
    with open(path, "wb") as f:
        f.write("\n".join(h).encode() + body.encode("utf-8", "surrogateescape"))

# Long lines of punctuation notmuch makes no terms of, escapes, wide
# characters and bidi controls: one of 3 MB, then one of 10 MB.
os.makedirs(f"{db}/big-line")
unit = "-=" * 40 + "\x1b[2J" + "中文" + "\u202e"
def long_line(mb):
    return unit * (mb * 1024 * 1024 // len(unit.encode()) + 1)
write(f"{db}/big-line/1.eml", "Bulk Sender <bulk@example.org>",
      "[PATCH bpf-next] bpf: a line of 10 MB", "big-line@example.org", 0,
      "Before the long lines.\n" + long_line(3) + "THREE-MB\n" +
      long_line(10) + "TEN-MB\nAfter them.\n" + diff)

# A patch with 1,000 replies: 500 in a chain, 500 to the patch.  The
# References of the chain name the root and the last 20, as mailers
# cut them (whole, they make notmuch new take seconds more).
os.makedirs(f"{db}/replies")
root = "many-0@example.org"
write(f"{db}/replies/0000.eml", "Bulk Sender <bulk@example.org>",
      "[PATCH bpf-next] bpf: a patch with 1000 replies", root, 1,
      "The patch.\n" + diff)
chain = [root]
for i in range(1, 1001):
    mid = f"many-{i}@example.org"
    parent = chain[-1] if i <= 500 else root
    refs = [root] + chain[-20:] if len(chain) > 20 else chain
    if i > 500:
        refs = [root]
    write(f"{db}/replies/{i:04d}.eml", f"Replier {i} <r{i}@example.com>",
          "Re: [PATCH bpf-next] bpf: a patch with 1000 replies", mid,
          60 + i, f"Reply {i}.\n\n> The patch.\n", parent, refs)
    if i <= 500:
        chain = chain + [mid]

# MIME 2,000 deep; OSC 52 would set the clipboard (tmux's buffers).
os.makedirs(f"{db}/deep")
osc52 = "\x1b]52;c;cHduZWQ=\x07"
# The first level's text and attachment are shown; deeper, a notice.
nest = ('Content-Type: multipart/mixed; boundary="b0"\n\n--b0\n'
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"The top part. {osc52} clipboard.\n" + diff + "\n--b0\n"
        f'Content-Type: application/octet-stream; name="x{osc52}.bin"\n'
        f'Content-Disposition: attachment; filename="y{osc52}.bin"\n\n'
        "data\n--b0\n")
nest += "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'
                for i in range(1, 2000))
nest += ("Content-Type: text/plain\n\n"
         f"The deepest part. {osc52} clipboard.\n")
nest += "".join(f"--b{i}--\n" for i in reversed(range(2000)))
with open(f"{db}/deep/1.eml", "w") as f:
    f.write(f"From: Deep {osc52}Nester <deep@example.org>\n"
            f"To: bpf@vger.kernel.org, Clip {osc52} <c@example.org>\n"
            f"Cc: Board {osc52} <b@example.org>\n"
            f"Subject: [PATCH bpf-next] bpf: deep {osc52} mime\n"
            "Date: Tue, 03 Jun 2025 05:00:00 +0000\n"
            "Message-ID: <deep-mime@example.org>\n"
            "MIME-Version: 1.0\n" + nest)

# A 500-patch series, its files written (and numbered) last to first.
os.makedirs(f"{db}/huge")
n = 500
write(f"{db}/huge/{n + 1:04d}.eml", "Bulk Sender <bulk@example.org>",
      f"[PATCH bpf-next 000/{n}] bpf: a series of {n} patches",
      "huge-0@example.org", 7200, "Five hundred patches.\n")
for k in range(1, n + 1):
    write(f"{db}/huge/{n + 1 - k:04d}.eml", "Bulk Sender <bulk@example.org>",
          f"[PATCH bpf-next {k:03d}/{n}] bpf: part {k} of the big series",
          f"huge-{k}@example.org", 7200 + n - k, f"Part {k}.\n" + diff,
          "huge-0@example.org", ["huge-0@example.org"])
EOF
e2e_notmuch_new "$db" || { echo "FAIL: notmuch new"; exit 1; }

screen() { e2e_screen h; }
has() { screen | grep -qF -- "$1"; }
bar() { screen | grep -E "^\[$1.* $2\$" >/dev/null; }
# key KEYS... then wait (10 s at most) for TEXT: the key was answered.
answered() {
	local text=$1
	shift
	$T send-keys -t h "$@"
	e2e_wait h "$text" 10
}
# changed KEYS...: the screen changes within 10 s of the keys.
changed() {
	local before
	before=$(screen)
	$T send-keys -t h "$@"
	e2e_until 10 eval '[ "$(screen)" != "$before" ]'
}
title_ok() {
	local t
	t=$(e2e_pane h '#{pane_title}')
	case $t in *pwned*) return 1 ;; esac
	test -n "$t"
}
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$vger_pid/status"; }

env="PATH=$PATH HOME=$e2e_tmp TERM=screen LC_ALL=C.UTF-8 TZ=UTC"
env="$env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null"
env="$env NOTMUCH_CONFIG=/dev/null VGER_NOW=2025-06-10"
env="$env XDG_CACHE_HOME=$e2e_tmp/cache"
# An OSC 52 that reached tmux would make a paste buffer (set-clipboard
# on: applications may set it).
$T new-session -d -s h -c "$e2e_tmp" -x 100 -y 30 \
	"env -i $env $VGER --db $db; echo \"[exit \$?]\"; sleep 600" \; \
	set-option -s set-clipboard on
e2e_check "tmux takes OSC 52 from the pane" \
	test "$($T show-options -s -v set-clipboard)" = on
e2e_check "vger opens the hostile list" e2e_wait h "[series] all" 30
e2e_check "the model is read" e2e_wait h "11 series, 1511 messages" 60
# Under tests/valgrind.sh, $VGER is a script that runs vger under
# valgrind: the process is valgrind's, with vger in its command line.
vger_pid=$(ps -o pid= --ppid "$(e2e_pane h '#{pane_pid}')" | tr -d ' ' |
	while read -r p; do
		if [ "$(readlink "/proc/$p/exe")" = "$VGER" ] ||
		   { [ "$e2e_slow" -gt 1 ] &&
		     tr '\0' ' ' <"/proc/$p/cmdline" | grep -q '/vger '; }; then
			echo "$p"
		fi
	done)
e2e_check "vger's process is found" test -n "$vger_pid"

# The list: every control visible, none obeyed.
e2e_check "OSC in a subject shown as ^[]0;pwned^G" \
	has "bpf: osc ^[]0;pwned^G title"
e2e_check "OSC from an encoded word shown" \
	has "bpf: encoded ^[]0;pwned^G title"
e2e_check "clear screen in a subject shown" has "bpf: clear ^[[2J^[[H screen"
e2e_check "clear screen in a From name shown" has "^[[2J^[[HMal"
e2e_check "CSI as U+009B shown" has "bpf: c1 <U+009B>31m csi"
e2e_check "bidi override shown" has "bpf: bidi <U+202E>gnp.exe"
e2e_check "bidi isolates in a name shown" has "Mallory <U+2066"
# notmuch reads bytes that are no UTF-8 in a header as Latin-1.
e2e_check "invalid UTF-8 shown, as notmuch decodes it" \
	has "bpf: invalid Ã( utf-8 ä¸"
e2e_check "the banner is still on the first line" \
	eval 'e2e_line h 0 | grep -q "^bpf-next open"'
e2e_check "the pane title is not pwned" title_ok
e2e_check "no screen was cleared: the list is whole" \
	eval '[ "$(screen | grep -c " bpf-next ")" -ge 10 ]'
e2e_check "the 500-patch series is complete" \
	has "500/500 A0 R0 T0"

# Open each hostile message; the body is shown, controls and all.
open_series() {
	$T send-keys -t h / C-u
	$T send-keys -t h -l "$1"
	$T send-keys -t h Enter
	e2e_until 10 bar "series\] all & " 1/1 &&
		answered "[thread]" Enter
}
# read_message ID WHAT TEXT: open the series of message ID, then the
# message; its screen shows TEXT.
read_message() {
	open_series "id:$1"
	e2e_check "the $2 patch opens" answered "[message] 1/1" Enter
	e2e_check "its body shows $2" has "$3"
	e2e_check "the pane title is not pwned by $2" title_ok
	e2e_check "the banner is not cleared by $2" \
		eval 'e2e_line h 0 | grep -q "^bpf-next open"'
	$T send-keys -t h q q
}
read_message hostile-osc@example.org "the OSC" \
	"body too: ^[]0;pwned^G and ^[]2;pwned^[\\ done."
read_message hostile-clear@example.org "the clear screen" \
	"^[[2J^[[HThe screen would be cleared here."
read_message hostile-clear@example.org "SGR sequences" \
	"^[[31mred^[[0m and ^[[5mblink^[[0m."
read_message hostile-c1@example.org "U+009B and U+009D" \
	"U+009B: <U+009B>2J and an OSC as U+009D: <U+009D>0;pwned<U+009C>."
read_message hostile-bidi@example.org "the bidi controls" \
	"access = <U+202E> } <U+2066>if (is_admin)<U+2069> <U+2066> begin"
read_message hostile-nul@example.org "the NUL bytes" "Before a NUL"
read_message hostile-utf8@example.org "invalid UTF-8" \
	'Invalid UTF-8: \xff\xfe, a cut \xe4\xb8, an overlong \xc0\xaf, a surrogate \xed\xa0\x80.'

read_message deep-mime@example.org "2,000-deep MIME" \
	"The top part. ^[]52;c;cHduZWQ=^G clipboard."
open_series "id:deep-mime@example.org"
e2e_check "the 2,000-deep message opens again" answered "[message] 1/1" Enter
$T send-keys -t h G
e2e_check "G: past 32 levels, a notice, not 2,000 frames" \
	e2e_wait h "nested deeper than this are not shown" 10
e2e_check "the attachment's name shows its OSC 52" \
	has "^[]52;c;cHduZWQ=^G.bin"
e2e_check "the From name shows its OSC 52" \
	has "Deep ^[]52;c;cHduZWQ=^GNester"
$T send-keys -t h q q
e2e_check "no OSC 52 reached tmux: no paste buffer" \
	eval '[ -z "$($T list-buffers)" ]'

# The long lines: opened, scrolled; every key answered.
open_series "id:big-line@example.org"
e2e_check "the long-line message opens" answered "[message] 1/1" Enter
e2e_check "its 3 MB line is drawn, controls visible" \
	has "-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=^[[2J中文<U+202E>-=-"
t0=$(date +%s%N)
e2e_check "Right scrolls the long line" changed Right
echo "# Right on the 3 MB line answered in" \
	"$((($(date +%s%N) - t0) / 1000000)) ms"
e2e_check "Left scrolls it back" changed Left
e2e_check "the title is not pwned by the long line" title_ok
$T send-keys -t h G
# The whole body is there, past the 10 MB line: its patch at the end.
e2e_check "G: the end of the message" e2e_wait h "+long big;" 10
$T send-keys -t h /
$T send-keys -t h -l "TEN-MB"
$T send-keys -t h Enter
e2e_check "the end of the 10 MB line is found" e2e_wait h "TEN-MB" 20
$T send-keys -t h q q

# The thread of 1,000 replies.
open_series "id:many-0@example.org"
e2e_check "the 1,000 replies are rows" \
	e2e_until 10 bar "thread\] v1 of 1" 4/1004
$T send-keys -t h G
e2e_check "G: the last reply" e2e_until 10 bar "thread\]" 1004/1004
e2e_check "the last reply is drawn" has "Replier 1000"
$T send-keys -t h g
e2e_check "g: back to the top" e2e_until 10 bar "thread\]" 1/1004
$T send-keys -t h /
$T send-keys -t h -l "(40) Re:"
$T send-keys -t h Enter
e2e_check "/ finds the 40th reply of the chain" \
	e2e_until 10 bar "thread\]" 44/1004
e2e_check "deeper than shown, it says its depth" has "└─ (40) Re:"
$T send-keys -t h q

# The 500-patch series: 1/500..500/500 whatever order they came in.
open_series "id:huge-0@example.org"
e2e_check "the 500 patches are rows" e2e_until 10 bar "thread\] v1 of 1" 4/504
# The patch numbers on the screen, one a line.
numbers() { screen | grep -o "\[[0-9]*/500\]" | tr -d "[]" | cut -d/ -f1; }
e2e_check "the first screen: the cover, 1/500, 2/500" \
	eval '[ "$(numbers | head -3 | tr "\n" " ")" = "0 1 2 " ]'
e2e_check "every row in order on the first screen" \
	eval 'numbers | sort -n -c'
$T send-keys -t h G
e2e_check "G: 500/500 last" e2e_until 10 bar "thread\]" 504/504
e2e_check "499/500 comes before 500/500" \
	eval '[ "$(numbers | tail -2 | tr "\n" " ")" = "499 500 " ]'
e2e_check "every row in order on the last screen" \
	eval 'numbers | sort -n -c'
$T send-keys -t h x
e2e_check "the review matrix of 500 patches" e2e_wait h "500/500 patches" 10
$T send-keys -t h q

hwm=$(hwm_kb)
echo "# peak memory (VmHWM): ${hwm} kB"
if [ "$e2e_slow" -gt 1 ]; then
	# valgrind's shadow memory is in the process's peak too.
	echo "SKIP: peak memory (a slow run: vger is under valgrind)"
else
	e2e_check "peak memory below ${MAX_HWM_KB} kB" \
		test "${hwm:-0}" -gt 0 -a "${hwm:-0}" -lt "$MAX_HWM_KB"
fi
$T send-keys -t h q
e2e_check "q quits with status 0" e2e_wait h "[exit 0]" 10
exit $e2e_fail
