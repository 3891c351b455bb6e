/*
 * Bringing the cache up to date from patchwork's REST API (v1.3):
 *
 *   /api/1.3/patches/?project=P&since=D&order=id&per_page=N
 *	every patch submitted since D: its state, delegate, series and
 *	the combined check, oldest first;
 *   /api/1.3/events/?project=P&since=D&order=date
 *	what happened since D, oldest first: patch-created,
 *	patch-state-changed, patch-delegated, check-created (one CI
 *	check with its context, state and link).
 *
 * Both lists page along the Link header's rel="next".  Events replayed
 * in date order leave every patch in its newest state, also for
 * patches older than the patch list reaches.  A page is applied only
 * when the whole of it parsed, so a bad page changes nothing.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patchwork/private.h"
#include "util/err.h"
#include "util/http.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* What a 429 without Retry-After makes us wait. */
#define PW_DEFAULT_BACKOFF 60
/* Nor do we believe a server asking for more than a day. */
#define PW_MAX_BACKOFF 86400

enum list { LIST_PATCHES, LIST_EVENTS };

struct run {
	struct pw_db *db;
	const struct pw_sync_options *o;
	struct pw_sync_result *res;
	time_t now;
	struct timespec start;
	time_t ims;		/* If-Modified-Since for first pages, or 0 */
};

static long elapsed_ms(const struct run *r)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)(ts.tv_sec - r->start.tv_sec) * 1000 +
	       (ts.tv_nsec - r->start.tv_nsec) / 1000000;
}

