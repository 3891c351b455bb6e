/*
 * The series model's public face (mail/model.h): loading it, from the
 * cache when that is current, else by reading what changed
 * (mail/read.c) and grouping every record again (mail/group.c); and
 * looking things up in it.
 */
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/address.h"
#include "mail/gmime.h"
#include "mail/index.h"
#include "mail/model.h"
#include "mail/private.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

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

		if (g->kind == kind && mail_address_find(out, g->email) < 0)
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

static void cache_paths_init(struct mail_cache_files *cp,
			     const char *cache_dir, const char *db,
			     const char *query)
{
	cp->dir = cache_subdir(cache_dir, db, query);
	cp->records = path_join(cp->dir, "records");
	cp->listing = path_join(cp->dir, "series.jsonl");
	cp->ids = path_join(cp->dir, "ids");
	cp->groups = path_join(cp->dir, "groups");
}

static void cache_paths_release(struct mail_cache_files *cp)
{
	free(cp->dir);
	free(cp->records);
	free(cp->listing);
	free(cp->ids);
	free(cp->groups);
}

/*
 * Messages removed from the database show only in the count; it is
 * taken on a database handle of its own while the records load.
 */
/* The revision the count is of: its handle's. */
static void at_revision(struct mail_count_job *j, struct mail_index *idx)
{
	const char *uuid = "";

	j->rev = mail_index_revision(idx, &uuid);
	snprintf(j->uuid, sizeof(j->uuid), "%s", uuid);
}

static void *count_main(void *arg)
{
	struct mail_count_job *j = arg;
	struct mail_index *idx = NULL;

	j->ret = mail_index_open(&idx, j->db_path, 0, NULL);
	if (!j->ret)
		j->ret = mail_index_count(idx, j->query, &j->count, NULL);
	if (!j->ret)
		at_revision(j, idx);
	mail_index_free(idx);
	return NULL;
}

int mail_count_of(const struct mail_count_job *j, unsigned long rev,
		  const char *uuid)
{
	return j->rev == rev && !strcmp(j->uuid, uuid);
}

unsigned long mail_count_jobs;

void mail_count_start(struct mail_count_job *j, const char *db_path,
		      const char *query)
{
	mail_count_jobs++;
	j->db_path = xstrdup(db_path);
	j->query = xstrdup(query);
	j->counts++;
	j->started = !pthread_create(&j->thread, NULL, count_main, j);
}

/* The count, on this thread when none could start. */
int mail_count_finish(struct mail_count_job *j, struct mail_index *idx,
		      const char *query, unsigned *count, struct err *err)
{
	if (j->started) {
		pthread_join(j->thread, NULL);
		j->started = 0;
		j->done = !j->ret;
	}
	if (!j->done) {	/* none ran, or say why from this handle */
		int ret;

		j->counts++;
		ret = mail_index_count(idx, query, count, err);
		if (!ret)
			at_revision(j, idx);
		return ret;
	}
	*count = j->count;
	return 0;
}

void mail_count_release(struct mail_count_job *j)
{
	if (j->started)
		pthread_join(j->thread, NULL);
	free(j->db_path);
	free(j->query);
	memset(j, 0, sizeof(*j));
}

/*
 * What mail_model_load_cached() found out when new mail made the
 * listing stale: the count of the query, taken beside its look at the
 * records file and perhaps still under way.  mail_model_load() needs
 * it too; at a million messages it takes most of a second.
 */
struct mail_model_head {
	char *db_path, *query, *uuid;	/* of what, and when */
	unsigned long rev;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	struct mail_count_job *cj;	/* its thread writes here: not moved */
	struct mail_changed *changed;	/* or NULL */
	uint64_t nall;	/* messages in the database, or UINT64_MAX */
};

void mail_changed_free(struct mail_changed *c)
{
	if (!c)
		return;
	vec_release(&c->recs, NULL);
	mail_store_free(c->store);
	free(c);
}

