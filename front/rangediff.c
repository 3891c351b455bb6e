#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "front/rangediff.h"
#include "mail/index.h"
#include "mail/message.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* One patch mail, as git needs it. */
struct patch_mail {
	unsigned index;
	char *title;		/* the subject without its tags */
	char *author, *email;
	long long date;
	char *body;		/* commit message, ---, diff */
};

static void patches_free(struct patch_mail *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ps[i].title);
		free(ps[i].author);
		free(ps[i].email);
		free(ps[i].body);
	}
	free(ps);
}

/* Load the message id from its file; release m either way. */
static int load_message(struct mail_index *idx, const char *id,
			struct mail_message *m, struct err *err)
{
	char *file = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = mail_index_message(idx, id, &file, NULL, err);
	if (!ret && !file)
		ret = err_set(err, ERR_NOTFOUND, "<%s>: no file", id);
	if (!ret)
		ret = mail_message_load(m, file, err);
	free(file);
	return ret;
}

/* The patches of v that arrived, 1..N, read from their files. */
static int read_patches(struct mail_index *idx, const struct mail_version *v,
			struct patch_mail **out, size_t *n, struct err *err)
{
	int ret = 0;

	*out = xcalloc(v->patches.n + 1, sizeof(**out));
	*n = 0;
	for (size_t i = 0; !ret && i < v->patches.n; i++) {
		const struct mail_patch *mp = v->patches.items[i];
		struct patch_mail *p = &(*out)[*n];
		struct mail_message m;
		struct mail_subject subj;

		ret = load_message(idx, mp->message_id, &m, err);
		if (!ret) {
			mail_subject_parse(&subj, m.subject ? m.subject : "");
			p->index = mp->index;
			p->title = xstrdup(subj.title);
			p->author = xstrdup(m.from_name ? m.from_name : "");
			p->email = xstrdup(m.from_email ? m.from_email : "");
			p->date = (long long)m.date;
			p->body = xstrdup(m.body ? m.body : "");
			mail_subject_release(&subj);
			(*n)++;
		}
		mail_message_release(&m);
	}
	return ret;
}

/* The cover letter's "base-commit: HEX", or NULL. */
static char *base_commit(struct mail_index *idx, const struct mail_version *v)
{
	struct mail_message m;
	const char *p;
	char *base = NULL;

	if (v->has_cover && !load_message(idx, v->message_id, &m, NULL) &&
	    m.body && (p = strstr(m.body, "\nbase-commit: "))) {
		size_t n;

		p += strlen("\nbase-commit: ");
		n = strspn(p, "0123456789abcdef");
		if (n >= 7 && n <= 64)
			base = xstrndup(p, n);
	}
	if (v->has_cover)
		mail_message_release(&m);
	return base;
}

/*
 * Run "git -C repo ARGS" with env added; out gets stdout, trimmed, or
 * when git fails, the first line it said.  Its stderr never reaches the
 * terminal: git apply names a patch's files, which come from mail, and
 * the TUI's screen is no place for a child's words.
 */
static int git(const char *repo, const char *const *env,
	       const char *const *args, struct sbuf *out, struct err *err)
{
	const char *argv[16] = { "git", "-C", repo };
	struct sbuf said = SBUF_INIT;
	struct run_options o = { env, 0, 0, &said };
	size_t n = 3;
	int ret;

	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	sbuf_reset(out);
	ret = run_capture(argv, &o, out, err);
	if (ret > 0) {
		sbuf_reset(out);
		sbuf_add(out, said.buf, strcspn(said.buf, "\n"));
	}
	sbuf_rtrim(out);
	sbuf_release(&said);
	return ret;
}

static int write_file(const char *dir, const char *name, const char *text,
		      struct sbuf *path, struct err *err)
{
	sbuf_reset(path);
	sbuf_addf(path, "%s/%s", dir, name);
	return fs_write_atomic(path->buf, text, strlen(text), err);
}

/*
 * Commit one patch on parent in the index of env[0]; the commit's id
 * in out.  0, 1 when git refuses it, < 0 on error.
 */
static int commit_patch(const char *repo, const char *tmp, const char *tag,
			const char *index_env, const struct patch_mail *p,
			const char *parent, struct sbuf *out,
			struct err *err)
{
	struct sbuf patch = SBUF_INIT, msg = SBUF_INIT, text = SBUF_INIT,
		name = SBUF_INIT, an = SBUF_INIT, ae = SBUF_INIT,
		ad = SBUF_INIT, tree = SBUF_INIT;
	const char *cut = strstr(p->body, "\n---\n");
	int ret;

