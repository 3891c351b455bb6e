/*
 * The only drawing: the banner, the top view's rows, its title bar and
 * the status line, from the lines the views fill.  Text reaching
 * curses here has been made safe by tui/line.c.
 */
#include "config.h"

#include <curses.h>
#include <string.h>
#include <strings.h>

#include "tui/app.h"
#include "tui/line.h"
#include "tui/paint.h"
#include "tui/view.h"
#include "util/sbuf.h"

static attr_t style_attr[TUI_N_STYLES];
static enum tui_color_mode color_mode;

static attr_t to_curses(unsigned a)
{
	attr_t r = A_NORMAL;

	if (a & TUI_A_BOLD)
		r |= A_BOLD;
	if (a & TUI_A_DIM)
		r |= A_DIM;
	if (a & TUI_A_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & TUI_A_REVERSE)
		r |= A_REVERSE;
	if (a & TUI_A_ITALIC)
		r |= A_ITALIC;
	if (a & TUI_A_BLINK)
		r |= A_BLINK;
	return r;
}

enum tui_color_mode tui_paint_colors(const struct tui_color *table,
				     enum tui_color_mode mode)
{
	color_mode = mode;
	for (int i = 0; i < TUI_N_STYLES; i++) {
		struct tui_color c = table[i];
		unsigned extra = 0;

		if (mode == TUI_COLORS_NONE) {
			style_attr[i] = to_curses(c.mono);
			continue;
		}
		if (mode == TUI_COLORS_8) {
			c.fg = tui_color_to_8(c.fg);
			/* A grey background is no colour on eight: use mono. */
			if (c.bg >= 232 || c.bg == 0 || c.bg == 8 ||
			    c.bg == 16) {
				c.bg = -1;
				extra = c.mono;
			} else {
				c.bg = tui_color_to_8(c.bg);
			}
		}
		init_pair((short)(i + 1), c.fg, c.bg);
		style_attr[i] = COLOR_PAIR(i + 1) | to_curses(c.attr | extra);
	}
	return mode;
}

/* Draw len bytes of s at the cursor with attributes a. */
static void put(const char *s, size_t len, attr_t a)
{
	attrset(a);
	addnstr(s, (int)len);
}

/*
 * Draw line l on row y from column col of its text, width columns
 * wide; every run in base (the cursor) when base is not 0.
 */
static void draw_line(const struct tui_app *app, int y,
		      const struct tui_line *l, size_t col, size_t width,
		      int selected)
{
	const char *text = l->text.buf;
	size_t len = l->text.len, skip, skipcols, cut, used = 0;
	attr_t extra = A_NORMAL;
	unsigned char *hit = NULL;

	move(y, 0);
	if (l->attr & TUI_LINE_BOLD)
		extra |= A_BOLD;
	if (l->attr & TUI_LINE_DIM)
		extra |= A_DIM;
	/* The bytes of the search pattern's matches, to draw marked. */
	if (app->search && *app->search && len) {
		size_t plen = strlen(app->search);
		const char *m = text;

		hit = calloc(len, 1);
		while (hit && (m = strcasestr(m, app->search))) {
			memset(hit + (m - text), 1, plen);
			m += plen;
		}
	}
	skip = tui_text_cut(text, len, col, &skipcols);
	/* A wide character cut in half at the left edge: a space. */
	if (skipcols < col && skip < len) {
		size_t c;

		skip += tui_char_len(text + skip, len - skip, &c);
		put(" ", 1, style_attr[TUI_STYLE_DEFAULT] | extra);
		used++;
	}
	cut = skip + tui_text_cut(text + skip, len - skip, width - used,
				  &skipcols);
	used += skipcols;
	for (size_t i = skip; i < cut;) {
		enum tui_style st = tui_line_style_at(l, i);
		int h = hit ? hit[i] : 0;
		size_t j = i + 1;
		attr_t a;

		while (j < cut && tui_line_style_at(l, j) == st &&
		       (hit ? hit[j] : 0) == h)
			j++;
		/* Never split a character between two runs of output. */
		while (j < cut && (text[j] & 0xc0) == 0x80)
			j++;
		a = style_attr[selected ? TUI_STYLE_CURSOR : st] | extra;
		if (selected && color_mode != TUI_COLORS_NONE)
			a = (a & ~A_COLOR) |
			    (style_attr[TUI_STYLE_CURSOR] & A_COLOR);
		if (h)
			a = style_attr[TUI_STYLE_SEARCH] | extra;
		put(text + i, j - i, a);
		i = j;
	}
	attrset(selected ? style_attr[TUI_STYLE_CURSOR] :
		style_attr[TUI_STYLE_DEFAULT]);
	if (used < width)
		hline(' ', (int)(width - used));
	attrset(A_NORMAL);
	free(hit);
}

