/*
 * vger init: the notmuch configuration and database when there are
 * none, git config, and a lei saved search of the list with its first
 * fetch; what is there already is used, never overwritten.  See
 * front/sync.h and, for lei's ways, front/steps.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front/gitconfig.h"
#include "front/lore.h"
#include "front/steps.h"
#include "front/sync.h"
#include "mail/model.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define DEFAULT_SINCE "3.months.ago"
#define DEFAULT_LIST "bpf"

/* "since" as lei's query term: "rt:3.months.ago..". */
static char *since_term(const char *since)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "rt:%s..", since);
	return sbuf_detach(&sb);
}

/* A command line to show (not to run): words with spaces quoted. */
static void show_argv(const char *const *argv, struct sbuf *out)
{
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];

		if (i)
			sbuf_addch(out, ' ');
		if (*a && !a[strcspn(a, " \t'\"\\$`!*?[]{}()<>|&;#~")])
			sbuf_addstr(out, a);
		else
			sbuf_addf(out, "'%s'", a);
	}
}

/* What vger init found of notmuch, or makes. */
struct notmuch_setup {
	char *db;		/* vger.database: opened with no config */
	char *mail_root;	/* where notmuch new looks; NULL: none yet */
	char *root;		/* where the lists' Maildirs go */
	char *new_db;		/* a database to create here, or NULL */
	char *new_config;	/* with this configuration file, or NULL */
	int write_db;		/* vger.database = new_db (no config) */
};

static void notmuch_setup_release(struct notmuch_setup *n)
{
	free(n->db);
	free(n->mail_root);
	free(n->root);
	free(n->new_db);
	free(n->new_config);
}

/* Whether path is dir or below it (both absolute). */
static int path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

/* An absolute path for what the user typed, without a trailing '/'. */
static char *absolute(const char *path)
{
	char *abs, *cwd;
	size_t n;

	if (path[0] == '/') {
		abs = xstrdup(path);
	} else {
		cwd = getcwd(NULL, 0);
		abs = path_join(cwd ? cwd : ".", path);
		free(cwd);
	}
	n = strlen(abs);
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	return abs;
}

/*
 * Where notmuch's configuration would be made: $NOTMUCH_CONFIG, else
 * ~/.notmuch-config (as notmuch setup writes it); NULL when
 * $NOTMUCH_CONFIG names no file one could write (/dev/null).
 */
static char *notmuch_config_target(void)
{
	const char *env = getenv("NOTMUCH_CONFIG");
	const char *home = getenv("HOME");
	struct stat st;

	if (env && *env) {
		if (!strcmp(env, "/dev/null") ||
		    (!stat(env, &st) && !S_ISREG(st.st_mode)))
			return NULL;
		return xstrdup(env);
	}
	return path_join(home && *home ? home : "/", ".notmuch-config");
}

/* Find notmuch's database and where the lists' Maildirs go. */
static int find_notmuch(struct front_steps *f,
			const struct front_init_options *o,
			struct notmuch_setup *n, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	char *configured = front_config_path(f->cfg, "vger.maildir");
	char *want = o->maildir ? absolute(o->maildir) : NULL;
	int ret = 0;

	memset(n, 0, sizeof(*n));
	n->db = front_config_path(f->cfg, "vger.database");
	f->step = "notmuch";
	if (n->db) {
		n->mail_root = xstrdup(n->db);
	} else {
		ret = front_steps_notmuch_get(f, NULL, "database.path", &sb,
					      err);
		if (!ret && sb.len) {
			n->mail_root = xstrdup(sb.buf);
			ret = front_steps_notmuch_get(f, NULL,
						      "database.mail_root",
						      &sb, err);
			if (!ret && sb.len) {
				free(n->mail_root);
				n->mail_root = xstrdup(sb.buf);
			}
		}
	}
	if (ret)
		goto out;
	if (want && configured && strcmp(want, configured)) {
		ret = err_set(err, ERR_USAGE, "vger.maildir is %s, where every "
			      "list's Maildir goes: leave out --maildir, or "
			      "change vger.maildir first", configured);
		goto out;
	}
	if (!want && configured)
		want = xstrdup(configured);
	if (!want && n->mail_root)
		want = path_join(n->mail_root, "lore");
	if (!want) {
		char *data = fs_xdg_data_dir();

		n->new_db = path_join(data, "mail");
		want = path_join(n->new_db, "lore");
		free(data);
	} else if (!n->mail_root) {
		n->new_db = xstrdup(want);
	}
	if (n->mail_root && !path_under(want, n->mail_root)) {
		ret = err_set(err, ERR_USAGE, "%s is not under notmuch's mail "
			      "root %s, so notmuch new would not see it: "
			      "choose a directory under it", want,
			      n->mail_root);
		goto out;
	}
	if (n->new_db) {
		n->new_config = notmuch_config_target();
		n->write_db = !n->new_config;
		if (n->new_config && fs_exists(n->new_config)) {
			ret = err_set(err, ERR_STATE, "%s sets no "
				      "database.path: set it (notmuch config "
				      "set database.path DIR) and run vger "
				      "init again", n->new_config);
			goto out;
		}
	}
	n->root = want;
	want = NULL;
out:
	free(want);
	free(configured);
	sbuf_release(&sb);
	return ret;
}

