/*
 * The series model: messages from notmuch (and, where needed, their
 * files) into postings, versions, series and pull requests.
 *
 * Grouping works on what real threads look like, not on what they
 * should look like:
 *  - a posting is one sending of one version: the cover letter and
 *    patches of one author with the same version, total and tags in one
 *    notmuch thread; patches sent without In-Reply-To (each its own
 *    thread) join a posting of the same author/version/total sent
 *    within six hours;
 *  - postings are versions of one series when they share author and
 *    normalised title, when a cover letter links an earlier posting
 *    (lore URL), or when a vN is sent in reply to an earlier version;
 *  - a reply belongs to the message it answers (In-Reply-To, walked up
 *    through replies), else to the posting its subject names in its
 *    thread.
 */
#include <glib.h>
#include <pthread.h>
#include <unistd.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/gmime.h"
#include "mail/index.h"
#include "mail/message.h"
#include "mail/model.h"
#include "mail/private.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* Patches of one posting sent without threading arrive within this. */
#define POSTING_WINDOW (6 * 3600)
/* The same title and version reposted within this is one series. */
#define REPOST_WINDOW (3 * 86400)
/* Replies are followed up at most this many parents. */
#define PARENT_DEPTH_MAX 64

struct mail_posting {
	struct mail_version *v;
	char *author_name, *author_email;
	char *title, *ntitle;
	char *key2;			/* author/version/total/tags */
	struct mail_rec *head;		/* cover, else lowest patch */
	struct mail_rec **patch;	/* [0..total]: by index */
	unsigned npatch;		/* size of patch[] */
	struct mail_posting *uf;	/* union-find parent */
	struct mail_series *series;
	time_t pwbot_time;
};

const char *mail_state_name(enum mail_state s)
{
	static const char *const names[] = {
		[MAIL_STATE_NEW] = "new",
		[MAIL_STATE_REVIEWED] = "reviewed",
		[MAIL_STATE_CHANGES_REQUESTED] = "changes-requested",
		[MAIL_STATE_APPLIED] = "applied",
		[MAIL_STATE_SUPERSEDED] = "superseded",
		[MAIL_STATE_RFC] = "rfc",
		[MAIL_STATE_DEFERRED] = "deferred",
		[MAIL_STATE_REJECTED] = "rejected",
	};

	return (unsigned)s < G_N_ELEMENTS(names) ? names[s] : "new";
}

void mail_rec_release(struct mail_rec *r)
{
	vec_release(&r->given, NULL);
	vec_release(&r->refs, NULL);
	vec_release(&r->bot_items, NULL);
	vec_release(&r->shortlog, NULL);
	vec_release(&r->shortlog_n, NULL);
	vec_release(&r->bot_n, NULL);
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
	vec_release(&st->buffers, free);
	arena_release(&st->arena);
	free(st);
}

/*
 * The facts of a record's body, as the record keeps them: a review
 * trailer or pw-bot word it gave, a notice that parsed (applied_to).
 */
void mail_rec_classify(struct mail_rec *r)
{
	unsigned facts = 0;

	if (r->given.n || r->pwbot)
		facts |= MAIL_FACT_REVIEW;
	if (r->applied_to)
		facts |= MAIL_FACT_NOTICE;
	r->what = mail_classify_facts(r->from_email, &r->subj, facts);
}

void mail_rec_derive(struct mail_rec *r, struct arena *a)
{
	struct mail_subject subj;
	char *nt;

	mail_subject_parse(&subj, r->subject ? r->subject : "");
	nt = mail_subject_normalize_title(subj.title ? subj.title : "");
	r->subj = subj;
	r->subj.tree = arena_strdup_or_null(a, subj.tree);
	r->subj.date = arena_strdup_or_null(a, subj.date);
	r->subj.title = arena_strdup_or_null(a, subj.title);
	r->ntitle = arena_strdup(a, nt);
	free(nt);
	mail_subject_release(&subj);
	mail_rec_classify(r);
	mail_rec_derive_body(r, a);
	r->posting = NULL;
	r->patch_index = 0;
}

/*
 * The titles a pull's shortlog and a bot notice name, normalised here
 * (on the thread that reads the record) for grouping to look up.
 */
void mail_rec_derive_body(struct mail_rec *r, struct arena *a)
{
	vec_release(&r->shortlog_n, NULL);
	vec_release(&r->bot_n, NULL);
	for (size_t i = 0; i < r->shortlog.n; i++) {
		char *nt = mail_subject_normalize_title(r->shortlog.items[i]);

		vec_push(&r->shortlog_n, arena_strdup(a, nt));
		free(nt);
	}
	for (size_t i = 0; i < r->bot_items.n; i++) {
		const struct mail_botitem *it = r->bot_items.items[i];
		char *nt = mail_subject_normalize_title(it->title);

		vec_push(&r->bot_n, arena_strdup(a, nt));
		free(nt);
	}
}

/* ---- reading one message ---- */

/* The sender, its address lowercase (the whole text when it has none). */
static void parse_from(const char *from, char **name, char **email,
		       struct arena *a)
{
	struct mail_address addr;

	mail_address_parse(&addr, from);
	*name = arena_strdup_or_null(a, addr.name);
	if (addr.email) {
		for (char *c = addr.email; *c; c++)
			*c = g_ascii_tolower(*c);
		*email = arena_strdup(a, addr.email);
	} else {
		*email = arena_strdup(a, from);
	}
	mail_address_release(&addr);
}

/* Message ids in lore links of a body: .../lore.kernel.org/LIST/ID/ */
static void find_lore_refs(const char *text, struct vec *out,
			   struct arena *a)
{
	const char *p = text;

	while ((p = strstr(p, "lore.kernel.org/"))) {
		const char *s = p + strlen("lore.kernel.org/");
		const char *slash = strchr(s, '/');
		size_t n;

		p = s;
		if (!slash || (size_t)(slash - s) > 40)
			continue;
		s = slash + 1;
		n = strcspn(s, "/ \t\r\n>\"')");
		if (n < 3 || n > 250 || !memchr(s, '@', n))
			continue;
		{
			char *id = xstrndup(s, n);

			if (vec_find_str(out, id) < 0 && out->n < 64)
				vec_push(out, arena_strdup(a, id));
			free(id);
		}
	}
}

static void rec_fill_from_body(struct mail_rec *r, const struct mail_message *m,
			       struct arena *a)
{
	struct mail_body body = MAIL_BODY_INIT;
	const char *text = m->body ? m->body : "";

