/*
 * vger respin: commits → the files git format-patch would write.
 *
 * This file: the job, the range, trailers and the mails; writing them is
 * respin_write.c's.
 * libgit2 gives the range walk and the tree diffs (series/respin_diff.c);
 * the mail around them (headers, folding, diffstat, summary, shortlog)
 * follows git's rules in series/respin_fmt.c, because
 * git_email_create_from_commit() writes another layout than git
 * format-patch.  What is kept in the repository is respin_store.c.
 *
 * NEEDSWORK: the range walk is here, small, so it can move onto
 * series/patch.c (series_patches_from_range) once that exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/send.h"
#include "series/private.h"
#include "series/respin.h"
#include "series/respin_fmt.h"
#include "series/respin_private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define RESPIN_NAME_MAX 64	/* git's format.filenameMaxLength */

int respin_git_err(struct err *err, const char *fmt, const char *arg)
{
	const git_error *e = git_error_last();
	struct sbuf sb = SBUF_INIT;
	int ret;

	sbuf_addf(&sb, fmt, arg ? arg : "");
	ret = err_set(err, ERR_GIT, "%s: %s", sb.buf,
		      e && e->message ? e->message : "libgit2 error");
	sbuf_release(&sb);
	return ret;
}

int series_job_open(struct series_job **out, const char *dir,
		    struct err *err)
{
	struct series_job *job;
	git_reference *head = NULL;
	git_repository *repo;

	*out = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir ? dir : ".", 0, NULL) < 0)
		return respin_git_err(err, "%s: not a git repository",
			       dir ? dir : ".");
	job = xcalloc(1, sizeof(*job));
	job->repo = repo;
	job->abbrev = -1;
	job->config_path = path_join(git_repository_commondir(repo), "config");
	series_repo_skip_index(repo);
	if (!git_repository_head(&head, repo) && git_reference_is_branch(head))
		job->branch = xstrdup(git_reference_shorthand(head));
	git_reference_free(head);
	*out = job;
	return 0;
}

void series_job_free(struct series_job *job)
{
	if (!job)
		return;
	git_repository_free(job->repo);
	free(job->branch);
	free(job->config_path);
	vec_release_str(&job->touched);
	free(job);
	git_libgit2_shutdown();
}

const char *series_job_branch(const struct series_job *job)
{
	return job->branch;
}

/*
 * Does the work tree's path differ from HEAD's tree?  Hashing the few
 * files a series touches costs less than loading a kernel-sized index
 * (80k entries) for a status; a change staged and then undone in the
 * work tree goes unnoticed.
 */
static int path_dirty(git_repository *repo, git_tree *tree, const char *path)
{
	git_tree_entry *te = NULL;
	char *full = path_join(git_repository_workdir(repo), path);
	struct stat st;
	int dirty = 0;
	git_oid id;

	git_tree_entry_bypath(&te, tree, path);
	if (lstat(full, &st))
		dirty = te != NULL;
	else if (te && (S_ISLNK(st.st_mode) ||
			git_tree_entry_type(te) != GIT_OBJECT_BLOB ||
			git_repository_hashfile(&id, repo, full,
						GIT_OBJECT_BLOB, NULL) < 0 ||
			!git_oid_equal(&id, git_tree_entry_id(te))))
		dirty = !S_ISLNK(st.st_mode) ||
			git_tree_entry_filemode(te) != GIT_FILEMODE_LINK;
	git_tree_entry_free(te);
	free(full);
	return dirty;
}

/* A warning when the paths the series touches have uncommitted changes. */
static void check_dirty(struct series_job *job, const git_oid *head,
			const struct vec *paths, struct vec *warnings)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid head_id;
	const char *first = NULL;
	size_t n = 0;

	if (git_repository_is_bare(job->repo) ||
	    git_reference_name_to_id(&head_id, job->repo, "HEAD") < 0 ||
	    !git_oid_equal(&head_id, head) ||
	    git_commit_lookup(&c, job->repo, head) < 0 ||
	    git_commit_tree(&tree, c) < 0)
		goto out;
	for (size_t i = 0; i < paths->n; i++) {
		if (!path_dirty(job->repo, tree, paths->items[i]))
			continue;
		if (!n++)
			first = paths->items[i];
	}
	if (n) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addstr(&sb, "uncommitted changes to ");
		sbuf_add_sanitized(&sb, first, strlen(first));
		if (n > 1)
			sbuf_addf(&sb, " and %zu more files", n - 1);
		sbuf_addstr(&sb, " are not in the series");
		vec_push_str(warnings, sb.buf);
		sbuf_release(&sb);
	}
out:
	git_tree_free(tree);
	git_commit_free(c);
}

/* ---- the range ---- */

