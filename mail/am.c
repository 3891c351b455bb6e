/*
 * A patch mail as git am takes it (mail/am.h): the parts of a body,
 * trailers added to its trailer block, the mbox entry, b4's names.
 * Headers are encoded with GMime; the body is written as it is, the
 * way git format-patch and b4 write it.
 */
#include <ctype.h>
#include <glib.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/address.h"
#include "mail/am.h"
#include "mail/diff.h"
#include "mail/gmime.h"
#include "mail/private.h"
#include "util/date.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* One line of a text: [start, end) without its "\n" or "\r\n". */
struct line {
	size_t start, end, next;
};

/* The line at off of text, or 0 when off is at the end. */
static int line_at(const char *text, size_t off, struct line *l)
{
	size_t n;

	if (!text[off])
		return 0;
	n = str_line_len(text + off);
	l->start = off;
	l->end = off + n;
	l->next = off + n + (text[off + n] == '\n');
	if (l->end > l->start && text[l->end - 1] == '\r')
		l->end--;
	return 1;
}

static int line_is(const char *text, const struct line *l, const char *s)
{
	size_t n = strlen(s);

	return l->end - l->start == n && !memcmp(text + l->start, s, n);
}

static int line_starts(const char *text, const struct line *l, const char *s)
{
	size_t n = strlen(s);

	return l->end - l->start >= n && !memcmp(text + l->start, s, n);
}

static int line_blank(const char *text, const struct line *l)
{
	for (size_t i = l->start; i < l->end; i++)
		if (!isspace((unsigned char)text[i]))
			return 0;
	return 1;
}

/* "Key: value" with git's token characters ("Acked-by", "Cc"). */
static int is_trailer(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || !isalnum((unsigned char)s[0]))
		return 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	return i < n && s[i] == ':' && (i + 1 == n || s[i + 1] == ' ' ||
					 s[i + 1] == '\t');
}

/* "[for the libbpf parts]" on a line of its own. */
static int is_note(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n > 2 && s[0] == '[' && s[n - 1] == ']';
}

/* "  3 files changed, 10 insertions(+)" */
static int is_diffstat(const char *s, size_t n)
{
	char *line = xstrndup(s, n);
	const char *p = line;
	unsigned long v;
	int yes;

	scan_skip_ws(&p);
	yes = !scan_uint(&p, &v, 9) && str_starts_with(p, " file") &&
	      (strstr(p, "insertion") || strstr(p, "deletion") ||
	       strstr(p, "changed"));
	free(line);
	return yes;
}

/* Where a diff starts: "diff --git", "--- a" over "+++ b", binary. */
static int starts_diff(const char *text, const struct line *l)
{
	struct line nx;

	if (line_starts(text, l, "diff --git ") ||
	    line_starts(text, l, "GIT binary patch"))
		return 1;
	return line_starts(text, l, "--- ") &&
	       line_at(text, l->next, &nx) && line_starts(text, &nx, "+++ ");
}

