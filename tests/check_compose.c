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
#include "front/config.h"
#include "front/hooks.h"
#include "front/send.h"
#include "mail/address.h"
#include "mail/message.h"
#include "mail/reply.h"
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

START_TEST(replies_address_whom_notmuch_reply_addresses)
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
		     "bGU=?=\nMessage-Id: <1@example.org>\nDate: Tue, 10 Jun 2025 "
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

START_TEST(a_reply_goes_out_threaded_and_is_in_notmuch_at_once)
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
	ck_assert(strstr(mail, "\n\nLooks right to me, Zoë.\n\nOn Thu, 1 May"));
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

START_TEST(a_failed_send_or_a_broken_header_keeps_the_draft)
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

static Suite *compose_suite(void)
{
	Suite *s = suite_create("compose");
	TCase *reply = tcase_create("reply");
	TCase *drafts = tcase_create("drafts");

	tcase_add_test(reply, replies_address_whom_notmuch_reply_addresses);
	tcase_add_test(reply, reply_quotes_and_keeps_the_subject);
	tcase_add_test(reply, review_trailer_quotes_only_the_commit_message);
	tcase_add_test(reply, list_reply_and_forward);
	tcase_add_test(reply, hostile_names_never_make_header_lines);
	suite_add_tcase(s, reply);
	tcase_add_test(drafts, a_reply_goes_out_threaded_and_is_in_notmuch_at_once);
	tcase_add_test(drafts, a_failed_send_or_a_broken_header_keeps_the_draft);
	tcase_add_test(drafts, review_keys_and_new_mail_make_drafts);
	suite_add_tcase(s, drafts);
	return s;
}

int main(void)
{
	return t_run_suite(compose_suite());
}
