/*
 * vger check: every rule on a real repository (libgit2) with a series
 * that breaks it and one that passes; the command's text and JSON
 * output through the real binary; rules turned off in git config.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series/check.h"
#include "series/patch.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"

#define SOB "Signed-off-by: A U Thor <author@example.com>\n"
#define BUGGY "bpf: add the buggy helper"

/* A repository: main at a base commit, the series on topic. */
struct fx {
	char *dir;
	struct t_git *g;
	char base[41];
	char buggy[41];		/* the commit a Fixes: tag can name */
	size_t n;
	int nformat;		/* output directories written */
};

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *files[] = {
		"README", "a tree\n",
		"kernel/bpf/verifier.c", "int check(void)\n{\n\treturn 0;\n}\n",
		"kernel/bpf/core.c", "int core;\n",
		"include/uapi/linux/bpf.h", "enum bpf_cmd {\n\tBPF_A,\n};\n",
		"tools/include/uapi/linux/bpf.h",
		"enum bpf_cmd {\n\tBPF_A,\n};\n",
		"samples/bpf/Makefile", "all:\n",
		NULL,
	};

	f->dir = t_tmpdir();
	f->g = t_git_init(f->dir);
	t_git_commit(f->g, "init\n", files);
	snprintf(f->buggy, sizeof(f->buggy), "%s",
		 t_git_commit(f->g, BUGGY "\n\nIt is buggy.\n",
			      (const char *[]){ "kernel/bpf/helper.c",
						"int helper;\n", NULL }));
	snprintf(f->base, sizeof(f->base), "%s", f->buggy);
	t_git_branch(f->g, "main");
	t_git_branch(f->g, "topic");
	return f;
}

/* Commit on topic; file contents get the commit number appended. */
static void fx_commit(struct fx *f, const char *msg, const char *const files[])
{
	t_git_commit(f->g, msg, files);
	f->n++;
}

/* A plain good patch touching kernel/bpf/core.c. */
static void fx_good(struct fx *f, const char *subject)
{
	struct sbuf msg = SBUF_INIT, body = SBUF_INIT;

	sbuf_addf(&msg, "%s\n\nExplain why this matters.\n\n" SOB, subject);
	sbuf_addf(&body, "int core;\nint core%zu;\n", f->n);
	fx_commit(f, msg.buf, (const char *[]){ "kernel/bpf/core.c", body.buf,
						NULL });
	sbuf_release(&msg);
	sbuf_release(&body);
}

static void fx_free(struct fx *f)
{
	t_git_free(f->g);
	t_rmtree(f->dir);
	free(f);
}

/* Check main..topic with opt (repo_dir filled in). */
static void fx_check(struct fx *f, struct check_options *opt,
		     struct check_result *res)
{
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct err err = ERR_INIT;

	ck_assert_msg(!series_patches_from_range(&ps, f->dir, "main..topic",
						 &err), "%s", err.msg);
	ck_assert_uint_eq(ps.items.n, f->n);
	opt->repo_dir = f->dir;
	ck_assert_msg(!check_series(res, &ps, opt, &err), "%s", err.msg);
	series_patches_release(&ps);
}

/* Patch files written by git format-patch from main..topic. */
static void fx_format(struct fx *f, const char *const extra[],
		      struct vec *paths)
{
	char name[32];
	char *out;
	const char *argv[24] = { "git", "-C", f->dir, "format-patch", "-q",
				 "-o", NULL };
	struct sbuf names = SBUF_INIT, errout = SBUF_INIT;
	const char *line;
	size_t n = 7;

	snprintf(name, sizeof(name), "out%d", f->nformat++);
	out = path_join(f->dir, name);
	argv[6] = out;
	for (size_t i = 0; extra[i]; i++)
		argv[n++] = extra[i];
	argv[n++] = "main..topic";
	argv[n] = NULL;
	ck_assert_msg(!t_run(argv, NULL, NULL, NULL, &errout), "%s",
		      errout.buf);
	ck_assert(!t_run((const char *[]){ "ls", out, NULL }, NULL, NULL,
			 &names, NULL));
	for (line = names.buf; *line; scan_next_line(&line)) {
		char *file = strndup(line, str_line_len(line));

		vec_push(paths, path_join(out, file));
		free(file);
	}
	sbuf_release(&names);
	sbuf_release(&errout);
	free(out);
}

static void fx_check_files(struct fx *f, const char *const extra[],
			   struct check_options *opt, struct check_result *res)
{
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct vec paths = VEC_INIT;
	struct err err = ERR_INIT;

	fx_format(f, extra, &paths);
	ck_assert_msg(!series_patches_from_files(&ps,
			(const char *const *)paths.items, paths.n, &err),
		      "%s", err.msg);
	opt->repo_dir = f->dir;
	ck_assert_msg(!check_series(res, &ps, opt, &err), "%s", err.msg);
	series_patches_release(&ps);
	vec_release_str(&paths);
}

/* The findings of rule, as "sev index: message" lines. */
static char *findings_of(const struct check_result *r, enum check_rule rule)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < r->findings.n; i++) {
		const struct check_finding *f = r->findings.items[i];

		if (f->rule == rule)
			sbuf_addf(&sb, "%s %u: %s\n",
				  check_severity_name(f->severity), f->index,
				  f->message);
	}
	return sbuf_detach(&sb);
}

static void all_findings(const struct check_result *r, struct sbuf *sb)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct check_finding *f = r->findings.items[i];

		sbuf_addf(sb, "%s %s %u: %s\n",
			  check_severity_name(f->severity),
			  check_rule_id(f->rule), f->index, f->message);
	}
}

/* Assert exactly the given findings of rule (may be ""). */
#define ASSERT_RULE(res, rule, expect) do { \
	char *got_ = findings_of((res), (rule)); \
	ck_assert_str_eq(got_, (expect)); \
	free(got_); \
} while (0)

/* A series with no finding at all. */
#define ASSERT_CLEAN(res) do { \
	struct sbuf all_ = SBUF_INIT; \
	all_findings((res), &all_); \
	ck_assert_msg(!all_.len, "unexpected findings:\n%s", all_.buf); \
	sbuf_release(&all_); \
} while (0)

