/*
 * vger stable: ask for a fix in the stable kernels the way the BPF FAQ
 * asks for it: the stable branches looked at first, then a request to
 * the BPF maintainers with netdev in Cc, never Cc: stable
 * (front/report.h, cli/compose.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/compose.h"
#include "cli/model.h"
#include "cli/out.h"
#include "front/gitconfig.h"
#include "front/model.h"
#include "front/report.h"
#include "series/history.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"

const char cli_usage_stable[] =
"usage: vger stable [options] <commit>\n"
"\n"
"Ask for a fix in the stable kernels the way the BPF FAQ asks for it.\n"
"First look for <commit> in the stable branches (linux-*.y, local or\n"
"remote-tracking) of this repository, else of vger.linux: a branch has\n"
"it when it contains the commit, or a backport whose message says\n"
"\"commit <id> upstream\" or \"[ Upstream commit <id> ]\".  For the\n"
"branches that lack it (and, when the commit has a Fixes: line, have\n"
"the bug), write the request: To the BPF maintainers as MAINTAINERS\n"
"names them, Cc netdev@vger.kernel.org, never Cc stable@vger.kernel.org.\n"
"The draft opens in the editor, then: send, edit, postpone or discard.\n"
"\n"
"Options:\n"
"  --db <path>           the notmuch database (vger.database)\n"
"  --identity <name>     the [sendemail \"<name>\"] settings\n"
"  --print               print the branches and the draft instead of\n"
"                        editing it (and keep none)\n"
"\n"
"Exit status 0 when every branch has it, or the request was sent,\n"
"postponed or discarded; 1 otherwise; 2 for a usage error.\n";

static void print_branches(const struct front_stable_result *res)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, "commit ");
	cli_add_text(&sb, res->reference);
	sbuf_addch(&sb, '\n');
	if (res->fixes) {
		sbuf_addstr(&sb, "fixes  ");
		cli_add_text(&sb, res->fixes);
		sbuf_addch(&sb, '\n');
	}
	for (size_t i = 0; i < res->branches.n; i++) {
		const struct series_stable *s = res->branches.items[i];

		sbuf_addstr(&sb, "  ");
		cli_add_cell(&sb, s->branch, 24);
		if (s->carried_as && !strcmp(s->carried_as, res->id))
			sbuf_addstr(&sb, " has it (the commit itself)\n");
		else if (s->carried_as)
			sbuf_addf(&sb, " has it as %.12s\n", s->carried_as);
		else if (!s->has_bug)
			sbuf_addstr(&sb, " does not need it (no bug there)\n");
		else
			sbuf_addstr(&sb, " lacks it\n");
	}
	cli_out(stdout, sb.buf);
	fflush(stdout);
	sbuf_release(&sb);
}

int cmd_stable(int argc, char **argv)
{
	struct cli_draft_args a;
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct front_report_options o;
	struct front_stable_result res = FRONT_STABLE_RESULT_INIT;
	struct front_config *cfg = NULL;
	struct vec notes = VEC_INIT;
	struct err err = ERR_INIT;
	int ret;

	ret = cli_draft_options("stable", argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (argc - optind != 1)
		return cli_usage_error("stable", "give the commit to ask for");
	if (front_config_open(&cfg, NULL, &err))
		return cli_fail("stable", &err);
	front_model_source_init(&src, &a.model, cfg);
	memset(&o, 0, sizeof(o));
	o.cfg = cfg;
	o.db = src.db;
	o.identity = a.identity;
	o.commit = argv[optind];
	if (front_stable(&o, &res, &notes, &err)) {
		ret = err.code == ERR_USAGE ?
			cli_usage_error("stable", "%s", err.msg) :
			cli_fail("stable", &err);
		goto out;
	}
	print_branches(&res);
	cli_print_notes("stable", &notes);
	if (!res.draft) {
		cli_out(stdout, "every stable branch that needs it has it: "
			"nothing to ask for\n");
		ret = CLI_OK;
		goto out;
	}
	ret = a.print ? cli_print_draft("stable", res.draft) :
		cli_compose("stable", cfg, src.db, a.identity, res.draft);
out:
	front_stable_result_release(&res);
	vec_release_str(&notes);
	front_model_source_release(&src);
	front_config_free(cfg);
	return ret;
}
