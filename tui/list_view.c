/*
 * The series list, vger's home: one row per series at its latest
 * version, newest activity first, limited by a built-in view, a saved
 * query or a notmuch query typed with /.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "front/mine.h"
#include "front/pw.h"
#include "front/row.h"
#include "mail/index.h"
#include "mail/model.h"
#include "patchwork/pw.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/outbox.h"
#include "tui/views.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

struct list_priv {
	size_t *rows;		/* indices into app->model->series */
	size_t nrows, alloc;
	size_t query;		/* into app->queries */
	char *limit;		/* a notmuch query from /, or NULL */
	/* Threads matching the saved query and the limit; NULL: all. */
	GHashTable *threads;
	int by_posting;		/* sort by posting date, not activity */
	size_t hidden;		/* snoozed or muted, not shown */
	unsigned hidden_gen;	/* app->hidden_gen the rows were made at */
	size_t count_width;	/* of the widest "received/expected" */
	/* The mine view: the sent tags that tie series to branches. */
	struct front_mine *mine;
};

static const struct mail_series *series_in(const struct tui_view *v,
					   const struct mail_model *m,
					   size_t i)
{
	const struct list_priv *p = v->priv;

	return m && i < p->nrows ? m->series.items[p->rows[i]] : NULL;
}

static const struct mail_series *series_at(const struct tui_view *v,
					   size_t i)
{
	return series_in(v, v->app->model, i);
}

static int is_mine(const struct tui_app *app, const struct mail_series *s)
{
	return s->author_email &&
		vec_find_strcase(&app->my_addresses, s->author_email) >= 0;
}

static int matches_threads(const struct list_priv *p,
			   const struct mail_series *s)
{
	if (!p->threads)
		return 1;
	for (size_t j = 0; j < s->versions.n; j++) {
		const struct mail_version *ver = s->versions.items[j];

		if (ver->thread && g_hash_table_contains(p->threads,
							 ver->thread))
			return 1;
	}
	return 0;
}

static int keep(const struct tui_view *v, const struct mail_series *s)
{
	const struct list_priv *p = v->priv;
	const struct tui_app *app = v->app;
	const struct tui_query *q = app->queries.items[p->query];
	const struct mail_version *last = mail_series_latest(s);

	if (!matches_threads(p, s))
		return 0;
	switch (q->builtin) {
	case TUI_QUERY_MINE:
		return is_mine(app, s);
	case TUI_QUERY_TO_REVIEW:
		return last->state == MAIL_STATE_NEW &&
			!mail_version_has_feedback(last);
	case TUI_QUERY_APPLIED:
		return last->state == MAIL_STATE_APPLIED &&
			date_of_time(s->last_activity) >= app->release_day;
	default:
		return 1;
	}
}

static int is_mine_query(const struct tui_view *v)
{
	const struct list_priv *p = v->priv;
	const struct tui_query *q = v->app->queries.items[p->query];

	return q->builtin == TUI_QUERY_MINE;
}

static const struct tui_app *sort_app;

/* Newest posting first; the model's order (activity) breaks ties. */
static int posting_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct mail_version *vx, *vy;

	vx = mail_series_latest(sort_app->model->series.items[x]);
	vy = mail_series_latest(sort_app->model->series.items[y]);
	if (vx->date != vy->date)
		return vx->date < vy->date ? 1 : -1;
	return x < y ? -1 : x > y;
}