static int resolve(struct series_job *job, const char *spec, git_oid *out,
		   struct err *err)
{
	git_object *obj, *commit;
	int ret;

	ret = git_revparse_single(&obj, job->repo, spec);
	if (ret == GIT_ENOTFOUND && git_repository_is_shallow(job->repo) == 1)
		return err_set(err, ERR_NOTFOUND, "'%s' is not in this shallow "
			       "clone (its history is cut; git fetch "
			       "--deepen or --unshallow brings more)", spec);
	if (ret == GIT_ENOTFOUND || ret == GIT_EAMBIGUOUS ||
	    ret == GIT_EINVALIDSPEC)
		return err_set(err, ERR_NOTFOUND,
			       "'%s' does not name a commit", spec);
	if (ret < 0)	/* a corrupted object: libgit2's words */
		return respin_git_err(err, "'%s'", spec);
	/* The peeled object is a new one: obj is freed either way. */
	ret = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (ret < 0)
		return err_set(err, ERR_NOTFOUND, "'%s' is not a commit", spec);
	git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	return 0;
}

/* The upstream of local branch name (NULL: HEAD's branch). */
static int upstream_of(struct series_job *job, const char *name,
		       git_oid *out)
{
	git_reference *ref = NULL, *up = NULL;
	int ret = -1;

	if (name ? git_branch_lookup(&ref, job->repo, name,
				     GIT_BRANCH_LOCAL) :
		   git_repository_head(&ref, job->repo))
		return -1;
	if (git_reference_is_branch(ref) && !git_branch_upstream(&up, ref)) {
		git_object *obj = NULL;

		if (!git_reference_peel(&obj, up, GIT_OBJECT_COMMIT)) {
			git_oid_cpy(out, git_object_id(obj));
			ret = 0;
		}
		git_object_free(obj);
	}
	git_reference_free(up);
	git_reference_free(ref);
	return ret;
}

static int resolve_range(struct series_job *job,
			 const struct series_options *opts, git_oid *base,
			 git_oid *head, struct err *err)
{
	const char *range = opts->range;
	long n;

	if (!range) {
		if (resolve(job, "HEAD", head, err))
			return err_set(err, ERR_NOTFOUND,
				       "HEAD does not name a commit");
		if (opts->base)
			return resolve(job, opts->base, base, err) ?
			       err_prefix(err, "vger.base") : 0;
		if (!job->branch) {
			int st = git_repository_state(job->repo);

			/* a stop of git's leaves HEAD detached: say which */
			if (st == GIT_REPOSITORY_STATE_REBASE_INTERACTIVE ||
			    st == GIT_REPOSITORY_STATE_REBASE_MERGE ||
			    st == GIT_REPOSITORY_STATE_REBASE)
				return err_set(err, ERR_USAGE,
					       "a rebase is in progress "
					       "(HEAD is detached): finish "
					       "it (git rebase --continue) "
					       "or undo it (git rebase "
					       "--abort), or give a RANGE");
			return err_set(err, ERR_USAGE,
				       "HEAD is detached: give a RANGE "
				       "(e.g. origin/master..HEAD)");
		}
		if (upstream_of(job, NULL, base))
			return err_set(err, ERR_USAGE,
				       "branch '%s' has no upstream: give a "
				       "RANGE or set vger.base", job->branch);
		return 0;
	}
	if (range[0] == '-' && !str_to_long(range + 1, &n) && n > 0) {
		struct sbuf sb = SBUF_INIT;
		int ret;

		sbuf_addf(&sb, "HEAD~%ld", n);
		ret = resolve(job, "HEAD", head, err);
		if (!ret)
			ret = resolve(job, sb.buf, base, err);
		/* not a shallow clone's cut or a corrupted object: short */
		if (ret == -ERR_NOTFOUND &&
		    git_repository_is_shallow(job->repo) != 1)
			ret = err_set(err, ERR_NOTFOUND,
				      "range '%s': HEAD has fewer than %ld "
				      "commits", range, n);
		else if (ret)
			ret = err_prefix(err, "range '%s'", range);
		sbuf_release(&sb);
		return ret;
	}
	if (strstr(range, "..")) {
		git_revspec spec;
		int ret = 0;

		if (git_revparse(&spec, job->repo, range) < 0)
			return err_set(err, ERR_NOTFOUND,
				       "range '%s' does not resolve: %s", range,
				       git_error_last() ?
				       git_error_last()->message : "?");
		if (!spec.from || !spec.to) {
			ret = err_set(err, ERR_NOTFOUND,
				      "range '%s' does not resolve", range);
		} else if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
			if (git_merge_base(base, job->repo,
					   git_object_id(spec.from),
					   git_object_id(spec.to)) < 0)
				ret = err_set(err, ERR_NOTFOUND,
					      "range '%s': no merge base",
					      range);
			git_oid_cpy(head, git_object_id(spec.to));
		} else {
			git_object *a = NULL, *b = NULL;

			if (git_object_peel(&a, spec.from, GIT_OBJECT_COMMIT) ||
			    git_object_peel(&b, spec.to, GIT_OBJECT_COMMIT)) {
				ret = err_set(err, ERR_NOTFOUND,
					      "range '%s' does not name "
					      "commits", range);
			} else {
				git_oid_cpy(base, git_object_id(a));
				git_oid_cpy(head, git_object_id(b));
			}
			git_object_free(a);
			git_object_free(b);
		}
		git_object_free(spec.from);
		git_object_free(spec.to);
		return ret;
	}
	/* One rev: a branch with an upstream is upstream..branch. */
	if (!upstream_of(job, range, base))
		return resolve(job, range, head, err);
	if (resolve(job, range, base, err))
		return err_set(err, ERR_NOTFOUND,
			       "range '%s' does not resolve", range);
	return resolve(job, "HEAD", head, err);
}

