/*
 * The git configuration as git itself reads it: `git config -z --list`
 * (every level, includes and conditional includes, GIT_CONFIG_GLOBAL,
 * GIT_CONFIG_NOSYSTEM and GIT_CONFIG_COUNT from the environment),
 * read once when opened and looked up here.
 *
 * Not libgit2's reader: it needs git_libgit2_init(), which with its
 * TLS backend (mbedTLS on Debian) parses every CA certificate of the
 * system first: 10 ms of the 50 a warm `vger series` has at a million
 * messages, where running git is about 5.  git is also the authority
 * on its own format (libgit2 1.5 knows fewer conditional includes).
 * The values are read as git's own `--type` reads them: bool, int with
 * k/m/g, path with ~/.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "front/gitconfig.h"
#include "util/err.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* One line of git's list: a value, or NULL for a key without '='. */
struct entry {
	char *name;
	char *value;
};

struct front_config {
	struct entry *e;
	size_t n, alloc;
	char *dir;		/* where it was read from, or NULL */
	char *buf;		/* git's output: the entries point into it */
	char *repo_dir;
	int repo_looked;
};

/* What git said on stderr, its first line, made one for a message. */
static const char *first_line(struct sbuf *sb)
{
	size_t n = strcspn(sb->buf ? sb->buf : "", "\n");

	sbuf_setlen(sb, n);
	return sb->len ? sb->buf : "no message";
}

/*
 * Run git (-C dir) with args; its output in out.  0, or the error
 * (ERR_GIT with what git said when it failed).
 */
static int run_git(const char *dir, const char *const *args, struct sbuf *out,
		   int quiet, struct err *err)
{
	const char *argv[16];
	struct sbuf errout = SBUF_INIT;
	struct run_options o = { NULL, 0, 0, &errout };
	size_t n = 0;
	int rc;

	argv[n++] = "git";
	if (dir) {
		argv[n++] = "-C";
		argv[n++] = dir;
	}
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	rc = run_capture(argv, &o, out, err);
	if (rc < 0 && !quiet && err) {
		char why[sizeof(err->msg)];

		/* Not in place: the message is formatted into err->msg. */
		snprintf(why, sizeof(why), "%s", err->msg);
		rc = err_set(err, ERR_NOTFOUND, "%s (the git config is read "
			     "by git): on Debian, apt install git", why);
	}
	if (rc > 0)
		rc = quiet ? -1 : err_set(err, ERR_GIT, "git config: %s",
					  first_line(&errout));
	sbuf_release(&errout);
	return rc;
}

int front_config_open(struct front_config **out, const char *dir,
		      struct err *err)
{
	static const char *const args[] = { "config", "-z", "--list", NULL };
	struct front_config *c = xcalloc(1, sizeof(*c));
	struct sbuf sb = SBUF_INIT;
	char *p, *end;
	size_t len;
	int ret;

	*out = NULL;
	ret = run_git(dir, args, &sb, 0, err);
	if (ret) {
		sbuf_release(&sb);
		free(c);
		return ret < 0 ? ret : -1;
	}
	c->dir = dir ? xstrdup(dir) : NULL;
	len = sb.len;
	c->buf = sbuf_detach(&sb);
	/* "name\nvalue\0" each, or "name\0" for a key without a value. */
	end = c->buf + len;
	for (p = c->buf; p < end; p += strlen(p) + 1) {
		char *nl = strchr(p, '\n');

		ALLOC_GROW(c->e, c->n + 1, c->alloc);
		c->e[c->n].name = p;
		c->e[c->n].value = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		c->n++;
	}
	*out = c;
	return 0;
}

void front_config_free(struct front_config *c)
{
	if (!c)
		return;
	free(c->e);
	free(c->buf);
	free(c->dir);
	free(c->repo_dir);
	free(c);
}

