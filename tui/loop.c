/*
 * The only place that reads keys: key -> keymap -> action -> the top
 * view's handle(), then the generic motions, then what the whole
 * program does (views, prompt, tags, refresh).  It also waits for the
 * background loader and for signals, so nothing here blocks.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "front/clock.h"
#include "mail/model.h"
#include "patchwork/pw.h"
#include "tui/app.h"
#include "tui/compose.h"
#include "tui/outbox.h"
#include "tui/line.h"
#include "tui/loader.h"
#include "tui/loop.h"
#include "tui/paint.h"
#include "tui/sync.h"
#include "tui/tags.h"
#include "tui/views.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

static int signal_fd = -1;
static volatile sig_atomic_t got_signal;

/*
 * VGER_TRACE_KEYS=FILE (bench/tui-bench.sh): "key NAME T" when a key
 * is read, "paint T" when the repaint after it is written, T in
 * seconds of CLOCK_MONOTONIC.  Off (NULL) by default.
 */
static FILE *key_trace;
static int key_trace_pending;	/* keys read since the last paint */

static void key_trace_line(const char *what, int k)
{
	struct sbuf name = SBUF_INIT;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (k >= 0) {
		tui_key_name(k, &name);
		key_trace_pending++;
	}
	fprintf(key_trace, "%s%s%s %ld.%06ld\n", what, k >= 0 ? " " : "",
		name.len ? name.buf : "", (long)ts.tv_sec,
		ts.tv_nsec / 1000);
	fflush(key_trace);
	sbuf_release(&name);
}

static void on_signal(int sig)
{
	char byte = 'S';
	ssize_t r;

	got_signal = sig;
	if (signal_fd >= 0)
		r = write(signal_fd, &byte, 1);
	(void)r;
}

/*
 * SIGWINCH goes to curses' own handler (it makes the next get_wch()
 * say KEY_RESIZE) and then wakes the loop's poll().  A signal sent to
 * the process may be taken by any thread that does not block it (a
 * loader or sync thread, or under valgrind), so the interrupted poll()
 * of the main thread cannot be relied on: without the byte, a resize
 * while a thread runs was drawn only at the next key.
 */
static struct sigaction winch_old;

static void on_winch(int sig, siginfo_t *info, void *ctx)
{
	int saved = errno;
	char byte = 'W';
	ssize_t r;

	if (winch_old.sa_flags & SA_SIGINFO)
		winch_old.sa_sigaction(sig, info, ctx);
	else if (winch_old.sa_handler != SIG_DFL &&
		 winch_old.sa_handler != SIG_IGN)
		winch_old.sa_handler(sig);
	if (signal_fd >= 0)
		r = write(signal_fd, &byte, 1);
	(void)r;
	errno = saved;
}

/* What the signal handlers wrote, read so that poll() sleeps again. */
static void drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

struct loop {
	struct tui_app *app;
	struct tui_loader *loader;
	struct tui_prompt prompt;
	enum tui_action prompt_action;	/* what the typed line is for */
	int prompt_command;		/* a : line: "name argument" */
	int dirty;
	int quit;
	long refresh_secs;		/* vger.refresh: 0 never */
	int pending_refresh;
	struct tui_sync sync;		/* vger sync in the background */
	int pending_sync;		/* start it when the loader is done */
	struct sbuf synced;		/* its summary, said once reloaded */
	int synced_error;
};

static void push(struct loop *lp, const struct tui_view_ops *ops,
		 const void *arg)
{
	struct tui_app *app = lp->app;
	struct err err = ERR_INIT;
	struct tui_view *v;

	if (app->depth >= TUI_STACK_MAX) {
		tui_app_say(app, 1, "Too many views open: press q");
		return;
	}
	v = tui_view_new(app, ops, arg, &err);
	if (!v) {
		tui_app_say(app, 1, "%s", err.msg);
		return;
	}
	app->stack[app->depth++] = v;
}

static void pop(struct loop *lp)
{
	struct tui_app *app = lp->app;
	struct tui_view *top;

	if (app->depth <= 1) {
		lp->quit = 1;
		return;
	}
	tui_view_free(app->stack[--app->depth]);
	top = tui_app_top(app);
	if (top->ops->resume)
		top->ops->resume(top);
}

