/*
 * vger sync: lei up of each list vger init set up, notmuch new, and
 * the series model before and after, to count what is new.  See
 * front/sync.h and, for lei's ways, front/steps.h.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "front/gitconfig.h"
#include "front/lore.h"
#include "front/model.h"
#include "front/steps.h"
#include "front/sync.h"
#include "mail/model.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every version's message id, sorted, to tell what is new. */
static void version_ids(const struct mail_model *m, struct vec *ids)
{
	for (size_t i = 0; i < m->series.n; i++) {
		const struct mail_series *s = m->series.items[i];

		for (size_t j = 0; j < s->versions.n; j++) {
			const struct mail_version *v = s->versions.items[j];

			if (v->message_id)
				vec_push_str(ids, v->message_id);
		}
	}
	vec_sort(ids, cmp_str);
}

static int has_id(const struct vec *ids, const char *id)
{
	return ids->n && bsearch(&id, ids->items, ids->n, sizeof(char *),
				 cmp_str) != NULL;
}

/* Count what the model after has that the one before had not. */
static void compare(const struct vec *before, const struct mail_model *m,
		    struct front_sync_result *r)
{
	for (size_t i = 0; i < m->series.n; i++) {
		const struct mail_series *s = m->series.items[i];
		size_t known = 0;

		for (size_t j = 0; j < s->versions.n; j++) {
			const struct mail_version *v = s->versions.items[j];

			if (v->message_id && has_id(before, v->message_id))
				known++;
			else
				r->new_versions++;
		}
		if (!known)
			r->new_series++;
	}
	r->series = m->series.n;
}

/* The model as vger series reads it: its cache brought up to date. */
static int load_model(struct front_steps *f, struct mail_model **out,
		      struct mail_model_stats *stats, struct err *err)
{
	static const struct front_model_args none = { NULL, NULL, 0, 0 };
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct mail_model_options o;
	int ret;

	front_model_source_init(&src, &none, f->cfg);
	front_model_options(&src, &o);
	ret = mail_model_load(out, &o, stats, err);
	front_model_source_release(&src);
	return ret;
}

/*
 * What lei's writers left in the Maildir's tmp/ when they were killed
 * (a message half written, never moved to new/): the files there no
 * newer than the mark of the run that was stopped.  A writer of this
 * run would write newer ones.  How many went.
 */
static size_t remove_partial(const char *dir, const char *mark)
{
	char *tmp = path_join(dir, "tmp");
	DIR *d = opendir(tmp);
	struct dirent *e;
	struct stat ms, st;
	size_t n = 0;

	if (d && !stat(mark, &ms)) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' ||
			    fstatat(dirfd(d), e->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) ||
			    !S_ISREG(st.st_mode) || st.st_mtime > ms.st_mtime)
				continue;
			if (!unlinkat(dirfd(d), e->d_name, 0))
				n++;
		}
	}
	if (d)
		closedir(d);
	free(tmp);
	return n;
}

/*
 * The saved search s of list made anew, after a run that was stopped
 * or could not write everything: lei forgets it (and its record of
 * what it wrote), then `lei q --augment` writes what the Maildir does
 * not hold.
 */
static int remake_search(struct front_steps *f, const char *list,
			 const char *dir, const struct front_lei_search *s,
			 struct err *err)
{
	const char *forget[] = { "lei", "forget-search", s->output, NULL };
	const char **argv = xcalloc(s->terms.n + 9, sizeof(*argv));
	struct sbuf out = SBUF_INIT;
	size_t n = 0;
	int status;

	front_steps_say(f, FRONT_SAY_STEP, "lei up %s: the last one was "
			"stopped or could not write everything: making its "
			"saved search anew", list);
	sbuf_addf(&out, "maildir:%s", s->output);
	argv[n++] = "lei";
	argv[n++] = "q";
	argv[n++] = "--only";
	argv[n++] = s->url;
	argv[n++] = "--no-import-remote";
	argv[n++] = "--augment";
	argv[n++] = "-o";
	argv[n++] = out.buf;
	for (size_t i = 0; i < s->terms.n; i++)
		argv[n++] = s->terms.items[i];
	argv[n] = NULL;
	status = front_steps_run_lei(f, list, dir, forget, err);
	if (!status)
		status = front_steps_run_lei(f, list, dir, argv, err);
	free(argv);
	sbuf_release(&out);
	return status;
}

/*
 * Bring one list's Maildir up to date: lei up, or its saved search
 * made anew when the last run was stopped or could not write
 * everything.  0 done, 1 failed (said), < 0 interrupted or broken
 * (err).
 */
