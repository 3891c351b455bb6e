/*
 * Tree helpers shared inside series/ (series/private.h): what differs
 * between two trees, found the way git's tree diff finds it, and a
 * repository handle that does not load the index.
 */
#include <git2.h>
#include <git2/sys/repository.h>
#include <stdlib.h>

#include "series/private.h"
#include "util/fs.h"
#include "util/vec.h"
#include "util/xmalloc.h"

static void all_paths(git_repository *repo, const git_tree_entry *e,
		      const char *prefix, struct vec *out);

static void changed_path(git_repository *repo, const git_tree_entry *x,
			 const git_tree_entry *y, const char *prefix,
			 struct vec *out);

static void subtree_paths(git_repository *repo, const git_tree_entry *e,
			  const char *path, struct vec *out)
{
	git_tree *t;

	if (git_tree_lookup(&t, repo, git_tree_entry_id(e)) < 0)
		return;
	for (size_t i = 0; i < git_tree_entrycount(t); i++)
		all_paths(repo, git_tree_entry_byindex(t, i), path, out);
	git_tree_free(t);
}

/* Every file under entry e (a whole added or deleted subtree). */
static void all_paths(git_repository *repo, const git_tree_entry *e,
		      const char *prefix, struct vec *out)
{
	char *path = *prefix ? path_join(prefix, git_tree_entry_name(e)) :
		     xstrdup(git_tree_entry_name(e));

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		subtree_paths(repo, e, path, out);
	else
		vec_push(out, path), path = NULL;
	free(path);
}

/* The paths of trees a and b (either NULL) whose entries differ. */
static void changed_paths(git_repository *repo, git_tree *a, git_tree *b,
			  const char *prefix, struct vec *out)
{
	for (size_t i = 0; a && i < git_tree_entrycount(a); i++) {
		const git_tree_entry *x = git_tree_entry_byindex(a, i);
		const git_tree_entry *y = b ? git_tree_entry_byname(b,
					git_tree_entry_name(x)) : NULL;

		changed_path(repo, x, y, prefix, out);
	}
	for (size_t i = 0; b && i < git_tree_entrycount(b); i++) {
		const git_tree_entry *y = git_tree_entry_byindex(b, i);

		if (!a || !git_tree_entry_byname(a, git_tree_entry_name(y)))
			all_paths(repo, y, prefix, out);
	}
}

static void changed_path(git_repository *repo, const git_tree_entry *x,
			 const git_tree_entry *y, const char *prefix,
			 struct vec *out)
{
	git_tree *tx = NULL, *ty = NULL;
	char *path;

	if (!y) {
		all_paths(repo, x, prefix, out);
		return;
	}
	if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) &&
	    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
		return;
	if (git_tree_entry_type(x) != GIT_OBJECT_TREE ||
	    git_tree_entry_type(y) != GIT_OBJECT_TREE) {
		all_paths(repo, x, prefix, out);
		all_paths(repo, y, prefix, out);
		return;
	}
	path = *prefix ? path_join(prefix, git_tree_entry_name(x)) :
	       xstrdup(git_tree_entry_name(x));
	if (!git_tree_lookup(&tx, repo, git_tree_entry_id(x)) &&
	    !git_tree_lookup(&ty, repo, git_tree_entry_id(y)))
		changed_paths(repo, tx, ty, path, out);
	git_tree_free(tx);
	git_tree_free(ty);
	free(path);
}

void series_tree_changed_paths(git_repository *repo, git_tree *a,
			       git_tree *b, struct vec *out)
{
	changed_paths(repo, a, b, "", out);
}

void series_repo_skip_index(git_repository *repo)
{
	git_index *index;

	if (!git_index_new(&index)) {
		git_repository_set_index(repo, index);
		git_index_free(index);
	}
}
