/*
 * Grouping records into the model (mail/private.h): postings,
 * versions, series and pull requests.
 *
 * Grouping works on what real threads look like, not on what they
 * should look like:
 *  - a posting is one sending of one version: the cover letter and
 *    patches of one author with the same version, total and tags in one
 *    notmuch thread; patches sent without In-Reply-To (each its own
 *    thread) join a posting of the same author/version/total sent
 *    within six hours; a patch from the same name at another address
 *    (a second address, an archive that rewrites some, "Name via
 *    list") joins the posting of its thread it fits in;
 *  - postings are versions of one series when they share author and
 *    normalised title, when a cover letter links an earlier posting
 *    (lore URL), or when a vN is sent in reply to an earlier version;
 *  - a reply belongs to the message it answers (In-Reply-To, walked up
 *    through replies), else to the posting its subject names in its
 *    thread.
 */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/classify.h"
#include "mail/collect.h"
#include "mail/private.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* Patches of one posting sent without threading arrive within this. */
#define POSTING_WINDOW (6 * 3600)
/* The same title and version reposted within this is one series. */
#define REPOST_WINDOW (3 * 86400)
/*
 * A posting has a place for each patch by index up to its total, but
 * at most this many: the total is the sender's word ("[1/99999]" asked
 * for 800 KB a message, a way for mail to exhaust memory), and the
 * biggest real series have a few hundred patches.  Higher indexes
 * share the last place, as an index past the total always did.
 */
#define POSTING_SLOTS_MAX 4096
/* Replies are followed up at most this many parents. */
#define PARENT_DEPTH_MAX 64

struct mail_posting {
	struct mail_version *v;
	char *author_name, *author_email;
	char *title, *ntitle;
	struct mail_rec *head;		/* cover, else lowest patch */
	struct mail_rec **patch;	/* [0..total]: by index */
	unsigned npatch;		/* size of patch[] */
	struct mail_posting *uf;	/* union-find parent */
	size_t order;			/* its place in group_ctx.all */
	struct mail_series *series;
	time_t pwbot_time;
	struct mail_posting *next_in_thread;	/* attach_replies() */
	int touched;		/* by new mail: see MAIL_KEY_PINS */
};

/* The postings of a thread, in g->all's order (attach_replies()). */
struct thread_posts {
	struct mail_posting *first, *last;
};

/* The title of what has none; model strings are borrowed, never freed. */
static char empty[] = "";

struct group_ctx {
	struct arena *a;		/* the model's */
	struct arena tmp;		/* postings, freed after */
	struct arena keys;		/* a step's table keys, freed after it */
	GHashTable *linked;		/* id -> rec: linked_recs() */
	GHashTable *postings;		/* key -> posting */
	GHashTable *unthreaded;		/* key2 -> latest posting */
	GHashTable *by_shape;		/* thread/version/total/tags ->
					 * posting, whoever sent it */
	GHashTable *by_title;		/* patch ntitle -> struct title_posts,
					 * of the titles in wanted only */
	GHashTable *wanted;		/* ntitles a bot notice or a pull
					 * names: what by_title is asked */
	GHashTable *pulls;		/* id -> struct mail_pullreq * */
	GHashTable *notice_of;		/* bot notice -> the first posting
					 * it applied */
	struct vec all;			/* struct mail_posting * */
	const char *const *maintainers;
};

/*
 * The postings with a patch of one title, oldest first (g->all's
 * order, which is by date: records are grouped in date order), and
 * those of them applied, in the same order.  A title can come back
 * many times over the years ("selftests/bpf: Fix ..."): a bot notice
 * or a pull finds its posting by a binary search, not a walk.
 */
struct title_posts {
	struct vec all;		/* struct mail_posting * */
	struct vec applied;	/* struct mail_posting * */
};

static void title_posts_release(void *p)
{
	struct title_posts *tp = p;

	vec_release(&tp->all, NULL);
	vec_release(&tp->applied, NULL);	/* tp is in g->tmp */
}

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

/*
 * who/version/total/tags into sb: who is the address (key2), or the
 * thread (the shape: key2 without the address).
 */
