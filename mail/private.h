/*
 * Shared inside mail/ only: the per-message records the model is built
 * from, the cache that keeps them, reading and grouping them; what the
 * files of sending share; GMime's side of the address parser.
 */
#ifndef MAIL_PRIVATE_H
#define MAIL_PRIVATE_H

#include <glib.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "mail/classify.h"
#include "mail/model.h"
#include "mail/send.h"
#include "mail/subject.h"
#include "util/arena.h"
#include "util/vec.h"

struct err;
struct mail_grouped;
struct mail_index;
struct sbuf;
struct fs_atomic;

/*
 * What a patchwork-bot notice or a pull request says: fewer records
 * still than have a mail_rec_more.
 */
struct mail_rec_notice {
	/* patchwork-bot notice */
	char *applied_to, *applied_by;
	/*
	 * struct mail_botitem *: what was applied, with only index,
	 * title and commit (NULL when none) set.
	 */
	struct vec bot_items;
	/* pull request */
	char *pull_target;
	struct vec shortlog;	/* char *: commit titles */

	/* derived */
	struct vec shortlog_n;	/* char *: shortlog titles, normalised */
	struct vec bot_n;	/* char *: bot_items' titles, normalised */
};

/*
 * What few records have: a review trailer or a pw-bot word (a reply),
 * links to earlier postings (a cover letter), a notice's facts.
 * Apart, so that the many records without any are smaller (a model
 * holds a million records).
 */
struct mail_rec_more {
	/*
	 * Arrays in the store's arena, not vectors: at a million messages
	 * the vectors' own arrays and sizes were 24 MB of a build's peak.
	 */
	struct mail_given *given;	/* ngiven, message_id = id */
	char **refs;		/* nrefs message ids a cover letter links */
	char *pwbot;		/* pw-bot word, or NULL */
	struct mail_rec_notice *notice;	/* or NULL */
	unsigned ngiven, nrefs;
};

/*
 * What the model keeps of one message.  The first block comes from
 * notmuch and the message file and is what the cache stores; the
 * second is derived again at every load.  Every string and every
 * struct mail_given lives in the model's store (its arena, or its
 * GStringChunks of names): nothing in a record is freed on its own.
 */
struct mail_rec {
	char *id, *thread, *parent, *subject, *from_name, *from_email;
	time_t date;
	struct mail_rec_more *more;	/* NULL when it has none */

	/* derived */
	struct mail_subject subj;	/* strings in the store too */
	/*
	 * Normalised title, of covers and patches only (the others need
	 * none): NULL until mail_rec_ntitle() makes it.
	 */
	char *ntitle;
	struct mail_rec *parent_rec;	/* the record of parent, if any */
	struct mail_posting *posting;
	unsigned id_hash;	/* g_str_hash() of id */
	unsigned patch_index:20;	/* < 100,000: mail/subject.c */
	unsigned fresh:1;	/* read from notmuch this time */
	/*
	 * parent (and ntitle, read from the records cache) are in the
	 * store's arenas that last only while records are grouped.
	 */
	unsigned scratch:1;
	/*
	 * A bot notice that looked its postings up by title, in the
	 * last grouping (mail_rec_keys()).
	 */
	unsigned titled:1;
	enum mail_what what:8;	/* mail_classify_facts() of the record */
};

/* r's rare fields: all empty when it has none (never written to). */
const struct mail_rec_more *mail_rec_more(const struct mail_rec *r);
/* r's rare fields to fill, made in a when it has none yet. */
struct mail_rec_more *mail_rec_more_make(struct mail_rec *r,
					 struct arena *a);
/* The same for a notice's or a pull's facts. */
const struct mail_rec_notice *mail_rec_notice(const struct mail_rec *r);
struct mail_rec_notice *mail_rec_notice_make(struct mail_rec *r,
					     struct arena *a);
/*
 * ids (char *, none NULL) as the message ids r's cover letter links:
 * an array in a, the strings as they are.  Nothing when ids is empty.
 */