static void start_prompt(struct loop *lp, const char *label,
			 const char *initial, enum tui_action a, int command)
{
	lp->prompt.active = 1;
	lp->prompt.secret = 0;
	lp->prompt.label = label;
	sbuf_reset(&lp->prompt.text);
	if (initial)
		sbuf_addstr(&lp->prompt.text, initial);
	lp->prompt.cursor = lp->prompt.text.len;
	lp->prompt_action = a;
	lp->prompt_command = command;
}

static void dispatch(struct loop *lp, enum tui_action a, const char *arg);

/* ":name argument": every action has a name. */
static void run_command(struct loop *lp, const char *line)
{
	struct sbuf name = SBUF_INIT;
	const char *p = line;
	enum tui_action a;

	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		sbuf_addch(&name, *p++);
	while (*p == ' ')
		p++;
	if (!name.len) {
		sbuf_release(&name);
		return;
	}
	a = tui_action_by_name(name.buf);
	if (a == TUI_ACTION_NONE)
		tui_app_say(lp->app, 1, "No action '%s' (? lists them)",
			    name.buf);
	else
		dispatch(lp, a, *p ? p : NULL);
	sbuf_release(&name);
}

/* Read the tags of the selection for the tag actions. */
static unsigned tag_action(struct loop *lp, enum tui_action a,
			   const char *arg, struct tui_request *req)
{
	struct tui_app *app = lp->app;
	struct tui_view *v = tui_app_top(app);
	struct tui_target t;
	struct err err = ERR_INIT;
	struct sbuf changes = SBUF_INIT;
	long n;

	if (!v->ops->targets || v->ops->targets(v, &t) < 0) {
		tui_app_say(app, 1, "Nothing to tag here");
		return TUI_HANDLED | TUI_REDRAW;
	}
	switch (a) {
	case TUI_ACTION_TOGGLE_UNREAD:
		sbuf_addstr(&changes, t.flags & TUI_SERIES_UNREAD ?
			    "-unread" : "+unread");
		break;
	case TUI_ACTION_ARCHIVE:
		sbuf_addstr(&changes, "-inbox");
		break;
	case TUI_ACTION_FLAG:
		sbuf_addstr(&changes, t.flags & TUI_SERIES_FLAGGED ?
			    "-flagged" : "+flagged");
		break;
	case TUI_ACTION_MUTE:
		sbuf_addstr(&changes, t.flags & TUI_SERIES_MUTED ?
			    "-muted" : "+muted");
		break;
	case TUI_ACTION_TAG:
		if (!arg || !strcmp(arg, "+") || !strcmp(arg, "-")) {
			req->prompt = "tags (+add -remove): ";
			req->initial = arg;
			tui_target_release(&t);
			return TUI_ASK;
		}
		sbuf_addstr(&changes, arg);
		break;
	case TUI_ACTION_SNOOZE:
		if (!arg) {
			req->prompt = "snooze until (YYYY-MM-DD, 3d, 2w, "
				"reopen, off): ";
			tui_target_release(&t);
			return TUI_ASK;
		}
		if (tui_snooze_changes(app, &t, arg, &changes, &err) < 0) {
			tui_app_say(app, 1, "%s", err.msg);
			tui_target_release(&t);
			sbuf_release(&changes);
			return TUI_HANDLED | TUI_REDRAW;
		}
		break;
	default:
		break;
	}
	n = tui_tags_apply(app, &t.ids, changes.buf, &err);
	if (n < 0)
		tui_app_say(app, 1, "%s: %s", t.what, err.msg);
	else
		tui_app_say(app, 0, "%s: %s on %ld message%s", t.what,
			    changes.buf, n, n == 1 ? "" : "s");
	tui_target_release(&t);
	sbuf_release(&changes);
	if (v->ops->resume)
		v->ops->resume(v);
	return TUI_HANDLED | TUI_REDRAW;
}

