/*
 * Patchwork as a model: the patches of one patchwork project (state,
 * delegate, CI checks) read through its REST API with libcurl and
 * json-c, and kept in a cache on disk so that everything works from it
 * offline.  Never prints, never reads configuration: the front end
 * passes the server, the project and the cache directory.
 *
 * A sync is incremental and bounded: the patch list since the newest
 * patch it saw, then the events (state changes, delegations, checks)
 * since the newest event it saw, page by page along the Link headers;
 * at most max_requests requests, no more than rate_per_minute in any
 * minute (counted across runs in the cache), each within timeout_ms;
 * a 429 stops it until the time the server asked for.  What it could
 * not finish it resumes at the next sync from the page it stopped at.
 */
#ifndef PATCHWORK_PW_H
#define PATCHWORK_PW_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct err;

#define PW_DEFAULT_URL "https://patchwork.kernel.org"
#define PW_DEFAULT_PROJECT "netdevbpf"

/* A check's state, as patchwork names them. */
enum pw_check_state {
	PW_CHECK_PENDING,
	PW_CHECK_SUCCESS,
	PW_CHECK_WARNING,
	PW_CHECK_FAIL,
	PW_CHECK_MAX
};

/* "pending", "success", "warning", "fail". */
const char *pw_check_state_name(enum pw_check_state s);
/* The state of a name; -1 for one patchwork does not give. */
int pw_check_state_parse(const char *name);

/* Patchwork's patch states (its slugs), in its order. */
extern const char *const pw_states[];
/* Whether name is one of pw_states. */
int pw_state_known(const char *name);

/* One CI check: the newest patchwork has for its context. */
struct pw_check {
	long id;
	enum pw_check_state state;
	char *context;		/* "netdev/build_clang", "bpf/vmtest-..." */
	char *url;		/* target_url, or NULL */
};

struct pw_patch {
	long id;
	char *msgid;		/* without the angle brackets */
	char *name;		/* "[bpf-next,v3,2/5] bpf: ..." */
	char *state;		/* a slug: "new", "changes-requested" ... */
	char *delegate;		/* a username, or NULL */
	char *web_url;		/* or NULL */
	char *date;		/* patchwork's "2025-06-01T12:00:00" */
	long series;		/* series id, 0 when none */
	/* The combined state patchwork lists with the patch (PW_CHECK_*),
	 * -1 when it gave none. */
	int check;
	struct vec checks;	/* struct pw_check *, one per context */
};

/* What a sync may do; pw_sync_options_init() gives the defaults. */
struct pw_sync_options {
	const char *url;	/* "https://patchwork.kernel.org" */
	const char *project;	/* "netdevbpf" */
	time_t now;		/* 0: time(NULL) */
	long timeout_ms;	/* per request (5000) */
	unsigned max_requests;	/* in this sync (12) */
	unsigned rate_per_minute;	/* in any 60 s, across syncs (6) */
	unsigned first_days;	/* how far back a first sync reads (14) */
	unsigned per_page;	/* page size asked for (100) */
	size_t max_body;	/* bytes a page may have (8 MiB) */
};

void pw_sync_options_init(struct pw_sync_options *o);

#define PW_RATE_SLOTS 32

/* The cache: the patches and where the next sync starts. */
struct pw_db {
	char *url, *project;
	time_t synced;		/* the last sync that reached the end */
	time_t fetched;		/* the last page received */
	char *patches_since;	/* date of the newest patch seen */
	char *events_since;	/* date of the newest event seen */
	char *resume_patches;	/* the page to go on from, or NULL */
	char *resume_events;
	time_t retry_after;	/* a 429: no request before this */
	int last_modified;	/* the server sends Last-Modified: ask
				 * with If-Modified-Since */
	char *error;		/* the last sync's failure, or NULL */
	time_t error_time;
	/* when the last requests were made (ring), for the rate */
	time_t requests[PW_RATE_SLOTS];
	struct vec patches;	/* struct pw_patch *, by id */
	struct vec duplicates;	/* char *: msgids two patches share */
	void *by_msgid;		/* private: json-c's lh_table */
};

/* An empty cache for url and project. */
struct pw_db *pw_db_new(const char *url, const char *project);
void pw_db_free(struct pw_db *db);

/*
 * The cache file for url and project in cache_dir (a name made of
 * both); the caller frees.
 */
char *pw_cache_path(const char *cache_dir, const char *url,
		    const char *project);
/*
 * Read the cache at path.  1 with *out, 0 when there is none (*out
 * NULL), < 0 when it cannot be read or is not a cache (err names the
 * file and line).
 */
int pw_db_load(const char *path, struct pw_db **out, struct err *err);
/* Write db to path (atomically). */
int pw_db_save(const struct pw_db *db, const char *path, struct err *err);

/*
 * The patch with this Message-ID (angle brackets or not); when two
 * patches have it, the newer (higher id).  NULL when none.
 */
const struct pw_patch *pw_db_find(const struct pw_db *db, const char *msgid);

/* What a sync did. */
struct pw_sync_result {
	unsigned requests;	/* HTTP requests made */
	unsigned pages;		/* pages read and applied */
	unsigned patches;	/* patches new or changed */
	unsigned events;	/* events applied */
	int complete;		/* reached the newest page of both lists */
	int not_modified;	/* the server said 304 */
	/* why it stopped before the end without an error (the rate,
	 * the request budget, a 429 still in force); "" when it did not */
	char stopped[160];
};

/*
 * Bring db up to date from the server (o->url, o->project).  Pages
 * read before a failure stay applied and the next sync resumes at the
 * one that failed; the failure is also kept in db->error with its time
 * (cleared by a sync that completes).  0, or < 0 with err (ERR_HTTP
 * for the network and HTTP status, ERR_PARSE for a page that is not
 * patchwork's JSON).
 */
int pw_sync(struct pw_db *db, const struct pw_sync_options *o,
	    struct pw_sync_result *res, struct err *err);

#endif
