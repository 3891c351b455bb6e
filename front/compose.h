/*
 * Writing mail, the flow every front end shares.  A draft is made in
 * the drafts maildir (vger.drafts, else drafts/ under notmuch's mail
 * root) and stays there from the moment the editor opens until it is
 * sent or discarded: an editor that fails, a send that fails, a crash
 * or a closed terminal leave it to be resumed.  The draft is a reply
 * (to the sender, to all, to the list), a forward, a review (Acked-by,
 * Reviewed-by, Tested-by, or pw-bot: for maintainers), a new message,
 * or text the caller made (a bug report, a stable request).  Sending
 * reads it back and goes through front/send.h as vger send sends a
 * series (the same checks, record, SMTP or sendmail program); the
 * copy is filed in the Fcc maildir (vger.fcc, else sent/ under the
 * mail root) and indexed into notmuch at once, tagged sent, the
 * message it answers tagged replied.  The front end runs the editor
 * (front/editor.h) and asks the user what to do.
 */
#ifndef FRONT_COMPOSE_H
#define FRONT_COMPOSE_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

struct err;
struct front_config;
struct front_draft;
struct front_hooks;
struct front_send_result;
struct mail_send_msg;
struct sbuf;
struct vec;

enum front_compose_kind {
	FRONT_COMPOSE_NEW,
	FRONT_COMPOSE_REPLY,	/* to the author */
	FRONT_COMPOSE_GROUP,	/* to everyone */
	FRONT_COMPOSE_LIST,	/* to the list */
	FRONT_COMPOSE_FORWARD,
	FRONT_COMPOSE_ACK,	/* a reply with Acked-by: you */
	FRONT_COMPOSE_REVIEW,	/* Reviewed-by: */
	FRONT_COMPOSE_TEST,	/* Tested-by: */
	/* pw-bot: cr (changes requested), for maintainers (vger.maintainer) */
	FRONT_COMPOSE_PWBOT_CR,
};

/* By name ("reply", "ack", "pw-bot-cr" ...); -1 when unknown. */
int front_compose_kind_by_name(const char *name);

struct front_compose_options {
	struct front_config *cfg;
	const char *db;		/* notmuch database; NULL: notmuch's own */
	const char *identity;	/* sendemail identity; NULL: the default */
	enum front_compose_kind kind;
	const char *parent_id;	/* the message answered, without <> */
	/*
	 * FRONT_COMPOSE_NEW: recipients (char *, checked addresses),
	 * subject and body, each NULL for none.
	 */
	const struct vec *to, *cc;
	const char *subject, *body;
};

/*
 * Make the draft and put it in the drafts maildir: *path is its file
 * (the caller frees).  What was left out of its headers (an address
 * from the mail that is not one) is appended to notes (char *, owned)
 * when not NULL.  ERR_NOTFOUND for a message not in the database or
 * whose file is gone, ERR_USAGE for pw-bot: without vger.maintainer,
 * ERR_USAGE when nobody is sending (no sendemail.from, user.email).
 */
int front_compose(const struct front_compose_options *o, char **path,
		  struct vec *notes, struct err *err);

/* The drafts maildir (the caller frees); NULL with err when none. */
char *front_drafts_dir(struct front_config *cfg, const char *db,
		       struct err *err);

/* A draft in the drafts maildir, for a list to resume from. */
struct front_draft_info {
	char *path;
	char *to;		/* the first recipient, or "" */
	char *subject;		/* decoded, or "" */
	time_t mtime;
	long mtime_ns;		/* the nanoseconds of it, for the order */
};

/*
 * Every draft of the drafts maildir, newest first (struct
 * front_draft_info *, free with front_draft_info_free).  A missing
 * maildir has none.
 */
int front_drafts_list(const char *dir, struct vec *out, struct err *err);
void front_draft_info_free(void *info);

struct front_draft_options {
	struct front_config *cfg;
	const char *db;
	const char *identity;
	const char *path;	/* the draft */
	int dry_run;		/* read and check it; send nothing */
	const char *record_dir;	/* NULL: $XDG_STATE_HOME/vger/send */
	/* As in mail/smtp.h: a signal handler's flag, or NULL. */
	const volatile sig_atomic_t *interrupted;
};

/*
 * Read the draft and make the message it sends: From: the draft's
 * (else the sender), To:, Cc:, Bcc: as written, RFC 2047 for names
 * and a subject not in ASCII.  A header that does not parse is
 * ERR_PARSE naming the draft, the line and the header; the draft is
 * left as it is.  Free with front_draft_free() either way.
 */
int front_draft_open(struct front_draft **out,
		     const struct front_draft_options *o, struct err *err);
void front_draft_free(struct front_draft *d);
/* The message as it goes out (to, cc, subject); borrowed from d. */
const struct mail_send_msg *front_draft_message(const struct front_draft *d);
/* Where it goes: "smtp://host:port", or the sendmail program. */
const char *front_draft_url(const struct front_draft *d);
/*
 * Send it (the confirmation is the front end's: nothing is asked but
 * a password no helper has).  Once it is out the draft is removed;
 * otherwise it stays.  0 with res filled, < 0 with err.
 */
int front_draft_send(struct front_draft *d, const struct front_hooks *h,
		     struct front_send_result *res, struct err *err);
/* Remove a draft (discard it). */
int front_draft_discard(const char *path, struct err *err);

/*
 * Append "To: a, b" (label, then the addresses of v, char *, joined by
 * ", ") to sb, as the command line and the TUI show a message's
 * recipients; nothing when v is empty.  The addresses are appended raw:
 * whoever prints the line makes it safe.  The number appended.
 */
size_t front_address_line(struct sbuf *sb, const char *label,
			  const struct vec *v);

#endif