/* The status line while the model loads: stage, counts, a bar. */
static void say_progress(struct loop *lp)
{
	static const char *const stages[] = {
		"opening the database", "counting the messages",
		"reading messages", "grouping into series",
		"writing the cache", "done",
	};
	struct mail_model_progress p;
	struct sbuf bar = SBUF_INIT;

	mail_model_progress_get(&lp->loader->progress, &p);
	if (p.stage == MAIL_LOAD_READ && p.total) {
		size_t done = p.read < p.total ? p.read : p.total;
		size_t pct = done * 100 / p.total;

		sbuf_addch(&bar, '[');
		for (size_t i = 0; i < 20; i++)
			sbuf_addch(&bar, i < pct / 5 ? '#' : '.');
		sbuf_addf(&bar, "] %zu%%", pct);
		tui_app_say(lp->app, 0, "Building the series model: read %zu "
			    "of %zu messages %s (q quits)", done, p.total,
			    bar.buf);
	} else if (p.stage == MAIL_LOAD_READ) {
		tui_app_say(lp->app, 0, "Reading messages: %zu found, %zu "
			    "read", p.seen, p.read);
	} else {
		tui_app_say(lp->app, 0, "Building the series model: %s...",
			    stages[p.stage <= MAIL_LOAD_DONE ? p.stage :
				   MAIL_LOAD_DONE]);
	}
	sbuf_release(&bar);
	lp->dirty = 1;
}

/* What was read, marked so after the paint that showed it. */
static void mark_read(struct loop *lp)
{
	struct tui_app *app = lp->app;
	struct err err = ERR_INIT;

	if (tui_tags_apply(app, &app->mark_read, "-unread", &err) < 0) {
		tui_app_say(app, 1, "marking read: %s", err.msg);
		lp->dirty = 1;
	}
	vec_release_str(&app->mark_read);
}

static void refresh_model(struct loop *lp)
{
	int r;

	if (lp->sync.running) {
		tui_app_say(lp->app, 0, "Syncing: the views are read again "
			    "when it ends");
		return;
	}
	r = tui_loader_start(lp->loader, &lp->app->src,
			     TUI_LOAD_MODEL | TUI_LOAD_TAGS);

	if (r == 1) {
		lp->pending_refresh = 1;
		tui_app_say(lp->app, 0, "Already reading the database");
	} else {
		tui_app_say(lp->app, 0, "Reading what is new...");
	}
}

/* `$`: vger sync on a thread; the views are read again when it ends. */
static void start_sync(struct loop *lp)
{
	if (lp->sync.running) {
		tui_app_say(lp->app, 0, "A sync is running already");
		return;
	}
	if (lp->loader->running) {
		lp->pending_sync = 1;
		tui_app_say(lp->app, 0, "sync: once the database is read ...");
		return;
	}
	tui_sync_start(&lp->sync);
	tui_app_say(lp->app, 0, "sync: starting ...");
}

/* The sync's pipe is readable: its step on the status line, its end. */
static void syncing(struct loop *lp)
{
	struct front_sync_result *r = &lp->sync.result;
	struct sbuf status = SBUF_INIT;
	int error;

	if (tui_sync_read(&lp->sync, &status, &error) == 1) {
		sbuf_reset(&lp->synced);
		lp->synced_error = lp->sync.ret < 0;
		if (lp->synced_error)
			sbuf_addf(&lp->synced, "sync: %s", lp->sync.err.msg);
		else
			sbuf_addf(&lp->synced, "sync: %zu new message%s, "
				  "%zu new series, %zu new version%s",
				  r->fetched, r->fetched == 1 ? "" : "s",
				  r->new_series, r->new_versions,
				  r->new_versions == 1 ? "" : "s");
		tui_app_say(lp->app, lp->synced_error, "%s", lp->synced.buf);
		refresh_model(lp);
	} else if (status.len) {
		tui_app_say(lp->app, error, "%s", status.buf);
	}
	sbuf_release(&status);
	lp->dirty = 1;
}

