/*
 * One GET of a patchwork API page with libcurl: a hard time limit, a
 * size cap, few redirects, If-Modified-Since when asked, and the two
 * headers the sync needs (Link's rel="next", Retry-After).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "patchwork/private.h"
#include "util/curl.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* A header line longer than this is not one we read. */
#define HEADER_MAX 8192

struct ctx {
	struct sbuf *body;
	size_t max;
	int too_big;
	struct sbuf link;	/* the last response's Link header */
	int last_modified;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *p)
{
	struct ctx *c = p;
	size_t n = size * nmemb;

	if (c->body->len + n > c->max) {
		c->too_big = 1;
		return 0;	/* makes curl stop with CURLE_WRITE_ERROR */
	}
	sbuf_add(c->body, data, n);
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *p)
{
	struct ctx *c = p;
	size_t n = size * nmemb;

	/* A status line starts a new response (after a redirect). */
	if (n >= 5 && !strncmp(data, "HTTP/", 5)) {
		sbuf_reset(&c->link);
		c->last_modified = 0;
	} else if (n > 5 && n < HEADER_MAX && !strncasecmp(data, "link:", 5)) {
		sbuf_reset(&c->link);
		sbuf_add(&c->link, data + 5, n - 5);
	} else if (n > 14 && !strncasecmp(data, "last-modified:", 14)) {
		c->last_modified = 1;
	}
	return n;
}

/*
 * The rel="next" target of a Link header (RFC 8288):
 * `<https://...?page=2>; rel="next", <...>; rel="prev"`.  Written by
 * hand: libcurl does not parse Link, and json-c is no help here.
 */
static char *link_next(const char *s)
{
	while (*s) {
		const char *lt = strchr(s, '<'), *gt, *end;

		if (!lt)
			return NULL;
		gt = strchr(lt, '>');
		if (!gt)
			return NULL;
		end = strchr(gt, ',');
		if (!end)
			end = gt + strlen(gt);
		for (const char *q = gt; q + 10 <= end; q++) {
			if (!strncmp(q, "rel=\"next\"", 10) ||
			    !strncmp(q, "rel=next", 8))
				return xstrndup(lt + 1, gt - lt - 1);
		}
		s = end;
	}
	return NULL;
}

int pw_http_get(const char *url, long timeout_ms, size_t max, time_t ims,
		struct sbuf *body, struct pw_response *res, struct err *err)
{
	struct ctx c = { body, max, 0, SBUF_INIT, 0 };
	CURL *curl;
	CURLcode rc;
	curl_off_t retry = -1;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	res->retry_after = -1;
	sbuf_reset(body);
	if (timeout_ms < 1)
		return err_set(err, ERR_HTTP, "%s: no time left", url);
	curl = curl_easy_init();
	if (!curl)
		return err_set(err, ERR_HTTP, "%s", util_curl_error() ?
			       util_curl_error() : "cannot start libcurl");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &c);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "vger/" PACKAGE_VERSION);
	if (ims > 0) {
		curl_easy_setopt(curl, CURLOPT_TIMECONDITION,
				 (long)CURL_TIMECOND_IFMODSINCE);
		curl_easy_setopt(curl, CURLOPT_TIMEVALUE_LARGE,
				 (curl_off_t)ims);
	}
	rc = curl_easy_perform(curl);
	if (c.too_big) {
		ret = err_set(err, ERR_HTTP, "%s: larger than %zu bytes", url,
			      max);
		goto out;
	}
	if (rc != CURLE_OK) {
		ret = err_set(err, ERR_HTTP, "%s: %s", url,
			      curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res->status);
	/* A 200 older than If-Modified-Since: curl dropped its body. */
	if (ims > 0 && res->status == 200) {
		long unmet = 0;

		curl_easy_getinfo(curl, CURLINFO_CONDITION_UNMET, &unmet);
		if (unmet)
			res->status = 304;
	}
	/* libcurl reads both forms (seconds and an HTTP date). */
	if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry) ==
	    CURLE_OK && retry > 0)
		res->retry_after = (long)retry;
	res->next = link_next(c.link.buf);
	res->last_modified = c.last_modified;
out:
	curl_easy_cleanup(curl);
	sbuf_release(&c.link);
	return ret;
}
