/*
 * The pieces of vger init and vger sync: lei, notmuch and curl run
 * with their lines said, an inbox asked what it is, lei's saved
 * searches.  See front/steps.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front/gitconfig.h"
#include "front/lore.h"
#include "front/steps.h"
#include "front/sync.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define SYNC_TIMEOUT_DEFAULT 60
#define CURLRC_MAX (64u << 10)
#define RUN_KEEP 256		/* lines of a program kept */

void front_steps_say(struct front_steps *f, enum front_say kind,
		     const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (f->h && f->h->say)
		f->h->say(kind, sb.buf, f->h->data);
	sbuf_release(&sb);
}

int front_steps_stopped(const struct front_steps *f)
{
	return f->h && f->h->stop && *f->h->stop;
}

int front_steps_interrupted(struct front_steps *f, struct err *err)
{
	return err_set(err, ERR_STATE, "interrupted during %s", f->step);
}

/* ---- running programs ---- */

static void on_line(const char *line, void *data)
{
	struct front_steps *f = data;
	const char *text = line;

	f->last_sign_ms = run_clock_ms();
	if (!*line)
		return;
	/* lei says each fetch it starts: "# /usr/bin/curl -Sf ... URL". */
	if (f->watch_dir && str_starts_with(line, "# ") &&
	    strstr(line, "curl "))
		f->watch_armed = 1;
	if (f->collect && f->collect_max &&
	    f->collect->len + strlen(line) + 1 > f->collect_max)
		f->collect_over = 1;
	else if (f->collect) {
		sbuf_addstr(f->collect, line);
		sbuf_addch(f->collect, '\n');
	}
	if (f->lines.n >= RUN_KEEP) {
		free(f->lines.items[0]);
		memmove(f->lines.items, f->lines.items + 1,
			(f->lines.n - 1) * sizeof(*f->lines.items));
		f->lines.n--;
	}
	vec_push_str(&f->lines, line);
	if (front_lei_write_error(line))
		f->write_error = 1;
	if (str_starts_with(line, "E: ") || strstr(line, "rror") ||
	    str_starts_with(line, "curl: (")) {
		free(f->error_line);
		f->error_line = xstrdup(line);
	}
	/* lei's progress lines are comments: "# 12 written to ..." */
	if (str_starts_with(text, "# "))
		text += 2;
	if (f->progress)
		front_steps_say(f, FRONT_SAY_PROGRESS, "%s", text);
}

static void forget_lines(struct front_steps *f)
{
	vec_release_str(&f->lines);
	free(f->error_line);
	f->error_line = NULL;
	f->write_error = 0;
	f->stalled = 0;
}

/*
 * The mtimes of a Maildir's tmp/ and new/: lei writes a message into
 * tmp/ and moves it to new/, so either changes with each one.
 */
static void maildir_stamp(const char *dir, struct timespec out[2])
{
	static const char *const subs[] = { "tmp", "new" };

	for (size_t i = 0; i < 2; i++) {
		char *sub = path_join(dir, subs[i]);
		struct stat st;

		if (stat(sub, &st))
			memset(&out[i], 0, sizeof(out[i]));
		else
			out[i] = st.st_mtim;
		free(sub);
	}
}

/*
 * Stop lei when, once its fetch has started, it has printed nothing
 * and written no message for STALL_FACTOR times vger.syncTimeout.
 * curl's own limit (the .curlrc's speed-time, one vger.syncTimeout)
 * catches a server that sends nothing, and says so better, so this
 * one is longer: it is for what curl cannot see, lei busy on an
 * answer that brings no message (a gzip bomb: lei inflates the answer
 * itself, and lei 1.9 keeps the text of an mbox without a message in
 * one growing buffer, which it scans again at every read).  Before
 * the fetch, lei may work for minutes without a word: `lei q
 * --augment` reads every message the Maildir holds first (and imports
 * them into its store), so the watch starts with lei's line naming
 * the curl it runs.
 */
#define STALL_FACTOR 2

