/*
 * A series of patch files made ready to send (mail/send.h).
 *
 * GMime parses the header block of each file (folding, encoded words,
 * address lists) and writes the new header block (RFC 2047 for
 * non-ASCII names, folded address lists, the date).  The body is never
 * given to GMime: it is sent as git format-patch wrote it, byte for
 * byte, which writing a parsed GMimePart back would not promise (it may
 * re-encode).  The headers kept from the file are written back with
 * their raw values for the same reason.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "mail/address.h"
#include "mail/gmime.h"
#include "mail/mbox.h"
#include "mail/message.h"
#include "mail/private.h"
#include "mail/send.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* The longest record line read back (a path and a Message-Id). */
#define RECORD_LINE_MAX 8192
/* More References than this are not carried to the replies. */
#define REFERENCES_MAX 64

/* One line of the record: a file of the series and what became of it. */
struct record_entry {
	enum mail_send_status status;
	time_t sent_at;
	char *hash;
	char *msgid;
	char *name;
};

static const char *const status_names[] = { "pending", "sent", "unsure" };

static void record_entry_free(void *p)
{
	struct record_entry *e = p;

	free(e->hash);
	free(e->msgid);
	free(e->name);
	free(e);
}

static void msg_free(void *p)
{
	struct mail_send_msg *m = p;

	free(m->path);
	free(m->subject);
	mail_subject_release(&m->tags);
	free(m->hash);
	free(m->commit);
	free(m->file_msgid);
	free(m->record_msgid);
	free(m->message_id);
	vec_release_str(&m->to);
	vec_release_str(&m->cc);
	vec_release_str(&m->rcpts);
	free(m->data);
	free(m->raw);
	free(m);
}

void mail_send_series_release(struct mail_send_series *s)
{
	vec_release(&s->msgs, msg_free);
	vec_release(&s->record, record_entry_free);
	free(s->tree);
	free(s->key);
	s->tree = NULL;
	s->key = NULL;
	s->version = 1;
	s->rfc = 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* ---- reading the files ---- */

/*
 * Check the lines of the file: where its header block ends (*body_off,
 * after the blank line; the whole text when there is none), no NUL, no
 * line over MAIL_SEND_LINE_MAX, header lines that are headers.  first
 * is the number of the first line (2 after an mbox line).
 */
static int check_lines(const char *path, const char *raw, size_t len,
		       unsigned first, size_t *body_off, struct err *err)
{
	const char *p = raw, *end = raw + len;
	unsigned lineno = first;
	int in_headers = 1;

	*body_off = len;
	/* binary first: a NUL anywhere, whatever else is wrong */
	for (const char *nul = memchr(raw, '\0', len); nul; nul = NULL) {
		for (const char *q = raw; q < nul; q++)
			lineno += *q == '\n';
		return err_set(err, ERR_PARSE, "%s:%u: a NUL byte: binary "
			       "data, not a mail", path, lineno);
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n > MAIL_SEND_LINE_MAX)
			return err_set(err, ERR_PARSE, "%s:%u: a line of %zu "
				       "characters; SMTP allows %u", path,
				       lineno, n, MAIL_SEND_LINE_MAX);
		if (in_headers) {
			size_t name = 0;

			if (!n) {
				in_headers = 0;
				*body_off = (size_t)(eol - raw) + (nl != NULL);
			} else if (*p == ' ' || *p == '\t') {
				if (p == raw)
					return err_set(err, ERR_PARSE, "%s:%u: "
						       "not a mail: it starts "
						       "with a blank", path,
						       lineno);
			} else {
				while (name < n && p[name] > ' ' &&
				       p[name] < 127 && p[name] != ':')
					name++;
				if (!name || name == n || p[name] != ':')
					return err_set(err, ERR_PARSE,
						       "%s:%u: not a mail "
						       "header (a header is "
						       "\"Name: value\"; the "
						       "headers end at a blank "
						       "line)", path, lineno);
			}
		}
		p = nl ? nl + 1 : end;
		lineno++;
	}
	return 0;
}

static char *hash_hex(const char *data, size_t len)
{
	gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					       (const guchar *)data, len);
	char *out = xstrdup(h);

	g_free(h);
	return out;
}

