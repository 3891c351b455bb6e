/*
 * The series model's public face (mail/model.h): loading it, from the
 * cache when that is current, else by reading what changed
 * (mail/read.c) and grouping every record again (mail/group.c); and
 * looking things up in it.
 */
#include <glib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
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

struct cache_paths {
	char *dir, *records, *listing, *ids;
};

static void cache_paths_init(struct cache_paths *cp, const char *cache_dir,
			     const char *db, const char *query)
{
	cp->dir = cache_subdir(cache_dir, db, query);
	cp->records = path_join(cp->dir, "records");
	cp->listing = path_join(cp->dir, "series.jsonl");
	cp->ids = path_join(cp->dir, "ids");
}

static void cache_paths_release(struct cache_paths *cp)
{
	free(cp->dir);
	free(cp->records);
	free(cp->listing);
	free(cp->ids);
}

/*
 * Messages removed from the database show only in the count; it is
 * taken on a database handle of its own while the records load.
 */
struct count_job {
	char *db_path, *query;	/* copies: a job may outlive the handle */
	unsigned count;
	int ret;
	pthread_t thread;
	int started;		/* running, or to be joined */
	int done;		/* count is its answer */
	unsigned counts;	/* taken by this job's owner */
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
	j->db_path = xstrdup(db_path);
	j->query = xstrdup(query);
	j->counts++;
	j->started = !pthread_create(&j->thread, NULL, count_main, j);
}

/* The count, on this thread when none could start. */
static int count_finish(struct count_job *j, struct mail_index *idx,
			const char *query, unsigned *count, struct err *err)
{
	if (j->started) {
		pthread_join(j->thread, NULL);
		j->started = 0;
		j->done = !j->ret;
	}
	if (!j->done) {	/* none ran, or say why from this handle */
		j->counts++;
		return mail_index_count(idx, query, count, err);
	}
	*count = j->count;
	return 0;
}

static void count_release(struct count_job *j)
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
	struct count_job *cj;	/* its thread writes here: not moved */
};

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
	return h;
}

void mail_model_head_free(struct mail_model_head *h)
{
	if (!h)
		return;
	if (h->cj)
		count_release(h->cj);
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

/* Appended records past this share of the whole: write it again. */
#define APPEND_MAX_SHARE 4

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
	struct cache_paths cp = { NULL, NULL, NULL, NULL };
	struct mail_cache_records cr;
	struct count_job own, *cj = &own;
	struct mail_model *m;
	const char *uuid;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	unsigned long rev;
	int ret, from_cache = 0, listing_current = 0, need_count;

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
			if (!count_finish(cj, idx, query, &total, NULL))
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
		count_start(cj, mail_index_path(idx), query);
	mail_progress_stage(o->progress, MAIL_LOAD_GROUP);
	mail_group(&m->store->recs, rd.by_id, o->maintainers, m);
	if (need_count) {
		unsigned count = 0;

		ret = count_finish(cj, idx, query, &count, err);
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
			mail_group(&m->store->recs, rd.by_id, o->maintainers,
				   m);
		}
	}
	m->revision = rev;
	mail_progress_stage(o->progress, MAIL_LOAD_WRITE);
	if (o->cache_dir) {
		struct err werr = ERR_INIT;
		size_t appended = cr.appended + rd.fresh.n;
		int rewrite = !from_cache || cr.torn ||
			appended * APPEND_MAX_SHARE > m->store->recs.n;

		if (fs_mkdir_p(cp.dir, &werr) ||
		    (from_cache != 2 && rewrite &&
		     mail_cache_write_records(cp.records, uuid, rev,
					      &m->store->recs, &werr)) ||
		    (from_cache != 2 && !rewrite &&
		     mail_cache_append_records(cp.records, rev, &rd.fresh,
					       &werr)) ||
		    ((from_cache != 2 || !listing_current) &&
		     mail_cache_write_model(cp.listing, uuid, stamp, m,
					    &werr)))
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
		stats->counts = cj->counts;
	}
	*out = m;
	m = NULL;
	mail_progress_stage(o->progress, MAIL_LOAD_DONE);
out:
	count_release(cj);
	if (cj != &own)
		free(cj);
	mail_model_free(m);
	g_hash_table_destroy(rd.by_id);
	vec_release(&rd.fresh, NULL);
	cache_paths_release(&cp);
	free(cr.uuid);
	mail_index_free(idx);
	return ret;
}

/*
 * At most this many messages read again to see that only their tags
 * changed; more, and the model is built again (it reads them anyway).
 */
#define CATCH_UP_MAX 2000

/*
 * The listing and records of an earlier revision made those of rev,
 * when what changed since was only tags: each message notmuch has
 * changed since is what the records file has of it, and none was
 * removed (the count).  Reading mail in a client that sets tags
 * changes the revision, and most often nothing else.  1 when done;
 * else, when keep is not NULL, *keep is the count taken (or still
 * being taken) for mail_model_load(), which needs it too.
 */
static int catch_up(struct mail_index *idx, const struct cache_paths *cp,
		    const char *query, const char *uuid, unsigned long rev,
		    const char *stamp, struct mail_model_head **keep)
{
	struct mail_reading rd;
	struct mail_model_head *h;
	struct vec warnings = VEC_INIT;
	unsigned long was;
	size_t nmessages;
	unsigned changed = 0, count = 0;
	int done = 0, held;

	if (mail_cache_listing_head(cp->listing, uuid, &was, &nmessages) ||
	    was >= rev)
		return 0;
	if (mail_index_count_changed(idx, query, was + 1, rev, &changed,
				     NULL) || changed > CATCH_UP_MAX)
		return 0;
	/* The count of a big query is most of the time: it goes beside. */
	h = head_new(mail_index_path(idx), query, uuid, rev, stamp);
	count_start(h->cj, h->db_path, h->query);
	memset(&rd, 0, sizeof(rd));
	rd.store = mail_store_new();
	rd.by_id = mail_rec_table_new();
	rd.warnings = &warnings;
	mail_gmime_init();
	/*
	 * New mail shows in the ids file (a message it does not know),
	 * before the records file is looked through to see it.
	 */
	held = !mail_read_index(&rd, idx, query, was, NULL) && !warnings.n &&
		!mail_cache_ids_lack(cp->ids, &rd.fresh) &&
		mail_cache_records_hold(cp->records, was, &rd.fresh);
	/* New mail (most often): the build takes the count as it is. */
	if (held && !count_finish(h->cj, idx, query, &count, NULL) &&
	    count == nmessages &&
	    !mail_cache_records_advance(cp->records, rev, NULL) &&
	    !mail_cache_listing_advance(cp->listing, rev, stamp))
		done = 1;
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
	struct cache_paths cp;
	struct mail_model *m;
	const char *uuid;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
	char head_stamp[MAIL_INDEX_STAMP_LEN + 1];
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
	if (!served && catch_up(idx, &cp, query, uuid, rev, stamp, keep)) {
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
	cache_paths_release(&cp);
	mail_index_free(idx);
	return ret;
}
