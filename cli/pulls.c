#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/printer.h"
#include "front/model.h"
#include "mail/model.h"
#include "util/date.h"
#include "util/sbuf.h"

const char cli_usage_pulls[] =
"usage: vger pulls [--db <path>] [--query <query>] [--json] [--no-cache]\n"
"\n"
"List the pull requests on the list ('pull-request: bpf-next YYYY-MM-DD',\n"
"'[GIT PULL]'), newest first, with their tree, target, the number of\n"
"commits, whether the patchwork bot saw them applied, and the series\n"
"they carry (matched by the titles in their shortlog).\n"
"\n"
"    --db <path>       notmuch database (default: vger.database)\n"
"    --query <query>   notmuch query (default: vger.query)\n"
"    --json            a JSON array\n"
"    --no-cache        neither read nor write ~/.cache/vger\n";

static const struct option pulls_opts[] = {
	CLI_MODEL_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

/*
 * The pulls, newest first.  The text (print_text()) is not this
 * description: its line has the fields in another order, with
 * defaults and words of its own ("not seen applied").
 */
static void describe_json(struct cli_printer *p, const struct mail_model *m)
{
	cli_pr_list(p, NULL);
	for (size_t i = 0; i < m->pulls.n; i++) {
		const struct mail_pullreq *r = m->pulls.items[i];
		char date[32];

		date_format_iso(r->posted, date, sizeof(date));
		cli_pr_map(p, NULL);
		cli_pr_str(p, "message_id", r->message_id);
		cli_pr_str(p, "tree", r->tree);
		cli_pr_str(p, "date", r->date);
		cli_pr_str(p, "posted", date);
		cli_pr_str(p, "target", r->target);
		cli_pr_str(p, "from", r->from);
		cli_pr_int(p, "commits", r->ncommits);
		cli_pr_str(p, "applied_to", r->applied_to);
		cli_pr_list(p, "series");
		for (size_t j = 0; j < r->series.n; j++) {
			cli_pr_map(p, NULL);
			cli_pr_str(p, "message_id", r->series.items[j]);
			cli_pr_str(p, "title", j < r->titles.n ?
				   (const char *)r->titles.items[j] : NULL);
			cli_pr_end(p);
		}
		cli_pr_end(p);
		cli_pr_end(p);
	}
	cli_pr_end(p);
}

static void print_text(const struct mail_model *m)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < m->pulls.n; i++) {
		const struct mail_pullreq *p = m->pulls.items[i];
		char date[16];

		date_format_ymd(date_of_time(p->posted), date, sizeof(date));
		sbuf_reset(&sb);
		sbuf_addf(&sb, "%s  pull-request: ", date);
		cli_add_text(&sb, p->tree ? p->tree : "?");
		sbuf_addch(&sb, ' ');
		cli_add_text(&sb, p->date ? p->date : "");
		sbuf_addstr(&sb, " -> ");
		cli_add_text(&sb, p->target ? p->target : "?");
		sbuf_addf(&sb, ", %u commit%s, ", p->ncommits,
			  p->ncommits == 1 ? "" : "s");
		if (p->applied_to) {
			sbuf_addstr(&sb, "applied to ");
			cli_add_text(&sb, p->applied_to);
		} else {
			sbuf_addstr(&sb, "not seen applied");
		}
		sbuf_addstr(&sb, "; ");
		cli_add_text(&sb, p->from);
		cli_outf(stdout, "%s\n", sb.buf);
		for (size_t j = 0; j < p->titles.n; j++) {
			sbuf_reset(&sb);
			sbuf_addstr(&sb, "    carries: ");
			cli_add_text(&sb, p->titles.items[j]);
			cli_outf(stdout, "%s\n", sb.buf);
		}
	}
	sbuf_release(&sb);
}

int cmd_pulls(int argc, char **argv)
{
	struct front_model_args args = { NULL, NULL, 0, 0 };
	struct mail_model *m = NULL;
	int json = 0, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", pulls_opts, NULL)) != -1) {
		if (!cli_model_option(c, optarg, &args, &json))
			return cli_bad_option("pulls", argv, c);
	}
	if (optind < argc)
		return cli_usage_error("pulls", "unexpected argument '%s'",
				       argv[optind]);
	/* A cached listing holds every pull; one series is the least. */
	if (cli_model_load("pulls", &args, 1, &m))
		return CLI_FAIL;
	if (json) {
		struct cli_printer *p = cli_printer_new(stdout, 1);

		describe_json(p, m);
		cli_printer_free(p);
	} else {
		print_text(m);
	}
	mail_model_free(m);
	return CLI_OK;
}
