/*
 * The model's on-disk cache, in two files per (database, query):
 *
 * records: what was read of every message, one line each, so that after
 * `notmuch new` only the changed messages are read again.  Fields are
 * separated by TAB, list items by 0x1f and item parts by 0x1e; values
 * never hold those bytes (they are folded to spaces when written), so a
 * line splits without escapes.  The first line is
 * "vger-records FORMAT UUID REVISION COUNT".
 *
 * series.jsonl: the grouped model, newest series first, one JSON object
 * per line after a header "vger-series FORMAT UUID REVISION NSERIES
 * NPULLS", so a listing reads only the lines it shows.
 *
 * Anything that does not parse is reported as ERR_PARSE and the caller
 * rebuilds; both files are written atomically.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

#define RECORDS_FORMAT 1
#define LISTING_FORMAT 1
#define CACHE_MAX ((size_t)2 << 30)
#define NFIELDS 15

/* ---- records ---- */

static void add_field(struct sbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		char c = *s;

		sbuf_addch(sb, c == '\t' || c == '\n' || c == '\r' ||
			   c == '\x1e' || c == '\x1f' ? ' ' : c);
	}
}

static void add_list(struct sbuf *sb, const struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			sbuf_addch(sb, '\x1f');
		/* Items may hold 0x1e between their parts. */
		for (const char *s = v->items[i]; *s; s++)
			sbuf_addch(sb, *s == '\t' || *s == '\n' ||
				   *s == '\x1f' ? ' ' : *s);
	}
}

static void add_given_list(struct sbuf *sb, const struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct mail_given *g = v->items[i];

		if (i)
			sbuf_addch(sb, '\x1f');
		sbuf_addch(sb, g->kind);
		sbuf_addch(sb, '\x1e');
		add_field(sb, g->email);
		sbuf_addch(sb, '\x1e');
		add_field(sb, g->name);
	}
}

int mail_cache_write_records(const char *path, const char *uuid,
			     unsigned long revision, struct vec *recs,
			     struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	sbuf_addf(&sb, "vger-records %d %s %lu %zu\n", RECORDS_FORMAT, uuid,
		  revision, recs->n);
	for (size_t i = 0; i < recs->n; i++) {
		const struct mail_rec *r = recs->items[i];

		add_field(&sb, r->id);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->thread);
		sbuf_addf(&sb, "\t%lld\t", (long long)r->date);
		add_field(&sb, r->parent);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->subject);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->from_name);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->from_email);
		sbuf_addch(&sb, '\t');
		add_given_list(&sb, &r->given);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->pwbot);
		sbuf_addch(&sb, '\t');
		add_list(&sb, &r->refs);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->applied_to);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->applied_by);
		sbuf_addch(&sb, '\t');
		add_list(&sb, &r->bot_items);
		sbuf_addch(&sb, '\t');
		add_field(&sb, r->pull_target);
		sbuf_addch(&sb, '\t');
		add_list(&sb, &r->shortlog);
		sbuf_addch(&sb, '\n');
	}
	ret = fs_write_atomic(path, sb.buf, sb.len, err);
	sbuf_release(&sb);
	return ret;
}

static char *dup_or_null(const char *s, size_t n)
{
	return n ? xstrndup(s, n) : NULL;
}

static void split_list(const char *s, size_t n, struct vec *out)
{
	const char *end = s + n;

	while (s < end) {
		const char *sep = memchr(s, '\x1f', (size_t)(end - s));
		size_t len = sep ? (size_t)(sep - s) : (size_t)(end - s);

		if (len)
			vec_push(out, xstrndup(s, len));
		s += len + 1;
	}
}

static int parse_given(const char *s, size_t n, struct vec *out)
{
	struct vec items = VEC_INIT;
	int ret = 0;

	split_list(s, n, &items);
	for (size_t i = 0; i < items.n && !ret; i++) {
		char *it = items.items[i];
		char *a = strchr(it, '\x1e'), *b = a ? strchr(a + 1, '\x1e') : NULL;
		struct mail_given *g;

		if (!b || a != it + 1) {
			ret = -1;
			break;
		}
		g = xcalloc(1, sizeof(*g));
		g->kind = it[0];
		g->email = xstrndup(a + 1, (size_t)(b - a - 1));
		g->name = b[1] ? xstrdup(b + 1) : NULL;
		vec_push(out, g);
	}
	vec_release_str(&items);
	return ret;
}

