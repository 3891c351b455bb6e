/*
 * One series: every version (v1 -> vN) with its date, state, counts
 * and the pull request that carried it, then the selected version's
 * thread: the cover letter, the patches in 1/N..N/N order with their
 * replies under them and their trailers beside them, missing patches
 * shown as missing.  On a key, the review matrix instead of the
 * thread: who gave which trailer on which patch, in every version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "front/am.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/mine.h"
#include "front/pw.h"
#include "front/row.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "mail/thread.h"
#include "mail/trailer.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/paint.h"
#include "tui/tags.h"
#include "tui/views.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

struct series_priv {
	const struct mail_series *s;
	size_t shown;		/* index of the version whose thread is shown */
	struct vec thread;	/* struct mail_thread_msg * of that version */
	int have_thread;	/* thread is filled (the model has messages) */
	GHashTable *unread;	/* message ids of the thread still unread */
	struct tui_pager_arg pager;	/* what Enter opens */
	struct tui_diff_arg diff;	/* what d opens */
	int matrix;		/* the review matrix instead of the thread */
	struct vec matrix_rows;	/* struct matrix_row * */
	/* "branch: x (v2 sent)" when a branch of yours carries it */
	char *branch;
};

struct matrix_row {
	const struct mail_version *v;
	const struct mail_patch *p;	/* NULL: the version's heading */
};

/* Rows: the title, one per version, a rule, then the thread. */
#define HEAD_ROWS 1

static size_t nversions(const struct series_priv *p)
{
	return p->s ? p->s->versions.n : 0;
}

static const struct mail_version *version_at(const struct series_priv *p,
					     size_t i)
{
	return i < nversions(p) ? p->s->versions.items[i] : NULL;
}

static size_t body_start(const struct series_priv *p)
{
	return HEAD_ROWS + nversions(p) + 1;
}

static void build_matrix(struct series_priv *p)
{
	vec_release(&p->matrix_rows, free);
	for (size_t i = nversions(p); i-- > 0;) {
		const struct mail_version *v = version_at(p, i);
		struct matrix_row *r = xcalloc(1, sizeof(*r));

		r->v = v;
		vec_push(&p->matrix_rows, r);
		for (size_t k = 0; k < v->patches.n; k++) {
			r = xcalloc(1, sizeof(*r));
			r->v = v;
			r->p = v->patches.items[k];
			vec_push(&p->matrix_rows, r);
		}
	}
}

static int is_unread(const struct series_priv *p, const char *id)
{
	return id && p->unread && g_hash_table_contains(p->unread, id);
}

/* Which messages of the thread are unread, from notmuch. */
static void read_unread(struct tui_view *view)
{
	struct series_priv *p = view->priv;
	struct vec ids = VEC_INIT;
	struct err err = ERR_INIT;

	for (size_t i = 0; i < p->thread.n; i++) {
		const struct mail_thread_msg *m = p->thread.items[i];

		if (m->id)
			vec_push(&ids, (char *)m->id);
	}
	if (tui_tags_unread(view->app, &ids, p->unread, &err) < 0)
		tui_app_say(view->app, 1, "%s", err.msg);
	vec_release(&ids, NULL);
}

static void load_thread(struct tui_view *view)
{
	struct series_priv *p = view->priv;
	const struct mail_version *v = version_at(p, p->shown);

	mail_thread_release(&p->thread);
	p->have_thread = 0;
	if (p->unread)
		g_hash_table_remove_all(p->unread);
	else
		p->unread = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, NULL);
	if (v && view->app->model_full &&
	    !mail_version_thread(view->app->model, v, &p->thread)) {
		p->have_thread = 1;
		read_unread(view);
	}
	build_matrix(p);
}

