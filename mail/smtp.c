/*
 * SMTP with libcurl (mail/smtp.h).  libcurl speaks the protocol (EHLO,
 * STARTTLS, AUTH, MAIL, RCPT, DATA) and dot-stuffs the data; this file
 * turns LF line ends into CRLF on the way out, watches the dialogue
 * through the debug callback (the last command and the server's last
 * reply, for the error message; never the AUTH exchange) and tells a
 * refused message from one whose fate is unknown.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "mail/smtp.h"
#include "util/curl.h"
#include "util/err.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define SMTP_TIMEOUT_DEFAULT 30
/* What is kept of a command or a reply for the error message. */
#define SMTP_LINE_MAX 200

struct mail_smtp {
	CURL *curl;
	char *url;
	/* a sendmail program instead: its path (url) and arguments */
	int program;
	struct vec program_args;
	int program_envelope;
	int login_refused;	/* the last send: CURLE_LOGIN_DENIED */
	char *user, *pass;
	long timeout;
	const volatile sig_atomic_t *interrupted;
	char errbuf[CURL_ERROR_SIZE];

	int (*data_hook)(void *arg);
	void *data_hook_arg;

	/* the message being sent */
	const char *data;
	size_t len, off;
	int data_started;	/* the server said go ahead (354) */
	int hook_refused;	/* and the data hook said stop */
	int data_done;		/* all of it handed to libcurl */
	int reply_after_data;	/* the server answered after it */
	struct sbuf command;	/* the last command, "AUTH" for any AUTH */
	struct sbuf reply;	/* the server's last reply line */
	int unreadable;		/* and it was no SMTP reply (no code) */
	/*
	 * The first refusal (4xx or 5xx), what it answered and whether
	 * the data had gone out: libcurl says QUIT after it, whose 221
	 * would otherwise be the last word.
	 */
	int fail_code;
	int fail_after_data;
	struct sbuf fail_command, fail_reply;
};

long mail_smtp_default_port(enum mail_smtp_security sec)
{
	return sec == MAIL_SMTP_TLS ? 465 : 25;
}

/* A host name or address literal: nothing that could change the URL. */
static int host_valid(const char *h)
{
	if (!*h)
		return 0;
	for (; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || strchr(".-_:[]", *h)))
			return 0;
	return 1;
}

/* The commands worth naming in an error (not QUIT: it ends them all). */
static const char *const verbs[] = {
	"EHLO", "HELO", "STARTTLS", "MAIL", "RCPT", "DATA", "RSET", "NOOP",
	NULL
};

/* Keep a line of the dialogue (no CRLF, at most SMTP_LINE_MAX). */
static void keep_line(struct sbuf *sb, const char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n > SMTP_LINE_MAX)
		n = SMTP_LINE_MAX;
	sbuf_reset(sb);
	sbuf_add(sb, s, n);
}

static int on_debug(CURL *curl, curl_infotype type, char *text, size_t n,
		    void *p)
{
	struct mail_smtp *s = p;

	(void)curl;
	if (type == CURLINFO_HEADER_IN) {
		keep_line(&s->reply, text, n);
		/* "250 ok" or "250-more": anything else libcurl waits past */
		s->unreadable = !(n >= 4 && isdigit((unsigned char)text[0]) &&
				  isdigit((unsigned char)text[1]) &&
				  isdigit((unsigned char)text[2]) &&
				  (text[3] == ' ' || text[3] == '-' ||
				   text[3] == '\r' || text[3] == '\n'));
		/* a line that is no reply is no answer: still waited for */
		if (!s->unreadable && s->data_done)
			s->reply_after_data = 1;
		if (!s->fail_code && n >= 3 && text[0] >= '4' &&
		    text[0] <= '5' && text[1] >= '0' && text[1] <= '9' &&
		    text[2] >= '0' && text[2] <= '9') {
			s->fail_code = (text[0] - '0') * 100 +
				       (text[1] - '0') * 10 + text[2] - '0';
			s->fail_after_data = s->data_done;
			keep_line(&s->fail_reply, text, n);
			sbuf_reset(&s->fail_command);
			sbuf_addstr(&s->fail_command, s->command.buf);
		}
	} else if (type == CURLINFO_HEADER_OUT) {
		/* AUTH and what follows it carry credentials: not kept */
		if (n >= 4 && !strncasecmp(text, "AUTH", 4)) {
			sbuf_reset(&s->command);
			sbuf_addstr(&s->command, "AUTH");
			return 0;
		}
		for (size_t i = 0; verbs[i]; i++)
			if (n >= strlen(verbs[i]) &&
			    !strncasecmp(text, verbs[i], strlen(verbs[i]))) {
				keep_line(&s->command, text, n);
				break;
			}
	}
	return 0;
}

