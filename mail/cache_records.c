/*
 * The model's record cache (mail/private.h), one of its files per
 * (database, query); the others are the listing (mail/cache_listing.c)
 * and the ids file (here, at the end: a hint, see mail/private.h).
 *
 * records: what was read of every message, one line each, so that after
 * `notmuch new` only the changed messages are read again.  Fields are
 * separated by TAB, list items by 0x1f and item parts by 0x1e; values
 * never hold those bytes (they are folded to spaces when written), so a
 * line splits without escapes.  The first line is
 * "vger-records FORMAT UUID REVISION COUNT GRAMMAR"; what changed since is
 * appended in segments, each "vger-append REVISION COUNT" and its
 * records (header lines are the only ones without a TAB).  A record
 * in a later segment replaces the one with its id before it.  The
 * file is rewritten whole, atomically, when it has grown by a quarter;
 * a segment cut short (a crash while appending) is ignored and the
 * file rewritten the next time.  It is read in blocks, and a record
 * copies out of its line only what it keeps (names and addresses once).
 * The parsed subject is kept too (GRAMMAR says by which parser), so a
 * load parses none.
 *
 * Anything that does not parse is reported as ERR_PARSE and the caller
 * rebuilds; whole files are written atomically.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/private.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* 4: trailer kinds as enum mail_trailer_kind values, not letters */
/* 5: trailers wrapped over two lines and below a signature read anew */
/* 6: a given trailer's kind has GIVEN_SCOPED when it is scoped */
/* 7: the title as where it starts in the subject, when it ends it */
#define RECORDS_FORMAT 7
#define GIVEN_SCOPED 0x100
#define CACHE_MAX ((size_t)2 << 30)
#define NFIELDS 20
/* Records are parsed by this many threads at most. */
#define PARSERS_MAX 4

static void add_field(struct sbuf *sb, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\t\n\r\x1e\x1f");

		sbuf_add(sb, s, n);
		s += n;
		if (*s) {
			sbuf_addch(sb, ' ');
			s++;
		}
	}
}

static void add_list(struct sbuf *sb, void *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(sb, '\x1f');
		add_field(sb, items[i]);
	}
}

/*
 * List item i of a struct's parts, "NUMBER\x1eA\x1eB": a given
 * trailer (kind, email, name) or a bot notice's item (index, title,
 * commit).
 */
static void add_item(struct sbuf *sb, size_t i, unsigned long number,
		     const char *a, const char *b)
{
	if (i)
		sbuf_addch(sb, '\x1f');
	sbuf_addull(sb, number);
	sbuf_addch(sb, '\x1e');
	add_field(sb, a);
	sbuf_addch(sb, '\x1e');
	add_field(sb, b);
}

static void add_given_list(struct sbuf *sb, const struct mail_given *given,
			   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mail_given *g = &given[i];

		add_item(sb, i, g->kind | (g->scoped ? GIVEN_SCOPED : 0),
			 g->email, g->name);
	}
}

static void add_bot_items(struct sbuf *sb, const struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct mail_botitem *it = v->items[i];

		add_item(sb, i, it->index, it->title, it->commit);
	}
}

/*
 * Where the title starts in the subject, plus one, when it is the
 * subject's end (it is in most messages: "Re: [PATCH v2 3/5] TITLE");
 * 0 when it is written out.  add_field() folds a byte to one byte, so
 * this holds in the file too.
 */
static size_t title_tail(const struct mail_rec *r)
{
	if (!r->subject || !r->subj.title ||
	    !str_ends_with(r->subject, r->subj.title))
		return 0;
	return strlen(r->subject) - strlen(r->subj.title) + 1;
}

static void add_record(struct sbuf *sb, const struct mail_rec *r)
{
	const struct mail_rec_more *x = mail_rec_more(r);
	const struct mail_rec_notice *nt = mail_rec_notice(r);
	size_t tail = title_tail(r);

	add_field(sb, r->id);
	sbuf_addch(sb, '\t');
	add_field(sb, r->thread);
	sbuf_addf(sb, "\t%lld\t", (long long)r->date);
	add_field(sb, r->parent);
	sbuf_addch(sb, '\t');
	add_field(sb, r->subject);
	sbuf_addch(sb, '\t');
	add_field(sb, r->from_name);
	sbuf_addch(sb, '\t');
	add_field(sb, r->from_email);
	sbuf_addch(sb, '\t');
	add_given_list(sb, x->given, x->ngiven);
	sbuf_addch(sb, '\t');
	add_field(sb, x->pwbot);
	sbuf_addch(sb, '\t');
	add_list(sb, (void *const *)x->refs, x->nrefs);
	sbuf_addch(sb, '\t');
	add_field(sb, nt->applied_to);
	sbuf_addch(sb, '\t');
	add_field(sb, nt->applied_by);
	sbuf_addch(sb, '\t');
	add_bot_items(sb, &nt->bot_items);
	sbuf_addch(sb, '\t');
	add_field(sb, nt->pull_target);
	sbuf_addch(sb, '\t');
	add_list(sb, nt->shortlog.items, nt->shortlog.n);
	/* The parsed subject. */
	sbuf_addch(sb, '\t');
	sbuf_addull(sb, r->subj.kind);
	sbuf_addch(sb, '.');
	sbuf_addull(sb, r->subj.flags);
	sbuf_addch(sb, '.');
	sbuf_addull(sb, r->subj.version);
	sbuf_addch(sb, '.');
	sbuf_addull(sb, r->subj.index);
	sbuf_addch(sb, '.');
	sbuf_addull(sb, r->subj.total);
	sbuf_addch(sb, '.');
	sbuf_addull(sb, tail);
	sbuf_addch(sb, '\t');
	add_field(sb, r->subj.tree);
	sbuf_addch(sb, '\t');
	add_field(sb, r->subj.date);
	sbuf_addch(sb, '\t');
	if (!tail)
		add_field(sb, r->subj.title);
	sbuf_addch(sb, '\t');
	if (r->ntitle) {
		add_field(sb, r->ntitle);
	} else if (r->what == MAIL_WHAT_COVER || r->what == MAIL_WHAT_PATCH) {
		/* Grouping keeps a posting's head's only: a load needs all. */
		char *made = mail_rec_ntitle_new(r);

		add_field(sb, made);
		free(made);
	}
	sbuf_addch(sb, '\n');
}

