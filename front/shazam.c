/*
 * vger shazam as a flow (front/am.h): the series front_am_prepare()
 * read applied with git am in a repository, on a detached base and
 * merged when asked; and the TUI's keys that save or apply one version.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front/am.h"
#include "front/hooks.h"
#include "front/identity.h"
#include "front/private.h"
#include "mail/am.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/*
 * git -C DIR args... with input on its stdin (NULL: none): its exit
 * status, its words appended to out.
 */
static int git_input(const char *dir, const char *const *args,
		     const char *input, struct sbuf *out, struct err *err)
{
	const char *argv[24];
	struct run_options ro;
	size_t n = 0;

	memset(&ro, 0, sizeof(ro));
	ro.with_stderr = 1;
	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = dir;
	for (size_t i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return run_capture_input(argv, &ro, input, input ? strlen(input) : 0,
				 out, err);
}

static int git(const char *dir, const char *const *args, struct sbuf *out,
	       struct err *err)
{
	return git_input(dir, args, NULL, out, err);
}

/*
 * What git is in the middle of in dir (an am, a rebase), said as a
 * refusal naming how to go on; 0 when nothing.  A second git am would
 * only fail, and a series applied on top of a rebase's stop would be
 * mixed into it.
 */
static int busy(const char *dir, struct err *err)
{
	static const struct {
		const char *path, *what, *cmd;
	} states[] = {
		{ "rebase-apply/applying", "git am", "git am" },
		{ "rebase-apply", "a rebase", "git rebase" },
		{ "rebase-merge", "a rebase", "git rebase" },
		{ "MERGE_HEAD", "a merge", "git merge" },
		{ "CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick" },
	};
	int ret = 0;

	for (size_t i = 0; !ret && i < sizeof(states) / sizeof(states[0]);
	     i++) {
		const char *args[] = { "rev-parse", "--git-path",
				       states[i].path, NULL };
		struct sbuf out = SBUF_INIT;
		char *path;

		if (git(dir, args, &out, NULL)) {
			sbuf_release(&out);
			continue;
		}
		sbuf_trim(&out);
		path = out.buf[0] == '/' ? xstrdup(out.buf) :
		       path_join(dir, out.buf);
		if (fs_exists(path))
			ret = err_set(err, ERR_STATE, "%s: %s is in progress "
				      "there: finish it first (%s --continue) "
				      "or undo it (%s --abort)", dir,
				      states[i].what, states[i].cmd,
				      states[i].cmd);
		free(path);
		sbuf_release(&out);
	}
	return ret;
}

/* The object id of rev in dir (a commit), or NULL. */
static char *rev_parse(const char *dir, const char *rev)
{
	struct sbuf out = SBUF_INIT, spec = SBUF_INIT;
	const char *args[] = { "rev-parse", "-q", "--verify", NULL, NULL };
	char *id = NULL;

	sbuf_addf(&spec, "%s^{commit}", rev);
	args[3] = spec.buf;
	if (!git(dir, args, &out, NULL)) {
		sbuf_trim(&out);
		if (out.len)
			id = sbuf_detach(&out);
	}
	sbuf_release(&out);
	sbuf_release(&spec);
	return id;
}

static void step(const struct front_hooks *h, enum front_step s, size_t n)
{
	struct front_progress p;

	memset(&p, 0, sizeof(p));
	p.step = s;
	p.n = n;
	front_progress(h, &p);
}

int front_shazam(const struct front_am_result *res,
		 const struct front_shazam_options *o,
		 const struct front_hooks *h, struct front_shazam_result *out,
		 struct err *err)
{
	char cwd_buf[4096];
	const char *dir = o->repo_dir;
	struct sbuf gitout = SBUF_INIT;
	char *head = NULL;
	char *name = NULL, *email = NULL, *orig = NULL;
	int ret = 0, st;

	memset(out, 0, sizeof(*out));
	if (!dir)
		dir = getcwd(cwd_buf, sizeof(cwd_buf));
	if (!dir)
		return err_set(err, ERR_IO, "no working directory");
	head = rev_parse(dir, "HEAD");
	if (!head)
		return err_set(err, ERR_GIT, "%s: not a git repository with a "
			       "commit", dir);
	ret = busy(dir, err);
	if (ret)
		goto out;
	if (res->base_commit) {
		char *b = rev_parse(dir, res->base_commit);

		out->base_known = b != NULL;
		front_say(h, FRONT_NOTE, "base-commit %s: %s", res->base_commit,
			  b ? "in this repository" : "not in this repository");
		free(b);
	} else {
		front_say(h, FRONT_NOTE, "the series names no base-commit");
	}
	if (o->merge) {
		const char *base = o->base ? o->base : res->base_commit &&
			out->base_known ? res->base_commit : "HEAD";
		char *base_id = rev_parse(dir, base);
		const char *co[] = { "checkout", "-q", "--detach", NULL, NULL };
		struct sbuf sym = SBUF_INIT;
		const char *symargs[] = { "symbolic-ref", "-q", "HEAD", NULL };

		if (!base_id) {
			ret = err_set(err, ERR_GIT, "--base %s: no such commit "
				      "in %s", base, dir);
			goto out;
		}
		out->base = base_id;
		if (!git(dir, symargs, &sym, NULL)) {
			sbuf_trim(&sym);
			orig = sbuf_detach(&sym);
		}
		sbuf_release(&sym);
		/* apply on a detached HEAD at the base */
		co[3] = base_id;
		st = git(dir, co, &gitout, err);
		if (st) {
			ret = st < 0 ? st : err_set(err, ERR_GIT, "git checkout "
						    "%s failed: %s", base_id,
						    gitout.buf);
			goto out;
		}
	}
	step(h, FRONT_AM_APPLY, res->npatches);
	{
		/*
		 * The mbox on git am's stdin: no temporary file that a
		 * kill (SIGKILL too) could leave behind.
		 */
		const char *am[] = { "am", NULL };

		st = git_input(dir, am, res->mbox, &gitout, err);
	}
	if (st < 0) {
		ret = st;
		goto out;
	}
	if (st) {
		/* git's am state stays for git am --continue / --abort */
		out->git_output = sbuf_detach(&gitout);
		goto out;
	}
	out->applied = 1;
	if (o->merge) {
		char *tip = rev_parse(dir, "HEAD");
		struct mail_am_merge mg;
		struct sbuf msg = SBUF_INIT, so = SBUF_INIT;
		const char *back[] = { "checkout", "-q", NULL, NULL };
		/* the message as an argument: no file to leave behind */
		const char *merge[] = { "merge", "--no-ff", "-q", "-m", NULL,
					NULL, NULL };

		front_identity(o->cfg, &name, &email);
		memset(&mg, 0, sizeof(mg));
		mg.title = res->cover_title;
		mg.author = res->cover_author;
		mg.body = res->cover_body;
		mg.link = res->link;
		if (name && email) {
			sbuf_addf(&so, "%s <%s>", name, email);
			mg.signoff = so.buf;
		}
		mail_am_merge_message(&mg, &msg);
		out->merge_message = xstrdup(msg.buf);
		/* back where the user was, then the merge */
		back[2] = orig ? orig + (str_starts_with(orig, "refs/heads/") ?
					 11 : 0) : head;
		if ((st = git(dir, back, &gitout, err))) {
			ret = st < 0 ? st : err_set(err, ERR_GIT, "git checkout "
						    "%s failed", back[2]);
		}
		merge[4] = msg.buf;
		merge[5] = tip;
		step(h, FRONT_AM_MERGE, res->npatches);
		if (!ret) {
			st = git(dir, merge, &gitout, err);
			if (st < 0)
				ret = st;
			else
				out->merged = !st;
		}
		free(tip);
		sbuf_release(&msg);
		sbuf_release(&so);
	}
	out->git_output = sbuf_detach(&gitout);
out:
	free(head);
	free(orig);
	free(name);
	free(email);
	sbuf_release(&gitout);
	return ret;
}

void front_shazam_result_release(struct front_shazam_result *r)
{
	free(r->git_output);
	free(r->base);
	free(r->merge_message);
	memset(r, 0, sizeof(*r));
}

/* ---- the TUI's keys ---- */

static size_t trailers_added(const struct front_am_result *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->patches.n; i++)
		n += ((const struct front_am_patch *)
		      r->patches.items[i])->added.n;
	return n;
}