static void short_title(struct sbuf *sb, git_commit *c)
{
	const char *s = git_commit_summary(c);

	sbuf_add(sb, git_oid_tostr_s(git_commit_id(c)), 12);
	sbuf_addstr(sb, " (\"");
	sbuf_add_sanitized(sb, s ? s : "", s ? strlen(s) : 0);
	sbuf_addstr(sb, "\")");
}

/* The commits base..head, oldest first, in out (git_commit *). */
static int walk_range(struct series_job *job, const git_oid *base,
		      const git_oid *head, const char *range,
		      struct vec *out, struct err *err)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int ret = 0, r;

	if (git_revwalk_new(&walk, job->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
				GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, head) < 0 ||
	    git_revwalk_hide(walk, base) < 0) {
		ret = respin_git_err(err, "walking %s", range);
		goto out;
	}
	while (!(r = git_revwalk_next(&id, walk))) {
		git_commit *c;

		if (git_commit_lookup(&c, job->repo, &id) < 0) {
			ret = respin_git_err(err, "%s", git_oid_tostr_s(&id));
			goto out;
		}
		vec_push(out, c);
		if (git_commit_parentcount(c) > 1) {
			struct sbuf sb = SBUF_INIT;

			short_title(&sb, c);
			ret = err_set(err, ERR_STATE,
				      "merge commit %s in the range: a series "
				      "must be linear", sb.buf);
			sbuf_release(&sb);
			goto out;
		}
	}
	if (r != GIT_ITEROVER)
		ret = respin_git_err(err, "walking %s", range);
	else if (!out->n)
		ret = err_set(err, ERR_STATE, "no commits in %s", range);
out:
	git_revwalk_free(walk);
	return ret;
}

/* ---- trailers ---- */

/* "Token: value" with git's token characters. */
static int trailer_line(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == '-' ||
			   (line[i] >= '0' && line[i] <= '9') ||
			   ((line[i] | 0x20) >= 'a' &&
			    (line[i] | 0x20) <= 'z')))
		i++;
	return i > 0 && i < len && line[i] == ':';
}

/*
 * Is "Key: person" in msg, the key ignoring case and the person
 * compared by address (mail_address_same(): "Name <addr>" or a bare
 * address; a value with no address as it is)?
 */
static int has_trailer(const char *msg, const char *line)
{
	size_t keylen = (size_t)(strchr(line, ':') - line);
	const char *p = msg, *want = line + keylen + 1;
	int found = 0;

	while (*p && !found) {
		size_t len = str_line_len(p);

		if (len > keylen && p[keylen] == ':' &&
		    !strncasecmp(p, line, keylen)) {
			char *have = xstrndup(p + keylen + 1, len - keylen - 1);

			found = mail_address_same(have, want);
			free(have);
		}
		p += len + (p[len] == '\n');
	}
	return found;
}

/* Lower-case, blanks folded: how titles of two versions are compared. */
static char *title_key(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	int blank = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n') {
			blank = sb.len > 0;
			continue;
		}
		if (blank)
			sbuf_addch(&sb, ' ');
		blank = 0;
		sbuf_addch(&sb, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return sbuf_detach(&sb);
}

/*
 * msg with the trailers for this patch added after its last trailer
 * block, before a "---" line of the message if there is one.
 */
static char *add_trailers(const char *msg, const char *title,
			  unsigned index, const struct vec *adds,
			  struct vec *notes)
{
	struct sbuf out = SBUF_INIT, head = SBUF_INIT;
	const char *tail = "", *p = msg, *last_para;
	char *key = title_key(title);
	struct vec lines = VEC_INIT;
	int trailers = 1;

