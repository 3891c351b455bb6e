/*
 * The flows of front/ driven without a terminal, as the TUI will drive
 * them: hooks that record what they are told and answer as each test
 * says.  Real parts: a git repository made with libgit2, patch files
 * from git format-patch, tests/smtpd.py on 127.0.0.1, the shipped
 * merge-window history.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/mine.h"
#include "front/model.h"
#include "front/respin.h"
#include "front/send.h"
#include "mail/model.h"
#include "mail/send.h"
#include "mail/smtp.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"
#include "series/respin.h"

/* In the 6.13 merge window / an ordinary week of 6.16-rc, noon UTC. */
#define IN_WINDOW ((time_t)1732104000)	/* 2024-11-20 */
#define OUT_OF_WINDOW ((time_t)1749556800)	/* 2025-06-10 */

/* ---- hooks that record ---- */

struct rec {
	struct vec log;		/* char *: one line an event */
	int answer;		/* what ask() answers */
	size_t stop_after;	/* interrupted() once this many were sent */
	size_t sent;
};

static void rec_log(struct rec *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rec_log(struct rec *r, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(&r->log, sbuf_detach(&sb));
}

static void rec_say(void *data, enum front_say kind, const char *text)
{
	rec_log(data, "%s %s", kind == FRONT_WARNING ? "warning" : "note",
		text);
}

static int rec_ask(void *data, enum front_question q, const char *question,
		   const char *detail)
{
	struct rec *r = data;

	rec_log(r, "ask %d %s [%s]", (int)q, question, detail ? detail : "");
	return r->answer;
}

static void rec_progress(void *data, const struct front_progress *p)
{
	static const char *const respin_steps[] = {
		[FRONT_RESPIN_MODEL] = "model",
		[FRONT_RESPIN_FORMAT] = "format",
		[FRONT_RESPIN_MAINTAINERS] = "maintainers",
		[FRONT_RESPIN_CHECKS] = "checks",
		[FRONT_RESPIN_WRITE] = "write",
	};
	struct rec *r = data;

	switch (p->step) {
	case FRONT_SEND_BEGIN:
		rec_log(r, "begin %zu/%zu", p->i, p->n);
		break;
	case FRONT_SEND_SENT:
		r->sent++;
		rec_log(r, "sent %zu %s", p->i, p->subject);
		break;
	case FRONT_SEND_FAILED:
	case FRONT_SEND_UNSURE:
		rec_log(r, "failed %zu %s", p->i, p->why);
		break;
	case FRONT_SEND_END:
		rec_log(r, "end");
		break;
	default:
		rec_log(r, "%s", respin_steps[p->step]);
		break;
	}
}

static int rec_interrupted(void *data)
{
	struct rec *r = data;

	return r->stop_after && r->sent >= r->stop_after;
}

static struct front_hooks rec_hooks(struct rec *r)
{
	struct front_hooks h = { rec_say, rec_ask, NULL, rec_progress,
				 rec_interrupted, r };

	return h;
}

/* The log as one string, a line an event; the caller frees. */
static char *rec_text(const struct rec *r)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < r->log.n; i++)
		sbuf_addf(&sb, "%s\n", (char *)r->log.items[i]);
	return sbuf_detach(&sb);
}

static void rec_release(struct rec *r)
{
	vec_release_str(&r->log);
}

/* ---- a repository with a topic branch, and the user ---- */

struct fx {
	char *dir;
	char *repo;		/* dir/repo, branch topic checked out */
	char *config;		/* dir/gitconfig: the global config */
	struct front_config *cfg;
};

/*
 * Two patches on topic over master.  The user's name is only in the
 * global config ($GIT_CONFIG_GLOBAL), as in ~/.gitconfig; the
 * repository's own config has none.
 */
