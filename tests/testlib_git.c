/* Real git repositories for tests, made with libgit2. */
#include <check.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testlib.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

struct t_git {
	git_repository *repo;
	char *dir;
	char *name, *email;
	time_t when;
};

#define GIT_OK(call) do { \
	if ((call) < 0) { \
		const git_error *e_ = git_error_last(); \
		ck_abort_msg("%s: %s", #call, e_ ? e_->message : "?"); \
	} \
} while (0)

struct t_git *t_git_init(const char *dir)
{
	struct t_git *g = xcalloc(1, sizeof(*g));

	git_libgit2_init();
	GIT_OK(git_repository_init(&g->repo, dir, 0));
	g->dir = xstrdup(dir);
	g->name = xstrdup("A U Thor");
	g->email = xstrdup("author@example.com");
	g->when = 1700000000;	/* 2023-11-14, a fixed point */
	return g;
}

const char *t_git_dir(const struct t_git *g)
{
	return g->dir;
}

void t_git_set_author(struct t_git *g, const char *name, const char *email,
		      time_t when)
{
	free(g->name);
	free(g->email);
	g->name = xstrdup(name);
	g->email = xstrdup(email);
	g->when = when;
}

const char *t_git_commit(struct t_git *g, const char *message,
			 const char *const files[])
{
	static char hex[GIT_OID_HEXSZ + 1];
	git_index *index;
	git_oid tree_id, commit_id, head_id;
	git_tree *tree;
	git_signature *sig;
	git_commit *parent = NULL;
	int nparents = 0;

	GIT_OK(git_repository_index(&index, g->repo));
	for (size_t i = 0; files && files[i]; i += 2) {
		char *path = path_join(g->dir, files[i]);

		if (files[i + 1]) {
			t_write_file(path, files[i + 1]);
			GIT_OK(git_index_add_bypath(index, files[i]));
		} else {
			fs_rm_rf(path);
			GIT_OK(git_index_remove_bypath(index, files[i]));
		}
		free(path);
	}
	GIT_OK(git_index_write(index));
	GIT_OK(git_index_write_tree(&tree_id, index));
	GIT_OK(git_tree_lookup(&tree, g->repo, &tree_id));
	GIT_OK(git_signature_new(&sig, g->name, g->email, g->when, 0));
	if (!git_reference_name_to_id(&head_id, g->repo, "HEAD")) {
		GIT_OK(git_commit_lookup(&parent, g->repo, &head_id));
		nparents = 1;
	}
	GIT_OK(git_commit_create_v(&commit_id, g->repo, "HEAD", sig, sig,
				   NULL, message, tree, nparents, parent));
	git_oid_tostr(hex, sizeof(hex), &commit_id);
	git_commit_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
	g->when += 60;
	return hex;
}

void t_git_branch(struct t_git *g, const char *name)
{
	git_reference *ref, *head;
	git_commit *commit;
	git_oid id;
	char full[256];

	GIT_OK(git_reference_name_to_id(&id, g->repo, "HEAD"));
	GIT_OK(git_commit_lookup(&commit, g->repo, &id));
	GIT_OK(git_branch_create(&ref, g->repo, name, commit, 0));
	snprintf(full, sizeof(full), "refs/heads/%s", name);
	GIT_OK(git_reference_symbolic_create(&head, g->repo, "HEAD", full, 1,
					     NULL));
	git_reference_free(head);
	git_reference_free(ref);
	git_commit_free(commit);
}

void t_git_tag(struct t_git *g, const char *name, const char *target_hex,
	       const char *message, time_t when)
{
	git_object *target;
	git_signature *sig;
	git_oid id;

	GIT_OK(git_revparse_single(&target, g->repo,
				   target_hex ? target_hex : "HEAD"));
	if (message) {
		GIT_OK(git_signature_new(&sig, g->name, g->email, when, 0));
		GIT_OK(git_tag_create(&id, g->repo, name, target, sig,
				      message, 0));
		git_signature_free(sig);
	} else {
		GIT_OK(git_tag_create_lightweight(&id, g->repo, name, target,
						  0));
	}
	git_object_free(target);
}

void t_git_run(const char *dir, const char *const args[])
{
	const char *argv[32] = { "git", "-C", dir };
	struct sbuf err = SBUF_INIT;
	size_t n = 3;

	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_msg(t_run(argv, NULL, NULL, NULL, &err) == 0, "git %s: %s",
		      args[0], err.buf);
	sbuf_release(&err);
}

void t_git_free(struct t_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->dir);
	free(g->name);
	free(g->email);
	free(g);
	git_libgit2_shutdown();
}