	for (size_t i = 0; adds && i < adds->n; i++) {
		const struct series_trailer_add *t = adds->items[i];
		char *k = t->title ? title_key(t->title) : NULL;

		if ((!k || !strcmp(k, key)) && strchr(t->line, ':') &&
		    !has_trailer(msg, t->line)) {
			struct sbuf joined = SBUF_INIT;
			int dup = 0;

			for (size_t j = 0; j < lines.n; j++)
				dup |= has_trailer(lines.items[j], t->line);
			if (!dup) {
				struct series_trailer_note *nt;

				vec_push_str(&lines, t->line);
				nt = xcalloc(1, sizeof(*nt));
				nt->index = index;
				nt->title = xstrdup(title);
				nt->line = xstrdup(t->line);
				vec_push(notes, nt);
			}
			sbuf_release(&joined);
		}
		free(k);
	}
	free(key);
	if (!lines.n) {
		vec_release_str(&lines);
		return xstrdup(msg);
	}
	/* The part before a "---" line (notes below it stay below). */
	while (*p) {
		size_t len = str_line_len(p);

		if (len == 3 && !strncmp(p, "---", 3)) {
			tail = p;
			break;
		}
		p += len + (p[len] == '\n');
	}
	sbuf_add(&head, msg, (size_t)(p - msg));
	sbuf_rtrim(&head);
	/* Is the last paragraph a trailer block? */
	last_para = strstr(head.buf, "\n\n");
	while (last_para && strstr(last_para + 2, "\n\n"))
		last_para = strstr(last_para + 2, "\n\n");
	if (!last_para) {
		trailers = 0;	/* only a subject */
	} else {
		for (const char *q = last_para + 2; *q;) {
			size_t len = str_line_len(q);

			if (!trailer_line(q, len) && !(*q == ' ' || *q == '\t'))
				trailers = 0;
			q += len + (q[len] == '\n');
		}
	}
	sbuf_addstr(&out, head.buf);
	sbuf_addstr(&out, trailers ? "\n" : "\n\n");
	for (size_t i = 0; i < lines.n; i++)
		sbuf_addf(&out, "%s\n", (char *)lines.items[i]);
	if (*tail)
		sbuf_addf(&out, "%s", tail);
	sbuf_release(&head);
	vec_release_str(&lines);
	return sbuf_detach(&out);
}

/* ---- the mails ---- */

void series_result_release(struct series_result *r)
{
	for (size_t i = 0; i < r->files.n; i++) {
		struct series_file *f = r->files.items[i];

		free(f->name);
		free(f->title);
		free(f->commit);
		free(f->text);
		free(f->msgid);
		free(f);
	}
	vec_release(&r->files, NULL);
	for (size_t i = 0; i < r->notes.n; i++) {
		struct series_trailer_note *n = r->notes.items[i];

		free(n->title);
		free(n->line);
		free(n);
	}
	vec_release(&r->notes, NULL);
	vec_release_str(&r->warnings);
	free(r->branch);
	free(r->prefix);
	free(r->tree);
	free(r->base);
	free(r->head);
	free(r->recipients);
	memset(r, 0, sizeof(*r));
}

/* To:/Cc: as format-patch --to/--cc write them. */
static void address_header(struct sbuf *sb, const char *key,
			   const struct vec *list)
{
	for (size_t i = 0; list && i < list->n; i++) {
		sbuf_addf(sb, "%s%s", i ? "    " : key, (char *)list->items[i]);
		sbuf_addstr(sb, i + 1 < list->n ? ",\n" : "\n");
	}
}

/* Does one of list's entries (each an address list) name addr? */
static int names_address(const struct vec *list, const char *addr)
{
	for (size_t i = 0; list && i < list->n; i++)
		if (mail_address_list_has(list->items[i], addr))
			return 1;
	return 0;
}

/*
 * A To:/Cc: value, a trailer line or the tree: each becomes one line
 * of every file, pasted as it is (as git format-patch pastes --to and
 * --trailer), so nothing in it may end the line or hide in it: no
 * control character, nothing that is not UTF-8, no line SMTP refuses.
 * Addresses taken from mail were made safe before they got here
 * (mail_address_from_mail()); this refuses whatever was not.
 */
static int check_line_text(const char *what, const char *s, struct err *err)
{
	size_t len = strlen(s);

	if (utf8_safe_prefix(s, len) != len)
		return err_set(err, ERR_PARSE, "%s '%.80s': a control "
			       "character or invalid UTF-8", what, s);
	if (len > MAIL_SEND_LINE_MAX - 8)
		return err_set(err, ERR_PARSE, "%s '%.40s...': %zu characters, "
			       "longer than a mail line may be", what, s, len);
	return 0;
}

static int check_options_text(const struct series_options *o,
			      struct err *err)
{
	const struct vec *lists[] = { o->to, o->cc };
	const char *names[] = { "To:", "Cc:" };
	int ret = 0;

