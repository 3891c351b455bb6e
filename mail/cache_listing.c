/*
 * The model's listing cache (mail/private.h), the second of its two
 * files per (database, query) beside the records
 * (mail/cache_records.c).
 *
 * series.jsonl: the grouped model, newest series first, one JSON object
 * per line after a header "vger-series FORMAT UUID REVISION NPULLS
 * NSERIES NMESSAGES STAMP", so a listing reads only the lines it shows.
 * STAMP is the database's (mail_index_stamp()) when the listing was
 * known to match it.
 *
 * Anything that does not parse is reported as ERR_PARSE and the caller
 * rebuilds; the file is written atomically.
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
#include <unistd.h>

#include "mail/index.h"
#include "mail/private.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/*
 * 5: trailer kinds as enum mail_trailer_kind values, not letters;
 * 6: an author at two addresses is one series (mail/group.c)
 */
#define LISTING_FORMAT 6

/*
 * The header's revision has this many digits, zeros in front: it is
 * rewritten in place when the database changed but the model did not
 * (mail_cache_listing_advance()).
 */
#define REVISION_WIDTH 20

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
/* The listing for reading, only when it is a regular file; or NULL. */
static FILE *listing_fopen(const char *path)
{
	int fd = fs_open_regular(path, O_RDONLY, NULL);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

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
	*f = listing_fopen(path);
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
	int failed;		/* the old file could not be read */
	int write_errno;	/* the new one could not be written */
	uint64_t pos;		/* where the next line starts */
	uint64_t *at;		/* NULL, or where each line starts */
	size_t nlines;		/* lines written */
};

/* The header (of n bytes) is written. */
static void lout_start(struct lout *o, uint64_t *at, size_t n)
{
	o->at = at;
	o->pos = n;
	if (at)
		at[0] = n;
}

/* A line of n bytes is written: the next starts after it. */
static void lout_line(struct lout *o, size_t n)
{
	o->pos += n;
	o->nlines++;
	if (o->at)
		o->at[o->nlines] = o->pos;
}