static int watch_tick(void *data)
{
	struct front_steps *f = data;
	struct timespec stamp[2];
	long now = run_clock_ms();

	if (!f->watch_armed || now - f->watch_checked_ms < 1000)
		return 0;
	f->watch_checked_ms = now;
	maildir_stamp(f->watch_dir, stamp);
	if (memcmp(stamp, f->watch_stamp, sizeof(stamp))) {
		memcpy(f->watch_stamp, stamp, sizeof(stamp));
		f->last_sign_ms = now;
	}
	if (now - f->last_sign_ms < STALL_FACTOR * 1000 * f->timeout)
		return 0;
	f->stalled = 1;
	return 1;
}

/*
 * Stop the program once what is collected is over its bound (curl
 * cannot stop at --max-filesize when the size is not said first, and
 * would read all of a huge answer), or when the watchdog says so.
 */
static int steps_tick(void *data)
{
	struct front_steps *f = data;

	if (f->collect_over)
		return 1;
	return f->watch_dir ? watch_tick(data) : 0;
}

int front_steps_run(struct front_steps *f, const char *const argv[],
		    const char *const *env, struct err *err)
{
	struct run_lines_options o = { env, on_line, f,
				       f->h ? f->h->stop : NULL,
				       f->watch_dir || f->collect_max ?
				       steps_tick : NULL };

	forget_lines(f);
	return run_lines(argv, &o, err);
}

const char *front_steps_last_line(const struct front_steps *f)
{
	return f->lines.n ? f->lines.items[f->lines.n - 1] : "";
}

/* Whether prog is an executable file in $PATH. */
static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	struct sbuf sb = SBUF_INIT;
	int found = 0;

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path && !found) {
		size_t n = strcspn(path, ":");

		sbuf_reset(&sb);
		sbuf_add(&sb, path, n);
		sbuf_addf(&sb, "/%s", prog);
		found = n && !access(sb.buf, X_OK);
		path += n + (path[n] == ':');
	}
	sbuf_release(&sb);
	return found;
}

/* lei, notmuch and curl, each named with the Debian package. */
static int check_programs(struct err *err)
{
	static const char *const progs[][2] = {
		{ "lei", "lei" }, { "notmuch", "notmuch" }, { "curl", "curl" },
	};
	struct sbuf missing = SBUF_INIT, pkgs = SBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		if (in_path(progs[i][0]))
			continue;
		sbuf_addf(&missing, "%s%s", missing.len ? ", " : "",
			  progs[i][0]);
		sbuf_addf(&pkgs, " %s", progs[i][1]);
	}
	if (missing.len)
		ret = err_set(err, ERR_NOTFOUND, "%s not installed: on "
			      "Debian, apt install%s", missing.buf, pkgs.buf);
	sbuf_release(&missing);
	sbuf_release(&pkgs);
	return ret;
}

/*
 * A .curlrc for lei's curl and ours: the user's own (curl reads one
 * file only, and $CURL_HOME hides theirs), then a limit on how long a
 * transfer may go without data.
 */
static int make_curl_home(struct front_steps *f, struct err *err)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *curl_home = getenv("CURL_HOME");
	struct sbuf rc = SBUF_INIT, path = SBUF_INIT;
	char *file;
	int ret;

	if (curl_home && *curl_home)
		sbuf_addf(&path, "%s/.curlrc", curl_home);
	else if (xdg && *xdg)
		sbuf_addf(&path, "%s/.curlrc", xdg);
	if ((!path.len || !fs_exists(path.buf)) && home && *home) {
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/.curlrc", home);
	}
	if (path.len && fs_exists(path.buf) &&
	    sbuf_read_file(&rc, path.buf, CURLRC_MAX, err) < 0) {
		ret = err_prefix(err, "reading curl's configuration");
		goto out;
	}
	if (rc.len && rc.buf[rc.len - 1] != '\n')
		sbuf_addch(&rc, '\n');
	sbuf_addf(&rc, "# vger: give up after %ld s without data\n"
		  "connect-timeout = %ld\nspeed-limit = 1\nspeed-time = %ld\n",
		  f->timeout, f->timeout, f->timeout);
	/*
	 * A redirect is an error (curl's 47), not an empty answer: lei
	 * 1.9 runs curl without --location and reads the 302's empty
	 * body as "no new messages", a miss nobody would see.  Following
	 * it would not help either: public-inbox's search is a POST,
	 * which curl turns into a GET on a 302.
	 */
	sbuf_addstr(&rc, "# vger: a redirect is an error\n"
		    "location\nmax-redirs = 0\n");
	f->curl_home = fs_mkdtemp("vger-curl", err);
	if (!f->curl_home) {
		ret = -ERR_IO;
		goto out;
	}
	file = path_join(f->curl_home, ".curlrc");
	ret = fs_write_atomic(file, rc.buf, rc.len, err);
	free(file);
	sbuf_reset(&path);
	sbuf_addf(&path, "CURL_HOME=%s", f->curl_home);
	f->curl_env = sbuf_detach(&path);