/* Where a line at pos starts, as a groups file keeps it. */
static uint32_t at_of(uint64_t pos)
{
	return pos < MAIL_AT_NONE ? (uint32_t)pos : MAIL_AT_NONE;
}

int mail_cache_write_records(const char *path, const char *uuid,
			     unsigned long revision, const struct vec *recs,
			     uint32_t *at, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	struct fs_atomic out;
	uint64_t pos;
	int ret;

	ret = fs_atomic_begin(&out, path, err);
	if (ret)
		return ret;
	out.nosync = 1;	/* read back checked: each segment's count */
	sbuf_addf(&sb, "vger-records %d %s %lu %zu %d\n", RECORDS_FORMAT,
		  uuid, revision, recs->n, MAIL_SUBJECT_GRAMMAR);
	fwrite(sb.buf, 1, sb.len, out.f);
	pos = sb.len;
	for (size_t i = 0; i < recs->n; i++) {
		sbuf_reset(&sb);
		add_record(&sb, recs->items[i]);
		fwrite(sb.buf, 1, sb.len, out.f);
		if (at)
			at[i] = at_of(pos);
		pos += sb.len;
	}
	sbuf_release(&sb);
	return fs_atomic_commit(&out, err);
}

/* A segment of rs as of revision (none: the file is at revision). */
void mail_cache_records_segment(struct sbuf *sb, unsigned long revision,
				const struct vec *rs, uint64_t from,
				uint32_t *at)
{
	sbuf_addf(sb, "vger-append %lu %zu\n", revision, rs->n);
	for (size_t i = 0; i < rs->n; i++) {
		if (at)
			at[i] = at_of(from + sb->len);
		add_record(sb, rs->items[i]);
	}
}

int mail_cache_append_segment(const char *path, const struct sbuf *seg,
			      struct err *err)
{
	int fd, ret;

	/* The file must be there: a segment alone is no cache. */
	fd = fs_open_regular(path, O_WRONLY | O_APPEND, err);
	if (fd < 0)
		return fd;
	/* One write: a reader sees the segment whole or cut short. */
	ret = fs_write_all(fd, seg->buf, seg->len, path, err);
	if (close(fd) && !ret)
		ret = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	return ret;
}

static int append_segment(const char *path, unsigned long revision,
			  const struct vec *rs, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	mail_cache_records_segment(&sb, revision, rs, 0, NULL);
	ret = mail_cache_append_segment(path, &sb, err);
	sbuf_release(&sb);
	return ret;
}

int mail_cache_append_records(const char *path, unsigned long revision,
			      const struct vec *rs, struct err *err)
{
	return rs->n ? append_segment(path, revision, rs, err) : 0;
}

int mail_cache_records_advance(const char *path, unsigned long revision,
			       struct err *err)
{
	struct vec none = VEC_INIT;

	return append_segment(path, revision, &none, err);
}

/* Cut s[0..n) at 0x1f into out, in place; empty items are dropped. */
static void split_list(char *s, size_t n, struct vec *out)
{
	char *end = s + n;

	while (s < end) {
		char *sep = memchr(s, '\x1f', (size_t)(end - s));
		size_t len = sep ? (size_t)(sep - s) : (size_t)(end - s);

		s[len] = '\0';
		if (len)
			vec_push(out, s);
		s += len + 1;
	}
}

/*
 * Cut add_item()'s "NUMBER\x1eA\x1eB" in place: the number (at most
 * max), A, and B (NULL when empty).  0, or -1 when it is not one.
 */
static int parse_item(char *it, unsigned long max, unsigned long *number,
		      char **a, char **b)
{
	char *x = strchr(it, '\x1e'), *y = x ? strchr(x + 1, '\x1e') : NULL;
	char *end;

	*number = strtoul(it, &end, 10);
	if (!y || end == it || end != x || *number > max)
		return -1;
	*x = *y = '\0';
	*a = x + 1;
	*b = y[1] ? y + 1 : NULL;
	return 0;
}

/* Where a list field's items go, and the arena they are made in. */
struct items_to {
	struct mail_rec *r;
	struct arena *a;
};

/*
 * Given trailer i of count ("KIND\x1eEMAIL\x1eNAME"): into r's array
 * of them, made for count at the first.
 */
static void put_given(struct items_to *to, size_t i, size_t count,
		      unsigned long kind, char *email, char *name)
{
	struct mail_rec_more *x = to->r->more;
	struct mail_given *g;

	if (!i)
		x->given = arena_alloc_align(to->a, count * sizeof(*x->given),
					     alignof(struct mail_given));
	g = &x->given[x->ngiven++];
	g->kind = (enum mail_trailer_kind)(kind & ~(unsigned long)GIVEN_SCOPED);
	g->scoped = !!(kind & GIVEN_SCOPED);
	g->email = email;
	g->name = name;
	g->message_id = to->r->id;
}

