/*
 * One message: short headers (all on a key), then the body as display
 * lines from mail/render, coloured by what each line is.  J and K go
 * to the next and previous message of the thread without leaving.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/index.h"
#include "mail/message.h"
#include "mail/thread.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/tags.h"
#include "tui/views.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

struct pager_line {
	enum tui_style style;
	char *text;
};

struct pager_priv {
	struct vec ids;		/* char *: the thread's messages, owned */
	size_t index;		/* the one shown */
	struct vec lines;	/* struct pager_line * */
	int all_headers;
	int wrap;
	char *title;
};

static void line_free(void *p)
{
	struct pager_line *l = p;

	free(l->text);
	free(l);
}

static void add(struct pager_priv *p, enum tui_style st, const char *text)
{
	struct pager_line *l = xcalloc(1, sizeof(*l));

	l->style = st;
	l->text = xstrdup(text);
	vec_push(&p->lines, l);
}

static enum tui_style body_style(const char *line)
{
	if (line[0] == '>')
		return line[1] == '>' || (line[1] == ' ' && line[2] == '>') ?
			TUI_STYLE_QUOTE2 : TUI_STYLE_QUOTE;
	return TUI_STYLE_DEFAULT;
}

static void load(struct tui_view *v)
{
	struct pager_priv *p = v->priv;
	const char *id = p->ids.items[p->index];
	struct mail_index *idx = NULL;
	struct mail_message m;
	struct err err = ERR_INIT;
	char *file = NULL;
	struct vec ids = VEC_INIT;
	char date[32];

	vec_release(&p->lines, line_free);
	free(p->title);
	p->title = NULL;
	memset(&m, 0, sizeof(m));
	v->top = 0;
	if (mail_index_open(&idx, v->app->src.db, 0, &err) < 0 ||
	    mail_index_message(idx, id, &file, NULL, &err) < 0 ||
	    mail_message_load(&m, file, &err) < 0) {
		add(p, TUI_STYLE_ERROR, err.msg);
		goto out;
	}
	p->title = xstrdup(m.subject ? m.subject : "");
	{
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "From: %s <%s>", m.from_name ? m.from_name : "",
			  m.from_email ? m.from_email : "");
		add(p, TUI_STYLE_HEADER, sb.buf);
		sbuf_reset(&sb);
		date_format_iso(m.date, date, sizeof(date));
		sbuf_addf(&sb, "Date: %s", date);
		add(p, TUI_STYLE_HEADER, sb.buf);
		sbuf_reset(&sb);
		sbuf_addf(&sb, "Subject: %s", m.subject ? m.subject : "");
		add(p, TUI_STYLE_HEADER, sb.buf);
		sbuf_release(&sb);
	}
	add(p, TUI_STYLE_DEFAULT, "");
	for (const char *s = m.body ? m.body : ""; *s;) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *line = xstrndup(s, n);

		add(p, body_style(line), line);
		free(line);
		s += n + (e ? 1 : 0);
	}
	/* Read on open. */
	vec_push_str(&ids, id);
	tui_tags_apply(v->app, &ids, "-unread", NULL);
	vec_release_str(&ids);
out:
	mail_message_release(&m);
	mail_index_free(idx);
	free(file);
}

static int pager_open(struct tui_view *v, const void *arg, struct err *err)
{
	struct pager_priv *p = v->priv;
	const struct tui_pager_arg *a = arg;

	(void)err;
	for (size_t i = 0; i < a->thread->n; i++) {
		const struct mail_thread_msg *m = a->thread->items[i];

		if (!m->id)
			continue;
		if (i == a->index)
			p->index = p->ids.n;
		vec_push_str(&p->ids, m->id);
	}
	if (!p->ids.n)
		return err_set(err, ERR_NOTFOUND, "no message to show");
	load(v);
	return 0;
}

static size_t pager_nrows(const struct tui_view *v)
{
	return ((const struct pager_priv *)v->priv)->lines.n;
}

static void pager_row(const struct tui_view *v, size_t i, struct tui_line *l)
{
	const struct pager_priv *p = v->priv;
	const struct pager_line *pl = p->lines.items[i];

	tui_line_add(l, pl->style, pl->text);
}

static void pager_title(const struct tui_view *v, struct sbuf *out)
{
	const struct pager_priv *p = v->priv;

	sbuf_addf(out, "%zu/%zu ", p->index + 1, p->ids.n);
	sbuf_add_sanitized(out, p->title ? p->title : "",
			   p->title ? strlen(p->title) : 0);
}

static unsigned pager_handle(struct tui_view *v, enum tui_action a,
			     const char *arg, struct tui_request *req)
{
	struct pager_priv *p = v->priv;

	(void)arg;
	(void)req;
	switch (a) {
	case TUI_ACTION_NEXT_MESSAGE:
		if (p->index + 1 >= p->ids.n) {
			tui_app_say(v->app, 0, "The last message");
			return TUI_HANDLED | TUI_REDRAW;
		}
		p->index++;
		load(v);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACTION_PREV_MESSAGE:
		if (!p->index) {
			tui_app_say(v->app, 0, "The first message");
			return TUI_HANDLED | TUI_REDRAW;
		}
		p->index--;
		load(v);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACTION_ENTER:
		return tui_view_generic(v, TUI_ACTION_MOVE_DOWN, NULL);
	default:
		return TUI_UNHANDLED;
	}
}

static int pager_targets(struct tui_view *v, struct tui_target *t)
{
	struct pager_priv *p = v->priv;

	memset(t, 0, sizeof(*t));
	vec_push_str(&t->ids, p->ids.items[p->index]);
	snprintf(t->what, sizeof(t->what), "message");
	/* What the toggles toggle: the message's tags as they are now. */
	tui_tags_message_flags(v->app, p->ids.items[p->index], &t->flags,
			       NULL);
	return 0;
}

static void pager_close(struct tui_view *v)
{
	struct pager_priv *p = v->priv;

	vec_release_str(&p->ids);
	vec_release(&p->lines, line_free);
	free(p->title);
}

const struct tui_view_ops tui_pager_view = {
	.name = "message",
	.scope = TUI_SCOPE_PAGER,
	.priv_size = sizeof(struct pager_priv),
	.cursor = 0,
	.open = pager_open,
	.nrows = pager_nrows,
	.row = pager_row,
	.title = pager_title,
	.handle = pager_handle,
	.targets = pager_targets,
	.close = pager_close,
};
