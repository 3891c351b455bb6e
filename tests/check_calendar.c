/*
 * The calendar: the merge-window model on the real history, tags of
 * real git repositories, releases.json and status pages served by a
 * real HTTP server on 127.0.0.1 (tests/httpd.py), net-next
 * announcements from a real notmuch database, and `vger window`.
 */
#include <check.h>
#include <errno.h>
#include <glob.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "calendar/private.h"
#include "mail/ann.h"
#include "tests/testlib.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"

static long D(const char *ymd)
{
	long day;

	ck_assert_msg(!date_parse_ymd(ymd, &day), "bad date %s", ymd);
	return day;
}

static time_t T(const char *ymd, int hour)
{
	return (time_t)D(ymd) * 86400 + hour * 3600;
}

static const char *ymd(long day)
{
	static char buf[4][16];
	static int i;

	i = (i + 1) % 4;
	date_format_ymd(day, buf[i], sizeof(buf[i]));
	return buf[i];
}

static int has_note(const struct cal *cal, const char *needle)
{
	for (size_t i = 0; i < cal_note_count(cal); i++)
		if (strstr(cal_note(cal, i), needle))
			return 1;
	return 0;
}

static char *all_notes(const struct cal *cal)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < cal_note_count(cal); i++)
		sbuf_addf(&sb, "[%s] ", cal_note(cal, i));
	return sbuf_detach(&sb);
}

#define ck_assert_note(cal, needle) do { \
	char *notes_ = all_notes(cal); \
	ck_assert_msg(has_note(cal, needle), "no note '%s' in: %s", \
		      needle, notes_); \
	free(notes_); \
} while (0)

/* ---- the model on the shipped history ---- */

struct known_state {
	const char *day;
	int window;		/* merge window open */
	const char *release;	/* latest release */
	int rc;			/* 0 in the window */
	int window_day;
	const char *rc1;	/* rc1: expected in the window, else known */
};

/* Real dates: releases and rc1 from the kernel's history. */
static const struct known_state known[] = {
	/* v6.12 on 2024-11-17; v6.13-rc1 on 2024-12-01. */
	{ "2024-11-16", 0, "v6.11", 7, 0, "2024-09-29" },
	{ "2024-11-17", 1, "v6.12", 0, 1, "2024-12-01" },
	{ "2024-11-20", 1, "v6.12", 0, 4, "2024-12-01" },
	{ "2024-11-30", 1, "v6.12", 0, 14, "2024-12-01" },
	{ "2024-12-01", 0, "v6.12", 1, 0, "2024-12-01" },
	{ "2024-12-10", 0, "v6.12", 2, 0, "2024-12-01" },
	{ "2024-12-15", 0, "v6.12", 3, 0, "2024-12-01" },
	/* v6.14 was tagged on a Monday; rc1 13 days later. */
	{ "2025-03-23", 0, "v6.13", 8, 0, "2025-02-02" },
	{ "2025-03-24", 1, "v6.14", 0, 1, "2025-04-06" },
	{ "2025-04-05", 1, "v6.14", 0, 13, "2025-04-06" },
	{ "2025-04-06", 0, "v6.14", 1, 0, "2025-04-06" },
	/* 5.4-rc1 came on a Monday, the window's 16th day. */
	{ "2019-09-29", 1, "v5.3", 0, 15, "2019-09-29" },
	{ "2019-09-30", 0, "v5.3", 1, 0, "2019-09-30" },
	/* 4.10-rc1 on Christmas Day. */
	{ "2016-12-24", 1, "v4.9", 0, 14, "2016-12-25" },
	{ "2016-12-25", 0, "v4.9", 1, 0, "2016-12-25" },
	/* 5.16 after rc8. */
	{ "2022-01-08", 0, "v5.15", 8, 0, "2021-11-14" },
	{ "2022-01-09", 1, "v5.16", 0, 1, "2022-01-23" },
	/* The first cycle of the history. */
	{ "2011-07-21", 1, "v3.0", 0, 1, "2011-08-07" },
	/* The last release of the shipped history. */
	{ "2026-08-16", 1, "v7.2", 0, 1, "2026-08-30" },
};

START_TEST(history_known_states)
{
	const struct known_state *k = &known[_i];
	struct cal *cal = cal_open_shipped();
	struct cal_window w;
	struct err err = ERR_INIT;
	char rel[32];

	ck_assert_int_eq(cal_state_at(cal, D(k->day), &w, &err), 0);
	cal_version_string(w.major, w.minor, 0, rel, sizeof(rel));
	ck_assert_msg(w.merge_window_open == k->window,
		      "%s: window %d", k->day, w.merge_window_open);
	ck_assert_str_eq(rel, k->release);
	ck_assert_int_eq(w.rc, k->rc);
	ck_assert_int_eq(w.window_day, k->window_day);
	ck_assert_str_eq(ymd(w.rc1_day), k->rc1);
	ck_assert_int_eq(w.bpf_next_open, !k->window);
	ck_assert_int_eq(w.net_next_open, !k->window);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_MODEL);
	ck_assert_int_eq(w.source, CAL_SOURCE_SHIPPED);
	ck_assert_int_eq(w.predicted, 0);
	ck_assert_int_gt(w.next_window_expected, w.day);
	ck_assert_int_eq(date_weekday(w.next_window_expected), 0);
	cal_free(cal);
}
END_TEST

START_TEST(window_messages_match_the_issue)
{
	struct cal *cal = cal_open_shipped();
	struct sbuf msg = SBUF_INIT;
	struct err err = ERR_INIT;
	int open = -1;

	ck_assert_int_eq(cal_tree_open(cal, "bpf-next", D("2024-11-20"),
				       &open, &msg, &err), 0);
	ck_assert_int_eq(open, 0);
	ck_assert_str_eq(msg.buf, "bpf-next: CLOSED \u2014 merge window for "
			 "6.13 open since 2024-11-17 (day 4 of ~14); reopens "
			 "after v6.13-rc1, expected 2024-12-01");
	sbuf_reset(&msg);
	ck_assert_int_eq(cal_tree_open(cal, "bpf-next", D("2024-12-15"),
				       &open, &msg, &err), 0);
	ck_assert_int_eq(open, 1);
	/*
	 * Over Christmas the model expects rc8 (most such cycles had
	 * one); 6.13 was released after rc7, on 2025-01-19.
	 */
	ck_assert_str_eq(msg.buf, "bpf-next: OPEN \u2014 v6.13-rc3; next "
			 "merge window expected 2025-01-26 (\u00b17 days)");
	sbuf_reset(&msg);
	ck_assert_int_eq(cal_tree_open(cal, "bpf-next", D("2024-10-13"),
				       &open, &msg, &err), 0);
	ck_assert_str_eq(msg.buf, "bpf-next: OPEN \u2014 v6.12-rc3; next "
			 "merge window expected 2024-11-17 (\u00b17 days)");
	cal_free(cal);
	sbuf_release(&msg);
}
END_TEST

