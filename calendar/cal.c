/*
 * The merge-window model: the state on a day from the facts known on
 * that day, and the prediction of the next window.
 *
 * The pattern (since 3.0): Linus releases vX.Y on a Sunday; the merge
 * window runs two weeks, to vX.(Y+1)-rc1 on the Sunday after next; then
 * one -rc a week, and the release a week after rc7 (about two cycles in
 * three) or rc8 -- 63 or 70 days after the previous release.  The model
 * predicts rc1 = the first Sunday at least 13 days after the release
 * (a Monday release still gets its rc1 on the second Sunday), and the
 * release on the Sunday nearest rc1 + 49 days (after rc7), or a week
 * later when most finished cycles of the same class ran to rc8 (see
 * expect_long_cycle()), never before a week after the latest rc tag,
 * and pushed a week at a time while it has not come.
 * bench/calendar-eval measures it; doc/README-calendar.md has the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/private.h"
#include "kernel/trees.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* A window longer than this without an rc1 in the data: rc1 is missing. */
#define WINDOW_MAX_DAYS 15
#define NEXT_WINDOW_MARGIN 7
/* The most days mainline goes without a new entry (a merge window). */
#define MAINLINE_GAP_MAX WINDOW_MAX_DAYS

long cal_sunday_on_or_after(long day)
{
	return day + (7 - date_weekday(day)) % 7;
}

void cal_version_string(int major, int minor, int rc, char *out, size_t size)
{
	if (rc)
		snprintf(out, size, "v%d.%d-rc%d", major, minor, rc);
	else
		snprintf(out, size, "v%d.%d", major, minor);
}

void cal_options_init(struct cal_options *opt)
{
	memset(opt, 0, sizeof(*opt));
}

static struct cal *cal_new(time_t now)
{
	struct cal *cal = xcalloc(1, sizeof(*cal));

	for (int i = 0; i <= CAL_SOURCE_MODEL; i++)
		cal->newest[i] = -1;
	cal->today = date_of_time(now ? now : time(NULL));
	vec_init(&cal->notes);
	return cal;
}

/*
 * Check the merged history and find its horizon: the last day the
 * release sources are complete to (announcements and the status page
 * say nothing of releases).
 */
static void finish(struct cal *cal)
{
	static const enum cal_source release_sources[] = {
		CAL_SOURCE_GIT, CAL_SOURCE_RELEASES, CAL_SOURCE_SHIPPED,
	};

	cal_history_check(cal);
	cal->horizon = -1;
	for (int i = 0; i < 3; i++)
		if (cal->newest[release_sources[i]] > cal->horizon)
			cal->horizon = cal->newest[release_sources[i]];
}

struct cal *cal_open_shipped(void)
{
	struct cal *cal = cal_new(0);

	cal_load_shipped(cal);
	finish(cal);
	return cal;
}

void cal_free(struct cal *cal)
{
	if (!cal)
		return;
	free(cal->v);
	free(cal->obs);
	free(cal->obs_src);
	vec_release(&cal->notes, free);
	free(cal);
}

long cal_today(const struct cal *cal)
{
	return cal->today;
}

static void add_obs(struct cal *cal, long day, int open, enum cal_source src)
{
	size_t i;

	cal->obs = xrealloc(cal->obs, (cal->n_obs + 1) * sizeof(*cal->obs));
	cal->obs_src = xrealloc(cal->obs_src,
				(cal->n_obs + 1) * sizeof(*cal->obs_src));
	/*
	 * Keep them sorted by day; on the same day an announcement goes
	 * after (wins over) the status page.
	 */
	for (i = cal->n_obs; i > 0; i--) {
		long d = cal->obs[i - 1].day;

		if (d < day || (d == day && (src == CAL_SOURCE_ANN ||
				cal->obs_src[i - 1] == CAL_SOURCE_STATUS)))
			break;
		cal->obs[i] = cal->obs[i - 1];
		cal->obs_src[i] = cal->obs_src[i - 1];
	}
	cal->obs[i].day = day;
	cal->obs[i].open = open;
	cal->obs_src[i] = src;
	cal->n_obs++;
}

static void open_git(struct cal *cal, const char *path)
{
	struct vec facts = VEC_INIT;
	struct err err = ERR_INIT;
	long newest = -1;

	if (cal_git_facts(path, &facts, &newest, &err) < 0)
		cal_note_add(cal, "git tags: %s; using the other sources",
			     err.msg);
	else if (!facts.n)
		cal_note_add(cal, "git tags: no vX.Y or vX.Y-rcN tags in %s; "
			     "using the other sources", path);
	else
		cal_add_facts(cal, &facts, CAL_SOURCE_GIT);
	vec_release(&facts, free);
}

