/*
 * vger am and vger shazam: the trailer collector and the patch text
 * (mail/collect.h, mail/am.h) on their own, then the real binary on
 * real notmuch databases made from fixture maildirs (a real series
 * from the list, tests/fixtures/mail/series, and the threads of
 * tests/fixtures/am for each bad input), its mbox fed to the real git
 * am in a real repository and the commits read back with git log.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- the real binary on real databases ---- */

static const char *const env[] = {
	"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "TZ=UTC",
	"GIT_AUTHOR_NAME=Test Maint", "GIT_AUTHOR_EMAIL=maint@example.org",
	"GIT_COMMITTER_NAME=Test Maint",
	"GIT_COMMITTER_EMAIL=maint@example.org", NULL,
};

static char *db_root;
static char *db;

static void db_setup(void)
{
	char *a = t_fixture("am/review"), *b = t_fixture("am/encodings");
	char *c = t_fixture("am/missing"), *d = t_fixture("am/broken");
	char *e = t_fixture("am/reroll"), *g = t_fixture("am/duplicate");
	char *f = t_fixture("mail/series/2025-05-01_bpf-mitigate-spectre-v1-u");
	char *h = t_fixture("am/newer-v1"), *i = t_fixture("am/newer-v2");
	char *j = t_fixture("am/mixed"), *k = t_fixture("am/hostile");
	const char *dirs[] = { a, b, c, d, e, f, g, h, i, j, k, NULL };

	db_root = t_notmuch_db(dirs);
	db = t_notmuch_path(db_root);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	free(f);
	free(g);
	free(h);
	free(i);
	free(j);
	free(k);
}

static void db_teardown(void)
{
	free(db);
	t_rmtree(db_root);
}

/* vger am --db DB args... -o DIR; its exit status. */
static int am(const char *dir, const char *const args[], struct sbuf *out,
	      struct sbuf *errout)
{
	const char *argv[24] = { "am", "--db", db, "-o", dir };
	size_t n = 5;

	for (size_t i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return t_vger(argv, env, out, errout);
}

static char *the_mbx(const char *dir)
{
	struct sbuf p = SBUF_INIT;
	char *path;

	sbuf_addf(&p, "%s/*.mbx", dir);
	path = t_glob_one(p.buf);
	sbuf_release(&p);
	return path;
}

/* A repository with the files the fixture series apply to. */
static struct t_git *base_repo(const char *dir)
{
	static const char fn[] = "int %s_one(void)\n{\n\treturn 1;\n}\n\n"
		"int %s_two(void)\n{\n\treturn 2;\n}\n";
	struct t_git *g = t_git_init(dir);
	char a[128], b[128], c[128];
	const char *files[] = {
		"alpha.c", a, "beta.c", b, "gamma.c", c,
		"tools/lib/bpf/libbpf.c", "int libbpf_x(void)\n{\n\treturn 0;"
		"\n}\n", NULL,
	};

	snprintf(a, sizeof(a), "/* alpha */\n");
	snprintf(a + strlen(a), sizeof(a) - strlen(a), fn, "alpha", "alpha");
	snprintf(b, sizeof(b), "/* beta */\n");
	snprintf(b + strlen(b), sizeof(b) - strlen(b), fn, "beta", "beta");
	snprintf(c, sizeof(c), "/* gamma */\n");
	snprintf(c + strlen(c), sizeof(c) - strlen(c), fn, "gamma", "gamma");
	t_git_set_author(g, "Base", "base@example.org", 1740819600);
	t_git_commit(g, "base", files);
	return g;
}

/* git -C dir args... into out; the exit status. */
static int git_out(const char *dir, const char *const args[],
		   struct sbuf *out)
{
	const char *argv[24] = { "git", "-C", dir };
	size_t n = 3;
	struct sbuf errout = SBUF_INIT;
	int rc;

	for (size_t i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	rc = t_run(argv, env, NULL, out, &errout);
	sbuf_release(&errout);
	return rc;
}

/* The real git am of mbx in repo, which must apply. */
static void git_am(const char *repo, const char *mbx)
{
	const char *amv[] = { "am", mbx, NULL };
	struct sbuf o = SBUF_INIT;

	ck_assert_msg(git_out(repo, amv, &o) == 0, "git am %s: %s", mbx, o.buf);
	sbuf_release(&o);
}

static const char review_id[] = "20250302080000.1002-0-ana@example.org";

START_TEST(am_review_thread_into_git_am)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	char *repo = path_join(tmp, "repo");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, log = SBUF_INIT;
	const char *args[] = { review_id, NULL };
	const char *log_args[] = { "log", "--reverse", "--format=%an <%ae> "
				   "%aI%n%B%n--", "HEAD~3..", NULL };
	char *mbx;
	int rc;