/* Check f; rule's findings must be exactly expect. */
static void expect_rule(struct fx *f, struct check_options *o,
			enum check_rule rule, const char *expect)
{
	struct check_result r = CHECK_RESULT_INIT;

	fx_check(f, o, &r);
	ASSERT_RULE(&r, rule, expect);
	check_result_release(&r);
}

/* Check f; there must be no finding at all. */
static void expect_clean(struct fx *f, struct check_options *o)
{
	struct check_result r = CHECK_RESULT_INIT;

	fx_check(f, o, &r);
	ASSERT_CLEAN(&r);
	check_result_release(&r);
}

static struct check_options opts(const char *tree)
{
	struct check_options o;

	memset(&o, 0, sizeof(o));
	o.tree = tree;
	o.now = 1700000000 + 86400 * 10;
	return o;
}

/* ---- rule by rule ---- */

START_TEST(rule_fixes_tag)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf");
	struct check_result r1 = CHECK_RESULT_INIT;
	struct sbuf msg = SBUF_INIT;

	fx_good(bad, "bpf: fix the helper");
	fx_check(bad, &o, &r1);
	ASSERT_RULE(&r1, CHECK_FIXES_TAG,
		    "error 1: a patch for bpf (fixes) without a Fixes: tag\n");
	ck_assert_uint_eq(r1.errors, 1);
	ck_assert_str_eq(r1.tree, "bpf");

	sbuf_addf(&msg, "bpf: fix the helper\n\nIt overflowed.\n\n"
		  "Fixes: %.12s (\"" BUGGY "\")\n" SOB, good->buggy);
	fx_commit(good, msg.buf, (const char *[]){ "kernel/bpf/helper.c",
						   "int helper = 1;\n", NULL });
	/* a selftest for the fix needs no Fixes: of its own */
	fx_commit(good, "selftests/bpf: test the helper fix\n\nA test.\n\n" SOB,
		  (const char *[]){ "tools/testing/selftests/bpf/prog_tests/helper.c",
				    "int t;\n", NULL });
	o.cover = "bpf: fix the helper\n\nA fix and its test.\n";
	expect_clean(good, &o);
	/* the same commits are fine for bpf-next */
	check_result_release(&r1);
	o = opts("bpf-next");
	expect_rule(bad, &o, CHECK_FIXES_TAG, "");
	sbuf_release(&msg);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_fixes_format)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf");
	struct check_result r1 = CHECK_RESULT_INIT;
	struct sbuf msg = SBUF_INIT, expect = SBUF_INIT;

	sbuf_addf(&msg, "bpf: short\n\nWhy.\n\nFixes: %.8s (\"" BUGGY "\")\n"
		  SOB, bad->buggy);
	fx_commit(bad, msg.buf, (const char *[]){ "a", "1\n", NULL });
	sbuf_reset(&msg);
	sbuf_addf(&msg, "bpf: wrapped\n\nWhy.\n\nFixes: %.12s (\"bpf: add\n"
		  "the buggy helper\")\n" SOB, bad->buggy);
	fx_commit(bad, msg.buf, (const char *[]){ "b", "1\n", NULL });
	fx_commit(bad, "bpf: unknown\n\nWhy.\n\n"
		  "Fixes: 0123456789ab (\"bpf: no such commit\")\n" SOB,
		  (const char *[]){ "c", "1\n", NULL });
	sbuf_reset(&msg);
	sbuf_addf(&msg, "bpf: other subject\n\nWhy.\n\n"
		  "Fixes: %.12s (\"bpf: add a helper\")\n" SOB, bad->buggy);
	fx_commit(bad, msg.buf, (const char *[]){ "d", "1\n", NULL });
	sbuf_reset(&msg);
	sbuf_addf(&msg, "bpf: lowercase key\n\nWhy.\n\n"
		  "fixes: %.12s (\"" BUGGY "\")\n" SOB, bad->buggy);
	fx_commit(bad, msg.buf, (const char *[]){ "e", "1\n", NULL });
	o.cover = "bpf: fixes\n\nFive fixes.\n";
	fx_check(bad, &o, &r1);
	sbuf_addf(&expect,
		  "error 1: a Fixes: tag needs at least 12 lowercase hex digits of the commit\n"
		  "error 2: a Fixes: tag has the commit's subject as (\"...\") on the same line\n"
		  "error 3: Fixes: 0123456789ab names no commit in this repository\n"
		  "error 4: Fixes: %.12s says (\"bpf: add a helper\") but that commit is (\"" BUGGY "\")\n"
		  "error 5: 'fixes: %.12s (\"" BUGGY "\")' is not written 'Fixes: '\n",
		  bad->buggy, bad->buggy);
	ASSERT_RULE(&r1, CHECK_FIXES_FORMAT, expect.buf);
	/* without a repository only the form is checked */
	check_result_release(&r1);
	{
		struct series_patches ps = SERIES_PATCHES_INIT;
		struct err err = ERR_INIT;

		ck_assert(!series_patches_from_range(&ps, bad->dir,
						     "main..topic", &err));
		o.repo_dir = NULL;
		ck_assert(!check_series(&r1, &ps, &o, &err));
		series_patches_release(&ps);
		ck_assert_uint_eq(r1.errors, 3);
	}

	sbuf_reset(&msg);
	sbuf_addf(&msg, "bpf: fix it\n\nWhy.\n\nFixes: %s (\"" BUGGY "\")\n"
		  SOB, good->buggy);
	fx_commit(good, msg.buf, (const char *[]){ "a", "1\n", NULL });
	expect_clean(good, &o);
	check_result_release(&r1);
	sbuf_release(&msg);
	sbuf_release(&expect);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_empty_message)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf-next");

	fx_commit(bad, "bpf: only trailers\n\n" SOB,
		  (const char *[]){ "a", "1\n", NULL });
	expect_rule(bad, &o, CHECK_EMPTY_MESSAGE,
		    "error 1: the commit message has no body beyond the subject and trailers\n");
	fx_good(good, "bpf: with a body");
	expect_clean(good, &o);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_cover_letter)
{
	struct fx *f = fx_new();
	struct check_options o = opts("bpf-next");
	struct check_result r = CHECK_RESULT_INIT;

	fx_good(f, "bpf: one");
	fx_good(f, "bpf: two");
	/* a commit range: the branch's cover letter */
	expect_rule(f, &o, CHECK_COVER_LETTER,
		    "warning 0: 2 patches and the branch has no cover letter yet\n");
	o.cover = "bpf: two things\n\nThey go together.\n";
	expect_clean(f, &o);
	/* patch files: none, git's template, a real one */
	o = opts(NULL);
	fx_check_files(f, (const char *[]){ "--subject-prefix=PATCH bpf-next",
					    NULL }, &o, &r);
	ASSERT_RULE(&r, CHECK_COVER_LETTER,
		    "error 0: 2 patches and no cover letter\n");
	check_result_release(&r);
	fx_check_files(f, (const char *[]){ "--subject-prefix=PATCH bpf-next",
					    "--cover-letter", NULL }, &o, &r);
	ASSERT_RULE(&r, CHECK_COVER_LETTER,
		    "error 0: the cover letter is still git's template (*** SUBJECT HERE ***)\n");
	check_result_release(&r);
	/* one patch needs none */
	fx_free(f);
	f = fx_new();
	fx_good(f, "bpf: alone");
	fx_check_files(f, (const char *[]){ "--subject-prefix=PATCH bpf-next",
					    NULL }, &o, &r);
	ASSERT_CLEAN(&r);
	ck_assert_str_eq(r.tree, "bpf-next");
	check_result_release(&r);
	fx_free(f);
}
END_TEST

