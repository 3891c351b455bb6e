/*
 * Views behind one small interface, as tig lays them out.  A view
 * fills rows (struct tui_line) from the model and handles actions; it
 * never draws and never reads keys: tui/paint.c draws, tui/loop.c
 * reads keys, maps them to actions and pushes the views a handler
 * asks for.  So every view's rows and state are tested without a
 * terminal (tests/check_tui.c).
 */
#ifndef TUI_VIEW_H
#define TUI_VIEW_H

#include <stddef.h>

#include "tui/keymap.h"
#include "util/vec.h"

struct err;
struct mail_model;
struct sbuf;
struct tui_app;
struct tui_line;
struct tui_view;

/* What a handler did, for the loop. */
enum tui_result {
	TUI_UNHANDLED = 0,	/* not mine: try the generic actions */
	TUI_HANDLED = 1 << 0,
	TUI_REDRAW = 1 << 1,	/* rows changed: repaint */
	TUI_OPEN = 1 << 2,	/* push req->open with req->arg */
	TUI_BACK = 1 << 3,	/* pop this view */
	TUI_QUIT = 1 << 4,
	TUI_ASK = 1 << 5,	/* read a line for req->prompt, then call
				 * handle() again with it as the argument */
	TUI_RELOAD = 1 << 6,	/* read what is new in the database */
};

struct tui_view_ops;

/* What a tag action on the selection acts on. */
struct tui_target {
	struct vec ids;		/* char *: message ids, owned */
	char what[64];		/* "series", "v3", "message" */
	unsigned flags;		/* enum tui_series_flags of the target */
};

void tui_target_release(struct tui_target *t);
/*
 * Fill t with every message of versions v[0..n) and say what it is.
 * -1 when the model has no messages yet (still loading).
 */
struct mail_version;
int tui_target_versions(struct tui_app *app, struct tui_target *t,
			const struct mail_version *const *v, size_t n,
			const char *what);

/* What a handler asks of the loop. */
struct tui_request {
	const struct tui_view_ops *open;	/* TUI_OPEN */
	const void *arg;			/* passed to open() */
	const char *prompt;			/* TUI_ASK: "limit: " */
	const char *initial;			/* TUI_ASK: text to start with */
	int secret;				/* TUI_ASK: typing not shown */
};

struct tui_view_ops {
	const char *name;	/* for the title bar and : */
	enum tui_scope scope;	/* whose key bindings apply */
	size_t priv_size;	/* bytes of view->priv, zeroed */
	/* Selectable rows (a cursor), or a pager that scrolls. */
	int cursor;
	int (*open)(struct tui_view *v, const void *arg, struct err *err);
	size_t (*nrows)(const struct tui_view *v);
	void (*row)(const struct tui_view *v, size_t i, struct tui_line *out);
	/* The title bar's text (after the view's name). */
	void (*title)(const struct tui_view *v, struct sbuf *out);
	/*
	 * An action with its argument (from a binding, the : prompt or
	 * an answered TUI_ASK; NULL when none).  Returns enum
	 * tui_result flags; TUI_UNHANDLED lets the generic motions run.
	 */
	unsigned (*handle)(struct tui_view *v, enum tui_action a,
			   const char *arg, struct tui_request *req);
	/*
	 * The model was replaced (app->model is the new one, old is
	 * still alive): find the selection again.  Optional.
	 */
	void (*reload)(struct tui_view *v, const struct mail_model *old);
	/*
	 * The view is on top again (what was opened over it is gone):
	 * read again what may have changed (tags).  Optional.
	 */
	void (*resume)(struct tui_view *v);
	/*
	 * What the tag actions act on: the selected series, version or
	 * message.  0, or -1 when nothing (the status line says why).
	 * Optional: a view without it cannot be tagged from.
	 */
	int (*targets)(struct tui_view *v, struct tui_target *t);
	/* Whether row i is unread (for next-unread).  Optional. */
	int (*unread)(const struct tui_view *v, size_t i);
	void (*close)(struct tui_view *v);
};

struct tui_view {
	const struct tui_view_ops *ops;
	struct tui_app *app;
	size_t top;		/* first row on the screen */
	size_t sel;		/* selected row (cursor views) */
	size_t col;		/* horizontal scroll, in columns */
	size_t height;		/* rows the view had when last drawn */
	size_t width;		/* and columns */
	/*
	 * A pager's last search match (it has no cursor to say where
	 * n goes on from), valid while matched is set.
	 */
	size_t match;
	int matched;
	void *priv;
};

/* Allocate and open a view; NULL with err when open() failed. */
struct tui_view *tui_view_new(struct tui_app *app,
			      const struct tui_view_ops *ops,
			      const void *arg, struct err *err);
void tui_view_free(struct tui_view *v);

/* Rows of v, 0 when it has none. */
size_t tui_view_nrows(const struct tui_view *v);
/* Move the selection (or, in a pager, the top row) to row i, clamped. */
void tui_view_select(struct tui_view *v, size_t i);
/*
 * The actions every view shares: motions, search over the rows'
 * text, next unread.  Returns enum tui_result flags.
 */
unsigned tui_view_generic(struct tui_view *v, enum tui_action a,
			  const char *arg);
/*
 * The next row (from the selection, forwards or backwards, wrapping)
 * whose text contains pattern (case-insensitive); -1 when none.
 */
long tui_view_find(const struct tui_view *v, const char *pattern,
		   int forward);

#endif