out:
	sbuf_release(&rc);
	sbuf_release(&path);
	return ret;
}

int front_steps_tools(struct front_steps *f, struct err *err)
{
	int ret = check_programs(err);

	return ret ? ret : make_curl_home(f, err);
}

int front_steps_open(struct front_steps *f, const struct front_sync_hooks *h,
		     struct err *err)
{
	int ret;

	memset(f, 0, sizeof(*f));
	f->h = h;
	f->step = "the start";
	ret = front_config_open(&f->cfg, NULL, err);
	if (ret)
		return ret;
	f->timeout = front_config_long(f->cfg, "vger.synctimeout",
				       SYNC_TIMEOUT_DEFAULT);
	if (f->timeout <= 0)
		f->timeout = SYNC_TIMEOUT_DEFAULT;
	return 0;
}

void front_steps_close(struct front_steps *f)
{
	if (f->curl_home) {
		char *file = path_join(f->curl_home, ".curlrc");

		unlink(file);
		rmdir(f->curl_home);
		free(file);
	}
	free(f->curl_home);
	free(f->curl_env);
	forget_lines(f);
	front_config_free(f->cfg);
}

/* The environment lei and curl run with. */
static void curl_env(const struct front_steps *f, const char *env[2])
{
	env[0] = f->curl_env;
	env[1] = NULL;
}

/* ---- the inbox ---- */

void front_steps_explain(const struct front_steps *f, int status,
			 struct sbuf *out)
{
	const char *what = front_curl_status_text(status);

	if (f->stalled) {
		sbuf_addf(out, "lei printed nothing and wrote no message for "
			  "%ld s (twice vger.syncTimeout), and was stopped: "
			  "the server's answer may never end or may inflate "
			  "without end", STALL_FACTOR * f->timeout);
		return;
	}
	if (f->write_error)
		what = "lei could not write to the Maildir";
	if (what)
		sbuf_addf(out, "%s", what);
	else
		sbuf_addf(out, "exit status %d", status);
	if (f->error_line)
		sbuf_addf(out, " (%s)", f->error_line);
	else if (f->lines.n)
		sbuf_addf(out, " (%s)", front_steps_last_line(f));
}

/* An inbox's configuration is a few lines: more is not one. */
#define PROBE_MAX 65536
#define PROBE_MAX_STR "65536"

int front_steps_probe(struct front_steps *f, const char *url,
		      struct sbuf *addr, struct err *err)
{
	struct sbuf target = SBUF_INIT, body = SBUF_INIT, why = SBUF_INIT;
	const char *env[2];
	char timeout[24];
	/* --no-location: a redirect is said with where it goes. */
	const char *argv[] = { "curl", "-sS", "--no-location", "--max-time",
		timeout, "--max-filesize", PROBE_MAX_STR, "-w",
		"\n%{http_code} %{redirect_url}\n", NULL, NULL };
	const char *p;
	unsigned long code;
	int ret, status, over;

