/*
 * One bounded GET with libcurl, the way vger fetches anything from the
 * web (releases.json, the net-next status page, patchwork's API): a hard
 * time limit for the whole exchange, a cap on the body, at most three
 * redirects and only to http(s), compressed answers accepted and their
 * inflated size capped the same, vger's User-Agent.  What a caller
 * decides (whether a 404 is an error, what a 304 means) stays with it.
 */
#ifndef UTIL_HTTP_H
#define UTIL_HTTP_H

#include <stddef.h>
#include <time.h>

struct err;
struct sbuf;

struct http_get {
	const char *url;
	long timeout_ms;	/* the whole exchange, connecting included */
	size_t max;		/* bytes of body at most (inflated) */
	int allow_file;		/* file:// too (a local copy of a document) */
	time_t if_modified_since;	/* 0: none */
};

struct http_response {
	long status;		/* HTTP status; 0 for file:// */
	/* A 200 older than if_modified_since: libcurl dropped the body. */
	int not_modified;
	long retry_after;	/* Retry-After in seconds, or -1 */
	char *next;		/* Link: rel="next" target, or NULL */
	int last_modified;	/* the answer had a Last-Modified header */
};

#define HTTP_RESPONSE_INIT { 0, 0, -1, NULL, 0 }

/*
 * GET req->url into body (reset first).  0 when an answer came,
 * whatever its status (in res); a negative err code when none did
 * (ERR_HTTP naming the URL and the cause: time limit, connection,
 * redirects, the body over req->max).
 */
int http_get(const struct http_get *req, struct sbuf *body,
	     struct http_response *res, struct err *err);
void http_response_release(struct http_response *res);

/*
 * The rel="next" target of a Link header value (RFC 8288), as
 * `<https://...?page=2>; rel="next", <...>; rel="prev"`, or NULL.
 */
char *http_link_next(const char *value);

#endif
