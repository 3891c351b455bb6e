/*
 * The two kinds of mail the BPF FAQ asks people to write its way, as
 * drafts (front/compose.h) for the editor:
 *
 * a bug report (vger report): To the BPF list; Cc the BPF maintainers
 * as MAINTAINERS names them (the M: lines of "BPF [GENERAL]"), the
 * lists of the files the buggy commit touches, its author, committer
 * and the people of its Signed-off-by, Acked-by and Reviewed-by lines
 * (.mailmap applied), netdev when it touches networking; the body
 * names the commit as a Fixes: line does;
 *
 * a stable request (vger stable): the fix looked for in the stable
 * branches first; for those that lack it (and have the bug, when the
 * fix names it with Fixes:), To the BPF maintainers, Cc netdev, naming
 * the commit and the branches.  Never Cc stable@vger.kernel.org.
 */
#ifndef FRONT_REPORT_H
#define FRONT_REPORT_H

#include "util/vec.h"

struct err;
struct front_config;

struct front_report_options {
	struct front_config *cfg;
	const char *db;		/* notmuch database (the drafts' home) */
	const char *identity;	/* sendemail identity, or NULL */
	/* The kernel tree (MAINTAINERS, the commit); NULL: here. */
	const char *tree;
	const char *commit;	/* the buggy commit, or NULL */
};

/*
 * Write the bug report's draft; *path is its file (the caller frees).
 * notes (char *, owned) get what could not be added (a MAINTAINERS
 * without the BPF section, an address that is not one).  ERR_NOTFOUND
 * for no kernel tree or no such commit, ERR_USAGE for an ambiguous id.
 */
int front_report(const struct front_report_options *o, char **path,
		 struct vec *notes, struct err *err);

struct front_stable_result {
	char id[41];		/* the commit, whole */
	char *reference;	/* 'abcdef123456 ("subject")' */
	char *fixes;		/* the buggy commit's reference, or NULL */
	/* struct series_stable *: every stable branch, in version order */
	struct vec branches;
	/* char *: the branches to ask for (lacking it, having the bug) */
	struct vec wanted;
	char *draft;		/* the request's draft, NULL when none */
};

#define FRONT_STABLE_RESULT_INIT { "", NULL, NULL, VEC_INIT, VEC_INIT, \
	NULL }

/*
 * Look for the commit in the stable branches of the tree (or, when it
 * has none, of vger.linux), and when some branch lacks it, write the
 * request's draft (res->draft).  A tree without stable branches is
 * ERR_NOTFOUND saying so.  Release res either way.
 */
int front_stable(const struct front_report_options *o,
		 struct front_stable_result *res, struct vec *notes,
		 struct err *err);
void front_stable_result_release(struct front_stable_result *res);

#endif