/* A bot notice's item ("INDEX\x1eTITLE\x1eCOMMIT"). */
static void put_bot_item(struct items_to *to, size_t i, size_t count,
			 unsigned long index, char *title, char *commit)
{
	struct mail_botitem *b = ARENA_NEW(to->a, struct mail_botitem);

	b->index = (unsigned)index;
	b->title = title;
	b->commit = commit;
	vec_push(&to->r->more->notice->bot_items, b);
}

/*
 * A list field of add_item()s, each (number at most max) put where it
 * goes, in order, with its place and the list's length; the strings
 * stay in the line.  0, or -1 at the first that is not an item.
 */
static int parse_items(char *s, size_t n, unsigned long max,
		       void (*put)(struct items_to *to, size_t i,
				   size_t count, unsigned long number,
				   char *a, char *b),
		       struct items_to *to)
{
	struct vec items = VEC_INIT;
	int ret = 0;

	split_list(s, n, &items);
	for (size_t i = 0; i < items.n && !ret; i++) {
		unsigned long number;
		char *x, *y;

		ret = parse_item(items.items[i], max, &number, &x, &y);
		if (!ret)
			put(to, i, items.n, number, x, y);
	}
	vec_release(&items, NULL);
	return ret;
}

/*
 * The parsed subject: "KIND.FLAGS.VERSION.INDEX.TOTAL.TAIL", tree,
 * date, title (empty when TAIL says where it starts in the subject:
 * title_tail()), normalised title.
 */
static int parse_subject(struct mail_rec *r, char **f, const size_t *n)
{
	unsigned long v[6];
	char *p = f[0], *end;

	for (int i = 0; i < 6; i++) {
		v[i] = strtoul(p, &end, 10);
		if (end == p || *end != (i < 5 ? '.' : '\0') || v[i] > 1u << 20)
			return -1;
		p = end + 1;
	}
	if (v[5] && (n[3] || v[5] - 1 > strlen(r->subject)))
		return -1;
	if (v[0] > MAIL_SUBJECT_ANN)
		return -1;
	r->subj.kind = (enum mail_subject_kind)v[0];
	r->subj.flags = (unsigned)v[1];
	r->subj.version = (unsigned)v[2];
	r->subj.index = (unsigned)v[3];
	r->subj.total = (unsigned)v[4];
	r->subj.tree = n[1] ? f[1] : NULL;
	r->subj.date = n[2] ? f[2] : NULL;
	r->subj.title = v[5] ? r->subject + v[5] - 1 : f[3];
	r->ntitle = n[4] ? f[4] : NULL;
	return 0;
}

/*
 * What r points to in the line it was parsed from, copied into a (the
 * names, addresses and trees kept once in names, as a walk of notmuch
 * keeps them; the parent's id and the normalised title apart, until
 * grouping): the line is in a block of the file that is read
 * over by the next one.  A record holds the strings it keeps, not the
 * 300 bytes of its line: a million of them are 130 MB less at the peak
 * of an update.
 */
static void rec_keep(struct mail_rec *r, struct arena *a,
		     struct arena *parents, struct arena *titles,
		     GStringChunk **names)
{
	struct mail_rec_more *x = r->more;
	struct mail_rec_notice *nt = x ? x->notice : NULL;
	const char *subject = r->subject;
	size_t subject_len = strlen(subject);

	r->id = arena_strndup(a, r->id, strlen(r->id));
	r->thread = mail_name_keep(names, r->thread);
	r->parent = arena_strdup_or_null(parents, r->parent);
	r->scratch = 1;
	r->subject = arena_strndup(a, subject, subject_len);
	if ((uintptr_t)r->subj.title >= (uintptr_t)subject &&
	    (uintptr_t)r->subj.title <= (uintptr_t)(subject + subject_len))
		r->subj.title = r->subject + (r->subj.title - subject);
	else
		r->subj.title = arena_strdup_or_null(a, r->subj.title);
	r->from_name = mail_name_keep(names, r->from_name);
	r->from_email = mail_name_keep(names, r->from_email);
	r->subj.tree = mail_name_keep(names, r->subj.tree);
	r->subj.date = arena_strdup_or_null(a, r->subj.date);
	r->ntitle = arena_strdup_or_null(titles, r->ntitle);
	if (!x)
		return;
	for (size_t i = 0; i < x->ngiven; i++) {
		struct mail_given *g = &x->given[i];

		g->email = mail_name_keep(names, g->email);
		g->name = mail_name_keep(names, g->name);
		g->message_id = r->id;
	}
	x->pwbot = mail_name_keep(names, x->pwbot);
	for (size_t i = 0; i < x->nrefs; i++)
		x->refs[i] = arena_strdup(a, x->refs[i]);
	if (!nt)
		return;
	/* shortlog_n and bot_n are made in a already. */
	nt->applied_to = mail_name_keep(names, nt->applied_to);
	nt->applied_by = mail_name_keep(names, nt->applied_by);
	for (size_t i = 0; i < nt->bot_items.n; i++) {
		struct mail_botitem *it = nt->bot_items.items[i];

		it->title = arena_strdup(a, it->title);
		it->commit = arena_strdup_or_null(a, it->commit);
	}
	nt->pull_target = mail_name_keep(names, nt->pull_target);
	for (size_t i = 0; i < nt->shortlog.n; i++)
		nt->shortlog.items[i] = arena_strdup(a, nt->shortlog.items[i]);
}

/*
 * Parse one line (without its newline) in place, the record in a and
 * names, pointing into neither the line nor its buffer.
 */
