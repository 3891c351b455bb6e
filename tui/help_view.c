/*
 * ?: the keys of the view it was opened from, made from the keymap
 * (so a rebinding shows), every action with its : name and help.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/line.h"
#include "tui/views.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

struct help_row {
	char *keys;		/* "j, Down"; NULL: a heading */
	enum tui_action action;
	char *arg;
	char *heading;
};

struct help_priv {
	enum tui_scope scope;
	struct vec rows;	/* struct help_row * */
};

static void row_free(void *p)
{
	struct help_row *r = p;

	free(r->keys);
	free(r->arg);
	free(r->heading);
	free(r);
}

static void heading(struct help_priv *p, const char *fmt, const char *name)
{
	struct help_row *r = xcalloc(1, sizeof(*r));
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, fmt, name);
	r->heading = sbuf_detach(&sb);
	vec_push(&p->rows, r);
}

/* The generic keys of a, less those the view binds to something else. */
static void generic_keys(const struct tui_keymap *km, enum tui_scope scope,
			 enum tui_action a, const char *arg, struct sbuf *out)
{
	for (size_t i = 0; i < km->n; i++) {
		const struct tui_binding *b = &km->b[i];

		if (b->scope != TUI_SCOPE_GENERIC || b->action != a ||
		    (arg == NULL) != (b->arg == NULL) ||
		    (arg && strcmp(arg, b->arg)))
			continue;
		if (tui_keymap_lookup(km, scope, b->key) != b)
			continue;
		if (out->len)
			sbuf_addstr(out, ", ");
		tui_key_name(b->key, out);
	}
}

static void add_scope(struct help_priv *p, const struct tui_keymap *km,
		      enum tui_scope scope, enum tui_scope shown)
{
	int any = 0;

	for (size_t i = 0; i < km->n; i++) {
		const struct tui_binding *b = &km->b[i];
		struct help_row *r;
		struct sbuf keys = SBUF_INIT;
		int dup = 0;

		if (b->scope != scope || !b->action)
			continue;
		/* One row per (action, argument). */
		for (size_t k = 0; k < i && !dup; k++)
			dup = km->b[k].scope == scope &&
				km->b[k].action == b->action &&
				(km->b[k].arg == NULL) == (b->arg == NULL) &&
				(!b->arg || !strcmp(km->b[k].arg, b->arg));
		if (dup)
			continue;
		if (scope == TUI_SCOPE_GENERIC)
			generic_keys(km, shown, b->action, b->arg, &keys);
		else
			tui_keymap_keys(km, scope, b->action, b->arg, &keys);
		if (!keys.len) {
			sbuf_release(&keys);
			continue;
		}
		if (!any++)
			heading(p, "%s", scope == TUI_SCOPE_GENERIC ?
				"Every view" : tui_scope_name(scope));
		r = xcalloc(1, sizeof(*r));
		r->keys = sbuf_detach(&keys);
		r->action = b->action;
		r->arg = b->arg ? xstrdup(b->arg) : NULL;
		vec_push(&p->rows, r);
	}
}

static int help_open(struct tui_view *v, const void *arg, struct err *err)
{
	struct help_priv *p = v->priv;
	const struct tui_help_arg *h = arg;
	const struct tui_keymap *km = &v->app->keymap;

	(void)err;
	p->scope = h ? h->scope : TUI_SCOPE_GENERIC;
	if (p->scope != TUI_SCOPE_GENERIC)
		add_scope(p, km, p->scope, p->scope);
	add_scope(p, km, TUI_SCOPE_GENERIC, p->scope);
	heading(p, "%s", "Every action, by name (:name [argument])");
	for (int a = 1; a < TUI_ACTION_COUNT; a++) {
		struct help_row *r = xcalloc(1, sizeof(*r));

		r->keys = xstrdup("");
		r->action = (enum tui_action)a;
		vec_push(&p->rows, r);
	}
	return 0;
}

static size_t help_nrows(const struct tui_view *v)
{
	return ((const struct help_priv *)v->priv)->rows.n;
}

static void help_row(const struct tui_view *v, size_t i, struct tui_line *l)
{
	const struct help_priv *p = v->priv;
	const struct help_row *r = p->rows.items[i];

	if (r->heading) {
		tui_line_add(l, TUI_STYLE_HELP_GROUP, r->heading);
		return;
	}
	tui_line_cell(l, TUI_STYLE_HELP_KEY, r->keys, 16, 0);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	tui_line_cell(l, TUI_STYLE_DEFAULT, tui_action_name(r->action), 16, 0);
	tui_line_add(l, TUI_STYLE_DEFAULT, " ");
	tui_line_add(l, TUI_STYLE_DEFAULT, tui_action_help(r->action));
	if (r->arg)
		tui_line_addf(l, TUI_STYLE_DIM, " (%s)", r->arg);
}

static void help_title(const struct tui_view *v, struct sbuf *out)
{
	const struct help_priv *p = v->priv;

	sbuf_addf(out, "keys of the %s view; rebind in [vger \"bind\"]",
		  tui_scope_name(p->scope));
}

static void help_close(struct tui_view *v)
{
	vec_release(&((struct help_priv *)v->priv)->rows, row_free);
}

const struct tui_view_ops tui_help_view = {
	.name = "help",
	.scope = TUI_SCOPE_HELP,
	.priv_size = sizeof(struct help_priv),
	.cursor = 0,
	.open = help_open,
	.nrows = help_nrows,
	.row = help_row,
	.title = help_title,
	.close = help_close,
};