static int sync_list(struct front_steps *f, const char *name,
		     const char *dir, const char *searches,
		     struct front_sync_result *r, struct err *err)
{
	struct front_lei_search s;
	struct sbuf why = SBUF_INIT, addr = SBUF_INIT, step = SBUF_INIT;
	struct err e = ERR_INIT;
	char *mark = front_steps_mark_path(name);
	int redo = fs_exists(mark), found, status, ret = 1;
	size_t before, fetched;

	sbuf_addf(&step, "lei up %s", name);
	f->step = step.buf;
	found = front_lei_search_find(searches, dir, &s, &e);
	if (found <= 0) {
		front_steps_say(f, FRONT_SAY_ERROR, "lei up %s: %s", name,
				found < 0 ? e.msg : "no lei saved search "
				"writes to its Maildir; vger init sets it up "
				"again");
		goto out;
	}
	front_steps_say(f, FRONT_SAY_STEP, "lei up %s (%s)", name,
			s.url ? s.url : dir);
	/* lei takes a 404 for "nothing new": ask the inbox first. */
	if (s.url && front_steps_probe(f, s.url, &addr, &e) < 0) {
		if (front_steps_stopped(f))
			ret = front_steps_interrupted(f, err);
		else
			front_steps_say(f, FRONT_SAY_ERROR, "lei up %s: %s",
					name, e.msg);
		goto out_search;
	}
	before = front_steps_maildir_count(dir);
	if (redo && s.url && s.terms.n) {
		size_t gone = remove_partial(dir, mark);

		if (gone)
			front_steps_say(f, FRONT_SAY_STEP, "lei up %s: removed "
					"%zu message%s the stopped run left half "
					"written", name, gone, gone == 1 ? "" :
					"s");
		status = remake_search(f, name, dir, &s, err);
	} else {
		const char *argv[] = { "lei", "up", dir, NULL };

		status = front_steps_run_lei(f, name, dir, argv, err);
	}
	if (status < 0) {
		ret = status;
		goto out_search;
	}
	if (front_steps_stopped(f)) {
		ret = front_steps_interrupted(f, err);
		goto out_search;
	}
	fetched = front_steps_maildir_count(dir) - before;
	r->fetched += fetched;
	if (status) {
		front_steps_explain(f, status, &why);
		front_steps_say(f, FRONT_SAY_ERROR, "lei up %s failed: %s%s",
				name, why.buf, f->write_error || f->stalled ?
				"; the next vger sync makes its saved search "
				"anew and fetches what lei could not write" :
				"");
		goto out_search;
	}
	if (redo)
		unlink(mark);
	front_steps_say(f, FRONT_SAY_DONE, "lei up %s: %zu new message%s",
			name, fetched, fetched == 1 ? "" : "s");
	ret = 0;
out_search:
	front_lei_search_release(&s);
out:
	f->step = "vger sync";
	sbuf_release(&why);
	sbuf_release(&addr);
	sbuf_release(&step);
	free(mark);
	return ret;
}

/*
 * Whether another process holds the database's write lock: Xapian's
 * lock on xapian/flintlock, asked with F_GETLK (which sees the open
 * file description locks Xapian takes too).  notmuch, built with
 * Xapian's DB_RETRY_LOCK, waits for that lock for as long as it is
 * held, without a word: asking first lets vger say it.  0 when it
 * cannot tell.
 */
static int db_locked(const char *db)
{
	static const char *const where[] = { ".notmuch/xapian/flintlock",
					     "xapian/flintlock" };
	int locked = 0;

	for (size_t i = 0; i < 2 && !locked; i++) {
		char *path = path_join(db, where[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		struct flock fl;

		free(path);
		if (fd < 0)
			continue;
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		locked = !fcntl(fd, F_GETLK, &fl) && fl.l_type != F_UNLCK;
		close(fd);
	}
	return locked;
}

/* Wait up to 5 s for another writer to finish; 1 when it did not. */
static int wait_for_lock(struct front_steps *f, const char *db)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };

	for (int i = 0; i < 50 && !front_steps_stopped(f); i++) {
		if (!db_locked(db))
			return 0;
		if (!i)
			front_steps_say(f, FRONT_SAY_PROGRESS, "waiting for "
					"another process to release the "
					"database");
		nanosleep(&tick, NULL);
	}
	return db_locked(db);
}