void mail_rec_set_refs(struct mail_rec *r, const struct vec *ids,
		       struct arena *a);

/* A table of records by id, hashed once when a record is made. */
GHashTable *mail_rec_table_new(void);
struct mail_rec *mail_rec_lookup(GHashTable *t, const char *id,
				 unsigned hash);
/*
 * Drop the records of recs that an id already had (a later segment of
 * the records cache changed them): the later one takes the earlier's
 * place.  by_id gets every record left.
 */
void mail_rec_dedup(struct vec *recs, GHashTable *by_id);

/*
 * What a model's strings and objects live in: one arena (with what
 * records copied from the records cache as it was read) and the
 * records the model was grouped from.
 */
struct mail_store {
	struct arena arena;
	struct vec recs;	/* struct mail_rec * */
	GHashTable *by_id;	/* id -> record, built on first use */
	/*
	 * GStringChunk *: authors' names and addresses and subjects'
	 * trees, each kept once (a million records have a few thousand)
	 * by each thread that walked notmuch.
	 */
	struct vec names;
	/*
	 * What records need only while they are grouped: their parents'
	 * ids (most are another record's id; mail_group() releases them
	 * once each record has its parent) and the normalised titles
	 * read from the records cache (only a posting's head keeps its
	 * own; released once postings have theirs).  At a million
	 * messages they are 40 and 35 MB, at the peak of a build.
	 */
	struct arena parents, titles;
};

/* s (or NULL) kept once in *names (made on first use). */
char *mail_name_keep(GStringChunk **names, const char *s);

struct mail_store *mail_store_new(void);
void mail_store_free(struct mail_store *st);
/* Free what a record holds outside the store (its vectors' arrays). */
void mail_rec_release(struct mail_rec *r);
/*
 * What a record is (mail/classify.h), from its parsed subject and the
 * facts its body gave: review trailers or a pw-bot word, a notice.
 */
void mail_rec_classify(struct mail_rec *r);
/*
 * Parse subject, classify; call after a record is read (its strings go
 * in a, its tree in names).
 */
void mail_rec_derive(struct mail_rec *r, struct arena *a,
		     GStringChunk **names);
/* r's normalised title, made in a the first time. */
const char *mail_rec_ntitle(struct mail_rec *r, struct arena *a);
/* r's normalised title made anew, whether kept or not; free() it. */
char *mail_rec_ntitle_new(const struct mail_rec *r);
/* Normalise the titles of a shortlog and bot notice; after the body. */
void mail_rec_derive_body(struct mail_rec *r, struct arena *a);

/*
 * Where a record's line starts in the records file, as the groups file
 * keeps it for each member (the file is at most 2 GB, CACHE_MAX), or
 * MAIL_AT_NONE when not known.
 */
#define MAIL_AT_NONE UINT32_MAX

/*
 * The record cache: one line per message, and what changed since
 * appended to it in segments.  at (NULL, or recs->n items) gets where
 * each line starts.
 */
int mail_cache_write_records(const char *path, const char *uuid,
			     unsigned long revision, const struct vec *recs,
			     uint32_t *at, struct err *err);
/*
 * The segment of records rs as revision, formatted into sb (empty; at,
 * NULL or rs->n items: where each line will be in the file once sb is
 * appended at from), and appended to the file at path in one write.
 */
void mail_cache_records_segment(struct sbuf *sb, unsigned long revision,
				const struct vec *rs, uint64_t from,
				uint32_t *at);
int mail_cache_append_segment(const char *path, const struct sbuf *seg,
			      struct err *err);
/* Append the records rs (changed since the cache's revision) as rev. */
int mail_cache_append_records(const char *path, unsigned long revision,
			      const struct vec *rs, struct err *err);

/*
 * A segment of no records: the file is current at revision (what
 * changed since it was did not change what it holds).
 */
int mail_cache_records_advance(const char *path, unsigned long revision,
			       struct err *err);
/*
 * Whether the file is whole, at revision, and has each of recs as it
 * is (the latest line of its id is what writing it now would write):
 * then reading them again changed nothing, only their tags.  Only the
 * ids of the file are read, no record is parsed.
 */