static char *header_value(const char *text, const struct line *l,
			  size_t keylen)
{
	const char *v = text + l->start + keylen;
	size_t n = l->end - l->start - keylen;

	while (n && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	return xstrndup(v, n);
}

/* The in-body "From:", "Date:", "Subject:" paragraph git honours. */
static void inbody_headers(struct mail_am_parts *p, const char *body)
{
	static const char *const keys[] = { "From:", "Date:", "Subject:" };
	struct line l;
	size_t off = 0;
	int any = 0;

	while (line_at(body, off, &l) && line_blank(body, &l))
		off = l.next;
	while (line_at(body, off, &l) && !line_blank(body, &l)) {
		size_t k;

		for (k = 0; k < 3; k++)
			if (l.end - l.start > strlen(keys[k]) &&
			    !strncasecmp(body + l.start, keys[k],
					 strlen(keys[k])))
				break;
		if (k == 3)
			goto none;
		{
			char *v = header_value(body, &l, strlen(keys[k]));
			char **slot = k == 0 ? &p->from : k == 1 ? &p->date :
				&p->subject;

			free(*slot);
			*slot = v;
		}
		any = 1;
		off = l.next;
	}
	if (!any)
		return;
	while (line_at(body, off, &l) && line_blank(body, &l))
		off = l.next;
	p->msg_start = off;
	return;
none:
	free(p->from);
	free(p->date);
	free(p->subject);
	p->from = p->date = p->subject = NULL;
}

/* Whether lines [from, to) of body make a trailer block. */
static int trailer_block(const char *body, size_t from, size_t to)
{
	size_t lines = 0, trailers = 0, other = 0;
	int sob = 0;
	struct line l;

	for (size_t off = from; off < to && line_at(body, off, &l);
	     off = l.next) {
		const char *s = body + l.start;
		size_t n = l.end - l.start;

		lines++;
		if (is_trailer(s, n)) {
			trailers++;
			sob |= n > 14 && !strncasecmp(s, "Signed-off-by:", 14);
		} else if (!(n && (s[0] == ' ' || s[0] == '\t')) &&
			   !is_note(s, n)) {
			other++;
		}
	}
	if (!trailers)
		return 0;
	return !other || (sob && trailers * 4 >= lines);
}

void mail_am_parts(struct mail_am_parts *p, const char *body)
{
	struct line l, last;
	size_t off, end, para_start, para_end = 0;
	int diffstat = 0, in_body_end = 0;

	memset(p, 0, sizeof(*p));
	inbody_headers(p, body);
	/* A diff or diffstat first: then "---" ends the message. */
	for (off = p->msg_start; line_at(body, off, &l); off = l.next) {
		if (starts_diff(body, &l))
			p->has_diff = 1;
		else if (is_diffstat(body + l.start, l.end - l.start))
			diffstat = 1;
	}
	end = off;
	for (off = p->msg_start; line_at(body, off, &l); off = l.next) {
		size_t n = l.end - l.start;
		const char *s = body + l.start;

		if ((p->has_diff || diffstat) && n >= 3 && !memcmp(s, "---", 3)
		    && strspn(s + 3, " \t") == n - 3)
			break;
		if (starts_diff(body, &l) || line_is(body, &l, "-- "))
			break;
	}
	end = off < end ? off : end;
	p->msg_end = end;
	/* The last paragraph before msg_end. */
	para_start = p->msg_start;
	memset(&last, 0, sizeof(last));
	for (off = p->msg_start; off < end && line_at(body, off, &l);
	     off = l.next) {
		if (line_blank(body, &l)) {
			in_body_end = 0;
			continue;
		}
		if (!in_body_end)
			para_start = l.start;
		in_body_end = 1;
		para_end = l.next;
	}
	if (para_end && trailer_block(body, para_start, para_end)) {
		p->has_trailers = 1;
		p->trailers_start = para_start;
		p->trailers_end = para_end;
	} else {
		p->trailers_start = p->trailers_end = para_end ? para_end :
			p->msg_start;
	}
}

void mail_am_parts_release(struct mail_am_parts *p)
{
	free(p->from);
	free(p->date);
	free(p->subject);
	memset(p, 0, sizeof(*p));
}

void mail_am_trailer_lines(const char *body, const struct mail_am_parts *p,
			   struct vec *out)
{
	struct line l;

	if (!p->has_trailers)
		return;
	for (size_t off = p->trailers_start; off < p->trailers_end &&
	     line_at(body, off, &l); off = l.next) {
		const char *s = body + l.start;
		size_t n = l.end - l.start;

		if (out->n && n && (s[0] == ' ' || s[0] == '\t') &&
		    !is_note(s, n)) {
			char **lastp = (char **)&out->items[out->n - 1];
			struct sbuf sb = SBUF_INIT;

			while (n && isspace((unsigned char)*s)) {
				s++;
				n--;
			}
			sbuf_addf(&sb, "%s %.*s", *lastp, (int)n, s);
			free(*lastp);
			*lastp = sbuf_detach(&sb);
			continue;
		}
		vec_push(out, xstrndup(s, n));
	}
}

/* Append body[from, to) with \r\n made \n. */
static void add_unix(struct sbuf *out, const char *body, size_t from,
		     size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!(body[i] == '\r' && (i + 1 == to || body[i + 1] == '\n')))
			sbuf_addch(out, body[i]);
}

