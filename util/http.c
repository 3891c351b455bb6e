/*
 * One bounded GET with libcurl (util/http.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "util/curl.h"
#include "util/err.h"
#include "util/http.h"
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

/* Written by hand: libcurl does not parse Link, nor does json-c. */
char *http_link_next(const char *s)
{
	while (s && *s) {
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

int http_get(const struct http_get *req, struct sbuf *body,
	     struct http_response *res, struct err *err)
{
	struct ctx c = { body, req->max, 0, SBUF_INIT, 0 };
	curl_off_t retry = -1;
	CURL *curl;
	CURLcode rc;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	res->retry_after = -1;
	sbuf_reset(body);
	if (req->timeout_ms < 1)
		return err_set(err, ERR_HTTP, "%s: no time left", req->url);
	curl = curl_easy_init();
	if (!curl)
		return err_set(err, ERR_HTTP, "%s", util_curl_error() ?
			       util_curl_error() : "cannot start libcurl");
	curl_easy_setopt(curl, CURLOPT_URL, req->url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &c);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, req->allow_file ?
			 "http,https,file" : "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* Inflated by libcurl, through on_data: a bomb meets the cap. */
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "vger/" PACKAGE_VERSION);
	if (req->if_modified_since > 0) {
		curl_easy_setopt(curl, CURLOPT_TIMECONDITION,
				 (long)CURL_TIMECOND_IFMODSINCE);
		curl_easy_setopt(curl, CURLOPT_TIMEVALUE_LARGE,
				 (curl_off_t)req->if_modified_since);
	}
	rc = curl_easy_perform(curl);
	if (c.too_big) {
		ret = err_set(err, ERR_HTTP, "%s: larger than %zu bytes",
			      req->url, req->max);
		goto out;
	}
	/*
	 * libcurl refuses a header line over 100 KB as "Out of memory",
	 * which is not what happened (vger's own allocations abort).
	 */
	if (rc == CURLE_OUT_OF_MEMORY) {
		ret = err_set(err, ERR_HTTP, "%s: an answer libcurl cannot "
			      "hold (a header line over 100 KB)", req->url);
		goto out;
	}
	if (rc != CURLE_OK) {
		ret = err_set(err, ERR_HTTP, "%s: %s", req->url,
			      curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res->status);
	if (req->if_modified_since > 0 && res->status == 200) {
		long unmet = 0;

		curl_easy_getinfo(curl, CURLINFO_CONDITION_UNMET, &unmet);
		res->not_modified = unmet != 0;
	}
	/* libcurl reads both forms (seconds and an HTTP date). */
	if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry) ==
	    CURLE_OK && retry > 0)
		res->retry_after = (long)retry;
	res->next = http_link_next(c.link.buf);
	res->last_modified = c.last_modified;
out:
	curl_easy_cleanup(curl);
	sbuf_release(&c.link);
	if (ret < 0)
		sbuf_reset(body);
	return ret;
}

void http_response_release(struct http_response *res)
{
	free(res->next);
	res->next = NULL;
}
