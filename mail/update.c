/*
 * Bringing the model's listing up to date after new mail came
 * (mail/private.h; when only tags changed, mail/model.c's catch_up()
 * has served it), without grouping every record again: the groups
 * (mail/cache_groups.c) that share a key with the changed mail are
 * taken, then those that share one with them, and so on; their
 * records are read from the records file where the groups file says
 * they are, grouped again with the changed mail, and the listing
 * written from the old one's other lines and the new ones (most often
 * as a patch beside it, mail/cache_listing.c).  A pull that only a
 * posting new mail did not touch asks for is kept as it was
 * (MAIL_KEY_PINS, pin_pulls()).
 *
 * Grouping relates records only through keys both have
 * (mail_rec_keys()), so what is left out comes out of a whole build as
 * it was: check_mail compares every update with a cold build.
 * Anything unusual (too much changed or taken, a file that does not
 * match, a message that could not be read, a count that does not add
 * up) and the caller builds the model as before.
 */
#include "config.h"

#include <glib.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/index.h"
#include "mail/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/*
 * At most this share of the records grouped again (1 / n), past a few
 * (a small database is quick to group again either way).
 */
#define UPDATE_SHARE 8
#define UPDATE_FEW 10000
/* Rounds of taking groups a record read shows were missing. */
#define UPDATE_ROUNDS 8

static int file_size(const char *path, uint64_t *size)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* The groups taken, and those whose keys are still to look up. */
struct taking {
	const struct mail_groups *gs;
	unsigned char *in;
	unsigned char *pinned;	/* pulls kept as they are (MAIL_KEY_PINS) */
	size_t *todo;
	size_t ntodo, alloc;
	size_t nmembers;	/* of the groups taken */
	size_t grew;		/* groups taken since asked */
	unsigned how;		/* of the ask being looked up */
	int64_t when;
};

static void take(size_t g, void *data)
{
	struct taking *t = data;
	const struct mail_group_ent *e;

	if (t->in[g])
		return;
	e = mail_groups_at(t->gs, g);
	/* An ask that wants only what is dated after, or before, a time. */
	if ((t->how & MAIL_KEY_LATER && e->last < t->when) ||
	    (t->how & MAIL_KEY_EARLIER && e->first > t->when))
		return;
	if (t->how & MAIL_KEY_PINS && e->kind == MAIL_GROUP_PULL) {
		t->pinned[g] = 1;
		return;
	}
	t->in[g] = 1;
	t->nmembers += e->nmembers;
	t->grew++;
	ALLOC_GROW(t->todo, t->ntodo + 1, t->alloc);
	t->todo[t->ntodo++] = g;
}

static void take_key(uint64_t key, unsigned how, int64_t when, void *data)
{
	struct taking *t = data;

	if (!(how & (MAIL_KEY_ASKS | MAIL_KEY_PINS)))
		return;
	t->how = how;
	t->when = when;
	mail_groups_find(t->gs, key, take, t);
}

/* Every group that shares a key with one taken; 0, or -1: too many. */
static int take_all(struct taking *t, size_t limit)
{
	while (t->ntodo) {
		const struct mail_group_ent *g =
			mail_groups_at(t->gs, t->todo[--t->ntodo]);
		const uint64_t *keys = mail_groups_keys(t->gs, g);

		const struct mail_group_dated *dated =
			mail_groups_dated(t->gs, g);

		for (uint32_t k = 0; k < g->nkeys; k++)
			take_key(keys[k], MAIL_KEY_ASKS, 0, t);
		for (uint32_t k = 0; k < g->ndated; k++)
			take_key(dated[k].key, MAIL_KEY_ASKS |
				 (unsigned)dated[k].how, dated[k].when, t);
		if (t->nmembers > limit)
			return -1;
	}
	return 0;
}

