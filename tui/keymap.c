#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "tui/keymap.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

static const struct {
	const char *name, *help;
} actions[] = {
	{ "none", "" },
#define ACTION(id, name, help) { name, help },
#include "tui/actions.def"
#undef ACTION
};

static const char *const scopes[] = {
	"generic", "list", "series", "pager", "pulls", "help", "compose",
	"drafts", "outbox"
};

const char *tui_action_name(enum tui_action a)
{
	return (unsigned)a < TUI_ACTION_COUNT ? actions[a].name : "none";
}

const char *tui_action_help(enum tui_action a)
{
	return (unsigned)a < TUI_ACTION_COUNT ? actions[a].help : "";
}

enum tui_action tui_action_by_name(const char *name)
{
	for (int i = 1; i < TUI_ACTION_COUNT; i++)
		if (!strcasecmp(actions[i].name, name))
			return (enum tui_action)i;
	return TUI_ACTION_NONE;
}

const char *tui_scope_name(enum tui_scope s)
{
	return (unsigned)s < TUI_SCOPE_COUNT ? scopes[s] : "?";
}

int tui_scope_by_name(const char *name)
{
	for (int i = 0; i < TUI_SCOPE_COUNT; i++)
		if (!strcasecmp(scopes[i], name))
			return i;
	return -1;
}

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", '\n' }, { "Tab", '\t' }, { "Space", ' ' }, { "Esc", 27 },
	{ "Backspace", 127 },
	{ "Up", TUI_KEY_FN(KEY_UP) }, { "Down", TUI_KEY_FN(KEY_DOWN) },
	{ "Left", TUI_KEY_FN(KEY_LEFT) }, { "Right", TUI_KEY_FN(KEY_RIGHT) },
	{ "Home", TUI_KEY_FN(KEY_HOME) }, { "End", TUI_KEY_FN(KEY_END) },
	{ "PgUp", TUI_KEY_FN(KEY_PPAGE) }, { "PgDn", TUI_KEY_FN(KEY_NPAGE) },
	{ "Insert", TUI_KEY_FN(KEY_IC) }, { "Delete", TUI_KEY_FN(KEY_DC) },
	{ "BackTab", TUI_KEY_FN(KEY_BTAB) },
};

int tui_key_parse(const char *s, int *key)
{
	long n;

	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (!strcasecmp(s, key_names[i].name)) {
			*key = key_names[i].key;
			return 0;
		}
	}
	if ((s[0] == 'C' && s[1] == '-' && s[2] && !s[3]) ||
	    (s[0] == '^' && s[1] && !s[2])) {
		int c = s[s[0] == 'C' ? 2 : 1];

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c < '@' || c > '_')
			return -1;
		*key = c - '@';
		return 0;
	}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] && !str_to_long(s + 1, &n) &&
	    n >= 1 && n <= 24) {
		*key = TUI_KEY_FN(KEY_F((int)n));
		return 0;
	}
	/* One character, in UTF-8. */
	if (*s) {
		wchar_t wc;
		mbstate_t st;
		size_t len = strlen(s), r;

		memset(&st, 0, sizeof(st));
		r = mbrtowc(&wc, s, len, &st);
		if (r == len && wc > ' ' && wc != 127) {
			*key = (int)wc;
			return 0;
		}
	}
	return -1;
}

void tui_key_name(int key, struct sbuf *out)
{
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (key_names[i].key == key) {
			sbuf_addstr(out, key_names[i].name);
			return;
		}
	}
	if (key == '\r' || key == TUI_KEY_FN(KEY_ENTER)) {
		sbuf_addstr(out, "Enter");
	} else if (key >= 0 && key < 32) {
		/* C-a..C-z; C-@, C-\, C-], C-^ and C-_ as they are written. */
		sbuf_addf(out, "C-%c", key >= 1 && key <= 26 ?
			  key + 'a' - 1 : key + '@');
	} else if (key >= TUI_KEY_FN(KEY_F(1)) &&
		   key <= TUI_KEY_FN(KEY_F(24))) {
		sbuf_addf(out, "F%d", key - TUI_KEY_FN(KEY_F0));
	} else if (key >= TUI_KEY_FN_BASE) {
		sbuf_addf(out, "key-%d", key - TUI_KEY_FN_BASE);
	} else {
		char mb[MB_LEN_MAX + 1];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n == (size_t)-1)
			sbuf_addf(out, "U+%04X", (unsigned)key);
		else
			sbuf_add(out, mb, n);
	}
}

