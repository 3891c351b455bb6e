/*
 * Writing mail in the TUI: the editor with the terminal given back,
 * the draft view (send, edit, postpone, discard) and the drafts list.
 * The flows are front/'s (front/compose.h, front/report.h): this file
 * only runs the editor, shows and asks.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "front/compose.h"
#include "front/editor.h"
#include "front/hooks.h"
#include "front/report.h"
#include "front/send.h"
#include "mail/index.h"
#include "mail/model.h"
#include "mail/trailer.h"
#include "mail/send.h"
#include "tui/app.h"
#include "tui/compose.h"
#include "tui/line.h"
#include "tui/paint.h"
#include "tui/views.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/*
 * The draft a handler asks the loop to open: the loop pushes the view
 * right after the handler returns, so one pending path is enough.
 */
static char *pending_draft;

static unsigned open_draft(const char *path, struct tui_request *req)
{
	free(pending_draft);
	pending_draft = xstrdup(path);
	req->open = &tui_compose_view;
	req->arg = pending_draft;
	return TUI_OPEN;
}

/*
 * Run the editor on path with the terminal given back, and take the
 * screen again after it.  0, or -1 said on the status line (the draft
 * is kept, and said so).
 */
static int edit(struct tui_app *app, const char *path)
{
	char *editor = front_editor(app->cfg, FRONT_EDITOR_MAIL);
	struct err err = ERR_INIT;
	int rc;

	if (!editor) {
		tui_app_say(app, 1, "No editor (set VISUAL, EDITOR or "
			    "core.editor); the draft is kept in :drafts");
		return -1;
	}
	def_prog_mode();
	endwin();
	rc = front_editor_run(editor, path, &err);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc < 0)
		tui_app_say(app, 1, "%s; the draft is kept in :drafts",
			    err.msg);
	else if (rc == 127)
		tui_app_say(app, 1, "The editor '%s' could not be run; the "
			    "draft is kept in :drafts", editor);
	else if (rc)
		tui_app_say(app, 1, "The editor '%s' exited with status %d; "
			    "the draft is kept in :drafts", editor, rc);
	free(editor);
	return rc ? -1 : 0;
}

/* A draft made by a flow: say its notes, edit it, then the draft view. */
static unsigned edit_new(struct tui_app *app, const char *path,
			 const struct vec *notes, struct tui_request *req)
{
	if (edit(app, path) < 0)
		return TUI_HANDLED | TUI_REDRAW;
	if (notes && notes->n)
		tui_app_say(app, 1, "%s%s", (const char *)notes->items[0],
			    notes->n > 1 ? " (and more: see the draft)" : "");
	return open_draft(path, req) | TUI_REDRAW;
}

/* The message the selection of the top view is, without <>. */
static char *selected_message(struct tui_app *app)
{
	struct tui_view *v = tui_app_top(app);
	const char *id = NULL;
	char *ret = NULL;

	if (!v)
		return NULL;
	if (v->ops == &tui_series_view) {
		const struct mail_version *ver;

		tui_series_shown(v, &ver, &id);
		if (!id && ver)
			id = ver->message_id;
		if (id)
			ret = xstrdup(id);
	} else if (v->ops == &tui_pager_view && v->ops->targets) {
		struct tui_target t;

		if (!v->ops->targets(v, &t) && t.ids.n)
			ret = xstrdup(t.ids.items[0]);
		tui_target_release(&t);
	}
	if (ret && ret[0] == '<') {
		size_t n = strlen(ret);

		memmove(ret, ret + 1, n);
		if (n > 1 && ret[n - 2] == '>')
			ret[n - 2] = '\0';
	}
	return ret;
}

static unsigned compose(struct tui_app *app, enum front_compose_kind kind,
			struct tui_request *req)
{
	struct front_compose_options o;
	struct vec notes = VEC_INIT;
	struct err err = ERR_INIT;
	char *parent = NULL, *path = NULL;
	unsigned r = TUI_HANDLED | TUI_REDRAW;

	memset(&o, 0, sizeof(o));
	o.cfg = app->cfg;
	o.db = app->src.db;
	o.kind = kind;
	if (kind != FRONT_COMPOSE_NEW) {
		parent = selected_message(app);
		if (!parent) {
			tui_app_say(app, 1, "Select a message to answer first");
			return r;
		}
		o.parent_id = parent;
	}
	if (front_compose(&o, &path, &notes, &err))
		tui_app_say(app, 1, "%s", err.msg);
	else
		r = edit_new(app, path, &notes, req);
	vec_release_str(&notes);
	free(parent);
	free(path);
	return r;
}