	for (size_t l = 0; !ret && l < 2; l++)
		for (size_t i = 0; !ret && lists[l] && i < lists[l]->n; i++)
			ret = check_line_text(names[l], lists[l]->items[i],
					      err);
	for (size_t i = 0; !ret && o->trailers && i < o->trailers->n; i++) {
		const struct series_trailer_add *t = o->trailers->items[i];

		ret = check_line_text("the trailer", t->line, err);
	}
	if (!ret && o->tree)
		ret = check_line_text("the tree", o->tree, err);
	return ret;
}

/* The To:/Cc: block of every file, the tree's list first in To:. */
static void recipient_headers(struct sbuf *extra,
			      const struct series_options *o,
			      const char *tree)
{
	const char *list = kernel_tree_list(tree);

	if (o->to_tree_list && list && !names_address(o->to, list) &&
	    !names_address(o->cc, list)) {
		struct vec to = VEC_INIT;

		vec_push_str(&to, list);
		for (size_t i = 0; o->to && i < o->to->n; i++)
			vec_push_str(&to, o->to->items[i]);
		address_header(extra, "To: ", &to);
		vec_release_str(&to);
	} else {
		address_header(extra, "To: ", o->to);
	}
	address_header(extra, "Cc: ", o->cc);
}

int series_result_set_recipients(struct series_result *r,
				 const struct series_options *o,
				 struct err *err)
{
	struct sbuf block = SBUF_INIT;
	size_t old = r->recipients ? strlen(r->recipients) : 0;
	int ret = check_options_text(o, err);

	if (ret)
		return ret;
	recipient_headers(&block, o, r->tree);
	for (size_t i = 0; i < r->files.n; i++) {
		struct series_file *f = r->files.items[i];
		const char *end = strstr(f->text, "\n\n");
		size_t at;
		struct sbuf text = SBUF_INIT;

		/* The block is the last of the headers (respin_fmt_title). */
		if (!end || (size_t)(end + 1 - f->text) < old ||
		    (old && strncmp(end + 1 - old, r->recipients, old))) {
			sbuf_release(&block);
			return err_set(err, ERR_STATE, "%s: the To:/Cc: "
				       "headers are not where vger wrote "
				       "them", f->name);
		}
		at = (size_t)(end + 1 - f->text) - old;
		sbuf_add(&text, f->text, at);
		sbuf_addstr(&text, block.buf);
		sbuf_addstr(&text, f->text + at + old);
		free(f->text);
		f->text = sbuf_detach(&text);
	}
	free(r->recipients);
	r->recipients = sbuf_detach(&block);
	return 0;
}

static char *make_msgid(const char *what, const struct series_options *o)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "<%s.%lld.git.%s>", what, (long long)o->now,
		  o->from_email ? o->from_email : "vger@localhost");
	return sbuf_detach(&sb);
}

static void file_name(struct sbuf *sb, unsigned version, unsigned nr,
		      const char *slug)
{
	size_t max = RESPIN_NAME_MAX - (strlen(".patch") + 1);

	if (version > 1)
		sbuf_addf(sb, "v%u-", version);
	sbuf_addf(sb, "%04u-%s", nr, slug);
	if (sb->len > max)
		sbuf_setlen(sb, max);
	sbuf_addstr(sb, ".patch");
}

static void thread_headers(struct sbuf *sb, const char *msgid,
			   const char *parent)
{
	if (!msgid)
		return;
	sbuf_addf(sb, "Message-Id: %s\n", msgid);
	if (parent)
		sbuf_addf(sb, "In-Reply-To: %s\nReferences: %s\n", parent,
			  parent);
}

struct shortlog_item {
	char *author;
	struct vec titles;	/* char * */
};

static int shortlog_cmp(const void *a, const void *b)
{
	const struct shortlog_item *x = *(const struct shortlog_item *const *)a;
	const struct shortlog_item *y = *(const struct shortlog_item *const *)b;

	return strcmp(x->author, y->author);
}

/* shortlog.c as format-patch's cover letter uses it (mailmap applied). */
static void shortlog(struct series_job *job, const struct vec *commits,
		     struct sbuf *sb)
{
	git_mailmap *mm = NULL;
	struct vec items = VEC_INIT;

