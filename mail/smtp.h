/*
 * An SMTP client for sending patches (libcurl): one connection, kept
 * open from message to message, one mail transaction per message.
 * The server's refusals come back as errors naming the command and
 * the server's own words (control characters made visible).
 */
#ifndef MAIL_SMTP_H
#define MAIL_SMTP_H

#include <signal.h>
#include <stddef.h>

struct err;
struct vec;
struct mail_smtp;

enum mail_smtp_security {
	MAIL_SMTP_PLAIN,	/* no TLS (sendemail.smtpEncryption none) */
	MAIL_SMTP_STARTTLS,	/* STARTTLS, required ("tls") */
	MAIL_SMTP_TLS,		/* TLS from the start, smtps:// ("ssl") */
};

/* The port when none is given: 465 for MAIL_SMTP_TLS, else 25. */
long mail_smtp_default_port(enum mail_smtp_security sec);

struct mail_smtp_options {
	const char *host;	/* name or address (IPv6 with or without []) */
	long port;		/* 0: mail_smtp_default_port() */
	enum mail_smtp_security security;
	const char *user, *pass;	/* AUTH when user is set */
	const char *helo;	/* the EHLO name; NULL: libcurl's choice */
	const char *ca;		/* CA file or directory, NULL: system's */
	/*
	 * Seconds to wait for the connection, for each of the server's
	 * replies, and for a stalled upload to move; 0: 30.
	 */
	long timeout;
	/*
	 * When set and *interrupted becomes non-zero (a signal handler),
	 * a message whose data has not all gone out is abandoned (the
	 * server never sees its end, so never delivers it).
	 */
	const volatile sig_atomic_t *interrupted;
};

/*
 * Make a client; nothing is connected until the first message.  The
 * strings of o are copied.  Free with mail_smtp_free().
 */
int mail_smtp_new(struct mail_smtp **out, const struct mail_smtp_options *o,
		  struct err *err);
void mail_smtp_free(struct mail_smtp *s);
/* The password, when it was asked for after the client was made. */
void mail_smtp_set_password(struct mail_smtp *s, const char *pass);

/*
 * Call hook(arg) for each message once the server has said to go ahead
 * with its data and before any of it is sent: the moment from which it
 * may be delivered (vger send records the message as perhaps sent
 * there, so that a run killed while the server answers is not taken
 * for one that sent nothing).  A non-zero return abandons the message,
 * unsent.  NULL: none.
 */
void mail_smtp_set_data_hook(struct mail_smtp *s, int (*hook)(void *arg),
			     void *arg);

/* "smtp://host:port" (or smtps://), for saying where mail goes. */
const char *mail_smtp_url(const struct mail_smtp *s);

/*
 * Send one message (LF or CRLF line ends; sent as CRLF, dot-stuffed by
 * libcurl) from envelope sender from to every address of rcpts.  0 when
 * the server accepted it.  Else a negative err code (ERR_HTTP) with
 * the reason, and *unsure set when the whole message went out but the
 * server's answer did not come back (it may have been delivered), 0
 * when the server surely did not take it.
 */
int mail_smtp_send(struct mail_smtp *s, const char *from,
		   const struct vec *rcpts, const char *data, size_t len,
		   int *unsure, struct err *err);

#endif
