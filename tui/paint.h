/* Drawing the screen (tui/paint.c, the only code that draws). */
#ifndef TUI_PAINT_H
#define TUI_PAINT_H

#include <stddef.h>

#include "tui/style.h"
#include "util/sbuf.h"

struct tui_app;

/* The smallest screen vger draws on; below it says so. */
#define TUI_MIN_COLS 40
#define TUI_MIN_LINES 10

enum tui_color_mode { TUI_COLORS_NONE, TUI_COLORS_8, TUI_COLORS_256 };

/* The line being typed at the bottom (/, :, a tag, a query). */
struct tui_prompt {
	int active;
	const char *label;	/* "limit: " */
	struct sbuf text;	/* UTF-8 */
	size_t cursor;		/* byte offset into text */
	int secret;		/* a password: '*' for every character */
};

/*
 * Make the colour pairs of table for mode (after start_color(), or
 * none); returns mode.
 */
enum tui_color_mode tui_paint_colors(const struct tui_color *table,
				     enum tui_color_mode mode);
/* Draw the whole screen: banner, the top view, title bar, status. */
void tui_paint(struct tui_app *app, const struct tui_prompt *prompt);

#endif