/* vger am's defaults for one version of the TUI's model. */
static void version_options(struct front_am_options *o,
			    struct front_config *cfg, const char *db,
			    const char *message_id, unsigned version)
{
	memset(o, 0, sizeof(*o));
	o->db = db;
	o->id = message_id;
	o->version = version;
	o->cfg = cfg;
}

int front_am_save_version(struct front_config *cfg, const char *db,
			  const char *message_id, unsigned version,
			  const char *dir, const struct front_hooks *h,
			  struct sbuf *msg, struct err *err)
{
	struct front_am_options o;
	struct front_am_result res = FRONT_AM_RESULT_INIT;
	char *mbx = NULL, *cover = NULL;
	int ret;

	version_options(&o, cfg, db, message_id, version);
	ret = front_am_prepare(&o, h, &res, err);
	if (!ret)
		ret = front_am_write(&res, dir, 0, &mbx, &cover, err);
	if (!ret)
		sbuf_addf(msg, "Saved %s: %zu patch%s, %zu trailer%s added%s",
			  mbx, res.npatches, res.npatches == 1 ? "" : "es",
			  trailers_added(&res), trailers_added(&res) == 1 ?
			  "" : "s", res.warnings.n ? " (see vger am for the "
			  "warnings)" : "");
	free(mbx);
	free(cover);
	front_am_result_release(&res);
	return ret;
}

int front_am_apply_version(struct front_config *cfg, const char *db,
			   const char *message_id, unsigned version,
			   const char *repo, const struct front_hooks *h,
			   struct sbuf *msg, struct err *err)
{
	struct front_am_options o;
	struct front_shazam_options so;
	struct front_am_result res = FRONT_AM_RESULT_INIT;
	struct front_shazam_result sr;
	int ret;

	version_options(&o, cfg, db, message_id, version);
	memset(&so, 0, sizeof(so));
	memset(&sr, 0, sizeof(sr));
	o.mailmap_repo = repo;
	so.repo_dir = repo;
	so.cfg = cfg;
	ret = front_am_prepare(&o, h, &res, err);
	if (!ret)
		ret = front_shazam(&res, &so, h, &sr, err);
	if (!ret && sr.applied)
		sbuf_addf(msg, "Applied %zu patch%s to %s (%zu trailer%s "
			  "added)", res.npatches, res.npatches == 1 ? "" :
			  "es", repo, trailers_added(&res),
			  trailers_added(&res) == 1 ? "" : "s");
	else if (!ret)
		ret = err_set(err, ERR_GIT, "git am stopped in %s: resolve, "
			      "then git am --continue (or --abort) there",
			      repo);
	front_shazam_result_release(&sr);
	front_am_result_release(&res);
	return ret;
}