START_TEST(rule_no_stable_cc)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf-next");

	fx_commit(bad, "bpf: backport me\n\nWhy.\n\n"
		  "Cc: stable@vger.kernel.org # 6.1\n" SOB,
		  (const char *[]){ "a", "1\n", NULL });
	expect_rule(bad, &o, CHECK_NO_STABLE_CC,
		    "error 1: Cc: stable@vger.kernel.org in a patch for bpf\n");
	/* asking under --- is what the FAQ wants */
	fx_commit(good, "bpf: backport me\n\nWhy.\n\n"
		  "Cc: Jane Doe <jane@example.org>\n" SOB
		  "---\nMaintainers: please consider this for stable@vger.kernel.org\n",
		  (const char *[]){ "a", "1\n", NULL });
	expect_clean(good, &o);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_verifier_selftests)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf-next");
	const char *verifier[] = { "kernel/bpf/verifier.c",
				   "int check(void)\n{\n\treturn 1;\n}\n", NULL };

	o.cover = "bpf: verifier\n\nA change.\n";
	fx_good(bad, "bpf: prepare");
	fx_commit(bad, "bpf: teach the verifier\n\nWhy.\n\n" SOB, verifier);
	expect_rule(bad, &o, CHECK_VERIFIER_SELFTESTS,
		    "error 2: changes kernel/bpf/verifier.c and no patch of the series adds selftests\n");
	fx_commit(good, "bpf: teach the verifier\n\nWhy.\n\n" SOB, verifier);
	fx_commit(good, "selftests/bpf: test it\n\nA test.\n\n" SOB,
		  (const char *[]){ "tools/testing/selftests/bpf/progs/verifier_x.c",
				    "int x;\n", NULL });
	expect_clean(good, &o);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_uapi_tools_sync)
{
	struct fx *bad = fx_new(), *differ = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf-next");
	const char *uapi = "enum bpf_cmd {\n\tBPF_A,\n\tBPF_B,\n};\n";
	const char *other = "enum bpf_cmd {\n\tBPF_A,\n\tBPF_C,\n};\n";

	o.cover = "bpf: uapi\n\nA command.\n";
	fx_commit(bad, "bpf: add BPF_B\n\nWhy.\n\n" SOB,
		  (const char *[]){ "include/uapi/linux/bpf.h", uapi, NULL });
	expect_rule(bad, &o, CHECK_UAPI_TOOLS_SYNC,
		    "error 1: changes include/uapi/linux/bpf.h but no patch changes tools/include/uapi/linux/bpf.h\n");

	fx_commit(differ, "bpf: add BPF_B\n\nWhy.\n\n" SOB,
		  (const char *[]){ "include/uapi/linux/bpf.h", uapi, NULL });
	fx_commit(differ, "tools: sync bpf.h\n\nSync.\n\n" SOB,
		  (const char *[]){ "tools/include/uapi/linux/bpf.h", other,
				    NULL });
	expect_rule(differ, &o, CHECK_UAPI_TOOLS_SYNC,
		    "warning 2: the change to tools/include/uapi/linux/bpf.h is not the one made to include/uapi/linux/bpf.h\n");

	/* the same change in a separate patch is fine */
	fx_commit(good, "bpf: add BPF_B\n\nWhy.\n\n" SOB,
		  (const char *[]){ "include/uapi/linux/bpf.h", uapi, NULL });
	fx_commit(good, "tools: sync bpf.h\n\nSync.\n\n" SOB,
		  (const char *[]){ "tools/include/uapi/linux/bpf.h", uapi,
				    NULL });
	expect_clean(good, &o);
	fx_free(bad);
	fx_free(differ);
	fx_free(good);
}
END_TEST

