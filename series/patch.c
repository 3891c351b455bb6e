#include "config.h"

/*
 * A series as patches: commits read with libgit2, or patch files read
 * with GMime.
 */
#include <git2.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>

#include "mail/address.h"
#include "mail/gmime.h"
#include "mail/mbox.h"
#include "series/patch.h"
#include "series/private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* The largest patch file (or mbox) read. */
#define PATCH_FILE_MAX (64u << 20)
/* Merge commits named in the error before "and N more". */
#define PATCH_MERGES_NAMED 3

static int patch_git_err(struct err *err, enum err_code code,
			 const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, code, "%s: %s", what,
		       e && e->message ? e->message : "unknown git error");
}

/*
 * Text from a commit in its declared encoding (NULL: UTF-8) as valid
 * UTF-8: converted when the commit says it is in another encoding, and
 * any byte that is still not UTF-8 replaced, so names and subjects are
 * safe to show and compare.  git log re-encodes the same way.
 */
static char *patch_utf8(const char *s, const char *encoding)
{
	char *conv = NULL, *valid;

	if (!s)
		return NULL;
	if (encoding && g_ascii_strcasecmp(encoding, "UTF-8") &&
	    g_ascii_strcasecmp(encoding, "UTF8"))
		conv = g_convert(s, -1, "UTF-8", encoding, NULL, NULL, NULL);
	valid = g_utf8_make_valid(conv ? conv : s, -1);
	g_free(conv);
	conv = xstrdup(valid);
	g_free(valid);
	return conv;
}

void series_patch_free(struct series_patch *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->files.n; i++) {
		struct series_file_change *c = p->files.items[i];

		free(c->old_path);
		free(c->new_path);
		free(c);
	}
	vec_release(&p->files, NULL);
	free(p->commit);
	free(p->path);
	free(p->author_name);
	free(p->author_email);
	free(p->subject);
	free(p->message);
	free(p->body);
	free(p->diff);
	free(p->mail_subject);
	free(p);
}

static void patch_free_item(void *p)
{
	series_patch_free(p);
}

void series_patches_release(struct series_patches *p)
{
	vec_release(&p->items, patch_free_item);
	free(p->repo_dir);
	free(p->base);
	free(p->cover);
	free(p->cover_subject);
	p->repo_dir = p->base = p->cover = p->cover_subject = NULL;
}

static void patch_add_change(struct series_patch *p, int status,
			     const char *old_path, const char *new_path,
			     int binary)
{
	struct series_file_change *c = xcalloc(1, sizeof(*c));

	c->status = status;
	c->old_path = xstrdup_or_null(old_path);
	c->new_path = xstrdup_or_null(new_path);
	c->binary = binary;
	vec_push(&p->files, c);
}

/* ---- commits ---- */

static int patch_status(git_delta_t status)
{
	switch (status) {
	case GIT_DELTA_ADDED:
		return SERIES_CHANGE_ADDED;
	case GIT_DELTA_DELETED:
		return SERIES_CHANGE_DELETED;
	case GIT_DELTA_RENAMED:
		return SERIES_CHANGE_RENAMED;
	case GIT_DELTA_COPIED:
		return SERIES_CHANGE_COPIED;
	case GIT_DELTA_TYPECHANGE:
		return SERIES_CHANGE_TYPE;
	default:
		return SERIES_CHANGE_MODIFIED;
	}
}

/*
 * The diff of commit against its first parent as git format-patch
 * shows it: rename detection on (git's diff.renames default since 2.9),
 * binary files as "GIT binary patch" (format-patch implies --binary).
 */
