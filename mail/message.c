/*
 * One message file read with GMime.  GMime does the RFC 5322 / MIME
 * work (folding, encoded words, transfer encodings, charsets); this
 * file copies what vger needs into plain C strings, all valid UTF-8.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "mail/gmime.h"
#include "mail/message.h"
#include "mail/private.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* Deeper MIME nesting than this is not walked (a hostile message). */
#define MIME_DEPTH_MAX 32
/* More References than this are dropped (oldest kept, then newest). */
#define REFERENCES_MAX 256

/* A copy of s made valid UTF-8 (NULL stays NULL, "" too). */
static char *valid_dup(const char *s)
{
	char *v, *out;

	if (!s)
		return NULL;
	v = g_utf8_make_valid(s, -1);
	out = xstrdup(v);
	g_free(v);
	return out;
}

/* Every mailbox in list (groups flattened) into out, addresses only. */
static void add_addresses(struct vec *out, InternetAddressList *list)
{
	GPtrArray *boxes = g_ptr_array_new();

	mail_address_mailboxes(list, boxes);
	for (guint i = 0; i < boxes->len; i++) {
		char *a = mail_valid_dup_nonempty(
			internet_address_mailbox_get_addr(boxes->pdata[i]));

		if (a)
			vec_push(out, a);
	}
	g_ptr_array_free(boxes, TRUE);
}

void mail_message_parse_ids(struct vec *out, const char *value, size_t max)
{
	GMimeReferences *refs;
	int n;

	if (!value)
		return;
	refs = g_mime_references_parse(NULL, value);
	if (!refs)
		return;
	n = g_mime_references_length(refs);
	for (int i = 0; i < n; i++) {
		char *id;

		/* keep the root and the newest ones of a huge list */
		if ((size_t)n > max && (size_t)i >= max / 2 &&
		    (size_t)i < (size_t)n - max / 2)
			continue;
		id = mail_valid_dup_nonempty(
			g_mime_references_get_message_id(refs, i));
		if (id)
			vec_push(out, id);
	}
	g_mime_references_free(refs);
}

struct body_walk {
	struct sbuf text;
	int full;	/* MAIL_MESSAGE_BODY_MAX reached */
	struct vec *attachments;	/* NULL: not wanted */
};

static int is_body_type(GMimeContentType *ct)
{
	return g_mime_content_type_is_type(ct, "text", "plain") ||
	       g_mime_content_type_is_type(ct, "text", "x-patch") ||
	       g_mime_content_type_is_type(ct, "text", "x-diff");
}

/* Append text, cutting at the last line end that fits the cap. */
static void body_add(struct body_walk *w, const char *text)
{
	size_t len = strlen(text);

	if (w->full)
		return;
	if (w->text.len && w->text.buf[w->text.len - 1] != '\n')
		sbuf_addch(&w->text, '\n');
	if (w->text.len + len > MAIL_MESSAGE_BODY_MAX) {
		size_t room = MAIL_MESSAGE_BODY_MAX - w->text.len;

		while (room && text[room - 1] != '\n')
			room--;
		sbuf_add(&w->text, text, room);
		w->full = 1;
		return;
	}
	sbuf_add(&w->text, text, len);
}

char *mail_gmime_part_bytes(GMimePart *part, size_t *len)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;

	*len = 0;
	if (!content)
		return NULL;
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		g_object_unref(mem);
		return NULL;
	}
	/* take the stream's array rather than copy it */
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);
	*len = bytes->len;
	g_byte_array_append(bytes, (const guint8 *)"", 1);
	return (char *)g_byte_array_free(bytes, FALSE);
}

/*
 * The text of a part as UTF-8 (maybe invalid).  GMime converts from a
 * declared charset; UTF-8 and US-ASCII parts (and parts that name no
 * charset, or one iconv does not know) are taken as they are, because
 * GMime's conversion drops invalid bytes, and the caller replaces them
 * with U+FFFD instead so a reader sees that something was there.
 */