	git_mailmap_from_repository(&mm, job->repo);
	for (size_t i = 0; i < commits->n; i++) {
		git_commit *c = commits->items[i];
		const git_signature *a = git_commit_author(c);
		const char *name = a->name, *mail = a->email;
		const char *msg = git_commit_message(c);
		struct shortlog_item *it = NULL;
		struct sbuf title = SBUF_INIT;
		const char *eol;

		git_mailmap_resolve(&name, &mail, mm, a->name, a->email);
		for (size_t j = 0; j < items.n && !it; j++)
			if (!strcmp(((struct shortlog_item *)
				     items.items[j])->author, name))
				it = items.items[j];
		if (!it) {
			it = xcalloc(1, sizeof(*it));
			it->author = xstrdup(name);
			vec_push(&items, it);
		}
		while (*msg == ' ' || *msg == '\t' || *msg == '\n' ||
		       *msg == '\r')
			msg++;
		eol = strchr(msg, '\n');
		if (str_starts_with(msg, "[PATCH")) {
			const char *eob = strchr(msg, ']');

			if (eob && (!eol || eob < eol))
				msg = eob + 1;
		}
		while (*msg && (*msg == ' ' || *msg == '\t' || *msg == '\r'))
			msg++;
		respin_fmt_subject(&title, msg, " ");
		vec_push(&it->titles, sbuf_detach(&title));
	}
	vec_sort(&items, shortlog_cmp);
	for (size_t i = 0; i < items.n; i++) {
		struct shortlog_item *it = items.items[i];

		sbuf_addf(sb, "%s (%zu):\n", it->author, it->titles.n);
		for (size_t j = 0; j < it->titles.n; j++) {
			respin_fmt_wrap(sb, it->titles.items[j], 2, 4,
					RESPIN_STAT_WIDTH);
			sbuf_addch(sb, '\n');
		}
		sbuf_addch(sb, '\n');
		vec_release_str(&it->titles);
		free(it->author);
		free(it);
	}
	vec_release(&items, NULL);
	git_mailmap_free(mm);
}

/* The raw commit object, for git's need_8bit_cte test. */
static int commit_non_ascii(git_commit *c)
{
	return respin_fmt_non_ascii(git_commit_raw_header(c)) ||
	       respin_fmt_non_ascii(git_commit_message_raw(c));
}

static int format_patch(struct series_job *job,
			const struct series_options *o, git_commit *c,
			unsigned nr, unsigned total, const char *prefix,
			const char *extra, const char *parent_id,
			struct series_result *r, struct err *err)
{
	const git_signature *a = git_commit_author(c);
	struct sbuf sb = SBUF_INIT, bracket = SBUF_INIT, name = SBUF_INIT;
	struct sbuf stat = SBUF_INIT, patch = SBUF_INIT, slug = SBUF_INIT;
	struct sbuf subj = SBUF_INIT;
	git_commit *parent = NULL;
	git_tree *ta = NULL, *tb = NULL;
	struct series_file *f;
	const char *msg = git_commit_message(c), *body;
	char *full, *msgid = NULL;
	size_t nfiles = 0, body_start;
	int ret;

	respin_fmt_subject(&subj, msg, " ");
	full = add_trailers(msg, subj.buf, nr, o->trailers, &r->notes);
	if (git_commit_parentcount(c) && git_commit_parent(&parent, c, 0) < 0) {
		ret = respin_git_err(err, "parent of %s",
			      git_oid_tostr_s(git_commit_id(c)));
		goto out;
	}
	if ((parent && git_commit_tree(&ta, parent) < 0) ||
	    git_commit_tree(&tb, c) < 0) {
		ret = respin_git_err(err, "tree of %s",
			      git_oid_tostr_s(git_commit_id(c)));
		goto out;
	}
	ret = respin_tree_diff(job, ta, tb, &stat, &patch, &nfiles,
			       &job->touched, err);
	if (ret)
		goto out;
	if (o->thread) {
		msgid = make_msgid(git_oid_tostr_s(git_commit_id(c)), o);
	}
	sbuf_addf(&sb, "From %s Mon Sep 17 00:00:00 2001\n",
		  git_oid_tostr_s(git_commit_id(c)));
	thread_headers(&sb, msgid, parent_id);
	respin_fmt_from(&sb, a->name, a->email);
	respin_fmt_date(&sb, a->when.time, a->when.offset);
	if (total)
		sbuf_addf(&bracket, "[%s %0*u/%u]", prefix,
			  (int)snprintf(NULL, 0, "%u", total), nr, total);
	else
		sbuf_addf(&bracket, "[%s]", prefix);
	body = respin_fmt_title(&sb, bracket.buf, full,
				respin_fmt_non_ascii(full), extra);
	body_start = sb.len;
	respin_fmt_remainder(&sb, body);
	sbuf_rtrim(&sb);
	sbuf_addch(&sb, '\n');
	if (sb.len <= body_start)
		sbuf_addch(&sb, '\n');
	sbuf_addstr(&sb, "---\n");
	sbuf_addstr(&sb, stat.buf);
	sbuf_addch(&sb, '\n');
	sbuf_addstr(&sb, patch.buf);
	if (o->signature && *o->signature) {
		sbuf_addf(&sb, "-- \n%s", o->signature);
		if (o->signature[strlen(o->signature) - 1] != '\n')
			sbuf_addch(&sb, '\n');
		sbuf_addch(&sb, '\n');
	}
	{
		const char *eol = strchr(msg, '\n');

		respin_fmt_slug(&slug, msg, eol ? (size_t)(eol - msg) :
				strlen(msg));
	}
	file_name(&name, r->version, nr, slug.buf);
	f = xcalloc(1, sizeof(*f));
	f->name = sbuf_detach(&name);
	f->title = sbuf_detach(&subj);
	f->commit = xstrdup(git_oid_tostr_s(git_commit_id(c)));
	f->text = sbuf_detach(&sb);
	f->msgid = msgid;
	msgid = NULL;
	vec_push(&r->files, f);
out:
	free(full);
	free(msgid);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(parent);
	sbuf_release(&sb);
	sbuf_release(&bracket);
	sbuf_release(&name);
	sbuf_release(&stat);
	sbuf_release(&patch);
	sbuf_release(&slug);
	sbuf_release(&subj);
	return ret;
}

