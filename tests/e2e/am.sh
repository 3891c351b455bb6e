#!/bin/bash
# The TUI's s and A keys under tmux: on a series' version, s saves the
# mbox vger am writes (asking where), A applies it with git am to a
# repository (vger.linux unset: asked), the result on the status line.
. "$(dirname "$0")/lib.sh"
e2e_need_tmux
command -v notmuch >/dev/null || { echo "SKIP: notmuch not installed"; exit 77; }
VGER=${VGER:-./vger}
top=${top_srcdir:-.}
e2e_tmp=$(mktemp -d /tmp/vger-e2e-am.XXXXXX)
trap e2e_cleanup EXIT
mkdir -p "$e2e_tmp/mail" "$e2e_tmp/out"
cp -R "$top/tests/fixtures/am/review" "$e2e_tmp/mail/"
printf '[database]\npath=%s/mail\n[new]\nignore=/[.]md$/\n' "$e2e_tmp" >"$e2e_tmp/nm"
NOTMUCH_CONFIG=$e2e_tmp/nm notmuch new --quiet
# the tree the fixture patches apply to
repo=$e2e_tmp/repo
git init -q "$repo"
for f in alpha beta gamma; do
	printf '/* %s */\nint %s_one(void)\n{\n\treturn 1;\n}\n\nint %s_two(void)\n{\n\treturn 2;\n}\n' \
		$f $f $f >"$repo/$f.c"
done
mkdir -p "$repo/tools/lib/bpf"
printf 'int libbpf_x(void)\n{\n\treturn 0;\n}\n' >"$repo/tools/lib/bpf/libbpf.c"
export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.org
git -C "$repo" add . && git -C "$repo" commit -qm base

e2e_start am "env XDG_CACHE_HOME=$e2e_tmp/cache $VGER --db $e2e_tmp/mail"
e2e_check "the list shows the series" e2e_wait am "Review rules in one thread" 60
$T send-keys -t am Enter
e2e_check "Enter opens it" e2e_wait am "v2 of 1" 30
$T send-keys -t am s
e2e_check "s asks where" e2e_wait am "save the mbox in: ." 10
$T send-keys -t am C-u "$e2e_tmp/out" Enter
e2e_check "s saves the mbox" e2e_wait am "Saved $e2e_tmp/out/v2_20250302_ana_review_rules_in_one_thread.mbx: 3 patches" 30
e2e_check "the file is there" test -s "$e2e_tmp/out/v2_20250302_ana_review_rules_in_one_thread.mbx"
$T send-keys -t am A
e2e_check "A asks for a repository without vger.linux" e2e_wait am "apply to the git repository:" 10
$T send-keys -t am "$repo" Enter
e2e_check "A applies it" e2e_wait am "Applied 3 patches to $repo" 30
e2e_check "git has the patches" test "$(git -C "$repo" rev-list --count HEAD)" = 4
$T send-keys -t am : "save-mbox $e2e_tmp/out2" Enter
e2e_check ":save-mbox DIR saves too" e2e_wait am "Saved $e2e_tmp/out2/" 30
$T send-keys -t am Q
e2e_check "Q quits" e2e_wait am "[exit 0]" 30
exit $e2e_fail
