/*
 * Writing mail: replies computed from real list mail and compared with
 * `notmuch reply` over a real notmuch database (the oracle), review
 * trailer replies, forwards, hostile names; drafts in a maildir; a
 * draft sent through the real SMTP server on loopback (tests/smtpd.py)
 * and found in notmuch, indexed and tagged, at once.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front/compose.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/report.h"
#include "front/send.h"
#include "mail/address.h"
#include "mail/maildir.h"
#include "mail/message.h"
#include "mail/reply.h"
#include "series/history.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define SPECTRE "mail/series/2025-05-01_bpf-mitigate-spectre-v1-u"
#define ME "Test User <test@example.org>"

/* ---- the oracle: notmuch reply ---- */

struct nmdb {
	char *root;		/* t_notmuch_db() */
	char *config;		/* root/notmuch-config */
	struct sbuf env;	/* NOTMUCH_CONFIG=... */
};

/*
 * A database of the spectre series whose user is test@example.org and,
 * for notmuch, also Alexei and Daniel (so their addresses are "mine").
 */
static void nmdb_init(struct nmdb *d)
{
	char *dir = t_fixture(SPECTRE);
	const char *dirs[] = { dir, NULL };
	char *mail;
	struct sbuf cfg = SBUF_INIT;

	d->root = t_notmuch_db(dirs);
	d->config = path_join(d->root, "notmuch-config");
	mail = t_notmuch_path(d->root);
	sbuf_addf(&cfg, "[database]\npath=%s\n[user]\nname=Test User\n"
		  "primary_email=test@example.org\nother_email=ast@kernel.org;"
		  "daniel@iogearbox.net\n[new]\ntags=unread;inbox\n"
		  "[maildir]\nsynchronize_flags=false\n", mail);
	t_write_file(d->config, cfg.buf);
	sbuf_init(&d->env);
	sbuf_addf(&d->env, "NOTMUCH_CONFIG=%s", d->config);
	sbuf_release(&cfg);
	free(mail);
	free(dir);
}

static void nmdb_release(struct nmdb *d)
{
	free(d->config);
	sbuf_release(&d->env);
	t_rmtree(d->root);
}

/* notmuch's output for args (NULL-ended, after "notmuch"). */
static void notmuch_out(const struct nmdb *d, const char *const args[],
			struct sbuf *out)
{
	const char *argv[16] = { "notmuch" };
	const char *env[] = { d->env.buf, NULL };
	struct sbuf err = SBUF_INIT;
	size_t n = 1;
	int rc;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	sbuf_reset(out);
	rc = t_run(argv, env, NULL, out, &err);
	ck_assert_msg(rc == 0, "notmuch %s: %s", args[0], err.buf);
	sbuf_release(&err);
}

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The addresses of a message's To: and Cc:, lower case, sorted. */
static void address_set(const struct mail_message *m, int to, int cc,
			struct vec *out)
{
	const struct vec *lists[] = { to ? &m->to : NULL, cc ? &m->cc : NULL };

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; lists[k] && i < lists[k]->n; i++) {
			char *a = xstrdup(lists[k]->items[i]);

			for (char *p = a; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 'a' - 'A';
			if (vec_find_str(out, a) < 0)
				vec_push(out, a);
			else
				free(a);
		}
	vec_sort(out, strcmp_p);
}

static void join(const struct vec *v, struct sbuf *out)
{
	sbuf_reset(out);
	for (size_t i = 0; i < v->n; i++)
		sbuf_addf(out, "%s%s", i ? " " : "", (char *)v->items[i]);
}

static void parse_text(const char *text, const char *what,
		       struct mail_message *m)
{
	struct err err = ERR_INIT;

	ck_assert_msg(!mail_message_parse(m, text, strlen(text), what, &err),
		      "%s", err.msg);
}

/* Our draft answering the message at path (mode), parsed into m. */
static void our_reply(const char *path, enum mail_reply_mode mode,
		      const char *trailer, struct sbuf *text,
		      struct mail_message *m)
{
	struct vec me = VEC_INIT;
	struct mail_reply_options o;
	struct err err = ERR_INIT;

	vec_push_str(&me, "test@example.org");
	vec_push_str(&me, "ast@kernel.org");
	vec_push_str(&me, "daniel@iogearbox.net");
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.from = ME;
	o.me = &me;
	o.message_id = "<draft.1@example.org>";
	o.trailer = trailer;
	sbuf_reset(text);
	ck_assert_msg(!mail_reply_draft(path, &o, text, &err), "%s", err.msg);
	parse_text(text->buf, path, m);
	vec_release_str(&me);
}

struct oracle_ctx {
	const struct nmdb *d;
	size_t checked;
};

/*
 * One message against notmuch reply: the same recipients (as a set),
 * the author alone in To: for a group reply, the same threading and
 * subject; for a reply to the sender, the same To:.
 */
static void compare_one(struct oracle_ctx *c, const char *id,
			const char *file)
{
	struct sbuf q = SBUF_INIT, nm = SBUF_INIT, ours = SBUF_INIT;
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	const char *modes[] = { "--reply-to=sender", "--reply-to=all" };

	sbuf_addf(&q, "id:%s", id);
	for (int k = 0; k < 2; k++) {
		const char *args[] = { "reply", modes[k], q.buf, NULL };
		struct mail_message theirs, mine;
		struct vec st = VEC_INIT, so = VEC_INIT;

		memset(&theirs, 0, sizeof(theirs));
		memset(&mine, 0, sizeof(mine));
		notmuch_out(c->d, args, &nm);
		parse_text(nm.buf, "notmuch reply", &theirs);
		our_reply(file, k ? MAIL_REPLY_ALL : MAIL_REPLY_SENDER, NULL,
			  &ours, &mine);
		address_set(&theirs, 1, k, &st);
		address_set(&mine, 1, k, &so);
		join(&st, &a);
		join(&so, &b);
		ck_assert_msg(!strcmp(a.buf, b.buf), "%s %s: notmuch [%s], "
			      "vger [%s]", file, modes[k], a.buf, b.buf);
		ck_assert_str_eq(theirs.subject, mine.subject);
		ck_assert_str_eq(theirs.in_reply_to, mine.in_reply_to);
		join(&theirs.references, &a);
		join(&mine.references, &b);
		ck_assert_msg(!strcmp(a.buf, b.buf), "%s: references [%s] "
			      "[%s]", file, a.buf, b.buf);
		/* a group reply: the author alone in To: */
		if (k && mine.to.n) {
			ck_assert_uint_eq(mine.to.n, 1);
			ck_assert_int_ge(vec_find_strcase(&theirs.to,
							  mine.to.items[0]),
					 0);
		}
		vec_release_str(&st);
		vec_release_str(&so);
		mail_message_release(&theirs);
		mail_message_release(&mine);
	}
	c->checked++;
	sbuf_release(&q);
	sbuf_release(&nm);
	sbuf_release(&ours);
	sbuf_release(&a);
	sbuf_release(&b);
}

START_TEST(replies_address_whom_notmuch_reply_does)
{
	struct nmdb d;
	struct oracle_ctx c = { &d, 0 };
	struct sbuf ids = SBUF_INIT, files = SBUF_INIT;
	const char *search[] = { "search", "--output=messages", "*", NULL };

	nmdb_init(&d);
	notmuch_out(&d, search, &ids);
	for (const char *p = ids.buf; *p;) {
		size_t n = strcspn(p, "\n");
		char *id = xstrndup(p + 3, n - 3);	/* "id:" */
		struct sbuf q = SBUF_INIT;
		const char *args[] = { "search", "--output=files", NULL,
				       NULL };
		char *nl;

		sbuf_addf(&q, "id:%s", id);
		args[2] = q.buf;
		notmuch_out(&d, args, &files);
		nl = strchr(files.buf, '\n');
		if (nl)
			*nl = '\0';
		compare_one(&c, id, files.buf);
		free(id);
		sbuf_release(&q);
		p += n + (p[n] == '\n');
	}
	ck_assert_uint_ge(c.checked, 35);
	sbuf_release(&ids);
	sbuf_release(&files);
	nmdb_release(&d);
}
END_TEST

