#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "front/config.h"
#include "front/identity.h"
#include "front/sendconf.h"
#include "mail/address.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* Each value (a list) checked and split into one address an entry. */
static int add_addresses(const struct vec *values, struct vec *out,
			 const char *what, struct err *err)
{
	for (size_t i = 0; values && i < values->n; i++)
		if (mail_address_parse_list(values->items[i], out, err))
			return err_prefix(err, "%s", what);
	return 0;
}

/* --from, sendemail.from, else the committer as git sees it. */
static char *sender_of(struct front_config *cfg, const char *opt)
{
	char *name, *email, *from;
	struct sbuf sb = SBUF_INIT;

	if (opt)
		return xstrdup(opt);
	from = front_config_string(cfg, "sendemail.from");
	if (from && *from)
		return from;
	free(from);
	front_identity(cfg, &name, &email);
	if (email && *email) {
		if (name && *name)
			sbuf_addf(&sb, "%s <%s>", name, email);
		else
			sbuf_addstr(&sb, email);
	}
	free(name);
	free(email);
	return sb.len ? sbuf_detach(&sb) : NULL;
}

/* An option, else the config key's value (owned by *keep). */
static const char *opt_or_config(struct front_config *cfg, const char *opt,
				 const char *key, char **keep)
{
	if (opt)
		return opt;
	*keep = front_config_string(cfg, key);
	return *keep && **keep ? *keep : NULL;
}

static int read_sender(struct front_sendconf *c, struct front_config *cfg,
		       const struct front_sendconf_args *a, struct err *err)
{
	struct vec one = VEC_INIT;
	char *sender = sender_of(cfg, a->from);
	int ret = 0;

	if (!sender)
		return err_set(err, ERR_USAGE, "who is sending? set "
			       "sendemail.from, or user.name and user.email "
			       "(or give --from)");
	if (mail_address_parse_list(sender, &one, err) || one.n != 1) {
		if (!err || !err->code)
			err_set(err, ERR_USAGE, "'%s' is not one address",
				sender);
		ret = err_prefix(err, "the sender");
	} else {
		c->sender = xstrdup(one.items[0]);
	}
	vec_release_str(&one);
	free(sender);
	return ret;
}

static int read_recipients(struct front_sendconf *c, struct front_config *cfg,
			   const struct front_sendconf_args *a,
			   struct err *err)
{
	struct vec conf_to = VEC_INIT, conf_cc = VEC_INIT, conf_bcc = VEC_INIT;
	int ret;

	front_config_multi(cfg, "sendemail.to", &conf_to);
	front_config_multi(cfg, "sendemail.cc", &conf_cc);
	front_config_multi(cfg, "sendemail.bcc", &conf_bcc);
	ret = add_addresses(a->to, &c->to, "--to", err);
	if (!ret)
		ret = add_addresses(&conf_to, &c->to, "sendemail.to", err);
	if (!ret)
		ret = add_addresses(a->cc, &c->cc, "--cc", err);
	if (!ret)
		ret = add_addresses(&conf_cc, &c->cc, "sendemail.cc", err);
	if (!ret)
		ret = add_addresses(a->bcc, &c->bcc, "--bcc", err);
	if (!ret)
		ret = add_addresses(&conf_bcc, &c->bcc, "sendemail.bcc", err);
	vec_release_str(&conf_to);
	vec_release_str(&conf_cc);
	vec_release_str(&conf_bcc);
	return ret;
}

static int read_smtp(struct front_sendconf *c, struct front_config *cfg,
		     const struct front_sendconf_args *a, struct err *err)
{
	const char *enc, *port;
	char *env;

	c->smtp.host = opt_or_config(cfg, a->server, "sendemail.smtpServer",
				     &c->server);
	if (!c->smtp.host)
		c->smtp.host = "localhost";
	if (c->smtp.host[0] == '/')
		return err_set(err, ERR_USAGE, "sendemail.smtpServer is a "
			       "program (%s); vger send speaks SMTP: name "
			       "an SMTP server (--smtp-server)",
			       c->smtp.host);
	enc = opt_or_config(cfg, a->encryption, "sendemail.smtpEncryption",
			    &c->encryption);
	if (!enc || !strcmp(enc, "none"))
		c->smtp.security = MAIL_SMTP_PLAIN;
	else if (!strcmp(enc, "tls"))
		c->smtp.security = MAIL_SMTP_STARTTLS;
	else if (!strcmp(enc, "ssl"))
		c->smtp.security = MAIL_SMTP_TLS;
	else
		return err_set(err, ERR_USAGE, "sendemail.smtpEncryption is "
			       "tls, ssl or none, not '%s'", enc);
	port = opt_or_config(cfg, a->port, "sendemail.smtpServerPort",
			     &c->port);
	if (port && str_to_long(port, &c->smtp.port)) {
		struct servent *se = getservbyname(port, "tcp");

		if (!se)
			return err_set(err, ERR_USAGE, "'%s' is not a port",
				       port);
		c->smtp.port = ntohs((uint16_t)se->s_port);
	}
	c->smtp.user = opt_or_config(cfg, a->user, "sendemail.smtpUser",
				     &c->user);
	c->pass = front_config_string(cfg, "sendemail.smtpPass");
	c->smtp.pass = c->pass;
	c->smtp.helo = opt_or_config(cfg, a->domain, "sendemail.smtpDomain",
				     &c->domain);
	c->ca = front_config_path(cfg, "sendemail.smtpSSLCertPath");
	c->smtp.ca = c->ca;
	c->smtp.timeout = a->timeout ? a->timeout :
			  front_config_long(cfg, "vger.smtpTimeout", 30);
	c->fcc = front_config_path(cfg, "vger.fcc");
	env = front_config_string(cfg, "sendemail.envelopeSender");
	if (env && *env && strcmp(env, "auto")) {
		struct vec one = VEC_INIT;

		if (mail_address_parse_list(env, &one, err) || one.n != 1) {
			vec_release_str(&one);
			free(env);
			return err && err->code ? err_prefix(err, "sendemail."
					"envelopeSender") :
				err_set(err, ERR_USAGE, "sendemail."
					"envelopeSender is not one address");
		}
		c->envelope = mail_address_spec(one.items[0]);
		vec_release_str(&one);
	} else {
		c->envelope = mail_address_spec(c->sender);
	}
	free(env);
	return 0;
}

int front_sendconf_read(struct front_sendconf *c, struct front_config *cfg,
			const struct front_sendconf_args *a, struct err *err)
{
	static const struct front_sendconf_args none;
	int ret;

	if (!a)
		a = &none;
	c->thread = front_config_bool(cfg, "sendemail.thread", 1);
	ret = read_sender(c, cfg, a, err);
	if (!ret)
		ret = read_recipients(c, cfg, a, err);
	if (!ret)
		ret = read_smtp(c, cfg, a, err);
	return ret;
}

void front_sendconf_release(struct front_sendconf *c)
{
	free(c->sender);
	vec_release_str(&c->to);
	vec_release_str(&c->cc);
	vec_release_str(&c->bcc);
	free(c->server);
	free(c->port);
	free(c->encryption);
	free(c->user);
	if (c->pass) {
		memset(c->pass, 0, strlen(c->pass));
		free(c->pass);
	}
	free(c->domain);
	free(c->ca);
	free(c->envelope);
	free(c->fcc);
	memset(c, 0, sizeof(*c));
}
