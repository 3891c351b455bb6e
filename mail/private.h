/* Shared inside mail/ only: the per-message records the model is built
 * from, and the cache that keeps them. */
#ifndef MAIL_PRIVATE_H
#define MAIL_PRIVATE_H

#include <time.h>

#include "mail/series.h"
#include "mail/subject.h"
#include "util/vec.h"

struct err;
struct sbuf;

enum mail_kind {
	MAIL_KIND_OTHER,	/* discussion */
	MAIL_KIND_COVER,	/* [PATCH 0/N] */
	MAIL_KIND_PATCH,	/* [PATCH i/N], [PATCH] */
	MAIL_KIND_REPLY,	/* Re: ... */
	MAIL_KIND_BOT,		/* patchwork-bot notice */
	MAIL_KIND_PULL,		/* pull-request: / [GIT PULL] */
	MAIL_KIND_ANN,		/* [ANN] */
};

/*
 * What the model keeps of one message.  The first block comes from
 * notmuch and the message file and is what the cache stores; the
 * second is derived again at every load.
 */
struct mail_rec {
	char *id, *thread, *parent, *subject, *from_name, *from_email;
	time_t date;
	struct vec given;	/* struct mail_given * (message_id unset) */
	char *pwbot;		/* pw-bot word, or NULL */
	struct vec refs;	/* char *: message ids a cover letter links */
	/* patchwork-bot notice */
	char *applied_to, *applied_by;
	struct vec bot_items;	/* char *: "INDEX\x1eTITLE\x1eCOMMIT" */
	/* pull request */
	char *pull_target;
	struct vec shortlog;	/* char *: commit titles */

	/* derived */
	struct mail_subject subj;
	enum mail_kind kind;
	char *ntitle;		/* normalised title */
	struct mail_posting *posting;
	unsigned patch_index;
};

void mail_rec_free(struct mail_rec *r);
/* Parse subject, classify; call after a record is read or loaded. */
void mail_rec_derive(struct mail_rec *r);

/* The record cache: one line per message. */
int mail_cache_write_records(const char *path, const char *uuid,
			     unsigned long revision, struct vec *recs,
			     struct err *err);
/*
 * Read records; 0 with *revision and *uuid (caller frees) set, or < 0
 * when missing, corrupt or of another format (the caller rebuilds).
 */
int mail_cache_read_records(const char *path, char **uuid,
			    unsigned long *revision, struct vec *recs,
			    struct err *err);
/* The listing cache: the model's series and pulls, one JSON per line. */
int mail_cache_write_model(const char *path, const char *uuid,
			   const struct mail_model *m, struct err *err);
int mail_cache_read_model(const char *path, const char *uuid,
			  unsigned long revision, size_t limit,
			  struct mail_model *m, struct err *err);

void mail_series_free(struct mail_series *s);
void mail_pullreq_free(struct mail_pullreq *p);
void mail_given_free(struct mail_given *g);

#endif
