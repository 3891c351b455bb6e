/*
 * vger am and vger shazam: the trailer collector and the patch text
 * (mail/collect.h, mail/am.h) on their own.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/am.h"
#include "mail/collect.h"
#include "mail/trailer.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* ---- the patch text ---- */

static const char patch_body[] =
	"alpha_one() returns 1.\n"
	"\n"
	"Reviewed-by: Carl Carrier <carl@example.org>\n"
	"Signed-off-by: Ana Author <ana@example.org>\n"
	"---\n"
	"v2: say why\n"
	"\n"
	" alpha.c | 2 +-\n"
	" 1 file changed, 1 insertion(+), 1 deletion(-)\n"
	"\n"
	"diff --git a/alpha.c b/alpha.c\n"
	"index 1..2 100644\n"
	"--- a/alpha.c\n"
	"+++ b/alpha.c\n"
	"@@ -1,3 +1,3 @@\n"
	" int alpha_one(void)\n"
	"-\treturn 1;\n"
	"+\treturn 11;\n"
	" }\n"
	"-- \n"
	"2.39.5\n";

START_TEST(am_parts_find_the_trailer_block)
{
	struct mail_am_parts p;
	struct vec lines = VEC_INIT;

	mail_am_parts(&p, patch_body);
	ck_assert(p.has_trailers);
	ck_assert(p.has_diff);
	ck_assert(!strncmp(patch_body + p.trailers_start, "Reviewed-by:", 12));
	mail_am_trailer_lines(patch_body, &p, &lines);
	ck_assert_int_eq(lines.n, 2);
	ck_assert_str_eq(lines.items[0],
			 "Reviewed-by: Carl Carrier <carl@example.org>");
	ck_assert(!strncmp(patch_body + p.msg_end, "---\n", 4));
	vec_release_str(&lines);
	mail_am_parts_release(&p);
}
END_TEST

START_TEST(am_add_trailers_after_the_block_before_the_notes)
{
	struct sbuf out = SBUF_INIT;
	struct vec lines = VEC_INIT;

	vec_push_str(&lines, "Acked-by: Kim Reviewer <kim@example.org>");
	mail_am_add_trailers(patch_body, &lines,
			     "Signed-off-by: Ana Author <ana@example.org>",
			     &out);
	ck_assert_msg(strstr(out.buf, "Reviewed-by: Carl Carrier "
			     "<carl@example.org>\nAcked-by: Kim Reviewer "
			     "<kim@example.org>\nSigned-off-by: Ana Author "
			     "<ana@example.org>\n---\nv2: say why\n"), "%s",
		      out.buf);
	/* the user's own sign-off moved last, once */
	ck_assert_ptr_eq(strstr(strstr(out.buf, "Signed-off-by") + 1,
				"Signed-off-by"), NULL);
	ck_assert(strstr(out.buf, "+\treturn 11;\n }\n-- \n2.39.5\n"));
	vec_release_str(&lines);
	sbuf_release(&out);
}
END_TEST

START_TEST(am_add_trailers_makes_a_block)
{
	struct sbuf out = SBUF_INIT;
	struct vec lines = VEC_INIT;

	vec_push_str(&lines, "Acked-by: Kim <kim@example.org>");
	mail_am_add_trailers("Just prose here.\nMore prose.\n---\n"
			     "diff --git a/x b/x\n", &lines, NULL, &out);
	ck_assert_str_eq(out.buf, "Just prose here.\nMore prose.\n\n"
			 "Acked-by: Kim <kim@example.org>\n---\n"
			 "diff --git a/x b/x\n");
	vec_release_str(&lines);
	sbuf_release(&out);
}
END_TEST

START_TEST(am_in_body_from_is_the_author)
{
	struct mail_am_parts p;

	mail_am_parts(&p, "From: Ana Author <ana@example.org>\n\n"
		      "The message.\n\nSigned-off-by: Ana\n");
	ck_assert_str_eq(p.from, "Ana Author <ana@example.org>");
	ck_assert_int_eq(p.msg_start, strlen("From: Ana Author "
					     "<ana@example.org>\n\n"));
	mail_am_parts_release(&p);
}
END_TEST