/* The branch that carries the series (front/mine.h), for the title. */
static void find_branch(struct series_priv *p)
{
	struct front_mine *m = NULL;
	struct front_branch b = FRONT_BRANCH_INIT;
	struct err err = ERR_INIT;
	struct sbuf sb = SBUF_INIT;

	free(p->branch);
	p->branch = NULL;
	if (!p->s || front_mine_open(&m, NULL, &err))
		return;
	if (front_mine_branch(m, p->s, &b)) {
		sbuf_addstr(&sb, "branch: ");
		front_branch_describe(&b, &sb);
		p->branch = sbuf_detach(&sb);
	}
	front_branch_release(&b);
	front_mine_free(m);
	sbuf_release(&sb);
}

static int series_open(struct tui_view *view, const void *arg,
		       struct err *err)
{
	struct series_priv *p = view->priv;

	(void)err;
	p->s = arg;
	p->shown = nversions(p) ? nversions(p) - 1 : 0;
	load_thread(view);
	find_branch(p);
	/* Start on the first patch (or the cover letter). */
	view->sel = body_start(p);
	return 0;
}

static size_t series_nrows(const struct tui_view *view)
{
	const struct series_priv *p = view->priv;
	size_t body;

	if (p->matrix)
		body = p->matrix_rows.n;
	else
		body = p->have_thread ? p->thread.n : 1;
	return body_start(p) + body;
}

static const struct mail_pullreq *pull_of(const struct tui_app *app,
					  const struct mail_version *v)
{
	for (size_t i = 0; v->pull_request && i < app->model->pulls.n; i++) {
		const struct mail_pullreq *pr = app->model->pulls.items[i];

		if (!strcmp(pr->message_id, v->pull_request))
			return pr;
	}
	return NULL;
}

static void version_row(const struct tui_view *view, size_t i,
			struct tui_line *l)
{
	const struct series_priv *p = view->priv;
	const struct mail_version *v = version_at(p, i);
	const struct mail_pullreq *pr = pull_of(view->app, v);
	char date[16], ver[24], count[24];
	struct front_pw_version pv;

	front_pw_version(view->app->pw, v, &pv);
	date_format_ymd(date_of_time(v->date), date, sizeof(date));
	snprintf(ver, sizeof(ver), "%sv%u", v->flags & MAIL_SUBJECT_RFC ?
		 "RFC " : "", v->version);
	snprintf(count, sizeof(count), "%u/%u", v->patches_received,
		 v->patches_expected);
	tui_line_add(l, TUI_STYLE_GRAPH, i == p->shown ? "\u25b6 " : "  ");
	tui_line_cell(l, TUI_STYLE_VERSION, ver, 6, 0);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	tui_line_add(l, TUI_STYLE_DATE, date);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	/* Patchwork's state where it knows the version. */
	if (pv.state)
		tui_line_cell(l, tui_pw_state_style(pv.state), pv.state, 17,
			      0);
	else
		tui_line_cell(l, tui_state_style(v->state, 0),
			      mail_state_name(v->state), 17, 0);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	tui_line_cell(l, v->patches_received < v->patches_expected ?
		      TUI_STYLE_MISSING : TUI_STYLE_COUNT, count, 7, 1);
	tui_line_addf(l, TUI_STYLE_MARKS, "  A%zu R%zu T%zu",
		      mail_version_count_given(v, MAIL_TRAILER_ACKED),
		      mail_version_count_given(v, MAIL_TRAILER_REVIEWED),
		      mail_version_count_given(v, MAIL_TRAILER_TESTED));
	if (v->applied_to) {
		tui_line_add(l, TUI_STYLE_DEFAULT, "  applied to ");
		tui_line_add(l, TUI_STYLE_STATE_APPLIED, v->applied_to);
	}
	if (pr) {
		tui_line_add(l, TUI_STYLE_DEFAULT, "  pull ");
		tui_line_addf(l, TUI_STYLE_TREE, "%s %s",
			      pr->tree ? pr->tree : "?",
			      pr->date ? pr->date : "");
	}
	if (*pv.ci) {
		tui_line_add(l, TUI_STYLE_DEFAULT, "  ");
		tui_line_add(l, tui_ci_style(pv.ci), pv.ci);
	}
	if (pv.mail_state) {
		tui_line_add(l, TUI_STYLE_DEFAULT, "  mail: ");
		tui_line_add(l, tui_state_style(v->state, 0), pv.mail_state);
	}
	if (pv.delegate) {
		tui_line_add(l, TUI_STYLE_DEFAULT, "  delegate ");
		tui_line_add(l, TUI_STYLE_AUTHOR, pv.delegate);
	}
}

