/*
 * Replies, forwards and new messages as drafts (mail/reply.h).  GMime
 * reads the message replied to: its address headers, and its text
 * through mail/message.h (text/plain parts, converted to UTF-8).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mail/address.h"
#include "mail/gmime.h"
#include "mail/message.h"
#include "mail/private.h"
#include "mail/reply.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* More References than this are not carried (as mail/compose.c). */
#define REPLY_REFERENCES_MAX 64
/* Header lines are folded before this column. */
#define REPLY_FOLD 78

/* s with every control character (and a run of blanks) one space. */
static char *one_line(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	int blank = 0;

	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		/* C0, DEL, and C1 as UTF-8 (0xc2 0x80..0x9f) */
		int ctl = *p < ' ' || *p == 0x7f ||
			(*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);

		if (ctl || *p == ' ') {
			if (*p == 0xc2)
				p++;
			blank = 1;
			continue;
		}
		if (blank && sb.len)
			sbuf_addch(&sb, ' ');
		blank = 0;
		sbuf_addch(&sb, (char)*p);
	}
	return sbuf_detach(&sb);
}

char *mail_reply_mailbox(const char *name, const char *addr)
{
	char *clean = one_line(name), *out = NULL;
	struct err err = ERR_INIT;

	/*
	 * The one check of an address taken from mail (mail/address.h);
	 * a name it refuses (a control character, an angle bracket) is
	 * left out and the address kept: the reply still reaches them.
	 */
	if (mail_address_from_mail(&out, clean, addr, MAIL_ADDRESS_TEXT,
				   &err) &&
	    mail_address_from_mail(&out, NULL, addr, MAIL_ADDRESS_TEXT, &err))
		out = NULL;
	free(clean);
	return out;
}

struct rcpts {
	struct vec to, cc;	/* char *: "Name <addr>" */
	struct vec seen;	/* char *: every address added or dropped */
	const struct mail_reply_options *o;
};

static int is_me(const struct mail_reply_options *o, const char *addr)
{
	return (o->me && mail_address_find(o->me, addr) >= 0) ||
		mail_address_same(o->from, addr);
}

static void dropped(const struct mail_reply_options *o, const char *fmt,
		    const char *header, const char *what)
{
	struct sbuf sb = SBUF_INIT;

	if (!o->dropped)
		return;
	sbuf_addf(&sb, fmt, header, what);
	vec_push(o->dropped, sbuf_detach(&sb));
}

/* Add the mailbox to list, once over both lists, never the user. */
static void add_box(struct rcpts *r, struct vec *list, const char *header,
		    InternetAddressMailbox *mb)
{
	const char *addr = internet_address_mailbox_get_addr(mb);
	const char *name = internet_address_get_name(INTERNET_ADDRESS(mb));
	char *text;

	if (!addr || !*addr || mail_address_find(&r->seen, addr) >= 0)
		return;
	vec_push_str(&r->seen, addr);
	if (is_me(r->o, addr))
		return;
	text = mail_reply_mailbox(name, addr);
	if (!text) {
		struct sbuf shown = SBUF_INIT;

		sbuf_add_sanitized(&shown, addr, strlen(addr));
		dropped(r->o, "%s: '%s' is not an email address: left out",
			header, shown.buf);
		sbuf_release(&shown);
		return;
	}
	vec_push(list, text);
}

static void add_boxes(struct rcpts *r, struct vec *list, const char *header,
		      GPtrArray *boxes)
{
	for (guint i = 0; i < boxes->len; i++)
		add_box(r, list, header, boxes->pdata[i]);
}

/* The mailboxes of one address header of msg (borrowed from msg). */
static GPtrArray *boxes_of(GMimeMessage *msg, GMimeAddressType type)
{
	GPtrArray *out = g_ptr_array_new();

	mail_address_mailboxes(g_mime_message_get_addresses(msg, type), out);
	return out;
}

static int all_mine(const struct mail_reply_options *o, GPtrArray *boxes)
{
	for (guint i = 0; i < boxes->len; i++)
		if (!is_me(o, internet_address_mailbox_get_addr(
				   boxes->pdata[i])))
			return 0;
	return boxes->len > 0;
}

static int in_boxes(GPtrArray *boxes, const char *addr)
{
	for (guint i = 0; i < boxes->len; i++)
		if (mail_address_same(internet_address_mailbox_get_addr(
					      boxes->pdata[i]), addr))
			return 1;
	return 0;
}