	if (m->in_reply_to)
		r->parent = arena_strdup(a, m->in_reply_to);
	else if (m->references.n)
		r->parent = arena_strdup(a, m->references.items[
						 m->references.n - 1]);
	r->parent_hash = r->parent ? g_str_hash(r->parent) : 0;

	mail_body_scan(&body, text);
	for (size_t i = 0; i < body.trailers.n; i++) {
		const struct mail_trailer *t = body.trailers.items[i];
		struct mail_given *g;

		if (!mail_trailer_is_review(t->kind) || !t->email)
			continue;
		g = ARENA_NEW(a, struct mail_given);
		g->kind = t->kind;
		g->name = arena_strdup_or_null(a, t->name);
		g->email = arena_strdup(a, t->email);
		g->message_id = r->id;
		vec_push(&r->given, g);
	}
	if (body.pwbot != MAIL_PWBOT_NONE && body.pwbot_word)
		r->pwbot = arena_strdup(a, body.pwbot_word);
	mail_body_release(&body);

	if (mail_is_bot_address(r->from_email)) {
		struct mail_botnotice n;

		memset(&n, 0, sizeof(n));
		if (!mail_botnotice_parse(&n, text)) {
			char *at = mail_botnotice_applied_to(&n);

			r->applied_to = arena_strdup_or_null(a, at);
			free(at);
			if (n.by_email) {
				struct sbuf by = SBUF_INIT;

				sbuf_addf(&by, "%s <%s>", n.by_name ?
					  n.by_name : "", n.by_email);
				r->applied_by = arena_strdup(a, by.buf);
				sbuf_release(&by);
			}
			for (size_t i = 0; i < n.items.n; i++) {
				const struct mail_botitem *it = n.items.items[i];
				struct mail_botitem *ri =
					ARENA_NEW(a, struct mail_botitem);

				ri->index = it->index;
				ri->title = arena_strdup(a, it->title ?
							 it->title : "");
				if (it->commit && *it->commit)
					ri->commit = arena_strdup(a, it->commit);
				vec_push(&r->bot_items, ri);
			}
			mail_botnotice_release(&n);
		}
	} else if (r->subj.kind == MAIL_SUBJECT_PULL &&
		   !(r->subj.flags & MAIL_SUBJECT_REPLY)) {
		struct mail_pull p;

		memset(&p, 0, sizeof(p));
		if (!mail_pull_parse(&p, r->subject, text)) {
			r->pull_target = arena_strdup_or_null(a, p.target);
			for (size_t i = 0; i < p.shortlog.n; i++)
				vec_push(&r->shortlog, arena_strdup(a,
					p.shortlog.items[i]));
		}
		mail_pull_release(&p);
	} else if (r->subj.kind == MAIL_SUBJECT_PATCH &&
		   r->subj.index == 0 && r->subj.total > 0) {
		find_lore_refs(text, &r->refs, a);
	}
}

/* A message whose file is still to be read. */
struct pending {
	struct mail_rec *rec;
	char *file;
	char *warning;		/* why it could not be read */
	int read;
};

#define READERS_MAX 8

struct build_ctx;

/* A reader thread, with an arena of its own for what it reads. */
struct reader {
	struct build_ctx *c;
	struct arena arena;
	pthread_t thread;
};

/*
 * Reading the index and reading the files overlap: the thread that
 * walks notmuch queues each message, reader threads (one per core)
 * take them from the queue as they come.
 */
struct build_ctx {
	struct mail_store *store;	/* records; arena of this thread */
	GHashTable *by_id;		/* id -> struct mail_rec * */
	struct vec *warnings;
	struct vec fresh;		/* struct mail_rec *: read this time */
	struct vec pending;		/* struct pending *, under mu */
	size_t next;			/* the next pending to read, under mu */
	int done;			/* no more will be queued, under mu */
	pthread_mutex_t mu;
	pthread_cond_t more;
	struct reader readers[READERS_MAX];
	size_t nreaders;
	size_t read;
};

static void warn(struct vec *warnings, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct vec *warnings, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	if (warnings->n >= 1000)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(warnings, sbuf_detach(&sb));
}

static void read_one(struct pending *p, struct arena *a)
{
	struct mail_message m;
	struct err err = ERR_INIT;

	memset(&m, 0, sizeof(m));
	if (!p->file) {
		p->warning = g_strdup_printf("%s: no file", p->rec->id);
	} else if (mail_message_load_light(&m, p->file, &err)) {
		p->warning = g_strdup(err.msg);
	} else {
		rec_fill_from_body(p->rec, &m, a);
		mail_rec_derive_body(p->rec, a);
		p->read = 1;
	}
	mail_message_release(&m);
	/* The subject is parsed already; the body may make it a notice. */
	mail_rec_classify(p->rec);
	free(p->file);
	p->file = NULL;
}

static void read_queue(struct build_ctx *c, struct arena *a)
{
	for (;;) {
		struct pending *p = NULL;

		pthread_mutex_lock(&c->mu);
		while (c->next >= c->pending.n && !c->done)
			pthread_cond_wait(&c->more, &c->mu);
		if (c->next < c->pending.n)
			p = c->pending.items[c->next++];
		pthread_mutex_unlock(&c->mu);
		if (!p)
			return;
		read_one(p, a);
	}
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;

	read_queue(rd->c, &rd->arena);
	return NULL;
}

static void readers_start(struct build_ctx *c)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = ncpu < 1 ? 1 : ncpu > READERS_MAX ? READERS_MAX :
		(size_t)ncpu;

	vec_init(&c->pending);
	c->next = 0;
	c->done = 0;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->more, NULL);
	c->nreaders = 0;
	for (size_t i = 0; i < n; i++) {
		struct reader *rd = &c->readers[c->nreaders];

		memset(rd, 0, sizeof(*rd));
		rd->c = c;
		if (!pthread_create(&rd->thread, NULL, reader_main, rd))
			c->nreaders++;
	}
}

