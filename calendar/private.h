/* Helpers shared inside calendar/ only. */
#ifndef CALENDAR_PRIVATE_H
#define CALENDAR_PRIVATE_H

#include <stddef.h>
#include <time.h>

#include "calendar/cal.h"
#include "util/vec.h"

struct err;
struct sbuf;

/* One row of the shipped history (calendar/releases-table.c). */
struct cal_shipped {
	int major, minor;
	const char *release;	/* "YYYY-MM-DD" */
	const char *rc1;	/* "YYYY-MM-DD" or "" */
	int last_rc;		/* 0 when unknown */
};

extern const struct cal_shipped cal_shipped[];
extern const size_t cal_shipped_count;

#define CAL_RC_MAX 15

/* What is known of one version. */
struct cal_version {
	int major, minor;
	long release;			/* -1 unknown */
	enum cal_source release_src;
	long rc[CAL_RC_MAX + 1];	/* rc[n]: day of -rcN, -1 unknown */
	enum cal_source rc_src[CAL_RC_MAX + 1];
};

/* A parsed version name: "v6.13", "6.13-rc2" (rc 0 for a release). */
struct cal_fact {
	int major, minor, rc;
	long day;
};

/* "6.13", "6.13-rc2" (with a leading 'v' when allow_v). 0 or -1. */
int cal_parse_version(const char *s, int allow_v, struct cal_fact *out);

struct cal {
	struct cal_version *v;	/* sorted by version */
	size_t n, alloc;
	/* Newest data of each source (-1 none): its data age. */
	long newest[CAL_SOURCE_MODEL + 1];
	/* The last day the history is complete to. */
	long horizon;
	struct cal_ann *obs;	/* net-next announcements and status */
	enum cal_source *obs_src;
	size_t n_obs;
	long today;
	/* What is left of the fetch time limit, shared by every fetch. */
	long fetch_budget_ms;
	struct vec notes;	/* strings */
};

/* Add a fact from src unless a more trusted source gave it already. */
void cal_add_fact(struct cal *cal, const struct cal_fact *f,
		  enum cal_source src);
/* Add a note (printf-like). */
void cal_note_add(struct cal *cal, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Add the facts of one source (a vector of struct cal_fact *, sorted
 * here): the ones out of order with the others of that source are
 * dropped with a note, the newest day is that source's data age.
 */
void cal_add_facts(struct cal *cal, struct vec *facts, enum cal_source src);
/* After every source: drop what contradicts across sources. */
void cal_history_check(struct cal *cal);

/* Load the compiled-in history. */
void cal_load_shipped(struct cal *cal);

/*
 * Facts from the v* tags of the repository at path.  The newest tag
 * day goes to *newest (-1 without tags).  ERR_GIT when it cannot be
 * opened.
 */
int cal_git_facts(const char *path, struct vec *facts, long *newest,
		  struct err *err);

/* Mainline facts from a releases.json body. ERR_PARSE when malformed. */
int cal_releases_parse(const char *body, size_t len, struct vec *facts,
		       struct err *err);

/*
 * Read a status page (len bytes, NUL-terminated after them): 1 open,
 * 0 closed, or ERR_PARSE when it does not say clearly.
 */
int cal_status_parse(const char *body, size_t len, struct err *err);

/*
 * GET url into body (at most max bytes), in at most timeout_ms, with at
 * most 3 redirects.  ERR_HTTP (with the cause) or ERR_NOMEM (too big).
 */
int cal_fetch(const char *url, long timeout_ms, size_t max,
	      struct sbuf *body, struct err *err);

/*
 * The document `name` in cache_dir, fetched from url when the cache is
 * older than refresh (and not offline), within what is left of
 * cal->fetch_budget_ms.  validate() is run on fetched bodies before
 * they replace the cache.  A failed fetch is not retried for
 * CAL_RETRY_SECS (the file name.failed marks it).  A cache that is
 * not a regular file (a FIFO, a device, a directory) is said and left
 * alone: neither read nor replaced, as if there were none.  *fetched
 * gets the fetch time.  Fallbacks leave notes.  0, or -1 when nothing
 * usable.
 */
#define CAL_RETRY_SECS (15 * 60L)
struct cal_doc_req {
	const char *what;	/* "releases.json" for notes */
	const char *url;
	const char *cache_dir;
	const char *name;
	int offline;
	long refresh_secs;
	time_t now;
	int (*validate)(const char *body, size_t len, struct err *err);
};
int cal_get_doc(struct cal *cal, const struct cal_doc_req *req,
		struct sbuf *body, time_t *fetched);

/* The first Sunday on or after day. */
long cal_sunday_on_or_after(long day);

#endif