static int patch_commit_diff(struct series_patch *p, git_repository *repo,
			     git_commit *commit, struct err *err)
{
	git_diff_options opts;
	git_diff_find_options find;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	struct sbuf text = SBUF_INIT;
	struct vec changed = VEC_INIT;
	int ret = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_SHOW_BINARY;
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (git_commit_parentcount(commit) &&
	    (git_commit_parent(&parent, commit, 0) < 0 ||
	     git_commit_tree(&old_tree, parent) < 0)) {
		ret = patch_git_err(err, ERR_GIT, "reading the parent tree");
		goto out;
	}
	if (git_commit_tree(&new_tree, commit) < 0) {
		ret = patch_git_err(err, ERR_GIT, "diffing the commit");
		goto out;
	}
	/* diff only what changed: see series/private.h */
	series_tree_changed_paths(repo, old_tree, new_tree, &changed);
	if (!changed.n) {
		p->diff = xstrdup("");
		goto out;
	}
	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	opts.pathspec.strings = (char **)changed.items;
	opts.pathspec.count = changed.n;
	if (git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, &opts) < 0 ||
	    git_diff_find_similar(diff, &find) < 0) {
		ret = patch_git_err(err, ERR_GIT, "diffing the commit");
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		git_patch *patch;
		git_buf buf = GIT_BUF_INIT;
		const git_diff_delta *d;

		/* Making the patch loads the blobs: the binary flag is set. */
		if (git_patch_from_diff(&patch, diff, i) < 0 ||
		    git_patch_to_buf(&buf, patch) < 0) {
			ret = patch_git_err(err, ERR_GIT, "formatting the diff");
			goto out;
		}
		d = git_patch_get_delta(patch);
		patch_add_change(p, patch_status(d->status),
				 d->status == GIT_DELTA_ADDED ?
					NULL : d->old_file.path,
				 d->status == GIT_DELTA_DELETED ?
					NULL : d->new_file.path,
				 !!(d->flags & GIT_DIFF_FLAG_BINARY));
		sbuf_add(&text, buf.ptr, buf.size);
		git_buf_dispose(&buf);
		git_patch_free(patch);
	}
	p->diff = sbuf_detach(&text);
out:
	vec_release_str(&changed);
	sbuf_release(&text);
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(parent);
	return ret;
}

static int patch_from_commit(struct series_patch **out, git_repository *repo,
			     git_commit *commit, struct err *err)
{
	struct series_patch *p = xcalloc(1, sizeof(*p));
	const char *enc = git_commit_message_encoding(commit);
	const git_signature *author = git_commit_author(commit);
	const char *summary = git_commit_summary(commit);
	const char *body = git_commit_body(commit);
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	p->commit = xstrdup(hex);
	p->author_name = patch_utf8(author->name, enc);
	p->author_email = patch_utf8(author->email, enc);
	p->author_time = (time_t)author->when.time;
	p->author_tz = author->when.offset;
	p->subject = patch_utf8(summary ? summary : "", enc);
	p->body = patch_utf8(body ? body : "", enc);
	p->message = patch_utf8(git_commit_message(commit), enc);
	p->nparents = git_commit_parentcount(commit);
	ret = patch_commit_diff(p, repo, commit, err);
	if (ret < 0) {
		series_patch_free(p);
		return err_prefix(err, "commit %.12s", hex);
	}
	*out = p;
	return 0;
}

/* "abcdef123456 (subject)" for error messages. */
static void patch_describe(struct sbuf *sb, git_commit *c)
{
	char hex[13];
	const char *s = git_commit_summary(c);

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	sbuf_addf(sb, "%s (\"", hex);
	sbuf_add_sanitized(sb, s ? s : "", strlen(s ? s : ""));
	sbuf_addstr(sb, "\")");
}