int mail_cache_records_hold(const char *path, unsigned long revision,
			    const struct vec *recs);
/* How many files mail_cache_records_hold() looked through (for tests). */
extern unsigned long mail_cache_hold_walks;
/*
 * The ids file beside the records: the hash of every record's id
 * (id_hash).  Only a hint, written with the records: a message read
 * again whose id's hash is not there is new mail, and the records need
 * not be looked through to see that only tags changed.  Missing,
 * damaged or behind the records, it is not used, or costs that look.
 */
int mail_cache_write_ids(const char *path, const struct vec *recs,
			 struct err *err);
/* The hashes of recs' ids added to a whole ids file. */
int mail_cache_ids_add(const char *path, const struct vec *recs,
		       struct err *err);
/* 1 when the file is whole and lacks the hash of one of recs' ids. */
int mail_cache_ids_lack(const char *path, const struct vec *recs);

/* Whether the records file would have the same line for a and b. */
int mail_cache_record_same(const struct mail_rec *a,
			   const struct mail_rec *b);
/*
 * The records whose ids' keys (mail_key_id()) are among ids (sorted),
 * as the file has them (an id changed twice is there twice, the later
 * after), into st, and where each is into at; with the revision of the
 * file and how many records its first segment and those after hold.
 * 0, or -1 when the file is not whole or one of them does not parse.
 */
int mail_cache_read_members(const char *path, const uint64_t *ids,
			    size_t nids, struct mail_store *st,
			    struct vec_u32 *at, unsigned long *revision,
			    size_t *base, size_t *appended);
/* A record wanted: the key of its id, where its line is. */
struct mail_member {
	uint64_t id;
	uint32_t at;
};
/*
 * The records at the places want[0..n) say (ascending), read there
 * alone into st, and where each is into at: 0, or -1 when one is not
 * a whole record line of that id.  (An update reads a few thousand
 * records of a file of 350 MB at a million messages.)
 */
int mail_cache_read_at(const char *path, const struct mail_member *want,
		       size_t n, struct mail_store *st, struct vec_u32 *at);

struct mail_cache_records {
	char *uuid;
	unsigned long revision;	/* of the last whole segment */
	size_t base;		/* records in the first segment */
	size_t appended;	/* records in the segments after it */
	int torn;		/* a segment was cut short: rewrite */
};

/*
 * Read records into st (what they keep copied into st's arena and
 * names; the file is read in blocks of mail_cache_block_size bytes);
 * later segments come after earlier ones in st->recs,
 * a record changed twice is there twice.  0, or < 0 when missing,
 * corrupt or of another format (the caller rebuilds).
 */
int mail_cache_read_records(const char *path, struct mail_store *st,
			    struct mail_cache_records *out, struct err *err);
/*
 * The records file is read in blocks of this many bytes (tests lower
 * it: lines cut by a block's end, a line longer than a block).
 */
extern size_t mail_cache_block_size;
/* A model with an empty store. */
struct mail_model *mail_model_new(void);
/* Free a series' or pull's vectors (what is not in the store). */
void mail_series_release(struct mail_series *s);
void mail_pullreq_release(struct mail_pullreq *p);

/*
 * The listing cache: the model's series and pulls, one JSON per line;
 * line_at (NULL, or pulls + series + 1 items) gets where each line
 * starts in the file, pulls first, and where the last ends.
 */
int mail_cache_write_model(const char *path, const char *uuid,
			   const char *stamp, const struct mail_model *m,
			   uint64_t *line_at, struct err *err);
/* A line of the old listing kept as it is, where it is there. */
struct mail_listing_keep {
	uint64_t off;
	uint32_t len;		/* with its newline */
	int64_t sort;		/* last activity of a series, a pull's date */
};

/*
 * The pull requests on lines k[0..n) of the listing at path, pushed to
 * out (made in a; their vectors to release): 0, or -1 when one does
 * not read.
 */
int mail_cache_listing_pulls(const char *path,
			     const struct mail_listing_keep *k, size_t n,
			     struct arena *a, struct vec *out);
