/*
 * The model's on-disk cache, in two files per (database, query):
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
 * file rewritten the next time.  Read into memory once, the records
 * point into that copy: nothing is copied again.  The parsed subject
 * is kept too (GRAMMAR says by which parser), so a load parses none.
 *
 * series.jsonl: the grouped model, newest series first, one JSON object
 * per line after a header "vger-series FORMAT UUID REVISION NPULLS
 * NSERIES NMESSAGES STAMP", so a listing reads only the lines it shows.
 * STAMP is the database's (mail_index_stamp()) when the listing was
 * known to match it.
 *
 * Anything that does not parse is reported as ERR_PARSE and the caller
 * rebuilds; whole files are written atomically.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/index.h"
#include "mail/private.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* 4: trailer kinds as enum mail_trailer_kind values, not letters */
#define RECORDS_FORMAT 4
#define LISTING_FORMAT 5
#define CACHE_MAX ((size_t)2 << 30)
#define NFIELDS 20
/* Records are parsed by this many threads at most. */
#define PARSERS_MAX 4

/* ---- records ---- */

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

static void add_list(struct sbuf *sb, const struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			sbuf_addch(sb, '\x1f');
		add_field(sb, v->items[i]);
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

static void add_given_list(struct sbuf *sb, const struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct mail_given *g = v->items[i];

		add_item(sb, i, g->kind, g->email, g->name);
	}
}

static void add_bot_items(struct sbuf *sb, const struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct mail_botitem *it = v->items[i];

		add_item(sb, i, it->index, it->title, it->commit);
	}
}

static void add_record(struct sbuf *sb, const struct mail_rec *r)
{
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
	add_given_list(sb, &r->given);
	sbuf_addch(sb, '\t');
	add_field(sb, r->pwbot);
	sbuf_addch(sb, '\t');
	add_list(sb, &r->refs);
	sbuf_addch(sb, '\t');
	add_field(sb, r->applied_to);
	sbuf_addch(sb, '\t');
	add_field(sb, r->applied_by);
	sbuf_addch(sb, '\t');
	add_bot_items(sb, &r->bot_items);
	sbuf_addch(sb, '\t');
	add_field(sb, r->pull_target);
	sbuf_addch(sb, '\t');
	add_list(sb, &r->shortlog);
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
	sbuf_addch(sb, '\t');
	add_field(sb, r->subj.tree);
	sbuf_addch(sb, '\t');
	add_field(sb, r->subj.date);
	sbuf_addch(sb, '\t');
	add_field(sb, r->subj.title);
	sbuf_addch(sb, '\t');
	add_field(sb, r->ntitle);
	sbuf_addch(sb, '\n');
}

int mail_cache_write_records(const char *path, const char *uuid,
			     unsigned long revision, const struct vec *recs,
			     struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	struct fs_atomic out;
	int ret;

	ret = fs_atomic_begin(&out, path, err);
	if (ret)
		return ret;
	fprintf(out.f, "vger-records %d %s %lu %zu %d\n", RECORDS_FORMAT, uuid,
		revision, recs->n, MAIL_SUBJECT_GRAMMAR);
	for (size_t i = 0; i < recs->n; i++) {
		sbuf_reset(&sb);
		add_record(&sb, recs->items[i]);
		fwrite(sb.buf, 1, sb.len, out.f);
	}
	sbuf_release(&sb);
	return fs_atomic_commit(&out, err);
}