/* What notmuch knows; the file is read by a reader thread. */
static int add_message(const struct mail_index_msg *im, void *data)
{
	struct build_ctx *c = data;
	struct arena *a = &c->store->arena;
	struct mail_rec *r = ARENA_NEW(a, struct mail_rec);
	struct pending *p = xcalloc(1, sizeof(*p));
	char *subject = g_utf8_make_valid(im->subject, -1);

	r->id = arena_strdup(a, im->id);
	r->id_hash = g_str_hash(r->id);
	r->thread = arena_strdup(a, im->thread);
	r->date = im->date;
	r->subject = arena_strdup(a, subject);
	g_free(subject);
	parse_from(im->from, &r->from_name, &r->from_email, a);
	mail_rec_derive(r, a);
	r->fresh = 1;
	p->rec = r;
	p->file = xstrdup_or_null(im->filename);
	pthread_mutex_lock(&c->mu);
	vec_push(&c->pending, p);
	pthread_cond_signal(&c->more);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

/*
 * Wait for the readers (reading in this thread what is left when none
 * could start), then add the records in the order notmuch gave them.
 */
static void readers_finish(struct build_ctx *c)
{
	struct vec *recs = &c->store->recs;

	pthread_mutex_lock(&c->mu);
	c->done = 1;
	pthread_cond_broadcast(&c->more);
	pthread_mutex_unlock(&c->mu);
	if (!c->nreaders)
		read_queue(c, &c->store->arena);
	for (size_t i = 0; i < c->nreaders; i++) {
		pthread_join(c->readers[i].thread, NULL);
		arena_merge(&c->store->arena, &c->readers[i].arena);
	}
	pthread_cond_destroy(&c->more);
	pthread_mutex_destroy(&c->mu);

	for (size_t i = 0; i < c->pending.n; i++) {
		struct pending *p = c->pending.items[i];
		struct mail_rec *r = p->rec, *old;

		if (p->warning)
			warn(c->warnings, "%s", p->warning);
		c->read += (size_t)p->read;
		old = mail_rec_lookup(c->by_id, r->id, r->id_hash);
		if (old) {
			/*
			 * Changed since the cache: the new record takes the
			 * old one's place (a copy, not a search of recs);
			 * the table's key is that place, its id unchanged.
			 */
			mail_rec_release(old);
			*old = *r;
			r = old;
		} else {
			vec_push(recs, r);
			g_hash_table_insert(c->by_id, r, r);
		}
		vec_push(&c->fresh, r);
		g_free(p->warning);
		free(p);
	}
	vec_release(&c->pending, NULL);
}

/* ---- grouping ---- */

/* The title of what has none; model strings are borrowed, never freed. */
static char empty[] = "";

struct group_ctx {
	struct arena *a;		/* the model's */
	struct arena tmp;		/* postings and keys, freed after */
	GHashTable *by_id;		/* id -> rec */
	GHashTable *postings;		/* key -> posting */
	GHashTable *unthreaded;		/* key2 -> latest posting */
	GHashTable *by_title;		/* patch ntitle -> GPtrArray of postings */
	GHashTable *pulls;		/* id -> struct mail_pullreq * */
	struct vec all;			/* struct mail_posting * */
	const char *const *maintainers;
};

static struct mail_posting *uf_find(struct mail_posting *p)
{
	while (p->uf != p) {
		p->uf = p->uf->uf;
		p = p->uf;
	}
	return p;
}

static void uf_union(struct mail_posting *a, struct mail_posting *b)
{
	a = uf_find(a);
	b = uf_find(b);
	if (a == b)
		return;
	/* The older posting is the representative. */
	if (b->v->date < a->v->date)
		a->uf = b;
	else
		b->uf = a;
}

static char *posting_key2(struct group_ctx *g, const struct mail_rec *r,
			  struct sbuf *sb)
{
	sbuf_reset(sb);
	sbuf_addstr(sb, r->from_email);
	sbuf_addch(sb, '\x1f');
	sbuf_addull(sb, r->subj.version);
	sbuf_addch(sb, '\x1f');
	sbuf_addull(sb, r->subj.total ? r->subj.total : 1);
	sbuf_addch(sb, r->subj.flags & MAIL_SUBJECT_RFC ? 'r' : '-');
	sbuf_addstr(sb, r->subj.tree ? r->subj.tree : "");
	return arena_strndup(&g->tmp, sb->buf, sb->len);
}

static struct mail_posting *posting_new(struct group_ctx *g,
					struct mail_rec *r, char *key2)
{
	struct mail_posting *p = ARENA_NEW(&g->tmp, struct mail_posting);
	struct mail_version *v = ARENA_NEW(g->a, struct mail_version);
	unsigned total = r->subj.total ? r->subj.total : 1;

	p->v = v;
	p->uf = p;
	p->key2 = key2;
	p->author_name = r->from_name;
	p->author_email = r->from_email;
	p->npatch = total + 1;
	p->patch = arena_alloc(&g->tmp, p->npatch * sizeof(*p->patch));
	v->version = r->subj.version ? r->subj.version : 1;
	v->flags = r->subj.flags & (MAIL_SUBJECT_RFC | MAIL_SUBJECT_RESEND);
	v->tree = r->subj.tree;
	v->thread = r->thread;
	v->patches_expected = total;
	v->date = r->date;
	vec_push(&g->all, p);
	return p;
}

static void posting_add(struct mail_posting *p, struct mail_rec *r)
{
	unsigned idx = r->what == MAIL_WHAT_COVER ? 0 :
		(r->subj.index ? r->subj.index : 1);

	if (idx >= p->npatch)
		idx = p->npatch - 1 ? p->npatch - 1 : 0;
	if (!p->patch[idx])
		p->patch[idx] = r;
	r->posting = p;
	r->patch_index = idx;
	vec_push(&p->v->message_ids, r->id);
	if (r->date > p->v->last_activity)
		p->v->last_activity = r->date;
	if (r->date < p->v->date)
		p->v->date = r->date;
}

static void group_postings(struct group_ctx *g, struct vec *recs)
{
	struct sbuf sb = SBUF_INIT, kb = SBUF_INIT;

	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_posting *p, *loose;
		unsigned idx;
		char *key2, *key;

		if (r->what != MAIL_WHAT_COVER && r->what != MAIL_WHAT_PATCH)
			continue;
		key2 = posting_key2(g, r, &sb);
		sbuf_reset(&kb);
		sbuf_addstr(&kb, r->thread);
		sbuf_addch(&kb, '\x1f');
		sbuf_addstr(&kb, key2);
		key = NULL;
		idx = r->what == MAIL_WHAT_COVER ? 0 :
			(r->subj.index ? r->subj.index : 1);
		p = g_hash_table_lookup(g->postings, kb.buf);
		if (p && idx < p->npatch && p->patch[idx]) {
			p = NULL;	/* a resend into the same thread */
		}
		if (!p) {
			loose = g_hash_table_lookup(g->unthreaded, key2);
			if (loose && r->date - loose->v->date <= POSTING_WINDOW &&
			    idx < loose->npatch && !loose->patch[idx] &&
			    !r->parent_rec)
				p = loose;
		}
		if (!p) {
			p = posting_new(g, r, key2);
			g_hash_table_replace(g->unthreaded, p->key2, p);
		}
		key = arena_strndup(&g->tmp, kb.buf, kb.len);
		g_hash_table_replace(g->postings, key, p);
		posting_add(p, r);
	}
	sbuf_release(&sb);
	sbuf_release(&kb);
}

