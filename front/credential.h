/*
 * git's credential helpers for the SMTP password, as git send-email
 * uses them: `git credential fill` asks them for the password of a
 * user at a server, `approve` tells them it worked (a helper such as
 * store keeps it), `reject` that the server refused it (it is
 * forgotten).  git runs without a terminal prompt of its own: when no
 * helper knows the password, the front end asks for it.  The password
 * is never printed, logged or put in an error message.
 */
#ifndef FRONT_CREDENTIAL_H
#define FRONT_CREDENTIAL_H

struct err;

/*
 * The password of user at host ("host" or "host:port") for protocol
 * smtp: 0 with *pass set (the caller wipes and frees it), 1 when no
 * helper had one, < 0 with err when git cannot be run.
 */
int front_credential_fill(const char *host, const char *user, char **pass,
			  struct err *err);
/* Tell the helpers the password worked (approve) or did not (reject). */
void front_credential_approve(const char *host, const char *user,
			      const char *pass);
void front_credential_reject(const char *host, const char *user,
			     const char *pass);

#endif