static void fx_init(struct fx *f)
{
	const char *base[] = { "f.c", "one\n", NULL };
	const char *a[] = { "f.c", "one\ntwo\n", NULL };
	const char *b[] = { "g.c", "three\n", NULL };
	struct err err = ERR_INIT;
	struct t_git *g;

	memset(f, 0, sizeof(*f));
	f->dir = t_tmpdir();
	f->repo = path_join(f->dir, "repo");
	f->config = path_join(f->dir, "gitconfig");
	t_write_file(f->config, "[user]\n\tname = Me Myself\n"
		     "\temail = me@example.org\n");
	ck_assert_int_eq(setenv("GIT_CONFIG_GLOBAL", f->config, 1), 0);
	g = t_git_init(f->repo);
	t_git_commit(g, "base\n", base);
	t_git_branch(g, "topic");
	t_git_commit(g, "bpf: add two\n\nWhy two.\n\nSigned-off-by: A U Thor "
		     "<author@example.com>\n", a);
	t_git_commit(g, "bpf: add three\n\nWhy three.\n\nSigned-off-by: A U "
		     "Thor <author@example.com>\n", b);
	t_git_free(g);
	ck_assert_msg(!front_config_open(&f->cfg, f->repo, &err), "%s",
		      err.msg);
}

static void fx_release(struct fx *f)
{
	front_config_free(f->cfg);
	free(f->repo);
	free(f->config);
	t_rmtree(f->dir);
}

/* ---- sending ---- */

struct sender {
	struct t_server srv;
	char *received;		/* what the server keeps */
	char *records;
	struct vec files;	/* the patch files */
	struct mail_smtp_options smtp;
	struct front_send_options o;
};

static void sender_init(struct sender *s, struct fx *f, time_t now)
{
	char *script = path_join(t_srcdir(), "tests/smtpd.py");
	char *out = path_join(f->dir, "out");
	const char *argv[] = { "python3", script, NULL, NULL };
	const char *fp[] = { "format-patch", "-q", "-o", out,
			     "--subject-prefix=PATCH bpf-next",
			     "--to=bpf@vger.kernel.org", "master..topic",
			     NULL };
	struct err err = ERR_INIT;

	memset(s, 0, sizeof(*s));
	s->received = t_tmpdir();
	s->records = path_join(f->dir, "records");
	argv[2] = s->received;
	t_server_start(&s->srv, argv);
	t_git_run(f->repo, fp);
	ck_assert_msg(!front_send_collect((const char *const *)&out, 1,
					  &s->files, &err), "%s", err.msg);
	ck_assert_uint_eq(s->files.n, 2);
	s->smtp.host = "127.0.0.1";
	s->smtp.port = s->srv.port;
	s->smtp.timeout = 10;
	s->o.files = (const char *const *)s->files.items;
	s->o.nfiles = s->files.n;
	s->o.from = "Me Myself <me@example.org>";
	s->o.thread = 1;
	s->o.smtp = &s->smtp;
	s->o.envelope = "me@example.org";
	s->o.record_dir = s->records;
	s->o.cfg = f->cfg;
	s->o.now = now;
	s->o.repo_dir = f->repo;
	free(script);
	free(out);
}

static void sender_release(struct sender *s)
{
	t_server_stop(&s->srv);
	t_rmtree(s->received);
	free(s->records);
	vec_release_str(&s->files);
}

/* How many messages the server accepted (it writes N.eml for each). */
static int received_count(const struct sender *s)
{
	int n = 0;

	for (;;) {
		struct sbuf p = SBUF_INIT;
		int there;

		sbuf_addf(&p, "%s/%d.eml", s->received, n + 1);
		there = fs_exists(p.buf);
		sbuf_release(&p);
		if (!there)
			return n;
		n++;
	}
}

static char *received(const struct sender *s, int n)
{
	struct sbuf p = SBUF_INIT;
	char *text;

	sbuf_addf(&p, "%s/%d.eml", s->received, n);
	text = t_read_file(p.buf);
	sbuf_release(&p);
	return text;
}

