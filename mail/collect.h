/*
 * The trailer collector: which review trailers each patch of a version
 * gets from the replies to it, by the rules kernel maintainers rely on
 * in `b4 am` — one collector for vger am, vger respin (the trailers of
 * vN-1) and the TUI.  Plain data in, plain data out: no notmuch, no
 * files, no printing.
 *
 *  - a reply counts for the patch it answers, walked up its
 *    In-Reply-To chain (replies in between are walked through); given
 *    on the cover letter, a trailer counts for every patch; a reply
 *    whose chain leaves the version counts for nothing and is said;
 *  - the kinds are b4's: a person trailer (a value with an address:
 *    Acked-by, Reviewed-by, Tested-by, Reported-by, Suggested-by,
 *    Co-developed-by, Signed-off-by, ...) and Fixes (a hash), Link,
 *    BugLink, Closes (a URL); never From:, Cc:, To:, Subject: lines;
 *    never quoted text, a diff or what is below a signature;
 *  - a person trailer must come from its own sender (b4's rule: the
 *    same address, "+tag" and one subdomain aside, or the same name),
 *    else it is a mismatch, said and applied only when sloppy;
 *  - Nacked-by is said, never applied;
 *  - given on the cover letter for some patches ("For patches 1-3:",
 *    "# for the libbpf parts"), a trailer is said and left for the
 *    caller to ask about (mail_collect_apply()), never widened;
 *  - a reply to a patch of another version in the thread counts for
 *    the patch of this version with the same diff (patch_id);
 *  - order: the patch's own trailers, then its replies' in thread
 *    order, then those carried over from an unchanged patch of
 *    another version, then the cover letter's; each once (same key and value in
 *    any case, or the same person by address or .mailmap), never one
 *    the patch has.
 */
#ifndef MAIL_COLLECT_H
#define MAIL_COLLECT_H

#include <stddef.h>

#include "util/vec.h"

/* One message of the version, in thread order. */
struct mail_collect_msg {
	const char *id;
	const char *parent;	/* the id it answers (In-Reply-To, else
				 * the last References id), or NULL */
	const char *from_name, *from_email;
	unsigned patch;		/* 1..N: patch N of the version; else 0 */
	int cover;		/* the cover letter */
	/*
	 * A patch or cover letter of another version in the same thread:
	 * a reply walked up to it counts for nothing here, silently.
	 */
	int other;
	/*
	 * A patch's diff as `git patch-id --stable` names it, or NULL: a
	 * reply to a patch of another version with the same id counts for
	 * the patch of this version that has it (b4 carries trailers over
	 * so when a patch did not change).
	 */
	const char *patch_id;
	/*
	 * Its text (mail/message.h), scanned here; or NULL, and then
	 * given holds what the model read from it (struct mail_given *,
	 * review trailers only).
	 */
	const char *body;
	const struct vec *given;
};

struct mail_collect_options {
	int sloppy;		/* person trailers from others apply too */
	/*
	 * The address a person is known by (the tree's .mailmap): a
	 * new string, or NULL to keep email.  NULL: addresses as written.
	 */
	char *(*mailmap)(void *data, const char *name, const char *email);
	void *data;
};

/* A trailer given in a reply, and by whom. */
struct mail_collect_trailer {
	char *line;		/* "Acked-by: Jane Doe <jane@x>" */
	char *key, *value;	/* "Acked-by", "Jane Doe <jane@x>" */
	char *name, *email;	/* of a person trailer, else NULL */
	char *scope;		/* "For patches 1-3:" or NULL */
	const char *from_id;	/* the reply (borrowed from the input) */
	const char *by_name, *by_email;	/* its sender (borrowed) */
	unsigned on;		/* the patch it answers; 0: cover letter */
};

struct mail_collect_patch {
	unsigned index;
	const char *id;		/* borrowed from the input */
	struct vec own;		/* char *: the trailer lines it carries */
	struct vec add;		/* struct mail_collect_trailer * to add,
				 * in order (owned by the result) */
};

enum mail_collect_why {
	MAIL_COLLECT_MISMATCH,	/* a person trailer not from its sender */
	MAIL_COLLECT_NACKED,	/* a Nacked-by: */
	MAIL_COLLECT_SCOPED,	/* on the cover letter, for some patches */
	MAIL_COLLECT_ORPHAN,	/* a reply to a message not in the version */
};

struct mail_collect_note {
	enum mail_collect_why why;
	struct mail_collect_trailer *t;	/* owned by the result; for an
					 * orphan, its first trailer */
	int applied;		/* a mismatch applied when sloppy */
	/*
	 * SCOPED: the patches the scope names, when it names them
	 * ("1-3", "2 and 4", "the libbpf parts" matching titles that
	 * start "libbpf:"); none found: ntargets 0.
	 */
	unsigned *targets;
	size_t ntargets;
};

struct mail_collect_result {
	struct vec patches;	/* struct mail_collect_patch *, 1..N */
	struct vec notes;	/* struct mail_collect_note * */
	struct vec pool;	/* every struct mail_collect_trailer */
};

#define MAIL_COLLECT_RESULT_INIT { VEC_INIT, VEC_INIT, VEC_INIT }

/*
 * Collect the trailers for the patches of msgs (n messages, patches
 * numbered 1..npatches; a patch missing from msgs has no entry).
 * titles: the patch titles by index - 1 (for scopes that name a
 * part), or NULL.  Release out with mail_collect_release().
 */
void mail_collect_run(struct mail_collect_result *out,
		      const struct mail_collect_msg *msgs, size_t n,
		      unsigned npatches, const char *const *titles,
		      const struct mail_collect_options *o);
/* The entry of patch index, or NULL. */
struct mail_collect_patch *mail_collect_patch_at(
	const struct mail_collect_result *r, unsigned index);
/*
 * Add t (a scoped trailer the user said yes to) to the patch index
 * after its others, unless it has it.  1 added, 0 not.
 */
int mail_collect_apply(struct mail_collect_result *r, unsigned index,
		       struct mail_collect_trailer *t,
		       const struct mail_collect_options *o);
void mail_collect_release(struct mail_collect_result *r);

/*
 * Whether a trailer from_name <from_email> sent, naming name <email>,
 * is its own: b4's email_eq (the same address ignoring case, a "+tag"
 * and one subdomain more or less) or the same name.
 */
int mail_collect_sender_ok(const char *name, const char *email,
			   const char *from_name, const char *from_email);
/*
 * Whether two trailer lines ("Key: value") are the same trailer: the
 * same key ignoring case and the same value ignoring case, or for a
 * person the same address (mapped through o's .mailmap when set).
 */
int mail_collect_same(const char *a, const char *b,
		      const struct mail_collect_options *o);

struct mail_given;
/*
 * Whether two review trailers the model keeps (mail/model.h) are one:
 * the same kind from the same address, ignoring case, as
 * mail_collect_same() decides for two trailer lines.  The model's
 * counts (mail/group.c) keep each once by it.
 */
int mail_collect_given_same(const struct mail_given *a,
			    const struct mail_given *b);

#endif
