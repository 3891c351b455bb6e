#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/model.h"
#include "cli/out.h"
#include "cli/printer.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

struct cli_printer {
	FILE *out;
	int json;
	struct sbuf open;	/* 'm' or 'l' for each open map and list */
	struct vec objs;	/* json: their json_object *, outermost first */
	json_object *root;
	struct sbuf text;	/* text: what is not printed yet */
};

/*
 * Print o as JSON (pretty, two-space indent, slashes kept) and drop
 * the reference to it.  Every --json output goes through here and
 * cli_out_json(), so no string reaches a terminal that shows the
 * output unsafe.
 */
static void print_json(FILE *out, json_object *o)
{
	cli_out_json(out, json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

struct cli_printer *cli_printer_new(FILE *out, int json)
{
	struct cli_printer *p = xcalloc(1, sizeof(*p));

	p->out = out;
	p->json = json;
	sbuf_init(&p->open);
	sbuf_init(&p->text);
	return p;
}

static void flush_text(struct cli_printer *p)
{
	cli_out(p->out, p->text.buf);
	sbuf_reset(&p->text);
}

void cli_printer_free(struct cli_printer *p)
{
	if (!p)
		return;
	if (p->root)
		print_json(p->out, p->root);	/* left open */
	flush_text(p);
	sbuf_release(&p->open);
	sbuf_release(&p->text);
	vec_release(&p->objs, NULL);
	free(p);
}

/* Put v where the description is: under key in a map, else in a list. */
static void json_add(struct cli_printer *p, const char *key, json_object *v)
{
	json_object *top = p->objs.n ? p->objs.items[p->objs.n - 1] : NULL;

	if (!top) {
		if (p->root)
			BUG("a second value at the top of a description");
		p->root = v;
	} else if (p->open.buf[p->open.len - 1] == 'l') {
		json_object_array_add(top, v);
	} else {
		if (!key)
			BUG("a value without a key in a map");
		json_object_object_add(top, key, v);
	}
}

static void open_one(struct cli_printer *p, const char *key, char kind)
{
	if (p->json) {
		json_object *o = kind == 'm' ? json_object_new_object() :
			json_object_new_array();

		json_add(p, key, o);
		vec_push(&p->objs, o);
	}
	sbuf_addch(&p->open, kind);
}

void cli_pr_map(struct cli_printer *p, const char *key)
{
	open_one(p, key, 'm');
}

void cli_pr_list(struct cli_printer *p, const char *key)
{
	open_one(p, key, 'l');
}

void cli_pr_end(struct cli_printer *p)
{
	char kind;

	if (!p->open.len)
		BUG("cli_pr_end() with nothing open");
	kind = p->open.buf[--p->open.len];
	p->open.buf[p->open.len] = '\0';
	if (p->json) {
		vec_pop(&p->objs);
		if (!p->objs.n) {
			print_json(p->out, p->root);
			p->root = NULL;
		}
		return;
	}
	if (kind == 'm' && p->text.len && p->text.buf[p->text.len - 1] != '\n')
		sbuf_addch(&p->text, '\n');
	if (!p->open.len)
		flush_text(p);
}

void cli_pr_str(struct cli_printer *p, const char *key, const char *s)
{
	if (p->json)
		json_add(p, key, s ? json_object_new_string(s) : NULL);
}

void cli_pr_int(struct cli_printer *p, const char *key, long long v)
{
	if (p->json)
		json_add(p, key, json_object_new_int64(v));
}

void cli_pr_bool(struct cli_printer *p, const char *key, int v)
{
	if (p->json)
		json_add(p, key, json_object_new_boolean(v));
}

void cli_pr_null(struct cli_printer *p, const char *key)
{
	if (p->json)
		json_add(p, key, NULL);
}

void cli_pr_str_as(struct cli_printer *p, const char *key, const char *s,
		   const char *fmt)
{
	struct sbuf safe = SBUF_INIT;

	if (p->json) {
		cli_pr_str(p, key, s);
		return;
	}
	if (!s)
		return;
	cli_add_text(&safe, s);
	sbuf_addf(&p->text, fmt, safe.buf);
	sbuf_release(&safe);
}

void cli_pr_int_as(struct cli_printer *p, const char *key, long long v,
		   const char *fmt)
{
	if (p->json)
		cli_pr_int(p, key, v);
	else
		sbuf_addf(&p->text, fmt, v);
}

void cli_pr_text(struct cli_printer *p, const char *fmt, ...)
{
	va_list ap;

	if (p->json)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&p->text, fmt, ap);
	va_end(ap);
}