/* One run of the flow: open, run, free; the outcome. */
static enum front_send_outcome send_once(struct sender *s,
					 const struct front_hooks *h,
					 struct front_send_result *res)
{
	struct front_send *fs = NULL;
	struct err err = ERR_INIT;

	ck_assert_msg(!front_send_open(&fs, &s->o, &err), "%s", err.msg);
	ck_assert_msg(!front_send_run(fs, h, res, &err), "%s", err.msg);
	front_send_free(fs);
	return res->outcome;
}

START_TEST(send_reports_each_message_and_tags_as_the_user)
{
	struct fx f;
	struct sender s;
	struct rec r = { VEC_INIT, FRONT_YES, 0, 0 };
	struct front_hooks h = rec_hooks(&r);
	struct front_send_result res;
	const char *tag[] = { "git", "-C", NULL, "cat-file", "tag",
			      "vger/topic-v1", NULL };
	struct sbuf out = SBUF_INIT;
	char *log, *mail;

	fx_init(&f);
	sender_init(&s, &f, OUT_OF_WINDOW);
	ck_assert_int_eq(send_once(&s, &h, &res), FRONT_SEND_DONE);
	ck_assert_uint_eq(res.sent, 2);
	ck_assert_uint_eq(res.total, 2);
	log = rec_text(&r);
	ck_assert_str_eq(log,
		"ask 2 Send this series of 2 messages to bpf@vger.kernel.org? "
		"[]\n"
		"begin 0/2\n"
		"sent 0 [PATCH bpf-next 1/2] bpf: add two\n"
		"sent 1 [PATCH bpf-next 2/2] bpf: add three\n"
		"end\n"
		"note recorded v1 of topic as sent "
		"(refs/tags/vger/topic-v1)\n");
	ck_assert_int_eq(received_count(&s), 2);
	mail = received(&s, 2);
	ck_assert_msg(strstr(mail, "Subject: [PATCH bpf-next 2/2] bpf: add "
			     "three\r\n"), "%s", mail);
	/* The tag is the user's, whose name only ~/.gitconfig has. */
	tag[2] = f.repo;
	ck_assert_int_eq(t_run(tag, NULL, NULL, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "\ntagger Me Myself <me@example.org> "),
		      "%s", out.buf);
	free(mail);
	free(log);
	sbuf_release(&out);
	rec_release(&r);
	sender_release(&s);
	fx_release(&f);
}
END_TEST

START_TEST(send_answered_no_or_unasked_sends_nothing)
{
	struct fx f;
	struct sender s;
	struct rec r = { VEC_INIT, FRONT_NO, 0, 0 };
	struct front_hooks h = rec_hooks(&r);
	struct front_send_result res;
	char *log;

	fx_init(&f);
	sender_init(&s, &f, OUT_OF_WINDOW);
	ck_assert_int_eq(send_once(&s, &h, &res), FRONT_SEND_DECLINED);
	ck_assert_uint_eq(res.sent, 0);
	log = rec_text(&r);
	ck_assert_str_eq(log, "ask 2 Send this series of 2 messages to "
			 "bpf@vger.kernel.org? []\n");
	free(log);
	rec_release(&r);
	/*
	 * In the merge window bpf-next is closed: yes answers only the
	 * confirmation, and with no way to ask the flow refuses.
	 */
	s.o.now = IN_WINDOW;
	s.o.yes = 1;
	h.ask = NULL;
	ck_assert_int_eq(send_once(&s, &h, &res), FRONT_SEND_DECLINED);
	log = rec_text(&r);
	ck_assert_msg(str_starts_with(log, "note bpf-next: CLOSED") &&
		      strstr(log, "merge window for 6.13") &&
		      !strstr(log, "sent") && !strstr(log, "begin"), "%s", log);
	free(log);
	ck_assert_int_eq(received_count(&s), 0);
	rec_release(&r);
	sender_release(&s);
	fx_release(&f);
}
END_TEST

