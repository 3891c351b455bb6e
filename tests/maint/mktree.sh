#!/bin/sh
# Make a kernel-like tree for the MAINTAINERS tests: the files and
# directories get_maintainer.pl looks for at the top of a kernel tree,
# the directories named in tests/fixtures/maint/dirs.txt (so that F:
# patterns naming them are read as directories, as in a real tree),
# the .yaml files of tests/fixtures/maint/tree, and the given
# MAINTAINERS and .mailmap.
#
# usage: mktree.sh DEST MAINTAINERS [MAILMAP]
set -eu
dest=$1
maint=$2
mailmap=${3:-}
fix=$(cd "$(dirname "$0")/../fixtures/maint" && pwd)
mkdir -p "$dest"
for d in Documentation arch include drivers fs init ipc kernel lib scripts; do
	mkdir -p "$dest/$d"
done
for f in COPYING CREDITS Kbuild Makefile README; do
	: > "$dest/$f"
done
while read -r d; do
	mkdir -p "$dest/$d"
done < "$fix/dirs.txt"
cp -R "$fix/tree/." "$dest/"
cp "$maint" "$dest/MAINTAINERS"
if [ -n "$mailmap" ]; then
	cp "$mailmap" "$dest/.mailmap"
fi