/* notmuch ARGS... on a configuration file of our own, in argv form. */
static int notmuch_on(struct front_steps *f, const char *file,
		      const char *const *args, struct err *err)
{
	struct sbuf opt = SBUF_INIT;
	const char *argv[12] = { "notmuch" };
	size_t n = 1;
	int status;

	sbuf_addf(&opt, "--config=%s", file);
	argv[n++] = opt.buf;
	while (*args && n < 11)
		argv[n++] = *args++;
	argv[n] = NULL;
	status = front_steps_run(f, argv, NULL, err);
	if (status > 0) {
		struct sbuf why = SBUF_INIT;

		front_steps_explain(f, status, &why);
		status = err_set(err, ERR_NOTMUCH, "notmuch %s failed: %s",
				 argv[2], why.buf);
		sbuf_release(&why);
	}
	sbuf_release(&opt);
	return status;
}

/*
 * Write notmuch's configuration (never over a file: it is made with
 * O_EXCL, filled by `notmuch config set`) and create the database.
 */
static int make_notmuch(struct front_steps *f,
			const struct notmuch_setup *n, int dry,
			struct err *err)
{
	char *name = front_config_string(f->cfg, "user.name");
	char *email = front_config_string(f->cfg, "user.email");
	const char *set_path[] = { "config", "set", "database.path",
		n->new_db, NULL };
	const char *set_name[] = { "config", "set", "user.name", name, NULL };
	const char *set_email[] = { "config", "set", "user.primary_email",
		email, NULL };
	const char *set_tags[] = { "config", "set", "new.tags", "unread",
		"inbox", NULL };
	const char *new_args[] = { "new", NULL };
	const char *argv[8], *envp[2] = { NULL, NULL };
	struct sbuf env = SBUF_INIT, shown = SBUF_INIT;
	int ret = 0, fd;