/*
 * The listing written again: the kept lines of the old one (pulls and
 * series, each in the listing's order) and the series and pulls of m
 * (sorted as a model is), merged in the order a whole build gives;
 * gone: where the old one's other lines are (each line of the old one
 * is kept or gone).  Most often only a patch beside the listing is
 * written (mail/cache_listing.c); *whole says when the listing was
 * written whole instead (its patch to drop once it is committed).
 * lines gets where each line is (off and len), line_from where it came
 * from: a kept line by its place in pulls or series, one of m as that
 * many plus its place in m's; *size what mail_cache_listing_size()
 * will say.  nmessages goes in the header.  With held, the file is
 * left written under its temporary name, for the caller to commit or
 * abort (fs_atomic_commit(), fs_atomic_abort()).
 */
int mail_cache_write_merged(const char *path, const char *uuid,
			    const char *stamp, unsigned long revision,
			    size_t nmessages,
			    const struct mail_listing_keep *pulls, size_t npulls,
			    const struct mail_listing_keep *series,
			    size_t nseries, const uint64_t *gone, size_t ngone,
			    const struct mail_model *m,
			    struct mail_listing_keep *lines, size_t *line_from,
			    uint64_t *size, int *whole,
			    struct fs_atomic *held, struct err *err);
/*
 * The size of the listing at path with its patch (where its lines are
 * counted, see mail/cache_listing.c): 0, or -1 when there is none.
 */
int mail_cache_listing_size(const char *path, uint64_t *size);
/* Remove the listing's patch (after the listing was written whole). */
void mail_cache_listing_drop_patch(const char *path);
/* A patch is written whole, not as a patch, only past this many bytes. */
extern size_t mail_cache_patch_min;
/* The cache's files of one (database, query). */
struct mail_cache_files {
	char *dir, *records, *listing, *ids, *groups;
};

/*
 * At most this many messages changed for the cached listing to be
 * brought up to date; more, and the model is built again (reading them
 * is most of its time anyway).
 */
#define MAIL_UPDATE_MAX 5000

/* Appended records past this share of the whole: write it again. */
#define MAIL_APPEND_MAX_SHARE 4

/*
 * Counting a query on a database handle and thread of its own (a big
 * one takes long, and a removed message shows only in the count):
 * started, then finished (its count; counted on this handle, saying
 * why, when none could start or it failed), then released.
 */
struct mail_count_job {
	char *db_path, *query;	/* copies: a job may outlive the handle */
	unsigned count;
	int ret;
	pthread_t thread;
	int started;		/* running, or to be joined */
	int done;		/* count is its answer */
	unsigned counts;	/* taken by this job's owner */
	unsigned long rev;	/* the count is of this revision, */
	char uuid[64];		/* of this database */
};

void mail_count_start(struct mail_count_job *j, const char *db_path,
		      const char *query);
int mail_count_finish(struct mail_count_job *j, struct mail_index *idx,
		      const char *query, unsigned *count, struct err *err);
void mail_count_release(struct mail_count_job *j);
/*
 * Whether a finished count is of that revision of that database (its
 * handle may have been opened after more mail came, or some went).
 */
int mail_count_of(const struct mail_count_job *j, unsigned long rev,
		  const char *uuid);
/* How many counts were started (for tests). */
extern unsigned long mail_count_jobs;

/*
 * The messages changed since revision was, as read from notmuch (the
 * records in store), when the cached path read them already.
 */
struct mail_changed {
	unsigned long was;
	size_t nmessages;	/* the listing's, at was */
	uint64_t nall;		/* messages in the database at the revision */
	struct mail_store *store;
	struct vec recs;	/* struct mail_rec * */
};
void mail_changed_free(struct mail_changed *c);
/* How many pulls updates kept as they were (for tests). */
extern unsigned long mail_update_pinned;
/*
 * How many times updates read the records of the groups taken where
 * the groups file says they are, and found one was not (for tests).
 */
extern unsigned long mail_update_read_at, mail_update_misplaced;