static void posting_key(const char *who, const struct mail_rec *r,
			struct sbuf *sb)
{
	sbuf_reset(sb);
	sbuf_addstr(sb, who);
	sbuf_addch(sb, '\x1f');
	sbuf_addull(sb, r->subj.version);
	sbuf_addch(sb, '\x1f');
	sbuf_addull(sb, r->subj.total ? r->subj.total : 1);
	sbuf_addch(sb, r->subj.flags & MAIL_SUBJECT_RFC ? 'r' : '-');
	sbuf_addstr(sb, r->subj.tree ? r->subj.tree : "");
}

/*
 * Map key to p in t, the key copied only when it is new: most records
 * of a big corpus find their key there already.
 */
static void table_set(struct group_ctx *g, GHashTable *t,
		      const struct sbuf *key, void *p)
{
	gpointer have;

	if (g_hash_table_lookup_extended(t, key->buf, &have, NULL))
		g_hash_table_insert(t, have, p);
	else
		g_hash_table_insert(t, arena_strndup(&g->keys, key->buf,
						     key->len), p);
}

/*
 * The author's name as a key: case folded, blanks squeezed, without
 * the " via list" an archive appends when it rewrites the address.
 * "" when there is none.
 */
static void name_key(const char *name, struct sbuf *sb)
{
	const char *via = name ? strstr(name, " via ") : NULL;
	size_t n = name ? (via ? (size_t)(via - name) : strlen(name)) : 0;
	int blank = 0;

	sbuf_reset(sb);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == ' ' || c == '\t' || c == '"') {
			blank = sb->len > 0;
			continue;
		}
		if (blank)
			sbuf_addch(sb, ' ');
		blank = 0;
		sbuf_addch(sb, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
}

/* Whether a and b name one person (by name, when both have one). */
static int same_name(const char *a, const char *b)
{
	struct sbuf ka = SBUF_INIT, kb = SBUF_INIT;
	int same;

	name_key(a, &ka);
	name_key(b, &kb);
	same = ka.len && !strcmp(ka.buf, kb.buf);
	sbuf_release(&ka);
	sbuf_release(&kb);
	return same;
}

static struct mail_posting *posting_new(struct group_ctx *g,
					struct mail_rec *r)
{
	struct mail_posting *p = ARENA_NEW(&g->tmp, struct mail_posting);
	struct mail_version *v = ARENA_NEW(g->a, struct mail_version);
	unsigned total = r->subj.total ? r->subj.total : 1;

	p->v = v;
	p->uf = p;
	p->author_name = r->from_name;
	p->author_email = r->from_email;
	p->npatch = (total < POSTING_SLOTS_MAX ? total : POSTING_SLOTS_MAX) + 1;
	p->patch = arena_alloc(&g->tmp, p->npatch * sizeof(*p->patch));
	v->version = r->subj.version ? r->subj.version : 1;
	v->flags = r->subj.flags & (MAIL_SUBJECT_RFC | MAIL_SUBJECT_RESEND);
	v->tree = r->subj.tree;
	v->thread = r->thread;
	v->patches_expected = total;
	v->date = r->date;
	p->order = g->all.n;
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
	struct sbuf sb = SBUF_INIT, kb = SBUF_INIT, k2 = SBUF_INIT;

	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_posting *p, *loose;
		unsigned idx;

		if (r->what != MAIL_WHAT_COVER && r->what != MAIL_WHAT_PATCH)
			continue;
		posting_key(r->from_email, r, &k2);
		sbuf_reset(&kb);
		sbuf_addstr(&kb, r->thread);
		sbuf_addch(&kb, '\x1f');
		sbuf_add(&kb, k2.buf, k2.len);
		idx = r->what == MAIL_WHAT_COVER ? 0 :
			(r->subj.index ? r->subj.index : 1);
		p = g_hash_table_lookup(g->postings, kb.buf);
		if (p && idx < p->npatch && p->patch[idx]) {
			p = NULL;	/* a resend into the same thread */
		}
		if (!p) {
			/* The author at another address, same thread. */
			struct mail_posting *s;

			posting_key(r->thread, r, &sb);
			s = g_hash_table_lookup(g->by_shape, sb.buf);
			if (s && idx < s->npatch && !s->patch[idx] &&
			    same_name(s->author_name, r->from_name))
				p = s;
		}
		if (!p) {
			loose = g_hash_table_lookup(g->unthreaded, k2.buf);
			if (loose && r->date - loose->v->date <= POSTING_WINDOW &&
			    idx < loose->npatch && !loose->patch[idx] &&
			    !r->parent_rec)
				p = loose;
		}
		if (!p) {
			p = posting_new(g, r);
			table_set(g, g->unthreaded, &k2, p);
			posting_key(r->thread, r, &sb);
			table_set(g, g->by_shape, &sb, p);
		}
		table_set(g, g->postings, &kb, p);
		posting_add(p, r);
	}
	sbuf_release(&sb);
	sbuf_release(&kb);
	sbuf_release(&k2);
}

