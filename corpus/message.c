/*
 * One message of the corpus.  Messages are written with plain stdio:
 * they are our own, every header is ASCII (names outside ASCII are
 * RFC 2047 encoded here) and bodies are UTF-8 sent as 8bit, as git
 * send-email does, so no MIME library is needed to write them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/data.h"
#include "corpus/private.h"
#include "series/respin_fmt.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

static int needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* "Name <addr>", the name RFC 2047 Q-encoded when not ASCII. */
void corpus_add_addr(struct sbuf *sb, const struct person *p)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!p->name[0]) {
		sbuf_addstr(sb, p->email);
		return;
	}
	if (!needs_encoding(p->name)) {
		sbuf_addf(sb, "%s <%s>", p->name, p->email);
		return;
	}
	sbuf_addstr(sb, "=?UTF-8?q?");
	for (const char *s = p->name; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			sbuf_addch(sb, c);
		else if (c == ' ')
			sbuf_addch(sb, '_');
		else
			sbuf_addf(sb, "=%c%c", hex[c >> 4], hex[c & 15]);
	}
	sbuf_addf(sb, "?= <%s>", p->email);
}

static const char *const wday_names[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

static const char *const mon_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void to_tm(time_t t, int tz, struct tm *tm)
{
	time_t local = t + (time_t)tz * 60;

	gmtime_r(&local, tm);
}

/* RFC 5322 date, e.g. "Tue, 20 Sep 2022 08:15:21 -0600". */
static void add_date(struct sbuf *sb, time_t t, int tz, enum day_fmt f)
{
	struct tm tm;
	int a = tz < 0 ? -tz : tz;

	to_tm(t, tz, &tm);
	sbuf_addf(sb, f == DAY_SPACE ? "%s, %2d %s %d" :
		  f == DAY_ZERO ? "%s, %02d %s %d" : "%s, %d %s %d",
		  wday_names[tm.tm_wday], tm.tm_mday, mon_names[tm.tm_mon],
		  tm.tm_year + 1900);
	sbuf_addf(sb, " %02d:%02d:%02d %c%02d%02d", tm.tm_hour, tm.tm_min,
		  tm.tm_sec, tz < 0 ? '-' : '+', a / 60, a % 60);
}

void corpus_add_date(struct sbuf *sb, time_t t, int tz)
{
	add_date(sb, t, tz, DAY_PLAIN);
}

void corpus_add_git_date(struct sbuf *sb, time_t t, int tz)
{
	struct tm tm;
	int a = tz < 0 ? -tz : tz;

	to_tm(t, tz, &tm);
	sbuf_addf(sb, "%04d-%02d-%02d %02d:%02d:%02d %c%02d%02d",
		  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		  tm.tm_min, tm.tm_sec, tz < 0 ? '-' : '+', a / 60, a % 60);
}

/* ---------------------------------------------------------------- */
/* Text helpers.                                                     */

/* Append words of text wrapped at width, first/next line prefixes. */
void corpus_add_wrapped(struct sbuf *sb, const char *text, size_t width,
			const char *first, const char *next)
{
	size_t col = strlen(first);
	const char *p = text;
	int line_empty = 1;

	sbuf_addstr(sb, first);
	while (*p) {
		const char *w = p;
		size_t n;

		while (*p && *p != ' ')
			p++;
		n = (size_t)(p - w);
		if (!line_empty && col + 1 + n > width) {
			sbuf_addch(sb, '\n');
			sbuf_addstr(sb, next);
			col = strlen(next);
			line_empty = 1;
		}
		if (!line_empty) {
			sbuf_addch(sb, ' ');
			col++;
		}
		sbuf_add(sb, w, n);
		col += n;
		line_empty = 0;
		while (*p == ' ')
			p++;
	}
	sbuf_addch(sb, '\n');
}

/* Fill a template: every "%s" is arg, "%%" is '%'. */
void corpus_add_tmpl(struct sbuf *sb, const char *tmpl, const char *arg)
{
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '%' && p[1] == '%') {
			sbuf_addch(sb, '%');
			p++;
		} else if (p[0] == '%' && p[1] == 's') {
			sbuf_addstr(sb, arg);
			p++;
		} else {
			sbuf_addch(sb, *p);
		}
	}
}

char *corpus_tmpl_dup(const char *tmpl, const char *arg)
{
	struct sbuf sb = SBUF_INIT;

	corpus_add_tmpl(&sb, tmpl, arg);
	return sbuf_detach(&sb);
}

void corpus_fstat_free(void *p)
{
	struct fstat *f = p;

	free(f->path);
	free(f);
}

unsigned corpus_decimal_width(unsigned long n)
{
	unsigned w = 1;

	while (n >= 10) {
		n /= 10;
		w++;
	}
	return w;
}

