/*
 * vger send against a real SMTP server on 127.0.0.1 (tests/smtpd.py, a
 * process started and stopped by each test): series written by the
 * real vger respin in real git repositories, sent by the real binary,
 * compared with what the server received.  The questions are answered
 * on a real terminal (a pty).  Also the model (mail/send.h) on its own.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mail/address.h"
#include "mail/compose.h"
#include "mail/send.h"
#include "mail/send_record.h"
#include "mail/smtp.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* In the 6.13 merge window / an ordinary week of 6.16-rc. */
#define IN_WINDOW "VGER_NOW=2024-11-20"
#define OUT_OF_WINDOW "VGER_NOW=2025-06-10"

/* ---- the model on its own ---- */

START_TEST(model_compose_headers)
{
	char *dir = t_tmpdir();
	char *a = path_join(dir, "a.patch"), *b = path_join(dir, "b.patch");
	const char *paths[] = { a, b };
	struct mail_send_series s = MAIL_SEND_SERIES_INIT;
	struct mail_send_options o;
	struct vec cc = VEC_INIT;
	struct err err = ERR_INIT;
	const struct mail_send_msg *m0, *m1;
	char *h;

	t_write_file(a, "From 0123456789012345678901234567890123456789 Mon Sep "
		     "17 00:00:00 2001\nFrom: =?UTF-8?q?J=C3=B6rg?= <j@example."
		     "org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: "
		     "[PATCH net v2 1/2] net: a\nTo: \"Doe, Jane\" <jane@"
		     "example.org>\nX-Kept:  as   it was\n\nbody a\n");
	t_write_file(b, "From: Me <me@example.org>\nSubject: [PATCH net v2 "
		     "2/2] net: b\nIn-Reply-To: <other@x>\nReferences: "
		     "<root@x> <other@x>\nTo: jane@EXAMPLE.org\n\nbody b");
	vec_push_str(&cc, "Zoë <zoe@example.org>");
	ck_assert_msg(!mail_send_read(&s, paths, 2, &err), "%s", err.msg);
	ck_assert_str_eq(s.tree, "net");
	ck_assert_uint_eq(s.version, 2);
	memset(&o, 0, sizeof(o));
	o.from = "Me <me@example.org>";
	o.cc = &cc;
	o.thread = 1;
	o.now = 1700000000;
	o.pid = 42;
	ck_assert_msg(!mail_send_compose(&s, &o, &err), "%s", err.msg);
	m0 = s.msgs.items[0];
	m1 = s.msgs.items[1];
	ck_assert_str_eq(m0->commit,
			 "0123456789012345678901234567890123456789");
	ck_assert_str_eq(m0->message_id,
			 "<20231114221320.42-1-vger@example.org>");
	ck_assert_msg(str_starts_with(m0->data, "From: Me <me@example.org>\n"
		      "To: \"Doe, Jane\" <jane@example.org>\n"
		      "Cc: =?UTF-8?b?Wm/Dqw==?= <zoe@example.org>\n"
		      "Subject: [PATCH net v2 1/2] net: a\n"
		      "Date: Tue, 14 Nov 2023 22:13:19 +0000\n"
		      "Message-Id: <20231114221320.42-1-vger@example.org>\n"
		      "X-Kept:  as   it was\n"
		      /* the non-ASCII author line says its charset */
		      "MIME-Version: 1.0\n"
		      "Content-Type: text/plain; charset=UTF-8\n"
		      "Content-Transfer-Encoding: 8bit\n\n"
		      "From: J\xc3\xb6rg <j@example.org>\n\nbody a\n"),
		      "%s", m0->data);
	/* kept threading; the file's To once (case), Cc added */
	ck_assert_msg(strstr(m1->data, "\nIn-Reply-To: <other@x>\n"
			     "References: <root@x> <other@x>\n"), "%s",
		      m1->data);
	ck_assert_uint_eq(m1->rcpts.n, 2);
	ck_assert_str_eq(m1->rcpts.items[0], "jane@EXAMPLE.org");
	ck_assert(str_ends_with(m1->data, "\n\nbody b\n"));
	ck_assert_ptr_null(strstr(m1->data, "From: Me <me@example.org>\n\n"));
	h = strstr(m1->data, "Date: ");
	ck_assert(h && str_starts_with(h, "Date: Tue, 14 Nov 2023 22:13:20"));
	mail_send_series_release(&s);
	vec_release_str(&cc);
	free(a);
	free(b);
	t_rmtree(dir);
}
END_TEST

START_TEST(model_record_round_trip)
{
	char *dir = t_tmpdir();
	char *a = path_join(dir, "a.patch"), *b = path_join(dir, "b.patch");
	const char *paths[] = { a, b };
	struct mail_send_series s = MAIL_SEND_SERIES_INIT;
	struct mail_send_series t = MAIL_SEND_SERIES_INIT;
	struct mail_send_options o;
	struct err err = ERR_INIT;
	char *rec, *sdir = path_join(dir, "state/send");

	t_write_file(a, "Subject: [PATCH 1/2] a\nTo: x@example.org\n\na\n");
	t_write_file(b, "Subject: [PATCH 2/2] b\nTo: x@example.org\n\nb\n");
	memset(&o, 0, sizeof(o));
	o.from = "me@example.org";
	o.now = 1700000000;
	o.pid = 7;
	o.thread = 1;
	ck_assert(!mail_send_read(&s, paths, 2, &err));
	rec = mail_send_record_path(sdir, &s);
	ck_assert(!mail_send_record_load(&s, rec, &err));
	ck_assert(!mail_send_compose(&s, &o, &err));
	mail_send_set_status(&s, 0, MAIL_SEND_SENT, 1700000001);
	ck_assert_msg(!mail_send_record_save(&s, rec, &err), "%s", err.msg);
	/* another run: the first is skipped, the ids are the same */
	o.pid = 8;
	o.now += 100;
	ck_assert(!mail_send_read(&t, paths, 2, &err));
	ck_assert_msg(!mail_send_record_load(&t, rec, &err), "%s", err.msg);
	ck_assert_int_eq(((struct mail_send_msg *)t.msgs.items[0])->status,
			 MAIL_SEND_SENT);
	ck_assert(!mail_send_compose(&t, &o, &err));
	ck_assert_ptr_null(((struct mail_send_msg *)t.msgs.items[0])->data);
	ck_assert_str_eq(((struct mail_send_msg *)t.msgs.items[1])->message_id,
			 "<20231114221320.7-2-vger@example.org>");
	ck_assert(strstr(((struct mail_send_msg *)t.msgs.items[1])->data,
			 "In-Reply-To: <20231114221320.7-1-vger@example.org>"));
	mail_send_series_release(&t);
	/* a broken record is named, not ignored */
	t_write_file(rec, "key nonsense\n");
	ck_assert(!mail_send_read(&t, paths, 2, &err));
	ck_assert_int_lt(mail_send_record_load(&t, rec, &err), 0);
	ck_assert_msg(strstr(err.msg, ":1: the record of another series"), "%s",
		      err.msg);
	mail_send_series_release(&t);
	mail_send_series_release(&s);
	free(rec);
	free(sdir);
	free(a);
	free(b);
	t_rmtree(dir);
}
END_TEST

START_TEST(model_refuses_the_template_splits_an_mbox)
{
	char *dir = t_tmpdir();
	char *a = path_join(dir, "a.patch");
	const char *paths[] = { a };
	struct mail_send_series s = MAIL_SEND_SERIES_INIT;
	struct err err = ERR_INIT;
	static const char from_line[] =
		"From 0123456789012345678901234567890123456789 Mon Sep 17 "
		"00:00:00 2001\n";
	struct sbuf mbox = SBUF_INIT;

	t_write_file(a, "Subject: [PATCH 0/2] *** SUBJECT HERE ***\nTo: x@"
		     "example.org\n\n*** BLURB HERE ***\n");
	ck_assert_int_lt(mail_send_read(&s, paths, 1, &err), 0);
	ck_assert_msg(strstr(err.msg, "git's template"), "%s", err.msg);
	mail_send_series_release(&s);
	sbuf_addf(&mbox, "%sSubject: [PATCH 1/2] a\n\na\n%sSubject: [PATCH "
		  "2/2] b\n\nb\n", from_line, from_line);
	t_write_file(a, mbox.buf);
	ck_assert_msg(!mail_send_read(&s, paths, 1, &err), "%s", err.msg);
	ck_assert_uint_eq(s.msgs.n, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct mail_send_msg *m = s.msgs.items[i];
		char name[16];

		snprintf(name, sizeof(name), "a.patch#%zu", i + 1);
		ck_assert_ptr_nonnull(strstr(m->path, name));
		ck_assert_str_eq(m->commit, "0123456789012345678901234567"
				 "890123456789");
		ck_assert_uint_eq(m->tags.index, i + 1);
		ck_assert_str_eq(m->raw + m->body_off, i ? "b\n" : "a\n");
	}
	mail_send_series_release(&s);
	/* a broken second message is named, with its line in the file */
	sbuf_reset(&mbox);
	sbuf_addf(&mbox, "%sSubject: [PATCH 1/2] a\n\na\n%sSubject: [PATCH "
		  "2/2] b\nnot a header\n\nb\n", from_line, from_line);
	t_write_file(a, mbox.buf);
	ck_assert_int_lt(mail_send_read(&s, paths, 1, &err), 0);
	ck_assert_msg(strstr(err.msg, "a.patch#2:7: not a mail header"), "%s",
		      err.msg);
	mail_send_series_release(&s);
	sbuf_release(&mbox);
	free(a);
	t_rmtree(dir);
}
END_TEST

/* ---- the SMTP server ---- */

/* Lines of the server's log that start with prefix (whole: equal to). */
static int smtpd_log_lines(const struct t_smtpd *d, const char *prefix,
			   int whole)
{
	char *path = path_join(d->dir, "log"), *text;
	int n = 0;

	if (!fs_exists(path)) {
		free(path);
		return 0;
	}
	text = t_read_file(path);
	for (const char *p = text; *p;) {
		size_t len = str_line_len(p);

		if ((!whole || len == strlen(prefix)) &&
		    !strncmp(p, prefix, strlen(prefix)))
			n++;
		p += len + (p[len] == '\n');
	}
	free(text);
	free(path);
	return n;
}

/* Lines of the server's log equal to line. */
static int smtpd_log_count(const struct t_smtpd *d, const char *line)
{
	return smtpd_log_lines(d, line, 1);
}

static int smtpd_log_count_prefix(const struct t_smtpd *d, const char *prefix)
{
	return smtpd_log_lines(d, prefix, 0);
}

/* The value of header name in a mail (first line of it); caller frees. */
static char *header(const char *mail, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = mail; *p && *p != '\n';
	     p += str_line_len(p) + 1) {
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			return xstrndup(v, str_line_len(v));
		}
		if (!p[str_line_len(p)])
			break;
	}
	return NULL;
}

static const char *body(const char *mail)
{
	const char *b = strstr(mail, "\n\n");

	ck_assert_ptr_nonnull(b);
	return b + 2;
}

/* ---- SMTP on its own ---- */

START_TEST(smtp_sends_refuses_and_knows_when_unsure)
{
	struct t_smtpd d;
	const char *args[] = { "--reject-rcpt", "no@example.org",
			       "--hang-data", "2", NULL };
	struct mail_smtp_options o;
	struct mail_smtp *s = NULL;
	struct vec rcpts = VEC_INIT;
	struct err err = ERR_INIT;
	struct sbuf url = SBUF_INIT;
	static const char one[] = "Subject: one\n\n.dot\nCRLF\r\nend";
	char *raw, *rcpt;
	int unsure = -1;

	t_smtpd_start(&d, args);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = d.port;
	o.timeout = 2;
	ck_assert_msg(!mail_smtp_new(&s, &o, &err), "%s", err.msg);
	sbuf_addf(&url, "smtp://127.0.0.1:%d", d.port);
	ck_assert_str_eq(mail_smtp_url(s), url.buf);
	vec_push_str(&rcpts, "a@example.org");
	vec_push_str(&rcpts, "b@example.org");
	ck_assert_msg(!mail_smtp_send(s, "me@example.org", &rcpts, one,
				      strlen(one), &unsure, &err), "%s",
		      err.msg);
	ck_assert_int_eq(unsure, 0);
	/* CRLF for LF, a CRLF kept, dot-stuffed, CRLF at the end */
	raw = t_smtpd_file(&d, 1, "eml");
	ck_assert_str_eq(raw, "Subject: one\r\n\r\n.dot\r\nCRLF\r\nend\r\n");
	rcpt = t_smtpd_file(&d, 1, "rcpt");
	ck_assert_str_eq(rcpt, "a@example.org\nb@example.org\n");
	vec_push_str(&rcpts, "no@example.org");
	ck_assert_int_lt(mail_smtp_send(s, "me@example.org", &rcpts, one,
					strlen(one), &unsure, &err), 0);
	ck_assert_int_eq(unsure, 0);
	ck_assert_msg(strstr(err.msg, "refused RCPT TO:<no@example.org>: "
			     "550 5.1.1"), "%s", err.msg);
	free(vec_pop(&rcpts));
	/* the server takes the data and never answers: not known */
	ck_assert_int_lt(mail_smtp_send(s, "me@example.org", &rcpts, one,
					strlen(one), &unsure, &err), 0);
	ck_assert_int_eq(unsure, 1);
	ck_assert_msg(strstr(err.msg, "did not answer within 2 s"), "%s",
		      err.msg);
	ck_assert_int_eq(t_smtpd_count(&d), 1);
	mail_smtp_free(s);
	free(raw);
	free(rcpt);
	sbuf_release(&url);
	vec_release_str(&rcpts);
	t_smtpd_stop(&d);
}
END_TEST

