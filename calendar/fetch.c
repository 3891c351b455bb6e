/*
 * Fetching releases.json and the net-next status page with libcurl:
 * one GET with a hard time limit, a size cap and few redirects, and a
 * cache on disk whose modification time is the fetch time.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>

#include "calendar/private.h"
#include "config.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"

struct body {
	struct sbuf *sb;
	size_t max;
	int too_big;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct body *b = ctx;
	size_t n = size * nmemb;

	if (b->sb->len + n > b->max) {
		b->too_big = 1;
		return 0;	/* makes curl stop with CURLE_WRITE_ERROR */
	}
	sbuf_add(b->sb, data, n);
	return n;
}

int cal_fetch(const char *url, long timeout_ms, size_t max,
	      struct sbuf *sb, struct err *err)
{
	struct body b = { sb, max, 0 };
	CURL *curl;
	CURLcode res;
	long code = 0;
	int ret = 0;

	sbuf_reset(sb);
	curl = curl_easy_init();
	if (!curl)
		return err_set(err, ERR_HTTP, "cannot start libcurl");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "vger/" PACKAGE_VERSION);
	res = curl_easy_perform(curl);
	if (b.too_big) {
		ret = err_set(err, ERR_NOMEM, "%s: larger than %zu bytes",
			      url, max);
		goto out;
	}
	if (res != CURLE_OK) {
		ret = err_set(err, ERR_HTTP, "%s: %s", url,
			      curl_easy_strerror(res));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	/* file:// gives 0; a 3xx here is a redirect without a target. */
	if (code >= 300)
		ret = err_set(err, ERR_HTTP, "HTTP %ld from %s", code, url);
out:
	curl_easy_cleanup(curl);
	if (ret < 0)
		sbuf_reset(sb);
	return ret;
}

static void day_string(time_t t, char *out, size_t size)
{
	date_format_ymd(date_of_time(t), out, size);
}

/* Read the cache into body; 0 or -1 (with a note). */
static int read_cache(struct cal *cal, const struct cal_doc_req *req,
		      const char *path, struct sbuf *body)
{
	struct err err = ERR_INIT;

	if (sbuf_read_file(body, path, CAL_BODY_MAX, &err) < 0) {
		cal_note_add(cal, "%s: cache unreadable: %s", req->what,
			     err.msg);
		return -1;
	}
	return 0;
}

static void write_cache(struct cal *cal, const struct cal_doc_req *req,
			const char *path, const struct sbuf *body, time_t now)
{
	struct err err = ERR_INIT;
	struct timespec times[2];

	if (fs_mkdir_p(req->cache_dir, &err) < 0 ||
	    fs_write_atomic(path, body->buf, body->len, &err) < 0) {
		cal_note_add(cal, "%s: cannot cache: %s", req->what, err.msg);
		return;
	}
	/* The modification time is the fetch time, on our clock. */
	times[0].tv_sec = times[1].tv_sec = now;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	utimensat(AT_FDCWD, path, times, 0);
}

int cal_get_doc(struct cal *cal, const struct cal_doc_req *req,
		struct sbuf *body, time_t *fetched)
{
	time_t now = req->now ? req->now : time(NULL);
	char *path = req->cache_dir ? path_join(req->cache_dir, req->name)
				    : NULL;
	struct err err = ERR_INIT;
	struct stat st;
	int have_cache = path && !stat(path, &st) && S_ISREG(st.st_mode);
	int ret = -1;
	char day[16];

	if (have_cache)
		day_string(st.st_mtime, day, sizeof(day));
	if (have_cache && (req->offline || !req->url ||
			   now - st.st_mtime < req->refresh_secs)) {
		if (read_cache(cal, req, path, body) < 0)
			goto out;
		*fetched = st.st_mtime;
		if (now - st.st_mtime >= req->refresh_secs)
			cal_note_add(cal, "%s: offline; using the cache of %s",
				     req->what, day);
		ret = 0;
		goto out;
	}
	if (!req->url)
		goto out;
	/* Offline by request with nothing cached: nothing to say. */
	if (req->offline)
		goto out;
	if (cal_fetch(req->url, req->timeout_ms, CAL_BODY_MAX, body,
		      &err) == 0 &&
	    req->validate(body->buf, body->len, &err) == 0) {
		if (path)
			write_cache(cal, req, path, body, now);
		*fetched = now;
		ret = 0;
		goto out;
	}
	if (err.code == ERR_PARSE)
		err_prefix(&err, "%s", req->url);
	if (have_cache) {
		cal_note_add(cal, "%s: %s; using the cache of %s", req->what,
			     err.msg, day);
		if (read_cache(cal, req, path, body) == 0) {
			*fetched = st.st_mtime;
			ret = 0;
		}
	} else {
		cal_note_add(cal, "%s: %s; using the other sources",
			     req->what, err.msg);
	}
out:
	free(path);
	if (ret < 0)
		sbuf_reset(body);
	return ret;
}
