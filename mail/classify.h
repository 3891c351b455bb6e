/*
 * What one message is, from its parsed subject and what its body says:
 * cover letter, patch, review, reply, bot notice, pull request,
 * discussion.  One decision for everything that classifies mail: the
 * series model (which keeps only a few facts of each body, not the
 * body) and whatever reads a message whole.  Pure: no files, no
 * notmuch.
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
	MAIL_WHAT_BOT_NOTICE,	/* patchwork-bot's "applied" notice */
	MAIL_WHAT_PULL,		/* "pull-request: ..." or [GIT PULL], not a reply */
};

/* What the decision needs of a body. */
enum mail_body_facts {
	/* A review trailer, or a pw-bot: command, of its own. */
	MAIL_FACT_REVIEW = 1 << 0,
	/* The body is a patchwork-bot notice (mail_botnotice_parse()). */
	MAIL_FACT_NOTICE = 1 << 1,
};

/*
 * Classify a message from its sender (may be NULL), subject and the
 * facts of its body (enum mail_body_facts).  A notice from
 * patchwork-bot is MAIL_WHAT_BOT_NOTICE whatever its subject.  A cover
 * letter that carries a request-pull block (netfilter's "[PATCH net
 * 0/3] Netfilter fixes for net") stays a cover: mail_pull_parse()
 * reads its pull request too.
 */
enum mail_what mail_classify_facts(const char *from_email,
				   const struct mail_subject *s,
				   unsigned facts);
/* The facts of a scanned body. */
unsigned mail_body_facts(const struct mail_body *b);
/* mail_classify_facts() with the facts of b. */
enum mail_what mail_classify(const char *from_email,
			     const struct mail_subject *s,
			     const struct mail_body *b);
/* "cover", "patch", "review", "reply", "bot-notice", "pull", "discussion" */
const char *mail_what_name(enum mail_what what);

/* Whether email is patchwork-bot's (patchwork-bot+netdevbpf@...). */
int mail_is_bot_address(const char *email);

#endif
