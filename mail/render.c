/*
 * A message as display lines.  GMime reads the message; the MIME tree
 * is walked with a stack of our own (a 2,000-deep nesting costs no C
 * stack), bounded in depth and parts; every line goes through the
 * terminal sanitiser and is split at MAIL_RENDER_LINE_MAX.  What a text
 * line is (quote, attribution, trailer, signature, diffstat, diff) is
 * decided from the whole text of its part, the diff by mail/diff.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "mail/diff.h"
#include "mail/gmime.h"
#include "mail/message.h"
#include "mail/private.h"
#include "mail/render.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/scan.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* Raw bytes sanitised at a time: at most 4x as much comes out. */
#define RAW_CHUNK (MAIL_RENDER_LINE_MAX / 4)

static const char *const kind_names[MAIL_LINE_KIND_MAX] = {
	[MAIL_LINE_TEXT] = "text",
	[MAIL_LINE_ATTRIBUTION] = "attribution",
	[MAIL_LINE_QUOTE] = "quote",
	[MAIL_LINE_SIGNATURE] = "signature",
	[MAIL_LINE_TRAILER] = "trailer",
	[MAIL_LINE_DIFFSTAT] = "diffstat",
	[MAIL_LINE_DIFF_FILE] = "diff-file",
	[MAIL_LINE_HUNK] = "hunk",
	[MAIL_LINE_ADDED] = "added",
	[MAIL_LINE_REMOVED] = "removed",
	[MAIL_LINE_CONTEXT] = "context",
	[MAIL_LINE_NO_NEWLINE] = "no-newline",
	[MAIL_LINE_HEADER] = "header",
	[MAIL_LINE_PART] = "part",
};

const char *mail_line_kind_name(enum mail_line_kind kind)
{
	if ((unsigned)kind >= MAIL_LINE_KIND_MAX)
		return "?";
	return kind_names[kind];
}

/* -------------------------------------------------------------------- */
/* The line store */

static int render_full(const struct mail_render *r)
{
	return r->nlines + 1 >= MAIL_RENDER_LINES_MAX ||
	       r->text_bytes >= MAIL_RENDER_TEXT_MAX;
}

static void push_piece(struct mail_render *r, const struct mail_line *attr,
		       const char *s, size_t n, unsigned flags)
{
	struct mail_line *l;

	ALLOC_GROW(r->lines, r->nlines + 1, r->alloc_lines);
	l = &r->lines[r->nlines++];
	*l = *attr;
	l->text = arena_strndup(&r->arena, s, n);
	l->len = n;
	l->flags = flags;
	if (flags & MAIL_LINE_CONTINUED)
		l->prefix_len = 0;
	r->text_bytes += n + 1;
}

/* The last line, once a limit is hit: says which, and nothing follows. */
static void render_cut(struct mail_render *r, unsigned nest)
{
	struct mail_line attr = { NULL, 0, MAIL_LINE_PART, 0, 0, nest, 0 };
	struct sbuf sb = SBUF_INIT;

	if (r->flags & MAIL_RENDER_CUT)
		return;
	r->flags |= MAIL_RENDER_CUT;
	if (r->nlines + 1 >= MAIL_RENDER_LINES_MAX)
		sbuf_addf(&sb, "[-- cut here: more than %u lines --]",
			  MAIL_RENDER_LINES_MAX);
	else
		sbuf_addf(&sb, "[-- cut here: more than %u MiB of text --]",
			  MAIL_RENDER_TEXT_MAX >> 20);
	push_piece(r, &attr, sb.buf, sb.len, 0);
	sbuf_release(&sb);
}

/*
 * Add raw (any bytes) as one display line with attr's kind and quote,
 * sanitised, in pieces of at most MAIL_RENDER_LINE_MAX bytes.  Returns
 * the number of lines added (0 once the message is cut).
 */