/* The first line of header name's value in mail; the caller frees. */
static char *header_value(const char *mail, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = mail; *p && *p != '\n';) {
		size_t len = strcspn(p, "\n");

		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			return xstrndup(v, len - (size_t)(v - p));
		}
		p += len + (p[len] == '\n');
	}
	ck_abort_msg("no %s: header", name);
	return NULL;
}

/* ---- the draft's text ---- */

static char *spectre(const char *name)
{
	struct sbuf sb = SBUF_INIT;
	char *p;

	sbuf_addf(&sb, "%s/%s", SPECTRE, name);
	p = t_fixture(sb.buf);
	sbuf_release(&sb);
	return p;
}

START_TEST(reply_quotes_and_keeps_the_subject)
{
	char *path = spectre("003.eml");
	struct sbuf text = SBUF_INIT;
	struct mail_message m;

	memset(&m, 0, sizeof(m));
	our_reply(path, MAIL_REPLY_ALL, NULL, &text, &m);
	ck_assert_msg(str_starts_with(text.buf, "From: " ME "\nTo: Luis "
				      "Gerhorst <luis.gerhorst@fau.de>\nCc: "),
		      "%s", text.buf);
	ck_assert(strstr(text.buf, "\nSubject: Re: [PATCH bpf-next v3 02/11] "
			 "bpf: Move insn if/else into do_check_insn()\n"));
	ck_assert(strstr(text.buf, "\nIn-Reply-To: <20250501073603.1402960-"
			 "3-luis.gerhorst@fau.de>\n"));
	ck_assert(strstr(text.buf, "\nMessage-Id: <draft.1@example.org>\n\n"
			 "On Thu, 1 May 2025 09:35:53 +0200, Luis Gerhorst "
			 "wrote:\n> "));
	/* the user is never a recipient; every line is a header or folded */
	ck_assert_ptr_null(strstr(text.buf, "ast@kernel.org"));
	ck_assert_ptr_null(strstr(text.buf, "daniel@iogearbox.net"));
	ck_assert(strstr(text.buf, "\n> Signed-off-by: Luis Gerhorst"));
	ck_assert(strstr(text.buf, "\n> diff --git"));
	ck_assert(strstr(text.buf, "\n>\n"));
	ck_assert_ptr_null(strstr(text.buf, "> \n"));
	/* the 30 recipients are folded */
	for (const char *p = text.buf; *p && *p != '\n';) {
		size_t n = strcspn(p, "\n");

		if (*p == '\t' || str_starts_with(p, "Cc: "))
			ck_assert_uint_le(n, 80);
		p += n + 1;
	}
	mail_message_release(&m);
	sbuf_release(&text);
	free(path);
}
END_TEST

START_TEST(review_trailer_quotes_only_the_commit_message)
{
	char *patch = spectre("002.eml"), *cover = spectre("001.eml");
	struct sbuf text = SBUF_INIT;
	struct mail_message m;
	const char *end;

	memset(&m, 0, sizeof(m));
	our_reply(patch, MAIL_REPLY_ALL, "Acked-by: Test User "
		  "<test@example.org>", &text, &m);
	mail_message_release(&m);
	/* the commit message, its trailers, then ours; no diffstat, diff */
	ck_assert(strstr(text.buf, "> Signed-off-by: Luis Gerhorst "
			 "<luis.gerhorst@fau.de>\n> Fixes: 9c9f73391310"));
	ck_assert_ptr_null(strstr(text.buf, "> ---"));
	ck_assert_ptr_null(strstr(text.buf, "test_loader.c"));
	end = strstr(text.buf, "jit\")\n\nAcked-by: Test User "
		     "<test@example.org>\n");
	ck_assert_msg(end && !end[strlen("jit\")\n\nAcked-by: Test User "
				      "<test@example.org>\n")], "%s",
		      text.buf);
	/* a cover letter: up to its shortlog */
	our_reply(cover, MAIL_REPLY_ALL, "Reviewed-by: Test User "
		  "<test@example.org>", &text, &m);
	mail_message_release(&m);
	ck_assert_ptr_null(strstr(text.buf, "(11):"));
	ck_assert_ptr_null(strstr(text.buf, " | "));
	ck_assert(str_ends_with(text.buf, "\n\nReviewed-by: Test User "
				"<test@example.org>\n"));
	sbuf_release(&text);
	free(patch);
	free(cover);
}
END_TEST

START_TEST(list_reply_and_forward)
{
	char *path = spectre("013.eml");
	struct sbuf text = SBUF_INIT;
	struct mail_message m;
	struct vec lists = VEC_INIT, me = VEC_INIT;
	struct mail_reply_options o;
	struct err err = ERR_INIT;

	memset(&m, 0, sizeof(m));
	our_reply(path, MAIL_REPLY_LIST, NULL, &text, &m);
	ck_assert_uint_eq(m.to.n, 1);
	ck_assert_uint_eq(m.cc.n, 0);
	ck_assert_msg(strstr(m.to.items[0], "@vger.kernel.org"), "%s",
		      (char *)m.to.items[0]);
	mail_message_release(&m);
	/* the configured list first */
	vec_push_str(&lists, "bpf@vger.kernel.org");
	memset(&o, 0, sizeof(o));
	o.mode = MAIL_REPLY_LIST;
	o.from = ME;
	o.me = &me;
	o.lists = &lists;
	sbuf_reset(&text);
	ck_assert(!mail_reply_draft(path, &o, &text, &err));
	ck_assert(strstr(text.buf, "\nTo: bpf@vger.kernel.org\n"));
	/* a forward: nobody yet, Fwd:, the message inline, no threading */
	o.mode = MAIL_REPLY_FORWARD;
	sbuf_reset(&text);
	ck_assert(!mail_reply_draft(path, &o, &text, &err));
	ck_assert(strstr(text.buf, "\n\n"));
	*strstr(text.buf, "\n\n") = '\0';
	ck_assert_ptr_null(strstr(text.buf, "\nTo:"));
	ck_assert_ptr_null(strstr(text.buf, "In-Reply-To:"));
	text.buf[strlen(text.buf)] = '\n';
	ck_assert(strstr(text.buf, "\nSubject: Fwd: Re: [PATCH bpf-next v3 "
			 "01/11]"));
	ck_assert(strstr(text.buf, "---------- Forwarded message ----------\n"
			 "From: Kumar Kartikeya Dwivedi <memxor@gmail.com>\n"));
	/* a file gone since notmuch new */
	ck_assert_int_lt(mail_reply_draft("/nonexistent/1.eml", &o, &text,
					  &err), 0);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert(strstr(err.msg, "/nonexistent/1.eml"));
	vec_release_str(&lists);
	sbuf_release(&text);
	free(path);
}
END_TEST

