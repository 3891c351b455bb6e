/* vger window: is bpf-next / net-next open, and when is the merge window. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "cli/printer.h"
#include "front/calendar.h"
#include "front/gitconfig.h"
#include "kernel/trees.h"
#include "mail/ann.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
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

/* A day as YYYY-MM-DD; an unknown day (< 0) is null. */
static void describe_day(struct cli_printer *p, const char *key, long day)
{
	char d[16];

	if (day < 0) {
		cli_pr_null(p, key);
		return;
	}
	date_format_ymd(day, d, sizeof(d));
	cli_pr_str(p, key, d);
}

static void describe_tree(struct cli_printer *p, const struct cal_window *w,
			  const char *tree)
{
	struct sbuf msg = SBUF_INIT;
	int open = cal_describe(w, tree, &msg);

	cli_pr_map(p, NULL);
	cli_pr_str(p, "tree", tree);
	cli_pr_bool(p, "open", open);
	cli_pr_str(p, "message", msg.buf);
	cli_pr_end(p);
	sbuf_release(&msg);
}

/*
 * The window and every tree's state.  The text (print_text()) is not
 * this description: it is the calendar's sentences for the trees and
 * the data's source and age, with the notes as warnings.
 */
static void describe_json(struct cli_printer *p, const struct cal *cal,
			  const struct cal_window *w, const char *tree)
{
	int open = w->merge_window_open;
	const struct kernel_tree *t;
	char v[32];

	cli_pr_map(p, NULL);
	describe_day(p, "date", w->day);
	cal_version_string(w->major, w->minor, 0, v, sizeof(v));
	cli_pr_str(p, "release", v);
	describe_day(p, "release_date", w->release_day);
	cal_version_string(w->next_major, w->next_minor, 0, v, sizeof(v));
	cli_pr_str(p, "next_release", v);
	if (open)
		cli_pr_null(p, "rc");
	else
		cli_pr_int(p, "rc", w->rc);
	cli_pr_bool(p, "rc_estimated", w->rc_estimated);
	cli_pr_bool(p, "merge_window_open", open);
	if (open)
		cli_pr_int(p, "window_day", w->window_day);
	else
		cli_pr_null(p, "window_day");
	cli_pr_bool(p, "bpf_next_open", w->bpf_next_open);
	cli_pr_bool(p, "net_next_open", w->net_next_open);
	cli_pr_str(p, "net_next_source", cal_source_name(w->net_next_source));
	describe_day(p, "net_next_since", w->net_next_since);
	describe_day(p, "window_opened", open ? w->release_day : -1);
	describe_day(p, "expected_reopen", open ? w->rc1_day : -1);
	describe_day(p, "rc1_date", w->rc1_day);
	cli_pr_bool(p, "rc1_estimated", w->rc1_estimated);
	describe_day(p, "next_window_expected", w->next_window_expected);
	cli_pr_int(p, "next_window_margin_days", w->next_window_margin);
	describe_day(p, "next_window_close_expected", w->next_window_close);
	cli_pr_bool(p, "predicted", w->predicted);
	cli_pr_str(p, "source", cal_source_name(w->source));
	cli_pr_int(p, "data_age_days", w->data_age_days);
	cli_pr_list(p, "trees");
	if (tree) {
		describe_tree(p, w, tree);
	} else {
		/* next trees first: they are the ones that close */
		for (int next = 1; next >= 0; next--)
			for (size_t i = 0; (t = kernel_tree_at(i)); i++)
				if ((t->flags & KERNEL_TREE_WINDOW) &&
				    (t->kind == KERNEL_TREE_NEXT) == next)
					describe_tree(p, w, t->name);
	}
	cli_pr_end(p);
	cli_pr_list(p, "notes");
	for (size_t i = 0; i < cal_note_count(cal); i++)
		cli_pr_str(p, NULL, cal_note(cal, i));
	cli_pr_end(p);
	cli_pr_end(p);
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
	cli_out(stdout, out.buf);
	sbuf_release(&out);
	for (size_t i = 0; i < cal_note_count(cal); i++)
		cli_warn("window", "%s", cal_note(cal, i));
}

int cmd_window(int argc, char **argv)
{
	struct window_args a = { NULL, NULL, 0, 0 };
	struct front_config *cfg = NULL;
	struct cal_window w;
	struct cal *cal = NULL;
	struct err err = ERR_INIT;
	struct vec warnings = VEC_INIT;
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
	if (front_config_open(&cfg, NULL, &err) < 0)
		return cli_fail("window", &err);
	ret = front_calendar_open(cfg, a.offline, &cal, &warnings, &err);
	for (size_t i = 0; i < warnings.n; i++)
		cli_warn("window", "%s", (char *)warnings.items[i]);
	vec_release_str(&warnings);
	if (ret < 0) {
		ret = cli_fail("window", &err);
		goto out;
	}
	if (!a.at)
		day = cal_today(cal);
	if (cal_state_at(cal, day, &w, &err) < 0) {
		ret = cli_fail("window", &err);
		goto out;
	}
	if (a.json) {
		struct cli_printer *p = cli_printer_new(stdout, 1);

		describe_json(p, cal, &w, a.tree);
		cli_printer_free(p);
	} else {
		print_text(cal, &w, a.tree);
	}
	ret = CLI_OK;
out:
	cal_free(cal);
	front_config_free(cfg);
	return ret;
}
