/*
 * The record of a series' sending (mail/send_record.h): which files a
 * server accepted, with their hashes and Message-Ids, one line each, so
 * that a series cut off half way is resumed without sending anything
 * twice.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "mail/private.h"
#include "mail/send_record.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* The longest record line read back (a path and a Message-Id). */
#define RECORD_LINE_MAX 8192

static const char *const status_names[] = { "pending", "sent", "unsure" };

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

char *mail_send_record_path(const char *dir, const struct mail_send_series *s)
{
	char *h = mail_send_hash_hex(s->key, strlen(s->key));
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s/%.32s.send", dir, h);
	free(h);
	return sbuf_detach(&sb);
}

/* s with control characters as '?', for a one-line record field. */
static char *one_line(const char *s)
{
	char *out = xstrdup(s);

	for (char *p = out; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	return out;
}

static struct mail_send_msg *msg_named(struct mail_send_series *s,
				       const char *name)
{
	for (size_t i = 0; i < s->msgs.n; i++) {
		struct mail_send_msg *m = s->msgs.items[i];
		char *n = one_line(base_name(m->path));
		int same = !strcmp(n, name);

		free(n);
		if (same)
			return m;
	}
	return NULL;
}

/* "sent 1700000000 <64 hex> <msgid> name" */
static int parse_entry(const char *line, struct mail_send_entry *e)
{
	const char *p = line;
	struct sbuf w = SBUF_INIT;
	unsigned long t;
	int ok = 0;

	memset(e, 0, sizeof(*e));
	if (scan_until_any(&p, " ", &w, 16))
		goto out;
	for (int i = 0; i <= MAIL_SEND_UNSURE; i++)
		if (!strcmp(w.buf, status_names[i])) {
			e->status = (enum mail_send_status)i;
			ok = 1;
		}
	if (!ok || scan_expect(&p, ' ') || scan_uint(&p, &t, 12) ||
	    scan_expect(&p, ' ') || scan_until_any(&p, " ", &w, 64) ||
	    w.len != 64 || !str_is_hex(w.buf, 64)) {
		ok = 0;
		goto out;
	}
	e->sent_at = (time_t)t;
	e->hash = xstrdup(w.buf);
	if (scan_expect(&p, ' ') ||
	    scan_until_any(&p, " ", &w, RECORD_LINE_MAX) ||
	    scan_expect(&p, ' ') || !*p) {
		ok = 0;
		goto out;
	}
	e->msgid = xstrdup(w.buf);
	e->name = xstrdup(p);
out:
	sbuf_release(&w);
	if (!ok) {
		free(e->hash);
		free(e->msgid);
		free(e->name);
	}
	return ok ? 0 : -1;
}

/*
 * Read the record at path into s; with check_key, a record kept under
 * another key is an error (a record found by its files' content is
 * read without).
 */
static int record_load(struct mail_send_series *s, const char *path,
		       int check_key, struct err *err)
{
	struct sbuf text = SBUF_INIT, line = SBUF_INIT;
	const char *p;
	unsigned lineno = 0;
	char *key = one_line(s->key);
	int ret, has_key = 0;

	if (!fs_exists(path)) {
		free(key);
		return 0;
	}
	ret = sbuf_read_regular(&text, path, 1 << 20, err);
	if (ret) {
		/* a FIFO, a device, a directory: say which file this is */
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err ? err->msg : "");
		ret = err_set(err, (enum err_code)-ret, "the record of this "
			      "series' sending: %s; what went out of it is "
			      "not known", why);
		goto out;
	}
	/*
	 * Every record is written whole with its key first: one without
	 * was emptied or cut short (a full disk), and says nothing of
	 * what went out.  Sending as if nothing had would send twice.
	 */
	for (p = text.buf; *p && !has_key;) {
		size_t len = str_line_len(p);

		has_key = str_starts_with(p, "key ");
		p += len + (p[len] == '\n');
	}
	if (!has_key) {
		ret = err_set(err, ERR_PARSE, "%s: an empty or cut record "
			      "(a full disk?): what was sent of this series "
			      "is not known; move the file away if you know "
			      "nothing of it was sent", path);
		goto out;
	}
	p = text.buf;
	while (*p) {
		struct mail_send_entry e;
		struct mail_send_msg *m;

		lineno++;
		if (scan_until_eol(&p, &line, RECORD_LINE_MAX)) {
			ret = err_set(err, ERR_PARSE, "%s:%u: a line too long",
				      path, lineno);
			goto out;
		}
		if (!line.len || line.buf[0] == '#')
			continue;
		if (str_starts_with(line.buf, "key ")) {
			if (check_key && strcmp(line.buf + 4, key)) {
				ret = err_set(err, ERR_PARSE, "%s:%u: the "
					      "record of another series",
					      path, lineno);
				goto out;
			}
			continue;
		}
		if (parse_entry(line.buf, &e)) {
			ret = err_set(err, ERR_PARSE, "%s:%u: not a record of "
				      "a sent message; move the file away "
				      "if you know what was sent", path,
				      lineno);
			goto out;
		}
		m = msg_named(s, e.name);
		if (m && e.status != MAIL_SEND_PENDING &&
		    strcmp(e.hash, m->hash)) {
			char when[32];
			struct tm tm;

			localtime_r(&e.sent_at, &tm);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
			ret = err_set(err, ERR_STATE, "%s changed since it "
				      "was %s on %s: this is not the series "
				      "that went out (the record is %s)",
				      m->path, e.status == MAIL_SEND_SENT ?
				      "sent" : "perhaps sent", when, path);
			free(e.hash);
			free(e.msgid);
			free(e.name);
			goto out;
		}
		if (m) {
			m->status = e.status;
			m->sent_at = e.sent_at;
			free(m->record_msgid);
			m->record_msgid = e.msgid;
			free(e.hash);
			free(e.name);
		} else {
			struct mail_send_entry *keep = xmalloc(sizeof(*keep));

			*keep = e;
			vec_push(&s->record, keep);
		}
	}
out:
	free(key);
	sbuf_release(&text);
	sbuf_release(&line);
	return ret;
}