/* ASCII letters of [s, end) in lower case (git's, whatever the locale). */
static void lower(char *s, const char *end)
{
	for (; s < end; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * The key as git lists it: section and name in lower case, a
 * subsection as written.
 */
static char *key_norm(const char *key)
{
	char *k = xstrdup(key), *end = k + strlen(k);
	char *first = strchr(k, '.'), *last = strrchr(k, '.');

	lower(k, first ? first : end);
	if (last)
		lower(last, end);
	return k;
}

/* The last entry of key (a later level overrides), or NULL. */
static const struct entry *last_of(const struct front_config *c,
				   const char *key)
{
	char *k = key_norm(key);
	const struct entry *found = NULL;

	for (size_t i = c->n; i-- > 0 && !found;)
		if (!strcmp(c->e[i].name, k))
			found = &c->e[i];
	free(k);
	return found;
}

char *front_config_string(struct front_config *c, const char *key)
{
	const struct entry *e = last_of(c, key);

	/* A key without '=' is true as a bool, empty as a string. */
	return e ? xstrdup(e->value ? e->value : "") : NULL;
}

char *front_config_path(struct front_config *c, const char *key)
{
	const struct entry *e = last_of(c, key);
	const char *home = getenv("HOME");
	struct sbuf sb = SBUF_INIT;

	if (!e || !e->value)
		return e ? xstrdup("") : NULL;
	/* No home directory to expand ~ in: the value as written. */
	if (!home || !*home || strncmp(e->value, "~/", 2))
		return xstrdup(e->value);
	sbuf_addstr(&sb, home);
	sbuf_addstr(&sb, e->value + 1);
	return sbuf_detach(&sb);
}

/* git's integer: decimal with k, m or g (any case); 0, or -1. */
static int parse_long(const char *s, long *out)
{
	char *end;
	long v, unit = 1;

	errno = 0;
	v = strtol(s, &end, 0);
	if (end == s || errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		unit = 1024;
	else if (*end == 'm' || *end == 'M')
		unit = 1024 * 1024;
	else if (*end == 'g' || *end == 'G')
		unit = 1024L * 1024 * 1024;
	if (unit > 1)
		end++;
	if (*end || (v > 0 && v > LONG_MAX / unit) ||
	    (v < 0 && v < LONG_MIN / unit))
		return -1;
	*out = v * unit;
	return 0;
}

int front_config_bool(struct front_config *c, const char *key, int def)
{
	const struct entry *e = last_of(c, key);
	long n;

	if (!e)
		return def;
	if (!e->value || !strcasecmp(e->value, "true") ||
	    !strcasecmp(e->value, "yes") || !strcasecmp(e->value, "on"))
		return 1;
	if (!*e->value || !strcasecmp(e->value, "false") ||
	    !strcasecmp(e->value, "no") || !strcasecmp(e->value, "off"))
		return 0;
	return parse_long(e->value, &n) ? def : n != 0;
}

long front_config_long(struct front_config *c, const char *key, long def)
{
	const struct entry *e = last_of(c, key);
	long v;

	return e && e->value && !parse_long(e->value, &v) ? v : def;
}

void front_config_multi(struct front_config *c, const char *key,
			struct vec *out)
{
	char *k = key_norm(key);

	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, k))
			vec_push_str(out, c->e[i].value ? c->e[i].value : "");
	free(k);
}

const char *front_config_repo_dir(struct front_config *c)
{
	static const char *const top[] = { "rev-parse", "--show-toplevel",
					   NULL };
	static const char *const gitdir[] = { "rev-parse",
					      "--absolute-git-dir", NULL };
	struct sbuf sb = SBUF_INIT;

	/* Asked only by the commands that work in a repository. */
	if (c->repo_looked)
		return c->repo_dir;
	c->repo_looked = 1;
	/* A bare repository has no work tree: its git directory. */
	if (run_git(c->dir, top, &sb, 1, NULL)) {
		sbuf_reset(&sb);
		if (run_git(c->dir, gitdir, &sb, 1, NULL))
			sbuf_reset(&sb);
	}
	sbuf_trim(&sb);
	if (sb.len)
		c->repo_dir = sbuf_detach(&sb);
	sbuf_release(&sb);
	return c->repo_dir;
}

int front_config_each(struct front_config *c, const char *prefix,
		      int (*fn)(const char *name, const char *value,
				void *data),
		      void *data)
{
	size_t len = strlen(prefix);

	for (size_t i = 0; i < c->n; i++) {
		int ret;

		if (strncmp(c->e[i].name, prefix, len))
			continue;
		ret = fn(c->e[i].name, c->e[i].value, data);
		if (ret)
			return ret;
	}
	return 0;
}