	f->step = "notmuch";
	if (n->write_db) {
		front_steps_notmuch_argv(n->new_db, new_args, argv, &env);
		show_argv(argv, &shown);
	}
	if (dry) {
		if (n->write_db) {
			front_steps_say(f, FRONT_SAY_PLAN, "would run: %s %s",
					env.buf, shown.buf);
		} else {
			front_steps_say(f, FRONT_SAY_PLAN, "would write %s: "
					"database.path=%s%s%s%s%s "
					"new.tags=unread;inbox",
					n->new_config, n->new_db,
					name ? " user.name=" : "",
					name ? name : "",
					email ? " user.primary_email=" : "",
					email ? email : "");
			front_steps_say(f, FRONT_SAY_PLAN, "would run: notmuch "
					"--config=%s new", n->new_config);
		}
		goto out;
	}
	front_steps_say(f, FRONT_SAY_STEP, "notmuch: creating the database "
			"in %s", n->new_db);
	ret = fs_mkdir_p(n->new_db, err);
	if (ret)
		goto out;
	if (n->write_db) {
		envp[0] = env.buf;
		ret = front_steps_run(f, argv, envp, err);
		if (ret > 0)
			ret = err_set(err, ERR_NOTMUCH, "%s failed: %s",
				      shown.buf, front_steps_last_line(f));
		if (!ret)
			front_steps_say(f, FRONT_SAY_DONE, "notmuch: made the "
					"database %s (no configuration file: "
					"vger.database names it)", n->new_db);
		goto out;
	}
	fd = open(n->new_config, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		ret = err_set(err, ERR_IO, "%s: %s (not overwritten)",
			      n->new_config, strerror(errno));
		goto out;
	}
	close(fd);
	ret = notmuch_on(f, n->new_config, set_path, err);
	if (!ret && name)
		ret = notmuch_on(f, n->new_config, set_name, err);
	if (!ret && email)
		ret = notmuch_on(f, n->new_config, set_email, err);
	if (!ret)
		ret = notmuch_on(f, n->new_config, set_tags, err);
	if (!ret)
		ret = notmuch_on(f, n->new_config, new_args, err);
	if (ret) {
		/* Made by us a moment ago: a rerun starts clean. */
		unlink(n->new_config);
		goto out;
	}
	front_steps_say(f, FRONT_SAY_DONE, "notmuch: wrote %s and made the "
			"database %s", n->new_config, n->new_db);
out:
	free(name);
	free(email);
	sbuf_release(&env);
	sbuf_release(&shown);
	return ret < 0 ? ret : 0;
}

/*
 * The global git config file, as `git config --global` writes it:
 * $GIT_CONFIG_GLOBAL, else ~/.gitconfig, else the XDG file when only
 * that one exists.
 */
static int global_config_file(struct sbuf *out, struct err *err)
{
	const char *env = getenv("GIT_CONFIG_GLOBAL");
	const char *home = getenv("HOME");
	git_buf buf = { 0 };

	sbuf_reset(out);
	if (env) {
		if (!*env || !strcmp(env, "/dev/null"))
			return err_set(err, ERR_STATE, "GIT_CONFIG_GLOBAL is "
				       "%s: there is no global git config to "
				       "write vger's settings to",
				       *env ? env : "empty");
		sbuf_addstr(out, env);
		return 0;
	}
	if (!git_config_find_global(&buf) ||
	    !git_config_find_xdg(&buf))
		sbuf_addstr(out, buf.ptr);
	git_buf_dispose(&buf);
	git_error_clear();
	if (!out->len)
		sbuf_addf(out, "%s/.gitconfig", home && *home ? home : "");
	return 0;
}

/* The git config keys vger init writes, written or said. */
struct config_writer {
	struct front_steps *f;
	int dry;
	struct sbuf file;
	git_config *g;
};

static int config_set(struct config_writer *w, const char *key,
		      const char *value, struct err *err)
{
	if (w->dry) {
		front_steps_say(w->f, FRONT_SAY_PLAN, "would set in %s: "
				"%s = %s", w->file.buf, key, value);
		return 0;
	}
	if (!w->g && git_config_open_ondisk(&w->g, w->file.buf) < 0)
		goto fail;
	if (git_config_set_string(w->g, key, value) < 0)
		goto fail;
	front_steps_say(w->f, FRONT_SAY_DONE, "git config: %s = %s (%s)", key,
			value, w->file.buf);
	return 0;
fail:
	return err_set(err, ERR_GIT, "%s: cannot set %s: %s", w->file.buf,
		       key, git_error_last() && git_error_last()->message ?
		       git_error_last()->message : "unknown libgit2 error");
}

/*
 * vger.list.<name>, vger.maildir, vger.query and vger.database, each
 * only when it is not what it should be already.  vger.query is
 * rewritten only while it is the one vger made (or the default).
 */