START_TEST(rule_samples_test)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf-next");
	struct check_result r1 = CHECK_RESULT_INIT;

	fx_commit(bad, "samples/bpf: add a test\n\nWhy.\n\n" SOB,
		  (const char *[]){ "samples/bpf/test_map_user.c", "int t;\n",
				    NULL });
	fx_check(bad, &o, &r1);
	ASSERT_RULE(&r1, CHECK_SAMPLES_TEST,
		    "warning 1: adds samples/bpf/test_map_user.c, which looks like a test\n");
	ck_assert_uint_eq(r1.errors, 0);
	ck_assert_uint_eq(r1.warnings, 1);
	fx_commit(good, "samples/bpf: add an example\n\nWhy.\n\n" SOB,
		  (const char *[]){ "samples/bpf/xdp_example_user.c",
				    "int t;\n", NULL });
	expect_clean(good, &o);
	check_result_release(&r1);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_signed_off_by)
{
	struct fx *bad = fx_new(), *good = fx_new();
	struct check_options o = opts("bpf-next");

	o.cover = "bpf: two\n\nTwo.\n";
	fx_commit(bad, "bpf: unsigned\n\nWhy.\n",
		  (const char *[]){ "a", "1\n", NULL });
	fx_commit(bad, "bpf: signed by another\n\nWhy.\n\n"
		  "Signed-off-by: Some One <one@example.org>\n",
		  (const char *[]){ "b", "1\n", NULL });
	fx_commit(bad, "bpf: signed from work\n\nWhy.\n\n"
		  "Signed-off-by: A U Thor <a.u.thor@work.example>\n",
		  (const char *[]){ "c", "1\n", NULL });
	expect_rule(bad, &o, CHECK_SIGNED_OFF_BY,
		    "error 1: no Signed-off-by: line\n"
		    "error 2: no Signed-off-by: from the author <author@example.com>\n"
		    "warning 3: the author A U Thor signs off with another address than <author@example.com>\n");
	fx_commit(good, "bpf: signed\n\nWhy.\n\n"
		  "Signed-off-by: Some One <one@example.org>\n"
		  "Signed-off-by: A U Thor <AUTHOR@example.com>\n",
		  (const char *[]){ "a", "1\n", NULL });
	expect_clean(good, &o);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rule_whole_series)
{
	struct fx *f = fx_new();
	struct check_options o = opts("bpf-next");

	fx_good(f, "bpf: one");
	fx_good(f, "bpf: two");
	o.version = 3;
	o.prev_count = 4;
	o.cover = "bpf: things\n\nChanges in v3:\n- reworded\n";
	expect_rule(f, &o, CHECK_WHOLE_SERIES,
		    "warning 0: v3 has 2 patches, v2 had 4, and the cover letter does not say why\n");
	o.cover = "bpf: things\n\nChanges in v3:\n- dropped patches 3 and 4, applied to bpf\n";
	expect_clean(f, &o);
	/* the same count is a whole series */
	o.cover = "bpf: things\n\nChanges in v3:\n- reworded\n";
	o.prev_count = 2;
	expect_clean(f, &o);
	fx_free(f);
}
END_TEST

START_TEST(rule_series_size)
{
	struct fx *f = fx_new();
	struct check_options o = opts("bpf-next");
	char subject[32];

	o.cover = "bpf: many\n\nMany.\n";
	for (int i = 1; i <= CHECK_SERIES_MAX; i++) {
		snprintf(subject, sizeof(subject), "bpf: step %d", i);
		fx_good(f, subject);
	}
	expect_clean(f, &o);
	fx_good(f, "bpf: one too many");
	expect_rule(f, &o, CHECK_SERIES_SIZE,
		    "warning 0: 16 patches; netdev and bpf take at most 15 in one series\n");
	fx_free(f);
}
END_TEST

START_TEST(rule_repost_24h)
{
	struct fx *f = fx_new();
	struct check_options o = opts("bpf-next");
	struct check_result r = CHECK_RESULT_INIT;
	const struct check_finding *found;

	fx_good(f, "bpf: again");
	o.version = 2;
	o.now = 1700000000;
	o.prev_posted = o.now - 5 * 3600 - 7 * 60;
	fx_check(f, &o, &r);
	ASSERT_RULE(&r, CHECK_REPOST_24H,
		    "warning 0: the previous version was posted 5 h 07 min ago; reviewers get 24 hours\n");
	found = r.findings.items[0];
	ck_assert_str_eq(found->fix, "wait until 2023-11-15 17:06 UTC");
	check_result_release(&r);
	o.prev_posted = o.now - 25 * 3600;
	expect_clean(f, &o);
	fx_free(f);
}
END_TEST

START_TEST(rule_tree_closed)
{
	struct fx *f = fx_new();
	struct check_options o = opts("bpf-next");
	struct check_result r = CHECK_RESULT_INIT;

	fx_good(f, "bpf: feature");
	o.tree_closed = 1;
	o.tree_closed_msg = "bpf-next is closed for the merge window until v6.8-rc1";
	fx_check(f, &o, &r);
	ASSERT_RULE(&r, CHECK_TREE_CLOSED,
		    "warning 0: bpf-next is closed for the merge window until v6.8-rc1\n");
	ck_assert_uint_eq(r.errors, 0);
	check_result_release(&r);
	o.tree_closed = 0;
	expect_clean(f, &o);
	fx_free(f);
}
END_TEST

