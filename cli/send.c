/*
 * vger send: a series written by vger respin (or git format-patch)
 * sent over SMTP the way git send-email sends it.  The flow is
 * front/send.h's (everything checked first, the questions, a record of
 * what the server accepted so that a run cut off half way resumes
 * without sending twice); here are the options and [sendemail], the
 * questions asked on the terminal, Ctrl-C, and what is printed.
 */
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/tty.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/send.h"
#include "front/sendconf.h"
#include "mail/send.h"
#include "mail/smtp.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

const char cli_usage_send[] =
"usage: vger send [options] <dir> | <patch-file>...\n"
"\n"
"Send a series written by vger respin (or git format-patch) over SMTP,\n"
"as git send-email does: one message a file (an mbox file may hold\n"
"several), From: you (the author, when not you, as the body's first\n"
"line), a Date: and a Message-Id: each, the patches as replies to the\n"
"first message.  <dir> is every *.patch file in it, by name.  Every file is checked before anything is sent; what\n"
"the server accepted is recorded, so a series cut off half way is\n"
"resumed without sending a message twice.\n"
"\n"
"Options:\n"
"  --to, --cc, --bcc <addr>  more recipients for every message (also\n"
"                        sendemail.to, sendemail.cc, sendemail.bcc)\n"
"  --from <addr>         the sender (sendemail.from, else user.name and\n"
"                        user.email)\n"
"  --identity <name>     the [sendemail \"<name>\"] settings over the\n"
"                        [sendemail] ones (sendemail.identity)\n"
"  --dry-run             say what would be sent; send nothing\n"
"  -y, --yes             do not ask before sending\n"
"  --force-closed-tree   send to a tree closed for the merge window\n"
"                        (--yes does not: it asks even then)\n"
"  --resume              skip the messages an earlier run sent (refused\n"
"                        when there is no record of one)\n"
"  --partial             send a series with patches missing (not\n"
"                        recorded as sent)\n"
"  --[no-]thread         the patches as replies to the first message\n"
"                        when the files are not threaded (sendemail.thread,\n"
"                        default on)\n"
"  --smtp-server <host>  (sendemail.smtpServer, default localhost); an\n"
"                        absolute path is a sendmail program, run with\n"
"                        sendemail.smtpServerOption, -i and the recipients\n"
"  --smtp-server-port <n>  (sendemail.smtpServerPort; 25, 465 for ssl)\n"
"  --smtp-encryption tls|ssl|none  STARTTLS, TLS from the start, or none\n"
"                        (sendemail.smtpEncryption, default none)\n"
"  --smtp-user <user>    log in (sendemail.smtpUser; the password is\n"
"                        sendemail.smtpPass, else git's credential\n"
"                        helpers', else asked on the terminal)\n"
"  --smtp-domain <name>  the EHLO name (sendemail.smtpDomain)\n"
"  --smtp-timeout <s>    seconds to wait for the server (vger.smtpTimeout,\n"
"                        default 30)\n"
"\n"
"Each sent message is also delivered to the maildir vger.fcc when set.\n"
"Exit status 0 when every message was sent, 1 otherwise, 2 for a usage\n"
"error.\n";

enum {
	OPT_TO = 256, OPT_CC, OPT_BCC, OPT_FROM, OPT_DRY_RUN,
	OPT_FORCE_CLOSED, OPT_RESUME, OPT_PARTIAL, OPT_THREAD, OPT_NO_THREAD,
	OPT_SERVER, OPT_PORT, OPT_ENCRYPTION, OPT_USER, OPT_DOMAIN,
	OPT_TIMEOUT, OPT_IDENTITY, OPT_HELP,
};

struct send_args {
	struct vec to, cc, bcc;	/* as given (each may be a list) */
	const char *from, *identity;
	int dry_run, yes, force_closed, resume, partial, thread;
	const char *server, *port, *encryption, *user, *domain;
	long timeout;
	struct vec files;	/* char *: the arguments */
};