START_TEST(hostile_names_never_make_header_lines)
{
	char *dir = t_tmpdir();
	char *path = path_join(dir, "evil.eml");
	struct sbuf text = SBUF_INIT;
	struct vec dropped = VEC_INIT;
	struct mail_reply_options o;
	struct err err = ERR_INIT;

	/* "x:;\nBcc: evil@attacker.example" as an encoded word; an
	 * address with a space; a name with a bidi override; UTF-8 */
	t_write_file(path, "From: =?UTF-8?B?eDo7CkJjYzogZXZpbEBhdHRhY2tlci5leG"
		     "FtcGxl?= <jane@example.org>\n"
		     "To: \"bad addr\"@example.org, =?UTF-8?Q?=E2=80=AEevil?= "
		     "<rlo@example.org>, =?UTF-8?Q?Zo=C3=AB?= "
		     "<zoe@example.org>\nCc: <a b@example.org>\n"
		     "Subject: =?UTF-8?B?aGkKQmNjOiBldmlsQGF0dGFja2VyLmV4YW1w"
		     "bGU=?=\nMessage-Id: <1@example.org>\n"
		     "Date: Tue, 10 Jun 2025 "
		     "12:00:00 +0000\n\nbody\x1b[2J\n-- \nsig\n");
	memset(&o, 0, sizeof(o));
	o.mode = MAIL_REPLY_ALL;
	o.from = ME;
	o.dropped = &dropped;
	ck_assert_msg(!mail_reply_draft(path, &o, &text, &err), "%s",
		      err.msg);
	/* every header line is one the draft meant to write */
	for (const char *p = text.buf; *p && *p != '\n';) {
		size_t n = strcspn(p, "\n");

		ck_assert_msg(*p == '\t' || str_starts_with(p, "From: ") ||
			      str_starts_with(p, "To: ") ||
			      str_starts_with(p, "Cc: ") ||
			      str_starts_with(p, "Subject: ") ||
			      str_starts_with(p, "In-Reply-To: ") ||
			      str_starts_with(p, "References: "),
			      "a header line from mail: %.*s", (int)n, p);
		p += n + 1;
	}
	ck_assert_ptr_null(strstr(text.buf, "\nBcc:"));
	ck_assert(strstr(text.buf, "Zoë <zoe@example.org>"));
	ck_assert(strstr(text.buf, "Subject: Re: hi Bcc: "));
	ck_assert_ptr_null(strchr(text.buf, '\x1b'));
	ck_assert_ptr_null(strstr(text.buf, "sig"));
	/* a name mail_address_from_mail() refuses goes, its address stays */
	ck_assert(strstr(text.buf, "rlo@example.org"));
	ck_assert_ptr_null(strstr(text.buf, "\xe2\x80\xae"));
	ck_assert_uint_ge(dropped.n, 1);
	vec_release_str(&dropped);
	sbuf_release(&text);
	free(path);
	t_rmtree(dir);
}
END_TEST

/* ---- drafts, sent to a server and into notmuch ---- */

struct world {
	struct nmdb d;
	char *mail;		/* the mail root */
	char *config;		/* the global git config */
	char *records;		/* where sendings are recorded */
	struct t_smtpd smtpd;
	struct front_config *cfg;
};

static void world_config(struct world *w, const char *more)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "[user]\n\tname = Test User\n\temail = test@example.org"
		  "\n[sendemail]\n\tsmtpServer = 127.0.0.1\n\tsmtpServerPort = "
		  "%d\n\tto = never-on-a-reply@example.org\n%s",
		  w->smtpd.port, more ? more : "");
	t_write_file(w->config, sb.buf);
	sbuf_release(&sb);
	front_config_free(w->cfg);
	ck_assert(!front_config_open(&w->cfg, w->d.root, NULL));
}

static void world_init(struct world *w, const char *const smtpd_args[])
{
	memset(w, 0, sizeof(*w));
	nmdb_init(&w->d);
	w->mail = t_notmuch_path(w->d.root);
	w->config = path_join(w->d.root, "gitconfig");
	w->records = path_join(w->d.root, "records");
	setenv("GIT_CONFIG_GLOBAL", w->config, 1);
	t_smtpd_start(&w->smtpd, smtpd_args);
	world_config(w, NULL);
}

static void world_release(struct world *w)
{
	front_config_free(w->cfg);
	t_smtpd_stop(&w->smtpd);
	free(w->mail);
	free(w->config);
	free(w->records);
	nmdb_release(&w->d);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
}

/* A draft of kind answering message id (bare); the caller frees. */
static char *world_draft(struct world *w, enum front_compose_kind kind,
			 const char *id)
{
	struct front_compose_options o;
	struct err err = ERR_INIT;
	char *path;

	memset(&o, 0, sizeof(o));
	o.cfg = w->cfg;
	o.db = w->mail;
	o.kind = kind;
	o.parent_id = id;
	ck_assert_msg(!front_compose(&o, &path, NULL, &err), "%s", err.msg);
	return path;
}

/* What the editor does: text in place of the first occurrence of old. */
static void edit(const char *path, const char *old, const char *text)
{
	char *t = t_read_file(path);
	char *at = strstr(t, old);
	struct sbuf sb = SBUF_INIT;

	ck_assert_msg(at != NULL, "no '%s' in the draft", old);
	sbuf_add(&sb, t, (size_t)(at - t));
	sbuf_addstr(&sb, text);
	sbuf_addstr(&sb, at + strlen(old));
	t_write_file(path, sb.buf);
	sbuf_release(&sb);
	free(t);
}

struct asked {
	int asks;
	struct sbuf said;
};

static int count_ask(void *data, enum front_question q, const char *question,
		     const char *detail)
{
	struct asked *a = data;

	(void)q;
	(void)question;
	(void)detail;
	a->asks++;
	return FRONT_NO;
}

static void keep_say(void *data, enum front_say kind, const char *text)
{
	struct asked *a = data;

	(void)kind;
	sbuf_addf(&a->said, "%s\n", text);
}

/* Send the draft at path; the outcome (enum front_send_outcome) or -1. */
static int world_send(struct world *w, const char *path, struct asked *a,
		      struct err *err)
{
	struct front_draft_options o;
	struct front_draft *d = NULL;
	struct front_send_result res;
	struct front_hooks h = { keep_say, count_ask, NULL, NULL, NULL, a };
	int ret;

	memset(&o, 0, sizeof(o));
	o.cfg = w->cfg;
	o.db = w->mail;
	o.path = path;
	o.record_dir = w->records;
	ret = front_draft_open(&d, &o, err);
	if (!ret)
		ret = front_draft_send(d, &h, &res, err);
	front_draft_free(d);
	return ret ? -1 : (int)res.outcome;
}

#define PATCH2 "20250501073603.1402960-3-luis.gerhorst@fau.de"