static int patch_resolve(git_object **out, git_repository *repo,
			 const char *spec, struct err *err)
{
	git_object *obj;

	if (git_revparse_single(&obj, repo, spec) < 0) {
		const git_error *e = git_error_last();

		return err_set(err, ERR_NOTFOUND,
			       "'%s' does not name a commit: %s", spec,
			       e && e->message ? e->message : "unknown");
	}
	if (git_object_peel(out, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return err_set(err, ERR_NOTFOUND,
			       "'%s' does not name a commit", spec);
	}
	git_object_free(obj);
	return 0;
}

/* The commits "A..B" or "A...B" name: *to, and the base in *base. */
static int patch_parse_dots(git_object **to, git_oid *base,
			    git_repository *repo, const char *range,
			    struct err *err)
{
	git_object *from = NULL;
	git_revspec spec;
	int ret = 0;

	if (git_revparse(&spec, repo, range) < 0) {
		const git_error *e = git_error_last();

		return err_set(err, ERR_NOTFOUND,
			       "range '%s' does not resolve: %s", range,
			       e && e->message ? e->message : "unknown");
	}
	if (git_object_peel(&from, spec.from, GIT_OBJECT_COMMIT) < 0 ||
	    git_object_peel(to, spec.to, GIT_OBJECT_COMMIT) < 0) {
		ret = err_set(err, ERR_NOTFOUND,
			      "range '%s' does not name commits", range);
	} else if (!(spec.flags & GIT_REVSPEC_MERGE_BASE)) {
		git_oid_cpy(base, git_object_id(from));
	} else if (git_merge_base(base, repo, git_object_id(from),
				  git_object_id(*to)) < 0) {
		ret = err_set(err, ERR_NOTFOUND,
			      "range '%s': the two sides have no common ancestor",
			      range);
	}
	git_object_free(from);
	git_object_free(spec.from);
	git_object_free(spec.to);
	return ret;
}

/* "X": X@{upstream}..X. */
static int patch_parse_upstream(git_object **to, git_oid *base,
				git_repository *repo, const char *range,
				struct err *err)
{
	struct sbuf up = SBUF_INIT;
	git_object *from = NULL;
	int ret;

	ret = patch_resolve(to, repo, range, err);
	if (ret < 0)
		return ret;
	sbuf_addf(&up, "%s@{upstream}", range);
	if (git_revparse_single(&from, repo, up.buf) < 0)
		ret = err_set(err, ERR_USAGE,
			      "'%s' has no upstream: give a range (A..B, A...B or -N)",
			      range);
	else
		git_oid_cpy(base, git_object_id(from));
	git_object_free(from);
	sbuf_release(&up);
	return ret;
}

/*
 * Set up walk for range: push the tip, hide the base.  *limit is the
 * number of commits for "-N" (whose base is found later), else 0.
 */
static int patch_setup_walk(git_revwalk *walk, git_repository *repo,
			    const char *range, size_t *limit, git_oid *base,
			    int *has_base, struct err *err)
{
	git_object *to = NULL;
	long n;
	int ret;

	*limit = 0;
	*has_base = 0;
	if (range[0] == '-') {
		if (str_to_long(range + 1, &n) || n <= 0)
			return err_set(err, ERR_USAGE,
				       "'%s' is not a range: give A..B, A...B, -N or a branch with an upstream",
				       range);
		*limit = (size_t)n;
		if (git_revwalk_push_head(walk) < 0)
			return patch_git_err(err, ERR_NOTFOUND, "HEAD");
		return 0;
	}
	if (strstr(range, ".."))
		ret = patch_parse_dots(&to, base, repo, range, err);
	else
		ret = patch_parse_upstream(&to, base, repo, range, err);
	if (ret < 0)
		goto out;
	*has_base = 1;
	if (git_revwalk_push(walk, git_object_id(to)) < 0 ||
	    git_revwalk_hide(walk, base) < 0)
		ret = patch_git_err(err, ERR_GIT, range);
out:
	git_object_free(to);
	return ret;
}

int series_patches_from_range(struct series_patches *out, const char *dir,
			      const char *range, struct err *err)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	struct sbuf merges = SBUF_INIT;
	struct vec commits = VEC_INIT;	/* git_commit *, newest first */
	size_t limit, nmerges = 0;
	git_oid id, base;
	int has_base, ret = 0;

	if (!range || !*range)
		return err_set(err, ERR_USAGE,
			       "no range: give A..B, A...B, -N or a branch with an upstream");
	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir ? dir : ".", 0, NULL) < 0) {
		ret = patch_git_err(err, ERR_NOTFOUND, dir ? dir : ".");
		goto out;
	}
	series_repo_skip_index(repo);	/* see series/private.h */
	if (git_revwalk_new(&walk, repo) < 0) {
		ret = patch_git_err(err, ERR_GIT, "revwalk");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	ret = patch_setup_walk(walk, repo, range, &limit, &base, &has_base,
			       err);
	if (ret < 0)
		goto out;
	while (!(limit && commits.n == limit)) {
		git_commit *c;

		ret = git_revwalk_next(&id, walk);
		if (ret == GIT_ITEROVER) {
			ret = 0;
			break;
		}
		if (ret < 0 || git_commit_lookup(&c, repo, &id) < 0) {
			ret = patch_git_err(err, ERR_GIT, range);
			goto out;
		}
		if (git_commit_parentcount(c) > 1) {
			if (nmerges < PATCH_MERGES_NAMED) {
				sbuf_addstr(&merges, nmerges ? ", " : "");
				patch_describe(&merges, c);
			}
			nmerges++;
		}
		vec_push(&commits, c);
	}
	if (nmerges) {
		if (nmerges > PATCH_MERGES_NAMED)
			sbuf_addf(&merges, " and %zu more",
				  nmerges - PATCH_MERGES_NAMED);
		ret = err_set(err, ERR_STATE,
			      "range '%s' has %s: %s; a series is linear, rebase it first",
			      range, nmerges > 1 ? "merge commits" :
			      "a merge commit", merges.buf);
		goto out;
	}
	if (limit && commits.n) {
		git_commit *oldest = commits.items[commits.n - 1];

		has_base = git_commit_parentcount(oldest) > 0;
		if (has_base)
			git_oid_cpy(&base, git_commit_parent_id(oldest, 0));
	}
	for (size_t i = commits.n; i-- > 0;) {
		struct series_patch *p = NULL;

		ret = patch_from_commit(&p, repo, commits.items[i], err);
		if (ret < 0)
			goto out;
		vec_push(&out->items, p);
	}
	if (has_base) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &base);
		free(out->base);
		out->base = xstrdup(hex);
	}
	free(out->repo_dir);
	out->repo_dir = xstrdup(git_repository_workdir(repo) ?
				git_repository_workdir(repo) :
				git_repository_path(repo));