/* "ast" for ast@kernel.org: how the list calls its reviewers. */
static void short_name(const struct mail_given *g, struct sbuf *out)
{
	const char *at = g->email ? strchr(g->email, '@') : NULL;

	if (at)
		sbuf_add(out, g->email, (size_t)(at - g->email));
	else
		sbuf_addstr(out, g->name ? g->name : "?");
}

/* "A: ast, daniel  R: andrii" from a vector of struct mail_given *. */
static void add_trailers(struct tui_line *l, const struct vec *given)
{
	static const struct {
		enum mail_trailer_kind kind;
		const char *label;
		enum tui_style style;
	} kinds[] = {
		{ MAIL_TRAILER_ACKED, "A: ", TUI_STYLE_TRAILER },
		{ MAIL_TRAILER_REVIEWED, "R: ", TUI_STYLE_TRAILER },
		{ MAIL_TRAILER_TESTED, "T: ", TUI_STYLE_TRAILER },
		{ MAIL_TRAILER_NACKED, "NAK: ", TUI_STYLE_STATE_CHANGES },
	};

	for (size_t k = 0; given && k < sizeof(kinds) / sizeof(kinds[0]);
	     k++) {
		struct sbuf names = SBUF_INIT;

		for (size_t i = 0; i < given->n; i++) {
			const struct mail_given *g = given->items[i];

			if (g->kind != kinds[k].kind)
				continue;
			if (names.len)
				sbuf_addstr(&names, ", ");
			short_name(g, &names);
		}
		if (names.len) {
			if (l->text.len)
				tui_line_add(l, TUI_STYLE_DEFAULT, "  ");
			tui_line_add(l, kinds[k].style, kinds[k].label);
			tui_line_add(l, kinds[k].style, names.buf);
		}
		sbuf_release(&names);
	}
}

static const struct mail_patch *patch_of(const struct mail_version *v,
					 unsigned index)
{
	for (size_t i = 0; i < v->patches.n; i++) {
		const struct mail_patch *p = v->patches.items[i];

		if (p->index == index)
			return p;
	}
	return NULL;
}

/*
 * Whether a reply's title is the one of the patch (or cover letter) it
 * hangs under: then "Re:" says it all.
 */
static int same_title(const struct series_priv *p, size_t i,
		      const char *title)
{
	while (i-- > 0) {
		const struct mail_thread_msg *m = p->thread.items[i];
		struct mail_subject subj;
		int same;

		if (!m->patch && !m->cover)
			continue;
		if (!m->id)
			return 0;
		mail_subject_parse(&subj, m->subject);
		same = !strcasecmp(subj.title, title);
		mail_subject_release(&subj);
		return same;
	}
	return 0;
}

static void thread_row(const struct tui_view *view, size_t i,
		       struct tui_line *l)
{
	const struct series_priv *p = view->priv;
	const struct mail_version *v = version_at(p, p->shown);
	const struct mail_thread_msg *m = p->thread.items[i];
	const struct mail_patch *mp = m->patch ? patch_of(v, m->patch) : NULL;
	struct mail_subject subj;
	struct tui_line right = TUI_LINE_INIT;
	const char *title;
	char date[16];
	size_t room;
	unsigned depth = m->depth > 12 ? 12 : m->depth;