/* The data with every bare LF sent as CRLF. */
static size_t on_read(char *buf, size_t size, size_t nitems, void *p)
{
	struct mail_smtp *s = p;
	size_t room = size * nitems, n = 0;

	if (s->interrupted && *s->interrupted)
		return CURL_READFUNC_ABORT;
	/* libcurl asks for the data once the server said 354 */
	if (!s->data_started) {
		s->data_started = 1;
		if (s->data_hook && s->data_hook(s->data_hook_arg)) {
			s->hook_refused = 1;
			return CURL_READFUNC_ABORT;
		}
	}
	while (s->off < s->len && n + 2 <= room) {
		char c = s->data[s->off];

		if (c == '\n' && (!s->off || s->data[s->off - 1] != '\r'))
			buf[n++] = '\r';
		buf[n++] = c;
		s->off++;
	}
	/* libcurl need not ask again once it has the size it was told */
	if (s->off == s->len)
		s->data_done = 1;
	return n;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct mail_smtp *s = p;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	/* once all the data is out, the answer is waited for */
	return s->interrupted && *s->interrupted && !s->data_done;
}

/* The sendmail program: nothing to connect, checked to be a program. */
static int program_new(struct mail_smtp **out,
		       const struct mail_smtp_options *o, struct err *err)
{
	struct mail_smtp *s;
	struct stat st;

	if (o->program[0] != '/')
		return err_set(err, ERR_USAGE, "'%s' is not an absolute path "
			       "to a sendmail program", o->program);
	if (stat(o->program, &st) || !S_ISREG(st.st_mode) ||
	    !(st.st_mode & 0111))
		return err_set(err, ERR_USAGE, "%s is not a program (from "
			       "sendemail.smtpServer)", o->program);
	s = xcalloc(1, sizeof(*s));
	sbuf_init(&s->command);
	sbuf_init(&s->reply);
	sbuf_init(&s->fail_command);
	sbuf_init(&s->fail_reply);
	s->program = 1;
	s->url = xstrdup(o->program);
	for (size_t i = 0; o->program_args && i < o->program_args->n; i++)
		vec_push_str(&s->program_args, o->program_args->items[i]);
	s->program_envelope = o->program_envelope;
	*out = s;
	return 0;
}

int mail_smtp_new(struct mail_smtp **out, const struct mail_smtp_options *o,
		  struct err *err)
{
	struct mail_smtp *s;
	struct sbuf url = SBUF_INIT;
	long port = o->port ? o->port : mail_smtp_default_port(o->security);
	int bracket;
	struct stat st;