static size_t add_line(struct mail_render *r, const struct mail_line *attr,
		       const char *raw, size_t len)
{
	struct sbuf piece = SBUF_INIT, chunk = SBUF_INIT;
	size_t at = 0, before = r->nlines;
	unsigned flags = 0;

	if (r->flags & MAIL_RENDER_CUT)
		return 0;
	if (render_full(r)) {
		render_cut(r, attr->nest);
		return 0;
	}
	if (len <= RAW_CHUNK) {	/* nearly every line */
		sbuf_add_sanitized(&piece, raw, len);
		push_piece(r, attr, piece.buf, piece.len, 0);
		sbuf_release(&piece);
		return 1;
	}
	while (at < len) {
		size_t n = len - at;

		if (n > RAW_CHUNK) {
			n = RAW_CHUNK;
			/* never cut a character: its lead byte goes on */
			for (int i = 0; i < 3 && ((unsigned char)raw[at + n] &
						  0xc0) == 0x80; i++)
				n--;
		}
		sbuf_reset(&chunk);
		sbuf_add_sanitized(&chunk, raw + at, n);
		if (piece.len + chunk.len > MAIL_RENDER_LINE_MAX) {
			push_piece(r, attr, piece.buf, piece.len, flags);
			flags = MAIL_LINE_CONTINUED;
			sbuf_reset(&piece);
			if (render_full(r)) {
				render_cut(r, attr->nest);
				break;
			}
		}
		sbuf_add(&piece, chunk.buf, chunk.len);
		at += n;
	}
	if (!(r->flags & MAIL_RENDER_CUT))
		push_piece(r, attr, piece.buf, piece.len, flags);
	sbuf_release(&piece);
	sbuf_release(&chunk);
	return r->nlines - before;
}

void mail_render_release(struct mail_render *r)
{
	if (!r)
		return;
	free(r->headers);
	free(r->lines);
	free(r->attachments);
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* -------------------------------------------------------------------- */
/* Text: what each line is */

/* Quoted diffs keep a state per level; deeper levels share the last. */
#define DIFF_LEVELS 8
/* A "--" line this close to the end starts a signature. */
#define SIGNATURE_TAIL 8
/* How far the line after an attribution is looked for. */
#define ATTRIBUTION_LOOKAHEAD 3

struct raw_line {
	const char *s;		/* NUL-terminated in the copy */
	size_t len;		/* up to the newline; may hold NULs */
	const char *content;	/* after the quote markers and a space */
	unsigned level;		/* quote depth */
	int stat;		/* part of a diffstat block */
};

/* "> > x", ">> x", "> x": depth, and where the text after them starts. */
static void quote_parse(struct raw_line *l)
{
	const char *p = l->s;
	unsigned level = 0;

	while (*p == '>') {
		level++;
		p++;
		if (*p == ' ' && p[1] == '>')
			p++;
	}
	if (level && *p == ' ')
		p++;
	l->level = level;
	l->content = p;
}

static int is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

/* " kernel/bpf/core.c | 12 ++++--", " foo.bin | Bin 0 -> 12 bytes" */
static int is_stat_file(const char *s)
{
	const char *bar;

	if (s[0] != ' ' || s[1] == ' ' || !s[1])
		return 0;
	bar = strstr(s, " | ");
	if (!bar)
		return 0;
	s = bar + 3;
	while (*s == ' ')
		s++;
	if (str_starts_with(s, "Bin"))
		return 1;
	if (!g_ascii_isdigit(*s))
		return 0;
	while (g_ascii_isdigit(*s))
		s++;
	while (*s == ' ')
		s++;
	while (*s == '+' || *s == '-')
		s++;
	return is_blank(s);
}

/* " 3 files changed, 10 insertions(+), 2 deletions(-)" */
static int is_stat_summary(const char *s)
{
	if (*s++ != ' ' || !g_ascii_isdigit(*s))
		return 0;
	while (g_ascii_isdigit(*s))
		s++;
	if (!str_starts_with(s, " file changed") &&
	    !str_starts_with(s, " files changed"))
		return 0;
	s += strcspn(s, ",");
	return !*s || str_starts_with(s, ", ");
}

/* The summary's followers: " create mode 100644 x", " rename a => b (90%)" */
static int is_stat_extra(const char *s)
{
	return str_starts_with(s, " create mode ") ||
	       str_starts_with(s, " delete mode ") ||
	       str_starts_with(s, " mode change ") ||
	       str_starts_with(s, " rename ") || str_starts_with(s, " copy ");
}

/*
 * Mark the diffstat blocks: file lines of one quote level ending in a
 * summary line, and what follows the summary.  A lone summary counts.
 */
static void mark_diffstats(struct raw_line *l, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && l[j].level == l[i].level &&
		       is_stat_file(l[j].content))
			j++;
		if (j < n && l[j].level == l[i].level &&
		    is_stat_summary(l[j].content)) {
			for (size_t k = i; k <= j; k++)
				l[k].stat = 1;
			for (j++; j < n && l[j].level == l[i].level &&
			     is_stat_extra(l[j].content); j++)
				l[j].stat = 1;
		}
		i = j > i ? j : i + 1;
	}
}