static int member_at_cmp(const void *a, const void *b)
{
	const struct mail_member *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * The records of the groups taken: their ids' keys and where they are,
 * by place; *known, whether every place is.
 */
static struct mail_member *taken_members(const struct taking *t, size_t *n,
					 int *known)
{
	size_t ngroups = mail_groups_count(t->gs), k = 0;
	struct mail_member *mb = xmalloc((t->nmembers ? t->nmembers : 1) *
					 sizeof(*mb));

	*known = 1;
	for (size_t i = 0; i < ngroups; i++) {
		const struct mail_group_ent *g;
		const uint64_t *ids;
		const uint32_t *at;

		if (!t->in[i])
			continue;
		g = mail_groups_at(t->gs, i);
		ids = mail_groups_members(t->gs, g);
		at = mail_groups_member_at(t->gs, g);
		for (uint32_t j = 0; j < g->nmembers; j++) {
			mb[k++] = (struct mail_member){ ids[j], at[j] };
			*known &= at[j] != MAIL_AT_NONE;
		}
	}
	qsort(mb, k, sizeof(*mb), member_at_cmp);
	*n = k;
	return mb;
}

/*
 * The records of a grouping by where they went: series, pulls, then
 * the rest by thread (a group each).  order[first[i] .. first[i + 1])
 * are group i's, by their place in recs.
 */
struct placed {
	size_t ngroups;		/* series + pulls + threads of the rest */
	/* uint32_t: at a million messages they are the groups file's peak */
	uint32_t *first;
	uint32_t *order;
};

static void placed_init(struct placed *pl, const struct vec *recs,
			const struct mail_grouped *gr, size_t nplaced)
{
	const unsigned *place = gr->place;
	GHashTable *threads = g_hash_table_new(g_str_hash, g_str_equal);
	uint32_t *group = xmalloc((recs->n ? recs->n : 1) * sizeof(*group));
	uint32_t *at;

	pl->ngroups = nplaced;
	for (size_t i = 0; i < recs->n; i++) {
		const struct mail_rec *r = recs->items[i];
		gpointer have;

		if (place[i] != MAIL_PLACE_NONE) {
			group[i] = place[i];
			continue;
		}
		if (!g_hash_table_lookup_extended(threads, r->thread, NULL,
						  &have)) {
			have = GSIZE_TO_POINTER(pl->ngroups++);
			g_hash_table_insert(threads, r->thread, have);
		}
		group[i] = (uint32_t)GPOINTER_TO_SIZE(have);
	}
	pl->first = xcalloc(pl->ngroups + 1, sizeof(*pl->first));
	for (size_t i = 0; i < recs->n; i++)
		pl->first[group[i] + 1]++;
	for (size_t g = 0; g < pl->ngroups; g++)
		pl->first[g + 1] += pl->first[g];
	at = xmalloc((pl->ngroups + 1) * sizeof(*at));
	memcpy(at, pl->first, (pl->ngroups + 1) * sizeof(*at));
	pl->order = xmalloc((recs->n ? recs->n : 1) * sizeof(*pl->order));
	for (size_t i = 0; i < recs->n; i++)
		pl->order[at[group[i]]++] = (uint32_t)i;
	free(at);
	free(group);
	g_hash_table_destroy(threads);
}

static void placed_release(struct placed *pl)
{
	free(pl->first);
	free(pl->order);
}

/* Add group g of pl as a group like `like`. */
static void add_placed(struct mail_groups_out *o, const struct placed *pl,
		       const struct vec *recs, const uint32_t *at,
		       const struct mail_model *m, size_t g,
		       const struct mail_group_ent *like)
{
	mail_groups_add_records(o, like, recs, at, pl->order + pl->first[g],
				pl->first[g + 1] - pl->first[g],
				g < m->series.n ? m->series.items[g] : NULL);
}

int mail_groups_write_model(const char *path, const char *uuid,
			    const struct mail_model *m, const struct vec *recs,
			    const uint32_t *rec_at,
			    const struct mail_grouped *gr,
			    const uint64_t *line_at,
			    const char *records, size_t records_base,
			    size_t records_appended, const char *listing,
			    uint64_t nall, struct err *err)
{
	struct mail_groups_out *o;
	size_t nseries = m->series.n, npulls = m->pulls.n;
	uint64_t start, rsize, lsize;
	struct placed pl;
	int ret;

	if (file_size(records, &rsize) ||
	    mail_cache_listing_size(listing, &lsize))
		return err_set(err, ERR_IO, "%s: cannot stat the cache", path);
	placed_init(&pl, recs, gr, nseries + npulls);
	o = mail_groups_out_new(path, pl.ngroups);
	/* Series, then pulls; the listing has the pulls first. */
	for (size_t i = 0; i < nseries + npulls; i++) {
		size_t line = i < nseries ? npulls + i : i - nseries;
		struct mail_group_ent like;

		memset(&like, 0, sizeof(like));
		start = line_at[line];
		like.kind = i < nseries ? MAIL_GROUP_SERIES : MAIL_GROUP_PULL;
		like.sort = i < nseries ?
			(int64_t)((const struct mail_series *)
				  m->series.items[i])->last_activity :
			(int64_t)((const struct mail_pullreq *)
				  m->pulls.items[i - nseries])->posted;
		like.line_off = start;
		like.line_len = (uint32_t)(line_at[line + 1] - start);
		add_placed(o, &pl, recs, rec_at, m, i, &like);
	}
	for (size_t g = nseries + npulls; g < pl.ngroups; g++) {
		struct mail_group_ent like;

		memset(&like, 0, sizeof(like));
		like.kind = MAIL_GROUP_OTHER;
		add_placed(o, &pl, recs, rec_at, m, g, &like);
	}
	mail_groups_set_counts(o, nseries, npulls, nall);
	mail_groups_set_records(o, records_base, records_appended);
	ret = mail_groups_write(o, path, uuid, m->revision, rsize, lsize,
				m->nmessages, NULL, err);
	placed_release(&pl);
	mail_groups_out_free(o);
	return ret;
}

/* What one update holds. */
struct update {
	const struct mail_cache_files *cf;
	const char *uuid, *stamp;
	unsigned long was, rev;
	size_t nmessages;		/* of the listing */
	struct mail_groups *gs;
	struct mail_store *fresh;	/* the changed mail */
	struct vec *changed;		/* of it, struct mail_rec * */
	char **parent;			/* [i]: changed[i]'s parent id */
	char **ntitle;			/* [i]: and its normalised title */
	struct mail_store *old;		/* the records of the groups taken */
	struct vec_u32 old_at;		/* where each is in the records */
	struct taking t;
	struct mail_model *m;		/* what they group into */
	struct mail_grouped gr;
	size_t base, appended;		/* of the records file */
	uint64_t nall;			/* for the groups file */
	/* Written by write_back(), to commit once the count agrees. */
	struct sbuf segment;		/* of the records file */
	struct fs_atomic listing, groups;
	struct mail_count_job *cj;
	int whole;			/* the listing written whole */
	/* The listing renamed while the groups file is written. */
	pthread_t renamer;
	int early;			/* records and listing taken */
	int renaming, renamed;		/* started; 0 or -1 */
};

unsigned long mail_update_read_at, mail_update_misplaced;

/*
 * Read the records of the groups taken (after all they ask for are
 * taken), and where each is (u->old_at); 0, or -1.  Those records must
 * be the ones the groups say.
 */
static int read_taken(struct update *u, size_t limit)
{
	struct mail_member *mb;
	uint64_t *ids;
	size_t n;
	unsigned long rev;
	int known, ret = 0;

	if (take_all(&u->t, limit))
		return -1;
	mb = taken_members(&u->t, &n, &known);
	mail_store_free(u->old);
	u->old = mail_store_new();
	u->old_at.n = 0;
	/* Each where the groups file says it is (written by vger). */
	if (known) {
		ret = mail_cache_read_at(u->cf->records, mb, n, u->old,
					 &u->old_at);
		mail_update_read_at++;
		mail_update_misplaced += ret != 0;
		free(mb);
		return ret || u->old->recs.n != u->t.nmembers ? -1 : 0;
	}
	/*
	 * Else the whole file looked through, where a record changed in
	 * a later segment is there twice: the later is taken, where the
	 * earlier was (mail_rec_dedup()).
	 */
	ids = xmalloc((n ? n : 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = mb[i].id;
	free(mb);
	qsort(ids, n, sizeof(*ids), u64_cmp);
	if (mail_cache_read_members(u->cf->records, ids, n, u->old,
				    &u->old_at, &rev, &u->base,
				    &u->appended) || rev != u->was)
		ret = -1;
	free(ids);
	if (!ret) {
		GHashTable *seen = mail_rec_table_new();
		GHashTable *at = g_hash_table_new(g_str_hash, g_str_equal);

		for (size_t i = 0; i < u->old->recs.n; i++) {
			const struct mail_rec *r = u->old->recs.items[i];

			g_hash_table_insert(at, r->id, GUINT_TO_POINTER(
				u->old_at.v[i] == MAIL_AT_NONE ? 0 :
				u->old_at.v[i] + 1));
		}
		mail_rec_dedup(&u->old->recs, seen);
		for (size_t i = 0; i < u->old->recs.n; i++) {
			const struct mail_rec *r = u->old->recs.items[i];
			unsigned a = GPOINTER_TO_UINT(
				g_hash_table_lookup(at, r->id));

			u->old_at.v[i] = a ? a - 1 : MAIL_AT_NONE;
		}
		u->old_at.n = u->old->recs.n;
		g_hash_table_destroy(at);
		g_hash_table_destroy(seen);
	}
	return ret || u->old->recs.n != u->t.nmembers ? -1 : 0;
}

/* Group what was taken with the changed mail into u->m. */
static void regroup(struct update *u, const char *const *maintainers)
{
	struct vec recs = VEC_INIT;
	GHashTable *by_id = mail_rec_table_new();

	for (size_t i = 0; i < u->changed->n; i++) {
		struct mail_rec *r = u->changed->items[i];

		/*
		 * Grouping points a record at its parent's id and copies
		 * a posting's title into the model's arena: both go with
		 * the records and model of an earlier round.
		 */
		r->parent = u->parent[i];
		r->ntitle = u->ntitle[i];
		r->scratch = 0;
		vec_push(&recs, r);
		g_hash_table_add(by_id, r);
	}
	/*
	 * The changed mail takes the place of what it was: not copied
	 * over it (mail_rec_dedup()), its vectors would go with the
	 * records of this round.
	 */
	for (size_t i = 0; i < u->old->recs.n; i++) {
		struct mail_rec *r = u->old->recs.items[i];

		if (!mail_rec_lookup(by_id, r->id, r->id_hash)) {
			vec_push(&recs, r);
			g_hash_table_add(by_id, r);
		}
	}
	u->m = mail_model_new();
	u->gr.place = xmalloc((recs.n ? recs.n : 1) * sizeof(*u->gr.place));
	u->gr.later = 1;
	mail_group(&recs, by_id, maintainers, u->m, &u->gr);
	/* The model's records: what it was grouped from, in that order. */
	vec_release(&u->m->store->recs, NULL);
	u->m->store->recs = recs;
	g_hash_table_destroy(by_id);
}

static void regroup_release(struct update *u)
{
	if (u->m) {
		/* Its records are in u->old and u->fresh. */
		vec_release(&u->m->store->recs, NULL);
		mail_model_free(u->m);
	}
	u->m = NULL;
	free(u->gr.place);
	free(u->gr.keys);
	memset(&u->gr, 0, sizeof(u->gr));
}

/*
 * Whether each message read again is what the records file had (the
 * groups of their ids are among those read): only their tags changed.
 */
static int tags_only(const struct update *u)
{
	GHashTable *old = mail_rec_table_new();
	int same = 1;

	for (size_t i = 0; i < u->old->recs.n; i++)
		g_hash_table_add(old, u->old->recs.items[i]);
	for (size_t i = 0; i < u->changed->n && same; i++) {
		const struct mail_rec *r = u->changed->items[i];

		same = mail_cache_record_same(r, mail_rec_lookup(old, r->id,
								 r->id_hash));
	}
	g_hash_table_destroy(old);
	return same;
}

/*
 * Take the groups of the changed mail and all they meet, read their
 * records and group them again with it, until nothing grouped asks
 * for a group not taken: the records read (their keys), and the
 * postings made (the keys versions are linked by, which depend on
 * several records) ask for none.  0; 1 when only tags changed (nothing
 * grouped); or -1.
 */
static int take_and_group(struct update *u, const char *const *maintainers)
{
	size_t limit = mail_groups_nmessages(u->gs) / UPDATE_SHARE +
		UPDATE_FEW;

	u->t.gs = u->gs;
	u->t.in = xcalloc(mail_groups_count(u->gs) + 1, 1);
	u->t.pinned = xcalloc(mail_groups_count(u->gs) + 1, 1);
	u->parent = xcalloc(u->changed->n + 1, sizeof(*u->parent));
	u->ntitle = xcalloc(u->changed->n + 1, sizeof(*u->ntitle));
	for (size_t i = 0; i < u->changed->n; i++) {
		struct mail_rec *r = u->changed->items[i];

		/* Its arenas (parents, titles) last as long as u->fresh. */
		u->parent[i] = r->parent;
		if (r->what == MAIL_WHAT_COVER || r->what == MAIL_WHAT_PATCH)
			mail_rec_ntitle(r, &u->fresh->arena);
		u->ntitle[i] = r->ntitle;
	}
	for (size_t i = 0; i < u->changed->n; i++) {
		struct mail_rec *r = u->changed->items[i];

		mail_rec_keys(r, take_key, &u->t);
		/*
		 * What its grouping will ask, asked now as well as can be
		 * told before (saving a round of reading): its posting is
		 * new or touched, so the pulls and notices naming its
		 * title, and the versions of its author's title.  Asked
		 * exactly once grouped.
		 */
		if (r->what == MAIL_WHAT_COVER || r->what == MAIL_WHAT_PATCH)
			mail_posting_keys(r, r, take_key, &u->t);
		if (r->what == MAIL_WHAT_PATCH)
			take_key(mail_key_named(r->ntitle),
				 MAIL_KEY_ASKS | MAIL_KEY_LATER,
				 (int64_t)r->date, &u->t);
	}
	for (int round = 0; round < UPDATE_ROUNDS; round++) {
		if (read_taken(u, limit))
			return -1;
		if (!round && tags_only(u))
			return 1;
		u->t.grew = 0;
		for (size_t i = 0; i < u->old->recs.n; i++)
			mail_rec_keys(u->old->recs.items[i], take_key, &u->t);
		if (u->t.grew)
			continue;
		regroup(u, maintainers);
		for (size_t k = 0; k < u->gr.nkeys; k++)
			take_key(u->gr.keys[k].key, u->gr.keys[k].how,
				 u->gr.keys[k].when, &u->t);
		if (!u->t.grew)
			return 0;
		regroup_release(u);
	}
	return -1;
}

unsigned long mail_update_pinned;

/* Whether a build groups pull x before y (by date, then id). */
static int built_before(const struct mail_pullreq *x,
			const struct mail_pullreq *y)
{
	if (x->posted != y->posted)
		return x->posted < y->posted;
	return strcmp(x->message_id, y->message_id) < 0;
}

/*
 * What write_back() wrote made the cache: the records' segment
 * appended (first: a listing of a revision the records do not have is
 * never taken), then the listing and groups file renamed.  0, or -1.
 */
static int commit_records(struct update *u)
{
	struct err err = ERR_INIT;

	if (mail_cache_append_segment(u->cf->records, &u->segment, &err))
		return -1;
	/* The ids file is a hint: one not brought up to date goes. */
	if (mail_cache_ids_add(u->cf->ids, u->changed, NULL))
		unlink(u->cf->ids);
	return 0;
}

/* The listing written made the cache's (its patch, or itself). */
static int commit_listing(struct update *u)
{
	if (fs_atomic_commit(&u->listing, NULL))
		return -1;
	if (u->whole)
		mail_cache_listing_drop_patch(u->cf->listing);
	return 0;
}

static void *rename_main(void *arg)
{
	struct update *u = arg;

	u->renamed = commit_listing(u);
	return NULL;
}

/*
 * The listing renamed into place on a thread of its own: the old one
 * it replaces is freed meanwhile (when written whole, a fifth of a
 * second at a million messages, its pages dropped).
 */
static void rename_start(struct update *u)
{
	u->renaming = !pthread_create(&u->renamer, NULL, rename_main, u);
	if (!u->renaming)
		rename_main(u);
}

/* 0 when the listing is in place. */
static int rename_finish(struct update *u)
{
	if (u->renaming)
		pthread_join(u->renamer, NULL);
	u->renaming = 0;
	return u->renamed;
}

static int commit(struct update *u)
{
	if (commit_records(u) || commit_listing(u))
		return -1;
	/* Not renamed: the old one does not match the records, unused. */
	fs_atomic_commit(&u->groups, NULL);
	return 0;
}

/*
 * The pulls kept as they were (pinned, not taken) that carry a version
 * grouped again: the first pull carrying a version, in the order a
 * build takes them (by date, then id), is its pull request.  0, or -1
 * when a pull's line does not read.
 */
static int pin_pulls(struct update *u)
{
	size_t ngroups = mail_groups_count(u->gs);
	GHashTable *versions = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *pulls = g_hash_table_new(g_str_hash, g_str_equal);
	struct mail_listing_keep *keep = NULL;
	size_t nkeep = 0, alloc = 0;
	struct vec read = VEC_INIT;
	int ret;

	for (size_t i = 0; i < u->m->series.n; i++) {
		const struct mail_series *s = u->m->series.items[i];

		for (size_t j = 0; j < s->versions.n; j++) {
			struct mail_version *v = s->versions.items[j];

			g_hash_table_insert(versions, v->message_id, v);
		}
	}
	for (size_t i = 0; i < u->m->pulls.n; i++) {
		struct mail_pullreq *pr = u->m->pulls.items[i];

		g_hash_table_insert(pulls, pr->message_id, pr);
	}
	for (size_t g = 0; g < ngroups; g++) {
		const struct mail_group_ent *e = mail_groups_at(u->gs, g);

		if (!u->t.pinned[g] || u->t.in[g])
			continue;
		ALLOC_GROW(keep, nkeep + 1, alloc);
		keep[nkeep++] = (struct mail_listing_keep){ e->line_off,
			e->line_len, e->sort };
	}
	ret = mail_cache_listing_pulls(u->cf->listing, keep, nkeep,
				       &u->m->store->arena, &read);
	for (size_t i = 0; i < read.n && !ret; i++) {
		struct mail_pullreq *pr = read.items[i];

		mail_update_pinned++;
		g_hash_table_insert(pulls, pr->message_id, pr);
		for (size_t j = 0; j < pr->series.n; j++) {
			struct mail_version *v = g_hash_table_lookup(
				versions, pr->series.items[j]);
			const struct mail_pullreq *was = v && v->pull_request ?
				g_hash_table_lookup(pulls, v->pull_request) :
				NULL;

			if (!v || (v->pull_request &&
				   (!was || !built_before(pr, was))))
				continue;
			v->pull_request = pr->message_id;
		}
	}
	vec_release(&read, (void (*)(void *))mail_pullreq_release);
	free(keep);
	g_hash_table_destroy(versions);
	g_hash_table_destroy(pulls);
	return ret;
}

/*
 * Where each record of the model grouped is in the records file, in the
 * order grouping left them: those read where they were read, the
 * changed ones where their segment will put them (seg_at).
 */
static uint32_t *records_at(const struct update *u, const uint32_t *seg_at)
{
	const struct vec *recs = &u->m->store->recs;
	GHashTable *where = g_hash_table_new(g_direct_hash, g_direct_equal);
	uint32_t *at = xmalloc((recs->n + 1) * sizeof(*at));

	for (size_t i = 0; i < u->old->recs.n; i++)
		g_hash_table_insert(where, u->old->recs.items[i],
				    GUINT_TO_POINTER(u->old_at.v[i]));
	for (size_t i = 0; i < u->changed->n; i++)
		g_hash_table_insert(where, u->changed->items[i],
				    GUINT_TO_POINTER(seg_at[i]));
	for (size_t i = 0; i < recs->n; i++) {
		gpointer a;

		at[i] = g_hash_table_lookup_extended(where, recs->items[i],
						     NULL, &a) ?
			GPOINTER_TO_UINT(a) : MAIL_AT_NONE;
	}
	g_hash_table_destroy(where);
	return at;
}

/*
 * Write the listing from the old one's lines of the groups not taken
 * and the new series and pulls, then the groups file, both under
 * temporary names, and the records' new segment into u->segment:
 * 0, or -1.  commit() makes them the cache.
 */
static int write_back(struct update *u, size_t nmessages)
{
	size_t nseries = mail_groups_nseries(u->gs);
	size_t npulls = mail_groups_npulls(u->gs);
	size_t ngroups = mail_groups_count(u->gs);
	struct mail_listing_keep *ks = NULL, *kp = NULL;
	size_t *ks_group = NULL, *kp_group = NULL, nks = 0, nkp = 0;
	size_t nlines, *line_from = NULL, *renumber = NULL, ngone = 0;
	uint32_t *seg_at = NULL, *rec_at = NULL;
	struct mail_listing_keep *lines = NULL;
	uint64_t *gone = NULL, rsize, lsize;
	struct mail_groups_out *o = NULL;
	struct placed pl;
	struct err err = ERR_INIT;
	int ret = -1;

	memset(&pl, 0, sizeof(pl));
	ks = xmalloc((nseries + 1) * sizeof(*ks));
	ks_group = xmalloc((nseries + 1) * sizeof(*ks_group));
	kp = xmalloc((npulls + 1) * sizeof(*kp));
	kp_group = xmalloc((npulls + 1) * sizeof(*kp_group));
	gone = xmalloc((nseries + npulls + 1) * sizeof(*gone));
	for (size_t g = 0; g < nseries + npulls; g++) {
		const struct mail_group_ent *e = mail_groups_at(u->gs, g);
		struct mail_listing_keep k = { e->line_off, e->line_len,
					       e->sort };

		if (u->t.in[g]) {
			gone[ngone++] = e->line_off;
			continue;
		}
		if (g < nseries) {
			ks_group[nks] = g;
			ks[nks++] = k;
		} else {
			kp_group[nkp] = g;
			kp[nkp++] = k;
		}
	}
	nlines = nkp + nks + u->m->pulls.n + u->m->series.n;
	lines = xmalloc((nlines + 1) * sizeof(*lines));
	line_from = xmalloc((nlines + 1) * sizeof(*line_from));
	if (file_size(u->cf->records, &rsize))
		goto out;
	seg_at = xmalloc((u->changed->n + 1) * sizeof(*seg_at));
	mail_cache_records_segment(&u->segment, u->rev, u->changed, rsize,
				   seg_at);
	rec_at = records_at(u, seg_at);
	rsize += u->segment.len;	/* once appended */
	if (mail_cache_write_merged(u->cf->listing, u->uuid, u->stamp, u->rev,
				    nmessages, kp, nkp, ks, nks, gone, ngone,
				    u->m, lines, line_from, &lsize, &u->whole,
				    &u->listing, &err))
		goto out;
	/*
	 * The count known already (only new mail came) and as expected:
	 * the records and the listing are the cache now, the listing
	 * renamed while the groups file is written.
	 */
	if (u->cj->done && u->cj->count == nmessages &&
	    mail_count_of(u->cj, u->rev, u->uuid)) {
		if (commit_records(u))
			goto out;
		u->early = 1;
		rename_start(u);
	}

	/* The groups file: series, pulls, the rest; new keys merged in. */
	renumber = xmalloc((ngroups + 1) * sizeof(*renumber));
	for (size_t g = 0; g < ngroups; g++)
		renumber[g] = (size_t)-1;
	placed_init(&pl, &u->m->store->recs, &u->gr,
		    u->m->series.n + u->m->pulls.n);
	o = mail_groups_out_new(u->cf->groups, ngroups + pl.ngroups);
	for (int series = 1; series >= 0; series--) {
		size_t from = series ? nkp + u->m->pulls.n : 0;
		size_t to = series ? nlines : nkp + u->m->pulls.n;
		size_t nkept = series ? nks : nkp;

		for (size_t line = from; line < to; line++) {
			size_t k = line_from[line];

			if (k < nkept) {
				size_t g = series ? ks_group[k] : kp_group[k];

				renumber[g] = mail_groups_count_out(o);
				mail_groups_add_old(o, u->gs, g,
						    lines[line].off,
						    lines[line].len);
			} else {
				struct mail_group_ent like;
				size_t j = k - nkept;

				memset(&like, 0, sizeof(like));
				like.kind = series ? MAIL_GROUP_SERIES :
					MAIL_GROUP_PULL;
				like.sort = series ?
					(int64_t)((const struct mail_series *)
						  u->m->series.items[j])
					->last_activity :
					(int64_t)((const struct mail_pullreq *)
						  u->m->pulls.items[j])->posted;
				like.line_off = lines[line].off;
				like.line_len = lines[line].len;
				add_placed(o, &pl, &u->m->store->recs,
					   rec_at, u->m, series ? j :
					   u->m->series.n + j, &like);
			}
		}
	}
	for (size_t g = nseries + npulls; g < ngroups; g++) {
		if (u->t.in[g])
			continue;
		renumber[g] = mail_groups_count_out(o);
		mail_groups_add_old(o, u->gs, g, 0, 0);
	}
	for (size_t g = u->m->series.n + u->m->pulls.n; g < pl.ngroups; g++) {
		struct mail_group_ent like;

		memset(&like, 0, sizeof(like));
		like.kind = MAIL_GROUP_OTHER;
		add_placed(o, &pl, &u->m->store->recs, rec_at, u->m, g,
			   &like);
	}
	mail_groups_set_counts(o, nks + u->m->series.n, nkp + u->m->pulls.n,
			       u->nall);
	mail_groups_set_records(o, u->base, u->appended + u->changed->n);
	mail_groups_invert_merge(o, u->gs, renumber);
	ret = mail_groups_write(o, u->cf->groups, u->uuid, u->rev, rsize,
				lsize, nmessages, &u->groups, &err) ? -1 : 0;
out:
	placed_release(&pl);
	mail_groups_out_free(o);
	free(ks);
	free(kp);
	free(ks_group);
	free(kp_group);
	free(gone);
	free(seg_at);
	free(rec_at);
	free(lines);
	free(line_from);
	free(renumber);
	return ret;
}

int mail_update_listing(struct mail_index *idx,
			const struct mail_cache_files *cf, const char *query,
			const char *const *maintainers, const char *uuid,
			unsigned long rev, const char *stamp,
			struct mail_count_job *cj, struct mail_changed *ch)
{
	struct update u;
	struct vec fresh;
	unsigned count = 0;
	uint64_t rsize, lsize;
	int done = 0;

	/*
	 * What catch_up() read: the listing's revision and count, the
	 * messages changed since (at most MAIL_UPDATE_MAX, read whole).
	 * The groups file must be of that revision and those sizes.
	 */
	if (!ch || !ch->store)
		return 0;
	memset(&u, 0, sizeof(u));
	sbuf_init(&u.segment);
	u.cf = cf;
	u.cj = cj;
	u.uuid = uuid;
	u.stamp = stamp;
	u.rev = rev;
	u.was = ch->was;
	u.nmessages = ch->nmessages;
	u.nall = ch->nall;
	u.fresh = ch->store;
	fresh = ch->recs;
	u.changed = &fresh;
	ch->store = NULL;
	memset(&ch->recs, 0, sizeof(ch->recs));
	if (file_size(cf->records, &rsize) ||
	    mail_cache_listing_size(cf->listing, &lsize) ||
	    mail_groups_open(&u.gs, cf->groups, uuid, u.was, rsize, lsize) ||
	    mail_groups_nmessages(u.gs) != u.nmessages)
		goto out;
	mail_groups_records(u.gs, &u.base, &u.appended);
	/* Only tags changed (and the count did not agree): built again. */
	if (take_and_group(&u, maintainers) || pin_pulls(&u))
		goto out;
	/* Appended past a share of the whole: a build writes it anew. */
	if ((u.appended + fresh.n) * MAIL_APPEND_MAX_SHARE >
	    u.base + u.appended + fresh.n)
		goto out;
	{
		size_t nmessages = u.nmessages - u.t.nmembers +
			u.m->store->recs.n;

		/*
		 * Written while the count (most of a second at a million
		 * messages, when it is taken) is under way: made the cache
		 * when it agrees.
		 */
		int written = !write_back(&u, nmessages);

		if (u.early) {
			/* Taken already: the groups file follows if whole. */
			done = !rename_finish(&u);
			if (written && done)
				fs_atomic_commit(&u.groups, NULL);
		} else if (written &&
			   !mail_count_finish(cj, idx, query, &count, NULL) &&
			   mail_count_of(cj, rev, uuid) &&
			   count == nmessages && !commit(&u)) {
			done = 1;
		}
	}
out:
	vec_release(&fresh, NULL);
	regroup_release(&u);
	if (u.listing.f)
		fs_atomic_abort(&u.listing);
	if (u.groups.f)
		fs_atomic_abort(&u.groups);
	sbuf_release(&u.segment);
	free(u.t.in);
	free(u.t.pinned);
	free(u.t.todo);
	free(u.parent);
	free(u.ntitle);
	mail_groups_close(u.gs);
	mail_store_free(u.old);
	free(u.old_at.v);
	mail_store_free(u.fresh);
	return done;
}
