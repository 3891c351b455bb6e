/*
 * One message, as mail/render reads it: the short headers (all on a
 * key), the attachments, then the text, each line coloured by what it
 * is (a diff as git colours it, found by parsing the patch; quotes
 * dimmed and foldable; trailers highlighted).  Long lines wrap or
 * scroll.  J and K go to the next and previous message of the thread
 * without leaving.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/index.h"
#include "mail/render.h"
#include "mail/thread.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/tags.h"
#include "tui/views.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* Quoted runs longer than this fold into one line. */
#define FOLD_MIN 4

/* A line to show, before wrapping: text borrowed or owned. */
struct src_line {
	enum tui_style style;
	unsigned attr;		/* TUI_LINE_DIM for quoted text */
	const char *text;
	size_t len;
	char *owned;		/* text, when made here */
	/*
	 * The text as drawn (tabs expanded, made safe), made once: rows
	 * are pieces of it, so a long line is not made again per row.
	 */
	char *shown;
	size_t shown_len, shown_width;
};

/* A screen row: a piece of a source line. */
struct row {
	size_t src;
	size_t off, len;	/* bytes of the expanded, safe text */
};

struct pager_priv {
	struct vec ids;		/* char *: the thread's messages, owned */
	size_t index;		/* the one shown */
	struct mail_render r;
	char *error;		/* why it could not be read, or NULL */
	struct src_line *src;
	size_t nsrc, alloc_src;
	struct row *rows;
	size_t nrows, alloc_rows;
	size_t rows_width;	/* the width the rows were made for */
	int all_headers;
	int folded;		/* quoted runs folded */
	int nowrap;
	int rows_stale;
};

static void src_clear(struct pager_priv *p)
{
	for (size_t i = 0; i < p->nsrc; i++) {
		free(p->src[i].owned);
		free(p->src[i].shown);
	}
	p->nsrc = 0;
	p->rows_stale = 1;
}

static void src_add(struct pager_priv *p, enum tui_style st, unsigned attr,
		    const char *text, size_t len, int own)
{
	struct src_line *s;

	p->src = xgrow(p->src, &p->alloc_src, p->nsrc + 1, sizeof(*p->src));
	s = &p->src[p->nsrc++];
	s->style = st;
	s->attr = attr;
	s->owned = own ? xstrndup(text, len) : NULL;
	s->shown = NULL;
	s->text = own ? s->owned : text;
	s->len = len;
}

static void src_addf(struct pager_priv *p, enum tui_style st,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void src_addf(struct pager_priv *p, enum tui_style st,
		     const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	src_add(p, st, 0, sb.buf, sb.len, 1);
	sbuf_release(&sb);
}

static enum tui_style kind_style(const struct mail_line *ml)
{
	switch (ml->kind) {
	case MAIL_LINE_ATTRIBUTION:
		return TUI_STYLE_QUOTE;
	case MAIL_LINE_QUOTE:
		return ml->quote_level > 1 ? TUI_STYLE_QUOTE2 :
			TUI_STYLE_QUOTE;
	case MAIL_LINE_SIGNATURE:
		return TUI_STYLE_SIGNATURE;
	case MAIL_LINE_TRAILER:
		return TUI_STYLE_TRAILER;
	case MAIL_LINE_DIFFSTAT:
		return TUI_STYLE_DIFF_STAT;
	case MAIL_LINE_DIFF_FILE:
		return TUI_STYLE_DIFF_HEADER;
	case MAIL_LINE_HUNK:
		return TUI_STYLE_DIFF_CHUNK;
	case MAIL_LINE_ADDED:
		return TUI_STYLE_DIFF_ADD;
	case MAIL_LINE_REMOVED:
		return TUI_STYLE_DIFF_DEL;
	case MAIL_LINE_NO_NEWLINE:
		return TUI_STYLE_DIM;
	case MAIL_LINE_HEADER:
		return TUI_STYLE_HEADER;
	case MAIL_LINE_PART:
		return TUI_STYLE_ATTACHMENT;
	default:
		return TUI_STYLE_DEFAULT;
	}
}

static int short_header(const char *name)
{
	static const char *const names[] = {
		"From", "To", "Cc", "Date", "Subject"
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i]))
			return 1;
	return 0;
}

/* The source lines: headers, attachments, then the text. */
static void build_src(struct pager_priv *p)
{
	const struct mail_render *r = &p->r;

	src_clear(p);
	if (p->error) {
		src_add(p, TUI_STYLE_ERROR, 0, p->error, strlen(p->error), 0);
		return;
	}
	for (size_t i = 0; i < r->nheaders; i++) {
		const struct mail_header *h = &r->headers[i];

		if (p->all_headers || short_header(h->name))
			src_addf(p, TUI_STYLE_HEADER, "%s: %s", h->name,
				 h->value);
	}
	for (size_t i = 0; i < r->nattachments; i++) {
		const struct mail_attachment *a = &r->attachments[i];

		src_addf(p, TUI_STYLE_ATTACHMENT, "Attachment %s: %s (%s, "
			 "%zu bytes)%s", a->part, a->filename ? a->filename :
			 "(no name)", a->type, a->size,
			 a->shown ? ", shown below" : "");
	}
	src_add(p, TUI_STYLE_DEFAULT, 0, "", 0, 0);
	for (size_t i = 0; i < r->nlines; i++) {
		const struct mail_line *ml = &r->lines[i];
		size_t run = 0;

		if (p->folded && ml->quote_level) {
			while (i + run < r->nlines &&
			       r->lines[i + run].quote_level)
				run++;
			if (run >= FOLD_MIN) {
				src_addf(p, TUI_STYLE_QUOTE, "[%zu quoted lines "
					 "folded: T unfolds]", run);
				i += run - 1;
				continue;
			}
		}
		src_add(p, kind_style(ml), ml->quote_level ? TUI_LINE_DIM : 0,
			ml->text, ml->len, 0);
	}
	p->rows_stale = 1;
}