static struct mail_model_head *head_new(const char *db_path,
					const char *query, const char *uuid,
					unsigned long rev, const char *stamp)
{
	struct mail_model_head *h = xcalloc(1, sizeof(*h));

	h->db_path = xstrdup(db_path);
	h->query = xstrdup(query);
	h->uuid = xstrdup(uuid);
	h->rev = rev;
	memcpy(h->stamp, stamp, sizeof(h->stamp));
	h->cj = xcalloc(1, sizeof(*h->cj));
	h->nall = UINT64_MAX;
	return h;
}

void mail_model_head_free(struct mail_model_head *h)
{
	if (!h)
		return;
	if (h->cj)
		mail_count_release(h->cj);
	mail_changed_free(h->changed);
	free(h->cj);
	free(h->db_path);
	free(h->query);
	free(h->uuid);
	free(h);
}

/* Whether h was taken of this database and query as they are now. */
static int head_is_of(const struct mail_model_head *h, const char *db_path,
		      const char *query, const char *uuid, unsigned long rev,
		      const char *stamp)
{
	return !strcmp(h->db_path, db_path) && !strcmp(h->query, query) &&
		!strcmp(h->uuid, uuid) && h->rev == rev &&
		!strcmp(h->stamp, stamp);
}

/*
 * Every message of the database, for the groups file (UINT64_MAX when
 * it cannot be counted): on the handle the revision was read from,
 * so of that revision.
 */
static uint64_t count_all(struct mail_index *idx)
{
	unsigned n;

	return mail_index_count(idx, "*", &n, NULL) ? UINT64_MAX : n;
}

/* Room in gr for n records (what was there goes). */
static void grouped_alloc(struct mail_grouped *gr, size_t n)
{
	free(gr->place);
	free(gr->keys);
	memset(gr, 0, sizeof(*gr));
	gr->place = xmalloc((n + 1) * sizeof(*gr->place));
}

void mail_model_progress_get(const struct mail_model_progress *p,
			     struct mail_model_progress *out)
{
	out->stage = __atomic_load_n(&p->stage, __ATOMIC_RELAXED);
	out->total = __atomic_load_n(&p->total, __ATOMIC_RELAXED);
	out->seen = __atomic_load_n(&p->seen, __ATOMIC_RELAXED);
	out->read = __atomic_load_n(&p->read, __ATOMIC_RELAXED);
}

int mail_model_load(struct mail_model **out,
		    const struct mail_model_options *o,
		    struct mail_model_stats *stats, struct err *err)
{
	const char *query = o->query ? o->query : MAIL_DEFAULT_QUERY;
	struct mail_index *idx = NULL;
	struct mail_reading rd;
	struct mail_cache_files cp = { NULL, NULL, NULL, NULL, NULL };
	struct mail_cache_records cr;
	struct mail_count_job own, *cj = &own;
	struct mail_model *m;
	const char *uuid;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	unsigned long rev;
	int ret, from_cache = 0, listing_current = 0, need_count;
	struct mail_grouped gr;
	uint64_t *line_at = NULL;
	uint32_t *rec_at = NULL;

	memset(&gr, 0, sizeof(gr));
	mail_gmime_init();
	ret = mail_index_open(&idx, o->db_path, 0, err);
	if (ret) {
		mail_model_head_free(o->head);
		return ret;
	}
	rev = mail_index_revision(idx, &uuid);
	mail_index_stamp(idx, stamp);
	memset(&own, 0, sizeof(own));
	if (o->head && head_is_of(o->head, mail_index_path(idx), query, uuid,
				  rev, stamp)) {
		cj = o->head->cj;	/* its count is of this database */
		cj->counts = 0;
		o->head->cj = NULL;
	}
	mail_model_head_free(o->head);
	m = mail_model_new();
	memset(&rd, 0, sizeof(rd));
	memset(&cr, 0, sizeof(cr));
	rd.store = m->store;
	rd.warnings = &m->warnings;
	rd.by_id = mail_rec_table_new();
	rd.progress = o->progress;
	mail_progress_stage(o->progress, MAIL_LOAD_OPEN);