static struct mail_rec *parse_record(char *line, size_t len, struct arena *a,
				     struct arena *parents,
				     struct arena *titles,
				     GStringChunk **names)
{
	char *f[NFIELDS];
	size_t n[NFIELDS];
	char *p = line, *end = line + len;
	struct mail_rec_more *x;
	struct mail_rec_notice *nt;
	struct mail_rec *r;
	struct items_to to;

	for (int i = 0; i < NFIELDS; i++) {
		char *tab = memchr(p, '\t', (size_t)(end - p));

		if (!tab && i != NFIELDS - 1)
			return NULL;
		f[i] = p;
		n[i] = tab ? (size_t)(tab - p) : (size_t)(end - p);
		f[i][n[i]] = '\0';
		p += n[i] + 1;
	}
	if (!n[0] || !n[1] || !n[6])
		return NULL;
	r = ARENA_NEW(a, struct mail_rec);
	to.r = r;
	to.a = a;
	r->id = f[0];
	r->id_hash = g_str_hash(r->id);
	r->thread = f[1];
	r->date = (time_t)strtoll(f[2], NULL, 10);
	r->parent = n[3] ? f[3] : NULL;
	r->subject = f[4];
	r->from_name = n[5] ? f[5] : NULL;
	r->from_email = f[6];
	/* Fields 7 to 14 are the rare ones, 10 to 14 a notice's. */
	for (int i = 10; i <= 14 && !r->more; i++)
		if (n[i])
			mail_rec_notice_make(r, a);
	for (int i = 7; i <= 9 && !r->more; i++)
		if (n[i])
			mail_rec_more_make(r, a);
	x = r->more;
	nt = x ? x->notice : NULL;
	if (x && parse_items(f[7], n[7], MAIL_TRAILER_OTHER | GIVEN_SCOPED,
			     put_given, &to)) {
		mail_rec_release(r);
		return NULL;
	}
	if (x) {
		struct vec refs = VEC_INIT;

		x->pwbot = n[8] ? f[8] : NULL;
		split_list(f[9], n[9], &refs);
		mail_rec_set_refs(r, &refs, a);
		vec_release(&refs, NULL);
	}
	if (nt) {
		nt->applied_to = n[10] ? f[10] : NULL;
		nt->applied_by = n[11] ? f[11] : NULL;
	}
	if (nt && parse_items(f[12], n[12], 1ul << 20, put_bot_item, &to)) {
		mail_rec_release(r);
		return NULL;
	}
	if (nt) {
		nt->pull_target = n[13] ? f[13] : NULL;
		split_list(f[14], n[14], &nt->shortlog);
	}
	if (parse_subject(r, f + 15, n + 15)) {
		mail_rec_release(r);
		return NULL;
	}
	mail_rec_classify(r);
	mail_rec_derive_body(r, a);
	rec_keep(r, a, parents, titles, names);
	return r;
}

struct line {
	char *s;
	size_t len;
};

/*
 * A share of the lines, parsed on a thread with an arena and names of
 * its own.
 */
struct parser {
	struct line *lines;
	size_t n;
	struct mail_rec **out;	/* NULL where a line does not parse */
	struct arena arena;
	struct arena parents, titles;	/* struct mail_store's */
	GStringChunk *names;
	pthread_t thread;
	int started;
};

static void *parser_main(void *arg)
{
	struct parser *ps = arg;

	for (size_t i = 0; i < ps->n; i++)
		ps->out[i] = parse_record(ps->lines[i].s, ps->lines[i].len,
					  &ps->arena, &ps->parents,
					  &ps->titles, &ps->names);
	return NULL;
}

/*
 * The lines of a file, parsed on up to PARSERS_MAX threads, each with
 * an arena and names that last across blocks of the file.
 */
struct parsers {
	struct parser ps[PARSERS_MAX];
	size_t np;
};

static void parsers_init(struct parsers *pp)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(pp, 0, sizeof(*pp));
	pp->np = ncpu < 1 ? 1 : ncpu > PARSERS_MAX ? PARSERS_MAX :
		(size_t)ncpu;
}

/* Parse lines into out[]. */
static void parse_lines(struct parsers *pp, struct line *lines, size_t n,
			struct mail_rec **out)
{
	size_t np = n < 4096 ? 1 : pp->np, start = 0;

	for (size_t i = 0; i < np; i++) {
		struct parser *ps = &pp->ps[i];
		size_t share = n / np + (i < n % np);

		ps->lines = lines + start;
		ps->n = share;
		ps->out = out + start;
		start += share;
		ps->started = i && /* the first share is this thread's */
			!pthread_create(&ps->thread, NULL, parser_main, ps);
	}
	for (size_t i = 0; i < np; i++)
		if (!pp->ps[i].started)
			parser_main(&pp->ps[i]);
	for (size_t i = 0; i < np; i++)
		if (pp->ps[i].started)
			pthread_join(pp->ps[i].thread, NULL);
}

/* What the parsers made, into st. */
static void parsers_finish(struct parsers *pp, struct mail_store *st)
{
	for (size_t i = 0; i < PARSERS_MAX; i++) {
		arena_merge(&st->arena, &pp->ps[i].arena);
		arena_merge(&st->parents, &pp->ps[i].parents);
		arena_merge(&st->titles, &pp->ps[i].titles);
		if (pp->ps[i].names)
			vec_push(&st->names, pp->ps[i].names);
	}
}

/*
 * The file is read in blocks of this much, into one buffer: a records
 * file of a million messages is 300 MB, which read whole would be the
 * biggest thing in memory (and pages the kernel zeroes first).
 */
size_t mail_cache_block_size = (size_t)8 << 20;

struct block_reader {
	const char *path;
	int fd;
	char *buf;
	size_t cap, len;	/* of buf; bytes in it */
	size_t total;		/* bytes read so far */
	int eof;
};

