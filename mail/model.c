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

#include "mail/index.h"
#include "mail/message.h"
#include "mail/private.h"
#include "mail/series.h"
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

static const char *const default_maintainers[] = {
	/* BPF [GENERAL] */
	"ast@kernel.org", "daniel@iogearbox.net", "andrii@kernel.org",
	"martin.lau@linux.dev", "martin.lau@kernel.org", "eddyz87@gmail.com",
	"memxor@gmail.com",
	/* NETWORKING [GENERAL]: netdevbpf patchwork is shared */
	"davem@davemloft.net", "edumazet@google.com", "kuba@kernel.org",
	"pabeni@redhat.com",
	NULL
};

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

void mail_given_free(struct mail_given *g)
{
	if (!g)
		return;
	free(g->name);
	free(g->email);
	free(g->message_id);
	free(g);
}

static void given_free_void(void *p)
{
	mail_given_free(p);
}

void mail_rec_free(struct mail_rec *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->thread);
	free(r->parent);
	free(r->subject);
	free(r->from_name);
	free(r->from_email);
	vec_release(&r->given, given_free_void);
	free(r->pwbot);
	vec_release_str(&r->refs);
	free(r->applied_to);
	free(r->applied_by);
	vec_release_str(&r->bot_items);
	free(r->pull_target);
	vec_release_str(&r->shortlog);
	mail_subject_release(&r->subj);
	free(r->ntitle);
	free(r);
}

static int is_bot_address(const char *email)
{
	return email && str_starts_with_icase(email, "patchwork-bot");
}

/* What a record is, from its parsed subject and what its body gave. */
static void rec_classify(struct mail_rec *r)
{
	if (is_bot_address(r->from_email) && r->applied_to)
		r->kind = MAIL_KIND_BOT;
	else if (r->subj.flags & (MAIL_SUBJECT_REPLY | MAIL_SUBJECT_FWD))
		r->kind = MAIL_KIND_REPLY;
	else if (r->subj.kind == MAIL_SUBJECT_PULL)
		r->kind = MAIL_KIND_PULL;
	else if (r->subj.kind == MAIL_SUBJECT_ANN)
		r->kind = MAIL_KIND_ANN;
	else if (r->subj.kind == MAIL_SUBJECT_PATCH)
		r->kind = r->subj.index == 0 && r->subj.total > 0 ?
			MAIL_KIND_COVER : MAIL_KIND_PATCH;
	else
		r->kind = MAIL_KIND_OTHER;
}

void mail_rec_derive(struct mail_rec *r)
{
	mail_subject_release(&r->subj);
	free(r->ntitle);
	mail_subject_parse(&r->subj, r->subject ? r->subject : "");
	r->ntitle = mail_subject_normalize_title(r->subj.title ?
						 r->subj.title : "");
	rec_classify(r);
	r->posting = NULL;
	r->patch_index = 0;
}

/* ---- reading one message ---- */

static void parse_from(const char *from, char **name, char **email)
{
	InternetAddressList *list;

	*name = NULL;
	*email = NULL;
	list = internet_address_list_parse(NULL, from);
	if (list && internet_address_list_length(list) > 0) {
		InternetAddress *a = internet_address_list_get_address(list, 0);
		const char *n = internet_address_get_name(a);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			const char *e = internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(a));

			*email = e && *e ? g_ascii_strdown(e, -1) : NULL;
		}
		if (n && *n)
			*name = g_utf8_make_valid(n, -1);
	}
	if (list)
		g_object_unref(list);
	if (!*email)
		*email = xstrdup(from);
	/* glib strings are freed with g_free(); make them ours. */
	if (*name) {
		char *n = xstrdup(*name);

		g_free(*name);
		*name = n;
	}
	{
		char *e = xstrdup(*email);

		g_free(*email);
		*email = e;
	}
}

/* Message ids in lore links of a body: .../lore.kernel.org/LIST/ID/ */
static void find_lore_refs(const char *text, struct vec *out)
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
				vec_push(out, id);
			else
				free(id);
		}
	}
}