/*
 * files: struct fstat *; width 72 (format-patch) or 80 (request-pull).
 * The lines are git's diffstat as series/ writes it for a respin, so
 * the corpus looks as git format-patch would have made it.
 */
void corpus_add_diffstat(struct sbuf *sb, const struct vec *files,
			 unsigned width)
{
	struct respin_stat_file *stat = xcalloc(files->n ? files->n : 1,
						sizeof(*stat));

	for (size_t i = 0; i < files->n; i++) {
		const struct fstat *f = files->items[i];

		stat[i].name = f->path;
		stat[i].added = f->add;
		stat[i].deleted = f->del;
	}
	respin_fmt_stat(sb, stat, files->n, (int)width);
	for (size_t i = 0; i < files->n; i++)
		free(stat[i].print_name);
	free(stat);
	for (size_t i = 0; i < files->n; i++) {
		const struct fstat *f = files->items[i];

		if (f->created)
			sbuf_addf(sb, " create mode 100644 %s\n", f->path);
	}
}

/* Add (path, add, del) into a list of struct fstat, merging by path. */
void corpus_fstat_merge(struct vec *files, const struct fstat *in)
{
	struct fstat *f;

	for (size_t i = 0; i < files->n; i++) {
		f = files->items[i];
		if (!strcmp(f->path, in->path)) {
			f->add += in->add;
			f->del += in->del;
			f->created |= in->created;
			return;
		}
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(in->path);
	f->add = in->add;
	f->del = in->del;
	f->created = in->created;
	vec_push(files, f);
}

int corpus_fstat_cmp(const void *a, const void *b)
{
	const struct fstat *x = *(const struct fstat *const *)a;
	const struct fstat *y = *(const struct fstat *const *)b;

	return strcmp(x->path, y->path);
}

void corpus_msg_free(void *p)
{
	struct msg *m = p;

	free(m->id);
	free(m->subject);
	free(m->refs);
	sbuf_release(&m->text);
	free(m);
}

static const char *msg_body(const struct msg *m)
{
	return m->text.buf + m->body_off;
}

/*
 * Append a header, folded before a space when longer than 78; address
 * lists (To, Cc) only between addresses.
 */
static void add_header(struct sbuf *sb, const char *name, const char *val)
{
	size_t col = strlen(name) + 2;
	const char *p = val;
	int addrs = !strcmp(name, "To") || !strcmp(name, "Cc");

	sbuf_addf(sb, "%s: ", name);
	while (strlen(p) + col > 78) {
		const char *cut = NULL;

		for (const char *q = p + 1; *q && (size_t)(q - p) + col <= 78;
		     q++)
			if (*q == ' ' && (!addrs || q[-1] == ','))
				cut = q;
		if (!cut)
			break;
		sbuf_add(sb, p, (size_t)(cut - p));
		sbuf_addch(sb, '\n');
		col = 0;
		p = cut;
	}
	sbuf_addstr(sb, p);
	sbuf_addch(sb, '\n');
}

/* "a, b, c" of people plus raw addresses, as a header value. */
void corpus_add_addr_list(struct sbuf *sb, const struct person *const *ps,
			  size_t n, const char *const *raw, size_t nraw)
{
	for (size_t i = 0; i < n; i++) {
		if (sb->len)
			sbuf_addstr(sb, ", ");
		corpus_add_addr(sb, ps[i]);
	}
	for (size_t i = 0; i < nraw; i++) {
		if (sb->len)
			sbuf_addstr(sb, ", ");
		sbuf_addstr(sb, raw[i]);
	}
}

/*
 * Start a message: headers are written, the body follows in m->text.
 * parent: the message replied to (NULL for a thread root); the id is
 * the caller's string (taken).
 */
struct msg *corpus_msg_start(struct unit *u, const struct person *from,
			     time_t date, enum day_fmt df, char *id,
			     const char *subject, const char *to,
			     const char *cc, const struct msg *parent,
			     const char *mailer)
{
	struct msg *m = xcalloc(1, sizeof(*m));
	struct sbuf v = SBUF_INIT;

	m->date = date;
	m->tz = from->tz;
	m->id = id;
	m->subject = xstrdup(subject);
	m->from = from;
	sbuf_init(&m->text);
	corpus_add_addr(&v, from);
	add_header(&m->text, "From", v.buf);
	sbuf_reset(&v);
	if (to && *to)
		add_header(&m->text, "To", to);
	if (cc && *cc)
		add_header(&m->text, "Cc", cc);
	add_header(&m->text, "Subject", subject);
	add_date(&v, date, from->tz, df);
	add_header(&m->text, "Date", v.buf);
	sbuf_reset(&v);
	sbuf_addf(&v, "<%s>", id);
	add_header(&m->text, "Message-ID", v.buf);
	sbuf_reset(&v);
	if (mailer)
		add_header(&m->text, "X-Mailer", mailer);
	if (parent) {
		sbuf_addf(&v, "<%s>", parent->id);
		add_header(&m->text, "In-Reply-To", v.buf);
		sbuf_reset(&v);
		if (*parent->refs)
			sbuf_addf(&v, "%s ", parent->refs);
		sbuf_addf(&v, "<%s>", parent->id);
		add_header(&m->text, "References", v.buf);
		m->refs = sbuf_detach(&v);
	} else {
		m->refs = xstrdup("");
		m->root = 1;
	}
	sbuf_addstr(&m->text, "MIME-Version: 1.0\n"
		    "Content-Type: text/plain; charset=UTF-8\n"
		    "Content-Transfer-Encoding: 8bit\n\n");
	m->body_off = m->text.len;
	sbuf_release(&v);
	vec_push(&u->msgs, m);
	return m;
}

static const char *domain_of(const char *email)
{
	const char *at = strchr(email, '@');

	return at ? at + 1 : email;
}

/* git send-email's id: 20250106123456.12345-2-jane.doe@example.com */
char *corpus_id_sendemail(time_t t, unsigned long pid, unsigned n,
			  const struct person *p)
{
	struct sbuf sb = SBUF_INIT;
	struct tm tm;

	to_tm(t, 0, &tm);
	sbuf_addf(&sb, "%04d%02d%02d%02d%02d%02d.%lu-%u-%s",
		  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		  tm.tm_min, tm.tm_sec, pid, n, p->email);
	return sbuf_detach(&sb);
}

/* A mail client's id in the style of the sender's client. */
char *corpus_id_client(struct unit *u, const struct person *p)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+_";
	struct sbuf sb = SBUF_INIT;
	char hex[33];

	switch (p->style) {
	case STYLE_GMAIL:
		sbuf_addstr(&sb, "CA");
		for (int i = 0; i < 44; i++)
			sbuf_addch(&sb, b64[rng_below(&u->r, 64)]);
		sbuf_addstr(&sb, "@mail.gmail.com");
		break;
	case STYLE_MUTT:
		sbuf_addch(&sb, 'Z');
		for (int i = 0; i < 15; i++)
			sbuf_addch(&sb, b64[rng_below(&u->r, 62)]);
		sbuf_addf(&sb, "@%s", domain_of(p->email));
		break;
	default:
		rng_hex(&u->r, hex, 32);
		sbuf_addf(&sb, "%.8s-%.4s-%.4s-%.4s-%.12s@%s", hex, hex + 8,
			  hex + 12, hex + 16, hex + 20, domain_of(p->email));
		break;
	}
	return sbuf_detach(&sb);
}

