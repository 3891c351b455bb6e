/*
 * The unified-diff state machine (mail/diff.h): hunk headers, counts
 * that end a hunk, quoted hunks.
 */
#include "config.h"

#include <check.h>

#include "mail/diff.h"
#include "tests/testlib.h"

/* -------------------------------------------------------------------- */
/* The diff state machine */

START_TEST(diff_hunk_headers)
{
	unsigned long a, b, c, d;

	ck_assert_int_eq(mail_diff_parse_hunk("@@ -10,4 +12,5 @@ int f(void)",
					      &a, &b, &c, &d), 0);
	ck_assert(a == 10 && b == 4 && c == 12 && d == 5);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -1 +1 @@", &a, &b, &c, &d),
			 0);
	ck_assert(a == 1 && b == 1 && c == 1 && d == 1);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -0,0 +1,3 @@", &a, &b, &c,
					      &d), 0);
	ck_assert(b == 0 && d == 3);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -a,1 +1 @@", &a, &b, &c, &d),
			 -1);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -1,2 +1,2", &a, &b, &c, &d),
			 -1);
	ck_assert_int_eq(mail_diff_parse_hunk("@@@ -1,1 -1,1 +1,1 @@@", &a, &b,
					      &c, &d), -1);
	/* a count too large to believe */
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -1,99999999999 +1 @@", &a,
					      &b, &c, &d), -1);
}
END_TEST

START_TEST(diff_counts_end_a_hunk)
{
	struct mail_diff d = MAIL_DIFF_INIT;

	ck_assert_int_eq(mail_diff_line(&d, "+not a diff", NULL, 0),
			 MAIL_DIFF_NONE);
	ck_assert_int_eq(mail_diff_line(&d, "diff --git a/x b/x", NULL, 0),
			 MAIL_DIFF_FILE);
	ck_assert_int_eq(mail_diff_line(&d, "--- a/x", "+++ b/x", 0),
			 MAIL_DIFF_FILE);
	ck_assert_int_eq(mail_diff_line(&d, "+++ b/x", NULL, 0),
			 MAIL_DIFF_FILE);
	ck_assert_int_eq(mail_diff_line(&d, "@@ -1,2 +1 @@", NULL, 0),
			 MAIL_DIFF_HUNK);
	ck_assert_int_eq(mail_diff_line(&d, "-a", NULL, 0), MAIL_DIFF_REMOVED);
	ck_assert_int_eq(mail_diff_line(&d, "", NULL, 0), MAIL_DIFF_CONTEXT);
	/* both counts are spent: the hunk is over */
	ck_assert_int_eq(mail_diff_line(&d, "\\ No newline at end of file",
					NULL, 0), MAIL_DIFF_NO_NEWLINE);
	ck_assert_int_eq(mail_diff_line(&d, "+late", NULL, 0), MAIL_DIFF_NONE);
	ck_assert_int_eq(d.state, MAIL_DIFF_PROSE);
	/* a plain diff starts with ---/+++ only when both are there */
	ck_assert_int_eq(mail_diff_line(&d, "--- x", "prose", 0),
			 MAIL_DIFF_NONE);
	ck_assert_int_eq(mail_diff_line(&d, "--- x.orig", "+++ x", 0),
			 MAIL_DIFF_FILE);
}
END_TEST

START_TEST(diff_quoted_context_without_its_space)
{
	struct mail_diff d = MAIL_DIFF_INIT;

	ck_assert_int_eq(mail_diff_line(&d, "@@ -1,3 +1,3 @@", NULL, 1),
			 MAIL_DIFF_HUNK);
	/* "> foo" quoting " foo" with ">" alone */
	ck_assert_int_eq(mail_diff_line(&d, "foo", NULL, 1), MAIL_DIFF_CONTEXT);
	ck_assert_int_eq(mail_diff_line(&d, "-bar", NULL, 1),
			 MAIL_DIFF_REMOVED);
	/* a reviewer trimmed the hunk: the next one starts */
	ck_assert_int_eq(mail_diff_line(&d, "@@ -9 +9 @@", NULL, 1),
			 MAIL_DIFF_HUNK);
	ck_assert_int_eq(mail_diff_line(&d, "+baz", NULL, 1), MAIL_DIFF_ADDED);
	/* unquoted, the same line ends the hunk */
	d = (struct mail_diff)MAIL_DIFF_INIT;
	mail_diff_line(&d, "@@ -1,3 +1,3 @@", NULL, 0);
	ck_assert_int_eq(mail_diff_line(&d, "foo", NULL, 0), MAIL_DIFF_NONE);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *diff = tcase_create("diff");

	tcase_add_test(diff, diff_hunk_headers);
	tcase_add_test(diff, diff_counts_end_a_hunk);
	tcase_add_test(diff, diff_quoted_context_without_its_space);
	suite_add_tcase(s, diff);
	return s;
}

int main(void)
{
	return t_run_suite(render_suite());
}