static char given_kind(enum mail_trailer_kind k)
{
	switch (k) {
	case MAIL_TRAILER_ACKED: return 'a';
	case MAIL_TRAILER_REVIEWED: return 'r';
	case MAIL_TRAILER_TESTED: return 't';
	case MAIL_TRAILER_NACKED: return 'n';
	default: return 0;
	}
}

static void rec_fill_from_body(struct mail_rec *r, const struct mail_message *m)
{
	struct mail_body body = MAIL_BODY_INIT;
	const char *text = m->body ? m->body : "";

	if (m->in_reply_to)
		r->parent = xstrdup(m->in_reply_to);
	else if (m->references.n)
		r->parent = xstrdup(m->references.items[m->references.n - 1]);

	mail_body_scan(&body, text);
	for (size_t i = 0; i < body.trailers.n; i++) {
		const struct mail_trailer *t = body.trailers.items[i];
		char k = given_kind(t->kind);
		struct mail_given *g;

		if (!k || !t->email)
			continue;
		g = xcalloc(1, sizeof(*g));
		g->kind = k;
		g->name = xstrdup_or_null(t->name);
		g->email = xstrdup(t->email);
		vec_push(&r->given, g);
	}
	if (body.pwbot != MAIL_PWBOT_NONE && body.pwbot_word)
		r->pwbot = xstrdup(body.pwbot_word);
	mail_body_release(&body);

	if (is_bot_address(r->from_email)) {
		struct mail_botnotice n;

		memset(&n, 0, sizeof(n));
		if (!mail_botnotice_parse(&n, text)) {
			r->applied_to = mail_botnotice_applied_to(&n);
			if (n.by_email) {
				struct sbuf by = SBUF_INIT;

				sbuf_addf(&by, "%s <%s>", n.by_name ?
					  n.by_name : "", n.by_email);
				r->applied_by = sbuf_detach(&by);
			}
			for (size_t i = 0; i < n.items.n; i++) {
				const struct mail_botitem *it = n.items.items[i];
				struct sbuf sb = SBUF_INIT;

				sbuf_addf(&sb, "%u\x1e%s\x1e%s", it->index,
					  it->title ? it->title : "",
					  it->commit ? it->commit : "");
				vec_push(&r->bot_items, sbuf_detach(&sb));
			}
			mail_botnotice_release(&n);
		}
	} else if (r->subj.kind == MAIL_SUBJECT_PULL &&
		   !(r->subj.flags & MAIL_SUBJECT_REPLY)) {
		struct mail_pull p;

		memset(&p, 0, sizeof(p));
		if (!mail_pull_parse(&p, r->subject, text)) {
			r->pull_target = xstrdup_or_null(p.target);
			for (size_t i = 0; i < p.shortlog.n; i++)
				vec_push_str(&r->shortlog, p.shortlog.items[i]);
		}
		mail_pull_release(&p);
	} else if (r->subj.kind == MAIL_SUBJECT_PATCH &&
		   r->subj.index == 0 && r->subj.total > 0) {
		find_lore_refs(text, &r->refs);
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

/*
 * Reading the index and reading the files overlap: the thread that
 * walks notmuch queues each message, reader threads (one per core)
 * take them from the queue as they come.
 */
struct build_ctx {
	struct vec *recs;
	GHashTable *by_id;		/* id -> struct mail_rec * */
	struct vec *warnings;
	struct vec pending;		/* struct pending *, under mu */
	size_t next;			/* the next pending to read, under mu */
	int done;			/* no more will be queued, under mu */
	pthread_mutex_t mu;
	pthread_cond_t more;
	pthread_t readers[READERS_MAX];
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

static void read_one(struct pending *p)
{
	struct mail_message m;
	struct err err = ERR_INIT;

	memset(&m, 0, sizeof(m));
	if (!p->file) {
		p->warning = g_strdup_printf("%s: no file", p->rec->id);
	} else if (mail_message_load_light(&m, p->file, &err)) {
		p->warning = g_strdup(err.msg);
	} else {
		rec_fill_from_body(p->rec, &m);
		p->read = 1;
	}
	mail_message_release(&m);
	/* The subject is parsed already; the body may make it a notice. */
	rec_classify(p->rec);
	free(p->file);
	p->file = NULL;
}

static void *reader_main(void *arg)
{
	struct build_ctx *c = arg;

	for (;;) {
		struct pending *p = NULL;

		pthread_mutex_lock(&c->mu);
		while (c->next >= c->pending.n && !c->done)
			pthread_cond_wait(&c->more, &c->mu);
		if (c->next < c->pending.n)
			p = c->pending.items[c->next++];
		pthread_mutex_unlock(&c->mu);
		if (!p)
			return NULL;
		read_one(p);
	}
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
	for (size_t i = 0; i < n; i++)
		if (!pthread_create(&c->readers[c->nreaders], NULL,
				    reader_main, c))
			c->nreaders++;
}

/* What notmuch knows; the file is read by a reader thread. */
static int add_message(const struct mail_index_msg *im, void *data)
{
	struct build_ctx *c = data;
	struct mail_rec *r = xcalloc(1, sizeof(*r));
	struct pending *p = xcalloc(1, sizeof(*p));
	char *subject = g_utf8_make_valid(im->subject, -1);

	r->id = xstrdup(im->id);
	r->thread = xstrdup(im->thread);
	r->date = im->date;
	r->subject = xstrdup(subject);
	g_free(subject);
	parse_from(im->from, &r->from_name, &r->from_email);
	mail_rec_derive(r);
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
	pthread_mutex_lock(&c->mu);
	c->done = 1;
	pthread_cond_broadcast(&c->more);
	pthread_mutex_unlock(&c->mu);
	if (!c->nreaders)
		reader_main(c);
	for (size_t i = 0; i < c->nreaders; i++)
		pthread_join(c->readers[i], NULL);
	pthread_cond_destroy(&c->more);
	pthread_mutex_destroy(&c->mu);

	for (size_t i = 0; i < c->pending.n; i++) {
		struct pending *p = c->pending.items[i];
		struct mail_rec *r = p->rec, *old;

		if (p->warning)
			warn(c->warnings, "%s", p->warning);
		c->read += (size_t)p->read;
		old = g_hash_table_lookup(c->by_id, r->id);
		if (old) {
			/*
			 * Changed since the cache: the new record takes the
			 * old one's place (a swap, not a search of recs),
			 * and the table its id.
			 */
			struct mail_rec tmp = *old;

			*old = *r;
			*r = tmp;
			g_hash_table_replace(c->by_id, old->id, old);
			mail_rec_free(r);
		} else {
			vec_push(c->recs, r);
			g_hash_table_insert(c->by_id, r->id, r);
		}
		g_free(p->warning);
		free(p);
	}
	vec_release(&c->pending, NULL);
}

/* ---- grouping ---- */

struct group_ctx {
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

static char *posting_key2(const struct mail_rec *r)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s\x1f%u\x1f%u\x1f%u\x1f%s", r->from_email,
		  r->subj.version, r->subj.total ? r->subj.total : 1,
		  r->subj.flags & MAIL_SUBJECT_RFC,
		  r->subj.tree ? r->subj.tree : "");
	return sbuf_detach(&sb);
}

static struct mail_posting *posting_new(struct group_ctx *g,
					struct mail_rec *r, char *key2)
{
	struct mail_posting *p = xcalloc(1, sizeof(*p));
	struct mail_version *v = xcalloc(1, sizeof(*v));
	unsigned total = r->subj.total ? r->subj.total : 1;

	p->v = v;
	p->uf = p;
	p->key2 = key2;
	p->author_name = xstrdup_or_null(r->from_name);
	p->author_email = xstrdup(r->from_email);
	p->npatch = total + 1;
	p->patch = xcalloc(p->npatch, sizeof(*p->patch));
	v->version = r->subj.version ? r->subj.version : 1;
	v->flags = r->subj.flags & (MAIL_SUBJECT_RFC | MAIL_SUBJECT_RESEND);
	v->tree = xstrdup_or_null(r->subj.tree);
	v->thread = xstrdup(r->thread);
	v->patches_expected = total;
	v->date = r->date;
	vec_push(&g->all, p);
	return p;
}

static void posting_add(struct mail_posting *p, struct mail_rec *r)
{
	unsigned idx = r->kind == MAIL_KIND_COVER ? 0 :
		(r->subj.index ? r->subj.index : 1);

	if (idx >= p->npatch)
		idx = p->npatch - 1 ? p->npatch - 1 : 0;
	if (!p->patch[idx])
		p->patch[idx] = r;
	r->posting = p;
	r->patch_index = idx;
	vec_push_str(&p->v->message_ids, r->id);
	if (r->date > p->v->last_activity)
		p->v->last_activity = r->date;
	if (r->date < p->v->date)
		p->v->date = r->date;
}

static void group_postings(struct group_ctx *g, struct vec *recs)
{
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_posting *p, *loose;
		unsigned idx;
		char *key2, *key;

		if (r->kind != MAIL_KIND_COVER && r->kind != MAIL_KIND_PATCH)
			continue;
		key2 = posting_key2(r);
		key = g_strconcat(r->thread, "\x1f", key2, NULL);
		idx = r->kind == MAIL_KIND_COVER ? 0 :
			(r->subj.index ? r->subj.index : 1);
		p = g_hash_table_lookup(g->postings, key);
		if (p && idx < p->npatch && p->patch[idx]) {
			p = NULL;	/* a resend into the same thread */
		}
		if (!p) {
			loose = g_hash_table_lookup(g->unthreaded, key2);
			if (loose && r->date - loose->v->date <= POSTING_WINDOW &&
			    idx < loose->npatch && !loose->patch[idx] &&
			    (!r->parent || !g_hash_table_lookup(g->by_id,
								r->parent)))
				p = loose;
		}
		if (!p) {
			p = posting_new(g, r, key2);
			key2 = NULL;
			g_hash_table_replace(g->unthreaded, p->key2, p);
		}
		g_hash_table_replace(g->postings, key, p);
		posting_add(p, r);
		free(key2);
	}
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
		mp = xcalloc(1, sizeof(*mp));
		mp->index = i;
		mp->message_id = xstrdup(r->id);
		mp->title = xstrdup(r->subj.title ? r->subj.title : "");
		/* Trailers the author carried in the patch itself. */
		for (size_t j = 0; j < r->given.n; j++) {
			const struct mail_given *src = r->given.items[j];
			struct mail_given *c = xcalloc(1, sizeof(*c));

			c->kind = src->kind;
			c->name = xstrdup_or_null(src->name);
			c->email = xstrdup(src->email);
			c->message_id = xstrdup(r->id);
			vec_push(&mp->given, c);
		}
		vec_push(&v->patches, mp);
	}
	v->message_id = xstrdup(p->head->id);
	p->title = xstrdup(p->head->subj.title ? p->head->subj.title : "");
	p->ntitle = xstrdup(p->head->ntitle);
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
	return id ? g_hash_table_lookup(g->by_id, id) : NULL;
}

