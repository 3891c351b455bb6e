/*
 * A row of a view as runs of (style, text), made without curses so
 * every view's rows can be tested without a terminal.  Text added to a
 * line is made safe on the way in: control characters, escape
 * sequences and bidi controls become visible (util/sbuf.h's
 * sanitiser), tabs are expanded, and widths are measured with
 * wcwidth() in the current (UTF-8) locale.
 */
#ifndef TUI_LINE_H
#define TUI_LINE_H

#include <stddef.h>

#include "tui/style.h"
#include "util/sbuf.h"

struct tui_run {
	enum tui_style style;
	size_t start, len;	/* bytes of the line's text */
};

struct tui_line {
	struct sbuf text;	/* safe UTF-8, no control characters */
	struct tui_run *runs;
	size_t nruns, alloc;
	size_t width;		/* display columns of text */
	/* Drawn under every run: a row's own style (unread, selected). */
	unsigned attr;		/* TUI_LINE_BOLD, ... */
};

enum tui_line_attr {
	TUI_LINE_BOLD = 1 << 0,
	TUI_LINE_DIM = 1 << 1,
};

#define TUI_LINE_INIT { SBUF_INIT, NULL, 0, 0, 0, 0 }

void tui_line_init(struct tui_line *l);
void tui_line_release(struct tui_line *l);
void tui_line_reset(struct tui_line *l);

/* Append s (text from anywhere: mail included) in style st. */
void tui_line_add(struct tui_line *l, enum tui_style st, const char *s);
void tui_line_addn(struct tui_line *l, enum tui_style st, const char *s,
		   size_t len);
void tui_line_addf(struct tui_line *l, enum tui_style st, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
/*
 * Append s as a cell exactly width columns wide: cut (with "~" as its
 * last column) when longer, padded with spaces when shorter, on the
 * right or, with right set, on the left.
 */
void tui_line_cell(struct tui_line *l, enum tui_style st, const char *s,
		   size_t width, int right);
/* Append the text and runs of other (already safe). */
void tui_line_append(struct tui_line *l, const struct tui_line *other);
/* Cut l to cols columns, its last one a "~" when anything was cut. */
void tui_line_truncate(struct tui_line *l, size_t cols);
/* Spaces up to column col (nothing when the line is already there). */
void tui_line_pad_to(struct tui_line *l, size_t col);

/* The plain text, for search and for tests. */
static inline const char *tui_line_text(const struct tui_line *l)
{
	return l->text.buf;
}
/* The style at byte offset off of the text (TUI_STYLE_DEFAULT past it). */
enum tui_style tui_line_style_at(const struct tui_line *l, size_t off);

/*
 * Display columns of UTF-8 text s (len bytes); an invalid byte counts
 * as one column.  Bytes up to the column limit max in *cut (NULL:
 * not wanted) never split a character or a wide character.
 */
size_t tui_text_width(const char *s, size_t len);
/* The bytes of the character at s and its columns in *cols. */
size_t tui_char_len(const char *s, size_t len, size_t *cols);
size_t tui_text_cut(const char *s, size_t len, size_t max, size_t *cols);

#endif