/*
 * r's title as by_title has it: the string of a notice or a pull that
 * names it (in wanted), or NULL when none does.  Only a posting's head
 * keeps its normalised title; the other patches' are made here and let
 * go (half a million of them were 23 MB of a big model).
 */
static const char *wanted_title(struct group_ctx *g, const struct mail_rec *r)
{
	char *made = NULL;
	const char *nt = r->ntitle;
	gpointer key;

	if (!nt)
		nt = made = mail_rec_ntitle_new(r);
	if (!g_hash_table_lookup_extended(g->wanted, nt, &key, NULL))
		key = NULL;
	free(made);
	return key;
}

/*
 * Once every posting has its title and patches: the other records'
 * normalised titles read from the records cache go (made again if a
 * notice looks one up later).
 */
static void drop_scratch(struct mail_store *st, struct vec *recs)
{
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];

		if (r->scratch)
			r->ntitle = NULL;
		r->scratch = 0;
	}
	arena_release(&st->titles);
}

/* Title, head and counts, once every patch is in. */
static void posting_finish(struct group_ctx *g, struct mail_posting *p)
{
	struct mail_version *v = p->v;
	struct title_posts *same;

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
		for (size_t j = 0; j < mail_rec_more(r)->ngiven; j++)
			vec_push(&mp->given, &r->more->given[j]);
		vec_push(&v->patches, mp);
	}
	v->message_id = p->head->id;
	p->title = p->head->subj.title ? p->head->subj.title : empty;
	if (p->head->scratch && p->head->ntitle)	/* kept: see below */
		p->head->ntitle = arena_strdup(g->a, p->head->ntitle);
	p->head->scratch = 0;
	p->ntitle = (char *)mail_rec_ntitle(p->head, g->a);
	/* Patch titles find the posting for bot notices and pulls. */
	for (unsigned i = 1; i < p->npatch; i++) {
		const char *key = p->patch[i] ? wanted_title(g, p->patch[i]) :
			NULL;

		if (!key)
			continue;
		same = g_hash_table_lookup(g->by_title, key);
		if (!same) {
			same = ARENA_NEW(&g->tmp, struct title_posts);
			g_hash_table_insert(g->by_title, (char *)key, same);
		}
		if (!same->all.n || same->all.items[same->all.n - 1] != p)
			vec_push(&same->all, p);
	}
}

static struct mail_rec *find_rec(struct group_ctx *g, const char *id)
{
	return id ? g_hash_table_lookup(g->linked, id) : NULL;
}

/*
 * The records cover letters link to (what find_rec() finds), from the
 * table of every record: that one is emptied before posting_finish(),
 * the peak of a build (at a million messages it is 29 MB).
 */
static GHashTable *linked_recs(struct vec *recs, GHashTable *by_id)
{
	GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);

	for (size_t i = 0; i < recs->n; i++) {
		const struct mail_rec_more *x = mail_rec_more(recs->items[i]);

		for (size_t j = 0; j < x->nrefs; j++) {
			char *id = x->refs[j];
			struct mail_rec *r = mail_rec_lookup(by_id, id,
							     g_str_hash(id));

			if (r)
				g_hash_table_insert(t, id, r);
		}
	}
	return t;
}