START_TEST(a_reply_is_sent_and_in_notmuch_at_once)
{
	struct world w;
	struct asked a = { 0, SBUF_INIT };
	struct err err = ERR_INIT;
	struct sbuf out = SBUF_INIT, parent_thread = SBUF_INIT;
	const char *sent_q[] = { "search", "--output=messages", "tag:sent",
				 NULL };
	const char *replied_q[] = { "search", "--output=messages",
				    "tag:replied", NULL };
	const char *thread_q[] = { "search", "--output=threads", NULL, NULL };
	char *draft, *mail, *rcpt, *id;
	struct sbuf q = SBUF_INIT;

	world_init(&w, NULL);
	/* the merge window is open: a reply never asks about it */
	setenv("VGER_NOW", "2024-11-20", 1);
	draft = world_draft(&w, FRONT_COMPOSE_GROUP, PATCH2);
	ck_assert_msg(strstr(draft, "/drafts/cur/") &&
		      str_ends_with(draft, ":2,DS"), "%s", draft);
	edit(draft, "\nCc: ", "\nCc: Zoë Ångström <zoe@example.org>, ");
	edit(draft, "\n\nOn Thu", "\n\nLooks right to me, Zoë.\n\nOn Thu");
	ck_assert_int_eq(world_send(&w, draft, &a, &err), FRONT_SEND_DONE);
	ck_assert_int_eq(a.asks, 0);
	ck_assert_msg(!fs_exists(draft), "the draft of a sent mail is gone");
	/* at the server */
	ck_assert_int_eq(t_smtpd_count(&w.smtpd), 1);
	mail = t_smtpd_received(&w.smtpd, 1);
	ck_assert(str_starts_with(mail, "From: Test User <test@example.org>\n"
				  "To: Luis Gerhorst <luis.gerhorst@fau.de>\n"
				  "Cc: "));
	ck_assert_msg(strstr(mail, "=?UTF-8?b?Wm/DqyDDhW5nc3Ryw7Zt?= "
			     "<zoe@example.org>"), "%s", mail);
	ck_assert(strstr(mail, "\nSubject: Re: [PATCH bpf-next v3 02/11] bpf: "
			 "Move insn if/else into do_check_insn()\n"));
	ck_assert(strstr(mail, "\nIn-Reply-To: <" PATCH2 ">\n"));
	ck_assert_msg(strstr(mail, "\nContent-Type: text/plain; charset=UTF-8"
			     "\n"), "%.1000s", strstr(mail, "\nSubject"));
	ck_assert(strstr(mail, "\n\nLooks right to me, Zoë.\n\nOn Thu, 1 "
			 "May"));
	ck_assert_ptr_null(strstr(mail, "never-on-a-reply"));
	rcpt = t_smtpd_file(&w.smtpd, 1, "rcpt");
	ck_assert(strstr(rcpt, "luis.gerhorst@fau.de\n"));
	ck_assert(strstr(rcpt, "zoe@example.org\n"));
	ck_assert_ptr_null(strstr(rcpt, "test@example.org"));
	free(rcpt);
	/* in notmuch at once: tagged sent, in the thread; parent replied */
	id = header_value(mail, "Message-Id");
	id[strlen(id) - 1] = '\0';
	sbuf_addf(&q, "id:%s\n", id + 1);
	notmuch_out(&w.d, sent_q, &out);
	ck_assert_str_eq(out.buf, q.buf);
	notmuch_out(&w.d, replied_q, &out);
	ck_assert_str_eq(out.buf, "id:" PATCH2 "\n");
	thread_q[2] = "id:" PATCH2;
	notmuch_out(&w.d, thread_q, &parent_thread);
	sbuf_setlen(&q, q.len - 1);
	thread_q[2] = q.buf;
	notmuch_out(&w.d, thread_q, &out);
	ck_assert_str_eq(out.buf, parent_thread.buf);
	free(id);
	free(mail);
	free(draft);
	unsetenv("VGER_NOW");
	sbuf_release(&q);
	sbuf_release(&a.said);
	sbuf_release(&out);
	sbuf_release(&parent_thread);
	world_release(&w);
}
END_TEST

/*
 * A full disk under the drafts maildir and the Fcc: a new draft or the
 * copy of a sent message is not delivered, the error names the file
 * and says "No space left on device", and the maildir holds what it
 * held (no half message in tmp/, new/ or cur/).
 */
START_TEST(full_disk_delivers_no_half_draft_or_fcc)
{
	char *dir = t_tmpdir(), *disk = path_join(dir, "disk");
	char *box = path_join(disk, "drafts"), *kept = NULL, *path = NULL;
	const char *why = t_small_fs(disk);
	const char *find[] = { "sh", "-c", "cd \"$0\" && find . -type f | sort",
			       box, NULL };
	struct sbuf msg = SBUF_INIT, before = SBUF_INIT, after = SBUF_INIT;
	struct err err = ERR_INIT;

	if (why) {
		printf("SKIP: full_disk_delivers_no_half_draft_or_fcc: %s\n",
		       why);
		goto out;
	}
	sbuf_addstr(&msg, "From: Test User <test@example.org>\n"
		    "Subject: a draft\n\n");
	ck_assert_int_eq(mail_maildir_deliver_flags(box, msg.buf, msg.len,
						    "DS", &kept, &err), 0);
	for (int i = 0; i < 40000; i++)
		sbuf_addstr(&msg, "a line of the message body\n");
	ck_assert_int_eq(t_run(find, NULL, NULL, &before, NULL), 0);
	t_fill_fs(disk);
	ck_assert_int_lt(mail_maildir_deliver_flags(box, msg.buf, msg.len,
						    "DS", &path, &err), 0);
	ck_assert_msg(strstr(err.msg, "/drafts/tmp/") &&
		      strstr(err.msg, ": No space left on device"), "%s",
		      err.msg);
	ck_assert_int_lt(mail_maildir_deliver(box, msg.buf, msg.len, &path,
					      &err), 0);
	ck_assert_msg(strstr(err.msg, ": No space left on device"), "%s",
		      err.msg);
	ck_assert_ptr_null(path);
	ck_assert_int_eq(t_run(find, NULL, NULL, &after, NULL), 0);
	ck_assert_str_eq(before.buf, after.buf);
	{
		char *text = t_read_file(kept);

		ck_assert(strstr(text, "Subject: a draft\n"));
		free(text);
	}
	t_unmount(disk);
out:
	sbuf_release(&msg);
	sbuf_release(&before);
	sbuf_release(&after);
	free(kept);
	free(box);
	free(disk);
	t_rmtree(dir);
}
END_TEST

/*
 * The outbox lists only regular files: a FIFO, a device or a directory
 * among the drafts would hang the TUI's outbox and `vger report`'s
 * drafts on the read, or be shown as a draft.
 */
START_TEST(special_files_among_the_drafts_are_not_listed)
{
	char *dir = t_tmpdir();
	char *cur = path_join(dir, "cur");
	char *good = path_join(cur, "1.draft:2,D");
	char *fifo = path_join(cur, "2.fifo:2,D");
	char *sub = path_join(cur, "3.dir:2,D");
	char *dev = path_join(cur, "4.dev:2,D");
	struct vec v = VEC_INIT;
	struct err err = ERR_INIT;
	const struct front_draft_info *i;

	ck_assert_int_eq(mkdir(cur, 0700), 0);
	t_write_file(good, "To: jane@example.org\nSubject: the one draft\n"
		     "\nText.\n");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(symlink("/dev/zero", dev), 0);
	ck_assert_int_eq(front_drafts_list(dir, &v, &err), 0);
	ck_assert_uint_eq(v.n, 1);
	i = v.items[0];
	ck_assert_str_eq(i->path, good);
	ck_assert_str_eq(i->subject, "the one draft");
	vec_release(&v, front_draft_info_free);
	free(good);
	free(fifo);
	free(sub);
	free(dev);
	free(cur);
	t_rmtree(dir);
}
END_TEST

