# Turn calendar/kernel-releases.csv into a C table compiled into vger,
# so `vger window` works with no data files installed.  Only the first
# four columns are used (version, release_date, rc1_date, last_rc); they
# never hold quotes or commas, the later free-text columns may.  A row
# that does not look right stops the build with its line number.
BEGIN {
	FS = ","
	print "/* Generated from calendar/kernel-releases.csv by"
	print " * calendar/gen-releases.awk: do not edit. */"
	print "#include \"calendar/private.h\""
	print ""
	print "const struct cal_shipped cal_shipped[] = {"
	n = 0
}
function bad(what) {
	printf("%s:%d: %s\n", FILENAME, FNR, what) > "/dev/stderr"
	failed = 1
	exit 1
}
FNR == 1 {
	if ($1 != "version" || $2 != "release_date" || $3 != "rc1_date" ||
	    $4 != "last_rc")
		bad("unexpected header (version,release_date,rc1_date,last_rc,...)")
	next
}
/^[ \t\r]*$/ { next }
{
	if ($1 !~ /^[0-9]+\.[0-9]+$/)
		bad("bad version '" $1 "'")
	if ($2 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/)
		bad("bad release_date '" $2 "'")
	if ($3 != "" && $3 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/)
		bad("bad rc1_date '" $3 "'")
	if ($4 != "" && $4 !~ /^rc[0-9]+$/)
		bad("bad last_rc '" $4 "'")
	split($1, v, ".")
	rc = $4
	sub(/^rc/, "", rc)
	if (rc == "")
		rc = 0
	printf("\t{ %d, %d, \"%s\", \"%s\", %d },\n", v[1], v[2], $2, $3, rc)
	n++
}
END {
	if (failed)
		exit 1
	if (n == 0) {
		print FILENAME ": no rows" > "/dev/stderr"
		exit 1
	}
	print "};"
	print ""
	printf("const size_t cal_shipped_count = %d;\n", n)
}