START_TEST(rule_subject_prefix)
{
	struct fx *f = fx_new();
	struct check_options o = opts(NULL);
	struct check_result r = CHECK_RESULT_INIT;
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct vec paths = VEC_INIT, v1 = VEC_INIT;
	struct err err = ERR_INIT;

	fx_good(f, "bpf: one");
	fx_good(f, "bpf: two");
	fx_commit(f, "bpf: three\n\nThird.\n\n" SOB,
		  (const char *[]){ "kernel/bpf/other.c", "int o;\n", NULL });
	/* git's default prefix names no tree */
	fx_check_files(f, (const char *[]){ "--cover-letter", NULL }, &o, &r);
	ck_assert_uint_eq(r.errors, 5);	/* 4 prefixes and the template */
	ASSERT_RULE(&r, CHECK_SUBJECT_PREFIX,
		    "error 0: the subject prefix names no target tree\n"
		    "error 1: the subject prefix names no target tree\n"
		    "error 2: the subject prefix names no target tree\n"
		    "error 3: the subject prefix names no target tree\n");
	check_result_release(&r);
	/* right tree and version */
	o.version = 2;
	o.tree = "bpf-next";
	o.cover = NULL;
	fx_check_files(f, (const char *[]){ "-v2", "--subject-prefix=PATCH bpf-next",
					    NULL }, &o, &r);
	ASSERT_RULE(&r, CHECK_SUBJECT_PREFIX, "");
	check_result_release(&r);
	/* wrong version, wrong tree */
	o.version = 3;
	o.tree = "bpf";
	fx_check_files(f, (const char *[]){ "-v2", "--subject-prefix=PATCH bpf-next",
					    NULL }, &o, &r);
	ASSERT_RULE(&r, CHECK_SUBJECT_PREFIX,
		    "error 1: the subject prefix names tree 'bpf-next', the target is 'bpf'\n"
		    "error 1: the subject prefix says v2, this is v3\n"
		    "error 2: the subject prefix names tree 'bpf-next', the target is 'bpf'\n"
		    "error 2: the subject prefix says v2, this is v3\n"
		    "error 3: the subject prefix names tree 'bpf-next', the target is 'bpf'\n"
		    "error 3: the subject prefix says v2, this is v3\n");
	check_result_release(&r);
	/* a patch missing, and one from another version mixed in */
	o = opts(NULL);
	fx_format(f, (const char *[]){ "-v2", "--subject-prefix=PATCH bpf-next",
				       NULL }, &paths);
	fx_format(f, (const char *[]){ "--subject-prefix=PATCH bpf-next",
				       NULL }, &v1);
	ck_assert_uint_eq(paths.n, 3);
	{
		const char *files[] = { paths.items[0], v1.items[1] };

		ck_assert(!series_patches_from_files(&ps, files, 2, &err));
	}
	o.cover = NULL;
	ck_assert(!check_series(&r, &ps, &o, &err));
	ASSERT_RULE(&r, CHECK_SUBJECT_PREFIX,
		    "error 0: the patches are numbered n/3 but there are 2; missing: 3/3\n"
		    "error 2: the prefix differs from the first patch's (tree 'bpf-next' v1 vs 'bpf-next' v2)\n");
	/* no cover letter for two patches is its own rule */
	ASSERT_RULE(&r, CHECK_COVER_LETTER,
		    "error 0: 2 patches and no cover letter\n");
	check_result_release(&r);
	series_patches_release(&ps);
	vec_release_str(&paths);
	vec_release_str(&v1);
	/* a commit range: only the tree given is checked */
	o = opts("bpf-nxt");
	o.cover = "bpf: three\n\nThree.\n";
	expect_rule(f, &o, CHECK_SUBJECT_PREFIX,
		    "warning 0: the target tree 'bpf-nxt' is not one bpf@vger knows\n");
	fx_free(f);
}
END_TEST

