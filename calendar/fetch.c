/*
 * Fetching releases.json and the net-next status page (util/http.c:
 * one GET with a hard time limit, a size cap and few redirects), and a
 * cache on disk whose modification time is the fetch time.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "calendar/private.h"
#include "config.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/http.h"
#include "util/sbuf.h"

int cal_fetch(const char *url, long timeout_ms, size_t max,
	      struct sbuf *sb, struct err *err)
{
	struct http_get req = { url, timeout_ms, max, 1, 0 };
	struct http_response res = HTTP_RESPONSE_INIT;
	int ret = http_get(&req, sb, &res, err);

	/* file:// gives 0; a 3xx here is a redirect without a target. */
	if (!ret && res.status >= 300)
		ret = err_set(err, ERR_HTTP, "HTTP %ld from %s", res.status,
			      url);
	http_response_release(&res);
	if (ret < 0)
		sbuf_reset(sb);
	return ret;
}

static void day_string(time_t t, char *out, size_t size)
{
	date_format_ymd(date_of_time(t), out, size);
}

static long monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set path's modification time to t (our clock: opt->now in tests). */
static void set_mtime(const char *path, time_t t)
{
	struct timespec times[2];

	times[0].tv_sec = times[1].tv_sec = t;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	utimensat(AT_FDCWD, path, times, 0);
}

/* Read the cache into body; 0 or -1 (with a note). */
static int read_cache(struct cal *cal, const struct cal_doc_req *req,
		      const char *path, struct sbuf *body)
{
	struct err err = ERR_INIT;

	if (sbuf_read_regular(body, path, CAL_BODY_MAX, &err) < 0) {
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

	if (fs_mkdir_p(req->cache_dir, &err) < 0 ||
	    fs_write_atomic(path, body->buf, body->len, &err) < 0) {
		cal_note_add(cal, "%s: cannot cache: %s", req->what, err.msg);
		return;
	}
	/* The modification time is the fetch time, on our clock. */
	set_mtime(path, now);
}

/*
 * The cache at path: 1 when it is a file to use (*st filled), 0 when
 * there is none, -1 when something else is there.  A FIFO, a device
 * or a directory where the cache belongs is not vger's to read, write
 * into or replace (a link to /dev/null may be how someone keeps no
 * cache): it is said, left as it is, and the document got as if there
 * were no cache.
 */
static int cache_state(struct cal *cal, const struct cal_doc_req *req,
		       const char *path, struct stat *st)
{
	struct err err = ERR_INIT;
	int ret = fs_stat_regular(path, st, &err);

	if (ret == -ERR_IO) {
		cal_note_add(cal, "%s: the cache %s; left as it is, not used",
			     req->what, err.msg);
		return -1;
	}
	return !ret;
}

/* The last failed fetch, when it is recent enough not to retry. */
static int failed_recently(const char *failed, time_t now, time_t *when)
{
	struct stat st;

	if (!failed || stat(failed, &st))
		return 0;
	*when = st.st_mtime;
	return now - st.st_mtime >= 0 && now - st.st_mtime < CAL_RETRY_SECS;
}

/* A fetch: 0, or -1 with err set (the budget spent, HTTP, validation). */
static int fetch_valid(struct cal *cal, const struct cal_doc_req *req,
		       struct sbuf *body, struct err *err)
{
	long start = monotonic_ms();
	int ret;

	/* Less than this is not worth a connection. */
	if (cal->fetch_budget_ms < 100)
		return err_set(err, ERR_HTTP, "not fetched: the %ld ms "
			       "time limit is spent", CAL_TIMEOUT_MAX_MS);
	ret = cal_fetch(req->url, cal->fetch_budget_ms, CAL_BODY_MAX, body,
			err);
	cal->fetch_budget_ms -= monotonic_ms() - start;
	if (ret < 0)
		return -1;
	if (req->validate(body->buf, body->len, err) < 0) {
		err_prefix(err, "%s", req->url);
		return -1;
	}
	return 0;
}

int cal_get_doc(struct cal *cal, const struct cal_doc_req *req,
		struct sbuf *body, time_t *fetched)
{
	time_t now = req->now ? req->now : time(NULL), failed_at;
	char *path = req->cache_dir ? path_join(req->cache_dir, req->name)
				    : NULL;
	char *failed = NULL;
	struct err err = ERR_INIT;
	struct stat st;
	int cache = 0, have_cache, ret = -1;
	char day[16];

	if (path) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "%s.failed", path);
		failed = sbuf_detach(&sb);
		cache = cache_state(cal, req, path, &st);
	}
	have_cache = cache > 0;
	if (have_cache)
		day_string(st.st_mtime, day, sizeof(day));
	/*
	 * A cache dated in the future (a clock set wrong, a copied file)
	 * is not fresh: it would never be fetched again.  Its data is as
	 * old as now at most.
	 */
	if (have_cache && st.st_mtime > now)
		st.st_mtime = now - req->refresh_secs;
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
	/* Offline by request with nothing cached: nothing to say. */
	if (!req->url || req->offline)
		goto out;
	if (failed_recently(failed, now, &failed_at)) {
		err_set(&err, ERR_HTTP, "the last fetch failed %ld min ago, "
			"not retrying for %ld min",
			(long)(now - failed_at) / 60, CAL_RETRY_SECS / 60);
	} else if (fetch_valid(cal, req, body, &err) == 0) {
		if (path && cache >= 0)
			write_cache(cal, req, path, body, now);
		if (path)
			unlink(failed);
		*fetched = now;
		ret = 0;
		goto out;
	} else if (failed) {
		struct err ignored = ERR_INIT;

		if (!fs_mkdir_p(req->cache_dir, &ignored) &&
		    !fs_write_atomic(failed, "", 0, &ignored))
			set_mtime(failed, now);
	}
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
	free(failed);
	if (ret < 0)
		sbuf_reset(body);
	return ret;
}
