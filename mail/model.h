/*
 * The list as series: patch postings grouped into versions, versions
 * linked into series, with review state, patchwork-bot notices and the
 * pull requests that carry them.  Built from a notmuch database, kept
 * in an incremental on-disk cache keyed on notmuch's lastmod revision.
 */
#ifndef MAIL_MODEL_H
#define MAIL_MODEL_H

#include <stddef.h>
#include <time.h>

#include "mail/trailer.h"
#include "util/vec.h"

struct err;

enum mail_state {
	MAIL_STATE_NEW,
	MAIL_STATE_REVIEWED,
	MAIL_STATE_CHANGES_REQUESTED,
	MAIL_STATE_APPLIED,
	MAIL_STATE_SUPERSEDED,
	MAIL_STATE_RFC,
	MAIL_STATE_DEFERRED,
	MAIL_STATE_REJECTED,
};

/* "new", "reviewed", "changes-requested", ... */
const char *mail_state_name(enum mail_state s);

/* A trailer given in review: "Acked-by: Name <addr>". */
struct mail_given {
	/* MAIL_TRAILER_ACKED, _REVIEWED, _TESTED or _NACKED */
	enum mail_trailer_kind kind;
	char *name;
	char *email;
	char *message_id;	/* the reply that gave it */
	/*
	 * Given for some patches only ("For patches 1-3:", "# for the
	 * libbpf parts"): the collector never widens it.
	 */
	unsigned scoped;
};

struct mail_patch {
	unsigned index;		/* 1..N; 1 for a single patch */
	char *message_id;
	char *title;
	struct vec given;	/* struct mail_given *: on this patch, and
				 * on the cover letter (whole series) */
	char *commit;		/* applied commit (abbreviated), or NULL */
};

struct mail_version {
	unsigned version;
	unsigned flags;		/* MAIL_SUBJECT_RFC, MAIL_SUBJECT_RESEND */
	char *tree;		/* from the subject, or NULL */
	char *message_id;	/* the cover letter's, else the first patch's */
	char *thread;
	time_t date;		/* of that message */
	time_t last_activity;	/* newest message of this version */
	unsigned patches_expected;
	unsigned patches_received;
	int has_cover;
	struct vec patches;	/* struct mail_patch *, by index */
	struct vec given;	/* struct mail_given *: every trailer given
				 * on any message of this version */
	struct vec repliers;	/* char *: addresses of everyone but the
				 * author who replied */
	/*
	 * char *: every message of this version; empty in a model from
	 * mail_model_load_cached(), which keeps only what a listing shows.
	 */
	struct vec message_ids;
	enum mail_state state;
	char *applied_to;	/* "bpf/bpf-next.git (master)" or NULL */
	char *applied_by;	/* "Name <addr>" or NULL */
	char *pull_request;	/* message id of the pull that carries it */
	char *pwbot;		/* the last honoured pw-bot word, or NULL */
};

struct mail_series {
	char *title;
	char *author_name;
	char *author_email;
	char *tree;		/* of the latest version */
	struct vec versions;	/* struct mail_version *, oldest first */
	time_t last_activity;
};

struct mail_pullreq {
	char *message_id;
	char *tree;		/* "bpf-next" */
	char *date;		/* "2025-05-02" as in the subject */
	char *target;		/* "net-next" */
	char *from;		/* "Name <addr>" */
	time_t posted;
	unsigned ncommits;	/* shortlog lines */
	char *applied_to;	/* by the bot, or NULL */
	struct vec series;	/* char *: message ids of the versions carried */
	struct vec titles;	/* char *: their titles */
};

struct mail_store;
struct mail_model_head;

/*
 * Every string and struct of a model lives as long as the model and
 * is freed with it by mail_model_free(), not on its own.
 */
struct mail_model {
	struct vec series;	/* struct mail_series *, newest activity first */
	struct vec pulls;	/* struct mail_pullreq *, newest first */
	struct vec warnings;	/* char *: files missing, unreadable, ... */
	unsigned long revision;	/* the notmuch revision it reflects */
	size_t nmessages;
	struct mail_store *store;	/* private: what it is made of */
};

/* How far a load is, for a front end to show while it waits. */
enum mail_load_stage {
	MAIL_LOAD_OPEN,		/* opening the database and the cache */
	MAIL_LOAD_COUNT,	/* counting the messages to read */
	MAIL_LOAD_READ,		/* reading messages */
	MAIL_LOAD_GROUP,	/* grouping them into series */
	MAIL_LOAD_WRITE,	/* writing the cache */
	MAIL_LOAD_DONE,
};

