/*
 * The patchwork cache: the patches in memory, found by Message-ID, and
 * their file on disk.  The file is lines of tab-separated fields (a
 * header, then P lines for patches each followed by C lines for its
 * checks): it is read at every listing, and a line format reads ten
 * thousand patches in milliseconds where a JSON parse of the same
 * would not.  Fields never hold a tab or a line break (they are made
 * spaces when stored).
 */
#include <json-c/linkhash.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "patchwork/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

#define CACHE_MAGIC "vger-patchwork 1"
/* A cache larger than this is not ours. */
#define CACHE_MAX (512u << 20)
#define FIELDS_MAX (PW_RATE_SLOTS + 2)

const char *const pw_states[] = {
	"new", "under-review", "accepted", "changes-requested",
	"superseded", "rejected", "not-applicable", "awaiting-upstream",
	"deferred", "rfc", NULL
};

int pw_state_known(const char *name)
{
	for (size_t i = 0; name && pw_states[i]; i++)
		if (!strcmp(pw_states[i], name))
			return 1;
	return 0;
}

static const char *const check_names[PW_CHECK_MAX] = {
	"pending", "success", "warning", "fail"
};

const char *pw_check_state_name(enum pw_check_state s)
{
	return (unsigned)s < PW_CHECK_MAX ? check_names[s] : "pending";
}

int pw_check_state_parse(const char *name)
{
	for (int i = 0; name && i < PW_CHECK_MAX; i++)
		if (!strcmp(check_names[i], name))
			return i;
	return -1;
}

void pw_sync_options_init(struct pw_sync_options *o)
{
	memset(o, 0, sizeof(*o));
	o->url = PW_DEFAULT_URL;
	o->project = PW_DEFAULT_PROJECT;
	o->timeout_ms = 5000;
	o->max_requests = 12;
	o->rate_per_minute = 6;
	o->first_days = 14;
	o->per_page = 100;
	o->max_body = 8u << 20;
}

struct pw_db *pw_db_new(const char *url, const char *project)
{
	struct pw_db *db = xcalloc(1, sizeof(*db));

	db->url = xstrdup(url);
	db->project = xstrdup(project);
	db->by_msgid = lh_kchar_table_new(1024, NULL);
	return db;
}

static void check_free(void *p)
{
	struct pw_check *c = p;

	free(c->context);
	free(c->url);
	free(c);
}

static void patch_free(void *p)
{
	struct pw_patch *pp = p;

	free(pp->msgid);
	free(pp->name);
	free(pp->state);
	free(pp->delegate);
	free(pp->web_url);
	free(pp->date);
	vec_release(&pp->checks, check_free);
	free(pp);
}

void pw_db_free(struct pw_db *db)
{
	if (!db)
		return;
	free(db->url);
	free(db->project);
	free(db->patches_since);
	free(db->events_since);
	free(db->resume_patches);
	free(db->resume_events);
	free(db->error);
	vec_release(&db->patches, patch_free);
	vec_release_str(&db->duplicates);
	lh_table_free(db->by_msgid);
	free(db);
}

int pw_set_str(char **field, const char *s)
{
	if ((!*field && !s) || (*field && s && !strcmp(*field, s)))
		return 0;
	free(*field);
	*field = s ? xstrdup(s) : NULL;
	return 1;
}

/* A Message-ID without blanks and angle brackets; the caller frees. */
static char *bare_msgid(const char *m)
{
	size_t n;

	while (*m == ' ' || *m == '<')
		m++;
	n = strlen(m);
	while (n && (m[n - 1] == ' ' || m[n - 1] == '>' || m[n - 1] == '\n'))
		n--;
	return xstrndup(m, n);
}

static void index_patch(struct pw_db *db, struct pw_patch *p)
{
	void *old = NULL;

	if (lh_table_lookup_ex(db->by_msgid, p->msgid, &old)) {
		struct pw_patch *o = old;

		if (o->id != p->id &&
		    vec_find_str(&db->duplicates, p->msgid) < 0)
			vec_push_str(&db->duplicates, p->msgid);
		if (o->id >= p->id)
			return;
		lh_table_delete(db->by_msgid, p->msgid);
	}
	lh_table_insert(db->by_msgid, p->msgid, p);
}

struct pw_patch *pw_db_add(struct pw_db *db, long id, const char *msgid)
{
	struct pw_patch *p = xcalloc(1, sizeof(*p));

	p->id = id;
	p->msgid = bare_msgid(msgid);
	p->check = -1;
	vec_push(&db->patches, p);
	index_patch(db, p);
	return p;
}

struct pw_patch *pw_db_get(struct pw_db *db, long id, const char *msgid)
{
	char *m = bare_msgid(msgid);
	void *v = NULL;
	struct pw_patch *p = NULL;

	if (lh_table_lookup_ex(db->by_msgid, m, &v)) {
		p = v;
		/* Two patches with one Message-ID: the one with this id. */
		for (size_t i = 0; p->id != id && i < db->patches.n; i++) {
			struct pw_patch *q = db->patches.items[i];

			if (q->id == id && !strcmp(q->msgid, m))
				p = q;
		}
		if (p->id != id)
			p = NULL;
	}
	free(m);
	return p;
}