int mail_cache_append_records(const char *path, unsigned long revision,
			      const struct vec *rs, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	int fd, ret;

	if (!rs->n)
		return 0;
	/* The file must be there: a segment alone is no cache. */
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	sbuf_addf(&sb, "vger-append %lu %zu\n", revision, rs->n);
	for (size_t i = 0; i < rs->n; i++)
		add_record(&sb, rs->items[i]);
	/* One write: a reader sees the segment whole or cut short. */
	ret = fs_write_all(fd, sb.buf, sb.len, path, err);
	if (close(fd) && !ret)
		ret = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	sbuf_release(&sb);
	return ret;
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

static void *make_given(const struct mail_rec *r, unsigned long kind,
			char *email, char *name, struct arena *a)
{
	struct mail_given *g = ARENA_NEW(a, struct mail_given);

	g->kind = (enum mail_trailer_kind)kind;
	g->email = email;
	g->name = name;
	g->message_id = r->id;
	return g;
}

static void *make_bot_item(const struct mail_rec *r, unsigned long index,
			   char *title, char *commit, struct arena *a)
{
	struct mail_botitem *b = ARENA_NEW(a, struct mail_botitem);

	b->index = (unsigned)index;
	b->title = title;
	b->commit = commit;
	return b;
}

/* A list field of add_item()s into out, each made by make. */
static int parse_items(char *s, size_t n, unsigned long max, struct vec *out,
		       void *(*make)(const struct mail_rec *r,
				     unsigned long number, char *a, char *b,
				     struct arena *arena),
		       const struct mail_rec *r, struct arena *a)
{
	struct vec items = VEC_INIT;
	int ret = 0;

	split_list(s, n, &items);
	for (size_t i = 0; i < items.n && !ret; i++) {
		unsigned long number;
		char *x, *y;

		ret = parse_item(items.items[i], max, &number, &x, &y);
		if (!ret)
			vec_push(out, make(r, number, x, y, a));
	}
	vec_release(&items, NULL);
	return ret;
}

/* The parsed subject: "KIND.FLAGS.VERSION.INDEX.TOTAL", tree, date,
 * title, normalised title. */
static int parse_subject(struct mail_rec *r, char **f, const size_t *n)
{
	unsigned long v[5];
	char *p = f[0], *end;

	for (int i = 0; i < 5; i++) {
		v[i] = strtoul(p, &end, 10);
		if (end == p || *end != (i < 4 ? '.' : '\0') || v[i] > 1u << 20)
			return -1;
		p = end + 1;
	}
	if (v[0] > MAIL_SUBJECT_ANN)
		return -1;
	r->subj.kind = (enum mail_subject_kind)v[0];
	r->subj.flags = (unsigned)v[1];
	r->subj.version = (unsigned)v[2];
	r->subj.index = (unsigned)v[3];
	r->subj.total = (unsigned)v[4];
	r->subj.tree = n[1] ? f[1] : NULL;
	r->subj.date = n[2] ? f[2] : NULL;
	r->subj.title = f[3];
	r->ntitle = f[4];
	return 0;
}

/* Parse one line (without its newline) in place, the record in a. */
static struct mail_rec *parse_record(char *line, size_t len, struct arena *a)
{
	char *f[NFIELDS];
	size_t n[NFIELDS];
	char *p = line, *end = line + len;
	struct mail_rec *r;

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
	r->id = f[0];
	r->id_hash = g_str_hash(r->id);
	r->thread = f[1];
	r->date = (time_t)strtoll(f[2], NULL, 10);
	r->parent = n[3] ? f[3] : NULL;
	r->parent_hash = r->parent ? g_str_hash(r->parent) : 0;
	r->subject = f[4];
	r->from_name = n[5] ? f[5] : NULL;
	r->from_email = f[6];
	if (parse_items(f[7], n[7], MAIL_TRAILER_OTHER, &r->given, make_given,
			r, a)) {
		mail_rec_release(r);
		return NULL;
	}
	r->pwbot = n[8] ? f[8] : NULL;
	split_list(f[9], n[9], &r->refs);
	r->applied_to = n[10] ? f[10] : NULL;
	r->applied_by = n[11] ? f[11] : NULL;
	if (parse_items(f[12], n[12], 1ul << 20, &r->bot_items, make_bot_item,
			r, a)) {
		mail_rec_release(r);
		return NULL;
	}
	r->pull_target = n[13] ? f[13] : NULL;
	split_list(f[14], n[14], &r->shortlog);
	if (parse_subject(r, f + 15, n + 15)) {
		mail_rec_release(r);
		return NULL;
	}
	mail_rec_classify(r);
	mail_rec_derive_body(r, a);
	return r;
}

struct line {
	char *s;
	size_t len;
};

/* A share of the lines, parsed on a thread with an arena of its own. */
struct parser {
	struct line *lines;
	size_t n;
	struct mail_rec **out;	/* NULL where a line does not parse */
	struct arena arena;
	pthread_t thread;
	int started;
};

static void *parser_main(void *arg)
{
	struct parser *ps = arg;

	for (size_t i = 0; i < ps->n; i++)
		ps->out[i] = parse_record(ps->lines[i].s, ps->lines[i].len,
					  &ps->arena);
	return NULL;
}

/* Parse lines into out[], on up to PARSERS_MAX threads. */
static void parse_lines(struct line *lines, size_t n, struct mail_rec **out,
			struct arena *a)
{
	struct parser ps[PARSERS_MAX];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t np = ncpu < 1 ? 1 : ncpu > PARSERS_MAX ? PARSERS_MAX :
		(size_t)ncpu, start = 0;

	if (n < 4096)
		np = 1;
	memset(ps, 0, sizeof(ps));
	for (size_t i = 0; i < np; i++) {
		size_t share = n / np + (i < n % np);

		ps[i].lines = lines + start;
		ps[i].n = share;
		ps[i].out = out + start;
		start += share;
		if (i)	/* the first share is this thread's */
			ps[i].started = !pthread_create(&ps[i].thread, NULL,
							parser_main, &ps[i]);
	}
	for (size_t i = 0; i < np; i++)
		if (!ps[i].started)
			parser_main(&ps[i]);
	for (size_t i = 0; i < np; i++) {
		if (ps[i].started)
			pthread_join(ps[i].thread, NULL);
		arena_merge(a, &ps[i].arena);
	}
}

/* One part of a file, read on a thread of its own. */
struct read_part {
	int fd;
	char *buf;
	size_t off, len;
	int failed, started;
	pthread_t thread;
};

static void *read_part_main(void *arg)
{
	struct read_part *rp = arg;
	size_t done = 0;

	while (done < rp->len) {
		ssize_t n = pread(rp->fd, rp->buf + rp->off + done,
				  rp->len - done, (off_t)(rp->off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rp->failed = 1;
			break;
		}
		done += (size_t)n;
	}
	return NULL;
}

/*
 * The records file, read whole: its two halves on two threads, as
 * copying 70 MB out of the page cache is a tenth of an update.
 */
static int read_whole(struct sbuf *sb, const char *path, struct err *err)
{
	struct read_part part[2];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > CACHE_MAX || st.st_size < 1) {
		close(fd);
		return sbuf_read_file(sb, path, CACHE_MAX, err);
	}
	sbuf_grow(sb, (size_t)st.st_size);
	for (int i = 0; i < 2; i++) {
		part[i] = (struct read_part){ fd, sb->buf, 0, 0, 0, 0, 0 };
		part[i].off = i ? (size_t)st.st_size / 2 : 0;
		part[i].len = i ? (size_t)st.st_size - part[i].off :
			(size_t)st.st_size / 2;
	}
	part[1].started = !pthread_create(&part[1].thread, NULL,
					  read_part_main, &part[1]);
	read_part_main(&part[0]);
	if (part[1].started)
		pthread_join(part[1].thread, NULL);
	else
		read_part_main(&part[1]);
	if (part[0].failed || part[1].failed)
		ret = err_set(err, ERR_IO, "%s: read failed or file changed "
			      "size", path);
	else
		sbuf_setlen(sb, (size_t)st.st_size);
	close(fd);
	return ret;
}

struct segment {
	size_t first;		/* index of its first line */
	size_t count;		/* lines its header says it has */
	unsigned long revision;
};

int mail_cache_read_records(const char *path, struct mail_store *st,
			    struct mail_cache_records *out, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	char head_uuid[128];
	unsigned long rev;
	size_t count, lineno = 1, nlines = 0, nparsed = 0, alloc = 0;
	size_t nseg = 0, segalloc = 0;
	struct line *lines = NULL;
	struct segment *seg = NULL;
	struct mail_rec **recs = NULL;
	int format, grammar, ret;
	char *p, *end;

	memset(out, 0, sizeof(*out));
	ret = read_whole(&sb, path, err);
	if (ret)
		goto out;
	if (sscanf(sb.buf, "vger-records %d %127s %lu %zu %d\n", &format,
		   head_uuid, &rev, &count, &grammar) != 5 ||
	    format != RECORDS_FORMAT || grammar != MAIL_SUBJECT_GRAMMAR) {
		ret = err_set(err, ERR_PARSE, "%s: not a vger records cache "
			      "of format %d", path, RECORDS_FORMAT);
		goto out;
	}
	ALLOC_GROW(seg, nseg + 1, segalloc);
	seg[nseg++] = (struct segment){ 0, count, rev };
	out->revision = rev;
	out->base = count;
	/* Find the lines and the segments; nothing is parsed yet. */
	p = sb.buf + str_line_len(sb.buf) + 1;
	end = sb.buf + sb.len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len;

		lineno++;
		if (!nl) {
			out->torn = 1;	/* the last line is cut short */
			break;
		}
		len = (size_t)(nl - p);
		if (!memchr(p, '\t', len)) {
			unsigned long srev;
			size_t scount;

			*nl = '\0';
			if (sscanf(p, "vger-append %lu %zu", &srev,
				   &scount) != 2 || srev < rev) {
				if (nseg == 1) {
					ret = err_set(err, ERR_PARSE,
						      "%s:%zu: bad segment",
						      path, lineno);
					goto out;
				}
				out->torn = 1;
				break;
			}
			ALLOC_GROW(seg, nseg + 1, segalloc);
			seg[nseg++] = (struct segment){ nlines, scount, srev };
			rev = srev;
		} else {
			ALLOC_GROW(lines, nlines + 1, alloc);
			lines[nlines++] = (struct line){ p, len };
		}
		p = nl + 1;
	}
	if (nlines < out->base) {
		ret = err_set(err, ERR_PARSE, "%s: %zu records, header says "
			      "%zu", path, nlines, out->base);
		goto out;
	}
	recs = xcalloc(nlines ? nlines : 1, sizeof(*recs));
	parse_lines(lines, nlines, recs, &st->arena);
	nparsed = nlines;
	/*
	 * Keep the segments that are whole and parse; the first one must.
	 * What follows a bad one is dropped and the file rewritten.
	 */
	for (size_t s = 0; s < nseg; s++) {
		size_t first = seg[s].first;
		size_t last = s + 1 < nseg ? seg[s + 1].first : nlines;
		int bad = last - first != seg[s].count;

		for (size_t i = first; i < last && !bad; i++)
			bad = !recs[i];
		if (bad && !s) {
			ret = err_set(err, ERR_PARSE, "%s: bad record in "
				      "the first %zu", path, out->base);
			goto out;
		}
		if (bad) {
			out->torn = 1;
			nlines = first;
			break;
		}
		out->revision = seg[s].revision;
	}
	for (size_t i = 0; i < nlines; i++)
		vec_push(&st->recs, recs[i]);
	out->appended = nlines - out->base;
	out->uuid = xstrdup(head_uuid);
	vec_push(&st->buffers, sbuf_detach(&sb));
out:
	/* Records not kept: their vectors go now, the rest with st. */
	for (size_t i = ret ? 0 : nlines; i < nparsed; i++)
		if (recs[i])
			mail_rec_release(recs[i]);
	free(recs);
	free(lines);
	free(seg);
	sbuf_release(&sb);
	return ret;
}

