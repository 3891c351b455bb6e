/*
 * Which branch carries a series: the Message-Ids of the sent tags
 * against those of the series' versions.  The model keeps ids as
 * notmuch does (no angle brackets), the tags as they were sent.
 */
#include <stdlib.h>
#include <string.h>

#include "front/mine.h"
#include "mail/model.h"
#include "series/respin.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

struct front_mine {
	struct vec sent;	/* struct series_sent * */
	char *checked_out;	/* the current branch, or NULL */
};

int front_mine_open(struct front_mine **out, const char *dir,
		    struct err *err)
{
	struct series_job *job = NULL;
	struct front_mine *m;
	int ret;

	*out = NULL;
	ret = series_job_open(&job, dir, err);
	if (ret)
		return ret;
	m = xcalloc(1, sizeof(*m));
	ret = series_sent_list(job, &m->sent, err);
	if (ret) {
		front_mine_free(m);
	} else {
		m->checked_out = series_job_branch(job) ?
				 xstrdup(series_job_branch(job)) : NULL;
		*out = m;
	}
	series_job_free(job);
	return ret;
}

void front_mine_free(struct front_mine *m)
{
	if (!m)
		return;
	vec_release(&m->sent, series_sent_free);
	free(m->checked_out);
	free(m);
}

/* "<a@b>" and "a@b" are the same id. */
static int same_id(const char *tag_id, const char *model_id)
{
	size_t n;

	if (!tag_id || !model_id)
		return 0;
	if (*tag_id == '<')
		tag_id++;
	n = strcspn(tag_id, ">");
	return tag_id[n] == '>' && !tag_id[n + 1] &&
	       strlen(model_id) == n && !strncmp(tag_id, model_id, n);
}

int front_mine_branch(const struct front_mine *m, const struct mail_series *s,
		      struct front_branch *out)
{
	const struct series_sent *hit = NULL;
	unsigned hit_version = 0;

	*out = (struct front_branch)FRONT_BRANCH_INIT;
	if (!m || !s)
		return 0;
	/* the newest version of the series that a tag names */
	for (size_t i = s->versions.n; i-- > 0 && !hit;) {
		const struct mail_version *v = s->versions.items[i];

		for (size_t j = 0; j < m->sent.n && !hit; j++) {
			const struct series_sent *t = m->sent.items[j];

			if (same_id(t->msgid, v->message_id)) {
				hit = t;
				hit_version = v->version;
			}
		}
	}
	if (!hit)
		return 0;
	out->branch = xstrdup(hit->branch);
	out->sent = hit_version ? hit_version : hit->version;
	out->exists = hit->branch_exists;
	out->checked_out = m->checked_out &&
			   !strcmp(m->checked_out, hit->branch);
	for (size_t j = 0; j < m->sent.n; j++) {
		const struct series_sent *t = m->sent.items[j];

		if (!strcmp(t->branch, hit->branch) && t->version > out->last)
			out->last = t->version;
	}
	return 1;
}

void front_branch_release(struct front_branch *b)
{
	free(b->branch);
	*b = (struct front_branch)FRONT_BRANCH_INIT;
}

void front_branch_describe(const struct front_branch *b, struct sbuf *out)
{
	sbuf_addf(out, "%s (v%u sent%s)", b->branch, b->last ? b->last :
		  b->sent, !b->exists ? "; branch deleted" :
		  b->checked_out ? "; checked out" : "");
}
