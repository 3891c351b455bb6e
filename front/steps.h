/*
 * The pieces vger init (front/init.c) and vger sync (front/sync.c)
 * are made of: running lei, notmuch and curl with an argv and their
 * lines handed to the flow's hook, asking a public-inbox what it is,
 * lei's saved searches, the lists of git config.  Only those two files
 * use it.
 *
 * Two things lei does shape them:
 *  - It records a message in the saved search's dedupe store before
 *    writing it, so a message it could not write (a full disk) counts
 *    as written and `lei up` never fetches it again.  After such a
 *    failure the list is marked (~/.local/state/vger/sync/<list>.
 *    unfinished) and the next sync makes the saved search anew (`lei
 *    forget-search`, then `lei q --augment`, which dedupes against what
 *    the Maildir really holds).  Ctrl-C does the same: lei's daemon
 *    then kills its writers, which may die between the two.  Network
 *    failures leave the store true: `lei up` asks again from its last
 *    result.
 *  - It takes HTTP 404 for "no results" (public-inbox answers an empty
 *    search so), and its curl has no timeout.  So the inbox is asked
 *    for its configuration with curl first, and curl gets a .curlrc
 *    (through $CURL_HOME: the user's own, then ours) that gives up
 *    after vger.syncTimeout seconds without data.
 */
#ifndef FRONT_STEPS_H
#define FRONT_STEPS_H

#include <stddef.h>
#include <time.h>

#include "front/sync.h"
#include "util/vec.h"

struct err;
struct front_config;
struct sbuf;

/* What one flow carries from step to step. */
struct front_steps {
	const struct front_sync_hooks *h;
	struct front_config *cfg;
	long timeout;		/* vger.syncTimeout, seconds */
	char *curl_home;	/* a directory with our .curlrc */
	char *curl_env;		/* "CURL_HOME=..." */
	const char *step;	/* what runs, for "interrupted" */
	/* What the last program printed. */
	struct vec lines;	/* char *: its last lines */
	char *error_line;	/* the last line that reads as an error */
	int write_error;	/* lei could not write a message */
	int progress;		/* hand its lines to the hook */
	struct sbuf *collect;	/* when set, every line is added here */
	size_t collect_max;	/* up to this many bytes (0: no limit) */
	int collect_over;	/* and more came */
	/* The watchdog of a lei run (front_steps_run_lei()). */
	const char *watch_dir;	/* its Maildir, or NULL: none */
	long last_sign_ms;	/* when lei last printed or wrote */
	long watch_checked_ms;	/* when the Maildir was last looked at */
	struct timespec watch_stamp[2];	/* tmp/'s and new/'s mtimes */
	int watch_armed;	/* lei has started its fetch */
	int stalled;		/* stopped for want of progress */
};

/* Read git config; 0, or < 0 with err.  Close in any case. */
int front_steps_open(struct front_steps *f, const struct front_sync_hooks *h,
		     struct err *err);
void front_steps_close(struct front_steps *f);
/*
 * lei, notmuch and curl are there (else ERR_NOTFOUND naming the
 * Debian packages), and curl's configuration is made.
 */
int front_steps_tools(struct front_steps *f, struct err *err);

void front_steps_say(struct front_steps *f, enum front_say kind,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The hook's stop flag is set. */
int front_steps_stopped(const struct front_steps *f);
/* ERR_STATE "interrupted during <step>". */
int front_steps_interrupted(struct front_steps *f, struct err *err);

/*
 * Run argv with env added (NULL-ended, may be NULL), its lines kept in
 * f (and said as progress when f->progress); the exit status, or < 0
 * with err.
 */
int front_steps_run(struct front_steps *f, const char *const argv[],
		    const char *const *env, struct err *err);
/* The last line the program printed (its summary), or "". */
const char *front_steps_last_line(const struct front_steps *f);
/* Why it failed: what status means, and its error line. */
void front_steps_explain(const struct front_steps *f, int status,
			 struct sbuf *out);
/*
 * A lei command writing to dir, the Maildir of list, with our curl
 * configuration and its lines said; status as front_steps_run().  A
 * message lei could not write, or lei stopped, marks the list
 * unfinished.  lei is stopped (f->stalled, a non-zero status) when it
 * neither prints nor writes a message for twice vger.syncTimeout.
 */
int front_steps_run_lei(struct front_steps *f, const char *list,
			const char *dir, const char *const *argv,
			struct err *err);

/*
 * Ask the public-inbox at url (ending in '/') for its configuration:
 * 0 with its first address in addr ("" when it names none), or < 0
 * with err saying why it is none: unreachable, 404, moved, slow.
 */
int front_steps_probe(struct front_steps *f, const char *url,
		      struct sbuf *addr, struct err *err);
/* `lei ls-search --format=json` into out. */
int front_steps_lei_searches(struct front_steps *f, struct sbuf *out,
			     struct err *err);
/* Files in a Maildir's new/ and cur/. */
size_t front_steps_maildir_count(const char *dir);
/* ~/.local/state/vger/sync/<list>.unfinished; the caller frees. */
char *front_steps_mark_path(const char *list);

/*
 * notmuch ARGS with the database vger reads: db (vger.database, read
 * with no configuration file, as mail/ opens it), else notmuch's own
 * configuration.  argv has room for 8 (7 words); env gets the
 * NOTMUCH_DATABASE= to add, or stays empty.
 */
void front_steps_notmuch_argv(const char *db, const char *const *args,
			      const char *argv[8], struct sbuf *env);
/*
 * A path key of notmuch's configuration ("database.path") into out,
 * "" when there is none.
 */
int front_steps_notmuch_get(struct front_steps *f, const char *db,
			    const char *key, struct sbuf *out,
			    struct err *err);

/* The lists of git config (vger.list.<name>), in order. */
struct front_steps_lists {
	struct vec names;	/* char * */
	struct vec addresses;	/* char * */
};

void front_steps_read_lists(struct front_config *cfg,
			    struct front_steps_lists *l);
void front_steps_release_lists(struct front_steps_lists *l);

#endif
