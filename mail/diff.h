/*
 * A unified diff read line by line, as git apply reads one: a state
 * machine that follows the "diff --git" file headers and counts each
 * hunk's lines by its "@@ -a,b +c,d @@" numbers, so a hunk ends where
 * its counts say.  A "+" line in prose is no added line, and the "-- "
 * after a patch is no removed one.  Plain text in, no allocation.
 */
#ifndef MAIL_DIFF_H
#define MAIL_DIFF_H

enum mail_diff_kind {
	MAIL_DIFF_NONE,		/* not part of a diff */
	MAIL_DIFF_FILE,		/* diff --git, index, ---/+++, mode */
	MAIL_DIFF_HUNK,		/* @@ -a,b +c,d @@ */
	MAIL_DIFF_ADDED,	/* +line */
	MAIL_DIFF_REMOVED,	/* -line */
	MAIL_DIFF_CONTEXT,	/* " line", or empty (a mailer trimmed it) */
	MAIL_DIFF_NO_NEWLINE,	/* \ No newline at end of file */
};

enum mail_diff_state {
	MAIL_DIFF_PROSE,	/* outside any diff */
	MAIL_DIFF_IN_HEADER,	/* after "diff --git", before a hunk */
	MAIL_DIFF_IN_HUNK,	/* old_left/new_left lines to come */
	MAIL_DIFF_IN_BINARY,	/* a "GIT binary patch" */
	MAIL_DIFF_AFTER_HUNK,	/* a hunk ended: hunk, file or prose */
};

struct mail_diff {
	enum mail_diff_state state;
	unsigned long old_left, new_left;
};

#define MAIL_DIFF_INIT { MAIL_DIFF_PROSE, 0, 0 }

/*
 * What line (NUL-terminated, without its newline) is, given the lines
 * before it; next is the line after it in the same text, or NULL (it
 * tells "--- a" of a plain diff from a "---" in prose).  quoted: the
 * line was quoted in a reply, where a mailer may have eaten the space
 * of a context line; a hunk line that is no "+", "-" or "\" is then
 * context while the counts allow one.
 */
enum mail_diff_kind mail_diff_line(struct mail_diff *d, const char *line,
				   const char *next, int quoted);

/*
 * Parse a hunk header "@@ -a[,b] +c[,d] @@[ section]" (b and d are 1
 * when left out).  0, or -1 when line is none.
 */
int mail_diff_parse_hunk(const char *line, unsigned long *old_start,
			 unsigned long *old_count, unsigned long *new_start,
			 unsigned long *new_count);

#endif
