/*
 * series/patch.c: commit ranges read with libgit2 and patch files read
 * with GMime, with git itself (git log, git format-patch) as the oracle.
 */
#include <check.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series/patch.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"

/* Run git in dir (as a fixed identity); abort the test on failure. */
static void git(const char *dir, const char *const args[], struct sbuf *out)
{
	const char *argv[32] = { "git", "-C", dir, "-c", "user.name=Oracle",
				 "-c", "user.email=oracle@example.com" };
	struct sbuf errout = SBUF_INIT;
	size_t n = 7;
	int rc;

	for (size_t i = 0; args[i]; i++) {
		ck_assert_uint_lt(n, 31);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	rc = t_run(argv, NULL, NULL, out, &errout);
	ck_assert_msg(rc == 0, "git %s: %s", args[0], errout.buf);
	sbuf_release(&errout);
}

/*
 * "@subject|name|email" and "S\tpath[\tpath]" lines for patches, the
 * shape `git log --format=@%s|%an|%ae --name-status` has once the
 * similarity scores are dropped.
 */
static void model_log(const struct series_patches *ps, struct sbuf *sb)
{
	for (size_t i = 0; i < ps->items.n; i++) {
		const struct series_patch *p = ps->items.items[i];

		sbuf_addf(sb, "@%s|%s|%s\n", p->subject, p->author_name,
			  p->author_email);
		for (size_t j = 0; j < p->files.n; j++) {
			const struct series_file_change *c = p->files.items[j];

			sbuf_addch(sb, c->status);
			if (c->old_path)
				sbuf_addf(sb, "\t%s", c->old_path);
			if (c->new_path && (!c->old_path ||
					    strcmp(c->old_path, c->new_path)))
				sbuf_addf(sb, "\t%s", c->new_path);
			sbuf_addch(sb, '\n');
		}
	}
}

/* Drop the empty commit: git format-patch writes no mail for it. */
static void drop_empty(struct sbuf *sb)
{
	const char *line = "@bpf: an empty commit|A U Thor|author@example.com\n";
	char *at = strstr(sb->buf, line);

	ck_assert_ptr_nonnull(at);
	memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
	sb->len -= strlen(line);
}

static void git_log(const char *dir, const char *range, struct sbuf *sb)
{
	struct sbuf raw = SBUF_INIT;
	const char *args[] = { "log", "--reverse", "--format=@%s|%an|%ae",
			       "--name-status", range, NULL };
	const char *line = NULL;

	git(dir, args, &raw);
	line = raw.buf;
	for (; *line; scan_next_line(&line)) {
		size_t len = str_line_len(line);

		if (!len)
			continue;
		sbuf_addch(sb, *line);
		if (*line == 'R' || *line == 'C') {
			size_t k = 1;

			while (k < len && line[k] >= '0' && line[k] <= '9')
				k++;
			sbuf_add(sb, line + k, len - k);
		} else {
			sbuf_add(sb, line + 1, len - 1);
		}
		sbuf_addch(sb, '\n');
	}
	sbuf_release(&raw);
}

/* A base commit on main, then a topic branch with five commits. */
static struct t_git *make_repo(const char *dir, char base_hex[41])
{
	struct t_git *g = t_git_init(dir);
	const char *base[] = { "README", "hello\n",
			       "kernel/bpf/verifier.c", "int verify;\n",
			       "old/name.c",
			       "line one\nline two\nline three\nline four\n",
			       "gone.txt", "bye\n",
			       ".gitattributes", "*.bin binary\n", NULL };
	const char *c1[] = { "kernel/bpf/verifier.c", "int verify = 1;\n",
			     "tools/testing/selftests/bpf/t.c", "test\n", NULL };
	const char *c2[] = { "old/name.c", NULL,
			     "new/name.c",
			     "line one\nline two\nline three\nline four\n",
			     NULL };
	const char *c3[] = { "blob.bin", "\x01\x02\x03 binary data\n",
			     "gone.txt", NULL, NULL };

	t_git_commit(g, "init: base\n", base);
	snprintf(base_hex, 41, "%s", t_git_commit(g, "init: more\n",
					(const char *[]){ "x", "x\n", NULL }));
	t_git_branch(g, "main");
	t_git_branch(g, "topic");
	t_git_commit(g, "bpf: change the verifier\n\nWhy it matters.\n\n"
		     "Signed-off-by: A U Thor <author@example.com>\n", c1);
	t_git_commit(g, "bpf: rename a file\n\nMove it.\n", c2);
	t_git_commit(g, "bpf: add a binary blob\n\nData.\n", c3);
	t_git_commit(g, "bpf: an empty commit\n\nNothing.\n", NULL);
	t_git_commit(g, "bpf: last one\n", (const char *[]){
		     "README", "hello world\n", NULL });
	return g;
}

START_TEST(range_matches_git_log)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf model = SBUF_INIT, oracle = SBUF_INIT, range = SBUF_INIT;
	struct err err = ERR_INIT;

	sbuf_addf(&range, "%s..topic", base);
	ck_assert_msg(!series_patches_from_range(&ps, dir, range.buf, &err),
		      "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, 5);
	ck_assert_str_eq(ps.base, base);
	model_log(&ps, &model);
	git_log(dir, range.buf, &oracle);
	ck_assert_str_eq(model.buf, oracle.buf);
	series_patches_release(&ps);
	sbuf_release(&model);
	sbuf_release(&oracle);
	sbuf_release(&range);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(range_fields_rename_binary_empty)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	struct series_patches ps = SERIES_PATCHES_INIT;
	const struct series_patch *p;
	const struct series_file_change *c;
	struct err err = ERR_INIT;

	ck_assert_msg(!series_patches_from_range(&ps, dir, "-5", &err),
		      "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, 5);
	ck_assert_str_eq(ps.base, base);
	p = ps.items.items[0];
	ck_assert_str_eq(p->subject, "bpf: change the verifier");
	ck_assert_str_eq(p->body, "Why it matters.\n\n"
			 "Signed-off-by: A U Thor <author@example.com>");
	ck_assert(str_starts_with(p->message, "bpf: change the verifier\n\n"));
	ck_assert_int_eq(p->author_time, 1700000000 + 120);
	ck_assert_int_eq(p->author_tz, 0);
	ck_assert_uint_eq(p->nparents, 1);
	ck_assert_uint_eq(strlen(p->commit), 40);
	ck_assert(strstr(p->diff, "diff --git a/kernel/bpf/verifier.c "
			 "b/kernel/bpf/verifier.c\n"));
	ck_assert(strstr(p->diff, "+int verify = 1;\n"));
	p = ps.items.items[1];
	ck_assert_uint_eq(p->files.n, 1);
	c = p->files.items[0];
	ck_assert_int_eq(c->status, SERIES_CHANGE_RENAMED);
	ck_assert_str_eq(c->old_path, "old/name.c");
	ck_assert_str_eq(c->new_path, "new/name.c");
	ck_assert(strstr(p->diff, "rename from old/name.c\n"));
	p = ps.items.items[2];
	ck_assert_uint_eq(p->files.n, 2);
	c = p->files.items[0];
	ck_assert_str_eq(c->new_path, "blob.bin");
	ck_assert_ptr_null(c->old_path);
	ck_assert_int_eq(c->status, SERIES_CHANGE_ADDED);
	ck_assert_int_eq(c->binary, 1);
	ck_assert(strstr(p->diff, "GIT binary patch"));
	c = p->files.items[1];
	ck_assert_int_eq(c->status, SERIES_CHANGE_DELETED);
	ck_assert_ptr_null(c->new_path);
	ck_assert_int_eq(c->binary, 0);
	p = ps.items.items[3];
	ck_assert_str_eq(p->subject, "bpf: an empty commit");
	ck_assert_str_eq(p->diff, "");
	ck_assert_uint_eq(p->files.n, 0);
	series_patches_release(&ps);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* The diff text of a plain commit is git's own. */
START_TEST(range_diff_text_is_gits)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf oracle = SBUF_INIT;
	struct err err = ERR_INIT;
	const char *show[] = { "show", "--format=", "topic~4", NULL };
	const char *rename[] = { "show", "--format=", "topic~3", NULL };

	ck_assert_msg(!series_patches_from_range(&ps, dir, "topic~5..topic",
						 &err), "%s", err.msg);
	git(dir, show, &oracle);
	ck_assert_str_eq(((struct series_patch *)ps.items.items[0])->diff,
			 oracle.buf);
	sbuf_reset(&oracle);
	git(dir, rename, &oracle);
	ck_assert_str_eq(((struct series_patch *)ps.items.items[1])->diff,
			 oracle.buf);
	series_patches_release(&ps);
	sbuf_release(&oracle);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(range_forms_agree)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	const char *ranges[] = { "main..topic", "main...topic", "-5", "topic",
				 "main..", NULL };
	const char *upstream[] = { "branch", "--set-upstream-to=main", "topic",
				   NULL };
	struct err err = ERR_INIT;
	struct sbuf first = SBUF_INIT;

	git(dir, upstream, NULL);
	for (size_t i = 0; ranges[i]; i++) {
		struct series_patches ps = SERIES_PATCHES_INIT;
		struct sbuf log = SBUF_INIT;

		ck_assert_msg(!series_patches_from_range(&ps, dir, ranges[i],
							 &err),
			      "%s: %s", ranges[i], err.msg);
		model_log(&ps, &log);
		ck_assert_str_eq(ps.base, base);
		if (!i)
			sbuf_addstr(&first, log.buf);
		else
			ck_assert_str_eq(log.buf, first.buf);
		series_patches_release(&ps);
		sbuf_release(&log);
	}
	sbuf_release(&first);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(range_errors_are_clear)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct err err = ERR_INIT;
	const char *detach[] = { "checkout", "-q", "--detach", "topic", NULL };

	ck_assert_int_eq(series_patches_from_range(&ps, dir, "nosuch..topic",
						   &err), -ERR_NOTFOUND);
	ck_assert_msg(strstr(err.msg, "'nosuch..topic' does not resolve"),
		      "%s", err.msg);
	ck_assert_int_eq(series_patches_from_range(&ps, dir, "topic", &err),
			 -ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "no upstream: give a range"), "%s",
		      err.msg);
	ck_assert_int_eq(series_patches_from_range(&ps, dir, "-x", &err),
			 -ERR_USAGE);
	ck_assert_int_eq(series_patches_from_range(&ps, dir, "", &err),
			 -ERR_USAGE);
	ck_assert_int_lt(series_patches_from_range(&ps, "/nonexistent/x",
						   "-1", &err), 0);
	ck_assert_msg(strstr(err.msg, "/nonexistent/x"), "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, 0);
	/* a detached HEAD is fine for an explicit range */
	git(dir, detach, NULL);
	ck_assert_msg(!series_patches_from_range(&ps, dir, "main..HEAD", &err),
		      "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, 5);
	series_patches_release(&ps);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(range_with_merge_is_refused)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf hash = SBUF_INIT;
	struct err err = ERR_INIT;
	const char *side[] = { "checkout", "-q", "-b", "side", "HEAD~1", NULL };
	const char *back[] = { "checkout", "-q", "-", NULL };
	const char *merge[] = { "merge", "-q", "--no-ff", "-m",
				"Merge branch side", "side", NULL };
	const char *rev[] = { "rev-parse", "--short=12", "HEAD", NULL };

	t_git_commit(g, "one\n", (const char *[]){ "a", "1\n", NULL });
	t_git_commit(g, "two\n", (const char *[]){ "b", "2\n", NULL });
	t_git_free(g);
	git(dir, side, NULL);
	{
		char *path = path_join(dir, "c");
		const char *add[] = { "add", "c", NULL };
		const char *commit[] = { "commit", "-q", "-m", "three", NULL };

		t_write_file(path, "3\n");
		git(dir, add, NULL);
		git(dir, commit, NULL);
		free(path);
	}
	git(dir, back, NULL);
	git(dir, merge, NULL);
	git(dir, rev, &hash);
	sbuf_rtrim(&hash);
	ck_assert_int_eq(series_patches_from_range(&ps, dir, "-3", &err),
			 -ERR_STATE);
	ck_assert_msg(strstr(err.msg, hash.buf), "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "(\"Merge branch side\")"), "%s",
		      err.msg);
	ck_assert_uint_eq(ps.items.n, 0);
	sbuf_release(&hash);
	t_rmtree(dir);
}
END_TEST

/* A Latin-1 author with an encoding header, and bytes that are no text. */
START_TEST(range_non_utf8_author)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf oracle = SBUF_INIT;
	struct err err = ERR_INIT;
	git_repository *repo;
	git_signature *sig;
	git_commit *head;
	git_tree *tree;
	git_oid id;
	const struct series_patch *p;

	t_git_commit(g, "base\n", (const char *[]){ "a", "1\n", NULL });
	t_git_free(g);
	git_libgit2_init();
	ck_assert(!git_repository_open(&repo, dir));
	ck_assert(!git_revparse_single((git_object **)&head, repo, "HEAD"));
	ck_assert(!git_commit_tree(&tree, head));
	ck_assert(!git_signature_new(&sig, "J\xf6rg M\xfcller",
				     "jm@example.com", 1700000000, 60));
	ck_assert(!git_commit_create_v(&id, repo, "HEAD", sig, sig,
				       "ISO-8859-1", "caf\xe9: fix\n", tree,
				       1, head));
	git_signature_free(sig);
	ck_assert(!git_signature_new(&sig, "Bad \xff\xfe Name",
				     "bad@example.com", 1700000100, -300));
	git_commit_free(head);
	ck_assert(!git_revparse_single((git_object **)&head, repo, "HEAD"));
	ck_assert(!git_commit_create_v(&id, repo, "HEAD", sig, sig, NULL,
				       "raw bytes\n", tree, 1, head));
	git_signature_free(sig);
	git_commit_free(head);
	git_tree_free(tree);
	git_repository_free(repo);
	git_libgit2_shutdown();

	ck_assert_msg(!series_patches_from_range(&ps, dir, "-2", &err), "%s",
		      err.msg);
	p = ps.items.items[0];
	ck_assert_str_eq(p->author_name, "J\xc3\xb6rg M\xc3\xbcller");
	ck_assert_str_eq(p->subject, "caf\xc3\xa9: fix");
	ck_assert_int_eq(p->author_tz, 60);
	git(dir, (const char *[]){ "log", "-1", "--format=%an|%s", "HEAD~1",
				  NULL }, &oracle);
	ck_assert_str_eq(oracle.buf, "J\xc3\xb6rg M\xc3\xbcller|caf\xc3\xa9: fix\n");
	p = ps.items.items[1];
	ck_assert_str_eq(p->author_name, "Bad \xef\xbf\xbd\xef\xbf\xbd Name");
	ck_assert_int_eq(p->author_tz, -300);
	series_patches_release(&ps);
	sbuf_release(&oracle);
	t_rmtree(dir);
}
END_TEST

/* git format-patch output read back gives what git log says. */
START_TEST(files_match_git_log)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	char *out = path_join(dir, "out");
	const char *fp[] = { "format-patch", "-q", "--cover-letter", "-o", out,
			     "main..topic", NULL };
	const char *ls[] = { "ls", out, NULL };
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf names = SBUF_INIT, model = SBUF_INIT, oracle = SBUF_INIT;
	struct vec paths = VEC_INIT;
	struct err err = ERR_INIT;
	const char *line;
	const struct series_patch *p;

	git(dir, fp, NULL);
	ck_assert(!t_run(ls, NULL, NULL, &names, NULL));
	for (line = names.buf; *line; scan_next_line(&line)) {
		char *name = strndup(line, str_line_len(line));

		vec_push(&paths, path_join(out, name));
		free(name);
	}
	ck_assert_uint_eq(paths.n, 6);
	ck_assert_msg(!series_patches_from_files(&ps,
			(const char *const *)paths.items, paths.n, &err),
		      "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, 4);
	ck_assert_ptr_nonnull(ps.cover);
	ck_assert(strstr(ps.cover_subject, "[PATCH 0/5]"));
	model_log(&ps, &model);
	git_log(dir, "main..topic", &oracle);
	drop_empty(&oracle);
	ck_assert_str_eq(model.buf, oracle.buf);
	p = ps.items.items[0];
	ck_assert_str_eq(p->mail_subject, "[PATCH 1/5] bpf: change the verifier");
	ck_assert_str_eq(p->body, "Why it matters.\n\n"
			 "Signed-off-by: A U Thor <author@example.com>");
	ck_assert_int_eq(p->author_time, 1700000000 + 120);
	ck_assert_ptr_null(p->commit);
	ck_assert(str_starts_with(p->diff, "diff --git a/kernel/bpf/"));
	ck_assert(!strstr(p->diff, "\n-- \n"));
	p = ps.items.items[2];
	ck_assert_int_eq(((struct series_file_change *)p->files.items[0])->binary,
			 1);
	p = ps.items.items[3];
	ck_assert_str_eq(p->mail_subject, "[PATCH 5/5] bpf: last one");
	series_patches_release(&ps);
	vec_release_str(&paths);
	sbuf_release(&names);
	sbuf_release(&model);
	sbuf_release(&oracle);
	free(out);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(files_mbox_and_bad_input)
{
	char *dir = t_tmpdir();
	char base[41];
	struct t_git *g = make_repo(dir, base);
	char *mbox = path_join(dir, "series.mbox");
	char *junk = path_join(dir, "junk.patch");
	char *missing = path_join(dir, "missing.patch");
	const char *fp[] = { "format-patch", "--stdout", "--cover-letter",
			     "-v2", "--subject-prefix=PATCH bpf-next",
			     "--from=Sender Person <sender@example.com>",
			     "main..topic", NULL };
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf text = SBUF_INIT, model = SBUF_INIT, oracle = SBUF_INIT;
	struct err err = ERR_INIT;

	git(dir, fp, &text);
	t_write_file(mbox, text.buf);
	ck_assert_msg(!series_patches_from_files(&ps,
			(const char *const[]){ mbox }, 1, &err), "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, 4);
	ck_assert_str_eq(ps.cover_subject,
			 "[PATCH bpf-next v2 0/5] *** SUBJECT HERE ***");
	ck_assert_str_eq(((struct series_patch *)ps.items.items[3])->mail_subject,
			 "[PATCH bpf-next v2 5/5] bpf: last one");
	model_log(&ps, &model);
	git_log(dir, "main..topic", &oracle);
	drop_empty(&oracle);
	ck_assert_str_eq(model.buf, oracle.buf);
	series_patches_release(&ps);
	/* the same mails twice are one series */
	ck_assert_msg(!series_patches_from_files(&ps,
			(const char *const[]){ mbox, mbox }, 2, &err), "%s",
		      err.msg);
	ck_assert_uint_eq(ps.items.n, 4);
	series_patches_release(&ps);

	t_write_file(junk, "this is no mail\nat all\n");
	ck_assert_int_eq(series_patches_from_files(&ps,
			(const char *const[]){ junk }, 1, &err), -ERR_PARSE);
	ck_assert_msg(strstr(err.msg, "junk.patch"), "%s", err.msg);
	ck_assert_int_lt(series_patches_from_files(&ps,
			(const char *const[]){ missing }, 1, &err), 0);
	ck_assert_msg(strstr(err.msg, "missing.patch"), "%s", err.msg);
	series_patches_release(&ps);
	sbuf_release(&text);
	sbuf_release(&model);
	sbuf_release(&oracle);
	free(mbox);
	free(junk);
	free(missing);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

static Suite *patch_suite(void)
{
	Suite *s = suite_create("series_patch");
	TCase *range = tcase_create("range");
	TCase *files = tcase_create("files");

	tcase_add_test(range, range_matches_git_log);
	tcase_add_test(range, range_fields_rename_binary_empty);
	tcase_add_test(range, range_diff_text_is_gits);
	tcase_add_test(range, range_forms_agree);
	tcase_add_test(range, range_errors_are_clear);
	tcase_add_test(range, range_with_merge_is_refused);
	tcase_add_test(range, range_non_utf8_author);
	suite_add_tcase(s, range);
	tcase_add_test(files, files_match_git_log);
	tcase_add_test(files, files_mbox_and_bad_input);
	suite_add_tcase(s, files);
	return s;
}

int main(void)
{
	return t_run_suite(patch_suite());
}
