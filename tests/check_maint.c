/*
 * MAINTAINERS in C (maint/) and vger cc.  The equality tests
 * compare with output recorded from the real scripts/get_maintainer.pl
 * by tests/maint/record.sh over the fixture patches, in a tree made by
 * tests/maint/mktree.sh; tests/maint/oracle.sh runs the script itself
 * when a kernel tree is there.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maint/maint.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* ---- helpers ---- */

/* A fixture tree (mktree.sh) with the given MAINTAINERS and mailmap. */
static char *make_tree(const char *maintainers, int mailmap)
{
	char *dir = t_tmpdir();
	char *script = t_fixture("../maint/mktree.sh");
	char *m = t_fixture(maintainers);
	char *mm = t_fixture("maint/mailmap");
	const char *argv[] = { "sh", script, dir, m, mailmap ? mm : NULL,
			       NULL };
	struct sbuf err = SBUF_INIT;

	ck_assert_msg(t_run(argv, NULL, NULL, NULL, &err) == 0,
		      "mktree.sh: %s", err.buf);
	sbuf_release(&err);
	free(script);
	free(m);
	free(mm);
	return dir;
}

/* A tree with only a MAINTAINERS of the given text. */
static char *small_tree(const char *text)
{
	char *dir = t_tmpdir();
	char *path = path_join(dir, "MAINTAINERS");

	t_write_file(path, text);
	free(path);
	return dir;
}

static struct maint_db *open_db(const char *root)
{
	struct maint_options o = { 0 };
	struct maint_db *db = NULL;
	struct err err = ERR_INIT;

	o.root = root;
	ck_assert_msg(maint_db_open(&db, &o, &err) == 0, "%s", err.msg);
	return db;
}

/* The addresses for one patch text, as lines "addr\n". */
static char *lookup_text(struct maint_db *db, const char *text,
			 struct maint_result *res)
{
	struct maint_input in = { "test.patch", text, strlen(text) };
	struct err err = ERR_INIT;
	struct sbuf out = SBUF_INIT;

	ck_assert_int_eq(maint_db_lookup(db, &in, 1, res, &err), 0);
	for (size_t i = 0; i < res->addrs.n; i++) {
		const struct maint_addr *a = res->addrs.items[i];

		sbuf_addf(&out, "%s\n", a->addr);
	}
	return sbuf_detach(&out);
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines of s, sorted, one per line: the set of addresses. */
static char *sorted_lines(const char *s)
{
	struct vec v = VEC_INIT;
	struct sbuf out = SBUF_INIT;

	while (*s) {
		size_t len = str_line_len(s);

		vec_push(&v, xstrndup(s, len));
		s += len;
		if (*s == '\n')
			s++;
	}
	vec_sort(&v, line_cmp);
	for (size_t i = 0; i < v.n; i++)
		sbuf_addf(&out, "%s\n", (char *)v.items[i]);
	vec_release(&v, free);
	return sbuf_detach(&out);
}

static const char *patch_for(const char *file, const char *extra)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf),
		 "From: A U Thor <a@example.org>\n"
		 "Subject: [PATCH] change %s\n\n%s---\n\n"
		 "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n"
		 "@@ -1,1 +1,2 @@\n context\n+added\n",
		 file, extra, file, file, file, file);
	return buf;
}

/* ---- the fixture patches against recorded get_maintainer.pl output ---- */

static struct vec fixture_patches = VEC_INIT;

static int list_patches(void)
{
	char *dir = t_fixture("maint/patches");
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		perror(dir);
		free(dir);
		return -1;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			vec_push_str(&fixture_patches, de->d_name);
	closedir(d);
	vec_sort(&fixture_patches, line_cmp);
	free(dir);
	return 0;
}

static void check_variant(const char *variant, const char *maintainers,
			  int mailmap, const char *only_prefix)
{
	char *tree = make_tree(maintainers, mailmap);
	struct maint_db *db = open_db(tree);
	size_t compared = 0, same_order = 0;

	for (size_t i = 0; i < fixture_patches.n; i++) {
		const char *name = fixture_patches.items[i];
		struct sbuf rel = SBUF_INIT;
		struct maint_result res = MAINT_RESULT_INIT;
		char *exp_path, *patch_path, *expected, *patch, *got;
		char *a, *b;

		if (only_prefix && !str_starts_with(name, only_prefix))
			continue;
		sbuf_addf(&rel, "maint/expected/%s/%s.out", variant, name);
		exp_path = t_fixture(rel.buf);
		sbuf_reset(&rel);
		sbuf_addf(&rel, "maint/patches/%s", name);
		patch_path = t_fixture(rel.buf);
		expected = t_read_file(exp_path);
		patch = t_read_file(patch_path);
		got = lookup_text(db, patch, &res);
		a = sorted_lines(expected);
		b = sorted_lines(got);
		ck_assert_msg(!strcmp(a, b),
			      "%s %s: get_maintainer.pl:\n%svger:\n%s",
			      variant, name, expected, got);
		same_order += !strcmp(expected, got);
		compared++;
		free(a);
		free(b);
		free(got);
		free(patch);
		free(expected);
		free(exp_path);
		free(patch_path);
		sbuf_release(&rel);
		maint_result_release(&res);
	}
	fprintf(stderr, "# %s: %zu patches, same addresses; %zu in the "
		"same order (ties in depth follow Perl's hash order)\n",
		variant, compared, same_order);
	ck_assert_uint_ge(compared, only_prefix ? 20 : 100);
	maint_db_free(db);
	t_rmtree(tree);
}

START_TEST(fixture_patches_full_maintainers_match_get_maintainer)
{
	check_variant("full", "MAINTAINERS.v7.1.3", 1, NULL);
}
END_TEST