static void dispatch(struct loop *lp, enum tui_action a, const char *arg)
{
	struct tui_app *app = lp->app;
	struct tui_view *v = tui_app_top(app);
	struct tui_request req;
	struct tui_help_arg help;
	unsigned r = TUI_UNHANDLED;

	memset(&req, 0, sizeof(req));
	lp->dirty = 1;
	if (v && v->ops->handle)
		r = v->ops->handle(v, a, arg, &req);
	if (!r && v)
		r = tui_view_generic(v, a, arg);
	if (!r) {
		switch (a) {
		case TUI_ACTION_QUIT:
			r = TUI_QUIT;
			break;
		case TUI_ACTION_BACK:
			r = TUI_BACK;
			break;
		case TUI_ACTION_HELP:
			help.scope = v ? v->ops->scope : TUI_SCOPE_GENERIC;
			if (v && v->ops == &tui_help_view)
				return;
			push(lp, &tui_help_view, &help);
			return;
		case TUI_ACTION_PROMPT:
			start_prompt(lp, ":", NULL, TUI_ACTION_NONE, 1);
			return;
		case TUI_ACTION_PULLS:
			if (!app->model) {
				tui_app_say(app, 1, "Still loading");
				return;
			}
			push(lp, &tui_pulls_view, NULL);
			return;
		case TUI_ACTION_REFRESH:
			refresh_model(lp);
			return;
		case TUI_ACTION_SYNC:
			start_sync(lp);
			return;
		case TUI_ACTION_REDRAW:
			clearok(curscr, TRUE);
			return;
		case TUI_ACTION_TOGGLE_UNREAD:
		case TUI_ACTION_ARCHIVE:
		case TUI_ACTION_FLAG:
		case TUI_ACTION_MUTE:
		case TUI_ACTION_TAG:
		case TUI_ACTION_SNOOZE:
			r = tag_action(lp, a, arg, &req);
			break;
		default:
			/* writing mail from anywhere: m, D, :report ... */
			r = tui_compose_global(app, a, arg, &req);
			if (!r)
				r = tui_outbox_global(app, a, arg, &req);
			if (!r) {
				tui_app_say(app, 0, "%s: not here",
					    tui_action_name(a));
				return;
			}
			break;
		}
	}
	if (r & TUI_ASK) {
		start_prompt(lp, req.prompt ? req.prompt : "> ", req.initial,
			     a, 0);
		lp->prompt.secret = req.secret;
	}
	if (r & TUI_RELOAD) {
		/* What the view said stays, also once the model is read. */
		sbuf_reset(&lp->synced);
		sbuf_add(&lp->synced, app->status.buf, app->status.len);
		lp->synced_error = app->status_error;
		refresh_model(lp);
		if (lp->synced.len)
			tui_app_say(app, lp->synced_error, "%s",
				    lp->synced.buf);
	}
	if (r & TUI_OPEN)
		push(lp, req.open, req.arg);
	if (r & TUI_BACK)
		pop(lp);
	if (r & TUI_QUIT)
		lp->quit = 1;
}

/* A key while the prompt is open: a small line editor. */
static void prompt_key(struct loop *lp, int key, int is_fn)
{
	struct tui_prompt *p = &lp->prompt;
	struct sbuf *t = &p->text;

	if (!is_fn && (key == '\n' || key == '\r')) {
		char *line = xstrdup(t->buf);
		int command = lp->prompt_command, secret = p->secret;
		enum tui_action a = lp->prompt_action;

		p->active = 0;
		/* a password is wiped from the line editor at once */
		if (secret)
			memset(t->buf, 0, t->len);
		tui_app_say(lp->app, 0, "%s", "");
		if (command)
			run_command(lp, line);
		else
			dispatch(lp, a, line);
		if (secret)
			memset(line, 0, strlen(line));
		free(line);
		return;
	}
	if ((!is_fn && (key == 27 || key == 7)) ||
	    (!is_fn && key == 127 && !t->len) ||
	    (is_fn && key == KEY_BACKSPACE && !t->len)) {
		p->active = 0;	/* Esc, C-g, or backspace on nothing */
		return;
	}
	if ((!is_fn && (key == 127 || key == 8)) ||
	    (is_fn && key == KEY_BACKSPACE)) {
		size_t at = p->cursor;

		while (at > 0 && (t->buf[at - 1] & 0xc0) == 0x80)
			at--;
		if (at > 0) {
			at--;
			memmove(t->buf + at, t->buf + p->cursor,
				t->len - p->cursor + 1);
			t->len -= p->cursor - at;
			p->cursor = at;
		}
		return;
	}
	if (!is_fn && key == 21) {	/* C-u */
		sbuf_reset(t);
		p->cursor = 0;
		return;
	}
	if (is_fn && key == KEY_LEFT) {
		while (p->cursor > 0 && (t->buf[--p->cursor] & 0xc0) == 0x80)
			;
		return;
	}
	if (is_fn && key == KEY_RIGHT) {
		if (p->cursor < t->len)
			p->cursor++;
		while (p->cursor < t->len &&
		       (t->buf[p->cursor] & 0xc0) == 0x80)
			p->cursor++;
		return;
	}
	if (!is_fn && key >= 32 && key != 127) {
		char mb[8];
		mbstate_t st;
		size_t n;
		struct sbuf rest = SBUF_INIT;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n == (size_t)-1)
			return;
		sbuf_addstr(&rest, t->buf + p->cursor);
		sbuf_setlen(t, p->cursor);
		sbuf_add(t, mb, n);
		sbuf_addstr(t, rest.buf);
		p->cursor += n;
		sbuf_release(&rest);
	}
}

