/* What git history says of one commit (series/history.h), with libgit2. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "mail/address.h"
#include "mail/trailer.h"
#include "series/history.h"
#include "series/private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* A backport names its upstream commit with at least this much of it. */
#define HISTORY_ABBREV_MIN 12

static int git_fail(struct err *err, const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, ERR_GIT, "%s: %s", what,
		       e && e->message ? e->message : "unknown libgit2 error");
}

static int open_repo(git_repository **repo, const char *dir, struct err *err)
{
	git_libgit2_init();
	if (git_repository_open_ext(repo, dir ? dir : ".", 0, NULL) < 0) {
		git_libgit2_shutdown();
		return err_set(err, ERR_NOTFOUND, "%s is not in a git "
			       "repository", dir ? dir : "the working "
			       "directory");
	}
	return 0;
}

static void close_repo(git_repository *repo)
{
	git_repository_free(repo);
	git_libgit2_shutdown();
}

/* "Name <email>" with .mailmap applied (mm may be NULL). */
static char *person(git_mailmap *mm, const char *name, const char *email)
{
	const char *rn = name, *re = email;
	struct sbuf sb = SBUF_INIT;

	if (mm && git_mailmap_resolve(&rn, &re, mm, name, email) < 0) {
		rn = name;
		re = email;
	}
	if (rn && *rn)
		sbuf_addf(&sb, "%s <%s>", rn, re);
	else
		sbuf_addstr(&sb, re);
	return sbuf_detach(&sb);
}

/*
 * The people and Fixes: lines of a commit message, read by the one
 * trailer reader (mail/trailer.h).
 */
static void read_trailers(git_mailmap *mm, const char *msg,
			  struct series_commit_info *c)
{
	for (const char *p = msg; *p;) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);
		struct mail_trailer t;

		if (!mail_trailer_parse_line(&t, line)) {
			if ((t.kind == MAIL_TRAILER_SIGNED_OFF ||
			     t.kind == MAIL_TRAILER_ACKED ||
			     t.kind == MAIL_TRAILER_REVIEWED) && t.email) {
				char *pp = person(mm, t.name, t.email);

				if (mail_address_find(&c->people, pp) < 0)
					vec_push(&c->people, pp);
				else
					free(pp);
			} else if (t.kind == MAIL_TRAILER_FIXES) {
				size_t n = strspn(t.value, "0123456789abcdef"
						  "ABCDEF");

				if (n >= 4)
					vec_push(&c->fixes,
						 xstrndup(t.value, n));
			}
			mail_trailer_release(&t);
		}
		free(line);
		p += len + (p[len] == '\n');
	}
}

static int lookup_commit(git_repository *repo, const char *rev,
			 git_commit **out, struct err *err)
{
	git_object *obj = NULL;
	int rc = git_revparse_single(&obj, repo, rev);

	if (rc == GIT_EAMBIGUOUS)
		return err_set(err, ERR_USAGE, "'%s' is ambiguous: more than "
			       "one object has that id; give more of it", rev);
	if (rc < 0)
		return err_set(err, ERR_NOTFOUND, "no commit '%s' in this "
			       "repository", rev);
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return err_set(err, ERR_USAGE, "'%s' is not a commit", rev);
	return 0;
}

int series_commit_info(const char *dir, const char *rev,
		       struct series_commit_info *out, struct err *err)
{
	git_repository *repo = NULL;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_mailmap *mm = NULL;
	const git_signature *sig;
	const char *msg;
	int ret;

	ret = open_repo(&repo, dir, err);
	if (ret)
		return ret;
	ret = lookup_commit(repo, rev, &commit, err);
	if (ret)
		goto out;
	if (git_mailmap_from_repository(&mm, repo) < 0)
		mm = NULL;
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(commit));
	msg = git_commit_message(commit);
	out->message = xstrdup(msg ? msg : "");
	out->subject = xstrndup(out->message, strcspn(out->message, "\n"));
	sig = git_commit_author(commit);
	out->author = person(mm, sig->name, sig->email);
	sig = git_commit_committer(commit);
	out->committer = person(mm, sig->name, sig->email);
	read_trailers(mm, out->message, out);
	series_repo_skip_index(repo);
	if (git_commit_tree(&tree, commit) < 0) {
		ret = git_fail(err, rev);
		goto out;
	}
	if (git_commit_parentcount(commit) &&
	    (git_commit_parent(&parent, commit, 0) < 0 ||
	     git_commit_tree(&ptree, parent) < 0)) {
		ret = git_fail(err, rev);
		goto out;
	}
	series_tree_changed_paths(repo, ptree, tree, &out->files);
out:
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(commit);
	git_mailmap_free(mm);
	close_repo(repo);
	return ret;
}

void series_commit_info_release(struct series_commit_info *c)
{
	free(c->subject);
	free(c->message);
	free(c->author);
	free(c->committer);
	vec_release_str(&c->people);
	vec_release_str(&c->fixes);
	vec_release_str(&c->files);
	c->subject = c->message = c->author = c->committer = NULL;
}

void series_commit_reference(const struct series_commit_info *c,
			     struct sbuf *out)
{
	sbuf_addf(out, "%.12s (\"%s\")", c->id, c->subject ? c->subject : "");
}

/* ---- the stable branches ---- */

void series_stable_free(void *p)
{
	struct series_stable *s = p;

	if (!s)
		return;
	free(s->branch);
	free(s->carried_as);
	free(s);
}

/*
 * Whether a line of a backport's message names upstream commit id:
 * "commit <id> upstream.", "[ Upstream commit <id> ]", "(cherry
 * picked from commit <id>)"; the id whole or its first 12 or more.
 */
