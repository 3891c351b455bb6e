/*
 * What the TUI reads in the background so the keys never wait: the
 * whole model (built, or updated from notmuch's lastmod), the tags,
 * and the calendar from the network.  One load at a time; its end is
 * a byte on a pipe the main loop polls.
 */
#ifndef TUI_LOADER_H
#define TUI_LOADER_H

#include <pthread.h>
#include <stddef.h>

#include "front/model.h"
#include "mail/model.h"
#include "tui/tags.h"
#include "util/err.h"

struct cal;
struct mail_model;
struct pw_db;

enum tui_load {
	TUI_LOAD_MODEL = 1 << 0,
	TUI_LOAD_TAGS = 1 << 1,
	TUI_LOAD_CALENDAR = 1 << 2,	/* fetch what is stale (5 s at most) */
	/* patchwork synced when its cache is stale (5 s at most) */
	TUI_LOAD_PATCHWORK = 1 << 3,
};

struct tui_loader {
	pthread_t thread;
	int running;
	int fds[2];		/* [0] polled by the loop */
	unsigned what;
	/* How far the model's load is: polled by the loop while running. */
	struct mail_model_progress progress;
	struct front_model_source src;	/* a copy for the thread */
	/*
	 * What the first screen's read found stale (tui.c), for the next
	 * model load to go on from; the thread's once it starts.
	 */
	struct mail_model_head *head;
	/* Results, the main thread's once the byte arrived. */
	struct mail_model *model;
	struct tui_tagsets tags;
	int have_tags;
	struct cal *cal;
	struct pw_db *pw;	/* patchwork's cache, synced or not */
	int have_pw;
	struct err err;		/* the first failure */
	int failed;
};

/* 0, or < 0 with err (no pipe). */
int tui_loader_init(struct tui_loader *l, struct err *err);
void tui_loader_release(struct tui_loader *l);
/* Start a load of what from src; 0 started, 1 one is running already. */
int tui_loader_start(struct tui_loader *l,
		     const struct front_model_source *src, unsigned what);
/* The byte arrived: join the thread; the results are in l. */
void tui_loader_finish(struct tui_loader *l);

#endif