/*
 * notmuch's test for a Reply-To: a list munged: every address of it
 * is already in To: or Cc:.  Then the author is From:.
 */
static int reply_to_munged(GPtrArray *reply_to, GPtrArray *to, GPtrArray *cc)
{
	for (guint i = 0; i < reply_to->len; i++) {
		const char *a = internet_address_mailbox_get_addr(
			reply_to->pdata[i]);

		if (!in_boxes(to, a) && !in_boxes(cc, a))
			return 0;
	}
	return reply_to->len > 0;
}

/* The address of a List-Post: <mailto:addr> header, or NULL. */
static char *list_post(GMimeMessage *msg)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg),
						 "List-Post");
	const char *p = v ? strstr(v, "mailto:") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += strlen("mailto:");
	n = strcspn(p, ">?, \t\r\n");
	return n ? xstrndup(p, n) : NULL;
}

static int at_vger(const char *addr)
{
	size_t n = strlen(addr), k = strlen("@vger.kernel.org");

	return n > k && !strcasecmp(addr + n - k, "@vger.kernel.org");
}

/*
 * The list to answer: List-Post:, else the first of o->lists in To:
 * or Cc:, else the first address there at vger.kernel.org.
 */
static int list_recipient(struct rcpts *r, GMimeMessage *msg, GPtrArray *to,
			  GPtrArray *cc, struct err *err, const char *path)
{
	char *post = list_post(msg);
	GPtrArray *both[] = { to, cc };

	if (post) {
		char *text = mail_reply_mailbox(NULL, post);

		free(post);
		if (text) {
			vec_push(&r->to, text);
			return 0;
		}
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < 2; k++)
			for (guint i = 0; i < both[k]->len; i++) {
				InternetAddressMailbox *mb = both[k]->pdata[i];
				const char *a =
					internet_address_mailbox_get_addr(mb);

				if (pass ? !at_vger(a) : !r->o->lists ||
				    mail_address_find(r->o->lists, a) < 0)
					continue;
				add_box(r, &r->to, "To", mb);
				if (r->to.n)
					return 0;
			}
	return err_set(err, ERR_NOTFOUND, "%s: no list to reply to (no "
		       "List-Post:, no list in To: or Cc:)", path);
}

/* To and Cc of the reply, as the file comment says. */
static int recipients(struct rcpts *r, GMimeMessage *msg, const char *path,
		      struct err *err)
{
	GPtrArray *from = boxes_of(msg, GMIME_ADDRESS_TYPE_FROM);
	GPtrArray *reply_to = boxes_of(msg, GMIME_ADDRESS_TYPE_REPLY_TO);
	GPtrArray *to = boxes_of(msg, GMIME_ADDRESS_TYPE_TO);
	GPtrArray *cc = boxes_of(msg, GMIME_ADDRESS_TYPE_CC);
	GPtrArray *author = reply_to->len && !reply_to_munged(reply_to, to, cc)
		? reply_to : from;
	int ret = 0;

	switch (r->o->mode) {
	case MAIL_REPLY_SENDER:
		/* to one's own message: its recipients, as notmuch does */
		if (all_mine(r->o, author))
			add_boxes(r, &r->to, "To", to);
		else
			add_boxes(r, &r->to, author == from ? "From" :
				  "Reply-To", author);
		break;
	case MAIL_REPLY_ALL:
		if (all_mine(r->o, author)) {
			add_boxes(r, &r->to, "To", to);
		} else {
			add_boxes(r, &r->to, author == from ? "From" :
				  "Reply-To", author);
			add_boxes(r, &r->cc, "To", to);
		}
		add_boxes(r, &r->cc, "Cc", cc);
		break;
	case MAIL_REPLY_LIST:
		ret = list_recipient(r, msg, to, cc, err, path);
		break;
	case MAIL_REPLY_FORWARD:
		break;
	}
	g_ptr_array_free(from, TRUE);
	g_ptr_array_free(reply_to, TRUE);
	g_ptr_array_free(to, TRUE);
	g_ptr_array_free(cc, TRUE);
	return ret;
}

