/* The main loop (tui/loop.c): keys, the loader, signals. */
#ifndef TUI_LOOP_H
#define TUI_LOOP_H

struct tui_app;
struct tui_loader;

/*
 * Run until the user quits (0) or a signal (SIGINT, SIGTERM, SIGHUP)
 * ends it (128 + the signal).  refresh: seconds between reads of the
 * database, 0 for none.
 */
int tui_loop(struct tui_app *app, struct tui_loader *loader, long refresh);

/*
 * The same loop fed by hand, without a terminal's keys or signals: for
 * the tests, which drive the views with keys and paint a virtual
 * screen.  Free with tui_loop_free().
 */
struct tui_loop;
struct tui_prompt;
struct tui_loop *tui_loop_new(struct tui_app *app, struct tui_loader *loader);
void tui_loop_free(struct tui_loop *t);
/* One key (a code point, or TUI_KEY_FN(KEY_...)); 1 once it quits. */
int tui_loop_key(struct tui_loop *t, int key);
/* Wait up to ms for the loader and take what it read; -1 on timeout. */
int tui_loop_wait(struct tui_loop *t, int ms);
/* The line being typed, for tui_paint(). */
const struct tui_prompt *tui_loop_prompt(const struct tui_loop *t);

/*
 * A yes/no question for a flow that runs while the screen waits
 * (respin, send): question (which says "[y/n]") on the bottom line,
 * keys read until y or n
 * (Esc, q and C-g are no).  The one place besides the loop that reads
 * keys, and only while a flow holds the screen.  1 yes, 0 no.
 */
int tui_ask_yes(struct tui_app *app, const char *question);

#endif
