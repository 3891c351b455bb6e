/*
 * The model's third cache file (mail/private.h), beside the records
 * (mail/cache_records.c) and the listing (mail/cache_listing.c):
 * groups, what lets an update group again only what new mail touches
 * (mail/update.c).
 *
 * A group is a series or a pull of the listing, or the records of one
 * thread that went into neither.  For each it keeps the keys its
 * records have (mail_rec_keys(): ids, parents, threads, titles, what
 * joins unthreaded patches), the ids of its records and where their
 * lines are in the records file (an update reads them there alone, not
 * the 350 MB file of a million messages), and where its line is in
 * the listing; and every key, sorted, with the groups that have it.
 * Grouping relates two records only through a key both have, so the
 * groups that share no key with new mail come out of a whole build as
 * they were.
 *
 * It is a binary file of fixed-size items, written whole and
 * atomically, read with mmap() (an update looks at a few pages of it).
 * Its header names the uuid, revision and sizes of the records and
 * listing it goes with; anything else, or a count that does not fit
 * the file, and it is not used (a whole build writes it again).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/xmalloc.h"

/* 4: where each member's line is in the records file */
#define GROUPS_MAGIC "vger-groups 4\n"
#define GROUPS_ENDIAN 0x01020304u

struct groups_head {
	char magic[16];
	uint32_t endian, ent_size;
	char uuid[64];
	uint64_t revision, records_size, listing_size, nmessages;
	uint64_t ngroups, nseries, npulls;
	uint64_t ngkeys, nmembers, nkeys, ndated;
	uint64_t nall;		/* messages in the database (query "*") */
	/* records in the records file's first segment, and after */
	uint64_t records_base, records_appended;
};

struct key_ent {
	uint64_t key;
	uint64_t group;
};

struct mail_groups {
	void *map;
	size_t size;
	const struct groups_head *h;
	const struct mail_group_ent *groups;
	const uint64_t *gkeys, *members;
	const struct key_ent *keys;
	const struct mail_group_dated *dated;
	const uint32_t *member_at;	/* last: 4 bytes each */
};

void mail_groups_close(struct mail_groups *gs)
{
	if (!gs)
		return;
	if (gs->map)
		munmap(gs->map, gs->size);
	free(gs);
}

/* Whether n items of size each fit in what is left of the file. */
static int fits(uint64_t n, size_t each, uint64_t *left)
{
	if (n > *left / each)
		return 0;
	*left -= n * each;
	return 1;
}

