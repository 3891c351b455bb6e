#include <notmuch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/index.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

struct mail_index {
	notmuch_database_t *db;
	char *path;
};

/*
 * notmuch's message on one line: it starts "Error: " and breaks its
 * lines with indentation ("...at PATH\n       has a newer database
 * format version..."), which a one-line error shows as "^J".
 */
static void one_line(char *msg)
{
	char *in = msg, *out = msg;

	if (!strncmp(in, "Error: ", 7))
		in += 7;
	while (*in) {
		if (*in == '\n' || *in == '\r') {
			while (*in == '\n' || *in == '\r' || *in == ' ' ||
			       *in == '\t')
				in++;
			if (*in && out > msg)
				*out++ = ' ';
			continue;
		}
		*out++ = *in++;
	}
	*out = '\0';
}

static int nm_err(struct err *err, notmuch_status_t st, const char *what,
		  char *msg)
{
	int ret;

	if (msg)
		one_line(msg);
	ret = err_set(err, ERR_NOTMUCH, "%s: %s%s%s", what,
		      notmuch_status_to_string(st), msg && *msg ? ": " : "",
		      msg ? msg : "");
	free(msg);
	return ret;
}

/*
 * A query notmuch could not run.  Xapian's own words (a syntax error, a
 * date it does not understand) are in the database's status string
 * after "A Xapian exception occurred parsing query: "; the status alone
 * says only that an exception occurred.
 */
static int query_err(struct mail_index *idx, struct err *err,
		     notmuch_status_t st, const char *query)
{
	static const char parsing[] = "parsing query: ";
	const char *why = notmuch_database_status_string(idx->db);
	const char *p = why ? strstr(why, parsing) : NULL;

	if (st != NOTMUCH_STATUS_XAPIAN_EXCEPTION || !p)
		return nm_err(err, st, query, NULL);
	p += strlen(parsing);
	return err_set(err, ERR_PARSE, "cannot read the query '%s': %.*s",
		       query, (int)strcspn(p, "\n"), p);
}

/*
 * The config file notmuch looks for (NOTMUCH_CONFIG, else
 * $XDG_CONFIG_HOME/notmuch/<profile>/config, else ~/.notmuch-config
 * with the profile's suffix), when one is there; caller frees.
 */
static char *notmuch_config_file(void)
{
	const char *env = getenv("NOTMUCH_CONFIG");
	const char *profile = getenv("NOTMUCH_PROFILE");
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	struct sbuf p = SBUF_INIT;

	if (env && *env)
		return xstrdup(env);
	if (xdg && *xdg)
		sbuf_addf(&p, "%s/notmuch/%s/config", xdg,
			  profile && *profile ? profile : "default");
	else if (home && *home)
		sbuf_addf(&p, "%s/.config/notmuch/%s/config", home,
			  profile && *profile ? profile : "default");
	if (p.len && fs_exists(p.buf))
		return sbuf_detach(&p);
	sbuf_reset(&p);
	if (home && *home)
		sbuf_addf(&p, "%s/.notmuch-config%s%s", home,
			  profile && *profile ? "." : "",
			  profile && *profile ? profile : "");
	if (p.len && fs_exists(p.buf))
		return sbuf_detach(&p);
	sbuf_release(&p);
	return NULL;
}

/*
 * notmuch says "No configuration file found" for a file it found but
 * could not read as well as for none: tell them apart, naming it.
 */
static int no_config_err(struct err *err, char *msg)
{
	char *file = notmuch_config_file();
	int ret;

	if (file && fs_exists(file))
		ret = err_set(err, ERR_PARSE, "notmuch cannot read its config "
			      "file %s ('notmuch config list' says why), and "
			      "no database was given (vger.database, --db)",
			      file);
	else
		ret = err_set(err, ERR_NOTFOUND, "no notmuch config file "
			      "(%s) and no database given (vger.database, "
			      "--db)", file ? file : "~/.notmuch-config");
	free(file);
	free(msg);
	return ret;
}