	snprintf(timeout, sizeof(timeout), "%ld", f->timeout);
	sbuf_addf(&target, "%s_/text/config/raw", url);
	argv[9] = target.buf;
	curl_env(f, env);
	f->progress = 0;
	f->collect = &body;
	f->collect_max = PROBE_MAX + 64;	/* and -w's line */
	f->collect_over = 0;
	status = front_steps_run(f, argv, env, err);
	over = f->collect_over;
	f->collect = NULL;
	f->collect_max = 0;
	f->collect_over = 0;
	sbuf_reset(addr);
	if (status < 0) {
		ret = status;
		goto out;
	}
	if (front_steps_stopped(f)) {
		ret = front_steps_interrupted(f, err);
		goto out;
	}
	/*
	 * Where curl could not know the size first (no Content-Length):
	 * stopped as soon as the answer was over the bound.
	 */
	if (over) {
		ret = err_set(err, ERR_HTTP, "%s: an answer over %d bytes is "
			      "no public-inbox configuration", url, PROBE_MAX);
		goto out;
	}
	if (status) {
		front_steps_explain(f, status, &why);
		ret = err_set(err, ERR_HTTP, "%s: %s", url, why.buf);
		goto out;
	}
	p = front_steps_last_line(f);
	if (scan_uint(&p, &code, 3)) {
		ret = err_set(err, ERR_HTTP, "%s: curl gave no HTTP status",
			      url);
		goto out;
	}
	if (code >= 300 && code < 400 && *p == ' ' && p[1]) {
		ret = err_set(err, ERR_HTTP, "%s: moved (HTTP %lu) to %s; "
			      "give the new URL with --url", url, code, p + 1);
		goto out;
	}
	if (code == 404) {
		ret = err_set(err, ERR_HTTP, "%s: no public-inbox there "
			      "(HTTP 404)", url);
		goto out;
	}
	if (code != 200) {
		ret = err_set(err, ERR_HTTP, "%s: HTTP %lu from the server",
			      url, code);
		goto out;
	}
	/* All but the last line, -w's status. */
	sbuf_rtrim(&body);
	p = strrchr(body.buf, '\n');
	sbuf_setlen(&body, p ? (size_t)(p - body.buf + 1) : 0);
	ret = front_inbox_address(body.buf, addr, err);
	if (ret < 0)
		err_prefix(err, "%s", url);
	else
		ret = 0;
out:
	sbuf_release(&target);
	sbuf_release(&body);
	sbuf_release(&why);
	return ret;
}

int front_steps_lei_searches(struct front_steps *f, struct sbuf *out,
			     struct err *err)
{
	static const char *const argv[] = { "lei", "ls-search",
		"--format=json", NULL };
	struct sbuf all = SBUF_INIT, why = SBUF_INIT;
	const char *json, *xdg, *home;
	int status;

	/*
	 * lei 1.9's ls-search prints "[", then dies (exit 0) when its
	 * cache directory is missing: make it.
	 */
	xdg = getenv("XDG_CACHE_HOME");
	home = getenv("HOME");
	if (xdg && *xdg == '/')
		sbuf_addf(&why, "%s/lei", xdg);
	else if (home && *home)
		sbuf_addf(&why, "%s/.cache/lei", home);
	if (why.len)
		fs_mkdir_p(why.buf, NULL);
	sbuf_reset(&why);
	/* Its stderr on the same pipe: the TUI's screen must not see it. */
	f->collect = &all;
	status = front_steps_run(f, argv, NULL, err);
	f->collect = NULL;
	sbuf_reset(out);
	if (status > 0) {
		front_steps_explain(f, status, &why);
		status = err_set(err, ERR_IO, "lei ls-search failed: %s",
				 why.buf);
	} else if (!status) {
		/* A warning lei printed first is not JSON. */
		json = all.buf[0] == '[' ? all.buf : strstr(all.buf, "\n[");
		sbuf_addstr(out, json ? json + (*json == '\n') : "");
	}
	sbuf_release(&all);
	sbuf_release(&why);
	return status;
}

size_t front_steps_maildir_count(const char *dir)
{
	static const char *const subs[] = { "new", "cur" };
	size_t n = 0;

	for (size_t i = 0; i < 2; i++) {
		char *sub = path_join(dir, subs[i]);
		DIR *d = opendir(sub);
		struct dirent *e;

		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.')
				n++;
		if (d)
			closedir(d);
		free(sub);
	}
	return n;
}

