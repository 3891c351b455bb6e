/* What vger init and vger sync share: printing a flow's lines, Ctrl-C. */
#ifndef CLI_SYNC_H
#define CLI_SYNC_H

#include <signal.h>

#include "front/sync.h"

struct cli_sync_out {
	const char *cmd;	/* "sync", "init" */
	int verbose;		/* print the programs' lines too */
};

/*
 * The hook of front/sync.h (data: struct cli_sync_out): steps and
 * results on stdout, warnings and errors on stderr, made safe.
 */
void cli_sync_say(enum front_say kind, const char *text, void *data);
/*
 * Catch SIGINT, SIGTERM and SIGHUP into the flag cli_sync_stop()
 * gives (restore 0), or put back what old holds (restore 1).
 */
int cli_sync_signals(struct sigaction old[3], int restore);
volatile sig_atomic_t *cli_sync_stop(void);

#endif
