/*
 * Getting the list, on the real tools: vger init sets up a lei saved
 * search of a lore inbox (any public-inbox) into a Maildir that a
 * notmuch database sees; vger sync runs `lei up`, `notmuch new` and
 * the series model's incremental update.  Both are flows of steps
 * that say what they do through a hook and never print: the command
 * line prints the lines, the TUI shows them on its status line.
 * Programs run with an argv, never through a shell.
 *
 * Configuration (git config, written by vger init into the global
 * file: $GIT_CONFIG_GLOBAL, else ~/.gitconfig as git writes it):
 *   vger.list.<name>  the address of each list, in the order added
 *   vger.maildir      where the lists' Maildirs are (<maildir>/<name>)
 *   vger.query        the lists' addresses, when not bpf's alone
 *   vger.database     only when notmuch's own configuration cannot
 *                     name the database
 *   vger.syncTimeout  seconds without data before a fetch gives up (60)
 */
#ifndef FRONT_SYNC_H
#define FRONT_SYNC_H

#include <signal.h>
#include <stddef.h>

struct err;

enum front_say {
	FRONT_SAY_STEP,		/* a step begins: "lei up bpf (URL)" */
	FRONT_SAY_DONE,		/* a step's result: "lei up bpf: 12 new
				 * messages" */
	FRONT_SAY_PROGRESS,	/* a line the program of the step printed */
	FRONT_SAY_PLAN,		/* --dry-run: a command it would run, a
				 * file or key it would write */
	FRONT_SAY_WARN,		/* something the user should know */
	FRONT_SAY_ERROR,	/* a step failed; the flow goes on */
};

struct front_sync_hooks {
	/*
	 * Called from the thread running the flow.  Text is raw (it
	 * may quote lei, notmuch or a server): whoever shows it makes
	 * it safe for the terminal.
	 */
	void (*say)(enum front_say kind, const char *text, void *data);
	void *data;
	/*
	 * Set (from a signal handler or another thread) to stop: the
	 * program running gets SIGINT, and the flow returns ERR_STATE
	 * with "interrupted" and the step.
	 */
	volatile sig_atomic_t *stop;
};

struct front_init_options {
	const char *list;	/* lore inbox name; NULL: from url, else
				 * "bpf" */
	const char *url;	/* NULL: https://lore.kernel.org/<list>/ */
	const char *maildir;	/* where the lists' Maildirs go; NULL:
				 * vger.maildir, else <mail root>/lore */
	const char *since;	/* lei date: NULL "3.months.ago" */
	int dry_run;		/* say what would be done, change nothing */
};

/*
 * vger init: set up (idempotently, saying each step) the notmuch
 * configuration and database when there is none, git config, and the
 * lei saved search of the list with its first fetch.  What exists is
 * used and never overwritten.  0, or < 0 with err naming the step.
 */
int front_init(const struct front_init_options *o,
	       const struct front_sync_hooks *h, struct err *err);

struct front_sync_result {
	size_t lists;		/* lists whose lei up succeeded */
	size_t failed;		/* lists whose lei up failed */
	size_t fetched;		/* new files in their Maildirs */
	size_t read;		/* messages the model read */
	size_t new_series;	/* series the model did not have */
	size_t new_versions;	/* versions it did not have */
	size_t series;		/* series in the model afterwards */
};

/*
 * vger sync: lei up of each configured list (a list that fails is
 * said and the others go on), notmuch new, then the series model
 * brought up to date (its cache in ~/.cache/vger).  0 when all went
 * well; < 0 with err saying what failed and that the next sync
 * completes it.
 */
int front_sync(const struct front_sync_hooks *h,
	       struct front_sync_result *r, struct err *err);

#endif
