#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/compose.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/tty.h"
#include "front/compose.h"
#include "front/editor.h"
#include "front/hooks.h"
#include "front/send.h"
#include "mail/send.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

static volatile sig_atomic_t compose_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	compose_interrupted = 1;
}

/* One line of mail text, made safe, on stderr. */
static void say(const char *cmd, const char *prefix, const char *text)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "vger %s: %s", cmd, prefix);
	cli_add_text(&sb, text);
	sbuf_addch(&sb, '\n');
	cli_out(stderr, sb.buf);
	sbuf_release(&sb);
}

/* What the draft sends, to whom; -1 (said) when it does not read. */
static int show(const char *cmd, const struct front_draft_options *o)
{
	struct front_draft *d = NULL;
	struct err err = ERR_INIT;
	const struct mail_send_msg *m;
	struct sbuf sb = SBUF_INIT;
	int ret = -1;

	if (front_draft_open(&d, o, &err)) {
		say(cmd, "error: ", err.msg);
		goto out;
	}
	m = front_draft_message(d);
	sbuf_addstr(&sb, "Subject: ");
	cli_add_text(&sb, m->subject);
	sbuf_addstr(&sb, "\nvia ");
	cli_add_text(&sb, front_draft_url(d));
	cli_outf(stdout, "%s\n", sb.buf);
	cli_print_list(stdout, "To: ", &m->to);
	cli_print_list(stdout, "Cc: ", &m->cc);
	fflush(stdout);
	ret = 0;
out:
	sbuf_release(&sb);
	front_draft_free(d);
	return ret;
}

struct hook_ctx {
	const char *cmd;
};

static void hook_say(void *data, enum front_say kind, const char *text)
{
	struct hook_ctx *h = data;

	say(h->cmd, kind == FRONT_WARNING ? "warning: " : "", text);
}

static char *hook_password(void *data, const char *prompt)
{
	struct hook_ctx *h = data;

	return cli_ask_password(h->cmd, prompt);
}

static void hook_progress(void *data, const struct front_progress *p)
{
	struct hook_ctx *h = data;

	if (p->step == FRONT_SEND_SENT)
		say(h->cmd, "sent ", p->subject);
	else if (p->step == FRONT_SEND_FAILED || p->step == FRONT_SEND_UNSURE)
		say(h->cmd, "error: ", p->why);
}

static int hook_interrupted(void *data)
{
	(void)data;
	return compose_interrupted;
}

static int send_draft(const char *cmd, const struct front_draft_options *o)
{
	struct front_draft *d = NULL;
	struct front_send_result res;
	struct err err = ERR_INIT;
	struct hook_ctx ctx = { cmd };
	struct front_hooks h = { hook_say, NULL, hook_password, hook_progress,
				 hook_interrupted, &ctx };
	struct sigaction sa, old_int, old_term;
	int ret = CLI_FAIL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (front_draft_open(&d, o, &err) ||
	    front_draft_send(d, &h, &res, &err))
		say(cmd, "error: ", err.msg);
	else if (res.outcome == FRONT_SEND_DONE ||
		 res.outcome == FRONT_SEND_NOTHING)
		ret = CLI_OK;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	front_draft_free(d);
	return ret;
}

int cli_compose(const char *cmd, struct front_config *cfg, const char *db,
		const char *identity, const char *path)
{
	struct front_draft_options o;
	struct sbuf answer = SBUF_INIT;
	struct err err = ERR_INIT;
	char *editor = front_editor(cfg, FRONT_EDITOR_MAIL);
	int ret = CLI_FAIL;

	memset(&o, 0, sizeof(o));
	o.cfg = cfg;
	o.db = db;
	o.identity = identity;
	o.path = path;
	o.dry_run = 1;
	o.interrupted = &compose_interrupted;
	if (!editor) {
		say(cmd, "error: no editor (set VISUAL, EDITOR or "
		    "core.editor); the draft is kept: ", path);
		goto out;
	}
	for (;;) {
		int rc = front_editor_run(editor, path, &err);

		if (rc) {
			struct sbuf msg = SBUF_INIT;

			if (rc < 0)
				sbuf_addf(&msg, "error: %s", err.msg);
			else if (rc == 127)
				sbuf_addf(&msg, "error: the editor '%s' could "
					  "not be run", editor);
			else
				sbuf_addf(&msg, "error: the editor '%s' "
					  "exited with status %d", editor, rc);
			sbuf_addstr(&msg, "; the draft is kept: ");
			say(cmd, msg.buf, path);
			sbuf_release(&msg);
			goto out;
		}
		if (show(cmd, &o)) {
			rc = cli_tty_line("Edit again, postpone or discard? "
					  "[e/p/d] ", &answer);
		} else {
			rc = cli_tty_line("Send, edit again, postpone or "
					  "discard? [s/e/p/d] ", &answer);
			if (!rc && (!strcmp(answer.buf, "s") ||
				    !strcmp(answer.buf, "send"))) {
				o.dry_run = 0;
				ret = send_draft(cmd, &o);
				o.dry_run = 1;
				if (ret == CLI_OK)
					break;
				say(cmd, "the draft is kept: ", path);
				goto out;
			}
		}
		if (rc) {
			say(cmd, rc < 0 ? "no terminal to ask on; the draft "
			    "is kept: " : "the draft is kept: ", path);
			goto out;
		}
		if (!strcmp(answer.buf, "e") || !strcmp(answer.buf, "edit"))
			continue;
		if (!strcmp(answer.buf, "d") ||
		    !strcmp(answer.buf, "discard")) {
			if (front_draft_discard(path, &err))
				say(cmd, "error: ", err.msg);
			else
				say(cmd, "discarded ", path);
			ret = CLI_OK;
			break;
		}
		/* postpone, and anything else: kept, never lost */
		say(cmd, "postponed: ", path);
		ret = CLI_OK;
		break;
	}
out:
	sbuf_release(&answer);
	free(editor);
	return ret;
}

/* Print the draft at path and remove it; the exit status. */
int cli_print_draft(const char *cmd, const char *path)
{
	struct sbuf text = SBUF_INIT, out = SBUF_INIT;
	struct err err = ERR_INIT;
	int ret = CLI_OK;

	if (sbuf_read_file(&text, path, 1 << 20, &err)) {
		cli_fail(cmd, &err);
		ret = CLI_FAIL;
	} else {
		for (const char *p = text.buf; *p;) {
			size_t n = strcspn(p, "\n");
			char *line = xstrndup(p, n);

			cli_add_text(&out, line);
			sbuf_addch(&out, '\n');
			free(line);
			p += n + (p[n] == '\n');
		}
		cli_out(stdout, out.buf);
	}
	front_draft_discard(path, NULL);
	sbuf_release(&text);
	sbuf_release(&out);
	return ret;
}

void cli_print_notes(const char *cmd, const struct vec *notes)
{
	for (size_t i = 0; i < notes->n; i++)
		cli_warn(cmd, "%s", (const char *)notes->items[i]);
}

enum { OPT_DB = 256, OPT_IDENTITY, OPT_PRINT, OPT_HELP };

int cli_draft_options(const char *cmd, int argc, char **argv,
		      struct cli_draft_args *a)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "print", no_argument, NULL, OPT_PRINT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			a->model.db = optarg;
			break;
		case OPT_IDENTITY:
			a->identity = optarg;
			break;
		case OPT_PRINT:
			a->print = 1;
			break;
		case OPT_HELP:
			return cli_print_usage(cmd);
		default:
			return cli_bad_option(cmd, argv, c);
		}
	}
	return -1;
}