static char *part_text(GMimeTextPart *part)
{
	const char *cs = g_mime_text_part_get_charset(part);
	char *text = NULL;

	if (cs && g_ascii_strcasecmp(cs, "utf-8") &&
	    g_ascii_strcasecmp(cs, "utf8") &&
	    g_ascii_strcasecmp(cs, "us-ascii"))
		text = g_mime_text_part_get_text(part);
	if (!text) {
		size_t len;

		text = mail_gmime_part_bytes(GMIME_PART(part), &len);
	}
	return text;
}

static void walk_part(struct body_walk *w, GMimeObject *part, int depth)
{
	GMimeContentDisposition *disp;
	char *text, *valid;

	if (!part || depth > MIME_DEPTH_MAX || w->full)
		return;
	if (GMIME_IS_MULTIPART(part)) {
		GMimeMultipart *mp = GMIME_MULTIPART(part);
		int n = g_mime_multipart_get_count(mp);

		/* of alternatives, text/plain is the one walked below */
		for (int i = 0; i < n; i++)
			walk_part(w, g_mime_multipart_get_part(mp, i),
				  depth + 1);
		return;
	}
	/* message/rfc822 parts are attachments: not this message's text */
	if (!GMIME_IS_TEXT_PART(part))
		return;
	if (!is_body_type(g_mime_object_get_content_type(part)))
		return;
	disp = g_mime_object_get_content_disposition(part);
	if (disp && g_mime_content_disposition_is_attachment(disp) &&
	    !w->attachments)
		return;
	text = part_text(GMIME_TEXT_PART(part));
	if (!text)
		return;
	valid = g_utf8_make_valid(text, -1);
	if (disp && g_mime_content_disposition_is_attachment(disp)) {
		if (strlen(valid) <= MAIL_MESSAGE_BODY_MAX &&
		    w->attachments->n < 64)
			vec_push(w->attachments, xstrdup(valid));
		g_free(valid);
		g_free(text);
		return;
	}
	body_add(w, valid);
	g_free(valid);
	g_free(text);
}

/*
 * "Thu, 01 May 2025 14:12:03 +0200" in the date's own zone, written
 * here because strftime()'s and GLib's %a and %b follow the locale.
 */
static char *rfc5322_date(GDateTime *d)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
					    "Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	struct sbuf sb = SBUF_INIT;
	long off = (long)(g_date_time_get_utc_offset(d) / G_TIME_SPAN_MINUTE);
	long aoff = off < 0 ? -off : off;

	sbuf_addf(&sb, "%s, %02d %s %d %02d:%02d:%02d %c%02ld%02ld",
		  days[(g_date_time_get_day_of_week(d) + 6) % 7],
		  g_date_time_get_day_of_month(d),
		  months[(g_date_time_get_month(d) + 11) % 12],
		  g_date_time_get_year(d), g_date_time_get_hour(d),
		  g_date_time_get_minute(d), g_date_time_get_second(d),
		  off < 0 ? '-' : '+', aoff / 60, aoff % 60);
	return sbuf_detach(&sb);
}

static void fill(struct mail_message *out, GMimeMessage *msg)
{
	InternetAddressMailbox *from;
	GPtrArray *boxes;
	GDateTime *date;
	struct vec ids = VEC_INIT;
	struct body_walk w = { SBUF_INIT, 0, NULL };
	const char *subject;
	char *s;

	out->message_id = mail_valid_dup_nonempty(
		g_mime_message_get_message_id(msg));
	subject = g_mime_message_get_subject(msg);
	s = valid_dup(subject ? subject : "");
	out->subject = mail_subject_unfold(s);
	free(s);

	boxes = g_ptr_array_new();
	mail_address_mailboxes(g_mime_message_get_from(msg), boxes);
	if (boxes->len) {
		from = boxes->pdata[0];
		out->from_name = mail_valid_dup_nonempty(
			internet_address_get_name(INTERNET_ADDRESS(from)));
		out->from_email = mail_valid_dup_nonempty(
			internet_address_mailbox_get_addr(from));
	}
	g_ptr_array_free(boxes, TRUE);
	add_addresses(&out->to, g_mime_message_get_addresses(
				       msg, GMIME_ADDRESS_TYPE_TO));
	add_addresses(&out->cc, g_mime_message_get_addresses(
				       msg, GMIME_ADDRESS_TYPE_CC));

	date = g_mime_message_get_date(msg);
	if (date) {
		out->date = (time_t)g_date_time_to_unix(date);
		out->date_text = rfc5322_date(date);
	}

	mail_message_parse_ids(&ids, g_mime_object_get_header(
				       GMIME_OBJECT(msg), "In-Reply-To"),
			       REFERENCES_MAX);
	if (ids.n)
		out->in_reply_to = xstrdup(ids.items[0]);
	vec_release(&ids, free);
	mail_message_parse_ids(&out->references, g_mime_object_get_header(
				       GMIME_OBJECT(msg), "References"),
			       REFERENCES_MAX);

	w.attachments = &out->attachments;
	walk_part(&w, g_mime_message_get_mime_part(msg), 0);
	out->body = sbuf_detach(&w.text);
}