/*
 * Bring the listing of cf, of an earlier revision, to rev without
 * grouping every record (mail/update.c), from what mail/model.c's look
 * at the changed mail read (ch, whose store and records it takes) and
 * the count it started or knows (cj): 1 when done, 0 when the caller
 * must build the model.
 */
int mail_update_listing(struct mail_index *idx,
			const struct mail_cache_files *cf, const char *query,
			const char *const *maintainers, const char *uuid,
			unsigned long rev, const char *stamp,
			struct mail_count_job *cj, struct mail_changed *ch);
/*
 * The groups file of a whole model: recs as grouped (in that order),
 * where each is in the records file (rec_at, or NULL: not known), and
 * what mail_group() said of them (gr), line_at where the listing's
 * lines start (and its end), the records (of so many records in its
 * first segment and after) and listing files as written.
 */
int mail_groups_write_model(const char *path, const char *uuid,
			    const struct mail_model *m, const struct vec *recs,
			    const uint32_t *rec_at,
			    const struct mail_grouped *gr,
			    const uint64_t *line_at,
			    const char *records, size_t records_base,
			    size_t records_appended, const char *listing,
			    uint64_t nall, struct err *err);

/* ---- the groups file (mail/cache_groups.c) ---- */

/* A group: a series or pull of the listing, or a thread's other mail. */
struct mail_group_ent {
	uint64_t keys_at, members_at;	/* its keys' and ids' places */
	uint64_t dated_at;		/* its asks with a date's */
	uint32_t nkeys, nmembers, ndated, kind;	/* kind: MAIL_GROUP_* */
	int64_t sort;		/* a series' last activity, a pull's date */
	int64_t first, last;	/* its records' first and last dates */
	uint64_t line_off;	/* its line in the listing (series, pull) */
	uint64_t line_len;
};

/* An ask of a group that wants what is dated after or before when. */
struct mail_group_dated {
	uint64_t key;
	int64_t when;
	uint64_t how;		/* MAIL_KEY_LATER or _EARLIER */
};

enum { MAIL_GROUP_SERIES, MAIL_GROUP_PULL, MAIL_GROUP_OTHER };

struct mail_groups;

/*
 * Open the groups file that goes with uuid at revision and records and
 * listing files of these sizes (uuid NULL: whatever its header says):
 * 0, or -1 when there is none such or it is damaged.
 */
int mail_groups_open(struct mail_groups **out, const char *path,
		     const char *uuid, unsigned long revision,
		     uint64_t records_size, uint64_t listing_size);
void mail_groups_close(struct mail_groups *gs);
/*
 * The groups file of revision was, records file of records_was bytes,
 * made that of revision with the records file now records_size (only
 * tags changed): 0, or -1 when it was not that one.
 */
int mail_groups_advance(const char *path, const char *uuid,
			unsigned long was, unsigned long revision,
			uint64_t records_was, uint64_t records_size,
			uint64_t listing_size, uint64_t nall);
/*
 * The count of every message of the database (the query "*") when the
 * groups file of path was written at revision: 0, or -1 (no such
 * file).  An update uses it to tell that what changed since is only
 * new mail: nothing removed, nothing there before changed.
 */
int mail_groups_nall(const char *path, const char *uuid,
		     unsigned long revision, uint64_t *nall);
/* Groups: the series first, in the listing's order, then the pulls. */
size_t mail_groups_count(const struct mail_groups *gs);
size_t mail_groups_nseries(const struct mail_groups *gs);
size_t mail_groups_npulls(const struct mail_groups *gs);
size_t mail_groups_nmessages(const struct mail_groups *gs);
const struct mail_group_ent *mail_groups_at(const struct mail_groups *gs,
					    size_t i);
/*
 * The keys a group asks for (g->nkeys; those with a date, g->ndated)
 * and its records' ids (mail_key_id()); the groups are found by the
 * keys they have.
 */
const uint64_t *mail_groups_keys(const struct mail_groups *gs,
				 const struct mail_group_ent *g);