START_TEST(smtp_refuses_a_server_that_is_not_a_host)
{
	struct mail_smtp_options o;
	struct mail_smtp *s = NULL;
	struct err err = ERR_INIT;

	memset(&o, 0, sizeof(o));
	o.host = "evil.example.org/path?x";
	ck_assert_int_lt(mail_smtp_new(&s, &o, &err), 0);
	ck_assert_ptr_null(s);
	o.host = "::1";
	o.security = MAIL_SMTP_TLS;
	ck_assert_msg(!mail_smtp_new(&s, &o, &err), "%s", err.msg);
	ck_assert_str_eq(mail_smtp_url(s), "smtps://[::1]:465");
	mail_smtp_free(s);
	o.port = 70000;
	ck_assert_int_lt(mail_smtp_new(&s, &o, &err), 0);
}
END_TEST

/* Send one message to a server started with args; err gets why not. */
static void smtp_send_fails(const char *const args[], long timeout,
			    int unsure_expected, struct err *err)
{
	struct t_smtpd d;
	struct mail_smtp_options o;
	struct mail_smtp *s = NULL;
	struct vec rcpts = VEC_INIT;
	static const char one[] = "Subject: one\n\nbody\n";
	int unsure = -1;

	t_smtpd_start(&d, args);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = d.port;
	o.timeout = timeout;
	ck_assert_msg(!mail_smtp_new(&s, &o, err), "%s", err->msg);
	vec_push_str(&rcpts, "a@example.org");
	ck_assert_int_lt(mail_smtp_send(s, "me@example.org", &rcpts, one,
					strlen(one), &unsure, err), 0);
	ck_assert_int_eq(unsure, unsure_expected);
	ck_assert_int_eq(t_smtpd_count(&d), 0);
	mail_smtp_free(s);
	vec_release_str(&rcpts);
	t_smtpd_stop(&d);
}

/* A failure says what happened, not what libcurl's internals saw. */
START_TEST(smtp_failures_say_what_happened)
{
	const char *garble[] = { "--garble-mail", "1", NULL };
	const char *drop[] = { "--drop-in-data", "1", NULL };
	struct err err = ERR_INIT;

	/* an answer with no code: not "did not answer", and quoted safe */
	smtp_send_fails(garble, 2, 0, &err);
	ck_assert_msg(strstr(err.msg, "answered what is not an SMTP reply "
			     "(after MAIL FROM:<me@example.org>") &&
		      strstr(err.msg, "I am not an SMTP server"), "%s",
		      err.msg);
	ck_assert_msg(!strchr(err.msg, '\x1b'), "%s", err.msg);
	/* the connection closed after the data: said so, no stale errno */
	smtp_send_fails(drop, 5, 1, &err);
	ck_assert_msg(strstr(err.msg, "closed the connection (after DATA)"),
		      "%s", err.msg);
	ck_assert_msg(!strstr(err.msg, "errno"), "%s", err.msg);
}
END_TEST

/*
 * The fault matrix of SMTP (tests/FAULTS.md): at every stage of the
 * dialogue the server closes the connection, never answers, answers
 * what is not SMTP, refuses for now (4xx) or for good (5xx).  Each
 * row: the send fails (or, where the protocol has a way around, works),
 * within a bound, says where it failed, is unsure exactly when the
 * data went out and no answer came, and the message is not delivered.
 */
struct smtp_fault_row {
	const char *fault;	/* --fault STAGE:KIND */
	int sent;		/* delivered all the same (EHLO's HELO) */
	int unsure;
	const char *says;	/* in the message, "" for anything */
};

static const struct smtp_fault_row smtp_fault_rows[] = {
	{ "greeting:drop", 0, 0, "closed the connection" },
	{ "greeting:hang", 0, 0, "did not answer within 1 s" },
	{ "greeting:garble", 0, 0, "answered what is not an SMTP reply" },
	{ "greeting:421", 0, 0, "refused the connection: 421" },
	{ "greeting:554", 0, 0, "refused the connection: 554" },
	{ "ehlo:drop", 0, 0, "closed the connection (after EHLO" },
	{ "ehlo:hang", 0, 0, "did not answer within 1 s (after EHLO" },
	{ "ehlo:garble", 0, 0, "answered what is not an SMTP reply (after "
	  "EHLO" },
	/* RFC 5321 4.1.1.1: a client may say HELO when EHLO is refused */
	{ "ehlo:421", 1, 0, "" },
	{ "ehlo:554", 1, 0, "" },
	{ "starttls:drop", 0, 0, "closed the connection (after STARTTLS" },
	{ "starttls:hang", 0, 0, "did not answer within 1 s (after STARTTLS" },
	{ "starttls:garble", 0, 0, "answered what is not an SMTP reply "
	  "(after STARTTLS" },
	{ "starttls:454", 0, 0, "refused STARTTLS: 454" },
	{ "starttls:554", 0, 0, "refused STARTTLS: 554" },
	{ "auth:drop", 0, 0, "closed the connection (after AUTH" },
	{ "auth:hang", 0, 0, "did not answer within 1 s (after AUTH" },
	{ "auth:garble", 0, 0, "answered what is not an SMTP reply (after "
	  "AUTH" },
	{ "auth:454", 0, 0, "refused the login: 454" },
	{ "auth:535", 0, 0, "refused the login: 535" },
	{ "mail:drop", 0, 0, "closed the connection (after MAIL FROM" },
	{ "mail:hang", 0, 0, "did not answer within 1 s (after MAIL FROM" },
	{ "mail:garble", 0, 0, "answered what is not an SMTP reply (after "
	  "MAIL FROM" },
	{ "mail:451", 0, 0, "refused MAIL FROM:<me@example.org> SIZE=22: "
	  "451" },
	{ "mail:550", 0, 0, "refused MAIL FROM:<me@example.org> SIZE=22: "
	  "550" },
	{ "rcpt:drop", 0, 0, "closed the connection (after RCPT TO" },
	{ "rcpt:hang", 0, 0, "did not answer within 1 s (after RCPT TO" },
	{ "rcpt:garble", 0, 0, "answered what is not an SMTP reply (after "
	  "RCPT TO" },
	{ "rcpt:450", 0, 0, "refused RCPT TO:<a@example.org>: 450" },
	{ "rcpt:550", 0, 0, "refused RCPT TO:<a@example.org>: 550" },
	{ "data:drop", 0, 0, "closed the connection (after DATA" },
	{ "data:hang", 0, 0, "did not answer within 1 s (after DATA" },
	{ "data:garble", 0, 0, "answered what is not an SMTP reply (after "
	  "DATA" },
	{ "data:451", 0, 0, "refused DATA: 451" },
	{ "data:554", 0, 0, "refused DATA: 554" },
	{ "eod:drop", 0, 1, "closed the connection (after DATA" },
	{ "eod:hang", 0, 1, "did not answer within 1 s (after DATA" },
	{ "eod:garble", 0, 1, "answered what is not an SMTP reply (after "
	  "DATA" },
	{ "eod:451", 0, 0, "refused the message: 451" },
	{ "eod:554", 0, 0, "refused the message: 554" },
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

START_TEST(smtp_fault_matrix)
{
	const struct smtp_fault_row *row = &smtp_fault_rows[_i];
	char *cert = t_fixture("send/cert.pem");
	char *key = t_fixture("send/key.pem");
	const char *args[8] = { "--fault", row->fault };
	struct t_smtpd d;
	struct mail_smtp_options o;
	struct mail_smtp *s = NULL;
	struct vec rcpts = VEC_INIT;
	struct err err = ERR_INIT;
	static const char one[] = "Subject: one\n\nbody\n";
	int unsure = -1, ret;
	long t0;

	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.timeout = 1;
	if (!strncmp(row->fault, "starttls:", 9)) {
		args[2] = "--starttls";
		args[3] = cert;
		args[4] = key;
		o.security = MAIL_SMTP_STARTTLS;
		o.ca = cert;
	} else if (!strncmp(row->fault, "auth:", 5)) {
		args[2] = "--auth";
		args[3] = "me:pw";
		o.user = "me";
		o.pass = "pw";
	}
	t_smtpd_start(&d, args);
	o.port = d.port;
	ck_assert_msg(!mail_smtp_new(&s, &o, &err), "%s", err.msg);
	vec_push_str(&rcpts, "a@example.org");
	t0 = now_ms();
	ret = mail_smtp_send(s, "me@example.org", &rcpts, one, strlen(one),
			     &unsure, &err);
	/*
	 * libcurl 7.88 keeps the response timeout loosely after the
	 * greeting (it looks once a second) and waits for its QUIT's
	 * answer too: three times the timeout at most, not for ever.
	 */
	ck_assert_msg(now_ms() - t0 < 3 * o.timeout * 1000 + 1500,
		      "%s: %ld ms", row->fault, now_ms() - t0);
	ck_assert_int_eq(t_smtpd_count(&d), row->sent);
	if (row->sent) {
		ck_assert_msg(ret == 0, "%s: %s", row->fault, err.msg);
		ck_assert_int_eq(smtpd_log_count_prefix(&d, "HELO "), 1);
	} else {
		ck_assert_int_lt(ret, 0);
		ck_assert_msg(strstr(err.msg, row->says), "%s: %s",
			      row->fault, err.msg);
		/* what the server said is quoted, never obeyed */
		ck_assert_msg(!strchr(err.msg, '\x1b') &&
			      !strchr(err.msg, '\a'), "%s: %s", row->fault,
			      err.msg);
	}
	ck_assert_msg(unsure == row->unsure, "%s: unsure %d", row->fault,
		      unsure);
	ck_assert_int_eq(smtpd_log_count_prefix(&d, "fault "), 1);
	mail_smtp_free(s);
	vec_release_str(&rcpts);
	t_smtpd_stop(&d);
	free(cert);
	free(key);
}
END_TEST

/* ---- a series, written by vger respin ---- */

struct fixture {
	char *dir;		/* the test's directory */
	char *repo;
	char *out;		/* the series: repo/out */
	char *config;		/* the global git config */
	char *state;		/* XDG_STATE_HOME */
	struct sbuf env_config, env_state;
	struct t_smtpd smtpd;
	int smtpd_running;
};

static void fixture_config(struct fixture *f, const char *text)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "[user]\n\tname = Me Myself\n\temail = me@example.org\n"
		  "[sendemail]\n\tsmtpServer = 127.0.0.1\n%s", text);
	t_write_file(f->config, sb.buf);
	sbuf_release(&sb);
}

/* Point sendemail.smtpServerPort at the running server. */
static void fixture_port(struct fixture *f, const char *more)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "\tsmtpServerPort = %d\n%s", f->smtpd.port,
		  more ? more : "");
	fixture_config(f, sb.buf);
	sbuf_release(&sb);
}

/*
 * A repository with a two-patch topic branch (A U Thor's, and a
 * message with lines that start with a dot), respun for tree into
 * repo/out (respin_args added); the test's working directory is repo.
 */