/* Read more after the len bytes in the buffer (grown for a long line). */
static int block_fill(struct block_reader *br, struct err *err)
{
	if (br->len + 1 >= br->cap) {
		br->cap = br->cap ? 2 * br->cap : mail_cache_block_size + 1;
		br->buf = xrealloc(br->buf, br->cap);
	}
	while (!br->eof && br->len + 1 < br->cap) {
		ssize_t n = read(br->fd, br->buf + br->len,
				 br->cap - 1 - br->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, ERR_IO, "%s: %s", br->path,
				       strerror(errno));
		if (!n) {
			br->eof = 1;
			break;
		}
		br->len += (size_t)n;
		br->total += (size_t)n;
		if (br->total > CACHE_MAX)
			return err_set(err, ERR_NOMEM, "%s: larger than %zu "
				       "bytes", br->path, CACHE_MAX);
	}
	br->buf[br->len] = '\0';
	return 0;
}

/*
 * The bytes a block's records were parsed from go; the line cut short
 * at its end moves to the front.  (The buffer is freed once the file
 * is read: under AddressSanitizer a record still pointing into it is
 * a use after free.)
 */
static void block_done(struct block_reader *br, size_t used)
{
	memmove(br->buf, br->buf + used, br->len - used);
	br->len -= used;
}

/*
 * Every whole line of the file, in blocks: line() gets each (without
 * its newline, which it may overwrite; off, where it starts in the
 * file) and returns < 0 on an error
 * (said in err), > 0 to stop there; block(), when set, is called once
 * a block's lines are done, before their bytes go.  0, or the error;
 * *left is what was after the last whole line (a line cut short).
 */
static int walk_lines(const char *path,
		      int (*line)(void *data, char *p, size_t n,
				  uint64_t off),
		      void (*block)(void *data), void *data, size_t *left,
		      struct err *err)
{
	struct block_reader br = { path, -1, NULL, 0, 0, 0, 0 };
	int ret = 0, stop = 0;

	br.fd = fs_open_regular(path, O_RDONLY, err);
	if (br.fd < 0)
		return br.fd;
	do {
		char *p, *nl;

		ret = block_fill(&br, err);
		p = br.buf;
		while (!ret && !stop && (nl = memchr(p, '\n',
				(size_t)(br.buf + br.len - p)))) {
			ret = line(data, p, (size_t)(nl - p),
				   br.total - br.len + (uint64_t)(p - br.buf));
			stop = ret > 0;
			ret = ret < 0 ? ret : 0;
			p = nl + 1;
		}
		if (!ret && block)
			block(data);
		block_done(&br, (size_t)(p - br.buf));
	} while (!ret && !stop && !br.eof);
	*left = stop ? 0 : br.len;
	free(br.buf);
	close(br.fd);
	return ret;
}

/*
 * The first line, "vger-records FORMAT UUID REVISION COUNT GRAMMAR"
 * (uuid: 128 bytes): 0 when it is one of this format.
 */
static int records_head(const char *line, char *uuid, unsigned long *rev,
			size_t *count)
{
	int format, grammar;

	/*
	 * sscanf() takes the length of its whole input first: a header is
	 * short, anything long is not one.
	 */
	if (strlen(line) >= 256 ||
	    sscanf(line, "vger-records %d %127s %lu %zu %d", &format, uuid,
		   rev, count, &grammar) != 5)
		return -1;
	return format == RECORDS_FORMAT && grammar == MAIL_SUBJECT_GRAMMAR ?
		0 : -1;
}

/* A segment's header, "vger-append REVISION COUNT": 0 when it is one. */
static int segment_head(const char *line, unsigned long *rev, size_t *count)
{
	return strlen(line) < 256 &&
		sscanf(line, "vger-append %lu %zu", rev, count) == 2 ? 0 : -1;
}

struct segment {
	size_t first;		/* index of its first line */
	size_t count;		/* lines its header says it has */
	unsigned long revision;
};

/* What a read of the file has found so far. */
struct records_read {
	const char *path;
	struct err *err;
	struct mail_cache_records *out;
	struct parsers *pp;
	char uuid[128];
	unsigned long rev;
	size_t lineno;
	int header;		/* the first line is read */
	struct segment *seg;
	size_t nseg, segalloc;
	struct mail_rec **recs;
	size_t nrecs, recalloc;
	struct line *lines;	/* of this block, not parsed yet */
	size_t nlines, linealloc;
};

/* The first line of the file. */
static int read_header(struct records_read *rr, const char *line)
{
	size_t count;

	if (records_head(line, rr->uuid, &rr->rev, &count))
		return err_set(rr->err, ERR_PARSE, "%s: not a vger records "
			       "cache of format %d", rr->path, RECORDS_FORMAT);
	ALLOC_GROW(rr->seg, rr->nseg + 1, rr->segalloc);
	rr->seg[rr->nseg++] = (struct segment){ 0, count, rr->rev };
	rr->out->revision = rr->rev;
	rr->out->base = count;
	rr->header = 1;
	return 0;
}

/*
 * A line without a TAB after the first: a segment's header, after the
 * records of this block not parsed yet.  > 0 when it is bad (the rest
 * goes).
 */
static int read_segment(struct records_read *rr, const char *line)
{
	unsigned long srev;
	size_t scount;

	if (segment_head(line, &srev, &scount) || srev < rr->rev) {
		if (rr->nseg == 1)
			return err_set(rr->err, ERR_PARSE, "%s:%zu: bad "
				       "segment", rr->path, rr->lineno);
		rr->out->torn = 1;
		return 1;
	}
	ALLOC_GROW(rr->seg, rr->nseg + 1, rr->segalloc);
	rr->seg[rr->nseg++] = (struct segment){ rr->nrecs + rr->nlines,
						 scount, srev };
	rr->rev = srev;
	return 0;
}