/* The raw value of header name, or NULL (borrowed from msg). */
static const char *raw_header(GMimeMessage *msg, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeHeader *h = g_mime_header_list_get_header(hl, name);

	return h ? g_mime_header_get_raw_value(h) : NULL;
}

/* A Message-Id (without <>) that can go in a header and the record. */
static int msgid_ok(const char *id)
{
	for (const char *c = id; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f || *c == '<' ||
		    *c == '>')
			return 0;
	return *id != '\0';
}

static int read_one(struct mail_send_msg *m, struct err *err)
{
	struct mail_mbox mb = MAIL_MBOX_INIT;
	const struct mail_mbox_msg *one;
	GMimeMessage *msg = NULL;
	const char *subject_raw;
	int ret;

	ret = mail_mbox_read(&mb, m->path, MAIL_SEND_FILE_MAX, err);
	if (ret)
		goto out;
	if (!mb.msgs.n) {
		ret = err_set(err, ERR_PARSE, "%s: an empty file, not a mail",
			      m->path);
		goto out;
	}
	/* git format-patch --stdout: more than one message in the file */
	if (mb.msgs.n > 1) {
		ret = err_set(err, ERR_PARSE, "%s: more than one message in "
			      "the file (an mbox); write one file a patch "
			      "(git format-patch -o DIR)", m->path);
		goto out;
	}
	m->hash = hash_hex(mb.data.buf, mb.data.len);
	one = mb.msgs.items[0];
	m->commit = xstrdup_or_null(one->commit);
	m->raw_len = one->len;
	m->raw = xstrndup(mb.data.buf + one->off, m->raw_len);
	ret = check_lines(m->path, m->raw, m->raw_len, one->line,
			  &m->body_off, err);
	if (ret)
		goto out;
	msg = mail_gmime_parse(m->raw, m->body_off);
	if (!msg) {
		ret = err_set(err, ERR_PARSE, "%s: the headers do not parse",
			      m->path);
		goto out;
	}
	subject_raw = raw_header(msg, "Subject");
	m->subject = subject_raw ? mail_subject_decode(subject_raw) : NULL;
	if (!m->subject || !*m->subject) {
		ret = err_set(err, ERR_PARSE, "%s: no Subject: header",
			      m->path);
		goto out;
	}
	if (strstr(m->subject, "*** SUBJECT HERE ***") ||
	    memmem(m->raw + m->body_off, m->raw_len - m->body_off,
		   "*** BLURB HERE ***", 18)) {
		ret = err_set(err, ERR_STATE, "%s: the cover letter is git's "
			      "template (*** SUBJECT HERE *** or *** BLURB "
			      "HERE ***): write it first (vger respin "
			      "--edit-cover)", m->path);
		goto out;
	}
	if (g_mime_message_get_message_id(msg)) {
		const char *id = g_mime_message_get_message_id(msg);
		struct sbuf b = SBUF_INIT;

		if (!msgid_ok(id)) {
			ret = err_set(err, ERR_PARSE, "%s: a Message-Id that "
				      "is not one", m->path);
			goto out;
		}
		sbuf_addf(&b, "<%s>", id);
		m->file_msgid = sbuf_detach(&b);
	}
	mail_subject_parse(&m->tags, m->subject);
out:
	if (msg)
		g_object_unref(msg);
	mail_mbox_release(&mb);
	return ret;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The patch subjects name one series. */
static int check_one_series(struct mail_send_series *s, struct err *err)
{
	const struct mail_send_msg *first = NULL;

	for (size_t i = 0; i < s->msgs.n; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];

		if (m->tags.kind != MAIL_SUBJECT_PATCH) {
			if (s->msgs.n > 1)
				return err_set(err, ERR_STATE, "%s: \"%.60s\" "
					       "is not a patch subject: send "
					       "one series at a time", m->path,
					       m->subject);
			continue;
		}
		if (!first) {
			first = m;
			s->tree = xstrdup_or_null(m->tags.tree);
			s->version = m->tags.version;
			s->rfc = !!(m->tags.flags & MAIL_SUBJECT_RFC);
			continue;
		}
		if (!same_str(first->tags.tree, m->tags.tree) ||
		    first->tags.version != m->tags.version ||
		    (first->tags.flags & MAIL_SUBJECT_RFC) !=
		    (m->tags.flags & MAIL_SUBJECT_RFC) ||
		    first->tags.total != m->tags.total)
			return err_set(err, ERR_STATE, "%s and %s are not one "
				       "series (tree, version, RFC or number "
				       "of patches differ)", first->path,
				       m->path);
		for (size_t j = 0; j < i; j++) {
			const struct mail_send_msg *o = s->msgs.items[j];

			if (o->tags.kind == MAIL_SUBJECT_PATCH &&
			    o->tags.total && o->tags.index == m->tags.index)
				return err_set(err, ERR_STATE, "%s and %s are "
					       "both patch %u/%u", o->path,
					       m->path, m->tags.index,
					       m->tags.total);
		}
	}
	return 0;
}