void mail_am_add_trailers(const char *body, const struct vec *lines,
			  const char *move_last, struct sbuf *out)
{
	struct mail_am_parts p;
	struct line l;
	int moved = 0;

	mail_am_parts(&p, body);
	if (!p.has_trailers) {
		add_unix(out, body, 0, p.trailers_end);
		if (p.trailers_end > p.msg_start)
			sbuf_addch(out, '\n');
	} else {
		add_unix(out, body, 0, p.trailers_start);
		for (size_t off = p.trailers_start; off < p.trailers_end &&
		     line_at(body, off, &l); off = l.next) {
			size_t n = l.end - l.start;

			if (move_last && n == strlen(move_last) &&
			    !strncasecmp(body + l.start, move_last, n)) {
				moved = 1;
				continue;
			}
			add_unix(out, body, l.start, l.end);
			sbuf_addch(out, '\n');
		}
	}
	for (size_t i = 0; lines && i < lines->n; i++)
		sbuf_addf(out, "%s\n", (const char *)lines->items[i]);
	if (move_last)
		sbuf_addf(out, "%s\n", move_last);
	(void)moved;
	/* The rest (blank lines, "---", notes, diff) as it was. */
	add_unix(out, body, p.trailers_end, strlen(body));
	/* without blank lines at the end, as b4 writes it */
	while (out->len > 1 && out->buf[out->len - 1] == '\n' &&
	       out->buf[out->len - 2] == '\n')
		sbuf_setlen(out, out->len - 1);
	if (out->len && out->buf[out->len - 1] != '\n')
		sbuf_addch(out, '\n');
	mail_am_parts_release(&p);
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * A header value as git's mailinfo decodes it: RFC 2047 in UTF-8 when
 * it is not ASCII (GMime would pick ISO-8859-1 where it can, which
 * git mailinfo does not always convert back).
 */
static void add_header(struct sbuf *out, const char *name, const char *value,
		       int address)
{
	struct mail_address a = MAIL_ADDRESS_INIT;
	char *enc = NULL;

	if (is_ascii(value)) {
		sbuf_addf(out, "%s: %s\n", name, value);
		return;
	}
	mail_gmime_init();
	if (address && !mail_address_parse(&a, value) && a.email && a.name) {
		enc = g_mime_utils_header_encode_phrase(NULL, a.name, "utf-8");
		sbuf_addf(out, "%s: %s <%s>\n", name, enc, a.email);
	} else {
		enc = g_mime_utils_header_encode_text(NULL, value, "utf-8");
		sbuf_addf(out, "%s: %s\n", name, enc);
	}
	g_free(enc);
	mail_address_release(&a);
}

int mail_am_write_msg(const struct mail_am_msg *m, int with_from,
		      struct sbuf *out, unsigned *bad_line)
{
	struct line l;
	unsigned n = 1;

	for (size_t off = 0; line_at(m->body, off, &l); off = l.next, n++) {
		if (mail_mbox_is_from_line(m->body + l.start,
					   l.end - l.start)) {
			*bad_line = n;
			return -1;
		}
	}
	if (with_from)
		sbuf_addstr(out, "From git@z Thu Jan  1 00:00:00 1970\n");
	add_header(out, "Subject", m->subject, 0);
	add_header(out, "From", m->from, 1);
	if (m->date)
		sbuf_addf(out, "Date: %s\n", m->date);
	if (m->message_id)
		sbuf_addf(out, "Message-Id: <%s>\n", m->message_id);
	sbuf_addf(out, "MIME-Version: 1.0\n"
		  "Content-Type: text/plain; charset=\"utf-8\"\n"
		  "Content-Transfer-Encoding: %s\n\n",
		  is_ascii(m->body) ? "7bit" : "8bit");
	sbuf_addstr(out, m->body);
	while (out->len > 1 && out->buf[out->len - 1] == '\n' &&
	       out->buf[out->len - 2] == '\n')
		sbuf_setlen(out, out->len - 1);
	if (out->len && out->buf[out->len - 1] != '\n')
		sbuf_addch(out, '\n');
	/* a blank line between messages, as b4 writes them */
	sbuf_addch(out, '\n');
	return 0;
}

void mail_am_subject(struct sbuf *out, int rfc, unsigned version,
		     int version_given, unsigned index, unsigned total,
		     const char *title)
{
	sbuf_addstr(out, "[PATCH");
	if (rfc)
		sbuf_addstr(out, " RFC");
	if (version > 1 || version_given)
		sbuf_addf(out, " v%u", version);
	if (total)
		sbuf_addf(out, " %u/%u", index, total);
	sbuf_addf(out, "] %s", title ? title : "");
}

/* Python's \w: a letter, a digit or '_' (Unicode). */
static int is_word(gunichar c)
{
	return c == '_' || g_unichar_isalnum(c);
}

/* text with each run of non-word characters one '_', into out. */
static void add_words(struct sbuf *out, const char *text)
{
	const char *p = text;
	int gap = 0;

	while (*p) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const char *next;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			gap = 1;
			continue;
		}
		next = g_utf8_next_char(p);
		if (is_word(c)) {
			if (gap)
				sbuf_addch(out, '_');
			gap = 0;
			sbuf_add(out, p, (size_t)(next - p));
		} else {
			gap = 1;
		}
		p = next;
	}
	if (gap)
		sbuf_addch(out, '_');
}