static void mouse(struct loop *lp)
{
	struct tui_view *v = tui_app_top(lp->app);
	MEVENT ev;

	if (getmouse(&ev) != OK || !v)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		dispatch(lp, TUI_ACTION_MOVE_UP, NULL);
		dispatch(lp, TUI_ACTION_MOVE_UP, NULL);
		dispatch(lp, TUI_ACTION_MOVE_UP, NULL);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		dispatch(lp, TUI_ACTION_MOVE_DOWN, NULL);
		dispatch(lp, TUI_ACTION_MOVE_DOWN, NULL);
		dispatch(lp, TUI_ACTION_MOVE_DOWN, NULL);
	} else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED) &&
		   v->ops->cursor && ev.y >= 1 &&
		   (size_t)ev.y <= v->height) {
		size_t row = v->top + (size_t)ev.y - 1;

		if (row < tui_view_nrows(v)) {
			int again = row == v->sel ||
				(ev.bstate & BUTTON1_DOUBLE_CLICKED);

			tui_view_select(v, row);
			if (again)
				dispatch(lp, TUI_ACTION_ENTER, NULL);
		}
	}
	lp->dirty = 1;
}

static void key(struct loop *lp, int rc, wint_t wch)
{
	struct tui_view *v = tui_app_top(lp->app);
	const struct tui_binding *b;
	int is_fn = rc == KEY_CODE_YES;
	int k = is_fn ? TUI_KEY_FN((int)wch) : (int)wch;

	if (key_trace)
		key_trace_line("key", k);
	lp->dirty = 1;
	if (is_fn && wch == KEY_RESIZE) {
		/*
		 * Repaint it all, as tig does: what was written for the
		 * old size while the terminal changed (a slow or loaded
		 * vger) is not where curses thinks it is.
		 */
		clearok(curscr, TRUE);
		return;
	}
	if (lp->prompt.active) {
		prompt_key(lp, (int)wch, is_fn);
		return;
	}
	if (is_fn && wch == KEY_MOUSE) {
		mouse(lp);
		return;
	}
	if (lp->app->status.len)
		tui_app_say(lp->app, 0, "%s", "");
	b = tui_keymap_lookup(&lp->app->keymap, v ? v->ops->scope :
			      TUI_SCOPE_GENERIC, k);
	if (!b) {
		struct sbuf name = SBUF_INIT;

		tui_key_name(k, &name);
		tui_app_say(lp->app, 0, "%s: not bound here (? lists the "
			    "keys)", name.buf);
		sbuf_release(&name);
		return;
	}
	dispatch(lp, b->action, b->arg);
}