static int ends_with_wrote(const char *s)
{
	static const char *const ends[] = { "wrote:", "writes:", "said:",
					     NULL };
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; ends[i]; i++) {
		size_t e = strlen(ends[i]);

		if (n >= e && !g_ascii_strncasecmp(s + n - e, ends[i], e))
			return 1;
	}
	return 0;
}

/* "On ..., Jane wrote:" with deeper quoting right after it. */
static int is_attribution(const struct raw_line *l, size_t i, size_t n)
{
	if (!ends_with_wrote(l[i].content))
		return 0;
	for (size_t j = i + 1; j < n && j <= i + ATTRIBUTION_LOOKAHEAD; j++) {
		if (l[j].level > l[i].level)
			return 1;
		if (l[j].level < l[i].level || !is_blank(l[j].content))
			return 0;
	}
	return 0;
}

/*
 * "-- ", the signature separator; or "--" near the end, as a list
 * archive or a mailer that trims trailing blanks leaves it.
 */
static int is_signature(const struct raw_line *l, size_t i, size_t n)
{
	return !strcmp(l[i].content, "-- ") ||
	       (!strcmp(l[i].content, "--") && n - i <= SIGNATURE_TAIL);
}

static int is_trailer(const char *s)
{
	struct mail_trailer *t;
	int ok;

	if (!g_ascii_isalpha(*s) || !strchr(s, ':'))
		return 0;
	t = xcalloc(1, sizeof(*t));
	ok = !mail_trailer_parse_line(t, s);
	mail_trailer_free(t);
	return ok;
}

static enum mail_line_kind diff_kind(enum mail_diff_kind d)
{
	switch (d) {
	case MAIL_DIFF_NONE: break;
	case MAIL_DIFF_FILE: return MAIL_LINE_DIFF_FILE;
	case MAIL_DIFF_HUNK: return MAIL_LINE_HUNK;
	case MAIL_DIFF_ADDED: return MAIL_LINE_ADDED;
	case MAIL_DIFF_REMOVED: return MAIL_LINE_REMOVED;
	case MAIL_DIFF_CONTEXT: return MAIL_LINE_CONTEXT;
	case MAIL_DIFF_NO_NEWLINE: return MAIL_LINE_NO_NEWLINE;
	}
	return MAIL_LINE_TEXT;
}

/*
 * Split text into lines (copy holds them NUL-terminated), at most max;
 * *more is set when text goes on.
 */
static size_t split_lines(char *copy, size_t len, struct raw_line **out,
			  size_t max, int *more)
{
	struct raw_line *l = NULL;
	size_t n = 0, alloc = 0;
	char *p = copy, *end = copy + len;

	while (p < end && n < max) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;

		if (eol > p && eol[-1] == '\r')
			eol--;
		*eol = '\0';
		ALLOC_GROW(l, n + 1, alloc);
		memset(&l[n], 0, sizeof(l[n]));
		l[n].s = p;
		l[n].len = (size_t)(eol - p);
		quote_parse(&l[n]);
		n++;
		p = nl ? nl + 1 : end;
	}
	*out = l;
	*more |= p < end;
	return n;
}

