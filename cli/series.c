#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/printer.h"
#include "front/clock.h"
#include "front/gitconfig.h"
#include "front/model.h"
#include "front/pw.h"
#include "front/row.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "mail/version.h"
#include "patchwork/pw.h"
#include "util/date.h"
#include "util/err.h"
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
"The state is patchwork's where its cache (vger pw sync) knows the series,\n"
"followed by the CI's mark and, where the mail says otherwise, the mail's\n"
"state: \"changes-requested CI \u2717 1 fail (mail: applied)\".\n"
"\n"
"    --db <path>       notmuch database (default: vger.database, else\n"
"                      notmuch's own configuration)\n"
"    --query <query>   notmuch query (default: vger.query, else\n"
"                      'to:bpf@vger.kernel.org or cc:bpf@vger.kernel.org')\n"
"    -n, --limit <n>   show the first n series (default: all)\n"
"    --json            a JSON array with every version of every series\n"
"                      (with patchwork_state, delegate and checks)\n"
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

/* Patchwork's word on v: its state, delegate and every CI check. */
static void describe_pw(struct cli_printer *p, const struct pw_db *db,
			const struct mail_version *v)
{
	struct front_pw_version pv;

	front_pw_version(db, v, &pv);
	cli_pr_str(p, "patchwork_state", pv.state);
	cli_pr_str(p, "delegate", pv.delegate);
	cli_pr_list(p, "checks");
	for (size_t i = 0; db && i < v->patches.n; i++) {
		const struct mail_patch *mp = v->patches.items[i];
		const struct pw_patch *pp = pw_db_find(db, mp->message_id);

		for (size_t j = 0; pp && j < pp->checks.n; j++) {
			const struct pw_check *c = pp->checks.items[j];

			cli_pr_map(p, NULL);
			cli_pr_int(p, "patch", mp->index);
			cli_pr_str(p, "context", c->context);
			cli_pr_str(p, "state", pw_check_state_name(c->state));
			cli_pr_str(p, "url", c->url);
			cli_pr_end(p);
		}
	}
	cli_pr_end(p);
	cli_pr_str(p, "ci", *pv.ci ? pv.ci : NULL);
}

static void describe_version(struct cli_printer *p, const struct pw_db *db,
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
	describe_pw(p, db, v);
	cli_pr_end(p);
}

/*
 * Every version of every series.  The text (cli_print_series()) is not
 * this description: its line is the row cells of the latest version
 * (front/row.h), which the JSON does not have.
 */
static void describe_json(struct cli_printer *p, const struct mail_model *m,
			  const struct pw_db *db, size_t limit, time_t now)
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
			describe_version(p, db, s->versions.items[j], now);
		cli_pr_end(p);
		cli_pr_end(p);
	}
	cli_pr_end(p);
}

void cli_print_series(const struct mail_model *m, size_t limit)
{
	cli_print_series_pw(m, NULL, limit);
}

void cli_print_series_pw(const struct mail_model *m, const struct pw_db *db,
			 size_t limit)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < m->series.n && (!limit || i < limit); i++) {
		struct front_series_row r;

		front_series_row(m->series.items[i], front_now(), &r);
		front_series_row_pw(db, m->series.items[i], &r);
		sbuf_reset(&sb);
		sbuf_addf(&sb, "%s  ", r.date);
		cli_add_cell(&sb, r.tree, 9);
		sbuf_addf(&sb, " %6s %5s  %s  %-17s ", r.version, r.count,
			  r.marks, r.state);
		if (*r.ci)
			sbuf_addf(&sb, "%s ", r.ci);
		if (r.mail_state)
			sbuf_addf(&sb, "(mail: %s) ", r.mail_state);
		cli_add_text(&sb, r.author);
		sbuf_addstr(&sb, "; ");
		cli_add_text(&sb, r.title);
		cli_outf(stdout, "%s\n", sb.buf);
	}
	sbuf_release(&sb);
}

/* Older than this, the cache's age is said. */
#define PW_STALE_SECS (24 * 3600)

/*
 * Patchwork's cache, never the network; its error or its age said
 * once on stderr when it has failed or is old.  NULL when there is
 * none (nothing said: patchwork was never synced) or it is broken.
 */
static struct pw_db *load_pw(void)
{
	struct front_pw_source src;
	struct front_config *cfg = NULL;
	struct pw_db *db = NULL;
	struct err err = ERR_INIT;
	time_t now = front_now();

	if (front_config_open(&cfg, NULL, &err) < 0)
		return NULL;	/* cli_model_load() said it */
	front_pw_source_init(&src, cfg);
	front_config_free(cfg);
	if (front_pw_load(&src, &db, &err) < 0) {
		struct sbuf sb = SBUF_INIT;

		cli_add_text(&sb, err.msg);
		cli_warn("series", "patchwork cache left out: %s", sb.buf);
		sbuf_release(&sb);
	} else if (db && db->error) {
		struct sbuf sb = SBUF_INIT;
		char line[512];

		front_pw_status(&src, db, now, line, sizeof(line));
		cli_add_text(&sb, line);
		cli_warn("series", "%s", sb.buf);
		sbuf_release(&sb);
	} else if (db && now - db->fetched > PW_STALE_SECS) {
		char age[16];

		front_age(db->fetched, now, age, sizeof(age));
		cli_warn("series", "patchwork's states are %s old (vger pw "
			 "sync fetches them)", age);
	}
	front_pw_source_release(&src);
	return db;
}

int cmd_series(int argc, char **argv)
{
	struct front_model_args args = { NULL, NULL, 0, 0 };
	struct mail_model *m = NULL;
	struct pw_db *db;
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
	args.series_only = 1;
	if (cli_model_load("series", &args, (size_t)limit, &m))
		return CLI_FAIL;
	db = load_pw();
	if (json) {
		struct cli_printer *p = cli_printer_new(stdout, 1);

		describe_json(p, m, db, (size_t)limit, front_now());
		cli_printer_free(p);
	} else {
		cli_print_series_pw(m, db, (size_t)limit);
	}
	pw_db_free(db);
	mail_model_free(m);
	return CLI_OK;
}
