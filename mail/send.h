/*
 * A series of patch files made ready to send, the way git send-email
 * sends them: every file read and checked before anything goes out;
 * headers rewritten with GMime (From: the sender, Date:, Message-Id:,
 * threading, To:/Cc: with the extra recipients; the author, when not
 * the sender, as the first line of the body); bodies kept byte for
 * byte.  Also the record of which messages a server accepted, so that
 * a series cut off half way is resumed without sending anything
 * twice, and the Fcc copy of each sent message.
 *
 * Talking to the server is mail/smtp.h's; nothing here prints or reads
 * the user's configuration.
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
	struct vec record;	/* private: the record's entries */
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
 * without those in To; Bcc: only in the envelope; Date: now, a second
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

/*
 * The record of a series' sending, in dir (made when missing): the
 * file name for s->key; the caller frees.
 */
char *mail_send_record_path(const char *dir, const struct mail_send_series *s);
/*
 * Read the record at path into s (a missing file is an empty record):
 * each message's status, when it was sent and its Message-Id.  A file
 * that changed since it was sent (or may have been) is ERR_STATE,
 * naming it; a record that does not parse is ERR_PARSE naming its line.
 */
int mail_send_record_load(struct mail_send_series *s, const char *path,
			  struct err *err);
/*
 * Write the record of s to path atomically: every message's status and
 * Message-Id (assigned ones too, so a resumed run threads to the same
 * first message), and the entries of files no longer in s.
 */
int mail_send_record_save(const struct mail_send_series *s, const char *path,
			  struct err *err);
/*
 * Hold the record at path for this process (a lock on path.lock, made
 * with its directory when missing): two runs sending one series at
 * once would both read the record before either wrote it.  ERR_STATE
 * when another process holds it.  *fd is the lock; close it, or exit,
 * to let go.
 */
int mail_send_record_lock(const char *path, int *fd, struct err *err);
/* Set message i's status (now its sent_at when SENT or UNSURE). */
void mail_send_set_status(struct mail_send_series *s, size_t i,
			  enum mail_send_status status, time_t now);

/*
 * Deliver len bytes of data into the maildir dir (made, with cur/,
 * new/ and tmp/, when missing): written to tmp/, synced, renamed into
 * new/.  *out_path (may be NULL) gets the file's path; the caller frees.
 */
int mail_maildir_deliver(const char *dir, const char *data, size_t len,
			 char **out_path, struct err *err);

#endif