static int validate_releases(const char *body, size_t len, struct err *err)
{
	struct vec facts = VEC_INIT;
	int ret = cal_releases_parse(body, len, &facts, err);

	vec_release(&facts, free);
	return ret;
}

static int validate_status(const char *body, size_t len, struct err *err)
{
	int ret = cal_status_parse(body, len, err);

	return ret < 0 ? ret : 0;
}

static void open_releases(struct cal *cal, const struct cal_options *opt,
			  long refresh)
{
	struct cal_doc_req req = {
		"releases.json", opt->releases_url, opt->cache_dir,
		"releases.json", opt->offline, refresh, opt->now,
		validate_releases,
	};
	struct sbuf body = SBUF_INIT;
	struct vec facts = VEC_INIT;
	struct err err = ERR_INIT;
	time_t fetched;
	long newest = -1;

	if (cal_get_doc(cal, &req, &body, &fetched) < 0)
		goto out;
	if (cal_releases_parse(body.buf, body.len, &facts, &err) < 0) {
		cal_note_add(cal, "releases.json: %s", err.msg);
		goto out;
	}
	cal_add_facts(cal, &facts, CAL_SOURCE_RELEASES);
	/* The mainline entry is the newest as of the fetch... */
	cal->newest[CAL_SOURCE_RELEASES] = date_of_time(fetched);
	/*
	 * ...unless it is older than mainline ever stays (an -rc a week, a
	 * release, two weeks of merge window): then the file is old
	 * whatever its date says, and the data is as old as that entry.
	 */
	for (size_t i = 0; i < facts.n; i++) {
		const struct cal_fact *f = facts.items[i];

		if (f->day > newest)
			newest = f->day;
	}
	if (newest >= 0 && date_of_time(fetched) - newest > MAINLINE_GAP_MAX) {
		char d[16];

		date_format_ymd(newest, d, sizeof(d));
		cal_note_add(cal, "releases.json: its newest mainline entry is "
			     "of %s, older than mainline ever stays: the data "
			     "is that old", d);
		cal->newest[CAL_SOURCE_RELEASES] = newest;
	}
out:
	vec_release(&facts, free);
	sbuf_release(&body);
}

static void open_status(struct cal *cal, const struct cal_options *opt,
			long refresh)
{
	struct cal_doc_req req = {
		"net-next status page", opt->netnext_url, opt->cache_dir,
		"net-next.html", opt->offline, refresh, opt->now,
		validate_status,
	};
	struct sbuf body = SBUF_INIT;
	struct err err = ERR_INIT;
	time_t fetched;
	int open;

	if (cal_get_doc(cal, &req, &body, &fetched) < 0)
		goto out;
	open = cal_status_parse(body.buf, body.len, &err);
	if (open < 0) {
		cal_note_add(cal, "net-next status page: %s", err.msg);
		goto out;
	}
	add_obs(cal, date_of_time(fetched), open, CAL_SOURCE_STATUS);
	cal->newest[CAL_SOURCE_STATUS] = date_of_time(fetched);
out:
	sbuf_release(&body);
}

int cal_open(struct cal **out, const struct cal_options *opt,
	     struct err *err)
{
	long refresh = opt->refresh_secs;
	long timeout = opt->timeout_ms;
	struct cal *cal;

	*out = NULL;
	if (refresh < 0)
		return err_set(err, ERR_USAGE, "negative refresh period");
	if (!refresh)
		refresh = CAL_REFRESH_DEFAULT;
	if (timeout <= 0 || timeout > CAL_TIMEOUT_MAX_MS)
		timeout = CAL_TIMEOUT_MAX_MS;
	cal = cal_new(opt->now);
	cal->fetch_budget_ms = timeout;
	cal_load_shipped(cal);
	if (opt->releases_url || opt->cache_dir)
		open_releases(cal, opt, refresh);
	if (opt->linux_repo)
		open_git(cal, opt->linux_repo);
	if (opt->netnext_url || opt->cache_dir)
		open_status(cal, opt, refresh);
	for (size_t i = 0; i < opt->n_anns; i++) {
		add_obs(cal, opt->anns[i].day, !!opt->anns[i].open,
			CAL_SOURCE_ANN);
		if (opt->anns[i].day > cal->newest[CAL_SOURCE_ANN])
			cal->newest[CAL_SOURCE_ANN] = opt->anns[i].day;
	}
	finish(cal);
	*out = cal;
	return 0;
}

