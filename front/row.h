/*
 * The cells of a series row: what `vger series` prints on a line and
 * the TUI's series list draws, computed in one place so both say the
 * same thing.  Text taken from mail (tree, author, title) is borrowed
 * raw: whoever prints it makes it safe for the terminal.
 */
#ifndef FRONT_ROW_H
#define FRONT_ROW_H

#include <stddef.h>
#include <time.h>

struct mail_series;

struct front_series_row {
	char date[16];		/* last activity, "2025-02-25" */
	char age[16];		/* since the last activity, "4d", "3w" */
	char version[24];	/* "v3", "RFC v2" */
	char count[24];		/* patches received/expected, "5/7" */
	char marks[64];		/* "a2 r1 t0" */
	size_t acked, reviewed, tested;
	const char *tree;	/* "bpf-next", "-" when unknown */
	/*
	 * "new", "reviewed", ...; "waiting 4d" for a new version nobody
	 * but its author has answered in the business days the BPF FAQ
	 * promises feedback in.
	 */
	char state[32];
	int waiting;		/* that case */
	const char *author;	/* display name, else address */
	const char *title;
	/* Patchwork's word (front/pw.h: front_series_row_pw()), else
	 * empty and NULL: */
	char ci[32];		/* "CI ✓ 12/12", "CI ✗ 1 fail" */
	const char *pw_state;	/* patchwork's state: then state says it */
	const char *mail_state;	/* the mail's, where it disagrees */
	const char *delegate;
};

/* Business days after which a series waits for feedback (FAQ: 2-3). */
#define FRONT_FEEDBACK_DAYS 3

/* Fill row for s at its latest version, as of now; borrows from s. */
void front_series_row(const struct mail_series *s, time_t now,
		      struct front_series_row *row);
/* "45m", "5h", "4d", "3w", "5mo", "2y": how long ago then was. */
void front_age(time_t then, time_t now, char *out, size_t size);

#endif
