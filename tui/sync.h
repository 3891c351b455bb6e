/*
 * vger sync inside the TUI (the `$` key): front_sync() on a thread of
 * its own, so the screen never waits for lei or notmuch.  What the
 * flow says comes to the main loop as lines on a pipe it polls; the
 * last one stays on the status line.
 */
#ifndef TUI_SYNC_H
#define TUI_SYNC_H

#include <pthread.h>
#include <signal.h>

#include "front/sync.h"
#include "util/err.h"
#include "util/sbuf.h"

struct tui_sync {
	pthread_t thread;
	int running;
	int fds[2];		/* [0] polled by the loop */
	volatile sig_atomic_t stop;	/* the loop asks the flow to stop */
	volatile sig_atomic_t done;	/* the flow returned */
	struct sbuf partial;	/* the loop's: a line not whole yet */
	struct sbuf step;	/* the thread's: the step running */
	/* The flow's results, the loop's once done. */
	struct front_sync_result result;
	struct err err;
	int ret;
};

/* 0, or < 0 with err (no pipe). */
int tui_sync_init(struct tui_sync *s, struct err *err);
/* Stop a sync that runs (its program gets SIGINT) and wait for it. */
void tui_sync_release(struct tui_sync *s);
/* Start one; 1 when one is running already. */
int tui_sync_start(struct tui_sync *s);
/*
 * The pipe is readable: the newest whole line into status (reset
 * first; "" when none came, error set for a failed step), and 1 when
 * the sync has ended (the thread is joined, the results are in s).
 */
int tui_sync_read(struct tui_sync *s, struct sbuf *status, int *error);

#endif