START_TEST(fixture_patches_bpf_excerpt_match_get_maintainer)
{
	check_variant("bpf", "MAINTAINERS-bpf-excerpt.txt", 1, NULL);
}
END_TEST

START_TEST(fixture_patches_without_mailmap_match_get_maintainer)
{
	check_variant("nomailmap", "MAINTAINERS.v7.1.3", 0, "real-");
}
END_TEST

START_TEST(all_real_patches_at_once_match_get_maintainer)
{
	char *tree = make_tree("MAINTAINERS.v7.1.3", 1);
	struct maint_db *db = open_db(tree);
	struct maint_result res = MAINT_RESULT_INIT;
	struct vec texts = VEC_INIT;
	struct maint_input *in;
	struct sbuf got = SBUF_INIT;
	struct err err = ERR_INIT;
	char *path, *expected, *a, *b;
	size_t n = 0;

	in = xcalloc(fixture_patches.n, sizeof(*in));
	for (size_t i = 0; i < fixture_patches.n; i++) {
		struct sbuf rel = SBUF_INIT;
		char *p, *text;

		if (!str_starts_with(fixture_patches.items[i], "real-"))
			continue;
		sbuf_addf(&rel, "maint/patches/%s",
			  (char *)fixture_patches.items[i]);
		p = t_fixture(rel.buf);
		text = t_read_file(p);
		vec_push(&texts, text);
		in[n].name = fixture_patches.items[i];
		in[n].text = text;
		in[n].len = strlen(text);
		n++;
		free(p);
		sbuf_release(&rel);
	}
	ck_assert_int_eq(maint_db_lookup(db, in, n, &res, &err), 0);
	for (size_t i = 0; i < res.addrs.n; i++)
		sbuf_addf(&got, "%s\n",
			  ((struct maint_addr *)res.addrs.items[i])->addr);
	path = t_fixture("maint/expected/full/ALL-real.out");
	expected = t_read_file(path);
	a = sorted_lines(expected);
	b = sorted_lines(got.buf);
	ck_assert_str_eq(a, b);
	ck_assert_uint_gt(res.addrs.n, 40);
	free(a);
	free(b);
	free(path);
	free(expected);
	free(in);
	sbuf_release(&got);
	vec_release(&texts, free);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

/* ---- the parser ---- */

START_TEST(whole_file_parses_in_milliseconds)
{
	char *tree = make_tree("MAINTAINERS.v7.1.3", 1);
	struct timespec t0, t1;
	struct maint_db *db;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	db = open_db(tree);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "# MAINTAINERS.v7.1.3: %zu sections parsed in "
		"%.1f ms\n", maint_db_nsections(db), ms);
	ck_assert_uint_gt(maint_db_nsections(db), 2500);
	ck_assert_uint_eq(maint_db_warnings(db)->n, 0);
	/* generous: sanitizer builds are several times slower */
	ck_assert_msg(ms < 500, "parse took %.1f ms", ms);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(bad_lines_warn_with_file_and_line)
{
	char *tree = small_tree(
		"List of maintainers\n\n"
		"FOO DRIVER\n"
		"M:\tFoo Bar <foo@example.org>\n"
		"this line is no T: line\n"
		"F:\tdrivers/foo/\n"
		"K:\t(unclosed\n"
		"R:\tno address here\n"
		"\n");
	struct maint_db *db = open_db(tree);
	const struct vec *w = maint_db_warnings(db);
	struct sbuf all = SBUF_INIT;

	for (size_t i = 0; i < w->n; i++)
		sbuf_addf(&all, "%s\n", (char *)w->items[i]);
	ck_assert_msg(strstr(all.buf, "MAINTAINERS:5: not a 'T: value' line"),
		      "%s", all.buf);
	ck_assert_msg(strstr(all.buf, "MAINTAINERS:7: bad K: regex"), "%s",
		      all.buf);
	ck_assert_msg(strstr(all.buf, "MAINTAINERS:8: R: without an e-mail"),
		      "%s", all.buf);
	ck_assert_uint_eq(w->n, 3);
	sbuf_release(&all);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(missing_maintainers_is_notfound_naming_the_option)
{
	char *tree = t_tmpdir();
	struct maint_options o = { 0 };
	struct maint_db *db = NULL;
	struct err err = ERR_INIT;

	o.root = tree;
	ck_assert_int_eq(maint_db_open(&db, &o, &err), -ERR_NOTFOUND);
	ck_assert_ptr_null(db);
	ck_assert(strstr(err.msg, "MAINTAINERS"));
	ck_assert(strstr(err.msg, "--maintainers"));
	t_rmtree(tree);
}
END_TEST

/* ---- the matching rules ---- */

static const char rules[] =
	"List of maintainers\n\n"
	"SHALLOW\n"
	"M:\tShallow One <shallow@example.org>\n"
	"L:\tshallow-list@example.org (moderated for non-subscribers)\n"
	"S:\tMaintained\n"
	"F:\tdrivers/\n\n"
	"DEEP\n"
	"M:\tDeep One <deep@example.org>\n"
	"R:\tDeep Reviewer <review@example.org>\n"
	"L:\tsecret@example.org (subscribers-only)\n"
	"S:\tMaintained\n"
	"F:\tdrivers/foo/bar.c\n"
	"F:\tdrivers/foo/*.h\n"
	"X:\tdrivers/foo/skip.h\n\n"
	"DIRECTORY WITHOUT SLASH\n"
	"M:\tDir Person <dir@example.org>\n"
	"F:\tdrivers/dir\n\n"
	"NOT A DIRECTORY\n"
	"M:\tNodir Person <nodir@example.org>\n"
	"F:\tdrivers/nodir\n\n"
	"REGEX NAMES\n"
	"M:\tRegex Person <regex@example.org>\n"
	"N:\t\\bmxc[^\\d]\n\n"
	"KEYWORDS\n"
	"M:\tKeyword Person <kw@example.org>\n"
	"K:\t(?:\\b|_)bpf(?:\\b|_)\n\n"
	"SAME NAME ELSEWHERE\n"
	"M:\tDeep One <deep-other@example.org>\n"
	"F:\tdrivers/foo/\n\n"
	"THE REST\n"
	"M:\tLinus Torvalds <torvalds@linux-foundation.org>\n"
	"L:\tlinux-kernel@vger.kernel.org\n"
	"S:\tBuried alive in reporters\n"
	"F:\t*\n"
	"F:\t*/\n";

static struct maint_db *rules_db(char **tree)
{
	char *dir;

	*tree = small_tree(rules);
	dir = path_join(*tree, "drivers/dir");
	ck_assert_int_eq(fs_mkdir_p(dir, NULL), 0);
	free(dir);
	return open_db(*tree);
}

START_TEST(deeper_pattern_comes_first_and_rest_last)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got = lookup_text(db, patch_for("drivers/foo/bar.c", ""), &res);

	/* DEEP (depth 3), SAME NAME (2, merged into Deep One), SHALLOW (1) */
	ck_assert_str_eq(got,
			 "Deep One <deep@example.org>\n"
			 "Deep Reviewer <review@example.org>\n"
			 "Shallow One <shallow@example.org>\n"
			 "shallow-list@example.org\n"
			 "linux-kernel@vger.kernel.org\n");
	ck_assert_int_eq(((struct maint_addr *)res.addrs.items[0])->role,
			 MAINT_ROLE_MAINTAINER);
	ck_assert_int_eq(((struct maint_addr *)res.addrs.items[1])->role,
			 MAINT_ROLE_REVIEWER);
	ck_assert(((struct maint_addr *)res.addrs.items[3])->moderated);
	ck_assert_str_eq(((struct maint_addr *)res.addrs.items[0])->section,
			 "DEEP");
	ck_assert_str_eq(((struct maint_addr *)res.addrs.items[0])->why,
			 "F: drivers/foo/bar.c (drivers/foo/bar.c)");
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(file_pattern_is_a_prefix_with_the_same_depth)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got;

	/* get_maintainer.pl's m@^pattern@: bar.c also matches bar.cpp */
	got = lookup_text(db, patch_for("drivers/foo/bar.cpp", ""), &res);
	ck_assert(strstr(got, "deep@example.org"));
	free(got);
	maint_result_release(&res);
	/* but not one level deeper */
	got = lookup_text(db, patch_for("drivers/foo/bar.c/x", ""), &res);
	ck_assert_ptr_null(strstr(got, "review@example.org"));
	free(got);
	maint_result_release(&res);
	/* globs, and X: */
	got = lookup_text(db, patch_for("drivers/foo/a.h", ""), &res);
	ck_assert(strstr(got, "review@example.org"));
	free(got);
	maint_result_release(&res);
	got = lookup_text(db, patch_for("drivers/foo/skip.h", ""), &res);
	ck_assert_ptr_null(strstr(got, "review@example.org"));
	ck_assert(strstr(got, "deep-other@example.org"));
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(pattern_naming_a_directory_needs_it_in_the_tree)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got;

	got = lookup_text(db, patch_for("drivers/dir/x/y.c", ""), &res);
	ck_assert(strstr(got, "dir@example.org"));
	free(got);
	maint_result_release(&res);
	got = lookup_text(db, patch_for("drivers/nodir/y.c", ""), &res);
	ck_assert_ptr_null(strstr(got, "nodir@example.org"));
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(name_regex_and_keywords_as_perl_matches_them)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got;

	got = lookup_text(db, patch_for("arch/arm/mxc_x.c", ""), &res);
	ck_assert(strstr(got, "regex@example.org"));
	free(got);
	maint_result_release(&res);
	got = lookup_text(db, patch_for("arch/arm/mxc9.c", ""), &res);
	ck_assert_ptr_null(strstr(got, "regex@example.org"));
	free(got);
	maint_result_release(&res);
	/* a keyword in the commit message */
	got = lookup_text(db, patch_for("lib/a.c", "Use a bpf map.\n"), &res);
	ck_assert(strstr(got, "kw@example.org"));
	free(got);
	maint_result_release(&res);
	/* in the diff only +/- lines count, not context */
	got = lookup_text(db,
			  "diff --git a/lib/a.c b/lib/a.c\n--- a/lib/a.c\n"
			  "+++ b/lib/a.c\n@@ -1,1 +1,2 @@\n bpf context\n"
			  "+plain\n", &res);
	ck_assert_ptr_null(strstr(got, "kw@example.org"));
	free(got);
	maint_result_release(&res);
	got = lookup_text(db,
			  "diff --git a/lib/a.c b/lib/a.c\n--- a/lib/a.c\n"
			  "+++ b/lib/a.c\n@@ -1,1 +1,2 @@\n context\n"
			  "+call_bpf_prog();\n", &res);
	ck_assert(strstr(got, "kw@example.org"));
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(linus_is_left_out_and_the_rest_list_stays)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got = lookup_text(db, patch_for("README", ""), &res);

	ck_assert_str_eq(got, "linux-kernel@vger.kernel.org\n");
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(text_without_a_diff_is_a_warning)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got = lookup_text(db, "Just a mail.\n", &res);

	ck_assert_str_eq(got, "");
	ck_assert_uint_eq(res.warnings.n, 1);
	ck_assert(strstr(res.warnings.items[0], "not appear to be a patch"));
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(files_lookup_like_dash_f)
{
	char *tree;
	struct maint_db *db = rules_db(&tree);
	struct maint_result res = MAINT_RESULT_INIT;
	const char *files[] = { "drivers/foo/a.h" };
	struct err err = ERR_INIT;

	ck_assert_int_eq(maint_db_lookup_files(db, files, 1, &res, &err), 0);
	ck_assert_uint_eq(res.files.n, 1);
	ck_assert_str_eq(((struct maint_addr *)res.addrs.items[0])->addr,
			 "Deep One <deep@example.org>");
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

START_TEST(fixes_adds_the_signers_of_the_fixed_commit)
{
	char *tree;
	struct maint_db *db;
	struct maint_result res = MAINT_RESULT_INIT;
	struct t_git *g;
	char *ignore, *got, *extra;
	struct sbuf sb = SBUF_INIT;
	const char *id;

	tree = small_tree(rules);
	ignore = path_join(tree, ".get_maintainer.ignore");
	t_write_file(ignore, "Ignored One <ignored@example.org>\n");
	g = t_git_init(tree);
	t_git_set_author(g, "Fix Author", "fix@example.org", 1700000000);
	id = t_git_commit(g, "lib: the broken change\n\nWhy.\n\n"
			  "Reported-by: Reporter <rep@example.org>\n"
			  "Signed-off-by: Fix Author <fix@example.org>\n"
			  "Reviewed-by: Ignored One <ignored@example.org>\n"
			  "Acked-by: Linus Torvalds <torvalds@example.org>\n"
			  "  Acked-by: Deep One <deep-alt@example.org>\n"
			  "Signed-off-by: Other Signer <other@example.org>\n",
			  (const char *[]){ "lib/a.c", "int a;\n", NULL });
	sbuf_addf(&sb, "Fixes: %.12s (\"lib: the broken change\")\n", id);
	extra = sbuf_detach(&sb);
	db = open_db(tree);
	got = lookup_text(db, patch_for("lib/a.c", extra), &res);
	ck_assert_str_eq(got,
			 "Deep One <deep-alt@example.org>\n"
			 "Fix Author <fix@example.org>\n"
			 "Other Signer <other@example.org>\n"
			 "linux-kernel@vger.kernel.org\n");
	ck_assert_int_eq(((struct maint_addr *)res.addrs.items[0])->role,
			 MAINT_ROLE_FIXES);
	ck_assert(str_starts_with(
		((struct maint_addr *)res.addrs.items[0])->why, "Fixes: "));
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	/* --nofixes, and no .git: nothing from history */
	{
		struct maint_options o = { 0 };
		struct err err = ERR_INIT;

		o.root = tree;
		o.no_fixes = 1;
		ck_assert_int_eq(maint_db_open(&db, &o, &err), 0);
		got = lookup_text(db, patch_for("lib/a.c", extra), &res);
		ck_assert_str_eq(got, "linux-kernel@vger.kernel.org\n");
		free(got);
		maint_result_release(&res);
		maint_db_free(db);
	}
	free(extra);
	free(ignore);
	t_git_free(g);
	t_rmtree(tree);
}
END_TEST

/* ---- hostile MAINTAINERS: bounded work ---- */

/*
 * A hostile F:/X: glob: many '*', '?' and classes against a long file
 * name that almost matches.  Backtracking into every star took 46 s at
 * ten stars; each pattern may take (strlen(file) + strlen(pattern) + 2)
 * * (strlen(pattern) + 1) steps at most.
 */
START_TEST(globs_with_many_stars_take_bounded_steps)
{
	static const char *const globs[] = {
		"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",	/* no: no 'b' */
		"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c",	/* yes: ends in c */
		"*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*d",	/* no */
		"[ab]*[ab]*[ab]*[ab]*[ab]*[ab]*[ab]*[^a]*[^a]x", /* no */
		"**a**a**a**a**a**a**a**a**a**a**a**a**c", /* yes */
	};
	static const int matches[] = { 0, 1, 0, 0, 1 };
	struct sbuf m = SBUF_INIT, file = SBUF_INIT;
	unsigned long long bound = 0;
	struct maint_result res = MAINT_RESULT_INIT;
	struct maint_db *db;
	char *tree, *got;

	/* patch_for() holds 4 KB: the name is in it five times */
	for (int i = 0; i < 700; i++)
		sbuf_addch(&file, 'a');
	sbuf_addch(&file, 'c');
	sbuf_addstr(&m, "List of maintainers\n\n");
	for (size_t i = 0; i < sizeof(globs) / sizeof(*globs); i++) {
		size_t k = strlen(globs[i]);

		sbuf_addf(&m, "STARS %zu\nM:\tStar %zu <star%zu@example.org>\n"
			  "F:\t%s\n%s\n", i, i, i, globs[i],
			  i == 3 ? "X:\ta*a*a*a*a*a*a*a*a*a*a*a*a*a*b" : "");
		bound += (file.len + k + 2) * (k + 1);
	}
	bound += 2 * (file.len + 30 + 2) * (30 + 1);	/* X: line */
	sbuf_addstr(&m, "THE REST\nL:\tlkml@example.org\nF:\t*\nF:\t*/\n");
	bound += (file.len + 4) * 2 + (file.len + 5) * 3;
	tree = small_tree(m.buf);
	db = open_db(tree);
	got = lookup_text(db, patch_for(file.buf, ""), &res);
	for (size_t i = 0; i < sizeof(globs) / sizeof(*globs); i++) {
		char addr[64];

		snprintf(addr, sizeof(addr), "<star%zu@example.org>", i);
		ck_assert_msg(!strstr(got, addr) == !matches[i],
			      "%s: %s", globs[i], got);
	}
	ck_assert(strstr(got, "lkml@example.org"));
	ck_assert_uint_eq(res.files.n, 1);
	ck_assert_str_eq(res.files.items[0], file.buf);
	ck_assert_uint_gt(res.work.glob_steps, 0);
	ck_assert_msg(res.work.glob_steps <= bound, "%llu steps, bound %llu",
		      res.work.glob_steps, bound);
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	sbuf_release(&m);
	sbuf_release(&file);
	t_rmtree(tree);
}
END_TEST

/* All of res's warnings, one a line. */
static char *warnings_of(const struct maint_result *res)
{
	struct sbuf all = SBUF_INIT;

	for (size_t i = 0; i < res->warnings.n; i++)
		sbuf_addf(&all, "%s\n", (char *)res->warnings.items[i]);
	return sbuf_detach(&all);
}

/*
 * Regexes that backtrack catastrophically on the lines they meet:
 * nested quantifiers, alternations under a quantifier, in K:, N: and
 * a regex F:.  Each stops at PCRE2's match limit, is said naming its
 * line, and is taken as not matching; the harmless K: still matches,
 * and the whole lookup stays within its budget of match steps.
 */
static const char hostile[] =
	"List of maintainers\n\n"		/* 1, 2 */
	"NESTED\n"				/* 3 */
	"M:\tNested <nested@example.org>\n"
	"K:\t(a+)+$\n\n"			/* 5 */
	"ALTERNATION\n"				/* 7 */
	"M:\tAlt <alt@example.org>\n"
	"K:\t(a|aa)+[yz]\n\n"			/* 9 */
	"WORDS\n"				/* 11 */
	"M:\tWords <words@example.org>\n"
	"K:\t(\\w+\\s?)+[;=]\n\n"		/* 13 */
	"NAMES\n"				/* 15 */
	"M:\tNames <names@example.org>\n"
	"N:\t(x+x+)+[yz]\n\n"			/* 17 */
	"REGEX FILES\n"				/* 19 */
	"M:\tRefile <refile@example.org>\n"
	"F:\tlib/(a|a)+b\n\n"			/* 21 */
	"GOOD\n"
	"M:\tGood <good@example.org>\n"
	"K:\t\\bxdp\\b\n\n"
	"THE REST\n"
	"L:\tlkml@example.org\n"
	"F:\t*\n"
	"F:\t*/\n";

START_TEST(regexes_that_backtrack_are_stopped_and_said)
{
	static const char patch[] =
		"From: A U Thor <a@example.org>\n"
		"Subject: [PATCH] x\n\n"
		"---\n"
		"diff --git a/lib/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac "
		"b/lib/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac\n"
		"--- a/lib/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac\n"
		"+++ b/lib/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac\n"
		"@@ -1,1 +1,3 @@\n"
		"-old\n"
		"+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
		"+word word word word word word word word word word word!\n"
		"+an xdp line\n"
		"diff --git a/drivers/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.c "
		"b/drivers/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.c\n"
		"--- a/drivers/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.c\n"
		"+++ b/drivers/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.c\n"
		"@@ -1,1 +1,1 @@\n"
		"-a\n"
		"+b\n";
	static const char *const said[] = {
		"MAINTAINERS:5: K: '(a+)+$' takes more than",
		"MAINTAINERS:9: K: '(a|aa)+[yz]' takes more than",
		"MAINTAINERS:13: K: '(\\w+\\s?)+[;=]' takes more than",
		"MAINTAINERS:17: N: '(x+x+)+[yz]' takes more than 100000 "
		"match steps on drivers/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.c",
		"MAINTAINERS:21: F: 'lib/(a|a)+b' takes more than 100000 "
		"match steps on lib/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac",
	};
	char *tree = small_tree(hostile);
	struct maint_db *db = open_db(tree);
	struct maint_result res = MAINT_RESULT_INIT;
	char *got = lookup_text(db, patch, &res);
	char *w = warnings_of(&res);

	ck_assert_str_eq(got, "Good <good@example.org>\n"
			 "lkml@example.org\n");
	for (size_t i = 0; i < sizeof(said) / sizeof(*said); i++)
		ck_assert_msg(strstr(w, said[i]), "no '%s' in:\n%s", said[i],
			      w);
	ck_assert_uint_eq(res.warnings.n, 5);
	/* each stopped once, then left alone for the rest of the lookup */
	ck_assert_uint_ge(res.work.re_stopped, 5);
	ck_assert_uint_le(res.work.re_stopped, 7);
	ck_assert(!res.work.re_budget_spent);
	ck_assert_uint_gt(res.work.re_steps, 5 * (MAINT_RE_MATCH_LIMIT / 2));
	ck_assert_uint_le(res.work.re_steps, MAINT_RE_BUDGET);
	free(w);
	free(got);
	maint_result_release(&res);
	/* the next lookup starts afresh: the K: is tried again */
	got = lookup_text(db, patch_for("lib/b.c", "Use xdp.\n"), &res);
	ck_assert_str_eq(got, "Good <good@example.org>\n"
			 "lkml@example.org\n");
	ck_assert_uint_eq(res.warnings.n, 0);
	ck_assert_uint_eq(res.work.re_stopped, 0);
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	t_rmtree(tree);
}
END_TEST

/*
 * A regex that never reaches the match limit but is slow on every line
 * (an alternation under a star, quadratic in a line of letters) uses
 * up the lookup's budget once the keyword filter lets the line through
 * (here for the other K:, which matches at once): then it stops, says
 * so naming the line that was running, and the regexes after it are
 * taken as not matching.
 */
START_TEST(a_lookup_stops_at_its_budget_of_match_steps)
{
	struct sbuf patch = SBUF_INIT, letters = SBUF_INIT;
	struct maint_options o = { 0 };
	struct maint_result res = MAINT_RESULT_INIT;
	struct maint_db *db = NULL;
	struct err err = ERR_INIT;
	char *tree = small_tree("ZED\n"				/* 1 */
				"M:\tZed <zed@example.org>\n"
				"K:\tz\n\n"
				"SLOW\n"				/* 5 */
				"M:\tSlow <slow@example.org>\n"
				"K:\t(?:a|b|c|d|e|f|g|h|i|j)*[0-9]\n\n"
				"FILES\n"
				"M:\tFiles <files@example.org>\n"
				"F:\tlib/\n\n"
				"THE REST\n"
				"L:\tlkml@example.org\n"
				"F:\t*\n"
				"F:\t*/\n");
	char *got, *w;

	sbuf_addch(&letters, 'z');
	for (int i = 0; i < 300; i++)
		sbuf_addch(&letters, 'a' + i % 10);
	sbuf_addstr(&patch, "Subject: [PATCH] lib: a\n\n");
	for (int i = 0; i < 40; i++)
		sbuf_addf(&patch, "%s\n", letters.buf);
	sbuf_addstr(&patch, "---\ndiff --git a/lib/a.c b/lib/a.c\n"
		    "--- a/lib/a.c\n+++ b/lib/a.c\n@@ -1,1 +1,1 @@\n"
		    "-old\n+new\n");
	o.root = tree;
	o.re_budget = 200000;
	ck_assert_int_eq(maint_db_open(&db, &o, &err), 0);
	got = lookup_text(db, patch.buf, &res);
	w = warnings_of(&res);
	/* F: is no regex: its section stays; K: z matched in time */
	ck_assert_str_eq(got, "Files <files@example.org>\n"
			 "Zed <zed@example.org>\n"
			 "lkml@example.org\n");
	ck_assert(res.work.re_budget_spent);
	ck_assert_uint_eq(res.work.re_stopped, 0);
	ck_assert_uint_le(res.work.re_steps, 200000);
	ck_assert_uint_ge(res.work.re_steps, 199000);
	ck_assert_uint_eq(res.warnings.n, 1);
	ck_assert_msg(strstr(w, "MAINTAINERS:7: K: '(?:a|b|c|d|e|f|g|h|i|j)*"
			     "[0-9]': the regexes of this lookup took their "
			     "200000 match steps on test.patch"), "%s", w);
	free(w);
	free(got);
	maint_result_release(&res);
	/* a line with a digit in reach matches as the script says */
	got = lookup_text(db, patch_for("lib/b.c", "Bump v2.\n"), &res);
	ck_assert(strstr(got, "slow@example.org"));
	ck_assert(!res.work.re_budget_spent);
	free(got);
	maint_result_release(&res);
	maint_db_free(db);
	sbuf_release(&patch);
	sbuf_release(&letters);
	t_rmtree(tree);
}
END_TEST

/* ---- vger cc ---- */

START_TEST(cli_prints_to_cc_and_why)
{
	char *tree = make_tree("MAINTAINERS.v7.1.3", 1);
	char *patch = t_fixture("maint/patches/gen-001.patch");
	char *exp_path = t_fixture("maint/expected/full/gen-001.patch.out");
	char *expected = t_read_file(exp_path);
	struct sbuf all = SBUF_INIT, to = SBUF_INIT, cc = SBUF_INIT,
		    why = SBUF_INIT, both = SBUF_INIT;
	const char *a_all[] = { "cc", "--root", tree, patch, NULL };
	const char *a_to[] = { "cc", "--root", tree, "--to", patch, NULL };
	const char *a_cc[] = { "cc", "--root", tree, "--cc", patch, NULL };
	const char *a_why[] = { "cc", "--root", tree, "--why", patch, NULL };
	char *s1, *s2;

	ck_assert_int_eq(t_vger(a_all, NULL, &all, NULL), 0);
	s1 = sorted_lines(all.buf);
	s2 = sorted_lines(expected);
	ck_assert_str_eq(s1, s2);
	free(s1);
	free(s2);
	ck_assert_int_eq(t_vger(a_to, NULL, &to, NULL), 0);
	ck_assert_int_eq(t_vger(a_cc, NULL, &cc, NULL), 0);
	ck_assert(strstr(to.buf, "<andrii@kernel.org>"));
	ck_assert_ptr_null(strstr(to.buf, "bpf-list@vger.kernel.org"));
	ck_assert_ptr_null(strstr(to.buf, "<song@kernel.org>"));	/* R: */
	ck_assert(strstr(cc.buf, "bpf-list@vger.kernel.org"));
	ck_assert(strstr(cc.buf, "Song Liu <song@kernel.org>"));
	ck_assert_ptr_null(strstr(cc.buf, "<andrii@kernel.org>"));
	sbuf_addstr(&both, to.buf);
	sbuf_addstr(&both, cc.buf);
	s1 = sorted_lines(both.buf);
	s2 = sorted_lines(all.buf);
	ck_assert_str_eq(s1, s2);
	free(s1);
	free(s2);
	ck_assert_int_eq(t_vger(a_why, NULL, &why, NULL), 0);
	ck_assert_msg(strstr(why.buf, "Andrii Nakryiko <andrii@kernel.org>\n"
			     "\tmaintainer: BPF [GENERAL]"), "%s", why.buf);
	ck_assert(strstr(why.buf, "F: kernel/bpf/ (kernel/bpf/verifier.c)"));
	sbuf_release(&all);
	sbuf_release(&to);
	sbuf_release(&cc);
	sbuf_release(&why);
	sbuf_release(&both);
	free(patch);
	free(exp_path);
	free(expected);
	t_rmtree(tree);
}
END_TEST

START_TEST(cli_split_from_git_config)
{
	char *tree = make_tree("MAINTAINERS.v7.1.3", 1);
	char *patch = t_fixture("maint/patches/gen-001.patch");
	char *cfg = path_join(tree, "gitconfig");
	struct sbuf to = SBUF_INIT;
	const char *a_to[] = { "cc", "--root", tree, "--to", patch, NULL };

	t_write_file(cfg, "[vger]\n\tccSplit = people\n");
	/* t_run() appends to the environment: the first value wins */
	setenv("GIT_CONFIG_GLOBAL", cfg, 1);
	ck_assert_int_eq(t_vger(a_to, NULL, &to, NULL), 0);
	ck_assert(strstr(to.buf, "Song Liu <song@kernel.org>"));	/* R: */
	ck_assert_ptr_null(strstr(to.buf, "bpf-list@vger.kernel.org"));
	sbuf_release(&to);
	free(cfg);
	free(patch);
	t_rmtree(tree);
}
END_TEST

START_TEST(cli_without_maintainers_says_what_to_do)
{
	char *tree = t_tmpdir();
	char *patch = t_fixture("maint/patches/gen-001.patch");
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "cc", "--root", tree, patch, NULL };
	const char *bad[] = { "cc", "--to", "--cc", patch, NULL };
	const char *norange[] = { "cc", "--root", tree, "no-such-thing",
				  NULL };
	char *maint = path_join(tree, "MAINTAINERS");

	ck_assert_int_eq(t_vger(args, NULL, &out, &err), 1);
	ck_assert_str_eq(out.buf, "");
	ck_assert_msg(strstr(err.buf, "--maintainers FILE"), "%s", err.buf);
	sbuf_reset(&err);
	ck_assert_int_eq(t_vger(bad, NULL, &out, &err), 2);
	/* neither a file nor a range */
	t_write_file(maint, "THE REST\nL:\tl@example.org\nF:\t*/\n");
	sbuf_reset(&err);
	ck_assert_int_eq(t_vger(norange, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "'no-such-thing' is no patch file"),
		      "%s", err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
	free(maint);
	free(patch);
	t_rmtree(tree);
}
END_TEST

/* vger cc says which MAINTAINERS lines it stopped, and answers. */
START_TEST(cli_says_the_regexes_it_stopped)
{
	char *tree = small_tree(hostile);
	char *patch = path_join(tree, "0001-x.patch");
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, want = SBUF_INIT;
	const char *args[] = { "cc", "--root", tree, patch, NULL };

	t_write_file(patch, "From: A U Thor <a@example.org>\n"
		     "Subject: [PATCH] lib: x\n\n---\n"
		     "diff --git a/lib/x.c b/lib/x.c\n--- a/lib/x.c\n"
		     "+++ b/lib/x.c\n@@ -1,1 +1,2 @@\n-old\n"
		     "+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
		     "+an xdp line\n");
	ck_assert_int_eq(t_vger(args, NULL, &out, &err), 0);
	ck_assert_str_eq(out.buf, "Good <good@example.org>\n"
			 "lkml@example.org\n");
	sbuf_addf(&want, "/MAINTAINERS:5: K: '(a+)+$' takes more than 100000 "
		  "match steps on %s: taken as not matching\n", patch);
	ck_assert_msg(strstr(err.buf, want.buf), "%s", err.buf);
	ck_assert_msg(strstr(err.buf, "/MAINTAINERS:9: K: '(a|aa)+[yz]'"),
		      "%s", err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&want);
	free(patch);
	t_rmtree(tree);
}
END_TEST

/*
 * A MAINTAINERS file that is binary, empty or has no section gives the
 * script no address and no complaint; vger cc says what is wrong with
 * it, naming it, and fails rather than print an empty answer.
 */
START_TEST(cli_refuses_a_maintainers_file_with_no_section)
{
	static const unsigned char binary[] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 'M', ':', '\t', 'x',
		'\n', 0xff, 0xfe
	};
	static const struct {
		const char *text;
		const char *said;
	} cases[] = {
		{ "", "empty, not a MAINTAINERS file" },
		{ "\n\n# only a comment\n   \n", "empty, not a MAINTAINERS file" },
		{ "This is a README.\n\nIt has no sections at all.\n",
		  "no section (no \"X: value\" line), not a MAINTAINERS file" },
		{ NULL, "a binary file (a NUL byte at offset 7), not a "
			"MAINTAINERS file" },
	};
	char *tree = t_tmpdir();
	char *maint = path_join(tree, "MAINTAINERS");
	char *patch = t_fixture("maint/patches/gen-001.patch");
	const char *args[] = { "cc", "--root", tree, patch, NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct sbuf out = SBUF_INIT, err = SBUF_INIT, want = SBUF_INIT;
		struct maint_options o = { 0 };
		struct maint_db *db = NULL;
		struct err e = ERR_INIT;

		if (cases[i].text) {
			t_write_file(maint, cases[i].text);
		} else {
			FILE *f = fopen(maint, "wb");

			ck_assert_ptr_nonnull(f);
			ck_assert_uint_eq(fwrite(binary, 1, sizeof(binary), f),
					  sizeof(binary));
			ck_assert_int_eq(fclose(f), 0);
		}
		o.root = tree;
		ck_assert_int_eq(maint_db_open(&db, &o, &e), -ERR_PARSE);
		ck_assert_ptr_null(db);
		sbuf_addf(&want, "%s: %s", maint, cases[i].said);
		ck_assert_str_eq(e.msg, want.buf);
		ck_assert_int_eq(t_vger(args, NULL, &out, &err), 1);
		ck_assert_str_eq(out.buf, "");
		sbuf_reset(&want);
		sbuf_addf(&want, "vger cc: error: %s: %s\n", maint,
			  cases[i].said);
		ck_assert_str_eq(err.buf, want.buf);
		sbuf_release(&out);
		sbuf_release(&err);
		sbuf_release(&want);
	}
	free(maint);
	free(patch);
	t_rmtree(tree);
}
END_TEST

START_TEST(cli_range_equals_its_format_patch_files)
{
	char *tree = make_tree("MAINTAINERS.v7.1.3", 1);
	char *out_dir = path_join(tree, "out");
	struct t_git *g = t_git_init(tree);
	struct sbuf r1 = SBUF_INIT, r2 = SBUF_INIT, err = SBUF_INIT;
	const char *range[] = { "cc", "--root", tree, "HEAD~3..HEAD", NULL };
	const char *fp[] = { "git", "-C", tree, "format-patch", "-q", "-o",
			     out_dir, "HEAD~3..HEAD", NULL };
	struct vec args = VEC_INIT;
	char *s1, *s2;
	DIR *d;
	struct dirent *de;

	t_git_commit(g, "base\n", (const char *[]){
		"kernel/bpf/core.c", "int a;\n",
		"net/core/filter.c", "int b;\n",
		"tools/lib/bpf/libbpf.c", "int c;\n", NULL });
	t_git_commit(g, "bpf: change the core\n\nFor xdp.\n",
		     (const char *[]){ "kernel/bpf/core.c", "int a2;\n",
				       NULL });
	t_git_commit(g, "net: change the filter\n",
		     (const char *[]){ "net/core/filter.c", "int b2;\n",
				       NULL });
	t_git_commit(g, "libbpf: change libbpf\n",
		     (const char *[]){ "tools/lib/bpf/libbpf.c", "int c2;\n",
				       NULL });
	ck_assert_int_eq(t_vger(range, NULL, &r1, &err), 0);
	ck_assert_msg(strstr(r1.buf, "<andrii@kernel.org>"), "%s", err.buf);
	ck_assert_int_eq(t_run(fp, NULL, NULL, NULL, &err), 0);
	vec_push_str(&args, "cc");
	vec_push_str(&args, "--root");
	vec_push_str(&args, tree);
	d = opendir(out_dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			vec_push(&args, path_join(out_dir, de->d_name));
	closedir(d);
	ck_assert_uint_eq(args.n, 6);
	vec_push(&args, NULL);
	ck_assert_int_eq(t_vger((const char *const *)args.items, NULL, &r2,
				NULL), 0);
	s1 = sorted_lines(r1.buf);
	s2 = sorted_lines(r2.buf);
	ck_assert_str_eq(s1, s2);
	vec_release(&args, free);
	free(s1);
	free(s2);
	sbuf_release(&r1);
	sbuf_release(&r2);
	sbuf_release(&err);
	free(out_dir);
	t_git_free(g);
	t_rmtree(tree);
}
END_TEST

static Suite *maint_suite(void)
{
	Suite *s = suite_create("maint");
	TCase *tc = tcase_create("maint");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, whole_file_parses_in_milliseconds);
	tcase_add_test(tc, bad_lines_warn_with_file_and_line);
	tcase_add_test(tc, missing_maintainers_is_notfound_naming_the_option);
	tcase_add_test(tc, deeper_pattern_comes_first_and_rest_last);
	tcase_add_test(tc, file_pattern_is_a_prefix_with_the_same_depth);
	tcase_add_test(tc, pattern_naming_a_directory_needs_it_in_the_tree);
	tcase_add_test(tc, name_regex_and_keywords_as_perl_matches_them);
	tcase_add_test(tc, linus_is_left_out_and_the_rest_list_stays);
	tcase_add_test(tc, text_without_a_diff_is_a_warning);
	tcase_add_test(tc, files_lookup_like_dash_f);
	tcase_add_test(tc, fixes_adds_the_signers_of_the_fixed_commit);
	tcase_add_test(tc, globs_with_many_stars_take_bounded_steps);
	tcase_add_test(tc, regexes_that_backtrack_are_stopped_and_said);
	tcase_add_test(tc, a_lookup_stops_at_its_budget_of_match_steps);
	tcase_add_test(tc,
		       fixture_patches_full_maintainers_match_get_maintainer);
	tcase_add_test(tc, fixture_patches_bpf_excerpt_match_get_maintainer);
	tcase_add_test(tc,
		       fixture_patches_without_mailmap_match_get_maintainer);
	tcase_add_test(tc, all_real_patches_at_once_match_get_maintainer);
	tcase_add_test(tc, cli_prints_to_cc_and_why);
	tcase_add_test(tc, cli_split_from_git_config);
	tcase_add_test(tc, cli_without_maintainers_says_what_to_do);
	tcase_add_test(tc, cli_range_equals_its_format_patch_files);
	tcase_add_test(tc, cli_says_the_regexes_it_stopped);
	tcase_add_test(tc, cli_refuses_a_maintainers_file_with_no_section);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int ret;

	if (list_patches())
		return 1;
	ret = t_run_suite(maint_suite());
	vec_release_str(&fixture_patches);
	return ret;
}