	if (!m->id) {
		tui_line_addf(l, TUI_STYLE_MISSING, "  [%u/%u] missing: never "
			      "arrived", m->patch, v->patches_expected);
		return;
	}
	if (is_unread(p, m->id))
		l->attr |= TUI_LINE_BOLD;
	date_format_ymd(date_of_time(m->date), date, sizeof(date));
	tui_line_add(l, TUI_STYLE_DATE, date);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	tui_line_cell(l, TUI_STYLE_AUTHOR, m->from_name && *m->from_name ?
		      m->from_name : m->from_email, 18, 0);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	if (m->cover) {
		tui_line_addf(l, TUI_STYLE_VERSION, "[0/%u] ",
			      v->patches_expected);
	} else if (m->patch) {
		tui_line_addf(l, TUI_STYLE_VERSION, "[%u/%u] ", m->patch,
			      v->patches_expected);
	} else {
		for (unsigned d = 1; d < depth; d++)
			tui_line_add(l, TUI_STYLE_GRAPH, "  ");
		tui_line_add(l, TUI_STYLE_GRAPH, "\u2514\u2500 ");
		if (m->depth > depth)
			tui_line_addf(l, TUI_STYLE_GRAPH, "(%u) ", m->depth);
	}
	/* What it gave, and the commit it was applied as: on the right. */
	if (mp && mp->commit) {
		tui_line_add(&right, TUI_STYLE_STATE_APPLIED, mp->commit);
	}
	if (mp)
		add_trailers(&right, &mp->given);
	else if (!m->patch && !m->cover)
		add_trailers(&right, m->given);
	/* Patches and the cover by their title; a reply by its own. */
	mail_subject_parse(&subj, m->subject);
	if (m->cover || m->patch)
		title = subj.title;
	else if (same_title(p, i, subj.title))
		title = NULL;
	else
		title = m->subject;
	/* The title keeps 30 columns; what it gave is cut before that. */
	if (view->width > l->width + 32)
		tui_line_truncate(&right, view->width - l->width - 32);
	room = view->width > l->width + right.width + 2 ?
		view->width - l->width - right.width - 2 : 0;
	if (!title) {
		/* "Re: 3/11": which patch the reply's own subject names. */
		char re[32];

		if (subj.index)
			snprintf(re, sizeof(re), "Re: %u/%u", subj.index,
				 subj.total);
		else
			snprintf(re, sizeof(re), "Re:");
		tui_line_cell(l, TUI_STYLE_DIM, re, room < 10 ? 10 : room, 0);
	}
	else if (right.width)
		tui_line_cell(l, TUI_STYLE_SUBJECT, title, room, 0);
	else
		tui_line_add(l, TUI_STYLE_SUBJECT, title);
	if (right.width) {
		tui_line_add(l, TUI_STYLE_DEFAULT, " ");
		tui_line_append(l, &right);
	}
	mail_subject_release(&subj);
	tui_line_release(&right);
}

static void matrix_row(const struct tui_view *view, size_t i,
		       struct tui_line *l)
{
	const struct series_priv *p = view->priv;
	const struct matrix_row *r = p->matrix_rows.items[i];

	(void)view;
	if (!r->p) {
		tui_line_addf(l, TUI_STYLE_VERSION, "v%u", r->v->version);
		tui_line_addf(l, TUI_STYLE_DEFAULT, "  %u/%u patches",
			      r->v->patches_received, r->v->patches_expected);
		return;
	}
	tui_line_addf(l, TUI_STYLE_COUNT, "  %3u/%-3u ", r->p->index,
		      r->v->patches_expected);
	tui_line_cell(l, TUI_STYLE_SUBJECT, r->p->title, 40, 0);
	if (!r->p->given.n)
		tui_line_add(l, TUI_STYLE_STATE_WAITING, "  no review yet");
	else
		add_trailers(l, &r->p->given);
}