/* The default bindings: mutt and alot conventions, vi movement. */
static const struct {
	enum tui_scope scope;
	const char *key;
	enum tui_action action;
	const char *arg;
} defaults[] = {
	{ TUI_SCOPE_GENERIC, "j", TUI_ACTION_MOVE_DOWN, NULL },
	{ TUI_SCOPE_GENERIC, "Down", TUI_ACTION_MOVE_DOWN, NULL },
	{ TUI_SCOPE_GENERIC, "k", TUI_ACTION_MOVE_UP, NULL },
	{ TUI_SCOPE_GENERIC, "Up", TUI_ACTION_MOVE_UP, NULL },
	{ TUI_SCOPE_GENERIC, "g", TUI_ACTION_MOVE_FIRST, NULL },
	{ TUI_SCOPE_GENERIC, "Home", TUI_ACTION_MOVE_FIRST, NULL },
	{ TUI_SCOPE_GENERIC, "G", TUI_ACTION_MOVE_LAST, NULL },
	{ TUI_SCOPE_GENERIC, "End", TUI_ACTION_MOVE_LAST, NULL },
	{ TUI_SCOPE_GENERIC, "PgDn", TUI_ACTION_PAGE_DOWN, NULL },
	{ TUI_SCOPE_GENERIC, "C-f", TUI_ACTION_PAGE_DOWN, NULL },
	{ TUI_SCOPE_GENERIC, "Space", TUI_ACTION_PAGE_DOWN, NULL },
	{ TUI_SCOPE_GENERIC, "PgUp", TUI_ACTION_PAGE_UP, NULL },
	{ TUI_SCOPE_GENERIC, "C-b", TUI_ACTION_PAGE_UP, NULL },
	{ TUI_SCOPE_GENERIC, "C-d", TUI_ACTION_HALF_DOWN, NULL },
	{ TUI_SCOPE_GENERIC, "C-u", TUI_ACTION_HALF_UP, NULL },
	{ TUI_SCOPE_GENERIC, "Left", TUI_ACTION_SCROLL_LEFT, NULL },
	{ TUI_SCOPE_GENERIC, "Right", TUI_ACTION_SCROLL_RIGHT, NULL },
	{ TUI_SCOPE_GENERIC, "Tab", TUI_ACTION_NEXT_UNREAD, NULL },
	{ TUI_SCOPE_GENERIC, "Enter", TUI_ACTION_ENTER, NULL },
	{ TUI_SCOPE_GENERIC, "q", TUI_ACTION_BACK, NULL },
	{ TUI_SCOPE_GENERIC, "Q", TUI_ACTION_QUIT, NULL },
	{ TUI_SCOPE_GENERIC, "?", TUI_ACTION_HELP, NULL },
	{ TUI_SCOPE_GENERIC, ":", TUI_ACTION_PROMPT, NULL },
	{ TUI_SCOPE_GENERIC, "p", TUI_ACTION_PULLS, NULL },
	{ TUI_SCOPE_GENERIC, "@", TUI_ACTION_REFRESH, NULL },
	{ TUI_SCOPE_GENERIC, "C-l", TUI_ACTION_REDRAW, NULL },
	{ TUI_SCOPE_GENERIC, "/", TUI_ACTION_SEARCH, NULL },
	{ TUI_SCOPE_GENERIC, "n", TUI_ACTION_SEARCH_NEXT, NULL },
	{ TUI_SCOPE_GENERIC, "N", TUI_ACTION_SEARCH_PREV, NULL },
	{ TUI_SCOPE_GENERIC, "u", TUI_ACTION_TOGGLE_UNREAD, NULL },
	{ TUI_SCOPE_GENERIC, "a", TUI_ACTION_ARCHIVE, NULL },
	{ TUI_SCOPE_GENERIC, "F", TUI_ACTION_FLAG, NULL },
	{ TUI_SCOPE_GENERIC, "M", TUI_ACTION_MUTE, NULL },
	{ TUI_SCOPE_GENERIC, "t", TUI_ACTION_TAG, NULL },
	{ TUI_SCOPE_GENERIC, "+", TUI_ACTION_TAG, "+" },
	{ TUI_SCOPE_GENERIC, "-", TUI_ACTION_TAG, "-" },
	{ TUI_SCOPE_GENERIC, "z", TUI_ACTION_SNOOZE, NULL },
	{ TUI_SCOPE_LIST, "/", TUI_ACTION_LIMIT, NULL },
	{ TUI_SCOPE_LIST, "l", TUI_ACTION_LIMIT, NULL },
	{ TUI_SCOPE_LIST, "o", TUI_ACTION_SORT, NULL },
	{ TUI_SCOPE_LIST, "v", TUI_ACTION_QUERY, NULL },
	{ TUI_SCOPE_LIST, "1", TUI_ACTION_QUERY, "1" },
	{ TUI_SCOPE_LIST, "2", TUI_ACTION_QUERY, "2" },
	{ TUI_SCOPE_LIST, "3", TUI_ACTION_QUERY, "3" },
	{ TUI_SCOPE_LIST, "4", TUI_ACTION_QUERY, "4" },
	{ TUI_SCOPE_LIST, "5", TUI_ACTION_QUERY, "5" },
	{ TUI_SCOPE_LIST, "6", TUI_ACTION_QUERY, "6" },
	{ TUI_SCOPE_LIST, "7", TUI_ACTION_QUERY, "7" },
	{ TUI_SCOPE_LIST, "8", TUI_ACTION_QUERY, "8" },
	{ TUI_SCOPE_LIST, "9", TUI_ACTION_QUERY, "9" },
	{ TUI_SCOPE_SERIES, "]", TUI_ACTION_NEXT_VERSION, NULL },
	{ TUI_SCOPE_SERIES, "[", TUI_ACTION_PREV_VERSION, NULL },
	{ TUI_SCOPE_SERIES, "x", TUI_ACTION_MATRIX, NULL },
	{ TUI_SCOPE_SERIES, "d", TUI_ACTION_RANGE_DIFF, NULL },
	{ TUI_SCOPE_SERIES, "s", TUI_ACTION_SAVE_MBOX, NULL },
	{ TUI_SCOPE_SERIES, "A", TUI_ACTION_APPLY, NULL },
	{ TUI_SCOPE_PAGER, "J", TUI_ACTION_NEXT_MESSAGE, NULL },
	{ TUI_SCOPE_PAGER, "K", TUI_ACTION_PREV_MESSAGE, NULL },
	{ TUI_SCOPE_PAGER, "h", TUI_ACTION_HEADERS, NULL },
	{ TUI_SCOPE_PAGER, "T", TUI_ACTION_QUOTES, NULL },
	{ TUI_SCOPE_PAGER, "w", TUI_ACTION_WRAP, NULL },
	{ TUI_SCOPE_PAGER, "b", TUI_ACTION_PAGE_UP, NULL },
	{ TUI_SCOPE_GENERIC, "$", TUI_ACTION_SYNC, NULL },
	/*
	 * Writing mail: mutt's and alot's keys in the pager.  In the
	 * series view g stays the top row, so a group reply is E
	 * (everyone), and A applies (vger am), so an ack is Y.
	 */
	{ TUI_SCOPE_GENERIC, "m", TUI_ACTION_COMPOSE, NULL },
	{ TUI_SCOPE_GENERIC, "D", TUI_ACTION_DRAFTS, NULL },
	{ TUI_SCOPE_SERIES, "r", TUI_ACTION_REPLY, NULL },
	{ TUI_SCOPE_SERIES, "E", TUI_ACTION_GROUP_REPLY, NULL },
	{ TUI_SCOPE_SERIES, "L", TUI_ACTION_LIST_REPLY, NULL },
	{ TUI_SCOPE_SERIES, "f", TUI_ACTION_FORWARD, NULL },
	{ TUI_SCOPE_SERIES, "Y", TUI_ACTION_ACK, NULL },
	{ TUI_SCOPE_SERIES, "R", TUI_ACTION_REVIEWED, NULL },
	{ TUI_SCOPE_SERIES, "W", TUI_ACTION_TESTED, NULL },
	{ TUI_SCOPE_SERIES, "C", TUI_ACTION_PWBOT_CR, NULL },
	{ TUI_SCOPE_PAGER, "r", TUI_ACTION_REPLY, NULL },
	{ TUI_SCOPE_PAGER, "g", TUI_ACTION_GROUP_REPLY, NULL },
	{ TUI_SCOPE_PAGER, "L", TUI_ACTION_LIST_REPLY, NULL },
	{ TUI_SCOPE_PAGER, "f", TUI_ACTION_FORWARD, NULL },
	{ TUI_SCOPE_PAGER, "A", TUI_ACTION_ACK, NULL },
	{ TUI_SCOPE_PAGER, "R", TUI_ACTION_REVIEWED, NULL },
	{ TUI_SCOPE_PAGER, "W", TUI_ACTION_TESTED, NULL },
	{ TUI_SCOPE_PAGER, "C", TUI_ACTION_PWBOT_CR, NULL },
	{ TUI_SCOPE_LIST, "R", TUI_ACTION_RESPIN, NULL },
	{ TUI_SCOPE_OUTBOX, "S", TUI_ACTION_SEND_SERIES, NULL },
	{ TUI_SCOPE_COMPOSE, "y", TUI_ACTION_SEND, NULL },
	{ TUI_SCOPE_COMPOSE, "s", TUI_ACTION_SEND, NULL },
	{ TUI_SCOPE_COMPOSE, "e", TUI_ACTION_EDIT, NULL },
	{ TUI_SCOPE_COMPOSE, "p", TUI_ACTION_POSTPONE, NULL },
	{ TUI_SCOPE_COMPOSE, "q", TUI_ACTION_POSTPONE, NULL },
	{ TUI_SCOPE_COMPOSE, "d", TUI_ACTION_DISCARD, NULL },
	{ TUI_SCOPE_DRAFTS, "d", TUI_ACTION_DISCARD, NULL },
	{ TUI_SCOPE_DRAFTS, "e", TUI_ACTION_EDIT, NULL },
};