/* Title, head and counts, once every patch is in. */
static void posting_finish(struct group_ctx *g, struct mail_posting *p)
{
	struct mail_version *v = p->v;
	GPtrArray *same;

	for (unsigned i = 0; i < p->npatch; i++) {
		struct mail_rec *r = p->patch[i];
		struct mail_patch *mp;

		if (!r)
			continue;
		if (!p->head)
			p->head = r;
		if (i == 0) {
			v->has_cover = 1;
			continue;
		}
		v->patches_received++;
		mp = ARENA_NEW(g->a, struct mail_patch);
		mp->index = i;
		mp->message_id = r->id;
		mp->title = r->subj.title ? r->subj.title : empty;
		/* Trailers the author carried in the patch itself. */
		for (size_t j = 0; j < r->given.n; j++)
			vec_push(&mp->given, r->given.items[j]);
		vec_push(&v->patches, mp);
	}
	v->message_id = p->head->id;
	p->title = p->head->subj.title ? p->head->subj.title : empty;
	p->ntitle = p->head->ntitle;
	/* Patch titles find the posting for bot notices and pulls. */
	for (unsigned i = 1; i < p->npatch; i++) {
		if (!p->patch[i])
			continue;
		same = g_hash_table_lookup(g->by_title, p->patch[i]->ntitle);
		if (!same) {
			same = g_ptr_array_new();
			g_hash_table_insert(g->by_title, p->patch[i]->ntitle,
					    same);
		}
		if (!same->len || g_ptr_array_index(same, same->len - 1) != p)
			g_ptr_array_add(same, p);
	}
}

static struct mail_rec *find_rec(struct group_ctx *g, const char *id)
{
	return id ? mail_rec_lookup(g->by_id, id, g_str_hash(id)) : NULL;
}

/* Link postings into series. */
static void link_versions(struct group_ctx *g)
{
	GHashTable *by_author_title = g_hash_table_new(g_str_hash,
						       g_str_equal);
	struct sbuf kb = SBUF_INIT;

	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];
		struct mail_posting *q;
		struct mail_rec *parent;
		char *key;

		sbuf_reset(&kb);
		sbuf_addstr(&kb, p->author_email);
		sbuf_addch(&kb, '\x1f');
		sbuf_addstr(&kb, p->ntitle);
		q = g_hash_table_lookup(by_author_title, kb.buf);
		key = q ? NULL : arena_strndup(&g->tmp, kb.buf, kb.len);

		/*
		 * Same author and title: a later version, a RESEND, or a
		 * repost within days.  The same v1 title weeks later is a
		 * new series ("Netfilter fixes for net" every few weeks).
		 */
		if (q && (p->v->version > q->v->version ||
			  p->v->flags & MAIL_SUBJECT_RESEND ||
			  p->v->date - q->v->date < REPOST_WINDOW))
			uf_union(p, q);
		/* An existing entry keeps its key. */
		g_hash_table_insert(by_author_title, key ? key : kb.buf, p);
		/* A cover letter that links an earlier posting. */
		for (size_t j = 0; j < p->head->refs.n; j++) {
			struct mail_rec *r = find_rec(g, p->head->refs.items[j]);

			if (r && r->posting && r->posting != p &&
			    mail_address_same(r->posting->author_email,
					      p->author_email))
				uf_union(p, r->posting);
		}
		/* A vN sent in reply to an earlier version. */
		parent = p->head->parent_rec;
		if (parent && parent->posting && parent->posting != p &&
		    parent->posting->v->version < p->v->version)
			uf_union(p, parent->posting);
	}
	g_hash_table_destroy(by_author_title);
	sbuf_release(&kb);
}

static int version_cmp(const void *a, const void *b)
{
	const struct mail_version *x = *(struct mail_version *const *)a;
	const struct mail_version *y = *(struct mail_version *const *)b;

	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return x->date < y->date ? -1 : x->date > y->date;
}

static void make_series(struct group_ctx *g, struct mail_model *m)
{
	GHashTable *posting_of = g_hash_table_new(g_direct_hash,
						  g_direct_equal);

	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];
		struct mail_posting *root = uf_find(p);

		if (!root->series) {
			root->series = ARENA_NEW(g->a, struct mail_series);
			vec_push(&m->series, root->series);
		}
		p->series = root->series;
		vec_push(&p->series->versions, p->v);
		g_hash_table_insert(posting_of, p->v, p);
	}
	for (size_t i = 0; i < m->series.n; i++) {
		struct mail_series *s = m->series.items[i];
		const struct mail_posting *q;

		vec_sort(&s->versions, version_cmp);
		/* The newest version gives title, author and tree. */
		q = g_hash_table_lookup(posting_of,
					s->versions.items[s->versions.n - 1]);
		s->title = q->title;
		s->author_name = q->author_name;
		s->author_email = q->author_email;
		s->tree = q->v->tree;
	}
	g_hash_table_destroy(posting_of);
}

/* Whether email's pw-bot: words count (kernel/trees.h by default). */
static int is_maintainer(struct group_ctx *g, const char *email)
{
	const struct kernel_person *p;

	for (size_t i = 0; g->maintainers && g->maintainers[i]; i++)
		if (mail_address_same(g->maintainers[i], email))
			return 1;
	for (size_t i = 0; !g->maintainers && (p = kernel_person_at(i)); i++)
		if ((p->roles & KERNEL_ROLE_PWBOT) &&
		    mail_address_same(p->email, email))
			return 1;
	return 0;
}

/* Whether v (char *: addresses) has addr. */
static int has_address(const struct vec *v, const char *addr)
{
	for (size_t i = 0; i < v->n; i++)
		if (mail_address_same(v->items[i], addr))
			return 1;
	return 0;
}

/* A trailer (shared with the record that gave it), once per person. */
static void add_given(struct vec *to, struct mail_given *src)
{
	for (size_t i = 0; i < to->n; i++) {
		const struct mail_given *o = to->items[i];

		if (o->kind == src->kind &&
		    mail_address_same(o->email, src->email))
			return;
	}
	vec_push(to, src);
}