	rc = am(out, args, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	ck_assert(strstr(so.buf, "sender-mismatch"));
	ck_assert(strstr(so.buf, "warning: nacked: Nacked-by: Nat Naysayer"));
	ck_assert(strstr(so.buf, "\"For patches 1-2:\"): not applied"));
	mbx = the_mbx(out);
	ck_assert(strstr(mbx, "v2_20250302_ana_review_rules_in_one_thread"));
	git_am(repo, mbx);
	ck_assert_int_eq(git_out(repo, log_args, &log), 0);
	ck_assert_str_eq(log.buf,
		"Ana Author <ana@example.org> 2025-03-02T08:00:01+01:00\n"
		"bpf: Make alpha_one return eleven\n\n"
		"alpha_one() returns 1, which the verifier test no longer "
		"expects.\nReturn 11 instead.\n\n"
		"Signed-off-by: Ana Author <ana@example.org>\n"
		"acked-by: kim reviewer <KIM@example.org>\n"
		"Tested-by: Lee Tester <lee@example.org>\n"
		"Reviewed-by: Carl Carrier <carl.carrier@oldcorp.example>\n"
		"Acked-by: Tess Series <tess@example.org>\n"
		"Fixes: 00cbed85562b (\"base\")\n"
		"Link: https://example.org/issue/1\n\n--\n"
		"Ana Author <ana@example.org> 2025-03-02T08:00:02+01:00\n"
		"bpf: Make beta_two return twenty-two\n\n"
		"Reviewed-by: Carl Carrier <carl@example.org>\n"
		"Signed-off-by: Ana Author <ana@example.org>\n"
		"Reviewed-by: Pat Peer <pat@example.org>\n"
		"Reviewed-by: Carl Carrier <carl.carrier@oldcorp.example>\n"
		"Acked-by: Tess Series <tess@example.org>\n"
		"Fixes: 00cbed85562b (\"base\")\n"
		"Link: https://example.org/issue/1\n\n--\n"
		"Ana Author <ana@example.org> 2025-03-02T08:00:03+01:00\n"
		"libbpf: Return seven from libbpf_x\n\n"
		"Signed-off-by: Ana Author <ana@example.org>\n"
		"Reviewed-by: Carl Carrier <carl.carrier@oldcorp.example>\n"
		"Acked-by: Tess Series <tess@example.org>\n"
		"Fixes: 00cbed85562b (\"base\")\n"
		"Link: https://example.org/issue/1\n\n--\n");
	free(mbx);
	t_git_free(g);
	free(repo);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&log);
}
END_TEST

START_TEST(am_mailmap_sloppy_link_and_sob)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	char *repo = path_join(tmp, "repo"), *mm = path_join(repo, ".mailmap");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, cmd = SBUF_INIT;
	char *mbx, *text;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	int rc;

	t_write_file(mm, "Carl Carrier <carl@example.org> "
		     "<carl.carrier@oldcorp.example>\n");
	/* in the repository, so its .mailmap counts */
	sbuf_addf(&cmd, "cd '%s' && \"${VGER:-%s/vger}\" am --db '%s' -o '%s' "
		  "-S -l -s %s", repo, t_builddir(), db, out, review_id);
	argv[2] = cmd.buf;
	rc = t_run(argv, env, NULL, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	mbx = the_mbx(out);
	text = t_read_file(mbx);
	/* patch 2 has Carl already: the old address is him (.mailmap) */
	ck_assert(strstr(text, "Reviewed-by: Carl Carrier <carl@example.org>\n"
			 "Signed-off-by: Ana Author <ana@example.org>\n"
			 "Reviewed-by: Mo Worker <mo.worker@corp.example>\n"
			 "Reviewed-by: Pat Peer <pat@example.org>\n"
			 "Acked-by: Tess Series <tess@example.org>\n"
			 "Fixes: 00cbed85562b (\"base\")\n"
			 "Link: https://example.org/issue/1\n"
			 "Link: https://patch.msgid.link/20250302080000.1002-2-"
			 "ana@example.org\n"
			 "Signed-off-by: Test Maint <maint@example.org>\n---\n"));
	ck_assert(strstr(so.buf, "(applied: --sloppy-trailers)"));
	free(text);
	free(mbx);
	free(mm);
	t_git_free(g);
	free(repo);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&cmd);
}
END_TEST