static int notmuch_new(struct front_steps *f, struct err *err)
{
	static const struct front_model_args none = { NULL, NULL, 0, 0 };
	static const char *const args[] = { "new", NULL };
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct sbuf env = SBUF_INIT, why = SBUF_INIT, db = SBUF_INIT;
	const char *argv[8], *envp[2] = { NULL, NULL };
	int status, ret = 0;

	f->step = "notmuch new";
	front_model_source_init(&src, &none, f->cfg);
	front_steps_say(f, FRONT_SAY_STEP, "notmuch new");
	if (src.db)
		sbuf_addstr(&db, src.db);
	else
		ret = front_steps_notmuch_get(f, NULL, "database.path", &db,
					      err);
	if (ret)
		goto out;
	if (db.len && wait_for_lock(f, db.buf)) {
		ret = err_set(err, ERR_NOTMUCH, "notmuch new: the database is "
			      "locked by another process (a notmuch new, or a "
			      "mail client writing tags); what lei fetched is "
			      "in the Maildir, and the next vger sync indexes "
			      "it");
		goto out;
	}
	front_steps_notmuch_argv(src.db, args, argv, &env);
	envp[0] = env.len ? env.buf : NULL;
	f->progress = 1;
	status = front_steps_run(f, argv, envp, err);
	f->progress = 0;
	if (status < 0) {
		ret = status;
	} else if (front_steps_stopped(f)) {
		ret = front_steps_interrupted(f, err);
	} else if (status) {
		front_steps_explain(f, status, &why);
		ret = err_set(err, ERR_NOTMUCH, "notmuch new failed: %s; what "
			      "lei fetched is in the Maildir, and the next "
			      "vger sync indexes it", why.buf);
	} else {
		front_steps_say(f, FRONT_SAY_DONE, "notmuch new: %s",
				front_steps_last_line(f));
	}
out:
	front_model_source_release(&src);
	sbuf_release(&env);
	sbuf_release(&why);
	sbuf_release(&db);
	return ret;
}

int front_sync(const struct front_sync_hooks *h,
	       struct front_sync_result *r, struct err *err)
{
	struct front_steps f;
	struct front_steps_lists lists;
	struct vec before = VEC_INIT;
	struct sbuf searches = SBUF_INIT;
	struct mail_model *m = NULL;
	struct mail_model_stats stats;
	struct err e = ERR_INIT;
	char *root = NULL;
	int ret;

	memset(r, 0, sizeof(*r));
	memset(&lists, 0, sizeof(lists));
	ret = front_steps_open(&f, h, err);
	if (ret)
		goto out;
	front_steps_read_lists(f.cfg, &lists);
	root = front_config_path(f.cfg, "vger.maildir");
	if (!lists.names.n || !root) {
		ret = err_set(err, ERR_NOTFOUND, "no list to sync: vger init "
			      "sets one up (vger init --list bpf)");
		goto out;
	}
	ret = front_steps_tools(&f, err);
	if (!ret)
		ret = front_steps_lei_searches(&f, &searches, err);
	if (ret)
		goto out;
	/* The model as it is, to tell what the sync brought (none: all). */
	f.step = "reading the series model";
	if (!load_model(&f, &m, &stats, &e))
		version_ids(m, &before);
	mail_model_free(m);
	m = NULL;
	for (size_t i = 0; i < lists.names.n; i++) {
		char *dir = path_join(root, lists.names.items[i]);

		ret = sync_list(&f, lists.names.items[i], dir, searches.buf,
				r, err);
		free(dir);
		if (ret < 0)
			goto out;
		if (ret)
			r->failed++;
		else
			r->lists++;
	}
	ret = notmuch_new(&f, err);
	if (ret)
		goto out;
	f.step = "the series model";
	front_steps_say(&f, FRONT_SAY_STEP, "series model");
	ret = load_model(&f, &m, &stats, err);
	if (ret) {
		err_prefix(err, "series model");
		goto out;
	}
	r->read = stats.read;
	compare(&before, m, r);
	front_steps_say(&f, FRONT_SAY_DONE, "series model: %zu message%s "
			"read; %zu new series, %zu new version%s (%zu "
			"series)", r->read, r->read == 1 ? "" : "s",
			r->new_series, r->new_versions,
			r->new_versions == 1 ? "" : "s", r->series);
	if (r->failed)
		ret = err_set(err, ERR_HTTP, "lei up failed for %zu of %zu "
			      "list%s; what arrived is indexed, and the next "
			      "vger sync fetches the rest", r->failed,
			      lists.names.n, lists.names.n == 1 ? "" : "s");
out:
	mail_model_free(m);
	vec_release_str(&before);
	sbuf_release(&searches);
	front_steps_release_lists(&lists);
	free(root);
	front_steps_close(&f);
	return ret;
}
