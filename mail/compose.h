/*
 * The messages of a series as they are sent: headers rewritten with
 * GMime (From: the sender, Date:, Message-Id:, threading, To:/Cc: with
 * the extra recipients; the author, when not the sender, as the first
 * line of the body), bodies kept byte for byte.
 */
#ifndef MAIL_COMPOSE_H
#define MAIL_COMPOSE_H

#include <time.h>

#include "mail/send.h"

struct err;
struct vec;

struct mail_send_options {
	const char *from;	/* the sender, "Name <addr>": every From: */
	/* More recipients for every message (char *), or NULL. */
	const struct vec *to, *cc, *bcc;
	/* Reply to the first message when a file has no In-Reply-To. */
	int thread;
	time_t now;		/* the last Date:; earlier ones 1 s apart */
	long pid;		/* for new Message-Ids */
};

/*
 * Compose every message that is not SENT: From: the sender; To: and
 * Cc: the file's with o's added, each address once (ignoring case), Cc
 * without those in To; Bcc: only in the envelope (the file's own in
 * file_bcc too); Date: now, a second
 * apart in sending order; the file's Message-Id, else the one an
 * earlier run recorded, else a new one; In-Reply-To/References of the
 * file, else (with o->thread) the first message's; when the file's
 * From: is not the sender, "From: author" and a blank line before the
 * body, as git send-email writes it.  Other headers and the body are
 * kept as they are.  A message with no recipient, or an address that
 * does not parse, is ERR_PARSE naming the file.
 */
int mail_send_compose(struct mail_send_series *s,
		      const struct mail_send_options *o, struct err *err);

#endif
