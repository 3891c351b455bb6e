/*
 * The unified-diff state machine.  Hand-written: neither GMime nor
 * libgit2 parses a diff out of mail text (libgit2's git_diff_from_buffer
 * wants a whole well-formed patch and fails on a reply that quotes part
 * of one); this follows git apply's reading of headers and hunk counts.
 */
#include <ctype.h>
#include <string.h>

#include "mail/diff.h"
#include "util/scan.h"

/* Larger hunk counts are not believed (a hostile header). */
#define HUNK_COUNT_DIGITS 9

/* "a" or "a,b" after "-" or "+"; b is 1 when left out. */
static int scan_range(const char **p, unsigned long *start,
		      unsigned long *count)
{
	const char *q = *p;

	if (scan_uint(&q, start, HUNK_COUNT_DIGITS))
		return -1;
	*count = 1;
	if (*q == ',' && (q++, scan_uint(&q, count, HUNK_COUNT_DIGITS)))
		return -1;
	*p = q;
	return 0;
}

int mail_diff_parse_hunk(const char *line, unsigned long *old_start,
			 unsigned long *old_count, unsigned long *new_start,
			 unsigned long *new_count)
{
	const char *p = line;

	if (scan_literal(&p, "@@ -", 0) ||
	    scan_range(&p, old_start, old_count) ||
	    scan_literal(&p, " +", 0) ||
	    scan_range(&p, new_start, new_count) ||
	    scan_literal(&p, " @@", 0))
		return -1;
	return 0;
}

/* The extended header lines of git's diff, and a plain diff's ---/+++. */
static int is_header_line(const char *line)
{
	static const char *const headers[] = {
		"index ", "new file mode ", "deleted file mode ",
		"old mode ", "new mode ", "similarity index ",
		"dissimilarity index ", "rename from ", "rename to ",
		"copy from ", "copy to ", "--- ", "+++ ", "Binary files ",
		NULL,
	};

	for (size_t i = 0; headers[i]; i++)
		if (str_starts_with(line, headers[i]))
			return 1;
	return 0;
}

/* "diff --git a/x b/x", "diff --cc x", "diff -urN a/x b/x" */
static int is_diff_command(const char *line)
{
	return str_starts_with(line, "diff --git ") ||
	       str_starts_with(line, "diff --cc ") ||
	       str_starts_with(line, "diff --combined ") ||
	       (str_starts_with(line, "diff -") && line[6] &&
		line[6] != ' ');
}

/* A line of a "GIT binary patch": "literal N", "delta N", base85 data. */
static int is_binary_line(const char *line)
{
	if (!*line || str_starts_with(line, "literal ") ||
	    str_starts_with(line, "delta "))
		return 1;
	/* the first character is the line's length: A-Z 1-26, a-z 27-52 */
	if (!isalpha((unsigned char)*line))
		return 0;
	for (const char *p = line + 1; *p; p++)
		if (!isalnum((unsigned char)*p) &&
		    !strchr("!#$%&()*+-;<=>?@^_`{|}~", *p))
			return 0;
	return 1;
}

static enum mail_diff_kind start_hunk(struct mail_diff *d, const char *line)
{
	unsigned long a, b, c, e;

	if (mail_diff_parse_hunk(line, &a, &b, &c, &e))
		return MAIL_DIFF_NONE;
	d->old_left = b;
	d->new_left = e;
	d->state = b || e ? MAIL_DIFF_IN_HUNK : MAIL_DIFF_AFTER_HUNK;
	return MAIL_DIFF_HUNK;
}

/* A line outside a hunk: a new file, a new hunk, or the end of the diff. */
static enum mail_diff_kind between(struct mail_diff *d, const char *line,
				   const char *next)
{
	if (is_diff_command(line)) {
		d->state = MAIL_DIFF_IN_HEADER;
		return MAIL_DIFF_FILE;
	}
	if (str_starts_with(line, "@@ -"))
		return start_hunk(d, line);
	/* a plain diff, or git's own ---/+++ after a trimmed header */
	if (str_starts_with(line, "--- ") && next &&
	    str_starts_with(next, "+++ ")) {
		d->state = MAIL_DIFF_IN_HEADER;
		return MAIL_DIFF_FILE;
	}
	d->state = MAIL_DIFF_PROSE;
	return MAIL_DIFF_NONE;
}

static enum mail_diff_kind hunk_line(struct mail_diff *d, const char *line,
				     const char *next, int quoted)
{
	enum mail_diff_kind k = MAIL_DIFF_NONE;
	int both = d->old_left && d->new_left;

	if (*line == '\\')
		return MAIL_DIFF_NO_NEWLINE;	/* counts on neither side */
	if (*line == '-' && d->old_left) {
		d->old_left--;
		k = MAIL_DIFF_REMOVED;
	} else if (*line == '+' && d->new_left) {
		d->new_left--;
		k = MAIL_DIFF_ADDED;
	} else if ((*line == ' ' || !*line) && both) {
		k = MAIL_DIFF_CONTEXT;
	} else if (quoted && both && !is_diff_command(line) &&
		   !str_starts_with(line, "@@ -") && !strchr("+-", *line)) {
		k = MAIL_DIFF_CONTEXT;	/* "> foo": the space eaten */
	}
	if (k == MAIL_DIFF_CONTEXT) {
		d->old_left--;
		d->new_left--;
	}
	if (k == MAIL_DIFF_NONE)	/* cut short (a trimmed quote) */
		return between(d, line, next);
	if (!d->old_left && !d->new_left)
		d->state = MAIL_DIFF_AFTER_HUNK;
	return k;
}

enum mail_diff_kind mail_diff_line(struct mail_diff *d, const char *line,
				   const char *next, int quoted)
{
	switch (d->state) {
	case MAIL_DIFF_IN_HUNK:
		return hunk_line(d, line, next, quoted);
	case MAIL_DIFF_IN_HEADER:
		if (is_header_line(line))
			return MAIL_DIFF_FILE;
		if (str_starts_with(line, "GIT binary patch")) {
			d->state = MAIL_DIFF_IN_BINARY;
			return MAIL_DIFF_FILE;
		}
		break;
	case MAIL_DIFF_IN_BINARY:
		if (!is_diff_command(line) && is_binary_line(line))
			return MAIL_DIFF_FILE;
		break;
	case MAIL_DIFF_AFTER_HUNK:
		if (*line == '\\')
			return MAIL_DIFF_NO_NEWLINE;
		break;
	case MAIL_DIFF_PROSE:
		break;
	}
	return between(d, line, next);
}