int mail_groups_open(struct mail_groups **out, const char *path,
		     const char *uuid, unsigned long revision,
		     uint64_t records_size, uint64_t listing_size)
{
	struct mail_groups *gs;
	struct stat st;
	uint64_t left;
	const char *p;
	int fd = fs_open_regular(path, O_RDONLY, NULL);

	if (fd < 0)
		return -1;
	gs = xcalloc(1, sizeof(*gs));
	if (fstat(fd, &st) || (uint64_t)st.st_size < sizeof(*gs->h))
		goto bad;
	gs->size = (size_t)st.st_size;
	gs->map = mmap(NULL, gs->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (gs->map == MAP_FAILED) {
		gs->map = NULL;
		goto bad;
	}
	gs->h = gs->map;
	left = gs->size - sizeof(*gs->h);
	if (!uuid)	/* any: its own header's */
		listing_size = gs->h->listing_size;
	if (memcmp(gs->h->magic, GROUPS_MAGIC, sizeof(GROUPS_MAGIC) - 1) ||
	    gs->h->endian != GROUPS_ENDIAN ||
	    gs->h->ent_size != sizeof(struct mail_group_ent) ||
	    (uuid && (strncmp(gs->h->uuid, uuid, sizeof(gs->h->uuid)) ||
		      gs->h->revision != revision ||
		      gs->h->records_size != records_size)) ||
	    gs->h->listing_size != listing_size ||
	    gs->h->nseries > gs->h->ngroups ||
	    gs->h->npulls > gs->h->ngroups - gs->h->nseries ||
	    !fits(gs->h->ngroups, sizeof(struct mail_group_ent), &left) ||
	    !fits(gs->h->ngkeys, sizeof(uint64_t), &left) ||
	    !fits(gs->h->nmembers, sizeof(uint64_t), &left) ||
	    !fits(gs->h->nkeys, sizeof(struct key_ent), &left) ||
	    !fits(gs->h->ndated, sizeof(struct mail_group_dated), &left) ||
	    !fits(gs->h->nmembers, sizeof(uint32_t), &left) || left)
		goto bad;
	p = (const char *)gs->map + sizeof(*gs->h);
	gs->groups = (const void *)p;
	p += gs->h->ngroups * sizeof(struct mail_group_ent);
	gs->gkeys = (const void *)p;
	p += gs->h->ngkeys * sizeof(uint64_t);
	gs->members = (const void *)p;
	p += gs->h->nmembers * sizeof(uint64_t);
	gs->keys = (const void *)p;
	p += gs->h->nkeys * sizeof(struct key_ent);
	gs->dated = (const void *)p;
	p += gs->h->ndated * sizeof(struct mail_group_dated);
	gs->member_at = (const void *)p;
	/*
	 * Each group's keys, members and dated asks follow the one
	 * before's (runs of groups are copied so, mail_groups_add_old()).
	 */
	for (uint64_t i = 0, k = 0, m = 0, d = 0; i < gs->h->ngroups; i++) {
		const struct mail_group_ent *g = &gs->groups[i];

		if (g->keys_at != k || g->nkeys > gs->h->ngkeys - k ||
		    g->members_at != m || g->nmembers > gs->h->nmembers - m ||
		    g->dated_at != d || g->ndated > gs->h->ndated - d ||
		    (i < gs->h->nseries + gs->h->npulls &&
		     (g->line_off > listing_size ||
		      g->line_len > listing_size - g->line_off)))
			goto bad;
		k += g->nkeys;
		m += g->nmembers;
		d += g->ndated;
	}
	close(fd);
	*out = gs;
	return 0;
bad:
	close(fd);
	mail_groups_close(gs);
	return -1;
}

size_t mail_groups_count(const struct mail_groups *gs)
{
	return (size_t)gs->h->ngroups;
}

size_t mail_groups_nseries(const struct mail_groups *gs)
{
	return (size_t)gs->h->nseries;
}

size_t mail_groups_npulls(const struct mail_groups *gs)
{
	return (size_t)gs->h->npulls;
}

size_t mail_groups_nmessages(const struct mail_groups *gs)
{
	return (size_t)gs->h->nmessages;
}

const struct mail_group_ent *mail_groups_at(const struct mail_groups *gs,
					    size_t i)
{
	return &gs->groups[i];
}

const uint64_t *mail_groups_keys(const struct mail_groups *gs,
				 const struct mail_group_ent *g)
{
	return gs->gkeys + g->keys_at;
}

const struct mail_group_dated *mail_groups_dated(
	const struct mail_groups *gs, const struct mail_group_ent *g)
{
	return gs->dated + g->dated_at;
}

const uint64_t *mail_groups_members(const struct mail_groups *gs,
				    const struct mail_group_ent *g)
{
	return gs->members + g->members_at;
}

const uint32_t *mail_groups_member_at(const struct mail_groups *gs,
				      const struct mail_group_ent *g)
{
	return gs->member_at + g->members_at;
}

void mail_groups_records(const struct mail_groups *gs, size_t *base,
			 size_t *appended)
{
	*base = (size_t)gs->h->records_base;
	*appended = (size_t)gs->h->records_appended;
}

void mail_groups_find(const struct mail_groups *gs, uint64_t key,
		      void (*found)(size_t group, void *data), void *data)
{
	size_t lo = 0, hi = (size_t)gs->h->nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gs->keys[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < gs->h->nkeys && gs->keys[lo].key == key; lo++)
		if (gs->keys[lo].group < gs->h->ngroups)
			found((size_t)gs->keys[lo].group, data);
}

int mail_groups_nall(const char *path, const char *uuid,
		     unsigned long revision, uint64_t *nall)
{
	struct groups_head h;
	int fd = fs_open_regular(path, O_RDONLY, NULL), ret = -1;

	if (fd < 0)
		return -1;
	if (pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    !memcmp(h.magic, GROUPS_MAGIC, sizeof(GROUPS_MAGIC) - 1) &&
	    h.endian == GROUPS_ENDIAN &&
	    !strncmp(h.uuid, uuid, sizeof(h.uuid)) && h.revision == revision) {
		*nall = h.nall;
		ret = 0;
	}
	close(fd);
	return ret;
}

int mail_groups_advance(const char *path, const char *uuid,
			unsigned long was, unsigned long revision,
			uint64_t records_was, uint64_t records_size,
			uint64_t listing_size, uint64_t nall)
{
	struct groups_head h;
	int fd = fs_open_regular(path, O_RDWR, NULL), ret = -1;

	if (fd < 0)
		return -1;
	if (pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    !memcmp(h.magic, GROUPS_MAGIC, sizeof(GROUPS_MAGIC) - 1) &&
	    h.endian == GROUPS_ENDIAN &&
	    !strncmp(h.uuid, uuid, sizeof(h.uuid)) &&
	    h.revision == was && h.records_size == records_was &&
	    h.listing_size == listing_size) {
		h.revision = revision;
		h.records_size = records_size;
		h.nall = nall;
		if (pwrite(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h))
			ret = 0;
	}
	close(fd);
	return ret;
}

/* ---- writing ---- */

/*
 * A groups file is written without holding it in memory: at a million
 * messages it is 60 MB, made after the model is built, at the peak of
 * a build.  The groups' entries are kept (80 bytes a group); their
 * asks, members and dated asks go to temporary files as each group is
 * added, and the table of keys to KEY_BUCKETS temporary files by the
 * top bits of each key, each sorted alone when the file is written.
 */
#define KEY_BUCKET_BITS 6
#define KEY_BUCKETS (1u << KEY_BUCKET_BITS)

struct mail_groups_out {
	struct mail_group_ent *groups;
	size_t ngroups, galloc;
	FILE *gkeys, *members, *dated;	/* temporary files */
	FILE *member_at;
	size_t ngkeys, nmembers, ndated;
	FILE *bucket[KEY_BUCKETS];	/* struct key_ent, unsorted */
	size_t nbucket[KEY_BUCKETS];
	size_t nkeys;
	const struct mail_groups *old;	/* its table, renumbered */
	const size_t *renumber;
	size_t nseries, npulls;
	uint64_t nall;
	size_t records_base, records_appended;
	int bad;			/* a temporary file failed */
	char *dir;			/* where they are made */
	/* a group's keys as they are emitted */
	uint64_t *tmp, *tmp_has;
	size_t ntmp, tmpalloc, ntmp_has, tmphasalloc;
	struct mail_group_dated *tdated;
	size_t ntdated, tdalloc;
	/*
	 * Old groups added one after another, [run_from, run_to) of the
	 * old file: their keys, members and dated asks follow each other
	 * there, and go to the temporary files at once (per group, half
	 * a million groups at a million messages took 0.07 s).
	 */
	const struct mail_groups *run_gs;
	size_t run_from, run_to;
};

struct mail_groups_out *mail_groups_out_new(const char *path,
					     size_t ngroups)
{
	struct mail_groups_out *o = xcalloc(1, sizeof(*o));
	const char *slash = strrchr(path, '/');

	/* Grown by doubling, the entries were copied 40 MB at a time. */
	o->galloc = ngroups;
	o->groups = ngroups ? xmalloc(ngroups * sizeof(*o->groups)) : NULL;
	o->dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) :
		xstrdup(".");
	return o;
}