static int names_upstream(const char *line, size_t len, const char *id)
{
	static const char *const forms[] = {
		"commit ", "[ upstream commit ", "upstream commit ",
		"(cherry picked from commit ", NULL
	};

	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	for (size_t i = 0; forms[i]; i++) {
		size_t k = strlen(forms[i]), n;

		if (len <= k || strncasecmp(line, forms[i], k))
			continue;
		n = 0;
		while (k + n < len && isxdigit((unsigned char)line[k + n]))
			n++;
		if (n >= HISTORY_ABBREV_MIN && n <= 40 &&
		    !strncasecmp(line + k, id, n))
			return 1;
	}
	return 0;
}

static int message_names(const char *msg, const char *id)
{
	for (const char *p = msg; id && *p;) {
		size_t len = strcspn(p, "\n");

		if (names_upstream(p, len, id))
			return 1;
		p += len + (p[len] == '\n');
	}
	return 0;
}

/*
 * Walk the branch from tip back to where it meets the commit's line
 * (their merge base): a commit whose message names id (and bug_id)
 * upstream is its backport.
 */
static int walk_backports(git_repository *repo, const git_oid *tip,
			  const git_oid *commit, const char *id,
			  const char *bug_id, char **carried, int *has_bug)
{
	git_revwalk *walk = NULL;
	git_oid base, oid;
	int ret = 0;

	if (git_merge_base(&base, repo, tip, commit) < 0)
		return 0;	/* no history in common: nothing to find */
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push(walk, tip) < 0 ||
	    git_revwalk_hide(walk, &base) < 0) {
		ret = -1;
		goto out;
	}
	while (!git_revwalk_next(&oid, walk) && (!*carried || !*has_bug)) {
		git_commit *c;
		const char *msg;

		if (git_commit_lookup(&c, repo, &oid) < 0)
			continue;
		msg = git_commit_message(c);
		if (!*carried && msg && message_names(msg, id)) {
			char hex[41];

			git_oid_tostr(hex, sizeof(hex), &oid);
			*carried = xstrdup(hex);
		}
		if (!*has_bug && msg && message_names(msg, bug_id))
			*has_bug = 1;
		git_commit_free(c);
	}
out:
	git_revwalk_free(walk);
	return ret;
}

/* "linux-6.12.y" of "refs/remotes/origin/linux-6.12.y": 6, 12. */
static void version_of(const char *branch, long *major, long *minor)
{
	const char *p = strrchr(branch, '/');
	char *end;

	p = p ? p + 1 : branch;
	*major = strtol(p + strlen("linux-"), &end, 10);
	*minor = *end == '.' ? strtol(end + 1, NULL, 10) : 0;
}

static int by_version(const void *a, const void *b)
{
	const struct series_stable *x = *(void *const *)a;
	const struct series_stable *y = *(void *const *)b;
	long xa, xb, ya, yb;

	version_of(x->branch, &xa, &xb);
	version_of(y->branch, &ya, &yb);
	if (xa != ya)
		return xa < ya ? -1 : 1;
	if (xb != yb)
		return xb < yb ? -1 : 1;
	return strcmp(x->branch, y->branch);
}

struct stable_ctx {
	git_repository *repo;
	git_oid commit, bug;
	int have_bug;
	const char *id, *bug_id;
	struct vec *out;
	int failed;
};

static int stable_ref(const char *name, void *data)
{
	struct stable_ctx *c = data;
	const char *shown;
	struct series_stable *s;
	git_oid tip;

	if (!fnmatch("refs/heads/linux-*.y", name, FNM_PATHNAME))
		shown = name + strlen("refs/heads/");
	else if (!fnmatch("refs/remotes/*/linux-*.y", name, FNM_PATHNAME))
		shown = name + strlen("refs/remotes/");
	else
		return 0;
	if (git_reference_name_to_id(&tip, c->repo, name) < 0)
		return 0;
	s = xcalloc(1, sizeof(*s));
	s->branch = xstrdup(shown);
	s->has_bug = c->have_bug ? 0 : -1;
	if (git_oid_equal(&tip, &c->commit) ||
	    git_graph_descendant_of(c->repo, &tip, &c->commit) == 1)
		s->carried_as = xstrdup(c->id);
	if (c->have_bug && (git_oid_equal(&tip, &c->bug) ||
			    git_graph_descendant_of(c->repo, &tip,
						    &c->bug) == 1))
		s->has_bug = 1;
	if ((!s->carried_as || !s->has_bug) &&
	    walk_backports(c->repo, &tip, &c->commit, c->id,
			   c->have_bug && s->has_bug != 1 ? c->bug_id : NULL,
			   &s->carried_as, &s->has_bug) < 0)
		c->failed = 1;
	vec_push(c->out, s);
	return 0;
}

int series_stable_find(const char *dir, const char *id, const char *bug_id,
		       struct vec *out, struct err *err)
{
	struct stable_ctx c;
	size_t before = out->n;
	int ret;

	memset(&c, 0, sizeof(c));
	ret = open_repo(&c.repo, dir, err);
	if (ret)
		return ret;
	c.id = id;
	c.bug_id = bug_id;
	c.out = out;
	if (git_oid_fromstr(&c.commit, id) < 0) {
		ret = err_set(err, ERR_USAGE, "'%s' is not a whole commit id",
			      id);
		goto out;
	}
	c.have_bug = bug_id && !git_oid_fromstr(&c.bug, bug_id);
	if (git_reference_foreach_name(c.repo, stable_ref, &c) < 0 &&
	    git_error_last())
		ret = git_fail(err, "the stable branches");
	else if (c.failed)
		ret = git_fail(err, "walking a stable branch");
	if (!ret && out->n > before)
		qsort(out->items + before, out->n - before,
		      sizeof(*out->items), by_version);
out:
	close_repo(c.repo);
	return ret;
}
