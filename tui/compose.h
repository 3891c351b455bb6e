/*
 * Writing mail in the TUI (issue 14): r, g, L, f, A, R, W, C on a
 * message of the series view or the pager, m anywhere, :report and
 * :stable.  front/compose.h makes the draft in the drafts maildir;
 * the editor runs with the terminal given back (the screen is taken
 * again after it); then the draft view shows who it goes to and asks
 * to send, edit again, postpone or discard.  D and :drafts list the
 * postponed drafts to resume one.  The draft stays in the drafts
 * maildir until it is sent or discarded.
 */
#ifndef TUI_COMPOSE_H
#define TUI_COMPOSE_H

#include "tui/keymap.h"
#include "tui/view.h"

struct tui_app;

extern const struct tui_view_ops tui_compose_view;	/* one draft */
extern const struct tui_view_ops tui_drafts_view;	/* :drafts */

/*
 * The writing actions, from whatever view is on top (the message a
 * reply answers is that view's selection).  TUI_UNHANDLED for an
 * action that is not one of them.
 */
unsigned tui_compose_global(struct tui_app *app, enum tui_action a,
			    const char *arg, struct tui_request *req);

#endif