START_TEST(am_slug_is_b4s)
{
	struct sbuf sb = SBUF_INIT;

	/* b4 am named the real series so: tests/am_oracle.sh checks it */
	mail_am_slug(&sb, 3, 1746084963, 120, "luis.gerhorst@fau.de",
		     "bpf: Mitigate Spectre v1 using barriers");
	ck_assert_str_eq(sb.buf, "v3_20250501_luis_gerhorst_bpf_mitigate_"
			 "spectre_v1_using_barriers");
	sbuf_reset(&sb);
	mail_am_slug(&sb, 1, 0, 0, "j@x.org", "\xc3\x85\xc3\x84 \xe2\x80\x94 "
		     "x");
	ck_assert_str_eq(sb.buf, "19700101_j_\xc3\xa5\xc3\xa4_x");
	sbuf_release(&sb);
}
END_TEST

START_TEST(am_merge_message_shape)
{
	struct sbuf sb = SBUF_INIT;
	struct mail_am_merge m = {
		"Fix bpf qdisc bugs and clean up", "Amery Hung",
		"This patchset fixes bugs.\n\nv2: more.\n\n"
		"Amery Hung (2):\n  bpf: a\n  bpf: b\n\n"
		" net/x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 "
		"deletion(-)\n\nbase-commit: 0123456789abcdef\n-- \n2.4\n",
		"https://patch.msgid.link/x@y", "Me <me@example.org>",
	};

	mail_am_merge_message(&m, &sb);
	ck_assert_str_eq(sb.buf,
			 "Merge branch 'fix-bpf-qdisc-bugs-and-clean-up'\n\n"
			 "Amery Hung says:\n\n====================\n"
			 "This patchset fixes bugs.\n\nv2: more.\n"
			 "====================\n\n"
			 "Link: https://patch.msgid.link/x@y\n"
			 "Signed-off-by: Me <me@example.org>\n");
	sbuf_release(&sb);
}
END_TEST

START_TEST(am_broken_diff_is_found)
{
	ck_assert_int_eq(mail_am_broken_diff(patch_body), 0);
	ck_assert_int_ne(mail_am_broken_diff(
		"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n"
		" a\n-b\n+c\n-- \n2.4\n"), 0);
	{
		char *b = mail_am_base_commit("x\nbase-commit: 0123abcdef9\n");

		ck_assert_str_eq(b, "0123abcdef9");
		free(b);
	}
}
END_TEST

START_TEST(am_write_refuses_a_from_line_in_the_body)
{
	struct mail_am_msg m = { "A <a@x.org>", "Thu, 1 May 2025 00:00:00 +0000",
				 "[PATCH] x", "id@x",
				 "text\nFrom 1234 Mon Sep 17 00:00:00 2001\n" };
	struct sbuf sb = SBUF_INIT;
	unsigned bad = 0;

	ck_assert_int_eq(mail_am_write_msg(&m, 1, &sb, &bad), -1);
	ck_assert_int_eq(bad, 2);
	ck_assert_int_eq(sb.len, 0);
	m.body = "text\nFrom here on it works.\n";
	ck_assert_int_eq(mail_am_write_msg(&m, 1, &sb, &bad), 0);
	ck_assert(str_starts_with(sb.buf, "From git@z Thu Jan  1 "
				  "00:00:00 1970\nSubject: [PATCH] x\n"));
	sbuf_release(&sb);
}
END_TEST

/* ---- the collector ---- */

static struct mail_collect_msg msg(const char *id, const char *parent,
				   const char *from, unsigned patch,
				   int cover, const char *body)
{
	struct mail_collect_msg m;
	const char *lt = strchr(from, '<');

	memset(&m, 0, sizeof(m));
	m.id = id;
	m.parent = parent;
	m.from_name = lt ? xstrndup(from, (size_t)(lt - from - 1)) : NULL;
	m.from_email = lt ? xstrndup(lt + 1, strcspn(lt + 1, ">")) :
		xstrdup(from);
	m.patch = patch;
	m.cover = cover;
	m.body = body;
	return m;
}

static void msgs_free(struct mail_collect_msg *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)m[i].from_name);
		free((char *)m[i].from_email);
	}
}

static const char *added(const struct mail_collect_result *r, unsigned p,
			 size_t i)
{
	const struct mail_collect_patch *cp = mail_collect_patch_at(r, p);

	if (!cp || i >= cp->add.n)
		return NULL;
	return ((const struct mail_collect_trailer *)cp->add.items[i])->line;
}