/* The real checkpatch.pl from a kernel tree, when there is one. */
static char *kernel_checkpatch(void)
{
	const char *dirs[] = { getenv("VGER_KERNEL_TREE"),
			       "/work/kernel/linux-source-6.1",
			       "/usr/src/linux-source-6.1", NULL };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *p;

		if (!dirs[i])
			continue;
		p = path_join(dirs[i], "scripts/checkpatch.pl");
		if (fs_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

START_TEST(rule_checkpatch)
{
	char *script = kernel_checkpatch();
	struct fx *bad, *good;
	struct check_options o = opts("bpf-next");
	struct check_result r = CHECK_RESULT_INIT;
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct err err = ERR_INIT;

	if (!script) {
		fprintf(stderr, "SKIP: checkpatch: no kernel tree with scripts/checkpatch.pl\n");
		return;
	}
	bad = fx_new();
	good = fx_new();
	o.checkpatch = script;
	o.cover = "bpf: two\n\nTwo changes.\n";
	fx_good(bad, "bpf: tidy first");
	fx_commit(bad, "bpf: sloppy\n\nThis adds a variable in a sloppy way.\n\n" SOB,
		  (const char *[]){ "kernel/bpf/core.c", "int core;\nint  x ;\t\n",
				    NULL });
	expect_rule(bad, &o, CHECK_CHECKPATCH,
		    "error 2: checkpatch ERROR:TRAILING_WHITESPACE: trailing whitespace at kernel/bpf/core.c:2\n"
		    "warning 2: checkpatch WARNING:SPACING: space prohibited before semicolon at kernel/bpf/core.c:2\n");
	/* outside a kernel tree checkpatch runs with --no-tree */
	{
		char *copy = path_join(bad->dir, "checkpatch.pl");
		const char *cp[] = { "cp", script, copy, NULL };

		ck_assert(!t_run(cp, NULL, NULL, NULL, NULL));
		o.checkpatch = copy;
		expect_rule(bad, &o, CHECK_CHECKPATCH,
			    "error 2: checkpatch ERROR:TRAILING_WHITESPACE: trailing whitespace at kernel/bpf/core.c:2\n"
			    "warning 2: checkpatch WARNING:SPACING: space prohibited before semicolon at kernel/bpf/core.c:2\n");
		o.checkpatch = script;
		free(copy);
	}
	fx_commit(good, "bpf: tidy\n\nThis adds a variable the way checkpatch likes it.\n\n" SOB,
		  (const char *[]){ "kernel/bpf/core.c", "int core;\nint x;\n",
				    NULL });
	expect_clean(good, &o);
	/* a script that is not there is an error, not a silent pass */
	o.checkpatch = "/nonexistent/scripts/checkpatch.pl";
	ck_assert(!series_patches_from_range(&ps, good->dir, "-1", &err));
	ck_assert_int_eq(check_series(&r, &ps, &o, &err), -ERR_NOTFOUND);
	ck_assert(strstr(err.msg, "/nonexistent/scripts/checkpatch.pl"));
	check_result_release(&r);
	series_patches_release(&ps);
	free(script);
	fx_free(bad);
	fx_free(good);
}
END_TEST

START_TEST(rules_disabled_and_ids)
{
	struct fx *f = fx_new();
	struct check_options o = opts("bpf");
	struct check_result r = CHECK_RESULT_INIT;

	fx_commit(f, "bpf: everything wrong\n\nCc: stable@vger.kernel.org\n",
		  (const char *[]){ "a", "1\n", NULL });
	fx_check(f, &o, &r);
	ck_assert_uint_eq(r.errors, 4);	/* fixes, empty, stable, sob */
	check_result_release(&r);
	o.disabled = 1u << CHECK_FIXES_TAG | 1u << CHECK_EMPTY_MESSAGE |
		     1u << CHECK_NO_STABLE_CC | 1u << CHECK_SIGNED_OFF_BY;
	expect_clean(f, &o);
	for (int i = 0; i < CHECK_RULE_MAX; i++)
		ck_assert_int_eq(check_rule_from_id(check_rule_id(i)), i);
	ck_assert_int_eq(check_rule_from_id("no-such-rule"), -1);
	ck_assert_str_eq(check_rule_id(CHECK_REPOST_24H), "repost-24h");
	fx_free(f);
}
END_TEST

START_TEST(guess_tree_from_fixes)
{
	struct fx *f = fx_new();
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct sbuf msg = SBUF_INIT;
	struct err err = ERR_INIT;

	sbuf_addf(&msg, "bpf: fix\n\nWhy.\n\nFixes: %.12s (\"" BUGGY "\")\n"
		  SOB, f->buggy);
	fx_commit(f, msg.buf, (const char *[]){ "a", "1\n", NULL });
	ck_assert(!series_patches_from_range(&ps, f->dir, "-1", &err));
	ck_assert_str_eq(check_guess_tree(&ps), "bpf");
	series_patches_release(&ps);
	fx_good(f, "bpf: feature");
	ck_assert(!series_patches_from_range(&ps, f->dir, "-2", &err));
	ck_assert_str_eq(check_guess_tree(&ps), "bpf-next");
	series_patches_release(&ps);
	sbuf_release(&msg);
	fx_free(f);
}
END_TEST

/* ---- the command ---- */

static int vger_in(const char *dir, const char *const args[],
		   struct sbuf *out, struct sbuf *errout)
{
	const char *argv[16] = { "-C", dir };
	size_t n = 2;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return t_vger(argv, NULL, out, errout);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return v ? json_object_get_string(v) : NULL;
}

static int64_t jint(json_object *o, const char *key)
{
	json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	ck_assert(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static int vger_env(const char *dir, const char *const env[],
		    const char *const args[], struct sbuf *out,
		    struct sbuf *errout)
{
	const char *argv[16] = { "-C", dir };
	size_t n = 2;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return t_vger(argv, env, out, errout);
}

START_TEST(cli_tree_closed_from_the_calendar)
{
	struct fx *f = fx_new();
	struct sbuf out = SBUF_INIT;
	const char *window[] = { "VGER_NOW=2024-11-20", NULL };
	const char *rc2[] = { "VGER_NOW=2024-12-10", NULL };
	const char *next[] = { "check", "main..topic", "--tree", "bpf-next",
			       NULL };
	const char *fixes[] = { "check", "main..topic", "--tree", "bpf",
				NULL };

	fx_good(f, "bpf: feature");
	/* In the 6.13 merge window bpf-next is closed: a warning. */
	ck_assert_int_eq(vger_env(f->dir, window, next, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "tree-closed"), "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "merge window for 6.13"), "%s", out.buf);
	sbuf_reset(&out);
	/* bpf takes fixes at any time (this one lacks its Fixes: tag). */
	ck_assert_int_eq(vger_env(f->dir, window, fixes, &out, NULL), 1);
	ck_assert_msg(strstr(out.buf, "fixes-tag"), "%s", out.buf);
	ck_assert_ptr_null(strstr(out.buf, "tree-closed"));
	sbuf_reset(&out);
	/* After -rc1 bpf-next is open again. */
	ck_assert_int_eq(vger_env(f->dir, rc2, next, &out, NULL), 0);
	ck_assert_msg(!strstr(out.buf, "tree-closed"), "%s", out.buf);
	sbuf_release(&out);
	fx_free(f);
}
END_TEST

/*
 * Patch files name their tree in the subject, however long: a -next
 * tree of 80 characters is closed in the merge window like bpf-next.
 */
START_TEST(cli_long_tree_from_the_subject_is_closed_in_the_window)
{
	struct fx *f = fx_new();
	struct sbuf out = SBUF_INIT, prefix = SBUF_INIT;
	struct vec paths = VEC_INIT;
	const char *window[] = { "VGER_NOW=2024-11-20", NULL };
	const char *args[8] = { "check" };
	const char *fmt[2] = { NULL, NULL };
	size_t n = 1;

	sbuf_addstr(&prefix, "--subject-prefix=PATCH ");
	for (int i = 0; i < 15; i++)
		sbuf_addstr(&prefix, "long-");
	sbuf_addstr(&prefix, "next");
	ck_assert_uint_gt(prefix.len - strlen("--subject-prefix=PATCH "), 64);
	fmt[0] = prefix.buf;
	fx_good(f, "bpf: one");
	fx_format(f, fmt, &paths);
	for (size_t i = 0; i < paths.n; i++)
		args[n++] = paths.items[i];
	args[n] = NULL;
	ck_assert_int_eq(vger_env(f->dir, window, args, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "tree-closed"), "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "long-long-next: CLOSED"), "%s", out.buf);
	sbuf_release(&out);
	sbuf_release(&prefix);
	vec_release_str(&paths);
	fx_free(f);
}
END_TEST

START_TEST(cli_previous_version_from_the_mail_database)
{
	struct fx *f = fx_new();
	char *mail = t_tmpdir(), *root, *db, *config, *old;
	struct sbuf out = SBUF_INIT, cfg = SBUF_INIT;
	const char *env[] = { "VGER_NOW=1746878400", NULL };	/* 2025-05-10 12:00 */
	const char *args[] = { "check", "main..topic", "--tree", "bpf-next",
			       "-v", "2", NULL };
	const char *dirs[] = { mail, NULL };
	static const char *const titles[] = { "bpf: fine", "bpf: other" };

	/* v1 of two patches went to the list five hours ago. */
	for (int i = 0; i <= 2; i++) {
		struct sbuf m = SBUF_INIT, name = SBUF_INIT;

		sbuf_addf(&m, "From: A U Thor <author@example.com>\n"
			  "To: bpf@vger.kernel.org\n"
			  "Subject: [PATCH bpf-next %d/2] %s\n"
			  "Date: Sat, 10 May 2025 07:00:0%d +0000\n"
			  "Message-ID: <v1-%d@example.com>\n", i,
			  i ? titles[i - 1] : "bpf: things", i, i);
		if (i)
			sbuf_addstr(&m, "In-Reply-To: <v1-0@example.com>\n");
		sbuf_addstr(&m, "\nText.\n");
		sbuf_addf(&name, "%s/v1-%d.eml", mail, i);
		t_write_file(name.buf, m.buf);
		sbuf_release(&m);
		sbuf_release(&name);
	}
	root = t_notmuch_db(dirs);
	db = t_notmuch_path(root);
	config = path_join(f->dir, ".git/config");
	old = t_read_file(config);
	sbuf_addf(&cfg, "%s[vger]\n\tdatabase = %s\n", old, db);
	free(old);
	t_write_file(config, cfg.buf);
	/* v2 resends only one of them, and too soon. */
	fx_good(f, "bpf: fine");
	ck_assert_int_eq(vger_env(f->dir, env, args, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "repost-24h"), "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "posted 5 h 00 min ago"), "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "whole-series"), "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "v2 has 1 patches, v1 had 2") ||
		      strstr(out.buf, "v2 has 1 patch, v1 had 2"), "%s",
		      out.buf);
	free(config);
	free(db);
	sbuf_release(&out);
	sbuf_release(&cfg);
	t_rmtree(root);
	t_rmtree(mail);
	fx_free(f);
}
END_TEST

START_TEST(cli_json_field_by_field)
{
	struct fx *f = fx_new();
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	json_object *root, *list, *item, *v;

	fx_good(f, "bpf: fine");
	fx_commit(f, "bpf: no sign-off\n\nWhy.\n",
		  (const char *[]){ "a", "1\n", NULL });
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check",
			 "main..topic", "--json", "--tree", "bpf-next", NULL },
			 &out, &errout), 1);
	root = json_tokener_parse(out.buf);
	ck_assert_msg(root, "not JSON: %s", out.buf);
	ck_assert_str_eq(jstr(root, "tree"), "bpf-next");
	ck_assert_int_eq(jint(root, "patches"), 2);
	ck_assert_int_eq(jint(root, "errors"), 1);
	ck_assert_int_eq(jint(root, "warnings"), 1);
	ck_assert(json_object_object_get_ex(root, "findings", &list));
	ck_assert_uint_eq(json_object_array_length(list), 2);
	item = json_object_array_get_idx(list, 0);
	ck_assert_str_eq(jstr(item, "severity"), "warning");
	ck_assert_str_eq(jstr(item, "rule"), "cover-letter");
	ck_assert(json_object_object_get_ex(item, "patch", &v));
	ck_assert_ptr_null(v);
	ck_assert_int_eq(jint(item, "total"), 2);
	ck_assert(json_object_object_get_ex(item, "subject", &v));
	ck_assert_ptr_null(v);
	ck_assert_str_eq(jstr(item, "message"),
			 "2 patches and the branch has no cover letter yet");
	ck_assert_str_eq(jstr(item, "fix"),
			 "write it with vger respin --edit-cover");
	item = json_object_array_get_idx(list, 1);
	ck_assert_str_eq(jstr(item, "severity"), "error");
	ck_assert_str_eq(jstr(item, "rule"), "signed-off-by");
	ck_assert_int_eq(jint(item, "patch"), 2);
	ck_assert_int_eq(jint(item, "total"), 2);
	ck_assert_str_eq(jstr(item, "subject"), "bpf: no sign-off");
	ck_assert_str_eq(jstr(item, "message"), "no Signed-off-by: line");
	ck_assert_str_eq(jstr(item, "fix"),
			 "git commit --amend -s (git rebase --signoff for many)");
	ck_assert_str_eq(errout.buf, "");
	json_object_put(root);
	sbuf_release(&out);
	sbuf_release(&errout);
	fx_free(f);
}
END_TEST

/* No patches: the JSON reader still gets a report, an empty one. */
START_TEST(cli_json_with_no_patches_is_an_empty_report)
{
	struct fx *f = fx_new();
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	json_object *root, *list;

	fx_commit(f, "bpf: one\n\nWhy.\n", (const char *[]){ "a", "1\n",
		  NULL });
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "--json",
			 "HEAD..HEAD", NULL }, &out, &errout), 0);
	root = json_tokener_parse(out.buf);
	ck_assert_msg(root, "not JSON: '%s'", out.buf);
	ck_assert_int_eq(jint(root, "patches"), 0);
	ck_assert_int_eq(jint(root, "errors"), 0);
	ck_assert_int_eq(jint(root, "warnings"), 0);
	ck_assert(json_object_object_get_ex(root, "findings", &list));
	ck_assert_uint_eq(json_object_array_length(list), 0);
	ck_assert_msg(strstr(errout.buf, "no patches to check"), "%s",
		      errout.buf);
	json_object_put(root);
	/* the text says it on stderr only */
	sbuf_reset(&out);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check",
			 "HEAD..HEAD", NULL }, &out, NULL), 0);
	ck_assert_str_eq(out.buf, "");
	sbuf_release(&out);
	sbuf_release(&errout);
	fx_free(f);
}
END_TEST

