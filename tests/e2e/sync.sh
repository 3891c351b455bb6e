#!/bin/bash
# vger init and vger sync on the real tools: a public-inbox (v2, made
# with public-inbox-init, filled from fixture mail by git fast-import
# and public-inbox-index) served by public-inbox-httpd on 127.0.0.1,
# lei and notmuch in a temporary HOME.  Then the faults: a server that
# is gone, answers 404 or 500, never answers, dies or is interrupted
# mid-transfer; notmuch new failing; a locked database; a full disk;
# --maildir where notmuch would not see it; and `$` in the TUI, which
# keeps reading keys while lei waits.  Without lei or public-inbox:
# skipped (77).
. "$(dirname "$0")/lib.sh"
for p in lei public-inbox-init public-inbox-index public-inbox-httpd \
	notmuch git curl python3 tmux; do
	command -v "$p" >/dev/null || {
		echo "SKIP: $p not installed (Debian: lei public-inbox notmuch curl tmux)"
		exit 77
	}
done
VGER=${VGER:-./vger}
top=${top_srcdir:-.}
fixtures=$top/tests/fixtures/mail
pihttpd=$top/tests/e2e/pi-httpd.py

e2e_tmp=$(mktemp -d /tmp/vger-sync.XXXXXX)
H=$e2e_tmp/home
mkdir -p "$H" "$e2e_tmp/run" "$e2e_tmp/tmp" "$e2e_tmp/pi"
chmod 700 "$e2e_tmp/run"
# Nothing of the developer's: every path points into the test's HOME.
export HOME=$H XDG_DATA_HOME=$H/.local/share XDG_CONFIG_HOME=$H/.config \
	XDG_CACHE_HOME=$H/.cache XDG_STATE_HOME=$H/.local/state \
	XDG_RUNTIME_DIR=$e2e_tmp/run GIT_CONFIG_GLOBAL=$H/.gitconfig \
	NOTMUCH_CONFIG=$H/.notmuch-config PI_CONFIG=$e2e_tmp/pi/config \
	TMPDIR=$e2e_tmp/tmp
unset CURL_HOME NOTMUCH_PROFILE NOTMUCH_DATABASE
maildir=$XDG_DATA_HOME/vger/mail/lore/bpf
server_pid= fault_pid= lock_pid= tfs=

