#!/bin/bash
# Patchwork in the TUI end to end (issue 16): the real vger under tmux
# on the mail fixtures, patchwork's recorded REST API pages served by
# tests/httpd.py on 127.0.0.1.  The loader syncs in the background: the
# rows get patchwork's state and the CI mark, the series view the
# failing check's link; then a server that never answers: the cached
# states are on the first screen and the keys work while the fetch
# waits out its 5 s, after which the failure and its age are said.
. "$(dirname "$0")/lib.sh"
e2e_need_tmux
for p in notmuch python3; do
	command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
VGER=$(realpath "${VGER:-./vger}")
top=$(realpath "${top_srcdir:-.}")
fixtures=$top/tests/fixtures
export LC_ALL=C.UTF-8
e2e_tmp=$(mktemp -d /tmp/vger-pw.XXXXXX)
server_pid=
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	e2e_cleanup
}
trap cleanup EXIT

db=$e2e_tmp/mail
mkdir -p "$db"
cp -R "$fixtures/mail/series/2024-04-29_free-strdup-memory-in-sel" \
	"$fixtures/mail/series/2024-11-18_bpf-vsock-fix-poll-and-cl" "$db/"
e2e_notmuch_new "$db" || { echo "FAIL: notmuch new"; exit 1; }

# The server lives while fd 3 (its stdin) is open.
mkfifo "$e2e_tmp/in"
python3 "$top/tests/httpd.py" "$fixtures/patchwork" <"$e2e_tmp/in" \
	>"$e2e_tmp/port" &
server_pid=$!
exec 3>"$e2e_tmp/in"
e2e_until 10 test -s "$e2e_tmp/port" || { echo "FAIL: no server"; exit 1; }
port=$(head -1 "$e2e_tmp/port")

config() {
	cat >"$e2e_tmp/gitconfig" <<EOF_CONFIG
[vger]
	database = $db
	patchwork = http://127.0.0.1:$port/pw/$1
EOF_CONFIG
}
# 160 columns: the rows have every cell, the links their whole length.
vger() {
	$T new-session -d -s t -x 160 -y 30 env TZ=UTC GIT_CONFIG_NOSYSTEM=1 \
		GIT_CONFIG_GLOBAL="$e2e_tmp/gitconfig" \
		NOTMUCH_CONFIG="$e2e_tmp/notmuch-config" VGER_NOW=$1 \
		XDG_CACHE_HOME="$e2e_tmp/cache" sh -c \
		"'$VGER'; echo \"[exit \$?]\"; sleep 600"
}
screen() { e2e_screen t; }
row_has() { screen | grep -F -- "$1" | grep -qF -- "$2"; }

config pw1
vger 2024-12-02
e2e_check "the series list opens" e2e_wait t "[series] all" 30
e2e_check "patchwork's state and CI mark in the row" \
	e2e_until 15 row_has "Michal Luczaj" \
	"changes-requested CI ✗ 1 fail"
e2e_check "a passing series has its mark" \
	row_has "Geliang Tang" "accepted          CI ✓ 6/6"
e2e_check "the title says the cache's age" \
	e2e_wait t "by last activity, patchwork 0m old" 5
$T send-keys -t t Enter
e2e_check "the series view: patchwork's state, the mail's beside it" \
	e2e_until 10 row_has "▶ v1" "changes-requested     4/4"
e2e_check "the series view: CI mark and mail state" \
	row_has "▶ v1" "CI ✗ 1 fail  mail: applied  delegate bpf"
e2e_check "the failing check's link" \
	e2e_wait t "CI ✗ bpf/vmtest-bpf-VM_Test-12 https://github.com/kernel-patches/bpf/actions/runs/119000/job/33162" 5
$T send-keys -t t q q
e2e_check "vger quits" e2e_wait t "[exit 0]" 10

# A server that never answers, a day later: the cache is stale, the
# loader's sync waits; the screen and the keys do not.
config hang
$T kill-session -t t
vger 2024-12-03
start=$(date +%s%N)
e2e_check "the cached states are on the first screen" \
	e2e_until 10 row_has "Michal Luczaj" "changes-requested"
$T send-keys -t t j
e2e_check "keys work while patchwork is fetched" \
	e2e_until 3 sh -c "$T capture-pane -p -t t | grep -qE '^\\[series.* 2/2\$'"
elapsed=$((($(date +%s%N) - start) / 1000000))
e2e_check "...before its 5 s budget is spent (${elapsed} ms)" \
	test "$elapsed" -lt 4500
e2e_check "then the failure is said with its age" \
	e2e_wait t "patchwork failed 0m ago" 15
e2e_check "and the states stay" \
	row_has "Michal Luczaj" "changes-requested CI ✗ 1 fail"
$T send-keys -t t q
e2e_check "vger quits" e2e_wait t "[exit 0]" 10
exit $e2e_fail
