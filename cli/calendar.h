/* The calendar for the front ends: options from git config, opened. */
#ifndef CLI_CALENDAR_H
#define CLI_CALENDAR_H

struct cal;
struct cli_config;
struct sbuf;

/*
 * Open the calendar with what git config says (vger.linux, or the
 * Linux tree vger runs in; vger.releasesUrl, vger.netnextUrl,
 * vger.database for net-next announcements, vger.refreshHours).  With
 * offline (or vger.offline) nothing is fetched: the cache that vger
 * window last wrote and the shipped history are used.  Warnings go to
 * stderr as "vger CMD: ...".  0, or CLI_FAIL after printing why.
 */
int cli_calendar_open(const char *cmd, struct cli_config *cfg, int offline,
		      struct cal **out);

/*
 * Whether tree is closed on the day of cli_now(), offline, with a
 * one-line message appended to msg.  0 open or unknown tree (nothing
 * appended), 1 closed.  Never fails: without a calendar, open.
 */
int cli_tree_closed(const char *cmd, struct cli_config *cfg,
		    const char *tree, struct sbuf *msg);

#endif
