/*
 * Patchwork for the front ends: where the server is (git config
 * vger.patchwork, vger.patchworkProject), its cache read from disk
 * (never the network: a listing and the TUI draw from it), what it
 * says of a version of a series, joined by Message-ID, and the sync
 * `vger pw sync` runs.  Never prints.
 */
#ifndef FRONT_PW_H
#define FRONT_PW_H

#include <stddef.h>
#include <time.h>

struct err;
struct front_config;
struct mail_series;
struct mail_version;
struct front_series_row;
struct pw_db;
struct pw_sync_result;

/* Where patchwork is; strings owned. */
struct front_pw_source {
	char *url;		/* vger.patchwork, else patchwork.kernel.org */
	char *project;		/* vger.patchworkProject, else netdevbpf */
	char *cache_path;	/* the cache file, in ~/.cache/vger */
	int enabled;		/* vger.patchwork is not "false" */
};

/* Fill src from cfg (NULL: the defaults); release it after. */
void front_pw_source_init(struct front_pw_source *src,
			  struct front_config *cfg);
void front_pw_source_release(struct front_pw_source *src);

/*
 * The cache for src, read from disk: 0 with *out (NULL when there is
 * none yet, or patchwork is disabled), < 0 when the file is broken
 * (err names it).  Free with pw_db_free().
 */
int front_pw_load(const struct front_pw_source *src, struct pw_db **out,
		  struct err *err);

/*
 * Fetch now (within the 5 s budget and the request rate) into db (made
 * when NULL) and save it.  0, or < 0 with err: the cache keeps what it
 * had and the error with its time.
 */
int front_pw_sync(const struct front_pw_source *src, struct pw_db **db,
		  time_t now, struct pw_sync_result *res, struct err *err);

/*
 * The cache's age for a status line: "patchwork: synced 2h ago",
 * "patchwork: HTTP 500 from ... (10m ago); using the cache of 2h ago",
 * "patchwork: never synced (vger pw sync)".  Empty when db is NULL and
 * patchwork is disabled.
 */
void front_pw_status(const struct front_pw_source *src,
		     const struct pw_db *db, time_t now, char *out,
		     size_t size);

/* What patchwork says of one version (its patches, by Message-ID). */
struct front_pw_version {
	size_t patches;		/* of the version's patches, in patchwork */
	const char *state;	/* patchwork's slug (most of its patches),
				 * or NULL when none is in patchwork */
	const char *mail_state;	/* the mail model's, when it disagrees */
	const char *delegate;	/* or NULL */
	unsigned checks, success, warning, fail, pending;
	const char *fail_context;	/* the first failing check, or NULL */
	const char *fail_url;		/* its link, or NULL */
	char ci[32];		/* "CI ✓ 12/12", "CI ✗ 1 fail", "" */
};

/* Fill out for v from db (db NULL: nothing known); borrows from both. */
void front_pw_version(const struct pw_db *db, const struct mail_version *v,
		      struct front_pw_version *out);

/*
 * Put patchwork's word in row (made by front_series_row() for s): the
 * state cell becomes patchwork's state, the mail's kept in
 * row->mail_state when they disagree, and row->ci the CI mark.
 */
void front_series_row_pw(const struct pw_db *db, const struct mail_series *s,
			 struct front_series_row *row);

#endif