const struct mail_group_dated *mail_groups_dated(
	const struct mail_groups *gs, const struct mail_group_ent *g);
const uint64_t *mail_groups_members(const struct mail_groups *gs,
				    const struct mail_group_ent *g);
/* Where each member's line is in the records file (or MAIL_AT_NONE). */
const uint32_t *mail_groups_member_at(const struct mail_groups *gs,
				      const struct mail_group_ent *g);
/* How many records the records file has in its first segment, after. */
void mail_groups_records(const struct mail_groups *gs, size_t *base,
			 size_t *appended);
/* Call found with each group that has key. */
void mail_groups_find(const struct mail_groups *gs, uint64_t key,
		      void (*found)(size_t group, void *data), void *data);

/* A groups file being made: groups added in their order. */
struct mail_groups_out;
/* Its temporary files are made in the directory of path. */
/* ngroups: how many will be added, as well as known. */
struct mail_groups_out *mail_groups_out_new(const char *path,
					     size_t ngroups);
void mail_groups_out_free(struct mail_groups_out *o);
/*
 * A group, like `like` (kind, sort, line), of the records idx[0..n)
 * of recs (at: where each of recs is in the records file, or NULL); s,
 * the series they were grouped into, or NULL.
 */
void mail_groups_add_records(struct mail_groups_out *o,
			     const struct mail_group_ent *like,
			     const struct vec *recs, const uint32_t *at,
			     const uint32_t *idx, size_t n,
			     const struct mail_series *s);
/* How many groups were added. */
size_t mail_groups_count_out(const struct mail_groups_out *o);
/* Group i of gs as it was, its line now there. */
void mail_groups_add_old(struct mail_groups_out *o,
			 const struct mail_groups *gs, size_t i,
			 uint64_t line_off, uint32_t line_len);
void mail_groups_set_counts(struct mail_groups_out *o, size_t nseries,
			    size_t npulls, uint64_t nall);
/* The records file's records in its first segment, and after. */
void mail_groups_set_records(struct mail_groups_out *o, size_t base,
			     size_t appended);
/*
 * The table of keys written will have those of the groups made of
 * records and gs's, its groups renumbered (renumber[old]: the new
 * place, (size_t)-1 for one gone); gs and renumber must last until
 * it is written.  Without this, the keys of the groups added.
 */
void mail_groups_invert_merge(struct mail_groups_out *o,
			      const struct mail_groups *gs,
			      const size_t *renumber);
/*
 * Write the groups file; with held, left under its temporary name for
 * the caller to commit or abort.
 */
int mail_groups_write(struct mail_groups_out *o, const char *path,
		      const char *uuid, unsigned long revision,
		      uint64_t records_size, uint64_t listing_size,
		      size_t nmessages, struct fs_atomic *held,
		      struct err *err);

/*
 * Whether the listing is there and reflects uuid at revision, and was
 * known to match the database at its stamp (mail_index_stamp()).
 */
int mail_cache_listing_current(const char *path, const char *uuid,
			       unsigned long revision, const char *stamp);
/*
 * The revision and count of messages of the listing of uuid in its
 * header, of whatever revision; 0, or -1 when there is none.
 */
int mail_cache_listing_head(const char *path, const char *uuid,
			    unsigned long *revision, size_t *nmessages);
/*
 * Make the listing the model of revision, known to match the database
 * at stamp, in place (the model did not change since it was written).
 */
int mail_cache_listing_advance(const char *path, unsigned long revision,
			       const char *stamp);
/* Put a new stamp in the listing's header, in place. */
int mail_cache_listing_restamp(const char *path, const char *stamp);
/*
 * Read the listing of uuid at revision (limit series, 0: all; the pull
 * requests too, unless series_only) into m, with m->nmessages and the
 * header's stamp (MAIL_INDEX_STAMP_LEN + 1).
 */
int mail_cache_read_model(const char *path, const char *uuid,
			  unsigned long revision, size_t limit,
			  int series_only, struct mail_model *m, char *stamp,
			  struct err *err);