char *front_steps_mark_path(const char *list)
{
	char *state = fs_xdg_state_dir();
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s/sync/%s.unfinished", state, list);
	free(state);
	return sbuf_detach(&sb);
}

static void mark_unfinished(const char *list, const char *why)
{
	char *path = front_steps_mark_path(list);
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	if (!fs_mkdir_p(dir, NULL))
		fs_write_atomic(path, why, strlen(why), NULL);
	free(dir);
	free(path);
}

int front_steps_run_lei(struct front_steps *f, const char *list,
			const char *dir, const char *const *argv,
			struct err *err)
{
	const char *env[2];
	int status;

	curl_env(f, env);
	f->progress = 1;
	f->watch_dir = dir;
	f->watch_armed = 0;
	f->watch_checked_ms = f->last_sign_ms = run_clock_ms();
	maildir_stamp(dir, f->watch_stamp);
	status = front_steps_run(f, argv, env, err);
	f->watch_dir = NULL;
	f->progress = 0;
	/* Stopped by the watchdog is failed, whatever lei answered. */
	if (status == 0 && f->stalled)
		status = 128 + SIGINT;
	/*
	 * Stopped, lei's daemon kills its writers: one may die between
	 * recording a message as seen and writing it (lei 1.9's
	 * LeiToMail), and `lei up` would never fetch it again.
	 */
	if (status >= 0 && front_steps_stopped(f))
		mark_unfinished(list, "interrupted: lei may have recorded "
				"a message it did not write\n");
	else if (status > 0 && f->stalled)
		mark_unfinished(list, "stopped: lei made no progress, and "
				"may have recorded a message it did not "
				"write\n");
	else if (status > 0 && f->write_error)
		mark_unfinished(list, f->error_line ? f->error_line :
				"lei could not write a message\n");
	return status;
}

static int add_list(const char *name, const char *value, void *data)
{
	struct front_steps_lists *l = data;
	const char *n = name + strlen("vger.list.");

	if (!front_list_name_ok(n) || !value || !*value)
		return 0;
	if (vec_find_str(&l->names, n) < 0) {
		vec_push_str(&l->names, n);
		vec_push_str(&l->addresses, value);
	}
	return 0;
}

void front_steps_read_lists(struct front_config *cfg,
			    struct front_steps_lists *l)
{
	memset(l, 0, sizeof(*l));
	front_config_each(cfg, "vger.list.", add_list, l);
}

void front_steps_release_lists(struct front_steps_lists *l)
{
	vec_release_str(&l->names);
	vec_release_str(&l->addresses);
}

void front_steps_notmuch_argv(const char *db, const char *const *args,
			      const char *argv[8], struct sbuf *env)
{
	size_t n = 0;

	argv[n++] = "notmuch";
	sbuf_reset(env);
	if (db) {
		/* mail/ opens vger.database reading no config file. */
		argv[n++] = "--config=";
		sbuf_addf(env, "NOTMUCH_DATABASE=%s", db);
	}
	while (*args && n < 7)
		argv[n++] = *args++;
	argv[n] = NULL;
}

/*
 * Without a configuration notmuch says "Try running 'notmuch setup'"
 * (on stderr, which comes on the same pipe) and exits 0: a path value
 * starts with '/'.
 */
int front_steps_notmuch_get(struct front_steps *f, const char *db,
			    const char *key, struct sbuf *out,
			    struct err *err)
{
	const char *args[] = { "config", "get", key, NULL };
	const char *argv[8], *envp[2] = { NULL, NULL };
	struct sbuf env = SBUF_INIT;
	int status;

	front_steps_notmuch_argv(db, args, argv, &env);
	envp[0] = env.len ? env.buf : NULL;
	status = front_steps_run(f, argv, envp, err);
	sbuf_release(&env);
	sbuf_reset(out);
	if (status < 0)
		return status;
	if (!status && *front_steps_last_line(f) == '/')
		sbuf_addstr(out, front_steps_last_line(f));
	return 0;
}

