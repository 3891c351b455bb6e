/*
 * What git history says of one commit, for the mail the BPF FAQ asks
 * for: a bug report names the buggy commit and Cc's the people who
 * wrote, signed, acked and reviewed it (.mailmap applied) and the
 * maintainers of what it touched; a stable request first looks for
 * the fix in the stable branches (linux-*.y, local or remote-tracking)
 * through the "commit <sha> upstream" lines of their backports.
 * libgit2 reads everything; nothing is printed.
 */
#ifndef SERIES_HISTORY_H
#define SERIES_HISTORY_H

#include "util/vec.h"

struct err;
struct sbuf;

struct series_commit_info {
	char id[41];		/* the whole hex id */
	char *subject;		/* the first line of the message */
	char *message;		/* all of it */
	char *author;		/* "Name <email>", .mailmap applied */
	char *committer;
	/*
	 * char *: "Name <email>" of every Signed-off-by, Acked-by and
	 * Reviewed-by line, .mailmap applied, each once, in order.
	 */
	struct vec people;
	/* char *: the commit ids of its Fixes: lines, as written */
	struct vec fixes;
	/* char *: the paths it changes against its first parent */
	struct vec files;
};

#define SERIES_COMMIT_INFO_INIT { "", NULL, NULL, NULL, NULL, VEC_INIT, \
	VEC_INIT, VEC_INIT }

/*
 * The commit rev names in the repository containing dir (NULL: the
 * working directory).  ERR_NOTFOUND when there is no such commit,
 * ERR_USAGE when rev is ambiguous or not a commit; err names rev.
 * Release out either way.
 */
int series_commit_info(const char *dir, const char *rev,
		       struct series_commit_info *out, struct err *err);
void series_commit_info_release(struct series_commit_info *c);
/* "abcdef123456 (\"subject\")", as a Fixes: line names a commit. */
void series_commit_reference(const struct series_commit_info *c,
			     struct sbuf *out);

/* A stable branch, and whether it has a commit. */
struct series_stable {
	char *branch;		/* "linux-6.1.y", "origin/linux-6.6.y" */
	/*
	 * How it carries the commit: its backport's id (hex), the
	 * commit's own id when the branch contains the commit itself,
	 * or NULL when it does not carry it.
	 */
	char *carried_as;
	/*
	 * Whether the branch has the bug the commit fixes (the buggy
	 * commit itself or a backport of it): 1, 0, or -1 when no buggy
	 * commit was named.
	 */
	int has_bug;
};

/*
 * The stable branches of the repository containing dir (refs/heads/
 * and refs/remotes/<remote>/ named linux-*.y), each with what it has
 * of the commit id (hex, whole) and of the buggy commit bug_id (or
 * NULL), in the order of their versions.  struct series_stable *
 * appended to out; free with series_stable_free().  None is fine.
 */
int series_stable_find(const char *dir, const char *id, const char *bug_id,
		       struct vec *out, struct err *err);
void series_stable_free(void *stable);

#endif