/* A whole line: a header read, a record kept to parse with its block. */
static int read_line(void *data, char *p, size_t n, uint64_t off)
{
	struct records_read *rr = data;

	(void)off;
	rr->lineno++;
	if (!rr->header || !memchr(p, '\t', n)) {
		p[n] = '\0';
		return rr->header ? read_segment(rr, p) : read_header(rr, p);
	}
	ALLOC_GROW(rr->lines, rr->nlines + 1, rr->linealloc);
	rr->lines[rr->nlines++] = (struct line){ p, n };
	return 0;
}

/* The records of a block, parsed before its bytes go. */
static void read_block(void *data)
{
	struct records_read *rr = data;

	if (!rr->nlines)
		return;
	ALLOC_GROW(rr->recs, rr->nrecs + rr->nlines, rr->recalloc);
	parse_lines(rr->pp, rr->lines, rr->nlines, rr->recs + rr->nrecs);
	rr->nrecs += rr->nlines;
	rr->nlines = 0;
}

int mail_cache_read_records(const char *path, struct mail_store *st,
			    struct mail_cache_records *out, struct err *err)
{
	struct records_read rr;
	struct parsers pp;
	size_t nlines, left = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(&rr, 0, sizeof(rr));
	rr.path = path;
	rr.err = err;
	rr.out = out;
	rr.pp = &pp;
	parsers_init(&pp);
	ret = walk_lines(path, read_line, read_block, &rr, &left, err);
	if (!ret && !rr.header)
		ret = err_set(err, ERR_PARSE, "%s: not a vger records cache "
			      "of format %d", path, RECORDS_FORMAT);
	if (!ret && left)
		out->torn = 1;	/* the last line is cut short */
	nlines = rr.nrecs;
	if (!ret && nlines < out->base)
		ret = err_set(err, ERR_PARSE, "%s: %zu records, header says "
			      "%zu", path, nlines, out->base);
	/*
	 * Keep the segments that are whole and parse; the first one must.
	 * What follows a bad one is dropped and the file rewritten.
	 */
	for (size_t s = 0; !ret && s < rr.nseg; s++) {
		size_t first = rr.seg[s].first;
		size_t last = s + 1 < rr.nseg ? rr.seg[s + 1].first : rr.nrecs;
		int bad = last - first != rr.seg[s].count;

		for (size_t i = first; i < last && !bad; i++)
			bad = !rr.recs[i];
		if (bad && !s) {
			ret = err_set(err, ERR_PARSE, "%s: bad record in "
				      "the first %zu", path, out->base);
			break;
		}
		if (bad) {
			out->torn = 1;
			nlines = first;
			break;
		}
		out->revision = rr.seg[s].revision;
	}
	parsers_finish(&pp, st);
	if (!ret) {
		for (size_t i = 0; i < nlines; i++)
			vec_push(&st->recs, rr.recs[i]);
		out->appended = nlines - out->base;
		out->uuid = xstrdup(rr.uuid);
	}
	/* Records not kept: their vectors go now, the rest with st. */
	for (size_t i = ret ? 0 : nlines; i < rr.nrecs; i++)
		if (rr.recs[i])
			mail_rec_release(rr.recs[i]);
	free(rr.recs);
	free(rr.seg);
	free(rr.lines);
	return ret;
}

/*
 * What mail_cache_records_hold() looks for: each record's id, and the
 * latest line of the file with that id.
 */
/*
 * A look through the file that parses no record it does not want:
 * where it is among the segments, whose headers it checks.
 */
struct seg_walk {
	size_t nseg_left;	/* lines its segment's header still owes */
	unsigned long revision;	/* of the last segment */
	size_t base, appended;	/* records of the first segment, after */
	int header, bad;
};

/*
 * Line p (n bytes; tab, its first TAB or NULL) as w sees it: 1 when it
 * is a segment's header, or is bad (w->bad), 0 when it is a record.
 */
static int seg_walk_line(struct seg_walk *w, char *p, size_t n,
			 const char *tab)
{
	if (!w->header || !tab) {
		char uuid[128];
		unsigned long rev = 0;
		size_t count = 0;

		p[n] = '\0';
		/* A segment cut short, no header, a bad one: not whole. */
		w->bad = w->nseg_left ||
			(w->header ? segment_head(p, &rev, &count) ||
			 rev < w->revision :
			 records_head(p, uuid, &rev, &count));
		if (w->header)
			w->appended += count;
		else
			w->base = count;
		w->header = 1;
		w->revision = rev;
		w->nseg_left = count;
		return 1;
	}
	if (!w->nseg_left) {
		w->bad = 1;	/* more lines than the segment has */
		return 1;
	}
	w->nseg_left--;
	return 0;
}

/* Whether the walk saw the file whole (left: bytes after its last line). */
static int seg_walk_whole(const struct seg_walk *w, size_t left)
{
	return !w->bad && w->header && !left && !w->nseg_left;
}

struct hold {
	struct seg_walk w;
	GHashTable *want;	/* id -> index in recs + 1 */
	char **lines;		/* [i]: the latest line of recs[i]'s id */
};

static int hold_line(void *data, char *p, size_t n, uint64_t off)
{
	struct hold *h = data;
	char *tab = memchr(p, '\t', n);
	gpointer at;

	(void)off;
	if (seg_walk_line(&h->w, p, n, tab))
		return h->w.bad;
	*tab = '\0';	/* the id starts the line */
	at = g_hash_table_lookup(h->want, p);
	*tab = '\t';
	if (at) {
		size_t i = GPOINTER_TO_SIZE(at) - 1;

		free(h->lines[i]);
		h->lines[i] = xstrndup(p, n);
	}
	return 0;
}