static void fixture_init(struct fixture *f, const char *tree,
			 const char *const respin_args[])
{
	const char *base[] = { "f.c", "one\n", NULL };
	const char *a[] = { "f.c", "one\ntwo\n", NULL };
	const char *b[] = { "g.c", "three\n", NULL };
	const char *args[16] = { "respin", "master..topic", "--tree", tree,
				 "-o", "out", "--no-check" };
	const char *cover[] = { "config", "branch.topic.description",
				"bpf: the cover\n\nWhy this series.\n", NULL };
	const char *env[] = { NULL, NULL, OUT_OF_WINDOW, NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct t_git *g;
	size_t n = 7;

	memset(f, 0, sizeof(*f));
	f->dir = t_tmpdir();
	f->repo = path_join(f->dir, "repo");
	f->config = path_join(f->dir, "gitconfig");
	f->state = path_join(f->dir, "state");
	f->out = path_join(f->repo, "out");
	sbuf_addf(&f->env_config, "GIT_CONFIG_GLOBAL=%s", f->config);
	sbuf_addf(&f->env_state, "XDG_STATE_HOME=%s", f->state);
	fixture_config(f, "");
	g = t_git_init(f->repo);
	t_git_commit(g, "base\n", base);
	t_git_branch(g, "topic");
	t_git_commit(g, "bpf: add two\n\n.leading dot\n.\n..two dots\n\n"
		     "Signed-off-by: A U Thor <author@example.com>\n", a);
	t_git_commit(g, "bpf: add three\n\nSigned-off-by: A U Thor "
		     "<author@example.com>\n", b);
	t_git_free(g);
	t_git_run(f->repo, cover);
	ck_assert_int_eq(chdir(f->repo), 0);
	for (size_t i = 0; respin_args && respin_args[i]; i++)
		args[n++] = respin_args[i];
	args[n] = NULL;
	env[0] = f->env_config.buf;
	env[1] = f->env_state.buf;
	ck_assert_msg(t_vger(args, env, &out, &err) == 0, "respin: %s",
		      err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
}

static void fixture_smtpd(struct fixture *f, const char *const args[],
			  const char *config)
{
	t_smtpd_start(&f->smtpd, args);
	f->smtpd_running = 1;
	fixture_port(f, config);
}

static void fixture_release(struct fixture *f)
{
	if (f->smtpd_running)
		t_smtpd_stop(&f->smtpd);
	free(f->repo);
	free(f->out);
	free(f->config);
	free(f->state);
	sbuf_release(&f->env_config);
	sbuf_release(&f->env_state);
	t_rmtree(f->dir);
}

/* The series' files, by name; caller releases. */
static void series_files(const struct fixture *f, struct vec *out)
{
	DIR *d = opendir(f->out);
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (str_ends_with(de->d_name, ".patch"))
			vec_push(out, path_join(f->out, de->d_name));
	closedir(d);
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *series_file(const struct fixture *f, size_t i)
{
	struct vec v = VEC_INIT;
	char *text;

	series_files(f, &v);
	vec_sort(&v, path_cmp);
	ck_assert_uint_gt(v.n, i);
	text = t_read_file(v.items[i]);
	vec_release_str(&v);
	return text;
}

/* Run vger send args with the fixture's config, state and env. */
static int send_vger(struct fixture *f, const char *const args[],
		const char *const env_more[], struct sbuf *out,
		struct sbuf *err)
{
	const char *argv[32] = { "send" };
	const char *env[16] = { f->env_config.buf, f->env_state.buf };
	size_t n = 1, e = 2;
	int now = 0;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	for (size_t i = 0; env_more && env_more[i]; i++) {
		now |= str_starts_with(env_more[i], "VGER_NOW=");
		env[e++] = env_more[i];
	}
	if (!now)
		env[e++] = OUT_OF_WINDOW;
	env[e] = NULL;
	sbuf_reset(out);
	sbuf_reset(err);
	return t_vger(argv, env, out, err);
}

/* The body of file text (without its mbox line and headers). */
static const char *file_body(const char *text)
{
	return body(text);
}

/* ---- sending ---- */

START_TEST(series_sent_byte_for_byte_with_envelope_threaded)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "--to", "Extra One <extra@example.org>",
			       "--cc", "BPF@VGER.kernel.org", "--cc",
			       "carol@example.org, Dave <dave@example.org>",
			       "out", NULL };
	char *first_id = NULL;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, "[sendemail]\n\tcc = carol@example.org\n");
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_str_eq(out.buf,
			 "Sent [PATCH bpf-next 0/2] bpf: the cover\n"
			 "Sent [PATCH bpf-next 1/2] bpf: add two\n"
			 "Sent [PATCH bpf-next 2/2] bpf: add three\n");
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	/* one connection for the three messages */
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 1);
	for (int i = 1; i <= 3; i++) {
		char *from = t_smtpd_file(&f.smtpd, i, "from");
		char *rcpt = t_smtpd_file(&f.smtpd, i, "rcpt");
		char *mail = t_smtpd_received(&f.smtpd, i);
		char *file = series_file(&f, (size_t)i - 1);
		char *id = header(mail, "Message-Id");
		char *date = header(mail, "Date");
		char *irt = header(mail, "In-Reply-To");
		char *refs = header(mail, "References");
		char *to = header(mail, "To"), *cc = header(mail, "Cc");
		char *hfrom = header(mail, "From");
		struct sbuf want = SBUF_INIT;

		ck_assert_str_eq(from, "me@example.org\n");
		/* To and Cc of the file and the options, each once */
		ck_assert_str_eq(rcpt, "bpf@vger.kernel.org\n"
				 "extra@example.org\ncarol@example.org\n"
				 "dave@example.org\n");
		ck_assert_str_eq(hfrom, "Me Myself <me@example.org>");
		ck_assert_str_eq(to, "bpf@vger.kernel.org, Extra One "
				 "<extra@example.org>");
		ck_assert_str_eq(cc, "carol@example.org, Dave "
				 "<dave@example.org>");
		ck_assert_ptr_nonnull(date);
		ck_assert_msg(id && id[0] == '<' && strstr(id, "-vger@"
				"example.org>"), "%s", id);
		/* the body as written, the author first when not me */
		if (i > 1)
			sbuf_addstr(&want, "From: A U Thor "
				    "<author@example.com>\n\n");
		sbuf_addstr(&want, file_body(file));
		ck_assert_str_eq(body(mail), want.buf);
		if (i == 1) {
			first_id = xstrdup(id);
			ck_assert_ptr_null(irt);
			ck_assert_ptr_null(refs);
		} else {
			ck_assert_str_ne(id, first_id);
			ck_assert_str_eq(irt, first_id);
			ck_assert_str_eq(refs, first_id);
		}
		if (i == 2)
			ck_assert(strstr(body(mail), "\n.leading dot\n.\n"
					 "..two dots\n"));
		sbuf_release(&want);
		free(from);
		free(rcpt);
		free(mail);
		free(file);
		free(id);
		free(date);
		free(irt);
		free(refs);
		free(to);
		free(cc);
		free(hfrom);
	}
	free(first_id);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(sent_version_is_recorded_for_the_next_respin)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "bpf-next", "-o", "out2", "--no-check", NULL };
	const char *tag[] = { "git", "tag", "-l", "-n9", "vger/*", NULL };
	const char *env[] = { NULL, NULL };
	char *mail, *id, *cover;
	struct sbuf link = SBUF_INIT;

	fixture_init(&f, "bpf-next", NULL);
	env[0] = f.env_config.buf;
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_msg(strstr(err.buf, "recorded v1 of topic as sent "
			     "(refs/tags/vger/topic-v1)"), "%s", err.buf);
	mail = t_smtpd_received(&f.smtpd, 1);
	id = header(mail, "Message-Id");
	ck_assert_int_eq(t_run(tag, NULL, NULL, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "vger/topic-v1") &&
		      strstr(out.buf, "bpf: the cover") &&
		      strstr(out.buf, id), "%s", out.buf);
	/* the next respin is v2, and links to what went out */
	ck_assert_msg(t_vger(respin, env, &out, &err) == 0, "%s", err.buf);
	cover = t_read_file("out2/v2-0000-cover-letter.patch");
	sbuf_addf(&link, "v1: https://lore.kernel.org/bpf/%.*s/",
		  (int)strlen(id) - 2, id + 1);
	ck_assert_msg(strstr(cover, link.buf), "%s", cover);
	ck_assert(strstr(cover, "Subject: [PATCH bpf-next v2 0/2]"));
	free(cover);
	free(mail);
	free(id);
	sbuf_release(&link);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/*
 * The sent tag is the user's: their name from ~/.gitconfig (here the
 * GIT_CONFIG_GLOBAL file), not the repository's, which has none.
 */