START_TEST(trees_fixes_always_open)
{
	static const struct {
		const char *tree;
		int open_in_window;
	} trees[] = {
		{ "bpf", 1 }, { "net", 1 }, { "iproute2", 1 },
		{ "iproute2 master", 1 }, { "bpf-next", 0 }, { "net-next", 0 },
		{ "iproute2 net-next", 0 }, { "iproute2-next", 0 },
		{ "mm-next", 0 },
	};
	struct cal *cal = cal_open_shipped();
	struct err err = ERR_INIT;
	struct sbuf msg = SBUF_INIT;
	int open;

	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		sbuf_reset(&msg);
		ck_assert_int_eq(cal_tree_open(cal, trees[i].tree,
					       D("2024-11-20"), &open, &msg,
					       &err), 0);
		ck_assert_msg(open == trees[i].open_in_window, "%s",
			      trees[i].tree);
		ck_assert(str_starts_with(msg.buf, trees[i].tree));
		ck_assert_ptr_null(strchr(msg.buf, '\n'));
		ck_assert_int_eq(cal_tree_open(cal, trees[i].tree,
					       D("2024-12-10"), &open, NULL,
					       &err), 0);
		ck_assert_msg(open == 1, "%s", trees[i].tree);
	}
	ck_assert_int_eq(cal_tree_open(cal, "linux-frobnicator",
				       D("2024-12-10"), &open, &msg, &err),
			 -ERR_NOTFOUND);
	ck_assert(strstr(err.msg, "linux-frobnicator"));
	cal_free(cal);
	sbuf_release(&msg);
}
END_TEST

START_TEST(date_before_v3_is_a_clear_error)
{
	struct cal *cal = cal_open_shipped();
	struct cal_window w;
	struct err err = ERR_INIT;
	int open;

	ck_assert_int_eq(cal_state_at(cal, D("2011-07-20"), &w, &err),
			 -ERR_NOTFOUND);
	ck_assert_msg(strstr(err.msg, "before v3.0 (2011-07-21)"), "%s",
		      err.msg);
	ck_assert_int_eq(cal_tree_open(cal, "bpf-next", D("1999-01-01"),
				       &open, NULL, NULL), -ERR_NOTFOUND);
	cal_free(cal);
}
END_TEST

START_TEST(future_date_is_predicted)
{
	struct cal *cal = cal_open_shipped();
	struct cal_window w;
	struct err err = ERR_INIT;
	struct sbuf msg = SBUF_INIT;

	/* Four days past v7.2 (the last shipped fact): 7.3's window. */
	ck_assert_int_eq(cal_state_at(cal, D("2026-08-20"), &w, &err), 0);
	ck_assert_int_eq(w.predicted, 0);
	ck_assert_int_eq(w.merge_window_open, 1);
	ck_assert_int_eq(w.next_major, 7);
	ck_assert_int_eq(w.next_minor, 3);
	ck_assert_str_eq(ymd(w.rc1_day), "2026-08-30");
	/* Past its rc1: predicted, a week per rc. */
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-14"), &w, &err), 0);
	ck_assert_int_eq(w.predicted, 1);
	ck_assert_int_eq(w.merge_window_open, 0);
	ck_assert_int_eq(w.rc, 3);
	ck_assert_int_eq(w.rc_estimated, 1);
	ck_assert_str_eq(ymd(w.next_window_expected), "2026-10-18");
	cal_describe(&w, "bpf-next", &msg);
	ck_assert_msg(str_ends_with(msg.buf, "(predicted: past the data)"),
		      "%s", msg.buf);
	/* Years on: still an answer, never a crash. */
	ck_assert_int_eq(cal_state_at(cal, D("2031-05-05"), &w, &err), 0);
	ck_assert_int_eq(w.predicted, 1);
	ck_assert(w.merge_window_open ? w.window_day >= 1 &&
		  w.window_day <= 15 : w.rc >= 1 && w.rc <= 8);
	ck_assert_int_gt(w.major * 100 + w.minor, 800);
	cal_free(cal);
	sbuf_release(&msg);
}
END_TEST

/* Every rc1 of the history from the window's first day, within a day. */
START_TEST(rc1_predicted_within_a_day)
{
	struct cal *cal = cal_open_shipped();
	struct err err = ERR_INIT;
	size_t checked = 0;

	for (size_t i = 1; i < cal_shipped_count; i++) {
		struct cal_window w;
		long rel, rc1;

		/* Before 3.7, rc1 came on any weekday (3.3, 3.6). */
		if (!*cal_shipped[i].rc1 || (cal_shipped[i].major == 3 &&
					     cal_shipped[i].minor < 7))
			continue;
		rel = D(cal_shipped[i - 1].release);
		rc1 = D(cal_shipped[i].rc1);
		ck_assert_int_eq(cal_state_at(cal, rel, &w, &err), 0);
		ck_assert_int_eq(w.merge_window_open, 1);
		ck_assert_msg(labs(w.rc1_day - rc1) <= 1,
			      "v%d.%d-rc1 %s predicted %s",
			      cal_shipped[i].major, cal_shipped[i].minor,
			      cal_shipped[i].rc1, ymd(w.rc1_day));
		checked++;
	}
	ck_assert_int_gt(checked, 60);
	cal_free(cal);
}
END_TEST

START_TEST(version_names)
{
	struct cal_fact f;

	ck_assert_int_eq(cal_parse_version("v6.13-rc2", 1, &f), 0);
	ck_assert_int_eq(f.major, 6);
	ck_assert_int_eq(f.minor, 13);
	ck_assert_int_eq(f.rc, 2);
	ck_assert_int_eq(cal_parse_version("7.3", 0, &f), 0);
	ck_assert_int_eq(f.rc, 0);
	ck_assert_int_eq(cal_parse_version("v7.3", 0, &f), -1);
	ck_assert_int_eq(cal_parse_version("v6.13.1", 1, &f), -1);
	ck_assert_int_eq(cal_parse_version("v6.13-rc0", 1, &f), -1);
	ck_assert_int_eq(cal_parse_version("v6.13-rc", 1, &f), -1);
	ck_assert_int_eq(cal_parse_version("v6.13-dontuse", 1, &f), -1);
	ck_assert_int_eq(cal_parse_version("v2.6.39", 1, &f), -1);
	ck_assert_int_eq(cal_parse_version("next-20260907", 0, &f), -1);
}
END_TEST

