/*
 * The model's listing cache (mail/private.h), the second of its two
 * files per (database, query) beside the records
 * (mail/cache_records.c).
 *
 * series.jsonl: the grouped model, pulls first, then the series newest
 * first, one JSON object per line after a header "vger-series FORMAT
 * UUID REVISION NPULLS NSERIES NMESSAGES BASE STAMP", so a listing
 * reads only the lines it shows.  STAMP is the database's
 * (mail_index_stamp()) when the listing was known to match it; BASE a
 * random number, new with each listing written whole.
 *
 * series.jsonl.patch: what updates (mail/update.c) changed since.  An
 * update replaces a few lines; at a million messages the listing is
 * 230 MB, and writing it again, then freeing the old one, was 0.4 s of
 * an update that has to stay under one.  So the lines it replaces and
 * adds go to a patch beside it:
 *
 *   vger-patch FORMAT UUID REVISION NPULLS NSERIES NMESSAGES BASE STAMP
 *   NGONE NADDED
 *   OFFSET                  NGONE lines: a line of the listing gone,
 *                           by where it starts, ascending
 *   P|S BEFORE LENGTH       NADDED lines: a line added to the pulls or
 *                           series, before the listing's line at
 *                           BEFORE (the listing's size: at the part's
 *                           end), in the order they are read
 *   the lines added, one after another
 *
 * Its header is the listing's as it would be written whole, with the
 * BASE of the listing it goes with: a patch of another is not used,
 * and neither is one that does not hold together (the listing is then
 * of the revision it says, older, and the caller updates or rebuilds).
 * Each update writes the patch again whole, with what it kept of the
 * one before; past LISTING_PATCH_SHARE of the listing it writes the
 * listing whole instead, and the patch goes.  Where a line is (the
 * groups file keeps it, mail/cache_groups.c) is counted through the
 * listing and on through the patch: OFF in the patch is the listing's
 * size plus OFF.
 *
 * Anything that does not parse is reported as ERR_PARSE and the caller
 * rebuilds; the files are written atomically (rename()).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
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

/*
 * 5: trailer kinds as enum mail_trailer_kind values, not letters;
 * 6: an author at two addresses is one series (mail/group.c);
 * 7: the header names its base, for a patch beside (see below)
 */