int mail_message_parse(struct mail_message *out, const char *data,
		       size_t len, const char *name, struct err *err)
{
	GMimeMessage *msg;

	memset(out, 0, sizeof(*out));
	vec_init(&out->references);
	vec_init(&out->to);
	vec_init(&out->cc);
	if (!len)
		return err_set(err, ERR_PARSE, "%s: empty message", name);
	msg = mail_gmime_parse(data, len);
	if (!msg)
		return err_set(err, ERR_PARSE, "%s: not a mail message", name);
	fill(out, msg);
	g_object_unref(msg);
	return 0;
}

int mail_message_load(struct mail_message *out, const char *path,
		      struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = sbuf_read_file(&sb, path, MAIL_MESSAGE_FILE_MAX, err);
	if (!ret)
		ret = mail_message_parse(out, sb.buf, sb.len, path, err);
	sbuf_release(&sb);
	return ret;
}

/*
 * The fast path of mail_message_load_light().  A message qualifies when
 * its header names no MIME structure beyond one text/plain part in
 * 7bit or 8bit with a US-ASCII or UTF-8 charset (or says nothing of
 * these), which is how git send-email and most list replies are sent.
 * For those the body is the bytes after the header, exactly what the
 * GMime path gives; everything else goes to GMime.  Returns 1 when it
 * filled out, 0 when the message must go to GMime.
 */
struct light_header {
	const char *irt, *refs, *ctype, *cte;
	size_t irt_n, refs_n, ctype_n, cte_n;
};

static int light_value_is(const char *v, size_t n, const char *const *ok)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && strchr(" \t\r\n", v[n - 1]))
		n--;
	for (size_t i = 0; ok[i]; i++)
		if (strlen(ok[i]) == n && !g_ascii_strncasecmp(v, ok[i], n))
			return 1;
	return 0;
}

/* "text/plain", "text/plain; charset=utf-8", "text/plain; charset=\"us-ascii\"" */
static int light_plain_type(const char *v, size_t n)
{
	static const char *const charsets[] = { "utf-8", "utf8", "us-ascii",
						 "\"utf-8\"", "\"utf8\"",
						 "\"us-ascii\"", NULL };
	char *t = g_ascii_strdown(v, (gssize)n);
	const char *p = t, *cs;
	int ok;

	while (*p == ' ' || *p == '\t')
		p++;
	ok = !strncmp(p, "text/plain", 10) &&
	     strchr(" \t;\r\n", p[10] ? p[10] : ' ');
	cs = strstr(p, "charset=");
	if (ok && cs) {
		size_t len = strcspn(cs + 8, " \t;\r\n");

		ok = light_value_is(cs + 8, len, charsets);
	}
	/* Any other parameter than charset and format may change meaning. */
	if (ok && strchr(p, ';')) {
		/*
		 * After the blanks q may be at the end ("text/plain;"):
		 * search on from q itself, never past its NUL.
		 */
		for (const char *q = strchr(p, ';'); q; q = strchr(q, ';')) {
			q++;
			while (*q == ' ' || *q == '\t' || *q == '\r' ||
			       *q == '\n')
				q++;
			if (*q && strncmp(q, "charset=", 8) &&
			    strncmp(q, "format=", 7))
				ok = 0;
		}
	}
	g_free(t);
	return ok;
}