START_TEST(am_encodings_and_attachment)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	char *repo = path_join(tmp, "repo");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, log = SBUF_INIT;
	const char *args[] = { "id:<20250302090000.0-ana@example.org>", NULL };
	const char *log_args[] = { "log", "--reverse", "--format=%an%n%B--",
				   "HEAD~3..", NULL };
	const char *show[] = { "show", "HEAD:tools/lib/bpf/libbpf.c", NULL };
	char *mbx;
	int rc;

	rc = am(out, args, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	mbx = the_mbx(out);
	git_am(repo, mbx);
	ck_assert_int_eq(git_out(repo, log_args, &log), 0);
	ck_assert_msg(strstr(log.buf,
		"Ana \xc3\x85uthor\nbpf: Make alpha_one return eleven\n\n"
		"alpha_one() returns 1, which the verifier test no longer "
		"expects.\nReturn 11 instead (spotted by J\xc3\xb6rg "
		"R\xc3\xb6\xc3\x9f).\n\nSigned-off-by: Ana Author "
		"<ana@example.org>\nAcked-by: J\xc3\xb6rg R\xc3\xb6\xc3\x9f "
		"<joerg@example.org>\n"), "%s", log.buf);
	ck_assert(strstr(log.buf, "Reviewed-by: Ren\xc3\xa9 Carri\xc3\xa8re "
			 "<rene@example.org>\n"));
	/* the attached patch: its mail's text is the message */
	ck_assert(strstr(log.buf, "libbpf: Return seven from libbpf_x\n\n"
			 "Signed-off-by: Ana Author <ana@example.org>\n"));
	sbuf_reset(&log);
	ck_assert_int_eq(git_out(repo, show, &log), 0);
	ck_assert(strstr(log.buf, "return 7;"));
	free(mbx);
	t_git_free(g);
	free(repo);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&log);
}
END_TEST

START_TEST(am_missing_and_broken_stop_unless_partial)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *missing[] = { "20250304080000.1001-3-ana@example.org",
				  NULL };
	const char *broken[] = { "<20250305080000.1004-1-ana@example.org>",
				 NULL };
	const char *partial[] = { "--partial",
				  "20250305080000.1004-1-ana@example.org",
				  NULL };
	char *mbx, *text;

	ck_assert_int_eq(am(out, missing, &so, &se), 1);
	ck_assert_msg(strstr(se.buf, "patch 2/3 of v1 is missing"), "%s",
		      se.buf);
	ck_assert(!fs_exists(out));
	sbuf_reset(&se);
	ck_assert_int_eq(am(out, broken, &so, &se), 1);
	ck_assert_msg(strstr(se.buf, "patch 2/3 <20250305080000.1004-2-ana@"
			     "example.org>: its diff is broken"), "%s",
		      se.buf);
	sbuf_reset(&se);
	ck_assert_int_eq(am(out, partial, &so, &se), 0);
	mbx = the_mbx(out);
	text = t_read_file(mbx);
	ck_assert(strstr(text, "Subject: [PATCH v4 1/3]"));
	ck_assert(!strstr(text, "Subject: [PATCH v4 2/3]"));
	ck_assert(strstr(text, "Subject: [PATCH v4 3/3]"));
	/* an in-body From: is the author (the mail came from Bea) */
	ck_assert(strstr(text, "From: Ana Author <ana@example.org>"));
	free(text);
	free(mbx);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

START_TEST(am_duplicate_patch_is_said)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *args[] = { "20250307080000.1005-0-ana@example.org", NULL };
	const char *partial[] = { "--partial",
				  "20250307080000.1005-0-ana@example.org",
				  NULL };
	char *mbx, *text;

	ck_assert_int_eq(am(out, args, &so, &se), 1);
	ck_assert_msg(strstr(se.buf, "patch 2/3 arrived twice (<20250307080000"
			     ".1005-2-ana@example.org> and <20250307080000.1005"
			     "-9-ana@example.org>)"), "%s", se.buf);
	ck_assert_int_eq(am(out, partial, &so, &se), 0);
	mbx = the_mbx(out);
	text = t_read_file(mbx);
	ck_assert(strstr(text, "Message-Id: <20250307080000.1005-2-ana@"));
	ck_assert(!strstr(text, "Message-Id: <20250307080000.1005-9-ana@"));
	free(text);
	free(mbx);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

/*
 * A message file removed after notmuch indexed it (between the query
 * and the read): the message is named with the file, the version is
 * not whole, nothing is written.
 */
START_TEST(am_file_gone_after_indexing_is_said)
{
	char *fx = t_fixture("am/review");
	const char *dirs[] = { fx, NULL };
	char *root = t_notmuch_db(dirs), *mail = t_notmuch_path(root);
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	char *gone = path_join(mail, "review/003.eml");
	const char *argv[] = { "am", "--db", mail, "-o", out,
			       "20250302080000.1002-0-ana@example.org", NULL };
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;

	ck_assert_int_eq(unlink(gone), 0);
	ck_assert_int_eq(t_vger(argv, env, &so, &se), 1);
	ck_assert_msg(strstr(se.buf, "<20250302080000.1002-2-ana@example.org>"
			     " not read: ") && strstr(se.buf, "003.eml: No "
			     "such file"), "%s", se.buf);
	ck_assert_msg(strstr(se.buf, "patch 2/3 of v2 is missing"), "%s",
		      se.buf);
	ck_assert(!fs_exists(out));
	sbuf_release(&so);
	sbuf_release(&se);
	free(gone);
	free(out);
	t_rmtree(tmp);
	free(mail);
	t_rmtree(root);
	free(fx);
}
END_TEST