int mail_send_record_load(struct mail_send_series *s, const char *path,
			  struct err *err)
{
	return record_load(s, path, 1, err);
}

int mail_send_record_load_moved(struct mail_send_series *s, const char *path,
				struct err *err)
{
	return record_load(s, path, 0, err);
}

/* How many of s's files the record text says went out (or may have). */
static size_t record_matches(const struct mail_send_series *s,
			     const char *text)
{
	struct sbuf line = SBUF_INIT;
	size_t n = 0;

	for (const char *p = text; *p;) {
		struct mail_send_entry e;

		if (scan_until_eol(&p, &line, RECORD_LINE_MAX))
			break;
		if (parse_entry(line.buf, &e))
			continue;
		for (size_t i = 0; e.status != MAIL_SEND_PENDING &&
		     i < s->msgs.n; i++)
			if (!strcmp(e.hash, ((const struct mail_send_msg *)
					     s->msgs.items[i])->hash)) {
				n++;
				break;
			}
		free(e.hash);
		free(e.msgid);
		free(e.name);
	}
	sbuf_release(&line);
	return n;
}

int mail_send_record_find(const char *dir, const struct mail_send_series *s,
			  const char *skip, char **found)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t best = 0;

	*found = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct sbuf text = SBUF_INIT;
		char *path;
		size_t n;

		if (de->d_name[0] == '.' || !str_ends_with(de->d_name, ".send"))
			continue;
		path = path_join(dir, de->d_name);
		n = skip && !strcmp(path, skip) ? 0 :
		    !sbuf_read_regular(&text, path, 1 << 20, NULL) ?
		    record_matches(s, text.buf) : 0;
		sbuf_release(&text);
		if (n > best) {
			best = n;
			free(*found);
			*found = path;
		} else {
			free(path);
		}
	}
	closedir(d);
	return *found != NULL;
}

int mail_send_record_save(const struct mail_send_series *s, const char *path,
			  struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	char *key = one_line(s->key), *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int ret = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		ret = fs_mkdir_p(dir, err);
	}
	free(dir);
	if (ret) {
		free(key);
		return ret;
	}
	sbuf_addf(&sb, "# vger send: what the server accepted of a series\n"
		  "key %s\n", key);
	for (size_t i = 0; i < s->msgs.n; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];
		const char *id = mail_send_final_msgid(m);
		char *name = one_line(base_name(m->path));

		if (id)
			sbuf_addf(&sb, "%s %ld %s %s %s\n",
				  status_names[m->status], (long)m->sent_at,
				  m->hash, id, name);
		free(name);
	}
	for (size_t i = 0; i < s->record.n; i++) {
		const struct mail_send_entry *e = s->record.items[i];

		sbuf_addf(&sb, "%s %ld %s %s %s\n", status_names[e->status],
			  (long)e->sent_at, e->hash, e->msgid, e->name);
	}
	ret = fs_write_atomic(path, sb.buf, sb.len, err);
	sbuf_release(&sb);
	free(key);
	return ret;
}

int mail_send_record_lock(const char *path, int *fd, struct err *err)
{
	struct sbuf lock = SBUF_INIT;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int ret = 0;

	*fd = -1;
	if (slash && slash != dir) {
		*slash = '\0';
		ret = fs_mkdir_p(dir, err);
	}
	free(dir);
	if (ret)
		return ret;
	sbuf_addf(&lock, "%s.lock", path);
	*fd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		ret = err_set(err, ERR_IO, "%s: %s", lock.buf, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB)) {
		ret = errno == EWOULDBLOCK ?
			err_set(err, ERR_STATE, "another vger send is sending "
				"this series (%s is locked)", lock.buf) :
			err_set(err, ERR_IO, "%s: %s", lock.buf,
				strerror(errno));
		close(*fd);
		*fd = -1;
	}
	sbuf_release(&lock);
	return ret;
}

void mail_send_set_status(struct mail_send_series *s, size_t i,
			  enum mail_send_status status, time_t now)
{
	struct mail_send_msg *m = s->msgs.items[i];

	m->status = status;
	m->sent_at = status == MAIL_SEND_PENDING ? 0 : now;
}