/* ---- the listing ---- */

/*
 * The listing is written directly rather than through json-c: json-c
 * builds an object tree for every value first, and for 200,000
 * messages that took 1.7 s of an update that has to stay under one.
 * The lines are read back with json-c's tokener.
 *
 * Each series line starts with a fingerprint of what it holds; when
 * the listing is written again, a series whose fingerprint is in the
 * old file is copied from there, not formatted again (after `notmuch
 * new` most series have not changed).  Writing and fingerprinting go
 * through the same functions below, so they cannot disagree on what a
 * line holds.
 */
struct jw {
	struct sbuf *sb;	/* where to write; NULL: fingerprint only */
	uint64_t h;		/* jw_hash() of every value */
};

#define FP_SEED 0x243f6a8885a308d3ULL
#define FP_MUL 0x9e3779b97f4a7c15ULL

/*
 * A word at a time: the fingerprint covers the whole listing, 40 MB
 * at 200,000 messages.  It only tells changed lines from unchanged
 * ones; a collision (2^-64 per pair) would keep one stale line.
 */
static void jw_hash(struct jw *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = w->h, k;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&k, s, 8);
		h = (h ^ k) * FP_MUL;
		h ^= h >> 29;
	}
	k = n;
	for (size_t i = 0; i < n; i++)
		k = k << 8 | s[i];
	h = (h ^ k) * FP_MUL;
	w->h = h ^ h >> 32;
}