/* The posting and patch a reply answers. */
static struct mail_rec *reply_target(struct group_ctx *g, struct mail_rec *r,
				     GHashTable *thread_postings)
{
	struct mail_rec *t = r->parent_rec;
	GPtrArray *cands;
	struct mail_rec *best = NULL;

	for (int depth = 0; t && depth < PARENT_DEPTH_MAX; depth++) {
		if (t->posting)
			return t;
		if (t == r)
			break;	/* a loop in the references */
		t = t->parent_rec;
	}
	/* No parent we know: the posting named by the subject. */
	cands = g_hash_table_lookup(thread_postings, r->thread);
	if (!cands)
		return NULL;
	for (guint i = 0; i < cands->len; i++) {
		struct mail_posting *p = g_ptr_array_index(cands, i);

		if (p->v->date > r->date)
			continue;
		if (r->subj.kind == MAIL_SUBJECT_PATCH &&
		    p->v->version != r->subj.version)
			continue;
		if (!best || p->v->date >= best->posting->v->date)
			best = p->head;
		if (r->subj.kind == MAIL_SUBJECT_PATCH && r->subj.index <
		    p->npatch && p->patch[r->subj.index])
			best = p->patch[r->subj.index];
	}
	return best;
}

/*
 * Whether r is part of the discussion of what it answers: a review, a
 * reply, a discussion; an announcement ("[ANN] net-next is CLOSED")
 * that answers nothing starts none.
 */
static int joins_discussion(const struct mail_rec *r)
{
	switch (r->what) {
	case MAIL_WHAT_REVIEW:
	case MAIL_WHAT_REPLY:
		return 1;
	case MAIL_WHAT_DISCUSSION:
		return r->subj.kind != MAIL_SUBJECT_ANN ||
		       (r->subj.flags & (MAIL_SUBJECT_REPLY |
					 MAIL_SUBJECT_FWD));
	default:
		return 0;
	}
}

static void attach_replies(struct group_ctx *g, struct vec *recs)
{
	GHashTable *thread_postings = g_hash_table_new_full(
		g_str_hash, g_str_equal, NULL,
		(GDestroyNotify)g_ptr_array_unref);

	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];
		GPtrArray *a = g_hash_table_lookup(thread_postings,
						   p->v->thread);

		if (!a) {
			a = g_ptr_array_new();
			g_hash_table_insert(thread_postings, p->v->thread, a);
		}
		g_ptr_array_add(a, p);
	}
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_rec *t;
		struct mail_posting *p;
		struct mail_version *v;

		if (!joins_discussion(r))
			continue;
		t = reply_target(g, r, thread_postings);
		if (!t)
			continue;
		p = t->posting;
		v = p->v;
		r->posting = p;
		vec_push(&v->message_ids, r->id);
		if (r->date > v->last_activity)
			v->last_activity = r->date;
		if (!mail_address_same(r->from_email, p->author_email) &&
		    !mail_is_bot_address(r->from_email) &&
		    !has_address(&v->repliers, r->from_email))
			vec_push(&v->repliers, r->from_email);
		for (size_t j = 0; j < r->given.n; j++) {
			struct mail_given *gv = r->given.items[j];

			add_given(&v->given, gv);
			for (size_t k = 0; k < v->patches.n; k++) {
				struct mail_patch *mp = v->patches.items[k];

				if (t->patch_index == 0 ||
				    mp->index == t->patch_index)
					add_given(&mp->given, gv);
			}
		}
		if (r->pwbot && r->date >= p->pwbot_time &&
		    (is_maintainer(g, r->from_email) ||
		     mail_address_same(r->from_email, p->author_email))) {
			v->pwbot = r->pwbot;
			p->pwbot_time = r->date;
		}
	}
	g_hash_table_destroy(thread_postings);
	/* Trailers carried in the patches count for the version too. */
	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_version *v = ((struct mail_posting *)
					  g->all.items[i])->v;

		for (size_t k = 0; k < v->patches.n; k++) {
			struct mail_patch *mp = v->patches.items[k];

			for (size_t j = 0; j < mp->given.n; j++) {
				add_given(&v->given, mp->given.items[j]);
			}
		}
	}
}

/*
 * The posting with a patch of this title posted before a time: an
 * applied one first, else the newest.
 */
static struct mail_posting *posting_by_title(struct group_ctx *g,
					     const char *ntitle, time_t before)
{
	GPtrArray *same = g_hash_table_lookup(g->by_title, ntitle);
	struct mail_posting *best = NULL;

	for (guint i = 0; same && i < same->len; i++) {
		struct mail_posting *p = g_ptr_array_index(same, i);
		int applied = p->v->applied_to != NULL;
		int best_applied = best && best->v->applied_to != NULL;

		if (p->v->date > before)
			continue;
		if (!best || applied > best_applied ||
		    (applied == best_applied && p->v->date > best->v->date))
			best = p;
	}
	return best;
}

static void apply_bot_notices(struct group_ctx *g, struct vec *recs)
{
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_rec *t = r->parent_rec;
		struct mail_posting *p = NULL;

		if (r->what != MAIL_WHAT_BOT_NOTICE)
			continue;
		for (int depth = 0; t && !t->posting && t->what != MAIL_WHAT_PULL
		     && depth < PARENT_DEPTH_MAX; depth++)
			t = t->parent_rec;
		if (t && t->what == MAIL_WHAT_PULL)
			continue;	/* make_pulls() takes these */
		if (t)
			p = t->posting;
		for (size_t j = 0; j < r->bot_items.n; j++) {
			const struct mail_botitem *it = r->bot_items.items[j];
			unsigned index = it->index;
			char *commit = it->commit;
			struct mail_posting *q = p;

			if (!q)
				q = posting_by_title(g, r->bot_n.items[j],
						     r->date);
			if (q) {
				if (!q->v->applied_to) {
					q->v->applied_to = r->applied_to;
					q->v->applied_by = r->applied_by;
				}
				for (size_t k = 0; commit && k < q->v->patches.n;
				     k++) {
					struct mail_patch *mp =
						q->v->patches.items[k];

					if ((index && mp->index == index) ||
					    (!index && q->v->patches.n == 1))
						mp->commit = commit;
				}
				if (vec_find_str(&q->v->message_ids, r->id) < 0)
					vec_push(&q->v->message_ids, r->id);
				if (r->date > q->v->last_activity)
					q->v->last_activity = r->date;
			}
		}
		if (p && !p->v->applied_to) {	/* a notice with no items */
			p->v->applied_to = r->applied_to;
			p->v->applied_by = r->applied_by;
		}
	}
}

static void pull_carries(struct group_ctx *g, struct mail_rec *r,
			 struct mail_pullreq *pr)
{
	GHashTable *hits = g_hash_table_new(g_direct_hash, g_direct_equal);
	struct vec order = VEC_INIT;

