/*
 * Composing the messages of a series for sending (mail/compose.h).
 *
 * GMime parses the header block of each file (folding, encoded words,
 * address lists) and writes the new header block (RFC 2047 for
 * non-ASCII names, folded address lists, the date).  The body is never
 * given to GMime: it is sent as git format-patch wrote it, byte for
 * byte, which writing a parsed GMimePart back would not promise (it may
 * re-encode).  The headers kept from the file are written back with
 * their raw values for the same reason.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gmime/gmime.h>

#include "mail/address.h"
#include "mail/compose.h"
#include "mail/gmime.h"
#include "mail/message.h"
#include "mail/private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* More References than this are not carried to the replies. */
#define REFERENCES_MAX 64

/* The mailboxes of a header of msg, appended to boxes. */
static int header_mailboxes(GMimeMessage *msg, const char *name,
			    const char *path, GPtrArray *boxes,
			    GPtrArray *keep, struct err *err)
{
	const char *raw = mail_send_raw_header(msg, name);
	struct sbuf what = SBUF_INIT;
	char *value;
	int ret;

	if (!raw)
		return 0;
	/* unfolded, encoded words left for GMime to decode */
	value = mail_subject_unfold(raw);
	sbuf_addf(&what, "%s: %s", path, name);
	ret = mail_address_parse_boxes(value, boxes, keep, what.buf, err);
	free(value);
	sbuf_release(&what);
	return ret;
}

/* The mailboxes of option values (each a list), appended to boxes. */
static int option_mailboxes(const struct vec *v, GPtrArray *boxes,
			    GPtrArray *keep, struct err *err)
{
	for (size_t i = 0; v && i < v->n; i++) {
		int ret = mail_address_parse_boxes(v->items[i], boxes, keep,
						   "address", err);

		if (ret)
			return ret;
	}
	return 0;
}

static int has_mailbox(GPtrArray *list, InternetAddressMailbox *mb)
{
	const char *a = internet_address_mailbox_get_addr(mb);

	for (guint i = 0; i < list->len; i++)
		if (mail_address_same(internet_address_mailbox_get_addr(
					      list->pdata[i]), a))
			return 1;
	return 0;
}

/* boxes without the ones already in seen (or earlier in boxes). */
static InternetAddressList *unique_list(GPtrArray *boxes, GPtrArray *seen)
{
	InternetAddressList *list = internet_address_list_new();

	for (guint i = 0; i < boxes->len; i++) {
		InternetAddressMailbox *mb = boxes->pdata[i];

		if (has_mailbox(seen, mb))
			continue;
		g_ptr_array_add(seen, mb);
		internet_address_list_add(list, INTERNET_ADDRESS(mb));
	}
	return list;
}

static void list_texts(InternetAddressList *list, struct vec *out)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++)
		vec_push(out, mail_address_text(INTERNET_ADDRESS_MAILBOX(
				internet_address_list_get_address(list, i))));
}

/* Non-ASCII names are encoded as UTF-8 words, not as GMime's best fit. */
static void set_utf8(InternetAddressList *list)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++)
		internet_address_set_charset(
			internet_address_list_get_address(list, i), "UTF-8");
}

/*
 * Append header name with a value GMime folds and encodes (an address
 * list), written as internet_address_list_encode() gives it.
 */
static void add_address_header(GMimeHeaderList *hl, const char *name,
			       InternetAddressList *list,
			       GMimeFormatOptions *fo)
{
	GString *s = g_string_new(NULL);
	char *value;

	set_utf8(list);
	g_string_append_printf(s, "%s: ", name);
	internet_address_list_encode(list, fo, s);
	value = internet_address_list_to_string(list, fo, FALSE);
	g_mime_header_list_append(hl, name, value, "UTF-8");
	/* the raw value: after "Name:", with its fold and newline */
	g_mime_header_set_raw_value(g_mime_header_list_get_header_at(hl,
			g_mime_header_list_get_count(hl) - 1),
		s->str + strlen(name) + 1);
	g_free(value);
	g_string_free(s, TRUE);
}

/* Append a header as the file had it, raw value and all. */
static void add_mail_send_raw_header(GMimeHeaderList *hl, GMimeHeader *h)
{
	const char *name = g_mime_header_get_name(h);

	g_mime_header_list_append(hl, name, g_mime_header_get_value(h), NULL);
	g_mime_header_set_raw_value(g_mime_header_list_get_header_at(hl,
			g_mime_header_list_get_count(hl) - 1),
		g_mime_header_get_raw_value(h));
}

