/*
 * The trailer collector (mail/collect.h).  The rules are b4's (its
 * LoreMailbox.get_series() follow-up walk, LoreMessage.find_trailers()
 * with followup=True, get_trailers() and LoreTrailer.email_eq()), read
 * from its documentation and code and written again here, with vger's
 * own additions: Nacked-by and cover-letter trailers given for some
 * patches are said, not applied, and a .mailmap makes two addresses
 * one person.
 */
#include <ctype.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/address.h"
#include "mail/am.h"
#include "mail/collect.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* Replies are walked up at most this many parents. */
#define WALK_MAX 64

/* Keys b4 never takes from a follow-up: commit and mail metadata. */
static const char *const bad_keys[] = {
	"from", "author", "cc", "to", "date", "subject", "subscribe",
	"unsubscribe", "base-commit", "change-id", "message-id", "phone",
	"mail", "email", "e-mail", "prerequisite-message-id", NULL,
};

/* Keys whose value is no person: a hash or a URL. */
static const char *const link_keys[] = {
	"link", "buglink", "closes", NULL,
};

static int key_in(const char *key, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (!strcasecmp(key, set[i]))
			return 1;
	return 0;
}

/* "^[0-9a-f]{6,}": a Fixes: value that starts with a hash. */
static int starts_hash(const char *v)
{
	size_t n = 0;

	while (isxdigit((unsigned char)v[n]))
		n++;
	return n >= 6;
}

static int is_ascii_key(const char *k)
{
	for (; *k; k++)
		if ((unsigned char)*k >= 0x80)
			return 0;
	return 1;
}

/*
 * Whether a trailer of a reply is one b4 collects: a person (a value
 * with an address), or a Fixes:, Link:, BugLink:, Closes: with the
 * value its kind wants.
 */
static int followup_kind_ok(const struct mail_trailer *t)
{
	int url = strstr(t->value, "://") != NULL;

	if (!is_ascii_key(t->key) || key_in(t->key, bad_keys))
		return 0;
	if (key_in(t->key, link_keys))
		return url;
	if (!strcasecmp(t->key, "Fixes"))
		return starts_hash(t->value);
	if (url)
		return 0;
	return t->email && strchr(t->email, '@') &&
	       strchr(strchr(t->email, '@'), '.');
}

