#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "front/gitconfig.h"
#include "front/identity.h"
#include "front/sendconf.h"
#include "mail/address.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/*
 * sendemail.KEY of the identity's subsection, else of [sendemail], as
 * get reads it (an empty value counts as unset, as in git
 * send-email); owned.
 */
static char *conf_get(const struct front_sendconf *c, struct front_config *cfg,
		      const char *key,
		      char *(*get)(struct front_config *, const char *))
{
	struct sbuf name = SBUF_INIT;
	char *v = NULL;

	if (c->identity) {
		sbuf_addf(&name, "sendemail.%s.%s", c->identity, key);
		v = get(cfg, name.buf);
	}
	if (!v || !*v) {
		free(v);
		sbuf_reset(&name);
		sbuf_addf(&name, "sendemail.%s", key);
		v = get(cfg, name.buf);
	}
	sbuf_release(&name);
	return v;
}

static char *conf_string(const struct front_sendconf *c,
			 struct front_config *cfg, const char *key)
{
	return conf_get(c, cfg, key, front_config_string);
}

/* The same for a path (~/ expanded). */
static char *conf_path(const struct front_sendconf *c,
		       struct front_config *cfg, const char *key)
{
	return conf_get(c, cfg, key, front_config_path);
}

/*
 * Every value of a multi-valued key: the identity's when it has any
 * (git send-email reads no more then), else [sendemail]'s.
 */
static void conf_multi(const struct front_sendconf *c,
		       struct front_config *cfg, const char *key,
		       struct vec *out)
{
	struct sbuf name = SBUF_INIT;
	size_t before = out->n;

	if (c->identity) {
		sbuf_addf(&name, "sendemail.%s.%s", c->identity, key);
		front_config_multi(cfg, name.buf, out);
	}
	if (out->n == before) {
		sbuf_reset(&name);
		sbuf_addf(&name, "sendemail.%s", key);
		front_config_multi(cfg, name.buf, out);
	}
	sbuf_release(&name);
}

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
static char *sender_of(const struct front_sendconf *c,
		       struct front_config *cfg, const char *opt)
{
	char *name, *email, *from;
	struct sbuf sb = SBUF_INIT;

	if (opt)
		return xstrdup(opt);
	from = conf_string(c, cfg, "from");
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
static const char *opt_or_config(const struct front_sendconf *c,
				 struct front_config *cfg, const char *opt,
				 const char *key, char **keep)
{
	if (opt)
		return opt;
	*keep = conf_string(c, cfg, key);
	return *keep && **keep ? *keep : NULL;
}

static int read_sender(struct front_sendconf *c, struct front_config *cfg,
		       const struct front_sendconf_args *a, struct err *err)
{
	struct vec one = VEC_INIT;
	char *sender = sender_of(c, cfg, a->from);
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

	conf_multi(c, cfg, "to", &conf_to);
	conf_multi(c, cfg, "cc", &conf_cc);
	conf_multi(c, cfg, "bcc", &conf_bcc);
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

	c->smtp.host = opt_or_config(c, cfg, a->server, "smtpServer",
				     &c->server);
	if (!c->smtp.host)
		c->smtp.host = "localhost";
	env = conf_string(c, cfg, "envelopeSender");
	if (c->smtp.host[0] == '/') {
		/* git send-email: -f only when an envelope sender is set */
		c->smtp.program = c->smtp.host;
		conf_multi(c, cfg, "smtpServerOption", &c->server_options);
		c->smtp.program_args = &c->server_options;
		c->smtp.program_envelope = env && *env;
	}
	enc = opt_or_config(c, cfg, a->encryption, "smtpEncryption",
			    &c->encryption);
	if (enc && strcmp(enc, "none") && strcmp(enc, "tls") &&
	    strcmp(enc, "ssl")) {
		free(env);
		return err_set(err, ERR_USAGE, "sendemail.smtpEncryption is "
			       "tls, ssl or none, not '%s'", enc);
	}
	if (!enc || !strcmp(enc, "none"))
		c->smtp.security = MAIL_SMTP_PLAIN;
	else if (!strcmp(enc, "tls"))
		c->smtp.security = MAIL_SMTP_STARTTLS;
	else
		c->smtp.security = MAIL_SMTP_TLS;
	port = opt_or_config(c, cfg, a->port, "smtpServerPort", &c->port);
	if (port && str_to_long(port, &c->smtp.port)) {
		struct servent *se = getservbyname(port, "tcp");

		if (!se) {
			free(env);
			return err_set(err, ERR_USAGE, "'%s' is not a port",
				       port);
		}
		c->smtp.port = ntohs((uint16_t)se->s_port);
	}
	c->smtp.user = opt_or_config(c, cfg, a->user, "smtpUser", &c->user);
	c->pass = conf_string(c, cfg, "smtpPass");
	c->smtp.pass = c->pass;
	if (c->smtp.user && !c->pass && !c->smtp.program) {
		struct sbuf host = SBUF_INIT;

		sbuf_addstr(&host, c->smtp.host);
		if (port)
			sbuf_addf(&host, ":%s", port);
		c->credential_host = sbuf_detach(&host);
	}
	c->smtp.helo = opt_or_config(c, cfg, a->domain, "smtpDomain",
				     &c->domain);
	c->ca = conf_path(c, cfg, "smtpSSLCertPath");
	c->smtp.ca = c->ca;
	c->smtp.timeout = a->timeout ? a->timeout :
			  front_config_long(cfg, "vger.smtpTimeout", 30);
	c->fcc = front_config_path(cfg, "vger.fcc");
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
		c->envelope_set = 1;
		vec_release_str(&one);
	} else {
		c->envelope = mail_address_spec(c->sender);
	}
	free(env);
	return 0;
}

/* sendemail.thread as a boolean, the identity's first; default on. */
static int thread_of(const struct front_sendconf *c, struct front_config *cfg)
{
	struct sbuf name = SBUF_INIT;
	int v = -1;

	if (c->identity) {
		sbuf_addf(&name, "sendemail.%s.thread", c->identity);
		v = front_config_bool(cfg, name.buf, -1);
	}
	sbuf_release(&name);
	return v >= 0 ? v : front_config_bool(cfg, "sendemail.thread", 1);
}

int front_sendconf_read(struct front_sendconf *c, struct front_config *cfg,
			const struct front_sendconf_args *a, struct err *err)
{
	static const struct front_sendconf_args none;
	int ret;

	if (!a)
		a = &none;
	c->identity = a->identity ? xstrdup(a->identity) :
		front_config_string(cfg, "sendemail.identity");
	if (c->identity && !*c->identity) {
		free(c->identity);
		c->identity = NULL;
	}
	c->thread = thread_of(c, cfg);
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
	free(c->credential_host);
	free(c->identity);
	vec_release_str(&c->server_options);
	memset(c, 0, sizeof(*c));
}
