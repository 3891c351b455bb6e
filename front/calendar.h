/* The calendar for the front ends: options from git config, opened. */
#ifndef FRONT_CALENDAR_H
#define FRONT_CALENDAR_H

#include <time.h>

struct cal;
struct cal_window;
struct err;
struct front_config;
struct sbuf;
struct vec;

/*
 * Open the calendar with what git config says (vger.linux, or the
 * Linux tree vger runs in; vger.releasesUrl, vger.netnextUrl,
 * vger.database for net-next announcements, vger.refreshHours).  With
 * offline (or vger.offline) nothing is fetched: the cache that vger
 * window last wrote and the shipped history are used.  What could not
 * be read is appended to warnings (char *, owned; NULL: dropped);
 * the calendar's own notes are in cal_note().  0, or < 0 with err.
 */
int front_calendar_open(struct front_config *cfg, int offline,
			struct cal **out, struct vec *warnings,
			struct err *err);

/*
 * Whether tree is closed on the day of now, offline, with a one-line
 * message appended to msg.  0 open or unknown tree (nothing appended),
 * 1 closed.  Never fails: without a calendar, open.
 */
int front_tree_closed(struct front_config *cfg, const char *tree,
		      time_t now, struct sbuf *msg);

/*
 * The TUI's banner line for state w: "bpf-next CLOSED · 7.3 merge
 * window day 4 · reopens ~2026-08-30 · kernel.org, 2 days old" or
 * "bpf-next open · v7.3-rc3 · next window ~2026-10-18 · ...", with
 * net-next named when it differs.  Returns 1 when bpf-next is closed.
 */
int front_window_banner(const struct cal_window *w, struct sbuf *out);

#endif