void mail_am_slug(struct sbuf *out, unsigned version, time_t date,
		  int tz_minutes, const char *from_email, const char *title)
{
	struct sbuf raw = SBUF_INIT;
	char ymd[16];
	const char *at = from_email ? strchr(from_email, '@') : NULL;
	char *lower, *s, *end;
	long chars;

	date_format_ymd(date_of_time(date + (time_t)tz_minutes * 60), ymd,
			sizeof(ymd));
	for (char *c = ymd; *c; c++)
		if (*c != '-')
			sbuf_addch(&raw, *c);
	sbuf_addch(&raw, '_');
	if (from_email)
		sbuf_add(&raw, from_email, at ? (size_t)(at - from_email) :
			 strlen(from_email));
	sbuf_addch(&raw, '_');
	sbuf_addstr(&raw, title ? title : "");
	{
		struct sbuf w = SBUF_INIT;

		add_words(&w, raw.buf);
		sbuf_release(&raw);
		raw = w;
	}
	/* strip('_') */
	s = raw.buf;
	while (*s == '_')
		s++;
	end = raw.buf + raw.len;
	while (end > s && end[-1] == '_')
		end--;
	lower = g_utf8_strdown(s, end - s);
	sbuf_release(&raw);
	if (version != 1)
		sbuf_addf(&raw, "v%u_", version);
	sbuf_addstr(&raw, lower);
	g_free(lower);
	/* [:100], in characters */
	chars = g_utf8_strlen(raw.buf, -1);
	if (chars > 100)
		sbuf_setlen(&raw, (size_t)(g_utf8_offset_to_pointer(raw.buf,
								     100) -
					   raw.buf));
	sbuf_addstr(out, raw.buf);
	sbuf_release(&raw);
}

int mail_am_date_tz(const char *date)
{
	const char *p;
	long v;

	if (!date)
		return 0;
	for (p = date + strlen(date); p > date; p--) {
		if ((p[-1] == '+' || p[-1] == '-') && isdigit((unsigned char)p[0])
		    && strspn(p, "0123456789") == 4) {
			v = strtol(p, NULL, 10);
			v = (v / 100) * 60 + v % 100;
			return p[-1] == '-' ? -(int)v : (int)v;
		}
	}
	return 0;
}

void mail_am_branch_slug(const char *title, struct sbuf *out)
{
	int gap = 0;
	size_t start = out->len;

	for (const char *p = title ? title : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c)) {
			if (gap && out->len > start)
				sbuf_addch(out, '-');
			gap = 0;
			sbuf_addch(out, (char)tolower(c));
		} else {
			gap = 1;
		}
	}
	if (out->len == start)
		sbuf_addstr(out, "series");
}