out:
	for (size_t i = 0; i < commits.n; i++)
		git_commit_free(commits.items[i]);
	vec_release(&commits, NULL);
	sbuf_release(&merges);
	git_revwalk_free(walk);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

/* ---- patch files ---- */

/* The path of a "diff --git" side: "a/x" or a C-quoted "\"a/x\"". */
static char *patch_diff_path(const char *s, size_t len)
{
	struct sbuf sb = SBUF_INIT;

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		/* git quotes names with unusual bytes like a C string */
		char *quoted = xstrndup(s + 1, len - 2);
		char *un = g_strcompress(quoted);

		sbuf_addstr(&sb, un);
		g_free(un);
		free(quoted);
	} else {
		sbuf_add(&sb, s, len);
	}
	if (sb.len > 2 && sb.buf[1] == '/') {
		char *r = xstrdup(sb.buf + 2);

		sbuf_release(&sb);
		return r;
	}
	return sbuf_detach(&sb);
}

/* The rest of the line after prefix, or NULL. */
static char *patch_line_value(const char *line, const char *prefix)
{
	size_t len;

	if (!str_starts_with(line, prefix))
		return NULL;
	line += strlen(prefix);
	len = str_line_len(line);
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\t'))
		len--;
	return patch_diff_path(line, len);
}

static void patch_set(char **field, char *value)
{
	free(*field);
	*field = value;
}

/*
 * The file list from the "diff --git" headers of a diff text.  The
 * header line itself is ambiguous for names with spaces, so the
 * "rename from/to", "---" and "+++" lines win when present.
 */