START_TEST(failed_send_or_bad_header_keeps_the_draft)
{
	const char *fail[] = { "--fail-data", "1:554", NULL };
	struct world w;
	struct asked a = { 0, SBUF_INIT };
	struct err err = ERR_INIT;
	char *draft;

	world_init(&w, fail);
	draft = world_draft(&w, FRONT_COMPOSE_REPLY, PATCH2);
	ck_assert_int_eq(world_send(&w, draft, &a, &err), FRONT_SEND_STOPPED);
	ck_assert(fs_exists(draft));
	ck_assert_int_eq(t_smtpd_count(&w.smtpd), 0);
	/* broken headers: named, nothing sent, the draft as it was */
	edit(draft, "\nTo: ", "\nTo: Jane <jane@, ");
	ck_assert_int_eq(world_send(&w, draft, &a, &err), -1);
	ck_assert_msg(strstr(err.msg, draft) && strstr(err.msg, "To"), "%s",
		      err.msg);
	edit(draft, "\nTo: Jane <jane@, ", "\nTo: ");
	edit(draft, "\nSubject: ", "\nnot a header\nSubject: ");
	ck_assert_int_eq(world_send(&w, draft, &a, &err), -1);
	ck_assert_msg(strstr(err.msg, "not a mail header"), "%s", err.msg);
	ck_assert(fs_exists(draft));
	/* a non-ASCII address: refused, said clearly */
	edit(draft, "\nnot a header\nSubject: ", "\nSubject: ");
	edit(draft, "\nTo: ", "\nTo: zoë@example.org, ");
	ck_assert_int_eq(world_send(&w, draft, &a, &err), -1);
	ck_assert_msg(strstr(err.msg, "non-ASCII") &&
		      strstr(err.msg, "SMTPUTF8"), "%s", err.msg);
	ck_assert(fs_exists(draft));
	free(draft);
	sbuf_release(&a.said);
	world_release(&w);
}
END_TEST

START_TEST(review_keys_and_new_mail_make_drafts)
{
	struct world w;
	struct front_compose_options o;
	struct err err = ERR_INIT;
	struct vec drafts = VEC_INIT, to = VEC_INIT;
	char *draft, *text, *dir;

	world_init(&w, NULL);
	draft = world_draft(&w, FRONT_COMPOSE_ACK, PATCH2);
	text = t_read_file(draft);
	ck_assert(str_ends_with(text, "\n\nAcked-by: Test User "
				"<test@example.org>\n"));
	free(text);
	free(draft);
	/* pw-bot: only for maintainers */
	memset(&o, 0, sizeof(o));
	o.cfg = w.cfg;
	o.db = w.mail;
	o.kind = FRONT_COMPOSE_PWBOT_CR;
	o.parent_id = PATCH2;
	ck_assert_int_lt(front_compose(&o, &draft, NULL, &err), 0);
	ck_assert(strstr(err.msg, "vger.maintainer"));
	world_config(&w, "[vger]\n\tmaintainer = true\n");
	o.cfg = w.cfg;
	ck_assert_msg(!front_compose(&o, &draft, NULL, &err), "%s", err.msg);
	text = t_read_file(draft);
	ck_assert(str_ends_with(text, "\n\npw-bot: cr\n"));
	free(text);
	free(draft);
	/* a message not in the database */
	o.kind = FRONT_COMPOSE_REPLY;
	o.parent_id = "nowhere@example.org";
	ck_assert_int_eq(front_compose(&o, &draft, NULL, &err),
			 -ERR_NOTFOUND);
	/* new mail */
	vec_push_str(&to, "Jane Doe <jane@example.org>");
	o.kind = FRONT_COMPOSE_NEW;
	o.to = &to;
	o.subject = "a question";
	o.body = "Hi Jane,\n";
	ck_assert_msg(!front_compose(&o, &draft, NULL, &err), "%s", err.msg);
	text = t_read_file(draft);
	ck_assert_msg(str_starts_with(text, "From: Test User <test@example.org>"
				      "\nTo: Jane Doe <jane@example.org>\n"
				      "Subject: a question\nMessage-Id: <"),
		      "%s", text);
	ck_assert(str_ends_with(text, "\n\nHi Jane,\n"));
	free(text);
	/* every draft is listed, newest first */
	dir = front_drafts_dir(w.cfg, w.mail, &err);
	ck_assert_msg(!front_drafts_list(dir, &drafts, &err), "%s", err.msg);
	ck_assert_uint_eq(drafts.n, 3);
	ck_assert_str_eq(((struct front_draft_info *)drafts.items[0])->subject,
			 "a question");
	ck_assert(!front_draft_discard(draft, &err));
	ck_assert(!fs_exists(draft));
	vec_release(&drafts, front_draft_info_free);
	vec_release_str(&to);
	free(dir);
	free(draft);
	world_release(&w);
}
END_TEST

/* ---- the FAQ's mail: bug reports and stable requests ---- */

struct kernel {
	char *dir;
	struct t_git *g;
	char a[41], bug[41], c[41], fix[41];
	char bp_bug[41], bp_fix[41];	/* the backports */
};

static void git_in(const struct kernel *k, const char *const args[])
{
	const char *argv[24] = { "-c", "user.name=Stable Maint", "-c",
				 "user.email=stable@example.org" };
	size_t n = 4;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	t_git_run(k->dir, argv);
}

/* HEAD's id into out. */
static void head_id(const struct kernel *k, char out[41])
{
	const char *argv[] = { "git", "-C", k->dir, "rev-parse", "HEAD",
			       NULL };
	struct sbuf sb = SBUF_INIT;

	ck_assert_int_eq(t_run(argv, NULL, NULL, &sb, NULL), 0);
	ck_assert_uint_ge(sb.len, 40);
	memcpy(out, sb.buf, 40);
	out[40] = '\0';
	sbuf_release(&sb);
}

/*
 * A kernel tree: MAINTAINERS of 7.1.3, a .mailmap; a buggy commit in
 * net/core/filter.c, another, the fix; stable branches: linux-5.15.y
 * (before the bug), linux-6.1.y (the bug backported), linux-6.6.y (the
 * fix backported), linux-6.9.y (after the bug, no fix) and the remote
 * origin/linux-6.12.y (the fix itself).
 */
static void kernel_init(struct kernel *k)
{
	char *maintainers = t_fixture("MAINTAINERS.v7.1.3");
	char *mtext = t_read_file(maintainers);
	const char *base[] = { "MAINTAINERS", mtext,
			       "kernel/bpf/core.c", "int core;\n",
			       "net/core/filter.c", "int filter;\n",
			       ".mailmap", "New Name <new@example.org> "
			       "<old@corp.example>\n", NULL };
	const char *bug[] = { "net/core/filter.c", "int filter = 1;\n",
			      NULL };
	const char *other[] = { "kernel/bpf/core.c", "int core = 2;\n",
				NULL };
	const char *fix[] = { "net/core/filter.c", "int filter = 0;\n",
			      NULL };
	struct sbuf msg = SBUF_INIT;

	memset(k, 0, sizeof(*k));
	k->dir = t_tmpdir();
	k->g = t_git_init(k->dir);
	t_git_set_author(k->g, "Linus", "torvalds@example.org", 1700000000);
	strcpy(k->a, t_git_commit(k->g, "Linux 6.1\n", base));
	t_git_set_author(k->g, "Old Name", "old@corp.example", 1700100000);
	strcpy(k->bug, t_git_commit(k->g, "bpf: speed up the filter\n\n"
				    "Faster.\n\nSigned-off-by: Old Name "
				    "<old@corp.example>\nAcked-by: Rita "
				    "Reviewer <rita@example.org>\n"
				    "Signed-off-by: Test User "
				    "<test@example.org>\n", bug));
	strcpy(k->c, t_git_commit(k->g, "bpf: something else\n", other));
	t_git_set_author(k->g, "Fay Fixer", "fay@example.org", 1700200000);
	sbuf_addf(&msg, "bpf: fix the filter\n\nFixes: %.12s (\"bpf: speed "
		  "up the filter\")\nSigned-off-by: Fay Fixer "
		  "<fay@example.org>\n", k->bug);
	strcpy(k->fix, t_git_commit(k->g, msg.buf, fix));
	{
		const char *b515[] = { "branch", "linux-5.15.y", k->a, NULL };
		const char *b69[] = { "branch", "linux-6.9.y", k->c, NULL };
		const char *r612[] = { "update-ref",
				       "refs/remotes/origin/linux-6.12.y",
				       k->fix, NULL };
		const char *b61[] = { "checkout", "-q", "-b", "linux-6.1.y",
				      k->a, NULL };
		const char *b66[] = { "checkout", "-q", "-b", "linux-6.6.y",
				      k->c, NULL };
		const char *master[] = { "checkout", "-q", "master", NULL };
		const char *commit[] = { "commit", "-q", "--allow-empty", "-m",
					 NULL, NULL };

		git_in(k, b515);
		git_in(k, b69);
		git_in(k, r612);
		git_in(k, b61);
		sbuf_reset(&msg);
		sbuf_addf(&msg, "bpf: speed up the filter\n\ncommit %s "
			  "upstream.\n\nFaster.\n", k->bug);
		commit[4] = msg.buf;
		git_in(k, commit);
		head_id(k, k->bp_bug);
		commit[4] = "bpf: unrelated stable work";
		git_in(k, commit);
		git_in(k, b66);
		sbuf_reset(&msg);
		sbuf_addf(&msg, "bpf: fix the filter\n\n[ Upstream commit %s ]"
			  "\n\nFixes: ...\n", k->fix);
		commit[4] = msg.buf;
		git_in(k, commit);
		head_id(k, k->bp_fix);
		git_in(k, master);
	}
	sbuf_release(&msg);
	free(mtext);
	free(maintainers);
}

