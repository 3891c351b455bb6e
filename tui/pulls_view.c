/*
 * The pull requests ("pull-request: bpf-next 2025-01-24"), newest
 * first: tree, date, target, where the bot says it was applied, who
 * sent it, and under each the series it carries.  Enter on a series
 * opens it; on the pull request, the mail itself.
 */
#include <stdlib.h>
#include <string.h>

#include "mail/model.h"
#include "mail/thread.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/views.h"
#include "util/date.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

struct pull_row {
	size_t pull;
	long carried;		/* index into the pull's series; -1: itself */
};

struct pulls_priv {
	struct pull_row *rows;
	size_t n, alloc;
	struct vec one;		/* struct mail_thread_msg *: the pull mail */
	struct tui_pager_arg pager;
};

static const struct mail_pullreq *pull_at(const struct tui_view *v,
					  const struct pull_row *r)
{
	return v->app->model->pulls.items[r->pull];
}

static void add_row(struct pulls_priv *p, size_t pull, long carried)
{
	p->rows = xgrow(p->rows, &p->alloc, p->n + 1, sizeof(*p->rows));
	p->rows[p->n].pull = pull;
	p->rows[p->n].carried = carried;
	p->n++;
}

static void build(struct tui_view *v)
{
	struct pulls_priv *p = v->priv;
	const struct mail_model *m = v->app->model;

	p->n = 0;
	for (size_t i = 0; m && i < m->pulls.n; i++) {
		const struct mail_pullreq *pr = m->pulls.items[i];

		add_row(p, i, -1);
		for (size_t k = 0; k < pr->titles.n; k++)
			add_row(p, i, (long)k);
	}
}

static int pulls_open(struct tui_view *v, const void *arg, struct err *err)
{
	(void)arg;
	(void)err;
	build(v);
	return 0;
}

static size_t pulls_nrows(const struct tui_view *v)
{
	return ((const struct pulls_priv *)v->priv)->n;
}

static void pulls_row(const struct tui_view *v, size_t i, struct tui_line *l)
{
	const struct pulls_priv *p = v->priv;
	const struct pull_row *r = &p->rows[i];
	const struct mail_pullreq *pr = pull_at(v, r);
	char date[16];

	if (r->carried >= 0) {
		const char *id = (size_t)r->carried < pr->series.n ?
			pr->series.items[r->carried] : NULL;

		tui_line_add(l, TUI_STYLE_GRAPH, "    \u2514\u2500 ");
		tui_line_add(l, id ? TUI_STYLE_SUBJECT : TUI_STYLE_DIM,
			     pr->titles.items[r->carried]);
		if (!id)
			tui_line_add(l, TUI_STYLE_DIM, "  (no series found)");
		return;
	}
	date_format_ymd(date_of_time(pr->posted), date, sizeof(date));
	tui_line_add(l, TUI_STYLE_DATE, date);
	tui_line_add(l, TUI_STYLE_DEFAULT, "  ");
	tui_line_cell(l, TUI_STYLE_TREE, pr->tree ? pr->tree : "?", 9, 0);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	tui_line_add(l, TUI_STYLE_DATE, pr->date ? pr->date : "");
	tui_line_add(l, TUI_STYLE_DEFAULT, " -> ");
	tui_line_add(l, TUI_STYLE_TREE, pr->target ? pr->target : "?");
	tui_line_addf(l, TUI_STYLE_COUNT, ", %u commit%s", pr->ncommits,
		      pr->ncommits == 1 ? "" : "s");
	if (pr->applied_to) {
		tui_line_add(l, TUI_STYLE_DEFAULT, ", applied to ");
		tui_line_add(l, TUI_STYLE_STATE_APPLIED, pr->applied_to);
	}
	tui_line_add(l, TUI_STYLE_DEFAULT, "  ");
	tui_line_add(l, TUI_STYLE_AUTHOR, pr->from);
	l->attr |= TUI_LINE_BOLD;
}

static void pulls_title(const struct tui_view *v, struct sbuf *out)
{
	size_t n = v->app->model ? v->app->model->pulls.n : 0;

	sbuf_addf(out, "%zu pull request%s", n, n == 1 ? "" : "s");
}

static unsigned pulls_handle(struct tui_view *v, enum tui_action a,
			     const char *arg, struct tui_request *req)
{
	struct pulls_priv *p = v->priv;
	const struct pull_row *r;
	const struct mail_pullreq *pr;

	(void)arg;
	if (a != TUI_ACTION_ENTER || v->sel >= p->n)
		return TUI_UNHANDLED;
	r = &p->rows[v->sel];
	pr = pull_at(v, r);
	if (r->carried < 0) {
		struct mail_thread_msg *m = xcalloc(1, sizeof(*m));

		mail_thread_release(&p->one);
		m->id = pr->message_id;
		m->subject = "";
		m->from_email = pr->from;
		m->date = pr->posted;
		vec_push(&p->one, m);
		p->pager.thread = &p->one;
		p->pager.index = 0;
		req->open = &tui_pager_view;
		req->arg = &p->pager;
		return TUI_OPEN;
	}
	if ((size_t)r->carried < pr->series.n) {
		const struct mail_series *s = NULL;

		mail_model_find_version(v->app->model,
					pr->series.items[r->carried], &s);
		if (s) {
			req->open = &tui_series_view;
			req->arg = s;
			return TUI_OPEN;
		}
	}
	tui_app_say(v->app, 1, "That series is not in the list");
	return TUI_HANDLED | TUI_REDRAW;
}

static void pulls_reload(struct tui_view *v, const struct mail_model *old)
{
	struct pulls_priv *p = v->priv;
	const char *id = NULL;
	char *keep;

	if (v->sel < p->n)
		id = ((const struct mail_pullreq *)
		      old->pulls.items[p->rows[v->sel].pull])->message_id;
	keep = id ? xstrdup(id) : NULL;
	build(v);
	for (size_t i = 0; keep && i < p->n; i++) {
		if (p->rows[i].carried < 0 &&
		    !strcmp(pull_at(v, &p->rows[i])->message_id, keep)) {
			tui_view_select(v, i);
			break;
		}
	}
	free(keep);
	tui_view_select(v, v->sel);
}

static void pulls_close(struct tui_view *v)
{
	struct pulls_priv *p = v->priv;

	free(p->rows);
	mail_thread_release(&p->one);
}

const struct tui_view_ops tui_pulls_view = {
	.name = "pulls",
	.scope = TUI_SCOPE_PULLS,
	.priv_size = sizeof(struct pulls_priv),
	.cursor = 1,
	.open = pulls_open,
	.nrows = pulls_nrows,
	.row = pulls_row,
	.title = pulls_title,
	.handle = pulls_handle,
	.reload = pulls_reload,
	.close = pulls_close,
};
