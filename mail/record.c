/*
 * What a model is made of (mail/private.h): the records of messages,
 * looked up by id, classified and derived from what they hold; the
 * store their strings live in; and releasing what a series or a pull
 * keeps outside it.  The cache reads and writes these; the reader
 * fills them; grouping makes a model of them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mail/classify.h"
#include "mail/private.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

static const struct mail_rec_more none;
static const struct mail_rec_notice no_notice;

const struct mail_rec_more *mail_rec_more(const struct mail_rec *r)
{
	return r->more ? r->more : &none;
}

struct mail_rec_more *mail_rec_more_make(struct mail_rec *r,
					 struct arena *a)
{
	if (!r->more)
		r->more = ARENA_NEW(a, struct mail_rec_more);
	return r->more;
}

const struct mail_rec_notice *mail_rec_notice(const struct mail_rec *r)
{
	return r->more && r->more->notice ? r->more->notice : &no_notice;
}

struct mail_rec_notice *mail_rec_notice_make(struct mail_rec *r,
					     struct arena *a)
{
	struct mail_rec_more *x = mail_rec_more_make(r, a);

	if (!x->notice)
		x->notice = ARENA_NEW(a, struct mail_rec_notice);
	return x->notice;
}

void mail_rec_set_refs(struct mail_rec *r, const struct vec *ids,
		       struct arena *a)
{
	struct mail_rec_more *x;

	if (!ids->n)
		return;
	x = mail_rec_more_make(r, a);
	x->refs = arena_alloc_align(a, ids->n * sizeof(*x->refs),
				    alignof(char *));
	memcpy(x->refs, ids->items, ids->n * sizeof(*x->refs));
	x->nrefs = (unsigned)ids->n;
}

void mail_rec_release(struct mail_rec *r)
{
	struct mail_rec_notice *nt = r->more ? r->more->notice : NULL;

	if (!nt)
		return;
	vec_release(&nt->bot_items, NULL);
	vec_release(&nt->shortlog, NULL);
	vec_release(&nt->shortlog_n, NULL);
	vec_release(&nt->bot_n, NULL);
}

static guint rec_hash(gconstpointer k)
{
	return ((const struct mail_rec *)k)->id_hash;
}

static gboolean rec_equal(gconstpointer a, gconstpointer b)
{
	return !strcmp(((const struct mail_rec *)a)->id,
		       ((const struct mail_rec *)b)->id);
}

GHashTable *mail_rec_table_new(void)
{
	return g_hash_table_new(rec_hash, rec_equal);
}

struct mail_rec *mail_rec_lookup(GHashTable *t, const char *id,
				 unsigned hash)
{
	struct mail_rec probe;

	probe.id = (char *)id;
	probe.id_hash = hash;
	return g_hash_table_lookup(t, &probe);
}

/*
 * A record changed in a later segment of the records cache takes the
 * place of the earlier one.
 */
void mail_rec_dedup(struct vec *recs, GHashTable *by_id)
{
	size_t j = 0;

	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_rec *old = mail_rec_lookup(by_id, r->id, r->id_hash);

		if (old) {
			mail_rec_release(old);
			*old = *r;
			continue;
		}
		g_hash_table_insert(by_id, r, r);
		recs->items[j++] = r;
	}
	recs->n = j;
}

char *mail_name_keep(GStringChunk **names, const char *s)
{
	if (!s)
		return NULL;
	if (!*names)
		*names = g_string_chunk_new(64 << 10);
	return g_string_chunk_insert_const(*names, s);
}

static void names_free(void *p)
{
	g_string_chunk_free(p);
}

struct mail_store *mail_store_new(void)
{
	return xcalloc(1, sizeof(struct mail_store));
}

void mail_store_free(struct mail_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->recs.n; i++)
		mail_rec_release(st->recs.items[i]);
	vec_release(&st->recs, NULL);
	if (st->by_id)
		g_hash_table_destroy(st->by_id);
	arena_release(&st->arena);
	arena_release(&st->parents);
	arena_release(&st->titles);
	vec_release(&st->names, names_free);
	free(st);
}