/*
 * Counters a load updates as it goes, from its own threads; read them
 * from another thread with mail_model_progress_get().
 */
struct mail_model_progress {
	unsigned stage;		/* enum mail_load_stage */
	size_t total;		/* messages to read; 0 while not known */
	size_t seen;		/* of them found in notmuch */
	size_t read;		/* of them whose file was read */
};

/* A consistent enough copy of p while a load updates it. */
void mail_model_progress_get(const struct mail_model_progress *p,
			     struct mail_model_progress *out);

struct mail_model_options {
	const char *db_path;	/* NULL: notmuch's own configuration */
	const char *query;	/* notmuch query; NULL: bpf@vger To/Cc */
	/*
	 * Directory for the cache (the front end passes
	 * ~/.cache/vger); NULL: build in memory, write nothing.
	 */
	const char *cache_dir;
	/*
	 * Addresses whose pw-bot commands count, besides each series'
	 * author; NULL: the BPF and networking maintainers
	 * (kernel/trees.h, KERNEL_ROLE_PWBOT).
	 */
	const char *const *maintainers;
	/*
	 * Updated while the model is built or brought up to date (a
	 * cold build counts the messages first, so total is known);
	 * NULL: none.
	 */
	struct mail_model_progress *progress;
	/*
	 * Only the series are wanted: mail_model_load_cached() leaves
	 * the pull requests out (m->pulls empty).
	 */
	int series_only;
	/*
	 * What mail_model_load_cached() read and could not serve from:
	 * mail_model_load() goes on from it when the database is as it
	 * was then, and frees it in any case.  NULL: none.
	 */
	struct mail_model_head *head;
};

#define MAIL_DEFAULT_QUERY \
	"to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org"

struct mail_model_stats {
	size_t messages;	/* in the model */
	size_t read;		/* message files read this time */
	int from_cache;		/* 0 cold, 1 incremental, 2 no change */
	unsigned walks;		/* of notmuch, at once: 0 to 2 */
	unsigned parts;		/* lastmod ranges they walked (1: one walk
				 * of all) */
	unsigned counts;	/* of the query, taken by this load (not
				 * one that came with o->head) */
};

/*
 * Build the model (from the cache when it is current, reading only the
 * messages changed since it was written).  A corrupt cache or one from
 * another version is rebuilt.  Free with mail_model_free().
 */
int mail_model_load(struct mail_model **out,
		    const struct mail_model_options *o,
		    struct mail_model_stats *stats, struct err *err);
void mail_model_free(struct mail_model *m);

/*
 * The fast path for a listing: when the cache is current (same
 * revision, and notmuch counts as many messages: removing one leaves
 * the revision as it was), or only tags changed since (the listing is
 * moved to the new revision), read only the first limit series (0: all)
 * and the pulls from it, into a model with only those.  Returns 1 when
 * served, 0 when the cache is stale or missing (call
 * mail_model_load()), < 0 on error.  When not served, *keep (keep may
 * be NULL) is what was read to find out, or NULL: pass it to
 * mail_model_load() as o->head, or free it.
 */
int mail_model_load_cached(struct mail_model **out,
			   const struct mail_model_options *o, size_t limit,
			   struct mail_model_head **keep, struct err *err);
void mail_model_head_free(struct mail_model_head *h);

/*
 * The version one of whose messages has this id (the cover letter, a
 * patch, a reply; replies only in a model from mail_model_load()), and
 * its series; NULL when none.  Borrowed from m.
 */
const struct mail_version *mail_model_find_version(
	const struct mail_model *m, const char *message_id,
	const struct mail_series **series);
/*
 * The series by this author (address, any case) whose newest version
 * has this title (compared normalised), or NULL.  Borrowed from m.
 */
const struct mail_series *mail_model_find_series(const struct mail_model *m,
						 const char *author_email,
						 const char *title);

/*
 * The series by this author one of whose patches (in any version) has
 * this title, the most recently active when several; NULL when none.
 */
const struct mail_series *mail_model_find_series_by_patch(
	const struct mail_model *m, const char *author_email,
	const char *patch_title);

/* The newest version of a series. */
const struct mail_version *mail_series_latest(const struct mail_series *s);
/* Count the people who gave a trailer of kind on v. */
size_t mail_version_count_given(const struct mail_version *v,
				enum mail_trailer_kind kind);
/*
 * Addresses (unique, in order) that gave a trailer of kind on v; the
 * strings are borrowed from v.
 */
void mail_version_given_addresses(const struct mail_version *v,
				  enum mail_trailer_kind kind, struct vec *out);
/* Whether someone other than the author has replied to v. */
int mail_version_has_feedback(const struct mail_version *v);

#endif