#define LISTING_FORMAT 7
/* The base: a random number, this many hex digits. */
#define BASE_HEX 16
#define PATCH_SUFFIX ".patch"
/* A patch past this share of its listing, and it is written whole. */
#define LISTING_PATCH_SHARE 8

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
	int patch_fd;		/* lines from base_size on are its */
	uint64_t base_size;
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
	int fd = o->old_fd;

	if (!left)
		return;
	if ((uint64_t)in >= o->base_size) {
		fd = o->patch_fd;
		in -= (loff_t)o->base_size;
	}
	o->run_len = 0;
	if (o->failed || o->write_errno)
		return;
	if (fflush(o->f)) {
		o->write_errno = errno;
		return;
	}
	while (left) {
		ssize_t n = copy_file_range(fd, &in, fileno(o->f), NULL,
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
		ssize_t n = pread(fd, buf, left < sizeof(buf) ? left :
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

/*
 * A header: "vger-series" (a listing's) or "vger-patch" (its patch's),
 * the format, then what the listing holds (see the top).
 */
static void head_add(struct sbuf *sb, const char *magic, const char *uuid,
		     unsigned long revision, size_t npulls, size_t nseries,
		     size_t nmessages, const char *base, const char *stamp)
{
	sbuf_addf(sb, "%s %d %s %0*lu %zu %zu %zu %s %s\n", magic,
		  LISTING_FORMAT, uuid, REVISION_WIDTH, revision, npulls,
		  nseries, nmessages, base, stamp);
}

/* A listing's header line written to f: its length. */
static size_t listing_header(FILE *f, const char *uuid,
			     unsigned long revision, size_t npulls,
			     size_t nseries, size_t nmessages,
			     const char *base, const char *stamp)
{
	struct sbuf sb = SBUF_INIT;
	size_t n;

	head_add(&sb, "vger-series", uuid, revision, npulls, nseries,
		 nmessages, base, stamp);
	fwrite(sb.buf, 1, sb.len, f);
	n = sb.len;
	sbuf_release(&sb);
	return n;
}

/*
 * A new listing's base (BASE_HEX hex digits and a NUL): random, so that
 * a patch of the listing it replaces is never taken as its own.
 */
static void new_base(char *base)
{
	snprintf(base, BASE_HEX + 1, "%08x%08x", (unsigned)g_random_int(),
		 (unsigned)g_random_int());
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
	char base[BASE_HEX + 1];
	int ret;

	old = old_lines_read(path, &oldf, &nold);
	ret = fs_atomic_begin(&out, path, err);
	if (ret)
		goto out;
	out.nosync = 1;	/* read back checked, line by line */
	memset(&lo, 0, sizeof(lo));
	lo.f = out.f;
	lo.old_fd = oldf ? fileno(oldf) : -1;
	lo.patch_fd = -1;
	lo.base_size = UINT64_MAX;	/* lines of the listing only */
	new_base(base);
	/* Pulls first: there are few, and a listing reads them all. */
	lout_start(&lo, line_at,
		   listing_header(out.f, uuid, m->revision, m->pulls.n,
				  m->series.n, m->nmessages, base, stamp));
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
		/* A patch of the one it replaced is not of its base. */
		if (!ret)
			mail_cache_listing_drop_patch(path);
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

/* A header: the listing's, or its patch's (what the listing holds now). */
struct listing_head {
	char uuid[128];
	unsigned long revision;
	size_t npulls, nseries, nmessages;
	char base[BASE_HEX + 1];
	char stamp[MAIL_INDEX_STAMP_LEN + 1];
};

/*
 * More series, pulls or messages than any list has: a count past it
 * is damage (a count near SIZE_MAX would wrap the reader's loop).
 */
#define LISTING_COUNT_MAX (1UL << 30)

/*
 * Header line `line` (NUL-terminated) of a listing or a patch (magic
 * says which): 0, or -1 unless of this format and of uuid (NULL: any),
 * whole with its newline, with counts in bounds, a base of BASE_HEX
 * hex digits and a stamp of mail_index_stamp()'s form.
 */
static int head_parse(const char *line, const char *magic, const char *uuid,
		      struct listing_head *h)
{
	char word[16];
	int format, end = 0;

	if (!strchr(line, '\n') ||
	    sscanf(line, "%15s %d %127s %lu %zu %zu %zu %16s %48s%n", word,
		   &format, h->uuid, &h->revision, &h->npulls, &h->nseries,
		   &h->nmessages, h->base, h->stamp, &end) != 9 ||
	    line[end] != '\n' || strcmp(word, magic) ||
	    format != LISTING_FORMAT || (uuid && strcmp(h->uuid, uuid)) ||
	    h->npulls > LISTING_COUNT_MAX || h->nseries > LISTING_COUNT_MAX ||
	    h->nmessages > LISTING_COUNT_MAX ||
	    strlen(h->base) != BASE_HEX || !str_is_hex(h->base, BASE_HEX) ||
	    strlen(h->stamp) != MAIL_INDEX_STAMP_LEN ||
	    !str_is_hex(h->stamp, MAIL_INDEX_STAMP_LEN))
		return -1;
	return 0;
}

/* A line the patch adds. */
struct patch_ins {
	uint64_t before;	/* the listing's line it goes before, */
				/* or the listing's size: its part's end */
	uint64_t off;		/* in the patch file */
	uint32_t len;		/* with its newline */
	int series;		/* which part: the pulls (0) or series */
};

/*
 * A listing open for reading, with its patch when one goes with it,
 * read on line by line (listing_next()) from after its header.
 */
struct listing {
	FILE *f;
	uint64_t size;			/* of the listing file */
	size_t head_len;
	struct listing_head base;	/* the listing's header */
	struct listing_head h;		/* what it holds: the patch's */
	int patch_fd;			/* -1: no patch */
	uint64_t patch_size;
	uint64_t *dead;			/* ascending */
	size_t ndead;
	struct patch_ins *ins;		/* in order */
	size_t nins;
	/* read on */
	uint64_t pos;			/* where the next line starts */
	int part;			/* pulls, series, then done (2) */
	size_t left;			/* the listing's lines of the part */
	size_t next_dead, next_ins;
};

static char *patch_path(const char *path)
{
	size_t n = strlen(path);
	char *p = xmalloc(n + sizeof(PATCH_SUFFIX));

	memcpy(p, path, n);
	memcpy(p + n, PATCH_SUFFIX, sizeof(PATCH_SUFFIX));
	return p;
}

static void listing_close(struct listing *l)
{
	if (l->f)
		fclose(l->f);
	if (l->patch_fd >= 0)
		close(l->patch_fd);
	free(l->dead);
	free(l->ins);
	memset(l, 0, sizeof(*l));
	l->patch_fd = -1;
}

/*
 * The patch of the listing l, when there is one of its base and it
 * holds together (offsets in the listing, ascending; its lines filling
 * the file): else the listing is read without one, and says the
 * revision it was written at.
 */
static void patch_open(struct listing *l, const char *path)
{
	char *pp = patch_path(path);
	int fd = fs_open_regular(pp, O_RDONLY, NULL);
	struct listing_head ph;
	char line[512];
	uint64_t at, prev = 0, nlines = l->base.npulls + l->base.nseries;
	struct stat st;
	size_t ndead, nins, npatch = 0;
	int series = 0, ok = 0;
	FILE *f;

	free(pp);
	if (fd < 0)
		return;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	if (fstat(fd, &st) || !fgets(line, sizeof(line), f) ||
	    head_parse(line, "vger-patch", l->base.uuid, &ph) ||
	    strcmp(ph.base, l->base.base) ||
	    !fgets(line, sizeof(line), f) ||
	    sscanf(line, "%zu %zu", &ndead, &nins) != 2 || ndead > nlines ||
	    nins > LISTING_COUNT_MAX)
		goto out;
	l->dead = xmalloc((ndead ? ndead : 1) * sizeof(*l->dead));
	l->ins = xmalloc((nins ? nins : 1) * sizeof(*l->ins));
	/*
	 * A warm listing reads the whole index: parsed with the cursor
	 * parsers (sscanf() took 2 ms for 20,000 lines).
	 */
	for (l->ndead = 0; l->ndead < ndead; l->ndead++) {
		const char *p = line;
		unsigned long off;

		if (!fgets(line, sizeof(line), f) ||
		    scan_uint(&p, &off, 19) || scan_expect(&p, '\n') ||
		    off >= l->size || (l->ndead && off <= prev))
			goto out;
		l->dead[l->ndead] = prev = off;
	}
	for (l->nins = 0; l->nins < nins; l->nins++) {
		struct patch_ins *in = &l->ins[l->nins];
		const char *p = line;
		unsigned long before, len;
		char part;

		if (!fgets(line, sizeof(line), f) || scan_char(&p, &part) ||
		    scan_expect(&p, ' ') || scan_uint(&p, &before, 19) ||
		    scan_expect(&p, ' ') || scan_uint(&p, &len, 9) ||
		    scan_expect(&p, '\n') || (part != 'P' && part != 'S') ||
		    before > l->size || !len)
			goto out;
		in->series = part == 'S';
		/* The pulls' first, each part's in the order read. */
		if (in->series < series)
			goto out;
		series = in->series;
		in->before = before;
		in->len = (uint32_t)len;
		npatch += len;
	}
	at = (uint64_t)ftello(f);
	if ((uint64_t)st.st_size != at + npatch ||
	    ph.npulls + ph.nseries != nlines - ndead + nins)
		goto out;
	for (size_t i = 0; i < nins; i++) {
		l->ins[i].off = at;
		at += l->ins[i].len;
	}
	l->h = ph;
	l->patch_size = (uint64_t)st.st_size;
	l->patch_fd = dup(fd);
	ok = l->patch_fd >= 0;
out:
	fclose(f);
	if (!ok) {
		free(l->dead);
		free(l->ins);
		l->dead = NULL;
		l->ins = NULL;
		l->ndead = l->nins = 0;
		l->patch_fd = -1;
	}
}

/*
 * Open the listing at path of uuid (NULL: any) and its patch: 0; 1
 * when there is no listing; -1 when its header is not of this format
 * and uuid.
 */
static int listing_open(struct listing *l, const char *path,
			const char *uuid)
{
	char line[512];
	struct stat st;

	memset(l, 0, sizeof(*l));
	l->patch_fd = -1;
	l->f = listing_fopen(path);
	if (!l->f)
		return 1;
	if (!fgets(line, sizeof(line), l->f) ||
	    head_parse(line, "vger-series", uuid, &l->base) ||
	    fstat(fileno(l->f), &st)) {
		listing_close(l);
		return -1;
	}
	l->size = (uint64_t)st.st_size;
	l->head_len = strlen(line);
	l->pos = l->head_len;
	l->h = l->base;
	l->left = l->base.npulls;
	patch_open(l, path);
	return 0;
}

/* Read len bytes of what l holds at off (past the listing: the patch). */
static int listing_pread(const struct listing *l, uint64_t off, size_t len,
			 char *buf)
{
	int fd = fileno(l->f);

	if (off >= l->size) {
		if (l->patch_fd < 0 || off - l->size > l->patch_size ||
		    len > l->patch_size - (off - l->size))
			return -1;
		fd = l->patch_fd;
		off -= l->size;
	} else if (len > l->size - off) {
		return -1;
	}
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

/*
 * The next line of what l holds, pulls then series: into *line
 * (getline()'s buffer, *cap), *n bytes with its newline, and in which
 * part.  0; 1 past the end; -1 when the files do not hold together.
 */
static int listing_next(struct listing *l, char **line, size_t *cap,
			size_t *n, int *series)
{
	for (;;) {
		const struct patch_ins *in = l->next_ins < l->nins ?
			&l->ins[l->next_ins] : NULL;
		uint64_t off = l->pos;
		ssize_t got;

		if (l->part > 1)
			return in || l->next_dead < l->ndead ? -1 : 1;
		if (in && in->series == l->part &&
		    in->before == (l->left ? l->pos : l->size)) {
			if (*cap < (size_t)in->len + 1) {
				*cap = (size_t)in->len + 1;
				*line = xrealloc(*line, *cap);
			}
			if (pread(l->patch_fd, *line, in->len,
				  (off_t)in->off) != (ssize_t)in->len ||
			    (*line)[in->len - 1] != '\n')
				return -1;
			(*line)[in->len] = '\0';
			*n = in->len;
			*series = l->part;
			l->next_ins++;
			return 0;
		}
		if (!l->left) {
			/* A line added before one that never came. */
			if (in && in->series == l->part)
				return -1;
			l->part++;
			l->left = l->part == 1 ? l->base.nseries : 0;
			continue;
		}
		got = getline(line, cap, l->f);
		if (got <= 0 || (*line)[got - 1] != '\n')
			return -1;
		l->pos += (uint64_t)got;
		l->left--;
		if (l->next_dead < l->ndead && l->dead[l->next_dead] <= off) {
			/* Gone; or a place that is no line's start. */
			if (l->dead[l->next_dead] < off)
				return -1;
			l->next_dead++;
			continue;
		}
		*n = (size_t)got;
		*series = l->part;
		return 0;
	}
}

int mail_cache_listing_size(const char *path, uint64_t *size)
{
	struct listing l;

	if (listing_open(&l, path, NULL))
		return -1;
	*size = l.size + l.patch_size;
	listing_close(&l);
	return 0;
}

void mail_cache_listing_drop_patch(const char *path)
{
	char *pp = patch_path(path);

	unlink(pp);
	free(pp);
}

/* Whether off starts a line of l's listing, past its header. */
static int line_start(const struct listing *l, uint64_t off)
{
	char c;

	return off >= l->head_len && off < l->size &&
		pread(fileno(l->f), &c, 1, (off_t)off - 1) == 1 && c == '\n';
}

/*
 * Whether each place the patch names starts a line of the listing: a
 * reader finds that out only when it gets there, and a build that
 * takes the listing as current would leave it so.
 */
static int patch_places_hold(const struct listing *l)
{
	for (size_t i = 0; i < l->ndead; i++)
		if (!line_start(l, l->dead[i]))
			return 0;
	for (size_t i = 0; i < l->nins; i++)
		if (l->ins[i].before != l->size &&
		    !line_start(l, l->ins[i].before))
			return 0;
	return 1;
}

int mail_cache_listing_current(const char *path, const char *uuid,
			       unsigned long revision, const char *stamp)
{
	struct listing l;
	int ok;

	if (listing_open(&l, path, uuid))
		return 0;
	ok = l.h.revision == revision && stamp_known(stamp) &&
		!strcmp(l.h.stamp, stamp) && patch_places_hold(&l);
	listing_close(&l);
	return ok;
}

/*
 * The file whose header says what the listing at path holds: its
 * patch's when it has one, else its own, opened for writing in place,
 * with the header's first bytes read into head (NUL-terminated): the
 * descriptor, or -1.
 */
static int head_open(const char *path, char *head, size_t size)
{
	struct listing l;
	char *pp = NULL;
	int fd;
	ssize_t n;

	if (listing_open(&l, path, NULL))
		return -1;
	if (l.patch_fd >= 0)
		pp = patch_path(path);
	listing_close(&l);
	fd = fs_open_regular(pp ? pp : path, O_RDWR, NULL);
	free(pp);
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

/* Put the stamp at the end of the header of fd (head: its first bytes). */
static int head_restamp(int fd, const char *head, const char *stamp)
{
	const char *nl = strchr(head, '\n');

	return nl && nl - head > MAIL_INDEX_STAMP_LEN &&
		nl[-MAIL_INDEX_STAMP_LEN - 1] == ' ' &&
		pwrite(fd, stamp, MAIL_INDEX_STAMP_LEN,
		       nl - head - MAIL_INDEX_STAMP_LEN) ==
		MAIL_INDEX_STAMP_LEN ? 0 : -1;
}

int mail_cache_listing_restamp(const char *path, const char *stamp)
{
	char head[512];
	int fd = head_open(path, head, sizeof(head)), ret;

	if (fd < 0)
		return -1;
	/* The stamp ends the header line: rewritten in place. */
	ret = head_restamp(fd, head, stamp);
	close(fd);
	return ret;
}

int mail_cache_listing_head(const char *path, const char *uuid,
			    unsigned long *revision, size_t *nmessages)
{
	struct listing l;

	if (listing_open(&l, path, uuid))
		return -1;
	*revision = l.h.revision;
	*nmessages = l.h.nmessages;
	listing_close(&l);
	return 0;
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
	 * "vger-series FORMAT UUID REVISION ..." (or "vger-patch"): the
	 * revision is the third word, REVISION_WIDTH digits in a listing
	 * that can be advanced (an older one is written again instead).
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
		ret = head_restamp(fd, head, stamp);
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
			  int series_only, struct mail_model *m, char *stamp,
			  struct err *err)
{
	struct listing l;
	size_t nseries, npulls;
	int ret = listing_open(&l, path, uuid);
	char *line = NULL;
	size_t cap = 0;
	json_tokener *tok = NULL;

	if (ret > 0)
		return err_set(err, ERR_NOTFOUND, "%s: no cache", path);
	if (ret || l.h.revision != revision) {
		ret = err_set(err, ERR_PARSE, "%s: stale or foreign", path);
		goto out;
	}
	memcpy(stamp, l.h.stamp, sizeof(l.h.stamp));
	npulls = l.h.npulls;
	nseries = l.h.nseries;
	m->nmessages = l.h.nmessages;
	tok = json_tokener_new();
	if (limit && limit < nseries)
		nseries = limit;	/* the rest is not read at all */
	for (size_t i = 0; i < npulls + nseries; i++) {
		size_t n;
		json_object *o;
		int is_series;

		if (listing_next(&l, &line, &cap, &n, &is_series) ||
		    is_series != (i >= npulls)) {
			ret = err_set(err, ERR_PARSE, "%s: entry %zu: "
				      "truncated or out of place", path,
				      i + 1);
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
			ret = err_set(err, ERR_PARSE, "%s: entry %zu: bad JSON",
				      path, i + 1);
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
			ret = err_set(err, ERR_PARSE, "%s: entry %zu: bad "
				      "entry", path, i + 1);
			goto out;
		}
	}
out:
	if (tok)
		json_tokener_free(tok);
	free(line);
	listing_close(&l);
	return ret;
}

/*
 * ---- the listing written again from the old one and a few series
 * grouped anew (mail_cache_write_merged()) ----
 */

struct merge {
	struct listing l;	/* the old one */
	json_tokener *tok;
	struct arena tmp;
	int bad;		/* an old line did not read back */
};

/* A kept line read back, as JSON (NULL when it does not parse). */
static json_object *merge_read(struct merge *mg,
			       const struct mail_listing_keep *k)
{
	char *buf = xmalloc((size_t)k->len + 1);
	json_object *o = NULL;

	if (!listing_pread(&mg->l, k->off, k->len, buf)) {
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

int mail_cache_listing_pulls(const char *path,
			     const struct mail_listing_keep *k, size_t n,
			     struct arena *a, struct vec *out)
{
	struct merge mg;
	int ret = 0;

	memset(&mg, 0, sizeof(mg));
	/* Opened once: each open reads the patch's whole index. */
	if (listing_open(&mg.l, path, NULL))
		return -1;
	mg.tok = json_tokener_new();
	for (size_t i = 0; i < n && !ret; i++) {
		json_object *o = merge_read(&mg, &k[i]);
		struct mail_pullreq *p = o ? pull_from_json(o, a) : NULL;

		json_object_put(o);
		if (p)
			vec_push(out, p);
		else
			ret = -1;
	}
	json_tokener_free(mg.tok);
	listing_close(&mg.l);
	return ret;
}

/* A line of the listing as merged: kept (where it is), or new. */
struct mline {
	uint64_t off;		/* kept: where; new: in the new lines' text */
	uint32_t len;
	unsigned series:1, fresh:1;
};

size_t mail_cache_patch_min = (size_t)64 << 10;

/* Whether merged line m goes in a patch of l: new, or in l's patch. */
static int in_patch(const struct mline *m, const struct listing *l)
{
	return m->fresh || m->off >= l->size;
}

/*
 * The lines of the listing gone: the patch's before, and of gone
 * those in the listing (not in the patch), ascending.
 */
static uint64_t *patch_dead(const struct listing *l, const uint64_t *gone,
			    size_t ngone, size_t *n)
{
	uint64_t *dead = xmalloc((l->ndead + ngone + 1) * sizeof(*dead));

	if (l->ndead)	/* none without a patch: NULL */
		memcpy(dead, l->dead, l->ndead * sizeof(*dead));
	*n = l->ndead;
	for (size_t i = 0; i < ngone; i++)
		if (gone[i] < l->size)
			dead[(*n)++] = gone[i];
	qsort(dead, *n, sizeof(*dead), u64_cmp);
	return dead;
}

/*
 * Write the merged lines as the listing's patch (dead: the listing's
 * lines gone) to f: lines[] gets where each is.  0, or -1 when an old
 * line does not read back.
 */
static int write_patch(FILE *f, const struct listing *l,
		       const struct listing_head *h, const uint64_t *dead,
		       size_t ndead, const struct mline *ml, size_t nlines,
		       const struct sbuf *fresh,
		       struct mail_listing_keep *lines)
{
	struct sbuf idx = SBUF_INIT;
	uint64_t *before = xmalloc((nlines + 1) * sizeof(*before));
	uint64_t next = l->size, at;
	size_t nins = 0;
	char *buf = NULL;
	size_t cap = 0;
	int ret = 0;

	/* Each added line goes before the next kept line of the listing. */
	for (size_t i = nlines; i-- > 0;) {
		if (i + 1 < nlines && ml[i + 1].series != ml[i].series)
			next = l->size;
		if (!in_patch(&ml[i], l))
			next = ml[i].off;
		else
			before[i] = next;
	}
	head_add(&idx, "vger-patch", h->uuid, h->revision, h->npulls,
		 h->nseries, h->nmessages, h->base, h->stamp);
	for (size_t i = 0; i < nlines; i++)
		nins += in_patch(&ml[i], l);
	sbuf_addf(&idx, "%zu %zu\n", ndead, nins);
	for (size_t i = 0; i < ndead; i++)
		sbuf_addf(&idx, "%llu\n", (unsigned long long)dead[i]);
	for (size_t i = 0; i < nlines; i++)
		if (in_patch(&ml[i], l))
			sbuf_addf(&idx, "%c %llu %u\n",
				  ml[i].series ? 'S' : 'P',
				  (unsigned long long)before[i], ml[i].len);
	fwrite(idx.buf, 1, idx.len, f);
	at = l->size + idx.len;
	for (size_t i = 0; i < nlines && !ret; i++) {
		lines[i].len = ml[i].len;
		lines[i].sort = 0;
		if (!in_patch(&ml[i], l)) {
			lines[i].off = ml[i].off;
			continue;
		}
		lines[i].off = at;
		at += ml[i].len;
		if (ml[i].fresh) {
			fwrite(fresh->buf + ml[i].off, 1, ml[i].len, f);
			continue;
		}
		ALLOC_GROW(buf, ml[i].len, cap);
		ret = listing_pread(l, ml[i].off, ml[i].len, buf);
		fwrite(buf, 1, ml[i].len, f);
	}
	free(buf);
	free(before);
	sbuf_release(&idx);
	return ret;
}

/*
 * Write the merged lines as a whole listing through lo (its header
 * written): lines[] gets where each is.
 */
static void write_whole(struct lout *lo, const struct mline *ml, size_t nlines,
			const struct sbuf *fresh,
			struct mail_listing_keep *lines)
{
	for (size_t i = 0; i < nlines; i++) {
		lines[i].off = lo->pos;
		lines[i].len = ml[i].len;
		lines[i].sort = 0;
		if (ml[i].fresh) {
			lout_new(lo, fresh->buf + ml[i].off, ml[i].len);
		} else {
			struct old_line o = { 0, (off_t)ml[i].off, ml[i].len };

			lout_old(lo, &o);
		}
	}
	lout_flush_run(lo);
}

int mail_cache_write_merged(const char *path, const char *uuid,
			    const char *stamp, unsigned long revision,
			    size_t nmessages,
			    const struct mail_listing_keep *pulls, size_t npulls,
			    const struct mail_listing_keep *series,
			    size_t nseries, const uint64_t *gone, size_t ngone,
			    const struct mail_model *m,
			    struct mail_listing_keep *lines, size_t *line_from,
			    uint64_t *size, int *whole,
			    struct fs_atomic *held, struct err *err)
{
	struct fs_atomic out;
	struct merge mg;
	struct lout lo;
	struct sbuf sb = SBUF_INIT;
	struct listing_head h;
	struct mline *ml;
	size_t k = 0, j = 0, n = 0, nlines, ndead = 0;
	uint64_t *dead = NULL, patch_bytes = 0;
	char *pp = NULL;
	int ret;

	memset(&mg, 0, sizeof(mg));
	ret = listing_open(&mg.l, path, uuid);
	if (ret) {
		listing_close(&mg.l);
		return err_set(err, ERR_PARSE, "%s: no listing of this "
			       "database to merge into", path);
	}
	/* Every line of the old one kept or gone, once. */
	if (npulls + nseries + ngone != mg.l.h.npulls + mg.l.h.nseries) {
		listing_close(&mg.l);
		return err_set(err, ERR_PARSE, "%s: %zu lines kept and gone, "
			       "%zu in the listing", path,
			       npulls + nseries + ngone,
			       mg.l.h.npulls + mg.l.h.nseries);
	}
	mg.tok = json_tokener_new();
	nlines = npulls + m->pulls.n + nseries + m->series.n;
	ml = xmalloc((nlines + 1) * sizeof(*ml));
	/* Pulls, then series: each the kept lines and the new merged. */
	while (k < npulls || j < m->pulls.n) {
		if (j == m->pulls.n ||
		    (k < npulls && pull_kept_first(&mg, &pulls[k],
						   m->pulls.items[j]))) {
			ml[n] = (struct mline){ pulls[k].off, pulls[k].len,
						0, 0 };
			line_from[n++] = k++;
		} else {
			size_t start = sb.len;

			pull_line(&sb, m->pulls.items[j]);
			ml[n] = (struct mline){ start,
				(uint32_t)(sb.len - start), 0, 1 };
			line_from[n++] = npulls + j++;
		}
	}
	k = j = 0;
	while (k < nseries || j < m->series.n) {
		if (j == m->series.n ||
		    (k < nseries && series_kept_first(&mg, &series[k],
						      m->series.items[j]))) {
			ml[n] = (struct mline){ series[k].off, series[k].len,
						1, 0 };
			line_from[n++] = k++;
		} else {
			const struct mail_series *s = m->series.items[j];
			struct jw w = { &sb, 0 };
			size_t start = sb.len;

			sbuf_addf(&sb, FP_PREFIX "%016llx\"",
				  (unsigned long long)series_fingerprint(s));
			series_body(&w, s);
			ml[n] = (struct mline){ start,
				(uint32_t)(sb.len - start), 1, 1 };
			line_from[n++] = nseries + j++;
		}
	}
	if (mg.bad) {
		ret = err_set(err, ERR_PARSE, "%s: a line of the old listing "
			      "did not read back", path);
		goto out;
	}
	/*
	 * A patch while it stays small beside the listing (see the top);
	 * past that, the listing is written again whole.
	 */
	dead = patch_dead(&mg.l, gone, ngone, &ndead);
	for (size_t i = 0; i < nlines; i++)
		if (in_patch(&ml[i], &mg.l))
			patch_bytes += ml[i].len;
	*whole = patch_bytes > mail_cache_patch_min &&
		(patch_bytes * LISTING_PATCH_SHARE > mg.l.size ||
		 ndead * LISTING_PATCH_SHARE >
		 mg.l.base.npulls + mg.l.base.nseries);
	if (!*whole)
		pp = patch_path(path);
	ret = fs_atomic_begin(&out, pp ? pp : path, err);
	if (ret)
		goto out;
	out.nosync = 1;	/* read back checked, line by line */
	h = mg.l.base;
	h.revision = revision;
	h.npulls = npulls + m->pulls.n;
	h.nseries = nseries + m->series.n;
	h.nmessages = nmessages;
	snprintf(h.stamp, sizeof(h.stamp), "%s", stamp);
	memset(&lo, 0, sizeof(lo));
	if (*whole) {
		lo.f = out.f;
		lo.old_fd = fileno(mg.l.f);
		lo.patch_fd = mg.l.patch_fd;
		lo.base_size = mg.l.size;
		new_base(h.base);
		lout_start(&lo, NULL,
			   listing_header(out.f, h.uuid, h.revision, h.npulls,
					  h.nseries, h.nmessages, h.base,
					  h.stamp));
		write_whole(&lo, ml, n, &sb, lines);
		*size = lo.pos;
	} else {
		lo.failed = write_patch(out.f, &mg.l, &h, dead, ndead, ml, n,
					&sb, lines);
		*size = mg.l.size + (uint64_t)ftello(out.f);
	}
	if (lo.write_errno) {
		fs_atomic_abort(&out);
		ret = err_set(err, ERR_IO, "write %s: %s", out.path,
			      strerror(lo.write_errno));
	} else if (lo.failed) {
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
		if (!ret && *whole)
			mail_cache_listing_drop_patch(path);
	}
out:
	json_tokener_free(mg.tok);
	arena_release(&mg.tmp);
	sbuf_release(&sb);
	listing_close(&mg.l);
	free(ml);
	free(dead);
	free(pp);
	return ret;
}
