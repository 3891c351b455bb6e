/*
 * The cells of a series row: what `vger series` prints on a line and
 * the TUI's series list draws, computed in one place so both say the
 * same thing.  Text taken from mail (tree, author, title) is borrowed
 * raw: whoever prints it makes it safe for the terminal.
 */
#ifndef FRONT_ROW_H
#define FRONT_ROW_H

#include <stddef.h>

struct mail_series;

struct front_series_row {
	char date[16];		/* last activity, "2025-02-25" */
	char version[24];	/* "v3", "RFC v2" */
	char count[24];		/* patches received/expected, "5/7" */
	char marks[64];		/* "a2 r1 t0" */
	size_t acked, reviewed, tested;
	const char *tree;	/* "bpf-next", "-" when unknown */
	const char *state;	/* "new", "reviewed", ... */
	const char *author;	/* display name, else address */
	const char *title;
};

/* Fill row for s at its latest version; borrows from s. */
void front_series_row(const struct mail_series *s,
		      struct front_series_row *row);

#endif