/* Fill the rows from the model; keep the selection on key when found. */
static void rebuild(struct tui_view *v, const char *key)
{
	struct list_priv *p = v->priv;
	const struct mail_model *m = v->app->model;
	long keep_at = -1;

	p->nrows = 0;
	p->hidden = 0;
	p->count_width = 5;
	p->hidden_gen = v->app->hidden_gen;
	front_mine_free(p->mine);
	p->mine = NULL;
	if (is_mine_query(v)) {
		struct err err = ERR_INIT;

		/* not in a repository: no branches, said on R */
		front_mine_open(&p->mine, NULL, &err);
	}
	for (size_t i = 0; m && i < m->series.n; i++) {
		const struct mail_series *s = m->series.items[i];
		unsigned f;

		if (!keep(v, s))
			continue;
		f = tui_app_series_flags(v->app, s);
		if (f & (TUI_SERIES_MUTED | TUI_SERIES_SNOOZED)) {
			p->hidden++;
			continue;
		}
		p->rows = xgrow(p->rows, &p->alloc, p->nrows + 1,
				sizeof(*p->rows));
		p->rows[p->nrows++] = i;
		{
			const struct mail_version *last = mail_series_latest(s);
			char count[32];
			size_t n = (size_t)snprintf(count, sizeof(count),
						    "%u/%u",
						    last->patches_received,
						    last->patches_expected);

			if (n > p->count_width)
				p->count_width = n;
		}
	}
	if (p->by_posting && p->nrows) {
		sort_app = v->app;
		qsort(p->rows, p->nrows, sizeof(*p->rows), posting_cmp);
	}
	for (size_t i = 0; key && i < p->nrows && keep_at < 0; i++) {
		const struct mail_series *s = series_at(v, i);

		for (size_t j = 0; j < s->versions.n && keep_at < 0; j++)
			if (!strcmp(((const struct mail_version *)
				     s->versions.items[j])->message_id, key))
				keep_at = (long)i;
	}
	if (keep_at >= 0)
		tui_view_select(v, (size_t)keep_at);
	else
		tui_view_select(v, v->sel);
}

/* The key that finds the selected series again: its latest version. */
static char *key_in(const struct tui_view *v, const struct mail_model *m)
{
	const struct mail_series *s = series_in(v, m, v->sel);

	return s ? xstrdup(mail_series_latest(s)->message_id) : NULL;
}

static char *selected_key(const struct tui_view *v)
{
	return key_in(v, v->app->model);
}

static int add_thread(const char *thread, const char *id, void *data)
{
	GHashTable *t = data;

	(void)id;
	if (!g_hash_table_contains(t, thread))
		g_hash_table_add(t, g_strdup(thread));
	return 0;
}

/*
 * The threads matching the current saved query and limit, from
 * notmuch, within the model's own query.  0, or < 0 with err.
 */
static int load_threads(struct tui_view *v, struct err *err)
{
	struct list_priv *p = v->priv;
	const struct tui_query *q = v->app->queries.items[p->query];
	struct mail_index *idx = NULL;
	struct sbuf query = SBUF_INIT;
	GHashTable *t;
	int ret;

	if (p->threads)
		g_hash_table_destroy(p->threads);
	p->threads = NULL;
	if (!p->limit && !q->query)
		return 0;
	sbuf_addf(&query, "(%s)", v->app->src.query ? v->app->src.query :
		  MAIL_DEFAULT_QUERY);
	if (q->query)
		sbuf_addf(&query, " and (%s)", q->query);
	if (p->limit)
		sbuf_addf(&query, " and (%s)", p->limit);
	ret = mail_index_open(&idx, v->app->src.db, 0, err);
	t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!ret)
		ret = mail_index_each_thread(idx, query.buf, add_thread, t,
					     err);
	mail_index_free(idx);
	sbuf_release(&query);
	if (ret) {
		g_hash_table_destroy(t);
		return ret;
	}
	p->threads = t;
	return 0;
}

static int list_open(struct tui_view *v, const void *arg, struct err *err)
{
	(void)arg;
	(void)err;
	rebuild(v, NULL);
	return 0;
}

static size_t list_nrows(const struct tui_view *v)
{
	return ((const struct list_priv *)v->priv)->nrows;
}

