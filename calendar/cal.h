/*
 * The kernel's release calendar and the merge window.
 *
 * During the merge window -- from Linus's release of vX.Y until he tags
 * vX.(Y+1)-rc1, about two weeks later -- bpf-next and net-next take no
 * new features; bpf and net (fixes) are always open.  struct cal holds
 * the release history, merged from several sources in order of trust:
 *
 *   1. tags of a local Linux clone (vX.Y, vX.Y-rcN; tagger date, else
 *      commit date, in the tagger's own time zone);
 *   2. kernel.org's releases.json (the "mainline" entry: the newest
 *      release or -rc), fetched with a short timeout and cached;
 *   3. the history compiled into vger (calendar/kernel-releases.csv,
 *      v3.0 .. v7.2), the offline floor.
 *
 * net-next also has its own voice: "[ANN] net-next is CLOSED/OPEN"
 * announcements (the front end finds them in the mail and passes them
 * as plain data) and the status page; a fresh one overrides the model
 * for net-next (it also closes for holidays).
 *
 * Days are counts of days since 1970-01-01 (util/date.h).  The model
 * never prints and never reads the user's files: it takes a struct
 * cal_options and gives back values, notes and errors.
 */
#ifndef CALENDAR_CAL_H
#define CALENDAR_CAL_H

#include <stddef.h>
#include <time.h>

struct err;
struct sbuf;

/* Where a fact came from, most trusted first. */
enum cal_source {
	CAL_SOURCE_NONE,
	CAL_SOURCE_GIT,		/* tags of a local Linux clone */
	CAL_SOURCE_RELEASES,	/* kernel.org releases.json */
	CAL_SOURCE_ANN,		/* an [ANN] net-next is CLOSED/OPEN */
	CAL_SOURCE_STATUS,	/* the net-next status page */
	CAL_SOURCE_SHIPPED,	/* the history compiled into vger */
	CAL_SOURCE_MODEL,	/* the merge-window model (no announcement) */
};

/* "git tags", "releases.json", ...: a static string. */
const char *cal_source_name(enum cal_source src);

/* One net-next announcement: on day `day`, net-next was opened/closed. */
struct cal_ann {
	long day;
	int open;
};

/* Default refresh period of the fetched documents: 3 hours. */
#define CAL_REFRESH_DEFAULT (3 * 3600L)
/* The longest a fetch may take, connection included. */
#define CAL_TIMEOUT_MAX_MS 5000L
/* Fetched documents larger than this are refused. */
#define CAL_BODY_MAX (1024 * 1024)

struct cal_options {
	/* A Linux clone whose tags to read, or NULL. */
	const char *linux_repo;
	/* kernel.org releases.json (http, https or file URL), or NULL. */
	const char *releases_url;
	/* The net-next status page, or NULL. */
	const char *netnext_url;
	/*
	 * Where fetched documents are cached (releases.json,
	 * net-next.html; their modification time is the fetch time),
	 * or NULL for no cache.  Created when missing.
	 */
	const char *cache_dir;
	/* Never fetch: use the cache (however old) and the rest. */
	int offline;
	/* Fetch again when the cache is older (seconds; 0: default). */
	long refresh_secs;
	/*
	 * Time limit in ms of all the fetches together, connections
	 * included (0 or more than 5000: 5000).  A failed fetch is not
	 * retried for 15 minutes (with a cache_dir).
	 */
	long timeout_ms;
	/* net-next announcements (any order), borrowed during cal_open. */
	const struct cal_ann *anns;
	size_t n_anns;
	/* "Now", for cache ages and data age; 0: time(NULL). */
	time_t now;
};

/* Zero every field: no sources but the shipped history. */
void cal_options_init(struct cal_options *opt);

struct cal;