static volatile sig_atomic_t send_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	send_interrupted = 1;
}

/* ---- printing: mail text through cli_add_text(), never raw ---- */

static void print_line(FILE *f, const char *prefix, const char *text)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, prefix);
	cli_add_text(&sb, text);
	sbuf_addch(&sb, '\n');
	cli_out(f, sb.buf);
	sbuf_release(&sb);
}

static void format_when(time_t t, char *out, size_t size)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

static void print_dry_run(const struct mail_send_series *s,
			  const char *envelope)
{
	for (size_t i = 0; i < s->msgs.n; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];
		struct sbuf sb = SBUF_INIT;

		if (m->status == MAIL_SEND_SENT) {
			char when[32];

			format_when(m->sent_at, when, sizeof(when));
			sbuf_addf(&sb, "(sent on %s) ", when);
			print_line(stdout, sb.buf, m->subject);
			sbuf_release(&sb);
			continue;
		}
		print_line(stdout, "Dry-Sent ", m->subject);
		cli_print_list(stdout, "    To: ", &m->to);
		cli_print_list(stdout, "    Cc: ", &m->cc);
		sbuf_addstr(&sb, "    MAIL FROM:<");
		cli_add_text(&sb, envelope);
		sbuf_addstr(&sb, "> RCPT TO:");
		for (size_t j = 0; j < m->rcpts.n; j++) {
			sbuf_addstr(&sb, j ? ",<" : "<");
			cli_add_text(&sb, m->rcpts.items[j]);
			sbuf_addch(&sb, '>');
		}
		sbuf_addch(&sb, '\n');
		cli_out(stdout, sb.buf);
		sbuf_release(&sb);
	}
}

static void print_summary(const struct front_send *fs, const char *from)
{
	const struct mail_send_series *s = front_send_series(fs);
	size_t todo = front_send_todo(fs);
	struct vec to = VEC_INIT, cc = VEC_INIT;
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%zu message%s from ", todo, todo == 1 ? "" : "s");
	cli_add_text(&sb, from);
	sbuf_addf(&sb, " via %s:", front_send_url(fs));
	cli_outf(stdout, "%s\n", sb.buf);
	for (size_t i = 0; i < s->msgs.n; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];

		if (m->status == MAIL_SEND_SENT) {
			char when[32];

			sbuf_reset(&sb);
			format_when(m->sent_at, when, sizeof(when));
			sbuf_addf(&sb, "  (sent on %s, skipped) ", when);
			print_line(stdout, sb.buf, m->subject);
		} else {
			print_line(stdout, "  ", m->subject);
		}
	}
	front_send_recipients(fs, &to, &cc);
	cli_print_list(stdout, "To: ", &to);
	cli_print_list(stdout, "Cc: ", &cc);
	fflush(stdout);
	vec_release_str(&to);
	vec_release_str(&cc);
	sbuf_release(&sb);
}

/* ---- options and configuration ---- */

