/*
 * The model of vger send (mail/send.h): a series read, checked and
 * composed as git send-email would, and the record of what was sent;
 * SMTP (mail/smtp.h) against a real server on 127.0.0.1
 * (tests/smtpd.py, a process started and stopped by each test).
 */
#define _GNU_SOURCE
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mail/send.h"
#include "mail/smtp.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

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

START_TEST(model_refuses_a_cover_template_and_an_mbox)
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
	ck_assert_int_lt(mail_send_read(&s, paths, 1, &err), 0);
	ck_assert_msg(strstr(err.msg, "more than one message"), "%s", err.msg);
	mail_send_series_release(&s);
	sbuf_release(&mbox);
	free(a);
	t_rmtree(dir);
}
END_TEST

/* ---- the SMTP server ---- */

struct smtpd {
	pid_t pid;
	int in;		/* its stdin: closing it stops the server */
	int port;
	char *dir;	/* what it received */
	char portstr[16];
};

static void smtpd_start(struct smtpd *d, const char *const extra[])
{
	char *script = path_join(t_srcdir(), "tests/smtpd.py");
	const char *argv[24] = { "python3", script };
	int in[2], out[2];
	char buf[32];
	struct pollfd pfd;
	ssize_t n = 0, r;
	size_t k = 2;
	long port;

	d->dir = t_tmpdir();
	for (size_t i = 0; extra && extra[i]; i++)
		argv[k++] = extra[i];
	argv[k++] = d->dir;
	argv[k] = NULL;
	ck_assert(!pipe(in) && !pipe(out));
	d->pid = fork();
	ck_assert_int_ge(d->pid, 0);
	if (!d->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execvp("python3", (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	d->in = in[1];
	pfd.fd = out[0];
	pfd.events = POLLIN;
	while (n < (ssize_t)sizeof(buf) - 1 && !memchr(buf, '\n', n)) {
		ck_assert_msg(poll(&pfd, 1, 10000) == 1, "smtpd.py silent");
		r = read(out[0], buf + n, sizeof(buf) - 1 - n);
		ck_assert_msg(r > 0, "smtpd.py did not start");
		n += r;
	}
	buf[n] = '\0';
	*strchr(buf, '\n') = '\0';
	ck_assert(!str_to_long(buf, &port) && port > 0 && port < 65536);
	d->port = (int)port;
	snprintf(d->portstr, sizeof(d->portstr), "%d", d->port);
	close(out[0]);
	free(script);
}

static void smtpd_stop(struct smtpd *d)
{
	int status;

	close(d->in);
	ck_assert_int_eq(waitpid(d->pid, &status, 0), d->pid);
	t_rmtree(d->dir);
	d->dir = NULL;
}

/* DIR/<n>.<ext> of the server, or NULL when missing. */
static char *smtpd_file(const struct smtpd *d, int n, const char *ext)
{
	struct sbuf p = SBUF_INIT;
	char *text = NULL;

	sbuf_addf(&p, "%s/%d.%s", d->dir, n, ext);
	if (fs_exists(p.buf))
		text = t_read_file(p.buf);
	sbuf_release(&p);
	return text;
}

/* How many messages the server accepted. */
static int smtpd_count(const struct smtpd *d)
{
	int n = 0;
	char *f;

	while ((f = smtpd_file(d, n + 1, "eml"))) {
		free(f);
		n++;
	}
	return n;
}

/* ---- SMTP on its own ---- */

START_TEST(smtp_sends_refuses_and_knows_when_unsure)
{
	struct smtpd d;
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

	smtpd_start(&d, args);
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
	raw = smtpd_file(&d, 1, "eml");
	ck_assert_str_eq(raw, "Subject: one\r\n\r\n.dot\r\nCRLF\r\nend\r\n");
	rcpt = smtpd_file(&d, 1, "rcpt");
	ck_assert_str_eq(rcpt, "a@example.org\nb@example.org\n");
	vec_push_str(&rcpts, "no@example.org");
	ck_assert_int_lt(mail_smtp_send(s, "me@example.org", &rcpts, one,
					strlen(one), &unsure, &err), 0);
	ck_assert_int_eq(unsure, 0);
	ck_assert_msg(strstr(err.msg, "refused RCPT TO:<no@example.org>: "
			     "550 5.1.1"), "%s", err.msg);
	vec_pop(&rcpts);
	/* the server takes the data and never answers: not known */
	ck_assert_int_lt(mail_smtp_send(s, "me@example.org", &rcpts, one,
					strlen(one), &unsure, &err), 0);
	ck_assert_int_eq(unsure, 1);
	ck_assert_msg(strstr(err.msg, "did not answer within 2 s"), "%s",
		      err.msg);
	ck_assert_int_eq(smtpd_count(&d), 1);
	mail_smtp_free(s);
	free(raw);
	free(rcpt);
	sbuf_release(&url);
	vec_release_str(&rcpts);
	smtpd_stop(&d);
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

static Suite *send_suite(void)
{
	Suite *s = suite_create("send");
	TCase *model = tcase_create("model");
	TCase *smtp = tcase_create("smtp");

	tcase_add_test(model, model_compose_headers);
	tcase_add_test(model, model_record_round_trip);
	tcase_add_test(model, model_refuses_a_cover_template_and_an_mbox);
	suite_add_tcase(s, model);
	tcase_add_test(smtp, smtp_sends_refuses_and_knows_when_unsure);
	tcase_add_test(smtp, smtp_refuses_a_server_that_is_not_a_host);
	suite_add_tcase(s, smtp);
	return s;
}

int main(void)
{
	return t_run_suite(send_suite());
}
