/*
 * vger report: a bug report as the BPF FAQ asks for it, written in the
 * editor and sent like any vger mail (front/report.h, cli/compose.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/compose.h"
#include "cli/model.h"
#include "front/gitconfig.h"
#include "front/model.h"
#include "front/report.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"

const char cli_usage_report[] =
"usage: vger report [options] [<commit>]\n"
"\n"
"Write a bug report the way the BPF FAQ asks for it, in a kernel tree:\n"
"To bpf@vger.kernel.org; Cc the BPF maintainers as MAINTAINERS names\n"
"them and, for the buggy <commit>, the lists of the files it touches\n"
"(netdev for networking), its author, committer and the people of its\n"
"Signed-off-by, Acked-by and Reviewed-by lines (.mailmap applied); the\n"
"body names the commit as a Fixes: line does.  The draft opens in\n"
"$VISUAL or $EDITOR (core.editor), then: send, edit, postpone or\n"
"discard.  It stays in the drafts maildir (vger.drafts) until it is\n"
"sent or discarded; the TUI's :drafts resumes it.\n"
"\n"
"Options:\n"
"  --db <path>           the notmuch database (vger.database)\n"
"  --identity <name>     the [sendemail \"<name>\"] settings\n"
"  --print               print the draft instead of editing it (and\n"
"                        keep none)\n"
"\n"
"Exit status 0 when the report was sent, postponed or discarded, 1\n"
"otherwise, 2 for a usage error.\n";

enum { OPT_DB = 256, OPT_IDENTITY, OPT_PRINT, OPT_HELP };

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "print", no_argument, NULL, OPT_PRINT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct front_model_args args;
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct front_report_options o;
	struct front_config *cfg = NULL;
	struct vec notes = VEC_INIT;
	struct err err = ERR_INIT;
	const char *identity = NULL;
	char *path = NULL;
	int print = 0, c, ret;

	memset(&args, 0, sizeof(args));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			args.db = optarg;
			break;
		case OPT_IDENTITY:
			identity = optarg;
			break;
		case OPT_PRINT:
			print = 1;
			break;
		case OPT_HELP:
			return cli_print_usage("report");
		default:
			return cli_bad_option("report", argv, c);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("report", "give one commit at most");
	if (front_config_open(&cfg, NULL, &err))
		return cli_fail("report", &err);
	front_model_source_init(&src, &args, cfg);
	memset(&o, 0, sizeof(o));
	o.cfg = cfg;
	o.db = src.db;
	o.identity = identity;
	o.commit = optind < argc ? argv[optind] : NULL;
	if (front_report(&o, &path, &notes, &err)) {
		ret = err.code == ERR_USAGE ?
			cli_usage_error("report", "%s", err.msg) :
			cli_fail("report", &err);
		goto out;
	}
	cli_print_notes("report", &notes);
	ret = print ? cli_print_draft("report", path) :
		cli_compose("report", cfg, src.db, identity, path);
out:
	vec_release_str(&notes);
	free(path);
	front_model_source_release(&src);
	front_config_free(cfg);
	return ret;
}
