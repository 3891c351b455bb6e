/* The calendar for the front ends: options from git config, opened. */
#ifndef FRONT_CALENDAR_H
#define FRONT_CALENDAR_H

#include <time.h>

struct cal;
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

#endif
