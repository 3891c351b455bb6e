/* Helpers shared inside series/ only. */
#ifndef SERIES_PRIVATE_H
#define SERIES_PRIVATE_H

#include <git2.h>

struct vec;

/*
 * Append to out (char *) every path whose entry differs between trees
 * a and b (either may be NULL: empty), skipping equal subtrees as git's
 * tree diff does.  libgit2's git_diff_tree_to_tree() walks both whole
 * trees (80 ms a diff on a kernel tree); diffing only these paths
 * (pathspec with GIT_DIFF_DISABLE_PATHSPEC_MATCH) costs what changed.
 */
void series_tree_changed_paths(git_repository *repo, git_tree *a,
			       git_tree *b, struct vec *out);

/*
 * Give repo an empty in-memory index.  libgit2 reads the whole index
 * (60 ms for a kernel's 80k entries) to look for .gitattributes missing
 * from the work tree whenever a diff asks for a file's driver; code
 * that only diffs commits needs no index, and attributes still come
 * from the work tree, as for git.
 */
void series_repo_skip_index(git_repository *repo);

#endif