static void render_nested(struct mail_render *r, const char *text, size_t len,
			  unsigned nest)
{
	struct mail_diff diffs[DIFF_LEVELS];
	struct raw_line *l;
	char *copy;
	size_t n, first = 0, count = 0;
	int signature = 0, more = 0;

	if (r->flags & MAIL_RENDER_CUT)
		return;
	/* sanitising never shrinks text: more than the room left is cut */
	if (len > MAIL_RENDER_TEXT_MAX - r->text_bytes) {
		len = MAIL_RENDER_TEXT_MAX - r->text_bytes;
		more = 1;
	}
	copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	n = split_lines(copy, len, &l, MAIL_RENDER_LINES_MAX - r->nlines,
			&more);
	mark_diffstats(l, n);
	for (size_t i = 0; i < DIFF_LEVELS; i++)
		diffs[i] = (struct mail_diff)MAIL_DIFF_INIT;
	for (size_t i = 0; i < n && !(r->flags & MAIL_RENDER_CUT); i++) {
		struct mail_diff *d = &diffs[l[i].level < DIFF_LEVELS ?
					     l[i].level : DIFF_LEVELS - 1];
		const char *next = i + 1 < n && l[i + 1].level == l[i].level ?
			l[i + 1].content : NULL;
		struct mail_line attr = { NULL, 0, MAIL_LINE_TEXT, l[i].level,
					  (unsigned)(l[i].content - l[i].s),
					  nest, 0 };
		enum mail_diff_kind dk = MAIL_DIFF_NONE;
		size_t at = r->nlines;

		if (signature && !l[i].level)
			attr.kind = MAIL_LINE_SIGNATURE;
		else
			dk = mail_diff_line(d, l[i].content, next,
					    l[i].level > 0);
		if (attr.kind == MAIL_LINE_SIGNATURE) {
			/* nothing more to know */
		} else if (dk != MAIL_DIFF_NONE) {
			attr.kind = diff_kind(dk);
		} else if (l[i].stat) {
			attr.kind = MAIL_LINE_DIFFSTAT;
		} else if (!l[i].level && is_signature(l, i, n)) {
			attr.kind = MAIL_LINE_SIGNATURE;
			signature = 1;
		} else if (is_attribution(l, i, n)) {
			attr.kind = MAIL_LINE_ATTRIBUTION;
			/* "On Mon, 5 May 2025, Jane Doe" + "<jane@x> wrote:" */
			if (i && count && l[i - 1].level == l[i].level &&
			    str_starts_with(l[i - 1].content, "On ") &&
			    (r->lines[first].kind == MAIL_LINE_TEXT ||
			     r->lines[first].kind == MAIL_LINE_QUOTE))
				for (size_t k = first; k < first + count; k++)
					r->lines[k].kind =
						MAIL_LINE_ATTRIBUTION;
		} else if (!l[i].level && is_trailer(l[i].content)) {
			attr.kind = MAIL_LINE_TRAILER;
		} else if (l[i].level) {
			attr.kind = MAIL_LINE_QUOTE;
		}
		count = add_line(r, &attr, l[i].s, l[i].len);
		first = at;
	}
	if (more)
		render_cut(r, nest);
	free(l);
	free(copy);
}

void mail_render_add_text(struct mail_render *r, const char *text,
			  size_t len)
{
	render_nested(r, text, len, 0);
}

/* -------------------------------------------------------------------- */
/* Headers */