START_TEST(sent_tag_is_tagged_by_the_user_of_the_global_config)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *tag[] = { "git", "cat-file", "tag", "vger/topic-v1",
			      NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	sbuf_reset(&out);
	ck_assert_int_eq(t_run(tag, NULL, NULL, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "\ntagger Me Myself <me@example.org> "),
		      "%s", out.buf);
	ck_assert_ptr_null(strstr(out.buf, "vger@localhost"));
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(dates_are_a_second_apart_in_order)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "-y", "out", NULL };
	char *d[3];

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	for (int i = 0; i < 3; i++) {
		char *mail = t_smtpd_received(&f.smtpd, i + 1);

		d[i] = header(mail, "Date");
		free(mail);
	}
	{
		struct tm a, b, c;
		const char *fmt = "%a, %d %b %Y %H:%M:%S";

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		memset(&c, 0, sizeof(c));
		ck_assert_ptr_nonnull(strptime(d[0], fmt, &a));
		ck_assert_ptr_nonnull(strptime(d[1], fmt, &b));
		ck_assert_ptr_nonnull(strptime(d[2], fmt, &c));
		ck_assert_int_eq((long)(timegm(&b) - timegm(&a)), 1);
		ck_assert_int_eq((long)(timegm(&c) - timegm(&b)), 1);
		ck_assert_int_le((long)(timegm(&c)), (long)time(NULL));
	}
	for (int i = 0; i < 3; i++)
		free(d[i]);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(threaded_files_keep_their_ids)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *respin[] = { "--thread", NULL };
	const char *args[] = { "--yes", "out", NULL };

	fixture_init(&f, "bpf-next", respin);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	for (int i = 1; i <= 3; i++) {
		char *mail = t_smtpd_received(&f.smtpd, i);
		char *file = series_file(&f, (size_t)i - 1);
		char *a = header(mail, "Message-Id");
		char *b = header(file, "Message-Id");
		char *c = header(mail, "In-Reply-To");
		char *d = header(file, "In-Reply-To");

		ck_assert_str_eq(a, b);
		if (i == 1) {
			ck_assert_ptr_null(c);
		} else {
			ck_assert_str_eq(c, d);
		}
		free(mail);
		free(file);
		free(a);
		free(b);
		free(c);
		free(d);
	}
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(dry_run_sends_nothing_and_says_what_it_would)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--dry-run", "--bcc", "hidden@example.org",
			       "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 0);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	ck_assert_msg(strstr(out.buf, "Dry-Sent [PATCH bpf-next 0/2] bpf: the "
			     "cover\n    To: bpf@vger.kernel.org\n    MAIL "
			     "FROM:<me@example.org> RCPT TO:<bpf@vger.kernel."
			     "org>,<hidden@example.org>\n"), "%s", out.buf);
	ck_assert(strstr(out.buf, "Dry-Sent [PATCH bpf-next 2/2] bpf: add "
			 "three\n"));
	ck_assert(strstr(err.buf, "dry run: nothing sent"));
	/* and it did not count as sent */
	ck_assert_ptr_null(strstr(out.buf, "(sent on"));
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(no_terminal_and_no_yes_is_refused)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "no terminal to ask on: --yes"), "%s",
		      err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(auth_with_user_and_password_from_config)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *auth[] = { "--auth", "me:s3cret-pw", NULL };
	const char *args[] = { "--yes", "out", NULL };
	char *user;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, auth, "\tsmtpUser = me\n\tsmtpPass = wrong-pw\n");
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "refused the login: 535"), "%s",
		      err.buf);
	ck_assert_ptr_null(strstr(err.buf, "wrong-pw"));
	ck_assert_ptr_null(strstr(out.buf, "wrong-pw"));
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 0);

	/* no password and no terminal: nothing, not even a connection */
	fixture_port(&f, "\tsmtpUser = me\n");
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "no terminal to ask for the password"),
		      "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 1);

	fixture_port(&f, "\tsmtpUser = me\n\tsmtpPass = s3cret-pw\n");
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	user = t_smtpd_file(&f.smtpd, 3, "auth");
	ck_assert_str_eq(user, "me\n");
	ck_assert_ptr_null(strstr(err.buf, "s3cret"));
	free(user);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(starttls_and_implicit_tls)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	char *cert = t_fixture("send/cert.pem");
	char *key = t_fixture("send/key.pem");
	const char *starttls[] = { "--starttls", cert, key, NULL };
	const char *tls[] = { "--tls", cert, key, NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *plain_args[] = { "--yes", "--smtp-encryption", "none",
				     "--resume", "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	sbuf_addf(&cfg, "\tsmtpEncryption = tls\n\tsmtpSSLCertPath = %s\n",
		  cert);
	fixture_smtpd(&f, starttls, cfg.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "STARTTLS"), 1);
	t_smtpd_stop(&f.smtpd);
	fixture_smtpd(&f, tls, "");
	/* implicit TLS, and a certificate nobody vouches for */
	sbuf_reset(&cfg);
	sbuf_addf(&cfg, "\tsmtpEncryption = ssl\n");
	fixture_port(&f, cfg.buf);
	t_rmtree(xstrdup(f.state));
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "TLS with smtps://127.0.0.1:"), "%s",
		      err.buf);
	sbuf_addf(&cfg, "\tsmtpSSLCertPath = %s\n", cert);
	fixture_port(&f, cfg.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	t_smtpd_stop(&f.smtpd);
	/* tls required, and the server offers no STARTTLS */
	fixture_smtpd(&f, NULL, "\tsmtpEncryption = tls\n");
	t_rmtree(xstrdup(f.state));
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "does not offer STARTTLS"), "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 0);
	/* the option wins over the config */
	ck_assert_msg(send_vger(&f, plain_args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	free(cert);
	free(key);
	sbuf_release(&cfg);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(fcc_maildir_gets_exactly_what_was_sent)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	char *fcc, *new;
	struct vec files = VEC_INIT;
	DIR *d;
	struct dirent *de;

	fixture_init(&f, "bpf-next", NULL);
	fcc = path_join(f.dir, "mail/Sent");
	new = path_join(fcc, "new");
	sbuf_addf(&cfg, "[vger]\n\tfcc = %s\n", fcc);
	fixture_smtpd(&f, NULL, cfg.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	d = opendir(new);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			vec_push(&files, path_join(new, de->d_name));
	closedir(d);
	ck_assert_uint_eq(files.n, 3);
	vec_sort(&files, path_cmp);
	for (int i = 1; i <= 3; i++) {
		char *sent = t_smtpd_received(&f.smtpd, i);
		int found = 0;

		for (size_t j = 0; j < files.n; j++) {
			char *copy = t_read_file(files.items[j]);

			found += !strcmp(copy, sent);
			free(copy);
		}
		ck_assert_msg(found == 1, "message %d is in Fcc %d times", i,
			      found);
		free(sent);
	}
	{
		char *tmp = path_join(fcc, "tmp"), *cur = path_join(fcc, "cur");

		ck_assert(fs_is_dir(tmp) && fs_is_dir(cur));
		d = opendir(tmp);
		while ((de = readdir(d)))
			ck_assert_msg(de->d_name[0] == '.', "left in tmp: %s",
				      de->d_name);
		closedir(d);
		free(tmp);
		free(cur);
	}
	vec_release_str(&files);
	free(fcc);
	free(new);
	sbuf_release(&cfg);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* ---- the merge window ---- */

START_TEST(closed_tree_refused_without_tty_even_with_yes)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *env[] = { IN_WINDOW, NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_int_eq(send_vger(&f, args, env, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "bpf-next: CLOSED") &&
		      strstr(err.buf, "merge window for 6.13") &&
		      strstr(err.buf, "expected 2024-12-01"), "%s", err.buf);
	ck_assert_msg(strstr(err.buf, "--force-closed-tree sends anyway "
			     "(--yes does not)"), "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	ck_assert_str_eq(out.buf, "");
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(closed_tree_sent_with_force)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--force-closed-tree", "--yes", "out", NULL };
	const char *env[] = { IN_WINDOW, NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, env, &out, &err) == 0, "%s", err.buf);
	ck_assert(strstr(err.buf, "bpf-next: CLOSED"));
	ck_assert(strstr(err.buf, "sending anyway (--force-closed-tree)"));
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(fixes_tree_is_open_in_the_window)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *env[] = { IN_WINDOW, NULL };

	fixture_init(&f, "bpf", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_msg(send_vger(&f, args, env, &out, &err) == 0, "%s", err.buf);
	ck_assert_ptr_null(strstr(err.buf, "CLOSED"));
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	ck_assert(strstr(out.buf, "Sent [PATCH bpf 0/2]"));
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(closed_tree_rfc_is_said_and_still_asked)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *respin[] = { "--rfc", NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *dry[] = { "--dry-run", "out", NULL };
	const char *env[] = { IN_WINDOW, NULL };

	fixture_init(&f, "bpf-next", respin);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_int_eq(send_vger(&f, args, env, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "this is an RFC; bpf-next accepts RFCs "
			     "during the merge window"), "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	/* a dry run says it and asks nothing */
	ck_assert_msg(send_vger(&f, dry, env, &out, &err) == 0, "%s", err.buf);
	ck_assert(strstr(err.buf, "bpf-next: CLOSED"));
	ck_assert(strstr(out.buf, "Dry-Sent [RFC PATCH bpf-next 0/2]"));
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* ---- the setups real users have ---- */

/* A sendmail program that records its argv and its input in dir. */
static char *fake_sendmail(const char *dir, int status, const char *says)
{
	char *path = path_join(dir, "sendmail");
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%%s\\n' "
		  "\"$a\"; done > %s/argv\ncat > %s/input\n", dir, dir);
	if (says)
		sbuf_addf(&sb, "echo '%s' >&2\n", says);
	sbuf_addf(&sb, "exit %d\n", status);
	t_write_file(path, sb.buf);
	ck_assert_int_eq(chmod(path, 0755), 0);
	sbuf_release(&sb);
	return path;
}

START_TEST(sendmail_program_gets_argv_and_message)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	struct sbuf want = SBUF_INIT;
	const char *args[] = { "--yes", "--partial", "--cc",
			       "Zoë <zoe@example.org>",
			       "out/0001-bpf-add-two.patch", NULL };
	char *bin = NULL, *argv_file, *input_file, *argv_text, *input;

	fixture_init(&f, "bpf-next", NULL);
	bin = path_join(f.dir, "bin");
	ck_assert_int_eq(fs_mkdir_p(bin, NULL), 0);
	free(fake_sendmail(bin, 0, NULL));
	sbuf_addf(&cfg, "[user]\n\tname = Me Myself\n\temail = me@example.org"
		  "\n[sendemail]\n\tsmtpServer = %s/sendmail\n"
		  "\tsmtpServerOption = -oi\n\tsmtpServerOption = --x y\n"
		  "\tenvelopeSender = bounces@example.org\n", bin);
	t_write_file(f.config, cfg.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	argv_file = path_join(bin, "argv");
	input_file = path_join(bin, "input");
	argv_text = t_read_file(argv_file);
	/* git send-email's argv, no shell: options, -f, -i, recipients */
	sbuf_addf(&want, "%s/sendmail\n-oi\n--x y\n-f\nbounces@example.org\n"
		  "-i\nbpf@vger.kernel.org\nzoe@example.org\n", bin);
	ck_assert_str_eq(argv_text, want.buf);
	input = t_read_file(input_file);
	ck_assert_msg(str_starts_with(input, "From: Me Myself "
				      "<me@example.org>\n"), "%s", input);
	ck_assert(strstr(input, "\nCc: =?UTF-8?b?"));
	ck_assert(strstr(input, "\nSubject: [PATCH bpf-next 1/2] bpf: add "
			 "two\n"));
	ck_assert_ptr_null(strchr(input, '\r'));
	ck_assert(strstr(out.buf, "Sent [PATCH bpf-next 1/2] bpf: add two"));
	free(argv_text);
	free(input);

	/* without an envelope sender there is no -f */
	sbuf_reset(&cfg);
	sbuf_addf(&cfg, "[user]\n\tname = Me Myself\n\temail = me@example.org"
		  "\n[sendemail]\n\tsmtpServer = %s/sendmail\n", bin);
	t_write_file(f.config, cfg.buf);
	t_rmtree(xstrdup(f.state));
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	argv_text = t_read_file(argv_file);
	sbuf_reset(&want);
	sbuf_addf(&want, "%s/sendmail\n-i\nbpf@vger.kernel.org\n"
		  "zoe@example.org\n", bin);
	ck_assert_str_eq(argv_text, want.buf);
	free(argv_text);

	/* a program that fails stops the series and says its words */
	free(fake_sendmail(bin, 75, "no route to the relay"));
	t_rmtree(xstrdup(f.state));
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "/sendmail exited with status 75: no "
			     "route to the relay"), "%s", err.buf);
	ck_assert(strstr(err.buf, "0 of 1 messages sent"));
	/* a path that is not a program */
	sbuf_reset(&cfg);
	sbuf_addf(&cfg, "[user]\n\tname = Me\n\temail = me@example.org\n"
		  "[sendemail]\n\tsmtpServer = %s/argv\n", bin);
	t_write_file(f.config, cfg.buf);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "/argv is not a program"), "%s",
		      err.buf);
	free(argv_file);
	free(input_file);
	free(bin);
	sbuf_release(&want);
	sbuf_release(&cfg);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* ~/.git-credentials of home, or "" when there is none. */
static char *stored_credentials(const char *home)
{
	char *path = path_join(home, ".git-credentials");
	char *text = fs_exists(path) ? t_read_file(path) : xstrdup("");

	free(path);
	return text;
}

START_TEST(credential_helper_fills_approves_and_rejects)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, env_home = SBUF_INIT;
	struct sbuf line = SBUF_INIT;
	const char *auth[] = { "--auth", "me:s3cret-pw", NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *env[3] = { NULL, OUT_OF_WINDOW, NULL };
	char *home, *store, *text, *user;

	fixture_init(&f, "bpf-next", NULL);
	home = path_join(f.dir, "home");
	ck_assert_int_eq(fs_mkdir_p(home, NULL), 0);
	store = path_join(home, ".git-credentials");
	sbuf_addf(&env_home, "HOME=%s", home);
	env[0] = env_home.buf;
	fixture_smtpd(&f, auth, "\tsmtpUser = me\n[credential]\n"
		      "\thelper = store\n");
	/* the helper knows the password */
	sbuf_addf(&line, "smtp://me:s3cret-pw@127.0.0.1%%3a%d\n", f.smtpd.port);
	t_write_file(store, line.buf);
	ck_assert_msg(send_vger(&f, args, env, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	user = t_smtpd_file(&f.smtpd, 3, "auth");
	ck_assert_str_eq(user, "me\n");
	free(user);
	ck_assert_ptr_null(strstr(out.buf, "s3cret"));
	ck_assert_ptr_null(strstr(err.buf, "s3cret"));
	/* a password the server refuses is rejected: the helper forgets it */
	sbuf_reset(&line);
	sbuf_addf(&line, "smtp://me:old-pw@127.0.0.1%%3a%d\n", f.smtpd.port);
	t_write_file(store, line.buf);
	t_rmtree(xstrdup(f.state));
	ck_assert_int_eq(send_vger(&f, args, env, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "refused the login: 535"), "%s",
		      err.buf);
	ck_assert_ptr_null(strstr(err.buf, "old-pw"));
	text = stored_credentials(home);
	ck_assert_msg(!strstr(text, "old-pw"), "%s", text);
	free(text);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	free(store);
	store = NULL;
	free(home);
	sbuf_release(&line);
	sbuf_release(&env_home);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(identity_settings_win_over_sendemail)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	const char *args[] = { "--yes", "--identity", "work", "out", NULL };
	const char *plain[] = { "--yes", "out", NULL };
	char *mail, *rcpt;

	fixture_init(&f, "bpf-next", NULL);
	t_smtpd_start(&f.smtpd, NULL);
	f.smtpd_running = 1;
	/* [sendemail] points nowhere; the identity at the server */
	sbuf_addf(&cfg, "[user]\n\tname = Me Myself\n\temail = me@example.org"
		  "\n[sendemail]\n\tsmtpServer = 127.0.0.1\n"
		  "\tsmtpServerPort = 1\n\tcc = home@example.org\n"
		  "[sendemail \"work\"]\n\tsmtpServerPort = %d\n"
		  "\tfrom = Me At Work <me@work.example>\n"
		  "\tcc = boss@work.example\n", f.smtpd.port);
	t_write_file(f.config, cfg.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	mail = t_smtpd_received(&f.smtpd, 1);
	ck_assert_msg(str_starts_with(mail, "From: Me At Work "
				      "<me@work.example>\n"), "%s", mail);
	free(mail);
	rcpt = t_smtpd_file(&f.smtpd, 1, "rcpt");
	ck_assert_msg(strstr(rcpt, "boss@work.example") &&
		      !strstr(rcpt, "home@example.org"), "%s", rcpt);
	free(rcpt);
	/* sendemail.identity does what --identity does */
	sbuf_addstr(&cfg, "[sendemail]\n\tidentity = work\n");
	t_write_file(f.config, cfg.buf);
	t_rmtree(xstrdup(f.state));
	ck_assert_msg(send_vger(&f, plain, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 6);
	sbuf_release(&cfg);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(an_mbox_of_the_series_is_sent_in_order)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *argv[] = { "git", "-C", NULL, "format-patch", "--stdout",
			       "master..topic", NULL };
	const char *args[] = { "--yes", "series.mbox", NULL };
	struct sbuf mbox = SBUF_INIT;
	char *path, *first, *second, *id;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, "[sendemail]\n\tto = bpf@vger.kernel.org\n");
	argv[2] = f.repo;
	ck_assert_int_eq(t_run(argv, NULL, NULL, &mbox, NULL), 0);
	path = path_join(f.repo, "series.mbox");
	t_write_file(path, mbox.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 2);
	first = t_smtpd_received(&f.smtpd, 1);
	second = t_smtpd_received(&f.smtpd, 2);
	ck_assert(strstr(first, "\nSubject: [PATCH 1/2] bpf: add two\n"));
	ck_assert(strstr(second, "\nSubject: [PATCH 2/2] bpf: add three\n"));
	/* the second answers the first, as git send-email threads */
	id = strstr(first, "\nMessage-Id: ");
	ck_assert_ptr_nonnull(id);
	id += strlen("\nMessage-Id: ");
	*strchr(id, '\n') = '\0';
	ck_assert_msg(strstr(second, "\nIn-Reply-To: ") &&
		      strstr(second, id), "%s", second);
	free(first);
	free(second);
	free(path);
	sbuf_release(&mbox);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(ssl_cert_path_may_be_a_directory)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	char *cert = t_fixture("send/cert.pem");
	char *key = t_fixture("send/key.pem");
	const char *tls[] = { "--tls", cert, key, NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *rehash[] = { "openssl", "rehash", NULL, NULL };
	char *dir, *copy, *text;

	fixture_init(&f, "bpf-next", NULL);
	dir = path_join(f.dir, "certs");
	ck_assert_int_eq(fs_mkdir_p(dir, NULL), 0);
	copy = path_join(dir, "test.pem");
	text = t_read_file(cert);
	t_write_file(copy, text);
	rehash[2] = dir;
	if (t_run(rehash, NULL, NULL, NULL, NULL)) {
		/* without openssl there is no hashed directory to test */
		free(cert);
		free(key);
		free(dir);
		free(copy);
		free(text);
		fixture_release(&f);
		return;
	}
	fixture_smtpd(&f, tls, "");
	sbuf_addf(&cfg, "\tsmtpEncryption = ssl\n\tsmtpSSLCertPath = %s\n",
		  dir);
	fixture_port(&f, cfg.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	free(cert);
	free(key);
	free(dir);
	free(copy);
	free(text);
	sbuf_release(&cfg);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* ---- a real terminal ---- */

static void pty_env(const struct fixture *f, const char *now,
		    const char *env[4])
{
	env[0] = f->env_config.buf;
	env[1] = f->env_state.buf;
	env[2] = now;
	env[3] = NULL;
}

START_TEST(closed_tree_answered_yes_on_a_terminal)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT;
	const char *args[] = { "send", "--yes", "out", NULL };
	const char *env[4];
	const struct t_pty_step steps[] = {
		{ .wait_for = "Send to bpf-next while it is closed? [y/N] ",
		  .write = "y\n" },
		{ .wait_for = NULL }
	};

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	pty_env(&f, IN_WINDOW, env);
	ck_assert_msg(t_pty_run(args, env, steps, &out) == 0, "%s", out.buf);
	ck_assert(strstr(out.buf, "merge window for 6.13"));
	ck_assert(strstr(out.buf, "Sent [PATCH bpf-next 2/2] bpf: add three"));
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	sbuf_release(&out);
	fixture_release(&f);
}
END_TEST

START_TEST(closed_tree_answered_no_on_a_terminal)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT;
	const char *args[] = { "send", "out", NULL };
	const char *env[4];
	const struct t_pty_step steps[] = {
		{ .wait_for = "Send to bpf-next while it is closed? [y/N] ",
		  .write = "n\n" },
		{ .wait_for = NULL }
	};

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	pty_env(&f, IN_WINDOW, env);
	ck_assert_int_eq(t_pty_run(args, env, steps, &out), 1);
	ck_assert_msg(strstr(out.buf, "nothing sent"), "%s", out.buf);
	/* no further question after a no */
	ck_assert_ptr_null(strstr(out.buf, "Send this series"));
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	sbuf_release(&out);
	fixture_release(&f);
}
END_TEST

START_TEST(confirmation_on_a_terminal_shows_the_series)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT;
	const char *args[] = { "send", "--cc", "x@example.org", "out", NULL };
	const char *env[4];
	const struct t_pty_step yes[] = {
		{ .wait_for = "Send this series of 3 messages to "
		  "bpf@vger.kernel.org and 1 more? [y/N] ", .write = "yes\n" },
		{ .wait_for = NULL }
	};

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	pty_env(&f, OUT_OF_WINDOW, env);
	ck_assert_msg(t_pty_run(args, env, yes, &out) == 0, "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "3 messages from Me Myself "
			     "<me@example.org> via smtp://127.0.0.1:"), "%s",
		      out.buf);
	ck_assert(strstr(out.buf, "  [PATCH bpf-next 1/2] bpf: add two\r\n"));
	ck_assert(strstr(out.buf, "To: bpf@vger.kernel.org\r\nCc: "
			 "x@example.org\r\n"));
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	sbuf_release(&out);
	fixture_release(&f);
}
END_TEST

START_TEST(typed_password_is_approved_to_the_helper)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, env_home = SBUF_INIT;
	const char *auth[] = { "--auth", "me:typed-pw", NULL };
	const char *args[] = { "send", "--yes", "out", NULL };
	const char *env[5];
	const struct t_pty_step steps[] = {
		{ .wait_for = "Password for me at smtp://127.0.0.1:",
		  .write = "typed-pw\n" },
		{ .wait_for = NULL }
	};
	char *home, *text;

	fixture_init(&f, "bpf-next", NULL);
	home = path_join(f.dir, "home");
	ck_assert_int_eq(fs_mkdir_p(home, NULL), 0);
	sbuf_addf(&env_home, "HOME=%s", home);
	fixture_smtpd(&f, auth, "\tsmtpUser = me\n[credential]\n"
		      "\thelper = store\n");
	pty_env(&f, OUT_OF_WINDOW, env);
	env[3] = env_home.buf;
	env[4] = NULL;
	/* no helper knows it: asked on the terminal, then stored */
	ck_assert_msg(t_pty_run(args, env, steps, &out) == 0, "%s", out.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	ck_assert_ptr_null(strstr(out.buf, "typed-pw"));
	text = stored_credentials(home);
	ck_assert_msg(strstr(text, "smtp://me:typed-pw@127.0.0.1"), "%s",
		      text);
	free(text);
	free(home);
	sbuf_release(&env_home);
	sbuf_release(&out);
	fixture_release(&f);
}
END_TEST

/* The server has the second MAIL FROM (and, --hang-mail 2, sits on it). */
static int second_mail_from(const void *arg)
{
	return smtpd_log_count_prefix(arg, "MAIL FROM:") >= 2;
}

/*
 * vger send --yes on a terminal, to a server started with hang, sent
 * sig once the first message went and ready(the server) says so; the
 * exit status.
 */
static int send_stopped_at_second(struct fixture *f, const char *const hang[],
				  int sig, int (*ready)(const void *arg),
				  struct sbuf *out)
{
	const char *args[] = { "send", "--yes", "out", NULL };
	const char *env[4];
	struct t_pty_step steps[] = {
		{ .wait_for = "Sent [PATCH bpf-next 0/2]", .signal = sig,
		  .ready = ready },
		{ .wait_for = NULL }
	};

	fixture_smtpd(f, hang, NULL);
	steps[0].arg = &f->smtpd;
	pty_env(f, OUT_OF_WINDOW, env);
	return t_pty_run(args, env, steps, out);
}

/*
 * sig (Ctrl-C, kill's SIGTERM, a closed terminal's SIGHUP) while the
 * server sits on the second message: said, the record kept, and
 * --resume sends the rest.
 */
static void stopped_mid_series_keeps_the_record(int sig)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *hang[] = { "--hang-mail", "2", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	char *m;

	fixture_init(&f, "bpf-next", NULL);
	ck_assert_int_eq(send_stopped_at_second(&f, hang, sig,
						second_mail_from, &out), 1);
	ck_assert_msg(strstr(out.buf, "interrupted") &&
		      strstr(out.buf, "1 of 3 messages sent"), "%s", out.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	ck_assert_msg(send_vger(&f, resume, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_str_eq(out.buf, "Sent [PATCH bpf-next 1/2] bpf: add two\n"
			 "Sent [PATCH bpf-next 2/2] bpf: add three\n");
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	m = t_smtpd_received(&f.smtpd, 2);
	ck_assert(strstr(m, "Subject: [PATCH bpf-next 1/2]"));
	free(m);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}

START_TEST(interrupt_mid_series_keeps_the_record)
{
	stopped_mid_series_keeps_the_record(SIGINT);
}
END_TEST

START_TEST(sigterm_mid_series_keeps_the_record)
{
	stopped_mid_series_keeps_the_record(SIGTERM);
}
END_TEST

START_TEST(sighup_mid_series_keeps_the_record)
{
	stopped_mid_series_keeps_the_record(SIGHUP);
}
END_TEST

/* ---- failures ---- */

/* n messages of the series, as given to the server, have subject s */
static void assert_subject(const struct t_smtpd *d, int n, const char *s)
{
	char *m = t_smtpd_received(d, n);
	char *subj = header(m, "Subject");

	ck_assert_str_eq(subj, s);
	free(subj);
	free(m);
}

START_TEST(refused_data_stops_and_resume_sends_the_rest)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *fail[] = { "--fail-data", "2:554", NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	char *m1, *m2, *m3, *id1, *irt2, *irt3;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, fail, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_str_eq(out.buf, "Sent [PATCH bpf-next 0/2] bpf: the cover\n");
	ck_assert_msg(strstr(err.buf, "out/0001-bpf-add-two.patch: ") &&
		      strstr(err.buf, "refused the message: 554 5.0.0 "
			     "rejected by the test server"), "%s", err.buf);
	ck_assert_msg(strstr(err.buf, "1 of 3 messages sent"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	/* again without --resume and no terminal: refused */
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "--resume sends the rest"), "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	ck_assert_msg(send_vger(&f, resume, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_str_eq(out.buf, "Sent [PATCH bpf-next 1/2] bpf: add two\n"
			 "Sent [PATCH bpf-next 2/2] bpf: add three\n");
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	assert_subject(&f.smtpd, 1, "[PATCH bpf-next 0/2] bpf: the cover");
	assert_subject(&f.smtpd, 2, "[PATCH bpf-next 1/2] bpf: add two");
	assert_subject(&f.smtpd, 3, "[PATCH bpf-next 2/2] bpf: add three");
	/* still one thread: the replies name the cover sent before */
	m1 = t_smtpd_received(&f.smtpd, 1);
	m2 = t_smtpd_received(&f.smtpd, 2);
	m3 = t_smtpd_received(&f.smtpd, 3);
	id1 = header(m1, "Message-Id");
	irt2 = header(m2, "In-Reply-To");
	irt3 = header(m3, "In-Reply-To");
	ck_assert_str_eq(irt2, id1);
	ck_assert_str_eq(irt3, id1);
	/* and once everything went out, nothing goes out again */
	ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 0);
	ck_assert_msg(strstr(err.buf, "nothing to send"), "%s", err.buf);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 0);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	free(m1);
	free(m2);
	free(m3);
	free(id1);
	free(irt2);
	free(irt3);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(changed_series_after_a_partial_send_is_refused)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *fail[] = { "--fail-data", "2:451", NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	char *cover, *path;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, fail, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "451 4.0.0"), "%s", err.buf);
	path = path_join(f.out, "0000-cover-letter.patch");
	cover = t_read_file(path);
	{
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "%sMore.\n", cover);
		t_write_file(path, sb.buf);
		sbuf_release(&sb);
	}
	ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "0000-cover-letter.patch changed since "
			     "it was sent"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	free(cover);
	free(path);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(one_send_of_a_series_at_a_time)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, lock = SBUF_INIT;
	const char *fail[] = { "--fail-data", "2:451", NULL };
	const char *args[] = { "--yes", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	char *dir;
	DIR *d;
	struct dirent *de;
	int fd;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, fail, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	dir = path_join(f.state, "vger/send");
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (str_ends_with(de->d_name, ".send"))
			sbuf_addf(&lock, "%s/%s.lock", dir, de->d_name);
	closedir(d);
	fd = open(lock.buf, O_RDWR);
	ck_assert_msg(fd >= 0, "%s", lock.buf);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "another vger send is sending this "
			     "series"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	close(fd);
	ck_assert_msg(send_vger(&f, resume, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	free(dir);
	sbuf_release(&lock);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(refused_recipient_stops_at_that_message)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *reject[] = { "--reject-rcpt", "nobody@example.org", NULL };
	const char *args[] = { "--yes", "out", NULL };
	char *path, *text, *to;
	struct sbuf sb = SBUF_INIT;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, reject, NULL);
	path = path_join(f.out, "0001-bpf-add-two.patch");
	text = t_read_file(path);
	to = strstr(text, "To: bpf@vger.kernel.org\n");
	ck_assert_ptr_nonnull(to);
	sbuf_add(&sb, text, (size_t)(to - text));
	sbuf_addf(&sb, "To: bpf@vger.kernel.org\nCc: nobody@example.org\n%s",
		  to + strlen("To: bpf@vger.kernel.org\n"));
	t_write_file(path, sb.buf);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "0001-bpf-add-two.patch: ") &&
		      strstr(err.buf, "refused RCPT TO:<nobody@example.org>: "
			     "550 5.1.1 <nobody@example.org>: Recipient "
			     "address rejected"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	free(path);
	free(text);
	sbuf_release(&sb);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(hung_server_times_out)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *hang[] = { "--hang", "greeting", NULL };
	const char *args[] = { "--yes", "out", NULL };
	double t0, t;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, hang, "[vger]\n\tsmtpTimeout = 2\n");
	t0 = now_s();
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	t = now_s() - t0;
	ck_assert_msg(t >= 1.5 && t < 12, "%.1f s", t);
	ck_assert_msg(strstr(err.buf, "did not answer within 2 s"), "%s",
		      err.buf);
	ck_assert_msg(strstr(err.buf, "0000-cover-letter.patch"), "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 0);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/*
 * Resume a sending whose second message may have been delivered: said,
 * sent again in the same thread (the server then holds all three).
 */
static void resume_unsure_second(struct fixture *f,
				 const char *const resume[], struct sbuf *out,
				 struct sbuf *err)
{
	char *m1, *m2, *id1, *irt;

	ck_assert_msg(send_vger(f, resume, NULL, out, err) == 0, "%s",
		      err->buf);
	ck_assert_msg(strstr(err->buf, "may have been delivered on") &&
		      strstr(err->buf, "sends it again with the same "
			     "Message-Id"), "%s", err->buf);
	ck_assert_int_eq(t_smtpd_count(&f->smtpd), 3);
	m1 = t_smtpd_received(&f->smtpd, 1);
	m2 = t_smtpd_received(&f->smtpd, 2);
	id1 = header(m1, "Message-Id");
	irt = header(m2, "In-Reply-To");
	ck_assert_str_eq(irt, id1);
	free(m1);
	free(m2);
	free(id1);
	free(irt);
}

START_TEST(unanswered_data_is_unsure_and_resent_with_its_id)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *hang[] = { "--hang-data", "2", NULL };
	const char *args[] = { "--yes", "--smtp-timeout", "2", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "--smtp-timeout", "2",
				 "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, hang, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "0001-bpf-add-two.patch may have been "
			     "delivered"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	resume_unsure_second(&f, resume, &out, &err);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(connection_refused_and_greeting_refused)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *greet[] = { "--greet-554", NULL };
	const char *args[] = { "--yes", "out", NULL };
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sbuf cfg = SBUF_INIT;

	fixture_init(&f, "bpf-next", NULL);
	/* a port nobody listens on */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	sbuf_addf(&cfg, "\tsmtpServerPort = %d\n", ntohs(sa.sin_port));
	fixture_config(&f, cfg.buf);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "cannot connect to smtp://127.0.0.1:") &&
		      strstr(err.buf, "Connection refused"), "%s", err.buf);
	ck_assert_str_eq(out.buf, "");

	fixture_smtpd(&f, greet, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "554 5.3.2 not accepting mail"), "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 0);
	sbuf_release(&cfg);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(dropped_connection_is_reopened)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *drop[] = { "--drop-after", "1", NULL };
	const char *args[] = { "--yes", "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, drop, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 2);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* The server closed the kept connection as vger reused it: nothing of
 * the next message went, so it goes again on a new connection. */
START_TEST(connection_closed_on_reuse_is_reopened)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *close[] = { "--close-on-next", "1", NULL };
	const char *args[] = { "--yes", "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, close, NULL);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	ck_assert_int_eq(smtpd_log_count_prefix(&f.smtpd, "closed on"), 1);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 2);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(dropped_in_data_is_unsure)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *drop[] = { "--drop-in-data", "3", NULL };
	const char *args[] = { "--yes", "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, drop, NULL);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "0002-bpf-add-three.patch may have "
			     "been delivered"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 2);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* The server has read the whole data of the second message. */
static int second_data_read(const void *arg)
{
	return smtpd_log_count(arg, ".") >= 2;
}

/*
 * Killed (SIGKILL: nothing of vger runs) while the server sits on the
 * second message's data: the record already says it may have gone,
 * so the resumed run says so and sends it with its Message-Id.
 */
START_TEST(killed_while_the_server_answers_is_unsure_on_resume)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *hang[] = { "--hang-data", "2", NULL };
	const char *again[] = { "--yes", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	ck_assert_int_eq(send_stopped_at_second(&f, hang, SIGKILL,
						second_data_read, &out),
			 128 + SIGKILL);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "."), 2);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	/* without --resume: there is a sending to resume */
	ck_assert_int_eq(send_vger(&f, again, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "--resume sends the rest"), "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	resume_unsure_second(&f, resume, &out, &err);
	ck_assert_msg(strstr(err.buf, "0001-bpf-add-two.patch may have been "
			     "delivered on"), "%s", err.buf);
	ck_assert_str_eq(out.buf, "Sent [PATCH bpf-next 1/2] bpf: add two\n"
			 "Sent [PATCH bpf-next 2/2] bpf: add three\n");
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/*
 * A server silent after the data is waited for once: the connection is
 * dropped then, not closed with a QUIT that waits the timeout again.
 * The third message goes on a new connection.
 */
START_TEST(silent_server_after_data_is_waited_for_once)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *hang[] = { "--hang-data", "2", NULL };
	const char *args[] = { "--yes", "--smtp-timeout", "3", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "--smtp-timeout", "3",
				 "out", NULL };
	double t0, t;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, hang, NULL);
	t0 = now_s();
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	t = now_s() - t0;
	ck_assert_msg(strstr(err.buf, "did not answer within 3 s"), "%s",
		      err.buf);
	/* one timeout and the work around it, not two */
	ck_assert_msg(t >= 2.5 && t < 5.5, "%.1f s", t);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	t0 = now_s();
	ck_assert_msg(send_vger(&f, resume, NULL, &out, &err) == 0, "%s",
		      err.buf);
	t = now_s() - t0;
	ck_assert_msg(t < 2.5, "%.1f s", t);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* ---- bad input ---- */

static void write_mail(const char *dir, const char *name, const char *text,
		       size_t len)
{
	char *p = path_join(dir, name);
	struct err e = ERR_INIT;

	ck_assert(!fs_write_atomic(p, text, len, &e));
	free(p);
}

START_TEST(bad_files_are_refused_before_anything_is_sent)
{
	static const struct {
		const char *name, *text;
		size_t len;
		const char *says;
	} bad[] = {
		{ "0003-empty.patch", "", 0,
		  "0003-empty.patch: an empty file" },
		{ "0003-nosubject.patch", "From: a@example.org\nTo: b@example."
		  "org\n\nhello\n", 0, "0003-nosubject.patch: no Subject:" },
		{ "0003-binary.patch", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16,
		  "0003-binary.patch:3: a NUL byte" },
		{ "0003-junk.patch", "just some text\nwith no header\n", 0,
		  "0003-junk.patch:1: not a mail header" },
		{ "0003-other-tree.patch", "Subject: [PATCH bpf 3/3] x\nTo: "
		  "a@example.org\n\nx\n", 0, "are not one series" },
		{ "0003-bad-cc.patch", "Subject: [PATCH bpf-next 3/2] x\nTo: "
		  "a@example.org\nCc: a@b;c@d\n\nx\n", 0,
		  "0003-bad-cc.patch: Cc: cannot read the address list" },
		{ NULL, NULL, 0, NULL }
	};
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	for (size_t i = 0; bad[i].name; i++) {
		char *p = path_join(f.out, bad[i].name);

		write_mail(f.out, bad[i].name, bad[i].text,
			   bad[i].len ? bad[i].len : strlen(bad[i].text));
		ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
		ck_assert_msg(strstr(err.buf, bad[i].says), "%s: %s",
			      bad[i].name, err.buf);
		ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
		unlink(p);
		free(p);
	}
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(bad_addresses_and_long_lines_are_named)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, sb = SBUF_INIT;
	const char *semi[] = { "--yes", "--cc", "a@example.org;b@example.org",
			       "out", NULL };
	const char *noat[] = { "--yes", "--to", "nobody", "out", NULL };
	const char *crlf[] = { "--yes", "--to", "a@example.org\r\nRCPT "
			       "TO:<evil@example.org>", "out", NULL };
	const char *single[] = { "--yes", "one.patch", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_int_eq(send_vger(&f, semi, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "--cc: ") &&
		      strstr(err.buf, "cannot read the address list"), "%s",
		      err.buf);
	ck_assert_int_eq(send_vger(&f, noat, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "'nobody' is not an email address"),
		      "%s", err.buf);
	ck_assert_int_eq(send_vger(&f, crlf, NULL, &out, &err), 1);
	sbuf_addstr(&sb, "Subject: [PATCH] long\nTo: a@example.org\n\n");
	for (int i = 0; i < 999; i++)
		sbuf_addch(&sb, 'x');
	sbuf_addch(&sb, '\n');
	t_write_file("one.patch", sb.buf);
	ck_assert_int_eq(send_vger(&f, single, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "one.patch:4: a line of 999 characters"),
		      "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	sbuf_release(&sb);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(subject_with_escape_sequence_is_printed_sanitized)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *dry[] = { "--dry-run", "--partial", "evil.patch", NULL };
	const char *args[] = { "--yes", "evil.patch", "enc.patch", NULL };
	const char *name[] = { "--yes", "name.patch", NULL };

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	/* a name that decodes to an escape is refused, and said safely */
	t_write_file("name.patch", "Subject: [PATCH] x\nTo: =?UTF-8?q?Bad=1B"
		     "=5D0=3Bt=07?= <a@example.org>\n\nx\n");
	ck_assert_int_eq(send_vger(&f, name, NULL, &out, &err), 1);
	ck_assert_ptr_null(strchr(err.buf, 0x1b));
	ck_assert_msg(strstr(err.buf, "name.patch: To: the name of "
			     "a@example.org has a control character"), "%s",
		      err.buf);
	t_write_file("evil.patch", "Subject: [PATCH 1/2] \x1b[2Jclear "
		     "screen\nTo: a@example.org\n\nx\n");
	t_write_file("enc.patch", "Subject: [PATCH 2/2] =?UTF-8?q?=1B[31mred?="
		     "\nTo: a@example.org\n\nx\n");
	ck_assert_msg(send_vger(&f, dry, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_ptr_null(strchr(out.buf, 0x1b));
	ck_assert_ptr_null(strchr(err.buf, 0x1b));
	ck_assert_msg(strstr(out.buf, "Dry-Sent [PATCH 1/2] ^[[2Jclear screen"),
		      "%s", out.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_ptr_null(strchr(out.buf, 0x1b));
	ck_assert_msg(strstr(out.buf, "Sent [PATCH 1/2] ^[[2Jclear screen\n"
			     "Sent [PATCH 2/2] ^[[31mred\n"), "%s", out.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 2);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

START_TEST(usage_errors_exit_2)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *none[] = { "send", NULL };
	const char *opt[] = { "send", "--frobnicate", "x", NULL };
	const char *enc[] = { "send", "--smtp-encryption", "starttls", "x",
			      NULL };
	const char *to[] = { "send", "x", "--to", NULL };
	const char *port[] = { "send", "--smtp-server-port", "no-such-port",
			       "x", NULL };
	const char *help[] = { "send", "--help", NULL };
	const char *missing[] = { "send", "--yes", "/nonexistent/x.patch",
				  NULL };

	ck_assert_int_eq(t_vger(none, NULL, &out, &err), 2);
	ck_assert(strstr(err.buf, "give a directory or patch files"));
	ck_assert_int_eq(t_vger(opt, NULL, &out, &err), 2);
	ck_assert_int_eq(t_vger(enc, NULL, &out, &err), 2);
	ck_assert_int_eq(t_vger(to, NULL, &out, &err), 2);
	ck_assert_int_eq(t_vger(port, NULL, &out, &err), 2);
	sbuf_reset(&out);
	ck_assert_int_eq(t_vger(help, NULL, &out, &err), 0);
	ck_assert(str_starts_with(out.buf, "usage: vger send"));
	sbuf_reset(&err);
	ck_assert_int_eq(t_vger(missing, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "/nonexistent/x.patch"), "%s", err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
}
END_TEST

/* ---- hostile mail and unlucky moments (issue 10) ---- */

/* The value of header name, folded lines joined; NULL when none. */
static char *unfolded(const char *mail, const char *name)
{
	size_t n = strlen(name);
	struct sbuf sb = SBUF_INIT;
	int found = 0;

	for (const char *p = mail; *p && *p != '\n';) {
		size_t len = str_line_len(p);

		if (!found && !strncasecmp(p, name, n) && p[n] == ':') {
			found = 1;
			sbuf_add(&sb, p + n + 1, len - n - 1);
			p += len + (p[len] == '\n');
			while (*p == ' ' || *p == '\t') {
				len = str_line_len(p);
				sbuf_add(&sb, p, len);
				p += len + (p[len] == '\n');
			}
			continue;
		}
		p += len + (p[len] == '\n');
	}
	if (!found) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}

/* The bare addresses of the To: and Cc: headers, checked as send does. */
static void header_addresses(const char *mail, struct vec *out)
{
	static const char *const names[] = { "To", "Cc" };

	for (size_t i = 0; i < 2; i++) {
		char *v = unfolded(mail, names[i]);
		struct vec list = VEC_INIT;
		struct err err = ERR_INIT;

		if (!v)
			continue;
		ck_assert_msg(!mail_address_parse_list(v, &list, &err),
			      "%s: %s: %s", names[i], v, err.msg);
		for (size_t j = 0; j < list.n; j++) {
			struct mail_address a;

			ck_assert(!mail_address_parse(&a, list.items[j]));
			vec_push_str(out, a.email);
			mail_address_release(&a);
		}
		vec_release_str(&list);
		free(v);
	}
}

/* A header block of nothing but safe text, and no Bcc: in it. */
static void assert_header_block_clean(const char *what, const char *mail)
{
	const char *end = strstr(mail, "\n\n");
	size_t len = end ? (size_t)(end - mail) : strlen(mail);

	for (const char *p = mail; p < mail + len;) {
		size_t l = str_line_len(p);

		ck_assert_msg(utf8_safe_prefix(p, l) == l, "%s: a control "
			      "character in the headers: %.*s", what, (int)l,
			      p);
		ck_assert_msg(strncasecmp(p, "Bcc:", 4), "%s: %.*s", what,
			      (int)len, mail);
		p += l + 1;
	}
}

/* The v1 of the fixture's series as sent, with replies in a database. */
static char *hostile_v1(struct fixture *f)
{
	char *fx = t_fixture("hostile-replies");
	const char *dirs[] = { fx, NULL };
	char *root = t_notmuch_db(dirs), *db = t_notmuch_path(root);
	const char *tag[] = { "-c", "user.name=Me", "-c",
			      "user.email=me@example.org", "tag", "-a",
			      "vger/topic-v1", "-m",
			      "bpf: the cover\n\nMessage-Id: "
			      "<v1-0@hostile.example>", "topic", NULL };
	struct sbuf cfg = SBUF_INIT;

	sbuf_addf(&cfg, "[vger]\n\tdatabase = %s\n", db);
	fixture_smtpd(f, NULL, cfg.buf);
	t_git_run(f->repo, tag);
	sbuf_release(&cfg);
	free(db);
	free(fx);
	return root;
}

/*
 * Replies to v1 carry header injections, escapes, bidi controls,
 * another address in the name, a 1,500-character trailer: the v2
 * respin drops and names each, writes only checked addresses, and the
 * send delivers to nobody its headers do not show.
 */
START_TEST(hostile_replies_never_reach_a_header)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "bpf-next", "-o", "out2", "--no-check", NULL };
	const char *send[] = { "--yes", "out2", NULL };
	const char *env[] = { NULL, NULL, OUT_OF_WINDOW, NULL };
	static const char *const dropped[] = {
		"dropped the Acked-by given on v1 by 'attacker@evil.example'",
		"dropped the Reviewed-by given on v1 by 'mallory@example.net': "
		"an angle bracket",
		"dropped the Tested-by given on v1 by 'eve@example.net'",
		"dropped the Acked-by given on v1 by 'lena@example.net': a "
		"name too long",
		"dropped the Reviewed-by given on v1 by 'carl@example.net'",
		"dropped the Reviewed-by given on v1 by 'bob@example.net'",
		"dropped the Acked-by given on v1 by 'cee@example.net'",
		"dropped the Acked-by given on v1 by '\"q u\"@example.net'",
		"not in Cc: '\"q u\"@example.net', who answered v1: not an "
		"address",
		NULL
	};
	char *root, *p1, *p2;

	fixture_init(&f, "bpf-next", NULL);
	root = hostile_v1(&f);
	env[0] = f.env_config.buf;
	env[1] = f.env_state.buf;
	ck_assert_msg(t_vger(respin, env, &out, &err) == 0, "%s", err.buf);
	t_assert_terminal_safe("vger respin", &out);
	t_assert_terminal_safe("vger respin (stderr)", &err);
	for (size_t i = 0; dropped[i]; i++)
		ck_assert_msg(strstr(err.buf, dropped[i]), "%s: %s",
			      dropped[i], err.buf);
	/* the ordinary ack is carried, nothing else from the replies */
	p1 = t_read_file("out2/v2-0001-bpf-add-two.patch");
	p2 = t_read_file("out2/v2-0002-bpf-add-three.patch");
	ck_assert_msg(strstr(p1, "\nAcked-by: Rita Reviewer "
			     "<rita@example.com>\n"), "%s", p1);
	ck_assert_ptr_null(strstr(p2, "Rita"));
	for (const char *const *t = (const char *const[]){ p1, p2, NULL };
	     *t; t++) {
		ck_assert_ptr_null(strstr(*t, "\nBcc:"));
		ck_assert_ptr_null(strstr(*t, "elsewhere.example>"));
		ck_assert_ptr_null(strstr(*t, "boss@"));
		ck_assert_ptr_null(strstr(*t, "LLLL"));
	}
	/* and every file's headers are clean, with the list in To: */
	for (size_t i = 0; i < 3; i++) {
		static const char *const names[] = {
			"out2/v2-0000-cover-letter.patch", "out2/v2-0001-bpf-"
			"add-two.patch", "out2/v2-0002-bpf-add-three.patch" };
		char *text = t_read_file(names[i]);
		struct vec addrs = VEC_INIT;

		assert_header_block_clean(names[i], text);
		header_addresses(text, &addrs);
		ck_assert_int_ge(vec_find_str(&addrs, "bpf@vger.kernel.org"),
				 0);
		ck_assert_int_ge(vec_find_str(&addrs, "rita@example.com"), 0);
		vec_release_str(&addrs);
		free(text);
	}
	/* sent: each envelope recipient is one the headers show */
	ck_assert_msg(send_vger(&f, send, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	for (int i = 1; i <= 3; i++) {
		char *mail = t_smtpd_received(&f.smtpd, i);
		char *rcpt = t_smtpd_file(&f.smtpd, i, "rcpt");
		struct vec addrs = VEC_INIT;
		int n = 0;

		assert_header_block_clean("received", mail);
		header_addresses(mail, &addrs);
		for (const char *p = rcpt; *p; p += str_line_len(p) + 1) {
			char *a = xstrndup(p, str_line_len(p));

			ck_assert_msg(vec_find_str(&addrs, a) >= 0, "%s is a "
				      "blind recipient of message %d", a, i);
			free(a);
			n++;
		}
		ck_assert_int_eq(n, (int)addrs.n);
		vec_release_str(&addrs);
		free(rcpt);
		free(mail);
	}
	free(p1);
	free(p2);
	t_rmtree(root);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* Put header line (with its newline) after the To: of file name. */
static void add_header_line(const struct fixture *f, const char *name,
			    const char *line)
{
	char *path = path_join(f->out, name), *text = t_read_file(path);
	char *to = strstr(text, "\nTo: ");
	struct sbuf sb = SBUF_INIT;

	ck_assert_ptr_nonnull(to);
	to += str_line_len(to + 1) + 2;
	sbuf_add(&sb, text, (size_t)(to - text));
	sbuf_addf(&sb, "%s%s", line, to);
	t_write_file(path, sb.buf);
	sbuf_release(&sb);
	free(text);
	free(path);
}

/*
 * A Bcc: in a file (what a header smuggled in from mail would be) is
 * shown and asked about, even with --yes; without a terminal nothing
 * is sent.
 */
START_TEST(file_bcc_is_shown_and_asked_even_with_yes)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *yes[] = { "--yes", "out", NULL };
	const char *dry[] = { "--dry-run", "out", NULL };
	const char *args[] = { "send", "--yes", "out", NULL };
	const char *env[4];
	const struct t_pty_step no[] = {
		{ .wait_for = "Send blind copies to evil@example.net, "
		  "other@example.net, as the files' Bcc: headers ask? [y/N] ",
		  .write = "n\n" },
		{ .wait_for = NULL }
	};
	const struct t_pty_step ok[] = {
		{ .wait_for = "as the files' Bcc: headers ask? [y/N] ",
		  .write = "y\n" },
		{ .wait_for = NULL }
	};
	char *rcpt, *mail;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	add_header_line(&f, "0001-bpf-add-two.patch",
			"Bcc: evil@example.net\n");
	add_header_line(&f, "0002-bpf-add-three.patch",
			"bcc: =?UTF-8?q?Other?= <other@example.net>,\n "
			"evil@example.net\n");
	ck_assert_int_eq(send_vger(&f, yes, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "0001-bpf-add-two.patch has a Bcc: "
			     "header: a blind copy to evil@example.net\n") &&
		      strstr(err.buf, "0002-bpf-add-three.patch has a Bcc: "
			     "header: a blind copy to other@example.net, "
			     "evil@example.net\n") &&
		      strstr(err.buf, "no terminal to ask on (--yes does not "
			     "answer it)"), "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	ck_assert_int_eq(send_vger(&f, dry, NULL, &out, &err), 0);
	ck_assert_msg(strstr(err.buf, "has a Bcc: header"), "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	pty_env(&f, OUT_OF_WINDOW, env);
	ck_assert_int_eq(t_pty_run(args, env, no, &out), 1);
	ck_assert_msg(strstr(out.buf, "nothing sent"), "%s", out.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	ck_assert_msg(t_pty_run(args, env, ok, &out) == 0, "%s", out.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	rcpt = t_smtpd_file(&f.smtpd, 3, "rcpt");
	ck_assert_msg(strstr(rcpt, "other@example.net\n") &&
		      strstr(rcpt, "evil@example.net\n"), "%s", rcpt);
	free(rcpt);
	mail = t_smtpd_received(&f.smtpd, 2);
	assert_header_block_clean("received", mail);
	free(mail);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* The fixture's one record of a sending; caller frees. */
static char *record_file(const struct fixture *f)
{
	struct sbuf g = SBUF_INIT;
	char *path;

	sbuf_addf(&g, "%s/vger/send/*.send", f->state);
	path = t_glob_one(g.buf);
	sbuf_release(&g);
	return path;
}

/* The server got send_one_of_three()'s one message, on one connection. */
static void assert_only_one_of_three_went(const struct fixture *f)
{
	ck_assert_int_eq(t_smtpd_count(&f->smtpd), 1);
	ck_assert_int_eq(smtpd_log_count(&f->smtpd, "connect"), 1);
}

/* Send the fixture's series with the second message refused: 1 of 3. */
static void send_one_of_three(struct fixture *f)
{
	const char *fail[] = { "--fail-data", "2:554", NULL };
	const char *args[] = { "--yes", "out", NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	fixture_smtpd(f, fail, NULL);
	ck_assert_int_eq(send_vger(f, args, NULL, &out, &err), 1);
	ck_assert_int_eq(t_smtpd_count(&f->smtpd), 1);
	sbuf_release(&out);
	sbuf_release(&err);
}

/*
 * --resume with no record (never sent, record deleted, another
 * XDG_STATE_HOME as under sudo) would send everything again under new
 * Message-Ids: it refuses.
 */
START_TEST(resume_without_a_record_refuses)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, other = SBUF_INIT;
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	char *rec;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "--resume: there is no record of an "
			     "earlier sending of this series") &&
		      strstr(err.buf, "without --resume all 3 messages are "
			     "sent"), "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	t_smtpd_stop(&f.smtpd);
	f.smtpd_running = 0;
	send_one_of_three(&f);
	/* under another state directory */
	sbuf_addstr(&other, f.env_state.buf);
	sbuf_reset(&f.env_state);
	sbuf_addf(&f.env_state, "XDG_STATE_HOME=%s/elsewhere", f.dir);
	ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "--resume: there is no record"), "%s",
		      err.buf);
	sbuf_reset(&f.env_state);
	sbuf_addstr(&f.env_state, other.buf);
	/* deleted */
	rec = record_file(&f);
	ck_assert_int_eq(unlink(rec), 0);
	ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "--resume: there is no record"), "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 1);
	free(rec);
	sbuf_release(&other);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/* A record emptied or cut short (a full disk) says nothing was sent. */
START_TEST(emptied_record_is_refused)
{
	static const char *const cut[] = {
		"", "\n", "# vger send: what the server accepted of a series\n",
		"# vger send: what the server accepted of a ser",
		NULL
	};
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	char *rec;

	fixture_init(&f, "bpf-next", NULL);
	send_one_of_three(&f);
	rec = record_file(&f);
	for (size_t i = 0; cut[i]; i++) {
		t_write_file(rec, cut[i]);
		ck_assert_int_eq(send_vger(&f, resume, NULL, &out, &err), 1);
		ck_assert_msg(strstr(err.buf, "an empty or cut record (a full "
				     "disk?)"), "%zu: %s", i, err.buf);
		ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
		ck_assert_msg(strstr(err.buf, "an empty or cut record"),
			      "%s", err.buf);
	}
	assert_only_one_of_three_went(&f);
	free(rec);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/*
 * A FIFO, a device or a directory in place of the record of a series
 * being sent (issue 15, files vger keeps).  The record is the truth of
 * what went out: vger cannot tell what it may send again, so vger
 * send, --resume and --dry-run refuse, naming the record, without a
 * connection; the special file is left as it is.  A run that waits on
 * it fails at the test case's time limit instead of hanging.
 */
START_TEST(special_file_in_place_of_the_record_is_refused)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, want = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *resume[] = { "--yes", "--resume", "out", NULL };
	const char *dry[] = { "--dry-run", "out", NULL };
	const char *const *runs[] = { args, resume, dry };
	const char *env[] = { NULL, NULL };
	struct sbuf cache = SBUF_INIT;
	char *rec, *kept, *cal;

	fixture_init(&f, "bpf-next", NULL);
	send_one_of_three(&f);
	rec = record_file(&f);
	kept = t_read_file(rec);
	for (size_t k = 0; t_special_kinds[k]; k++) {
		const char *kind = t_special_kinds[k];

		t_special_plant(rec, kind);
		sbuf_reset(&want);
		sbuf_addf(&want, "the record of this series' sending: %s "
			  "is %s, not a file", rec, t_special_what(kind));
		for (size_t r = 0; r < 3; r++) {
			ck_assert_msg(send_vger(&f, runs[r], NULL, &out,
						&err) == 1, "%s %zu: %s",
				      kind, r, err.buf);
			ck_assert_msg(strstr(err.buf, want.buf), "%s %zu: %s",
				      kind, r, err.buf);
			ck_assert_str_eq(out.buf, "");
			t_special_intact(rec, kind);
		}
	}
	assert_only_one_of_three_went(&f);
	/*
	 * The record back, and a FIFO in place of the calendar's cache,
	 * which send reads for the merge window: the rest goes.
	 */
	ck_assert_int_eq(fs_rm_rf(rec), 0);
	t_write_file(rec, kept);
	sbuf_addf(&cache, "XDG_CACHE_HOME=%s/cache", f.dir);
	env[0] = cache.buf;
	cal = path_join(f.dir, "cache/vger/releases.json");
	t_write_file(cal, "");
	t_special_plant(cal, "fifo");
	ck_assert_msg(send_vger(&f, resume, env, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	t_special_intact(cal, "fifo");
	free(rec);
	free(kept);
	free(cal);
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&want);
	sbuf_release(&cache);
	fixture_release(&f);
}
END_TEST

/*
 * The series' directory renamed after a partial sending: the record is
 * found by the files' content, carried over, and only the rest goes,
 * in the same thread.
 */
START_TEST(record_is_found_by_content_after_a_rename)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *resume[] = { "--yes", "--resume", "moved", NULL };
	const char *dry[] = { "--dry-run", "renamed", NULL };
	char *old, *now, *m1, *m3, *id1, *irt3;

	fixture_init(&f, "bpf-next", NULL);
	send_one_of_three(&f);
	old = record_file(&f);
	ck_assert_int_eq(rename("out", "moved"), 0);
	ck_assert_msg(send_vger(&f, resume, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_msg(strstr(err.buf, "the record of this series was ") &&
		      strstr(err.buf, old), "%s", err.buf);
	ck_assert_str_eq(out.buf, "Sent [PATCH bpf-next 1/2] bpf: add two\n"
			 "Sent [PATCH bpf-next 2/2] bpf: add three\n");
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	m1 = t_smtpd_received(&f.smtpd, 1);
	m3 = t_smtpd_received(&f.smtpd, 3);
	id1 = header(m1, "Message-Id");
	irt3 = header(m3, "In-Reply-To");
	ck_assert_str_eq(irt3, id1);
	/* carried, not copied: one record, at the new key */
	now = record_file(&f);
	ck_assert_str_ne(now, old);
	ck_assert(!fs_exists(old));
	/* and renamed again, everything is known to be sent */
	ck_assert_int_eq(rename("moved", "renamed"), 0);
	ck_assert_int_eq(send_vger(&f, dry, NULL, &out, &err), 0);
	ck_assert_msg(strstr(err.buf, "every message of this series was "
			     "sent"), "%s", err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 3);
	free(old);
	free(now);
	free(m1);
	free(m3);
	free(id1);
	free(irt3);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/*
 * A series with a patch missing is refused, naming it; --partial sends
 * the rest and does not record the version as sent.
 */
START_TEST(incomplete_series_is_refused_unless_partial)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--yes", "out", NULL };
	const char *last[] = { "--yes", "out/0000-cover-letter.patch",
			       "out/0001-bpf-add-two.patch", NULL };
	const char *partial[] = { "--yes", "--partial", "out", NULL };
	const char *tags[] = { "git", "tag", "-l", NULL };
	char *p1;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	ck_assert_int_eq(send_vger(&f, last, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "not the whole series: patch 2/2 is "
			     "missing (out/0000-cover-letter.patch is one of "
			     "2)"), "%s", err.buf);
	p1 = path_join(f.out, "0001-bpf-add-two.patch");
	ck_assert_int_eq(unlink(p1), 0);
	ck_assert_int_eq(send_vger(&f, args, NULL, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "patch 1/2 is missing") &&
		      strstr(err.buf, "--partial"), "%s", err.buf);
	ck_assert_int_eq(smtpd_log_count(&f.smtpd, "connect"), 0);
	ck_assert_msg(send_vger(&f, partial, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_int_eq(t_smtpd_count(&f.smtpd), 2);
	ck_assert_msg(strstr(err.buf, "not recorded as sent: only part of "
			     "v1 went out"), "%s", err.buf);
	sbuf_reset(&out);
	ck_assert_int_eq(t_run(tags, NULL, NULL, &out, NULL), 0);
	ck_assert_str_eq(out.buf, "");
	free(p1);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

/*
 * Most BPF fixes are one patch, "[PATCH bpf]" without a number: once
 * sent it is recorded, and the next respin is v2.
 */
START_TEST(single_patch_is_recorded_as_sent)
{
	struct fixture f;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *respin[] = { "respin", "topic~1..topic", "--tree", "bpf",
				 "-o", "one", "--no-check", NULL };
	const char *again[] = { "respin", "topic~1..topic", "--tree", "bpf",
				"-o", "two", "--no-check", NULL };
	const char *args[] = { "--yes", "one", NULL };
	const char *env[] = { NULL, NULL, OUT_OF_WINDOW, NULL };
	char *p, *mail, *id;

	fixture_init(&f, "bpf-next", NULL);
	fixture_smtpd(&f, NULL, NULL);
	env[0] = f.env_config.buf;
	env[1] = f.env_state.buf;
	ck_assert_msg(t_vger(respin, env, &out, &err) == 0, "%s", err.buf);
	ck_assert_msg(str_ends_with(out.buf, "\none/0001-bpf-add-three.patch\n"),
		      "%s", out.buf);
	ck_assert_msg(send_vger(&f, args, NULL, &out, &err) == 0, "%s",
		      err.buf);
	ck_assert_msg(strstr(err.buf, "recorded v1 of topic as sent "
			     "(refs/tags/vger/topic-v1)"), "%s", err.buf);
	mail = t_smtpd_received(&f.smtpd, 1);
	id = header(mail, "Message-Id");
	ck_assert_msg(t_vger(again, env, &out, &err) == 0, "%s", err.buf);
	ck_assert_msg(str_ends_with(out.buf, "\ntwo/v2-0001-bpf-add-three."
				   "patch\n"), "%s", out.buf);
	p = t_read_file("two/v2-0001-bpf-add-three.patch");
	ck_assert_msg(strstr(p, "Subject: [PATCH bpf v2] bpf: add three\n"),
		      "%s", p);
	free(p);
	free(mail);
	free(id);
	sbuf_release(&out);
	sbuf_release(&err);
	fixture_release(&f);
}
END_TEST

static Suite *send_suite(void)
{
	Suite *s = suite_create("send");
	TCase *model = tcase_create("model");
	TCase *smtp = tcase_create("smtp");
	TCase *tc = tcase_create("send");
	TCase *window = tcase_create("window");
	TCase *tty = tcase_create("terminal");
	TCase *fail = tcase_create("failures");
	TCase *safety = tcase_create("safety");
	TCase *special = tcase_create("special");
	TCase *setups = tcase_create("setups");

	tcase_add_test(model, model_compose_headers);
	tcase_add_test(model, model_record_round_trip);
	tcase_add_test(model, model_refuses_the_template_splits_an_mbox);
	suite_add_tcase(s, model);
	tcase_add_test(smtp, smtp_sends_refuses_and_knows_when_unsure);
	tcase_add_test(smtp, smtp_refuses_a_server_that_is_not_a_host);
	tcase_add_test(smtp, smtp_failures_say_what_happened);
	tcase_add_loop_test(smtp, smtp_fault_matrix, 0,
			    sizeof(smtp_fault_rows) / sizeof(*smtp_fault_rows));
	suite_add_tcase(s, smtp);
	tcase_add_test(tc, series_sent_byte_for_byte_with_envelope_threaded);
	tcase_add_test(tc, sent_version_is_recorded_for_the_next_respin);
	tcase_add_test(tc, sent_tag_is_tagged_by_the_user_of_the_global_config);
	tcase_add_test(tc, dates_are_a_second_apart_in_order);
	tcase_add_test(tc, threaded_files_keep_their_ids);
	tcase_add_test(tc, dry_run_sends_nothing_and_says_what_it_would);
	tcase_add_test(tc, no_terminal_and_no_yes_is_refused);
	tcase_add_test(tc, auth_with_user_and_password_from_config);
	tcase_add_test(tc, starttls_and_implicit_tls);
	tcase_add_test(tc, fcc_maildir_gets_exactly_what_was_sent);
	tcase_add_test(tc, subject_with_escape_sequence_is_printed_sanitized);
	tcase_add_test(tc, usage_errors_exit_2);
	suite_add_tcase(s, tc);
	tcase_add_test(window, closed_tree_refused_without_tty_even_with_yes);
	tcase_add_test(window, closed_tree_sent_with_force);
	tcase_add_test(window, fixes_tree_is_open_in_the_window);
	tcase_add_test(window, closed_tree_rfc_is_said_and_still_asked);
	suite_add_tcase(s, window);
	tcase_add_test(tty, closed_tree_answered_yes_on_a_terminal);
	tcase_add_test(tty, closed_tree_answered_no_on_a_terminal);
	tcase_add_test(tty, confirmation_on_a_terminal_shows_the_series);
	tcase_add_test(tty, interrupt_mid_series_keeps_the_record);
	tcase_add_test(tty, sigterm_mid_series_keeps_the_record);
	tcase_add_test(tty, sighup_mid_series_keeps_the_record);
	tcase_add_test(tty, killed_while_the_server_answers_is_unsure_on_resume);
	tcase_add_test(tty, typed_password_is_approved_to_the_helper);
	suite_add_tcase(s, tty);
	tcase_add_test(setups, sendmail_program_gets_argv_and_message);
	tcase_add_test(setups, credential_helper_fills_approves_and_rejects);
	tcase_add_test(setups, identity_settings_win_over_sendemail);
	tcase_add_test(setups, an_mbox_of_the_series_is_sent_in_order);
	tcase_add_test(setups, ssl_cert_path_may_be_a_directory);
	tcase_add_test(fail, refused_data_stops_and_resume_sends_the_rest);
	tcase_add_test(fail, changed_series_after_a_partial_send_is_refused);
	tcase_add_test(fail, one_send_of_a_series_at_a_time);
	tcase_add_test(fail, refused_recipient_stops_at_that_message);
	tcase_add_test(fail, hung_server_times_out);
	tcase_add_test(fail, unanswered_data_is_unsure_and_resent_with_its_id);
	tcase_add_test(fail, connection_refused_and_greeting_refused);
	tcase_add_test(fail, dropped_connection_is_reopened);
	tcase_add_test(fail, connection_closed_on_reuse_is_reopened);
	tcase_add_test(fail, dropped_in_data_is_unsure);
	tcase_add_test(fail, silent_server_after_data_is_waited_for_once);
	tcase_add_test(fail, bad_files_are_refused_before_anything_is_sent);
	tcase_add_test(fail, bad_addresses_and_long_lines_are_named);
	suite_add_tcase(s, fail);
	tcase_add_test(safety, hostile_replies_never_reach_a_header);
	tcase_add_test(safety, file_bcc_is_shown_and_asked_even_with_yes);
	tcase_add_test(safety, resume_without_a_record_refuses);
	tcase_add_test(safety, emptied_record_is_refused);
	tcase_add_test(safety, record_is_found_by_content_after_a_rename);
	tcase_add_test(safety, incomplete_series_is_refused_unless_partial);
	tcase_add_test(safety, single_patch_is_recorded_as_sent);
	suite_add_tcase(s, safety);
	tcase_set_timeout(special, 60);
	tcase_add_test(special, special_file_in_place_of_the_record_is_refused);
	suite_add_tcase(s, special);
	suite_add_tcase(s, setups);
	return s;
}

int main(void)
{
	return t_run_suite(send_suite());
}
