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

# e2e_wait NAME TEXT [SECONDS]: poll the pane until TEXT appears.
e2e_wait() {
	local name=$1 text=$2 limit=${3:-60} i=0
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