/* A bar (banner, title) of width columns: text left, right on the right. */
static void draw_bar(int y, enum tui_style st, const char *left,
		     const char *right, size_t width)
{
	struct tui_line l = TUI_LINE_INIT;
	size_t rw = right ? tui_text_width(right, strlen(right)) : 0;
	size_t lw = width > rw + 1 ? width - rw - 1 : width;

	tui_line_cell(&l, st, left, lw, 0);
	if (right && width > rw + 1) {
		tui_line_add(&l, st, " ");
		tui_line_add(&l, st, right);
	}
	move(y, 0);
	put(l.text.buf, l.text.len, style_attr[st]);
	attrset(style_attr[st]);
	if (l.width < width)
		hline(' ', (int)(width - l.width));
	attrset(A_NORMAL);
	tui_line_release(&l);
}

static void draw_too_small(int lines, int cols)
{
	char msg[96];

	erase();
	snprintf(msg, sizeof(msg), "vger needs %dx%d; this is %dx%d",
		 TUI_MIN_COLS, TUI_MIN_LINES, cols, lines);
	mvaddnstr(lines / 2, 0, msg, cols);
}

void tui_paint(struct tui_app *app, const struct tui_prompt *prompt)
{
	struct tui_view *v = tui_app_top(app);
	struct tui_line line = TUI_LINE_INIT;
	struct sbuf title = SBUF_INIT, pos = SBUF_INIT;
	int lines = LINES, cols = COLS;
	size_t h, n;

	if (lines < TUI_MIN_LINES || cols < TUI_MIN_COLS) {
		draw_too_small(lines, cols);
		refresh();
		return;
	}
	h = (size_t)lines - 3;
	draw_bar(0, app->banner_closed ? TUI_STYLE_BANNER_CLOSED :
		 TUI_STYLE_BANNER, app->banner.buf, "vger", (size_t)cols);
	if (v) {
		v->height = h;
		v->width = (size_t)cols;
		/* The selection stays visible after a resize. */
		tui_view_select(v, v->ops->cursor ? v->sel : v->top);
		n = tui_view_nrows(v);
		for (size_t i = 0; i < h; i++) {
			size_t r = v->top + i;

			tui_line_reset(&line);
			if (r < n)
				v->ops->row(v, r, &line);
			draw_line(app, (int)i + 1, &line, v->col, (size_t)cols,
				  v->ops->cursor && r == v->sel && r < n);
		}
		sbuf_addf(&title, "[%s] ", v->ops->name);
		if (v->ops->title)
			v->ops->title(v, &title);
		if (v->ops->cursor)
			sbuf_addf(&pos, "%zu/%zu", n ? v->sel + 1 : 0, n);
		else
			sbuf_addf(&pos, "%zu-%zu/%zu", n ? v->top + 1 : 0,
				  v->top + h < n ? v->top + h : n, n);
		draw_bar(lines - 2, TUI_STYLE_TITLE, title.buf, pos.buf,
			 (size_t)cols);
	}
	tui_line_reset(&line);
	if (prompt && prompt->active) {
		size_t at;

		tui_line_add(&line, TUI_STYLE_STATUS, prompt->label);
		if (prompt->secret) {
			/* a password: as many stars as characters */
			at = line.width + tui_text_width(prompt->text.buf,
							 prompt->cursor);
			for (size_t i = line.width; i < at; i++)
				tui_line_add(&line, TUI_STYLE_STATUS, "*");
			at = line.width;
		} else {
			at = line.width + tui_text_width(prompt->text.buf,
							 prompt->cursor);
			tui_line_add(&line, TUI_STYLE_STATUS,
				     prompt->text.buf);
		}
		draw_line(app, lines - 1, &line, 0, (size_t)cols, 0);
		move(lines - 1, at < (size_t)cols ? (int)at : cols - 1);
		curs_set(1);
	} else {
		tui_line_add(&line, app->status_error ? TUI_STYLE_ERROR :
			     TUI_STYLE_STATUS, app->status.buf);
		draw_line(app, lines - 1, &line, 0, (size_t)cols, 0);
		curs_set(0);
	}
	refresh();
	tui_line_release(&line);
	sbuf_release(&title);
	sbuf_release(&pos);
}