	sbuf_addf(&name, "%s-%03u.patch", tag, p->index);
	ret = write_file(tmp, name.buf, p->body, &patch, err);
	/* The commit message: the title, then the body up to "---". */
	sbuf_addf(&text, "%s\n\n", p->title);
	sbuf_add(&text, p->body, cut ? (size_t)(cut - p->body) + 1 :
		 strlen(p->body));
	sbuf_reset(&name);
	sbuf_addf(&name, "%s-%03u.msg", tag, p->index);
	if (!ret)
		ret = write_file(tmp, name.buf, text.buf, &msg, err);
	sbuf_addf(&an, "GIT_AUTHOR_NAME=%s", p->author);
	sbuf_addf(&ae, "GIT_AUTHOR_EMAIL=%s", p->email);
	sbuf_addf(&ad, "GIT_AUTHOR_DATE=@%lld +0000", p->date);
	if (!ret) {
		const char *env[] = { index_env, an.buf, ae.buf, ad.buf,
				      "GIT_COMMITTER_NAME=vger",
				      "GIT_COMMITTER_EMAIL=vger@localhost",
				      NULL };
		const char *apply[] = { "apply", "--cached",
					"--whitespace=nowarn", patch.buf,
					NULL };
		const char *wt[] = { "write-tree", NULL };

		ret = git(repo, env, apply, out, err);
		if (!ret)
			ret = git(repo, env, wt, &tree, err);
		if (!ret) {
			const char *ct[] = { "commit-tree", tree.buf, "-p",
					     parent, "-F", msg.buf, NULL };

			ret = git(repo, env, ct, out, err);
		}
		if (ret > 0)
			ret = 1;
	}
	sbuf_release(&patch);
	sbuf_release(&msg);
	sbuf_release(&text);
	sbuf_release(&name);
	sbuf_release(&an);
	sbuf_release(&ae);
	sbuf_release(&ad);
	sbuf_release(&tree);
	return ret;
}

/*
 * The patches committed onto base in a temporary index (no checkout
 * of the tree); the tip's id in tip.  0, 1 when a patch does not
 * apply (said in why), < 0 on error.
 */
static int build_commits(const char *repo, const char *tmp, const char *tag,
			 const char *base, const struct patch_mail *ps,
			 size_t n, struct sbuf *tip, struct sbuf *why,
			 struct err *err)
{
	struct sbuf index = SBUF_INIT, out = SBUF_INIT;
	const char *rt[] = { "read-tree", base, NULL };
	int ret;

	sbuf_addf(&index, "GIT_INDEX_FILE=%s/index-%s", tmp, tag);
	sbuf_reset(tip);
	sbuf_addstr(tip, base);
	{
		const char *env[] = { index.buf, NULL };

		ret = git(repo, env, rt, &out, err);
	}
	if (ret > 0) {
		sbuf_addf(why, "git read-tree %s failed", base);
		ret = 1;
	}
	for (size_t i = 0; !ret && i < n; i++) {
		ret = commit_patch(repo, tmp, tag, index.buf, &ps[i],
				   tip->buf, &out, err);
		if (ret == 1) {
			sbuf_addf(why, "patch %u of %s does not apply to %.12s",
				  ps[i].index, tag, base);
			/* git's word, shown made safe by the front end */
			if (out.len)
				sbuf_addf(why, " (%.200s)", out.buf);
		}
		if (!ret) {
			sbuf_reset(tip);
			sbuf_addstr(tip, out.buf);
		}
	}
	sbuf_release(&index);
	sbuf_release(&out);
	return ret;
}

/* git range-diff of the two versions built on base. */
static int range_diff(const char *repo, const char *tmp, const char *base,
		      const struct patch_mail *pa, size_t na, unsigned va,
		      const struct patch_mail *pb, size_t nb, unsigned vb,
		      struct sbuf *out, struct sbuf *why, struct err *err)
{
	struct sbuf ta = SBUF_INIT, tb = SBUF_INIT, ra = SBUF_INIT,
		rb = SBUF_INIT;
	char tag_a[16], tag_b[16];
	int ret;

	snprintf(tag_a, sizeof(tag_a), "v%u", va);
	snprintf(tag_b, sizeof(tag_b), "v%u", vb);
	ret = build_commits(repo, tmp, tag_a, base, pa, na, &ta, why, err);
	if (!ret)
		ret = build_commits(repo, tmp, tag_b, base, pb, nb, &tb, why,
				    err);
	if (!ret) {
		const char *rd[] = { "range-diff", "--no-color", ra.buf,
				     rb.buf, NULL };

		sbuf_addf(&ra, "%s..%s", base, ta.buf);
		sbuf_addf(&rb, "%s..%s", base, tb.buf);
		rd[2] = ra.buf;
		rd[3] = rb.buf;
		ret = git(repo, NULL, rd, out, err);
		if (ret > 0) {
			sbuf_addstr(why, "git range-diff failed");
			ret = 1;
		}
	}
	sbuf_release(&ta);
	sbuf_release(&tb);
	sbuf_release(&ra);
	sbuf_release(&rb);
	return ret;
}