int mail_send_read(struct mail_send_series *s, const char *const *paths,
		   size_t n, struct err *err)
{
	const struct mail_send_msg *m0;
	char *abs;
	int ret;

	if (!n)
		return err_set(err, ERR_NOTFOUND, "no patch files");
	for (size_t i = 0; i < n; i++) {
		struct mail_send_msg *m = xcalloc(1, sizeof(*m));
		struct mail_subject init = MAIL_SUBJECT_INIT;

		m->tags = init;
		m->path = xstrdup(paths[i]);
		vec_push(&s->msgs, m);
		ret = read_one(m, err);
		if (ret)
			return ret;
	}
	ret = check_one_series(s, err);
	if (ret)
		return ret;
	m0 = s->msgs.items[0];
	if (m0->file_msgid) {
		s->key = xstrdup(m0->file_msgid);
	} else {
		struct sbuf k = SBUF_INIT;

		abs = realpath(m0->path, NULL);
		sbuf_addf(&k, "file %s", abs ? abs : m0->path);
		free(abs);
		s->key = sbuf_detach(&k);
	}
	return 0;
}

/* ---- composing ---- */

/* The mailboxes of a header of msg, appended to boxes. */
static int header_mailboxes(GMimeMessage *msg, const char *name,
			    const char *path, GPtrArray *boxes,
			    GPtrArray *keep, struct err *err)
{
	const char *raw = raw_header(msg, name);
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
		int ret = mail_address_parse_boxes(v->items[i], boxes, keep, "address",
					  err);

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
static void add_raw_header(GMimeHeaderList *hl, GMimeHeader *h)
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

/* The message's Message-Id: its own, else the one given to it. */
static const char *final_msgid(const struct mail_send_msg *m)
{
	return m->file_msgid ? m->file_msgid : m->record_msgid;
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
		add_raw_header(out, headers->pdata[i]);
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
	if (raw_header(msg, "In-Reply-To")) {
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
			add_raw_header(out, headers->pdata[i]);
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
	    same_str(an && *an ? an : NULL, sn && *sn ? sn : NULL))
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
	for (size_t i = 0; !ret && i < sizeof(lists) / sizeof(*lists); i++) {
		ret = header_mailboxes(msg, lists[i].header, m->path,
				       lists[i].into, keep, err);
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
	const char *refs = raw_header(msg, "References");

	add_ids(out, refs ? refs : raw_header(msg, "In-Reply-To"));
	vec_push_str(out, final_msgid(m0));
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
	ret = mail_address_parse_boxes(o->from ? o->from : "", boxes, keep, "sender",
			      err);
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
	if (final_msgid(s->msgs.items[0]))
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

/* ---- the record ---- */

char *mail_send_record_path(const char *dir, const struct mail_send_series *s)
{
	char *h = hash_hex(s->key, strlen(s->key));
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s/%.32s.send", dir, h);
	free(h);
	return sbuf_detach(&sb);
}

/* s with control characters as '?', for a one-line record field. */
static char *one_line(const char *s)
{
	char *out = xstrdup(s);

	for (char *p = out; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	return out;
}

static struct mail_send_msg *msg_named(struct mail_send_series *s,
				       const char *name)
{
	for (size_t i = 0; i < s->msgs.n; i++) {
		struct mail_send_msg *m = s->msgs.items[i];
		char *n = one_line(base_name(m->path));
		int same = !strcmp(n, name);

		free(n);
		if (same)
			return m;
	}
	return NULL;
}

/* "sent 1700000000 <64 hex> <msgid> name" */
static int parse_entry(const char *line, struct record_entry *e)
{
	const char *p = line;
	struct sbuf w = SBUF_INIT;
	unsigned long t;
	int ok = 0;

	memset(e, 0, sizeof(*e));
	if (scan_until_any(&p, " ", &w, 16))
		goto out;
	for (int i = 0; i <= MAIL_SEND_UNSURE; i++)
		if (!strcmp(w.buf, status_names[i])) {
			e->status = (enum mail_send_status)i;
			ok = 1;
		}
	if (!ok || scan_expect(&p, ' ') || scan_uint(&p, &t, 12) ||
	    scan_expect(&p, ' ') || scan_until_any(&p, " ", &w, 64) ||
	    w.len != 64 || !str_is_hex(w.buf, 64)) {
		ok = 0;
		goto out;
	}
	e->sent_at = (time_t)t;
	e->hash = xstrdup(w.buf);
	if (scan_expect(&p, ' ') ||
	    scan_until_any(&p, " ", &w, RECORD_LINE_MAX) ||
	    scan_expect(&p, ' ') || !*p) {
		ok = 0;
		goto out;
	}
	e->msgid = xstrdup(w.buf);
	e->name = xstrdup(p);
out:
	sbuf_release(&w);
	if (!ok) {
		free(e->hash);
		free(e->msgid);
		free(e->name);
	}
	return ok ? 0 : -1;
}

int mail_send_record_load(struct mail_send_series *s, const char *path,
			  struct err *err)
{
	struct sbuf text = SBUF_INIT, line = SBUF_INIT;
	const char *p;
	unsigned lineno = 0;
	char *key = one_line(s->key);
	int ret;

	if (!fs_exists(path)) {
		free(key);
		return 0;
	}
	ret = sbuf_read_file(&text, path, 1 << 20, err);
	if (ret)
		goto out;
	p = text.buf;
	while (*p) {
		struct record_entry e;
		struct mail_send_msg *m;

		lineno++;
		if (scan_until_eol(&p, &line, RECORD_LINE_MAX)) {
			ret = err_set(err, ERR_PARSE, "%s:%u: a line too long",
				      path, lineno);
			goto out;
		}
		if (!line.len || line.buf[0] == '#')
			continue;
		if (str_starts_with(line.buf, "key ")) {
			if (strcmp(line.buf + 4, key)) {
				ret = err_set(err, ERR_PARSE, "%s:%u: the "
					      "record of another series",
					      path, lineno);
				goto out;
			}
			continue;
		}
		if (parse_entry(line.buf, &e)) {
			ret = err_set(err, ERR_PARSE, "%s:%u: not a record of "
				      "a sent message; move the file away "
				      "if you know what was sent", path,
				      lineno);
			goto out;
		}
		m = msg_named(s, e.name);
		if (m && e.status != MAIL_SEND_PENDING &&
		    strcmp(e.hash, m->hash)) {
			char when[32];
			struct tm tm;

			localtime_r(&e.sent_at, &tm);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
			ret = err_set(err, ERR_STATE, "%s changed since it "
				      "was %s on %s: this is not the series "
				      "that went out (the record is %s)",
				      m->path, e.status == MAIL_SEND_SENT ?
				      "sent" : "perhaps sent", when, path);
			free(e.hash);
			free(e.msgid);
			free(e.name);
			goto out;
		}
		if (m) {
			m->status = e.status;
			m->sent_at = e.sent_at;
			free(m->record_msgid);
			m->record_msgid = e.msgid;
			free(e.hash);
			free(e.name);
		} else {
			struct record_entry *keep = xmalloc(sizeof(*keep));

			*keep = e;
			vec_push(&s->record, keep);
		}
	}
out:
	free(key);
	sbuf_release(&text);
	sbuf_release(&line);
	return ret;
}

int mail_send_record_save(const struct mail_send_series *s, const char *path,
			  struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	char *key = one_line(s->key), *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int ret = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		ret = fs_mkdir_p(dir, err);
	}
	free(dir);
	if (ret) {
		free(key);
		return ret;
	}
	sbuf_addf(&sb, "# vger send: what the server accepted of a series\n"
		  "key %s\n", key);
	for (size_t i = 0; i < s->msgs.n; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];
		const char *id = final_msgid(m);
		char *name = one_line(base_name(m->path));

		if (id)
			sbuf_addf(&sb, "%s %ld %s %s %s\n",
				  status_names[m->status], (long)m->sent_at,
				  m->hash, id, name);
		free(name);
	}
	for (size_t i = 0; i < s->record.n; i++) {
		const struct record_entry *e = s->record.items[i];

		sbuf_addf(&sb, "%s %ld %s %s %s\n", status_names[e->status],
			  (long)e->sent_at, e->hash, e->msgid, e->name);
	}
	ret = fs_write_atomic(path, sb.buf, sb.len, err);
	sbuf_release(&sb);
	free(key);
	return ret;
}

int mail_send_record_lock(const char *path, int *fd, struct err *err)
{
	struct sbuf lock = SBUF_INIT;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int ret = 0;

	*fd = -1;
	if (slash && slash != dir) {
		*slash = '\0';
		ret = fs_mkdir_p(dir, err);
	}
	free(dir);
	if (ret)
		return ret;
	sbuf_addf(&lock, "%s.lock", path);
	*fd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		ret = err_set(err, ERR_IO, "%s: %s", lock.buf, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB)) {
		ret = errno == EWOULDBLOCK ?
			err_set(err, ERR_STATE, "another vger send is sending "
				"this series (%s is locked)", lock.buf) :
			err_set(err, ERR_IO, "%s: %s", lock.buf,
				strerror(errno));
		close(*fd);
		*fd = -1;
	}
	sbuf_release(&lock);
	return ret;
}

void mail_send_set_status(struct mail_send_series *s, size_t i,
			  enum mail_send_status status, time_t now)
{
	struct mail_send_msg *m = s->msgs.items[i];

	m->status = status;
	m->sent_at = status == MAIL_SEND_PENDING ? 0 : now;
}

/* ---- Fcc ---- */

int mail_maildir_deliver(const char *dir, const char *data, size_t len,
			 char **out_path, struct err *err)
{
	static unsigned counter;
	static const char *const subdirs[] = { "cur", "new", "tmp" };
	struct sbuf name = SBUF_INIT, host = SBUF_INIT;
	char *tmp = NULL, *final = NULL, hn[256];
	struct timeval tv;
	int fd = -1, ret = 0;

	for (size_t i = 0; i < 3; i++) {
		char *d = path_join(dir, subdirs[i]);

		ret = fs_mkdir_p(d, err);
		free(d);
		if (ret)
			return ret;
	}
	if (gethostname(hn, sizeof(hn)))
		snprintf(hn, sizeof(hn), "localhost");
	hn[sizeof(hn) - 1] = '\0';
	/* the maildir spec's escapes for '/' and ':' in the host name */
	for (const char *p = hn; *p; p++)
		if (*p == '/')
			sbuf_addstr(&host, "\\057");
		else if (*p == ':')
			sbuf_addstr(&host, "\\072");
		else
			sbuf_addch(&host, *p);
	gettimeofday(&tv, NULL);
	sbuf_addf(&name, "%ld.M%ldP%ldQ%u.%s", (long)tv.tv_sec,
		  (long)tv.tv_usec, (long)getpid(), ++counter, host.buf);
	tmp = path_join(dir, "tmp");
	{
		char *t = path_join(tmp, name.buf);

		free(tmp);
		tmp = t;
	}
	final = path_join(dir, "new");
	{
		char *f = path_join(final, name.buf);

		free(final);
		final = f;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = err_set(err, ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	ret = fs_write_all(fd, data, len, tmp, err);
	if (ret)
		goto out;
	if (fsync(fd)) {
		ret = err_set(err, ERR_IO, "fsync %s: %s", tmp,
			      strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, final)) {
		ret = err_set(err, ERR_IO, "rename %s: %s", final,
			      strerror(errno));
		goto out;
	}
	if (out_path) {
		*out_path = final;
		final = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	if (ret && tmp)
		unlink(tmp);
	free(tmp);
	free(final);
	sbuf_release(&name);
	sbuf_release(&host);
	return ret;
}