static void kernel_release(struct kernel *k)
{
	t_git_free(k->g);
	t_rmtree(k->dir);
}

/* The stable branches as git itself sees them: contains, or --grep. */
static void git_oracle(const struct kernel *k, const char *branch,
		       const char *id, struct sbuf *out)
{
	const char *anc[] = { "git", "-C", k->dir, "merge-base",
			      "--is-ancestor", id, NULL, NULL };
	const char *mb[] = { "git", "-C", k->dir, "merge-base", NULL, id,
			     NULL };
	const char *grep[] = { "git", "-C", k->dir, "log", "--format=%H",
			       "-F", NULL, NULL, NULL };
	struct sbuf base = SBUF_INIT, range = SBUF_INIT, g = SBUF_INIT;
	struct sbuf ref = SBUF_INIT;

	sbuf_reset(out);
	sbuf_addf(&ref, "%s%s", strchr(branch, '/') ? "refs/remotes/" : "",
		  branch);
	anc[6] = ref.buf;
	if (!t_run(anc, NULL, NULL, NULL, NULL)) {
		sbuf_addstr(out, id);
		goto out;
	}
	mb[4] = ref.buf;
	ck_assert_int_eq(t_run(mb, NULL, NULL, &base, NULL), 0);
	sbuf_trim(&base);
	sbuf_addf(&g, "--grep=%s", id);
	sbuf_addf(&range, "%s..%s", base.buf, ref.buf);
	grep[6] = g.buf;
	grep[7] = range.buf;
	ck_assert_int_eq(t_run(grep, NULL, NULL, out, NULL), 0);
	sbuf_trim(out);
out:
	sbuf_release(&base);
	sbuf_release(&range);
	sbuf_release(&g);
	sbuf_release(&ref);
}

START_TEST(stable_branches_are_read_as_git_reads_them)
{
	struct kernel k;
	struct vec out = VEC_INIT;
	struct err err = ERR_INIT;
	struct sbuf want = SBUF_INIT;
	const char *names[] = { "linux-5.15.y", "linux-6.1.y", "linux-6.6.y",
				"linux-6.9.y", "origin/linux-6.12.y" };
	const int bug[] = { 0, 1, 1, 1, 1 };

	kernel_init(&k);
	ck_assert_msg(!series_stable_find(k.dir, k.fix, k.bug, &out, &err),
		      "%s", err.msg);
	ck_assert_uint_eq(out.n, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct series_stable *s = out.items[i];

		ck_assert_str_eq(s->branch, names[i]);
		git_oracle(&k, names[i], k.fix, &want);
		ck_assert_msg(!strcmp(want.buf, s->carried_as ?
				      s->carried_as : ""), "%s: git [%s], "
			      "vger [%s]", names[i], want.buf,
			      s->carried_as ? s->carried_as : "");
		ck_assert_int_eq(s->has_bug, bug[i]);
	}
	ck_assert_str_eq(((struct series_stable *)out.items[2])->carried_as,
			 k.bp_fix);
	vec_release(&out, series_stable_free);
	sbuf_release(&want);
	kernel_release(&k);
}
END_TEST

START_TEST(stable_request_asks_for_what_lacks_it)
{
	struct kernel k;
	struct world w;
	struct front_report_options o;
	struct front_stable_result res = FRONT_STABLE_RESULT_INIT;
	struct err err = ERR_INIT;
	struct mail_message m;
	char *text;

	world_init(&w, NULL);
	kernel_init(&k);
	memset(&o, 0, sizeof(o));
	o.cfg = w.cfg;
	o.db = w.mail;
	o.tree = k.dir;
	o.commit = k.fix;
	ck_assert_msg(!front_stable(&o, &res, NULL, &err), "%s", err.msg);
	ck_assert_uint_eq(res.wanted.n, 2);
	ck_assert_str_eq(res.wanted.items[0], "linux-6.1.y");
	ck_assert_str_eq(res.wanted.items[1], "linux-6.9.y");
	ck_assert_ptr_nonnull(res.draft);
	text = t_read_file(res.draft);
	memset(&m, 0, sizeof(m));
	parse_text(text, res.draft, &m);
	/* To the BPF maintainers of MAINTAINERS, Cc netdev, no stable@ */
	ck_assert_int_ge(vec_find_str(&m.to, "ast@kernel.org"), 0);
	ck_assert_int_ge(vec_find_str(&m.to, "daniel@iogearbox.net"), 0);
	ck_assert_int_ge(vec_find_str(&m.to, "memxor@gmail.com"), 0);
	ck_assert_int_lt(vec_find_str(&m.to, "song@kernel.org"), 0);
	ck_assert_uint_eq(m.cc.n, 1);
	ck_assert_str_eq(m.cc.items[0], "netdev@vger.kernel.org");
	ck_assert_ptr_null(strcasestr(text, "stable@vger.kernel.org"));
	ck_assert_msg(strstr(text, "linux-6.1.y and linux-6.9.y:\n\n") &&
		      strstr(text, "(\"bpf: fix the filter\")") &&
		      strstr(text, "It fixes ") &&
		      strstr(text, "linux-6.6.y has it already"), "%s", text);
	mail_message_release(&m);
	free(text);
	front_stable_result_release(&res);
	/* a commit that does not exist */
	o.commit = "0123456789abcdef";
	ck_assert_int_eq(front_stable(&o, &res, NULL, &err), -ERR_NOTFOUND);
	ck_assert(strstr(err.msg, "0123456789abcdef"));
	front_stable_result_release(&res);
	kernel_release(&k);
	world_release(&w);
}
END_TEST