static int parse_args(int argc, char **argv, struct send_args *a)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, OPT_TO },
		{ "cc", required_argument, NULL, OPT_CC },
		{ "bcc", required_argument, NULL, OPT_BCC },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "yes", no_argument, NULL, 'y' },
		{ "force-closed-tree", no_argument, NULL, OPT_FORCE_CLOSED },
		{ "resume", no_argument, NULL, OPT_RESUME },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "thread", no_argument, NULL, OPT_THREAD },
		{ "no-thread", no_argument, NULL, OPT_NO_THREAD },
		{ "smtp-server", required_argument, NULL, OPT_SERVER },
		{ "smtp-server-port", required_argument, NULL, OPT_PORT },
		{ "smtp-encryption", required_argument, NULL, OPT_ENCRYPTION },
		{ "smtp-user", required_argument, NULL, OPT_USER },
		{ "smtp-domain", required_argument, NULL, OPT_DOMAIN },
		{ "smtp-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	optind = 1;
	for (;;) {
		c = getopt_long(argc, argv, "+:y", opts, NULL);
		if (c == -1) {
			/* files before, between and after the options */
			if (optind >= argc)
				break;
			if (!strcmp(argv[optind - 1], "--")) {
				while (optind < argc)
					vec_push(&a->files, argv[optind++]);
				break;
			}
			vec_push(&a->files, argv[optind++]);
			continue;
		}
		switch (c) {
		case OPT_TO:
			vec_push(&a->to, optarg);
			break;
		case OPT_CC:
			vec_push(&a->cc, optarg);
			break;
		case OPT_BCC:
			vec_push(&a->bcc, optarg);
			break;
		case OPT_FROM:
			a->from = optarg;
			break;
		case OPT_IDENTITY:
			a->identity = optarg;
			break;
		case OPT_DRY_RUN:
			a->dry_run = 1;
			break;
		case 'y':
			a->yes = 1;
			break;
		case OPT_FORCE_CLOSED:
			a->force_closed = 1;
			break;
		case OPT_RESUME:
			a->resume = 1;
			break;
		case OPT_PARTIAL:
			a->partial = 1;
			break;
		case OPT_THREAD:
			a->thread = 1;
			break;
		case OPT_NO_THREAD:
			a->thread = 0;
			break;
		case OPT_SERVER:
			a->server = optarg;
			break;
		case OPT_PORT:
			a->port = optarg;
			break;
		case OPT_ENCRYPTION:
			a->encryption = optarg;
			break;
		case OPT_USER:
			a->user = optarg;
			break;
		case OPT_DOMAIN:
			a->domain = optarg;
			break;
		case OPT_TIMEOUT:
			if (str_to_long(optarg, &a->timeout) ||
			    a->timeout < 1 || a->timeout > 3600)
				return cli_usage_error("send", "--smtp-timeout "
						       "wants seconds (1 to "
						       "3600), not '%s'",
						       optarg);
			break;
		case OPT_HELP:
			cli_print_usage("send");
			return -1;
		default:
			return cli_bad_option("send", argv, c);
		}
	}
	if (!a->files.n)
		return cli_usage_error("send", "give a directory or patch "
				       "files to send");
	if (a->port) {
		long port = 0;
		int bad;

		if (str_to_long(a->port, &port))
			bad = !getservbyname(a->port, "tcp");	/* "submission" */
		else
			bad = port < 1 || port > 65535;
		if (bad)
			return cli_usage_error("send", "--smtp-server-port "
					       "wants a port, not '%s'",
					       a->port);
	}
	if (a->encryption && strcmp(a->encryption, "tls") &&
	    strcmp(a->encryption, "ssl") && strcmp(a->encryption, "none"))
		return cli_usage_error("send", "--smtp-encryption is tls, ssl "
				       "or none, not '%s'", a->encryption);
	return 0;
}

/* ---- the hooks: the terminal's answers, the progress printed ---- */

struct send_ui {
	const struct front_send *fs;
	const char *from;
	struct sigaction old_int, old_term, old_hup, old_pipe;
};

static void ui_say(void *data, enum front_say kind, const char *text)
{
	(void)data;
	print_line(stderr, kind == FRONT_WARNING ? "vger send: warning: " :
		   "vger send: ", text);
}

/*
 * The questions on the terminal.  Without one, the error says which
 * option answers it (--yes does not answer for a closed tree); an
 * answer no is "nothing sent".
 */