/* Bytes a JSON string cannot hold as they are. */
static int json_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

static void json_str(struct sbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s) {
		sbuf_addstr(sb, "null");
		return;
	}
	sbuf_addch(sb, '"');
	while (*s) {
		const char *run = s;
		unsigned char c;

		while (*s && !json_escape((unsigned char)*s))
			s++;
		sbuf_add(sb, run, (size_t)(s - run));
		if (!*s)
			break;
		c = (unsigned char)*s++;
		if (c == '"' || c == '\\') {
			sbuf_addch(sb, '\\');
			sbuf_addch(sb, (char)c);
		} else {
			sbuf_addstr(sb, "\\u00");
			sbuf_addch(sb, hex[c >> 4]);
			sbuf_addch(sb, hex[c & 15]);
		}
	}
	sbuf_addch(sb, '"');
}

/* Punctuation and keys: fixed by the code, so not fingerprinted. */
static void jw_put(struct jw *w, const char *s)
{
	if (w->sb)
		sbuf_addstr(w->sb, s);
}

static void jw_key(struct jw *w, const char *key)
{
	if (w->sb) {
		sbuf_addstr(w->sb, ",\"");
		sbuf_addstr(w->sb, key);
		sbuf_addstr(w->sb, "\":");
	}
}

static void jw_strval(struct jw *w, const char *s)
{
	if (w->sb)
		json_str(w->sb, s);
	else if (s)
		jw_hash(w, s, strlen(s) + 1);
	else
		jw_hash(w, "\xff", 1);	/* null: no string ends so */
}

static void jw_intval(struct jw *w, long long n)
{
	if (w->sb)
		sbuf_addll(w->sb, n);
	else
		jw_hash(w, &n, sizeof(n));
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_strval(w, s);
}

static void jw_int(struct jw *w, const char *key, long long n)
{
	jw_key(w, key);
	jw_intval(w, n);
}

/* An array's length, so that items cannot shift between arrays. */
static void jw_array(struct jw *w, const char *key, size_t n)
{
	jw_key(w, key);
	jw_put(w, "[");
	if (!w->sb)
		jw_hash(w, &n, sizeof(n));
}

static void jw_strings(struct jw *w, const char *key, const struct vec *v)
{
	jw_array(w, key, v->n);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			jw_put(w, ",");
		jw_strval(w, v->items[i]);
	}
	jw_put(w, "]");
}

static void jw_given(struct jw *w, const struct vec *v)
{
	jw_array(w, "given", v->n);
	for (size_t i = 0; i < v->n; i++) {
		const struct mail_given *g = v->items[i];

		jw_put(w, i ? ",{\"k\":" : "{\"k\":");
		jw_intval(w, g->kind);
		jw_str(w, "e", g->email);
		jw_str(w, "n", g->name);
		jw_str(w, "m", g->message_id);
		jw_put(w, "}");
	}
	jw_put(w, "]");
}

