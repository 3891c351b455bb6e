/*
 * How mail leaves: what vger send, vger report, vger stable and the
 * TUI's composer read of git send-email's [sendemail] keys (and
 * vger.fcc, vger.smtpTimeout), with the command line's options over
 * them.  One reader, so a reply goes out exactly as a series does.
 */
#ifndef FRONT_SENDCONF_H
#define FRONT_SENDCONF_H

#include "mail/smtp.h"
#include "util/vec.h"

struct err;
struct front_config;

/* What the command line gave; NULL (0) for what it did not. */
struct front_sendconf_args {
	/*
	 * --identity: the [sendemail "NAME"] subsection whose keys win
	 * over [sendemail]'s; NULL: sendemail.identity, else none.
	 */
	const char *identity;
	const char *from;
	/* as given, each may be a list (char *, borrowed), or NULL */
	const struct vec *to, *cc, *bcc;
	const char *server, *port, *encryption, *user, *domain;
	long timeout;		/* seconds; 0: vger.smtpTimeout, else 30 */
};

/* Everything owned; release with front_sendconf_release(). */
struct front_sendconf {
	char *sender;		/* one "Name <addr>", checked */
	/* one address each: the arguments' first, then the config's */
	struct vec to, cc, bcc;
	int thread;		/* sendemail.thread, default on */
	struct mail_smtp_options smtp;	/* strings point in here */
	char *envelope;		/* the envelope sender, bare */
	int envelope_set;	/* sendemail.envelopeSender named it */
	char *fcc;		/* vger.fcc, or NULL */
	/*
	 * Where to ask git's credential helpers for the password:
	 * "host" or "host:port" as git send-email names it, or NULL
	 * (no user, a password configured, or a program).
	 */
	char *credential_host;
	/* private: what smtp points at */
	char *identity;
	char *server, *port, *encryption, *user, *pass, *domain, *ca;
	struct vec server_options;
};

#define FRONT_SENDCONF_INIT { .to = VEC_INIT, .cc = VEC_INIT, \
	.bcc = VEC_INIT, .thread = 1 }

/*
 * Read the configuration into c, the arguments first, then the
 * identity's subsection, then [sendemail].  sendemail.smtpServer
 * naming an absolute path is a sendmail program (with
 * sendemail.smtpServerOption arguments), as in git send-email.  ERR_USAGE for
 * a setting that cannot work (no sender, an encryption that is not
 * tls/ssl/none, a port that is not one), ERR_PARSE for an address
 * that does not parse, naming the option or key.  Release c either
 * way.
 */
int front_sendconf_read(struct front_sendconf *c, struct front_config *cfg,
			const struct front_sendconf_args *a, struct err *err);
void front_sendconf_release(struct front_sendconf *c);

#endif