START_TEST(am_takes_a_newer_version_from_its_own_thread)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *args[] = { "20250308080000.2001-2-ana@example.org", NULL };
	const char *v1[] = { "-v", "1", "20250308080000.2001-2-ana@example.org",
			     NULL };

	ck_assert_int_eq(am(out, args, &so, &se), 0);
	ck_assert_msg(strstr(se.buf, "a newer version is in a thread of its "
			     "own: <20250309080000.2002-0-ana@example.org>"),
		      "%s", se.buf);
	ck_assert(strstr(so.buf, "v2, 3 of 3 patches: A series reposted"));
	sbuf_reset(&so);
	ck_assert_int_eq(am(out, v1, &so, &se), 0);
	ck_assert_msg(strstr(so.buf, "v1, 3 of 3 patches: A series reposted"),
		      "%s", so.buf);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

START_TEST(am_partial_reroll_and_json)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *args[] = { "--json",
		"https://lore.kernel.org/bpf/rr13@example.org/", NULL };
	const char *v2[] = { "-v", "2", "rr13@example.org", NULL };
	struct json_object *j, *p, *a;

	ck_assert_int_eq(am(out, args, &so, &se), 0);
	j = json_tokener_parse(so.buf);
	ck_assert_msg(j, "%s", so.buf);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(j,
		"version")), 3);
	ck_assert(json_object_get_boolean(json_object_object_get(j,
		"partial_reroll")));
	p = json_object_object_get(j, "patches");
	ck_assert_int_eq(json_object_array_length(p), 3);
	ck_assert(json_object_get_boolean(json_object_object_get(
		json_object_array_get_idx(p, 0), "rerolled")));
	/* 2/3 changed its message only: v2's review carries over */
	a = json_object_object_get(json_object_array_get_idx(p, 1), "added");
	ck_assert_int_eq(json_object_array_length(a), 2);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(a, 1), "trailer")),
		"Reviewed-by: Kim Reviewer <kim@example.org>");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(a, 1), "message_id")),
		"rr11@example.org");
	json_object_put(j);
	t_rmtree(xstrdup(out));
	sbuf_reset(&so);
	ck_assert_int_eq(am(out, v2, &so, &se), 0);
	ck_assert_msg(strstr(so.buf, "v2, 3 of 3 patches: A partial reroll"),
		      "%s", so.buf);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