const struct pw_patch *pw_db_find(const struct pw_db *db, const char *msgid)
{
	char *m;
	void *v = NULL;

	if (!db || !msgid)
		return NULL;
	m = bare_msgid(msgid);
	if (!lh_table_lookup_ex(db->by_msgid, m, &v))
		v = NULL;
	free(m);
	return v;
}

int pw_patch_set_check(struct pw_patch *p, long id,
		       enum pw_check_state state, const char *context,
		       const char *url)
{
	struct pw_check *c;

	for (size_t i = 0; i < p->checks.n; i++) {
		c = p->checks.items[i];
		if (strcmp(c->context, context))
			continue;
		if (c->id > id)
			return 0;	/* an older one, arrived late */
		if (c->id == id && c->state == state)
			return 0;
		c->id = id;
		c->state = state;
		pw_set_str(&c->url, url);
		return 1;
	}
	c = xcalloc(1, sizeof(*c));
	c->id = id;
	c->state = state;
	c->context = xstrdup(context);
	c->url = url ? xstrdup(url) : NULL;
	vec_push(&p->checks, c);
	return 1;
}

char *pw_cache_path(const char *cache_dir, const char *url,
		    const char *project)
{
	struct sbuf sb = SBUF_INIT;
	const char *host = strstr(url, "://");
	char *path;

	host = host ? host + 3 : url;
	sbuf_addstr(&sb, "patchwork-");
	/* The host and project, made a file name. */
	for (const char *s = host; *s && *s != '/'; s++)
		sbuf_addch(&sb, (*s >= 'a' && *s <= 'z') ||
			   (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '.' ? *s : '_');
	sbuf_addch(&sb, '-');
	for (const char *s = project; *s; s++)
		sbuf_addch(&sb, (*s >= 'a' && *s <= 'z') ||
			   (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '.' ? *s : '_');
	sbuf_addstr(&sb, ".tsv");
	path = path_join(cache_dir, sb.buf);
	sbuf_release(&sb);
	return path;
}

/* ---- the file ---- */

/* A field: the string with tabs and line breaks made spaces; "-" for
 * NULL (and "\\-" for a real "-", "\\" doubled). */
static void put_field(struct sbuf *sb, const char *s)
{
	sbuf_addch(sb, '\t');
	if (!s) {
		sbuf_addch(sb, '-');
		return;
	}
	if (!*s || (s[0] == '-' && !s[1]) || s[0] == '\\')
		sbuf_addch(sb, '\\');
	for (; *s; s++)
		sbuf_addch(sb, *s == '\t' || *s == '\n' || *s == '\r' ?
			   ' ' : *s);
}

static void put_time(struct sbuf *sb, const char *key, time_t t)
{
	sbuf_addf(sb, "%s\t%lld\n", key, (long long)t);
}

static void put_str(struct sbuf *sb, const char *key, const char *s)
{
	sbuf_addstr(sb, key);
	put_field(sb, s);
	sbuf_addch(sb, '\n');
}

int pw_db_save(const struct pw_db *db, const char *path, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int ret;

	if (slash) {
		*slash = '\0';
		if (fs_mkdir_p(dir, err) < 0) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	sbuf_addstr(&sb, CACHE_MAGIC "\n");
	put_str(&sb, "url", db->url);
	put_str(&sb, "project", db->project);
	put_time(&sb, "synced", db->synced);
	put_time(&sb, "fetched", db->fetched);
	put_str(&sb, "patches_since", db->patches_since);
	put_str(&sb, "events_since", db->events_since);
	put_str(&sb, "resume_patches", db->resume_patches);
	put_str(&sb, "resume_events", db->resume_events);
	put_time(&sb, "retry_after", db->retry_after);
	put_time(&sb, "last_modified", db->last_modified);
	put_str(&sb, "error", db->error);
	put_time(&sb, "error_time", db->error_time);
	sbuf_addstr(&sb, "requests");
	for (int i = 0; i < PW_RATE_SLOTS; i++)
		sbuf_addf(&sb, "\t%lld", (long long)db->requests[i]);
	sbuf_addch(&sb, '\n');
	for (size_t i = 0; i < db->patches.n; i++) {
		const struct pw_patch *p = db->patches.items[i];

		sbuf_addf(&sb, "P\t%ld", p->id);
		put_field(&sb, p->msgid);
		put_field(&sb, p->state);
		put_field(&sb, p->delegate);
		sbuf_addf(&sb, "\t%ld\t%d", p->series, p->check);
		put_field(&sb, p->date);
		put_field(&sb, p->web_url);
		put_field(&sb, p->name);
		sbuf_addch(&sb, '\n');
		for (size_t j = 0; j < p->checks.n; j++) {
			const struct pw_check *c = p->checks.items[j];

			sbuf_addf(&sb, "C\t%ld\t%d", c->id, (int)c->state);
			put_field(&sb, c->context);
			put_field(&sb, c->url);
			sbuf_addch(&sb, '\n');
		}
	}
	ret = fs_write_atomic(path, sb.buf, sb.len, err);
	sbuf_release(&sb);
	return ret < 0 ? -1 : 0;
}

/* Split line (NUL-terminated, written into) at tabs; the count. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (char *s = line; *s && n < max; s++) {
		if (*s == '\t') {
			*s = '\0';
			f[n++] = s + 1;
		}
	}
	return n;
}

/* A field's value: NULL for "-", the escape taken off. */
static const char *field(const char *f)
{
	if (f[0] == '-' && !f[1])
		return NULL;
	return f[0] == '\\' ? f + 1 : f;
}

static char *field_dup(const char *f)
{
	const char *v = field(f);

	return v ? xstrdup(v) : NULL;
}

static int num(const char *f, long *out)
{
	return str_to_long(f, out);
}

static int load_header(struct pw_db *db, char **f, int n)
{
	long v = 0;

	if (n == 2 && !strcmp(f[0], "url"))
		return pw_set_str(&db->url, field(f[1])), 0;
	if (n == 2 && !strcmp(f[0], "project"))
		return pw_set_str(&db->project, field(f[1])), 0;
	if (n == 2 && !strcmp(f[0], "patches_since"))
		return pw_set_str(&db->patches_since, field(f[1])), 0;
	if (n == 2 && !strcmp(f[0], "events_since"))
		return pw_set_str(&db->events_since, field(f[1])), 0;
	if (n == 2 && !strcmp(f[0], "resume_patches"))
		return pw_set_str(&db->resume_patches, field(f[1])), 0;
	if (n == 2 && !strcmp(f[0], "resume_events"))
		return pw_set_str(&db->resume_events, field(f[1])), 0;
	if (n == 2 && !strcmp(f[0], "error"))
		return pw_set_str(&db->error, field(f[1])), 0;
	if (n == 2 && !num(f[1], &v)) {
		if (!strcmp(f[0], "synced"))
			db->synced = v;
		else if (!strcmp(f[0], "fetched"))
			db->fetched = v;
		else if (!strcmp(f[0], "retry_after"))
			db->retry_after = v;
		else if (!strcmp(f[0], "last_modified"))
			db->last_modified = v != 0;
		else if (!strcmp(f[0], "error_time"))
			db->error_time = v;
		else
			return -1;
		return 0;
	}
	if (n == PW_RATE_SLOTS + 1 && !strcmp(f[0], "requests")) {
		for (int i = 0; i < PW_RATE_SLOTS; i++) {
			if (num(f[i + 1], &v))
				return -1;
			db->requests[i] = v;
		}
		return 0;
	}
	return -1;
}

int pw_db_load(const char *path, struct pw_db **out, struct err *err)
{
	struct sbuf sb = SBUF_INIT;
	struct pw_db *db;
	struct pw_patch *p = NULL;
	char *line, *next, *f[FIELDS_MAX];
	size_t lineno = 1;
	int n;

	*out = NULL;
	if (!fs_exists(path))
		return 0;
	/* a FIFO or a device there is refused, not waited on */
	if (sbuf_read_regular(&sb, path, CACHE_MAX, err) < 0)
		return -1;
	line = sb.buf;
	next = strchr(line, '\n');
	if (!next || (size_t)(next - line) != strlen(CACHE_MAGIC) ||
	    memcmp(line, CACHE_MAGIC, strlen(CACHE_MAGIC))) {
		sbuf_release(&sb);
		return err_set(err, ERR_PARSE, "%s: not a vger patchwork "
			       "cache", path);
	}
	db = pw_db_new("", "");
	for (line = next + 1; *line; line = next) {
		long id, st, series, check;

		lineno++;
		next = strchr(line, '\n');
		if (!next)
			goto bad;	/* cut short */
		*next++ = '\0';
		n = split(line, f, FIELDS_MAX);
		if (n == 10 && !strcmp(f[0], "P")) {
			if (num(f[1], &id) || !field(f[2]) ||
			    num(f[5], &series) || num(f[6], &check))
				goto bad;
			p = pw_db_add(db, id, field(f[2]));
			p->state = field_dup(f[3]);
			p->delegate = field_dup(f[4]);
			p->series = series;
			p->check = check >= 0 && check < PW_CHECK_MAX ?
				(int)check : -1;
			p->date = field_dup(f[7]);
			p->web_url = field_dup(f[8]);
			p->name = field_dup(f[9]);
		} else if (n == 5 && !strcmp(f[0], "C")) {
			if (!p || num(f[1], &id) || num(f[2], &st) ||
			    st < 0 || st >= PW_CHECK_MAX || !field(f[3]))
				goto bad;
			pw_patch_set_check(p, id, (enum pw_check_state)st,
					   field(f[3]), field(f[4]));
		} else if (load_header(db, f, n) < 0) {
			goto bad;
		}
	}
	sbuf_release(&sb);
	*out = db;
	return 1;
bad:
	sbuf_release(&sb);
	pw_db_free(db);
	return err_set(err, ERR_PARSE, "%s:%zu: not a line of a vger "
		       "patchwork cache", path, lineno);
}