enum tui_style tui_state_style(int state, int waiting)
{
	if (waiting)
		return TUI_STYLE_STATE_WAITING;
	switch (state) {
	case MAIL_STATE_REVIEWED:
		return TUI_STYLE_STATE_REVIEWED;
	case MAIL_STATE_CHANGES_REQUESTED:
		return TUI_STYLE_STATE_CHANGES;
	case MAIL_STATE_APPLIED:
		return TUI_STYLE_STATE_APPLIED;
	case MAIL_STATE_SUPERSEDED:
		return TUI_STYLE_STATE_SUPERSEDED;
	case MAIL_STATE_RFC:
		return TUI_STYLE_STATE_RFC;
	case MAIL_STATE_DEFERRED:
		return TUI_STYLE_STATE_DEFERRED;
	case MAIL_STATE_REJECTED:
		return TUI_STYLE_STATE_REJECTED;
	default:
		return TUI_STYLE_STATE_NEW;
	}
}

/* The style of patchwork's state (a slug of pw_states). */
enum tui_style tui_pw_state_style(const char *state)
{
	static const struct {
		const char *slug;
		enum tui_style style;
	} map[] = {
		{ "under-review", TUI_STYLE_STATE_REVIEWED },
		{ "accepted", TUI_STYLE_STATE_APPLIED },
		{ "changes-requested", TUI_STYLE_STATE_CHANGES },
		{ "superseded", TUI_STYLE_STATE_SUPERSEDED },
		{ "rejected", TUI_STYLE_STATE_REJECTED },
		{ "not-applicable", TUI_STYLE_STATE_REJECTED },
		{ "awaiting-upstream", TUI_STYLE_STATE_DEFERRED },
		{ "deferred", TUI_STYLE_STATE_DEFERRED },
		{ "rfc", TUI_STYLE_STATE_RFC },
	};

	for (size_t i = 0; state && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].slug, state))
			return map[i].style;
	return TUI_STYLE_STATE_NEW;
}

/* The style of a CI mark: what its worst check says. */
enum tui_style tui_ci_style(const char *ci)
{
	if (strstr(ci, "\u2717"))
		return TUI_STYLE_STATE_CHANGES;
	if (strstr(ci, "\u2713"))
		return TUI_STYLE_STATE_APPLIED;
	return TUI_STYLE_STATE_WAITING;
}

/* The widths of a row's cells (0: left out), for a screen width. */
struct layout {
	size_t tree, version, count, marks, state, ci, author;
};

/*
 * What fits: every cell from 120 columns; narrower, the cells shrink,
 * then the tree, the marks and the author go, so the title keeps room.
 */
static void layout_for(size_t width, size_t count, int pw,
		       struct layout *lo)
{
	lo->count = count;
	lo->version = 6;
	lo->tree = width >= 100 ? 9 : width >= 80 ? 8 : 0;
	lo->marks = width >= 60 ? 8 : 0;
	lo->state = width >= 120 ? 17 : 11;
	/* "CI ✗ 12 fail", only with patchwork's cache. */
	lo->ci = pw && width >= 100 ? 12 : 0;
	lo->author = width >= 120 ? 20 : width >= 100 ? 16 :
		width >= 60 ? 10 : 0;
}

static void cell(struct tui_line *l, enum tui_style st, const char *s,
		 size_t width, int right)
{
	if (!width)
		return;
	tui_line_cell(l, st, s, width, right);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
}