static void patch_files_from_diff(struct series_patch *p)
{
	struct series_file_change *c = NULL;
	const char *line = p->diff;

	for (; *line; scan_next_line(&line)) {
		char *v;

		if (str_starts_with(line, "diff --git ")) {
			const char *a = line + strlen("diff --git ");
			size_t len = str_line_len(a);
			const char *mid = len > 2 ? memmem(a, len, " b/", 3) :
						    NULL;

			c = xcalloc(1, sizeof(*c));
			c->status = SERIES_CHANGE_MODIFIED;
			if (mid) {
				c->old_path = patch_diff_path(a, mid - a);
				c->new_path = patch_diff_path(mid + 1,
							      a + len - mid - 1);
			}
			vec_push(&p->files, c);
			continue;
		}
		if (!c || *line == '@')
			continue;
		if (str_starts_with(line, "new file mode")) {
			c->status = SERIES_CHANGE_ADDED;
		} else if (str_starts_with(line, "deleted file mode")) {
			c->status = SERIES_CHANGE_DELETED;
		} else if ((v = patch_line_value(line, "rename from "))) {
			c->status = SERIES_CHANGE_RENAMED;
			patch_set(&c->old_path, v);
		} else if ((v = patch_line_value(line, "rename to "))) {
			patch_set(&c->new_path, v);
		} else if ((v = patch_line_value(line, "copy from "))) {
			c->status = SERIES_CHANGE_COPIED;
			patch_set(&c->old_path, v);
		} else if ((v = patch_line_value(line, "copy to "))) {
			patch_set(&c->new_path, v);
		} else if (str_starts_with(line, "old mode ") &&
			   c->status == SERIES_CHANGE_MODIFIED) {
			/* a mode change only; T when the type changes */
		} else if (str_starts_with(line, "GIT binary patch") ||
			   (str_starts_with(line, "Binary files ") &&
			    strstr(line, " differ"))) {
			c->binary = 1;
		} else if (str_starts_with(line, "--- /dev/null")) {
			continue;
		} else if ((v = patch_line_value(line, "--- "))) {
			patch_set(&c->old_path, v);
		} else if (str_starts_with(line, "+++ /dev/null")) {
			continue;
		} else if ((v = patch_line_value(line, "+++ "))) {
			patch_set(&c->new_path, v);
		}
	}
	for (size_t i = 0; i < p->files.n; i++) {
		c = p->files.items[i];
		if (c->status == SERIES_CHANGE_ADDED)
			patch_set(&c->old_path, NULL);
		else if (c->status == SERIES_CHANGE_DELETED)
			patch_set(&c->new_path, NULL);
	}
}

/* The mail's text: its text/plain parts (and inline text/x-patch). */
static void patch_collect_text(GMimeObject *parent, GMimeObject *part,
			       gpointer data)
{
	struct sbuf *sb = data;
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	char *text;

	if (!GMIME_IS_TEXT_PART(part) || !ct ||
	    !g_mime_content_type_is_type(ct, "text", "*") ||
	    g_mime_content_type_is_type(ct, "text", "html"))
		return;
	text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	if (!text)
		return;
	if (sb->len && sb->buf[sb->len - 1] != '\n')
		sbuf_addch(sb, '\n');
	sbuf_addstr(sb, text);
	g_free(text);
}

/* The subject without "Re:" and leading [tags], as git mailinfo does. */
static char *patch_strip_subject(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') {
			const char *end = strchr(s, ']');

			if (!end)
				break;
			s = end + 1;
		} else if (str_starts_with_icase(s, "re:")) {
			s += 3;
		} else {
			break;
		}
	}
	return xstrdup(s);
}

/* Is this subject's tag numbered 0/N (a cover letter)? */
static int patch_subject_is_cover(const char *s)
{
	const char *end;

	if (*s != '[')
		return 0;
	end = strchr(s, ']');
	if (!end)
		return 0;
	for (const char *q = end; q > s; q--) {
		if (q[-1] == ' ' || q[-1] == '[') {
			const char *d = q;

			while (*d == '0')
				d++;
			return d > q && *d == '/';
		}
	}
	return 0;
}

