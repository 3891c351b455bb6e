/*
 * What one message is, from its parsed subject and body: the roles of
 * issue 3 (cover letter, patch, review, reply, bot notice, pull request,
 * discussion).  Pure: no files, no notmuch.
 */
#ifndef MAIL_CLASSIFY_H
#define MAIL_CLASSIFY_H

struct mail_subject;
struct mail_body;

enum mail_what {
	MAIL_WHAT_DISCUSSION,	/* no patch tag: a question, [ANN], ... */
	MAIL_WHAT_COVER,	/* [PATCH ... 0/N], not a reply */
	MAIL_WHAT_PATCH,	/* [PATCH ...] or [PATCH ... i/N], i > 0 */
	MAIL_WHAT_REVIEW,	/* a reply with Acked/Reviewed/Tested/Nacked-by
				 * or a pw-bot: command of its own */
	MAIL_WHAT_REPLY,	/* any other reply to a patch or pull */
	MAIL_WHAT_BOT_NOTICE,	/* from patchwork-bot+...@kernel.org */
	MAIL_WHAT_PULL,		/* "pull-request: ..." or [GIT PULL], not a reply */
};

/*
 * Classify a message.  from_email may be NULL.  A patchwork-bot message
 * is a notice whatever its subject; parse it with mail_botnotice_parse().
 * A cover letter that carries a request-pull block (netfilter's "[PATCH
 * net 0/3] Netfilter fixes for net") stays a cover: mail_pull_parse()
 * reads its pull request too.
 */
enum mail_what mail_classify(const char *from_email,
			     const struct mail_subject *s,
			     const struct mail_body *b);
/* "cover", "patch", "review", "reply", "bot-notice", "pull", "discussion" */
const char *mail_what_name(enum mail_what what);

#endif
