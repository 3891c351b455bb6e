/*
 * A reply, a forward or a new message as a draft the user edits.
 * The recipients of a reply are computed from the message replied to
 * as mutt and `notmuch reply` compute them: the author (Reply-To:,
 * unless a list munged it into a copy of To:/Cc:, else From:) in To:,
 * everyone else of To: and Cc: in Cc: for a group reply, the user's
 * own addresses dropped, each address once, the list kept.  The
 * subject gets one "Re: " (a kernel subject's tags stay as they are),
 * In-Reply-To: and References: thread it, the text is quoted with
 * "On <date>, <Name> wrote:" and "> " and its signature dropped.
 *
 * A draft is text as the editor shows it: headers in UTF-8, unencoded
 * and folded at commas, a blank line, the body.  Every name, address,
 * subject and message id taken from the mail is checked before it is
 * put in a header line: control characters become spaces, an address
 * that is not local@domain is left out and said.  mail/send.h reads
 * the draft back and mail/compose.h encodes it for sending.
 */
#ifndef MAIL_REPLY_H
#define MAIL_REPLY_H

struct err;
struct sbuf;
struct vec;

enum mail_reply_mode {
	MAIL_REPLY_SENDER,	/* the author only */
	MAIL_REPLY_ALL,		/* the author To, everyone else Cc */
	MAIL_REPLY_LIST,	/* the list only */
	MAIL_REPLY_FORWARD,	/* nobody yet; the message inline */
};

struct mail_reply_options {
	enum mail_reply_mode mode;
	const char *from;	/* the draft's From: "Name <addr>" */
	const struct vec *me;	/* char *: the user's addresses, dropped */
	const char *message_id;	/* the draft's own, "<...>", or NULL */
	/*
	 * A review: quote only the commit message (up to the "---" line
	 * of a patch, the shortlog or diffstat of a cover letter) and
	 * put this line after the quote ("Acked-by: Name <addr>",
	 * "pw-bot: cr"); NULL: quote the whole text.
	 */
	const char *trailer;
	/*
	 * The lists a list reply looks for in To: and Cc: when the
	 * message has no List-Post: (char *), or NULL; then any address
	 * at vger.kernel.org.
	 */
	const struct vec *lists;
	/*
	 * What was left out of the headers, one line each ("Cc: 'x' is
	 * not an email address"), appended when not NULL (owned).
	 */
	struct vec *dropped;
};

/*
 * The draft answering (or forwarding) the message file at path,
 * appended to out.  ERR_NOTFOUND for a file that is gone, ERR_PARSE
 * for one that is not a mail, ERR_NOTFOUND for a list reply to a
 * message that names no list; err names the file.
 */
int mail_reply_draft(const char *path, const struct mail_reply_options *o,
		     struct sbuf *out, struct err *err);

/*
 * A new message's draft: From:, To:, Cc: (each NULL or a list of
 * "Name <addr>" already checked), Subject:, Message-Id: (NULL: none),
 * then body (NULL: empty), appended to out.
 */
void mail_draft_new(const char *from, const struct vec *to,
		    const struct vec *cc, const char *subject,
		    const char *message_id, const char *body,
		    struct sbuf *out);

/*
 * "Name <addr>" for a mailbox taken from mail, fit for a header line:
 * control characters in the name made spaces, the name quoted where
 * RFC 5322 needs it; NULL when addr is not a local@domain address.
 * The caller frees.  The one gate every mail-derived address of a
 * draft goes through.
 */
char *mail_reply_mailbox(const char *name, const char *addr);

#endif