/* " CI ✗ context: link" of the shown version's first failing check. */
static void failing_check(const struct tui_view *view,
			  const struct mail_version *v, struct tui_line *l)
{
	struct front_pw_version pv;

	front_pw_version(view->app->pw, v, &pv);
	if (!pv.fail_context)
		return;
	tui_line_add(l, TUI_STYLE_STATE_CHANGES, " CI \u2717 ");
	tui_line_add(l, TUI_STYLE_STATE_CHANGES, pv.fail_context);
	if (pv.fail_url) {
		tui_line_add(l, TUI_STYLE_DEFAULT, " ");
		tui_line_add(l, TUI_STYLE_DEFAULT, pv.fail_url);
	}
}

static void series_row(const struct tui_view *view, size_t i,
		       struct tui_line *l)
{
	const struct series_priv *p = view->priv;
	size_t start = body_start(p);
	const struct mail_version *v;

	if (!p->s)
		return;
	if (i < HEAD_ROWS) {
		tui_line_add(l, TUI_STYLE_SUBJECT, p->s->title);
		tui_line_add(l, TUI_STYLE_DEFAULT, "  ");
		tui_line_add(l, TUI_STYLE_AUTHOR, p->s->author_name ?
			     p->s->author_name : p->s->author_email);
		tui_line_add(l, TUI_STYLE_DEFAULT, " <");
		tui_line_add(l, TUI_STYLE_AUTHOR, p->s->author_email);
		tui_line_add(l, TUI_STYLE_DEFAULT, ">");
		if (p->branch) {
			tui_line_add(l, TUI_STYLE_DEFAULT, "  ");
			tui_line_add(l, TUI_STYLE_TREE, p->branch);
		}
		l->attr |= TUI_LINE_BOLD;
		return;
	}
	if (i < start - 1) {
		version_row(view, i - HEAD_ROWS, l);
		return;
	}
	v = version_at(p, p->shown);
	if (i == start - 1) {
		if (p->matrix)
			tui_line_add(l, TUI_STYLE_GRAPH, "\u2500\u2500 review "
				     "matrix, every version \u2500\u2500");
		else if (v)
			tui_line_addf(l, TUI_STYLE_GRAPH, "\u2500\u2500 v%u: "
				      "%u of %u patches%s \u2500\u2500",
				      v->version, v->patches_received,
				      v->patches_expected,
				      v->has_cover ? " and a cover letter" :
				      ", no cover letter");
		if (v && !p->matrix)
			failing_check(view, v, l);
		return;
	}
	i -= start;
	if (p->matrix) {
		if (i < p->matrix_rows.n)
			matrix_row(view, i, l);
	} else if (!p->have_thread) {
		tui_line_add(l, TUI_STYLE_DIM, "  reading the messages of this "
			     "version...");
	} else if (i < p->thread.n) {
		thread_row(view, i, l);
	}
}

static void series_title(const struct tui_view *view, struct sbuf *out)
{
	const struct series_priv *p = view->priv;
	const struct mail_version *v = version_at(p, p->shown);

	if (v)
		sbuf_addf(out, "v%u of %zu", v->version, nversions(p));
	if (p->matrix)
		sbuf_addstr(out, ", review matrix");
}

static unsigned show_version(struct tui_view *view, size_t i)
{
	struct series_priv *p = view->priv;

	if (i >= nversions(p))
		return TUI_HANDLED;
	p->shown = i;
	load_thread(view);
	tui_view_select(view, body_start(p));
	return TUI_HANDLED | TUI_REDRAW;
}

static void am_say(void *data, enum front_say kind, const char *text)
{
	tui_app_say(data, kind == FRONT_WARNING, "%s", text);
}

/* The status line now: s and A block the loop while they run. */
static void am_show(struct tui_app *app)
{
	if (stdscr)
		tui_paint(app, NULL);
}

static void am_progress(void *data, const struct front_progress *p)
{
	struct tui_app *app = data;

	if (p->step == FRONT_AM_READ)
		tui_app_say(app, 0, "Reading the thread: %zu messages...",
			    p->n);
	else if (p->step == FRONT_AM_APPLY)
		tui_app_say(app, 0, "git am: %zu patch%s...", p->n,
			    p->n == 1 ? "" : "es");
	else if (p->step == FRONT_AM_MERGE)
		tui_app_say(app, 0, "Merging...");
	else
		return;
	am_show(app);
}

