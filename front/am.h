/*
 * A series from the local notmuch database into git, the flow of vger
 * am, vger shazam and the TUI's save and apply keys: the thread of the
 * message asked for read from the database, its versions told apart as
 * b4 does (the latest, or vN; a newer version posted in a thread of its
 * own is found by its title and author), the patches in 1..N order with
 * the trailers of their replies (mail/collect.h), written as the mbox
 * `b4 am` writes; then, for shazam, the real `git am` on it, and with
 * merge the maintainers' merge commit made from the cover letter.  The
 * front end hears and answers through front/hooks.h.
 */
#ifndef FRONT_AM_H
#define FRONT_AM_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct err;
struct front_config;
struct front_hooks;
struct sbuf;

/* What the user asked for; every pointer is borrowed for the call. */
struct front_am_options {
	const char *db;		/* NULL: vger.database, else notmuch's */
	/*
	 * A message id of the series (cover, patch, reply): bare, in
	 * <>, "id:..." or a lore / patch.msgid.link URL.
	 */
	const char *id;
	unsigned version;	/* 0: the latest */
	int no_trailers;	/* the patches as they were sent */
	int add_link;		/* Link: vger.linkmask with the patch's id */
	int add_message_id;	/* Message-ID: <id> */
	int add_my_sob;		/* the user's Signed-off-by, last */
	int sloppy;		/* trailers whose sender differs too */
	int partial;		/* go on with a series missing patches */
	const char *cherry_pick;	/* "1,3-5", "-1", "2-": or NULL */
	/*
	 * A repository whose .mailmap makes two addresses one person;
	 * NULL: the repository of the working directory, else
	 * vger.linux.
	 */
	const char *mailmap_repo;
	struct front_config *cfg;	/* git config (vger.linkmask, user) */
};

/* A trailer added to a patch, and where it came from. */
struct front_am_added {
	char *line;		/* "Acked-by: Jane Doe <jane@x>" */
	char *by;		/* the sender of the reply: "Name <addr>" */
	char *message_id;	/* that reply; NULL: vger added it */
	int from_cover;		/* given on the cover letter */
};

struct front_am_patch {
	unsigned index;		/* 1..N */
	char *message_id;
	char *subject;		/* as written to the mbox */
	char *author;		/* "Name <addr>" (in-body From: first) */
	char *date;		/* the author date, RFC 5322 */
	struct vec added;	/* struct front_am_added * */
	int rerolled;		/* taken from vN-1 (a partial reroll) */
};

/* What vger am says of the series, beside the trailers. */
enum front_am_warning {
	FRONT_AM_MISSING,	/* a patch never arrived */
	FRONT_AM_DUPLICATE,	/* a patch arrived twice */
	FRONT_AM_BROKEN,	/* a patch's diff does not add up */
	FRONT_AM_MISMATCH,	/* a trailer not from its sender */
	FRONT_AM_NACKED,	/* a Nacked-by: */
	FRONT_AM_SCOPED,	/* a cover trailer for some patches */
	FRONT_AM_ORPHAN,	/* a reply to a message not here */
	FRONT_AM_OTHER,		/* anything else (versions, reroll) */
};

struct front_am_warn {
	enum front_am_warning kind;
	unsigned patch;		/* the patch it is about, 0: none */
	char *text;		/* one line (raw mail text inside) */
	char *line;		/* the trailer, when it is about one */
	char *by;		/* its sender */
	char *message_id;	/* the message it is about */
	int applied;		/* the trailer went in all the same */
};

struct front_am_result {
	char *slug;		/* b4's name, without ".mbx" */
	char *mbox;		/* what git am reads */
	size_t npatches;	/* patches in it */
	char *cover;		/* the cover letter as its own mail, or NULL */
	char *cover_id;		/* its message id, or NULL */
	char *cover_title;	/* its title, else the first patch's */
	char *cover_author;	/* its sender's name, else address */
	char *cover_body;	/* its text, or NULL */
	char *first_id;		/* the cover's id, else the first patch's */
	char *link;		/* vger.linkmask with first_id */
	char *base_commit;	/* "base-commit:" of the cover, or NULL */
	unsigned version, total;
	int complete;		/* every patch 1..N is there */
	int partial_reroll;	/* some patches come from vN-1 */
	struct vec patches;	/* struct front_am_patch *, in order */
	struct vec warnings;	/* struct front_am_warn * */
	struct vec versions;	/* char *: "v1 (thread ...)" seen */
};

#define FRONT_AM_RESULT_INIT { 0 }

/*
 * Find the series, collect its trailers and build the mbox (nothing
 * is written: see front_am_write()).  Missing or duplicate patches, a
 * broken diff: ERR_STATE naming them unless o->partial (then they are
 * warnings and left out).  A cover letter trailer given for some
 * patches is asked about (FRONT_ASK_SCOPED); no answer leaves it out.
 * Release res with front_am_result_release() either way.
 */
int front_am_prepare(const struct front_am_options *o,
		     const struct front_hooks *h, struct front_am_result *res,
		     struct err *err);
void front_am_result_release(struct front_am_result *res);

/*
 * Write res into dir (created): SLUG.mbx and, unless no_cover or there
 * is no cover letter, SLUG.cover.  The paths written are returned in
 * *mbx and *cover (owned; NULL when not written).
 */
int front_am_write(const struct front_am_result *res, const char *dir,
		   int no_cover, char **mbx, char **cover, struct err *err);

struct front_shazam_options {
	const char *repo_dir;	/* NULL: the working directory */
	int merge;		/* on a branch from the base, then merged */
	const char *base;	/* the base for merge; NULL: base-commit:
				 * when the repository has it, else HEAD */
	struct front_config *cfg;	/* the user's identity */
};

struct front_shazam_result {
	int applied;		/* git am finished */
	int merged;		/* the merge commit was made */
	char *git_output;	/* what git am (and merge) said */
	char *base;		/* the base applied on (merge), or NULL */
	int base_known;		/* base-commit: is in the repository */
	char *merge_message;	/* the merge's message, or NULL */
};

/*
 * Apply res with the real git am (argv, never a shell) in the
 * repository: on the current branch, or with merge on a temporary
 * branch from the base, merged into HEAD with --no-ff and the cover
 * letter's merge message.  A conflict leaves git's am state for git
 * am --continue / --abort and is 0 with applied 0 (git's words in
 * git_output); < 0 with err when git could not run at all.
 */
int front_shazam(const struct front_am_result *res,
		 const struct front_shazam_options *o,
		 const struct front_hooks *h, struct front_shazam_result *out,
		 struct err *err);
void front_shazam_result_release(struct front_shazam_result *r);

/*
 * The TUI's two keys in one call each: version (its message id and
 * number, e.g. a struct mail_version's) of the series in the database
 * db written into dir (save), or applied to the repository repo with
 * git am (apply); one line for the status bar saying what happened
 * appended to msg.  0, or < 0 with err.
 */
int front_am_save_version(struct front_config *cfg, const char *db,
			  const char *message_id, unsigned version,
			  const char *dir, const struct front_hooks *h,
			  struct sbuf *msg, struct err *err);
int front_am_apply_version(struct front_config *cfg, const char *db,
			   const char *message_id, unsigned version,
			   const char *repo, const struct front_hooks *h,
			   struct sbuf *msg, struct err *err);

/*
 * The message id in what the user gave: "<id>", "id:id", a lore or
 * patch.msgid.link URL (percent-decoded).  NULL when none; caller frees.
 */
char *front_am_parse_id(const char *arg);

#endif