	for (size_t j = 0; j < r->shortlog.n; j++) {
		struct mail_posting *p = posting_by_title(g,
			r->shortlog_n.items[j], r->date);
		guint n;

		if (!p)
			continue;
		n = GPOINTER_TO_UINT(g_hash_table_lookup(hits, p));
		if (!n)
			vec_push(&order, p);
		g_hash_table_insert(hits, p, GUINT_TO_POINTER(n + 1));
	}
	for (size_t j = 0; j < order.n; j++) {
		struct mail_posting *p = order.items[j];
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(hits, p));

		/* Most of its patches are in the shortlog. */
		if (2 * n < p->v->patches_received)
			continue;
		vec_push(&pr->series, p->v->message_id);
		vec_push(&pr->titles, p->title);
		if (!p->v->pull_request)
			p->v->pull_request = pr->message_id;
	}
	vec_release(&order, NULL);
	g_hash_table_destroy(hits);
}

static void make_pulls(struct group_ctx *g, struct vec *recs,
		       struct mail_model *m)
{
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_pullreq *pr;
		struct sbuf from = SBUF_INIT;

		if (r->what != MAIL_WHAT_PULL)
			continue;
		pr = ARENA_NEW(g->a, struct mail_pullreq);
		pr->message_id = r->id;
		pr->tree = r->subj.tree;
		pr->date = r->subj.date;
		pr->target = r->pull_target;
		pr->posted = r->date;
		pr->ncommits = (unsigned)r->shortlog.n;
		if (r->from_name)
			sbuf_addf(&from, "%s <%s>", r->from_name, r->from_email);
		else
			sbuf_addstr(&from, r->from_email);
		pr->from = arena_strndup(g->a, from.buf, from.len);
		sbuf_release(&from);
		pull_carries(g, r, pr);
		r->posting = NULL;
		vec_push(&m->pulls, pr);
		g_hash_table_insert(g->pulls, r->id, pr);
	}
	/* The bot's word that a pull was applied. */
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_rec *t = r->parent_rec;
		struct mail_pullreq *pr;

		if (r->what != MAIL_WHAT_BOT_NOTICE)
			continue;
		for (int depth = 0; t && t->what != MAIL_WHAT_PULL &&
		     depth < PARENT_DEPTH_MAX; depth++)
			t = t->parent_rec;
		pr = t ? g_hash_table_lookup(g->pulls, t->id) : NULL;
		if (pr && !pr->applied_to)
			pr->applied_to = r->applied_to;
	}
}

static void set_states(struct mail_model *m)
{
	for (size_t i = 0; i < m->series.n; i++) {
		struct mail_series *s = m->series.items[i];

		s->last_activity = 0;
		for (size_t j = 0; j < s->versions.n; j++) {
			struct mail_version *v = s->versions.items[j];
			enum mail_pwbot_cmd cmd = v->pwbot ?
				mail_pwbot_parse_word(v->pwbot) :
				MAIL_PWBOT_NONE;

			if (v->last_activity > s->last_activity)
				s->last_activity = v->last_activity;
			if (v->applied_to || cmd == MAIL_PWBOT_ACCEPTED)
				v->state = MAIL_STATE_APPLIED;
			else if (j + 1 < s->versions.n ||
				 cmd == MAIL_PWBOT_SUPERSEDED)
				v->state = MAIL_STATE_SUPERSEDED;
			else if (cmd == MAIL_PWBOT_CHANGES_REQUESTED)
				v->state = MAIL_STATE_CHANGES_REQUESTED;
			else if (cmd == MAIL_PWBOT_DEFER ||
				 cmd == MAIL_PWBOT_AWAITING_UPSTREAM)
				v->state = MAIL_STATE_DEFERRED;
			else if (cmd == MAIL_PWBOT_REJECT ||
				 cmd == MAIL_PWBOT_NOT_APPLICABLE)
				v->state = MAIL_STATE_REJECTED;
			else if (v->flags & MAIL_SUBJECT_RFC ||
				 cmd == MAIL_PWBOT_RFC)
				v->state = MAIL_STATE_RFC;
			else if (v->given.n)
				v->state = MAIL_STATE_REVIEWED;
			else
				v->state = MAIL_STATE_NEW;
		}
	}
}

static int series_cmp(const void *a, const void *b)
{
	const struct mail_series *x = *(struct mail_series *const *)a;
	const struct mail_series *y = *(struct mail_series *const *)b;

	if (x->last_activity != y->last_activity)
		return x->last_activity > y->last_activity ? -1 : 1;
	return strcmp(x->title, y->title);
}

static int pull_cmp(const void *a, const void *b)
{
	const struct mail_pullreq *x = *(struct mail_pullreq *const *)a;
	const struct mail_pullreq *y = *(struct mail_pullreq *const *)b;

	return x->posted > y->posted ? -1 : x->posted < y->posted;
}

static int rec_date_cmp(const void *a, const void *b)
{
	const struct mail_rec *x = *(struct mail_rec *const *)a;
	const struct mail_rec *y = *(struct mail_rec *const *)b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Build the model's series and pulls from records (sorted by date). */
static void group(struct vec *recs, GHashTable *by_id,
		  const char *const *maintainers, struct mail_model *m)
{
	struct group_ctx g;

	memset(&g, 0, sizeof(g));
	g.a = &m->store->arena;
	g.maintainers = maintainers;
	g.by_id = by_id;
	g.postings = g_hash_table_new(g_str_hash, g_str_equal);
	g.unthreaded = g_hash_table_new(g_str_hash, g_str_equal);
	g.pulls = g_hash_table_new(g_str_hash, g_str_equal);
	g.by_title = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify)g_ptr_array_unref);
	vec_sort(recs, rec_date_cmp);
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];

		r->posting = NULL;
		r->parent_rec = r->parent ? mail_rec_lookup(by_id, r->parent,
							    r->parent_hash) :
			NULL;
	}
	group_postings(&g, recs);
	for (size_t i = 0; i < g.all.n; i++)
		posting_finish(&g, g.all.items[i]);
	link_versions(&g);
	make_series(&g, m);
	attach_replies(&g, recs);
	apply_bot_notices(&g, recs);
	make_pulls(&g, recs, m);
	set_states(m);
	vec_sort(&m->series, series_cmp);
	vec_sort(&m->pulls, pull_cmp);
	m->nmessages = recs->n;

	for (size_t i = 0; i < recs->n; i++)
		((struct mail_rec *)recs->items[i])->posting = NULL;
	vec_release(&g.all, NULL);
	g_hash_table_destroy(g.by_title);
	g_hash_table_destroy(g.pulls);
	g_hash_table_destroy(g.unthreaded);
	g_hash_table_destroy(g.postings);
	arena_release(&g.tmp);
}