/* Link postings into series. */
static void link_versions(struct group_ctx *g)
{
	GHashTable *by_author_title = g_hash_table_new_full(g_str_hash,
							    g_str_equal,
							    g_free, NULL);

	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];
		char *key = g_strconcat(p->author_email, "\x1f", p->ntitle,
					NULL);
		struct mail_posting *q = g_hash_table_lookup(by_author_title,
							     key);
		struct mail_rec *parent;

		/*
		 * Same author and title: a later version, a RESEND, or a
		 * repost within days.  The same v1 title weeks later is a
		 * new series ("Netfilter fixes for net" every few weeks).
		 */
		if (q && (p->v->version > q->v->version ||
			  p->v->flags & MAIL_SUBJECT_RESEND ||
			  p->v->date - q->v->date < REPOST_WINDOW))
			uf_union(p, q);
		g_hash_table_replace(by_author_title, key, p);
		/* A cover letter that links an earlier posting. */
		for (size_t j = 0; j < p->head->refs.n; j++) {
			struct mail_rec *r = find_rec(g, p->head->refs.items[j]);

			if (r && r->posting && r->posting != p &&
			    !strcasecmp(r->posting->author_email,
					p->author_email))
				uf_union(p, r->posting);
		}
		/* A vN sent in reply to an earlier version. */
		parent = find_rec(g, p->head->parent);
		if (parent && parent->posting && parent->posting != p &&
		    parent->posting->v->version < p->v->version)
			uf_union(p, parent->posting);
	}
	g_hash_table_destroy(by_author_title);
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
			root->series = xcalloc(1, sizeof(*root->series));
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
		s->title = xstrdup(q->title);
		s->author_name = xstrdup_or_null(q->author_name);
		s->author_email = xstrdup(q->author_email);
		s->tree = xstrdup_or_null(q->v->tree);
	}
	g_hash_table_destroy(posting_of);
}