/*
 * Split the text of a patch mail: the message body before the "---"
 * line (or the diff, when there is no such line), the diff from the
 * first "diff --git" line, without format-patch's "-- \n2.39.0"
 * signature.
 */
static void patch_split_body(struct series_patch *p, const char *text)
{
	const char *line = text, *msg_end = NULL, *diff = NULL;
	struct sbuf sb = SBUF_INIT;

	for (; *line; scan_next_line(&line)) {
		if (!msg_end && (!strncmp(line, "---\n", 4) ||
				 !strncmp(line, "---\r\n", 5) ||
				 !strcmp(line, "---")))
			msg_end = line;
		if (str_starts_with(line, "diff --git ")) {
			diff = line;
			break;
		}
	}
	if (!msg_end)
		msg_end = diff ? diff : line;
	sbuf_add(&sb, text, msg_end - text);
	sbuf_trim(&sb);
	p->body = sbuf_detach(&sb);
	if (diff) {
		const char *sig = NULL, *q;

		/* the last "-- " line followed only by a version line */
		for (q = diff; *q; scan_next_line(&q))
			if (!strncmp(q, "-- \n", 4))
				sig = q;
		if (sig) {
			const char *after = sig;
			int lines = 0;

			scan_next_line(&after);
			for (; *after; scan_next_line(&after))
				if (*after != '\n')
					lines++;
			if (lines > 1)
				sig = NULL;
		}
		p->diff = xstrndup(diff, sig ? (size_t)(sig - diff) :
				   strlen(diff));
	} else {
		p->diff = xstrdup("");
	}
	sbuf_addstr(&sb, p->subject);
	if (*p->body)
		sbuf_addf(&sb, "\n\n%s", p->body);
	sbuf_addch(&sb, '\n');
	p->message = sbuf_detach(&sb);
}

/*
 * Set the author from the first mailbox of an address list (a header's
 * raw value or an in-body From: line); 0, or -1 when it names none.
 */
static int patch_set_author(struct series_patch *p, const char *text)
{
	struct mail_address a;

	if (mail_address_parse(&a, text)) {
		mail_address_release(&a);
		return -1;
	}
	patch_set(&p->author_name, a.name);
	patch_set(&p->author_email, a.email);
	return 0;
}

/*
 * git format-patch puts "From: Author" first in the body when the
 * sender is not the author; git am takes the author from there.
 * Returns the text after it.
 */
static const char *patch_inbody_from(struct series_patch *p, const char *text)
{
	const char *q = text;
	char *line;
	int ret;

	if (!str_starts_with(text, "From: "))
		return text;
	line = xstrndup(text + 6, str_line_len(text + 6));
	scan_next_line(&q);
	ret = patch_set_author(p, line);
	free(line);
	if (ret)
		return text;
	while (*q == '\n' || *q == '\r')
		q++;
	return q;
}

static struct series_patch *patch_from_mail(GMimeMessage *msg,
					    const char *path)
{
	struct series_patch *p = xcalloc(1, sizeof(*p));
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeHeader *from = g_mime_header_list_get_header(hl, "From");
	const char *subject = g_mime_message_get_subject(msg);
	GDateTime *date = g_mime_message_get_date(msg);
	struct sbuf text = SBUF_INIT;
	char *s;

	p->path = xstrdup(path);
	if (from)
		patch_set_author(p, g_mime_header_get_raw_value(from));
	if (date) {
		p->author_time = (time_t)g_date_time_to_unix(date);
		p->author_tz = (int)(g_date_time_get_utc_offset(date) /
				     G_TIME_SPAN_MINUTE);
	}
	s = patch_utf8(subject ? subject : "", NULL);
	/* folded subjects: one line */
	for (char *q = s; *q; q++)
		if (*q == '\n' || *q == '\r' || *q == '\t')
			*q = ' ';
	p->mail_subject = s;
	p->subject = patch_strip_subject(s);
	g_mime_message_foreach(msg, patch_collect_text, &text);
	s = patch_utf8(text.buf, NULL);
	patch_split_body(p, patch_inbody_from(p, s));
	free(s);
	sbuf_release(&text);
	patch_files_from_diff(p);
	return p;
}