START_TEST(cli_text_exit_and_config)
{
	struct fx *f = fx_new();
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	char *config = path_join(f->dir, ".git/config");
	const char *cfg[] = { "git", "-C", NULL, "config", "vger.check.signed-off-by",
			      "off", NULL };
	const char *tree[] = { "git", "-C", NULL, "config", "vger.tree", "bpf",
			       NULL };

	fx_commit(f, "bpf: unsigned \x1b[31mred\n\nWhy.\n",
		  (const char *[]){ "a", "1\n", NULL });
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "-1",
			 NULL }, &out, &errout), 1);
	ck_assert_str_eq(out.buf,
		"error   signed-off-by      1/1 \"bpf: unsigned ^[[31mred\": no Signed-off-by: line; fix: git commit --amend -s (git rebase --signoff for many)\n"
		"1 error, 0 warnings in 1 patch for bpf-next\n");
	ck_assert_str_eq(errout.buf,
		"vger check: warning: no --tree and no vger.tree: guessing bpf-next (not every commit has a Fixes: tag)\n");
	/* vger.check.signed-off-by = off: clean, exit 0 */
	cfg[2] = f->dir;
	ck_assert(!t_run(cfg, NULL, NULL, NULL, NULL));
	sbuf_reset(&out);
	sbuf_reset(&errout);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "-1",
			 NULL }, &out, &errout), 0);
	ck_assert_str_eq(out.buf, "0 errors, 0 warnings in 1 patch for bpf-next\n");
	/* vger.tree = bpf: the tree is not guessed, and bpf needs Fixes: */
	tree[2] = f->dir;
	ck_assert(!t_run(tree, NULL, NULL, NULL, NULL));
	sbuf_reset(&out);
	sbuf_reset(&errout);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "-1",
			 NULL }, &out, &errout), 1);
	ck_assert(str_starts_with(out.buf, "error   fixes-tag          1/1 "));
	ck_assert_str_eq(errout.buf, "");
	/* warnings only: exit 0 */
	sbuf_reset(&out);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "-1",
			 "--tree", "bpf-nxt", NULL }, &out, NULL), 0);
	ck_assert(strstr(out.buf, "warning subject-prefix     series: "));
	/* usage errors: exit 2 */
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "-v", "x",
			 NULL }, NULL, NULL), 2);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "--bogus",
			 NULL }, NULL, NULL), 2);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check", "a..b",
			 "c..d", NULL }, NULL, NULL), 2);
	/* a range that does not resolve: a clear error, exit 1 */
	sbuf_reset(&errout);
	ck_assert_int_eq(vger_in(f->dir, (const char *[]){ "check",
			 "nosuch..topic", NULL }, NULL, &errout), 1);
	ck_assert(strstr(errout.buf, "'nosuch..topic' does not resolve"));
	sbuf_release(&out);
	sbuf_release(&errout);
	free(config);
	fx_free(f);
}
END_TEST