void tui_keymap_init(struct tui_keymap *km)
{
	memset(km, 0, sizeof(*km));
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		int key;

		if (tui_key_parse(defaults[i].key, &key))
			abort();	/* a typo in the table above */
		tui_keymap_bind(km, defaults[i].scope, key, defaults[i].action,
				defaults[i].arg);
	}
}

void tui_keymap_release(struct tui_keymap *km)
{
	for (size_t i = 0; i < km->n; i++)
		free(km->b[i].arg);
	free(km->b);
	memset(km, 0, sizeof(*km));
}

void tui_keymap_bind(struct tui_keymap *km, enum tui_scope scope, int key,
		     enum tui_action a, const char *arg)
{
	struct tui_binding *b = NULL;

	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].scope == scope && km->b[i].key == key)
			b = &km->b[i];
	if (!b) {
		km->b = xgrow(km->b, &km->alloc, km->n + 1, sizeof(*km->b));
		b = &km->b[km->n++];
		b->scope = scope;
		b->key = key;
	} else {
		free(b->arg);
	}
	/* An unbound key stays in the table, so it hides the generic one. */
	b->action = a;
	b->arg = arg ? xstrdup(arg) : NULL;
}

int tui_keymap_config(struct tui_keymap *km, const char *scope_name,
		      const char *value, struct err *err)
{
	struct sbuf key = SBUF_INIT, action = SBUF_INIT;
	const char *p = value, *arg;
	enum tui_action a;
	int scope, k, ret = 0;

	scope = tui_scope_by_name(scope_name);
	if (scope < 0)
		return err_set(err, ERR_PARSE, "vger.bind.%s: no such view "
			       "(generic, list, series, pager, pulls, help, "
			       "compose, drafts, outbox)", scope_name);
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ' ' && *p != '\t')
		sbuf_addch(&key, *p++);
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ' ' && *p != '\t')
		sbuf_addch(&action, *p++);
	while (*p == ' ' || *p == '\t')
		p++;
	arg = *p ? p : NULL;
	a = tui_action_by_name(action.buf);
	if (!key.len || !action.len)
		ret = err_set(err, ERR_PARSE, "vger.bind.%s: '%s' is not "
			      "'KEY ACTION'", scope_name, value);
	else if (tui_key_parse(key.buf, &k))
		ret = err_set(err, ERR_PARSE, "vger.bind.%s: '%s' is not a "
			      "key", scope_name, key.buf);
	else if (a == TUI_ACTION_NONE && strcasecmp(action.buf, "none"))
		ret = err_set(err, ERR_PARSE, "vger.bind.%s: no action '%s' "
			      "(see ? in vger)", scope_name, action.buf);
	else
		tui_keymap_bind(km, (enum tui_scope)scope, k, a, arg);
	sbuf_release(&key);
	sbuf_release(&action);
	return ret;
}