/* A series' line after "{\"fp\":\"...\"". */
static void series_body(struct jw *w, const struct mail_series *s)
{
	jw_int(w, "last", (long long)s->last_activity);
	jw_str(w, "title", s->title);
	jw_str(w, "an", s->author_name);
	jw_str(w, "ae", s->author_email);
	jw_str(w, "tree", s->tree);
	jw_array(w, "versions", s->versions.n);
	for (size_t i = 0; i < s->versions.n; i++) {
		const struct mail_version *v = s->versions.items[i];

		jw_put(w, i ? ",{\"v\":" : "{\"v\":");
		jw_intval(w, v->version);
		jw_int(w, "f", v->flags);
		jw_str(w, "tree", v->tree);
		jw_str(w, "id", v->message_id);
		jw_str(w, "th", v->thread);
		jw_int(w, "d", (long long)v->date);
		jw_int(w, "last", (long long)v->last_activity);
		jw_int(w, "exp", v->patches_expected);
		jw_int(w, "rcv", v->patches_received);
		jw_int(w, "cover", v->has_cover ? 1 : 0);
		jw_int(w, "state", (int)v->state);
		jw_str(w, "at", v->applied_to);
		jw_str(w, "by", v->applied_by);
		jw_str(w, "pull", v->pull_request);
		jw_str(w, "pw", v->pwbot);
		jw_given(w, &v->given);
		jw_strings(w, "rep", &v->repliers);
		jw_array(w, "patches", v->patches.n);
		for (size_t j = 0; j < v->patches.n; j++) {
			const struct mail_patch *p = v->patches.items[j];

			jw_put(w, j ? ",{\"i\":" : "{\"i\":");
			jw_intval(w, p->index);
			jw_str(w, "id", p->message_id);
			jw_str(w, "t", p->title);
			jw_str(w, "c", p->commit);
			jw_given(w, &p->given);
			jw_put(w, "}");
		}
		jw_put(w, "]}");
	}
	jw_put(w, "]}\n");
}

static uint64_t series_fingerprint(const struct mail_series *s)
{
	struct jw w = { NULL, FP_SEED };

	series_body(&w, s);
	return w.h;
}

static void pull_line(struct sbuf *sb, const struct mail_pullreq *p)
{
	struct jw w = { sb, 0 };

	sbuf_addstr(sb, "{\"posted\":");
	sbuf_addll(sb, (long long)p->posted);
	jw_int(&w, "n", p->ncommits);
	jw_str(&w, "id", p->message_id);
	jw_str(&w, "tree", p->tree);
	jw_str(&w, "date", p->date);
	jw_str(&w, "target", p->target);
	jw_str(&w, "from", p->from);
	jw_str(&w, "at", p->applied_to);
	jw_strings(&w, "series", &p->series);
	jw_strings(&w, "titles", &p->titles);
	sbuf_addstr(sb, "}\n");
}

/* A line of the old listing, by fingerprint. */
struct old_line {
	uint64_t fp;
	off_t off;
	size_t len;		/* with its newline */
};

static int old_line_cmp(const void *a, const void *b)
{
	const struct old_line *x = a, *y = b;

	return x->fp < y->fp ? -1 : x->fp > y->fp;
}

#define FP_PREFIX "{\"fp\":\""
#define FP_PREFIX_LEN (sizeof(FP_PREFIX) - 1)

/*
 * Index the series lines of the old listing, if there is one of this
 * format; *f stays open to copy from.  It is read through a small
 * buffer, never held whole.
 */
static struct old_line *old_lines_read(const char *path, FILE **f, size_t *n)
{
	struct old_line *lines = NULL;
	size_t alloc = 0, cap = 0;
	char *line = NULL;
	ssize_t len;
	off_t off = 0;
	int format;

	*n = 0;
	*f = fopen(path, "re");
	if (!*f)
		return NULL;
	len = getline(&line, &cap, *f);
	if (len <= 0 || sscanf(line, "vger-series %d ", &format) != 1 ||
	    format != LISTING_FORMAT) {
		free(line);
		fclose(*f);
		*f = NULL;
		return NULL;
	}
	off = len;
	while ((len = getline(&line, &cap, *f)) > 0) {
		char hex[17], *stop;
		uint64_t fp;

		if (line[len - 1] == '\n' && (size_t)len > FP_PREFIX_LEN + 17 &&
		    !memcmp(line, FP_PREFIX, FP_PREFIX_LEN) &&
		    line[FP_PREFIX_LEN + 16] == '"') {
			memcpy(hex, line + FP_PREFIX_LEN, 16);
			hex[16] = '\0';
			fp = strtoull(hex, &stop, 16);
			if (!*stop) {
				ALLOC_GROW(lines, *n + 1, alloc);
				lines[(*n)++] = (struct old_line){
					fp, off, (size_t)len };
			}
		}
		off += len;
	}
	free(line);
	if (*n)
		qsort(lines, *n, sizeof(*lines), old_line_cmp);
	return lines;
}