START_TEST(bug_report_cc_s_the_commit_s_people)
{
	struct kernel k;
	struct world w;
	struct front_report_options o;
	struct err err = ERR_INIT;
	struct mail_message m;
	struct sbuf ref = SBUF_INIT;
	char *path, *text;

	world_init(&w, NULL);
	kernel_init(&k);
	memset(&o, 0, sizeof(o));
	o.cfg = w.cfg;
	o.db = w.mail;
	o.tree = k.dir;
	o.commit = k.bug;
	ck_assert_msg(!front_report(&o, &path, NULL, &err), "%s", err.msg);
	text = t_read_file(path);
	memset(&m, 0, sizeof(m));
	parse_text(text, path, &m);
	ck_assert_uint_eq(m.to.n, 1);
	ck_assert_str_eq(m.to.items[0], "bpf@vger.kernel.org");
	/* the BPF maintainers, netdev, the people of the commit */
	ck_assert_int_ge(vec_find_str(&m.cc, "ast@kernel.org"), 0);
	ck_assert_int_ge(vec_find_str(&m.cc, "netdev@vger.kernel.org"), 0);
	ck_assert_int_ge(vec_find_str(&m.cc, "new@example.org"), 0);
	ck_assert_int_lt(vec_find_str(&m.cc, "old@corp.example"), 0);
	ck_assert_int_ge(vec_find_str(&m.cc, "rita@example.org"), 0);
	/* the user signed it off: still not Cc'd */
	ck_assert_int_lt(vec_find_str(&m.cc, "test@example.org"), 0);
	ck_assert(strstr(text, "New Name <new@example.org>"));
	sbuf_addf(&ref, "\n%.12s (\"bpf: speed up the filter\")\n", k.bug);
	ck_assert_msg(strstr(text, ref.buf), "%s", text);
	ck_assert(strstr(text, "\nSubject: [BUG] bpf: speed up the filter\n"));
	mail_message_release(&m);
	free(text);
	free(path);
	/* a commit id that is no commit, and none at all */
	o.commit = "no-such-thing";
	ck_assert_int_eq(front_report(&o, &path, NULL, &err), -ERR_NOTFOUND);
	ck_assert(strstr(err.msg, "no-such-thing"));
	sbuf_release(&ref);
	kernel_release(&k);
	world_release(&w);
}
END_TEST

START_TEST(an_ambiguous_commit_id_is_said)
{
	struct kernel k;
	struct series_commit_info c = SERIES_COMMIT_INFO_INIT;
	struct err err = ERR_INIT;
	const char *argv[] = { "git", "-C", NULL, "hash-object", "-w",
			       "--stdin-paths", NULL };
	struct sbuf paths = SBUF_INIT, ids = SBUF_INIT;
	char prefix[5] = "";

	kernel_init(&k);
	argv[2] = k.dir;
	/* enough objects that two share the first four hex digits */
	for (int i = 0; i < 1500; i++) {
		struct sbuf p = SBUF_INIT, t = SBUF_INIT;

		sbuf_addf(&p, "%s/blob%d", k.dir, i);
		sbuf_addf(&t, "%d\n", i);
		t_write_file(p.buf, t.buf);
		sbuf_addf(&paths, "%s\n", p.buf);
		sbuf_release(&p);
		sbuf_release(&t);
	}
	ck_assert_int_eq(t_run(argv, NULL, paths.buf, &ids, NULL), 0);
	for (const char *a = ids.buf; *a && !prefix[0]; a += 41)
		for (const char *b = a + 41; *b; b += 41)
			if (!strncmp(a, b, 4)) {
				memcpy(prefix, a, 4);
				break;
			}
	ck_assert_msg(prefix[0], "no two objects share four digits");
	ck_assert_int_eq(series_commit_info(k.dir, prefix, &c, &err),
			 -ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "ambiguous"), "%s", err.msg);
	series_commit_info_release(&c);
	sbuf_release(&paths);
	sbuf_release(&ids);
	kernel_release(&k);
}
END_TEST

/* ---- vger report and vger stable on the command line ---- */

/* The environment of a vger run in world w: config, state, database. */
struct cli_env {
	struct sbuf config, state, editor;
	const char *env[8];
};

static void cli_env_init(struct cli_env *e, const struct world *w,
			 const char *editor)
{
	memset(e, 0, sizeof(*e));
	sbuf_init(&e->config);
	sbuf_init(&e->state);
	sbuf_init(&e->editor);
	sbuf_addf(&e->config, "GIT_CONFIG_GLOBAL=%s", w->config);
	sbuf_addf(&e->state, "XDG_STATE_HOME=%s", w->records);
	sbuf_addf(&e->editor, "EDITOR=%s", editor ? editor : "false");
	e->env[0] = e->config.buf;
	e->env[1] = e->state.buf;
	e->env[2] = e->editor.buf;
	e->env[3] = "VISUAL=";
	e->env[4] = "TERM=xterm";
	e->env[5] = NULL;
}

static void cli_env_release(struct cli_env *e)
{
	sbuf_release(&e->config);
	sbuf_release(&e->state);
	sbuf_release(&e->editor);
}

/* How many drafts are waiting. */
static size_t count_drafts(const struct world *w)
{
	char *dir = front_drafts_dir(w->cfg, w->mail, NULL);
	struct vec v = VEC_INIT;
	size_t n;

	ck_assert(!front_drafts_list(dir, &v, NULL));
	n = v.n;
	vec_release(&v, front_draft_info_free);
	free(dir);
	return n;
}

START_TEST(report_and_stable_print_their_drafts)
{
	struct kernel k;
	struct world w;
	struct cli_env e;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, want = SBUF_INIT;
	const char *report[] = { "report", "--db", NULL, "--print", NULL,
				 NULL };
	const char *stable[] = { "stable", "--db", NULL, "--print", NULL,
				 NULL };

	world_init(&w, NULL);
	kernel_init(&k);
	cli_env_init(&e, &w, NULL);
	ck_assert_int_eq(chdir(k.dir), 0);
	report[2] = stable[2] = w.mail;
	report[4] = k.bug;
	ck_assert_msg(t_vger(report, e.env, &out, &err) == 0, "%s", err.buf);
	ck_assert_msg(strstr(out.buf, "\nTo: bpf@vger.kernel.org\n") &&
		      strstr(out.buf, "New Name <new@example.org>"), "%s",
		      out.buf);
	ck_assert_uint_eq(count_drafts(&w), 0);
	stable[4] = k.fix;
	ck_assert_msg(t_vger(stable, e.env, &out, &err) == 0, "%s", err.buf);
	sbuf_addf(&want, "  linux-6.6.y              has it as %.12s\n",
		  k.bp_fix);
	ck_assert_msg(strstr(out.buf, want.buf) &&
		      strstr(out.buf, "  linux-5.15.y             does not "
			     "need it (no bug there)\n") &&
		      strstr(out.buf, "  linux-6.1.y              lacks it\n") &&
		      strstr(out.buf, "  origin/linux-6.12.y      has it (the "
			     "commit itself)\n") &&
		      strstr(out.buf, "\nCc: netdev@vger.kernel.org\n"), "%s",
		      out.buf);
	/* every branch has the base: nothing to ask for */
	stable[4] = k.a;
	ck_assert_msg(t_vger(stable, e.env, &out, &err) == 0, "%s", err.buf);
	ck_assert(strstr(out.buf, "nothing to ask for"));
	/* an ambiguous or unknown id is a usage error and a failure */
	stable[4] = "not-a-commit";
	ck_assert_int_eq(t_vger(stable, e.env, &out, &err), 1);
	ck_assert(strstr(err.buf, "no commit 'not-a-commit'"));
	ck_assert_uint_eq(count_drafts(&w), 0);
	ck_assert_int_eq(chdir("/"), 0);
	cli_env_release(&e);
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&want);
	kernel_release(&k);
	world_release(&w);
}
END_TEST

/* An editor script that appends text to the draft (or exits status). */
static char *editor_script(const struct world *w, const char *text,
			   int status)
{
	char *path = path_join(w->d.root, "editor.sh");
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "#!/bin/sh\nprintf '%s' >> \"$1\"\nexit %d\n", text,
		  status);
	t_write_file(path, sb.buf);
	ck_assert_int_eq(chmod(path, 0755), 0);
	sbuf_release(&sb);
	return path;
}