/* "Name: a, b" folded at commas before REPLY_FOLD columns. */
static void add_list_header(struct sbuf *out, const char *name,
			    const struct vec *v)
{
	size_t col;

	if (!v || !v->n)
		return;
	sbuf_addf(out, "%s: ", name);
	col = strlen(name) + 2;
	for (size_t i = 0; i < v->n; i++) {
		const char *a = v->items[i];

		if (i) {
			sbuf_addch(out, ',');
			if (col + strlen(a) + 2 > REPLY_FOLD) {
				sbuf_addstr(out, "\n\t");
				col = 8;
			} else {
				sbuf_addch(out, ' ');
				col += 2;
			}
		}
		sbuf_addstr(out, a);
		col += strlen(a);
	}
	sbuf_addch(out, '\n');
}

static int msgid_ok(const char *id)
{
	return *id && !strpbrk(id, " \t\r\n<>()[]\\\",;");
}

/* In-Reply-To: and References: the parent's chain, then the parent. */
static void add_threading(struct sbuf *out, const struct mail_message *m)
{
	struct vec refs = VEC_INIT;
	size_t col;

	if (!m->message_id || !msgid_ok(m->message_id))
		return;
	for (size_t i = 0; i < m->references.n; i++)
		if (msgid_ok(m->references.items[i]) &&
		    strcmp(m->references.items[i], m->message_id))
			vec_push(&refs, m->references.items[i]);
	if (!refs.n && m->in_reply_to && msgid_ok(m->in_reply_to))
		vec_push(&refs, m->in_reply_to);
	/* the root and the newest, as mail/message.h keeps them */
	if (refs.n >= REPLY_REFERENCES_MAX) {
		size_t cut = refs.n - REPLY_REFERENCES_MAX + 1;

		memmove(refs.items + 1, refs.items + 1 + cut,
			(refs.n - 1 - cut) * sizeof(*refs.items));
		refs.n -= cut;
	}
	vec_push(&refs, m->message_id);
	sbuf_addf(out, "In-Reply-To: <%s>\nReferences:", m->message_id);
	col = strlen("References:");
	for (size_t i = 0; i < refs.n; i++) {
		const char *id = refs.items[i];

		if (col + strlen(id) + 3 > REPLY_FOLD) {
			sbuf_addstr(out, "\n\t");
			col = 8;
		} else {
			sbuf_addch(out, ' ');
			col++;
		}
		sbuf_addf(out, "<%s>", id);
		col += strlen(id) + 2;
	}
	sbuf_addch(out, '\n');
	vec_release(&refs, NULL);
}

static void add_subject(struct sbuf *out, const char *subject,
			const char *prefix)
{
	char *s = one_line(subject ? subject : "");
	size_t n = strlen(prefix);

	sbuf_addstr(out, "Subject: ");
	if (strncasecmp(s, prefix, n))
		sbuf_addstr(out, prefix);
	sbuf_addf(out, "%s\n", s);
	free(s);
}

/* A line that ends what a review quotes of a patch or cover letter. */
static int ends_commit_message(const char *line, size_t n,
			       const char *next)
{
	if ((n == 3 && !memcmp(line, "---", 3)) ||
	    (n >= 11 && !memcmp(line, "diff --git ", 11)))
		return 1;
	/* git shortlog in a cover letter: "Name (3):" then "  subject" */
	if (n > 4 && line[n - 1] == ':' && line[n - 2] == ')' &&
	    line[0] != ' ' && line[0] != '>' && next && next[0] == ' ' &&
	    next[1] == ' ') {
		size_t i = n - 2;

		while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
			i--;
		return i < n - 2 && i > 1 && line[i - 1] == '(' &&
			line[i - 2] == ' ';
	}
	return 0;
}

/*
 * The lines of the parent's text to quote: without its signature, up
 * to what a review quotes with trailer, trailing blank lines gone.
 */
static void quote_body(struct sbuf *out, const char *body, int review)
{
	struct vec lines = VEC_INIT;
	const char *p = body ? body : "";
	size_t n;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && p[len - 1] == '\r')
			len--;
		if (len == 3 && !memcmp(p, "-- ", 3))
			break;	/* the signature */
		if (review && ends_commit_message(p, len, nl ? nl + 1 : NULL))
			break;
		vec_push(&lines, xstrndup(p, len));
		p = nl ? nl + 1 : p + strlen(p);
	}
	n = lines.n;
	while (n && !*(const char *)lines.items[n - 1])
		n--;
	for (size_t i = 0; i < n; i++) {
		const char *l = lines.items[i];

		if (!*l) {
			sbuf_addstr(out, ">\n");
			continue;
		}
		sbuf_addstr(out, "> ");
		/* mail text: controls but the tab are made visible */
		for (; *l; l++)
			sbuf_addch(out, ((unsigned char)*l < ' ' &&
					 *l != '\t') || *l == 0x7f ? '?' : *l);
		sbuf_addch(out, '\n');
	}
	vec_release_str(&lines);
}