/*
 * The new listing as it is written: new lines through f, old ones
 * copied from the old file by the kernel (copy_file_range()), runs of
 * neighbours at once.
 */
struct lout {
	FILE *f;
	int old_fd;
	off_t run_off;
	size_t run_len;
	int failed;
};

static void lout_flush_run(struct lout *o)
{
	loff_t in = o->run_off;
	size_t left = o->run_len;
	char buf[65536];

	if (!left)
		return;
	o->run_len = 0;
	if (fflush(o->f)) {
		o->failed = 1;
		return;
	}
	while (left) {
		ssize_t n = copy_file_range(o->old_fd, &in, fileno(o->f), NULL,
					    left, 0);

		if (n <= 0)
			break;	/* not on this file system: copy it here */
		left -= (size_t)n;
	}
	while (left && !o->failed) {
		ssize_t n = pread(o->old_fd, buf, left < sizeof(buf) ? left :
				  sizeof(buf), in);

		if (n <= 0) {
			o->failed = 1;	/* the old file changed under us */
			break;
		}
		fwrite(buf, 1, (size_t)n, o->f);
		in += n;
		left -= (size_t)n;
	}
}

static void lout_old(struct lout *o, const struct old_line *l)
{
	if (o->run_len && o->run_off + (off_t)o->run_len == l->off) {
		o->run_len += l->len;
		return;
	}
	lout_flush_run(o);
	o->run_off = l->off;
	o->run_len = l->len;
}

static void lout_new(struct lout *o, const char *s, size_t n)
{
	lout_flush_run(o);
	fwrite(s, 1, n, o->f);
}

/*
 * Series lines [from, to): written through out as they come when out
 * is set, else kept as pieces (old lines by reference, new ones in sb)
 * for the caller to write in order; a part runs on a thread of its own.
 */
struct piece {
	const struct old_line *old;	/* a line of the old listing, or */
	size_t off, len;		/* this much of sb */
};

struct listing_part {
	const struct mail_model *m;
	const struct old_line *old;
	size_t nold;
	size_t from, to;
	struct lout *out;
	struct sbuf sb;
	struct piece *pieces;
	size_t npieces, alloc;
	pthread_t thread;
	int started;
};

static void part_piece(struct listing_part *lp, const struct old_line *old,
		       size_t off, size_t len)
{
	ALLOC_GROW(lp->pieces, lp->npieces + 1, lp->alloc);
	lp->pieces[lp->npieces++] = (struct piece){ old, off, len };
}

static void *listing_part_main(void *arg)
{
	struct listing_part *lp = arg;

	for (size_t i = lp->from; i < lp->to; i++) {
		const struct mail_series *s = lp->m->series.items[i];
		struct old_line key = { series_fingerprint(s), 0, 0 };
		const struct old_line *hit = lp->nold ?
			bsearch(&key, lp->old, lp->nold, sizeof(key),
				old_line_cmp) : NULL;
		struct jw w = { &lp->sb, 0 };
		size_t start = lp->sb.len;

		if (hit) {
			if (lp->out)
				lout_old(lp->out, hit);
			else
				part_piece(lp, hit, 0, hit->len);
			continue;
		}
		sbuf_addf(&lp->sb, FP_PREFIX "%016llx\"",
			  (unsigned long long)key.fp);
		series_body(&w, s);
		if (lp->out) {
			lout_new(lp->out, lp->sb.buf, lp->sb.len);
			sbuf_reset(&lp->sb);
		} else {
			part_piece(lp, NULL, start, lp->sb.len - start);
		}
	}
	return NULL;
}

int mail_cache_write_model(const char *path, const char *uuid,
			   const char *stamp, const struct mail_model *m,
			   struct err *err)
{
	struct listing_part part[2];
	struct sbuf sb = SBUF_INIT;
	struct old_line *old;
	struct lout lo;
	size_t nold;
	struct fs_atomic out;
	FILE *oldf = NULL;
	int ret;

