#!/bin/sh
# Issue 10, item 2 as a class: everything the command line writes goes
# through the one writer (cli/out.c), which makes it safe for a terminal
# as it is written.  A stdio writer on a stream anywhere else in cli/ or
# in vger.c could print mail text raw: name each one and fail.  (The
# TUI draws only through tui/paint.c from lines tui/line.c sanitised;
# the models never print.)
srcdir=${top_srcdir:-${srcdir:-.}}
cd "$srcdir" || exit 99
[ -f cli/out.c ] || { echo "raw-output.sh: no cli/out.c in $srcdir"; exit 99; }
pattern='(^|[^_a-zA-Z0-9.>])(printf|fprintf|vprintf|vfprintf|dprintf|puts|fputs|putchar|putc|fputc|fwrite|perror|psignal|err|errx|warn|warnx)[[:space:]]*\('
# Comments and string literals say these words too: strip them first.
found=$(for f in cli/*.c vger.c; do
	[ "$f" = cli/out.c ] && continue
	sed -e 's://.*$::' -e 's:"\([^"\\]\|\\.\)*":"":g' "$f" |
	awk -v f="$f" '
		{ line = $0 }
		incomment { if (sub(/.*\*\//, "", line)) incomment = 0; else next }
		{ while (match(line, /\/\*/)) {
			rest = substr(line, RSTART + 2)
			if (match(rest, /\*\//)) {
				line = substr(line, 1, index(line, "/*") - 1) \
				       substr(rest, RSTART + 2)
			} else {
				line = substr(line, 1, index(line, "/*") - 1)
				incomment = 1
			}
		  }
		  print f ":" NR ": " line }' |
	grep -E "$pattern"
done)
if [ -n "$found" ]; then
	echo "raw-output.sh: written past cli/out.c (use cli_out()):"
	printf "%s\n" "$found"
	echo "1 passed, 1 failed"
	exit 1
fi
echo "raw-output.sh: every write of cli/ and vger.c goes through cli/out.c"
echo "1 passed, 0 failed"
