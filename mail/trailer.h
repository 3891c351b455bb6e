/*
 * What a message body says, as plain text functions (no notmuch, no
 * files): review trailers, pw-bot commands, patchwork-bot notices and
 * pull requests.  Bodies are UTF-8 text as mail/message.h gives them.
 */
#ifndef MAIL_TRAILER_H
#define MAIL_TRAILER_H

#include "util/vec.h"

/* The model's cache stores these values: bump its formats on a change. */
enum mail_trailer_kind {
	MAIL_TRAILER_ACKED,	/* Acked-by: */
	MAIL_TRAILER_REVIEWED,	/* Reviewed-by: */
	MAIL_TRAILER_TESTED,	/* Tested-by: */
	MAIL_TRAILER_NACKED,	/* Nacked-by: / NAKed-by: */
	MAIL_TRAILER_REPORTED,	/* Reported-by: */
	MAIL_TRAILER_SIGNED_OFF,/* Signed-off-by: */
	MAIL_TRAILER_FIXES,	/* Fixes: */
	MAIL_TRAILER_OTHER,	/* Suggested-by:, Co-developed-by:, Link:, Cc: ... */
};

struct mail_trailer {
	enum mail_trailer_kind kind;
	char *key;	/* as written, "Acked-by" */
	char *value;	/* the rest of the line, trimmed */
	char *name;	/* "Jane Doe" from "Jane Doe <jane@x>", or NULL */
	char *email;	/* "jane@x", lowercase domain kept as written, or NULL */
	/*
	 * What the trailer is given for, when it says so, as written: a
	 * "# for the libbpf parts" comment at the end of the value (which
	 * keeps it), a "[for the libbpf parts]" line after it, or the line
	 * before the trailers ("For patches 1-3:"); NULL when it says
	 * nothing.
	 */
	char *scope;
};

enum mail_pwbot_cmd {
	MAIL_PWBOT_NONE,
	MAIL_PWBOT_CHANGES_REQUESTED,	/* cr, changes-requested */
	MAIL_PWBOT_DEFER,		/* defer, deferred, deffer */
	MAIL_PWBOT_REJECT,		/* reject, rejected */
	MAIL_PWBOT_NOT_APPLICABLE,	/* nap, not-applicable */
	MAIL_PWBOT_AWAITING_UPSTREAM,	/* au, awaiting-upstream */
	MAIL_PWBOT_UNDER_REVIEW,	/* under-review */
	MAIL_PWBOT_ACCEPTED,		/* accept, accepted */
	MAIL_PWBOT_SUPERSEDED,		/* superseded */
	MAIL_PWBOT_RFC,			/* rfc */
	MAIL_PWBOT_OTHER,		/* closed, 24h, ... (pv-bot too) */
};

/* What one message's own (unquoted, outside any diff) text says. */
struct mail_body {
	struct vec trailers;	/* struct mail_trailer * in order */
	enum mail_pwbot_cmd pwbot;	/* the last pw-bot: line, or NONE */
	char *pwbot_word;	/* that line's word as written, or NULL */
	/*
	 * The last "pv-bot:" line's word ("closed", "24h"), or NULL.  It
	 * never sets pwbot: "pw-bot: defer\npv-bot: closed" is a defer.
	 */
	char *pvbot_word;
	int has_diff;		/* carries a unified diff ("diff --git", ---/+++ @@) */
	int has_diffstat;	/* "N files changed" after a "---" line */
	/*
	 * Starts as a patchwork-bot notice does ("This series was
	 * applied to REPO (BRANCH)"), as mail_botnotice_parse() reads it.
	 */
	int notice;
};

#define MAIL_BODY_INIT { VEC_INIT, MAIL_PWBOT_NONE, NULL, NULL, 0, 0, 0 }

/*
 * Scan a body: trailers at line start (not in "> " quotes, not inside
 * the diff, not below a "-- " signature line; a trailer wrapped over
 * two lines, "Reviewed-by: Jane Doe" then "<jane@x>" or an indented
 * line, read as one), the pw-bot command, whether there is a diff,
 * whether it is a bot notice.  Lines may end in \r\n.  Never fails.
 */