static int is_maintainer(struct group_ctx *g, const char *email)
{
	for (size_t i = 0; g->maintainers[i]; i++)
		if (!strcasecmp(g->maintainers[i], email))
			return 1;
	return 0;
}

static void add_given(struct vec *to, const struct mail_given *src,
		      const char *msgid)
{
	struct mail_given *c;

	for (size_t i = 0; i < to->n; i++) {
		const struct mail_given *o = to->items[i];

		if (o->kind == src->kind && !strcasecmp(o->email, src->email))
			return;
	}
	c = xcalloc(1, sizeof(*c));
	c->kind = src->kind;
	c->name = xstrdup_or_null(src->name);
	c->email = xstrdup(src->email);
	c->message_id = xstrdup(msgid);
	vec_push(to, c);
}

/* The posting and patch a reply answers. */
static struct mail_rec *reply_target(struct group_ctx *g, struct mail_rec *r,
				     GHashTable *thread_postings)
{
	struct mail_rec *t = find_rec(g, r->parent);
	GPtrArray *cands;
	struct mail_rec *best = NULL;

	for (int depth = 0; t && depth < PARENT_DEPTH_MAX; depth++) {
		if (t->posting)
			return t;
		if (t == r)
			break;	/* a loop in the references */
		t = find_rec(g, t->parent);
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

		if (r->kind != MAIL_KIND_REPLY && r->kind != MAIL_KIND_OTHER)
			continue;
		t = reply_target(g, r, thread_postings);
		if (!t)
			continue;
		p = t->posting;
		v = p->v;
		r->posting = p;
		vec_push_str(&v->message_ids, r->id);
		if (r->date > v->last_activity)
			v->last_activity = r->date;
		if (strcasecmp(r->from_email, p->author_email) &&
		    !is_bot_address(r->from_email))
			vec_push_str_unique(&v->repliers, r->from_email);
		for (size_t j = 0; j < r->given.n; j++) {
			const struct mail_given *gv = r->given.items[j];

			add_given(&v->given, gv, r->id);
			for (size_t k = 0; k < v->patches.n; k++) {
				struct mail_patch *mp = v->patches.items[k];

				if (t->patch_index == 0 ||
				    mp->index == t->patch_index)
					add_given(&mp->given, gv, r->id);
			}
		}
		if (r->pwbot && r->date >= p->pwbot_time &&
		    (is_maintainer(g, r->from_email) ||
		     !strcasecmp(r->from_email, p->author_email))) {
			free(v->pwbot);
			v->pwbot = xstrdup(r->pwbot);
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
				const struct mail_given *gv = mp->given.items[j];

				add_given(&v->given, gv, gv->message_id);
			}
		}
	}
}

