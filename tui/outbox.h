/*
 * Your own series from the client (issue 14): R respins the branch
 * checked out where vger runs (in the mine view: the branch that
 * carries the selected series, see front/mine.h) as its next version (front/respin.h,
 * the flow of vger respin: trailers, Cc, checks, the merge-window
 * question) and shows what it wrote; in that view S sends it
 * (front/send.h, the flow of vger send: its summary, its questions,
 * the progress per message, the resume after a failure).
 */
#ifndef TUI_OUTBOX_H
#define TUI_OUTBOX_H

#include "tui/keymap.h"
#include "tui/view.h"

struct mail_series;
struct tui_app;

extern const struct tui_view_ops tui_outbox_view;

/*
 * TUI_ACTION_RESPIN: the branch arg names (:respin BRANCH), else the
 * branch checked out; TUI_UNHANDLED for any other action.
 */
unsigned tui_outbox_global(struct tui_app *app, enum tui_action a,
			   const char *arg, struct tui_request *req);

/*
 * R in the mine view: respin the branch that carries s (front/mine.h),
 * checked out or not; with none, say so on the status line.
 */
unsigned tui_outbox_respin_series(struct tui_app *app,
				  const struct mail_series *s,
				  struct tui_request *req);

#endif
