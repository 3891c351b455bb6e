/* The views of the TUI, one file each (tui/NAME_view.c). */
#ifndef TUI_VIEWS_H
#define TUI_VIEWS_H

#include <stddef.h>

#include "tui/style.h"
#include "tui/view.h"

struct mail_series;
struct mail_version;
struct vec;

extern const struct tui_view_ops tui_list_view;		/* home: series */
extern const struct tui_view_ops tui_series_view;	/* one series */
extern const struct tui_view_ops tui_pager_view;	/* one message */
extern const struct tui_view_ops tui_pulls_view;	/* pull requests */
extern const struct tui_view_ops tui_help_view;		/* ? */
extern const struct tui_view_ops tui_diff_view;		/* range-diff */

/* What the range-diff view compares. */
struct tui_diff_arg {
	const struct mail_version *from, *to;
};

/* What the pager opens: a thread (struct mail_thread_msg *) at index. */
struct tui_pager_arg {
	const struct vec *thread;
	size_t index;
};

/* What the help view shows the keys of. */
struct tui_help_arg {
	enum tui_scope scope;
};

/* The series on row i of the series list, or NULL. */
const struct mail_series *tui_list_series_at(const struct tui_view *v,
					     size_t i);

/* The style of a state's text in rows (waiting: new, unanswered). */
enum tui_style tui_state_style(int state, int waiting);
/* The style of patchwork's state (a slug) and of a CI mark. */
enum tui_style tui_pw_state_style(const char *state);
enum tui_style tui_ci_style(const char *ci);
/* ", patchwork 2h old" (or "failed 5m ago") for a title; "" without. */
struct tui_app;
struct sbuf;
void tui_pw_age(const struct tui_app *app, struct sbuf *out);

/*
 * What the series view has selected: its series (the return value),
 * the version of the selected row (NULL on the title row) and the
 * message (NULL unless a message row).
 */
const struct mail_series *tui_series_shown(const struct tui_view *view,
					   const struct mail_version **v,
					   const char **message_id);

#endif
