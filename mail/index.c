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
#include "util/xmalloc.h"

struct mail_index {
	notmuch_database_t *db;
	char *path;
};

static int nm_err(struct err *err, notmuch_status_t st, const char *what,
		  char *msg)
{
	int ret = err_set(err, ERR_NOTMUCH, "%s: %s%s%s", what,
			  notmuch_status_to_string(st), msg ? ": " : "",
			  msg ? msg : "");

	/* notmuch's messages end in a newline; ours do not. */
	if (err) {
		size_t n = strlen(err->msg);

		while (n && err->msg[n - 1] == '\n')
			err->msg[--n] = '\0';
	}
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

static int make_query(struct mail_index *idx, const char *query,
		      unsigned long since, notmuch_query_t **out,
		      struct err *err)
{
	struct sbuf q = SBUF_INIT;
	notmuch_status_t st;

	if (since)
		sbuf_addf(&q, "(%s) and lastmod:%lu..", query, since + 1);
	else
		sbuf_addstr(&q, query);
	st = notmuch_query_create_with_syntax(idx->db, q.buf,
					      NOTMUCH_QUERY_SYNTAX_XAPIAN,
					      out);
	sbuf_release(&q);
	if (st)
		return nm_err(err, st, "query", NULL);
	notmuch_query_set_omit_excluded(*out, NOTMUCH_EXCLUDE_FALSE);
	return 0;
}

int mail_index_each(struct mail_index *idx, const char *query,
		    unsigned long since_revision,
		    int (*fn)(const struct mail_index_msg *m, void *data),
		    void *data, struct err *err)
{
	notmuch_query_t *q;
	notmuch_messages_t *msgs;
	notmuch_status_t st;
	int ret;

	ret = make_query(idx, query, since_revision, &q, err);
	if (ret)
		return ret;
	/* Unsorted: sorting is Xapian work the caller does not need. */
	notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	st = notmuch_query_search_messages(q, &msgs);
	if (st) {
		ret = nm_err(err, st, query, NULL);
		goto out;
	}
	for (; notmuch_messages_valid(msgs);
	     notmuch_messages_move_to_next(msgs)) {
		notmuch_message_t *msg = notmuch_messages_get(msgs);
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
		ret = m.id && m.thread ? fn(&m, data) : 0;
		notmuch_message_destroy(msg);
		if (ret)
			break;
	}
	notmuch_messages_destroy(msgs);
out:
	notmuch_query_destroy(q);
	return ret;
}

int mail_index_count(struct mail_index *idx, const char *query,
		     unsigned *count, struct err *err)
{
	notmuch_query_t *q;
	notmuch_status_t st;
	int ret = make_query(idx, query, 0, &q, err);

	if (ret)
		return ret;
	st = notmuch_query_count_messages(q, count);
	notmuch_query_destroy(q);
	if (st)
		return nm_err(err, st, query, NULL);
	return 0;
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
