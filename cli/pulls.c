#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
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

static void print_json(const struct mail_model *m)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < m->pulls.n; i++) {
		const struct mail_pullreq *p = m->pulls.items[i];
		json_object *o = json_object_new_object();
		json_object *carried = json_object_new_array();
		char date[32];

		date_format_iso(p->posted, date, sizeof(date));
		json_object_object_add(o, "message_id", cli_json_str(p->message_id));
		json_object_object_add(o, "tree", cli_json_str(p->tree));
		json_object_object_add(o, "date", cli_json_str(p->date));
		json_object_object_add(o, "posted", json_object_new_string(date));
		json_object_object_add(o, "target", cli_json_str(p->target));
		json_object_object_add(o, "from", cli_json_str(p->from));
		json_object_object_add(o, "commits",
				       json_object_new_int((int)p->ncommits));
		json_object_object_add(o, "applied_to", cli_json_str(p->applied_to));
		for (size_t j = 0; j < p->series.n; j++) {
			json_object *s = json_object_new_object();

			json_object_object_add(s, "message_id",
					       cli_json_str(p->series.items[j]));
			json_object_object_add(s, "title",
					       cli_json_str(j < p->titles.n ?
						    p->titles.items[j] : NULL));
			json_object_array_add(carried, s);
		}
		json_object_object_add(o, "series", carried);
		json_object_array_add(a, o);
	}
	cli_print_json(a);
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
		puts(sb.buf);
		for (size_t j = 0; j < p->titles.n; j++) {
			sbuf_reset(&sb);
			sbuf_addstr(&sb, "    carries: ");
			cli_add_text(&sb, p->titles.items[j]);
			puts(sb.buf);
		}
	}
	sbuf_release(&sb);
}

int cmd_pulls(int argc, char **argv)
{
	struct front_model_args args = { NULL, NULL, 0 };
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
	if (json)
		print_json(m);
	else
		print_text(m);
	mail_model_free(m);
	return CLI_OK;
}