static int format_cover(struct series_job *job,
			const struct series_options *o,
			const struct vec *commits, const char *cover_text,
			unsigned total, const char *prefix, const char *extra,
			struct series_result *r, struct err *err)
{
	git_commit *first = commits->items[0];
	git_commit *head = commits->items[commits->n - 1];
	git_commit *origin = NULL;
	git_tree *ta = NULL, *tb = NULL;
	struct sbuf sb = SBUF_INIT, bracket = SBUF_INIT, name = SBUF_INIT;
	struct series_file *f;
	const char *body;
	int need_8bit = respin_fmt_non_ascii(cover_text);
	size_t nfiles;
	int ret = 0;

	for (size_t i = 0; i < commits->n && !need_8bit; i++)
		need_8bit = commit_non_ascii(commits->items[i]);
	sbuf_addf(&sb, "From %s Mon Sep 17 00:00:00 2001\n",
		  git_oid_tostr_s(git_commit_id(head)));
	f = xcalloc(1, sizeof(*f));
	if (o->thread)
		f->msgid = make_msgid("cover", o);
	thread_headers(&sb, f->msgid, NULL);
	respin_fmt_from(&sb, o->from_name ? o->from_name : "vger",
			o->from_email ? o->from_email : "vger@localhost");
	respin_fmt_date(&sb, o->now, o->now_tz);
	sbuf_addf(&bracket, "[%s %0*u/%u]", prefix,
		  (int)snprintf(NULL, 0, "%u", total), 0, total);
	/* git --cover-from-description=subject: first paragraph, rest */
	body = respin_fmt_title(&sb, bracket.buf, cover_text, need_8bit,
				extra);
	respin_fmt_remainder(&sb, body);
	sbuf_addch(&sb, '\n');
	shortlog(job, commits, &sb);
	if (git_commit_parentcount(first)) {
		size_t before = sb.len;

		if (git_commit_parent(&origin, first, 0) < 0 ||
		    git_commit_tree(&ta, origin) < 0 ||
		    git_commit_tree(&tb, head) < 0) {
			ret = respin_git_err(err, "cover letter diffstat%s",
					     NULL);
			goto out;
		}
		ret = respin_tree_diff(job, ta, tb, &sb, NULL, &nfiles, NULL,
				       err);
		if (ret)
			goto out;
		if (sb.len == before)
			sbuf_addstr(&sb, " 0 files changed\n");
		sbuf_addch(&sb, '\n');
	}
	if (o->signature && *o->signature) {
		sbuf_addf(&sb, "-- \n%s", o->signature);
		if (o->signature[strlen(o->signature) - 1] != '\n')
			sbuf_addch(&sb, '\n');
		sbuf_addch(&sb, '\n');
	}
	file_name(&name, r->version, 0, "cover-letter");
	f->name = sbuf_detach(&name);
	f->title = xstrdup("");
	f->text = sbuf_detach(&sb);
	vec_push(&r->files, f);
	f = NULL;
out:
	if (f) {
		free(f->msgid);
		free(f);
	}
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(origin);
	sbuf_release(&sb);
	sbuf_release(&bracket);
	sbuf_release(&name);
	return ret;
}

/* The branch a range is taken from, as git format-patch finds it. */
static char *range_branch(struct series_job *job, const char *range)
{
	const char *dots = range ? strstr(range, "..") : NULL;
	git_reference *ref = NULL;
	char *name = NULL;

	if (!range)
		return xstrdup_or_null(job->branch);
	if (dots)
		range = dots + 2 + (dots[2] == '.');
	if (!*range || !strcmp(range, "HEAD"))
		return xstrdup_or_null(job->branch);
	if (!git_branch_lookup(&ref, job->repo, range, GIT_BRANCH_LOCAL))
		name = xstrdup(git_reference_shorthand(ref));
	git_reference_free(ref);
	return name ? name : xstrdup_or_null(job->branch);
}