static void loaded(struct loop *lp)
{
	struct tui_app *app = lp->app;
	struct tui_loader *l = lp->loader;

	tui_loader_finish(l);
	if (l->model) {
		struct mail_model *old = app->model;

		app->model = l->model;
		l->model = NULL;
		app->model_full = 1;
		for (size_t i = 0; i < app->depth; i++)
			if (app->stack[i]->ops->reload)
				app->stack[i]->ops->reload(app->stack[i],
							   old ? old :
							   app->model);
		mail_model_free(old);
		if (app->model->warnings.n)
			tui_app_say(app, 1, "%zu message%s skipped or "
				    "incomplete (vger series says which)",
				    app->model->warnings.n,
				    app->model->warnings.n == 1 ? "" : "s");
		else if (!app->status_error)
			tui_app_say(app, 0, "%zu series, %zu messages",
				    app->model->series.n,
				    app->model->nmessages);
	}
	if (l->have_tags) {
		struct tui_tagsets old = { app->unread, app->muted,
					   app->flagged, app->snoozed };

		app->unread = l->tags.unread;
		app->muted = l->tags.muted;
		app->flagged = l->tags.flagged;
		app->snoozed = l->tags.snoozed;
		memset(&l->tags, 0, sizeof(l->tags));
		l->have_tags = 0;
		tui_tagsets_release(&old);
		app->hidden_gen++;
		for (size_t i = 0; i < app->depth; i++)
			if (app->stack[i]->ops->resume)
				app->stack[i]->ops->resume(app->stack[i]);
	}
	if (l->cal) {
		tui_app_banner(app, l->cal);
		cal_free(l->cal);
		l->cal = NULL;
	}
	if (l->have_pw) {
		pw_db_free(app->pw);
		app->pw = l->pw;
		l->pw = NULL;
		l->have_pw = 0;
	}
	if (l->failed)
		tui_app_say(app, 1, "%s", l->err.msg);
	else if (lp->synced.len)
		tui_app_say(app, lp->synced_error, "%s", lp->synced.buf);
	sbuf_reset(&lp->synced);
	lp->dirty = 1;
	if (lp->pending_refresh) {
		lp->pending_refresh = 0;
		refresh_model(lp);
	}
	if (lp->pending_sync) {
		lp->pending_sync = 0;
		start_sync(lp);
	}
	/* Patchwork after the model, so that its fetch (5 s at most)
	 * never holds the model back. */
	if (!l->running && tui_app_pw_wanted(app)) {
		app->pw_tried = front_now();
		tui_loader_start(l, &app->src, TUI_LOAD_PATCHWORK);
	}
}

int tui_loop(struct tui_app *app, struct tui_loader *loader, long refresh)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct loop lp;
	struct sigaction sa, old[3], winch;
	const char *trace_file;
	int wake[2];
	int ret = 0;

	memset(&lp, 0, sizeof(lp));
	lp.app = app;
	lp.loader = loader;
	lp.dirty = 1;
	lp.refresh_secs = refresh;
	sbuf_init(&lp.prompt.text);
	sbuf_init(&lp.synced);
	if (tui_sync_init(&lp.sync, NULL) < 0)
		return -1;
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		tui_sync_release(&lp.sync);
		return -1;
	}
	trace_file = getenv("VGER_TRACE_KEYS");
	if (trace_file && *trace_file)
		key_trace = fopen(trace_file, "we");
	signal_fd = wake[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	memset(&winch, 0, sizeof(winch));
	winch.sa_sigaction = on_winch;
	winch.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&winch.sa_mask);
	sigaction(SIGWINCH, &winch, &winch_old);
	while (!lp.quit && !got_signal) {
		struct pollfd fds[4] = {
			{ STDIN_FILENO, POLLIN, 0 },
			{ loader->fds[0], POLLIN, 0 },
			{ wake[0], POLLIN, 0 },
			{ lp.sync.fds[0], POLLIN, 0 },
		};
		int n, rc, showing;
		wint_t wch;

		if (lp.dirty) {
			tui_paint(app, &lp.prompt);
			lp.dirty = 0;
			if (key_trace && key_trace_pending) {
				key_trace_line("paint", -1);
				key_trace_pending = 0;
			}
		}
		if (app->mark_read.n)
			mark_read(&lp);
		/* While the first whole model is built, its progress shows. */
		showing = loader->running && !app->model_full &&
			(loader->what & TUI_LOAD_MODEL);
		n = poll(fds, 4, showing ? 100 : lp.refresh_secs > 0 ?
			 (int)(lp.refresh_secs * 1000) : -1);
		if (n < 0 && errno != EINTR)
			break;
		/* The terminal is gone and no SIGHUP came: end, not spin. */
		if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
			got_signal = SIGHUP;
			break;
		}
		if (n > 0 && (fds[2].revents & POLLIN))
			drain(wake[0]);
		if (n == 0 && showing) {
			say_progress(&lp);
			continue;
		}
		if (n == 0 && lp.refresh_secs > 0) {
			if (!loader->running && !lp.sync.running)
				tui_loader_start(loader, &app->src,
						 TUI_LOAD_MODEL |
						 TUI_LOAD_TAGS);
			continue;
		}
		if (n > 0 && (fds[1].revents & POLLIN))
			loaded(&lp);
		if (n > 0 && (fds[3].revents & POLLIN))
			syncing(&lp);
		/* A resize interrupts poll(); curses has KEY_RESIZE for it. */
		while ((rc = get_wch(&wch)) != ERR && !lp.quit)
			key(&lp, rc, wch);
	}
	if (app->mark_read.n)
		mark_read(&lp);
	for (size_t i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	sigaction(SIGWINCH, &winch_old, NULL);
	signal_fd = -1;
	close(wake[0]);
	close(wake[1]);
	/* Quitting stops a sync: its program gets SIGINT. */
	tui_sync_release(&lp.sync);
	sbuf_release(&lp.synced);
	sbuf_release(&lp.prompt.text);
	if (key_trace)
		fclose(key_trace);
	key_trace = NULL;
	if (got_signal)
		ret = 128 + got_signal;
	got_signal = 0;
	return ret;
}

