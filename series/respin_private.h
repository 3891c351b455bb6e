/*
 * What the files of vger respin share inside series/: the job handle's
 * fields and the tree diff as git format-patch prints it.  Not for use
 * outside series/.
 */
#ifndef SERIES_RESPIN_PRIVATE_H
#define SERIES_RESPIN_PRIVATE_H

#include <git2.h>

#include "util/vec.h"

struct err;
struct sbuf;

/* Diffstat and shortlog width: git's MAIL_DEFAULT_WRAP. */
#define RESPIN_STAT_WIDTH 72

struct series_job {
	git_repository *repo;
	char *branch;		/* short name of HEAD's branch, or NULL */
	char *config_path;	/* the repository's own config file */
	int abbrev;		/* git's automatic core.abbrev, -1 unknown */
	struct vec touched;	/* char *: paths the series changes */
};

/* A libgit2 failure as ERR_GIT: fmt (with arg) and git's message. */
int respin_git_err(struct err *err, const char *fmt, const char *arg);

/*
 * The diff of tree a (NULL: empty) to tree b as format-patch prints it:
 * diffstat and summary appended to stat, the patch text to patch
 * (either may be NULL); *nfiles gets the number of changed files and
 * paths (may be NULL) every path touched.  series/respin_diff.c.
 */
int respin_tree_diff(struct series_job *job, git_tree *a, git_tree *b,
		     struct sbuf *stat, struct sbuf *patch, size_t *nfiles,
		     struct vec *paths, struct err *err);

#endif