int mail_index_open(struct mail_index **out, const char *db_path,
		    unsigned flags, struct err *err)
{
	notmuch_database_mode_t mode = flags & (MAIL_INDEX_WRITE |
						MAIL_INDEX_CREATE) ?
		NOTMUCH_DATABASE_MODE_READ_WRITE :
		NOTMUCH_DATABASE_MODE_READ_ONLY;
	/* "" reads no config file: the path given is all there is. */
	const char *config = db_path ? "" : NULL;
	notmuch_database_t *db = NULL;
	notmuch_status_t st;
	char *msg = NULL, *abs = NULL;
	struct mail_index *idx;

	/* notmuch wants an absolute path; a user types a relative one. */
	if (db_path && db_path[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		if (cwd) {
			abs = path_join(cwd, db_path);
			db_path = abs;
		}
		free(cwd);
	}
	if (flags & MAIL_INDEX_CREATE) {
		st = notmuch_database_create_with_config(db_path, config, NULL,
							 &db, &msg);
	} else {
		/* A writer holds the lock: wait up to 5 s for it. */
		for (int tries = 0; ; tries++) {
			st = notmuch_database_open_with_config(db_path, mode,
							       config, NULL,
							       &db, &msg);
			if (st != NOTMUCH_STATUS_XAPIAN_EXCEPTION ||
			    mode == NOTMUCH_DATABASE_MODE_READ_ONLY ||
			    tries >= 50)
				break;
			free(msg);
			msg = NULL;
			usleep(100 * 1000);
		}
	}
	if (st == NOTMUCH_STATUS_NO_CONFIG && !db_path)
		return no_config_err(err, msg);
	if (st) {
		int ret = nm_err(err, st, db_path ? db_path :
				 "notmuch database (from notmuch's config)",
				 msg);

		free(abs);
		return ret;
	}
	free(abs);
	free(msg);
	idx = xcalloc(1, sizeof(*idx));
	idx->db = db;
	idx->path = xstrdup(notmuch_database_get_path(db));
	*out = idx;
	return 0;
}

void mail_index_free(struct mail_index *idx)
{
	if (!idx)
		return;
	notmuch_database_destroy(idx->db);
	free(idx->path);
	free(idx);
}

const char *mail_index_path(const struct mail_index *idx)
{
	return idx->path;
}

const char *mail_index_mail_root(struct mail_index *idx)
{
	const char *root = notmuch_config_get(idx->db,
					      NOTMUCH_CONFIG_MAIL_ROOT);

	return root && *root ? root : idx->path;
}

void mail_index_stamp(const struct mail_index *idx,
		      char out[MAIL_INDEX_STAMP_LEN + 1])
{
	/* Where notmuch keeps Xapian, and Xapian's file rewritten at
	 * every commit (glass, the backend of notmuch >= 0.18). */
	static const char *const files[] = {
		".notmuch/xapian/iamglass", "xapian/iamglass",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = path_join(idx->path, files[i]);
		int found = !stat(path, &st);

		free(path);
		if (found) {
			unsigned long long ns =
				(unsigned long long)st.st_mtim.tv_sec *
				1000000000ULL +
				(unsigned long long)st.st_mtim.tv_nsec;

			snprintf(out, MAIL_INDEX_STAMP_LEN + 1,
				 "%016llx%016llx%016llx", ns,
				 (unsigned long long)st.st_size,
				 (unsigned long long)st.st_ino);
			return;
		}
	}
	memset(out, '0', MAIL_INDEX_STAMP_LEN);
	out[MAIL_INDEX_STAMP_LEN] = '\0';
}

unsigned long mail_index_revision(struct mail_index *idx, const char **uuid)
{
	return notmuch_database_get_revision(idx->db, uuid);
}

/* query, of messages last changed at from..to (0: no bound). */
static int make_query(struct mail_index *idx, const char *query,
		      unsigned long from, unsigned long to,
		      notmuch_query_t **out, struct err *err)
{
	struct sbuf q = SBUF_INIT;
	notmuch_status_t st;

	if (from || to) {
		/*
		 * "*" is notmuch's word for every message only as the whole
		 * query: in parentheses it matches none.
		 */
		if (strcmp(query, "*"))
			sbuf_addf(&q, "(%s) and ", query);
		sbuf_addf(&q, "lastmod:%lu..", from);
		if (to)
			sbuf_addull(&q, to);
	} else {
		sbuf_addstr(&q, query);
	}
	st = notmuch_query_create_with_syntax(idx->db, q.buf,
					      NOTMUCH_QUERY_SYNTAX_XAPIAN,
					      out);
	sbuf_release(&q);
	if (st)
		return nm_err(err, st, "query", NULL);
	notmuch_query_set_omit_excluded(*out, NOTMUCH_EXCLUDE_FALSE);
	return 0;
}

/*
 * Call fn for every message matching query (last changed at from..to,
 * where not 0), unsorted: sorting is Xapian work no caller needs.
 * fn's non-zero return stops and is returned.
 */
static int each_message(struct mail_index *idx, const char *query,
			unsigned long from, unsigned long to,
			int (*fn)(notmuch_message_t *msg, void *data),
			void *data, struct err *err)
{
	notmuch_query_t *q;
	notmuch_messages_t *msgs;
	notmuch_status_t st;
	int ret;

	ret = make_query(idx, query, from, to, &q, err);
	if (ret)
		return ret;
	notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	st = notmuch_query_search_messages(q, &msgs);
	if (st) {
		ret = query_err(idx, err, st, query);
		goto out;
	}
	for (; !ret && notmuch_messages_valid(msgs);
	     notmuch_messages_move_to_next(msgs)) {
		notmuch_message_t *msg = notmuch_messages_get(msgs);

		ret = fn(msg, data);
		notmuch_message_destroy(msg);
	}
	notmuch_messages_destroy(msgs);
out:
	notmuch_query_destroy(q);
	return ret;
}

struct each_ctx {
	int (*fn)(const struct mail_index_msg *m, void *data);
	void *data;
};

static int each_one(notmuch_message_t *msg, void *data)
{
	struct each_ctx *c = data;
	struct mail_index_msg m;

	m.id = notmuch_message_get_message_id(msg);
	m.thread = notmuch_message_get_thread_id(msg);
	m.subject = notmuch_message_get_header(msg, "subject");
	m.from = notmuch_message_get_header(msg, "from");
	m.filename = notmuch_message_get_filename(msg);
	m.date = notmuch_message_get_date(msg);
	if (!m.subject)
		m.subject = "";
	if (!m.from)
		m.from = "";
	return m.id && m.thread ? c->fn(&m, c->data) : 0;
}

int mail_index_each(struct mail_index *idx, const char *query,
		    unsigned long since_revision,
		    int (*fn)(const struct mail_index_msg *m, void *data),
		    void *data, struct err *err)
{
	struct each_ctx c = { fn, data };

	return each_message(idx, query, since_revision ? since_revision + 1 :
			    0, 0, each_one, &c, err);
}

int mail_index_each_changed(struct mail_index *idx, const char *query,
			    unsigned long from, unsigned long to,
			    int (*fn)(const struct mail_index_msg *m,
				      void *data),
			    void *data, struct err *err)
{
	struct each_ctx c = { fn, data };

	return each_message(idx, query, from, to, each_one, &c, err);
}

int mail_index_count(struct mail_index *idx, const char *query,
		     unsigned *count, struct err *err)
{
	return mail_index_count_changed(idx, query, 0, 0, count, err);
}

int mail_index_count_changed(struct mail_index *idx, const char *query,
			     unsigned long from, unsigned long to,
			     unsigned *count, struct err *err)
{
	notmuch_query_t *q;
	notmuch_status_t st;
	int ret = make_query(idx, query, from, to, &q, err);

	if (ret)
		return ret;
	st = notmuch_query_count_messages(q, count);
	if (st)
		ret = query_err(idx, err, st, query);
	notmuch_query_destroy(q);
	return ret;
}

int mail_index_add_file(struct mail_index *idx, const char *path,
			struct err *err)
{
	notmuch_message_t *msg = NULL;
	notmuch_status_t st;

	st = notmuch_database_index_file(idx->db, path, NULL, &msg);
	if (msg)
		notmuch_message_destroy(msg);
	if (st && st != NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID)
		return nm_err(err, st, path, NULL);
	return 0;
}

void mail_index_add_id_term(struct sbuf *q, const char *id)
{
	/* Xapian's quoted phrase: a quote inside is written twice. */
	sbuf_addstr(q, "id:\"");
	for (; *id; id++) {
		if (*id == '"')
			sbuf_addch(q, '"');
		sbuf_addch(q, *id);
	}
	sbuf_addch(q, '"');
}

struct thread_ctx {
	int (*fn)(const char *thread, const char *id, void *data);
	void *data;
};

static int thread_one(notmuch_message_t *msg, void *data)
{
	struct thread_ctx *c = data;
	const char *thread = notmuch_message_get_thread_id(msg);
	const char *id = notmuch_message_get_message_id(msg);

	return thread && id ? c->fn(thread, id, c->data) : 0;
}

int mail_index_each_thread(struct mail_index *idx, const char *query,
			   int (*fn)(const char *thread, const char *id,
				     void *data),
			   void *data, struct err *err)
{
	struct thread_ctx c = { fn, data };

	return each_message(idx, query, 0, 0, thread_one, &c, err);
}

struct tag_ctx {
	const struct vec *add, *remove;
	notmuch_bool_t sync;
	size_t changed;
	notmuch_status_t st;	/* the failure that stopped it */
};

static int tag_one(notmuch_message_t *msg, void *data)
{
	struct tag_ctx *c = data;
	notmuch_status_t st = notmuch_message_freeze(msg);

	for (size_t i = 0; !st && c->remove && i < c->remove->n; i++)
		st = notmuch_message_remove_tag(msg, c->remove->items[i]);
	for (size_t i = 0; !st && c->add && i < c->add->n; i++)
		st = notmuch_message_add_tag(msg, c->add->items[i]);
	if (!st)
		st = notmuch_message_thaw(msg);
	/* As notmuch tag does: unread, flagged, ... into maildir flags. */
	if (!st && c->sync)
		st = notmuch_message_tags_to_maildir_flags(msg);
	if (!st)
		c->changed++;
	c->st = st;
	return st ? 1 : 0;
}

int mail_index_tag(struct mail_index *idx, const char *query,
		   const struct vec *add, const struct vec *remove,
		   size_t *changed, struct err *err)
{
	struct tag_ctx c = { add, remove, FALSE, 0, NOTMUCH_STATUS_SUCCESS };
	notmuch_status_t st;
	int ret;

	notmuch_config_get_bool(idx->db, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS,
				&c.sync);
	st = notmuch_database_begin_atomic(idx->db);
	if (st)
		return nm_err(err, st, "tag", NULL);
	ret = each_message(idx, query, 0, 0, tag_one, &c, err);
	if (ret > 0)
		ret = nm_err(err, c.st, "tag", NULL);
	st = notmuch_database_end_atomic(idx->db);
	if (st && !ret)
		ret = nm_err(err, st, "tag", NULL);
	*changed = c.changed;
	return ret;
}

int mail_index_message(struct mail_index *idx, const char *id,
		       char **filename, struct vec *tags, struct err *err)
{
	notmuch_message_t *msg = NULL;
	notmuch_status_t st;
	notmuch_tags_t *t;

	st = notmuch_database_find_message(idx->db, id, &msg);
	if (st)
		return nm_err(err, st, id, NULL);
	if (!msg)
		return err_set(err, ERR_NOTFOUND, "<%s>: not in the database",
			       id);
	if (filename) {
		const char *f = notmuch_message_get_filename(msg);

		*filename = f ? xstrdup(f) : NULL;
	}
	for (t = notmuch_message_get_tags(msg); tags && t &&
	     notmuch_tags_valid(t); notmuch_tags_move_to_next(t))
		vec_push_str(tags, notmuch_tags_get(t));
	notmuch_message_destroy(msg);
	return 0;
}

void mail_index_user_addresses(struct mail_index *idx, struct vec *out)
{
	const char *primary = notmuch_config_get(idx->db,
						 NOTMUCH_CONFIG_PRIMARY_EMAIL);
	notmuch_config_values_t *v;

	if (primary && *primary)
		vec_push_str_unique(out, primary);
	for (v = notmuch_config_get_values(idx->db,
					   NOTMUCH_CONFIG_OTHER_EMAIL);
	     v && notmuch_config_values_valid(v);
	     notmuch_config_values_move_to_next(v)) {
		const char *s = notmuch_config_values_get(v);

		if (s && *s)
			vec_push_str_unique(out, s);
	}
	if (v)
		notmuch_config_values_destroy(v);
}