/*
 * A copy of s made valid UTF-8 (bad bytes replaced), without blanks
 * around it; NULL for NULL or when nothing is left.  (mail/gmime.c)
 */
char *mail_valid_dup_nonempty(const char *s);

/* ---- reading and grouping (mail/read.c, mail/group.c) ---- */

struct mail_index;

/* What mail_read_index() reads into, and what it says it read. */
struct mail_reading {
	struct mail_store *store;	/* the records go here */
	GHashTable *by_id;		/* id -> struct mail_rec *: kept up
					 * to date (mail_rec_table_new()) */
	struct vec *warnings;		/* char *: what was not read */
	/*
	 * Reading everything into an empty store: fresh is not kept (it
	 * would be every record; the caller writes them all).
	 */
	int cold;
	struct vec fresh;		/* struct mail_rec *: read this time,
					 * unless cold */
	size_t read;			/* message files read */
	unsigned walks;			/* of notmuch at once, the last time */
	unsigned parts;			/* lastmod ranges walked */
	struct mail_model_progress *progress;	/* or NULL */
};

/* Set a progress field from any thread (p may be NULL). */
static inline void mail_progress_set(struct mail_model_progress *p,
				     size_t *field, size_t v)
{
	if (p)
		__atomic_store_n(field, v, __ATOMIC_RELAXED);
}

static inline void mail_progress_add(struct mail_model_progress *p,
				     size_t *field)
{
	if (p)
		__atomic_fetch_add(field, 1, __ATOMIC_RELAXED);
}

static inline void mail_progress_stage(struct mail_model_progress *p,
				       enum mail_load_stage s)
{
	if (p)
		__atomic_store_n(&p->stage, (unsigned)s, __ATOMIC_RELAXED);
}

/*
 * Read every message of query changed since revision since (0: all)
 * into rd: a record from what notmuch knows, the rest from its file,
 * read on threads of their own.  A record read again takes the place
 * of the one with its id.
 */
int mail_read_index(struct mail_reading *rd, struct mail_index *idx,
		    const char *query, unsigned long since, struct err *err);
/*
 * A walk of all of a database whose revision is at least this is cut
 * in parts that two threads take in turn (tests lower it to walk a
 * small one so).
 */
extern unsigned long mail_read_split_min;
/* How many parts a split walk is cut in (at least two). */
extern unsigned mail_read_parts;
/*
 * Build m's series and pulls from recs (sorted by date here), which
 * by_id finds by id; maintainers as struct mail_model_options says.
 * by_id is emptied once grouping is done with it: a big model's table
 * is tens of MB, at the peak of a build.
 */
void mail_group(struct vec *recs, GHashTable *by_id,
		const char *const *maintainers, struct mail_model *m,
		struct mail_grouped *out);
/* A key grouping gave a record (mail_grouped). */
struct mail_gkey {
	size_t rec;		/* its place in recs */
	uint64_t key;
	unsigned how;		/* MAIL_KEY_* */
	int64_t when;		/* for MAIL_KEY_LATER and _EARLIER */
};

/*
 * What mail_group() says of each record of recs (in their order after
 * grouping), when asked: where it went (place, recs->n items: a series
 * by its place in m->series, a pull as m->series.n + its place in
 * m->pulls, or MAIL_PLACE_NONE); and, when `later` is set (an update
 * in place), the asks only grouping can tell (a posting head's for the
 * other versions of its title, a patch's for the pulls and notices
 * after its posting naming its title, a notice's that looked titles
 * up), by record, in recs' order.  The groups file keeps none of
 * these: its writer asks mail_posting_keys() and mail_rec_keys().
 */
struct mail_grouped {
	unsigned *place;
	struct mail_gkey *keys;
	size_t nkeys, alloc;
	int later;
};
#define MAIL_PLACE_NONE ((unsigned)-1)
/*
 * The keys by which grouping relates r to other records, each as a
 * 64-bit hash, to emit: its id, parent and the ids it links, its
 * thread, what joins unthreaded patches, the patch titles it has or a
 * pull names.  A record that has a key (HAS) meets those that ask for
 * it (ASKS); most keys are both.  An ask may want only what is dated
 * (a group's last record) at or after `when` (LATER), or (its first)
 * at or before it (EARLIER).  A hash may match by chance: a key says
 * "maybe".
 */
