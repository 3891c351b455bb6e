#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "mail/model.h"
#include "mail/subject.h"
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
"received/expected, acks/reviews/tests (a r t), state, author and title.\n"
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

static json_object *given_array(const struct mail_version *v,
				enum mail_trailer_kind kind)
{
	json_object *a = json_object_new_array();
	struct vec addrs = VEC_INIT;

	mail_version_given_addresses(v, kind, &addrs);
	for (size_t i = 0; i < addrs.n; i++)
		json_object_array_add(a, json_object_new_string(addrs.items[i]));
	vec_release(&addrs, NULL);
	return a;
}

/*
 * Business days a version has waited: until now while it is open, until
 * its last activity once it is applied, superseded, rejected or deferred.
 */
static long waited(const struct mail_version *v, time_t now)
{
	int open = v->state == MAIL_STATE_NEW ||
		v->state == MAIL_STATE_REVIEWED || v->state == MAIL_STATE_RFC ||
		v->state == MAIL_STATE_CHANGES_REQUESTED;

	return date_business_days(v->date, open ? now : v->last_activity);
}

static json_object *version_json(const struct mail_version *v, time_t now)
{
	json_object *o = json_object_new_object();
	char date[32];

	date_format_iso(v->date, date, sizeof(date));
	json_object_object_add(o, "version", json_object_new_int((int)v->version));
	json_object_object_add(o, "message_id", cli_json_str(v->message_id));
	json_object_object_add(o, "date", json_object_new_string(date));
	json_object_object_add(o, "rfc", json_object_new_boolean(
				       !!(v->flags & MAIL_SUBJECT_RFC)));
	json_object_object_add(o, "patches_expected",
			       json_object_new_int((int)v->patches_expected));
	json_object_object_add(o, "patches_received",
			       json_object_new_int((int)v->patches_received));
	json_object_object_add(o, "has_cover",
			       json_object_new_boolean(v->has_cover));
	json_object_object_add(o, "acked_by",
			       given_array(v, MAIL_TRAILER_ACKED));
	json_object_object_add(o, "reviewed_by",
			       given_array(v, MAIL_TRAILER_REVIEWED));
	json_object_object_add(o, "tested_by",
			       given_array(v, MAIL_TRAILER_TESTED));
	json_object_object_add(o, "nacked_by",
			       given_array(v, MAIL_TRAILER_NACKED));
	json_object_object_add(o, "state",
			       json_object_new_string(mail_state_name(v->state)));
	json_object_object_add(o, "pw_bot", cli_json_str(v->pwbot));
	json_object_object_add(o, "applied_to", cli_json_str(v->applied_to));
	json_object_object_add(o, "applied_by", cli_json_str(v->applied_by));
	json_object_object_add(o, "pull_request", cli_json_str(v->pull_request));
	json_object_object_add(o, "business_days_waiting",
			       json_object_new_int64(waited(v, now)));
	json_object_object_add(o, "has_feedback", json_object_new_boolean(
				       mail_version_has_feedback(v)));
	return o;
}

static void print_json(const struct mail_model *m, size_t limit, time_t now)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < m->series.n && (!limit || i < limit); i++) {
		const struct mail_series *s = m->series.items[i];
		json_object *o = json_object_new_object();
		json_object *vs = json_object_new_array();

		json_object_object_add(o, "title", cli_json_str(s->title));
		json_object_object_add(o, "author", cli_json_str(s->author_email));
		json_object_object_add(o, "author_name", cli_json_str(s->author_name));
		json_object_object_add(o, "tree", cli_json_str(s->tree));
		for (size_t j = 0; j < s->versions.n; j++)
			json_object_array_add(vs, version_json(
						      s->versions.items[j], now));
		json_object_object_add(o, "versions", vs);
		json_object_array_add(a, o);
	}
	cli_print_json(a);
}

void cli_print_series(const struct mail_model *m, size_t limit)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < m->series.n && (!limit || i < limit); i++) {
		const struct mail_series *s = m->series.items[i];
		const struct mail_version *v = mail_series_latest(s);
		char date[16], ver[16], count[24];

		date_format_ymd(date_of_time(s->last_activity), date,
				sizeof(date));
		snprintf(ver, sizeof(ver), "%sv%u",
			 v->flags & MAIL_SUBJECT_RFC ? "RFC " : "", v->version);
		snprintf(count, sizeof(count), "%u/%u", v->patches_received,
			 v->patches_expected);
		sbuf_reset(&sb);
		sbuf_addf(&sb, "%s  ", date);
		cli_add_cell(&sb, s->tree ? s->tree : "-", 9);
		sbuf_addf(&sb, " %6s %5s  a%zu r%zu t%zu  %-17s ", ver, count,
			  mail_version_count_given(v, MAIL_TRAILER_ACKED),
			  mail_version_count_given(v, MAIL_TRAILER_REVIEWED),
			  mail_version_count_given(v, MAIL_TRAILER_TESTED),
			  mail_state_name(v->state));
		cli_add_text(&sb, s->author_name ? s->author_name :
			     s->author_email);
		sbuf_addstr(&sb, "; ");
		cli_add_text(&sb, s->title);
		puts(sb.buf);
	}
	sbuf_release(&sb);
}

int cmd_series(int argc, char **argv)
{
	struct cli_model_args args = { NULL, NULL, 0 };
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
	if (json)
		print_json(m, (size_t)limit, cli_now());
	else
		cli_print_series(m, (size_t)limit);
	mail_model_free(m);
	return CLI_OK;
}