/* The address with a "+tag" of its local part taken out, lowercase. */
static char *plain_address(const char *email)
{
	const char *at = strchr(email, '@'), *plus;
	char *out;

	plus = at ? memchr(email, '+', (size_t)(at - email)) : NULL;
	if (plus) {
		struct sbuf sb = SBUF_INIT;

		sbuf_add(&sb, email, (size_t)(plus - email));
		sbuf_addstr(&sb, at);
		out = sbuf_detach(&sb);
	} else {
		out = xstrdup(email);
	}
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

static size_t count_dots(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '.';
	return n;
}

/* b4's LoreTrailer.email_eq(fuzzy=True). */
static int email_eq(const char *a, const char *b)
{
	char *x, *y, *xa, *ya;
	int eq;

	if (!a || !b)
		return 0;
	if (!strcasecmp(a, b))
		return 1;
	if (!strchr(a, '@') || !strchr(b, '@'))
		return 0;
	x = plain_address(a);
	y = plain_address(b);
	eq = !strcmp(x, y);
	xa = strchr(x, '@');
	ya = strchr(y, '@');
	if (!eq && xa - x == ya - y && !strncmp(x, y, (size_t)(xa - x))) {
		/* foo@linux.intel.com and foo@intel.com */
		const char *xd = xa + 1, *yd = ya + 1;
		size_t xn = strlen(xd), yn = strlen(yd);
		size_t dx = count_dots(xd), dy = count_dots(yd);

		if ((dx > dy ? dx - dy : dy - dx) == 1) {
			if (xn > yn)
				eq = xd[xn - yn - 1] == '.' &&
				     !strcmp(xd + xn - yn, yd);
			else if (yn > xn)
				eq = yd[yn - xn - 1] == '.' &&
				     !strcmp(yd + yn - xn, xd);
		}
	}
	free(x);
	free(y);
	return eq;
}

int mail_collect_sender_ok(const char *name, const char *email,
			   const char *from_name, const char *from_email)
{
	char *tn, *hn;
	int ok;

	if (email_eq(email, from_email))
		return 1;
	if (!name || !*name)
		return 0;
	/* b4 takes the address for the name when a From: has none */
	if (!from_name || !*from_name)
		from_name = from_email ? from_email : "";
	tn = g_utf8_strdown(name, -1);
	hn = g_utf8_strdown(from_name, -1);
	ok = !strcmp(tn, hn);
	if (!ok && strchr(hn, ',') && strchr(hn, ',') != hn) {
		/* "Doe, Jane": every part of it in the trailer's name */
		gchar **parts = g_strsplit(hn, ",", -1);

		ok = 1;
		for (size_t i = 0; parts[i]; i++) {
			char *part = g_strstrip(parts[i]);

			if (*part && !strstr(tn, part))
				ok = 0;
		}
		g_strfreev(parts);
	}
	g_free(tn);
	g_free(hn);
	return ok;
}

/* The address of a "Key: value" line's person, or NULL; caller frees. */
static char *line_email(const char *line)
{
	struct mail_trailer t;
	char *e = NULL;

	if (mail_trailer_parse_line(&t, line))
		return NULL;
	if (t.email)
		e = xstrdup(t.email);
	mail_trailer_release(&t);
	return e;
}

static char *mapped(const struct mail_collect_options *o, const char *email)
{
	char *m = o && o->mailmap ? o->mailmap(o->data, NULL, email) : NULL;

	return m ? m : xstrdup(email);
}

int mail_collect_same(const char *a, const char *b,
		      const struct mail_collect_options *o)
{
	const char *ca = strchr(a, ':'), *cb = strchr(b, ':');
	char *ea, *eb;
	int same = 0;

	if (!ca || !cb || ca - a != cb - b ||
	    strncasecmp(a, b, (size_t)(ca - a)))
		return 0;
	if (!strcasecmp(ca, cb))
		return 1;
	ea = line_email(a);
	eb = line_email(b);
	if (ea && eb) {
		char *ma = mapped(o, ea), *mb = mapped(o, eb);

		same = !strcasecmp(ea, eb) || !strcasecmp(ma, mb);
		free(ma);
		free(mb);
	}
	free(ea);
	free(eb);
	return same;
}

int mail_collect_given_same(const struct mail_given *a,
			    const struct mail_given *b)
{
	return a->kind == b->kind && mail_address_same(a->email, b->email);
}

/* ---- the run ---- */

struct pending {
	struct vec on_patch;	/* struct mail_collect_trailer * */
};

static struct mail_collect_trailer *trailer_new(struct mail_collect_result *r,
						const struct mail_trailer *t,
						const struct mail_collect_msg *m,
						unsigned on)
{
	struct mail_collect_trailer *ct = xcalloc(1, sizeof(*ct));
	struct sbuf line = SBUF_INIT;

	ct->key = xstrdup(t->key);
	ct->value = xstrdup(t->value);
	ct->name = xstrdup_or_null(t->name);
	ct->email = xstrdup_or_null(t->email);
	ct->scope = xstrdup_or_null(t->scope);
	ct->from_id = m->id;
	ct->by_name = m->from_name;
	ct->by_email = m->from_email;
	ct->on = on;
	sbuf_addf(&line, "%s: %s", t->key, t->value);
	/* A "[for ...]" note on the line below stays with it. */
	if (t->scope && t->scope[0] == '[' && !strstr(t->value, t->scope))
		sbuf_addf(&line, "\n%s", t->scope);
	ct->line = sbuf_detach(&line);
	vec_push(&r->pool, ct);
	return ct;
}

static void trailer_free(void *p)
{
	struct mail_collect_trailer *t = p;

	free(t->line);
	free(t->key);
	free(t->value);
	free(t->name);
	free(t->email);
	free(t->scope);
	free(t);
}

static void note(struct mail_collect_result *r, enum mail_collect_why why,
		 struct mail_collect_trailer *t, int applied)
{
	struct mail_collect_note *n = xcalloc(1, sizeof(*n));

	n->why = why;
	n->t = t;
	n->applied = applied;
	vec_push(&r->notes, n);
}

/* What a message's text (or the model's record of it) gives. */
static void message_trailers(const struct mail_collect_msg *m,
			     struct vec *out)
{
	struct mail_body b;

	if (m->body) {
		mail_body_scan(&b, m->body);
		for (size_t i = 0; i < b.trailers.n; i++)
			vec_push(out, b.trailers.items[i]);
		b.trailers.n = 0;
		mail_body_release(&b);
		return;
	}
	for (size_t i = 0; m->given && i < m->given->n; i++) {
		const struct mail_given *g = m->given->items[i];
		const char *key = mail_trailer_kind_key(g->kind);
		struct mail_trailer *t;

		if (!key || !g->email)
			continue;
		t = xcalloc(1, sizeof(*t));
		t->kind = g->kind;
		t->key = xstrdup(key);
		t->name = xstrdup_or_null(g->name);
		t->email = xstrdup(g->email);
		t->value = g->name ? g_strdup_printf("%s <%s>", g->name,
						     g->email) :
			xstrdup(g->email);
		if (g->scoped)	/* the model keeps that it was, not what */
			t->scope = xstrdup("(given for some patches)");
		vec_push(out, t);
	}
}

static void trailer_free_item(void *p)
{
	mail_trailer_free(p);
}

/* The patch's own trailer lines, from its text or the model's record. */
static void own_trailers(const struct mail_collect_msg *m, struct vec *out)
{
	if (m->body) {
		struct mail_am_parts p;

		mail_am_parts(&p, m->body);
		mail_am_trailer_lines(m->body, &p, out);
		mail_am_parts_release(&p);
		return;
	}
	for (size_t i = 0; m->given && i < m->given->n; i++) {
		const struct mail_given *g = m->given->items[i];
		const char *key = mail_trailer_kind_key(g->kind);

		if (key && g->email)
			vec_push(out, g->name ?
				 g_strdup_printf("%s: %s <%s>", key, g->name,
						 g->email) :
				 g_strdup_printf("%s: %s", key, g->email));
	}
}

static int has_line(const struct vec *lines, const char *line,
		    const struct mail_collect_options *o)
{
	for (size_t i = 0; i < lines->n; i++)
		if (mail_collect_same(lines->items[i], line, o))
			return 1;
	return 0;
}

static int has_trailer(const struct vec *ts, const char *line,
		       const struct mail_collect_options *o)
{
	for (size_t i = 0; i < ts->n; i++)
		if (mail_collect_same(((struct mail_collect_trailer *)
				       ts->items[i])->line, line, o))
			return 1;
	return 0;
}

/* A title's prefix words: "selftests/bpf: x" -> selftests, bpf. */
static int title_has_part(const char *title, const char *word)
{
	const char *colon = title ? strchr(title, ':') : NULL;
	char *prefix;
	gchar **parts;
	int yes = 0;

	if (!colon)
		return 0;
	prefix = g_ascii_strdown(title, colon - title);
	parts = g_strsplit_set(prefix, "/, ", -1);
	for (size_t i = 0; parts[i]; i++)
		if (*parts[i] && !strcmp(parts[i], word))
			yes = 1;
	g_strfreev(parts);
	g_free(prefix);
	return yes;
}

static void add_target(struct mail_collect_note *n, unsigned i)
{
	for (size_t k = 0; k < n->ntargets; k++)
		if (n->targets[k] == i)
			return;
	n->targets = xrealloc(n->targets, (n->ntargets + 1) *
			      sizeof(*n->targets));
	n->targets[n->ntargets++] = i;
}

/* The patches a scope names: numbers and ranges, else title parts. */
static void scope_targets(struct mail_collect_note *n, const char *scope,
			  unsigned npatches, const char *const *titles)
{
	static const char *const stop[] = {
		"for", "the", "a", "an", "of", "and", "part", "parts", "bit",
		"bits", "patch", "patches", "change", "changes", "side",
		"portion", "pieces", "piece", "only", "series", "this",
		"these", "those", "in", "on", "to", "all", NULL,
	};
	const char *p = scope;
	gchar **words;

	while (*p) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '/') {	/* "2/5": patch 2 */
			strtoul(p + 1, &end, 10);
			p = end;
		} else if ((*p == '-' || (p[0] == '.' && p[1] == '.')) &&
			   isdigit((unsigned char)p[*p == '-' ? 1 : 2])) {
			b = strtoul(p + (*p == '-' ? 1 : 2), &end, 10);
			p = end;
		}
		for (unsigned long i = a; i <= b && i <= npatches; i++)
			if (i >= 1)
				add_target(n, (unsigned)i);
	}
	if (n->ntargets || !titles)
		return;
	words = g_strsplit_set(scope, " \t#[]:,.;()\"'", -1);
	for (size_t w = 0; words[w]; w++) {
		char *word = g_ascii_strdown(words[w], -1);
		int skip = !*word;

		for (size_t s = 0; stop[s] && !skip; s++)
			skip = !strcmp(word, stop[s]);
		for (unsigned i = 1; !skip && i <= npatches; i++)
			if (title_has_part(titles[i - 1], word))
				add_target(n, i);
		g_free(word);
	}
	g_strfreev(words);
}