static void close_tmp(FILE **f)
{
	if (*f)
		fclose(*f);
	*f = NULL;
}

void mail_groups_out_free(struct mail_groups_out *o)
{
	if (!o)
		return;
	free(o->groups);
	close_tmp(&o->gkeys);
	close_tmp(&o->members);
	close_tmp(&o->member_at);
	close_tmp(&o->dated);
	for (size_t b = 0; b < KEY_BUCKETS; b++)
		close_tmp(&o->bucket[b]);
	free(o->tmp);
	free(o->tmp_has);
	free(o->tdated);
	free(o->dir);
	free(o);
}

/* n items of size to temporary file *f (made on first use). */
static void put_tmp(struct mail_groups_out *o, FILE **f, const void *p,
		    size_t size, size_t n)
{
	if (!n || o->bad)
		return;
	if (!*f) {
		/*
		 * Beside the file (not in a /tmp that may be in memory);
		 * where unnamed files cannot be made there, in /tmp.
		 */
		int fd = open(o->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

		if (fd >= 0 && !(*f = fdopen(fd, "w+")))
			close(fd);
		if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR ||
			       errno == EINVAL))
			*f = tmpfile();
		if (!*f) {
			o->bad = 1;
			return;
		}
	}
	if (fwrite(p, size, n, *f) != n)
		o->bad = 1;
}

