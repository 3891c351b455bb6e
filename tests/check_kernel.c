/*
 * kernel/: the table of trees and maintainers, and the lookups every
 * model makes on it.
 */
#include <check.h>
#include <string.h>

#include "kernel/trees.h"
#include "tests/testlib.h"

START_TEST(tree_facts_from_one_row)
{
	const struct kernel_tree *t = kernel_tree_find("bpf-next");

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->kind, KERNEL_TREE_NEXT);
	ck_assert_str_eq(t->list, "bpf@vger.kernel.org");
	ck_assert_str_eq(t->sibling, "bpf");
	ck_assert_str_eq(kernel_tree_sibling("bpf"), "bpf-next");
	ck_assert_str_eq(kernel_tree_list("net"), "netdev@vger.kernel.org");
	ck_assert_str_eq(kernel_tree_list("iproute2 master"),
			 "netdev@vger.kernel.org");
	ck_assert_ptr_null(kernel_tree_list("mm-unstable"));
	ck_assert_ptr_null(kernel_tree_find("BPF"));	/* exact */
	ck_assert_ptr_null(kernel_tree_find(NULL));
}
END_TEST

START_TEST(tree_words_of_a_subject)
{
	ck_assert_ptr_nonnull(kernel_tree_find_word("NET-NEXT", 8));
	ck_assert_ptr_nonnull(kernel_tree_find_word("linux-next", 10));
	ck_assert_ptr_nonnull(kernel_tree_find_word("stable,x", 6));
	/* two-word trees are never one word */
	ck_assert_ptr_null(kernel_tree_find_word("iproute2 master", 15));
	ck_assert_ptr_null(kernel_tree_find_word("f2fs-dev", 8));
}
END_TEST

START_TEST(tree_targets_and_prefixes)
{
	ck_assert(kernel_tree_known("bpf"));
	ck_assert(kernel_tree_known("iproute2-next"));
	ck_assert(kernel_tree_known("iproute2 master"));
	ck_assert(kernel_tree_known("iproute2 main"));
	ck_assert(!kernel_tree_known("iproute2"));	/* name a branch */
	ck_assert(!kernel_tree_known("iproute2 "));
	ck_assert(!kernel_tree_known("linux-next"));
	ck_assert_str_eq(kernel_tree_prefix("iproute2"), "iproute2 net-next");
	ck_assert_str_eq(kernel_tree_prefix("iproute2-next"),
			 "iproute2 net-next");
	ck_assert_str_eq(kernel_tree_prefix("bpf-next"), "bpf-next");
	ck_assert_str_eq(kernel_tree_prefix("my tree"), "my tree");
}
END_TEST

START_TEST(tree_window_kinds)
{
	ck_assert_int_eq(kernel_tree_window_kind("bpf"), KERNEL_TREE_FIXES);
	ck_assert_int_eq(kernel_tree_window_kind("iproute2"),
			 KERNEL_TREE_FIXES);
	ck_assert_int_eq(kernel_tree_window_kind("net-next"),
			 KERNEL_TREE_NEXT);
	ck_assert(kernel_tree_find("net-next")->flags & KERNEL_TREE_ANNOUNCED);
	ck_assert(!(kernel_tree_find("bpf-next")->flags &
		    KERNEL_TREE_ANNOUNCED));
	/* any -next tree closes; "next" alone names no rule */
	ck_assert_int_eq(kernel_tree_window_kind("linux-next"),
			 KERNEL_TREE_NEXT);
	ck_assert_int_eq(kernel_tree_window_kind("mm-next"), KERNEL_TREE_NEXT);
	ck_assert_int_eq(kernel_tree_window_kind("next"), KERNEL_TREE_OTHER);
	ck_assert_int_eq(kernel_tree_window_kind("stable"), KERNEL_TREE_OTHER);
}
END_TEST

START_TEST(maintainers_and_tree_cc)
{
	const struct kernel_tree *t = kernel_tree_find("iproute2 net-next");
	const struct kernel_person *p;
	size_t bpf = 0, pwbot = 0, cc = 0;

	for (size_t i = 0; (p = kernel_person_at(i)); i++) {
		bpf += !!(p->roles & KERNEL_ROLE_BPF);
		pwbot += !!(p->roles & KERNEL_ROLE_PWBOT);
		cc += !!(p->roles & t->cc);
		ck_assert(strchr(p->email, '@'));
	}
	ck_assert_uint_eq(bpf, 3);
	ck_assert_uint_eq(cc, 3);
	ck_assert_uint_eq(pwbot, 11);
	ck_assert_uint_eq(kernel_tree_find("bpf")->cc, 0);
}
END_TEST

START_TEST(tree_guessed_from_fixes_tags)
{
	const char *fixes[] = {
		"bpf: fix a leak\n\nFixes: 0123456789ab (\"bpf: x\")\n",
		"bpf: fix b\n\nfixes: 0123456789ab (\"y\")\r\n",
	};
	const char *mixed[] = {
		fixes[0], "bpf: add a helper\n\nSigned-off-by: A <a@x>\n",
	};
	const char *after_cut[] = {
		"bpf: x\n\nbody\n---\nFixes: 0123456789ab (\"z\")\n",
	};

	ck_assert_str_eq(kernel_tree_guess(fixes, 2), "bpf");
	ck_assert_str_eq(kernel_tree_guess(mixed, 2), "bpf-next");
	ck_assert_str_eq(kernel_tree_guess(NULL, 0), "bpf-next");
	/* git am ends the message at "---" */
	ck_assert_str_eq(kernel_tree_guess(after_cut, 1), "bpf-next");
	ck_assert(!kernel_msg_has_fixes("bpf: x\n\n Fixes: indented\n"));
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("trees");

	tcase_add_test(tc, tree_facts_from_one_row);
	tcase_add_test(tc, tree_words_of_a_subject);
	tcase_add_test(tc, tree_targets_and_prefixes);
	tcase_add_test(tc, tree_window_kinds);
	tcase_add_test(tc, maintainers_and_tree_cc);
	tcase_add_test(tc, tree_guessed_from_fixes_tags);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(kernel_suite());
}