/*
 * The commit the first Fixes: line of the selected message names (a
 * fix's patch names the buggy commit so), or NULL.  Into buf.
 */
static const char *selected_fixes(struct tui_app *app, char *buf,
				  size_t size)
{
	struct mail_index *idx = NULL;
	struct mail_body body = MAIL_BODY_INIT;
	struct sbuf text = SBUF_INIT;
	struct err err = ERR_INIT;
	char *id = selected_message(app), *file = NULL;
	const char *ret = NULL;

	if (!id || mail_index_open(&idx, app->src.db, 0, &err) ||
	    mail_index_message(idx, id, &file, NULL, &err) ||
	    sbuf_read_file(&text, file, 4 << 20, &err))
		goto out;
	mail_body_scan(&body, text.buf);
	for (size_t i = 0; i < body.trailers.n && !ret; i++) {
		const struct mail_trailer *t = body.trailers.items[i];
		size_t n = strspn(t->value, "0123456789abcdefABCDEF");

		if (t->kind != MAIL_TRAILER_FIXES || n < 8 || n >= size)
			continue;
		memcpy(buf, t->value, n);
		buf[n] = '\0';
		ret = buf;
	}
out:
	mail_body_release(&body);
	sbuf_release(&text);
	mail_index_free(idx);
	free(file);
	free(id);
	return ret;
}

static unsigned report(struct tui_app *app, const char *arg,
		       struct tui_request *req)
{
	static char fixes[41];
	struct front_report_options o;
	struct vec notes = VEC_INIT;
	struct err err = ERR_INIT;
	char *path = NULL;
	unsigned r = TUI_HANDLED | TUI_REDRAW;

	if (!arg) {
		/* On a fix: the commit its Fixes: line names. */
		req->initial = selected_fixes(app, fixes, sizeof(fixes));
		req->prompt = "bug report on commit (empty: none): ";
		return TUI_ASK;
	}
	memset(&o, 0, sizeof(o));
	o.cfg = app->cfg;
	o.db = app->src.db;
	o.commit = *arg ? arg : NULL;
	if (front_report(&o, &path, &notes, &err))
		tui_app_say(app, 1, "report: %s", err.msg);
	else
		r = edit_new(app, path, &notes, req);
	vec_release_str(&notes);
	free(path);
	return r;
}

static unsigned stable(struct tui_app *app, const char *arg,
		       struct tui_request *req)
{
	struct front_report_options o;
	struct front_stable_result res = FRONT_STABLE_RESULT_INIT;
	struct vec notes = VEC_INIT;
	struct err err = ERR_INIT;
	unsigned r = TUI_HANDLED | TUI_REDRAW;

	if (!arg || !*arg) {
		req->prompt = "stable request for commit: ";
		return TUI_ASK;
	}
	memset(&o, 0, sizeof(o));
	o.cfg = app->cfg;
	o.db = app->src.db;
	o.commit = arg;
	if (front_stable(&o, &res, &notes, &err))
		tui_app_say(app, 1, "stable: %s", err.msg);
	else if (!res.draft)
		tui_app_say(app, 0, "stable: every stable branch that needs "
			    "%s carries it already", res.reference);
	else
		r = edit_new(app, res.draft, &notes, req);
	front_stable_result_release(&res);
	vec_release_str(&notes);
	return r;
}

unsigned tui_compose_global(struct tui_app *app, enum tui_action a,
			    const char *arg, struct tui_request *req)
{
	switch (a) {
	case TUI_ACTION_COMPOSE:
		return compose(app, FRONT_COMPOSE_NEW, req);
	case TUI_ACTION_REPLY:
		return compose(app, FRONT_COMPOSE_REPLY, req);
	case TUI_ACTION_GROUP_REPLY:
		return compose(app, FRONT_COMPOSE_GROUP, req);
	case TUI_ACTION_LIST_REPLY:
		return compose(app, FRONT_COMPOSE_LIST, req);
	case TUI_ACTION_FORWARD:
		return compose(app, FRONT_COMPOSE_FORWARD, req);
	case TUI_ACTION_ACK:
		return compose(app, FRONT_COMPOSE_ACK, req);
	case TUI_ACTION_REVIEWED:
		return compose(app, FRONT_COMPOSE_REVIEW, req);
	case TUI_ACTION_TESTED:
		return compose(app, FRONT_COMPOSE_TEST, req);
	case TUI_ACTION_PWBOT_CR:
		return compose(app, FRONT_COMPOSE_PWBOT_CR, req);
	case TUI_ACTION_REPORT:
		return report(app, arg, req);
	case TUI_ACTION_STABLE:
		return stable(app, arg, req);
	case TUI_ACTION_DRAFTS:
		req->open = &tui_drafts_view;
		req->arg = NULL;
		return TUI_OPEN;
	default:
		return TUI_UNHANDLED;
	}
}