/* Keys that arrive under another code than the one bound. */
static int key_alias(int key)
{
	switch (key) {
	case '\r':
	case TUI_KEY_FN(KEY_ENTER):
		return '\n';
	case 8:
	case TUI_KEY_FN(KEY_BACKSPACE):
		return 127;
	}
	return key;
}

const struct tui_binding *tui_keymap_lookup(const struct tui_keymap *km,
					    enum tui_scope scope, int key)
{
	const struct tui_binding *generic = NULL;

	key = key_alias(key);
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].key != key)
			continue;
		if (km->b[i].scope == scope && scope != TUI_SCOPE_GENERIC)
			return km->b[i].action ? &km->b[i] : NULL;
		if (km->b[i].scope == TUI_SCOPE_GENERIC)
			generic = &km->b[i];
	}
	return generic && generic->action ? generic : NULL;
}

void tui_keymap_keys(const struct tui_keymap *km, enum tui_scope scope,
		     enum tui_action a, const char *arg, struct sbuf *out)
{
	for (size_t i = 0; i < km->n; i++) {
		const struct tui_binding *b = &km->b[i];

		if (b->scope != scope || b->action != a)
			continue;
		if ((arg == NULL) != (b->arg == NULL) ||
		    (arg && strcmp(arg, b->arg)))
			continue;
		if (out->len)
			sbuf_addstr(out, ", ");
		tui_key_name(b->key, out);
	}
}
