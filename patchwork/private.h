/* Shared inside patchwork/ only: the cache's patches and HTTP. */
#ifndef PATCHWORK_PRIVATE_H
#define PATCHWORK_PRIVATE_H

#include <stddef.h>
#include <time.h>

#include "patchwork/pw.h"

struct err;
struct sbuf;

/* A patch new in db (msgid without brackets; strings copied). */
struct pw_patch *pw_db_add(struct pw_db *db, long id, const char *msgid);
/* The patch with this id and msgid (brackets or not), or NULL. */
struct pw_patch *pw_db_get(struct pw_db *db, long id, const char *msgid);
/* Set *field to a copy of s (NULL clears); whether it changed. */
int pw_set_str(char **field, const char *s);
/* Put check on p: it takes the place of an older one of its context. */
int pw_patch_set_check(struct pw_patch *p, long id,
		       enum pw_check_state state, const char *context,
		       const char *url);

/* The two lists a sync reads (patchwork/sync.c). */
enum pw_list { PW_LIST_PATCHES, PW_LIST_EVENTS };

/*
 * Check that body (len bytes) is a page of the list which (a JSON
 * array of objects each naming what it must), then apply it to db:
 * *changed grows by the patches new or changed (events applied); the
 * latest date on it becomes *newest when later.  Nothing is applied
 * from a page that fails: ERR_PARSE naming url.
 */
int pw_apply_page(struct pw_db *db, enum pw_list which, const char *url,
		  const char *body, size_t len, char **newest,
		  unsigned *changed, struct err *err);

/* One HTTP response. */
struct pw_response {
	long status;		/* 200, 304, 404, 429 ... */
	char *next;		/* the Link header's rel="next", or NULL */
	long retry_after;	/* seconds a 429 or 503 asked for, or -1 */
	int last_modified;	/* the server sent Last-Modified */
};

/*
 * GET url into body (at most max bytes) within timeout_ms, following
 * at most 3 redirects; ims (0: none) as If-Modified-Since.  0 with
 * res filled for any HTTP status (the caller judges it), < 0 with err
 * for the network, the time limit, a redirect loop or a body too big.
 * Free res->next.
 */
int pw_http_get(const char *url, long timeout_ms, size_t max, time_t ims,
		struct sbuf *body, struct pw_response *res, struct err *err);

#endif
