# Shared by the end-to-end tests: a private tmux server, polling.
# Each test prints PASS:/FAIL: lines (tests/driver counts them).

T="tmux -L vger-e2e-$$ -f /dev/null"
e2e_fail=0

e2e_need_tmux() {
	command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; exit 77; }
}

e2e_cleanup() {
	$T kill-server 2>/dev/null
	[ -n "${e2e_tmp:-}" ] && rm -rf "$e2e_tmp"
}

# e2e_start NAME COMMAND...: run COMMAND in a 100x30 pane; the pane
# stays after the command ends, so its last screen can be read.
e2e_start() {
	local name=$1
	shift
	$T new-session -d -s "$name" -x 100 -y 30 "$*; echo \"[exit \$?]\"; sleep 600"
}

e2e_screen() {
	$T capture-pane -p -t "$1" -S -200
}

# A slow vger (tests/valgrind.sh sets VGER_E2E_SLOW=10) gets that many
# times longer in every wait.
e2e_slow=${VGER_E2E_SLOW:-1}

# e2e_wait NAME TEXT [SECONDS]: poll the pane until TEXT appears.
e2e_wait() {
	local name=$1 text=$2 limit=$((${3:-60} * e2e_slow)) i=0
	while [ $i -lt $((limit * 10)) ]; do
		e2e_screen "$name" | grep -qF -- "$text" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

e2e_check() {
	local what=$1
	shift
	if "$@"; then
		echo "PASS: $what"
	else
		echo "FAIL: $what"
		e2e_fail=1
	fi
}

# e2e_until SECONDS COMMAND...: poll until COMMAND succeeds.
e2e_until() {
	local limit=$(($1 * e2e_slow)) i=0
	shift
	while [ $i -lt $((limit * 10)) ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# e2e_shell NAME DIR [COLS LINES]: a plain shell in a pane of its own
# (no rc files, prompt "$ "), in DIR; type into it with e2e_type.
e2e_shell() {
	$T new-session -d -s "$1" -c "$2" -x "${3:-100}" -y "${4:-30}" \
		"env -i PATH=$PATH HOME=$2 TERM=screen LC_ALL=C.UTF-8 PS1='\$ ' HISTFILE=/dev/null bash --norc --noprofile"
}

# e2e_type NAME TEXT: type a line (Enter at the end).
e2e_type() {
	$T send-keys -t "$1" -l "$2"
	$T send-keys -t "$1" Enter
}

# e2e_line NAME N: line N (0 first) of what the pane shows now.
e2e_line() {
	$T capture-pane -p -t "$1" | sed -n "$(($2 + 1))p"
}

# e2e_pane NAME FORMAT: a tmux format of the pane (#{pane_title}, ...).
e2e_pane() {
	$T display-message -p -t "$1" "$2"
}

# e2e_nm ARGS...: notmuch on the database e2e_notmuch_new made.
e2e_nm() {
	NOTMUCH_CONFIG=$e2e_tmp/notmuch-config notmuch "$@"
}

# e2e_notmuch_new MAILDIR: a notmuch database over MAILDIR, with its
# config in $e2e_tmp (no config of the user's is read).
e2e_notmuch_new() {
	cat >"$e2e_tmp/notmuch-config" <<EOF_CONFIG
[database]
path=$1
[user]
name=Test User
primary_email=test@example.org
[new]
tags=unread;inbox
ignore=/[.](tsv|md|txt)$/
[maildir]
synchronize_flags=false
EOF_CONFIG
	e2e_nm new --quiet
}

# e2e_mail_setup: what the tests that write mail share: notmuch and
# python3 (else skip), $VGER, $fixtures, $e2e_tmp (removed at the end)
# and $db, a notmuch database over the series of tests/fixtures/tui/order.
e2e_mail_setup() {
	e2e_need_tmux
	command -v notmuch >/dev/null ||
		{ echo "SKIP: notmuch not installed"; exit 77; }
	command -v python3 >/dev/null ||
		{ echo "SKIP: python3 not installed"; exit 77; }
	VGER=$(realpath "${VGER:-./vger}")
	fixtures=$(realpath "${top_srcdir:-.}/tests/fixtures")
	export LC_ALL=C.UTF-8
	e2e_tmp=$(mktemp -d /tmp/vger-e2e.XXXXXX)
	trap e2e_cleanup EXIT
	db=$e2e_tmp/mail
	mkdir -p "$db"
	cp -R "$fixtures/tui/order" "$db/"
	e2e_notmuch_new "$db" || { echo "FAIL: notmuch new"; exit 1; }
}

# e2e_smtpd DIR [OPTION...]: tests/smtpd.py on loopback, recording in
# DIR (made), its port in $e2e_smtp_port.  It reads this shell's fd 3
# as its stdin, so it ends with the test whatever happens.
e2e_smtpd() {
	local dir=$1
	shift
	mkdir -p "$dir"
	exec 3> >(exec python3 "$(realpath "${top_srcdir:-.}")/tests/smtpd.py" \
		"$@" "$dir" >"$dir.port")
	e2e_until 20 test -s "$dir.port" ||
		{ echo "FAIL: tests/smtpd.py did not start"; exit 1; }
	e2e_smtp_port=$(head -1 "$dir.port")
}

# e2e_git_user: Test User's global git config, sending to the server of
# e2e_smtpd; GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM exported.
e2e_git_user() {
	export GIT_CONFIG_GLOBAL=$e2e_tmp/gitconfig GIT_CONFIG_NOSYSTEM=1
	cat >"$GIT_CONFIG_GLOBAL" <<EOF_CONFIG
[user]
	name = Test User
	email = test@example.org
[init]
	defaultBranch = master
[sendemail]
	smtpServer = 127.0.0.1
	smtpServerPort = $e2e_smtp_port
EOF_CONFIG
}

# e2e_kernel_tree DIR: a new git repository with a MAINTAINERS whose
# BPF section covers kernel/bpf/ (made, empty).
e2e_kernel_tree() {
	git init -q "$1"
	mkdir -p "$1/kernel/bpf"
	cat >"$1/MAINTAINERS" <<'EOF_MAINT'
BPF [GENERAL] (Safe Dynamic Programs and Tools)
M:	Alexei Starovoitov <ast@kernel.org>
M:	Daniel Borkmann <daniel@iogearbox.net>
L:	bpf@vger.kernel.org
S:	Supported
F:	kernel/bpf/
EOF_MAINT
}

# e2e_cover_letter DIR TEXT: store TEXT as the cover letter of the
# branch checked out in DIR, through vger respin --edit-cover.
e2e_cover_letter() {
	printf '#!/bin/sh\nprintf "%%s\\n" "$E2E_COVER" >"$1"\n' \
		>"$e2e_tmp/cover-editor"
	chmod +x "$e2e_tmp/cover-editor"
	(cd "$1" && E2E_COVER=$2 EDITOR=$e2e_tmp/cover-editor \
		NOTMUCH_CONFIG=/dev/null "$VGER" respin --edit-cover >/dev/null)
}