	old = old_lines_read(path, &oldf, &nold);
	ret = fs_atomic_begin(&out, path, err);
	if (ret)
		goto out;
	memset(&lo, 0, sizeof(lo));
	lo.f = out.f;
	lo.old_fd = oldf ? fileno(oldf) : -1;
	/* Pulls first: there are few, and a listing reads them all. */
	fprintf(out.f, "vger-series %d %s %lu %zu %zu %zu %s\n",
		LISTING_FORMAT, uuid, m->revision, m->pulls.n, m->series.n,
		m->nmessages, stamp);
	for (size_t i = 0; i < m->pulls.n; i++)
		pull_line(&sb, m->pulls.items[i]);
	fwrite(sb.buf, 1, sb.len, out.f);
	/* The second half of the series is done beside the first. */
	memset(part, 0, sizeof(part));
	for (int i = 0; i < 2; i++) {
		part[i].m = m;
		part[i].old = old;
		part[i].nold = nold;
		part[i].from = i ? m->series.n / 2 : 0;
		part[i].to = i ? m->series.n : m->series.n / 2;
		sbuf_init(&part[i].sb);
	}
	part[0].out = &lo;
	part[1].started = m->series.n > 256 &&
		!pthread_create(&part[1].thread, NULL, listing_part_main,
				&part[1]);
	listing_part_main(&part[0]);
	if (part[1].started)
		pthread_join(part[1].thread, NULL);
	else
		listing_part_main(&part[1]);
	for (size_t i = 0; i < part[1].npieces; i++) {
		const struct piece *pc = &part[1].pieces[i];

		if (pc->old)
			lout_old(&lo, pc->old);
		else
			lout_new(&lo, part[1].sb.buf + pc->off, pc->len);
	}
	lout_flush_run(&lo);
	for (int i = 0; i < 2; i++) {
		sbuf_release(&part[i].sb);
		free(part[i].pieces);
	}
	if (lo.failed) {
		fs_atomic_abort(&out);
		ret = err_set(err, ERR_IO, "%s: the old listing changed while "
			      "it was copied", path);
	} else {
		ret = fs_atomic_commit(&out, err);
	}
out:
	sbuf_release(&sb);
	if (oldf)
		fclose(oldf);
	free(old);
	return ret;
}

static int stamp_known(const char *stamp)
{
	return stamp[strspn(stamp, "0")] != '\0';
}

/* The header line of a listing. */
struct listing_head {
	char uuid[128];
	unsigned long revision;
	size_t npulls, nseries, nmessages;
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
};

/* Read it from f: 0, or -1 unless of this format, uuid and revision. */
static int listing_head_read(FILE *f, const char *uuid,
			     unsigned long revision, struct listing_head *h)
{
	int format;

	if (fscanf(f, "vger-series %d %127s %lu %zu %zu %zu %48s\n", &format,
		   h->uuid, &h->revision, &h->npulls, &h->nseries,
		   &h->nmessages, h->stamp) != 7 ||
	    format != LISTING_FORMAT || strcmp(h->uuid, uuid) ||
	    h->revision != revision)
		return -1;
	return 0;
}

int mail_cache_listing_current(const char *path, const char *uuid,
			       unsigned long revision, const char *stamp)
{
	FILE *f = fopen(path, "re");
	struct listing_head h;
	int ok;

	if (!f)
		return 0;
	ok = !listing_head_read(f, uuid, revision, &h) && stamp_known(stamp) &&
		!strcmp(h.stamp, stamp);
	fclose(f);
	return ok;
}

int mail_cache_listing_restamp(const char *path, const char *stamp)
{
	char head[512];
	ssize_t n;
	char *nl;
	int fd = open(path, O_RDWR | O_CLOEXEC), ret = -1;

	if (fd < 0)
		return -1;
	n = pread(fd, head, sizeof(head) - 1, 0);
	if (n > 0) {
		head[n] = '\0';
		nl = strchr(head, '\n');
		/* The stamp ends the header line: rewrite it in place. */
		if (nl && nl - head > MAIL_INDEX_STAMP_LEN &&
		    nl[-MAIL_INDEX_STAMP_LEN - 1] == ' ' &&
		    pwrite(fd, stamp, MAIL_INDEX_STAMP_LEN,
			   nl - head - MAIL_INDEX_STAMP_LEN) ==
		    MAIL_INDEX_STAMP_LEN)
			ret = 0;
	}
	close(fd);
	return ret;
}

static char *get_str(json_object *o, const char *key, struct arena *a)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return arena_strdup(a, json_object_get_string(v));
}

static int64_t get_int(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_int64(v);
}

static json_object *get_array(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static void get_strings(json_object *o, const char *key, struct vec *out,
			struct arena *a)
{
	json_object *arr = get_array(o, key);

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *s = json_object_array_get_idx(arr, i);

		if (json_object_is_type(s, json_type_string))
			vec_push(out, arena_strdup(a, json_object_get_string(s)));
	}
}

static void get_given(json_object *o, struct vec *out, struct arena *a)
{
	json_object *arr = get_array(o, "given");

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *jg = json_object_array_get_idx(arr, i);
		struct mail_given *g = ARENA_NEW(a, struct mail_given);
		int64_t k = get_int(jg, "k");

		g->kind = k >= 0 && k <= MAIL_TRAILER_OTHER ?
			(enum mail_trailer_kind)k : MAIL_TRAILER_OTHER;
		g->email = get_str(jg, "e", a);
		g->name = get_str(jg, "n", a);
		g->message_id = get_str(jg, "m", a);
		if (!g->email)
			g->email = arena_strdup(a, "");
		vec_push(out, g);
	}
}

static struct mail_series *series_from_json(json_object *o, struct arena *a)
{
	struct mail_series *s = ARENA_NEW(a, struct mail_series);
	json_object *vs = get_array(o, "versions");