static int check_empty(const struct vec *commits, struct err *err)
{
	for (size_t i = 0; i < commits->n; i++) {
		git_commit *c = commits->items[i];
		git_commit *p = NULL;
		int empty;

		if (!git_commit_parentcount(c) ||
		    git_commit_parent(&p, c, 0) < 0)
			continue;
		empty = git_oid_equal(git_commit_tree_id(c),
				      git_commit_tree_id(p));
		git_commit_free(p);
		if (empty) {
			struct sbuf sb = SBUF_INIT;
			int ret;

			short_title(&sb, c);
			ret = err_set(err, ERR_STATE,
				      "commit %s changes nothing: drop it "
				      "from the series", sb.buf);
			sbuf_release(&sb);
			return ret;
		}
	}
	return 0;
}

int series_format(struct series_job *job, const struct series_options *o,
		  struct series_result *r, struct err *err)
{
	struct vec commits = VEC_INIT;
	struct sbuf extra = SBUF_INIT, prefix = SBUF_INIT;
	const char *range = o->range ? o->range : "the branch";
	char *stored = NULL, *cover_msgid = NULL, *base_prefix = NULL;
	const char *cover_text;
	git_oid base, head;
	unsigned total;
	int cover, ret;

	memset(r, 0, sizeof(*r));
	vec_release_str(&job->touched);
	ret = check_options_text(o, err);
	if (!ret)
		ret = resolve_range(job, o, &base, &head, err);
	if (ret)
		goto out;
	ret = walk_range(job, &base, &head, range, &commits, err);
	if (!ret)
		ret = check_empty(&commits, err);
	if (ret)
		goto out;
	r->branch = range_branch(job, o->range);
	r->base = xstrdup(git_oid_tostr_s(&base));
	r->head = xstrdup(git_oid_tostr_s(&head));
	r->version = o->version;
	if (!r->version) {
		ret = series_last_sent(job, r->branch, &r->version, NULL,
				       NULL, err);
		if (ret)
			goto out;
		r->version++;
	}
	if (o->tree) {
		r->tree = xstrdup(o->tree);
	} else {
		const char **msgs = xcalloc(commits.n + 1, sizeof(*msgs));

		for (size_t i = 0; i < commits.n; i++)
			msgs[i] = git_commit_message(commits.items[i]);
		r->tree = xstrdup(kernel_tree_guess(msgs, commits.n));
		r->tree_guessed = 1;
		free(msgs);
	}
	base_prefix = series_tree_prefix(r->tree, o->rfc);
	sbuf_addstr(&prefix, base_prefix);
	if (r->version > 1)
		sbuf_addf(&prefix, " v%u", r->version);
	r->prefix = xstrdup(prefix.buf);
	recipient_headers(&extra, o, r->tree);
	r->recipients = xstrdup(extra.buf);
	cover = o->cover_letter < 0 ? commits.n > 1 : o->cover_letter;
	total = cover || commits.n > 1 ? (unsigned)commits.n : 0;
	if (cover) {
		cover_text = o->cover_text;
		if (!cover_text) {
			ret = series_cover_get(job, r->branch, &stored, err);
			if (ret)
				goto out;
			cover_text = stored;
		}
		if (!cover_text)
			cover_text = "*** SUBJECT HERE ***\n\n"
				     "*** BLURB HERE ***\n";
		if (strstr(cover_text, "*** SUBJECT HERE ***") ||
		    strstr(cover_text, "EDITME"))
			vec_push_str(&r->warnings, "the cover letter is not "
				     "written yet (vger respin --edit-cover)");
		ret = format_cover(job, o, &commits, cover_text, total,
				   prefix.buf, extra.len ? extra.buf : NULL,
				   r, err);
		if (ret)
			goto out;
		cover_msgid = xstrdup_or_null(((struct series_file *)
					       r->files.items[0])->msgid);
	}
	for (size_t i = 0; i < commits.n; i++) {
		const char *parent = cover_msgid;

		if (!parent && i && o->thread)
			parent = ((struct series_file *)
				  r->files.items[0])->msgid;
		ret = format_patch(job, o, commits.items[i], (unsigned)i + 1,
				   total, prefix.buf,
				   extra.len ? extra.buf : NULL, parent, r,
				   err);
		if (ret)
			goto out;
	}
	check_dirty(job, &head, &job->touched, &r->warnings);
out:
	if (ret)
		series_result_release(r);
	for (size_t i = 0; i < commits.n; i++)
		git_commit_free(commits.items[i]);
	vec_release(&commits, NULL);
	sbuf_release(&extra);
	sbuf_release(&prefix);
	free(base_prefix);
	free(stored);
	free(cover_msgid);
	return ret;
}