static int write_config(struct front_steps *f, const char *name,
			const char *addr, const struct notmuch_setup *n,
			int dry, struct err *err)
{
	struct config_writer w = { f, dry, SBUF_INIT, NULL };
	struct front_steps_lists lists;
	struct sbuf key = SBUF_INIT, old_q = SBUF_INIT, new_q = SBUF_INIT;
	char *maildir = front_config_path(f->cfg, "vger.maildir");
	char *query = front_config_string(f->cfg, "vger.query");
	long at;
	int ret;

	f->step = "git config";
	front_steps_read_lists(f->cfg, &lists);
	git_libgit2_init();
	ret = global_config_file(&w.file, err);
	if (ret)
		goto out;
	front_lists_query(&lists.addresses, &old_q);
	if (!lists.addresses.n)
		sbuf_addstr(&old_q, MAIL_DEFAULT_QUERY);
	at = vec_find_str(&lists.names, name);
	if (at >= 0 && strcmp(lists.addresses.items[at], addr))
		front_steps_say(f, FRONT_SAY_WARN, "vger.list.%s is %s, not "
				"%s: kept", name,
				(const char *)lists.addresses.items[at], addr);
	if (at < 0) {
		sbuf_addf(&key, "vger.list.%s", name);
		ret = config_set(&w, key.buf, addr, err);
		vec_push_str(&lists.names, name);
		vec_push_str(&lists.addresses, addr);
	}
	if (!ret && !maildir)
		ret = config_set(&w, "vger.maildir", n->root, err);
	if (!ret && n->write_db && !n->db)
		ret = config_set(&w, "vger.database", n->new_db, err);
	front_lists_query(&lists.addresses, &new_q);
	if (ret || (query && !strcmp(query, new_q.buf)) ||
	    (!query && !strcmp(new_q.buf, MAIL_DEFAULT_QUERY)))
		goto out;
	if (!query || !strcmp(query, old_q.buf) ||
	    !strcmp(query, MAIL_DEFAULT_QUERY))
		ret = config_set(&w, "vger.query", new_q.buf, err);
	else
		front_steps_say(f, FRONT_SAY_WARN, "vger.query is your own "
				"(%s): not changed; the lists' query would "
				"be: %s", query, new_q.buf);
out:
	git_config_free(w.g);
	git_libgit2_shutdown();
	front_steps_release_lists(&lists);
	sbuf_release(&w.file);
	sbuf_release(&key);
	sbuf_release(&old_q);
	sbuf_release(&new_q);
	free(maildir);
	free(query);
	return ret;
}

/* The first fetch: lei q into the list's Maildir, saved for lei up. */
static int first_fetch(struct front_steps *f, const char *name,
		       const char *url, const char *dir, const char *since,
		       int dry, struct err *err)
{
	struct sbuf out = SBUF_INIT, shown = SBUF_INIT, why = SBUF_INIT;
	char *term = since_term(since);
	const char *argv[] = { "lei", "q", "--only", url, "--no-import-remote",
		"--augment", "-o", NULL, term, NULL };
	size_t n;
	int status, ret = 0;

	sbuf_addf(&out, "maildir:%s", dir);
	argv[7] = out.buf;
	show_argv(argv, &shown);
	f->step = "lei q";
	if (dry) {
		front_steps_say(f, FRONT_SAY_PLAN, "would run: %s", shown.buf);
		goto done;
	}
	front_steps_say(f, FRONT_SAY_STEP, "lei q %s since %s into %s", name,
			since, dir);
	status = front_steps_run_lei(f, name, dir, argv, err);
	if (status < 0) {
		ret = status;
		goto done;
	}
	if (front_steps_stopped(f)) {
		ret = err_set(err, ERR_STATE, "interrupted during lei q: the "
			      "saved search is there, and vger sync fetches "
			      "the rest");
		goto done;
	}
	if (status) {
		front_steps_explain(f, status, &why);
		ret = err_set(err, ERR_HTTP, "lei q %s failed: %s; vger sync "
			      "fetches what is missing", name, why.buf);
		goto done;
	}
	n = front_steps_maildir_count(dir);
	front_steps_say(f, FRONT_SAY_DONE, "lei q %s: %zu message%s in %s",
			name, n, n == 1 ? "" : "s", dir);
done:
	free(term);
	sbuf_release(&out);
	sbuf_release(&shown);
	sbuf_release(&why);
	return ret;
}

