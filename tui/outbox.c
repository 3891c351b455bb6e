/*
 * Your own series from the client: R runs the vger respin flow on the
 * branch checked out where vger runs, and the outbox view shows what
 * it wrote (files, trailers added, To/Cc, the checks) and what vger
 * send would send; S sends it through the vger send flow.  The flows
 * run while the screen waits (a respin takes seconds, a send one SMTP
 * exchange a message); they talk through front/hooks.h: what they say
 * becomes rows and the status line, their questions are asked on the
 * bottom line (tui_ask_yes), each message sent is shown as it goes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "front/hooks.h"
#include "front/mine.h"
#include "front/respin.h"
#include "front/send.h"
#include "front/sendconf.h"
#include "mail/send.h"
#include "series/check.h"
#include "series/respin.h"
#include "tui/app.h"
#include "tui/compose.h"
#include "tui/line.h"
#include "tui/loop.h"
#include "tui/outbox.h"
#include "tui/paint.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/*
 * What R hands the view: the directory written (or NULL), the branch
 * respun when not the one checked out, the rows.
 */
struct outbox_arg {
	char *dir;
	char *branch;
	struct vec rows;	/* char * */
};

static struct outbox_arg pending;

struct outbox_priv {
	char *dir;		/* NULL: nothing to send */
	char *branch;		/* to record the sent version on; NULL: HEAD's */
	struct vec rows;	/* char *: made safe when drawn */
	struct tui_secret secret;
};