/* The draft view: what it sends, to whom, via what; then its text. */

struct compose_priv {
	char *path;
	struct vec rows;	/* char *: made safe when drawn */
	size_t nhead;		/* rows of the summary */
	int broken;		/* the draft does not read: no send */
	struct tui_secret secret;
};

static void add_row(struct compose_priv *p, const char *fmt, const char *s)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, fmt, s);
	vec_push(&p->rows, sbuf_detach(&sb));
}

void tui_rows_list(struct vec *rows, const char *label, const struct vec *v)
{
	struct sbuf sb = SBUF_INIT;

	if (front_address_line(&sb, label, v))
		vec_push(rows, sbuf_detach(&sb));
	sbuf_release(&sb);
}

static void draft_options(struct tui_view *v, struct front_draft_options *o)
{
	struct compose_priv *p = v->priv;

	memset(o, 0, sizeof(*o));
	o->cfg = v->app->cfg;
	o->db = v->app->src.db;
	o->path = p->path;
}

/* Read the draft again: the summary, then its text as written. */
static void load_draft(struct tui_view *v)
{
	struct compose_priv *p = v->priv;
	struct front_draft_options o;
	struct front_draft *d = NULL;
	struct sbuf text = SBUF_INIT;
	struct err err = ERR_INIT;

	vec_release(&p->rows, free);
	vec_init(&p->rows);
	draft_options(v, &o);
	o.dry_run = 1;
	p->broken = front_draft_open(&d, &o, &err) < 0;
	if (p->broken) {
		add_row(p, "Error: %s", err.msg);
		add_row(p, "%s", "e edits it again, p keeps it for later, "
			"d throws it away");
	} else {
		const struct mail_send_msg *m = front_draft_message(d);

		tui_rows_list(&p->rows, "To: ", &m->to);
		tui_rows_list(&p->rows, "Cc: ", &m->cc);
		add_row(p, "Subject: %s", m->subject);
		add_row(p, "via %s", front_draft_url(d));
		add_row(p, "%s", "y sends it, e edits it again, p keeps it "
			"for later (:drafts), d throws it away");
	}
	front_draft_free(d);
	p->nhead = p->rows.n;
	vec_push(&p->rows, xstrdup(""));
	err_clear(&err);
	if (!sbuf_read_file(&text, p->path, 1 << 20, &err)) {
		for (const char *s = text.buf; *s;) {
			size_t n = strcspn(s, "\n");

			vec_push(&p->rows, xstrndup(s, n));
			s += n + (s[n] == '\n');
		}
	}
	sbuf_release(&text);
}

static int compose_open(struct tui_view *v, const void *arg, struct err *err)
{
	struct compose_priv *p = v->priv;

	(void)err;
	p->path = xstrdup(arg);
	load_draft(v);
	return 0;
}

static size_t compose_nrows(const struct tui_view *v)
{
	const struct compose_priv *p = v->priv;

	return p->rows.n;
}

static void compose_row(const struct tui_view *v, size_t i,
			struct tui_line *out)
{
	const struct compose_priv *p = v->priv;
	const char *s = p->rows.items[i];

	if (i < p->nhead)
		tui_line_add(out, p->broken && !i ? TUI_STYLE_ERROR :
			     TUI_STYLE_HEADER, s);
	else
		tui_line_add(out, TUI_STYLE_DEFAULT, s);
}

static void compose_title(const struct tui_view *v, struct sbuf *out)
{
	const struct compose_priv *p = v->priv;
	const char *base = strrchr(p->path, '/');

	sbuf_addstr(out, base ? base + 1 : p->path);
}

struct send_ctx {
	struct tui_view *v;
	int sent;
};

static void hook_say(void *data, enum front_say kind, const char *text)
{
	struct send_ctx *c = data;

	tui_app_say(c->v->app, kind == FRONT_WARNING, "%s", text);
}

/* y on the draft view is the confirmation; nothing else is asked. */
static int hook_ask(void *data, enum front_question q, const char *question,
		    const char *detail)
{
	(void)data;
	(void)question;
	(void)detail;
	return q == FRONT_ASK_CONFIRM ? FRONT_YES : FRONT_CANNOT_ASK;
}

