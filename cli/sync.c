/*
 * vger sync: lei up of the lists vger init set up, notmuch new, and
 * the series model brought up to date (front/sync.c); one line per
 * step with its counts.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/sync.h"
#include "front/sync.h"
#include "util/err.h"
#include "util/sbuf.h"

const char cli_usage_sync[] =
"usage: vger sync [-v | --verbose]\n"
"\n"
"Fetch what is new on the lists vger init set up and index it: `lei up`\n"
"of each list's saved search into its Maildir, `notmuch new`, then the\n"
"series model's incremental update.  One line per step with its counts:\n"
"new messages per list, what notmuch added, the messages the model read,\n"
"new series and new versions.  A list that cannot be fetched is said and\n"
"the others go on; the exit status is then 1, and the next vger sync\n"
"fetches what was missed.  Ctrl-C stops the running step; nothing\n"
"fetched is lost.\n"
"\n"
"    -v, --verbose   also print what lei and notmuch print\n"
"\n"
"Configuration: vger.list.<name>, vger.maildir, vger.query (written by\n"
"vger init), vger.database, vger.syncTimeout (seconds without data\n"
"before a fetch gives up, default 60).\n";

static volatile sig_atomic_t sync_stop;

static void on_signal(int sig)
{
	(void)sig;
	sync_stop = 1;
}

void cli_sync_say(enum front_say kind, const char *text, void *data)
{
	const struct cli_sync_out *o = data;
	struct sbuf sb = SBUF_INIT;

	cli_add_text(&sb, text);
	switch (kind) {
	case FRONT_SAY_STEP:
		cli_outf(stdout, "%s ...\n", sb.buf);
		break;
	case FRONT_SAY_DONE:
	case FRONT_SAY_PLAN:
		cli_outf(stdout, "%s\n", sb.buf);
		break;
	case FRONT_SAY_PROGRESS:
		if (o->verbose)
			cli_outf(stdout, "    %s\n", sb.buf);
		break;
	case FRONT_SAY_WARN:
		cli_warn(o->cmd, "%s", sb.buf);
		break;
	case FRONT_SAY_ERROR:
		fflush(stdout);
		cli_outf(stderr, "vger %s: error: %s\n", o->cmd, sb.buf);
		break;
	}
	fflush(stdout);
	sbuf_release(&sb);
}

int cli_sync_signals(struct sigaction old[3], int restore)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(sigs[i], restore ? &old[i] : &sa,
			  restore ? NULL : &old[i]);
	return 0;
}

volatile sig_atomic_t *cli_sync_stop(void)
{
	return &sync_stop;
}

int cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_sync_out out = { "sync", 0 };
	struct front_sync_hooks h = { cli_sync_say, &out, &sync_stop };
	struct front_sync_result r;
	struct sigaction old[3];
	struct err err = ERR_INIT;
	int c, ret;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:v", opts, NULL)) != -1) {
		if (c != 'v')
			return cli_bad_option("sync", argv, c);
		out.verbose = 1;
	}
	if (optind < argc)
		return cli_usage_error("sync", "unexpected argument '%s'",
				       argv[optind]);
	cli_sync_signals(old, 0);
	ret = front_sync(&h, &r, &err);
	cli_sync_signals(old, 1);
	if (ret < 0)
		return cli_fail("sync", &err);
	return CLI_OK;
}