int tui_ask_yes(struct tui_app *app, const char *question)
{
	struct tui_prompt p;
	struct sbuf label = SBUF_INIT;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	sbuf_init(&p.text);
	sbuf_addf(&label, "%s ", question);
	p.active = 1;
	p.label = label.buf;
	nodelay(stdscr, FALSE);
	while (ret < 0) {
		wint_t wch;
		int rc;

		tui_paint(app, &p);
		rc = get_wch(&wch);
		if (rc == ERR)
			ret = 0;	/* the terminal is gone: no */
		else if (rc == KEY_CODE_YES)
			continue;	/* a resize: drawn again */
		else if (wch == 'y' || wch == 'Y')
			ret = 1;
		else if (wch == 'n' || wch == 'N' || wch == 'q' ||
			 wch == 27 || wch == 7)
			ret = 0;
	}
	nodelay(stdscr, TRUE);
	sbuf_release(&label);
	sbuf_release(&p.text);
	return ret;
}

struct tui_loop {
	struct loop lp;
};

struct tui_loop *tui_loop_new(struct tui_app *app, struct tui_loader *loader)
{
	struct tui_loop *t = xcalloc(1, sizeof(*t));

	t->lp.app = app;
	t->lp.loader = loader;
	sbuf_init(&t->lp.prompt.text);
	sbuf_init(&t->lp.synced);
	return t;
}

void tui_loop_free(struct tui_loop *t)
{
	if (!t)
		return;
	sbuf_release(&t->lp.prompt.text);
	sbuf_release(&t->lp.synced);
	free(t);
}

int tui_loop_key(struct tui_loop *t, int k)
{
	if (k >= TUI_KEY_FN_BASE)
		key(&t->lp, KEY_CODE_YES, (wint_t)(k - TUI_KEY_FN_BASE));
	else
		key(&t->lp, OK, (wint_t)k);
	/* As the loop does once the screen shows what the key did. */
	if (t->lp.app->mark_read.n)
		mark_read(&t->lp);
	return t->lp.quit;
}

int tui_loop_wait(struct tui_loop *t, int ms)
{
	struct pollfd fd = { t->lp.loader->fds[0], POLLIN, 0 };

	if (poll(&fd, 1, ms) != 1)
		return -1;
	loaded(&t->lp);
	return 0;
}

const struct tui_prompt *tui_loop_prompt(const struct tui_loop *t)
{
	return &t->lp.prompt;
}