static int parse_record(const char *line, size_t len, struct mail_rec **out)
{
	const char *f[NFIELDS];
	size_t n[NFIELDS];
	const char *p = line, *end = line + len;
	struct mail_rec *r;
	long long date;
	char *num;

	for (int i = 0; i < NFIELDS; i++) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));

		if (!tab && i != NFIELDS - 1)
			return -1;
		f[i] = p;
		n[i] = tab ? (size_t)(tab - p) : (size_t)(end - p);
		p += n[i] + 1;
	}
	if (!n[0] || !n[1] || !n[6])
		return -1;
	num = xstrndup(f[2], n[2]);
	date = strtoll(num, NULL, 10);
	free(num);
	r = xcalloc(1, sizeof(*r));
	r->id = xstrndup(f[0], n[0]);
	r->thread = xstrndup(f[1], n[1]);
	r->date = (time_t)date;
	r->parent = dup_or_null(f[3], n[3]);
	r->subject = xstrndup(f[4], n[4]);
	r->from_name = dup_or_null(f[5], n[5]);
	r->from_email = xstrndup(f[6], n[6]);
	if (parse_given(f[7], n[7], &r->given)) {
		mail_rec_free(r);
		return -1;
	}
	r->pwbot = dup_or_null(f[8], n[8]);
	split_list(f[9], n[9], &r->refs);
	r->applied_to = dup_or_null(f[10], n[10]);
	r->applied_by = dup_or_null(f[11], n[11]);
	split_list(f[12], n[12], &r->bot_items);
	r->pull_target = dup_or_null(f[13], n[13]);
	split_list(f[14], n[14], &r->shortlog);
	mail_rec_derive(r);
	*out = r;
	return 0;
}

int mail_cache_read_records(const char *path, char **uuid,
			    unsigned long *revision, struct vec *recs,
			    struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	char head_uuid[128];
	unsigned long rev;
	size_t count, lineno = 1;
	int format, ret;
	const char *p, *end;

	ret = sbuf_read_file(&sb, path, CACHE_MAX, err);
	if (ret)
		goto out;
	if (sscanf(sb.buf, "vger-records %d %127s %lu %zu\n", &format,
		   head_uuid, &rev, &count) != 4 || format != RECORDS_FORMAT) {
		ret = err_set(err, ERR_PARSE, "%s: not a vger records cache "
			      "of format %d", path, RECORDS_FORMAT);
		goto out;
	}
	p = sb.buf + str_line_len(sb.buf) + 1;
	end = sb.buf + sb.len;
	while (p < end) {
		size_t len = str_line_len(p);
		struct mail_rec *r;

		lineno++;
		if (p + len >= end || parse_record(p, len, &r)) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: bad record",
				      path, lineno);
			goto out;
		}
		vec_push(recs, r);
		p += len + 1;
	}
	if (recs->n != count) {
		ret = err_set(err, ERR_PARSE, "%s: %zu records, header says "
			      "%zu", path, recs->n, count);
		goto out;
	}
	*uuid = xstrdup(head_uuid);
	*revision = rev;
out:
	if (ret)
		vec_release(recs, (void (*)(void *))mail_rec_free);
	sbuf_release(&sb);
	return ret;
}

/* ---- the listing ---- */

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *jstrings(const struct vec *v)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < v->n; i++)
		json_object_array_add(a, json_object_new_string(v->items[i]));
	return a;
}