/*
 * The same mail twice (an archive that got it twice, a glob that names
 * a file twice) is one patch.
 */
static int patch_is_duplicate(const struct series_patches *ps,
			      const struct series_patch *p)
{
	for (size_t i = 0; i < ps->items.n; i++) {
		const struct series_patch *q = ps->items.items[i];

		if (!strcmp(q->mail_subject, p->mail_subject) &&
		    !strcmp(q->message, p->message) &&
		    !strcmp(q->diff, p->diff))
			return 1;
	}
	return 0;
}

static int patch_is_cover_file(const char *path)
{
	const char *base = strrchr(path, '/');

	return str_ends_with(base ? base + 1 : path, "0000-cover-letter.patch");
}

/*
 * One message of a patch file as GMime reads it, or NULL.  Blank lines
 * at its end separate it from the next one: they are not its own.
 */
static GMimeMessage *patch_parse_mail(const char *data, size_t len)
{
	while (len && g_ascii_isspace(data[len - 1]))
		len--;
	return mail_gmime_parse(data, len);
}

static int patch_read_file(struct series_patches *out, const char *path,
			   struct err *err)
{
	struct mail_mbox mb = MAIL_MBOX_INIT;
	int ret, nmsg = 0;

	ret = mail_mbox_read(&mb, path, PATCH_FILE_MAX, err);
	if (ret < 0 || !mb.msgs.n) {
		/* git format-patch writes an empty file for an empty commit */
		mail_mbox_release(&mb);
		return ret;
	}
	for (size_t i = 0; i < mb.msgs.n; i++) {
		const struct mail_mbox_msg *mm = mb.msgs.items[i];
		GMimeMessage *msg = patch_parse_mail(mb.data.buf + mm->off,
						     mm->len);
		struct series_patch *p;

		if (!msg)
			break;
		if (!g_mime_message_get_subject(msg) &&
		    !internet_address_list_length(
			    g_mime_message_get_from(msg))) {
			g_object_unref(msg);
			break;
		}
		p = patch_from_mail(msg, path);
		g_object_unref(msg);
		nmsg++;
		if ((nmsg == 1 && patch_is_cover_file(path)) ||
		    patch_subject_is_cover(p->mail_subject)) {
			if (out->cover && !strcmp(out->cover_subject,
						  p->mail_subject)) {
				/* the same cover letter sent twice */
				series_patch_free(p);
				continue;
			}
			if (out->cover) {
				series_patch_free(p);
				ret = err_set(err, ERR_PARSE,
					      "%s: a second cover letter", path);
				break;
			}
			out->cover = xstrdup(p->message);
			out->cover_subject = xstrdup(p->mail_subject);
			series_patch_free(p);
			continue;
		}
		if (patch_is_duplicate(out, p)) {
			series_patch_free(p);
			continue;
		}
		vec_push(&out->items, p);
	}
	if (!ret && !nmsg)
		ret = err_set(err, ERR_PARSE,
			      "%s: not a patch mail (no Subject: or From: header)",
			      path);
	mail_mbox_release(&mb);
	return ret;
}

int series_patches_from_files(struct series_patches *out,
			      const char *const *paths, size_t n,
			      struct err *err)
{
	/*
	 * Patch files may be mboxes of several mails: mail/mbox.h splits
	 * them, GMime parses each mail.
	 */
	mail_gmime_init();
	for (size_t i = 0; i < n; i++) {
		int ret = patch_read_file(out, paths[i], err);

		if (ret < 0)
			return ret;
	}
	return 0;
}