START_TEST(send_interrupted_then_resumed_sends_the_rest_only)
{
	struct fx f;
	struct sender s;
	struct rec r = { VEC_INIT, FRONT_YES, 1, 0 };
	struct front_hooks h = rec_hooks(&r);
	struct front_send_result res;
	char *log, *mail;

	fx_init(&f);
	sender_init(&s, &f, OUT_OF_WINDOW);
	s.o.yes = 1;
	ck_assert_int_eq(send_once(&s, &h, &res), FRONT_SEND_INTERRUPTED);
	ck_assert_uint_eq(res.sent, 1);
	log = rec_text(&r);
	ck_assert_str_eq(log, "begin 0/2\n"
			 "sent 0 [PATCH bpf-next 1/2] bpf: add two\n"
			 "end\n");
	free(log);
	ck_assert_int_eq(received_count(&s), 1);
	rec_release(&r);
	/* The next run asks about the rest, and sends only it. */
	r.stop_after = 0;
	ck_assert_int_eq(send_once(&s, &h, &res), FRONT_SEND_DONE);
	ck_assert_uint_eq(res.sent, 2);
	log = rec_text(&r);
	ck_assert_msg(str_starts_with(log, "ask 1 1 of 2 messages of this "
				      "series were sent before (record "),
		      "%s", log);
	ck_assert_msg(strstr(log, "; send the other 1? [1 of 2 messages"),
		      "%s", log);
	ck_assert_msg(strstr(log, "\nbegin 1/2\n"
			     "sent 1 [PATCH bpf-next 2/2] bpf: add three\n"
			     "end\n"), "%s", log);
	ck_assert_int_eq(received_count(&s), 2);
	mail = received(&s, 2);
	ck_assert_msg(strstr(mail, "Subject: [PATCH bpf-next 2/2] "), "%s",
		      mail);
	free(mail);
	free(log);
	rec_release(&r);
	sender_release(&s);
	fx_release(&f);
}
END_TEST

/* ---- respinning ---- */

/* The file of res named name, or NULL. */
static const struct series_file *file_named(
	const struct front_respin_result *res, const char *name)
{
	for (size_t i = 0; i < res->series.files.n; i++) {
		const struct series_file *f = res->series.files.items[i];

		if (!strcmp(f->name, name))
			return f;
	}
	return NULL;
}

/* A respin of topic into dir/out, with hooks that record. */
struct rfx {
	struct fx f;
	struct rec r;
	struct front_hooks h;
	struct front_respin_options o;
	struct front_respin_result res;
	char *out;
};

static void rfx_init(struct rfx *x, const char *tree, int answer)
{
	struct front_respin_result init = FRONT_RESPIN_RESULT_INIT;

	memset(x, 0, sizeof(*x));
	fx_init(&x->f);
	x->r.answer = answer;
	x->h = rec_hooks(&x->r);
	x->res = init;
	x->out = path_join(x->f.dir, "out");
	x->o.range = "master..topic";
	x->o.tree = tree;
	x->o.outdir = x->out;
	x->o.cover_letter = -1;
	x->o.thread = -1;
	x->o.cfg = x->f.cfg;
	ck_assert_int_eq(chdir(x->f.repo), 0);
}

/* Respin (a result before is dropped); the flow must not fail. */
static void rfx_run(struct rfx *x)
{
	struct err err = ERR_INIT;

	front_respin_result_release(&x->res);
	ck_assert_msg(!front_respin(&x->o, &x->h, &x->res, &err), "%s",
		      err.msg);
}

static void rfx_release(struct rfx *x)
{
	front_respin_result_release(&x->res);
	free(x->out);
	rec_release(&x->r);
	fx_release(&x->f);
}