static int light_field_is(const char *p, const char *colon,
			  const char *name)
{
	return (size_t)(colon - p) == strlen(name) &&
	       !g_ascii_strncasecmp(p, name, strlen(name));
}

/* A header value unfolded into a new string. */
static char *light_unfold(const char *v, size_t n)
{
	char *s = xstrndup(v, n), *u = mail_subject_unfold(s);

	free(s);
	return u;
}

static int light_parse(struct mail_message *out, const char *data,
		       size_t len)
{
	static const char *const encodings[] = { "7bit", "8bit", NULL };
	struct light_header h;
	const char *p = data, *end = data + len, *body = end;
	const char **val = NULL;
	size_t *val_n = NULL;
	struct body_walk w = { SBUF_INIT, 0, NULL };
	char *text;

	memset(&h, 0, sizeof(h));
	if (len >= 5 && !strncmp(data, "From ", 5))
		return 0;	/* an mbox separator: GMime's business */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (!n) {	/* the blank line */
			body = nl ? nl + 1 : end;
			break;
		}
		if (*p == ' ' || *p == '\t') {
			if (val)	/* a continuation of the last field */
				*val_n = (size_t)(eol - *val);
		} else {
			const char *colon = memchr(p, ':', n);

			if (!colon)
				return 0;	/* not a header: let GMime judge */
			val = NULL;
			val_n = NULL;
			if (light_field_is(p, colon, "In-Reply-To")) {
				val = &h.irt;
				val_n = &h.irt_n;
			} else if (light_field_is(p, colon, "References")) {
				val = &h.refs;
				val_n = &h.refs_n;
			} else if (light_field_is(p, colon, "Content-Type")) {
				val = &h.ctype;
				val_n = &h.ctype_n;
			} else if (light_field_is(p, colon,
						  "Content-Transfer-Encoding")) {
				val = &h.cte;
				val_n = &h.cte_n;
			}
			if (val) {
				if (*val)
					return 0;	/* twice: GMime decides */
				*val = colon + 1;
				*val_n = (size_t)(eol - colon - 1);
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (h.ctype && !light_plain_type(h.ctype, h.ctype_n))
		return 0;
	if (h.cte && !light_value_is(h.cte, h.cte_n, encodings))
		return 0;
	if (h.irt) {
		struct vec ids = VEC_INIT;
		char *v = light_unfold(h.irt, h.irt_n);

		mail_message_parse_ids(&ids, v, REFERENCES_MAX);
		if (ids.n)
			out->in_reply_to = xstrdup(ids.items[0]);
		vec_release(&ids, free);
		free(v);
	}
	if (h.refs) {
		char *v = light_unfold(h.refs, h.refs_n);

		mail_message_parse_ids(&out->references, v, REFERENCES_MAX);
		free(v);
	}
	text = xstrndup(body, (size_t)(end - body));
	body_add(&w, text);
	free(text);
	text = valid_dup(w.text.buf);
	sbuf_release(&w.text);
	out->body = text;
	return 1;
}

int mail_message_load_light(struct mail_message *out, const char *path,
			    struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = sbuf_read_file(&sb, path, MAIL_MESSAGE_FILE_MAX, err);
	if (!ret && !sb.len)
		ret = err_set(err, ERR_PARSE, "%s: empty message", path);
	if (!ret && !light_parse(out, sb.buf, sb.len)) {
		mail_message_release(out);
		ret = mail_message_parse(out, sb.buf, sb.len, path, err);
	}
	sbuf_release(&sb);
	return ret;
}

void mail_message_release(struct mail_message *m)
{
	if (!m)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	vec_release_str(&m->references);
	free(m->subject);
	free(m->from_name);
	free(m->from_email);
	vec_release_str(&m->to);
	vec_release_str(&m->cc);
	free(m->body);
	free(m->date_text);
	vec_release_str(&m->attachments);
	memset(m, 0, sizeof(*m));
}