/* s and A: the version as vger am writes it, or applied with git am. */
static unsigned am_key(struct tui_view *view, enum tui_action a,
		       const char *arg, struct tui_request *req)
{
	struct tui_app *app = view->app;
	struct front_hooks h = { am_say, NULL, NULL, am_progress, NULL, app };
	const struct mail_version *v;
	const char *id;
	struct sbuf msg = SBUF_INIT;
	struct err err = ERR_INIT;
	char *linux_dir = NULL;
	int ret;

	tui_series_shown(view, &v, &id);
	if (!v) {
		tui_app_say(app, 1, "Select a version first");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a == TUI_ACTION_APPLY && !arg)
		arg = linux_dir = front_config_path(app->cfg, "vger.linux");
	if (!arg || !*arg) {
		req->prompt = a == TUI_ACTION_APPLY ? "apply to the git "
			"repository: " : "save the mbox in: ";
		req->initial = a == TUI_ACTION_APPLY ? NULL : ".";
		return TUI_ASK;
	}
	tui_app_say(app, 0, "%s v%u...", a == TUI_ACTION_APPLY ? "Applying" :
		    "Saving", v->version);
	am_show(app);
	if (a == TUI_ACTION_APPLY)
		ret = front_am_apply_version(app->cfg, app->src.db,
					     v->message_id, v->version, arg,
					     &h, &msg, &err);
	else
		ret = front_am_save_version(app->cfg, app->src.db,
					    v->message_id, v->version, arg, &h,
					    &msg, &err);
	if (ret)
		tui_app_say(app, 1, "%s", err.msg);
	else
		tui_app_say(app, 0, "%s", msg.buf);
	sbuf_release(&msg);
	free(linux_dir);
	return TUI_HANDLED | TUI_REDRAW;
}

static unsigned series_handle(struct tui_view *view, enum tui_action a,
			      const char *arg, struct tui_request *req)
{
	struct series_priv *p = view->priv;
	size_t start = body_start(p);

	(void)arg;
	switch (a) {
	case TUI_ACTION_ENTER:
		if (view->sel >= HEAD_ROWS && view->sel < start - 1)
			return show_version(view, view->sel - HEAD_ROWS);
		if (view->sel >= start && !p->matrix && p->have_thread &&
		    view->sel - start < p->thread.n) {
			const struct mail_thread_msg *m =
				p->thread.items[view->sel - start];

			if (!m->id)
				return TUI_HANDLED;
			p->pager.thread = &p->thread;
			p->pager.index = view->sel - start;
			req->open = &tui_pager_view;
			req->arg = &p->pager;
			return TUI_OPEN;
		}
		return TUI_HANDLED;
	case TUI_ACTION_NEXT_VERSION:
		return show_version(view, p->shown + 1);
	case TUI_ACTION_PREV_VERSION:
		return p->shown ? show_version(view, p->shown - 1) :
			TUI_HANDLED;
	case TUI_ACTION_RANGE_DIFF:
		if (!p->shown) {
			tui_app_say(view->app, 0, "v%u is the first version",
				    version_at(p, 0) ?
				    version_at(p, 0)->version : 1);
			return TUI_HANDLED | TUI_REDRAW;
		}
		p->diff.from = version_at(p, p->shown - 1);
		p->diff.to = version_at(p, p->shown);
		req->open = &tui_diff_view;
		req->arg = &p->diff;
		return TUI_OPEN;
	case TUI_ACTION_MATRIX:
		p->matrix = !p->matrix;
		tui_view_select(view, start);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACTION_SAVE_MBOX:
	case TUI_ACTION_APPLY:
		return am_key(view, a, arg, req);
	default:
		return TUI_UNHANDLED;
	}
}