static int msg_index(GHashTable *ids, const char *id)
{
	gpointer v;

	if (!id || !g_hash_table_lookup_extended(ids, id, NULL, &v))
		return -1;
	return GPOINTER_TO_INT(v);
}

void mail_collect_run(struct mail_collect_result *out,
		      const struct mail_collect_msg *msgs, size_t n,
		      unsigned npatches, const char *const *titles,
		      const struct mail_collect_options *o)
{
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	struct vec *on = xcalloc(npatches + 1, sizeof(*on));
	struct vec *carry = xcalloc(npatches + 1, sizeof(*carry));
	size_t *idx_of = xcalloc(npatches + 1, sizeof(*idx_of));
	struct mail_collect_patch **pp = xcalloc(npatches + 1, sizeof(*pp));

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		if (msgs[i].id && !g_hash_table_contains(ids, msgs[i].id))
			g_hash_table_insert(ids, (gpointer)msgs[i].id,
					    GINT_TO_POINTER((int)i));
	for (size_t i = 0; i < n; i++) {
		const struct mail_collect_msg *m = &msgs[i];
		struct mail_collect_patch *cp;

		if (!m->patch || m->patch > npatches || pp[m->patch])
			continue;
		cp = xcalloc(1, sizeof(*cp));
		cp->index = m->patch;
		cp->id = m->id;
		own_trailers(m, &cp->own);
		pp[m->patch] = cp;
		idx_of[m->patch] = i;
	}
	for (size_t i = 0; i < n; i++) {
		const struct mail_collect_msg *m = &msgs[i];
		struct vec ts = VEC_INIT;
		int at = -1, target = -1;
		unsigned carried = 0;

		if (m->patch || m->cover || m->other)
			continue;
		message_trailers(m, &ts);
		if (!ts.n) {
			vec_release(&ts, trailer_free_item);
			continue;
		}
		/* Up the In-Reply-To chain to a patch or the cover letter. */
		at = msg_index(ids, m->parent);
		for (int d = 0; at >= 0 && d < WALK_MAX; d++) {
			if (msgs[at].other)
				break;
			if (msgs[at].patch || msgs[at].cover) {
				target = at;
				break;
			}
			at = msg_index(ids, msgs[at].parent);
		}
		if (at >= 0 && msgs[at].other) {
			/* an unchanged patch of another version: carried */
			unsigned same = 0;

			for (unsigned k = 1; msgs[at].patch_id && k <= npatches &&
			     !same; k++)
				if (pp[k] && pp[k]->id && msgs[idx_of[k]].patch_id &&
				    !strcmp(msgs[idx_of[k]].patch_id,
					    msgs[at].patch_id))
					same = k;
			if (!same) {
				vec_release(&ts, trailer_free_item);
				continue;	/* for another version */
			}
			target = at;
			carried = same;
		}
		for (size_t k = 0; k < ts.n; k++) {
			const struct mail_trailer *t = ts.items[k];
			unsigned idx = carried ? carried : target >= 0 ?
				msgs[target].patch : 0;
			struct mail_collect_trailer *ct;
			int own;

			if (!followup_kind_ok(t))
				continue;
			ct = trailer_new(out, t, m, idx);
			if (target < 0) {
				note(out, MAIL_COLLECT_ORPHAN, ct, 0);
				break;	/* said once per reply */
			}
			if (idx > npatches)
				continue;
			own = idx && pp[idx] && has_line(&pp[idx]->own,
							 ct->line, o);
			if (t->kind == MAIL_TRAILER_NACKED) {
				note(out, MAIL_COLLECT_NACKED, ct, 0);
				continue;
			}
			if (ct->email && !mail_collect_sender_ok(
				    ct->name, ct->email, m->from_name,
				    m->from_email)) {
				if (!own)
					note(out, MAIL_COLLECT_MISMATCH, ct,
					     o && o->sloppy);
				if (!o || !o->sloppy)
					continue;
			}
			if (!idx && ct->scope) {
				struct mail_collect_note *sn;

				note(out, MAIL_COLLECT_SCOPED, ct, 0);
				sn = out->notes.items[out->notes.n - 1];
				scope_targets(sn, ct->scope, npatches, titles);
				continue;
			}
			vec_push(carried ? &carry[idx] : &on[idx], ct);
		}
		vec_release(&ts, trailer_free_item);
	}
	/* Each patch: its replies', the carried, the cover letter's. */
	for (unsigned i = 1; i <= npatches; i++) {
		struct mail_collect_patch *cp = pp[i];

		if (!cp)
			continue;
		for (int pass = 0; pass < 3; pass++) {
			const struct vec *src = pass == 2 ? &on[0] :
				pass ? &carry[i] : &on[i];

			for (size_t k = 0; k < src->n; k++) {
				struct mail_collect_trailer *ct = src->items[k];

				if (!has_line(&cp->own, ct->line, o) &&
				    !has_trailer(&cp->add, ct->line, o))
					vec_push(&cp->add, ct);
			}
		}
		vec_push(&out->patches, cp);
	}
	for (unsigned i = 0; i <= npatches; i++) {
		vec_release(&on[i], NULL);
		vec_release(&carry[i], NULL);
	}
	free(on);
	free(carry);
	free(idx_of);
	free(pp);
	g_hash_table_destroy(ids);
}

