/*
 * A series of patch files read and checked before anything is sent
 * (mail/send.h).  GMime parses the header block of each file (folding,
 * encoded words); the body is kept as git format-patch wrote it, byte
 * for byte.  Composing (mail/compose.c), the record of what was sent
 * (mail/send_record.c) and the Fcc copy (mail/maildir.c) work on what
 * is read here.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "mail/gmime.h"
#include "mail/mbox.h"
#include "mail/private.h"
#include "mail/send.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

void mail_send_entry_free(void *p)
{
	struct mail_send_entry *e = p;

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
	vec_release_str(&m->file_bcc);
	free(m->data);
	free(m->raw);
	free(m);
}

void mail_send_series_release(struct mail_send_series *s)
{
	vec_release(&s->msgs, msg_free);
	vec_release(&s->record, mail_send_entry_free);
	free(s->tree);
	free(s->key);
	s->tree = NULL;
	s->key = NULL;
	s->version = 1;
	s->rfc = 0;
}

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

char *mail_send_hash_hex(const char *data, size_t len)
{
	gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					       (const guchar *)data, len);
	char *out = xstrdup(h);

	g_free(h);
	return out;
}

const char *mail_send_raw_header(GMimeMessage *msg, const char *name)
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
	m->hash = mail_send_hash_hex(mb.data.buf, mb.data.len);
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
	subject_raw = mail_send_raw_header(msg, "Subject");
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
		if (g_strcmp0(first->tags.tree, m->tags.tree) ||
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

int mail_send_check_complete(const struct mail_send_series *s,
			     struct err *err)
{
	struct sbuf missing = SBUF_INIT;
	const struct mail_send_msg *first = NULL;
	unsigned total = 0, nmissing = 0;
	int ret = 0;

	for (size_t i = 0; i < s->msgs.n && !total; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];

		if (m->tags.kind == MAIL_SUBJECT_PATCH && m->tags.total) {
			total = m->tags.total;
			first = m;
		}
	}
	for (unsigned k = 1; k <= total; k++) {
		int have = 0;

		for (size_t i = 0; i < s->msgs.n && !have; i++) {
			const struct mail_send_msg *m = s->msgs.items[i];

			have = m->tags.kind == MAIL_SUBJECT_PATCH &&
			       m->tags.index == k;
		}
		if (have)
			continue;
		if (++nmissing <= 8)
			sbuf_addf(&missing, "%s%u/%u", nmissing > 1 ? ", " : "",
				  k, total);
	}
	if (nmissing)
		ret = err_set(err, ERR_STATE, "not the whole series: patch%s "
			      "%s%s %s missing (%s is one of %u); send them "
			      "all, or --partial to send only these",
			      nmissing > 1 ? "es" : "", missing.buf,
			      nmissing > 8 ? " and more" : "",
			      nmissing > 1 ? "are" : "is", first->path, total);
	sbuf_release(&missing);
	return ret;
}

const char *mail_send_final_msgid(const struct mail_send_msg *m)
{
	return m->file_msgid ? m->file_msgid : m->record_msgid;
}
