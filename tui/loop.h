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

#endif
