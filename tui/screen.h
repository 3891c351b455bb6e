/*
 * The terminal: curses set up and put back, also when vger is killed
 * or crashes, and left for a while (an editor) and taken back.
 */
#ifndef TUI_SCREEN_H
#define TUI_SCREEN_H

#include "tui/paint.h"

struct err;
struct tui_color;

/*
 * Take the terminal (the alternate screen, keys, mouse where it
 * reports) and make the colours of table: 256, else 8, else none;
 * none with NO_COLOR set.  0, or < 0 with err (no terminal, unknown
 * TERM).
 */
int tui_screen_open(const struct tui_color *table, enum tui_color_mode *mode,
		    struct err *err);
/* Give the terminal back as it was. */
void tui_screen_close(void);
/*
 * Put the terminal back from a signal handler (async-signal-safe:
 * saved terminal modes and escape strings, write(2) only).
 */
void tui_screen_restore_raw(void);

#endif