static void attribution(struct sbuf *out, GMimeMessage *msg,
			const struct mail_message *m)
{
	const char *date = g_mime_object_get_header(GMIME_OBJECT(msg),
						    "Date");
	char *d = date ? one_line(date) : NULL;
	char *who = one_line(m->from_name && *m->from_name ? m->from_name :
			     m->from_email ? m->from_email : "someone");

	if (d && *d)
		sbuf_addf(out, "On %s, %s wrote:\n", d, who);
	else
		sbuf_addf(out, "%s wrote:\n", who);
	free(d);
	free(who);
}

static void forward_body(struct sbuf *out, GMimeMessage *msg,
			 const struct mail_message *m)
{
	static const char *const headers[] = {
		"From", "Date", "Subject", "To", "Cc", NULL
	};

	sbuf_addstr(out, "\n---------- Forwarded message ----------\n");
	for (size_t i = 0; headers[i]; i++) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(msg),
							 headers[i]);
		char *raw = v ? mail_subject_decode(v) : NULL;
		char *line = raw ? one_line(raw) : NULL;

		if (line && *line)
			sbuf_addf(out, "%s: %s\n", headers[i], line);
		free(line);
		free(raw);
	}
	sbuf_addch(out, '\n');
	for (const char *p = m->body ? m->body : ""; *p; p++)
		if (*p != '\r')
			sbuf_addch(out, ((unsigned char)*p < ' ' &&
					 *p != '\t' && *p != '\n') ||
				   *p == 0x7f ? '?' : *p);
}

int mail_reply_draft(const char *path, const struct mail_reply_options *o,
		     struct sbuf *out, struct err *err)
{
	struct sbuf data = SBUF_INIT;
	struct mail_message m;
	struct rcpts r;
	GMimeMessage *msg = NULL;
	int ret;

	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	r.o = o;
	ret = sbuf_read_file(&data, path, MAIL_MESSAGE_FILE_MAX, err);
	if (ret)
		goto out;
	ret = mail_message_parse(&m, data.buf, data.len, path, err);
	if (ret)
		goto out;
	msg = mail_gmime_parse(data.buf, data.len);
	if (!msg) {
		ret = err_set(err, ERR_PARSE, "%s: not a mail", path);
		goto out;
	}
	ret = recipients(&r, msg, path, err);
	if (ret)
		goto out;
	sbuf_addf(out, "From: %s\n", o->from ? o->from : "");
	add_list_header(out, "To", &r.to);
	add_list_header(out, "Cc", &r.cc);
	if (o->mode == MAIL_REPLY_FORWARD) {
		add_subject(out, m.subject, "Fwd: ");
	} else {
		add_subject(out, m.subject, "Re: ");
		add_threading(out, &m);
	}
	if (o->message_id)
		sbuf_addf(out, "Message-Id: %s\n", o->message_id);
	sbuf_addch(out, '\n');
	if (o->mode == MAIL_REPLY_FORWARD) {
		forward_body(out, msg, &m);
		goto out;
	}
	attribution(out, msg, &m);
	quote_body(out, m.body, o->trailer != NULL);
	sbuf_addch(out, '\n');
	if (o->trailer)
		sbuf_addf(out, "%s\n", o->trailer);
out:
	if (msg)
		g_object_unref(msg);
	mail_message_release(&m);
	sbuf_release(&data);
	vec_release_str(&r.to);
	vec_release_str(&r.cc);
	vec_release_str(&r.seen);
	return ret;
}

void mail_draft_new(const char *from, const struct vec *to,
		    const struct vec *cc, const char *subject,
		    const char *message_id, const char *body,
		    struct sbuf *out)
{
	char *s = one_line(subject ? subject : "");

	sbuf_addf(out, "From: %s\n", from ? from : "");
	if (to && to->n)
		add_list_header(out, "To", to);
	else
		sbuf_addstr(out, "To: \n");
	add_list_header(out, "Cc", cc);
	sbuf_addf(out, "Subject: %s\n", s);
	if (message_id)
		sbuf_addf(out, "Message-Id: %s\n", message_id);
	sbuf_addch(out, '\n');
	if (body)
		sbuf_addstr(out, body);
	free(s);
}