static int ui_ask(void *data, enum front_question q, const char *question,
		  const char *detail)
{
	struct send_ui *ui = data;
	struct sbuf sb = SBUF_INIT;
	int yes;

	if (q == FRONT_ASK_CONFIRM)
		print_summary(ui->fs, ui->from);
	cli_add_text(&sb, question);
	sbuf_addstr(&sb, " [y/N] ");
	yes = cli_tty_yes(sb.buf);
	sbuf_reset(&sb);
	if (yes < 0) {
		sbuf_addstr(&sb, "vger send: error: ");
		if (q == FRONT_ASK_CLOSED_TREE) {
			cli_add_text(&sb, detail);
			sbuf_addstr(&sb, " is closed for the merge window and "
				    "there is no terminal to ask on; "
				    "--force-closed-tree sends anyway (--yes "
				    "does not)\n");
		} else if (q == FRONT_ASK_RESUME) {
			cli_add_text(&sb, detail);
			sbuf_addstr(&sb, " and there is no terminal to ask on: "
				    "--resume sends the rest\n");
		} else if (q == FRONT_ASK_FILE_BCC) {
			sbuf_addstr(&sb, "the files ask for blind copies to ");
			cli_add_text(&sb, detail);
			sbuf_addstr(&sb, " and there is no terminal to ask on "
				    "(--yes does not answer it): take the Bcc: "
				    "header out of the files, and give --bcc "
				    "for a blind copy you want\n");
		} else {
			sbuf_addstr(&sb, "no terminal to ask on: --yes sends "
				    "without asking\n");
		}
		cli_out(stderr, sb.buf);
	} else if (!yes) {
		cli_out(stderr, "vger send: nothing sent\n");
	}
	sbuf_release(&sb);
	return yes < 0 ? FRONT_CANNOT_ASK : yes ? FRONT_YES : FRONT_NO;
}

static char *ui_password(void *data, const char *prompt)
{
	(void)data;
	return cli_ask_password("send", prompt);
}

/*
 * A line a message; SIGINT, SIGTERM and SIGHUP only set the flag the
 * flow and the SMTP client poll while messages go out.
 */
static void ui_progress(void *data, const struct front_progress *p)
{
	struct send_ui *ui = data;
	struct sigaction sa;

	switch (p->step) {
	case FRONT_SEND_BEGIN:
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &ui->old_int);
		sigaction(SIGTERM, &sa, &ui->old_term);
		sigaction(SIGHUP, &sa, &ui->old_hup);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, &ui->old_pipe);
		break;
	case FRONT_SEND_SENT:
		print_line(stdout, "Sent ", p->subject);
		fflush(stdout);
		break;
	case FRONT_SEND_FAILED:
	case FRONT_SEND_UNSURE: {
		struct sbuf sb = SBUF_INIT;

		sbuf_addstr(&sb, "vger send: error: ");
		cli_add_text(&sb, p->path);
		sbuf_addstr(&sb, ": ");
		cli_add_text(&sb, p->why);
		sbuf_addch(&sb, '\n');
		cli_out(stderr, sb.buf);
		sbuf_release(&sb);
		break;
	}
	case FRONT_SEND_END:
		sigaction(SIGINT, &ui->old_int, NULL);
		sigaction(SIGTERM, &ui->old_term, NULL);
		sigaction(SIGHUP, &ui->old_hup, NULL);
		sigaction(SIGPIPE, &ui->old_pipe, NULL);
		break;
	default:
		break;
	}
}

static int ui_interrupted(void *data)
{
	(void)data;
	return send_interrupted;
}

/* How the run ended, when it did not send everything. */
static int say_outcome(const struct front_send_result *res,
		       const char *record)
{
	switch (res->outcome) {
	case FRONT_SEND_DONE:
	case FRONT_SEND_NOTHING:
		return CLI_OK;
	case FRONT_SEND_DRY_RUN:
		cli_out(stderr, "vger send: dry run: nothing sent\n");
		return CLI_OK;
	case FRONT_SEND_DECLINED:
		return CLI_FAIL;	/* the hooks said why */
	case FRONT_SEND_INTERRUPTED:
		cli_out(stderr, "vger send: interrupted\n");
		break;
	case FRONT_SEND_STOPPED:
		break;
	}
	cli_outf(stderr, "vger send: %zu of %zu messages sent (record %s); "
		 "the same vger send with --resume sends the rest\n", res->sent,
		 res->total, record);
	return CLI_FAIL;
}