/* Split "INDEX\x1eTITLE\x1eCOMMIT". */
static void bot_item(const char *s, unsigned *index, char **title,
		     char **commit)
{
	const char *a = strchr(s, '\x1e'), *b = a ? strchr(a + 1, '\x1e') : NULL;
	long n = 0;
	char *num = xstrndup(s, a ? (size_t)(a - s) : strlen(s));

	if (str_to_long(num, &n) || n < 0)
		n = 0;
	free(num);
	*index = (unsigned)n;
	*title = a ? xstrndup(a + 1, b ? (size_t)(b - a - 1) : strlen(a + 1)) :
		xstrdup("");
	*commit = b && b[1] ? xstrdup(b + 1) : NULL;
}

/*
 * The posting with a patch of this title posted before a time: an
 * applied one first, else the newest.
 */
static struct mail_posting *posting_by_title(struct group_ctx *g,
					     const char *title, time_t before)
{
	char *nt = mail_subject_normalize_title(title);
	GPtrArray *same = g_hash_table_lookup(g->by_title, nt);
	struct mail_posting *best = NULL;

	free(nt);
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
		struct mail_rec *t = find_rec(g, r->parent);
		struct mail_posting *p = NULL;

		if (r->kind != MAIL_KIND_BOT)
			continue;
		for (int depth = 0; t && !t->posting && t->kind != MAIL_KIND_PULL
		     && depth < PARENT_DEPTH_MAX; depth++)
			t = find_rec(g, t->parent);
		if (t && t->kind == MAIL_KIND_PULL)
			continue;	/* make_pulls() takes these */
		if (t)
			p = t->posting;
		for (size_t j = 0; j < r->bot_items.n; j++) {
			unsigned index;
			char *title, *commit;
			struct mail_posting *q = p;

			bot_item(r->bot_items.items[j], &index, &title, &commit);
			if (!q)
				q = posting_by_title(g, title, r->date);
			if (q) {
				if (!q->v->applied_to) {
					q->v->applied_to = xstrdup(r->applied_to);
					q->v->applied_by =
						xstrdup_or_null(r->applied_by);
				}
				for (size_t k = 0; commit && k < q->v->patches.n;
				     k++) {
					struct mail_patch *mp =
						q->v->patches.items[k];

					if ((index && mp->index == index) ||
					    (!index && q->v->patches.n == 1)) {
						free(mp->commit);
						mp->commit = xstrdup(commit);
					}
				}
				if (vec_find_str(&q->v->message_ids, r->id) < 0)
					vec_push_str(&q->v->message_ids, r->id);
				if (r->date > q->v->last_activity)
					q->v->last_activity = r->date;
			}
			free(title);
			free(commit);
		}
		if (p && !p->v->applied_to) {	/* a notice with no items */
			p->v->applied_to = xstrdup(r->applied_to);
			p->v->applied_by = xstrdup_or_null(r->applied_by);
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
			r->shortlog.items[j], r->date);
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
		vec_push_str(&pr->series, p->v->message_id);
		vec_push_str(&pr->titles, p->title);
		if (!p->v->pull_request)
			p->v->pull_request = xstrdup(pr->message_id);
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

		if (r->kind != MAIL_KIND_PULL)
			continue;
		pr = xcalloc(1, sizeof(*pr));
		pr->message_id = xstrdup(r->id);
		pr->tree = xstrdup_or_null(r->subj.tree);
		pr->date = xstrdup_or_null(r->subj.date);
		pr->target = xstrdup_or_null(r->pull_target);
		pr->posted = r->date;
		pr->ncommits = (unsigned)r->shortlog.n;
		if (r->from_name)
			sbuf_addf(&from, "%s <%s>", r->from_name, r->from_email);
		else
			sbuf_addstr(&from, r->from_email);
		pr->from = sbuf_detach(&from);
		pull_carries(g, r, pr);
		r->posting = NULL;
		vec_push(&m->pulls, pr);
		g_hash_table_insert(g->pulls, r->id, pr);
	}
	/* The bot's word that a pull was applied. */
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_rec *t = find_rec(g, r->parent);
		struct mail_pullreq *pr;

		if (r->kind != MAIL_KIND_BOT)
			continue;
		for (int depth = 0; t && t->kind != MAIL_KIND_PULL &&
		     depth < PARENT_DEPTH_MAX; depth++)
			t = find_rec(g, t->parent);
		pr = t ? g_hash_table_lookup(g->pulls, t->id) : NULL;
		if (pr && !pr->applied_to)
			pr->applied_to = xstrdup(r->applied_to);
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