static int header_offset_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset(*(GMimeHeader *const *)a);
	gint64 y = g_mime_header_get_offset(*(GMimeHeader *const *)b);

	return x < y ? -1 : x > y;
}

/*
 * Every header of the file in its order: GMime keeps the Content-*
 * headers with the MIME part, the others with the message.
 */
static GPtrArray *file_headers(GMimeMessage *msg)
{
	GPtrArray *all = g_ptr_array_new();
	GMimeObject *part = g_mime_message_get_mime_part(msg);
	GMimeHeaderList *lists[2] = {
		g_mime_object_get_header_list(GMIME_OBJECT(msg)),
		part ? g_mime_object_get_header_list(part) : NULL,
	};

	for (int l = 0; l < 2; l++) {
		int n = lists[l] ? g_mime_header_list_get_count(lists[l]) : 0;

		for (int i = 0; i < n; i++)
			g_ptr_array_add(all, g_mime_header_list_get_header_at(
						lists[l], i));
	}
	g_ptr_array_sort(all, header_offset_cmp);
	return all;
}

/* The headers send writes itself; the file's are dropped. */
static int is_replaced(const char *name)
{
	static const char *const names[] = {
		"From", "To", "Cc", "Bcc", "Date", "Message-Id", "Subject",
		"In-Reply-To", "References", NULL
	};

	for (size_t i = 0; names[i]; i++)
		if (!strcasecmp(name, names[i]))
			return 1;
	return 0;
}

static int has_header(GPtrArray *headers, const char *name)
{
	for (guint i = 0; i < headers->len; i++)
		if (!strcasecmp(g_mime_header_get_name(headers->pdata[i]),
				name))
			return 1;
	return 0;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* "<id>" for each id of a References or In-Reply-To value. */
static void add_ids(struct vec *out, const char *value)
{
	struct vec ids = VEC_INIT;

	mail_message_parse_ids(&ids, value, REFERENCES_MAX);
	for (size_t i = 0; i < ids.n; i++) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "<%s>", (char *)ids.items[i]);
		vec_push(out, sbuf_detach(&sb));
	}
	vec_release_str(&ids);
}