/* ---- the public face ---- */

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

struct mail_model *mail_model_new(void)
{
	struct mail_model *m = xcalloc(1, sizeof(*m));

	m->store = mail_store_new();
	return m;
}

/* Free what a model holds but its warnings. */
static void model_release(struct mail_model *m)
{
	for (size_t i = 0; i < m->series.n; i++)
		mail_series_release(m->series.items[i]);
	vec_release(&m->series, NULL);
	for (size_t i = 0; i < m->pulls.n; i++)
		mail_pullreq_release(m->pulls.items[i]);
	vec_release(&m->pulls, NULL);
	mail_store_free(m->store);
	m->store = NULL;
}

/* Empty a model (its warnings stay) to build it again. */
static void model_reset(struct mail_model *m)
{
	model_release(m);
	m->store = mail_store_new();
}

void mail_model_free(struct mail_model *m)
{
	if (!m)
		return;
	model_release(m);
	vec_release_str(&m->warnings);
	free(m);
}

const struct mail_version *mail_model_find_version(
	const struct mail_model *m, const char *message_id,
	const struct mail_series **series)
{
	for (size_t i = 0; i < m->series.n; i++) {
		const struct mail_series *s = m->series.items[i];

		for (size_t j = 0; j < s->versions.n; j++) {
			const struct mail_version *v = s->versions.items[j];
			int found = !strcmp(v->message_id, message_id) ||
				vec_find_str(&v->message_ids, message_id) >= 0;

			for (size_t k = 0; k < v->patches.n && !found; k++)
				found = !strcmp(((const struct mail_patch *)
						 v->patches.items[k])->message_id,
						message_id);
			if (!found)
				continue;
			if (series)
				*series = s;
			return v;
		}
	}
	return NULL;
}

const struct mail_series *mail_model_find_series(const struct mail_model *m,
						 const char *author_email,
						 const char *title)
{
	char *want = mail_subject_normalize_title(title);
	const struct mail_series *found = NULL;

	for (size_t i = 0; i < m->series.n && !found; i++) {
		const struct mail_series *s = m->series.items[i];
		char *have;

		if (!mail_address_same(s->author_email, author_email))
			continue;
		have = mail_subject_normalize_title(s->title);
		if (!strcmp(have, want))
			found = s;
		free(have);
	}
	free(want);
	return found;
}

const struct mail_series *mail_model_find_series_by_patch(
	const struct mail_model *m, const char *author_email,
	const char *patch_title)
{
	char *want = mail_subject_normalize_title(patch_title);
	const struct mail_series *found = NULL;

	/* Series are newest first: the first match is the most recent. */
	for (size_t i = 0; i < m->series.n && !found; i++) {
		const struct mail_series *s = m->series.items[i];

		if (!mail_address_same(s->author_email, author_email))
			continue;
		for (size_t j = 0; j < s->versions.n && !found; j++) {
			const struct mail_version *v = s->versions.items[j];

			for (size_t k = 0; k < v->patches.n && !found; k++) {
				const struct mail_patch *p = v->patches.items[k];
				char *have = mail_subject_normalize_title(
					p->title);

				if (!strcmp(have, want))
					found = s;
				free(have);
			}
		}
	}
	free(want);
	return found;
}

const struct mail_version *mail_series_latest(const struct mail_series *s)
{
	return s->versions.n ? s->versions.items[s->versions.n - 1] : NULL;
}

size_t mail_version_count_given(const struct mail_version *v,
				enum mail_trailer_kind kind)
{
	struct vec addrs = VEC_INIT;
	size_t n;

	mail_version_given_addresses(v, kind, &addrs);
	n = addrs.n;
	vec_release(&addrs, NULL);
	return n;
}

void mail_version_given_addresses(const struct mail_version *v,
				  enum mail_trailer_kind kind, struct vec *out)
{
	for (size_t i = 0; i < v->given.n; i++) {
		const struct mail_given *g = v->given.items[i];

		if (g->kind == kind && !has_address(out, g->email))
			vec_push(out, g->email);
	}
}

int mail_version_has_feedback(const struct mail_version *v)
{
	return v->repliers.n > 0;
}