/* Link postings into series. */
static void link_versions(struct group_ctx *g)
{
	GHashTable *by_author_title = g_hash_table_new(g_str_hash,
						       g_str_equal);
	/* The same by the author's name: a version sent from another
	 * address. */
	GHashTable *by_name_title = g_hash_table_new(g_str_hash,
						     g_str_equal);
	struct sbuf kb = SBUF_INIT, nb = SBUF_INIT;

	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];
		struct mail_posting *q;
		struct mail_rec *parent;
		const struct mail_rec_more *x;

		sbuf_reset(&kb);
		sbuf_addstr(&kb, p->author_email);
		sbuf_addch(&kb, '\x1f');
		sbuf_addstr(&kb, p->ntitle);
		q = g_hash_table_lookup(by_author_title, kb.buf);
		name_key(p->author_name, &nb);
		if (nb.len) {
			struct mail_posting *n;

			sbuf_addch(&nb, '\x1f');
			sbuf_addstr(&nb, p->ntitle);
			n = g_hash_table_lookup(by_name_title, nb.buf);
			if (!q)
				q = n;
			table_set(g, by_name_title, &nb, p);
		}

		/*
		 * Same author and title: a later version, a RESEND, or a
		 * repost within days.  The same v1 title weeks later is a
		 * new series ("Netfilter fixes for net" every few weeks).
		 */
		if (q && (p->v->version > q->v->version ||
			  p->v->flags & MAIL_SUBJECT_RESEND ||
			  p->v->date - q->v->date < REPOST_WINDOW))
			uf_union(p, q);
		table_set(g, by_author_title, &kb, p);
		/* A cover letter that links an earlier posting. */
		x = mail_rec_more(p->head);
		for (size_t j = 0; j < x->nrefs; j++) {
			struct mail_rec *r = find_rec(g, x->refs[j]);

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
	g_hash_table_destroy(by_name_title);
	sbuf_release(&kb);
	sbuf_release(&nb);
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

/* A trailer (shared with the record that gave it), once per person. */
static void add_given(struct vec *to, struct mail_given *src)
{
	for (size_t i = 0; i < to->n; i++) {
		if (mail_collect_given_same(to->items[i], src))
			return;
	}
	vec_push(to, src);
}

/* The posting and patch a reply answers. */
static struct mail_rec *reply_target(struct group_ctx *g, struct mail_rec *r,
				     GHashTable *thread_postings)
{
	struct mail_rec *t = r->parent_rec;
	const struct thread_posts *cands;
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
	for (struct mail_posting *p = cands->first; p; p = p->next_in_thread) {
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
	GHashTable *thread_postings = g_hash_table_new(g_str_hash,
						       g_str_equal);

	/* Lists in the scratch arena: an array each was 8 MB at 1M. */
	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];
		struct thread_posts *tp = g_hash_table_lookup(thread_postings,
							      p->v->thread);

		if (!tp) {
			tp = ARENA_NEW(&g->tmp, struct thread_posts);
			tp->first = p;
			g_hash_table_insert(thread_postings, p->v->thread, tp);
		} else {
			tp->last->next_in_thread = p;
		}
		tp->last = p;
	}
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		const struct mail_rec_more *x = mail_rec_more(r);
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
		    mail_address_find(&v->repliers, r->from_email) < 0)
			vec_push(&v->repliers, r->from_email);
		for (size_t j = 0; j < x->ngiven; j++) {
			struct mail_given *gv = &x->given[j];

			/*
			 * As the collector decides: a trailer in another's
			 * name is not counted, one given on the cover
			 * letter for some patches is not widened.
			 */
			if (!mail_collect_sender_ok(gv->name, gv->email,
						    r->from_name,
						    r->from_email))
				continue;
			add_given(&v->given, gv);
			for (size_t k = 0; k < v->patches.n; k++) {
				struct mail_patch *mp = v->patches.items[k];

				if ((t->patch_index == 0 && !gv->scoped) ||
				    mp->index == t->patch_index)
					add_given(&mp->given, gv);
			}
		}
		if (x->pwbot && r->date >= p->pwbot_time &&
		    (is_maintainer(g, r->from_email) ||
		     mail_address_same(r->from_email, p->author_email))) {
			v->pwbot = x->pwbot;
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
 * In postings sorted by date, the first of those with the latest date
 * not after before; NULL when all are after it.
 */
static struct mail_posting *newest_before(const struct vec *postings,
					  time_t before)
{
	size_t lo = 0, hi = postings->n;
	time_t date;

	while (lo < hi) {	/* the first one after before */
		size_t mid = lo + (hi - lo) / 2;

		if (((struct mail_posting *)postings->items[mid])->v->date <=
		    before)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	date = ((struct mail_posting *)postings->items[lo - 1])->v->date;
	while (lo > 1 && ((struct mail_posting *)
			  postings->items[lo - 2])->v->date == date)
		lo--;
	return postings->items[lo - 1];
}

/*
 * The posting with a patch of this title posted before a time: an
 * applied one first, else the newest (the first of the newest, when
 * several have one date).
 */
static struct mail_posting *posting_by_title(struct group_ctx *g,
					     const char *ntitle, time_t before)
{
	struct title_posts *same = g_hash_table_lookup(g->by_title, ntitle);
	struct mail_posting *p;

	if (!same)
		return NULL;
	p = newest_before(&same->applied, before);
	return p ? p : newest_before(&same->all, before);
}

/*
 * Into postings in g->all's order (which is by date), once: two of its
 * patches may share a title.
 */
static void insert_in_order(struct vec *postings, struct mail_posting *p)
{
	size_t i = postings->n;

	while (i > 0 && ((struct mail_posting *)
			 postings->items[i - 1])->order > p->order)
		i--;
	if (i > 0 && postings->items[i - 1] == p)
		return;
	vec_push(postings, p);
	memmove(postings->items + i + 1, postings->items + i,
		(postings->n - 1 - i) * sizeof(*postings->items));
	postings->items[i] = p;
}

/* p is applied now: posting_by_title() prefers it under its titles. */
static void posting_applied(struct group_ctx *g, struct mail_posting *p,
			    char *applied_to, char *applied_by)
{
	p->v->applied_to = applied_to;
	p->v->applied_by = applied_by;
	for (unsigned i = 1; i < p->npatch; i++) {
		struct title_posts *same;
		const char *key;

		if (!p->patch[i] || !(key = wanted_title(g, p->patch[i])))
			continue;
		same = g_hash_table_lookup(g->by_title, key);
		if (same)
			insert_in_order(&same->applied, p);
	}
}

static void apply_bot_notices(struct group_ctx *g, struct vec *recs)
{
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		const struct mail_rec_notice *x = mail_rec_notice(r);
		struct mail_rec *t = r->parent_rec;
		struct mail_posting *p = NULL;

		if (r->what != MAIL_WHAT_BOT_NOTICE)
			continue;
		for (int depth = 0; t && !t->posting &&
		     t->what != MAIL_WHAT_PULL && depth < PARENT_DEPTH_MAX;
		     depth++)
			t = t->parent_rec;
		if (t && t->what == MAIL_WHAT_PULL)
			continue;	/* make_pulls() takes these */
		if (t)
			p = t->posting;
		for (size_t j = 0; j < x->bot_items.n; j++) {
			const struct mail_botitem *it = x->bot_items.items[j];
			unsigned index = it->index;
			char *commit = it->commit;
			struct mail_posting *q = p;

			if (!q) {
				q = posting_by_title(g, x->bot_n.items[j],
						     r->date);
				r->titled = 1;
			}
			if (q) {
				if (r->fresh)
					q->touched = 1;
				/* Where it goes (place_records()). */
				if (!g_hash_table_contains(g->notice_of, r))
					g_hash_table_insert(g->notice_of, r, q);
				if (!q->v->applied_to)
					posting_applied(g, q, x->applied_to,
							x->applied_by);
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
		if (p && r->fresh)
			p->touched = 1;
		if (p && !p->v->applied_to)	/* a notice with no items */
			posting_applied(g, p, x->applied_to, x->applied_by);
	}
}

static void pull_carries(struct group_ctx *g, struct mail_rec *r,
			 struct mail_pullreq *pr)
{
	GHashTable *hits = g_hash_table_new(g_direct_hash, g_direct_equal);
	const struct mail_rec_notice *x = mail_rec_notice(r);
	struct vec order = VEC_INIT;

	for (size_t j = 0; j < x->shortlog.n; j++) {
		struct mail_posting *p = posting_by_title(g,
			x->shortlog_n.items[j], r->date);
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
		pr->target = mail_rec_notice(r)->pull_target;
		pr->posted = r->date;
		pr->ncommits = (unsigned)mail_rec_notice(r)->shortlog.n;
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
			pr->applied_to = mail_rec_notice(r)->applied_to;
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

int mail_series_order(const struct mail_series *x,
		      const struct mail_series *y)
{
	const struct mail_version *vx, *vy;
	int c;

	if (x->last_activity != y->last_activity)
		return x->last_activity > y->last_activity ? -1 : 1;
	c = strcmp(x->title, y->title);
	if (c || !x->versions.n || !y->versions.n)
		return c ? c : (y->versions.n > 0) - (x->versions.n > 0);
	/* Two series of one title active at one second: by first id. */
	vx = x->versions.items[0];
	vy = y->versions.items[0];
	return strcmp(vx->message_id, vy->message_id);
}

int mail_pull_order(const struct mail_pullreq *x, const struct mail_pullreq *y)
{
	if (x->posted != y->posted)
		return x->posted > y->posted ? -1 : 1;
	return strcmp(x->message_id, y->message_id);
}

static int series_cmp(const void *a, const void *b)
{
	return mail_series_order(*(struct mail_series *const *)a,
				 *(struct mail_series *const *)b);
}

static int pull_cmp(const void *a, const void *b)
{
	return mail_pull_order(*(struct mail_pullreq *const *)a,
			       *(struct mail_pullreq *const *)b);
}

static int rec_date_cmp(const void *a, const void *b)
{
	const struct mail_rec *x = *(struct mail_rec *const *)a;
	const struct mail_rec *y = *(struct mail_rec *const *)b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* FNV-1a, 64 bits, of a kind of key and its text. */
static uint64_t key_hash(char kind, const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = (h ^ (unsigned char)kind) * 0x100000001b3ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t mail_key_id(const char *id, size_t n)
{
	return key_hash('i', id, n);
}

uint64_t mail_key_named(const char *ntitle)
{
	return key_hash('n', ntitle, strlen(ntitle));
}

/* A key of kind, of a and b joined. */
static uint64_t key_hash2(char kind, const char *a, const char *b)
{
	struct sbuf sb = SBUF_INIT;
	uint64_t h;

	sbuf_addstr(&sb, a);
	sbuf_addch(&sb, '\x1f');
	sbuf_addstr(&sb, b);
	h = key_hash(kind, sb.buf, sb.len);
	sbuf_release(&sb);
	return h;
}

void mail_rec_keys(const struct mail_rec *r,
		   void (*emit)(uint64_t key, unsigned how, int64_t when,
				void *data),
		   void *data)
{
	const unsigned both = MAIL_KEY_HAS | MAIL_KEY_ASKS;
	const struct mail_rec_more *x = mail_rec_more(r);
	const struct mail_rec_notice *nt = mail_rec_notice(r);

	emit(mail_key_id(r->id, strlen(r->id)), both, 0, data);
	if (r->parent)
		emit(mail_key_id(r->parent, strlen(r->parent)), both, 0,
		     data);
	for (size_t i = 0; i < x->nrefs; i++)
		emit(mail_key_id(x->refs[i], strlen(x->refs[i])), both, 0,
		     data);
	emit(key_hash('t', r->thread, strlen(r->thread)), both, 0, data);
	/*
	 * A pull request finds, by title, the postings before it with a
	 * patch of that title (by_title); the postings after it ask for
	 * it (mail_grouped's keys).  So does a bot notice that looked its
	 * postings up by title (not in their thread, r->titled).
	 */
	for (size_t i = 0; r->titled && i < nt->bot_n.n; i++) {
		const char *t = nt->bot_n.items[i];

		emit(mail_key_named(t), MAIL_KEY_HAS, 0, data);
		emit(key_hash('p', t, strlen(t)),
		     MAIL_KEY_ASKS | MAIL_KEY_EARLIER, (int64_t)r->date, data);
	}
	if (r->what == MAIL_WHAT_PULL) {
		for (size_t i = 0; i < nt->shortlog_n.n; i++) {
			const char *t = nt->shortlog_n.items[i];

			emit(mail_key_named(t), MAIL_KEY_HAS, 0, data);
			emit(key_hash('p', t, strlen(t)),
			     MAIL_KEY_ASKS | MAIL_KEY_EARLIER,
			     (int64_t)r->date, data);
		}
	}
	if (r->what == MAIL_WHAT_COVER || r->what == MAIL_WHAT_PATCH) {
		struct sbuf k2 = SBUF_INIT;
		long long bucket = (long long)r->date / POSTING_WINDOW;

		if (r->what == MAIL_WHAT_PATCH) {
			char *made = r->ntitle ? NULL : mail_rec_ntitle_new(r);
			const char *t = made ? made : r->ntitle;

			emit(key_hash('p', t, strlen(t)), MAIL_KEY_HAS, 0,
			     data);
			free(made);
		}
		/*
		 * Patches sent unthreaded join a posting of the same key
		 * within POSTING_WINDOW: a record and its window's two
		 * buckets, so that two within it share one.
		 */
		for (int b = 0; b < 2; b++) {
			posting_key(r->from_email, r, &k2);
			sbuf_addch(&k2, '\x1f');
			sbuf_addll(&k2, bucket + b);
			emit(key_hash('k', k2.buf, k2.len), both, 0, data);
		}
		sbuf_release(&k2);
	}
}

static void grouped_key(struct mail_grouped *out, size_t rec, uint64_t key,
			unsigned how, int64_t when)
{
	ALLOC_GROW(out->keys, out->nkeys + 1, out->alloc);
	out->keys[out->nkeys++] = (struct mail_gkey){ rec, key, how, when };
}

/* grouped_key() for record i of out, as an emit callback. */
struct gk {
	struct mail_grouped *out;
	size_t i;
};

static void grouped_any_key(uint64_t key, unsigned how, int64_t when,
			    void *data)
{
	struct gk *k = data;

	grouped_key(k->out, k->i, key, how, when);
}

/*
 * The keys versions are linked by: their author's address and their
 * title, their author's name and their title.
 */
static void version_keys(const char *email, const char *name,
			 const char *ntitle,
			 void (*emit)(uint64_t key, unsigned how, int64_t when,
				      void *data),
			 void *data)
{
	const unsigned both = MAIL_KEY_HAS | MAIL_KEY_ASKS;
	struct sbuf nb = SBUF_INIT;

	emit(key_hash2('a', email, ntitle), both, 0, data);
	name_key(name, &nb);
	if (nb.len)
		emit(key_hash2('N', nb.buf, ntitle), both, 0, data);
	sbuf_release(&nb);
}

static void grouped_notice_key(uint64_t key, unsigned how, int64_t when,
			       void *data)
{
	struct gk *k = data;

	if (how & MAIL_KEY_EARLIER)
		grouped_key(k->out, k->i, key, how, when);
}

/*
 * The asks grouping gave record i, r: a posting's head, by the keys
 * its versions are linked by (its author's address and its title, its
 * author's name and its title); a patch, for the notices and pulls
 * after its posting that name its title.
 */
static void grouped_keys(struct mail_grouped *out, size_t i,
			 struct mail_rec *r)
{
	const struct mail_posting *p = r->posting;

	if (p && p->head == r)
		version_keys(p->author_email, p->author_name, p->ntitle,
			     grouped_any_key, &(struct gk){ out, i });
	/* A notice's, as mail_rec_keys() gives them now it is grouped. */
	if (r->titled)
		mail_rec_keys(r, grouped_notice_key, &(struct gk){ out, i });
	if (p && r->what == MAIL_WHAT_PATCH) {
		char *made = r->ntitle ? NULL : mail_rec_ntitle_new(r);
		const char *t = made ? made : r->ntitle;

		grouped_key(out, i, mail_key_named(t),
			    (p->touched ? MAIL_KEY_ASKS : MAIL_KEY_PINS) |
			    MAIL_KEY_LATER, (int64_t)p->v->date);
		free(made);
	}
}

void mail_posting_keys(const struct mail_rec *head, const struct mail_rec *r,
		       void (*emit)(uint64_t key, unsigned how, int64_t when,
				    void *data),
		       void *data)
{
	char *t = mail_rec_ntitle_new(head);

	version_keys(r->from_email, r->from_name, t, emit, data);
	free(t);
}

/*
 * Where each record went (mail/private.h): series by their place, then
 * pulls; a notice goes with the first posting it applied.  And the
 * keys grouping gave them (grouped_keys()).
 */
static void place_records(struct group_ctx *g, const struct vec *recs,
			  const struct mail_model *m,
			  struct mail_grouped *out)
{
	unsigned *place = out->place;
	GHashTable *at = g_hash_table_new(g_direct_hash, g_direct_equal);

	out->nkeys = 0;
	for (size_t i = 0; i < g->all.n; i++) {
		struct mail_posting *p = g->all.items[i];

		for (unsigned j = 0; j < p->npatch && !p->touched; j++)
			p->touched = p->patch[j] && p->patch[j]->fresh;
	}
	for (size_t i = 0; i < m->series.n; i++)
		g_hash_table_insert(at, m->series.items[i],
				    GSIZE_TO_POINTER(i + 1));
	for (size_t i = 0; i < m->pulls.n; i++)
		g_hash_table_insert(at, m->pulls.items[i],
				    GSIZE_TO_POINTER(m->series.n + i + 1));
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		struct mail_posting *q;
		void *key = NULL;

		if (r->what == MAIL_WHAT_PULL)
			key = g_hash_table_lookup(g->pulls, r->id);
		else if (r->posting)
			key = r->posting->series;
		else if (r->what == MAIL_WHAT_BOT_NOTICE &&
			 (q = g_hash_table_lookup(g->notice_of, r)))
			key = q->series;
		place[i] = key ? (unsigned)GPOINTER_TO_SIZE(
			g_hash_table_lookup(at, key)) - 1 : MAIL_PLACE_NONE;
		if (out->later)
			grouped_keys(out, i, r);
	}
	g_hash_table_destroy(at);
}

void mail_group(struct vec *recs, GHashTable *by_id,
		const char *const *maintainers, struct mail_model *m,
		struct mail_grouped *out)
{
	struct group_ctx g;

	memset(&g, 0, sizeof(g));
	g.a = &m->store->arena;
	g.maintainers = maintainers;
	g.postings = g_hash_table_new(g_str_hash, g_str_equal);
	g.unthreaded = g_hash_table_new(g_str_hash, g_str_equal);
	g.by_shape = g_hash_table_new(g_str_hash, g_str_equal);
	g.pulls = g_hash_table_new(g_str_hash, g_str_equal);
	g.notice_of = g_hash_table_new(g_direct_hash, g_direct_equal);
	g.by_title = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   title_posts_release);
	g.wanted = g_hash_table_new(g_str_hash, g_str_equal);
	vec_sort(recs, rec_date_cmp);
	for (size_t i = 0; i < recs->n; i++) {
		struct mail_rec *r = recs->items[i];
		const struct mail_rec_notice *x = mail_rec_notice(r);

		/*
		 * Of a million patch titles, a few thousand are looked up:
		 * only those are indexed (a table of every one was a tenth
		 * of a big model's memory).
		 */
		for (size_t j = 0; j < x->bot_n.n; j++)
			g_hash_table_add(g.wanted, x->bot_n.items[j]);
		for (size_t j = 0; j < x->shortlog_n.n; j++)
			g_hash_table_add(g.wanted, x->shortlog_n.items[j]);
		r->posting = NULL;
		r->titled = 0;
		r->parent_rec = r->parent ? mail_rec_lookup(by_id, r->parent,
							    g_str_hash(r->parent)) :
			NULL;
		/* The same id as the parent's: the scratch copy can go. */
		if (r->parent_rec)
			r->parent = r->parent_rec->id;
		else if (r->scratch && r->parent)
			r->parent = arena_strdup(g.a, r->parent);
	}
	arena_release(&m->store->parents);
	group_postings(&g, recs);
	/*
	 * Each step's tables go as soon as it is done: at a million
	 * messages they are tens of MB each, and the peak of a build is
	 * here.  The caller's table of records by id too (see
	 * mail/private.h).
	 */
	g_hash_table_destroy(g.unthreaded);
	g_hash_table_destroy(g.by_shape);
	g_hash_table_destroy(g.postings);
	arena_release(&g.keys);
	g.linked = linked_recs(recs, by_id);
	g_hash_table_remove_all(by_id);
	for (size_t i = 0; i < g.all.n; i++)
		posting_finish(&g, g.all.items[i]);
	drop_scratch(m->store, recs);
	link_versions(&g);
	arena_release(&g.keys);
	g_hash_table_destroy(g.linked);
	make_series(&g, m);
	attach_replies(&g, recs);
	apply_bot_notices(&g, recs);
	make_pulls(&g, recs, m);
	set_states(m);
	vec_sort(&m->series, series_cmp);
	vec_sort(&m->pulls, pull_cmp);
	m->nmessages = recs->n;
	if (out)
		place_records(&g, recs, m, out);

	for (size_t i = 0; i < recs->n; i++)
		((struct mail_rec *)recs->items[i])->posting = NULL;
	vec_release(&g.all, NULL);
	g_hash_table_destroy(g.by_title);
	g_hash_table_destroy(g.wanted);
	g_hash_table_destroy(g.pulls);
	g_hash_table_destroy(g.notice_of);
	arena_release(&g.tmp);
}