#define MAIL_KEY_HAS 1u
#define MAIL_KEY_ASKS 2u
#define MAIL_KEY_LATER 4u
#define MAIL_KEY_EARLIER 8u
/*
 * A patch of a posting no new mail touched (none of its records was
 * read from notmuch this time, no new bot notice applied it) asks for
 * the pulls naming its title after it only to keep them (PINS): what
 * they carry cannot have changed through it, and their listing lines
 * say it.  Anything else such an ask meets is taken.
 */
#define MAIL_KEY_PINS 16u
void mail_rec_keys(const struct mail_rec *r,
		   void (*emit)(uint64_t key, unsigned how, int64_t when,
				void *data),
		   void *data);
/*
 * The keys by which versions are linked, of a posting whose head is
 * head, as r (one of its cover letter and patches) says its author.
 */
void mail_posting_keys(const struct mail_rec *head, const struct mail_rec *r,
		       void (*emit)(uint64_t key, unsigned how, int64_t when,
				    void *data),
		       void *data);
/* The key of a message id (n bytes). */
uint64_t mail_key_id(const char *id, size_t n);
/* The key of a normalised title a pull or a bot notice names. */
uint64_t mail_key_named(const char *ntitle);
/* The order of m->series and m->pulls: newest first, then total. */
int mail_series_order(const struct mail_series *x,
		      const struct mail_series *y);
int mail_pull_order(const struct mail_pullreq *x,
		    const struct mail_pullreq *y);

/*
 * Whether a line of n bytes (without its line end) is an mbox "From "
 * line as git mailsplit takes one (mail/mbox.c).
 */
int mail_mbox_is_from_line(const char *line, size_t n);

/* A model says at most this many warnings. */
#define MAIL_WARNINGS_MAX 1000
/* Add a warning to a model's (beyond MAIL_WARNINGS_MAX, nothing). */
void mail_warn(struct vec *warnings, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- sending (mail/send.c, compose.c, send_record.c) ---- */

/* One line of the record: a file of the series and what became of it. */
struct mail_send_entry {
	enum mail_send_status status;
	time_t sent_at;
	char *hash;
	char *msgid;
	char *name;
};

/* Free a struct mail_send_entry (for vec_release()). */
void mail_send_entry_free(void *p);
/* SHA-256 of data, in hex; the caller frees. */
char *mail_send_hash_hex(const char *data, size_t len);
/* The raw value of header name, or NULL (borrowed from msg). */
const char *mail_send_raw_header(GMimeMessage *msg, const char *name);
/* The message's Message-Id: its own, else the one given to it. */
const char *mail_send_final_msgid(const struct mail_send_msg *m);

/* ---- addresses (mail/address.c), with GMime's types ---- */

/* Every mailbox of list, groups flattened, into out (borrowed). */
void mail_address_mailboxes(InternetAddressList *list, GPtrArray *out);
/*
 * Parse and check an address list (what a header holds, or an
 * option's value) as mail_address_parse_list() does, its mailboxes
 * appended to out; what holds them is appended to keep (let go with
 * mail_address_unref_all()).  Errors name what.
 */
int mail_address_parse_boxes(const char *text, GPtrArray *out,
			     GPtrArray *keep, const char *what,
			     struct err *err);
/* "Name <addr>" (decoded, quoted as needed) or "addr"; caller frees. */
char *mail_address_text(InternetAddressMailbox *mb);
/* Unref every object in keep, and free keep. */
void mail_address_unref_all(GPtrArray *keep);

/*
 * The transfer-decoded bytes of part (GMime decodes), NUL-terminated
 * with *len their length (NULs may be among them); g_free() them.
 * NULL when the part has no content.
 */
char *mail_gmime_part_bytes(GMimePart *part, size_t *len);

#endif