/* <164926501135.17190.3211103529600690232.git-patchwork-notify@...> */
static char *id_bot(struct unit *u, time_t t)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%lld%02u.%u.%llu%09u.git-patchwork-notify@kernel.org",
		  (long long)t, rng_below(&u->r, 100),
		  rng_range(&u->r, 10000, 32767),
		  (unsigned long long)rng_range(&u->r, 1000000000u,
						 4000000000u),
		  rng_below(&u->r, 1000000000u));
	return sbuf_detach(&sb);
}

/* "On <date>, Name wrote:" in the replier's client style. */
static void add_attribution(struct sbuf *sb, const struct person *replier,
			    const struct msg *parent)
{
	struct tm tm;
	int h12;

	to_tm(parent->date, replier->tz, &tm);
	h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
	switch (replier->style) {
	case STYLE_GMAIL:
		sbuf_addf(sb, "On %s, %s %d, %d at %d:%02d %s ",
			  wday_names[tm.tm_wday], mon_names[tm.tm_mon],
			  tm.tm_mday, tm.tm_year + 1900, h12, tm.tm_min,
			  tm.tm_hour < 12 ? "AM" : "PM");
		corpus_add_addr(sb, parent->from);
		sbuf_addstr(sb, " wrote:\n");
		break;
	case STYLE_MUTT:
		to_tm(parent->date, parent->tz, &tm);
		sbuf_addf(sb, "On %s, %s %02d, %d at %02d:%02d:%02d%s "
			  "%c%02d%02d, %s wrote:\n", wday_names[tm.tm_wday],
			  mon_names[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900,
			  h12, tm.tm_min, tm.tm_sec,
			  tm.tm_hour < 12 ? "AM" : "PM",
			  parent->tz < 0 ? '-' : '+',
			  abs(parent->tz) / 60, abs(parent->tz) % 60,
			  parent->from->name);
		break;
	default:
		sbuf_addf(sb, "On %d/%d/%02d %d:%02d %s, %s wrote:\n",
			  tm.tm_mon + 1, tm.tm_mday, tm.tm_year % 100, h12,
			  tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM",
			  parent->from->name);
		break;
	}
}

/*
 * Quote up to max lines of the parent's body from line `from`, "> "
 * before each (">" alone for empty lines); stops at the signature.
 * Returns the line after the last quoted one.
 */
unsigned corpus_add_quote(struct sbuf *sb, const struct msg *parent,
			  unsigned from, unsigned max)
{
	const char *p = msg_body(parent);
	unsigned line = 0, done = 0;

	while (*p && done < max) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 3 && !memcmp(p, "-- ", 3))
			break;
		if (line >= from) {
			if (n)
				sbuf_addstr(sb, "> ");
			else
				sbuf_addch(sb, '>');
			sbuf_add(sb, p, n);
			sbuf_addch(sb, '\n');
			done++;
		}
		line++;
		p = e ? e + 1 : p + n;
	}
	return line;
}

