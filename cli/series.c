#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/printer.h"
#include "front/clock.h"
#include "front/model.h"
#include "front/row.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "mail/version.h"
#include "util/date.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"

const char cli_usage_series[] =
"usage: vger series [--db <path>] [--query <query>] [--limit <n>] [--json]\n"
"                   [--no-cache]\n"
"\n"
"List the patch series on the list, newest activity first: one line per\n"
"series with the date of its last activity, tree, latest version, patches\n"
"received/expected, acks/reviews/tests (A R T), state, author and title.\n"
"\n"
"    --db <path>       notmuch database (default: vger.database, else\n"
"                      notmuch's own configuration)\n"
"    --query <query>   notmuch query (default: vger.query, else\n"
"                      'to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org')\n"
"    -n, --limit <n>   show the first n series (default: all)\n"
"    --json            a JSON array with every version of every series\n"
"    --no-cache        build from the database, neither reading nor\n"
"                      writing ~/.cache/vger\n";

static const struct option series_opts[] = {
	CLI_MODEL_OPTIONS,
	{ "limit", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

static void describe_given(struct cli_printer *p, const char *key,
			   const struct mail_version *v,
			   enum mail_trailer_kind kind)
{
	struct vec addrs = VEC_INIT;

	mail_version_given_addresses(v, kind, &addrs);
	cli_pr_list(p, key);
	for (size_t i = 0; i < addrs.n; i++)
		cli_pr_str(p, NULL, addrs.items[i]);
	cli_pr_end(p);
	vec_release(&addrs, NULL);
}

static void describe_version(struct cli_printer *p,
			     const struct mail_version *v, time_t now)
{
	char date[32];

	date_format_iso(v->date, date, sizeof(date));
	cli_pr_map(p, NULL);
	cli_pr_int(p, "version", (int)v->version);
	cli_pr_str(p, "message_id", v->message_id);
	cli_pr_str(p, "date", date);
	cli_pr_bool(p, "rfc", !!(v->flags & MAIL_SUBJECT_RFC));
	cli_pr_int(p, "patches_expected", (int)v->patches_expected);
	cli_pr_int(p, "patches_received", (int)v->patches_received);
	cli_pr_bool(p, "has_cover", v->has_cover);
	describe_given(p, "acked_by", v, MAIL_TRAILER_ACKED);
	describe_given(p, "reviewed_by", v, MAIL_TRAILER_REVIEWED);
	describe_given(p, "tested_by", v, MAIL_TRAILER_TESTED);
	describe_given(p, "nacked_by", v, MAIL_TRAILER_NACKED);
	cli_pr_str(p, "state", mail_state_name(v->state));
	cli_pr_str(p, "pw_bot", v->pwbot);
	cli_pr_str(p, "applied_to", v->applied_to);
	cli_pr_str(p, "applied_by", v->applied_by);
	cli_pr_str(p, "pull_request", v->pull_request);
	cli_pr_int(p, "business_days_waiting", mail_version_waited(v, now));
	cli_pr_bool(p, "has_feedback", mail_version_has_feedback(v));
	cli_pr_end(p);
}

/*
 * Every version of every series.  The text (cli_print_series()) is not
 * this description: its line is the row cells of the latest version
 * (front/row.h), which the JSON does not have.
 */
static void describe_json(struct cli_printer *p, const struct mail_model *m,
			  size_t limit, time_t now)
{
	cli_pr_list(p, NULL);
	for (size_t i = 0; i < m->series.n && (!limit || i < limit); i++) {
		const struct mail_series *s = m->series.items[i];

		cli_pr_map(p, NULL);
		cli_pr_str(p, "title", s->title);
		cli_pr_str(p, "author", s->author_email);
		cli_pr_str(p, "author_name", s->author_name);
		cli_pr_str(p, "tree", s->tree);
		cli_pr_list(p, "versions");
		for (size_t j = 0; j < s->versions.n; j++)
			describe_version(p, s->versions.items[j], now);
		cli_pr_end(p);
		cli_pr_end(p);
	}
	cli_pr_end(p);
}

void cli_print_series(const struct mail_model *m, size_t limit)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < m->series.n && (!limit || i < limit); i++) {
		struct front_series_row r;

		front_series_row(m->series.items[i], front_now(), &r);
		sbuf_reset(&sb);
		sbuf_addf(&sb, "%s  ", r.date);
		cli_add_cell(&sb, r.tree, 9);
		sbuf_addf(&sb, " %6s %5s  %s  %-17s ", r.version, r.count,
			  r.marks, r.state);
		cli_add_text(&sb, r.author);
		sbuf_addstr(&sb, "; ");
		cli_add_text(&sb, r.title);
		puts(sb.buf);
	}
	sbuf_release(&sb);
}

int cmd_series(int argc, char **argv)
{
	struct front_model_args args = { NULL, NULL, 0 };
	struct mail_model *m = NULL;
	long limit = 0;
	int json = 0, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:n:", series_opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (str_to_long(optarg, &limit) || limit < 0)
				return cli_usage_error("series", "--limit takes "
						       "a number, not '%s'",
						       optarg);
			break;
		default:
			if (!cli_model_option(c, optarg, &args, &json))
				return cli_bad_option("series", argv, c);
		}
	}
	if (optind < argc)
		return cli_usage_error("series", "unexpected argument '%s'",
				       argv[optind]);
	if (cli_model_load("series", &args, (size_t)limit, &m))
		return CLI_FAIL;
	if (json) {
		struct cli_printer *p = cli_printer_new(stdout, 1);

		describe_json(p, m, (size_t)limit, front_now());
		cli_printer_free(p);
	} else {
		cli_print_series(m, (size_t)limit);
	}
	mail_model_free(m);
	return CLI_OK;
}