/* What is known of the current cycle at a cut-off day. */
struct cycle {
	int major, minor;
	long release;
	int next_major, next_minor;
	long rc1;		/* -1 while unknown (the window is open) */
	int rc1_est;
	int rc_n;		/* the latest rc known, with its day */
	long rc_day;
	enum cal_source src;	/* of the newest fact */
	long src_day;
};

static void next_version(int major, int minor, int *nmaj, int *nmin)
{
	/*
	 * NEEDSWORK: Linus bumps the major number when the minor "gets
	 * too big" (3.19, 4.20, 5.19, 6.19); past the data this guesses
	 * a bump after .19.
	 */
	if (minor >= 19) {
		*nmaj = major + 1;
		*nmin = 0;
	} else {
		*nmaj = major;
		*nmin = minor + 1;
	}
}

static int cycle_at(const struct cal *cal, long cutoff, struct cycle *cy)
{
	const struct cal_version *v, *nv = NULL;
	size_t i = cal->n;

	while (i > 0 && (cal->v[i - 1].release == -1 ||
			 cal->v[i - 1].release > cutoff))
		i--;
	if (!i)
		return -1;
	v = &cal->v[i - 1];
	memset(cy, 0, sizeof(*cy));
	cy->major = v->major;
	cy->minor = v->minor;
	cy->release = v->release;
	cy->src = v->release_src;
	cy->src_day = v->release;
	cy->rc1 = -1;
	if (i < cal->n) {
		nv = &cal->v[i];
		cy->next_major = nv->major;
		cy->next_minor = nv->minor;
	} else {
		next_version(v->major, v->minor, &cy->next_major,
			     &cy->next_minor);
	}
	for (int n = 1; nv && n <= CAL_RC_MAX; n++) {
		long d = nv->rc[n];

		if (d == -1 || d > cutoff || d <= v->release)
			continue;
		cy->rc_n = n;
		cy->rc_day = d;
		if (d >= cy->src_day) {
			cy->src = nv->rc_src[n];
			cy->src_day = d;
		}
	}
	if (cy->rc_n) {
		if (nv->rc[1] != -1 && nv->rc[1] <= cutoff) {
			cy->rc1 = nv->rc[1];
		} else {
			/* Only a later rc is known: count back a week each. */
			cy->rc1 = cy->rc_day - 7L * (cy->rc_n - 1);
			cy->rc1_est = 1;
		}
	}
	return 0;
}

static long expect_rc1(long release)
{
	return cal_sunday_on_or_after(release + 13);
}

/* The Sunday nearest to day (releases are on Sundays). */
static long nearest_sunday(long day)
{
	int wd = date_weekday(day);

	return wd <= 3 ? day - wd : day + 7 - wd;
}

/* Does a Christmas Day fall between rc1 and the rc7 release? */
static int holiday_cycle(long rc1)
{
	int y, m, d;

	date_to_civil(rc1, &y, &m, &d);
	for (int k = 0; k < 2; k++) {
		long xmas = date_from_civil(y + k, 12, 25);

		if (xmas >= rc1 && xmas <= rc1 + 49)
			return 1;
	}
	return 0;
}

/*
 * Will this cycle run to rc8?  Learnt from the cycles finished by the
 * cut-off, in two classes: the ones over Christmas (Linus has added an
 * rc for the holidays in most of them: 4.4, 4.10, 5.16, 6.2, 6.7, 6.19)
 * and the others (rc8 in about a quarter).  The answer is the majority
 * of the class; before there is any, no.
 */
static int expect_long_cycle(const struct cal *cal, long rc1, long cutoff)
{
	int cls = holiday_cycle(rc1), n = 0, longer = 0;

	for (size_t i = 1; i < cal->n; i++) {
		const struct cal_version *v = &cal->v[i];
		long prev = cal->v[i - 1].release, r1 = v->rc[1];

		if (v->release == -1 || v->release > cutoff || prev == -1)
			continue;
		if (r1 == -1 || r1 <= prev || r1 >= v->release)
			r1 = cal_sunday_on_or_after(prev + 13);
		if (holiday_cycle(r1) != cls)
			continue;
		n++;
		longer += v->release - r1 >= 53;
	}
	return 2 * longer > n;
}

static long expect_release(const struct cal *cal, const struct cycle *cy,
			   long cutoff)
{
	long base = nearest_sunday(cy->rc1 + 49);

	if (expect_long_cycle(cal, cy->rc1, cutoff))
		base += 7;

	if (cy->rc_n >= 7 && cy->rc_day + 7 > base)
		base = cy->rc_day + 7;
	while (base <= cutoff)
		base += 7;
	return base;
}