/* Start a reply from `from` to parent: headers, attribution, quote. */
struct msg *corpus_reply_start(struct unit *u, const char *cc,
			       const struct person *from, time_t t,
			       struct msg *parent, unsigned quote)
{
	struct sbuf subj = SBUF_INIT, to = SBUF_INIT;
	const struct person *top[] = { parent->from };
	struct msg *m;

	if (strncmp(parent->subject, "Re: ", 4))
		sbuf_addstr(&subj, "Re: ");
	sbuf_addstr(&subj, parent->subject);
	corpus_add_addr_list(&to, top, 1, NULL, 0);
	m = corpus_msg_start(u, from, t, DAY_PLAIN, corpus_id_client(u, from),
			     subj.buf, to.buf, cc, parent, NULL);
	add_attribution(&m->text, from, parent);
	corpus_add_quote(&m->text, parent, 0, quote);
	sbuf_addch(&m->text, '\n');
	sbuf_release(&subj);
	sbuf_release(&to);
	return m;
}

/*
 * The patchwork-bot quote: the message up to its diff, whole
 * paragraphs, at most 3 of them and 9 lines, then "> [...]" when
 * something was left out (as in the notices in samples-notes.md).
 */
static void add_bot_quote(struct sbuf *sb, const char *body)
{
	struct vec lines = VEC_INIT;
	size_t n, take = 0, paras = 0, i = 0;
	const char *p = body;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (!strncmp(p, "diff --git ", 11) ||
		    (len == 3 && !memcmp(p, "-- ", 3)))
			break;
		vec_push(&lines, xstrndup(p, len));
		p = e ? e + 1 : p + len;
	}
	n = lines.n;
	while (n && !*(char *)lines.items[n - 1])
		n--;
	while (i < n && paras < 3) {
		size_t j = i;

		while (j < n && *(char *)lines.items[j])
			j++;
		if (paras && j > 9)
			break;
		take = j > 9 ? 9 : j;
		paras++;
		i = j + 1;
	}
	for (size_t k = 0; k < take; k++) {
		const char *l = lines.items[k];

		sbuf_addf(sb, "> %s\n", l);
	}
	if (take < n)
		sbuf_addstr(sb, "> \n> [...]\n");
	sbuf_addch(sb, '\n');
	vec_release(&lines, free);
}

/* The bot's reply: parent is the cover letter or the first patch. */
struct msg *corpus_bot_start(struct unit *u, time_t when, struct msg *parent,
			     const char *cc, const char *what,
			     const char *where, const struct person *by)
{
	struct sbuf subj = SBUF_INIT, to = SBUF_INIT;
	const struct person *top[] = { parent->from };
	struct msg *m;

	sbuf_addf(&subj, "Re: %s", parent->subject);
	corpus_add_addr_list(&to, top, 1, NULL, 0);
	m = corpus_msg_start(u, &corpus_bot, when, DAY_ZERO, id_bot(u, when),
			     subj.buf, to.buf, cc, parent, NULL);
	sbuf_addf(&m->text, "Hello:\n\nThis %s was applied to %s\nby ", what,
		  where);
	corpus_add_addr(&m->text, by);
	sbuf_addstr(&m->text, ":\n\nOn ");
	add_date(&m->text, parent->date, parent->tz, DAY_SPACE);
	sbuf_addstr(&m->text, " you wrote:\n");
	add_bot_quote(&m->text, msg_body(parent));
	sbuf_addstr(&m->text, "Here is the summary with links:\n");
	sbuf_release(&subj);
	sbuf_release(&to);
	u->d.bot_notices++;
	return m;
}