void mail_body_scan(struct mail_body *out, const char *text);
void mail_body_release(struct mail_body *b);
/* Parse one "Key: value" trailer line; 0 or -1 when it is none. */
int mail_trailer_parse_line(struct mail_trailer *out, const char *line);
void mail_trailer_free(struct mail_trailer *t);
/* Free what t holds (not t), for one on the stack. */
void mail_trailer_release(struct mail_trailer *t);
const char *mail_trailer_kind_name(enum mail_trailer_kind kind);
/* Whether kind is given in review: Acked, Reviewed, Tested, Nacked-by. */
int mail_trailer_is_review(enum mail_trailer_kind kind);
/*
 * The key a trailer of kind is written with ("Acked-by", "Fixes"), or
 * NULL for MAIL_TRAILER_OTHER.  Static.
 */
const char *mail_trailer_kind_key(enum mail_trailer_kind kind);
enum mail_pwbot_cmd mail_pwbot_parse_word(const char *word);
const char *mail_pwbot_name(enum mail_pwbot_cmd cmd);

/* One "  - [bpf-next,v4,1/4] title\n    https://.../c/b25acdafd373" item. */
struct mail_botitem {
	char *subject;	/* the line after "- ", tags kept: "[bpf-next,v4,1/4] title" */
	char *title;	/* without the tags */
	unsigned index, total;	/* from the tags, 0 when none */
	char *commit_url;	/* NULL for "(no matching commit)" */
	char *commit;	/* the abbreviated hash: ".../c/HASH" or "?id=HASH" */
};

enum mail_botnotice_what {
	MAIL_BOT_PATCH, MAIL_BOT_SERIES, MAIL_BOT_PULL,
};

/* A patchwork-bot "applied" notice. */
struct mail_botnotice {
	enum mail_botnotice_what what;
	char *repo;	/* "bpf/bpf-next.git" */
	char *branch;	/* "master", "main", "net"; from "(refs/heads/master)" too */
	char *by_name;	/* "Andrii Nakryiko", NULL in the old form */
	char *by_email;	/* "andrii@kernel.org", NULL in the old form */
	struct vec items;	/* struct mail_botitem * */
};

/*
 * Parse a patchwork-bot notice body ("This series was applied to
 * bpf/bpf-next.git (master)\nby NAME <EMAIL>:" ... "Here is the summary
 * with links:"; also the old "(refs/heads/master):" form with no by
 * line).  0, or -1 when the body is not such a notice (then *out is
 * empty).  Release with mail_botnotice_release().
 */
int mail_botnotice_parse(struct mail_botnotice *out, const char *text);
void mail_botnotice_release(struct mail_botnotice *n);
/* "bpf/bpf-next.git (master)" into a new string. */
char *mail_botnotice_applied_to(const struct mail_botnotice *n);

/* A pull request ("pull-request: bpf-next 2025-05-02" or "[GIT PULL]"). */
struct mail_pull {
	char *tree;	/* "bpf-next" */
	char *date;	/* "2025-05-02" */
	char *target;	/* "net-next" from "your *net-next* tree", or NULL */
	char *url;	/* "git://git.kernel.org/.../bpf-next.git" */
	char *tag;	/* "tags/for-netdev" or NULL */
	char *base_commit, *head_commit;	/* full hex ids or NULL */
	struct vec shortlog;	/* char *: the commit titles, in order */
	struct vec authors;	/* char *: "Amery Hung" per shortlog group */
	struct vec title_authors;	/* char *: the author of shortlog[i] */
};

/*
 * Parse a pull request body (a "git request-pull" block: "The
 * following changes since commit" / "for you to fetch changes up
 * to"); the subject gives tree and date, the letter above the block
 * the target.  0, or -1 when the body has no request-pull block.
 * Release with mail_pull_release() either way.
 */
int mail_pull_parse(struct mail_pull *out, const char *subject,
		    const char *text);
void mail_pull_release(struct mail_pull *p);

#endif