static void start_rc1(struct cycle *cy, long day)
{
	cy->rc1 = day;
	cy->rc1_est = 1;
	cy->rc_n = 1;
	cy->rc_day = day;
}

/* The transition of the model on or before the window's day. */
static long model_transition(const struct cal_window *w)
{
	return w->merge_window_open ? w->release_day : w->rc1_day;
}

static void net_next_state(const struct cal *cal, struct cal_window *w)
{
	long day = w->day, t = model_transition(w);
	size_t i = cal->n_obs;

	w->net_next_open = w->bpf_next_open;
	w->net_next_source = CAL_SOURCE_MODEL;
	w->net_next_since = -1;
	while (i > 0 && cal->obs[i - 1].day > day)
		i--;
	if (!i)
		return;
	i--;
	/*
	 * The newest word applies until the model moves on (release or
	 * rc1) after it -- except that a CLOSED sent in the week before
	 * the release still holds in the window it announced.
	 */
	if (cal->obs[i].day >= t ||
	    (!cal->obs[i].open && w->merge_window_open &&
	     cal->obs[i].day >= w->release_day - 7)) {
		w->net_next_open = cal->obs[i].open;
		w->net_next_source = cal->obs_src[i];
		w->net_next_since = cal->obs[i].day;
	}
}

int cal_state_at(const struct cal *cal, long day, struct cal_window *w,
		 struct err *err)
{
	long cutoff = day < cal->horizon ? day : cal->horizon;
	int predicted = 0;
	struct cycle cy;

	memset(w, 0, sizeof(*w));
	if (cycle_at(cal, cutoff, &cy) < 0) {
		char d[16], first[16];

		date_format_ymd(day, d, sizeof(d));
		if (!cal->n || cal->v[0].release == -1)
			return err_set(err, ERR_NOTFOUND,
				       "no release history");
		date_format_ymd(cal->v[0].release, first, sizeof(first));
		return err_set(err, ERR_NOTFOUND,
			       "%s is before v%d.%d (%s), where the release "
			       "history starts", d, cal->v[0].major,
			       cal->v[0].minor, first);
	}
	/* A window this long means the data lacks its rc1. */
	if (cy.rc1 == -1 && cutoff >= cy.release + WINDOW_MAX_DAYS)
		start_rc1(&cy, expect_rc1(cy.release));
	/* Past the data: let the predicted cycles run up to day. */
	while (day > cal->horizon) {
		if (cy.rc1 == -1) {
			long e = expect_rc1(cy.release);

			if (e > day)
				break;
			start_rc1(&cy, e);
		} else {
			long r = expect_release(cal, &cy, cal->horizon);

			if (r > day)
				break;
			cy.major = cy.next_major;
			cy.minor = cy.next_minor;
			cy.release = r;
			next_version(cy.major, cy.minor, &cy.next_major,
				     &cy.next_minor);
			cy.rc1 = -1;
			cy.rc1_est = 0;
			cy.rc_n = 0;
		}
		predicted = 1;
	}

	w->day = day;
	w->major = cy.major;
	w->minor = cy.minor;
	w->release_day = cy.release;
	w->next_major = cy.next_major;
	w->next_minor = cy.next_minor;
	w->predicted = predicted;
	w->source = cy.src;
	w->data_age_days = cal->today - cal->newest[cy.src];
	if (w->data_age_days < 0)
		w->data_age_days = 0;
	if (cy.rc1 == -1) {
		w->merge_window_open = 1;
		w->window_day = (int)(day - cy.release + 1);
		w->rc1_day = expect_rc1(cy.release);
		w->rc1_estimated = 1;
		cy.rc1 = w->rc1_day;
		w->next_window_expected = expect_release(cal, &cy, day);
	} else {
		w->rc = cy.rc_n + (int)((day - cy.rc_day) / 7);
		if (w->rc > CAL_RC_MAX)
			w->rc = CAL_RC_MAX;
		w->rc_estimated = w->rc != cy.rc_n || cy.rc1_est;
		w->rc1_day = cy.rc1;
		w->rc1_estimated = cy.rc1_est;
		w->next_window_expected = expect_release(cal, &cy, day);
	}
	w->next_window_margin = NEXT_WINDOW_MARGIN;
	w->next_window_close = expect_rc1(w->next_window_expected);
	w->bpf_next_open = !w->merge_window_open;
	net_next_state(cal, w);
	return 0;
}