START_TEST(respin_writes_the_series_and_returns_its_files)
{
	static const char *const names[] = { "0000-cover-letter.patch",
		"0001-bpf-add-two.patch", "0002-bpf-add-three.patch" };
	struct rfx x;
	const struct series_file *cover, *p1;
	char *log;

	rfx_init(&x, "bpf-next", FRONT_NO);
	rfx_run(&x);
	ck_assert_str_eq(x.res.dir, x.out);
	ck_assert_uint_eq(x.res.series.version, 1);
	ck_assert_str_eq(x.res.series.tree, "bpf-next");
	ck_assert_uint_eq(x.res.series.files.n, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct series_file *sf = file_named(&x.res, names[i]);
		char *path = path_join(x.out, names[i]), *text;

		ck_assert_msg(sf, "no %s", names[i]);
		text = t_read_file(path);
		ck_assert_str_eq(text, sf->text);
		free(text);
		free(path);
	}
	cover = file_named(&x.res, names[0]);
	p1 = file_named(&x.res, names[1]);
	ck_assert_msg(strstr(p1->text, "Subject: [PATCH bpf-next 1/2] bpf: "
			     "add two\n"), "%s", p1->text);
	/* From: the user of ~/.gitconfig; To: the tree's list. */
	ck_assert_msg(strstr(cover->text, "From: Me Myself <me@example.org>\n"),
		      "%s", cover->text);
	ck_assert_msg(strstr(x.res.series.recipients,
			     "To: bpf@vger.kernel.org"), "%s",
		      x.res.series.recipients);
	/* The checks ran: two patches and no cover letter text yet. */
	ck_assert(x.res.checked);
	ck_assert_uint_eq(x.res.npatches, 2);
	ck_assert_str_eq(x.res.check_tree, "bpf-next");
	ck_assert_uint_eq(x.res.checks.errors, 0);
	ck_assert_uint_ge(x.res.checks.warnings, 1);
	log = rec_text(&x.r);
	ck_assert_str_eq(log, "format\n"
			 "warning the cover letter is not written yet "
			 "(vger respin --edit-cover)\n"
			 "checks\n"
			 "write\n");
	free(log);
	rfx_release(&x);
}
END_TEST

START_TEST(respin_for_a_closed_tree_asks_and_makes_an_rfc)
{
	struct rfx x;
	const struct series_file *p1;
	char *log;

	rfx_init(&x, "bpf-next", FRONT_YES);
	ck_assert_int_eq(setenv("VGER_NOW", "2024-11-20", 1), 0);
	rfx_run(&x);
	log = rec_text(&x.r);
	ck_assert_msg(strstr(log, "\nwarning bpf-next: CLOSED") &&
		      strstr(log, "\nask 3 bpf-next takes RFC patches during "
			     "the merge window; make this version an RFC? "
			     "[bpf-next]\n"), "%s", log);
	p1 = x.res.series.files.items[1];
	ck_assert_msg(strstr(p1->text, "Subject: [RFC PATCH bpf-next 1/2] "),
		      "%s", p1->text);
	ck_assert(fs_exists(x.res.dir));
	free(log);
	rfx_release(&x);
}
END_TEST

START_TEST(respin_stopped_by_the_checks_writes_nothing)
{
	struct rfx x;
	int fixes = 0;

	/* Fixes for bpf need a Fixes: tag, which neither patch has. */
	rfx_init(&x, "bpf", FRONT_NO);
	rfx_run(&x);
	ck_assert_ptr_null(x.res.dir);
	ck_assert(!fs_exists(x.out));
	ck_assert(x.res.checked);
	ck_assert_uint_eq(x.res.checks.errors, 2);
	for (size_t i = 0; i < x.res.checks.findings.n; i++) {
		const struct check_finding *c = x.res.checks.findings.items[i];

		fixes += c->rule == CHECK_FIXES_TAG;
	}
	ck_assert_int_eq(fixes, 2);
	/* Written anyway with no_check, the findings all the same. */
	x.o.no_check = 1;
	rfx_run(&x);
	ck_assert_str_eq(x.res.dir, x.out);
	ck_assert_uint_eq(x.res.checks.errors, 2);
	ck_assert(fs_exists(x.out));
	rfx_release(&x);
}
END_TEST