unsigned long mail_cache_hold_walks;

int mail_cache_records_hold(const char *path, unsigned long revision,
			    const struct vec *recs)
{
	struct hold h;
	struct sbuf sb = SBUF_INIT;
	size_t left = 0;
	int same = 0;

	memset(&h, 0, sizeof(h));
	h.want = g_hash_table_new(g_str_hash, g_str_equal);
	h.lines = xcalloc(recs->n ? recs->n : 1, sizeof(*h.lines));
	for (size_t i = 0; i < recs->n; i++) {
		const struct mail_rec *r = recs->items[i];

		g_hash_table_insert(h.want, r->id, GSIZE_TO_POINTER(i + 1));
	}
	/* Only the ids are looked at: no record is parsed. */
	mail_cache_hold_walks++;
	if (!walk_lines(path, hold_line, NULL, &h, &left, NULL) &&
	    seg_walk_whole(&h.w, left) && h.w.revision == revision) {
		same = 1;
		for (size_t i = 0; i < recs->n && same; i++) {
			sbuf_reset(&sb);
			add_record(&sb, recs->items[i]);
			same = h.lines[i] &&
				sb.len == strlen(h.lines[i]) + 1 &&
				!memcmp(sb.buf, h.lines[i], sb.len - 1);
		}
	}
	for (size_t i = 0; i < recs->n; i++)
		free(h.lines[i]);
	free(h.lines);
	g_hash_table_destroy(h.want);
	sbuf_release(&sb);
	return same;
}

/*
 * The ids file: "vger-ids FORMAT COUNT", spaces up to a line of a
 * multiple of 8 bytes (so the values are aligned where the file is
 * read into), then COUNT g_str_hash() values (the records' id_hash) in
 * this machine's byte order, sorted.
 */
#define IDS_FORMAT 1
#define IDS_HEAD_MAX 64

/*
 * Sort a million hashes in two passes of 16 bits (qsort() took a tenth
 * of a second at every update).
 */
