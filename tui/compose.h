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

/*
 * A password for a send (the draft view, the outbox): no helper had
 * one, so the flow stopped; the view asks for it on the bottom line
 * (typing shown as stars) and sends again with it.  Wiped when
 * dropped.
 */
struct tui_secret {
	char *password;		/* typed, for the next try */
	char *prompt;		/* what the flow asked with */
	int wanted;		/* the flow asked and had none */
	int asking;		/* the prompt's answer is the password */
};

/* The password hook's answer: a copy of the typed one, else NULL. */
char *tui_secret_get(struct tui_secret *s, const char *prompt);
/*
 * After a try: when the flow wanted one, ask for it (TUI_ASK, the
 * answer comes back as the action's argument); else forget it.
 */
unsigned tui_secret_after(struct tui_secret *s, struct tui_request *req);
/* The action's argument, when it answers the question. */
void tui_secret_answer(struct tui_secret *s, const char *arg);
void tui_secret_release(struct tui_secret *s);

/* "To: a, b" as one row (char *) appended to rows; none for no one. */
struct vec;
void tui_rows_list(struct vec *rows, const char *label, const struct vec *v);

#endif