/*
 * A kernel tree with a buggy commit, the current directory; an editor
 * that writes the report; report's --db and commit filled in.  The
 * editor's path, for the caller to free.
 */
static char *report_setup(struct world *w, struct kernel *k,
			  struct cli_env *e, const char *report[])
{
	char *editor;

	kernel_init(k);
	editor = editor_script(w, "It crashes at boot.\\n", 0);
	cli_env_init(e, w, editor);
	ck_assert_int_eq(chdir(k->dir), 0);
	report[2] = w->mail;
	report[3] = k->bug;
	return editor;
}

/* Out of the kernel tree; everything report_setup() made, released. */
static void report_teardown(struct world *w, struct kernel *k,
			    struct cli_env *e, char *editor)
{
	ck_assert_int_eq(chdir("/"), 0);
	cli_env_release(e);
	free(editor);
	kernel_release(k);
	world_release(w);
}

START_TEST(report_is_edited_then_sent_postponed_or_kept)
{
	struct kernel k;
	struct world w;
	struct cli_env e;
	struct sbuf out = SBUF_INIT;
	const char *report[] = { "report", "--db", NULL, NULL, NULL };
	const char *sent_q[] = { "search", "--output=messages", "tag:sent",
				 NULL };
	const struct t_pty_step send[] = {
		{ .wait_for = "[s/e/p/d] ", .write = "s\n" },
		{ .wait_for = NULL }
	};
	const struct t_pty_step postpone[] = {
		{ .wait_for = "[s/e/p/d] ", .write = "p\n" },
		{ .wait_for = NULL }
	};
	char *editor, *mail;

	world_init(&w, NULL);
	editor = report_setup(&w, &k, &e, report);
	ck_assert_msg(t_pty_run(report, e.env, send, &out) == 0, "%s",
		      out.buf);
	ck_assert_msg(strstr(out.buf, "To: bpf@vger.kernel.org"), "%s",
		      out.buf);
	ck_assert_int_eq(t_smtpd_count(&w.smtpd), 1);
	mail = t_smtpd_received(&w.smtpd, 1);
	ck_assert(strstr(mail, "\nSubject: [BUG] bpf: speed up the filter\n"));
	ck_assert(strstr(mail, "It crashes at boot.\n"));
	free(mail);
	ck_assert_uint_eq(count_drafts(&w), 0);
	notmuch_out(&w.d, sent_q, &out);
	ck_assert_msg(str_starts_with(out.buf, "id:"), "%s", out.buf);
	/* postponed: kept */
	ck_assert_msg(t_pty_run(report, e.env, postpone, &out) == 0, "%s",
		      out.buf);
	ck_assert(strstr(out.buf, "postponed: "));
	ck_assert_uint_eq(count_drafts(&w), 1);
	/* an editor that fails: said, the draft kept, nothing sent */
	free(editor);
	editor = editor_script(&w, "", 3);
	cli_env_release(&e);
	cli_env_init(&e, &w, editor);
	ck_assert_int_eq(t_pty_run(report, e.env, NULL, &out), 1);
	ck_assert_msg(strstr(out.buf, "exited with status 3; the draft is "
			     "kept: "), "%s", out.buf);
	ck_assert_uint_eq(count_drafts(&w), 2);
	/* a missing editor */
	cli_env_release(&e);
	cli_env_init(&e, &w, "/nonexistent/editor");
	ck_assert_int_eq(t_pty_run(report, e.env, NULL, &out), 1);
	ck_assert_msg(strstr(out.buf, "could not be run; the draft is kept"),
		      "%s", out.buf);
	ck_assert_uint_eq(count_drafts(&w), 3);
	ck_assert_int_eq(t_smtpd_count(&w.smtpd), 1);
	sbuf_release(&out);
	report_teardown(&w, &k, &e, editor);
}
END_TEST

/*
 * vger report with sendemail.smtpUser and no password anywhere asks for
 * it on the terminal, as vger send does (cli/tty.h), and sends with it;
 * the terminal ended at the prompt sends nothing, says so and keeps the
 * draft.
 */
START_TEST(report_asks_for_the_smtp_password)
{
	const char *const auth[] = { "--auth", "me:s3cret-pw", NULL };
	struct kernel k;
	struct world w;
	struct cli_env e;
	struct sbuf out = SBUF_INIT;
	const char *report[] = { "report", "--db", NULL, NULL, NULL };
	const struct t_pty_step typed[] = {
		{ .wait_for = "[s/e/p/d] ", .write = "s\n" },
		{ .wait_for = "Password for me at ", .write = "s3cret-pw\n" },
		{ .wait_for = NULL }
	};
	const struct t_pty_step ended[] = {
		{ .wait_for = "[s/e/p/d] ", .write = "s\n" },
		{ .wait_for = "Password for me at ", .write = "\004" },
		{ .wait_for = NULL }
	};
	char *editor, *user;

	world_init(&w, auth);
	world_config(&w, "\tsmtpUser = me\n");
	editor = report_setup(&w, &k, &e, report);
	ck_assert_msg(t_pty_run(report, e.env, ended, &out) == 1, "%s",
		      out.buf);
	ck_assert_msg(strstr(out.buf, "vger report: no password typed; "
			     "nothing sent"), "%s", out.buf);
	ck_assert_int_eq(t_smtpd_count(&w.smtpd), 0);
	ck_assert_uint_eq(count_drafts(&w), 1);
	ck_assert_msg(t_pty_run(report, e.env, typed, &out) == 0, "%s",
		      out.buf);
	ck_assert_ptr_null(strstr(out.buf, "s3cret-pw"));
	ck_assert_int_eq(t_smtpd_count(&w.smtpd), 1);
	user = t_smtpd_file(&w.smtpd, 1, "auth");
	ck_assert_str_eq(user, "me\n");
	free(user);
	ck_assert_uint_eq(count_drafts(&w), 1);
	sbuf_release(&out);
	report_teardown(&w, &k, &e, editor);
}
END_TEST

static Suite *compose_suite(void)
{
	Suite *s = suite_create("compose");
	TCase *reply = tcase_create("reply");
	TCase *drafts = tcase_create("drafts");
	TCase *faq = tcase_create("faq");

	tcase_add_test(reply, replies_address_whom_notmuch_reply_does);
	tcase_add_test(reply, reply_quotes_and_keeps_the_subject);
	tcase_add_test(reply, review_trailer_quotes_only_the_commit_message);
	tcase_add_test(reply, list_reply_and_forward);
	tcase_add_test(reply, hostile_names_never_make_header_lines);
	suite_add_tcase(s, reply);
	tcase_add_test(drafts, a_reply_is_sent_and_in_notmuch_at_once);
	tcase_add_test(drafts, failed_send_or_bad_header_keeps_the_draft);
	tcase_add_test(drafts, special_files_among_the_drafts_are_not_listed);
	tcase_add_test(drafts, full_disk_delivers_no_half_draft_or_fcc);
	tcase_add_test(drafts, review_keys_and_new_mail_make_drafts);
	suite_add_tcase(s, drafts);
	tcase_add_test(faq, stable_branches_are_read_as_git_reads_them);
	tcase_add_test(faq, stable_request_asks_for_what_lacks_it);
	tcase_add_test(faq, bug_report_cc_s_the_commit_s_people);
	tcase_add_test(faq, an_ambiguous_commit_id_is_said);
	tcase_add_test(faq, report_and_stable_print_their_drafts);
	tcase_add_test(faq, report_is_edited_then_sent_postponed_or_kept);
	tcase_add_test(faq, report_asks_for_the_smtp_password);
	suite_add_tcase(s, faq);
	return s;
}

int main(void)
{
	return t_run_suite(compose_suite());
}