struct mail_collect_patch *mail_collect_patch_at(
	const struct mail_collect_result *r, unsigned index)
{
	for (size_t i = 0; i < r->patches.n; i++) {
		struct mail_collect_patch *cp = r->patches.items[i];

		if (cp->index == index)
			return cp;
	}
	return NULL;
}

int mail_collect_apply(struct mail_collect_result *r, unsigned index,
		       struct mail_collect_trailer *t,
		       const struct mail_collect_options *o)
{
	struct mail_collect_patch *cp = mail_collect_patch_at(r, index);

	if (!cp || has_line(&cp->own, t->line, o) ||
	    has_trailer(&cp->add, t->line, o))
		return 0;
	vec_push(&cp->add, t);
	return 1;
}

void mail_collect_release(struct mail_collect_result *r)
{
	for (size_t i = 0; i < r->patches.n; i++) {
		struct mail_collect_patch *cp = r->patches.items[i];

		vec_release(&cp->own, g_free);
		vec_release(&cp->add, NULL);
		free(cp);
	}
	vec_release(&r->patches, NULL);
	for (size_t i = 0; i < r->notes.n; i++) {
		struct mail_collect_note *nt = r->notes.items[i];

		free(nt->targets);
		free(nt);
	}
	vec_release(&r->notes, NULL);
	vec_release(&r->pool, trailer_free);
}