static void sort_u32(uint32_t *v, size_t n)
{
	uint32_t *tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
	size_t *count = xcalloc(65536, sizeof(*count));

	for (int shift = 0; shift < 32; shift += 16) {
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(v[i] >> shift) & 0xffff]++;
		for (size_t i = 0; i < 65536; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xffff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(count);
	free(tmp);
}


/*
 * The hashes of a whole ids file, in sb (from *v, *n of them); -1
 * when it is not one.
 */
static int ids_read(const char *path, struct sbuf *sb, const uint32_t **v,
		    size_t *n)
{
	const char *nl;
	size_t head;
	int format = 0, used = 0;

	if (sbuf_read_regular(sb, path, CACHE_MAX, NULL) ||
	    !(nl = memchr(sb->buf, '\n', sb->len < IDS_HEAD_MAX ? sb->len :
			  IDS_HEAD_MAX)))
		return -1;
	head = (size_t)(nl - sb->buf) + 1;
	if (sscanf(sb->buf, "vger-ids %d %zu%n", &format, n, &used) != 2 ||
	    format != IDS_FORMAT || head % 8 ||
	    strspn(sb->buf + used, " ") != head - 1 - (size_t)used ||
	    *n > (sb->len - head) / sizeof(uint32_t) ||
	    sb->len - head != *n * sizeof(uint32_t))
		return -1;
	*v = (const uint32_t *)(sb->buf + head);
	return 0;
}

static int ids_write(const char *path, const uint32_t *h, size_t n,
		     struct err *err)
{
	struct fs_atomic out;
	int ret, len;

	ret = fs_atomic_begin(&out, path, err);
	if (ret)
		return ret;
	out.nosync = 1;	/* read back checked: its size */
	len = fprintf(out.f, "vger-ids %d %zu", IDS_FORMAT, n);
	fprintf(out.f, "%*s\n", len < 0 ? 0 : 7 - len % 8, "");
	fwrite(h, sizeof(*h), n, out.f);
	return fs_atomic_commit(&out, err);
}

int mail_cache_write_ids(const char *path, const struct vec *recs,
			 struct err *err)
{
	uint32_t *h = xmalloc((recs->n ? recs->n : 1) * sizeof(*h));
	int ret;

	for (size_t i = 0; i < recs->n; i++)
		h[i] = ((const struct mail_rec *)recs->items[i])->id_hash;
	sort_u32(h, recs->n);
	ret = ids_write(path, h, recs->n, err);
	free(h);
	return ret;
}

int mail_cache_ids_add(const char *path, const struct vec *recs,
		       struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	const uint32_t *v;
	uint32_t *h, *add;
	size_t n, i = 0, j = 0, k = 0;
	int ret;

	if (ids_read(path, &sb, &v, &n)) {
		sbuf_release(&sb);
		return err_set(err, ERR_PARSE, "%s: not a whole ids file",
			       path);
	}
	add = xmalloc((recs->n ? recs->n : 1) * sizeof(*add));
	for (size_t r = 0; r < recs->n; r++)
		add[r] = ((const struct mail_rec *)recs->items[r])->id_hash;
	sort_u32(add, recs->n);
	/* Merged; a record changed again is there once. */
	h = xmalloc((n + recs->n ? n + recs->n : 1) * sizeof(*h));
	while (i < n || j < recs->n) {
		uint32_t x = j == recs->n || (i < n && v[i] <= add[j]) ?
			v[i++] : add[j++];

		if (!k || h[k - 1] != x)
			h[k++] = x;
	}
	ret = ids_write(path, h, k, err);
	free(h);
	free(add);
	sbuf_release(&sb);
	return ret;
}

int mail_cache_ids_lack(const char *path, const struct vec *recs)
{
	struct sbuf sb = SBUF_INIT;
	const uint32_t *v;
	size_t n = 0;
	int lack = 0;

	if (!ids_read(path, &sb, &v, &n))
		for (size_t i = 0; i < recs->n && !lack; i++) {
			uint32_t h = ((const struct mail_rec *)
				      recs->items[i])->id_hash;

			lack = !bsearch(&h, v, n, sizeof(*v), u32_cmp);
		}
	sbuf_release(&sb);
	return lack;
}

int mail_cache_record_same(const struct mail_rec *a,
			   const struct mail_rec *b)
{
	struct sbuf x = SBUF_INIT, y = SBUF_INIT;
	int same;

	if (!a || !b)
		return 0;
	add_record(&x, a);
	add_record(&y, b);
	same = x.len == y.len && !memcmp(x.buf, y.buf, x.len);
	sbuf_release(&x);
	sbuf_release(&y);
	return same;
}

/* What mail_cache_read_members() looks for, and what it reads. */
struct members {
	struct seg_walk w;
	const uint64_t *ids;	/* sorted */
	size_t nids;
	struct mail_store *st;
	GStringChunk *names;
	struct vec_u32 *at;
};

static int members_line(void *data, char *p, size_t n, uint64_t off)
{
	struct members *mb = data;
	char *tab = memchr(p, '\t', n);
	size_t lo = 0, hi = mb->nids;
	struct mail_rec *r;
	uint64_t key;

	if (seg_walk_line(&mb->w, p, n, tab))
		return mb->w.bad;
	key = mail_key_id(p, (size_t)(tab - p));
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mb->ids[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == mb->nids || mb->ids[lo] != key)
		return 0;
	r = parse_record(p, n, &mb->st->arena, &mb->st->parents,
			 &mb->st->titles, &mb->names);
	if (r) {
		vec_push(&mb->st->recs, r);
		vec_u32_push(mb->at, at_of(off));
	}
	mb->w.bad = !r;
	return mb->w.bad;
}

int mail_cache_read_members(const char *path, const uint64_t *ids,
			    size_t nids, struct mail_store *st,
			    struct vec_u32 *at, unsigned long *revision,
			    size_t *base, size_t *appended)
{
	struct members mb;
	size_t left = 0;
	int ret;

	memset(&mb, 0, sizeof(mb));
	mb.ids = ids;
	mb.nids = nids;
	mb.st = st;
	mb.at = at;
	ret = walk_lines(path, members_line, NULL, &mb, &left, NULL);
	if (mb.names)
		vec_push(&st->names, mb.names);
	if (ret || !seg_walk_whole(&mb.w, left))
		return -1;
	*revision = mb.w.revision;
	*base = mb.w.base;
	*appended = mb.w.appended;
	return 0;
}

/*
 * The lines are read through a window of this much at least, the
 * places being sorted: neighbours are read once.  A line longer than
 * AT_LINE_MAX (a record is a few KB) is damage.
 */
#define AT_WINDOW 16384
#define AT_LINE_MAX ((size_t)16 << 20)

int mail_cache_read_at(const char *path, const struct mail_member *want,
		       size_t n, struct mail_store *st, struct vec_u32 *at)
{
	int fd = fs_open_regular(path, O_RDONLY, NULL);
	char *buf = NULL;
	size_t cap = 0, have = 0;	/* buf holds have bytes from */
	uint64_t from = 0;		/* here in the file */
	GStringChunk *names = NULL;
	int ret = 0;

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < n && !ret; i++) {
		uint64_t off = want[i].at;
		char *p, *nl = NULL, *tab;
		struct mail_rec *r;

		/*
		 * The line with the newline before it (no line but the
		 * header starts the file), from the window or read anew,
		 * longer until it ends.
		 */
		ret = -1;
		/* Ascending, each once: a line is parsed where it is. */
		if (!off || off == MAIL_AT_NONE ||
		    (i && off <= want[i - 1].at))
			break;
		for (size_t want_len = AT_WINDOW;; want_len *= 2) {
			ssize_t got;

			if (off - 1 >= from && off < from + have &&
			    (nl = memchr(buf + (off - from), '\n',
					 have - (size_t)(off - from))))
				break;
			if (want_len > AT_LINE_MAX)
				break;
			if (cap < want_len + 1) {
				cap = want_len + 1;
				buf = xrealloc(buf, cap);
			}
			from = off - 1;
			got = pread(fd, buf, want_len, (off_t)from);
			if (got <= 0)
				break;
			have = (size_t)got;
			if ((size_t)got < want_len) {
				nl = memchr(buf + 1, '\n', have - 1);
				break;
			}
		}
		if (!nl || buf[off - 1 - from] != '\n')
			break;
		p = buf + (off - from);
		tab = memchr(p, '\t', (size_t)(nl - p));
		/* The record of that id (not a header, not another's). */
		if (!tab || mail_key_id(p, (size_t)(tab - p)) != want[i].id)
			break;
		*nl = '\0';
		r = parse_record(p, (size_t)(nl - p), &st->arena, &st->parents,
				 &st->titles, &names);
		*nl = '\n';
		if (!r)
			break;
		vec_push(&st->recs, r);
		vec_u32_push(at, want[i].at);
		ret = 0;
	}
	if (names)
		vec_push(&st->names, names);
	free(buf);
	close(fd);
	return ret;
}
