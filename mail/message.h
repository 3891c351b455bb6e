/*
 * One message file read with GMime: the headers vger uses, decoded,
 * and the text of its body.  For what notmuch does not index.
 */
#ifndef MAIL_MESSAGE_H
#define MAIL_MESSAGE_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct err;

struct mail_message {
	char *message_id;	/* without <>, NULL when missing */
	char *in_reply_to;	/* without <>, or NULL */
	struct vec references;	/* char *, without <>, oldest first */
	char *subject;		/* RFC 2047-decoded, unfolded, valid UTF-8 */
	char *from_name;	/* decoded display name or NULL */
	char *from_email;	/* address or NULL */
	struct vec to, cc;	/* char *: addresses only */
	time_t date;		/* 0 when missing or unparsable */
	/*
	 * The body as UTF-8 text: every text/plain part that is not an
	 * attachment, transfer-decoded and converted from its charset,
	 * with invalid bytes replaced; inline text/x-patch parts too.
	 * At most MAIL_MESSAGE_BODY_MAX bytes (cut at a line end).
	 */
	char *body;
	/*
	 * The Date: as RFC 5322 writes it, in the sender's own zone
	 * ("Thu, 01 May 2025 14:12:03 +0200"), or NULL.  Not filled by
	 * mail_message_load_light().
	 */
	char *date_text;
	/*
	 * char *: the text of every text/plain, text/x-patch or
	 * text/x-diff part sent as an attachment (a patch attached to a
	 * mail), UTF-8 as body is.  Not filled by mail_message_load_light().
	 */
	struct vec attachments;
};

#define MAIL_MESSAGE_BODY_MAX (4u << 20)
/* A message file larger than this is refused (ERR_NOMEM naming it). */
#define MAIL_MESSAGE_FILE_MAX (64u << 20)

/*
 * Load the message at path.  0, or a negative err code (ERR_NOTFOUND
 * for a missing file, ERR_PARSE for an empty file or something GMime
 * cannot read), with the path in the message.  Broken MIME parts are
 * skipped, not fatal.  Release with mail_message_release() either way.
 */
int mail_message_load(struct mail_message *out, const char *path,
		      struct err *err);
/* The same from bytes in memory (name is used in error messages). */
int mail_message_parse(struct mail_message *out, const char *data,
		       size_t len, const char *name, struct err *err);
void mail_message_release(struct mail_message *m);

/*
 * What the series model reads of a message: In-Reply-To, References
 * and the body, filled as mail_message_load() fills them.  A plain
 * message (one text/plain part, 7bit or 8bit, US-ASCII or UTF-8, as
 * git send-email and most replies are) is read by a small header
 * scanner, several times faster than building a GMime message; any
 * other goes through GMime (and then every field is filled).  This is
 * hand-written for the speed of a cold build over 100,000s of
 * messages; tests compare it with the GMime path on every fixture.
 */
int mail_message_load_light(struct mail_message *out, const char *path,
			    struct err *err);

/*
 * The message ids (without <>) of a References or In-Reply-To value;
 * of more than max, the first max/2 (the root first) and the newest.
 */
void mail_message_parse_ids(struct vec *out, const char *value, size_t max);

#endif