/* s sanitised into the arena, cut at MAIL_RENDER_LINE_MAX with a mark. */
static const char *safe_str(struct mail_render *r, const char *s)
{
	struct sbuf sb = SBUF_INIT;
	size_t len = strlen(s);
	const char *out;

	if (len > MAIL_RENDER_LINE_MAX) {
		size_t keep = MAIL_RENDER_LINE_MAX;

		while (keep && ((unsigned char)s[keep] & 0xc0) == 0x80)
			keep--;
		sbuf_add_sanitized(&sb, s, keep);
		sbuf_addf(&sb, " [... %zu more bytes]", len - keep);
	} else {
		sbuf_add_sanitized(&sb, s, len);
	}
	out = arena_strndup(&r->arena, sb.buf, sb.len);
	sbuf_release(&sb);
	return out;
}

/* A header value decoded by GMime, unfolded; the caller frees. */
static char *header_value(GMimeHeader *h)
{
	const char *v = g_mime_header_get_value(h);

	return mail_subject_unfold(v ? v : "");
}

static void add_headers(struct mail_render *r, GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = list ? g_mime_header_list_get_count(list) : 0;

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		struct mail_header *out;
		char *v;

		if (r->nheaders == MAIL_RENDER_HEADERS_MAX) {
			r->flags |= MAIL_RENDER_CUT;
			break;
		}
		ALLOC_GROW(r->headers, r->nheaders + 1, r->alloc_headers);
		out = &r->headers[r->nheaders++];
		out->name = safe_str(r, g_mime_header_get_name(h));
		v = header_value(h);
		out->value = safe_str(r, v);
		free(v);
	}
}

