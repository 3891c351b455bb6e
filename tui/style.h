/*
 * The TUI's styles: one enum and one table from tui/styles.def, and
 * git's colour syntax for [vger "color"].  No curses here: tui/paint.c
 * turns a style into a colour pair and attributes.
 */
#ifndef TUI_STYLE_H
#define TUI_STYLE_H

enum tui_attr {
	TUI_A_BOLD = 1 << 0,
	TUI_A_DIM = 1 << 1,
	TUI_A_UNDERLINE = 1 << 2,
	TUI_A_REVERSE = 1 << 3,
	TUI_A_ITALIC = 1 << 4,
	TUI_A_BLINK = 1 << 5,
};

enum tui_style {
#define STYLE(id, name, fg, bg, attr, mono) TUI_STYLE_##id,
#include "tui/styles.def"
#undef STYLE
	TUI_N_STYLES
};

struct tui_color {
	short fg, bg;		/* 0..255, -1 the terminal's default */
	unsigned attr;		/* enum tui_attr */
	unsigned mono;		/* attributes without colours */
};

/* The defaults of styles.def, into table[TUI_N_STYLES]. */
void tui_style_defaults(struct tui_color *table);
/* "diff-add" -> TUI_STYLE_DIFF_ADD; -1 when unknown. */
int tui_style_by_name(const char *name);
const char *tui_style_name(enum tui_style st);
/*
 * Parse a colour as git writes one ("bold red", "red black ul",
 * "214", "default 24 reverse", "normal"): the first colour is the
 * foreground, the second the background; attributes add up.  0, or
 * -1 when a word is not a colour or an attribute (out untouched).
 */
int tui_color_parse(const char *value, struct tui_color *out);
/* The nearest of the eight ANSI colours to an xterm-256 colour. */
short tui_color_to_8(short c);

#endif