/* The cache directory of one (database, query): FNV-1a of both. */
static char *cache_subdir(const char *cache_dir, const char *db, const char *q)
{
	unsigned long long h = 1469598103934665603ULL;
	struct sbuf sb = SBUF_INIT;

	for (const char *s = db; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *s = q; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	sbuf_addf(&sb, "%s/series-%016llx", cache_dir, h);
	return sbuf_detach(&sb);
}

struct cache_paths {
	char *dir, *records, *listing;
};

static void cache_paths_init(struct cache_paths *cp, const char *cache_dir,
			     const char *db, const char *query)
{
	cp->dir = cache_subdir(cache_dir, db, query);
	cp->records = path_join(cp->dir, "records");
	cp->listing = path_join(cp->dir, "series.jsonl");
}

static void cache_paths_release(struct cache_paths *cp)
{
	free(cp->dir);
	free(cp->records);
	free(cp->listing);
}

/*
 * Messages removed from the database show only in the count; it is
 * taken on a database handle of its own while the records load.
 */
struct count_job {
	const char *db_path, *query;
	unsigned count;
	int ret;
	pthread_t thread;
	int started;
};

static void *count_main(void *arg)
{
	struct count_job *j = arg;
	struct mail_index *idx = NULL;

	j->ret = mail_index_open(&idx, j->db_path, 0, NULL);
	if (!j->ret)
		j->ret = mail_index_count(idx, j->query, &j->count, NULL);
	mail_index_free(idx);
	return NULL;
}

static void count_start(struct count_job *j, const char *db_path,
			const char *query)
{
	j->db_path = db_path;
	j->query = query;
	j->started = !pthread_create(&j->thread, NULL, count_main, j);
}

/* The count, on this thread when none could start. */
static int count_finish(struct count_job *j, struct mail_index *idx,
			unsigned *count, struct err *err)
{
	if (!j->started)
		return mail_index_count(idx, j->query, count, err);
	pthread_join(j->thread, NULL);
	j->started = 0;
	if (j->ret)	/* say why, from this handle */
		return mail_index_count(idx, j->query, count, err);
	*count = j->count;
	return 0;
}

/*
 * A record changed in a later segment of the records cache takes the
 * place of the earlier one.
 */
static void records_dedup(struct vec *recs, GHashTable *by_id)
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

/* Read every message of the query changed since revision since. */
static int build_from_index(struct build_ctx *bc, struct mail_index *idx,
			    const char *query, unsigned long since,
			    struct err *err)
{
	int ret;

	readers_start(bc);
	ret = mail_index_each(idx, query, since, add_message, bc, err);
	readers_finish(bc);
	return ret;
}

/* Appended records past this share of the whole: write it again. */
#define APPEND_MAX_SHARE 4

int mail_model_load(struct mail_model **out,
		    const struct mail_model_options *o,
		    struct mail_model_stats *stats, struct err *err)
{
	const char *query = o->query ? o->query : MAIL_DEFAULT_QUERY;
	struct mail_index *idx = NULL;
	struct build_ctx bc;
	struct cache_paths cp = { NULL, NULL, NULL };
	struct mail_cache_records cr;
	struct count_job cj;
	struct mail_model *m;
	const char *uuid;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	unsigned long rev;
	int ret, from_cache = 0, listing_current = 0, need_count;

	mail_gmime_init();
	ret = mail_index_open(&idx, o->db_path, 0, err);
	if (ret)
		return ret;
	rev = mail_index_revision(idx, &uuid);
	mail_index_stamp(idx, stamp);
	m = mail_model_new();
	memset(&bc, 0, sizeof(bc));
	memset(&cr, 0, sizeof(cr));
	memset(&cj, 0, sizeof(cj));
	bc.store = m->store;
	bc.warnings = &m->warnings;
	bc.by_id = mail_rec_table_new();

	if (o->cache_dir) {
		cache_paths_init(&cp, o->cache_dir, mail_index_path(idx),
				 query);
		if (!mail_cache_read_records(cp.records, m->store, &cr, NULL) &&
		    !strcmp(cr.uuid, uuid) && cr.revision <= rev) {
			from_cache = cr.revision == rev ? 2 : 1;
			records_dedup(&m->store->recs, bc.by_id);
		} else {
			mail_store_free(m->store);
			m->store = bc.store = mail_store_new();
		}
	}
	if (from_cache != 2) {
		ret = build_from_index(&bc, idx, query,
				       from_cache ? cr.revision : 0, err);
		if (ret)
			goto out;
	}
	/*
	 * Removing a message leaves notmuch's revision as it was; only the
	 * count tells.  It is not needed when nothing was written since
	 * the listing was known to match (the same stamp).  Grouping takes
	 * one core, the count the other; when messages were removed
	 * (seldom), the model is built again from scratch.
	 */
	if (from_cache == 2)
		listing_current = mail_cache_listing_current(cp.listing, uuid,
							     rev, stamp);
	need_count = from_cache == 1 || (from_cache == 2 && !listing_current);
	if (need_count)
		count_start(&cj, mail_index_path(idx), query);
	group(&m->store->recs, bc.by_id, o->maintainers, m);
	if (need_count) {
		unsigned count = 0;

		ret = count_finish(&cj, idx, &count, err);
		if (ret)
			goto out;
		if (count != m->store->recs.n) {
			g_hash_table_remove_all(bc.by_id);
			vec_release(&bc.fresh, NULL);
			vec_release_str(&m->warnings);	/* said again */
			model_reset(m);
			bc.store = m->store;
			from_cache = 0;
			listing_current = 0;
			bc.read = 0;
			ret = build_from_index(&bc, idx, query, 0, err);
			if (ret)
				goto out;
			group(&m->store->recs, bc.by_id, o->maintainers, m);
		}
	}
	m->revision = rev;
	if (o->cache_dir) {
		struct err werr = ERR_INIT;
		size_t appended = cr.appended + bc.fresh.n;
		int rewrite = !from_cache || cr.torn ||
			appended * APPEND_MAX_SHARE > m->store->recs.n;

		if (fs_mkdir_p(cp.dir, &werr) ||
		    (from_cache != 2 && rewrite &&
		     mail_cache_write_records(cp.records, uuid, rev,
					      &m->store->recs, &werr)) ||
		    (from_cache != 2 && !rewrite &&
		     mail_cache_append_records(cp.records, rev, &bc.fresh,
					       &werr)) ||
		    ((from_cache != 2 || !listing_current) &&
		     mail_cache_write_model(cp.listing, uuid, stamp, m,
					    &werr)))
			warn(&m->warnings, "cache not written: %s", werr.msg);
	}
	if (stats) {
		stats->messages = m->store->recs.n;
		stats->read = bc.read;
		stats->from_cache = from_cache;
	}
	*out = m;
	m = NULL;
out:
	if (cj.started)
		pthread_join(cj.thread, NULL);
	mail_model_free(m);
	g_hash_table_destroy(bc.by_id);
	vec_release(&bc.fresh, NULL);
	cache_paths_release(&cp);
	free(cr.uuid);
	mail_index_free(idx);
	return ret;
}

int mail_model_load_cached(struct mail_model **out,
			   const struct mail_model_options *o, size_t limit,
			   struct err *err)
{
	const char *query = o->query ? o->query : MAIL_DEFAULT_QUERY;
	struct mail_index *idx = NULL;
	struct cache_paths cp;
	struct mail_model *m;
	const char *uuid;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	char head_stamp[MAIL_INDEX_STAMP_LEN + 1];
	unsigned long rev;
	unsigned count = 0;
	int ret, served;

	if (!o->cache_dir)
		return 0;
	ret = mail_index_open(&idx, o->db_path, 0, err);
	if (ret)
		return ret;
	rev = mail_index_revision(idx, &uuid);
	cache_paths_init(&cp, o->cache_dir, mail_index_path(idx), query);
	m = mail_model_new();
	mail_index_stamp(idx, stamp);
	served = !mail_cache_read_model(cp.listing, uuid, rev, limit, m,
					head_stamp, NULL);
	/*
	 * Written to since the listing was known to match: a removed
	 * message shows only in the count (the revision stays).  When the
	 * count agrees, the listing takes the new stamp.
	 */
	if (served && (strspn(stamp, "0") == MAIL_INDEX_STAMP_LEN ||
		       strcmp(stamp, head_stamp))) {
		served = !mail_index_count(idx, query, &count, NULL) &&
			count == m->nmessages;
		if (served)
			mail_cache_listing_restamp(cp.listing, stamp);
	}
	if (!served) {
		mail_model_free(m);
		ret = 0;
	} else {
		m->revision = rev;
		*out = m;
		ret = 1;
	}
	cache_paths_release(&cp);
	mail_index_free(idx);
	return ret;
}