static void list_row(const struct tui_view *v, size_t i, struct tui_line *l)
{
	const struct list_priv *p = v->priv;
	const struct mail_series *s = series_at(v, i);
	struct front_series_row r;
	struct layout lo;
	enum tui_style st;
	unsigned flags;

	if (!s)
		return;
	front_series_row(s, v->app->now, &r);
	front_series_row_pw(v->app->pw, s, &r);
	st = r.pw_state && !r.waiting ? tui_pw_state_style(r.pw_state) :
		tui_state_style(mail_series_latest(s)->state, r.waiting);
	flags = tui_app_series_flags(v->app, s);
	if (flags & TUI_SERIES_UNREAD)
		l->attr |= TUI_LINE_BOLD;
	layout_for(v->width, p->count_width, v->app->pw != NULL, &lo);
	tui_line_cell(l, TUI_STYLE_DATE, r.age, 4, 1);
	tui_line_add(l, TUI_STYLE_DEFAULT, flags & TUI_SERIES_FLAGGED ?
		     "!" : " ");
	cell(l, TUI_STYLE_TREE, r.tree, lo.tree, 0);
	cell(l, TUI_STYLE_VERSION, r.version, lo.version, 1);
	cell(l, mail_series_latest(s)->patches_received <
	     mail_series_latest(s)->patches_expected ?
	     TUI_STYLE_MISSING : TUI_STYLE_COUNT, r.count, lo.count, 1);
	cell(l, TUI_STYLE_MARKS, r.marks, lo.marks, 0);
	cell(l, st, r.state, lo.state, 0);
	cell(l, tui_ci_style(r.ci), r.ci, lo.ci, 0);
	if (p->mine) {
		/* your own series: the branch that carries it, not you */
		struct front_branch b;

		if (front_mine_branch(p->mine, s, &b))
			cell(l, TUI_STYLE_TREE, b.branch, lo.author, 0);
		else
			cell(l, TUI_STYLE_DIM, "-", lo.author, 0);
		front_branch_release(&b);
	} else {
		cell(l, TUI_STYLE_AUTHOR, r.author, lo.author, 0);
	}
	tui_line_add(l, st == TUI_STYLE_STATE_NEW ? TUI_STYLE_SUBJECT : st,
		     r.title);
}

static void list_title(const struct tui_view *v, struct sbuf *out)
{
	const struct list_priv *p = v->priv;
	const struct tui_query *q = v->app->queries.items[p->query];

	sbuf_addf(out, "%s", q->name);
	if (p->limit)
		sbuf_addf(out, " & %s", p->limit);
	sbuf_addstr(out, p->by_posting ? ", by posting date" :
		    ", by last activity");
	if (p->hidden)
		sbuf_addf(out, ", %zu snoozed or muted", p->hidden);
	if (!v->app->model_full)
		sbuf_addstr(out, ", loading");
	tui_pw_age(v->app, out);
}

void tui_pw_age(const struct tui_app *app, struct sbuf *out)
{
	char age[16];
	const struct pw_db *db = app->pw;

	if (!db)
		return;
	if (db->error) {
		front_age(db->error_time, app->now, age, sizeof(age));
		sbuf_addf(out, ", patchwork failed %s ago", age);
	} else if (db->fetched) {
		front_age(db->fetched, app->now, age, sizeof(age));
		sbuf_addf(out, ", patchwork %s old", age);
	}
}

static int list_unread(const struct tui_view *v, size_t i)
{
	const struct mail_series *s = series_at(v, i);

	return s && (tui_app_series_flags(v->app, s) & TUI_SERIES_UNREAD);
}

/* Switch to query arg: a number (1: the first) or a name. */
static unsigned switch_query(struct tui_view *v, const char *arg)
{
	struct list_priv *p = v->priv;
	const struct vec *qs = &v->app->queries;
	struct err err = ERR_INIT;
	char *key;
	long n = -1;
	size_t old = p->query;

	if (!arg) {
		tui_app_say(v->app, 0, "queries: 1 all, 2 mine, 3 to-review, "
			    "4 applied%s", qs->n > 4 ? ", 5.. vger.query.*" :
			    "");
		return TUI_ASK;
	}
	for (size_t i = 0; i < qs->n; i++)
		if (!strcasecmp(((struct tui_query *)qs->items[i])->name, arg))
			n = (long)i;
	if (n < 0 && arg[0] >= '1' && arg[0] <= '9' && !arg[1])
		n = arg[0] - '1';
	if (n < 0 || (size_t)n >= qs->n) {
		tui_app_say(v->app, 1, "No query '%s' (1-%zu, or a name)", arg,
			    qs->n);
		return TUI_HANDLED | TUI_REDRAW;
	}
	key = selected_key(v);
	p->query = (size_t)n;
	if (load_threads(v, &err) < 0) {
		tui_app_say(v->app, 1, "%s", err.msg);
		p->query = old;
		load_threads(v, &err);
	}
	rebuild(v, key);
	free(key);
	return TUI_HANDLED | TUI_REDRAW;
}