	s->title = get_str(o, "title", a);
	s->author_name = get_str(o, "an", a);
	s->author_email = get_str(o, "ae", a);
	s->tree = get_str(o, "tree", a);
	s->last_activity = (time_t)get_int(o, "last");
	if (!s->title || !s->author_email || !vs ||
	    !json_object_array_length(vs)) {
		mail_series_release(s);
		return NULL;
	}
	for (size_t i = 0; i < json_object_array_length(vs); i++) {
		json_object *jv = json_object_array_get_idx(vs, i);
		struct mail_version *v = ARENA_NEW(a, struct mail_version);
		json_object *ps = get_array(jv, "patches");

		v->version = (unsigned)get_int(jv, "v");
		v->flags = (unsigned)get_int(jv, "f");
		v->tree = get_str(jv, "tree", a);
		v->message_id = get_str(jv, "id", a);
		v->thread = get_str(jv, "th", a);
		v->date = (time_t)get_int(jv, "d");
		v->last_activity = (time_t)get_int(jv, "last");
		v->patches_expected = (unsigned)get_int(jv, "exp");
		v->patches_received = (unsigned)get_int(jv, "rcv");
		v->has_cover = (int)get_int(jv, "cover");
		v->state = (enum mail_state)get_int(jv, "state");
		v->applied_to = get_str(jv, "at", a);
		v->applied_by = get_str(jv, "by", a);
		v->pull_request = get_str(jv, "pull", a);
		v->pwbot = get_str(jv, "pw", a);
		get_given(jv, &v->given, a);
		get_strings(jv, "rep", &v->repliers, a);
		for (size_t j = 0; ps && j < json_object_array_length(ps); j++) {
			json_object *jp = json_object_array_get_idx(ps, j);
			struct mail_patch *p = ARENA_NEW(a, struct mail_patch);

			p->index = (unsigned)get_int(jp, "i");
			p->message_id = get_str(jp, "id", a);
			p->title = get_str(jp, "t", a);
			p->commit = get_str(jp, "c", a);
			get_given(jp, &p->given, a);
			vec_push(&v->patches, p);
		}
		vec_push(&s->versions, v);
		if (!v->message_id) {
			mail_series_release(s);
			return NULL;
		}
	}
	return s;
}

static struct mail_pullreq *pull_from_json(json_object *o, struct arena *a)
{
	struct mail_pullreq *p = ARENA_NEW(a, struct mail_pullreq);

	p->message_id = get_str(o, "id", a);
	p->tree = get_str(o, "tree", a);
	p->date = get_str(o, "date", a);
	p->target = get_str(o, "target", a);
	p->from = get_str(o, "from", a);
	p->posted = (time_t)get_int(o, "posted");
	p->ncommits = (unsigned)get_int(o, "n");
	p->applied_to = get_str(o, "at", a);
	get_strings(o, "series", &p->series, a);
	get_strings(o, "titles", &p->titles, a);
	if (!p->message_id) {
		mail_pullreq_release(p);
		return NULL;
	}
	return p;
}

int mail_cache_read_model(const char *path, const char *uuid,
			  unsigned long revision, size_t limit,
			  struct mail_model *m, char *stamp, struct err *err)
{
	FILE *f = fopen(path, "re");
	struct listing_head h;
	size_t nseries, npulls, lineno = 1;
	int ret = 0;
	char *line = NULL;
	size_t cap = 0;
	json_tokener *tok = NULL;

	if (!f)
		return err_set(err, ERR_NOTFOUND, "%s: no cache", path);
	if (listing_head_read(f, uuid, revision, &h)) {
		ret = err_set(err, ERR_PARSE, "%s: stale or foreign", path);
		goto out;
	}
	memcpy(stamp, h.stamp, sizeof(h.stamp));
	npulls = h.npulls;
	nseries = h.nseries;
	m->nmessages = h.nmessages;
	tok = json_tokener_new();
	if (limit && limit < nseries)
		nseries = limit;	/* the rest is not read at all */
	for (size_t i = 0; i < npulls + nseries; i++) {
		ssize_t n = getline(&line, &cap, f);
		json_object *o;
		int is_series = i >= npulls;

		lineno++;
		if (n <= 0) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: truncated",
				      path, lineno);
			goto out;
		}
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, line, (int)n);
		if (!o) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: bad JSON", path,
				      lineno);
			goto out;
		}
		if (is_series) {
			struct mail_series *s = series_from_json(o,
							  &m->store->arena);

			if (s)
				vec_push(&m->series, s);
			else
				ret = -1;
		} else {
			struct mail_pullreq *p = pull_from_json(o,
							   &m->store->arena);

			if (p)
				vec_push(&m->pulls, p);
			else
				ret = -1;
		}
		json_object_put(o);
		if (ret) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: bad entry",
				      path, lineno);
			goto out;
		}
	}
out:
	if (tok)
		json_tokener_free(tok);
	free(line);
	fclose(f);
	return ret;
}
