/* vger window: is bpf-next / net-next open, and when is the merge window. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "cli/calendar.h"
#include "cli/cli.h"
#include "cli/conf.h"
#include "kernel/trees.h"
#include "mail/ann.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

const char cli_usage_window[] =
"usage: vger window [--at <YYYY-MM-DD>] [--json] [--tree <tree>] [--offline]\n"
"\n"
"Say whether bpf-next and net-next are open on a day (today by default)\n"
"-- they are closed in the merge window, from the release of vX.Y to\n"
"vX.(Y+1)-rc1 -- and when the next window is expected.  Every answer\n"
"names its source and how old its data is.\n"
"\n"
"    --at <date>     the state on that day, as it was known then\n"
"    --json          print a JSON object instead of text\n"
"    --tree <tree>   only this tree (bpf-next, net-next, bpf, net,\n"
"                    \"iproute2 net-next\", ...)\n"
"    --offline       do not fetch; use the cache and the shipped history\n"
"\n"
"Configuration: vger.linux (a Linux clone whose tags to read),\n"
"vger.releasesUrl, vger.netnextUrl, vger.database (net-next [ANN] mails),\n"
"vger.offline, vger.refreshHours.\n";


struct window_args {
	const char *at;
	const char *tree;
	int json;
	int offline;
};

static int parse_args(int argc, char **argv, struct window_args *a)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "tree", required_argument, NULL, 't' },
		{ "offline", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			a->at = optarg;
			break;
		case 'j':
			a->json = 1;
			break;
		case 't':
			a->tree = optarg;
			break;
		case 'o':
			a->offline = 1;
			break;
		default:
			return cli_bad_option("window", argv, c);
		}
	}
	if (optind < argc)
		return cli_usage_error("window", "unexpected argument '%s'",
				       argv[optind]);
	return CLI_OK;
}

static json_object *json_day(long day)
{
	char d[16];

	if (day < 0)
		return NULL;
	date_format_ymd(day, d, sizeof(d));
	return json_object_new_string(d);
}

static void json_add_tree(json_object *trees, const struct cal_window *w,
			  const char *tree)
{
	struct sbuf msg = SBUF_INIT;
	json_object *t = json_object_new_object();
	int open = cal_describe(w, tree, &msg);

	json_object_object_add(t, "tree", json_object_new_string(tree));
	json_object_object_add(t, "open", json_object_new_boolean(open));
	json_object_object_add(t, "message",
			       json_object_new_string(msg.buf));
	json_object_array_add(trees, t);
	sbuf_release(&msg);
}

static void print_json(const struct cal *cal, const struct cal_window *w,
		       const char *tree)
{
	json_object *o = json_object_new_object(), *trees, *notes;
	const struct kernel_tree *t;
	char v[32];

	json_object_object_add(o, "date", json_day(w->day));
	cal_version_string(w->major, w->minor, 0, v, sizeof(v));
	json_object_object_add(o, "release", json_object_new_string(v));
	json_object_object_add(o, "release_date", json_day(w->release_day));
	cal_version_string(w->next_major, w->next_minor, 0, v, sizeof(v));
	json_object_object_add(o, "next_release", json_object_new_string(v));
	json_object_object_add(o, "rc", w->merge_window_open ? NULL :
			       json_object_new_int(w->rc));
	json_object_object_add(o, "rc_estimated",
			       json_object_new_boolean(w->rc_estimated));
	json_object_object_add(o, "merge_window_open",
			       json_object_new_boolean(w->merge_window_open));
	json_object_object_add(o, "window_day", w->merge_window_open ?
			       json_object_new_int(w->window_day) : NULL);
	json_object_object_add(o, "bpf_next_open",
			       json_object_new_boolean(w->bpf_next_open));
	json_object_object_add(o, "net_next_open",
			       json_object_new_boolean(w->net_next_open));
	json_object_object_add(o, "net_next_source", json_object_new_string(
			       cal_source_name(w->net_next_source)));
	json_object_object_add(o, "net_next_since",
			       json_day(w->net_next_since));
	json_object_object_add(o, "window_opened", w->merge_window_open ?
			       json_day(w->release_day) : NULL);
	json_object_object_add(o, "expected_reopen", w->merge_window_open ?
			       json_day(w->rc1_day) : NULL);
	json_object_object_add(o, "rc1_date", json_day(w->rc1_day));
	json_object_object_add(o, "rc1_estimated",
			       json_object_new_boolean(w->rc1_estimated));
	json_object_object_add(o, "next_window_expected",
			       json_day(w->next_window_expected));
	json_object_object_add(o, "next_window_margin_days",
			       json_object_new_int(w->next_window_margin));
	json_object_object_add(o, "next_window_close_expected",
			       json_day(w->next_window_close));
	json_object_object_add(o, "predicted",
			       json_object_new_boolean(w->predicted));
	json_object_object_add(o, "source", json_object_new_string(
			       cal_source_name(w->source)));
	json_object_object_add(o, "data_age_days",
			       json_object_new_int64(w->data_age_days));
	trees = json_object_new_array();
	if (tree) {
		json_add_tree(trees, w, tree);
	} else {
		/* next trees first: they are the ones that close */
		for (int next = 1; next >= 0; next--)
			for (size_t i = 0; (t = kernel_tree_at(i)); i++)
				if ((t->flags & KERNEL_TREE_WINDOW) &&
				    (t->kind == KERNEL_TREE_NEXT) == next)
					json_add_tree(trees, w, t->name);
	}
	json_object_object_add(o, "trees", trees);
	notes = json_object_new_array();
	for (size_t i = 0; i < cal_note_count(cal); i++)
		json_object_array_add(notes,
				      json_object_new_string(cal_note(cal, i)));
	json_object_object_add(o, "notes", notes);
	cli_print_json(o);
}