static unsigned set_limit(struct tui_view *v, const char *arg)
{
	struct list_priv *p = v->priv;
	struct err err = ERR_INIT;
	char *old = p->limit, *key;

	if (!arg)
		return TUI_ASK;
	key = selected_key(v);
	p->limit = *arg ? xstrdup(arg) : NULL;
	if (load_threads(v, &err) < 0) {
		/* A query notmuch cannot parse: say so, keep the old one. */
		tui_app_say(v->app, 1, "limit: %s", err.msg);
		free(p->limit);
		p->limit = old;
		old = NULL;
		load_threads(v, &err);
	}
	free(old);
	rebuild(v, key);
	free(key);
	if (p->limit && !p->nrows)
		tui_app_say(v->app, 0, "No series match '%s'", p->limit);
	return TUI_HANDLED | TUI_REDRAW;
}

static unsigned list_handle(struct tui_view *v, enum tui_action a,
			    const char *arg, struct tui_request *req)
{
	struct list_priv *p = v->priv;
	const struct mail_series *s = series_at(v, v->sel);
	char *key;

	switch (a) {
	case TUI_ACTION_ENTER:
		if (!s)
			return TUI_HANDLED;
		req->open = &tui_series_view;
		req->arg = s;
		return TUI_OPEN;
	case TUI_ACTION_BACK:
		return TUI_QUIT;
	case TUI_ACTION_LIMIT:
		req->prompt = "limit (notmuch query): ";
		req->initial = p->limit;
		return set_limit(v, arg);
	case TUI_ACTION_QUERY:
		req->prompt = "query (name or number): ";
		return switch_query(v, arg);
	case TUI_ACTION_SORT:
		key = selected_key(v);
		p->by_posting = !p->by_posting;
		rebuild(v, key);
		free(key);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACTION_RESPIN:
		/* in the mine view, the branch of the series; else HEAD's */
		if (!is_mine_query(v) || arg)
			return TUI_UNHANDLED;
		if (!s) {
			tui_app_say(v->app, 1, "No series selected");
			return TUI_HANDLED | TUI_REDRAW;
		}
		return tui_outbox_respin_series(v->app, s, req);
	default:
		return TUI_UNHANDLED;
	}
}

static void list_reload(struct tui_view *v, const struct mail_model *old)
{
	char *key = key_in(v, old);

	rebuild(v, key);
	free(key);
}

/*
 * Back from a series: the rows stay unless a tag may have hidden or
 * shown a series (unread and flagged are read as rows are drawn).
 */
const struct mail_series *tui_list_series_at(const struct tui_view *v,
					     size_t i)
{
	return series_at(v, i);
}

static void list_resume(struct tui_view *v)
{
	struct list_priv *p = v->priv;
	char *key;

	if (p->hidden_gen == v->app->hidden_gen)
		return;
	key = selected_key(v);
	rebuild(v, key);
	free(key);
}

static int list_targets(struct tui_view *v, struct tui_target *t)
{
	const struct mail_series *s = series_at(v, v->sel);

	if (!s) {
		memset(t, 0, sizeof(*t));
		return -1;
	}
	if (tui_target_versions(v->app, t, (const struct mail_version *const *)
				s->versions.items, s->versions.n, "series") < 0)
		return -1;
	t->flags = tui_app_series_flags(v->app, s);
	return 0;
}

static void list_close(struct tui_view *v)
{
	struct list_priv *p = v->priv;

	free(p->rows);
	free(p->limit);
	front_mine_free(p->mine);
	if (p->threads)
		g_hash_table_destroy(p->threads);
}

const struct tui_view_ops tui_list_view = {
	.name = "series",
	.scope = TUI_SCOPE_LIST,
	.priv_size = sizeof(struct list_priv),
	.cursor = 1,
	.open = list_open,
	.nrows = list_nrows,
	.row = list_row,
	.title = list_title,
	.handle = list_handle,
	.reload = list_reload,
	.resume = list_resume,
	.targets = list_targets,
	.unread = list_unread,
	.close = list_close,
};