static char *hook_password(void *data, const char *prompt)
{
	struct send_ctx *c = data;
	struct compose_priv *p = c->v->priv;

	return tui_secret_get(&p->secret, prompt);
}

static void hook_progress(void *data, const struct front_progress *pr)
{
	struct send_ctx *c = data;

	if (pr->step == FRONT_SEND_SENT) {
		c->sent = 1;
		tui_app_say(c->v->app, 0, "Sent: %s", pr->subject);
	} else if (pr->step == FRONT_SEND_FAILED ||
		   pr->step == FRONT_SEND_UNSURE) {
		tui_app_say(c->v->app, 1, "%s; the draft is kept in :drafts",
			    pr->why);
	}
}

static void forget(struct tui_secret *s)
{
	if (s->password) {
		memset(s->password, 0, strlen(s->password));
		free(s->password);
		s->password = NULL;
	}
}

char *tui_secret_get(struct tui_secret *s, const char *prompt)
{
	if (s->password)
		return xstrdup(s->password);
	s->wanted = 1;
	free(s->prompt);
	s->prompt = xstrdup(prompt);
	return NULL;
}

unsigned tui_secret_after(struct tui_secret *s, struct tui_request *req)
{
	if (s->wanted && !s->password) {
		s->wanted = 0;
		s->asking = 1;
		req->prompt = s->prompt;
		req->secret = 1;
		return TUI_ASK;
	}
	s->wanted = 0;
	forget(s);
	return 0;
}

void tui_secret_answer(struct tui_secret *s, const char *arg)
{
	if (!s->asking || !arg)
		return;
	s->asking = 0;
	forget(s);
	s->password = xstrdup(arg);
}

void tui_secret_release(struct tui_secret *s)
{
	forget(s);
	free(s->prompt);
	memset(s, 0, sizeof(*s));
}

static unsigned send_draft(struct tui_view *v, struct tui_request *req)
{
	struct compose_priv *p = v->priv;
	struct front_draft_options o;
	struct front_draft *d = NULL;
	struct front_send_result res;
	struct err err = ERR_INIT;
	struct send_ctx c = { v, 0 };
	struct front_hooks h = { hook_say, hook_ask, hook_password,
				 hook_progress, NULL, &c };
	int rc;

	if (p->broken) {
		tui_app_say(v->app, 1, "The draft does not read: e edits it");
		return TUI_HANDLED | TUI_REDRAW;
	}
	tui_app_say(v->app, 0, "Sending...");
	tui_paint(v->app, NULL);
	draft_options(v, &o);
	rc = front_draft_open(&d, &o, &err);
	if (!rc)
		rc = front_draft_send(d, &h, &res, &err);
	front_draft_free(d);
	if (!rc && (res.outcome == FRONT_SEND_DONE ||
		    res.outcome == FRONT_SEND_NOTHING)) {
		tui_secret_release(&p->secret);
		/* The sent copy is in notmuch: read the thread again. */
		return TUI_BACK | TUI_RELOAD | TUI_REDRAW;
	}
	if (tui_secret_after(&p->secret, req))
		return TUI_ASK;
	if (rc < 0)
		tui_app_say(v->app, 1, "%s; the draft is kept in :drafts",
			    err.msg);
	else if (!c.sent && res.outcome != FRONT_SEND_STOPPED)
		tui_app_say(v->app, 1, "Not sent; the draft is kept in "
			    ":drafts");
	return TUI_HANDLED | TUI_REDRAW;
}

static unsigned compose_handle(struct tui_view *v, enum tui_action a,
			       const char *arg, struct tui_request *req)
{
	struct compose_priv *p = v->priv;
	struct err err = ERR_INIT;

	switch (a) {
	case TUI_ACTION_SEND:
		tui_secret_answer(&p->secret, arg);
		return send_draft(v, req);
	case TUI_ACTION_EDIT:
		edit(v->app, p->path);
		load_draft(v);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACTION_POSTPONE:
	case TUI_ACTION_BACK:
		tui_app_say(v->app, 0, "Postponed: :drafts resumes it");
		return TUI_BACK;
	case TUI_ACTION_DISCARD:
		if (front_draft_discard(p->path, &err)) {
			tui_app_say(v->app, 1, "%s", err.msg);
			return TUI_HANDLED | TUI_REDRAW;
		}
		tui_app_say(v->app, 0, "Discarded");
		return TUI_BACK;
	default:
		return TUI_UNHANDLED;
	}
}

