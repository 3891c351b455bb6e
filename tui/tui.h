/*
 * The curses mail client: the list as series, one series with its
 * versions and thread, a message, the pull requests; the merge-window
 * banner; tags written back to notmuch.  The one entry point of tui/.
 */
#ifndef TUI_TUI_H
#define TUI_TUI_H

struct err;

struct tui_options {
	const char *db;		/* --db; NULL: vger.database, else notmuch's */
	const char *query;	/* --query; NULL: vger.query, else bpf@vger */
	int no_cache;
};

/*
 * Run the TUI on the terminal until the user quits.  The exit status
 * (0, or 128 + a signal that ended it), or < 0 with err (no terminal,
 * no database).
 */
int tui_run(const struct tui_options *o, struct err *err);

#endif