static void posting_free(struct mail_posting *p)
{
	free(p->author_name);
	free(p->author_email);
	free(p->title);
	free(p->ntitle);
	free(p->key2);
	free(p->patch);
	free(p);
}

/* Build the model's series and pulls from records (sorted by date). */
static void group(struct vec *recs, const char *const *maintainers,
		  struct mail_model *m)
{
	struct group_ctx g;

	memset(&g, 0, sizeof(g));
	g.maintainers = maintainers ? maintainers : default_maintainers;
	g.by_id = g_hash_table_new(g_str_hash, g_str_equal);
	g.postings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   NULL);
	g.unthreaded = g_hash_table_new(g_str_hash, g_str_equal);
	g.pulls = g_hash_table_new(g_str_hash, g_str_equal);
	g.by_title = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify)g_ptr_array_unref);
	vec_sort(recs, rec_date_cmp);
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];

		r->posting = NULL;
		g_hash_table_insert(g.by_id, r->id, r);
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
	vec_release(&g.all, (void (*)(void *))posting_free);
	g_hash_table_destroy(g.by_title);
	g_hash_table_destroy(g.pulls);
	g_hash_table_destroy(g.unthreaded);
	g_hash_table_destroy(g.postings);
	g_hash_table_destroy(g.by_id);
}