/* "Amery Hung (6):" of a git shortlog. */
static int is_shortlog_head(const char *s, size_t n)
{
	size_t i = n;

	if (n < 5 || s[n - 1] != ':' || s[n - 2] != ')' || isspace(
		    (unsigned char)s[0]))
		return 0;
	i = n - 2;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	return i > 1 && i < n - 2 && s[i - 1] == '(' && s[i - 2] == ' ';
}

void mail_am_merge_message(const struct mail_am_merge *m, struct sbuf *out)
{
	const char *body = m->body ? m->body : "";
	struct sbuf text = SBUF_INIT;
	struct mail_am_parts p;
	struct line l;
	size_t off, end;

	mail_am_parts(&p, body);
	end = p.has_trailers ? p.trailers_start : p.msg_end;
	/* The cover's own text: above the shortlog, diffstat, base-commit. */
	for (off = p.msg_start; off < end && line_at(body, off, &l);
	     off = l.next) {
		const char *s = body + l.start;
		size_t n = l.end - l.start;

		if (is_shortlog_head(s, n) || is_diffstat(s, n) ||
		    str_starts_with(s, "base-commit:") ||
		    str_starts_with(s, "change-id:") ||
		    str_starts_with(s, "prerequisite-"))
			break;
	}
	add_unix(&text, body, p.msg_start, off < end ? off : end);
	sbuf_trim(&text);
	sbuf_addstr(out, "Merge branch '");
	mail_am_branch_slug(m->title, out);
	sbuf_addf(out, "'\n\n%s says:\n\n====================\n",
		  m->author ? m->author : "The author");
	if (text.len)
		sbuf_addf(out, "%s\n", text.buf);
	sbuf_addstr(out, "====================\n");
	if (m->link || m->signoff)
		sbuf_addch(out, '\n');
	if (m->link)
		sbuf_addf(out, "Link: %s\n", m->link);
	if (m->signoff)
		sbuf_addf(out, "Signed-off-by: %s\n", m->signoff);
	sbuf_release(&text);
	mail_am_parts_release(&p);
}

char *mail_am_base_commit(const char *body)
{
	struct line l;

	for (size_t off = 0; body && line_at(body, off, &l); off = l.next) {
		const char *s = body + l.start, *h;
		size_t n;

		if (!line_starts(body, &l, "base-commit:"))
			continue;
		h = s + strlen("base-commit:");
		while (*h == ' ' || *h == '\t')
			h++;
		n = strspn(h, "0123456789abcdef");
		if (n >= 7 && n <= 64)
			return xstrndup(h, n);
	}
	return NULL;
}

unsigned mail_am_broken_diff(const char *body)
{
	struct mail_diff d = MAIL_DIFF_INIT;
	struct line l, nx;
	struct sbuf cur = SBUF_INIT, next = SBUF_INIT;
	unsigned n = 0, bad = 0;
	int in_diff = 0;

	for (size_t off = 0; line_at(body, off, &l); off = l.next) {
		enum mail_diff_state before = d.state;
		enum mail_diff_kind k;

		n++;
		sbuf_reset(&cur);
		sbuf_add(&cur, body + l.start, l.end - l.start);
		sbuf_reset(&next);
		if (line_at(body, l.next, &nx))
			sbuf_add(&next, body + nx.start, nx.end - nx.start);
		k = mail_diff_line(&d, cur.buf, line_at(body, l.next, &nx) ?
				   next.buf : NULL, 0);
		if (k == MAIL_DIFF_HUNK)
			in_diff = 1;
		/* A hunk that ends before its counts say it does. */
		if (before == MAIL_DIFF_IN_HUNK && in_diff &&
		    k != MAIL_DIFF_ADDED && k != MAIL_DIFF_REMOVED &&
		    k != MAIL_DIFF_CONTEXT && k != MAIL_DIFF_NO_NEWLINE) {
			bad = n;
			break;
		}
	}
	if (!bad && d.state == MAIL_DIFF_IN_HUNK &&
	    (d.old_left || d.new_left))
		bad = n;
	sbuf_release(&cur);
	sbuf_release(&next);
	return bad;
}
