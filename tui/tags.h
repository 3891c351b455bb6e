/*
 * The TUI writes notmuch tags (the series model stays read-only):
 * read on open, unread, archive, flag, mute, +tag/-tag, snooze.  A
 * snooze is the tag "snoozed" plus "snoozed/YYYY-MM-DD" (a day) or
 * "snoozed/vX.Y-rc1" (until that tag is out: the tree reopens), so
 * other notmuch clients see it too.
 */
#ifndef TUI_TAGS_H
#define TUI_TAGS_H

#include <glib.h>

struct err;
struct front_model_source;
struct tui_app;
struct vec;

#define TUI_TAG_SNOOZED "snoozed"
#define TUI_TAG_SNOOZED_PREFIX "snoozed/"

/* Per notmuch thread id: what the tags of its messages say. */
struct tui_tagsets {
	GHashTable *unread, *muted, *flagged;	/* sets of thread ids */
	GHashTable *snoozed;	/* thread id -> wake ("2026-12-14" or
				 * "v7.3-rc1"), g_free'd */
};

/*
 * Read the sets for the messages of the model's query (src); safe on
 * a thread of its own.  0, or < 0 with err.
 */
int tui_tagsets_load(const struct front_model_source *src,
		     struct tui_tagsets *out, struct err *err);
void tui_tagsets_release(struct tui_tagsets *t);

/*
 * Apply changes ("+flagged -inbox", words separated by spaces; a word
 * without a sign adds) to the messages ids (char *), then read the
 * sets of their threads again into app.  A database locked by a
 * writer (notmuch new) is waited for, then said.  The number of
 * messages changed, or < 0 with err.
 */
long tui_tags_apply(struct tui_app *app, const struct vec *ids,
		    const char *changes, struct err *err);
/*
 * What the tags of message id say now, as enum tui_series_flags
 * (unread, flagged, muted), into *flags.  0, or < 0 with err.
 */
int tui_tags_message_flags(const struct tui_app *app, const char *id,
			   unsigned *flags, struct err *err);
/* Of ids (char *), those with the tag "unread", into the set out. */
int tui_tags_unread(const struct tui_app *app, const struct vec *ids,
		    GHashTable *out, struct err *err);
struct sbuf;
struct tui_target;

/*
 * The tag changes (appended to changes) that snooze t until arg: a day
 * (YYYY-MM-DD), "3d" or "2w" from today, "reopen" (until the -rc1 that
 * closes the merge window bpf-next waits on), or "off".  Older snooze
 * tags are removed.  0, or < 0 with err.
 */
int tui_snooze_changes(struct tui_app *app, const struct tui_target *t,
		       const char *arg, struct sbuf *changes,
		       struct err *err);
/* Whether a snooze's wake ("YYYY-MM-DD" or "vX.Y-rc1") has come. */
int tui_snooze_woken(const struct tui_app *app, const char *wake);

#endif