/*
 * Gather the history from every source in opt (fetching what is
 * stale), falling back source by source; each fallback leaves a note.
 * Fetching may take up to 5 s: a front end that must not wait (the
 * TUI) opens with opt->offline first, from the cache, and again
 * without it when it can.  Fails only on bad options.  Free with
 * cal_free().
 */
int cal_open(struct cal **out, const struct cal_options *opt,
	     struct err *err);
/* A calendar on the shipped history alone (no fetch, no notes). */
struct cal *cal_open_shipped(void);
void cal_free(struct cal *cal);

/*
 * Notes on what fell back and why ("releases.json: HTTP 500 from URL;
 * using the cache of 2026-11-20"), borrowed until cal_free().
 */
size_t cal_note_count(const struct cal *cal);
const char *cal_note(const struct cal *cal, size_t i);

/* The day of opt->now (today, UTC). */
long cal_today(const struct cal *cal);

/* The state of the calendar on one day, as it could be known that day. */
struct cal_window {
	long day;
	/* The latest release on or before day: vX.Y, and its day. */
	int major, minor;
	long release_day;
	/* The version in development, vX.(Y+1) (a guess past the data). */
	int next_major, next_minor;
	/* Its latest -rcN on or before day; 0 inside the merge window. */
	int rc;
	/* rc counted a week apart from rc1, not read from a tag. */
	int rc_estimated;
	int merge_window_open;
	/* 1 on the release day, ... inside the window; else 0. */
	int window_day;
	/* The day of rc1: known when <= day, else expected (two weeks on). */
	long rc1_day;
	/* rc1_day was not in the data (estimated). */
	int rc1_estimated;
	/* The next release (next window opening), expected, > day. */
	long next_window_expected;
	/* Its error margin in days. */
	int next_window_margin;
	/* The rc1 closing that next window, expected. */
	long next_window_close;
	/* day is past the data: the state itself is a prediction. */
	int predicted;
	int bpf_next_open;
	int net_next_open;
	/* CAL_SOURCE_MODEL, or the announcement/status page that said so. */
	enum cal_source net_next_source;
	/* The day of that announcement or status page; -1 for the model. */
	long net_next_since;
	/* The source of the newest fact the state rests on. */
	enum cal_source source;
	/* Days between that source's newest data and today. */
	long data_age_days;
};

/*
 * The state on `day` using only the facts dated on or before it (so a
 * past day gets the prediction that was possible then).  Fails with
 * ERR_NOTFOUND for a day before v3.0 (2011-07-21), where the history
 * starts.
 */
int cal_state_at(const struct cal *cal, long day, struct cal_window *out,
		 struct err *err);

/*
 * Is tree `tree` open on `day`?  Trees: "bpf-next", "net-next" and
 * "iproute2 net-next" / "iproute2-next" (closed during the merge
 * window; net-next follows its announcements), "bpf", "net",
 * "iproute2" and "iproute2 master" (fixes: always open); any other
 * name ending in "-next" is treated like bpf-next.  Sets *open (1/0)
 * and, when msg is not NULL, appends a one-line message without a
 * newline, e.g. "bpf-next: CLOSED — merge window for 6.13 open since
 * 2024-11-17 (day 4 of ~14); reopens after v6.13-rc1, expected
 * 2024-12-01".  ERR_NOTFOUND for an unknown tree or a day before v3.0.
 * For the source and age of the answer, or the JSON fields, call
 * cal_state_at() and cal_describe() instead.
 */
int cal_tree_open(const struct cal *cal, const char *tree, long day,
		  int *open, struct sbuf *msg, struct err *err);

/*
 * The one-line message for tree `tree` in state w (as cal_tree_open()
 * gives it).  Returns the tree's state: 1 open, 0 closed, -1 unknown
 * tree (nothing appended).
 */
int cal_describe(const struct cal_window *w, const char *tree,
		 struct sbuf *out);

/* "v6.13-rc2", "v6.13" into out (at least 32 bytes). */
void cal_version_string(int major, int minor, int rc, char *out,
			size_t size);

#endif