const char *mail_render_header(const struct mail_render *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (!g_ascii_strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

/* -------------------------------------------------------------------- */
/* Parts */

struct frame {
	GMimeObject *obj;	/* NULL: the end of an attached message */
	char *path;		/* IMAP part number of obj; "" the root */
	unsigned depth;		/* MIME nesting */
	unsigned nest;		/* message/rfc822 nesting */
	int root;		/* the body of a message */
};

struct walk {
	struct mail_render *r;
	struct frame *stack;
	size_t n, alloc;
	size_t parts;
	size_t shown;		/* text parts shown */
};

static void walk_push(struct walk *w, GMimeObject *obj, char *path,
		      unsigned depth, unsigned nest, int root)
{
	ALLOC_GROW(w->stack, w->n + 1, w->alloc);
	w->stack[w->n].obj = obj;
	w->stack[w->n].path = path;
	w->stack[w->n].depth = depth;
	w->stack[w->n].nest = nest;
	w->stack[w->n].root = root;
	w->n++;
}

static char *path_child(const char *path, int i)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s%s%d", path, *path ? "." : "", i);
	return sbuf_detach(&sb);
}

static void add_part_line(struct mail_render *r, unsigned nest,
			  const char *text)
{
	struct mail_line attr = { NULL, 0, MAIL_LINE_PART, 0, 0, nest, 0 };

	add_line(r, &attr, text, strlen(text));
}

static void human_size(struct sbuf *sb, size_t n)
{
	if (n < 1024)
		sbuf_addf(sb, "%zu B", n);
	else if (n < (size_t)1 << 20)
		sbuf_addf(sb, "%.1f KiB", (double)n / 1024);
	else
		sbuf_addf(sb, "%.1f MiB", (double)n / (1 << 20));
}

/*
 * The size of a part, written to a null stream: a leaf's decoded
 * content, a multipart's or a message's encoded whole.
 */
static size_t part_size(GMimeObject *obj)
{
	GMimeStream *null = g_mime_stream_null_new();
	GMimeDataWrapper *content;
	ssize_t n = 0;

	if (!GMIME_IS_PART(obj)) {
		n = g_mime_object_write_to_stream(obj, NULL, null);
	} else {
		content = g_mime_part_get_content(GMIME_PART(obj));
		if (content)
			n = g_mime_data_wrapper_write_to_stream(content, null);
	}
	g_object_unref(null);
	return n > 0 ? (size_t)n : 0;
}

/*
 * in (len bytes, of charset) into UTF-8 in out.  GMime's charset filter
 * drops bytes that are invalid in their charset; this replaces each
 * with U+FFFD so a reader sees something was there.  -1 when iconv
 * does not know the charset.
 */
static int to_utf8(struct sbuf *out, const char *charset, const char *in,
		   size_t len)
{
	iconv_t cd = g_mime_iconv_open("UTF-8", charset);
	char *ip = (char *)in;
	size_t il = len;

	if (cd == (iconv_t)-1)
		return -1;
	for (;;) {
		char *op;
		size_t ol, ret;

		sbuf_grow(out, il * 4 + 16);
		op = out->buf + out->len;
		ol = out->alloc - out->len - 1;
		ret = il ? iconv(cd, &ip, &il, &op, &ol)
			 : iconv(cd, NULL, NULL, &op, &ol);	/* flush */
		out->len = (size_t)(op - out->buf);
		out->buf[out->len] = '\0';
		if (ret != (size_t)-1 && !il)
			break;
		if (ret == (size_t)-1 && errno == E2BIG)
			continue;
		if (ret == (size_t)-1 && il) {	/* EILSEQ, EINVAL */
			sbuf_addstr(out, "\xef\xbf\xbd");
			ip++;
			il--;
		}
	}
	g_mime_iconv_close(cd);
	return 0;
}

static int is_utf8_charset(const char *cs)
{
	return !g_ascii_strcasecmp(cs, "utf-8") ||
	       !g_ascii_strcasecmp(cs, "utf8") ||
	       !g_ascii_strcasecmp(cs, "us-ascii") ||
	       !g_ascii_strcasecmp(cs, "ascii");
}

/*
 * A part shown as text: text/plain and the patch types, inline or
 * attached (kernel patches are sometimes attachments), and a .patch or
 * .diff file sent as application/octet-stream.
 */
static int is_text_part(GMimeContentType *ct, const char *filename)
{
	if (g_mime_content_type_is_type(ct, "text", "plain") ||
	    g_mime_content_type_is_type(ct, "text", "x-patch") ||
	    g_mime_content_type_is_type(ct, "text", "x-diff") ||
	    g_mime_content_type_is_type(ct, "application", "x-patch") ||
	    g_mime_content_type_is_type(ct, "application", "x-diff"))
		return 1;
	return filename && (g_mime_content_type_is_type(ct, "text", "*") ||
			    g_mime_content_type_is_type(ct, "application",
							"octet-stream")) &&
	       (g_str_has_suffix(filename, ".patch") ||
		g_str_has_suffix(filename, ".diff"));
}

/* Name a part in the attachments and by a separator line. */
static void add_attachment(struct walk *w, GMimeObject *obj,
			   const char *path, unsigned nest, int shown,
			   const char *what)
{
	struct mail_render *r = w->r;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *type = g_mime_content_type_get_mime_type(ct);
	const char *filename = GMIME_IS_PART(obj) ?
		g_mime_part_get_filename(GMIME_PART(obj)) : NULL;
	struct mail_attachment *a;
	struct sbuf sb = SBUF_INIT;

	ALLOC_GROW(r->attachments, r->nattachments + 1, r->alloc_attachments);
	a = &r->attachments[r->nattachments++];
	a->filename = filename ? safe_str(r, filename) : NULL;
	a->type = safe_str(r, type ? type : "application/octet-stream");
	a->part = arena_strdup(&r->arena, path);
	a->size = part_size(obj);
	a->shown = shown;
	g_free(type);

	sbuf_addf(&sb, "[-- %s #%zu: ", what, r->nattachments);
	if (a->filename)
		sbuf_addf(&sb, "%s (%s, ", a->filename, a->type);
	else
		sbuf_addf(&sb, "%s (", a->type);
	human_size(&sb, a->size);
	sbuf_addstr(&sb, shown ? ") --]" : ", not shown) --]");
	add_part_line(r, nest, sb.buf);
	sbuf_release(&sb);
}

static void walk_leaf(struct walk *w, GMimeObject *obj, const char *path,
		      unsigned nest)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	GMimeContentDisposition *disp;
	const char *filename, *cs;
	struct sbuf conv = SBUF_INIT;
	size_t len;
	char *bytes;
	int attached;

	filename = g_mime_part_get_filename(GMIME_PART(obj));
	if (!is_text_part(ct, filename)) {
		add_attachment(w, obj, path, nest, 0, "Attachment");
		return;
	}
	disp = g_mime_object_get_content_disposition(obj);
	attached = filename ||
		   (disp && g_mime_content_disposition_is_attachment(disp));
	if (attached)
		add_attachment(w, obj, path, nest, 1, "Attachment");
	else if (w->shown)
		add_part_line(w->r, nest, "[-- next part --]");
	w->shown++;
	bytes = mail_gmime_part_bytes(GMIME_PART(obj), &len);
	if (!bytes)
		return;
	cs = g_mime_content_type_get_parameter(ct, "charset");
	/*
	 * UTF-8 and ASCII parts, and those in a charset iconv does not know,
	 * are shown as they are: the sanitiser shows an invalid byte as \xNN.
	 */
	if (cs && !is_utf8_charset(cs) && !to_utf8(&conv, cs, bytes, len))
		render_nested(w->r, conv.buf, conv.len, nest);
	else
		render_nested(w->r, bytes, len, nest);
	sbuf_release(&conv);
	g_free(bytes);
}