static json_object *jgiven(const struct vec *v)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < v->n; i++) {
		const struct mail_given *g = v->items[i];
		json_object *o = json_object_new_object();
		char k[2] = { g->kind, '\0' };

		json_object_object_add(o, "k", json_object_new_string(k));
		json_object_object_add(o, "e", jstr(g->email));
		json_object_object_add(o, "n", jstr(g->name));
		json_object_object_add(o, "m", jstr(g->message_id));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *series_to_json(const struct mail_series *s)
{
	json_object *o = json_object_new_object();
	json_object *vs = json_object_new_array();

	json_object_object_add(o, "title", jstr(s->title));
	json_object_object_add(o, "an", jstr(s->author_name));
	json_object_object_add(o, "ae", jstr(s->author_email));
	json_object_object_add(o, "tree", jstr(s->tree));
	json_object_object_add(o, "last", json_object_new_int64(
				       (int64_t)s->last_activity));
	for (size_t i = 0; i < s->versions.n; i++) {
		const struct mail_version *v = s->versions.items[i];
		json_object *jv = json_object_new_object();
		json_object *ps = json_object_new_array();

		json_object_object_add(jv, "v", json_object_new_int((int)v->version));
		json_object_object_add(jv, "f", json_object_new_int((int)v->flags));
		json_object_object_add(jv, "tree", jstr(v->tree));
		json_object_object_add(jv, "id", jstr(v->message_id));
		json_object_object_add(jv, "th", jstr(v->thread));
		json_object_object_add(jv, "d", json_object_new_int64(v->date));
		json_object_object_add(jv, "last",
				       json_object_new_int64(v->last_activity));
		json_object_object_add(jv, "exp",
				       json_object_new_int((int)v->patches_expected));
		json_object_object_add(jv, "rcv",
				       json_object_new_int((int)v->patches_received));
		json_object_object_add(jv, "cover",
				       json_object_new_boolean(v->has_cover));
		json_object_object_add(jv, "state",
				       json_object_new_int((int)v->state));
		json_object_object_add(jv, "at", jstr(v->applied_to));
		json_object_object_add(jv, "by", jstr(v->applied_by));
		json_object_object_add(jv, "pull", jstr(v->pull_request));
		json_object_object_add(jv, "pw", jstr(v->pwbot));
		json_object_object_add(jv, "given", jgiven(&v->given));
		json_object_object_add(jv, "rep", jstrings(&v->repliers));
		json_object_object_add(jv, "ids", jstrings(&v->message_ids));
		for (size_t j = 0; j < v->patches.n; j++) {
			const struct mail_patch *p = v->patches.items[j];
			json_object *jp = json_object_new_object();

			json_object_object_add(jp, "i",
					       json_object_new_int((int)p->index));
			json_object_object_add(jp, "id", jstr(p->message_id));
			json_object_object_add(jp, "t", jstr(p->title));
			json_object_object_add(jp, "c", jstr(p->commit));
			json_object_object_add(jp, "given", jgiven(&p->given));
			json_object_array_add(ps, jp);
		}
		json_object_object_add(jv, "patches", ps);
		json_object_array_add(vs, jv);
	}
	json_object_object_add(o, "versions", vs);
	return o;
}

static json_object *pull_to_json(const struct mail_pullreq *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", jstr(p->message_id));
	json_object_object_add(o, "tree", jstr(p->tree));
	json_object_object_add(o, "date", jstr(p->date));
	json_object_object_add(o, "target", jstr(p->target));
	json_object_object_add(o, "from", jstr(p->from));
	json_object_object_add(o, "posted", json_object_new_int64(p->posted));
	json_object_object_add(o, "n", json_object_new_int((int)p->ncommits));
	json_object_object_add(o, "at", jstr(p->applied_to));
	json_object_object_add(o, "series", jstrings(&p->series));
	json_object_object_add(o, "titles", jstrings(&p->titles));
	return o;
}

int mail_cache_write_model(const char *path, const char *uuid,
			   const struct mail_model *m, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	/* Pulls first: there are few, and a listing reads them all. */
	sbuf_addf(&sb, "vger-series %d %s %lu %zu %zu\n", LISTING_FORMAT, uuid,
		  m->revision, m->pulls.n, m->series.n);
	for (size_t i = 0; i < m->pulls.n; i++) {
		json_object *o = pull_to_json(m->pulls.items[i]);

		sbuf_addstr(&sb, json_object_to_json_string_ext(
				    o, JSON_C_TO_STRING_PLAIN));
		sbuf_addch(&sb, '\n');
		json_object_put(o);
	}
	for (size_t i = 0; i < m->series.n; i++) {
		json_object *o = series_to_json(m->series.items[i]);

		sbuf_addstr(&sb, json_object_to_json_string_ext(
				    o, JSON_C_TO_STRING_PLAIN));
		sbuf_addch(&sb, '\n');
		json_object_put(o);
	}
	ret = fs_write_atomic(path, sb.buf, sb.len, err);
	sbuf_release(&sb);
	return ret;
}

static char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return xstrdup(json_object_get_string(v));
}

static int64_t get_int(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_int64(v);
}

static json_object *get_array(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static void get_strings(json_object *o, const char *key, struct vec *out)
{
	json_object *a = get_array(o, key);

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *s = json_object_array_get_idx(a, i);

		if (json_object_is_type(s, json_type_string))
			vec_push_str(out, json_object_get_string(s));
	}
}

static void get_given(json_object *o, struct vec *out)
{
	json_object *a = get_array(o, "given");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *jg = json_object_array_get_idx(a, i);
		struct mail_given *g = xcalloc(1, sizeof(*g));
		char *k = get_str(jg, "k");

		g->kind = k && *k ? k[0] : '?';
		free(k);
		g->email = get_str(jg, "e");
		g->name = get_str(jg, "n");
		g->message_id = get_str(jg, "m");
		if (!g->email)
			g->email = xstrdup("");
		vec_push(out, g);
	}
}

static struct mail_series *series_from_json(json_object *o)
{
	struct mail_series *s = xcalloc(1, sizeof(*s));
	json_object *vs = get_array(o, "versions");

