#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/model.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/view.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct tui_view *tui_view_new(struct tui_app *app,
			      const struct tui_view_ops *ops,
			      const void *arg, struct err *err)
{
	struct tui_view *v = xcalloc(1, sizeof(*v));

	v->ops = ops;
	v->app = app;
	v->height = 1;
	if (ops->priv_size)
		v->priv = xcalloc(1, ops->priv_size);
	if (ops->open && ops->open(v, arg, err) < 0) {
		tui_view_free(v);
		return NULL;
	}
	return v;
}

void tui_view_free(struct tui_view *v)
{
	if (!v)
		return;
	if (v->ops->close)
		v->ops->close(v);
	free(v->priv);
	free(v);
}

size_t tui_view_nrows(const struct tui_view *v)
{
	return v->ops->nrows ? v->ops->nrows(v) : 0;
}

/*
 * Keep the selection on the screen (cursor views), and the screen full
 * when it can be: a taller window or fewer rows scroll back up.
 */
static void follow(struct tui_view *v)
{
	size_t h = v->height ? v->height : 1, n = tui_view_nrows(v);

	if (v->sel < v->top)
		v->top = v->sel;
	else if (v->sel >= v->top + h)
		v->top = v->sel - h + 1;
	if (v->top + h > n)
		v->top = n > h ? n - h : 0;
}

void tui_view_select(struct tui_view *v, size_t i)
{
	size_t n = tui_view_nrows(v), h = v->height ? v->height : 1;

	if (!v->ops->cursor) {
		/* A pager: i is the top row; the last page stays full. */
		size_t max = n > h ? n - h : 0;

		v->top = i > max ? max : i;
		return;
	}
	v->sel = n ? (i >= n ? n - 1 : i) : 0;
	follow(v);
}

static size_t clamp(long x, size_t max)
{
	return x < 0 ? 0 : (size_t)x > max ? max : (size_t)x;
}

/*
 * Move by delta rows (negative: up), without wrapping.  A page scrolls
 * the screen with the cursor, as less and tig do.
 */
static void move_by(struct tui_view *v, long delta)
{
	size_t n = tui_view_nrows(v), h = v->height ? v->height : 1;
	size_t max_top = n > h ? n - h : 0;

	if (!v->ops->cursor) {
		v->top = clamp((long)v->top + delta, max_top);
		return;
	}
	if (!n)
		return;
	v->sel = clamp((long)v->sel + delta, n - 1);
	if (delta > 1 || delta < -1) {
		v->top = clamp((long)v->top + delta, max_top);
		if (v->sel < v->top)
			v->sel = v->top;
		if (v->sel >= v->top + h)
			v->sel = v->top + h - 1;
	}
	follow(v);
}

long tui_view_find(const struct tui_view *v, const char *pattern,
		   int forward)
{
	size_t n = tui_view_nrows(v), from = v->ops->cursor ? v->sel : v->top;
	struct tui_line line = TUI_LINE_INIT;
	long found = -1;

	if (!n || !pattern || !*pattern)
		return -1;
	/* A pager goes on from its last match while it is on the screen. */
	if (!v->ops->cursor && v->matched && v->match >= v->top &&
	    v->match < v->top + (v->height ? v->height : 1) && v->match < n)
		from = v->match;
	for (size_t k = 1; k <= n && found < 0; k++) {
		size_t i = forward ? (from + k) % n : (from + n - k % n) % n;

		tui_line_reset(&line);
		v->ops->row(v, i, &line);
		if (strcasestr(tui_line_text(&line), pattern))
			found = (long)i;
	}
	tui_line_release(&line);
	return found;
}

static unsigned search(struct tui_view *v, int forward)
{
	long i;

	if (!v->app->search) {
		tui_app_say(v->app, 1, "No search pattern yet: press /");
		return TUI_HANDLED | TUI_REDRAW;
	}
	i = tui_view_find(v, v->app->search, forward);
	if (i < 0) {
		tui_app_say(v->app, 1, "Not found: %s", v->app->search);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (v->ops->cursor) {
		tui_view_select(v, (size_t)i);
	} else {
		tui_view_select(v, (size_t)i > 2 ? (size_t)i - 2 : 0);
		v->match = (size_t)i;
		v->matched = 1;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static unsigned next_unread(struct tui_view *v)
{
	size_t n = tui_view_nrows(v);

	if (!v->ops->unread)
		return TUI_UNHANDLED;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (v->sel + k) % n;

		if (v->ops->unread(v, i)) {
			tui_view_select(v, i);
			return TUI_HANDLED | TUI_REDRAW;
		}
	}
	tui_app_say(v->app, 0, "Nothing unread here");
	return TUI_HANDLED | TUI_REDRAW;
}

unsigned tui_view_generic(struct tui_view *v, enum tui_action a,
			  const char *arg)
{
	long page = v->height > 1 ? (long)v->height - 1 : 1;
	size_t n = tui_view_nrows(v);

	switch (a) {
	case TUI_ACTION_MOVE_DOWN:
		move_by(v, 1);
		break;
	case TUI_ACTION_MOVE_UP:
		move_by(v, -1);
		break;
	case TUI_ACTION_MOVE_FIRST:
		v->top = 0;
		tui_view_select(v, 0);
		break;
	case TUI_ACTION_MOVE_LAST:
		tui_view_select(v, n ? n - 1 : 0);
		break;
	case TUI_ACTION_PAGE_DOWN:
		move_by(v, page);
		break;
	case TUI_ACTION_PAGE_UP:
		move_by(v, -page);
		break;
	case TUI_ACTION_HALF_DOWN:
		move_by(v, page / 2 ? page / 2 : 1);
		break;
	case TUI_ACTION_HALF_UP:
		move_by(v, -(page / 2 ? page / 2 : 1));
		break;
	case TUI_ACTION_SCROLL_LEFT:
		v->col = v->col > 8 ? v->col - 8 : 0;
		break;
	case TUI_ACTION_SCROLL_RIGHT:
		v->col += 8;
		break;
	case TUI_ACTION_SEARCH:
		if (!arg)
			return TUI_ASK;
		free(v->app->search);
		v->app->search = *arg ? xstrdup(arg) : NULL;
		return search(v, 1);
	case TUI_ACTION_SEARCH_NEXT:
		return search(v, 1);
	case TUI_ACTION_SEARCH_PREV:
		return search(v, 0);
	case TUI_ACTION_NEXT_UNREAD:
		return next_unread(v);
	default:
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

void tui_target_release(struct tui_target *t)
{
	vec_release_str(&t->ids);
}

int tui_target_versions(struct tui_app *app, struct tui_target *t,
			const struct mail_version *const *v, size_t n,
			const char *what)
{
	memset(t, 0, sizeof(*t));
	if (!app->model_full) {
		tui_app_say(app, 1, "Still reading the messages: a moment");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i]->message_ids.n; k++)
			vec_push_str_unique(&t->ids, v[i]->message_ids.items[k]);
		t->flags |= tui_app_version_flags(app, v[i]);
	}
	snprintf(t->what, sizeof(t->what), "%s", what);
	return 0;
}
