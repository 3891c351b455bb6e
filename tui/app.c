#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "front/calendar.h"
#include "front/clock.h"
#include "front/gitconfig.h"
#include "front/pw.h"
#include "mail/index.h"
#include "mail/model.h"
#include "patchwork/pw.h"
#include "tui/app.h"
#include "tui/tags.h"
#include "tui/view.h"
#include "util/date.h"
#include "util/err.h"
#include "util/xmalloc.h"

void tui_app_say(struct tui_app *app, int error, const char *fmt, ...)
{
	va_list ap;

	sbuf_reset(&app->status);
	va_start(ap, fmt);
	sbuf_vaddf(&app->status, fmt, ap);
	va_end(ap);
	app->status_error = error;
}

long tui_app_today(const struct tui_app *app)
{
	return date_of_time(app->now);
}

static int in_set(GHashTable *set, const char *thread)
{
	return set && thread && g_hash_table_contains(set, thread);
}

unsigned tui_app_version_flags(const struct tui_app *app,
			       const struct mail_version *v)
{
	unsigned f = 0;
	const char *wake;

	if (in_set(app->unread, v->thread))
		f |= TUI_SERIES_UNREAD;
	if (in_set(app->muted, v->thread))
		f |= TUI_SERIES_MUTED;
	if (in_set(app->flagged, v->thread))
		f |= TUI_SERIES_FLAGGED;
	wake = app->snoozed && v->thread ?
		g_hash_table_lookup(app->snoozed, v->thread) : NULL;
	if (wake && !tui_snooze_woken(app, wake))
		f |= TUI_SERIES_SNOOZED;
	return f;
}

unsigned tui_app_series_flags(const struct tui_app *app,
			      const struct mail_series *s)
{
	unsigned f = 0;

	for (size_t i = 0; i < s->versions.n; i++)
		f |= tui_app_version_flags(app, s->versions.items[i]);
	/* Snoozed or muted is the latest version's to say. */
	f &= ~(unsigned)(TUI_SERIES_SNOOZED | TUI_SERIES_MUTED);
	f |= tui_app_version_flags(app, mail_series_latest(s)) &
		(TUI_SERIES_SNOOZED | TUI_SERIES_MUTED);
	return f;
}

static void query_add(struct tui_app *app, const char *name,
		      const char *query, int builtin)
{
	struct tui_query *q = xcalloc(1, sizeof(*q));

	q->name = xstrdup(name);
	q->query = query ? xstrdup(query) : NULL;
	q->builtin = builtin;
	vec_push(&app->queries, q);
}

static void query_free(void *p)
{
	struct tui_query *q = p;

	free(q->name);
	free(q->query);
	free(q);
}

struct conf_ctx {
	struct tui_app *app;
	struct sbuf errors;
};

static void conf_error(struct conf_ctx *c, const char *msg)
{
	if (c->errors.len)
		sbuf_addstr(&c->errors, "; ");
	sbuf_addstr(&c->errors, msg);
}

static int bind_entry(const char *name, const char *value, void *data)
{
	struct conf_ctx *c = data;
	struct err err = ERR_INIT;

	if (value && tui_keymap_config(&c->app->keymap,
				       name + strlen("vger.bind."), value,
				       &err) < 0)
		conf_error(c, err.msg);
	return 0;
}

static int color_entry(const char *name, const char *value, void *data)
{
	struct conf_ctx *c = data;
	const char *style = name + strlen("vger.color.");
	int st = tui_style_by_name(style);
	struct sbuf msg = SBUF_INIT;

	if (st < 0)
		sbuf_addf(&msg, "vger.color.%s: no such style (see man vger)",
			  style);
	else if (!value ||
		 tui_color_parse(value, &c->app->colors[st]) < 0)
		sbuf_addf(&msg, "vger.color.%s: '%s' is not a colour",
			  style, value ? value : "");
	if (msg.len)
		conf_error(c, msg.buf);
	sbuf_release(&msg);
	return 0;
}

static int query_entry(const char *name, const char *value, void *data)
{
	struct conf_ctx *c = data;

	if (value && *value)
		query_add(c->app, name + strlen("vger.query."), value,
			  TUI_QUERY_NOTMUCH);
	return 0;
}