static size_t nadded(const struct mail_collect_result *r, unsigned p)
{
	const struct mail_collect_patch *cp = mail_collect_patch_at(r, p);

	return cp ? cp->add.n : 0;
}

static size_t nnotes(const struct mail_collect_result *r,
		     enum mail_collect_why why)
{
	size_t n = 0;

	for (size_t i = 0; i < r->notes.n; i++)
		n += ((const struct mail_collect_note *)r->notes.items[i])->why
			== why;
	return n;
}

START_TEST(collect_order_walk_and_dedup)
{
	struct mail_collect_msg m[] = {
		msg("c", NULL, "Ana <ana@x.org>", 0, 1, "cover\n"),
		msg("p1", "c", "Ana <ana@x.org>", 1, 0,
		    "msg\n\nAcked-by: Old <old@x.org>\nSigned-off-by: Ana "
		    "<ana@x.org>\n---\ndiff --git a/a b/a\n"),
		msg("p2", "c", "Ana <ana@x.org>", 2, 0, "msg\n---\n"),
		msg("r1", "p1", "Kim <kim@x.org>", 0, 0,
		    "> Acked-by: Quoted <q@x.org>\n\nacked-by: kim <KIM@x.org>"
		    "\n"),
		msg("r2", "r1", "Lee <lee@x.org>", 0, 0,
		    "Reviewed-by: Lee\n <lee@x.org>\nAcked-by: Kim <kim@x.org>"
		    "\n"),
		msg("r3", "c", "Tess <tess@x.org>", 0, 0,
		    "Acked-by: Tess <tess@x.org>\nCc: x@x.org\n"),
		msg("r4", "p1", "Old <old@x.org>", 0, 0,
		    "Acked-by: Old <OLD@x.org>\n"),
		msg("r5", "gone", "Zed <zed@x.org>", 0, 0,
		    "Acked-by: Zed <zed@x.org>\n"),
	};
	struct mail_collect_result r;

	mail_collect_run(&r, m, sizeof(m) / sizeof(*m), 2, NULL, NULL);
	ck_assert_int_eq(nadded(&r, 1), 3);
	ck_assert_str_eq(added(&r, 1, 0), "acked-by: kim <KIM@x.org>");
	ck_assert_str_eq(added(&r, 1, 1), "Reviewed-by: Lee <lee@x.org>");
	ck_assert_str_eq(added(&r, 1, 2), "Acked-by: Tess <tess@x.org>");
	ck_assert_int_eq(nadded(&r, 2), 1);
	ck_assert_str_eq(added(&r, 2, 0), "Acked-by: Tess <tess@x.org>");
	ck_assert_int_eq(nnotes(&r, MAIL_COLLECT_ORPHAN), 1);
	mail_collect_release(&r);
	msgs_free(m, sizeof(m) / sizeof(*m));
}
END_TEST

START_TEST(collect_mismatch_nack_and_scope)
{
	struct mail_collect_msg m[] = {
		msg("c", NULL, "Ana <ana@x.org>", 0, 1, "cover\n"),
		msg("p1", "c", "Ana <ana@x.org>", 1, 0, "msg\n---\n"),
		msg("p2", "c", "Ana <ana@x.org>", 2, 0, "msg\n---\n"),
		msg("r1", "p1", "Mo <mo@home.example>", 0, 0,
		    "Reviewed-by: Mo W <mo@work.example>\n"),
		msg("r2", "p1", "Nat <nat@x.org>", 0, 0,
		    "Nacked-by: Nat <nat@x.org>\n"),
		msg("r3", "c", "Sam <sam@x.org>", 0, 0,
		    "For patches 1-2:\n\nAcked-by: Sam <sam@x.org>\n"),
		msg("r4", "c", "Lib <lib@x.org>", 0, 0,
		    "Acked-by: Lib <lib@x.org> # for the libbpf parts\n"),
		msg("r5", "p2", "Joe <joe+lkml@mail.x.org>", 0, 0,
		    "Tested-by: Joe <joe@x.org>\n"),
	};
	const char *titles[] = { "bpf: one", "libbpf: two" };
	struct mail_collect_options o = { 0, NULL, NULL };
	struct mail_collect_result r;

	mail_collect_run(&r, m, sizeof(m) / sizeof(*m), 2, titles, &o);
	ck_assert_int_eq(nadded(&r, 1), 0);
	ck_assert_int_eq(nadded(&r, 2), 1);	/* +tag and a subdomain */
	ck_assert_int_eq(nnotes(&r, MAIL_COLLECT_MISMATCH), 1);
	ck_assert_int_eq(nnotes(&r, MAIL_COLLECT_NACKED), 1);
	ck_assert_int_eq(nnotes(&r, MAIL_COLLECT_SCOPED), 2);
	for (size_t i = 0; i < r.notes.n; i++) {
		const struct mail_collect_note *n = r.notes.items[i];

		if (n->why != MAIL_COLLECT_SCOPED)
			continue;
		if (strstr(n->t->line, "Sam")) {
			ck_assert_int_eq(n->ntargets, 2);
		} else {
			ck_assert_int_eq(n->ntargets, 1);
			ck_assert_int_eq(n->targets[0], 2);
			/* said yes to: it goes on that patch only */
			ck_assert_int_eq(mail_collect_apply(&r, 2, n->t, &o),
					 1);
		}
	}
	ck_assert_int_eq(nadded(&r, 2), 2);
	ck_assert_int_eq(nadded(&r, 1), 0);
	mail_collect_release(&r);
	o.sloppy = 1;
	mail_collect_run(&r, m, sizeof(m) / sizeof(*m), 2, titles, &o);
	ck_assert_int_eq(nadded(&r, 1), 1);
	ck_assert_str_eq(added(&r, 1, 0), "Reviewed-by: Mo W "
			 "<mo@work.example>");
	mail_collect_release(&r);
	msgs_free(m, sizeof(m) / sizeof(*m));
}
END_TEST

