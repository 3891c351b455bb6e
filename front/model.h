/*
 * Opening the series model for a front end: which database, which
 * query and which cache, as the mail commands and the TUI all find
 * them.  Never prints: warnings stay in the model (m->warnings).
 */
#ifndef FRONT_MODEL_H
#define FRONT_MODEL_H

#include <stddef.h>

struct err;
struct front_config;
struct mail_model;
struct mail_model_options;

/* What the user asked for; NULL/0 leaves it to git config. */
struct front_model_args {
	const char *db;		/* --db, else vger.database, else
				 * notmuch's own configuration */
	const char *query;	/* --query, else vger.query, else the
				 * bpf@vger default */
	int no_cache;		/* --no-cache (or vger.cache = false) */
	/*
	 * Only the series are wanted (a listing): from the cached
	 * listing, the pull requests are not read.
	 */
	int series_only;
};

/* Where a model comes from, resolved once; strings owned. */
struct front_model_source {
	char *db;		/* NULL: notmuch's own configuration */
	char *query;		/* NULL: MAIL_DEFAULT_QUERY */
	char *cache_dir;	/* NULL: build in memory, write nothing */
};

#define FRONT_MODEL_SOURCE_INIT { NULL, NULL, NULL }

/*
 * Fill src from args and cfg (cfg may be NULL: then only args count
 * and the cache is ~/.cache/vger unless args->no_cache).  Release
 * with front_model_source_release().
 */
void front_model_source_init(struct front_model_source *src,
			     const struct front_model_args *args,
			     struct front_config *cfg);
void front_model_source_release(struct front_model_source *src);
/* The model's options for src; o borrows src's strings. */
void front_model_options(const struct front_model_source *src,
			 struct mail_model_options *o);

/*
 * Load the model: from the cached listing when it is current (only the
 * first limit series, 0: all), else built (incrementally from the
 * cache).  Opens git config itself for what args leave unset.  Free
 * with mail_model_free().
 */
int front_model_open(const struct front_model_args *args, size_t limit,
		     struct mail_model **out, struct err *err);

#endif