/* A new Message-Id, git send-email's way: time, pid, number, domain. */
static char *new_msgid(const struct mail_send_options *o, size_t i,
		       const char *sender_addr)
{
	struct sbuf sb = SBUF_INIT;
	char stamp[32];
	struct tm tm;
	const char *at = strrchr(sender_addr, '@');

	gmtime_r(&o->now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	sbuf_addf(&sb, "<%s.%ld-%zu-vger@%s>", stamp, o->pid, i + 1,
		  at ? at + 1 : "localhost");
	return sbuf_detach(&sb);
}

struct compose_ctx {
	const struct mail_send_options *o;
	InternetAddressMailbox *sender;
	GMimeFormatOptions *fo;
	struct vec thread_refs;	/* the first message's chain, and it */
};

/* Append the file's headers called name (only the first, with first). */
static void add_raw_headers(GMimeHeaderList *out, GPtrArray *headers,
			    const char *name, int first)
{
	for (guint i = 0; i < headers->len; i++) {
		if (strcasecmp(g_mime_header_get_name(headers->pdata[i]), name))
			continue;
		add_mail_send_raw_header(out, headers->pdata[i]);
		if (first)
			break;
	}
}

/*
 * The header block of message m (index in the series) as sent, in git
 * send-email's order: From, To, Cc, Subject, Date, Message-Id,
 * In-Reply-To, References, then the file's other headers as they were;
 * with say_charset, the MIME headers for a UTF-8 body when the file
 * has none.  GMime writes it; the caller g_free()s it.
 */
static char *header_block(const struct compose_ctx *c, GMimeMessage *msg,
			  const struct mail_send_msg *m, size_t index,
			  InternetAddressList *lto, InternetAddressList *lcc,
			  int say_charset)
{
	GMimeHeaderList *out = g_mime_header_list_new(NULL);
	GPtrArray *headers = file_headers(msg);
	InternetAddressList *lfrom = internet_address_list_new();
	GDateTime *dt = g_date_time_new_from_unix_local(m->date);
	char *date = g_mime_utils_header_format_date(dt), *text;

	internet_address_list_add(lfrom, INTERNET_ADDRESS(c->sender));
	add_address_header(out, "From", lfrom, c->fo);
	if (internet_address_list_length(lto))
		add_address_header(out, "To", lto, c->fo);
	if (internet_address_list_length(lcc))
		add_address_header(out, "Cc", lcc, c->fo);
	add_raw_headers(out, headers, "Subject", 1);
	g_mime_header_list_append(out, "Date", date, NULL);
	g_mime_header_list_append(out, "Message-Id", m->message_id, NULL);
	if (mail_send_raw_header(msg, "In-Reply-To")) {
		add_raw_headers(out, headers, "In-Reply-To", 0);
		add_raw_headers(out, headers, "References", 0);
	} else if (c->o->thread && index > 0 && c->thread_refs.n) {
		struct sbuf refs = SBUF_INIT;

		for (size_t i = 0; i < c->thread_refs.n; i++)
			sbuf_addf(&refs, "%s%s", i ? " " : "",
				  (char *)c->thread_refs.items[i]);
		g_mime_header_list_append(out, "In-Reply-To",
			c->thread_refs.items[c->thread_refs.n - 1], NULL);
		g_mime_header_list_append(out, "References", refs.buf, NULL);
		sbuf_release(&refs);
	}
	for (guint i = 0; i < headers->len; i++)
		if (!is_replaced(g_mime_header_get_name(headers->pdata[i])))
			add_mail_send_raw_header(out, headers->pdata[i]);
	if (say_charset && !has_header(headers, "Content-Type")) {
		if (!has_header(headers, "MIME-Version"))
			g_mime_header_list_append(out, "MIME-Version", "1.0",
						  NULL);
		g_mime_header_list_append(out, "Content-Type",
					  "text/plain; charset=UTF-8", NULL);
		if (!has_header(headers, "Content-Transfer-Encoding"))
			g_mime_header_list_append(out,
				"Content-Transfer-Encoding", "8bit", NULL);
	}
	text = g_mime_header_list_to_string(out, c->fo);
	g_free(date);
	g_date_time_unref(dt);
	g_object_unref(lfrom);
	g_ptr_array_free(headers, TRUE);
	g_object_unref(out);
	return text;
}

/*
 * "From: author\n\n" into out when the file's From: (the first of
 * from) is not the sender: the line git send-email puts first in the
 * body, so that git am keeps the author.
 */
static void author_line(const struct compose_ctx *c, GPtrArray *from,
			struct sbuf *out)
{
	InternetAddressMailbox *a;
	const char *an, *sn;
	char *text;

	if (!from->len)
		return;
	a = from->pdata[0];
	an = internet_address_get_name(INTERNET_ADDRESS(a));
	sn = internet_address_get_name(INTERNET_ADDRESS(c->sender));
	if (mail_address_same(internet_address_mailbox_get_addr(a),
			      internet_address_mailbox_get_addr(c->sender)) &&
	    !g_strcmp0(an && *an ? an : NULL, sn && *sn ? sn : NULL))
		return;
	text = mail_address_text(a);
	sbuf_addf(out, "From: %s\n\n", text);
	free(text);
}

static int compose_one(const struct compose_ctx *c, struct mail_send_msg *m,
		       size_t index, time_t date, struct err *err)
{
	GMimeMessage *msg = mail_gmime_parse(m->raw, m->body_off);
	GPtrArray *keep = g_ptr_array_new(), *seen = g_ptr_array_new();
	GPtrArray *to = g_ptr_array_new(), *cc = g_ptr_array_new();
	GPtrArray *bcc = g_ptr_array_new(), *from = g_ptr_array_new();
	const struct {
		const char *header;
		const struct vec *more;
		GPtrArray *into;
	} lists[] = {
		{ "To", c->o->to, to }, { "Cc", c->o->cc, cc },
		{ "Bcc", c->o->bcc, bcc }, { "From", NULL, from },
	};
	InternetAddressList *lto = NULL, *lcc = NULL, *lbcc = NULL;
	struct sbuf data = SBUF_INIT, author = SBUF_INIT;
	char *text;
	int ret = 0;

	if (!msg)
		BUG("%s parsed before, not now", m->path);
	vec_release_str(&m->file_bcc);
	for (size_t i = 0; !ret && i < sizeof(lists) / sizeof(*lists); i++) {
		ret = header_mailboxes(msg, lists[i].header, m->path,
				       lists[i].into, keep, err);
		/* what the file's Bcc: asks for, before the options' */
		for (guint j = 0; !ret && lists[i].into == bcc &&
		     j < bcc->len; j++)
			vec_push_str_unique(&m->file_bcc,
				internet_address_mailbox_get_addr(
					bcc->pdata[j]));
		if (!ret)
			ret = option_mailboxes(lists[i].more, lists[i].into,
					       keep, err);
	}
	if (ret)
		goto out;
	/* each address once: To first, then Cc, then Bcc */
	lto = unique_list(to, seen);
	lcc = unique_list(cc, seen);
	lbcc = unique_list(bcc, seen);
	if (!seen->len) {
		ret = err_set(err, ERR_PARSE, "%s: no recipient: no To: or "
			      "Cc: in the file and none given (--to, "
			      "sendemail.to)", m->path);
		goto out;
	}
	vec_release_str(&m->to);
	vec_release_str(&m->cc);
	vec_release_str(&m->rcpts);
	list_texts(lto, &m->to);
	list_texts(lcc, &m->cc);
	for (guint i = 0; i < seen->len; i++)
		vec_push_str(&m->rcpts,
			     internet_address_mailbox_get_addr(seen->pdata[i]));
	author_line(c, from, &author);
	m->date = date;
	text = header_block(c, msg, m, index, lto, lcc,
			    author.len && !is_ascii(author.buf));
	sbuf_addstr(&data, text);
	g_free(text);
	sbuf_addch(&data, '\n');
	sbuf_add(&data, author.buf, author.len);
	sbuf_add(&data, m->raw + m->body_off, m->raw_len - m->body_off);
	if (data.buf[data.len - 1] != '\n')
		sbuf_addch(&data, '\n');
	free(m->data);
	m->len = data.len;
	m->data = sbuf_detach(&data);
out:
	if (lto)
		g_object_unref(lto);
	if (lcc)
		g_object_unref(lcc);
	if (lbcc)
		g_object_unref(lbcc);
	g_ptr_array_free(seen, TRUE);
	g_ptr_array_free(to, TRUE);
	g_ptr_array_free(cc, TRUE);
	g_ptr_array_free(bcc, TRUE);
	g_ptr_array_free(from, TRUE);
	mail_address_unref_all(keep);
	g_object_unref(msg);
	sbuf_release(&author);
	return ret;
}

/* The first message's References (else In-Reply-To), then its id. */
static void thread_refs(struct mail_send_msg *m0, struct vec *out)
{
	GMimeMessage *msg = mail_gmime_parse(m0->raw, m0->body_off);
	const char *refs = mail_send_raw_header(msg, "References");

	add_ids(out, refs ? refs : mail_send_raw_header(msg, "In-Reply-To"));
	vec_push_str(out, mail_send_final_msgid(m0));
	g_object_unref(msg);
}

int mail_send_compose(struct mail_send_series *s,
		      const struct mail_send_options *o, struct err *err)
{
	struct compose_ctx c;
	GPtrArray *boxes = g_ptr_array_new(), *keep = g_ptr_array_new();
	size_t todo = 0, k = 0;
	int ret;

	memset(&c, 0, sizeof(c));
	c.o = o;
	ret = mail_address_parse_boxes(o->from ? o->from : "", boxes, keep,
				       "sender", err);
	if (!ret && boxes->len != 1)
		ret = err_set(err, ERR_PARSE, "sender: '%s' is not one address",
			      o->from ? o->from : "");
	if (ret)
		goto out;
	c.sender = boxes->pdata[0];
	c.fo = g_mime_format_options_new();
	for (size_t i = 0; i < s->msgs.n; i++)
		if (((struct mail_send_msg *)s->msgs.items[i])->status !=
		    MAIL_SEND_SENT)
			todo++;
	/* ids first: the replies name the first message's */
	for (size_t i = 0; i < s->msgs.n; i++) {
		struct mail_send_msg *m = s->msgs.items[i];

		if (m->status == MAIL_SEND_SENT)
			continue;
		free(m->message_id);
		if (m->file_msgid)
			m->message_id = xstrdup(m->file_msgid);
		else if (m->record_msgid)
			m->message_id = xstrdup(m->record_msgid);
		else
			m->message_id = new_msgid(o, i,
				internet_address_mailbox_get_addr(c.sender));
		/* recorded before anything is sent, kept on a resume */
		if (!m->record_msgid)
			m->record_msgid = xstrdup(m->message_id);
	}
	if (mail_send_final_msgid(s->msgs.items[0]))
		thread_refs(s->msgs.items[0], &c.thread_refs);
	for (size_t i = 0; i < s->msgs.n; i++) {
		struct mail_send_msg *m = s->msgs.items[i];

		if (m->status == MAIL_SEND_SENT)
			continue;
		ret = compose_one(&c, m, i, o->now - (time_t)(todo - 1 - k),
				  err);
		if (ret)
			goto out;
		k++;
	}
out:
	if (c.fo)
		g_mime_format_options_free(c.fo);
	vec_release_str(&c.thread_refs);
	g_ptr_array_free(boxes, TRUE);
	mail_address_unref_all(keep);
	return ret;
}