/* The child of a multipart/alternative to show: text/plain if any. */
static int pick_alternative(GMimeMultipart *mp)
{
	int n = g_mime_multipart_get_count(mp);

	for (int i = 0; i < n; i++) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);

		if (g_mime_content_type_is_type(
			    g_mime_object_get_content_type(c), "text", "plain"))
			return i;
	}
	return n - 1;	/* the richest, as RFC 2046 orders them */
}

static void walk_multipart(struct walk *w, const struct frame *f)
{
	GMimeMultipart *mp = GMIME_MULTIPART(f->obj);
	int n = g_mime_multipart_get_count(mp);
	int pick = -1;

	if (f->depth >= MAIL_RENDER_DEPTH_MAX) {
		add_part_line(w->r, f->nest, "[-- MIME parts nested deeper "
			      "than this are not shown --]");
		return;
	}
	if (g_mime_content_type_is_type(g_mime_object_get_content_type(
						f->obj), "multipart",
					"alternative") && n > 0) {
		pick = pick_alternative(mp);
		for (int i = 0; i < n; i++) {
			char *p = path_child(f->path, i + 1);

			if (i != pick)
				add_attachment(w, g_mime_multipart_get_part(
						       mp, i), p, f->nest, 0,
					       "Alternative");
			free(p);
		}
	}
	for (int i = n; i-- > 0;)
		if (pick < 0 || i == pick)
			walk_push(w, g_mime_multipart_get_part(mp, i),
				  path_child(f->path, i + 1), f->depth + 1,
				  f->nest, 0);
}

static void add_header_line(struct mail_render *r, GMimeObject *obj,
			    const char *name, unsigned nest)
{
	struct mail_line attr = { NULL, 0, MAIL_LINE_HEADER, 0, 0, nest, 0 };
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	GMimeHeader *h = list ? g_mime_header_list_get_header(list, name) :
		NULL;
	struct sbuf sb = SBUF_INIT;
	char *v;

	if (!h)
		return;
	v = header_value(h);
	sbuf_addf(&sb, "%s: %s", name, v);
	add_line(r, &attr, sb.buf, sb.len);
	sbuf_release(&sb);
	free(v);
}