	*out = NULL;
	if (o->program)
		return program_new(out, o, err);
	if (!o->host || !host_valid(o->host))
		return err_set(err, ERR_USAGE, "'%s' is not an SMTP server "
			       "name", o->host ? o->host : "");
	if (port < 1 || port > 65535)
		return err_set(err, ERR_USAGE, "%ld is not a port", port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	s = xcalloc(1, sizeof(*s));
	sbuf_init(&s->command);
	sbuf_init(&s->reply);
	sbuf_init(&s->fail_command);
	sbuf_init(&s->fail_reply);
	s->curl = curl_easy_init();
	if (!s->curl) {
		free(s);
		if (util_curl_error())
			return err_set(err, ERR_IO, "%s", util_curl_error());
		return err_set(err, ERR_NOMEM, "libcurl: no handle");
	}
	s->timeout = o->timeout > 0 ? o->timeout : SMTP_TIMEOUT_DEFAULT;
	s->interrupted = o->interrupted;
	bracket = strchr(o->host, ':') && o->host[0] != '[';
	sbuf_addf(&url, "%s://%s%s%s:%ld",
		  o->security == MAIL_SMTP_TLS ? "smtps" : "smtp",
		  bracket ? "[" : "", o->host, bracket ? "]" : "", port);
	s->url = xstrdup(url.buf);
	if (o->helo && *o->helo) {
		char *e = curl_easy_escape(s->curl, o->helo, 0);

		sbuf_addf(&url, "/%s", e ? e : "");
		curl_free(e);
	}
	curl_easy_setopt(s->curl, CURLOPT_URL, url.buf);
	sbuf_release(&url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, s);
	curl_easy_setopt(s->curl, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(s->curl, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(s->curl, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(s->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(s->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(s->curl, CURLOPT_XFERINFODATA, s);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, s->timeout);
	curl_easy_setopt(s->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, s->timeout);
	curl_easy_setopt(s->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(s->curl, CURLOPT_LOW_SPEED_TIME, s->timeout);
	curl_easy_setopt(s->curl, CURLOPT_USE_SSL,
			 (long)(o->security == MAIL_SMTP_STARTTLS ?
				CURLUSESSL_ALL : CURLUSESSL_NONE));
	if (o->ca && *o->ca) {
		if (!stat(o->ca, &st) && S_ISDIR(st.st_mode))
			curl_easy_setopt(s->curl, CURLOPT_CAPATH, o->ca);
		else
			curl_easy_setopt(s->curl, CURLOPT_CAINFO, o->ca);
	}
	if (o->user && *o->user) {
		s->user = xstrdup(o->user);
		s->pass = xstrdup(o->pass ? o->pass : "");
		curl_easy_setopt(s->curl, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(s->curl, CURLOPT_PASSWORD, s->pass);
	}
	*out = s;
	return 0;
}

static void forget(char *secret)
{
	if (secret) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
}

void mail_smtp_free(struct mail_smtp *s)
{
	if (!s)
		return;
	if (s->curl)
		curl_easy_cleanup(s->curl);	/* QUIT, when connected */
	free(s->url);
	vec_release_str(&s->program_args);
	free(s->user);
	forget(s->pass);
	sbuf_release(&s->command);
	sbuf_release(&s->reply);
	sbuf_release(&s->fail_command);
	sbuf_release(&s->fail_reply);
	free(s);
}

void mail_smtp_set_password(struct mail_smtp *s, const char *pass)
{
	if (!s->user || !s->curl)
		return;
	forget(s->pass);
	s->pass = xstrdup(pass ? pass : "");
	curl_easy_setopt(s->curl, CURLOPT_PASSWORD, s->pass);
}

void mail_smtp_set_data_hook(struct mail_smtp *s, int (*hook)(void *arg),
			     void *arg)
{
	s->data_hook = hook;
	s->data_hook_arg = arg;
}

/*
 * After a server that stopped answering (or an interrupt): shut the
 * connection down, so that the QUIT libcurl says when it closes it
 * (the failed message, or the client freed) fails at once instead of
 * waiting the whole timeout again for its answer.  The next message
 * connects anew.
 */
static void drop_connection(struct mail_smtp *s)
{
	curl_socket_t sock = CURL_SOCKET_BAD;

	if (curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &sock) ==
	    CURLE_OK && sock != CURL_SOCKET_BAD)
		shutdown(sock, SHUT_RDWR);
}

const char *mail_smtp_url(const struct mail_smtp *s)
{
	return s->url;
}

/* ": 550 ..." (the refusal, else the last reply) when there is one. */
static void add_reply(struct sbuf *sb, const struct mail_smtp *s)
{
	const struct sbuf *r = s->fail_code ? &s->fail_reply : &s->reply;

	if (!r->len)
		return;
	sbuf_addstr(sb, ": ");
	sbuf_add_sanitized(sb, r->buf, r->len);
}

/* " (after MAIL FROM:<...>)": the last command, when there is one. */
static void add_after(struct sbuf *sb, const struct mail_smtp *s)
{
	if (!s->command.len)
		return;
	sbuf_addstr(sb, " (after ");
	sbuf_add_sanitized(sb, s->command.buf, s->command.len);
	sbuf_addch(sb, ')');
}

static int smtp_fail(struct mail_smtp *s, CURLcode rc, struct err *err)
{
	struct sbuf msg = SBUF_INIT;
	const char *detail = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
	const struct sbuf *cmd = s->fail_code ? &s->fail_command : &s->command;
	long code = s->fail_code, os_errno = 0;
	int ret;

	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(s->curl, CURLINFO_OS_ERRNO, &os_errno);
		sbuf_addf(&msg, "cannot connect to %s: ", s->url);
		if (os_errno)
			sbuf_addstr(&msg, strerror((int)os_errno));
		else
			sbuf_add_sanitized(&msg, detail, strlen(detail));
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		sbuf_addf(&msg, "cannot connect to %s: ", s->url);
		sbuf_add_sanitized(&msg, detail, strlen(detail));
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (s->unreadable)
			sbuf_addf(&msg, "%s answered what is not an SMTP "
				  "reply", s->url);
		else
			sbuf_addf(&msg, "%s did not answer within %ld s",
				  s->url, s->timeout);
		add_after(&msg, s);
		if (s->unreadable) {
			sbuf_addstr(&msg, ": ");
			sbuf_add_sanitized(&msg, s->reply.buf, s->reply.len);
		}
		break;

	case CURLE_LOGIN_DENIED:
		sbuf_addf(&msg, "%s refused the login", s->url);
		add_reply(&msg, s);
		break;
	case CURLE_USE_SSL_FAILED:
		if (code >= 400) {
			sbuf_addf(&msg, "%s refused STARTTLS", s->url);
			add_reply(&msg, s);
			break;
		}
		sbuf_addf(&msg, "%s does not offer STARTTLS, which "
			  "sendemail.smtpEncryption tls requires", s->url);
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		sbuf_addstr(&msg, "interrupted");
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		sbuf_addf(&msg, "TLS with %s failed: ", s->url);
		sbuf_add_sanitized(&msg, detail, strlen(detail));
		break;
	default:
		if (code >= 400 && s->fail_after_data) {
			sbuf_addf(&msg, "%s refused the message", s->url);
			add_reply(&msg, s);
		} else if (code >= 400 && cmd->len) {
			sbuf_addf(&msg, "%s refused ", s->url);
			sbuf_add_sanitized(&msg, cmd->buf, cmd->len);
			add_reply(&msg, s);
		} else if (code >= 400) {
			sbuf_addf(&msg, "%s refused the connection", s->url);
			add_reply(&msg, s);
		} else if (rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
			   rc == CURLE_GOT_NOTHING) {
			/* libcurl's words carry a stale errno ("errno: 17") */
			sbuf_addf(&msg, "%s closed the connection", s->url);
			add_after(&msg, s);
		} else {
			sbuf_addf(&msg, "%s: ", s->url);
			sbuf_add_sanitized(&msg, detail, strlen(detail));
			add_after(&msg, s);
		}
	}
	ret = err_set(err, ERR_HTTP, "%s", msg.buf);
	sbuf_release(&msg);
	return ret;
}

/*
 * The message through the sendmail program, as git send-email runs
 * it: the program's word is its exit status; what it wrote is the
 * reason when it failed.
 */
static int program_send(struct mail_smtp *s, const char *from,
			const struct vec *rcpts, const char *data, size_t len,
			struct err *err)
{
	struct run_options ro = { NULL, 1 << 16, 1, NULL };
	struct sbuf out = SBUF_INIT;
	struct vec argv = VEC_INIT;
	int rc;

	vec_push(&argv, s->url);
	for (size_t i = 0; i < s->program_args.n; i++)
		vec_push(&argv, s->program_args.items[i]);
	if (s->program_envelope) {
		vec_push(&argv, (char *)"-f");
		vec_push(&argv, (char *)from);
	}
	vec_push(&argv, (char *)"-i");
	for (size_t i = 0; i < rcpts->n; i++)
		vec_push(&argv, rcpts->items[i]);
	vec_push(&argv, NULL);
	rc = run_capture_input((const char *const *)argv.items, &ro, data,
			       len, &out, err);
	if (rc > 0) {
		struct sbuf msg = SBUF_INIT;
		size_t n;

		sbuf_trim(&out);
		/* its last line says why */
		n = out.len;
		while (n && out.buf[n - 1] != '\n')
			n--;
		sbuf_addf(&msg, "%s exited with status %d", s->url, rc);
		if (out.len > n) {
			sbuf_addstr(&msg, ": ");
			sbuf_add_sanitized(&msg, out.buf + n, out.len - n);
		}
		rc = err_set(err, ERR_HTTP, "%s", msg.buf);
		sbuf_release(&msg);
	}
	vec_release(&argv, NULL);
	sbuf_release(&out);
	return rc;
}

int mail_smtp_login_refused(const struct mail_smtp *s)
{
	return s->login_refused;
}

/* The state of one message's transfer, before each attempt. */
static void transfer_reset(struct mail_smtp *s)
{
	s->off = 0;
	s->data_started = 0;
	s->hook_refused = 0;
	s->data_done = 0;
	s->reply_after_data = 0;
	s->errbuf[0] = '\0';
	sbuf_reset(&s->command);
	sbuf_reset(&s->reply);
	s->unreadable = 0;
	s->fail_code = 0;
	s->fail_after_data = 0;
	sbuf_reset(&s->fail_command);
	sbuf_reset(&s->fail_reply);
}

int mail_smtp_send(struct mail_smtp *s, const char *from,
		   const struct vec *rcpts, const char *data, size_t len,
		   int *unsure, struct err *err)
{
	struct curl_slist *list = NULL;
	struct sbuf sb = SBUF_INIT;
	curl_off_t wire = (curl_off_t)len;
	CURLcode rc;

	*unsure = 0;
	s->login_refused = 0;
	if (!rcpts->n)
		return err_set(err, ERR_USAGE, "a message with no recipient");
	if (s->program)
		return program_send(s, from, rcpts, data, len, err);
	for (size_t i = 0; i < len; i++)
		if (data[i] == '\n' && (!i || data[i - 1] != '\r'))
			wire++;
	for (size_t i = 0; i < rcpts->n; i++) {
		sbuf_reset(&sb);
		sbuf_addf(&sb, "<%s>", (const char *)rcpts->items[i]);
		list = curl_slist_append(list, sb.buf);
	}
	sbuf_reset(&sb);
	sbuf_addf(&sb, "<%s>", from);
	s->data = data;
	s->len = len;
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, sb.buf);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, wire);
	for (int again = 1;; again = 0) {
		long fresh = 0;

		transfer_reset(s);
		rc = curl_easy_perform(s->curl);
		curl_easy_getinfo(s->curl, CURLINFO_NUM_CONNECTS, &fresh);
		/*
		 * A kept connection the server had closed (after its last
		 * 250, as servers limiting messages per connection do)
		 * fails before a byte of this message went; libcurl saw it
		 * alive.  Nothing was sent: once more, on a new connection.
		 */
		if (!again || rc == CURLE_OK || fresh || s->off ||
		    (rc != CURLE_RECV_ERROR && rc != CURLE_SEND_ERROR &&
		     rc != CURLE_GOT_NOTHING))
			break;
		curl_easy_setopt(s->curl, CURLOPT_FRESH_CONNECT, 1L);
	}
	curl_easy_setopt(s->curl, CURLOPT_FRESH_CONNECT, 0L);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(list);
	sbuf_release(&sb);
	s->data = NULL;
	if (rc == CURLE_OK)
		return 0;
	*unsure = s->data_done && !s->reply_after_data &&
		  rc != CURLE_ABORTED_BY_CALLBACK;
	if (rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_ABORTED_BY_CALLBACK ||
	    rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_WEIRD_SERVER_REPLY)
		drop_connection(s);
	s->login_refused = rc == CURLE_LOGIN_DENIED;
	if (s->hook_refused)
		return err_set(err, ERR_IO, "not sent: what was sent could "
			       "not be recorded first");
	return smtp_fail(s, rc, err);
}