static void add_row(struct pager_priv *p, size_t src, size_t off,
		    size_t len)
{
	p->rows = xgrow(p->rows, &p->alloc_rows, p->nrows + 1,
			sizeof(*p->rows));
	p->rows[p->nrows].src = src;
	p->rows[p->nrows].off = off;
	p->rows[p->nrows].len = len;
	p->nrows++;
}

/* Wrap (or not) the source lines into rows width columns wide. */
/* The text of source line s as drawn, made on first use. */
static void make_shown(struct src_line *s)
{
	struct tui_line l = TUI_LINE_INIT;

	if (s->shown)
		return;
	tui_line_addn(&l, s->style, s->text, s->len);
	s->shown_len = l.text.len;
	s->shown_width = l.width;
	s->shown = sbuf_detach(&l.text);
	tui_line_release(&l);
}

static void build_rows(struct pager_priv *p, size_t width)
{
	p->nrows = 0;
	for (size_t i = 0; i < p->nsrc; i++) {
		struct src_line *s = &p->src[i];
		size_t off = 0;

		make_shown(s);
		if (p->nowrap || !width || s->shown_width <= width) {
			add_row(p, i, 0, s->shown_len);
			continue;
		}
		while (off < s->shown_len) {
			size_t n = tui_text_cut(s->shown + off,
						s->shown_len - off, width,
						NULL);

			if (!n) {	/* a character wider than the screen */
				size_t cols;

				n = tui_char_len(s->shown + off,
						 s->shown_len - off, &cols);
			}
			add_row(p, i, off, n);
			off += n;
		}
	}
	p->rows_width = width;
	p->rows_stale = 0;
}

static struct pager_priv *rows_for(const struct tui_view *v)
{
	struct pager_priv *p = v->priv;

	if (p->rows_stale || (!p->nowrap && p->rows_width != v->width))
		build_rows(p, v->width);
	return p;
}

static void load(struct tui_view *v)
{
	struct pager_priv *p = v->priv;
	const char *id = p->ids.items[p->index];
	struct mail_index *idx = NULL;
	struct err err = ERR_INIT;
	char *file = NULL;

	mail_render_release(&p->r);
	free(p->error);
	p->error = NULL;
	v->top = 0;
	if (mail_index_open(&idx, v->app->src.db, 0, &err) < 0 ||
	    mail_index_message(idx, id, &file, NULL, &err) < 0 ||
	    mail_render_load(&p->r, file, &err) < 0) {
		struct sbuf sb = SBUF_INIT;

		/* A file gone since notmuch new: say it, stay up. */
		sbuf_add_sanitized(&sb, err.msg, strlen(err.msg));
		p->error = sbuf_detach(&sb);
	} else {
		/*
		 * Read on open: written once the message is on the screen
		 * (notmuch rewrites the whole document for one tag).
		 */
		vec_push_str_unique(&v->app->mark_read, id);
	}
	mail_index_free(idx);
	free(file);
	build_src(p);
}

static int pager_open(struct tui_view *v, const void *arg, struct err *err)
{
	struct pager_priv *p = v->priv;
	const struct tui_pager_arg *a = arg;
	struct mail_render init = MAIL_RENDER_INIT;

	p->r = init;
	p->folded = 0;
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
	return rows_for(v)->nrows;
}

static void pager_row(const struct tui_view *v, size_t i, struct tui_line *l)
{
	const struct pager_priv *p = rows_for(v);
	const struct row *r;
	const struct src_line *s;

	if (i >= p->nrows)
		return;
	r = &p->rows[i];
	s = &p->src[r->src];
	tui_line_addn(l, s->style, s->shown + r->off, r->len);
	l->attr |= s->attr;
}

static void pager_title(const struct tui_view *v, struct sbuf *out)
{
	const struct pager_priv *p = v->priv;
	const char *subject = mail_render_header(&p->r, "Subject");

	sbuf_addf(out, "%zu/%zu ", p->index + 1, p->ids.n);
	if (subject)
		sbuf_addstr(out, subject);
	if (p->nowrap)
		sbuf_addstr(out, " (not wrapped)");
}

/* Keep the same source line on top when the rows are made again. */
static unsigned rebuild_keeping(struct tui_view *v, void (*change)(
					struct pager_priv *))
{
	struct pager_priv *p = rows_for(v);
	size_t src = v->top < p->nrows ? p->rows[v->top].src : 0;

	change(p);
	rows_for(v);
	v->top = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		if (p->rows[i].src >= src) {
			v->top = i;
			break;
		}
	}
	tui_view_select(v, v->top);
	return TUI_HANDLED | TUI_REDRAW;
}

static void toggle_headers(struct pager_priv *p)
{
	p->all_headers = !p->all_headers;
	build_src(p);
}

static void toggle_quotes(struct pager_priv *p)
{
	p->folded = !p->folded;
	build_src(p);
}

static void toggle_wrap(struct pager_priv *p)
{
	p->nowrap = !p->nowrap;
	p->rows_stale = 1;
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
	case TUI_ACTION_HEADERS:
		return rebuild_keeping(v, toggle_headers);
	case TUI_ACTION_QUOTES:
		return rebuild_keeping(v, toggle_quotes);
	case TUI_ACTION_WRAP:
		v->col = 0;
		return rebuild_keeping(v, toggle_wrap);
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

	src_clear(p);
	free(p->src);
	free(p->rows);
	vec_release_str(&p->ids);
	mail_render_release(&p->r);
	free(p->error);
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