cleanup() {
	[ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
	[ -n "$fault_pid" ] && kill -9 "$fault_pid" 2>/dev/null
	[ -n "$lock_pid" ] && kill "$lock_pid" 2>/dev/null
	lei daemon-kill >/dev/null 2>&1
	[ -n "$tfs" ] && umount "$tfs" 2>/dev/null
	e2e_cleanup
}
trap cleanup EXIT

# pi_add INBOX FRESH FILES...: one commit per message on the inbox's
# epoch, as public-inbox-v2-format(5) lays it out; FRESH=1 gives each a
# Date: of now (lei up asks for messages dated since its last result).
pi_add() {
	local inbox=$e2e_tmp/pi/$1 fresh=$2 git from= f n t q
	shift 2
	git=$inbox/git/0.git
	git --git-dir="$git" rev-parse -q --verify refs/heads/master \
		>/dev/null && from="from refs/heads/master^0"
	t=$(date +%s)
	for f in "$@"; do
		if [ "$fresh" = 1 ]; then
			sed "0,/^Date: .*/s//Date: $(date -R)/" "$f" \
				>"$e2e_tmp/msg"
			f=$e2e_tmp/msg
		fi
		n=$(stat -c %s "$f")
		printf 'commit refs/heads/master\n'
		printf 'committer vger tests <tests@example.org> %d +0000\n' "$t"
		printf 'data 2\nm\n'
		[ -n "$from" ] && printf '%s\n' "$from"
		from=
		printf 'M 100644 inline m\ndata %d\n' "$n"
		cat "$f"
		printf '\n'
	done | git --git-dir="$git" fast-import --quiet &&
		public-inbox-index --no-fsync "$inbox" >/dev/null 2>&1 || return 1
	# A running server reads the index again on SIGHUP; then its
	# search must find the last message.
	[ -n "$server_pid" ] || return 0
	kill -HUP "$server_pid"
	q=$(python3 -c 'import email, sys, urllib.parse
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(urllib.parse.quote("m:" + m["Message-ID"].strip().strip("<>")))' \
		"${!#}")
	e2e_until 60 curl -sf -o /dev/null \
		"http://127.0.0.1:$port/${inbox##*/}/?q=$q&x=A"
}

pi_new() {	# pi_new NAME
	public-inbox-init -V2 -L medium -j1 "$1" "$e2e_tmp/pi/$1" \
		"http://127.0.0.1/$1" "$1@vger.kernel.org"
}

ready() { curl -sf -o /dev/null "http://127.0.0.1:$port/bpf/"; }

# start_server [PORT]: public-inbox-httpd on PORT (else a new one).
start_server() {
	: >"$e2e_tmp/port"
	python3 "$pihttpd" ${1:+--port "$1"} -- public-inbox-httpd -W0 \
		>"$e2e_tmp/port" 2>>"$e2e_tmp/httpd.log" &
	server_pid=$!
	e2e_until 30 test -s "$e2e_tmp/port" || return 1
	port=$(head -n 1 "$e2e_tmp/port")
	e2e_until 30 ready
}

stop_server() {
	kill -9 "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}

# start_fault MODE [UPSTREAM]: the faulty server on the same port.
start_fault() {
	: >"$e2e_tmp/fport"
	: >"$e2e_tmp/fault.log"
	python3 "$pihttpd" --port "$port" --fail "$1" ${2:+--upstream "$2"} \
		>"$e2e_tmp/fport" 2>"$e2e_tmp/fault.log" &
	fault_pid=$!
	e2e_until 30 test -s "$e2e_tmp/fport"
}

stop_fault() {
	kill -9 "$fault_pid" 2>/dev/null
	wait "$fault_pid" 2>/dev/null
	fault_pid=
}

# run_vger NAME ARGS...: out/NAME, err/NAME, status in $rc.
mkdir -p "$e2e_tmp/out"
run_vger() {
	local name=$1
	shift
	"$VGER" "$@" >"$e2e_tmp/out/$name" 2>"$e2e_tmp/out/$name.err"
	rc=$?
	cat "$e2e_tmp/out/$name" "$e2e_tmp/out/$name.err" | sed "s/^/[$name] /"
}

has() { grep -qF -- "$2" "$e2e_tmp/out/$1"; }
hasnt() { ! has "$@"; }
has_err() { grep -qF -- "$2" "$e2e_tmp/out/$1.err"; }
nm_count() { notmuch count "$@"; }
query='to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org'
files() { find "$1" -type f | wc -l; }

# ---- the inbox and the first run ----

t0=$(date +%s)	# fresh messages are dated after it

pi_new bpf >/dev/null
e2e_check "messages added to bpf" pi_add bpf 0 $(find "$fixtures/series" -name '*.eml' | sort)
e2e_check "the inbox is served" start_server
url=http://127.0.0.1:$port/bpf/

# The tools missing: the Debian packages are named.  git first: the
# git config is read by it.
PATH=/nonexistent "$VGER" init --url "$url" >"$e2e_tmp/out/nogit" \
	2>"$e2e_tmp/out/nogit.err"
rc=$?
e2e_check "without git: exit 1" test "$rc" = 1
e2e_check "without git: the package is named" \
	has_err nogit "apt install git"
mkdir -p "$e2e_tmp/gitonly"
ln -sf "$(command -v git)" "$e2e_tmp/gitonly/git"
PATH=$e2e_tmp/gitonly "$VGER" init --url "$url" >"$e2e_tmp/out/nolei" \
	2>"$e2e_tmp/out/nolei.err"
rc=$?
e2e_check "without lei: exit 1" test "$rc" = 1
e2e_check "without lei: the package is named" \
	has_err nolei "apt install lei notmuch curl"

run_vger dry init --url "$url" --since 2000-01-01 --dry-run
e2e_check "init --dry-run: exit 0" test "$rc" = 0
e2e_check "init --dry-run: the lei command" \
	has dry "would run: lei q --only $url --no-import-remote --augment -o maildir:$maildir rt:2000-01-01.."
e2e_check "init --dry-run: the notmuch configuration" \
	has dry "would write $H/.notmuch-config: database.path="
e2e_check "init --dry-run: the git config" \
	has dry "would set in $H/.gitconfig: vger.list.bpf = bpf@vger.kernel.org"
e2e_check "init --dry-run writes nothing" \
	test ! -e "$H/.gitconfig" -a ! -e "$H/.notmuch-config" -a ! -e "$maildir"

run_vger drymd init --url "$url" --maildir "$e2e_tmp/mymail" --dry-run
e2e_check "init --maildir --dry-run: exit 0" test "$rc" = 0
e2e_check "init --maildir --dry-run: lei writes under it" \
	has drymd "-o maildir:$e2e_tmp/mymail/bpf "
e2e_check "init --maildir --dry-run: the new database is there" \
	has drymd "database.path=$e2e_tmp/mymail "
e2e_check "init --maildir --dry-run writes nothing" \
	test ! -e "$H/.gitconfig" -a ! -e "$H/.notmuch-config" -a \
	! -e "$e2e_tmp/mymail"

# No notmuch configuration file at all: the database is named in git
# config instead.
NOTMUCH_CONFIG=/dev/null run_vger drynocfg init --url "$url" --dry-run
e2e_check "init --dry-run without a notmuch config file: exit 0" \
	test "$rc" = 0
e2e_check "init --dry-run without a notmuch config file: notmuch new" \
	has drynocfg "would run: NOTMUCH_DATABASE=$XDG_DATA_HOME/vger/mail notmuch --config= new"
e2e_check "init --dry-run without a notmuch config file: vger.database" \
	has drynocfg "would set in $H/.gitconfig: vger.database = $XDG_DATA_HOME/vger/mail"
e2e_check "init --dry-run without a notmuch config file writes nothing" \
	test ! -e "$H/.gitconfig" -a ! -e "$XDG_DATA_HOME/vger"

run_vger unreachable init --url http://127.0.0.1:1/bpf/
e2e_check "init on a closed port: exit 1" test "$rc" = 1
e2e_check "init on a closed port: says so" \
	has_err unreachable "cannot connect to the server"
e2e_check "init on a closed port writes nothing" test ! -e "$H/.gitconfig"

run_vger init init --url "$url" --since 2000-01-01
e2e_check "init: exit 0" test "$rc" = 0
e2e_check "init: the notmuch configuration is made" \
	test "$(notmuch config get database.path)" = "$XDG_DATA_HOME/vger/mail"
e2e_check "init: the list in git config" \
	test "$(git config -f "$H/.gitconfig" vger.list.bpf)" = bpf@vger.kernel.org
e2e_check "init: bpf alone needs no vger.query" \
	test -z "$(git config -f "$H/.gitconfig" vger.query)"
e2e_check "init: lei fetched the inbox" \
	has init "lei q bpf: 81 messages in $maildir"
e2e_check "init: a saved search" \
	grep -qx "$maildir" <(lei ls-search)

cp "$H/.gitconfig" "$e2e_tmp/gitconfig.1"
cp "$H/.notmuch-config" "$e2e_tmp/notmuch-config.1"
run_vger othermd init --url "$url" --maildir "$e2e_tmp/elsewhere"
e2e_check "init --maildir against vger.maildir: exit 2" test "$rc" = 2
e2e_check "init --maildir against vger.maildir: said" \
	has_err othermd "vger.maildir is $XDG_DATA_HOME/vger/mail/lore"
e2e_check "init --maildir against vger.maildir: nothing changed" \
	cmp -s "$H/.gitconfig" "$e2e_tmp/gitconfig.1"
run_vger again init --url "$url" --since 2000-01-01
e2e_check "init again: exit 0" test "$rc" = 0
e2e_check "init again: the saved search is kept" has again "is there"
e2e_check "init again: git config as it was" \
	cmp -s "$H/.gitconfig" "$e2e_tmp/gitconfig.1"
e2e_check "init again: notmuch's configuration as it was" \
	cmp -s "$H/.notmuch-config" "$e2e_tmp/notmuch-config.1"

run_vger sync1 sync
e2e_check "sync: exit 0" test "$rc" = 0
e2e_check "sync: notmuch new adds the mail" \
	has sync1 "notmuch new: Added 81 new messages to the database."
e2e_check "sync: the model says what is new" \
	grep -qE '^series model: 81 messages read; 5 new series, 5 new versions' "$e2e_tmp/out/sync1"
run_vger series1 series
e2e_check "vger series shows the series" \
	has series1 "bpf: Mitigate Spectre v1 using barriers"
e2e_check "one file per message" \
	test "$(nm_count --output=files '*')" = "$(nm_count '*')"

# ---- a second batch arrives, and only it is read ----

batch2=$(find "$fixtures/single/2021-03-08_selftests-bpf-fix-typo-in" \
	"$fixtures/single/2021-11-12_tools-runqslower-fix-cros" \
	"$fixtures/single/2022-05-18_selftests-bpf-fix-some-bu" \
	"$fixtures/pulls/bpf" -name '*.eml' | sort)
n2=$(echo "$batch2" | wc -l)
e2e_check "messages added to bpf" pi_add bpf 1 $batch2
before=$(nm_count "$query")
run_vger sync2 sync
after=$(nm_count "$query")
e2e_check "second sync: exit 0" test "$rc" = 0
e2e_check "second sync: lei up brings the batch" \
	has sync2 "lei up bpf: $n2 new messages"
e2e_check "second sync: notmuch adds the batch" \
	has sync2 "notmuch new: Added $n2 new messages to the database."
e2e_check "second sync: the model reads only the new messages" \
	grep -qE "^series model: $((after - before)) messages read; [1-9][0-9]* new series" \
	"$e2e_tmp/out/sync2"
run_vger series2 series
e2e_check "the new series is listed" has series2 "selftests/bpf: Fix typo"
run_vger sync3 sync
e2e_check "a sync with nothing new reads nothing" \
	grep -qE '^series model: 0 messages read; 0 new series, 0 new versions' \
	"$e2e_tmp/out/sync3"
e2e_check "no temporary directory is left" \
	test -z "$(ls -A "$TMPDIR")"

# ---- another list into the same database ----

pi_new netdev >/dev/null
kill -HUP "$server_pid"		# the server reads its configuration again
e2e_until 60 curl -sf -o /dev/null "http://127.0.0.1:$port/netdev/"
e2e_check "messages added to netdev" pi_add netdev 0 $(find "$fixtures/pulls/2022-06-29_netfilter-fixes-for-net" \
	"$fixtures/pulls/2025-07-10_netfilter-updates-for-net" -name '*.eml' | sort)
e2e_check "netdev's series are not listed yet" \
	hasnt series2 "Netfilter fixes for net"
run_vger netdev init --list netdev --url "http://127.0.0.1:$port/netdev/" \
	--since 2000-01-01
e2e_check "init --list netdev: exit 0" test "$rc" = 0
e2e_check "init --list netdev: the query follows the lists" \
	test "$(git config -f "$H/.gitconfig" vger.query)" = "$query or to:netdev@vger.kernel.org or cc:netdev@vger.kernel.org"
e2e_check "init --list netdev: its own Maildir under the same root" \
	test -d "$XDG_DATA_HOME/vger/mail/lore/netdev/cur"
run_vger sync4 sync
e2e_check "sync of two lists: exit 0" test "$rc" = 0
e2e_check "sync of two lists: lei up of each" \
	has sync4 "lei up netdev: 0 new messages"
run_vger series4 series
e2e_check "netdev's series are listed beside bpf's" \
	has series4 "Netfilter fixes for net"
e2e_check "bpf's are still there" has series4 "bpf: Mitigate Spectre v1"

# ---- faults ----

total=$(nm_count '*')
stop_server
run_vger gone sync
e2e_check "server gone: exit 1" test "$rc" = 1
e2e_check "server gone: the step and the cause" \
	has_err gone "lei up bpf: $url: cannot connect to the server"
e2e_check "server gone: nothing lost" test "$(nm_count '*')" = "$total"

start_fault 404
run_vger e404 sync
e2e_check "HTTP 404: exit 1" test "$rc" = 1
e2e_check "HTTP 404: said" has_err e404 "no public-inbox there (HTTP 404)"
stop_fault

start_fault 500
run_vger e500 sync
e2e_check "HTTP 500: exit 1" test "$rc" = 1
e2e_check "HTTP 500: said, naming the step" \
	grep -qE 'lei up bpf failed: the server answered with an HTTP error.*500' \
	"$e2e_tmp/out/e500.err"
stop_fault

# lei's own fetch answered with 429: lei (its curl) fails, vger says
# the step and the cause, exits 1 in bounded time, nothing is lost
# (the later syncs complete).
total=$(nm_count '*')
start_fault 429
start=$(date +%s)
run_vger e429 sync
e2e_check "HTTP 429: exit 1" test "$rc" = 1
e2e_check "HTTP 429: said, naming the step" \
	grep -q 'lei up bpf failed: the server answered with an HTTP error.*429' \
	"$e2e_tmp/out/e429.err"
e2e_check "HTTP 429: within a minute" \
	test $(($(date +%s) - start)) -lt $((60 * e2e_slow))
e2e_check "HTTP 429: nothing lost" test "$(nm_count '*')" = "$total"
stop_fault

# lei's search answered with a redirect to itself.  lei 1.9 runs curl
# without --location and would take the 302 for an empty answer ("0
# new messages"); vger's .curlrc makes it curl's error 47.
start_fault redirect
run_vger redir sync
e2e_check "redirect loop: lei asked" grep -q "x=m" "$e2e_tmp/fault.log"
e2e_check "redirect loop: exit 1" test "$rc" = 1
e2e_check "redirect loop: said, naming the step" \
	has_err redir "lei up bpf failed: the server answered with a redirect"
e2e_check "redirect loop: not taken for nothing new" \
	hasnt redir "0 new messages"
e2e_check "redirect loop: nothing lost" test "$(nm_count '*')" = "$total"
stop_fault

git config -f "$H/.gitconfig" vger.syncTimeout 2
start_fault hang
start=$(date +%s)
run_vger slow sync
e2e_check "slow server: exit 1" test "$rc" = 1
e2e_check "slow server: gives up after vger.syncTimeout" \
	test $(($(date +%s) - start)) -lt 30
e2e_check "slow server: said" has_err slow "did not answer in time"
stop_fault

# The server dies while lei waits for its answer.
start_fault hang
"$VGER" sync >"$e2e_tmp/out/died" 2>"$e2e_tmp/out/died.err" &
vger_pid=$!
git config -f "$H/.gitconfig" --unset vger.syncTimeout
e2e_check "mid-run: lei is asking" \
	e2e_until 60 grep -q "x=m" "$e2e_tmp/fault.log"
stop_fault
wait "$vger_pid"
rc=$?
e2e_check "server died mid-run: exit 1" test "$rc" = 1
e2e_check "server died mid-run: said" \
	grep -qE 'lei up bpf failed: .*(closed the connection|broke)' "$e2e_tmp/out/died.err"

batch3=$(find "$fixtures/single/2023-07-07_selftests-bpf-corrected-t" -name '*.eml')
e2e_check "messages added to bpf" pi_add bpf 1 $batch3
e2e_check "the server is back on its port" start_server "$port"
run_vger back sync
e2e_check "the next sync recovers" test "$rc" = 0
e2e_check "the next sync fetches what was missed" \
	has back "lei up bpf: $(echo "$batch3" | wc -l) new messages"

# lei's search answered with a gzip bomb: 1.5 MB that inflates to
# 1 GiB without a message in it.  lei inflates it itself and, with no
# message to cut, keeps scanning a growing buffer for hours; vger stops
# it after twice vger.syncTimeout without a line or a message written.
# lei's worker goes with it, the list is marked, and the next sync
# makes its saved search anew.
total=$(nm_count '*')
stop_server
git config -f "$H/.gitconfig" vger.syncTimeout 2
start_fault bomb
start=$(date +%s)
run_vger bomb sync
e2e_check "gzip bomb: lei asked" grep -q "x=m" "$e2e_tmp/fault.log"
e2e_check "gzip bomb: exit 1" test "$rc" = 1
e2e_check "gzip bomb: stopped in bounded time" \
	test $(($(date +%s) - start)) -lt $((30 * e2e_slow))
e2e_check "gzip bomb: said, naming the step" \
	has_err bomb "lei up bpf failed: lei printed nothing and wrote no message for 4 s"
# Every process under this test's lei daemon, and whether one is the
# worker that reads the answer.
lei_fetching() {
	local daemon
	daemon=$(pgrep -f "lei-daemon $XDG_RUNTIME_DIR/") || return 1
	ps -eo pid=,ppid=,args= | python3 -c '
import sys
root = sys.argv[1]
procs = [l.split(None, 2) for l in sys.stdin if l.strip()]
parent = {p[0]: p[1] for p in procs}
def under(pid):
    while pid in parent and pid != "1":
        if pid == root:
            return True
        pid = parent[pid]
    return False
sys.exit(0 if any(len(p) > 2 and "query_remote_mboxrd" in p[2] and
                  under(p[0]) for p in procs) else 1)' "$daemon"
}
e2e_check "gzip bomb: lei's daemon is there to look under" \
	pgrep -f "lei-daemon $XDG_RUNTIME_DIR/"
e2e_check "gzip bomb: lei's worker is gone" e2e_until 10 eval '! lei_fetching'
e2e_check "gzip bomb: the list is marked unfinished" \
	test -s "$XDG_STATE_HOME/vger/sync/bpf.unfinished"
e2e_check "gzip bomb: nothing lost" test "$(nm_count '*')" = "$total"
stop_fault
git config -f "$H/.gitconfig" --unset vger.syncTimeout
e2e_check "the server is back on its port" start_server "$port"
run_vger afterbomb sync
e2e_check "after the bomb, the next sync completes" test "$rc" = 0
e2e_check "after the bomb, the saved search is made anew" \
	has afterbomb "making its saved search anew"
e2e_check "after the bomb, the mark is gone" \
	test ! -e "$XDG_STATE_HOME/vger/sync/bpf.unfinished"

# Ctrl-C while half of an answer has come.
# Large enough for lei to write some before the answer stops: it
# reads 64 KiB at a time.
batch4=$(find "$fixtures/bot-notices" "$fixtures/pw-bot-commands" \
	-name '*.eml' | sort)
e2e_check "messages added to bpf" pi_add bpf 1 $batch4
real=$port
stop_server
start_server			# the real one on a port of its own
upstream=$port
port=$real
start_fault partial "$upstream"
before=$(files "$maildir")
"$VGER" sync >"$e2e_tmp/out/int" 2>"$e2e_tmp/out/int.err" &
vger_pid=$!
e2e_check "mid-transfer: half of the answer is sent" \
	e2e_until 60 grep -q "sent half" "$e2e_tmp/fault.log"
# lei hands what it parsed to its writers in batches: nothing shows
# before it stops, so nothing to wait for.
kill -INT "$vger_pid"
wait "$vger_pid"
rc=$?
e2e_check "Ctrl-C: exit 1" test "$rc" = 1
e2e_check "Ctrl-C: says where" has_err int "interrupted during lei up bpf"
echo "note: the interrupted lei up wrote $(($(files "$maildir") - before)) of $(echo "$batch4" | wc -l) messages"
stop_fault
stop_server
e2e_check "the server is back" start_server "$port"
# What a writer killed in the middle of a message leaves.
mkdir -p "$maildir/tmp"
echo "Subject: half" >"$maildir/tmp/1.killed.writer"
touch -d '1 hour ago' "$maildir/tmp/1.killed.writer"
run_vger afterint sync
e2e_check "after Ctrl-C what a killed writer left is removed" \
	test ! -e "$maildir/tmp/1.killed.writer"
e2e_check "after Ctrl-C the removal is said" \
	has afterint "the stopped run left half written"
e2e_check "after Ctrl-C the next sync completes" test "$rc" = 0
# lei's daemon kills its writers, which record a message as seen
# before they write it: lei up alone may never fetch one again.
e2e_check "after Ctrl-C the saved search is made anew" \
	has afterint "making its saved search anew"
echo "note: after Ctrl-C: $(find "$maildir/new" "$maildir/cur" -type f | wc -l) files in new/ and cur/, $(find "$maildir/tmp" -type f 2>/dev/null | wc -l) in tmp/, notmuch: $(nm_count --output=files '*') files of $(nm_count '*') messages, $(nm_count "folder:lore/bpf") in the folder"
e2e_check "after Ctrl-C every message is there once" \
	test "$(nm_count --output=files '*')" = "$(nm_count '*')" -a \
	"$(files "$maildir")" = "$(nm_count "folder:lore/bpf")"
e2e_check "after Ctrl-C the whole batch is indexed" \
	test "$(nm_count "date:@$((t0 - 60)).." )" = \
	$((n2 + $(echo "$batch3" | wc -l) + $(echo "$batch4" | wc -l)))

# notmuch new failing: a pre-new hook that refuses.
db=$XDG_DATA_HOME/vger/mail
mkdir -p "$db/.notmuch/hooks"
printf '#!/bin/sh\necho "the hook says no" >&2\nexit 3\n' >"$db/.notmuch/hooks/pre-new"
chmod +x "$db/.notmuch/hooks/pre-new"
e2e_check "messages added to bpf" pi_add bpf 1 $(find "$fixtures/pulls/2023-03-31_netfilter-updates-for-net" -name '*.eml')
total=$(nm_count '*')
run_vger hook sync
e2e_check "notmuch new failing: exit 1" test "$rc" = 1
e2e_check "notmuch new failing: the step and its words" \
	grep -qE 'notmuch new failed: .*the hook says no|notmuch new failed: .*pre-new' "$e2e_tmp/out/hook.err"
e2e_check "notmuch new failing: nothing lost" test "$(nm_count '*')" = "$total"
rm "$db/.notmuch/hooks/pre-new"
run_vger nohook sync
e2e_check "the next sync indexes what was fetched" \
	test "$rc" = 0 -a "$(nm_count '*')" = $((total + 1))

# The database locked by another writer.
e2e_check "messages added to bpf" pi_add bpf 1 $(find "$fixtures/netfilter-bpf/2022-09-08_selftests-bpf-fix-ct-stat" -name '*.eml')
mkfifo "$e2e_tmp/fifo"
notmuch tag --batch <"$e2e_tmp/fifo" &
lock_pid=$!
exec 7>"$e2e_tmp/fifo"
holds_lock() { ls -l "/proc/$lock_pid/fd" 2>/dev/null | grep -q flintlock; }
e2e_check "another process holds the lock" e2e_until 30 holds_lock
total=$(nm_count '*')
run_vger locked sync
e2e_check "database locked: exit 1" test "$rc" = 1
e2e_check "database locked: said" has_err locked "locked by another process"
exec 7>&-
wait "$lock_pid"
lock_pid=
run_vger unlocked sync
e2e_check "unlocked: the next sync indexes what was fetched" \
	test "$rc" = 0 -a "$(nm_count '*')" = $((total + 3))

# ---- the TUI: $ syncs in the background ----

e2e_check "messages added to bpf" pi_add bpf 1 $(find "$fixtures/netfilter-bpf/2023-04-21_bpf-add-netfilter-program" -name '*.eml' | sort)
e2e_start tui "env LINES= COLUMNS= $VGER"
e2e_check "the TUI opens" e2e_wait tui "[series]" 60
e2e_check "the new series is not there yet" \
	bash -c "! $T capture-pane -p -t tui | grep -q 'add netfilter program type'"
$T send-keys -t tui '$'
e2e_check "\$ says the step" e2e_wait tui "sync: " 30
e2e_check "\$ says what came" e2e_wait tui "sync: 15 new messages" 120
e2e_check "the list shows the new series" \
	e2e_wait tui "add netfilter program type" 30
# The screen answers keys while a sync waits on a server that does not
# answer: a second $ is refused at once, and the failure is shown.
stop_server
start_fault hang
git config -f "$H/.gitconfig" vger.syncTimeout 5
$T send-keys -t tui '$'
e2e_check "\$ on a silent server says the step" e2e_wait tui "sync: lei up" 30
$T send-keys -t tui '$'
e2e_check "keys are read while a sync runs" \
	e2e_wait tui "A sync is running already" 5
e2e_check "\$ on a silent server: the failure on the status line" \
	e2e_wait tui "sync: lei up failed for 2 of 2 lists" 90
git config -f "$H/.gitconfig" --unset vger.syncTimeout
stop_fault
e2e_check "the server is back" start_server "$port"
$T send-keys -t tui q
e2e_check "q quits" e2e_wait tui "[exit 0]" 30

# ---- a full disk ----

tfs=$e2e_tmp/tfs
mkdir -p "$tfs" "$e2e_tmp/db2"
if ! mount -t tmpfs -o size=256k tmpfs "$tfs" 2>"$e2e_tmp/mount.err"; then
	echo "SKIP: a full disk (cannot mount a small tmpfs: $(cat "$e2e_tmp/mount.err"))"
	tfs=
else
	# A user with a notmuch set-up of their own: mail on the small disk.
	export NOTMUCH_CONFIG=$e2e_tmp/notmuch-config.2 \
		GIT_CONFIG_GLOBAL=$e2e_tmp/gitconfig.2 \
		XDG_STATE_HOME=$e2e_tmp/state2 XDG_CACHE_HOME=$e2e_tmp/cache2
	printf '[database]\npath=%s\nmail_root=%s\n' "$e2e_tmp/db2" "$tfs" \
		>"$NOTMUCH_CONFIG"
	notmuch new >/dev/null
	cp "$NOTMUCH_CONFIG" "$e2e_tmp/notmuch-config.2.orig"
	run_vger outside init --url "$url" --maildir "$e2e_tmp/outside"
	e2e_check "init --maildir outside notmuch's mail root: exit 2" \
		test "$rc" = 2
	e2e_check "init --maildir outside notmuch's mail root: said" \
		has_err outside "is not under notmuch's mail root $tfs"
	e2e_check "init --maildir outside notmuch's mail root writes nothing" \
		test ! -e "$GIT_CONFIG_GLOBAL" -a ! -e "$e2e_tmp/outside"
	run_vger full init --url "$url" --since 2000-01-01
	e2e_check "full disk: exit 1" test "$rc" = 1
	e2e_check "full disk: says so" has_err full "No space left on device"
	e2e_check "full disk: the user's notmuch configuration is kept" \
		cmp -s "$NOTMUCH_CONFIG" "$e2e_tmp/notmuch-config.2.orig"
	mount -o remount,size=64m "$tfs"
	run_vger roomy sync
	e2e_check "room again: the next sync completes" test "$rc" = 0
	e2e_check "room again: the saved search is made anew" \
		has roomy "making its saved search anew"
	e2e_check "room again: every message of the inbox, once" \
		test "$(files "$tfs/lore/bpf")" = "$(nm_count '*')" -a \
		"$(nm_count '*')" = "$(git --git-dir="$e2e_tmp/pi/bpf/git/0.git" rev-list --count master)"
fi
exit $e2e_fail