enum tree_kind { TREE_UNKNOWN = -1, TREE_FIXES, TREE_NEXT, TREE_NET_NEXT };

/* What the merge window means for tree (kernel/trees.h). */
static enum tree_kind tree_kind(const char *tree)
{
	const struct kernel_tree *t = kernel_tree_find(tree);

	switch (kernel_tree_window_kind(tree)) {
	case KERNEL_TREE_FIXES:
		return TREE_FIXES;
	case KERNEL_TREE_NEXT:
		return t && (t->flags & KERNEL_TREE_ANNOUNCED) ?
			TREE_NET_NEXT : TREE_NEXT;
	case KERNEL_TREE_OTHER:
		break;
	}
	return TREE_UNKNOWN;
}

static void add_day(struct sbuf *out, long day)
{
	char d[16];

	date_format_ymd(day, d, sizeof(d));
	sbuf_addstr(out, d);
}

/* "merge window for 6.13 open since 2024-11-17 (day 4 of ~14)" */
static void add_window(const struct cal_window *w, struct sbuf *out)
{
	sbuf_addf(out, "merge window for %d.%d open since ", w->next_major,
		  w->next_minor);
	add_day(out, w->release_day);
	sbuf_addf(out, " (day %d of ~14)", w->window_day);
}

/* "; reopens after v6.13-rc1, expected 2024-12-01" */
static void add_reopen(const struct cal_window *w, struct sbuf *out)
{
	sbuf_addf(out, "; reopens after v%d.%d-rc1, expected ",
		  w->next_major, w->next_minor);
	add_day(out, w->rc1_day);
}

/* "v6.13-rc3; next merge window expected 2025-01-19 (±7 days)" */
static void add_rc(const struct cal_window *w, struct sbuf *out)
{
	char v[32];

	cal_version_string(w->next_major, w->next_minor, w->rc, v,
			   sizeof(v));
	sbuf_addf(out, "%s; next merge window expected ", v);
	add_day(out, w->next_window_expected);
	sbuf_addf(out, " (\u00b1%d days)", w->next_window_margin);
}

static void add_word(const struct cal_window *w, struct sbuf *out)
{
	if (w->net_next_source == CAL_SOURCE_ANN)
		sbuf_addf(out, "[ANN] net-next is %s on ",
			  w->net_next_open ? "OPEN" : "CLOSED");
	else
		sbuf_addf(out, "the status page says %s on ",
			  w->net_next_open ? "open" : "closed");
	add_day(out, w->net_next_since);
	sbuf_addstr(out, "; ");
}

int cal_describe(const struct cal_window *w, const char *tree,
		 struct sbuf *out)
{
	enum tree_kind kind = tree_kind(tree);
	int open;

	if (kind == TREE_UNKNOWN)
		return -1;
	sbuf_addf(out, "%s: ", tree);
	if (kind == TREE_FIXES) {
		sbuf_addstr(out, "OPEN \u2014 fixes are taken at any time; ");
		if (w->merge_window_open)
			add_window(w, out);
		else
			add_rc(w, out);
		open = 1;
	} else if (kind == TREE_NET_NEXT &&
		   w->net_next_source != CAL_SOURCE_MODEL) {
		open = w->net_next_open;
		sbuf_addstr(out, open ? "OPEN \u2014 " : "CLOSED \u2014 ");
		add_word(w, out);
		if (w->merge_window_open) {
			add_window(w, out);
			if (!open)
				add_reopen(w, out);
		} else {
			add_rc(w, out);
		}
	} else if (w->merge_window_open) {
		open = 0;
		sbuf_addstr(out, "CLOSED \u2014 ");
		add_window(w, out);
		add_reopen(w, out);
	} else {
		open = 1;
		sbuf_addstr(out, "OPEN \u2014 ");
		add_rc(w, out);
	}
	if (w->predicted)
		sbuf_addstr(out, " (predicted: past the data)");
	return open;
}

int cal_tree_open(const struct cal *cal, const char *tree, long day,
		  int *open, struct sbuf *msg, struct err *err)
{
	struct cal_window w;
	struct sbuf sb = SBUF_INIT;
	int ret;

	if (tree_kind(tree) == TREE_UNKNOWN)
		return err_set(err, ERR_NOTFOUND,
			       "no merge-window rule for tree '%s'", tree);
	ret = cal_state_at(cal, day, &w, err);
	if (ret < 0)
		return ret;
	ret = cal_describe(&w, tree, &sb);
	*open = ret;
	if (msg)
		sbuf_addstr(msg, sb.buf);
	sbuf_release(&sb);
	return 0;
}
