/*
 * Keys to actions, per view (scope) and for all views (generic), from
 * a default table and [vger "bind"] in git config:
 *
 *	[vger "bind"]
 *		generic = "C-f page-down"
 *		list = "x archive"
 *		pager = "Space next-message"
 *
 * Each value is "KEY ACTION [ARGUMENT]"; KEY as the ? screen writes
 * it (j, G, C-d, ^D, Enter, Tab, Space, Esc, Up, PgDn, Home, F1, ...),
 * ACTION a name from tui/actions.def or "none" to unbind.
 */
#ifndef TUI_KEYMAP_H
#define TUI_KEYMAP_H

#include <stddef.h>

struct err;
struct sbuf;

enum tui_action {
	TUI_ACTION_NONE,
#define ACTION(id, name, help) TUI_ACTION_##id,
#include "tui/actions.def"
#undef ACTION
	TUI_ACTION_COUNT
};

enum tui_scope {
	TUI_SCOPE_GENERIC,
	TUI_SCOPE_LIST,		/* the series list */
	TUI_SCOPE_SERIES,	/* one series: versions and thread */
	TUI_SCOPE_PAGER,	/* one message */
	TUI_SCOPE_PULLS,	/* pull requests */
	TUI_SCOPE_HELP,
	TUI_SCOPE_COMPOSE,	/* a draft: send, edit, postpone, discard */
	TUI_SCOPE_DRAFTS,	/* the postponed drafts */
	TUI_SCOPE_OUTBOX,	/* your series: respun, sent */
	TUI_SCOPE_COUNT
};

/*
 * A key: a Unicode code point (control keys as 1..31, 127), or a
 * curses function key as TUI_KEY_FN(KEY_...).
 */
#define TUI_KEY_FN_BASE 0x200000
#define TUI_KEY_FN(code) (TUI_KEY_FN_BASE + (code))

const char *tui_action_name(enum tui_action a);
const char *tui_action_help(enum tui_action a);
/* By name; TUI_ACTION_NONE when unknown (and for "none"). */
enum tui_action tui_action_by_name(const char *name);
const char *tui_scope_name(enum tui_scope s);
/* By name ("generic", "list", ...); -1 when unknown. */
int tui_scope_by_name(const char *name);

/* "C-d" -> 4; 0, or -1 when not a key. */
int tui_key_parse(const char *s, int *key);
/* The name of a key, as tui_key_parse() reads it. */
void tui_key_name(int key, struct sbuf *out);

struct tui_binding {
	enum tui_scope scope;
	int key;
	enum tui_action action;
	char *arg;		/* or NULL */
};

struct tui_keymap {
	struct tui_binding *b;
	size_t n, alloc;
};

/* The default bindings. */
void tui_keymap_init(struct tui_keymap *km);
void tui_keymap_release(struct tui_keymap *km);
/* Bind (replacing what key did in scope); TUI_ACTION_NONE unbinds. */
void tui_keymap_bind(struct tui_keymap *km, enum tui_scope scope, int key,
		     enum tui_action a, const char *arg);
/*
 * One [vger "bind"] entry: scope_name is the variable ("generic",
 * "list", ...), value "KEY ACTION [ARG]".  0, or -1 with err saying
 * what is wrong.
 */
int tui_keymap_config(struct tui_keymap *km, const char *scope_name,
		      const char *value, struct err *err);
/*
 * What key does in scope (the view's own binding first, then the
 * generic one); NULL when nothing.  Borrowed from km.
 */
const struct tui_binding *tui_keymap_lookup(const struct tui_keymap *km,
					    enum tui_scope scope, int key);
/* The keys bound to a in scope alone, as "j, Down"; empty when none. */
void tui_keymap_keys(const struct tui_keymap *km, enum tui_scope scope,
		     enum tui_action a, const char *arg, struct sbuf *out);

#endif
