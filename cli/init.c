/*
 * vger init: a lei saved search of a lore inbox into a Maildir that a
 * notmuch database sees, set up once and idempotently
 * (front/sync.c), each step said.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/sync.h"
#include "front/sync.h"
#include "util/err.h"

const char cli_usage_init[] =
"usage: vger init [--list <name>] [--url <url>] [--maildir <dir>]\n"
"                 [--since <date>] [--dry-run] [-v | --verbose]\n"
"\n"
"Set up getting a list from lore.kernel.org (or any public-inbox) with\n"
"lei, for a notmuch database: a lei saved search of the inbox into a\n"
"Maildir with its first fetch, a notmuch configuration and database when\n"
"you have none (an existing one is used, never overwritten), and git\n"
"config (vger.list.<name>, vger.maildir, vger.query when more lists than\n"
"bpf are set up).  Each step is said; what is there already is kept, so\n"
"running it again changes nothing.  Then vger sync indexes the mail and\n"
"keeps it current.  Run it again with another --list to add a list to\n"
"the same database: vger series and the TUI then show them all.\n"
"\n"
"    --list <name>     the lore inbox (default: bpf, or the end of --url)\n"
"    --url <url>       the public-inbox to fetch from (default:\n"
"                      https://lore.kernel.org/<name>/)\n"
"    --maildir <dir>   where the lists' Maildirs go (default: vger.maildir,\n"
"                      else lore/ under notmuch's mail root, else\n"
"                      $XDG_DATA_HOME/vger/mail/lore)\n"
"    --since <date>    how far back to fetch, as lei reads dates (default:\n"
"                      3.months.ago)\n"
"    --dry-run         print the commands it would run and the files and\n"
"                      keys it would write, and change nothing\n"
"    -v, --verbose     also print what lei and notmuch print\n"
"\n"
"Needs lei, notmuch and curl (Debian: apt install lei notmuch curl).\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "url", required_argument, NULL, 'u' },
		{ "maildir", required_argument, NULL, 'm' },
		{ "since", required_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct front_init_options o = { NULL, NULL, NULL, NULL, 0 };
	struct cli_sync_out out = { "init", 0 };
	struct front_sync_hooks h = { cli_sync_say, &out, cli_sync_stop() };
	struct sigaction old[3];
	struct err err = ERR_INIT;
	int c, ret;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:v", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o.list = optarg;
			break;
		case 'u':
			o.url = optarg;
			break;
		case 'm':
			o.maildir = optarg;
			break;
		case 's':
			o.since = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'v':
			out.verbose = 1;
			break;
		default:
			return cli_bad_option("init", argv, c);
		}
	}
	if (optind < argc)
		return cli_usage_error("init", "unexpected argument '%s'",
				       argv[optind]);
	cli_sync_signals(old, 0);
	ret = front_init(&o, &h, &err);
	cli_sync_signals(old, 1);
	if (ret == -ERR_USAGE)
		return cli_usage_error("init", "%s", err.msg);
	if (ret < 0)
		return cli_fail("init", &err);
	return CLI_OK;
}