/* The build's table generator stops on a bad row, naming it. */
START_TEST(generator_rejects_bad_rows)
{
	char *dir = t_tmpdir();
	char *csv = path_join(dir, "kernel-releases.csv");
	char *awk = path_join(t_srcdir(), "calendar/gen-releases.awk");
	const char *argv[] = { "awk", "-f", awk, csv, NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	t_write_file(csv, "version,release_date,rc1_date,last_rc,x\n"
		     "6.12,2024-11-17,2024-09-29,rc7,\"a, b\"\n");
	ck_assert_int_eq(t_run(argv, NULL, NULL, &out, &err), 0);
	ck_assert(strstr(out.buf, "{ 6, 12, \"2024-11-17\", \"2024-09-29\", "
			 "7 },"));
	ck_assert(strstr(out.buf, "cal_shipped_count = 1;"));
	t_write_file(csv, "version,release_date,rc1_date,last_rc\n"
		     "6.12,2024-11-17,2024-09-29,rc7\n"
		     "6.13,19 Jan 2025,2024-12-01,rc7\n");
	sbuf_reset(&out);
	ck_assert_int_ne(t_run(argv, NULL, NULL, &out, &err), 0);
	ck_assert_msg(strstr(err.buf, "kernel-releases.csv:3: bad "
			     "release_date"), "%s", err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
	free(awk);
	free(csv);
	t_rmtree(dir);
}
END_TEST

/* ---- net-next: announcements and the status page ---- */

START_TEST(announcements_override_net_next)
{
	static const struct cal_ann anns[] = {
		{ 20077, 0 },	/* 2024-12-20 closed for the holidays */
		{ 20090, 1 },	/* 2025-01-02 open */
		{ 20105, 0 },	/* 2025-01-17 closed before v6.13 */
	};
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;
	struct sbuf msg = SBUF_INIT;

	ck_assert_int_eq(anns[0].day, D("2024-12-20"));
	ck_assert_int_eq(anns[2].day, D("2025-01-17"));
	cal_options_init(&opt);
	opt.anns = anns;
	opt.n_anns = 3;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	/* Before: the model. */
	ck_assert_int_eq(cal_state_at(cal, D("2024-12-19"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_open, 1);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_MODEL);
	/* Holiday closure: net-next closed, bpf-next open. */
	ck_assert_int_eq(cal_state_at(cal, D("2024-12-24"), &w, &err), 0);
	ck_assert_int_eq(w.bpf_next_open, 1);
	ck_assert_int_eq(w.net_next_open, 0);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_ANN);
	ck_assert_str_eq(ymd(w.net_next_since), "2024-12-20");
	cal_describe(&w, "net-next", &msg);
	ck_assert_str_eq(msg.buf, "net-next: CLOSED \u2014 [ANN] net-next is "
			 "CLOSED on 2024-12-20; v6.13-rc4; next merge window "
			 "expected 2025-01-26 (\u00b17 days)");
	ck_assert_int_eq(cal_state_at(cal, D("2025-01-03"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_open, 1);
	/* Closed two days before the release, and in the window. */
	ck_assert_int_eq(cal_state_at(cal, D("2025-01-18"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_open, 0);
	ck_assert_int_eq(w.bpf_next_open, 1);
	ck_assert_int_eq(cal_state_at(cal, D("2025-01-25"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_open, 0);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_ANN);
	/* After rc1 the model again: that CLOSED is over. */
	ck_assert_int_eq(cal_state_at(cal, D("2025-02-03"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_open, 1);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_MODEL);
	cal_free(cal);
	sbuf_release(&msg);
}
END_TEST

START_TEST(status_page_words)
{
	static const struct {
		const char *page;
		int want;
	} pages[] = {
		{ "<p>Come in we're open</p>", 1 },
		{ "<img src=x.png alt=\"Come in we're OPEN\">", 1 },
		{ "<h1>net-next is CLOSED</h1><p>reopens after rc1</p>", 0 },
		{ "<script>var s = 'open';</script><b>closed</b>", 0 },
		{ "<style>.open{}</style>Closed.", 0 },
		{ "open and closed", -ERR_PARSE },
		{ "<p>the bot is being rebuilt</p>", -ERR_PARSE },
		{ "", -ERR_PARSE },
		{ "<p unterminated", -ERR_PARSE },
		{ "<script>open", -ERR_PARSE },
	};
	struct err err = ERR_INIT;

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		ck_assert_msg(cal_status_parse(pages[i].page,
					       strlen(pages[i].page), &err) ==
			      pages[i].want, "%s", pages[i].page);
}
END_TEST

START_TEST(releases_json_parse)
{
	char *path = t_fixture("calendar/www/releases.json");
	char *body = t_read_file(path);
	const char *body2;
	struct vec facts = VEC_INIT;
	struct err err = ERR_INIT;
	struct cal_fact *f;

	ck_assert_int_eq(cal_releases_parse(body, strlen(body), &facts, &err),
			 0);
	ck_assert_uint_eq(facts.n, 1);
	f = facts.items[0];
	ck_assert_int_eq(f->major, 7);
	ck_assert_int_eq(f->minor, 3);
	ck_assert_int_eq(f->rc, 2);
	ck_assert_str_eq(ymd(f->day), "2026-09-06");
	vec_release(&facts, free);
	ck_assert_int_eq(cal_releases_parse(body, 300, &facts, &err),
			 -ERR_PARSE);
	ck_assert(strstr(err.msg, "malformed JSON"));
	ck_assert_int_eq(cal_releases_parse("[1,2]", 5, &facts, &err),
			 -ERR_PARSE);
	body2 = "{\"releases\": [{\"moniker\": \"mainline\", "
		"\"version\": 7}]}";
	ck_assert_int_eq(cal_releases_parse(body2, strlen(body2), &facts,
					    &err), -ERR_PARSE);
	ck_assert(strstr(err.msg, "no mainline"));
	ck_assert_uint_eq(facts.n, 0);
	free(body);
	free(path);
}
END_TEST

/* ---- tags of real git repositories ---- */

static void tag_at(struct t_git *g, const char *name, const char *day,
		   int annotated)
{
	const char *files[] = { "Makefile", name, NULL };
	const char *id;

	/* 23:00 UTC, on the day. */
	t_git_set_author(g, "Linus Torvalds", "torvalds@example.org",
			 T(day, 23));
	id = t_git_commit(g, name, files);
	t_git_tag(g, name, id, annotated ? name : NULL, T(day, 23));
}

START_TEST(git_tags_are_the_first_source)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;

	/* Made out of order: the iteration order must not matter. */
	tag_at(g, "v7.3-rc2", "2026-09-06", 1);
	tag_at(g, "v7.2", "2026-08-16", 1);
	tag_at(g, "v7.3-rc1", "2026-08-30", 0);
	/* A wrong date: out of order with everything else. */
	tag_at(g, "v7.1", "2026-09-01", 1);
	cal_options_init(&opt);
	opt.linux_repo = dir;
	opt.now = T("2026-09-08", 12);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "ignoring v7.1 (2026-09-01)");
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-08"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_GIT);
	ck_assert_int_eq(w.predicted, 0);
	ck_assert_int_eq(w.merge_window_open, 0);
	ck_assert_int_eq(w.rc, 2);
	ck_assert_int_eq(w.rc_estimated, 0);
	ck_assert_int_eq(w.data_age_days, 2);
	/* v7.1 keeps its shipped date. */
	ck_assert_int_eq(cal_state_at(cal, D("2026-06-20"), &w, &err), 0);
	ck_assert_int_eq(w.minor, 1);
	ck_assert_str_eq(ymd(w.release_day), "2026-06-14");
	ck_assert_int_eq(w.source, CAL_SOURCE_SHIPPED);
	/* A week after the last tag: rc3 by the weekly count. */
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-14"), &w, &err), 0);
	ck_assert_int_eq(w.rc, 3);
	ck_assert_int_eq(w.rc_estimated, 1);
	cal_free(cal);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(git_tag_dates_against_git_itself)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	struct vec facts = VEC_INIT;
	struct err err = ERR_INIT;
	struct sbuf out = SBUF_INIT;
	long newest;
	const char *argv[] = { "git", "-C", dir, "for-each-ref",
		"--format=%(refname:short) %(creatordate:short-local)",
		"refs/tags", NULL };
	const char *env[] = { "TZ=America/Los_Angeles", NULL };

	tag_at(g, "v6.12", "2024-11-17", 1);
	tag_at(g, "v6.13-rc1", "2024-12-01", 0);
	tag_at(g, "not-a-version", "2024-12-02", 1);
	ck_assert_int_eq(cal_git_facts(dir, &facts, &newest, &err), 0);
	ck_assert_uint_eq(facts.n, 2);
	ck_assert_str_eq(ymd(newest), "2024-12-01");
	/* git, in the tagger's zone, agrees on the days. */
	ck_assert_int_eq(t_run(argv, env, NULL, &out, NULL), 0);
	ck_assert_msg(strstr(out.buf, "v6.12 2024-11-17\n") &&
		      strstr(out.buf, "v6.13-rc1 2024-12-01\n"), "%s",
		      out.buf);
	vec_release(&facts, free);
	sbuf_release(&out);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(git_clone_without_tags_falls_back)
{
	char *dir = t_tmpdir();
	char *missing = path_join(dir, "no-such-repo");
	struct t_git *g = t_git_init(dir);
	const char *files[] = { "README", "hello\n", NULL };
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;

	t_git_commit(g, "initial", files);
	cal_options_init(&opt);
	opt.linux_repo = dir;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "no vX.Y or vX.Y-rcN tags");
	ck_assert_int_eq(cal_state_at(cal, D("2024-11-20"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_SHIPPED);
	ck_assert_int_eq(w.merge_window_open, 1);
	cal_free(cal);
	opt.linux_repo = missing;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "no-such-repo");
	ck_assert_int_eq(cal_state_at(cal, D("2024-11-20"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_SHIPPED);
	cal_free(cal);
	free(missing);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* ---- a real HTTP server on 127.0.0.1 ---- */

struct httpd {
	struct t_server srv;
	int port;
	char url[64];
};

static void httpd_start(struct httpd *h)
{
	char *script = path_join(t_srcdir(), "tests/httpd.py");
	char *www = t_fixture("calendar/www");
	const char *argv[] = { "python3", script, www, NULL };

	t_server_start(&h->srv, argv);
	h->port = h->srv.port;
	snprintf(h->url, sizeof(h->url), "http://127.0.0.1:%d", h->port);
	free(script);
	free(www);
}

static void httpd_stop(struct httpd *h)
{
	t_server_stop(&h->srv);
}

static char *url(const struct httpd *h, const char *path)
{
	return path_join(h->url, path);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(releases_json_fetched_and_cached)
{
	struct httpd h;
	char *cache = t_tmpdir();
	char *u, *cached = path_join(cache, "releases.json");
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;
	struct stat st;

	httpd_start(&h);
	u = url(&h, "releases.json");
	cal_options_init(&opt);
	opt.releases_url = u;
	opt.cache_dir = cache;
	opt.now = T("2026-09-08", 12);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_uint_eq(cal_note_count(cal), 0);
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-08"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_RELEASES);
	ck_assert_int_eq(w.rc, 2);
	ck_assert_int_eq(w.merge_window_open, 0);
	ck_assert_int_eq(w.rc1_estimated, 1);
	ck_assert_str_eq(ymd(w.rc1_day), "2026-08-30");
	ck_assert_int_eq(w.data_age_days, 0);
	ck_assert_int_eq(w.predicted, 0);
	cal_free(cal);
	/* Cached with the fetch time... */
	ck_assert_int_eq(stat(cached, &st), 0);
	ck_assert_int_eq(st.st_mtime, opt.now);
	/* ...and used without asking while fresh: the server is gone. */
	httpd_stop(&h);
	opt.now += 3600;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_uint_eq(cal_note_count(cal), 0);
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-08"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_RELEASES);
	cal_free(cal);
	/* Stale: fetch, fail, use the cache and say so. */
	opt.now += 4 * 86400;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "using the cache of 2026-09-08");
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-12"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_RELEASES);
	ck_assert_int_eq(w.data_age_days, 4);
	cal_free(cal);
	free(u);
	free(cached);
	t_rmtree(cache);
}
END_TEST

START_TEST(offline_uses_an_old_cache)
{
	char *cache = t_tmpdir();
	char *cached = path_join(cache, "releases.json");
	char *src = t_fixture("calendar/www/releases.json");
	char *body = t_read_file(src);
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;
	struct timeval tv[2] = { { 0, 0 }, { 0, 0 } };

	t_write_file(cached, body);
	tv[0].tv_sec = tv[1].tv_sec = T("2026-09-07", 6);
	ck_assert_int_eq(utimes(cached, tv), 0);
	cal_options_init(&opt);
	/* Nothing listens there: offline must not even try. */
	opt.releases_url = "http://127.0.0.1:9/releases.json";
	opt.cache_dir = cache;
	opt.offline = 1;
	opt.now = T("2026-09-17", 12);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "offline; using the cache of 2026-09-07");
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-17"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_RELEASES);
	ck_assert_int_eq(w.data_age_days, 10);
	ck_assert_int_eq(w.rc, 3);
	cal_free(cal);
	free(body);
	free(src);
	free(cached);
	t_rmtree(cache);
}
END_TEST

/*
 * A cache's date is not the age of its data: content older than
 * mainline ever stays is as old as its newest entry, whatever the file
 * says; a cache dated in the future is fetched again.
 */
START_TEST(cache_date_does_not_hide_old_content)
{
	struct httpd h;
	char *cache = t_tmpdir();
	char *cached = path_join(cache, "releases.json");
	char *src = t_fixture("calendar/www/releases.json");
	char *body = t_read_file(src), *u;
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;
	struct timeval tv[2] = { { 0, 0 }, { 0, 0 } };
	struct stat st;
	/* days after the cache's newest mainline entry (2026-09-06) */
	static const struct { const char *today; int age, stale; } c[] = {
		{ "2026-09-08", 0, 0 },
		{ "2026-09-21", 0, 0 },
		{ "2026-09-23", 17, 1 },
		{ "2026-11-20", 75, 1 },
		{ "2027-09-06", 365, 1 },
	};

	t_write_file(cached, body);
	cal_options_init(&opt);
	opt.releases_url = "http://127.0.0.1:9/releases.json";
	opt.cache_dir = cache;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		/* written (or touched) just now: fresh by its date */
		opt.now = T(c[i].today, 12);
		tv[0].tv_sec = tv[1].tv_sec = opt.now - 60;
		ck_assert_int_eq(utimes(cached, tv), 0);
		ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
		ck_assert_int_eq(cal_state_at(cal, D(c[i].today), &w, &err),
				 0);
		ck_assert_msg(w.data_age_days == c[i].age, "%s: %ld days old",
			      c[i].today, (long)w.data_age_days);
		if (c[i].stale) {
			ck_assert_note(cal, "newest mainline entry is of "
				       "2026-09-06, older than mainline ever "
				       "stays");
			/* past the data: estimated, never an -rc14 */
			ck_assert_msg(w.predicted || w.rc_estimated, "%s",
				      c[i].today);
			ck_assert_int_le(w.rc, 9);
		} else
			ck_assert_uint_eq(cal_note_count(cal), 0);
		cal_free(cal);
	}
	/* dated a month ahead: fetched again (and dated now) */
	httpd_start(&h);
	u = url(&h, "releases.json");
	opt.releases_url = u;
	opt.now = T("2026-09-08", 12);
	tv[0].tv_sec = tv[1].tv_sec = opt.now + 30 * 86400;
	ck_assert_int_eq(utimes(cached, tv), 0);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_uint_eq(cal_note_count(cal), 0);
	cal_free(cal);
	ck_assert_int_eq(stat(cached, &st), 0);
	ck_assert_int_eq(st.st_mtime, opt.now);
	/* offline, such a cache is used as a stale one, and said */
	tv[0].tv_sec = tv[1].tv_sec = opt.now + 30 * 86400;
	ck_assert_int_eq(utimes(cached, tv), 0);
	opt.offline = 1;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "offline; using the cache of 2026-10-08");
	cal_free(cal);
	httpd_stop(&h);
	free(u);
	free(body);
	free(src);
	free(cached);
	t_rmtree(cache);
}
END_TEST

/* One bad answer: a note naming the cause, the shipped history. */
static void bad_fetch(const char *path, const char *cause, long timeout_ms,
		      double max_seconds)
{
	struct httpd h;
	char *u;
	char *cache = t_tmpdir();
	char *cached = path_join(cache, "releases.json");
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;
	double start;

	httpd_start(&h);
	u = url(&h, path);
	cal_options_init(&opt);
	opt.releases_url = u;
	opt.cache_dir = cache;
	opt.timeout_ms = timeout_ms;
	start = now_s();
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_msg(now_s() - start < max_seconds, "took %.1f s",
		      now_s() - start);
	ck_assert_note(cal, cause);
	ck_assert_note(cal, "using the other sources");
	ck_assert_int_eq(fs_exists(cached), 0);
	ck_assert_int_eq(cal_state_at(cal, D("2024-11-20"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_SHIPPED);
	ck_assert_int_eq(w.merge_window_open, 1);
	cal_free(cal);
	httpd_stop(&h);
	free(u);
	free(cached);
	t_rmtree(cache);
}

START_TEST(http_500_falls_back)
{
	bad_fetch("500", "HTTP 500", 0, 5);
}
END_TEST

START_TEST(malformed_json_falls_back)
{
	bad_fetch("truncated.json", "malformed JSON", 0, 5);
	bad_fetch("nomainline.json", "no mainline release", 0, 5);
}
END_TEST

START_TEST(redirect_loop_falls_back)
{
	bad_fetch("redirect-loop", "redirects", 0, 5);
}
END_TEST

START_TEST(too_big_falls_back)
{
	bad_fetch("big", "larger than", 0, 5);
	/* libcurl's cause, not "Out of memory" */
	bad_fetch("big-header", "a header line over 100 KB", 0, 5);
}
END_TEST

START_TEST(hung_server_times_out_in_5s)
{
	double start = now_s();

	/* Asking for a minute still gets at most 5 s. */
	bad_fetch("hang", "Timeout", 60000, 6.5);
	ck_assert_msg(now_s() - start >= 4.5, "gave up early");
}
END_TEST

/*
 * The fault matrix of HTTP (tests/FAULTS.md) for both documents the
 * calendar fetches: each fault of tests/httpd.py's /fault/MODE gives a
 * note naming the cause within the time limit, the shipped history, no
 * cache written, and memory bounded (a gzip bomb stops at the size
 * limit, counted after inflating: it is not inflated further).
 */
static const struct {
	const char *mode, *cause;
} http_faults[] = {
	{ "404", "HTTP 404" },
	{ "429", "HTTP 429" },
	{ "500", "HTTP 500" },
	{ "loop", "redirects" },
	{ "hang", "Timeout" },
	{ "slow", "Timeout" },
	{ "cut", "partial" },
	{ "big", "larger than 1048576 bytes" },
	{ "huge", "larger than 1048576 bytes" },
	{ "bomb", "larger than 1048576 bytes" },
};

START_TEST(http_fault_matrix)
{
	const char *mode = http_faults[_i / 2].mode;
	const char *cause = http_faults[_i / 2].cause;
	int netnext = _i % 2;
	char *script = path_join(t_srcdir(), "tests/httpd.py");
	char *www = t_fixture("calendar/www");
	char *cache = t_tmpdir();
	char *log = path_join(cache, "http.log");
	char *cached = path_join(cache, netnext ? "net-next.html"
						: "releases.json");
	const char *argv[] = { "python3", script, www, log, NULL };
	struct t_server srv;
	struct sbuf u = SBUF_INIT;
	struct cal_options opt;
	struct cal *cal;
	struct err err = ERR_INIT;
	long hwm = t_vm_hwm_kb();
	double start;

	t_server_start(&srv, argv);
	sbuf_addf(&u, "http://127.0.0.1:%d/fault/%s", srv.port, mode);
	cal_options_init(&opt);
	if (netnext)
		opt.netnext_url = u.buf;
	else
		opt.releases_url = u.buf;
	opt.cache_dir = cache;
	opt.timeout_ms = 1500;
	start = now_s();
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_msg(now_s() - start < 3, "%s took %.1f s", mode,
		      now_s() - start);
	ck_assert_note(cal, cause);
	ck_assert_note(cal, netnext ? "net-next status page: "
				    : "releases.json: ");
	ck_assert_int_eq(fs_exists(cached), 0);
	cal_free(cal);
	/* not gigabytes: the body is read up to the limit, no further */
	ck_assert_msg(t_vm_hwm_kb() - hwm < 64 * 1024, "%s: VmHWM %ld kB "
		      "then %ld kB", mode, hwm, t_vm_hwm_kb());
	/*
	 * A bomb's 2 MiB fit in the socket buffers: its bound is VmHWM's.
	 * 64 MiB do not.
	 */
	if (!strcmp(mode, "big") || !strcmp(mode, "huge")) {
		char *text = NULL;
		const char *p = NULL;

		/* the server sees the client stop reading: poll for it */
		for (int i = 0; i < 200 && !p; i++) {
			struct timespec ts = { 0, 50 * 1000 * 1000 };

			free(text);
			text = t_read_file(log);
			p = strstr(text, "sent ");
			if (!p)
				nanosleep(&ts, NULL);
		}
		/* and it stopped early: a fraction of the body went */
		ck_assert_msg(p && strtol(p + 5, NULL, 10) < 32 << 20,
			      "%s: %s", mode, text);
		free(text);
	}
	t_server_stop(&srv);
	sbuf_release(&u);
	free(script);
	free(www);
	free(log);
	free(cached);
	t_rmtree(cache);
}
END_TEST

START_TEST(failed_fetch_not_retried_at_once)
{
	struct httpd h;
	char *u, *cache = t_tmpdir();
	struct cal_options opt;
	struct cal *cal;
	struct err err = ERR_INIT;
	double start;

	httpd_start(&h);
	u = url(&h, "hang");
	cal_options_init(&opt);
	opt.releases_url = u;
	opt.cache_dir = cache;
	opt.timeout_ms = 1000;
	opt.now = T("2026-09-08", 12);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "Timeout");
	cal_free(cal);
	/* Ten minutes later: no new attempt. */
	opt.now += 600;
	start = now_s();
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_msg(now_s() - start < 0.5, "took %.1f s", now_s() - start);
	ck_assert_note(cal, "the last fetch failed 10 min ago");
	cal_free(cal);
	/* Twenty: again. */
	opt.now += 600;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "Timeout");
	cal_free(cal);
	httpd_stop(&h);
	free(u);
	t_rmtree(cache);
}
END_TEST

START_TEST(fetches_share_one_time_limit)
{
	struct httpd h;
	char *u;
	struct cal_options opt;
	struct cal *cal;
	struct err err = ERR_INIT;
	double start;

	httpd_start(&h);
	u = url(&h, "hang");
	cal_options_init(&opt);
	opt.releases_url = u;
	opt.netnext_url = u;
	opt.timeout_ms = 1000;
	start = now_s();
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_msg(now_s() - start < 1.8, "took %.1f s", now_s() - start);
	ck_assert_note(cal, "releases.json: ");
	ck_assert_note(cal, "net-next status page: not fetched: the");
	cal_free(cal);
	httpd_stop(&h);
	free(u);
}
END_TEST

START_TEST(no_network_falls_back)
{
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;
	double start = now_s();

	cal_options_init(&opt);
	/* Port 1 on loopback: nothing listens, the connection is refused. */
	opt.releases_url = "http://127.0.0.1:1/releases.json";
	opt.netnext_url = "http://127.0.0.1:1/net-next.html";
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_msg(now_s() - start < 2, "took %.1f s", now_s() - start);
	ck_assert_note(cal, "releases.json: http://127.0.0.1:1/releases.json");
	ck_assert_note(cal, "net-next status page: ");
	ck_assert_int_eq(cal_state_at(cal, D("2024-12-10"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_SHIPPED);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_MODEL);
	cal_free(cal);
}
END_TEST

START_TEST(redirect_is_followed)
{
	struct httpd h;
	char *u;
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;

	httpd_start(&h);
	u = url(&h, "redirect");
	cal_options_init(&opt);
	opt.releases_url = u;
	opt.now = T("2026-09-08", 12);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_uint_eq(cal_note_count(cal), 0);
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-08"), &w, &err), 0);
	ck_assert_int_eq(w.source, CAL_SOURCE_RELEASES);
	cal_free(cal);
	httpd_stop(&h);
	free(u);
}
END_TEST

START_TEST(status_page_overrides_net_next)
{
	struct httpd h;
	char *u;
	char *cache = t_tmpdir();
	struct cal_options opt;
	struct cal *cal;
	struct cal_window w;
	struct err err = ERR_INIT;

	httpd_start(&h);
	/* Mid-cycle (7.3-rc2 by the model), the page says closed. */
	u = url(&h, "net-next-closed.html");
	cal_options_init(&opt);
	opt.netnext_url = u;
	opt.cache_dir = cache;
	opt.now = T("2026-09-10", 12);
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_uint_eq(cal_note_count(cal), 0);
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-10"), &w, &err), 0);
	ck_assert_int_eq(w.bpf_next_open, 1);
	ck_assert_int_eq(w.net_next_open, 0);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_STATUS);
	/* A day before the page was read: the model. */
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-09"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_open, 1);
	cal_free(cal);
	free(u);
	/* An unclear page is ignored, with a note. */
	u = url(&h, "net-next-unclear.html");
	opt.netnext_url = u;
	opt.cache_dir = NULL;
	ck_assert_int_eq(cal_open(&cal, &opt, &err), 0);
	ck_assert_note(cal, "neither open nor closed");
	ck_assert_int_eq(cal_state_at(cal, D("2026-09-10"), &w, &err), 0);
	ck_assert_int_eq(w.net_next_source, CAL_SOURCE_MODEL);
	cal_free(cal);
	free(u);
	httpd_stop(&h);
	t_rmtree(cache);
}
END_TEST

/* ---- announcements in a real notmuch database ---- */

START_TEST(ann_subjects)
{
	ck_assert_int_eq(mail_ann_parse_subject("[ANN] net-next is CLOSED"),
			 0);
	ck_assert_int_eq(mail_ann_parse_subject("[ANN] net-next is OPEN"),
			 1);
	ck_assert_int_eq(mail_ann_parse_subject("net-next is open"), 1);
	ck_assert_int_eq(mail_ann_parse_subject(
			 "Re: [ANN] net-next is CLOSED"), -1);
	ck_assert_int_eq(mail_ann_parse_subject(
			 "Fwd: [ANN] net-next is OPEN"), -1);
	ck_assert_int_eq(mail_ann_parse_subject("[ANN] net-next is OPENING"),
			 -1);
	ck_assert_int_eq(mail_ann_parse_subject("net-next is"), -1);
	ck_assert_int_eq(mail_ann_parse_subject("[PATCH net-next] foo"), -1);
}
END_TEST

START_TEST(ann_found_in_notmuch)
{
	char *maildir = t_fixture("calendar/ann");
	const char *dirs[] = { maildir, NULL };
	char *root = t_notmuch_db(dirs);
	char *db = t_notmuch_path(root);
	struct mail_ann *anns;
	struct err err = ERR_INIT;
	size_t n;

	ck_assert_int_eq(mail_ann_find(db, &anns, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(ymd(date_of_time(anns[0].date)), "2024-12-20");
	ck_assert_int_eq(anns[0].open, 0);
	ck_assert_str_eq(ymd(date_of_time(anns[1].date)), "2025-01-02");
	ck_assert_int_eq(anns[1].open, 1);
	ck_assert_str_eq(ymd(date_of_time(anns[2].date)), "2025-01-18");
	ck_assert_int_eq(anns[2].open, 0);
	free(anns);
	ck_assert_int_lt(mail_ann_find(root, &anns, &n, &err), 0);
	ck_assert_int_eq(err.code, ERR_NOTMUCH);
	free(db);
	free(maildir);
	t_rmtree(root);
}
END_TEST

/* ---- vger window ---- */

static char *cli_env_dir;
/* [3]: one more setting a test may add */
static char *cli_env[5];

static void cli_setup(void)
{
	struct sbuf sb = SBUF_INIT;

	cli_env_dir = t_tmpdir();
	sbuf_addf(&sb, "XDG_CACHE_HOME=%s/cache", cli_env_dir);
	cli_env[0] = sbuf_detach(&sb);
	sbuf_addf(&sb, "GIT_CONFIG_GLOBAL=%s/gitconfig", cli_env_dir);
	cli_env[1] = sbuf_detach(&sb);
	sbuf_addf(&sb, "HOME=%s", cli_env_dir);
	cli_env[2] = sbuf_detach(&sb);
	cli_env[3] = cli_env[4] = NULL;
	sbuf_addf(&sb, "%s/gitconfig", cli_env_dir);
	t_write_file(sb.buf, "[vger]\n\toffline = true\n");
	sbuf_release(&sb);
	/* t_vger runs in the working directory: use the temporary one. */
	ck_assert_int_eq(chdir(cli_env_dir), 0);
}

static void cli_teardown(void)
{
	for (int i = 0; i < 3; i++)
		free(cli_env[i]);
	t_rmtree(cli_env_dir);
}

static int window(const char *const args[], struct sbuf *out,
		  struct sbuf *errout)
{
	const char *argv[16] = { "window" };
	int i;

	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	sbuf_reset(out);
	sbuf_reset(errout);
	return t_vger(argv, (const char *const *)cli_env, out, errout);
}

START_TEST(cli_window_text)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *closed[] = { "--at", "2024-11-20", NULL };
	const char *open[] = { "--at", "2024-12-15", "--tree", "bpf-next",
			       NULL };
	const char *net[] = { "--at", "2024-11-20", "--tree",
			      "iproute2 net-next", "--offline", NULL };

	ck_assert_int_eq(window(closed, &out, &err), 0);
	ck_assert_msg(str_starts_with(out.buf, "bpf-next: CLOSED \u2014 merge "
		"window for 6.13 open since 2024-11-17 (day 4 of ~14); "
		"reopens after v6.13-rc1, expected 2024-12-01\nnet-next: "
		"CLOSED \u2014 merge window for 6.13"), "%s", out.buf);
	ck_assert(strstr(out.buf, "\nbpf, net: OPEN"));
	ck_assert(strstr(out.buf, "\nsource: shipped history, data "));
	ck_assert_str_eq(err.buf, "");
	ck_assert_int_eq(window(open, &out, &err), 0);
	ck_assert(str_starts_with(out.buf, "bpf-next: OPEN \u2014 v6.13-rc3; "
		  "next merge window expected 2025-01-26 (\u00b17 days)\n"
		  "source: "));
	ck_assert_int_eq(window(net, &out, &err), 0);
	ck_assert(str_starts_with(out.buf, "iproute2 net-next: CLOSED"));
	sbuf_release(&out);
	sbuf_release(&err);
}
END_TEST

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return v;
}

static void ck_json_str(json_object *o, const char *key, const char *want)
{
	json_object *v = member(o, key);

	ck_assert_msg(json_object_is_type(v, json_type_string), "%s", key);
	ck_assert_str_eq(json_object_get_string(v), want);
}

static void ck_json_bool(json_object *o, const char *key, int want)
{
	json_object *v = member(o, key);

	ck_assert_msg(json_object_is_type(v, json_type_boolean), "%s", key);
	ck_assert_int_eq(json_object_get_boolean(v), want);
}

START_TEST(cli_window_json)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *in_window[] = { "--json", "--at", "2024-11-20", NULL };
	const char *rc2[] = { "--at", "2024-12-10", "--json", NULL };
	json_object *o, *v, *trees;

	ck_assert_int_eq(window(in_window, &out, &err), 0);
	o = json_tokener_parse(out.buf);
	ck_assert_msg(o != NULL, "%s", out.buf);
	ck_json_str(o, "date", "2024-11-20");
	ck_json_str(o, "release", "v6.12");
	ck_assert(json_object_is_type(member(o, "rc"), json_type_null));
	ck_json_bool(o, "merge_window_open", 1);
	ck_json_bool(o, "bpf_next_open", 0);
	ck_json_bool(o, "net_next_open", 0);
	ck_json_str(o, "window_opened", "2024-11-17");
	ck_json_str(o, "expected_reopen", "2024-12-01");
	ck_json_str(o, "next_window_expected", "2025-01-26");
	ck_json_str(o, "source", "shipped history");
	v = member(o, "data_age_days");
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_ge(json_object_get_int(v), 0);
	ck_assert_int_eq(json_object_get_int(member(o, "window_day")), 4);
	trees = member(o, "trees");
	ck_assert_uint_eq(json_object_array_length(trees), 4);
	json_object_put(o);

	ck_assert_int_eq(window(rc2, &out, &err), 0);
	o = json_tokener_parse(out.buf);
	ck_assert_msg(o != NULL, "%s", out.buf);
	ck_assert_int_eq(json_object_get_int(member(o, "rc")), 2);
	ck_json_bool(o, "merge_window_open", 0);
	ck_json_bool(o, "bpf_next_open", 1);
	ck_json_bool(o, "net_next_open", 1);
	ck_assert(json_object_is_type(member(o, "window_opened"),
				      json_type_null));
	ck_assert(json_object_is_type(member(o, "expected_reopen"),
				      json_type_null));
	ck_json_str(o, "next_window_expected", "2025-01-26");
	json_object_put(o);
	sbuf_release(&out);
	sbuf_release(&err);
}
END_TEST

START_TEST(cli_window_bad_input)
{
	static const char *const bad[][4] = {
		{ "--at", "2024-13-01", NULL },
		{ "--at", "yesterday", NULL },
		{ "--at", "2024-02-30", NULL },
		{ "--at", NULL },
		{ "--tree", "linux-frobnicator", NULL },
		{ "--frobnicate", NULL },
		{ "extra", NULL },
	};
	const char *old[] = { "--at", "2010-05-01", NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(window((const char *const *)bad[i], &out,
					&err), 2);
		ck_assert_str_eq(out.buf, "");
		ck_assert(str_starts_with(err.buf, "vger window: "));
		ck_assert_ptr_eq(strchr(err.buf, '\n'),
				 err.buf + err.len - 1);
	}
	ck_assert_int_eq(window(old, &out, &err), 1);
	ck_assert_msg(strstr(err.buf, "before v3.0"), "%s", err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
}
END_TEST

START_TEST(cli_window_reads_config_sources)
{
	struct httpd h;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	char *maildir = t_fixture("calendar/ann");
	const char *dirs[] = { maildir, NULL };
	char *root = t_notmuch_db(dirs);
	char *db = t_notmuch_path(root);
	char *path = path_join(cli_env_dir, "gitconfig");
	const char *today[] = { "--at", "2026-09-08", "--json", NULL };
	const char *holiday[] = { "--at", "2024-12-24", "--tree", "net-next",
				  NULL };
	json_object *o;

	httpd_start(&h);
	sbuf_addf(&cfg, "[vger]\n\treleasesUrl = %s/releases.json\n"
		  "\tnetnextUrl = %s/500\n\tdatabase = %s\n", h.url, h.url,
		  db);
	t_write_file(path, cfg.buf);
	ck_assert_int_eq(window(today, &out, &err), 0);
	o = json_tokener_parse(out.buf);
	ck_assert_msg(o != NULL, "%s", out.buf);
	ck_json_str(o, "source", "releases.json");
	ck_assert_int_eq(json_object_get_int(member(o, "rc")), 2);
	ck_assert(strstr(json_object_to_json_string(member(o, "notes")),
			 "HTTP 500"));
	json_object_put(o);
	ck_assert_int_eq(window(holiday, &out, &err), 0);
	ck_assert_msg(str_starts_with(out.buf, "net-next: CLOSED \u2014 [ANN] "
		      "net-next is CLOSED on 2024-12-20; v6.13-rc4"), "%s",
		      out.buf);
	httpd_stop(&h);
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&cfg);
	free(path);
	free(db);
	free(maildir);
	t_rmtree(root);
}
END_TEST

START_TEST(cli_window_reads_the_linux_tree_it_runs_in)
{
	char *dir = path_join(cli_env_dir, "linux");
	struct t_git *g = t_git_init(dir);
	const char *files[] = { "MAINTAINERS", "M:\tx\n", "Kbuild", "#\n",
				NULL };
	const char *args[] = { "--json", "--at", "2026-09-01", NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	json_object *o;

	t_git_commit(g, "Linux tree", files);
	tag_at(g, "v7.2", "2026-08-16", 1);
	tag_at(g, "v7.3-rc1", "2026-08-30", 1);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(window(args, &out, &err), 0);
	o = json_tokener_parse(out.buf);
	ck_assert_msg(o != NULL, "%s", out.buf);
	ck_json_str(o, "source", "git tags");
	ck_json_bool(o, "merge_window_open", 0);
	ck_json_bool(o, "rc_estimated", 0);
	ck_assert_int_eq(json_object_get_int(member(o, "rc")), 1);
	json_object_put(o);
	ck_assert_int_eq(chdir(cli_env_dir), 0);
	sbuf_release(&out);
	sbuf_release(&err);
	t_git_free(g);
	free(dir);
}
END_TEST

/*
 * A FIFO, a device or a directory in place of the calendar's cache
 * (issue 15, files vger keeps): vger window says so, naming it, and
 * answers as it does without a cache -- the shipped history offline,
 * the fetched documents online -- exiting 0.  The special file is left
 * as it is: not read, not written through, not replaced by the fetch.
 */
START_TEST(cli_window_special_file_in_place_of_the_cache)
{
	static const char *const docs[] = { "releases.json",
					    "net-next.html" };
	const char *offline[] = { "--at", "2024-11-20", NULL };
	const char *online[] = { "--at", "2026-09-08", NULL };
	char now[] = "VGER_NOW=2026-09-08";
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, cfg = SBUF_INIT;
	struct sbuf base_off = SBUF_INIT, base_on = SBUF_INIT;
	struct sbuf want = SBUF_INIT;
	char *dir = path_join(cli_env_dir, "cache/vger");
	char *gitconfig = path_join(cli_env_dir, "gitconfig");
	char *paths[2], *leftover;
	struct httpd h;
	glob_t g;

	for (size_t i = 0; i < 2; i++)
		paths[i] = path_join(dir, docs[i]);
	/* the day the recorded releases.json was fetched */
	cli_env[3] = now;
	httpd_start(&h);
	sbuf_addf(&cfg, "[vger]\n\treleasesUrl = %s/releases.json\n"
		  "\tnetnextUrl = %s/net-next-closed.html\n", h.url, h.url);
	leftover = path_join(dir, "*.tmp.*");
	/* What vger window says without a cache, offline and online. */
	ck_assert_int_eq(window(offline, &base_off, &err), 0);
	ck_assert_str_eq(err.buf, "");
	t_write_file(gitconfig, cfg.buf);
	ck_assert_int_eq(window(online, &base_on, &err), 0);
	ck_assert_msg(strstr(base_on.buf, "source: releases.json"), "%s",
		      base_on.buf);
	for (size_t i = 0; i < 2; i++)
		ck_assert_msg(fs_exists(paths[i]), "%s not cached", docs[i]);
	for (size_t k = 0; t_special_kinds[k]; k++) {
		const char *kind = t_special_kinds[k];

		for (size_t i = 0; i < 2; i++)
			t_special_plant(paths[i], kind);
		for (int on = 0; on < 2; on++) {
			t_write_file(gitconfig, on ? cfg.buf :
				     "[vger]\n\toffline = true\n");
			ck_assert_msg(window(on ? online : offline, &out,
					     &err) == 0, "%s: %s", kind,
				      err.buf);
			ck_assert_str_eq(out.buf, on ? base_on.buf :
					 base_off.buf);
			for (size_t i = 0; i < 2; i++) {
				sbuf_reset(&want);
				sbuf_addf(&want, "the cache %s is %s, not a "
					  "file; left as it is", paths[i],
					  t_special_what(kind));
				ck_assert_msg(strstr(err.buf, want.buf),
					      "%s: %s", want.buf, err.buf);
				t_special_intact(paths[i], kind);
			}
			ck_assert_int_eq(glob(leftover, 0, NULL, &g),
					 GLOB_NOMATCH);
			globfree(&g);
		}
	}
	httpd_stop(&h);
	cli_env[3] = NULL;
	for (size_t i = 0; i < 2; i++)
		free(paths[i]);
	free(leftover);
	free(gitconfig);
	free(dir);
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&cfg);
	sbuf_release(&base_off);
	sbuf_release(&base_on);
	sbuf_release(&want);
}
END_TEST

static Suite *calendar_suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *model = tcase_create("model");
	TCase *git = tcase_create("git");
	TCase *http = tcase_create("http");
	TCase *ann = tcase_create("ann");
	TCase *cli = tcase_create("cli");
	TCase *special = tcase_create("special");

	tcase_add_loop_test(model, history_known_states, 0,
			    sizeof(known) / sizeof(known[0]));
	tcase_add_test(model, window_messages_match_the_issue);
	tcase_add_test(model, trees_fixes_always_open);
	tcase_add_test(model, date_before_v3_is_a_clear_error);
	tcase_add_test(model, future_date_is_predicted);
	tcase_add_test(model, rc1_predicted_within_a_day);
	tcase_add_test(model, version_names);
	tcase_add_test(model, generator_rejects_bad_rows);
	tcase_add_test(model, announcements_override_net_next);
	tcase_add_test(model, status_page_words);
	tcase_add_test(model, releases_json_parse);
	suite_add_tcase(s, model);
	tcase_add_test(git, git_tags_are_the_first_source);
	tcase_add_test(git, git_tag_dates_against_git_itself);
	tcase_add_test(git, git_clone_without_tags_falls_back);
	suite_add_tcase(s, git);
	/* The hung server takes 5 s: more than Check's default timeout. */
	tcase_set_timeout(http, 60);
	tcase_add_test(http, releases_json_fetched_and_cached);
	tcase_add_test(http, offline_uses_an_old_cache);
	tcase_add_test(http, cache_date_does_not_hide_old_content);
	tcase_add_test(http, http_500_falls_back);
	tcase_add_test(http, malformed_json_falls_back);
	tcase_add_test(http, redirect_loop_falls_back);
	tcase_add_test(http, too_big_falls_back);
	tcase_add_test(http, hung_server_times_out_in_5s);
	tcase_add_test(http, redirect_is_followed);
	tcase_add_test(http, no_network_falls_back);
	tcase_add_test(http, failed_fetch_not_retried_at_once);
	tcase_add_test(http, fetches_share_one_time_limit);
	tcase_add_test(http, status_page_overrides_net_next);
	tcase_add_loop_test(http, http_fault_matrix, 0,
			    2 * sizeof(http_faults) / sizeof(*http_faults));
	suite_add_tcase(s, http);
	tcase_add_test(ann, ann_subjects);
	tcase_add_test(ann, ann_found_in_notmuch);
	suite_add_tcase(s, ann);
	tcase_add_checked_fixture(cli, cli_setup, cli_teardown);
	tcase_add_test(cli, cli_window_text);
	tcase_add_test(cli, cli_window_json);
	tcase_add_test(cli, cli_window_bad_input);
	tcase_add_test(cli, cli_window_reads_config_sources);
	tcase_add_test(cli, cli_window_reads_the_linux_tree_it_runs_in);
	suite_add_tcase(s, cli);
	/* A run that waits on a special file fails here, not hangs. */
	tcase_add_checked_fixture(special, cli_setup, cli_teardown);
	tcase_set_timeout(special, 30);
	tcase_add_test(special, cli_window_special_file_in_place_of_the_cache);
	suite_add_tcase(s, special);
	return s;
}

int main(void)
{
	/* A server whose stdin we closed must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return t_run_suite(calendar_suite());
}