/* lei's dates ("3.months.ago", "2025-01-01"): one word, no operator. */
static int since_ok(const char *since)
{
	return *since && strspn(since, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:-") ==
		strlen(since);
}

int front_init(const struct front_init_options *o,
	       const struct front_sync_hooks *h, struct err *err)
{
	struct front_steps f;
	struct notmuch_setup n;
	struct front_lei_search s;
	struct sbuf name = SBUF_INIT, url = SBUF_INIT, addr = SBUF_INIT;
	struct sbuf searches = SBUF_INIT;
	const char *since = o->since ? o->since : DEFAULT_SINCE;
	char *dir = NULL;
	int ret, found;

	memset(&f, 0, sizeof(f));
	memset(&n, 0, sizeof(n));
	if (o->list && !front_list_name_ok(o->list))
		return err_set(err, ERR_USAGE, "'%s' is not a list name "
			       "(letters, digits and '-', as lore's "
			       "inboxes are named)", o->list);
	if (!since_ok(since))
		return err_set(err, ERR_USAGE, "'%s' is not a date lei "
			       "understands (like 3.months.ago or "
			       "2025-01-01)", since);
	if (o->url) {
		sbuf_addstr(&url, o->url);
		if (url.buf[url.len - 1] != '/')
			sbuf_addch(&url, '/');
		if (o->list)
			sbuf_addstr(&name, o->list);
		else if (front_list_from_url(url.buf, &name, err)) {
			sbuf_release(&url);
			sbuf_release(&name);
			return -ERR_USAGE;
		}
	} else {
		sbuf_addstr(&name, o->list ? o->list : DEFAULT_LIST);
		front_lore_url(name.buf, &url);
	}
	ret = front_steps_open(&f, h, err);
	if (ret)
		goto out;
	f.step = "checking for lei, notmuch and curl";
	ret = front_steps_tools(&f, err);
	if (ret)
		goto out;
	f.step = "asking the inbox";
	front_steps_say(&f, FRONT_SAY_STEP, "asking %s what it is", url.buf);
	ret = front_steps_probe(&f, url.buf, &addr, err);
	if (ret)
		goto out;
	if (!addr.len) {
		sbuf_addf(&addr, "%s@vger.kernel.org", name.buf);
		front_steps_say(&f, FRONT_SAY_WARN, "%s names no address: "
				"taking %s", url.buf, addr.buf);
	}
	front_steps_say(&f, FRONT_SAY_DONE, "%s: the public-inbox of %s",
			url.buf, addr.buf);
	ret = find_notmuch(&f, o, &n, err);
	if (ret)
		goto out;
	if (n.new_db)
		ret = make_notmuch(&f, &n, o->dry_run, err);
	else
		front_steps_say(&f, FRONT_SAY_DONE, "notmuch: the database "
				"%s (mail under %s)", n.db ? n.db :
				"of your notmuch configuration", n.mail_root);
	if (!ret)
		ret = write_config(&f, name.buf, addr.buf, &n, o->dry_run,
				   err);
	if (ret)
		goto out;
	dir = path_join(n.root, name.buf);
	f.step = "lei ls-search";
	ret = front_steps_lei_searches(&f, &searches, err);
	if (ret)
		goto out;
	found = front_lei_search_find(searches.buf, dir, &s, err);
	if (found < 0) {
		ret = found;
		goto out;
	}
	if (found) {
		front_steps_say(&f, FRONT_SAY_DONE, "lei: the saved search of "
				"%s into %s is there (%s); vger sync updates "
				"it", name.buf, dir, s.url ? s.url : "no URL");
		if (s.url && strcmp(s.url, url.buf))
			front_steps_say(&f, FRONT_SAY_WARN, "it fetches from "
					"%s, not %s: kept (lei forget-search "
					"%s, then vger init, to change it)",
					s.url, url.buf, dir);
		front_lei_search_release(&s);
	} else {
		ret = first_fetch(&f, name.buf, url.buf, dir, since,
				  o->dry_run, err);
	}
	if (!ret && !o->dry_run)
		front_steps_say(&f, FRONT_SAY_DONE, "ready: vger sync indexes "
				"the mail with notmuch new, then vger shows "
				"it");
out:
	free(dir);
	notmuch_setup_release(&n);
	sbuf_release(&name);
	sbuf_release(&url);
	sbuf_release(&addr);
	sbuf_release(&searches);
	front_steps_close(&f);
	return ret;
}