/* ---- the public face ---- */

void mail_series_free(struct mail_series *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->versions.n; i++) {
		struct mail_version *v = s->versions.items[i];

		for (size_t j = 0; j < v->patches.n; j++) {
			struct mail_patch *p = v->patches.items[j];

			free(p->message_id);
			free(p->title);
			free(p->commit);
			vec_release(&p->given, given_free_void);
			free(p);
		}
		vec_release(&v->patches, NULL);
		vec_release(&v->given, given_free_void);
		vec_release_str(&v->repliers);
		vec_release_str(&v->message_ids);
		free(v->tree);
		free(v->message_id);
		free(v->thread);
		free(v->applied_to);
		free(v->applied_by);
		free(v->pull_request);
		free(v->pwbot);
		free(v);
	}
	vec_release(&s->versions, NULL);
	free(s->title);
	free(s->author_name);
	free(s->author_email);
	free(s->tree);
	free(s);
}

void mail_pullreq_free(struct mail_pullreq *p)
{
	if (!p)
		return;
	free(p->message_id);
	free(p->tree);
	free(p->date);
	free(p->target);
	free(p->from);
	free(p->applied_to);
	vec_release_str(&p->series);
	vec_release_str(&p->titles);
	free(p);
}

void mail_model_free(struct mail_model *m)
{
	if (!m)
		return;
	vec_release(&m->series, (void (*)(void *))mail_series_free);
	vec_release(&m->pulls, (void (*)(void *))mail_pullreq_free);
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

		if (strcasecmp(s->author_email, author_email))
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

		if (strcasecmp(s->author_email, author_email))
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

size_t mail_version_count_given(const struct mail_version *v, char kind)
{
	struct vec addrs = VEC_INIT;
	size_t n;

	mail_version_given_addresses(v, kind, &addrs);
	n = addrs.n;
	vec_release(&addrs, NULL);
	return n;
}

void mail_version_given_addresses(const struct mail_version *v, char kind,
				  struct vec *out)
{
	for (size_t i = 0; i < v->given.n; i++) {
		const struct mail_given *g = v->given.items[i];
		int dup = 0;

		if (g->kind != kind)
			continue;
		for (size_t j = 0; j < out->n && !dup; j++)
			dup = !strcasecmp(out->items[j], g->email);
		if (!dup)
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

int mail_model_load(struct mail_model **out,
		    const struct mail_model_options *o,
		    struct mail_model_stats *stats, struct err *err)
{
	const char *query = o->query ? o->query : MAIL_DEFAULT_QUERY;
	struct mail_index *idx = NULL;
	struct build_ctx bc;
	struct vec recs = VEC_INIT;
	struct cache_paths cp = { NULL, NULL, NULL };
	struct mail_model *m;
	const char *uuid;
	char *cached_uuid = NULL;
	unsigned long rev, cached_rev = 0;
	int ret, from_cache = 0;

	mail_gmime_init();
	ret = mail_index_open(&idx, o->db_path, 0, err);
	if (ret)
		return ret;
	rev = mail_index_revision(idx, &uuid);
	m = xcalloc(1, sizeof(*m));
	memset(&bc, 0, sizeof(bc));
	bc.recs = &recs;
	bc.warnings = &m->warnings;
	bc.by_id = g_hash_table_new(g_str_hash, g_str_equal);

	if (o->cache_dir) {
		cache_paths_init(&cp, o->cache_dir, mail_index_path(idx),
				 query);
		if (!mail_cache_read_records(cp.records, &cached_uuid,
					     &cached_rev, &recs, NULL) &&
		    !strcmp(cached_uuid, uuid) && cached_rev <= rev) {
			from_cache = cached_rev == rev ? 2 : 1;
		} else {
			vec_release(&recs, (void (*)(void *))mail_rec_free);
		}
		for (size_t i = 0; i < recs.n; i++) {
			struct mail_rec *r = recs.items[i];

			g_hash_table_insert(bc.by_id, r->id, r);
		}
	}
	if (from_cache != 2) {
		readers_start(&bc);
		ret = mail_index_each(idx, query, from_cache ? cached_rev : 0,
				      add_message, &bc, err);
		readers_finish(&bc);
		if (ret)
			goto out;
	}
	if (from_cache) {
		/* Messages removed from the database: start again. */
		unsigned count = 0;

		ret = mail_index_count(idx, query, &count, err);
		if (ret)
			goto out;
		if (count != recs.n) {
			g_hash_table_remove_all(bc.by_id);
			vec_release(&recs, (void (*)(void *))mail_rec_free);
			from_cache = 0;
			bc.read = 0;
			readers_start(&bc);
			ret = mail_index_each(idx, query, 0, add_message, &bc,
					      err);
			readers_finish(&bc);
			if (ret)
				goto out;
		}
	}
	group(&recs, o->maintainers, m);
	m->revision = rev;
	if (o->cache_dir) {
		struct err werr = ERR_INIT;

		if (fs_mkdir_p(cp.dir, &werr) ||
		    (from_cache != 2 &&
		     mail_cache_write_records(cp.records, uuid, rev, &recs,
					      &werr)) ||
		    mail_cache_write_model(cp.listing, uuid, m, &werr))
			warn(&m->warnings, "cache not written: %s", werr.msg);
	}
	if (stats) {
		stats->messages = recs.n;
		stats->read = bc.read;
		stats->from_cache = from_cache;
	}
	*out = m;
	m = NULL;
out:
	mail_model_free(m);
	g_hash_table_destroy(bc.by_id);
	vec_release(&recs, (void (*)(void *))mail_rec_free);
	cache_paths_release(&cp);
	free(cached_uuid);
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
	unsigned long rev;
	int ret;

	if (!o->cache_dir)
		return 0;
	ret = mail_index_open(&idx, o->db_path, 0, err);
	if (ret)
		return ret;
	rev = mail_index_revision(idx, &uuid);
	cache_paths_init(&cp, o->cache_dir, mail_index_path(idx), query);
	m = xcalloc(1, sizeof(*m));
	if (mail_cache_read_model(cp.listing, uuid, rev, limit, m, NULL)) {
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