/*
 * The facts of a record's body, as the record keeps them: a review
 * trailer or pw-bot word it gave, a notice that parsed (applied_to).
 */
void mail_rec_classify(struct mail_rec *r)
{
	const struct mail_rec_more *x = mail_rec_more(r);
	unsigned facts = 0;

	if (x->ngiven || x->pwbot)
		facts |= MAIL_FACT_REVIEW;
	if (mail_rec_notice(r)->applied_to)
		facts |= MAIL_FACT_NOTICE;
	r->what = mail_classify_facts(r->from_email, &r->subj, facts);
}

/*
 * The title as the end of the subject, where it is (most messages),
 * else a copy: a million records keep a title each.
 */
static char *title_in(char *subject, const char *title, struct arena *a)
{
	if (!title)
		return NULL;
	if (subject && str_ends_with(subject, title))
		return subject + strlen(subject) - strlen(title);
	return arena_strdup(a, title);
}

void mail_rec_derive(struct mail_rec *r, struct arena *a,
		     GStringChunk **names)
{
	struct mail_subject subj;

	mail_subject_parse(&subj, r->subject ? r->subject : "");
	r->subj = subj;
	r->subj.tree = mail_name_keep(names, subj.tree);
	r->subj.date = arena_strdup_or_null(a, subj.date);
	r->subj.title = title_in(r->subject, subj.title, a);
	r->ntitle = NULL;	/* mail_rec_ntitle() makes it */
	mail_subject_release(&subj);
	mail_rec_classify(r);
	mail_rec_derive_body(r, a);
	r->posting = NULL;
	r->patch_index = 0;
}

char *mail_rec_ntitle_new(const struct mail_rec *r)
{
	return mail_subject_normalize_title(r->subj.title ? r->subj.title :
					    "");
}

const char *mail_rec_ntitle(struct mail_rec *r, struct arena *a)
{
	if (!r->ntitle) {
		char *nt = mail_rec_ntitle_new(r);

		r->ntitle = arena_strdup(a, nt);
		free(nt);
	}
	return r->ntitle;
}

/*
 * The titles a pull's shortlog and a bot notice name, normalised here
 * (on the thread that reads the record) for grouping to look up.
 */
void mail_rec_derive_body(struct mail_rec *r, struct arena *a)
{
	struct mail_rec_notice *x = r->more ? r->more->notice : NULL;

	if (!x)
		return;
	vec_release(&x->shortlog_n, NULL);
	vec_release(&x->bot_n, NULL);
	for (size_t i = 0; i < x->shortlog.n; i++) {
		char *nt = mail_subject_normalize_title(x->shortlog.items[i]);

		vec_push(&x->shortlog_n, arena_strdup(a, nt));
		free(nt);
	}
	for (size_t i = 0; i < x->bot_items.n; i++) {
		const struct mail_botitem *it = x->bot_items.items[i];
		char *nt = mail_subject_normalize_title(it->title);

		vec_push(&x->bot_n, arena_strdup(a, nt));
		free(nt);
	}
}

/* The vectors' arrays; strings and structs go with the store. */
void mail_series_release(struct mail_series *s)
{
	for (size_t i = 0; i < s->versions.n; i++) {
		struct mail_version *v = s->versions.items[i];

		for (size_t j = 0; j < v->patches.n; j++) {
			struct mail_patch *p = v->patches.items[j];

			vec_release(&p->given, NULL);
		}
		vec_release(&v->patches, NULL);
		vec_release(&v->given, NULL);
		vec_release(&v->repliers, NULL);
		vec_release(&v->message_ids, NULL);
	}
	vec_release(&s->versions, NULL);
}

void mail_pullreq_release(struct mail_pullreq *p)
{
	vec_release(&p->series, NULL);
	vec_release(&p->titles, NULL);
}

void mail_warn(struct vec *warnings, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	if (warnings->n >= MAIL_WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(warnings, sbuf_detach(&sb));
}