START_TEST(cli_patch_files)
{
	struct fx *f = fx_new();
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	struct vec paths = VEC_INIT;
	const char *args[8] = { "check" };
	size_t n = 1;

	fx_good(f, "bpf: one");
	fx_format(f, (const char *[]){ "--subject-prefix=PATCH bpf", NULL },
		  &paths);
	for (size_t i = 0; i < paths.n; i++)
		args[n++] = paths.items[i];
	args[n++] = "--json";
	args[n] = NULL;
	ck_assert_int_eq(vger_in(f->dir, args, &out, &errout), 1);
	ck_assert_msg(strstr(out.buf, "\"tree\": \"bpf\""), "%s", out.buf);
	ck_assert(strstr(out.buf, "\"rule\": \"fixes-tag\""));
	ck_assert(strstr(out.buf, "\"subject\": \"bpf: one\""));
	ck_assert_str_eq(errout.buf, "");
	sbuf_release(&out);
	sbuf_release(&errout);
	vec_release_str(&paths);
	fx_free(f);
}
END_TEST

/* Real series from the list, as their patch mails. */
START_TEST(cli_real_series)
{
	char *jne = t_fixture("check/bpf-jne-v5");
	char *sockmap = t_fixture("check/sockmap-replace");
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	const char *args[8] = { "check" };
	char *files[5];

	for (int i = 0; i < 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "00%d.eml", i + 1);
		files[i] = path_join(jne, name);
		args[i + 1] = files[i];
	}
	args[6] = NULL;
	ck_assert_int_eq(t_vger(args, NULL, &out, &errout), 0);
	ck_assert_str_eq(out.buf, "0 errors, 0 warnings in 4 patches for bpf-next\n");
	ck_assert_str_eq(errout.buf, "");
	for (int i = 0; i < 5; i++)
		free(files[i]);
	for (int i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof(name), "00%d.eml", i + 1);
		files[i] = path_join(sockmap, name);
		args[i + 1] = files[i];
	}
	args[5] = NULL;
	sbuf_reset(&out);
	ck_assert_int_eq(t_vger(args, NULL, &out, &errout), 1);
	ck_assert_str_eq(out.buf,
		"error   fixes-tag          1/3 \"bpf, sockmap: Fix update element with same\": "
		"a patch for bpf (fixes) without a Fixes: tag; fix: add Fixes: <12+ hex> "
		"(\"subject\") naming the commit that broke it; features go to bpf-next\n"
		"1 error, 0 warnings in 3 patches for bpf\n");
	for (int i = 0; i < 4; i++)
		free(files[i]);
	sbuf_release(&out);
	sbuf_release(&errout);
	free(jne);
	free(sockmap);
}
END_TEST

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *rules = tcase_create("rules");
	TCase *cli = tcase_create("cli");

	tcase_add_test(rules, rule_subject_prefix);
	tcase_add_test(rules, rule_fixes_tag);
	tcase_add_test(rules, rule_fixes_format);
	tcase_add_test(rules, rule_empty_message);
	tcase_add_test(rules, rule_cover_letter);
	tcase_add_test(rules, rule_no_stable_cc);
	tcase_add_test(rules, rule_verifier_selftests);
	tcase_add_test(rules, rule_uapi_tools_sync);
	tcase_add_test(rules, rule_samples_test);
	tcase_add_test(rules, rule_signed_off_by);
	tcase_add_test(rules, rule_whole_series);
	tcase_add_test(rules, rule_series_size);
	tcase_add_test(rules, rule_repost_24h);
	tcase_add_test(rules, rule_tree_closed);
	tcase_add_test(rules, rule_checkpatch);
	tcase_add_test(rules, rules_disabled_and_ids);
	tcase_add_test(rules, guess_tree_from_fixes);
	suite_add_tcase(s, rules);
	tcase_add_test(cli, cli_json_field_by_field);
	tcase_add_test(cli, cli_tree_closed_from_the_calendar);
	tcase_add_test(cli, cli_long_tree_from_the_subject_is_closed_in_the_window);
	tcase_add_test(cli, cli_previous_version_from_the_mail_database);
	tcase_add_test(cli, cli_json_with_no_patches_is_an_empty_report);
	tcase_add_test(cli, cli_text_exit_and_config);
	tcase_add_test(cli, cli_patch_files);
	tcase_add_test(cli, cli_real_series);
	suite_add_tcase(s, cli);
	return s;
}

int main(void)
{
	return t_run_suite(check_suite());
}