static void print_text(const struct cal *cal, const struct cal_window *w,
		       const char *tree)
{
	struct sbuf out = SBUF_INIT;

	if (tree) {
		cal_describe(w, tree, &out);
		sbuf_addch(&out, '\n');
	} else {
		const struct kernel_tree *t;
		const char *sep = "";

		for (size_t i = 0; (t = kernel_tree_at(i)); i++)
			if ((t->flags & KERNEL_TREE_WINDOW) &&
			    t->kind == KERNEL_TREE_NEXT) {
				cal_describe(w, t->name, &out);
				sbuf_addch(&out, '\n');
			}
		for (size_t i = 0; (t = kernel_tree_at(i)); i++)
			if ((t->flags & KERNEL_TREE_WINDOW) &&
			    t->kind == KERNEL_TREE_FIXES) {
				sbuf_addf(&out, "%s%s", sep, t->name);
				sep = ", ";
			}
		sbuf_addstr(&out, ": OPEN \u2014 fixes are taken at any "
			    "time\n");
	}
	sbuf_addf(&out, "source: %s, data %ld day%s old\n",
		  cal_source_name(w->source), w->data_age_days,
		  w->data_age_days == 1 ? "" : "s");
	fputs(out.buf, stdout);
	sbuf_release(&out);
	for (size_t i = 0; i < cal_note_count(cal); i++)
		cli_warn("window", "%s", cal_note(cal, i));
}

int cmd_window(int argc, char **argv)
{
	struct window_args a = { NULL, NULL, 0, 0 };
	struct cli_config *cfg = NULL;
	struct cal_window w;
	struct cal *cal = NULL;
	struct err err = ERR_INIT;
	long day;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret != CLI_OK)
		return ret;
	if (a.at && date_parse_ymd(a.at, &day) < 0)
		return cli_usage_error("window", "--at wants a date "
				       "YYYY-MM-DD, not '%s'", a.at);
	if (a.tree) {
		struct cal_window probe;
		struct sbuf sb = SBUF_INIT;

		memset(&probe, 0, sizeof(probe));
		ret = cal_describe(&probe, a.tree, &sb);
		sbuf_release(&sb);
		if (ret < 0)
			return cli_usage_error("window", "no merge-window "
					       "rule for tree '%s'", a.tree);
	}
	if (cli_config_open(&cfg, NULL, &err) < 0)
		return cli_fail("window", &err);
	if (cli_calendar_open("window", cfg, a.offline, &cal)) {
		ret = CLI_FAIL;
		goto out;
	}
	if (!a.at)
		day = cal_today(cal);
	if (cal_state_at(cal, day, &w, &err) < 0) {
		ret = cli_fail("window", &err);
		goto out;
	}
	if (a.json)
		print_json(cal, &w, a.tree);
	else
		print_text(cal, &w, a.tree);
	ret = CLI_OK;
out:
	cal_free(cal);
	cli_config_free(cfg);
	return ret;
}