/* The series again in the new model, by any version's message id. */
static void series_reload(struct tui_view *view, const struct mail_model *old)
{
	struct series_priv *p = view->priv;
	const struct mail_series *s = NULL;
	unsigned shown = version_at(p, p->shown) ?
		version_at(p, p->shown)->version : 0;

	(void)old;
	for (size_t i = nversions(p); i-- > 0 && !s;)
		mail_model_find_version(view->app->model,
					version_at(p, i)->message_id, &s);
	p->s = s;
	p->shown = nversions(p) ? nversions(p) - 1 : 0;
	for (size_t i = 0; i < nversions(p); i++)
		if (version_at(p, i)->version == shown)
			p->shown = i;
	load_thread(view);
	find_branch(p);
	tui_view_select(view, view->sel);
}

static void series_resume(struct tui_view *view)
{
	struct series_priv *p = view->priv;

	if (p->have_thread) {
		g_hash_table_remove_all(p->unread);
		read_unread(view);
	}
}

static int series_unread(const struct tui_view *view, size_t i)
{
	const struct series_priv *p = view->priv;
	size_t start = body_start(p);
	const struct mail_thread_msg *m;

	if (p->matrix || !p->have_thread || i < start ||
	    i - start >= p->thread.n)
		return 0;
	m = p->thread.items[i - start];
	return is_unread(p, m->id);
}

static int series_targets(struct tui_view *view, struct tui_target *t)
{
	struct series_priv *p = view->priv;
	const struct mail_version *v;
	const char *id;
	char what[32];

	tui_series_shown(view, &v, &id);
	if (id) {
		memset(t, 0, sizeof(*t));
		vec_push_str(&t->ids, id);
		snprintf(t->what, sizeof(t->what), "message");
		/* What the toggles toggle: the message's own tags. */
		if (tui_tags_message_flags(view->app, id, &t->flags,
					   NULL) < 0 && is_unread(p, id))
			t->flags |= TUI_SERIES_UNREAD;
		return 0;
	}
	if (v) {
		snprintf(what, sizeof(what), "v%u", v->version);
		return tui_target_versions(view->app, t, &v, 1, what);
	}
	if (!p->s)
		return -1;
	if (tui_target_versions(view->app, t, (const struct mail_version *const *)
				p->s->versions.items, p->s->versions.n,
				"series") < 0)
		return -1;
	t->flags = tui_app_series_flags(view->app, p->s);
	return 0;
}

static void series_close(struct tui_view *view)
{
	struct series_priv *p = view->priv;

	mail_thread_release(&p->thread);
	vec_release(&p->matrix_rows, free);
	free(p->branch);
	if (p->unread)
		g_hash_table_destroy(p->unread);
}

const struct mail_series *tui_series_shown(const struct tui_view *view,
					   const struct mail_version **v,
					   const char **message_id)
{
	const struct series_priv *p = view->priv;
	size_t start = body_start(p);

	*v = NULL;
	*message_id = NULL;
	if (view->sel >= HEAD_ROWS && view->sel < start - 1)
		*v = version_at(p, view->sel - HEAD_ROWS);
	else if (view->sel >= start)
		*v = version_at(p, p->shown);
	if (view->sel >= start && !p->matrix && p->have_thread &&
	    view->sel - start < p->thread.n)
		*message_id = ((const struct mail_thread_msg *)
			       p->thread.items[view->sel - start])->id;
	if (view->sel < HEAD_ROWS)
		*v = NULL;
	return p->s;
}

const struct tui_view_ops tui_series_view = {
	.name = "thread",
	.scope = TUI_SCOPE_SERIES,
	.priv_size = sizeof(struct series_priv),
	.cursor = 1,
	.open = series_open,
	.nrows = series_nrows,
	.row = series_row,
	.title = series_title,
	.handle = series_handle,
	.reload = series_reload,
	.resume = series_resume,
	.targets = series_targets,
	.unread = series_unread,
	.close = series_close,
};