static void rowf(struct vec *rows, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rowf(struct vec *rows, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(rows, sbuf_detach(&sb));
}

/* What a flow says and how far it got, for the rows and the screen. */
struct flow {
	struct tui_app *app;
	struct vec *rows;
	struct outbox_priv *p;	/* sending: the view's */
};

static void flow_say(void *data, enum front_say kind, const char *text)
{
	struct flow *f = data;

	rowf(f->rows, "%s%s", kind == FRONT_WARNING ? "warning: " : "",
	     text);
	tui_app_say(f->app, kind == FRONT_WARNING, "%s", text);
	tui_paint(f->app, NULL);
}

static int flow_ask(void *data, enum front_question q, const char *question,
		    const char *detail)
{
	struct flow *f = data;
	struct sbuf sb = SBUF_INIT;
	int yes;

	(void)q;
	/* The answer's keys first: the question may be long. */
	sbuf_addf(&sb, "[y/n] %s", question);
	if (detail && !strstr(question, detail))
		sbuf_addf(&sb, " (%s)", detail);
	yes = tui_ask_yes(f->app, sb.buf);
	rowf(f->rows, "%s: %s", sb.buf, yes ? "yes" : "no");
	sbuf_release(&sb);
	return yes ? FRONT_YES : FRONT_NO;
}

static void flow_progress(void *data, const struct front_progress *pr)
{
	static const char *const steps[] = {
		[FRONT_RESPIN_MODEL] = "reading the mail model",
		[FRONT_RESPIN_FORMAT] = "formatting the series",
		[FRONT_RESPIN_MAINTAINERS] = "reading MAINTAINERS",
		[FRONT_RESPIN_CHECKS] = "running the checks",
		[FRONT_RESPIN_WRITE] = "writing the files",
	};
	struct flow *f = data;

	switch (pr->step) {
	case FRONT_SEND_BEGIN:
		tui_app_say(f->app, 0, "Sending %zu of %zu...", pr->n - pr->i,
			    pr->n);
		break;
	case FRONT_SEND_SENT:
		rowf(f->rows, "sent %zu/%zu: %s", pr->i + 1, pr->n,
		     pr->subject);
		tui_app_say(f->app, 0, "Sent %zu/%zu: %s", pr->i + 1, pr->n,
			    pr->subject);
		break;
	case FRONT_SEND_FAILED:
	case FRONT_SEND_UNSURE:
		rowf(f->rows, "NOT sent %zu/%zu: %s", pr->i + 1, pr->n,
		     pr->why);
		tui_app_say(f->app, 1, "%zu/%zu: %s (S again resumes)",
			    pr->i + 1, pr->n, pr->why);
		break;
	case FRONT_SEND_END:
		return;
	default:
		if ((size_t)pr->step < sizeof(steps) / sizeof(steps[0]) &&
		    steps[pr->step])
			tui_app_say(f->app, 0, "Respin: %s...",
				    steps[pr->step]);
		break;
	}
	tui_paint(f->app, NULL);
}

static char *flow_password(void *data, const char *prompt)
{
	struct flow *f = data;

	return tui_secret_get(&f->p->secret, prompt);
}

/* What the respin wrote, as vger respin prints it. */
static void respin_rows(const struct front_respin_result *res,
			struct vec *rows)
{
	const struct series_result *r = &res->series;

	if (res->dir)
		rowf(rows, "%s: v%u, %zu file%s in %s", r->prefix ?
		     r->prefix : "PATCH", r->version, r->files.n,
		     r->files.n == 1 ? "" : "s", res->dir);
	for (size_t i = 0; res->dir && i < r->files.n; i++) {
		const struct series_file *f = r->files.items[i];

		rowf(rows, "  %s", f->name);
	}
	for (size_t i = 0; i < r->notes.n; i++) {
		const struct series_trailer_note *n = r->notes.items[i];

		rowf(rows, "  %u: %s: + %s", n->index, n->title, n->line);
	}
	tui_rows_list(rows, "To: ", &res->to);
	tui_rows_list(rows, "Cc: ", &res->cc);
	if (res->checked)
		rowf(rows, "checks for %s: %u error%s, %u warning%s",
		     res->check_tree ? res->check_tree : "the tree",
		     res->checks.errors, res->checks.errors == 1 ? "" : "s",
		     res->checks.warnings,
		     res->checks.warnings == 1 ? "" : "s");
	for (size_t i = 0; i < res->checks.findings.n; i++) {
		const struct check_finding *c = res->checks.findings.items[i];

		rowf(rows, "  %s %u/%u %s: %s",
		     c->severity == CHECK_ERROR ? "error" : "warning",
		     c->index, c->total, c->subject ? c->subject : "",
		     c->message);
	}
}

/* Respin branch (NULL: the one checked out) and open the outbox. */
static unsigned respin(struct tui_app *app, const char *branch,
		       int checked_out, struct tui_request *req)
{
	struct front_respin_options o;
	struct front_respin_result res = FRONT_RESPIN_RESULT_INIT;
	struct err err = ERR_INIT;
	struct flow f = { app, &pending.rows, NULL };
	struct front_hooks h = { flow_say, flow_ask, NULL, flow_progress,
				 NULL, &f };
	int rc;

	free(pending.dir);
	pending.dir = NULL;
	free(pending.branch);
	pending.branch = branch ? xstrdup(branch) : NULL;
	vec_release(&pending.rows, free);
	vec_init(&pending.rows);
	memset(&o, 0, sizeof(o));
	o.cover_letter = -1;
	o.thread = -1;
	o.cfg = app->cfg;
	o.branch = branch;
	if (!branch)
		tui_app_say(app, 0, "Respinning the branch checked out "
			    "here...");
	else
		tui_app_say(app, 0, "Respinning branch %s%s...", branch,
			    checked_out ? "" : " (not checked out)");
	tui_paint(app, NULL);
	rc = front_respin(&o, &h, &res, &err);
	respin_rows(&res, &pending.rows);
	if (rc) {
		tui_app_say(app, 1, "respin: %s", err.msg);
		if (!res.checks.findings.n) {
			front_respin_result_release(&res);
			return TUI_HANDLED | TUI_REDRAW;
		}
	} else if (!res.dir) {
		rowf(&pending.rows, "Nothing written: fix the errors above, "
		     "or write anyway with vger respin --no-check");
		tui_app_say(app, 1, "respin: the checks found errors");
	} else {
		pending.dir = xstrdup(res.dir);
		tui_app_say(app, 0, "Respun: S sends it");
	}
	front_respin_result_release(&res);
	req->open = &tui_outbox_view;
	req->arg = &pending;
	return TUI_OPEN | TUI_REDRAW;
}

unsigned tui_outbox_global(struct tui_app *app, enum tui_action a,
			   const char *arg, struct tui_request *req)
{
	if (a != TUI_ACTION_RESPIN)
		return TUI_UNHANDLED;
	/* :respin BRANCH names one; R in a list, the one checked out */
	return respin(app, arg && *arg ? arg : NULL, 0, req);
}

unsigned tui_outbox_respin_series(struct tui_app *app,
				  const struct mail_series *s,
				  struct tui_request *req)
{
	struct front_mine *m = NULL;
	struct front_branch b = FRONT_BRANCH_INIT;
	struct err err = ERR_INIT;
	unsigned r = TUI_HANDLED | TUI_REDRAW;

	if (front_mine_open(&m, NULL, &err)) {
		tui_app_say(app, 1, "respin: %s", err.msg);
		return r;
	}
	if (!front_mine_branch(m, s, &b))
		tui_app_say(app, 1, "no branch of yours carries this series; "
			    "check it out and press R in the list (1: all)");
	else if (!b.exists)
		tui_app_say(app, 1, "respin: branch %s, which sent v%u of "
			    "this series, is gone", b.branch, b.sent);
	else
		r = respin(app, b.branch, b.checked_out, req);
	front_branch_release(&b);
	front_mine_free(m);
	return r;
}

/* The send's open, as vger send opens it; NULL said on the status line. */
static struct front_send *send_open(struct tui_view *v,
				    struct front_sendconf *conf,
				    struct vec *files, int dry_run)
{
	struct outbox_priv *p = v->priv;
	struct front_sendconf_args ca;
	struct front_send_options o;
	struct front_send *fs = NULL;
	struct err err = ERR_INIT;
	const char *names[1] = { p->dir };

	memset(&ca, 0, sizeof(ca));
	if (front_sendconf_read(conf, v->app->cfg, &ca, &err) ||
	    front_send_collect(names, 1, files, &err))
		goto fail;
	memset(&o, 0, sizeof(o));
	o.files = (const char *const *)files->items;
	o.nfiles = files->n;
	o.from = conf->sender;
	o.to = &conf->to;
	o.cc = &conf->cc;
	o.bcc = &conf->bcc;
	o.thread = conf->thread;
	o.smtp = &conf->smtp;
	o.envelope = conf->envelope;
	o.fcc = conf->fcc;
	o.dry_run = dry_run;
	o.cfg = v->app->cfg;
	o.credential_host = conf->credential_host;
	o.branch = p->branch;
	if (!front_send_open(&fs, &o, &err))
		return fs;
fail:
	front_send_free(fs);
	tui_app_say(v->app, 1, "send: %s", err.msg);
	return NULL;
}

/* What vger send would send: its summary, under the respin's rows. */
static void send_summary(struct tui_view *v)
{
	struct outbox_priv *p = v->priv;
	struct front_sendconf conf = FRONT_SENDCONF_INIT;
	struct vec files = VEC_INIT, to = VEC_INIT, cc = VEC_INIT;
	struct front_send *fs = send_open(v, &conf, &files, 1);
	const struct mail_send_series *s;

	if (fs) {
		s = front_send_series(fs);
		rowf(&p->rows, "%s", "");
		rowf(&p->rows, "vger send: %zu message%s, %zu to send, from "
		     "%s", s->msgs.n, s->msgs.n == 1 ? "" : "s",
		     front_send_todo(fs), conf.sender);
		for (size_t i = 0; i < s->msgs.n; i++) {
			const struct mail_send_msg *m = s->msgs.items[i];

			rowf(&p->rows, "  %s", m->subject);
		}
		front_send_recipients(fs, &to, &cc);
		tui_rows_list(&p->rows, "To: ", &to);
		tui_rows_list(&p->rows, "Cc: ", &cc);
		rowf(&p->rows, "%s", "S sends it (it asks first); q goes "
		     "back");
	}
	front_send_free(fs);
	front_sendconf_release(&conf);
	vec_release_str(&files);
	vec_release_str(&to);
	vec_release_str(&cc);
}

static int outbox_open(struct tui_view *v, const void *arg, struct err *err)
{
	const struct outbox_arg *a = arg;
	struct outbox_priv *p = v->priv;

	(void)err;
	p->dir = a->dir ? xstrdup(a->dir) : NULL;
	p->branch = a->branch ? xstrdup(a->branch) : NULL;
	for (size_t i = 0; i < a->rows.n; i++)
		vec_push_str(&p->rows, a->rows.items[i]);
	if (p->dir)
		send_summary(v);
	return 0;
}

static size_t outbox_nrows(const struct tui_view *v)
{
	const struct outbox_priv *p = v->priv;

	return p->rows.n;
}

static void outbox_row(const struct tui_view *v, size_t i,
		       struct tui_line *out)
{
	const struct outbox_priv *p = v->priv;
	const char *s = p->rows.items[i];

	tui_line_add(out, !strncmp(s, "  error", 7) ||
		     !strncmp(s, "NOT sent", 8) ? TUI_STYLE_ERROR :
		     s[0] != ' ' ? TUI_STYLE_HEADER : TUI_STYLE_DEFAULT, s);
}

static void outbox_title(const struct tui_view *v, struct sbuf *out)
{
	const struct outbox_priv *p = v->priv;

	sbuf_addstr(out, p->dir ? p->dir : "nothing written");
}

static unsigned send_series(struct tui_view *v, struct tui_request *req)
{
	struct outbox_priv *p = v->priv;
	struct front_sendconf conf = FRONT_SENDCONF_INIT;
	struct vec files = VEC_INIT;
	struct front_send_result res;
	struct err err = ERR_INIT;
	struct flow f = { v->app, &p->rows, p };
	struct front_hooks h = { flow_say, flow_ask, flow_password,
				 flow_progress, NULL, &f };
	struct front_send *fs;
	unsigned r = TUI_HANDLED | TUI_REDRAW;
	int rc;

	if (!p->dir) {
		tui_app_say(v->app, 1, "Nothing was written to send");
		return r;
	}
	fs = send_open(v, &conf, &files, 0);
	rc = fs ? front_send_run(fs, &h, &res, &err) : -1;
	if (!rc && (res.outcome == FRONT_SEND_DONE ||
		    res.outcome == FRONT_SEND_NOTHING)) {
		rowf(&p->rows, "All %zu messages are out", res.total);
		tui_app_say(v->app, 0, "Sent: %zu of %zu messages", res.sent,
			    res.total);
		r |= TUI_RELOAD;
	} else if (fs && tui_secret_after(&p->secret, req)) {
		r = TUI_ASK;
	} else if (fs && rc < 0) {
		tui_app_say(v->app, 1, "send: %s", err.msg);
	} else if (fs && res.outcome == FRONT_SEND_DECLINED) {
		tui_app_say(v->app, 0, "Not sent");
	}
	if (r != TUI_ASK)
		tui_secret_release(&p->secret);
	front_send_free(fs);
	front_sendconf_release(&conf);
	vec_release_str(&files);
	tui_view_select(v, tui_view_nrows(v) ? tui_view_nrows(v) - 1 : 0);
	return r;
}

static unsigned outbox_handle(struct tui_view *v, enum tui_action a,
			      const char *arg, struct tui_request *req)
{
	struct outbox_priv *p = v->priv;

	if (a != TUI_ACTION_SEND_SERIES)
		return TUI_UNHANDLED;
	tui_secret_answer(&p->secret, arg);
	return send_series(v, req);
}

static void outbox_close(struct tui_view *v)
{
	struct outbox_priv *p = v->priv;

	tui_secret_release(&p->secret);
	vec_release(&p->rows, free);
	free(p->dir);
	free(p->branch);
}

const struct tui_view_ops tui_outbox_view = {
	.name = "outbox",
	.scope = TUI_SCOPE_OUTBOX,
	.priv_size = sizeof(struct outbox_priv),
	.cursor = 0,
	.open = outbox_open,
	.nrows = outbox_nrows,
	.row = outbox_row,
	.title = outbox_title,
	.handle = outbox_handle,
	.close = outbox_close,
};