static int key_ent_less(const struct key_ent *x, const struct key_ent *y)
{
	return x->key != y->key ? x->key < y->key : x->group < y->group;
}

/*
 * The table of keys sorted in place: qsort() sorts a copy when it can
 * (glibc merges), which at a million messages was 30 MB more at the
 * peak of a build.  Quicksort, the smaller side first (a log2 n stack),
 * insertion sort under 16.
 */
static void key_ents_sort(struct key_ent *v, size_t n)
{
	while (n > 16) {
		struct key_ent pivot, t;
		size_t i = 0, j = n - 1, mid = n / 2;

		/* Median of three, in v[0] <= v[mid] <= v[n - 1]. */
		if (key_ent_less(&v[mid], &v[0]))
			t = v[mid], v[mid] = v[0], v[0] = t;
		if (key_ent_less(&v[n - 1], &v[0]))
			t = v[n - 1], v[n - 1] = v[0], v[0] = t;
		if (key_ent_less(&v[n - 1], &v[mid]))
			t = v[n - 1], v[n - 1] = v[mid], v[mid] = t;
		pivot = v[mid];
		for (;;) {
			while (key_ent_less(&v[i], &pivot))
				i++;
			while (key_ent_less(&pivot, &v[j]))
				j--;
			if (i >= j)
				break;
			t = v[i], v[i] = v[j], v[j] = t;
			i++;
			j--;
		}
		/* v[0..j] <= pivot <= v[j + 1..n - 1] */
		if (j + 1 < n - j - 1) {
			key_ents_sort(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			key_ents_sort(v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct key_ent t = v[i];
		size_t j = i;

		for (; j > 0 && key_ent_less(&t, &v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/* Sort and drop repeats; how many are left. */
static size_t sort_unique(uint64_t *v, size_t n)
{
	size_t j = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), u64_cmp);
	for (size_t i = 0; i < n; i++)
		if (!j || v[j - 1] != v[i])
			v[j++] = v[i];
	return j;
}

static int dated_cmp(const void *a, const void *b)
{
	const struct mail_group_dated *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->how != y->how)
		return x->how < y->how ? -1 : 1;
	return x->when < y->when ? -1 : x->when > y->when;
}

static void emit_tmp(uint64_t key, unsigned how, int64_t when, void *data)
{
	struct mail_groups_out *o = data;

	/*
	 * An ask for what is later (a patch's, for the pulls and notices
	 * naming its title) is made again by grouping (mail/update.c),
	 * which knows then whether new mail touched its posting.
	 */
	if (how & MAIL_KEY_LATER)
		;
	else if ((how & MAIL_KEY_ASKS) && (how & MAIL_KEY_EARLIER)) {
		ALLOC_GROW(o->tdated, o->ntdated + 1, o->tdalloc);
		o->tdated[o->ntdated++] = (struct mail_group_dated){
			key, when, MAIL_KEY_EARLIER };
	} else if (how & MAIL_KEY_ASKS) {
		ALLOC_GROW(o->tmp, o->ntmp + 1, o->tmpalloc);
		o->tmp[o->ntmp++] = key;
	}
	if (how & MAIL_KEY_HAS) {
		ALLOC_GROW(o->tmp_has, o->ntmp_has + 1, o->tmphasalloc);
		o->tmp_has[o->ntmp_has++] = key;
	}
}

/* The old groups added but not yet copied, copied. */
static void flush_old(struct mail_groups_out *o)
{
	const struct mail_groups *gs = o->run_gs;
	const struct mail_group_ent *a, *z;

	if (!gs || o->run_from == o->run_to)
		return;
	a = &gs->groups[o->run_from];
	z = &gs->groups[o->run_to - 1];
	put_tmp(o, &o->gkeys, gs->gkeys + a->keys_at, sizeof(uint64_t),
		z->keys_at + z->nkeys - a->keys_at);
	put_tmp(o, &o->members, gs->members + a->members_at,
		sizeof(uint64_t), z->members_at + z->nmembers - a->members_at);
	put_tmp(o, &o->member_at, gs->member_at + a->members_at,
		sizeof(uint32_t), z->members_at + z->nmembers - a->members_at);
	put_tmp(o, &o->dated, gs->dated + a->dated_at,
		sizeof(struct mail_group_dated),
		z->dated_at + z->ndated - a->dated_at);
	o->run_from = o->run_to = 0;
}

static struct mail_group_ent *add_group(struct mail_groups_out *o,
					const struct mail_group_ent *like)
{
	struct mail_group_ent *g;

	ALLOC_GROW(o->groups, o->ngroups + 1, o->galloc);
	g = &o->groups[o->ngroups++];
	*g = *like;
	g->keys_at = o->ngkeys;
	g->members_at = o->nmembers;
	g->dated_at = o->ndated;
	g->nkeys = g->nmembers = g->ndated = 0;
	return g;
}

static size_t key_bucket(uint64_t key)
{
	return (size_t)(key >> (64 - KEY_BUCKET_BITS));
}

/* Record id among recs[idx[0..n)], or NULL. */
static const struct mail_rec *member(const struct vec *recs,
				     const uint32_t *idx, size_t n,
				     GHashTable *by_id, const char *id)
{
	if (by_id)
		return g_hash_table_lookup(by_id, id);
	for (size_t i = 0; i < n; i++) {
		const struct mail_rec *r = recs->items[idx[i]];

		if (!strcmp(r->id, id))
			return r;
	}
	return NULL;
}

/* The keys its versions are linked by, of each version of series s. */
static void version_keys(struct mail_groups_out *o,
			 const struct mail_series *s, const struct vec *recs,
			 const uint32_t *idx, size_t n)
{
	GHashTable *by_id = NULL;

	if (n > 64) {
		by_id = g_hash_table_new(g_str_hash, g_str_equal);
		for (size_t i = 0; i < n; i++) {
			struct mail_rec *r = recs->items[idx[i]];

			g_hash_table_insert(by_id, r->id, r);
		}
	}
	for (size_t i = 0; i < s->versions.n; i++) {
		const struct mail_version *v = s->versions.items[i];
		const struct mail_rec *head = member(recs, idx, n, by_id,
						     v->message_id);

		if (!head)
			continue;
		mail_posting_keys(head, head, emit_tmp, o);
		for (size_t j = 0; j < v->patches.n; j++) {
			const struct mail_patch *mp = v->patches.items[j];
			const struct mail_rec *r = member(recs, idx, n, by_id,
							  mp->message_id);

			if (r && r != head)
				mail_posting_keys(head, r, emit_tmp, o);
		}
	}
	if (by_id)
		g_hash_table_destroy(by_id);
}

void mail_groups_add_records(struct mail_groups_out *o,
			     const struct mail_group_ent *like,
			     const struct vec *recs, const uint32_t *at,
			     const uint32_t *idx, size_t n,
			     const struct mail_series *s)
{
	struct mail_group_ent *g;
	size_t nk, nd = 0;

	flush_old(o);
	g = add_group(o, like);
	o->ntmp = o->ntmp_has = o->ntdated = 0;
	g->first = INT64_MAX;
	g->last = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		const struct mail_rec *r = recs->items[idx[i]];
		uint64_t id = mail_key_id(r->id, strlen(r->id));
		uint32_t where = at ? at[idx[i]] : MAIL_AT_NONE;

		mail_rec_keys(r, emit_tmp, o);
		if ((int64_t)r->date < g->first)
			g->first = (int64_t)r->date;
		if ((int64_t)r->date > g->last)
			g->last = (int64_t)r->date;
		put_tmp(o, &o->members, &id, sizeof(id), 1);
		put_tmp(o, &o->member_at, &where, sizeof(where), 1);
	}
	o->nmembers += n;
	g->nmembers = (uint32_t)n;
	if (s)
		version_keys(o, s, recs, idx, n);
	/* What it has goes in the table of keys (sorted when written). */
	nk = sort_unique(o->tmp_has, o->ntmp_has);
	for (size_t k = 0; k < nk; k++) {
		struct key_ent e = { o->tmp_has[k], o->ngroups - 1 };
		size_t b = key_bucket(e.key);

		put_tmp(o, &o->bucket[b], &e, sizeof(e), 1);
		o->nbucket[b]++;
	}
	o->nkeys += nk;
	nk = sort_unique(o->tmp, o->ntmp);
	put_tmp(o, &o->gkeys, o->tmp, sizeof(*o->tmp), nk);
	o->ngkeys += nk;
	g->nkeys = (uint32_t)nk;
	/* Its dated asks, one of each (key, how, when). */
	if (o->ntdated > 1)	/* NULL when none was asked */
		qsort(o->tdated, o->ntdated, sizeof(*o->tdated), dated_cmp);
	for (size_t k = 0; k < o->ntdated; k++)
		if (!nd || dated_cmp(&o->tdated[nd - 1], &o->tdated[k]))
			o->tdated[nd++] = o->tdated[k];
	put_tmp(o, &o->dated, o->tdated, sizeof(*o->tdated), nd);
	o->ndated += nd;
	g->ndated = (uint32_t)nd;
}

size_t mail_groups_count_out(const struct mail_groups_out *o)
{
	return o->ngroups;
}

void mail_groups_add_old(struct mail_groups_out *o,
			 const struct mail_groups *gs, size_t i,
			 uint64_t line_off, uint32_t line_len)
{
	const struct mail_group_ent *old = &gs->groups[i];
	struct mail_group_ent *g = add_group(o, old);

	g->line_off = line_off;
	g->line_len = line_len;
	/*
	 * Copied with the run of old groups it follows (the file
	 * checked when opened that each group's items follow the one
	 * before's).
	 */
	if (o->run_gs != gs || o->run_to != i || o->run_from == o->run_to) {
		flush_old(o);
		o->run_gs = gs;
		o->run_from = i;
	}
	o->run_to = i + 1;
	o->ngkeys += old->nkeys;
	g->nkeys = old->nkeys;
	o->nmembers += old->nmembers;
	g->nmembers = old->nmembers;
	o->ndated += old->ndated;
	g->ndated = old->ndated;
}

void mail_groups_set_counts(struct mail_groups_out *o, size_t nseries,
			    size_t npulls, uint64_t nall)
{
	o->nseries = nseries;
	o->npulls = npulls;
	o->nall = nall;
}

void mail_groups_set_records(struct mail_groups_out *o, size_t base,
			     size_t appended)
{
	o->records_base = base;
	o->records_appended = appended;
}

void mail_groups_invert_merge(struct mail_groups_out *o,
			      const struct mail_groups *gs,
			      const size_t *renumber)
{
	o->old = gs;
	o->renumber = renumber;
}

/* A temporary file's whole content to out; 0, or -1. */
static int copy_tmp(FILE *f, FILE *out, size_t bytes)
{
	char buf[1 << 16];
	size_t n;

	if (!f)
		return bytes ? -1 : 0;
	if (fflush(f) || fseek(f, 0, SEEK_SET))
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (n > bytes || fwrite(buf, 1, n, out) != n)
			return -1;
		bytes -= n;
	}
	return bytes || ferror(f) ? -1 : 0;
}

/*
 * The table of keys, bucket by bucket: the keys of the groups added,
 * sorted, merged with the old table's of that bucket (a run of it:
 * it is sorted) whose groups are still there, renumbered.  How many
 * were written; (size_t)-1 on a failure.
 */
static size_t write_keys(struct mail_groups_out *o, FILE *out)
{
	const struct key_ent *ok = o->old ? o->old->keys : NULL;
	size_t nold = o->old ? (size_t)o->old->h->nkeys : 0, i = 0, n = 0;
	/* Written a run at a time: two million fwrite()s were 0.1 s. */
	struct key_ent run[4096];
	size_t nrun = 0;

	for (size_t b = 0; b < KEY_BUCKETS; b++) {
		size_t nb = o->nbucket[b], j = 0;
		struct key_ent *v = xmalloc((nb ? nb : 1) * sizeof(*v));

		if (nb && (!o->bucket[b] || fflush(o->bucket[b]) ||
			   fseek(o->bucket[b], 0, SEEK_SET) ||
			   fread(v, sizeof(*v), nb, o->bucket[b]) != nb)) {
			free(v);
			return (size_t)-1;
		}
		key_ents_sort(v, nb);
		while (j < nb || (i < nold && key_bucket(ok[i].key) == b)) {
			int theirs = i < nold &&
				key_bucket(ok[i].key) == b;

			if (j < nb && (!theirs || v[j].key < ok[i].key)) {
				run[nrun++] = v[j++];
			} else {
				uint64_t g = ok[i++].group;

				if (g >= o->old->h->ngroups ||
				    o->renumber[g] == (size_t)-1)
					continue;
				run[nrun].key = ok[i - 1].key;
				run[nrun++].group = o->renumber[g];
			}
			n++;
			if (nrun == sizeof(run) / sizeof(run[0])) {
				size_t w = fwrite(run, sizeof(*run), nrun, out);

				if (w != nrun) {
					free(v);
					return (size_t)-1;
				}
				nrun = 0;
			}
		}
		free(v);
	}
	if (nrun && fwrite(run, sizeof(*run), nrun, out) != nrun)
		return (size_t)-1;
	return n;
}

int mail_groups_write(struct mail_groups_out *o, const char *path,
		      const char *uuid, unsigned long revision,
		      uint64_t records_size, uint64_t listing_size,
		      size_t nmessages, struct fs_atomic *held,
		      struct err *err)
{
	struct groups_head h;
	struct fs_atomic out;
	size_t nkeys;
	int ret;

	flush_old(o);
	if (o->bad)
		return err_set(err, ERR_IO, "%s: a temporary file failed: %s",
			       path, strerror(errno));
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GROUPS_MAGIC, sizeof(GROUPS_MAGIC) - 1);
	h.endian = GROUPS_ENDIAN;
	h.ent_size = sizeof(struct mail_group_ent);
	snprintf(h.uuid, sizeof(h.uuid), "%s", uuid);
	h.revision = revision;
	h.records_size = records_size;
	h.listing_size = listing_size;
	h.nmessages = nmessages;
	h.ngroups = o->ngroups;
	h.nseries = o->nseries;
	h.npulls = o->npulls;
	h.ngkeys = o->ngkeys;
	h.nmembers = o->nmembers;
	h.ndated = o->ndated;
	h.nall = o->nall;
	h.records_base = o->records_base;
	h.records_appended = o->records_appended;
	ret = fs_atomic_begin(&out, path, err);
	if (ret)
		return ret;
	out.nosync = 1;	/* read back checked: its counts and sizes */
	/* The header again once the table's count is known. */
	fwrite(&h, sizeof(h), 1, out.f);
	if (o->ngroups)	/* none in an empty database: NULL */
		fwrite(o->groups, sizeof(*o->groups), o->ngroups, out.f);
	if (copy_tmp(o->gkeys, out.f, o->ngkeys * sizeof(uint64_t)) ||
	    copy_tmp(o->members, out.f, o->nmembers * sizeof(uint64_t)) ||
	    (nkeys = write_keys(o, out.f)) == (size_t)-1 ||
	    copy_tmp(o->dated, out.f,
		     o->ndated * sizeof(struct mail_group_dated)) ||
	    copy_tmp(o->member_at, out.f, o->nmembers * sizeof(uint32_t))) {
		fs_atomic_abort(&out);
		return err_set(err, ERR_IO, "%s: a temporary file failed",
			       path);
	}
	h.nkeys = nkeys;
	if (fseek(out.f, 0, SEEK_SET) || fwrite(&h, sizeof(h), 1, out.f) != 1 ||
	    fflush(out.f)) {
		fs_atomic_abort(&out);
		return err_set(err, ERR_IO, "write %s: %s", path,
			       strerror(errno));
	}
	if (held) {
		*held = out;	/* written, to commit or abort: the caller's */
		return 0;
	}
	return fs_atomic_commit(&out, err);
}