static void compose_close(struct tui_view *v)
{
	struct compose_priv *p = v->priv;

	tui_secret_release(&p->secret);
	vec_release(&p->rows, free);
	free(p->path);
}

const struct tui_view_ops tui_compose_view = {
	.name = "draft",
	.scope = TUI_SCOPE_COMPOSE,
	.priv_size = sizeof(struct compose_priv),
	.cursor = 0,
	.open = compose_open,
	.nrows = compose_nrows,
	.row = compose_row,
	.title = compose_title,
	.handle = compose_handle,
	.close = compose_close,
};

/* The drafts: newest first, Enter or e resumes, d discards. */

struct drafts_priv {
	char *dir;
	struct vec drafts;	/* struct front_draft_info * */
};

static void list_drafts(struct tui_view *v)
{
	struct drafts_priv *p = v->priv;
	struct err err = ERR_INIT;

	vec_release(&p->drafts, front_draft_info_free);
	vec_init(&p->drafts);
	if (front_drafts_list(p->dir, &p->drafts, &err))
		tui_app_say(v->app, 1, "%s", err.msg);
	tui_view_select(v, v->sel);
}

static int drafts_open(struct tui_view *v, const void *arg, struct err *err)
{
	struct drafts_priv *p = v->priv;

	(void)arg;
	p->dir = front_drafts_dir(v->app->cfg, v->app->src.db, err);
	if (!p->dir)
		return -1;
	list_drafts(v);
	return 0;
}

static size_t drafts_nrows(const struct tui_view *v)
{
	const struct drafts_priv *p = v->priv;

	return p->drafts.n ? p->drafts.n : 1;
}

static void drafts_row(const struct tui_view *v, size_t i,
		       struct tui_line *out)
{
	const struct drafts_priv *p = v->priv;
	const struct front_draft_info *d;
	char when[32];
	struct tm tm;

	if (!p->drafts.n) {
		tui_line_add(out, TUI_STYLE_DIM, "No drafts (m writes one)");
		return;
	}
	d = p->drafts.items[i];
	localtime_r(&d->mtime, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	tui_line_add(out, TUI_STYLE_DATE, when);
	tui_line_add(out, TUI_STYLE_DEFAULT, "  ");
	tui_line_cell(out, TUI_STYLE_AUTHOR, *d->to ? d->to : "(nobody)",
		      24, 0);
	tui_line_add(out, TUI_STYLE_DEFAULT, "  ");
	tui_line_add(out, TUI_STYLE_SUBJECT, *d->subject ? d->subject :
		     "(no subject)");
}

static void drafts_title(const struct tui_view *v, struct sbuf *out)
{
	const struct drafts_priv *p = v->priv;

	sbuf_addf(out, "%zu postponed", p->drafts.n);
}

static unsigned drafts_handle(struct tui_view *v, enum tui_action a,
			      const char *arg, struct tui_request *req)
{
	struct drafts_priv *p = v->priv;
	const struct front_draft_info *d;
	struct err err = ERR_INIT;

	(void)arg;
	if (a != TUI_ACTION_ENTER && a != TUI_ACTION_EDIT &&
	    a != TUI_ACTION_DISCARD)
		return TUI_UNHANDLED;
	if (!p->drafts.n || v->sel >= p->drafts.n)
		return TUI_HANDLED;
	d = p->drafts.items[v->sel];
	if (a == TUI_ACTION_DISCARD) {
		if (front_draft_discard(d->path, &err))
			tui_app_say(v->app, 1, "%s", err.msg);
		else
			tui_app_say(v->app, 0, "Discarded");
		list_drafts(v);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (edit(v->app, d->path) < 0)
		return TUI_HANDLED | TUI_REDRAW;
	return open_draft(d->path, req) | TUI_REDRAW;
}

static void drafts_close(struct tui_view *v)
{
	struct drafts_priv *p = v->priv;

	vec_release(&p->drafts, front_draft_info_free);
	free(p->dir);
}

const struct tui_view_ops tui_drafts_view = {
	.name = "drafts",
	.scope = TUI_SCOPE_DRAFTS,
	.priv_size = sizeof(struct drafts_priv),
	.cursor = 1,
	.open = drafts_open,
	.nrows = drafts_nrows,
	.row = drafts_row,
	.title = drafts_title,
	.handle = drafts_handle,
	.resume = list_drafts,
	.close = drafts_close,
};