int cmd_send(int argc, char **argv)
{
	struct send_args a;
	struct front_sendconf conf = FRONT_SENDCONF_INIT;
	struct front_sendconf_args ca;
	struct front_send_options o;
	struct front_send *fs = NULL;
	struct front_send_result res;
	struct send_ui ui;
	struct front_hooks hooks = { ui_say, ui_ask, ui_password, ui_progress,
				     ui_interrupted, &ui };
	struct front_config *cfg = NULL;
	struct vec files = VEC_INIT;
	struct err err = ERR_INIT;
	int ret;

	memset(&a, 0, sizeof(a));
	a.thread = -1;
	ret = parse_args(argc, argv, &a);
	if (ret) {
		ret = ret < 0 ? CLI_OK : ret;
		goto out;
	}
	if (front_config_open(&cfg, NULL, &err) ||
	    front_send_collect((const char *const *)a.files.items, a.files.n,
			       &files, &err)) {
		ret = err.code == ERR_USAGE ?
			cli_usage_error("send", "%s", err.msg) :
			cli_fail("send", &err);
		goto out;
	}
	ret = CLI_FAIL;
	memset(&ca, 0, sizeof(ca));
	ca.identity = a.identity;
	ca.from = a.from;
	ca.to = &a.to;
	ca.cc = &a.cc;
	ca.bcc = &a.bcc;
	ca.server = a.server;
	ca.port = a.port;
	ca.encryption = a.encryption;
	ca.user = a.user;
	ca.domain = a.domain;
	ca.timeout = a.timeout;
	if (front_sendconf_read(&conf, cfg, &ca, &err)) {
		cli_fail("send", &err);
		goto out;
	}
	conf.smtp.interrupted = &send_interrupted;
	memset(&o, 0, sizeof(o));
	o.files = (const char *const *)files.items;
	o.nfiles = files.n;
	o.from = conf.sender;
	o.to = &conf.to;
	o.cc = &conf.cc;
	o.bcc = &conf.bcc;
	o.thread = a.thread >= 0 ? a.thread : conf.thread;
	o.smtp = &conf.smtp;
	o.envelope = conf.envelope;
	o.fcc = conf.fcc;
	o.dry_run = a.dry_run;
	o.yes = a.yes;
	o.force_closed_tree = a.force_closed;
	o.resume = a.resume;
	o.partial = a.partial;
	o.cfg = cfg;
	o.credential_host = conf.credential_host;
	/* everything is read and checked before anything is sent */
	if (front_send_open(&fs, &o, &err)) {
		cli_fail("send", &err);
		goto out;
	}
	if (!front_send_todo(fs)) {
		const struct mail_send_series *s = front_send_series(fs);
		const struct mail_send_msg *m = s->msgs.items[s->msgs.n - 1];
		char when[32];

		format_when(m->sent_at, when, sizeof(when));
		cli_outf(stderr, "vger send: every message of this series was "
			 "sent, the last on %s (record %s); nothing to send\n",
			 when, front_send_record(fs));
		ret = CLI_OK;
		goto out;
	}
	if (a.dry_run)
		print_dry_run(front_send_series(fs), conf.envelope);
	memset(&ui, 0, sizeof(ui));
	ui.fs = fs;
	ui.from = conf.sender;
	if (front_send_run(fs, &hooks, &res, &err))
		cli_fail("send", &err);
	else
		ret = say_outcome(&res, front_send_record(fs));
out:
	front_send_free(fs);
	front_sendconf_release(&conf);
	front_config_free(cfg);
	vec_release(&a.to, NULL);
	vec_release(&a.cc, NULL);
	vec_release(&a.bcc, NULL);
	vec_release(&a.files, NULL);
	vec_release_str(&files);
	return ret;
}
