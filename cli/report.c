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

int cmd_report(int argc, char **argv)
{
	struct cli_draft_args a;
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct front_report_options o;
	struct front_config *cfg = NULL;
	struct vec notes = VEC_INIT;
	struct err err = ERR_INIT;
	char *path = NULL;
	int ret;

	ret = cli_draft_options("report", argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (argc - optind > 1)
		return cli_usage_error("report", "give one commit at most");
	if (front_config_open(&cfg, NULL, &err))
		return cli_fail("report", &err);
	front_model_source_init(&src, &a.model, cfg);
	memset(&o, 0, sizeof(o));
	o.cfg = cfg;
	o.db = src.db;
	o.identity = a.identity;
	o.commit = optind < argc ? argv[optind] : NULL;
	if (front_report(&o, &path, &notes, &err)) {
		ret = err.code == ERR_USAGE ?
			cli_usage_error("report", "%s", err.msg) :
			cli_fail("report", &err);
		goto out;
	}
	cli_print_notes("report", &notes);
	ret = a.print ? cli_print_draft("report", path) :
		cli_compose("report", cfg, src.db, a.identity, path);
out:
	vec_release_str(&notes);
	free(path);
	front_model_source_release(&src);
	front_config_free(cfg);
	return ret;
}
