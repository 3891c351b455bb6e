/*
 * A series of patch files made ready to send, the way git send-email
 * sends them: every file read and checked before anything goes out.
 * Composing each message is mail/compose.h's, the record of which
 * messages a server accepted mail/send_record.h's, the Fcc copy
 * mail/maildir.h's, talking to the server mail/smtp.h's; nothing here
 * prints or reads the user's configuration.
 */
#ifndef MAIL_SEND_H
#define MAIL_SEND_H

#include <stddef.h>
#include <time.h>

#include "mail/subject.h"
#include "util/vec.h"

struct err;

/* A file larger than this is not a patch (ERR_NOMEM naming it). */
#define MAIL_SEND_FILE_MAX (16u << 20)
/* The longest line SMTP allows (RFC 5321 4.5.3.1.6), without CRLF. */
#define MAIL_SEND_LINE_MAX 998

enum mail_send_status {
	MAIL_SEND_PENDING,	/* not sent yet */
	MAIL_SEND_SENT,		/* the server accepted it */
	/*
	 * The whole message went out but the server's answer did not
	 * come back (timeout, dropped connection): it may have been
	 * delivered.
	 */
	MAIL_SEND_UNSURE,
};

struct mail_send_msg {
	char *path;		/* the file, as given */
	char *subject;		/* decoded, unfolded, valid UTF-8 */
	struct mail_subject tags;	/* the subject, parsed */
	char *hash;		/* SHA-256 of the file's bytes, hex */
	char *commit;		/* hex id of its mbox line "From <id> ..." */
	char *file_msgid;	/* the file's own Message-Id ("<...>") */
	/* From mail_send_record_load(), else PENDING, 0 and NULL. */
	enum mail_send_status status;
	time_t sent_at;
	char *record_msgid;	/* the Message-Id an earlier run gave it */

	/* Filled by mail_send_compose() (for messages not SENT). */
	char *message_id;	/* "<...>", as sent */
	time_t date;
	struct vec to, cc;	/* char *: "Name <addr>" decoded, as sent */
	struct vec rcpts;	/* char *: envelope recipients, bare, once */
	/*
	 * char *: the file's own Bcc: addresses, bare: blind copies the
	 * file asks for, which the sender is shown and asked about.
	 */
	struct vec file_bcc;
	char *data;		/* the whole message as sent, LF line ends */
	size_t len;

	/* Private: the file without its mbox line, and where its body is. */
	char *raw;
	size_t raw_len, body_off;
};

struct mail_send_series {
	struct vec msgs;	/* struct mail_send_msg *, in sending order */
	char *tree;		/* of the subjects ("bpf-next"), or NULL */
	unsigned version;	/* of the subjects; 1 when none is given */
	int rfc;		/* the subjects say RFC */
	/*
	 * What the record of the sending is kept under: the first
	 * message's own Message-Id, else the first file's absolute path.
	 */
	char *key;
	struct vec record;	/* private: struct mail_send_entry * */
};

#define MAIL_SEND_SERIES_INIT { VEC_INIT, NULL, 1, 0, NULL, VEC_INIT }

/*
 * Read and check n files, to be sent in this order.  Each must be one
 * mail (an mbox "From " line first is dropped; a second message in the
 * file is refused), with a Subject:, no NUL byte and no line longer
 * than MAIL_SEND_LINE_MAX; a cover letter with git's "*** SUBJECT
 * HERE ***" or "*** BLURB HERE ***" is refused, as git send-email does.
 * Patch subjects must agree on tree, version and RFC, name one total
 * and not repeat an index: one series.  ERR_PARSE / ERR_STATE / ERR_IO
 * name the file (and line).  Release s with mail_send_series_release()
 * either way.
 */
int mail_send_read(struct mail_send_series *s, const char *const *paths,
		   size_t n, struct err *err);
void mail_send_series_release(struct mail_send_series *s);
/*
 * Whether s is the whole series its subjects number: every patch of
 * 1/N to N/N there.  ERR_STATE naming the missing ones (and the first
 * file) when not.
 */
int mail_send_check_complete(const struct mail_send_series *s,
			     struct err *err);

#endif