	if (o->cache_dir) {
		cache_paths_init(&cp, o->cache_dir, mail_index_path(idx),
				 query);
		if (!mail_cache_read_records(cp.records, m->store, &cr, NULL) &&
		    !strcmp(cr.uuid, uuid) && cr.revision <= rev) {
			from_cache = cr.revision == rev ? 2 : 1;
			mail_rec_dedup(&m->store->recs, rd.by_id);
		} else {
			mail_store_free(m->store);
			m->store = rd.store = mail_store_new();
		}
	}
	if (from_cache != 2) {
		/* A cold build is long: count first, so its end is known. */
		if (!from_cache && o->progress) {
			unsigned total = 0;

			mail_progress_stage(o->progress, MAIL_LOAD_COUNT);
			if (!mail_count_finish(cj, idx, query, &total, NULL))
				mail_progress_set(o->progress,
						  &o->progress->total, total);
		}
		mail_progress_stage(o->progress, MAIL_LOAD_READ);
		rd.cold = !from_cache;
		ret = mail_read_index(&rd, idx, query,
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
	if (need_count && !cj->started && !cj->done)
		mail_count_start(cj, mail_index_path(idx), query);
	mail_progress_stage(o->progress, MAIL_LOAD_GROUP);
	/* Where each record went, for the groups file. */
	if (o->cache_dir)
		grouped_alloc(&gr, m->store->recs.n);
	mail_group(&m->store->recs, rd.by_id, o->maintainers, m,
		   o->cache_dir ? &gr : NULL);
	if (need_count) {
		unsigned count = 0;

		ret = mail_count_finish(cj, idx, query, &count, err);
		if (ret)
			goto out;
		if (count != m->store->recs.n) {
			g_hash_table_remove_all(rd.by_id);
			vec_release(&rd.fresh, NULL);
			vec_release_str(&m->warnings);	/* said again */
			model_reset(m);
			rd.store = m->store;
			from_cache = 0;
			listing_current = 0;
			rd.read = 0;
			rd.cold = 1;
			ret = mail_read_index(&rd, idx, query, 0, err);
			if (ret)
				goto out;
			if (o->cache_dir)
				grouped_alloc(&gr, m->store->recs.n);
			mail_group(&m->store->recs, rd.by_id, o->maintainers,
				   m, o->cache_dir ? &gr : NULL);
		}
	}
	m->revision = rev;
	mail_progress_stage(o->progress, MAIL_LOAD_WRITE);
	if (o->cache_dir) {
		struct err werr = ERR_INIT;
		size_t appended = cr.appended + rd.fresh.n;
		int rewrite = !from_cache || cr.torn ||
			appended * MAIL_APPEND_MAX_SHARE > m->store->recs.n;
		int listing = from_cache != 2 || !listing_current;
		/*
		 * How the records file is after, for the groups file
		 * (current, from_cache 2, it read no fresh records).
		 */
		size_t rbase = rewrite ? m->store->recs.n : cr.base;
		size_t rappended = rewrite ? 0 : appended;

		line_at = xmalloc((m->pulls.n + m->series.n + 1) *
				  sizeof(*line_at));
		/* Where each record's line is: known when written whole. */
		if (from_cache != 2 && rewrite)
			rec_at = xmalloc((m->store->recs.n + 1) *
					 sizeof(*rec_at));
		if (fs_mkdir_p(cp.dir, &werr) ||
		    (from_cache != 2 && rewrite &&
		     mail_cache_write_records(cp.records, uuid, rev,
					      &m->store->recs, rec_at,
					      &werr)) ||
		    (from_cache != 2 && !rewrite &&
		     mail_cache_append_records(cp.records, rev, &rd.fresh,
					       &werr)) ||
		    (listing &&
		     (mail_cache_write_model(cp.listing, uuid, stamp, m,
					     line_at, &werr) ||
		      mail_groups_write_model(cp.groups, uuid, m,
					      &m->store->recs, rec_at, &gr,
					      line_at, cp.records, rbase,
					      rappended, cp.listing,
					      count_all(idx), &werr))))
			mail_warn(&m->warnings, "cache not written: %s",
				  werr.msg);
		/* A hint: one not written goes (see mail/private.h). */
		else if (from_cache != 2 &&
			 mail_cache_write_ids(cp.ids, &m->store->recs, NULL))
			unlink(cp.ids);
	}
	if (stats) {
		stats->messages = m->store->recs.n;
		stats->read = rd.read;
		stats->from_cache = from_cache;
		stats->walks = rd.walks;
		stats->parts = rd.parts;
		stats->counts = cj->counts;
	}
	*out = m;
	m = NULL;
	mail_progress_stage(o->progress, MAIL_LOAD_DONE);
out:
	mail_count_release(cj);
	if (cj != &own)
		free(cj);
	free(gr.place);
	free(gr.keys);
	free(line_at);
	free(rec_at);
	mail_model_free(m);
	g_hash_table_destroy(rd.by_id);
	vec_release(&rd.fresh, NULL);
	cache_paths_release(&cp);
	free(cr.uuid);
	mail_index_free(idx);
	return ret;
}

/*
 * The listing and records of an earlier revision made those of rev,
 * when what changed since was only tags: each message notmuch has
 * changed since is what the records file has of it, and none was
 * removed (the count).  Reading mail in a client that sets tags
 * changes the revision, and most often nothing else.  1 when done;
 * else, when keep is not NULL, *keep is the count taken (or still
 * being taken, or known: only new mail came) and the changed messages
 * read, for mail_update_listing() and mail_model_load(), which need
 * them too.
 */
static int catch_up(struct mail_index *idx, const struct mail_cache_files *cp,
		    const char *query, const char *uuid, unsigned long rev,
		    const char *stamp, struct mail_model_head **keep)
{
	struct mail_reading rd;
	struct mail_model_head *h;
	struct vec warnings = VEC_INIT;
	unsigned long was;
	size_t nmessages;
	unsigned changed = 0, count = 0, n = 0, changed_all = 0;
	int done = 0, held, read_ok, only_new;
	struct stat st;
	struct mail_count_job all;
	uint64_t nall_was = 0;

	if (mail_cache_listing_head(cp->listing, uuid, &was, &nmessages) ||
	    was >= rev)
		return 0;
	if (mail_index_count_changed(idx, query, was + 1, rev, &changed,
				     NULL) || changed > MAIL_UPDATE_MAX)
		return 0;
	h = head_new(mail_index_path(idx), query, uuid, rev, stamp);
	/* Every message of the database: beside, while the changed read. */
	memset(&all, 0, sizeof(all));
	mail_count_start(&all, h->db_path, "*");
	memset(&rd, 0, sizeof(rd));
	rd.store = mail_store_new();
	rd.by_id = mail_rec_table_new();
	rd.warnings = &warnings;
	mail_gmime_init();
	read_ok = !mail_read_index(&rd, idx, query, was, NULL);
	/*
	 * Only new mail (most often): the database has as many more
	 * messages as changed since (in it all, not only the query's),
	 * so none was removed and none there before changed.  Then the
	 * count of the query is what the listing had and the changed
	 * messages of the query: at a million messages, taking it is
	 * most of a second.  Else it is taken, beside.
	 */
	only_new = read_ok && !warnings.n &&
		!mail_groups_nall(cp->groups, uuid, was, &nall_was) &&
		nall_was != UINT64_MAX &&
		!mail_index_count_changed(idx, "*", was + 1, rev, &changed_all,
					  NULL);
	if (!mail_count_finish(&all, idx, "*", &n, NULL) &&
	    mail_count_of(&all, rev, uuid))
		h->nall = n;
	mail_count_release(&all);
	if (only_new && h->nall != UINT64_MAX &&
	    nall_was + changed_all == h->nall) {
		h->cj->count = (unsigned)(nmessages + rd.fresh.n);
		h->cj->done = 1;
		h->cj->rev = rev;
		snprintf(h->cj->uuid, sizeof(h->cj->uuid), "%s", uuid);
	} else {
		mail_count_start(h->cj, h->db_path, h->query);
	}
	/*
	 * New mail shows in the ids file (a message it does not know),
	 * before the records file is looked through to see it.
	 */
	held = read_ok && !warnings.n &&
		!mail_cache_ids_lack(cp->ids, &rd.fresh) &&
		mail_cache_records_hold(cp->records, was, &rd.fresh);
	/* New mail (most often): the build takes the count as it is. */
	if (held && !mail_count_finish(h->cj, idx, query, &count, NULL) &&
	    count == nmessages && !stat(cp->records, &st) &&
	    !mail_cache_records_advance(cp->records, rev, NULL) &&
	    !mail_cache_listing_advance(cp->listing, rev, stamp)) {
		struct stat rs;
		uint64_t lsize;

		done = 1;
		/* The groups file too, when it is there (mail/update.c). */
		if (!stat(cp->records, &rs) &&
		    !mail_cache_listing_size(cp->listing, &lsize))
			mail_groups_advance(cp->groups, uuid, was, rev,
					    (uint64_t)st.st_size,
					    (uint64_t)rs.st_size, lsize,
					    h->nall);
	}
	/* What was read, for mail_update_listing() (mail/update.c). */
	if (!done && read_ok && !warnings.n) {
		h->changed = xcalloc(1, sizeof(*h->changed));
		h->changed->was = was;
		h->changed->nmessages = nmessages;
		h->changed->nall = h->nall;
		h->changed->store = rd.store;
		h->changed->recs = rd.fresh;
		rd.store = NULL;
		memset(&rd.fresh, 0, sizeof(rd.fresh));
	}
	vec_release(&rd.fresh, NULL);
	vec_release_str(&warnings);
	g_hash_table_destroy(rd.by_id);
	mail_store_free(rd.store);
	if (!done && keep)
		*keep = h;
	else
		mail_model_head_free(h);
	return done;
}

int mail_model_load_cached(struct mail_model **out,
			   const struct mail_model_options *o, size_t limit,
			   struct mail_model_head **keep, struct err *err)
{
	const char *query = o->query ? o->query : MAIL_DEFAULT_QUERY;
	struct mail_index *idx = NULL;
	struct mail_cache_files cp;
	struct mail_model *m;
	const char *uuid;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	char head_stamp[MAIL_INDEX_STAMP_LEN + 1];
	struct mail_model_head *h = NULL;
	unsigned long rev;
	unsigned count = 0;
	int ret, served;

	if (keep)
		*keep = NULL;
	if (!o->cache_dir)
		return 0;
	ret = mail_index_open(&idx, o->db_path, 0, err);
	if (ret)
		return ret;
	rev = mail_index_revision(idx, &uuid);
	cache_paths_init(&cp, o->cache_dir, mail_index_path(idx), query);
	m = mail_model_new();
	mail_index_stamp(idx, stamp);
	served = !mail_cache_read_model(cp.listing, uuid, rev, limit,
					o->series_only, m, head_stamp, NULL);
	/*
	 * Stale: only tags changed, or new mail grouped in place with
	 * what it meets (mail/update.c), or the caller builds the model.
	 */
	if (!served && (catch_up(idx, &cp, query, uuid, rev, stamp, &h) ||
			(h && mail_update_listing(idx, &cp, query,
						  o->maintainers, uuid, rev,
						  stamp, h->cj, h->changed)))) {
		mail_model_free(m);
		m = mail_model_new();
		served = !mail_cache_read_model(cp.listing, uuid, rev, limit,
						o->series_only, m, head_stamp,
						NULL);
	}
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
	if (h) {	/* read again by a build, if one follows */
		mail_changed_free(h->changed);
		h->changed = NULL;
	}
	if (!served && keep)
		*keep = h;
	else
		mail_model_head_free(h);
	cache_paths_release(&cp);
	mail_index_free(idx);
	return ret;
}
