#!/bin/bash
# vger demo under tmux: it opens the TUI on a generated corpus, and its
# temporary directory is gone afterwards, also after Ctrl-C.
. "$(dirname "$0")/lib.sh"
e2e_need_tmux
VGER=${VGER:-./vger}
e2e_tmp=$(mktemp -d /tmp/vger-e2e.XXXXXX)
trap e2e_cleanup EXIT
mkdir -p "$e2e_tmp/tmp1" "$e2e_tmp/tmp2"

e2e_start demo "env TMPDIR=$e2e_tmp/tmp1 XDG_CACHE_HOME=$e2e_tmp/cache $VGER demo --messages 400"
e2e_check "demo opens the series list" e2e_wait demo "[series] all" 120
e2e_check "the whole model is read" e2e_wait demo " series, " 60
screen=$(e2e_screen demo)
e2e_check "demo shows applied series" grep -q ' applied ' <<<"$screen"
e2e_check "demo shows bpf-next series" grep -qE '^ *[0-9]+(m|h|d|w|mo|y) +bpf-next ' <<<"$screen"
e2e_check "the banner says the merge window" grep -q '^bpf-next ' <<<"$screen"
$T send-keys -t demo q
e2e_check "q quits" e2e_wait demo "[exit 0]" 30
e2e_check "demo says what it indexed" grep -q 'indexed 400 messages' <<<"$(e2e_screen demo)"
e2e_check "demo removes its directory" test -z "$(ls -A "$e2e_tmp/tmp1")"
e2e_check "demo leaves the user's cache alone" test ! -e "$e2e_tmp/cache"

# Ctrl-C while it generates a large corpus.
e2e_start big "env TMPDIR=$e2e_tmp/tmp2 $VGER demo --messages 3000000"
e2e_check "big demo starts" e2e_wait big "generating" 30
e2e_check "big demo made its directory" test -n "$(ls -A "$e2e_tmp/tmp2")"
$T send-keys -t big C-c
e2e_check "Ctrl-C ends it" e2e_wait big "[exit 130]" 60
e2e_check "Ctrl-C removes the directory" test -z "$(ls -A "$e2e_tmp/tmp2")"
exit $e2e_fail