START_TEST(am_real_series_to_stdout)
{
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *args[] = { "am", "--db", db, "-o", "-",
		"CAP01T74DY4+n28oWZMS0Sh2FwYYxyMbTLxp8cf+OZ62AS7nOPg@mail."
		"gmail.com", NULL };
	const char *p = NULL;
	size_t n = 0;

	ck_assert_int_eq(t_vger(args, env, &so, &se), 0);
	for (p = so.buf; (p = strstr(p, "From git@z Thu Jan  1 00:00:00 "
				      "1970\n")); p++)
		n++;
	ck_assert_int_eq(n, 11);
	/* in 1..N order, the cover letter apart */
	ck_assert(strstr(so.buf, "[PATCH v3 1/11]") <
		  strstr(so.buf, "[PATCH v3 2/11]"));
	ck_assert(strstr(so.buf, "[PATCH v3 10/11]") <
		  strstr(so.buf, "[PATCH v3 11/11]"));
	ck_assert(!strstr(so.buf, "Subject: [PATCH v3 0/11]"));
	ck_assert(strstr(so.buf, "Signed-off-by: Luis Gerhorst "
			 "<luis.gerhorst@fau.de>\nFixes: 9c9f73391310 "
			 "(\"selftests/bpf: allow checking xlated programs in "
			 "verifier_* tests\")\nFixes: 7d743e4c759c (\"selftests/"
			 "bpf: __jited test tag to check disassembly after jit\")"
			 "\nAcked-by: Kumar Kartikeya Dwivedi <memxor@gmail.com>"
			 "\nTested-by: Eduard Zingerman <eddyz87@gmail.com>\n"
			 "---\n"));
	/* the report on stderr when the mbox is on stdout */
	ck_assert(strstr(se.buf, "    + Acked-by: Hari Bathini "
			 "<hbathini@linux.ibm.com>  (from Hari Bathini"));
	ck_assert(!strstr(so.buf, "    + Acked-by"));
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

static int shazam(const char *repo, const char *extra, struct sbuf *so,
		  struct sbuf *se)
{
	struct sbuf cmd = SBUF_INIT;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	int rc;

	sbuf_addf(&cmd, "cd '%s' && \"${VGER:-%s/vger}\" shazam --db '%s' %s "
		  "%s", repo, t_builddir(), db, extra, review_id);
	argv[2] = cmd.buf;
	rc = t_run(argv, env, NULL, so, se);
	sbuf_release(&cmd);
	return rc;
}

START_TEST(shazam_applies_and_merges)
{
	char *tmp = t_tmpdir(), *repo = path_join(tmp, "repo");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, log = SBUF_INIT;
	const char *merges[] = { "log", "--merges", "--format=%s%n%b", NULL };
	const char *count[] = { "rev-list", "--count", "HEAD", NULL };
	const char *reset[] = { "reset", "-q", "--hard", "HEAD~3", NULL };
	struct sbuf junk = SBUF_INIT;
	int rc;

	rc = shazam(repo, "", &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	ck_assert(strstr(se.buf, "base-commit 00cbed85562bb9daae3595aec3cb5f"
			 "22cc722cd3: not in this repository"));
	ck_assert_int_eq(git_out(repo, count, &log), 0);
	ck_assert_str_eq(log.buf, "4\n");
	ck_assert_int_eq(git_out(repo, reset, &junk), 0);
	sbuf_release(&junk);
	sbuf_reset(&se);
	rc = shazam(repo, "--merge", &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	sbuf_reset(&log);
	ck_assert_int_eq(git_out(repo, merges, &log), 0);
	ck_assert_msg(str_starts_with(log.buf,
		"Merge branch 'review-rules-in-one-thread'\n"
		"Ana Author says:\n\n====================\n"
		"The helpers return too little for the new verifier tests.\n"
		"This makes each return more.\n\nv1 -> v2: return eleven, not "
		"ten.\n\nv1: https://lore.kernel.org/bpf/20250301080000.1001-"
		"0-ana@example.org/\n====================\n\n"
		"Link: https://patch.msgid.link/20250302080000.1002-0-ana@"
		"example.org\nSigned-off-by: Test Maint <maint@example.org>\n"),
		"%s", log.buf);
	sbuf_reset(&log);
	ck_assert_int_eq(git_out(repo, count, &log), 0);
	ck_assert_str_eq(log.buf, "5\n");
	t_git_free(g);
	free(repo);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&log);
}
END_TEST

static const char hostile_id[] = "20250303080000.4001-1-mal@example.org";

/*
 * A subject carrying an OSC title, bidi and C1 controls and SGR
 * conceal (issue 10, item 2): what vger shazam prints of git am's own
 * words ("Applying: <subject>") is as safe as the rest, and vger am -o -
 * writes the mbox as it is into a pipe but never raw to a terminal.
 */
START_TEST(shazam_and_am_to_stdout_print_hostile_subjects_safely)
{
	char *tmp = t_tmpdir(), *repo = path_join(tmp, "repo");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, cmd = SBUF_INIT;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	const char *am_out[] = { "am", "--db", db, "-o", "-", hostile_id,
				 NULL };
	const struct t_pty_step none[] = { { .wait_for = NULL } };
	static const char shown[] = "bpf: alpha ^[]0;owned^Gone "
		"<U+202E>owt<U+202C> <U+0085> ^[[8mhidden^[[0m <U+009B>2J done";
	int rc;

	sbuf_addf(&cmd, "cd '%s' && \"${VGER:-%s/vger}\" shazam --db '%s' "
		  "'%s'", repo, t_builddir(), db, hostile_id);
	argv[2] = cmd.buf;
	rc = t_run(argv, env, NULL, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	t_assert_terminal_safe("vger shazam", &so);
	t_assert_terminal_safe("vger shazam (stderr)", &se);
	sbuf_reset(&cmd);
	sbuf_addf(&cmd, "Applying: %s\n", shown);
	ck_assert_msg(strstr(se.buf, cmd.buf), "%s", se.buf);

	/* into a pipe the mbox is what git am needs, byte for byte */
	sbuf_reset(&so);
	sbuf_reset(&se);
	ck_assert_int_eq(t_vger(am_out, env, &so, &se), 0);
	ck_assert_msg(strstr(so.buf, "body: \x1b[2J\x1b]0;body\a \xe2\x80\xae."),
		      "%s", so.buf);
	t_assert_terminal_safe("vger am -o - (stderr)", &se);
	/* on a terminal it is shown, not obeyed */
	sbuf_reset(&so);
	ck_assert_int_eq(t_pty_run(am_out, env, none, &so), 0);
	ck_assert_msg(strstr(so.buf, "body: ^[[2J^[]0;body^G <U+202E>."),
		      "%s", so.buf);
	for (const char *p = so.buf; *p;) {
		size_t n = strcspn(p, "\r\n");
		struct sbuf line = SBUF_INIT;

		sbuf_add(&line, p, n);
		t_assert_terminal_safe("vger am -o - on a terminal", &line);
		sbuf_release(&line);
		p += n;
		p += strspn(p, "\r\n");
	}
	t_git_free(g);
	free(repo);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&cmd);
}
END_TEST

START_TEST(shazam_stops_on_a_conflict)
{
	char *tmp = t_tmpdir(), *repo = path_join(tmp, "repo");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *files[] = { "beta.c", "changed\n", NULL };
	char *state = path_join(repo, ".git/rebase-apply");
	int rc;

	t_git_commit(g, "beta changed", files);
	rc = shazam(repo, "", &so, &se);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(se.buf, "git am --continue"), "%s", se.buf);
	ck_assert(fs_is_dir(state));
	free(state);
	t_git_free(g);
	free(repo);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

static const char mixed_id[] = "20250310080000.3001-0-ana@example.org";

/*
 * v2 sent in reply to v1's cover letter: the latest is taken, v1's ack
 * on the patch v2 did not change carries over, the one on the patch it
 * changed does not; replies in windows-1252 and ISO-8859-2 (8-bit).
 */
START_TEST(am_thread_with_two_versions)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	char *repo = path_join(tmp, "repo"), *cover;
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, log = SBUF_INIT;
	const char *args[] = { mixed_id, NULL };
	const char *log_args[] = { "log", "--reverse", "--format=%an <%ae> "
				   "%aI%n%B%n--", "HEAD~2..", NULL };
	char *mbx;
	int rc;

	rc = am(out, args, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	ck_assert_msg(strstr(so.buf, "the thread holds 2 versions; taking v2"),
		      "%s", so.buf);
	mbx = the_mbx(out);
	ck_assert(strstr(mbx, "/v2_20250311_ana_a_thread_with_two_versions."
			 "mbx"));
	cover = t_read_file(mbx);
	ck_assert(!strstr(cover, "Lee Tester"));
	free(cover);
	git_am(repo, mbx);
	ck_assert_int_eq(git_out(repo, log_args, &log), 0);
	ck_assert_str_eq(log.buf,
		"Ana Author <ana@example.org> 2025-03-11T08:00:01+01:00\n"
		"bpf: Make alpha_one return eleven\n\n"
		"alpha_one() returns 1, which the verifier test no longer "
		"expects.\nReturn 11 instead.\n\n"
		"Signed-off-by: Ana Author <ana@example.org>\n"
		"Acked-by: Kim Reviewer <kim@example.org>\n"
		"Tested-by: \xc5\x81ukasz Tester <lukasz@example.org>\n\n--\n"
		"Ana Author <ana@example.org> 2025-03-11T08:00:02+01:00\n"
		"bpf: Make beta_two return more\n\n"
		"beta_two() returns 2, which the verifier test no longer "
		"expects.\nReturn more instead.\n\n"
		"Signed-off-by: Ana Author <ana@example.org>\n"
		"Reviewed-by: Pat \xc5\xa0imek <pat@example.org>\n"
		"Tested-by: \xc5\x81ukasz Tester <lukasz@example.org>\n\n--\n");
	free(mbx);
	t_git_free(g);
	free(repo);
	free(out);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&log);
}
END_TEST

/* -v, -P, -i, -l, --no-cover and -T do what they say. */
START_TEST(am_pick_version_and_options)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	char *out2 = path_join(tmp, "out2");
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, p = SBUF_INIT;
	const char *v1[] = { "-v", "1", "-P", "2", "-i", "-l", "--no-cover",
			     "20250311080000.3002-1-ana@example.org", NULL };
	const char *bare[] = { "-T", "-P", "1,2", mixed_id, NULL };
	const char *bad[] = { "-P", "3", mixed_id, NULL };
	char *mbx, *text, *cov;

	ck_assert_int_eq(am(out, v1, &so, &se), 0);
	mbx = the_mbx(out);
	ck_assert(strstr(mbx, "/20250310_ana_a_thread_with_two_versions.mbx"));
	text = t_read_file(mbx);
	ck_assert(!strstr(text, "Subject: [PATCH 1/2]"));
	ck_assert_msg(strstr(text, "Subject: [PATCH 2/2] bpf: Make beta_two "
			     "return more\n"), "%s", text);
	ck_assert(strstr(text, "Signed-off-by: Ana Author <ana@example.org>\n"
			 "Acked-by: Lee Tester <lee@example.org>\n"
			 "Link: https://patch.msgid.link/20250310080000.3001-2-"
			 "ana@example.org\n"
			 "Message-ID: <20250310080000.3001-2-ana@example.org>\n"
			 "---\n"));
	ck_assert(strstr(text, "+\treturn 20;\n"));
	sbuf_addf(&p, "%s/20250310_ana_a_thread_with_two_versions.cover", out);
	ck_assert(!fs_exists(p.buf));
	free(text);
	free(mbx);
	ck_assert_int_eq(am(out2, bare, &so, &se), 0);
	mbx = the_mbx(out2);
	text = t_read_file(mbx);
	ck_assert(strstr(text, "Signed-off-by: Ana Author <ana@example.org>\n"
			 "---\n"));
	ck_assert(!strstr(text, "Acked-by"));
	ck_assert(!strstr(text, "Tested-by"));
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/v2_20250311_ana_a_thread_with_two_versions.cover",
		  out2);
	cov = t_read_file(p.buf);
	ck_assert(strstr(cov, "Subject: [PATCH v2 0/2] A thread with two "
			 "versions\n"));
	ck_assert(strstr(cov, "v1 -> v2: beta_two returns 22, not 20.\n"));
	free(cov);
	free(text);
	free(mbx);
	sbuf_reset(&se);
	ck_assert_int_eq(am(out2, bad, &so, &se), 1);
	ck_assert_msg(strstr(se.buf, "--cherry-pick '3': not patches of 1..2"),
		      "%s", se.buf);
	free(out);
	free(out2);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&p);
}
END_TEST