static void lout_flush_run(struct lout *o)
{
	loff_t in = o->run_off;
	size_t left = o->run_len;
	char buf[65536];

	if (!left)
		return;
	o->run_len = 0;
	if (o->failed || o->write_errno)
		return;
	if (fflush(o->f)) {
		o->write_errno = errno;
		return;
	}
	while (left) {
		ssize_t n = copy_file_range(o->old_fd, &in, fileno(o->f), NULL,
					    left, 0);

		if (n < 0 && (errno == ENOSPC || errno == EDQUOT ||
			      errno == EIO || errno == EFBIG)) {
			o->write_errno = errno;
			return;
		}
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
	lout_line(o, l->len);
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
	lout_line(o, n);
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

/* The header line; its length. */
static int listing_header(FILE *f, const char *uuid, unsigned long revision,
			  size_t npulls, size_t nseries, size_t nmessages,
			  const char *stamp)
{
	return fprintf(f, "vger-series %d %s %0*lu %zu %zu %zu %s\n",
		       LISTING_FORMAT, uuid, REVISION_WIDTH, revision, npulls,
		       nseries, nmessages, stamp);
}

/* Series formatted at a time by mail_cache_write_model()'s two threads. */
#define LISTING_ROUND 4096

int mail_cache_write_model(const char *path, const char *uuid,
			   const char *stamp, const struct mail_model *m,
			   uint64_t *line_at, struct err *err)
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
	out.nosync = 1;	/* read back checked, line by line */
	memset(&lo, 0, sizeof(lo));
	lo.f = out.f;
	lo.old_fd = oldf ? fileno(oldf) : -1;
	/* Pulls first: there are few, and a listing reads them all. */
	lout_start(&lo, line_at,
		   (size_t)listing_header(out.f, uuid, m->revision,
					  m->pulls.n, m->series.n,
					  m->nmessages, stamp));
	for (size_t i = 0; i < m->pulls.n; i++) {
		size_t before = sb.len;

		pull_line(&sb, m->pulls.items[i]);
		lout_line(&lo, sb.len - before);
	}
	fwrite(sb.buf, 1, sb.len, out.f);
	/*
	 * In rounds of LISTING_ROUND series, the second half of each is
	 * done beside the first: what waits to be written stays small (a
	 * series line of a big corpus is a few KB, its message ids).
	 */
	for (size_t from = 0; from < m->series.n; from += LISTING_ROUND) {
		size_t to = from + LISTING_ROUND < m->series.n ?
			from + LISTING_ROUND : m->series.n;

		memset(part, 0, sizeof(part));
		for (int i = 0; i < 2; i++) {
			part[i].m = m;
			part[i].old = old;
			part[i].nold = nold;
			part[i].from = i ? from + (to - from) / 2 : from;
			part[i].to = i ? to : from + (to - from) / 2;
			sbuf_init(&part[i].sb);
		}
		part[0].out = &lo;
		part[1].started = to - from > 256 &&
			!pthread_create(&part[1].thread, NULL,
					listing_part_main, &part[1]);
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
				lout_new(&lo, part[1].sb.buf + pc->off,
					 pc->len);
		}
		for (int i = 0; i < 2; i++) {
			sbuf_release(&part[i].sb);
			free(part[i].pieces);
		}
	}
	lout_flush_run(&lo);
	if (lo.write_errno) {
		fs_atomic_abort(&out);
		ret = err_set(err, ERR_IO, "write %s: %s", path,
			      strerror(lo.write_errno));
	} else if (lo.failed) {
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

/*
 * More series, pulls or messages than any list has: a count past it
 * is damage (a count near SIZE_MAX would wrap the reader's loop).
 */
#define LISTING_COUNT_MAX (1UL << 30)

/*
 * Read it from f: 0, or -1 unless of this format, uuid and revision,
 * whole on one line, with counts in bounds and a stamp of
 * mail_index_stamp()'s form.
 */
static int listing_head_read_any(FILE *f, const char *uuid,
				 struct listing_head *h);

static int listing_head_read(FILE *f, const char *uuid,
			     unsigned long revision, struct listing_head *h)
{
	return listing_head_read_any(f, uuid, h) || h->revision != revision ?
		-1 : 0;
}

/* The same, of any revision. */
static int listing_head_read_any(FILE *f, const char *uuid,
				 struct listing_head *h)
{
	char line[512];
	int format, end = 0;

	if (!fgets(line, sizeof(line), f) || !strchr(line, '\n') ||
	    sscanf(line, "vger-series %d %127s %lu %zu %zu %zu %48s%n",
		   &format, h->uuid, &h->revision, &h->npulls, &h->nseries,
		   &h->nmessages, h->stamp, &end) != 7 ||
	    line[end] != '\n' || format != LISTING_FORMAT ||
	    strcmp(h->uuid, uuid) ||
	    h->npulls > LISTING_COUNT_MAX || h->nseries > LISTING_COUNT_MAX ||
	    h->nmessages > LISTING_COUNT_MAX ||
	    strlen(h->stamp) != MAIL_INDEX_STAMP_LEN ||
	    !str_is_hex(h->stamp, MAIL_INDEX_STAMP_LEN))
		return -1;
	return 0;
}

int mail_cache_listing_current(const char *path, const char *uuid,
			       unsigned long revision, const char *stamp)
{
	FILE *f = listing_fopen(path);
	struct listing_head h;
	int ok;

	if (!f)
		return 0;
	ok = !listing_head_read(f, uuid, revision, &h) && stamp_known(stamp) &&
		!strcmp(h.stamp, stamp);
	fclose(f);
	return ok;
}

/*
 * The listing opened for writing in place, with its header's first
 * bytes read into head (NUL-terminated): the descriptor, or -1.
 */
static int head_open(const char *path, char *head, size_t size)
{
	int fd = fs_open_regular(path, O_RDWR, NULL);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, head, size - 1, 0);
	if (n <= 0) {
		close(fd);
		return -1;
	}
	head[n] = '\0';
	return fd;
}

int mail_cache_listing_restamp(const char *path, const char *stamp)
{
	char head[512];
	char *nl;
	int fd = head_open(path, head, sizeof(head)), ret = -1;

	if (fd < 0)
		return -1;
	nl = strchr(head, '\n');
	/* The stamp ends the header line: rewrite it in place. */
	if (nl && nl - head > MAIL_INDEX_STAMP_LEN &&
	    nl[-MAIL_INDEX_STAMP_LEN - 1] == ' ' &&
	    pwrite(fd, stamp, MAIL_INDEX_STAMP_LEN,
		   nl - head - MAIL_INDEX_STAMP_LEN) == MAIL_INDEX_STAMP_LEN)
		ret = 0;
	close(fd);
	return ret;
}

int mail_cache_listing_head(const char *path, const char *uuid,
			    unsigned long *revision, size_t *nmessages)
{
	FILE *f = listing_fopen(path);
	struct listing_head h;
	int ret;

	if (!f)
		return -1;
	ret = listing_head_read_any(f, uuid, &h);
	fclose(f);
	if (!ret) {
		*revision = h.revision;
		*nmessages = h.nmessages;
	}
	return ret;
}

int mail_cache_listing_advance(const char *path, unsigned long revision,
			       const char *stamp)
{
	char head[512], digits[REVISION_WIDTH + 1];
	const char *at;
	int fd = head_open(path, head, sizeof(head)), ret = -1;

	if (fd < 0)
		return -1;
	/*
	 * "vger-series FORMAT UUID REVISION ...": the revision is the
	 * third word, REVISION_WIDTH digits in a listing that can be
	 * advanced (an older one is written again instead).
	 */
	at = strchr(head, ' ');
	at = at ? strchr(at + 1, ' ') : NULL;
	at = at ? strchr(at + 1, ' ') : NULL;
	if (at && strspn(at + 1, "0123456789") == REVISION_WIDTH &&
	    at[1 + REVISION_WIDTH] == ' ' &&
	    snprintf(digits, sizeof(digits), "%0*lu", REVISION_WIDTH,
		     revision) == REVISION_WIDTH &&
	    pwrite(fd, digits, REVISION_WIDTH, at + 1 - head) ==
	    REVISION_WIDTH)
		ret = 0;
	close(fd);
	return ret ? ret : mail_cache_listing_restamp(path, stamp);
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
			  int series_only, struct mail_model *m, char *stamp,
			  struct err *err)
{
	FILE *f = listing_fopen(path);
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
		/*
		 * The pulls come first, a line each: a listing of series
		 * passes over them (at a million messages, parsing them
		 * was a third of its time).
		 */
		if (!is_series && series_only)
			continue;
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

/*
 * ---- the listing written again from the old one and a few series
 * grouped anew (mail_cache_write_merged()) ----
 */

struct merge {
	int old_fd;
	const char *path;
	json_tokener *tok;
	struct arena tmp;
	int bad;		/* an old line did not read back */
};

/* A kept line read back, as JSON (NULL when it does not parse). */
static json_object *merge_read(struct merge *mg,
			       const struct mail_listing_keep *k)
{
	char *buf = xmalloc(k->len + 1);
	json_object *o = NULL;

	if (pread(mg->old_fd, buf, k->len, (off_t)k->off) == (ssize_t)k->len) {
		json_tokener_reset(mg->tok);
		o = json_tokener_parse_ex(mg->tok, buf, (int)k->len);
	}
	free(buf);
	if (!o)
		mg->bad = 1;
	return o;
}

/* Whether kept pull line k comes before p in the listing. */
static int pull_kept_first(struct merge *mg, const struct mail_listing_keep *k,
			   const struct mail_pullreq *p)
{
	json_object *o;
	struct mail_pullreq *old;
	int first = 0;

	if (k->sort != (int64_t)p->posted)
		return k->sort > (int64_t)p->posted;
	/* The same second: read the line to order them as a build does. */
	o = merge_read(mg, k);
	old = o ? pull_from_json(o, &mg->tmp) : NULL;
	if (old)
		first = mail_pull_order(old, p) < 0;
	else
		mg->bad = 1;
	if (old)
		mail_pullreq_release(old);
	json_object_put(o);
	return first;
}

static int series_kept_first(struct merge *mg,
			     const struct mail_listing_keep *k,
			     const struct mail_series *s)
{
	json_object *o;
	struct mail_series *old;
	int first = 0;

	if (k->sort != (int64_t)s->last_activity)
		return k->sort > (int64_t)s->last_activity;
	o = merge_read(mg, k);
	old = o ? series_from_json(o, &mg->tmp) : NULL;
	if (old && ((const struct mail_version *)
		    old->versions.items[0])->message_id)
		first = mail_series_order(old, s) < 0;
	else
		mg->bad = 1;
	if (old)
		mail_series_release(old);
	json_object_put(o);
	return first;
}

struct mail_pullreq *mail_cache_listing_pull(const char *path,
					     const struct mail_listing_keep *k,
					     struct arena *a)
{
	struct merge mg;
	struct mail_pullreq *p = NULL;
	json_object *o;

	memset(&mg, 0, sizeof(mg));
	mg.old_fd = fs_open_regular(path, O_RDONLY, NULL);
	if (mg.old_fd < 0)
		return NULL;
	mg.tok = json_tokener_new();
	o = merge_read(&mg, k);
	if (o)
		p = pull_from_json(o, a);
	json_object_put(o);
	json_tokener_free(mg.tok);
	close(mg.old_fd);
	return p;
}

int mail_cache_write_merged(const char *path, const char *uuid,
			    const char *stamp, unsigned long revision,
			    size_t nmessages,
			    const struct mail_listing_keep *pulls, size_t npulls,
			    const struct mail_listing_keep *series,
			    size_t nseries, const struct mail_model *m,
			    uint64_t *line_at, size_t *line_from,
			    struct fs_atomic *held, struct err *err)
{
	struct fs_atomic out;
	struct merge mg;
	struct lout lo;
	struct sbuf sb = SBUF_INIT;
	size_t k = 0, j = 0, n = 0;
	int ret;

	memset(&mg, 0, sizeof(mg));
	mg.path = path;
	mg.old_fd = fs_open_regular(path, O_RDONLY, err);
	if (mg.old_fd < 0)
		return mg.old_fd;
	ret = fs_atomic_begin(&out, path, err);
	if (ret) {
		close(mg.old_fd);
		return ret;
	}
	out.nosync = 1;	/* read back checked, line by line */
	mg.tok = json_tokener_new();
	memset(&lo, 0, sizeof(lo));
	lo.f = out.f;
	lo.old_fd = mg.old_fd;
	lout_start(&lo, line_at,
		   (size_t)listing_header(out.f, uuid, revision,
					  npulls + m->pulls.n,
					  nseries + m->series.n, nmessages,
					  stamp));
	/* Pulls, then series: each the kept lines and the new merged. */
	while (k < npulls || j < m->pulls.n) {
		if (j == m->pulls.n ||
		    (k < npulls && pull_kept_first(&mg, &pulls[k],
						   m->pulls.items[j]))) {
			struct old_line l = { 0, (off_t)pulls[k].off,
					      pulls[k].len };

			lout_old(&lo, &l);
			line_from[n++] = k++;
		} else {
			sbuf_reset(&sb);
			pull_line(&sb, m->pulls.items[j]);
			lout_new(&lo, sb.buf, sb.len);
			line_from[n++] = npulls + j++;
		}
	}
	k = j = 0;
	while (k < nseries || j < m->series.n) {
		if (j == m->series.n ||
		    (k < nseries && series_kept_first(&mg, &series[k],
						      m->series.items[j]))) {
			struct old_line l = { 0, (off_t)series[k].off,
					      series[k].len };

			lout_old(&lo, &l);
			line_from[n++] = k++;
		} else {
			const struct mail_series *s = m->series.items[j];
			struct jw w = { &sb, 0 };

			sbuf_reset(&sb);
			sbuf_addf(&sb, FP_PREFIX "%016llx\"",
				  (unsigned long long)series_fingerprint(s));
			series_body(&w, s);
			lout_new(&lo, sb.buf, sb.len);
			line_from[n++] = nseries + j++;
		}
	}
	lout_flush_run(&lo);
	if (lo.write_errno) {
		fs_atomic_abort(&out);
		ret = err_set(err, ERR_IO, "write %s: %s", path,
			      strerror(lo.write_errno));
	} else if (lo.failed || mg.bad) {
		fs_atomic_abort(&out);
		ret = err_set(err, ERR_PARSE, "%s: a line of the old listing "
			      "did not read back", path);
	} else if (held) {
		/* Written, to commit or abort: the caller's. */
		ret = fflush(out.f) || ferror(out.f) ?
			err_set(err, ERR_IO, "write %s: %s", path,
				strerror(errno)) : 0;
		if (ret)
			fs_atomic_abort(&out);
		else
			*held = out;
	} else {
		ret = fs_atomic_commit(&out, err);
	}
	json_tokener_free(mg.tok);
	arena_release(&mg.tmp);
	sbuf_release(&sb);
	close(mg.old_fd);
	return ret;
}