/* The trailers note of res for patch index, all lines joined. */
static char *notes_of(const struct front_respin_result *res, unsigned index)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < res->series.notes.n; i++) {
		const struct series_trailer_note *n = res->series.notes.items[i];

		if (n->index == index)
			sbuf_addf(&sb, "%s\n", n->line);
	}
	return sbuf_detach(&sb);
}

/*
 * Branch v3topic of repo: the three patches of the review thread of
 * tests/fixtures/am/review, on branch review; checked out.  The
 * repository, to go on with.
 */
static struct t_git *v3topic_branch(const char *repo)
{
	const char *base[] = {
		"alpha.c", "a\n", "beta.c", "b\n",
		"tools/lib/bpf/libbpf.c", "l\n", NULL };
	const char *c1[] = { "alpha.c", "a1\n", NULL };
	const char *c2[] = { "beta.c", "b1\n", NULL };
	const char *c3[] = { "tools/lib/bpf/libbpf.c", "l1\n", NULL };
	struct t_git *g = t_git_init(repo);

	t_git_branch(g, "review");
	t_git_commit(g, "base2\n", base);
	t_git_branch(g, "v3topic");
	t_git_commit(g, "bpf: Make alpha_one return eleven\n\nWhy.\n\n"
		     "Signed-off-by: Me Myself <me@example.org>\n", c1);
	t_git_commit(g, "bpf: Make beta_two return twenty-two\n\nWhy.\n\n"
		     "Signed-off-by: Me Myself <me@example.org>\n", c2);
	t_git_commit(g, "libbpf: Return seven from libbpf_x\n\nWhy.\n\n"
		     "Signed-off-by: Me Myself <me@example.org>\n", c3);
	return g;
}

START_TEST(respin_carries_the_trailers_the_collector_gives)
{
	char *fixture = t_fixture("am/review");
	const char *dirs[] = { fixture, NULL };
	char *root = t_notmuch_db(dirs), *db = t_notmuch_path(root);
	struct sbuf cfg = SBUF_INIT;
	struct rfx x;
	struct t_git *g;
	char *n1, *n2, *log;

	rfx_init(&x, "bpf-next", FRONT_NO);
	/* a branch whose v2 was the review thread */
	g = v3topic_branch(x.f.repo);
	t_git_tag(g, "vger/v3topic-v2", NULL, "Review rules\n\nMessage-Id: "
		  "<20250302080000.1002-0-ana@example.org>\n", 1741000000);
	t_git_free(g);
	sbuf_addf(&cfg, "[user]\n\tname = Me Myself\n\temail = "
		  "me@example.org\n[vger]\n\tdatabase = %s\n", db);
	t_write_file(x.f.config, cfg.buf);
	x.o.range = "review..v3topic";
	rfx_run(&x);
	n1 = notes_of(&x.res, 1);
	n2 = notes_of(&x.res, 2);
	log = rec_text(&x.r);
	ck_assert_uint_eq(x.res.series.version, 3);
	ck_assert_msg(strstr(n1, "Tested-by: Lee Tester <lee@example.org>\n"),
		      "%s", n1);
	ck_assert(strstr(n1, "Acked-by: Tess Series <tess@example.org>\n"));
	ck_assert_msg(strstr(n2, "Reviewed-by: Pat Peer <pat@example.org>\n"),
		      "%s", n2);
	/* not from its sender, a NAK, a scoped one: never carried */
	ck_assert(!strstr(n2, "Mo Worker"));
	ck_assert(!strstr(n2, "Nacked-by"));
	ck_assert(!strstr(n1, "Sam Scoped"));
	ck_assert_msg(strstr(log, "dropped the Reviewed-by given on v2 by "
			     "'mo.worker@corp.example': sent by "
			     "'mo@personal.example', not by them"), "%s", log);
	free(n1);
	free(n2);
	free(log);
	sbuf_release(&cfg);
	rfx_release(&x);
	free(db);
	free(fixture);
	t_rmtree(root);
}
END_TEST

