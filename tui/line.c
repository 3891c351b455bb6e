#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/line.h"
#include "util/xmalloc.h"

#define TAB_WIDTH 8

void tui_line_init(struct tui_line *l)
{
	struct tui_line init = TUI_LINE_INIT;

	*l = init;
}

void tui_line_release(struct tui_line *l)
{
	sbuf_release(&l->text);
	free(l->runs);
	tui_line_init(l);
}

void tui_line_reset(struct tui_line *l)
{
	sbuf_reset(&l->text);
	l->nruns = 0;
	l->width = 0;
	l->attr = 0;
}

/* One character of s (at most len bytes): its length and columns. */
size_t tui_char_len(const char *s, size_t len, size_t *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : (size_t)w;
	return n;
}

size_t tui_text_cut(const char *s, size_t len, size_t max, size_t *cols)
{
	size_t i = 0, w = 0;

	while (i < len) {
		size_t c, n = tui_char_len(s + i, len - i, &c);

		if (w + c > max)
			break;
		w += c;
		i += n;
	}
	if (cols)
		*cols = w;
	return i;
}

size_t tui_text_width(const char *s, size_t len)
{
	size_t w;

	tui_text_cut(s, len, (size_t)-1, &w);
	return w;
}

static void add_run(struct tui_line *l, enum tui_style st, size_t start)
{
	size_t len = l->text.len - start;

	if (!len)
		return;
	if (l->nruns && l->runs[l->nruns - 1].style == st &&
	    l->runs[l->nruns - 1].start + l->runs[l->nruns - 1].len == start) {
		l->runs[l->nruns - 1].len += len;
		return;
	}
	l->runs = xgrow(l->runs, &l->alloc, l->nruns + 1, sizeof(*l->runs));
	l->runs[l->nruns].style = st;
	l->runs[l->nruns].start = start;
	l->runs[l->nruns].len = len;
	l->nruns++;
}

/*
 * What must not reach a terminal as it is: what the sanitiser would
 * show (util/sbuf.h: the one list of controls and bidi marks; text
 * added here has been through it, so this is a second guard), and what
 * the locale cannot print (wcwidth() < 0), which a terminal would draw
 * in columns of its own choosing.
 */
static int named(wchar_t wc)
{
	return !utf8_is_safe((unsigned)wc) || wcwidth(wc) < 0;
}

/*
 * Append sanitised text, expanding tabs and counting columns; what
 * named() says by its code point, bytes that are no UTF-8 as U+FFFD.
 */
static void add_safe(struct tui_line *l, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		mbstate_t st;
		wchar_t wc;
		size_t n, before;

		if (s[i] == '\t') {
			size_t to = (l->width / TAB_WIDTH + 1) * TAB_WIDTH;

			while (l->width < to) {
				sbuf_addch(&l->text, ' ');
				l->width++;
			}
			i++;
			continue;
		}
		memset(&st, 0, sizeof(st));
		n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			sbuf_addstr(&l->text, "\xef\xbf\xbd");
			l->width++;
			i++;
			continue;
		}
		if (named(wc)) {
			before = l->text.len;
			sbuf_addf(&l->text, "<U+%04X>", (unsigned)wc);
			l->width += l->text.len - before;
		} else {
			sbuf_add(&l->text, s + i, n);
			l->width += (size_t)wcwidth(wc);
		}
		i += n;
	}
}

void tui_line_addn(struct tui_line *l, enum tui_style st, const char *s,
		   size_t len)
{
	struct sbuf safe = SBUF_INIT;
	size_t start = l->text.len;

	sbuf_add_sanitized(&safe, s, len);
	add_safe(l, safe.buf, safe.len);
	sbuf_release(&safe);
	add_run(l, st, start);
}

void tui_line_add(struct tui_line *l, enum tui_style st, const char *s)
{
	if (s)
		tui_line_addn(l, st, s, strlen(s));
}

void tui_line_addf(struct tui_line *l, enum tui_style st, const char *fmt,
		   ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	tui_line_addn(l, st, sb.buf, sb.len);
	sbuf_release(&sb);
}

void tui_line_pad_to(struct tui_line *l, size_t col)
{
	size_t start = l->text.len;

	while (l->width < col) {
		sbuf_addch(&l->text, ' ');
		l->width++;
	}
	add_run(l, TUI_STYLE_DEFAULT, start);
}

void tui_line_cell(struct tui_line *l, enum tui_style st, const char *s,
		   size_t width, int right)
{
	struct tui_line cell = TUI_LINE_INIT;
	size_t start, cols, n;

	if (!width)
		return;
	tui_line_add(&cell, st, s ? s : "");
	start = l->text.len;
	if (cell.width > width) {
		n = tui_text_cut(cell.text.buf, cell.text.len, width - 1,
				 &cols);
		sbuf_add(&l->text, cell.text.buf, n);
		while (cols++ < width - 1)
			sbuf_addch(&l->text, ' ');
		sbuf_addch(&l->text, '~');
		l->width += width;
	} else {
		size_t pad = width - cell.width;

		if (right)
			while (pad--)
				sbuf_addch(&l->text, ' ');
		sbuf_add(&l->text, cell.text.buf, cell.text.len);
		if (!right)
			while (pad--)
				sbuf_addch(&l->text, ' ');
		l->width += width;
	}
	add_run(l, st, start);
	tui_line_release(&cell);
}

enum tui_style tui_line_style_at(const struct tui_line *l, size_t off)
{
	for (size_t i = 0; i < l->nruns; i++)
		if (off >= l->runs[i].start &&
		    off < l->runs[i].start + l->runs[i].len)
			return l->runs[i].style;
	return TUI_STYLE_DEFAULT;
}

void tui_line_append(struct tui_line *l, const struct tui_line *other)
{
	for (size_t i = 0; i < other->nruns; i++) {
		const struct tui_run *r = &other->runs[i];
		size_t start = l->text.len;

		sbuf_add(&l->text, other->text.buf + r->start, r->len);
		add_run(l, r->style, start);
	}
	l->width += other->width;
}

void tui_line_truncate(struct tui_line *l, size_t cols)
{
	size_t n, w;

	if (l->width <= cols)
		return;
	n = tui_text_cut(l->text.buf, l->text.len, cols ? cols - 1 : 0, &w);
	sbuf_setlen(&l->text, n);
	while (l->nruns && l->runs[l->nruns - 1].start >= n)
		l->nruns--;
	if (l->nruns && l->runs[l->nruns - 1].start +
	    l->runs[l->nruns - 1].len > n)
		l->runs[l->nruns - 1].len = n - l->runs[l->nruns - 1].start;
	l->width = w;
	if (cols)
		tui_line_add(l, l->nruns ? l->runs[l->nruns - 1].style :
			     TUI_STYLE_DEFAULT, "~");
}