/* The user's addresses: notmuch's user.*_email, git's user.email. */
static void my_addresses(struct tui_app *app)
{
	struct mail_index *idx = NULL;
	char *email = front_config_string(app->cfg, "user.email");

	if (!mail_index_open(&idx, app->src.db, 0, NULL))
		mail_index_user_addresses(idx, &app->my_addresses);
	mail_index_free(idx);
	if (email)
		vec_push_str_unique(&app->my_addresses, email);
	free(email);
}

void tui_app_banner(struct tui_app *app, struct cal *cal)
{
	sbuf_reset(&app->banner);
	app->have_window = 0;
	if (cal_state_at(cal, tui_app_today(app), &app->window, NULL) < 0) {
		sbuf_addstr(&app->banner, "merge window: no calendar data");
		return;
	}
	app->have_window = 1;
	app->release_day = app->window.release_day;
	app->banner_closed = front_window_banner(&app->window, &app->banner);
}

/* Patchwork's cache from disk (never the network); a broken one said. */
static void tui_app_load_pw(struct tui_app *app)
{
	struct front_pw_source src;
	struct err err = ERR_INIT;

	front_pw_source_init(&src, app->cfg);
	if (front_pw_load(&src, &app->pw, &err) < 0)
		tui_app_say(app, 1, "patchwork cache left out: %s", err.msg);
	front_pw_source_release(&src);
}

int tui_app_pw_wanted(const struct tui_app *app)
{
	struct front_pw_source src;
	time_t now = front_now(), refresh;
	char *set;
	int want;

	if (!app->cfg || front_config_bool(app->cfg, "vger.offline", 0))
		return 0;
	refresh = front_config_long(app->cfg, "vger.patchworkRefresh", 30) *
		  60;
	if (app->pw_tried && now - app->pw_tried < refresh)
		return 0;
	if (app->pw && now - app->pw->fetched < refresh)
		return 0;
	set = front_config_string(app->cfg, "vger.patchwork");
	front_pw_source_init(&src, app->cfg);
	want = src.enabled && (set || app->pw);
	front_pw_source_release(&src);
	free(set);
	return want;
}

int tui_app_init(struct tui_app *app, const struct front_model_args *args,
		 struct err *err)
{
	struct conf_ctx c = { app, SBUF_INIT };
	struct cal *cal = NULL;
	int ret;

	memset(app, 0, sizeof(*app));
	sbuf_init(&app->banner);
	sbuf_init(&app->status);
	app->now = front_now();
	ret = front_config_open(&app->cfg, NULL, err);
	if (ret)
		return ret;
	front_model_source_init(&app->src, args, app->cfg);
	tui_keymap_init(&app->keymap);
	tui_style_defaults(app->colors);
	front_config_each(app->cfg, "vger.bind.", bind_entry, &c);
	front_config_each(app->cfg, "vger.color.", color_entry, &c);
	query_add(app, "all", NULL, TUI_QUERY_ALL);
	query_add(app, "mine", NULL, TUI_QUERY_MINE);
	query_add(app, "to-review", NULL, TUI_QUERY_TO_REVIEW);
	query_add(app, "applied", NULL, TUI_QUERY_APPLIED);
	front_config_each(app->cfg, "vger.query.", query_entry, &c);
	my_addresses(app);
	/* Offline: the banner never waits for the network. */
	if (!front_calendar_open(app->cfg, 1, &cal, NULL, NULL))
		tui_app_banner(app, cal);
	cal_free(cal);
	tui_app_load_pw(app);
	if (c.errors.len)
		tui_app_say(app, 1, "%s", c.errors.buf);
	sbuf_release(&c.errors);
	return 0;
}

void tui_app_release(struct tui_app *app)
{
	struct tui_tagsets t = { app->unread, app->muted, app->flagged,
				 app->snoozed };

	while (app->depth)
		tui_view_free(app->stack[--app->depth]);
	mail_model_free(app->model);
	pw_db_free(app->pw);
	app->pw = NULL;
	tui_tagsets_release(&t);
	front_model_source_release(&app->src);
	front_config_free(app->cfg);
	tui_keymap_release(&app->keymap);
	vec_release(&app->queries, query_free);
	vec_release_str(&app->my_addresses);
	vec_release_str(&app->mark_read);
	sbuf_release(&app->banner);
	sbuf_release(&app->status);
	free(app->search);
}