/* vger.linkmask makes -l's Link:; one without a single %s is said. */
START_TEST(am_linkmask_from_config)
{
	char *tmp = t_tmpdir(), *cfg = path_join(tmp, "gitconfig");
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, cmd = SBUF_INIT;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	int rc;

	t_write_file(cfg, "[vger]\n\tlinkmask = https://lore.kernel.org/r/"
		     "%s/\n");
	sbuf_addf(&cmd, "GIT_CONFIG_GLOBAL='%s' \"${VGER:-%s/vger}\" am "
		  "--db '%s' -o - -l -P 1 %s", cfg, t_builddir(), db, mixed_id);
	argv[2] = cmd.buf;
	rc = t_run(argv, env, NULL, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	ck_assert_msg(strstr(so.buf, "\nLink: https://lore.kernel.org/r/"
			     "20250311080000.3002-1-ana@example.org/\n---\n"),
		      "%s", so.buf);
	t_write_file(cfg, "[vger]\n\tlinkmask = https://x.example/%d/%s\n");
	sbuf_reset(&so);
	sbuf_reset(&se);
	rc = t_run(argv, env, NULL, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	ck_assert_msg(strstr(se.buf, "vger.linkmask 'https://x.example/%d/%s' "
			     "has no %s or another %: using https://patch."
			     "msgid.link/%s"), "%s", se.buf);
	ck_assert(strstr(so.buf, "\nLink: https://patch.msgid.link/"
			 "20250311080000.3002-1-ana@example.org\n---\n"));
	free(cfg);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&cmd);
}
END_TEST

/*
 * The cover letter's base-commit is in the repository: said so, and
 * --merge applies on it (not on HEAD, which moved on) unless --base.
 */
START_TEST(shazam_merges_on_the_base_commit)
{
	char *tmp = t_tmpdir(), *repo = path_join(tmp, "repo");
	struct t_git *g = base_repo(repo);
	struct sbuf so = SBUF_INIT, se = SBUF_INIT, o = SBUF_INIT;
	struct sbuf cmd = SBUF_INIT;
	const char *files[] = { "gamma.c", "/* gamma, later */\n", NULL };
	const char *base2[] = { "rev-parse", "HEAD^2~2", NULL };
	const char *first[] = { "rev-list", "--count", "--merges", "HEAD",
				NULL };
	const char *argv[] = { "sh", "-c", NULL, NULL };
	const char *head[] = { "rev-parse", "HEAD", NULL };
	char later[64];
	int rc;

	/* base_repo() makes the commit the fixture's base-commit names */
	ck_assert_int_eq(git_out(repo, head, &o), 0);
	ck_assert_str_eq(o.buf, "bea30a895ad68991e52484db19db562addc45ddd\n");
	sbuf_reset(&o);
	snprintf(later, sizeof(later), "%s\n",
		 t_git_commit(g, "gamma later", files));
	sbuf_addf(&cmd, "cd '%s' && \"${VGER:-%s/vger}\" shazam --db '%s' "
		  "--merge %s", repo, t_builddir(), db, mixed_id);
	argv[2] = cmd.buf;
	rc = t_run(argv, env, NULL, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	ck_assert_msg(strstr(se.buf, "base-commit bea30a895ad68991e52484db19db"
			     "562addc45ddd: in this repository"), "%s", se.buf);
	ck_assert_int_eq(git_out(repo, base2, &o), 0);
	ck_assert_str_eq(o.buf, "bea30a895ad68991e52484db19db562addc45ddd\n");
	sbuf_reset(&o);
	ck_assert_int_eq(git_out(repo, first, &o), 0);
	ck_assert_str_eq(o.buf, "1\n");
	/* --base: on the later commit */
	{
		const char *reset[] = { "reset", "-q", "--hard", "HEAD^1",
					NULL };

		sbuf_reset(&o);
		ck_assert_int_eq(git_out(repo, reset, &o), 0);
	}
	sbuf_reset(&cmd);
	sbuf_addf(&cmd, "cd '%s' && \"${VGER:-%s/vger}\" shazam --db '%s' "
		  "--merge --base HEAD %s", repo, t_builddir(), db, mixed_id);
	argv[2] = cmd.buf;
	sbuf_reset(&se);
	rc = t_run(argv, env, NULL, &so, &se);
	ck_assert_msg(rc == 0, "%d: %s", rc, se.buf);
	sbuf_reset(&o);
	ck_assert_int_eq(git_out(repo, base2, &o), 0);
	ck_assert_str_eq(o.buf, later);
	t_git_free(g);
	free(repo);
	t_rmtree(tmp);
	sbuf_release(&so);
	sbuf_release(&se);
	sbuf_release(&o);
	sbuf_release(&cmd);
}
END_TEST

/* Every form of the id the issue names finds the series. */
START_TEST(am_id_forms)
{
	char *tmp = t_tmpdir(), *out = path_join(tmp, "out");
	const char *forms[] = {
		"20250310080000.3001-1-ana@example.org",
		"<20250310080000.3001-1-ana@example.org>",
		" id:20250311080000.3002-2-ana@example.org",
		"mx13@example.org",
		"https://lore.kernel.org/bpf/20250310080000.3001-0-ana@example.org/",
		"https://lore.kernel.org/all/20250311080000.3002-1-ana%40example"
		".org/T/#u",
		"https://lore.kernel.org/r/mx10@example.org",
		"https://patch.msgid.link/20250311080000.3002-0-ana@example.org",
		NULL,
	};

	for (size_t i = 0; forms[i]; i++) {
		struct sbuf so = SBUF_INIT, se = SBUF_INIT;
		const char *args[] = { forms[i], NULL };
		int rc = am(out, args, &so, &se);

		ck_assert_msg(rc == 0, "%s: %d: %s", forms[i], rc, se.buf);
		ck_assert_msg(strstr(so.buf, "v2, 2 of 2 patches: A thread with "
				     "two versions\n"), "%s: %s", forms[i],
			      so.buf);
		sbuf_release(&so);
		sbuf_release(&se);
	}
	free(out);
	t_rmtree(tmp);
}
END_TEST

START_TEST(am_usage_and_unknown_ids)
{
	struct sbuf so = SBUF_INIT, se = SBUF_INIT;
	const char *none[] = { "am", "--db", db, "nope@example.org", NULL };
	const char *bad[] = { "am", "--db", db, "https://example.org/x", NULL };
	const char *noid[] = { "am", "--db", db, NULL };
	const char *merge[] = { "am", "--merge", "x@y", NULL };

	ck_assert_int_eq(t_vger(none, env, &so, &se), 1);
	ck_assert(strstr(se.buf, "no message <nope@example.org>"));
	ck_assert_int_eq(t_vger(bad, env, &so, &se), 2);
	ck_assert_int_eq(t_vger(noid, env, &so, &se), 2);
	ck_assert_int_eq(t_vger(merge, env, &so, &se), 2);
	sbuf_release(&so);
	sbuf_release(&se);
}
END_TEST

static Suite *am_suite(void)
{
	Suite *s = suite_create("am");
	TCase *t = tcase_create("text");
	TCase *c = tcase_create("collect");
	TCase *r = tcase_create("real");

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
	tcase_add_unchecked_fixture(r, db_setup, db_teardown);
	tcase_set_timeout(r, 120);
	tcase_add_test(r, am_review_thread_into_git_am);
	tcase_add_test(r, am_mailmap_sloppy_link_and_sob);
	tcase_add_test(r, am_encodings_and_attachment);
	tcase_add_test(r, am_missing_and_broken_stop_unless_partial);
	tcase_add_test(r, am_duplicate_patch_is_said);
	tcase_add_test(r, am_file_gone_after_indexing_is_said);
	tcase_add_test(r, am_takes_a_newer_version_from_its_own_thread);
	tcase_add_test(r, am_partial_reroll_and_json);
	tcase_add_test(r, am_real_series_to_stdout);
	tcase_add_test(r, am_thread_with_two_versions);
	tcase_add_test(r, am_pick_version_and_options);
	tcase_add_test(r, am_linkmask_from_config);
	tcase_add_test(r, am_id_forms);
	tcase_add_test(r, shazam_merges_on_the_base_commit);
	tcase_add_test(r, shazam_applies_and_merges);
	tcase_add_test(r, shazam_stops_on_a_conflict);
	tcase_add_test(r, shazam_and_am_to_stdout_print_hostile_subjects_safely);
	tcase_add_test(r, am_usage_and_unknown_ids);
	suite_add_tcase(s, r);
	return s;
}

int main(void)
{
	return t_run_suite(am_suite());
}
