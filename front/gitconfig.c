#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "front/gitconfig.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

struct front_config {
	git_config *cfg;
	char *repo_dir;
};

static int git_fail(struct err *err, const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, ERR_GIT, "%s: %s", what,
		       e && e->message ? e->message : "unknown libgit2 error");
}

static int add_file(git_config *cfg, const char *path,
		    git_config_level_t level, struct err *err)
{
	if (!path || !*path || !strcmp(path, "/dev/null"))
		return 0;
	if (git_config_add_file_ondisk(cfg, path, level, NULL, 0) < 0 &&
	    git_error_last() && git_error_last()->klass != GIT_ERROR_OS)
		return git_fail(err, path);
	return 0;
}

static int add_found(git_config *cfg, int (*find)(git_buf *),
		     git_config_level_t level, struct err *err)
{
	git_buf buf = { 0 };
	int ret = 0;

	if (!find(&buf))
		ret = add_file(cfg, buf.ptr, level, err);
	git_buf_dispose(&buf);
	return ret;
}

int front_config_open(struct front_config **out, const char *dir,
		    struct err *err)
{
	struct front_config *c = xcalloc(1, sizeof(*c));
	const char *global = getenv("GIT_CONFIG_GLOBAL");
	git_repository *repo = NULL;
	int ret;

	git_libgit2_init();
	if (git_config_new(&c->cfg) < 0) {
		ret = git_fail(err, "git config");
		goto fail;
	}
	if (!getenv("GIT_CONFIG_NOSYSTEM")) {
		ret = add_found(c->cfg, git_config_find_system,
				GIT_CONFIG_LEVEL_SYSTEM, err);
		if (ret)
			goto fail;
	}
	if (global) {
		ret = add_file(c->cfg, global, GIT_CONFIG_LEVEL_GLOBAL, err);
	} else {
		ret = add_found(c->cfg, git_config_find_xdg,
				GIT_CONFIG_LEVEL_XDG, err);
		if (!ret)
			ret = add_found(c->cfg, git_config_find_global,
					GIT_CONFIG_LEVEL_GLOBAL, err);
	}
	if (ret)
		goto fail;
	if (!git_repository_open_ext(&repo, dir ? dir : ".", 0, NULL)) {
		const char *gitdir = git_repository_path(repo);
		const char *wd = git_repository_workdir(repo);
		char *local = xmalloc(strlen(gitdir) + sizeof("config"));

		memcpy(local, gitdir, strlen(gitdir));
		memcpy(local + strlen(gitdir), "config", sizeof("config"));
		ret = add_file(c->cfg, local, GIT_CONFIG_LEVEL_LOCAL, err);
		free(local);
		c->repo_dir = xstrdup(wd ? wd : gitdir);
		git_repository_free(repo);
		if (ret)
			goto fail;
	}
	git_error_clear();
	*out = c;
	return 0;
fail:
	front_config_free(c);
	return ret;
}

void front_config_free(struct front_config *c)
{
	if (!c)
		return;
	git_config_free(c->cfg);
	free(c->repo_dir);
	free(c);
	git_libgit2_shutdown();
}

char *front_config_string(struct front_config *c, const char *key)
{
	git_buf buf = { 0 };
	char *s = NULL;

	if (!git_config_get_string_buf(&buf, c->cfg, key))
		s = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	git_error_clear();
	return s;
}

char *front_config_path(struct front_config *c, const char *key)
{
	git_buf buf = { 0 };
	char *s = NULL;

	if (!git_config_get_path(&buf, c->cfg, key))
		s = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	git_error_clear();
	/* No home directory to expand ~ in: give the value as written. */
	return s ? s : front_config_string(c, key);
}

int front_config_bool(struct front_config *c, const char *key, int def)
{
	int v;

	if (git_config_get_bool(&v, c->cfg, key) < 0) {
		git_error_clear();
		return def;
	}
	return v;
}

long front_config_long(struct front_config *c, const char *key, long def)
{
	int64_t v;

	if (git_config_get_int64(&v, c->cfg, key) < 0) {
		git_error_clear();
		return def;
	}
	return (long)v;
}

static int push_entry(const git_config_entry *e, void *data)
{
	vec_push_str(data, e->value);
	return 0;
}

void front_config_multi(struct front_config *c, const char *key, struct vec *out)
{
	git_config_get_multivar_foreach(c->cfg, key, NULL, push_entry, out);
	git_error_clear();
}

const char *front_config_repo_dir(const struct front_config *c)
{
	return c->repo_dir;
}

struct each_ctx {
	const char *prefix;
	size_t len;
	int (*fn)(const char *name, const char *value, void *data);
	void *data;
};

/*
 * The prefix is compared here rather than given to libgit2 as a regex
 * (git_config_foreach_match()): libgit2 1.5's regex match leaks its
 * PCRE2 match data (20 KB) for every entry that does not match
 * (libgit2 #6382, fixed in 1.6), so each call cost that much for each
 * entry of the configuration.  libgit2 gives section and key in lower
 * case, as the regex compared them.
 */
static int each_entry(const git_config_entry *e, void *data)
{
	struct each_ctx *c = data;

	if (strncmp(e->name, c->prefix, c->len))
		return 0;
	return c->fn(e->name, e->value, c->data);
}

int front_config_each(struct front_config *c, const char *prefix,
		      int (*fn)(const char *name, const char *value,
				void *data),
		      void *data)
{
	struct each_ctx ctx = { prefix, strlen(prefix), fn, data };
	int ret;

	ret = git_config_foreach(c->cfg, each_entry, &ctx);
	git_error_clear();
	return ret < 0 && ret != GIT_EUSER ? 0 : ret;
}
