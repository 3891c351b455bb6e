/*
 * What every view of one TUI session shares: the model and where it
 * comes from, the notmuch tags, the keymap and colours, the view
 * stack, the banner and the status line.  The display state is here,
 * not in globals.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <glib.h>
#include <time.h>

#include "calendar/cal.h"
#include "front/model.h"
#include "tui/keymap.h"
#include "tui/style.h"
#include "util/sbuf.h"
#include "util/vec.h"

struct err;
struct front_config;
struct mail_model;
struct pw_db;
struct tui_view;

#define TUI_STACK_MAX 16

/* A named limit of the series list: built in, or vger.query.<name>. */
struct tui_query {
	char *name;
	char *query;		/* notmuch query, or NULL for a built-in */
	int builtin;		/* enum tui_builtin_query */
};

enum tui_builtin_query {
	TUI_QUERY_ALL,
	TUI_QUERY_MINE,		/* series by the user's addresses */
	TUI_QUERY_TO_REVIEW,	/* waiting for feedback */
	TUI_QUERY_APPLIED,	/* applied since the last release */
	TUI_QUERY_NOTMUCH,	/* a saved notmuch query */
};

struct tui_app {
	struct front_config *cfg;
	struct front_model_source src;
	struct mail_model *model;
	/*
	 * The model has every message of every version (built from the
	 * records); 0 while only the cached listing is loaded.
	 */
	int model_full;
	/*
	 * What notmuch's tags say, per notmuch thread id: sets of the
	 * threads with an unread, muted or flagged message, and the
	 * snoozed threads with the day they wake ("YYYY-MM-DD").  NULL
	 * until read (after the first screen).
	 */
	GHashTable *unread, *muted, *flagged, *snoozed;
	/* Changes when what hides a series (muted, snoozed) may have. */
	unsigned hidden_gen;
	/* Messages read: marked so once the screen is painted. */
	struct vec mark_read;	/* char * */

	struct tui_keymap keymap;
	struct tui_color colors[TUI_N_STYLES];

	struct tui_view *stack[TUI_STACK_MAX];
	size_t depth;

	struct sbuf banner;	/* merge-window state */
	int banner_closed;	/* bpf-next closed: drawn in red */
	struct sbuf status;	/* the last message */
	int status_error;
	char *search;		/* the last search pattern, or NULL */

	struct vec queries;	/* struct tui_query * */
	struct vec my_addresses;	/* char *, lower case */
	long release_day;	/* of the latest release (this cycle) */
	struct cal_window window;	/* the merge window today */
	int have_window;
	time_t now;
	/* Patchwork's states and checks (front/pw.h): the cache read at
	 * the start, replaced by the loader's after a sync; or NULL. */
	struct pw_db *pw;
	time_t pw_tried;	/* the last sync started, or 0 */
};

/* The view on top of the stack. */
static inline struct tui_view *tui_app_top(const struct tui_app *app)
{
	return app->depth ? app->stack[app->depth - 1] : NULL;
}

/* A message for the status line (printf-like); error: in red. */
void tui_app_say(struct tui_app *app, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct mail_series;
struct mail_version;

enum tui_series_flags {
	TUI_SERIES_UNREAD = 1 << 0,
	TUI_SERIES_MUTED = 1 << 1,
	TUI_SERIES_FLAGGED = 1 << 2,
	TUI_SERIES_SNOOZED = 1 << 3,	/* and not awake yet */
};

/* What the tags say of a version's or a series' threads. */
unsigned tui_app_version_flags(const struct tui_app *app,
			       const struct mail_version *v);
unsigned tui_app_series_flags(const struct tui_app *app,
			      const struct mail_series *s);
/* Today, as the day number of util/date.h. */
long tui_app_today(const struct tui_app *app);

struct cal;

/*
 * Read git config (key bindings, colours, saved queries), the user's
 * addresses and the merge-window banner (offline).  Configuration
 * that does not parse is said on the status line, not fatal.
 */
int tui_app_init(struct tui_app *app, const struct front_model_args *args,
		 struct err *err);
void tui_app_release(struct tui_app *app);
/*
 * Whether to sync patchwork now: it is in use (vger.patchwork set, or
 * a cache exists), not offline, and neither the cache nor the last
 * try is newer than vger.patchworkRefresh minutes (30).
 */
int tui_app_pw_wanted(const struct tui_app *app);
/* The banner from a calendar. */
void tui_app_banner(struct tui_app *app, struct cal *cal);

#endif