	s->title = get_str(o, "title");
	s->author_name = get_str(o, "an");
	s->author_email = get_str(o, "ae");
	s->tree = get_str(o, "tree");
	s->last_activity = (time_t)get_int(o, "last");
	if (!s->title || !s->author_email || !vs ||
	    !json_object_array_length(vs)) {
		mail_series_free(s);
		return NULL;
	}
	for (size_t i = 0; i < json_object_array_length(vs); i++) {
		json_object *jv = json_object_array_get_idx(vs, i);
		struct mail_version *v = xcalloc(1, sizeof(*v));
		json_object *ps = get_array(jv, "patches");

		v->version = (unsigned)get_int(jv, "v");
		v->flags = (unsigned)get_int(jv, "f");
		v->tree = get_str(jv, "tree");
		v->message_id = get_str(jv, "id");
		v->thread = get_str(jv, "th");
		v->date = (time_t)get_int(jv, "d");
		v->last_activity = (time_t)get_int(jv, "last");
		v->patches_expected = (unsigned)get_int(jv, "exp");
		v->patches_received = (unsigned)get_int(jv, "rcv");
		v->has_cover = (int)get_int(jv, "cover");
		v->state = (enum mail_state)get_int(jv, "state");
		v->applied_to = get_str(jv, "at");
		v->applied_by = get_str(jv, "by");
		v->pull_request = get_str(jv, "pull");
		v->pwbot = get_str(jv, "pw");
		get_given(jv, &v->given);
		get_strings(jv, "rep", &v->repliers);
		get_strings(jv, "ids", &v->message_ids);
		for (size_t j = 0; ps && j < json_object_array_length(ps); j++) {
			json_object *jp = json_object_array_get_idx(ps, j);
			struct mail_patch *p = xcalloc(1, sizeof(*p));

			p->index = (unsigned)get_int(jp, "i");
			p->message_id = get_str(jp, "id");
			p->title = get_str(jp, "t");
			p->commit = get_str(jp, "c");
			get_given(jp, &p->given);
			vec_push(&v->patches, p);
		}
		vec_push(&s->versions, v);
		if (!v->message_id) {
			mail_series_free(s);
			return NULL;
		}
	}
	return s;
}

static struct mail_pullreq *pull_from_json(json_object *o)
{
	struct mail_pullreq *p = xcalloc(1, sizeof(*p));

	p->message_id = get_str(o, "id");
	p->tree = get_str(o, "tree");
	p->date = get_str(o, "date");
	p->target = get_str(o, "target");
	p->from = get_str(o, "from");
	p->posted = (time_t)get_int(o, "posted");
	p->ncommits = (unsigned)get_int(o, "n");
	p->applied_to = get_str(o, "at");
	get_strings(o, "series", &p->series);
	get_strings(o, "titles", &p->titles);
	if (!p->message_id) {
		mail_pullreq_free(p);
		return NULL;
	}
	return p;
}

int mail_cache_read_model(const char *path, const char *uuid,
			  unsigned long revision, size_t limit,
			  struct mail_model *m, struct err *err)
{
	FILE *f = fopen(path, "re");
	char head_uuid[128];
	unsigned long rev;
	size_t nseries, npulls, lineno = 1;
	int format, ret = 0;
	char *line = NULL;
	size_t cap = 0;
	json_tokener *tok = NULL;

	if (!f)
		return err_set(err, ERR_NOTFOUND, "%s: no cache", path);
	if (fscanf(f, "vger-series %d %127s %lu %zu %zu\n", &format,
		   head_uuid, &rev, &npulls, &nseries) != 5 ||
	    format != LISTING_FORMAT || strcmp(head_uuid, uuid) ||
	    rev != revision) {
		ret = err_set(err, ERR_PARSE, "%s: stale or foreign", path);
		goto out;
	}
	tok = json_tokener_new();
	if (limit && limit < nseries)
		nseries = limit;	/* the rest is not read at all */
	for (size_t i = 0; i < npulls + nseries; i++) {
		ssize_t n = getline(&line, &cap, f);
		json_object *o;
		int is_series = i >= npulls;

		lineno++;
		if (n <= 0) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: truncated",
				      path, lineno);
			goto out;
		}
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, line, (int)n);
		if (!o) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: bad JSON", path,
				      lineno);
			goto out;
		}
		if (is_series) {
			struct mail_series *s = series_from_json(o);

			if (s)
				vec_push(&m->series, s);
			else
				ret = -1;
		} else {
			struct mail_pullreq *p = pull_from_json(o);

			if (p)
				vec_push(&m->pulls, p);
			else
				ret = -1;
		}
		json_object_put(o);
		if (ret) {
			ret = err_set(err, ERR_PARSE, "%s:%zu: bad entry",
				      path, lineno);
			goto out;
		}
	}
out:
	if (tok)
		json_tokener_free(tok);
	free(line);
	fclose(f);
	return ret;
}