/* ---- your own series and their branches ---- */

/* Whether branch has a sent tag matching s: out filled; 1 yes. */
static int branch_of(const char *repo, const struct mail_series *s,
		     struct front_branch *out, struct sbuf *said)
{
	struct front_mine *m = NULL;
	struct err err = ERR_INIT;
	int found;

	ck_assert_msg(!front_mine_open(&m, repo, &err), "%s", err.msg);
	found = front_mine_branch(m, s, out);
	sbuf_reset(said);
	if (found)
		front_branch_describe(out, said);
	front_mine_free(m);
	return found;
}

START_TEST(mine_ties_a_series_to_its_branch_and_respins_it_unchecked_out)
{
	const char *v1[] = { "tag", "-a", "-m", "Review rules\n\nMessage-Id: "
			     "<v1.cover@example.org>", "vger/v3topic-v1",
			     "v3topic~1", NULL };
	const char *look_alikes[][8] = {
		/* lightweight: no Message-Id to go by */
		{ "tag", "vger/elsewhere-v1", "v3topic", NULL },
		/* the same id, not one of vger's tags */
		{ "tag", "-a", "-m", "Message-Id: <20250302080000.1002-0-"
		  "ana@example.org>", "release-1", "v3topic", NULL },
		/* no version: not a sent tag */
		{ "tag", "-a", "-m", "Message-Id: <20250302080000.1002-0-"
		  "ana@example.org>", "vger/v3topic-vx", "v3topic", NULL },
	};
	const char *topic[] = { "checkout", "-q", "topic", NULL };
	const char *upstream[] = { "branch", "-q", "--set-upstream-to=review",
				   "v3topic", NULL };
	const char *drop[] = { "branch", "-q", "-D", "v3topic", NULL };
	const char *untag[] = { "tag", "-d", "vger/v3topic-v2", NULL };
	const char *id = "20250302080000.1002-0-ana@example.org";
	char *fixture = t_fixture("am/review");
	const char *dirs[] = { fixture, NULL };
	char *root = t_notmuch_db(dirs), *db = t_notmuch_path(root);
	struct front_model_args margs = { NULL, NULL, 1, 0 };
	struct front_branch b = FRONT_BRANCH_INIT;
	struct sbuf cfg = SBUF_INIT, said = SBUF_INIT;
	struct mail_model *model = NULL;
	const struct mail_series *s = NULL;
	struct series_job *job;
	struct err err = ERR_INIT;
	struct rfx x;
	char *text, *path;

	rfx_init(&x, "bpf-next", FRONT_NO);
	t_git_free(v3topic_branch(x.f.repo));
	/* v1 tagged by git itself, v2 as vger send records it */
	t_git_run(x.f.repo, v1);
	ck_assert_int_eq(series_job_open(&job, x.f.repo, &err), 0);
	ck_assert_int_eq(series_record_sent(job, "v3topic", 2, NULL,
					    "<20250302080000.1002-0-ana@"
					    "example.org>", "Review rules\n",
					    &err), 0);
	series_job_free(job);
	for (size_t i = 0; i < 3; i++)
		t_git_run(x.f.repo, look_alikes[i]);
	t_git_run(x.f.repo, topic);
	sbuf_addf(&cfg, "[user]\n\tname = Me Myself\n\temail = "
		  "me@example.org\n[vger]\n\tdatabase = %s\n", db);
	t_write_file(x.f.config, cfg.buf);
	ck_assert_msg(!front_model_open(&margs, 0, &model, &err), "%s",
		      err.msg);
	ck_assert_ptr_nonnull(mail_model_find_version(model, id, &s));

	/* the v2 of the mail is the v2 tag's: branch v3topic */
	ck_assert_int_eq(branch_of(x.f.repo, s, &b, &said), 1);
	ck_assert_str_eq(b.branch, "v3topic");
	ck_assert_uint_eq(b.sent, 2);
	ck_assert_uint_eq(b.last, 2);
	ck_assert(b.exists);
	ck_assert(!b.checked_out);
	ck_assert_str_eq(said.buf, "v3topic (v2 sent)");
	front_branch_release(&b);

	/* respin it from topic: no upstream and no vger.base is named */
	x.o.range = NULL;
	x.o.branch = "v3topic";
	ck_assert_int_lt(front_respin(&x.o, &x.h, &x.res, &err), 0);
	ck_assert_int_eq(err.code, ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "branch 'v3topic' has no upstream"),
		      "%s", err.msg);
	ck_assert(!fs_exists(x.out));
	t_git_run(x.f.repo, upstream);
	rfx_run(&x);
	ck_assert_str_eq(x.res.series.branch, "v3topic");
	ck_assert_uint_eq(x.res.series.version, 3);
	ck_assert_uint_eq(x.res.series.files.n, 4);
	ck_assert_msg(strstr(((struct series_file *)
			      x.res.series.files.items[3])->text,
			     "Subject: [PATCH bpf-next v3 3/3] libbpf: "
			     "Return seven from libbpf_x\n"), "%s",
		      ((struct series_file *)x.res.series.files.items[3])->text);
	/* the trailers of v2 came from its thread, found by its tag */
	ck_assert_uint_ge(x.res.series.notes.n, 1);
	/* the work tree and HEAD are topic's still */
	path = path_join(x.f.repo, "f.c");
	text = t_read_file(path);
	ck_assert_str_eq(text, "one\ntwo\n");
	free(text);
	free(path);
	ck_assert_int_eq(series_job_open(&job, x.f.repo, &err), 0);
	ck_assert_str_eq(series_job_branch(job), "topic");
	ck_assert_int_eq(series_cover_get(job, "v3topic", &text, &err), 0);
	ck_assert_msg(text && strstr(text, "Changes in v3:"), "%s", text);
	free(text);
	series_job_free(job);

	/* the branch deleted: still known, and said; no respin */
	t_git_run(x.f.repo, drop);
	ck_assert_int_eq(branch_of(x.f.repo, s, &b, &said), 1);
	ck_assert(!b.exists);
	ck_assert_str_eq(said.buf, "v3topic (v2 sent; branch deleted)");
	front_branch_release(&b);
	front_respin_result_release(&x.res);
	ck_assert_int_lt(front_respin(&x.o, &x.h, &x.res, &err), 0);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_str_eq(err.msg, "no branch 'v3topic' in this repository");

	/* without the v2 tag, nothing ties the series to a branch */
	t_git_run(x.f.repo, untag);
	ck_assert_int_eq(branch_of(x.f.repo, s, &b, &said), 0);
	ck_assert_ptr_null(b.branch);

	mail_model_free(model);
	sbuf_release(&cfg);
	sbuf_release(&said);
	rfx_release(&x);
	free(db);
	free(fixture);
	t_rmtree(root);
}
END_TEST

static Suite *front_suite(void)
{
	Suite *s = suite_create("front");
	TCase *send = tcase_create("send");
	TCase *respin = tcase_create("respin");

	tcase_add_test(send, send_reports_each_message_and_tags_as_the_user);
	tcase_add_test(send, send_answered_no_or_unasked_sends_nothing);
	tcase_add_test(send, send_interrupted_then_resumed_sends_the_rest_only);
	suite_add_tcase(s, send);
	tcase_add_test(respin, respin_writes_the_series_and_returns_its_files);
	tcase_add_test(respin, respin_for_a_closed_tree_asks_and_makes_an_rfc);
	tcase_add_test(respin, respin_stopped_by_the_checks_writes_nothing);
	tcase_add_test(respin, respin_carries_the_trailers_the_collector_gives);
	tcase_add_test(respin,
		       mine_ties_a_series_to_its_branch_and_respins_it_unchecked_out);
	suite_add_tcase(s, respin);
	return s;
}

int main(void)
{
	return t_run_suite(front_suite());
}
