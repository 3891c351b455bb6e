/*
 * One version of a series as a thread to read: the cover letter, then
 * the patches in 1/N..N/N order (whatever order they arrived in), each
 * followed by the replies under it, and a place for every patch that
 * never arrived.  Needs a model from mail_model_load() (one from the
 * cached listing has no messages).
 */
#ifndef MAIL_THREAD_H
#define MAIL_THREAD_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct mail_model;
struct mail_version;

struct mail_thread_msg {
	const char *id;		/* NULL: a patch that never arrived */
	const char *parent;	/* the id it answers (In-Reply-To, else
				 * the last References id), or NULL */
	const char *subject;
	const char *from_name;	/* or NULL */
	const char *from_email;
	time_t date;
	unsigned depth;		/* 0: the cover letter and the patches */
	unsigned patch;		/* 1..N for a patch, 0 for anything else */
	int cover;		/* the cover letter */
	const struct vec *given;	/* struct mail_given *: the trailers
					 * this message gives, or NULL */
	struct vec given_vec;	/* what given points at, when it is
				 * mail_version_thread()'s: freed by
				 * mail_thread_release() */
};

/*
 * Append v's messages in reading order to out (struct mail_thread_msg
 * *, owned by out: free with mail_thread_release(); the strings are
 * borrowed from m and live as long as it).  Replies come under the
 * message they answer, oldest first; a reply whose parent is not in
 * the version goes under the patch its subject names, else under the
 * cover letter.  0, or -1 when m has no messages (a listing).
 */
int mail_version_thread(const struct mail_model *m,
			const struct mail_version *v, struct vec *out);
void mail_thread_release(struct vec *out);
/*
 * Build what mail_version_thread() looks messages up in (a table of
 * every message), so the first series opened does not wait for it;
 * for a loading thread, before the model is handed over.
 */
void mail_thread_prepare(const struct mail_model *m);

#endif