static void walk_message(struct walk *w, const struct frame *f)
{
	static const char *const shown[] = {
		"From", "To", "Cc", "Date", "Subject", NULL,
	};
	GMimeMessage *m = g_mime_message_part_get_message(
		GMIME_MESSAGE_PART(f->obj));
	GMimeObject *body = m ? g_mime_message_get_mime_part(m) : NULL;

	if (!body || f->depth >= MAIL_RENDER_DEPTH_MAX) {
		add_attachment(w, f->obj, f->path, f->nest, 0, "Attachment");
		return;
	}
	add_part_line(w->r, f->nest, "[-- Attached message --]");
	for (size_t i = 0; shown[i]; i++)
		add_header_line(w->r, GMIME_OBJECT(m), shown[i], f->nest + 1);
	walk_push(w, NULL, NULL, f->depth, f->nest, 0);
	walk_push(w, body, xstrdup(f->path), f->depth + 1, f->nest + 1, 1);
	w->shown = 0;	/* its first text part needs no separator */
}

static void walk(struct mail_render *r, GMimeObject *root)
{
	struct walk w = { r, NULL, 0, 0, 0, 0 };

	walk_push(&w, root, xstrdup(""), 0, 0, 1);
	while (w.n) {
		struct frame f = w.stack[--w.n];

		if (!f.obj) {
			add_part_line(r, f.nest,
				      "[-- end of attached message --]");
			w.shown = 0;	/* the line above separates */
		} else if (++w.parts > MAIL_RENDER_PARTS_MAX) {
			if (!(r->flags & MAIL_RENDER_CUT))
				add_part_line(r, f.nest, "[-- more MIME parts "
					      "than are shown --]");
			r->flags |= MAIL_RENDER_CUT;
		} else if (GMIME_IS_MULTIPART(f.obj)) {
			walk_multipart(&w, &f);
		} else if (GMIME_IS_MESSAGE_PART(f.obj)) {
			walk_message(&w, &f);
		} else if (GMIME_IS_PART(f.obj)) {
			char *p = f.root ? path_child(f.path, 1) : NULL;

			walk_leaf(&w, f.obj, p ? p : f.path, f.nest);
			free(p);
		}
		free(f.path);
	}
	free(w.stack);
}

static void render_message(struct mail_render *out, GMimeMessage *msg)
{
	add_headers(out, GMIME_OBJECT(msg));
	walk(out, g_mime_message_get_mime_part(msg));
	g_object_unref(msg);
}

int mail_render_parse(struct mail_render *out, const char *data, size_t len,
		      const char *name, struct err *err)
{
	GMimeMessage *msg;

	memset(out, 0, sizeof(*out));
	if (len > MAIL_MESSAGE_FILE_MAX)
		return err_set(err, ERR_NOMEM, "%s: larger than %u MiB", name,
			       MAIL_MESSAGE_FILE_MAX >> 20);
	if (!len)
		return err_set(err, ERR_PARSE, "%s: empty message", name);
	msg = mail_gmime_parse(data, len);
	if (!msg)
		return err_set(err, ERR_PARSE, "%s: not a mail message", name);
	render_message(out, msg);
	return 0;
}

/*
 * GMime reads the file itself: the parts are read when they are shown,
 * so a large attachment is never held whole.  A FIFO or a device in
 * the way is refused before anything blocks on it.
 */
int mail_render_load(struct mail_render *out, const char *path,
		     struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	GMimeMessage *msg;
	GMimeStream *stream;
	struct stat st;
	int ret;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		ret = err_set(err, ERR_IO, "%s: not a regular file", path);
	else if (!st.st_size)
		ret = err_set(err, ERR_PARSE, "%s: empty message", path);
	else if ((unsigned long long)st.st_size > MAIL_MESSAGE_FILE_MAX)
		ret = err_set(err, ERR_NOMEM, "%s: larger than %u MiB", path,
			      MAIL_MESSAGE_FILE_MAX >> 20);
	else
		ret = 0;
	if (ret) {
		close(fd);
		return ret;
	}
	stream = g_mime_stream_fs_new(fd);	/* owns fd now */
	msg = mail_gmime_parse_stream(stream);
	if (msg)
		render_message(out, msg);
	else
		ret = err_set(err, ERR_PARSE, "%s: not a mail message", path);
	g_object_unref(stream);
	return ret;
}