/* Each version's patch mails as vN/NNN.patch, diffed by git. */
static int interdiff(const char *tmp, const struct patch_mail *pa,
		     size_t na, unsigned va, const struct patch_mail *pb,
		     size_t nb, unsigned vb, struct sbuf *out,
		     struct err *err)
{
	struct sbuf da = SBUF_INIT, db = SBUF_INIT, path = SBUF_INIT,
		name = SBUF_INIT;
	const struct patch_mail *sides[2] = { pa, pb };
	size_t counts[2] = { na, nb };
	struct sbuf *dirs[2] = { &da, &db };
	unsigned vers[2] = { va, vb };
	int ret = 0;

	for (int s = 0; !ret && s < 2; s++) {
		sbuf_addf(dirs[s], "%s/v%u", tmp, vers[s]);
		if (mkdir(dirs[s]->buf, 0700) < 0)
			ret = err_set(err, ERR_IO, "%s: %s", dirs[s]->buf,
				      strerror(errno));
		for (size_t i = 0; !ret && i < counts[s]; i++) {
			struct sbuf text = SBUF_INIT;

			sbuf_reset(&name);
			sbuf_addf(&name, "%03u.patch", sides[s][i].index);
			sbuf_addf(&text, "Subject: %s\n\n%s", sides[s][i].title,
				  sides[s][i].body);
			ret = write_file(dirs[s]->buf, name.buf, text.buf, &path,
					 err);
			sbuf_release(&text);
		}
	}
	if (!ret) {
		char ra[16], rb[16];
		const char *argv[] = { "git", "-C", tmp, "diff", "--no-index",
				       "--no-color", "--no-ext-diff", ra, rb,
				       NULL };
		struct sbuf said = SBUF_INIT;
		struct run_options o = { NULL, 0, 0, &said };

		/* Relative to tmp, so the headers read "a/v2/003.patch". */
		snprintf(ra, sizeof(ra), "v%u", va);
		snprintf(rb, sizeof(rb), "v%u", vb);
		ret = run_capture(argv, &o, out, err);
		/* git diff --no-index: 1 means "they differ". */
		if (ret == 1)
			ret = 0;
		else if (ret > 1)
			ret = err_set(err, ERR_IO, "git diff --no-index "
				      "failed (%d): %.200s", ret, said.buf);
		sbuf_release(&said);
	}
	sbuf_release(&da);
	sbuf_release(&db);
	sbuf_release(&path);
	sbuf_release(&name);
	return ret;
}

int front_range_diff(const char *db, const char *linux_repo,
		     const struct mail_version *a,
		     const struct mail_version *b, struct sbuf *out,
		     struct sbuf *how, struct err *err)
{
	struct mail_index *idx = NULL;
	struct patch_mail *pa = NULL, *pb = NULL;
	size_t na = 0, nb = 0;
	struct sbuf why = SBUF_INIT, head = SBUF_INIT;
	char *tmp = NULL, *base = NULL;
	int ret;

	ret = mail_index_open(&idx, db, 0, err);
	if (!ret)
		ret = read_patches(idx, a, &pa, &na, err);
	if (!ret)
		ret = read_patches(idx, b, &pb, &nb, err);
	if (!ret) {
		tmp = fs_mkdtemp("vger-rangediff", err);
		if (!tmp)
			ret = -ERR_IO;
	}
	if (!ret && linux_repo) {
		const char *hd[] = { "rev-parse", "--verify", "-q", "HEAD",
				     NULL };

		base = base_commit(idx, b);
		if (base) {
			const char *ok[] = { "rev-parse", "--verify", "-q",
					     base, NULL };
			struct sbuf sha = SBUF_INIT;

			sbuf_addf(&head, "%s^{commit}", base);
			ok[3] = head.buf;
			if (git(linux_repo, NULL, ok, &sha, NULL)) {
				sbuf_addf(&why, "base-commit %.12s is not in "
					  "%s", base, linux_repo);
				free(base);
				base = NULL;
			}
			sbuf_release(&sha);
		}
		if (!base && !git(linux_repo, NULL, hd, &head, NULL))
			base = xstrdup(head.buf);
		if (base) {
			ret = range_diff(linux_repo, tmp, base, pa, na,
					 a->version, pb, nb, b->version, out,
					 &why, err);
			if (!ret)
				sbuf_addf(how, "git range-diff in %s on "
					  "%.12s", linux_repo, base);
		} else {
			ret = 1;
		}
	}
	if (!ret && !linux_repo)
		sbuf_addstr(&why, "no kernel tree (git config vger.linux)");
	if (ret == 1 || (!ret && !linux_repo)) {
		sbuf_reset(out);
		ret = interdiff(tmp, pa, na, a->version, pb, nb, b->version,
				out, err);
		if (!ret)
			sbuf_addf(how, "interdiff of the patch mails: %s",
				  why.buf);
	}
	if (tmp)
		fs_rm_rf(tmp);
	free(tmp);
	free(base);
	patches_free(pa, na);
	patches_free(pb, nb);
	mail_index_free(idx);
	sbuf_release(&why);
	sbuf_release(&head);
	return ret;
}