/* patchwork's own date form, in UTC: "2025-06-01T12:00:00". */
static void iso_date(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Requests in the last minute, from the ring in the cache. */
static unsigned requests_last_minute(const struct pw_db *db, time_t now)
{
	unsigned n = 0;

	for (int i = 0; i < PW_RATE_SLOTS; i++)
		if (db->requests[i] && now - db->requests[i] < 60 &&
		    db->requests[i] <= now)
			n++;
	return n;
}

static void note_request(struct pw_db *db, time_t now)
{
	int oldest = 0;

	for (int i = 1; i < PW_RATE_SLOTS; i++)
		if (db->requests[i] < db->requests[oldest])
			oldest = i;
	db->requests[oldest] = now;
}

/* ---- reading a page ---- */

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int jlong(struct json_object *o, const char *key, long *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	*out = (long)json_object_get_int64(v);
	return 0;
}

static struct json_object *jobj(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/* A patch object (in the list or an event's payload) that names one. */
static int patch_ok(struct json_object *p)
{
	long id;

	return p && !jlong(p, "id", &id) && id > 0 && jstr(p, "msgid") &&
	       *jstr(p, "msgid");
}

/* The patch p names, made when new; the fields both shapes carry. */
static struct pw_patch *take_patch(struct run *r, struct json_object *p,
				   int *changed)
{
	long id = 0;
	const char *msgid = jstr(p, "msgid");
	struct pw_patch *pp;

	jlong(p, "id", &id);
	pp = pw_db_get(r->db, id, msgid);
	if (!pp) {
		pp = pw_db_add(r->db, id, msgid);
		*changed = 1;
	}
	if (jstr(p, "name"))
		*changed |= pw_set_str(&pp->name, jstr(p, "name"));
	if (jstr(p, "web_url"))
		*changed |= pw_set_str(&pp->web_url, jstr(p, "web_url"));
	if (jstr(p, "date"))
		*changed |= pw_set_str(&pp->date, jstr(p, "date"));
	return pp;
}

/*
 * A state as patchwork names them ("changes-requested"); instances add
 * their own, so any slug is taken, but nothing else: it is printed.
 */
static const char *slug(const char *s)
{
	size_t n = s ? strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") :
		       0;

	return s && n && n <= 40 && !s[n] ? s : NULL;
}

static const char *delegate_name(struct json_object *d)
{
	return d ? jstr(d, "username") : NULL;
}

static int apply_patch(struct run *r, struct json_object *p)
{
	struct pw_patch *pp;
	struct json_object *series;
	const char *state = slug(jstr(p, "state")), *check = jstr(p, "check");
	int changed = 0;

	pp = take_patch(r, p, &changed);
	if (state)
		changed |= pw_set_str(&pp->state, state);
	changed |= pw_set_str(&pp->delegate,
			      delegate_name(jobj(p, "delegate")));
	if (json_object_object_get_ex(p, "series", &series) &&
	    json_object_is_type(series, json_type_array) &&
	    json_object_array_length(series) > 0) {
		long sid = 0;

		jlong(json_object_array_get_idx(series, 0), "id", &sid);
		changed |= pp->series != sid;
		pp->series = sid;
	}
	if (check) {
		int c = pw_check_state_parse(check);

		changed |= pp->check != c;
		pp->check = c;
	}
	return changed;
}

/* One event; 1 when it changed something. */
static int apply_event(struct run *r, struct json_object *e)
{
	const char *cat = jstr(e, "category");
	struct json_object *pl = jobj(e, "payload"), *p, *c;
	struct pw_patch *pp;
	int changed = 0;

	p = pl ? jobj(pl, "patch") : NULL;
	if (!cat || !patch_ok(p))
		return 0;	/* a series or cover event: not ours */
	if (strcmp(cat, "patch-created") && strcmp(cat, "patch-completed") &&
	    strcmp(cat, "patch-state-changed") &&
	    strcmp(cat, "patch-delegated") && strcmp(cat, "check-created"))
		return 0;
	pp = take_patch(r, p, &changed);
	if (!pp->state)
		changed |= pw_set_str(&pp->state, "new");
	if (!strcmp(cat, "patch-state-changed") &&
	    slug(jstr(pl, "current_state")))
		changed |= pw_set_str(&pp->state, jstr(pl, "current_state"));
	if (!strcmp(cat, "patch-delegated"))
		changed |= pw_set_str(&pp->delegate,
				      delegate_name(jobj(pl,
							 "current_delegate")));
	c = jobj(pl, "check");
	if (!strcmp(cat, "check-created") && c) {
		long id = 0;
		int st = pw_check_state_parse(jstr(c, "state"));
		const char *ctx = jstr(c, "context");

		if (!jlong(c, "id", &id) && st >= 0 && ctx && *ctx)
			changed |= pw_patch_set_check(pp, id,
						      (enum pw_check_state)st,
						      ctx,
						      jstr(c, "target_url"));
	}
	return changed;
}

/*
 * Check that body is a page of the list (a JSON array of objects each
 * naming what it must), then apply it; *newest becomes the latest date
 * on it.  Nothing is applied from a page that fails.
 */
static int apply_page(struct run *r, enum list which, const char *url,
		      const struct sbuf *body, char **newest,
		      struct err *err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *page;
	enum json_tokener_error jerr;
	size_t n;

	page = json_tokener_parse_ex(tok, body->buf, (int)body->len);
	jerr = json_tokener_get_error(tok);
	if (page && json_tokener_get_parse_end(tok) < body->len) {
		/* Trailing text after the value. */
		json_object_put(page);
		page = NULL;
		jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (!page) {
		return err_set(err, ERR_PARSE, "%s: not patchwork's JSON: %s",
			       url, jerr == json_tokener_continue ?
			       "it ends too soon" :
			       json_tokener_error_desc(jerr));
	}
	if (!json_object_is_type(page, json_type_array)) {
		json_object_put(page);
		return err_set(err, ERR_PARSE, "%s: not a list of %s", url,
			       which == LIST_PATCHES ? "patches" : "events");
	}
	n = json_object_array_length(page);
	for (size_t i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(page, i);
		long id;

		if (!json_object_is_type(it, json_type_object) ||
		    jlong(it, "id", &id) || !jstr(it, "date") ||
		    (which == LIST_PATCHES && !patch_ok(it)) ||
		    (which == LIST_EVENTS && !jstr(it, "category"))) {
			json_object_put(page);
			return err_set(err, ERR_PARSE, "%s: item %zu is not "
				       "a patchwork %s", url, i + 1,
				       which == LIST_PATCHES ? "patch" :
				       "event");
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(page, i);
		const char *date = jstr(it, "date");

		if (which == LIST_PATCHES)
			r->res->patches += apply_patch(r, it);
		else
			r->res->events += apply_event(r, it);
		/* ISO dates of one form compare as strings. */
		if (!*newest || strcmp(date, *newest) > 0)
			pw_set_str(newest, date);
	}
	json_object_put(page);
	r->res->pages++;
	return 0;
}

/* Say why the sync stops early, without an error. */
static int stop(struct run *r, const char *fmt, long v)
{
	snprintf(r->res->stopped, sizeof(r->res->stopped), fmt, v);
	return 1;
}

/*
 * Walk one list from where it stopped (or from since) to its end.
 * 0 at the end, 1 stopped early (r->res->stopped says why), < 0 an
 * error.
 */
static int walk(struct run *r, enum list which, struct err *err)
{
	const struct pw_sync_options *o = r->o;
	struct pw_db *db = r->db;
	char **resume = which == LIST_PATCHES ? &db->resume_patches :
						&db->resume_events;
	char **since = which == LIST_PATCHES ? &db->patches_since :
					       &db->events_since;
	struct sbuf url = SBUF_INIT, body = SBUF_INIT;
	char *newest = NULL, first[32];
	int ret = 0, first_page;

	iso_date(r->now - (time_t)o->first_days * 86400, first, sizeof(first));
	if (*resume) {
		sbuf_addstr(&url, *resume);
		first_page = 0;
	} else {
		struct sbuf base = SBUF_INIT;

		sbuf_addstr(&base, o->url);
		sbuf_rtrim(&base);
		while (base.len && base.buf[base.len - 1] == '/')
			sbuf_setlen(&base, base.len - 1);
		/* The project and dates are [A-Za-z0-9:_.-] (checked in
		 * pw_sync()): nothing to escape. */
		sbuf_addf(&url, "%s/api/1.3/%s/?project=%s&since=%s",
			  base.buf, which == LIST_PATCHES ? "patches" :
			  "events", o->project, *since ? *since : first);
		if (which == LIST_PATCHES)
			sbuf_addf(&url, "&order=id&per_page=%u", o->per_page);
		else
			sbuf_addstr(&url, "&order=date");
		sbuf_release(&base);
		first_page = 1;
	}
	for (;;) {
		struct http_response resp = HTTP_RESPONSE_INIT;
		struct http_get req = { NULL, 0, 0, 0, 0 };
		long left = o->timeout_ms - elapsed_ms(r);

		if (r->res->requests >= o->max_requests) {
			ret = stop(r, "stopped after %ld requests; the next "
				   "sync goes on", (long)o->max_requests);
			break;
		}
		if (requests_last_minute(db, r->now) >= o->rate_per_minute) {
			ret = stop(r, "at most %ld requests a minute; the next "
				   "sync goes on", (long)o->rate_per_minute);
			break;
		}
		if (left <= 0) {
			ret = err_set(err, ERR_HTTP, "%s: the %ld ms time "
				      "limit is spent", url.buf,
				      o->timeout_ms);
			break;
		}
		note_request(db, r->now);
		r->res->requests++;
		req.url = url.buf;
		req.timeout_ms = left;
		req.max = o->max_body;
		req.if_modified_since = first_page ? r->ims : 0;
		ret = http_get(&req, &body, &resp, err);
		if (ret < 0)
			break;
		if (resp.status == 304 || resp.not_modified) {
			r->res->not_modified = 1;
			http_response_release(&resp);
			break;
		}
		if (resp.status == 429 || resp.status == 503) {
			long wait = resp.retry_after > 0 ? resp.retry_after :
				    PW_DEFAULT_BACKOFF;

			if (wait > PW_MAX_BACKOFF)
				wait = PW_MAX_BACKOFF;
			db->retry_after = r->now + wait;
			ret = err_set(err, ERR_HTTP, "HTTP %ld from %s: "
				      "waiting %ld s as it asks",
				      resp.status, url.buf, wait);
			http_response_release(&resp);
			break;
		}
		if (resp.status != 200) {
			ret = err_set(err, ERR_HTTP, "HTTP %ld from %s",
				      resp.status, url.buf);
			http_response_release(&resp);
			break;
		}
		if (resp.next && !strcmp(resp.next, url.buf)) {
			http_response_release(&resp);
			ret = err_set(err, ERR_PARSE, "%s: the next page is "
				      "this page", url.buf);
			break;
		}
		if (first_page)
			db->last_modified = resp.last_modified;
		ret = apply_page(r, which, url.buf, &body, &newest, err);
		if (ret < 0) {
			http_response_release(&resp);
			break;
		}
		db->fetched = r->now;
		if (!resp.next)
			break;
		/* Resume here if stopped before the end. */
		pw_set_str(resume, resp.next);
		sbuf_reset(&url);
		sbuf_addstr(&url, resp.next);
		http_response_release(&resp);
		first_page = 0;
	}
	if (ret == 0) {
		/* The end: the next sync starts at the newest date seen. */
		pw_set_str(resume, NULL);
		if (newest && (!*since || strcmp(newest, *since) > 0))
			pw_set_str(since, newest);
		else if (!*since && !newest)
			pw_set_str(since, first);
	}
	free(newest);
	sbuf_release(&url);
	sbuf_release(&body);
	return ret;
}

int pw_sync(struct pw_db *db, const struct pw_sync_options *o,
	    struct pw_sync_result *res, struct err *err)
{
	struct run r = { db, o, res, o->now ? o->now : time(NULL), { 0, 0 },
			 db->last_modified && !db->resume_patches &&
			 !db->resume_events ? db->fetched : 0 };
	int ret;

	memset(res, 0, sizeof(*res));
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	if (!*o->project || strspn(o->project, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
	    != strlen(o->project))
		return err_set(err, ERR_PARSE, "patchwork project \"%s\": "
			       "not a project's name", o->project);
	if (db->retry_after > r.now) {
		stop(&r, "the server asked for no request for %ld s more",
		     (long)(db->retry_after - r.now));
		return 0;
	}
	/* Events left mid-way: the patch list was done; finish them first
	 * rather than spend the requests on the patches again. */
	ret = db->resume_events ? 0 : walk(&r, LIST_PATCHES, err);
	if (ret == 0)
		ret = walk(&r, LIST_EVENTS, err);
	if (ret < 0) {
		pw_set_str(&db->error, err ? err->msg : "failed");
		db->error_time = r.now;
		return ret;
	}
	if (ret == 0) {
		res->complete = 1;
		db->synced = r.now;
		pw_set_str(&db->error, NULL);
		db->error_time = 0;
	}
	return 0;
}