static char *map_old(void *data, const char *name, const char *email)
{
	(void)data;
	(void)name;
	return !strcmp(email, "carl@old.example") ?
		xstrdup("carl@example.org") : NULL;
}

START_TEST(collect_mailmap_makes_one_person)
{
	struct mail_collect_msg m[] = {
		msg("p1", NULL, "Ana <ana@x.org>", 1, 0,
		    "msg\n\nReviewed-by: Carl <carl@example.org>\n---\n"
		    "diff --git a/a b/a\n"),
		msg("r1", "p1", "Carl <carl@old.example>", 0, 0,
		    "Reviewed-by: Carl <carl@old.example>\n"),
	};
	struct mail_collect_options o = { 0, map_old, NULL };
	struct mail_collect_result r;

	mail_collect_run(&r, m, 2, 1, NULL, NULL);
	ck_assert_int_eq(nadded(&r, 1), 1);
	mail_collect_release(&r);
	mail_collect_run(&r, m, 2, 1, NULL, &o);
	ck_assert_int_eq(nadded(&r, 1), 0);
	mail_collect_release(&r);
	msgs_free(m, 2);
}
END_TEST

START_TEST(collect_sender_rules_are_b4s)
{
	ck_assert(mail_collect_sender_ok("A", "a@x.org", "B", "A@X.org"));
	ck_assert(mail_collect_sender_ok("A", "a@intel.com", "B",
					 "a@linux.intel.com"));
	ck_assert(!mail_collect_sender_ok("A", "a@x.org", "B", "b@x.org"));
	ck_assert(mail_collect_sender_ok("Jane Doe", "j@work.org",
					 "jane doe", "j@home.org"));
	ck_assert(mail_collect_sender_ok("Jane Doe", "j@work.org",
					 "Doe, Jane", "j@home.org"));
}
END_TEST

static Suite *am_suite(void)
{
	Suite *s = suite_create("am");
	TCase *t = tcase_create("text");
	TCase *c = tcase_create("collect");

	tcase_add_test(t, am_parts_find_the_trailer_block);
	tcase_add_test(t, am_add_trailers_after_the_block_before_the_notes);
	tcase_add_test(t, am_add_trailers_makes_a_block);
	tcase_add_test(t, am_in_body_from_is_the_author);
	tcase_add_test(t, am_slug_is_b4s);
	tcase_add_test(t, am_merge_message_shape);
	tcase_add_test(t, am_broken_diff_is_found);
	tcase_add_test(t, am_write_refuses_a_from_line_in_the_body);
	suite_add_tcase(s, t);
	tcase_add_test(c, collect_order_walk_and_dedup);
	tcase_add_test(c, collect_mismatch_nack_and_scope);
	tcase_add_test(c, collect_mailmap_makes_one_person);
	tcase_add_test(c, collect_sender_rules_are_b4s);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	return t_run_suite(am_suite());
}
