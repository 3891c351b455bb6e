#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* <>: the build's config.h, not front/gitconfig.h */
#include <config.h>

#include "front/calendar.h"
#include "front/cc.h"
#include "front/check.h"
#include "front/clock.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/identity.h"
#include "front/model.h"
#include "front/private.h"
#include "front/respin.h"
#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/collect.h"
#include "mail/model.h"
#include "mail/thread.h"
#include "mail/trailer.h"
#include "maint/maint.h"
#include "series/patch.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* One respin: the options, the hooks and what the steps share. */
struct respin {
	const struct front_respin_options *o;
	const struct front_hooks *h;
	struct front_config *cfg;
	struct series_job *job;
	struct mail_model *model;	/* NULL: none could be loaded */
	struct err model_err;		/* why not */
};

static void step(struct respin *rs, enum front_step s)
{
	struct front_progress p;

	memset(&p, 0, sizeof(p));
	p.step = s;
	front_progress(rs->h, &p);
}

/* ---- recipients ---- */

/* Add s to v unless v or other already has its address. */
static void add_recipient(struct vec *v, const struct vec *other,
			  const char *s)
{
	if (mail_address_find(v, s) < 0 &&
	    !(other && mail_address_find(other, s) >= 0))
		vec_push_str(v, s);
}

/*
 * To/Cc from the kernel tree's MAINTAINERS for the formatted patches,
 * as vger cc gives them (split by vger.ccSplit).  The tree's own list
 * is left to the respin, which puts it first in To.  Not a kernel tree
 * (no MAINTAINERS at the top): nothing, silently.
 */
static void respin_maintainers(struct respin *rs,
			       const struct series_result *r,
			       const char *tree_list, struct vec *to,
			       struct vec *cc)
{
	const char *root = front_config_repo_dir(rs->cfg);
	struct maint_options mo;
	struct maint_db *db = NULL;
	struct maint_result res;
	struct maint_input *in;
	struct err err = ERR_INIT;
	struct vec warnings = VEC_INIT;
	enum front_cc_split split = front_cc_split(rs->cfg, &warnings);
	char *path;
	size_t n = 0;

	for (size_t i = 0; i < warnings.n; i++)
		front_say(rs->h, FRONT_WARNING, "%s",
			  (char *)warnings.items[i]);
	vec_release_str(&warnings);
	if (!root)
		return;
	path = path_join(root, "MAINTAINERS");
	if (!fs_exists(path)) {
		free(path);
		return;
	}
	free(path);
	step(rs, FRONT_RESPIN_MAINTAINERS);
	memset(&mo, 0, sizeof(mo));
	memset(&res, 0, sizeof(res));
	mo.root = root;
	in = xcalloc(r->files.n ? r->files.n : 1, sizeof(*in));
	for (size_t i = 0; i < r->files.n; i++) {
		const struct series_file *f = r->files.items[i];

		if (!f->commit)
			continue;	/* the cover letter names no files */
		in[n].name = f->name;
		in[n].text = f->text;
		in[n].len = strlen(f->text);
		n++;
	}
	if (maint_db_open(&db, &mo, &err) ||
	    maint_db_lookup(db, in, n, &res, &err)) {
		front_say(rs->h, FRONT_WARNING, "no Cc from MAINTAINERS: %s",
			  err.msg);
		goto out;
	}
	/* A regex MAINTAINERS stopped (its work is bounded), and why. */
	for (size_t i = 0; i < res.warnings.n; i++)
		front_say(rs->h, FRONT_WARNING, "MAINTAINERS: %s",
			  (char *)res.warnings.items[i]);
	for (size_t i = 0; i < res.addrs.n; i++) {
		const struct maint_addr *a = res.addrs.items[i];

		if (tree_list && mail_address_same(tree_list, a->addr))
			continue;
		if (front_cc_is_to(a->role, split))
			add_recipient(to, cc, a->addr);
		else
			add_recipient(cc, to, a->addr);
	}
	maint_result_release(&res);
out:
	maint_db_free(db);
	free(in);
}

/* Whether a line may go into a commit message as it is: no control
 * character, and short enough for any mail's line. */
static int plain_line(const char *line)
{
	size_t n = 0;

	for (const unsigned char *c = (const unsigned char *)line; *c; c++, n++)
		if (*c < 0x20 || *c == 0x7f)
			return 0;
	return n <= 200;
}

/*
 * A trailer carried into vN: a person's address is checked as every
 * address taken from mail is (mail_address_from_mail()) and the line
 * written anew, never pasted as it came; one that fails is dropped and
 * said, once however many patches it was given on.  NULL: dropped.
 */
static char *checked_trailer(struct respin *rs, const char *key,
			     const char *name, const char *email,
			     const char *line, unsigned prev, struct vec *said)
{
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;
	char *who = NULL;

	if (email && !mail_address_from_mail(&who, name, email,
					     MAIL_ADDRESS_TEXT, &err)) {
		sbuf_addf(&sb, "%s: %s", key, who);
		free(who);
		return sbuf_detach(&sb);
	}
	if (!email && plain_line(line))
		return xstrdup(line);
	if (email)
		sbuf_addf(&sb, "dropped the %s given on v%u by '%s': %s", key,
			  prev, email, err.msg);
	else
		sbuf_addf(&sb, "dropped a %s line of v%u: not a plain line",
			  key, prev);
	if (vec_find_str(said, sb.buf) < 0) {
		front_say(rs->h, FRONT_WARNING, "%s", sb.buf);
		vec_push(said, sbuf_detach(&sb));
	}
	sbuf_release(&sb);
	return NULL;
}

/*
 * The trailers given on vN-1, whose cover letter or first patch was
 * msgid, as the one collector (mail/collect.h) decides them for vger
 * am: a reply counts for the patch it answers, one on the cover letter
 * for every patch, a person trailer only from its own sender, never a
 * Nacked-by.  Each becomes a struct series_trailer_add for the patch
 * of the same title (strings kept in strings).  The addresses of
 * everyone who replied to vN-1 are added to cc.  No model or no vN-1
 * in it is a warning, not an error: the respin goes on without them.
 */
static void respin_collect_trailers(struct respin *rs, const char *msgid,
				    unsigned prev, struct vec *out,
				    struct vec *strings, struct vec *to,
				    struct vec *cc)
{
	const struct mail_version *v;
	struct vec thread = VEC_INIT;
	struct mail_collect_result cr = MAIL_COLLECT_RESULT_INIT;
	struct mail_collect_msg *cm;
	struct vec *gv = NULL;	/* one struct mail_given * each */
	size_t n = 0, nv = 0;
	struct vec said = VEC_INIT;
	char *id;

	if (!msgid)
		return;
	/* The model keeps ids as notmuch does, without <>. */
	id = xstrndup(msgid + (*msgid == '<'), strcspn(msgid + (*msgid == '<'),
						       ">"));
	if (!rs->model) {
		front_say(rs->h, FRONT_WARNING, "no trailers from v%u: %s",
			  prev, rs->model_err.msg);
		free(id);
		return;
	}
	v = mail_model_find_version(rs->model, id, NULL);
	if (!v) {
		front_say(rs->h, FRONT_WARNING, "no trailers from v%u: <%s> is "
			  "not in the mail database", prev, id);
		free(id);
		return;
	}
	free(id);
	if (!mail_version_thread(rs->model, v, &thread)) {
		cm = xcalloc(thread.n ? thread.n : 1, sizeof(*cm));
		for (size_t i = 0; i < thread.n; i++) {
			const struct mail_thread_msg *m = thread.items[i];

			cm[i].id = m->id;
			cm[i].parent = m->parent;
			cm[i].from_name = m->from_name;
			cm[i].from_email = m->from_email;
			cm[i].patch = m->patch;
			cm[i].cover = m->cover;
			cm[i].given = m->given;
		}
		n = thread.n;
	} else {
		/*
		 * A model from the cached listing knows who gave what on
		 * each patch, not the replies: each trailer is a reply of
		 * its giver to the patch.
		 */
		for (size_t i = 0; i < v->patches.n; i++)
			n += 1 + ((const struct mail_patch *)
				  v->patches.items[i])->given.n;
		cm = xcalloc(n ? n : 1, sizeof(*cm));
		gv = xcalloc(n ? n : 1, sizeof(*gv));
		nv = n;
		n = 0;
		for (size_t i = 0; i < v->patches.n; i++) {
			const struct mail_patch *p = v->patches.items[i];

			cm[n].id = p->message_id;
			cm[n++].patch = p->index;
			for (size_t j = 0; j < p->given.n; j++) {
				const struct mail_given *g = p->given.items[j];

				cm[n].id = g->message_id;
				cm[n].parent = p->message_id;
				cm[n].from_name = g->name;
				cm[n].from_email = g->email;
				vec_push(&gv[n], (void *)g);
				cm[n].given = &gv[n];
				n++;
			}
		}
	}
	mail_collect_run(&cr, cm, n, v->patches_expected, NULL, NULL);
	for (size_t i = 0; i < cr.notes.n; i++) {
		const struct mail_collect_note *nt = cr.notes.items[i];

		/* named by the addresses alone: no text of the mail */
		if (nt->why == MAIL_COLLECT_MISMATCH)
			front_say(rs->h, FRONT_WARNING, "dropped the %s given "
				  "on v%u by '%s': sent by '%s', not by them",
				  nt->t->key, prev, nt->t->email ?
				  nt->t->email : "?", nt->t->by_email ?
				  nt->t->by_email : "?");
	}
	for (size_t i = 0; i < v->patches.n; i++) {
		const struct mail_patch *p = v->patches.items[i];
		const struct mail_collect_patch *cp =
			mail_collect_patch_at(&cr, p->index);

		for (size_t j = 0; cp && j < cp->add.n; j++) {
			const struct mail_collect_trailer *t = cp->add.items[j];
			struct series_trailer_add *add;
			char *line = checked_trailer(rs, t->key, t->name,
						     t->email, t->line, prev,
						     &said);

			if (!line)
				continue;
			add = xcalloc(1, sizeof(*add));
			vec_push(strings, xstrdup(p->title));
			add->title = strings->items[strings->n - 1];
			vec_push(strings, line);
			add->line = strings->items[strings->n - 1];
			vec_push(out, add);
		}
		/* what the patch carried itself goes on too */
		for (size_t j = 0; cp && j < cp->own.n; j++) {
			struct series_trailer_add *add;
			const char *line = cp->own.items[j];

			if (strncasecmp(line, "Acked-by:", 9) &&
			    strncasecmp(line, "Reviewed-by:", 12) &&
			    strncasecmp(line, "Tested-by:", 10))
				continue;
			if (!plain_line(line)) {
				front_say(rs->h, FRONT_WARNING, "dropped a "
					  "trailer line of v%u's patch %u: not "
					  "a plain line", prev, p->index);
				continue;
			}
			add = xcalloc(1, sizeof(*add));
			vec_push(strings, xstrdup(p->title));
			add->title = strings->items[strings->n - 1];
			vec_push(strings, xstrdup(line));
			add->line = strings->items[strings->n - 1];
			vec_push(out, add);
		}
	}
	mail_collect_release(&cr);
	free(cm);
	for (size_t i = 0; i < nv; i++)
		vec_release(&gv[i], NULL);
	free(gv);
	mail_thread_release(&thread);
	for (size_t i = 0; i < v->repliers.n; i++) {
		struct err err = ERR_INIT;
		char *who;

		/* a header: the address checked, never pasted */
		if (mail_address_from_mail(&who, NULL, v->repliers.items[i],
					   MAIL_ADDRESS_HEADER, &err)) {
			front_say(rs->h, FRONT_WARNING, "not in Cc: '%s', who "
				  "answered v%u: %s",
				  (const char *)v->repliers.items[i], prev,
				  err.msg);
			continue;
		}
		add_recipient(cc, to, who);
		free(who);
	}
	vec_release_str(&said);
}

static int has_database(struct front_config *cfg)
{
	char *db = front_config_path(cfg, "vger.database");
	int has = db != NULL;

	free(db);
	return has;
}

/* The tree as vger check and the calendar name it ("iproute2 net-next"). */
static char *respin_check_tree(const char *tree)
{
	char *prefix = series_tree_prefix(tree, 0);
	char *name = xstrdup(prefix + strlen("PATCH") + (prefix[5] == ' '));

	free(prefix);
	return name;
}

/*
 * The submission checks (series/check.h, as vger check runs them) on
 * the formatted range before anything is written, into res.  The merge
 * window is respin_window()'s, so its rule is off here.  0 to go on,
 * -1 when they found errors (and not no_check).
 */
static int respin_run_checks(struct respin *rs, const struct series_result *r,
			     struct front_respin_result *res)
{
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct check_options opt;
	struct sbuf range = SBUF_INIT;
	struct err err = ERR_INIT;
	char *cover = NULL;
	int ret = 0;

	step(rs, FRONT_RESPIN_CHECKS);
	memset(&opt, 0, sizeof(opt));
	res->check_tree = respin_check_tree(r->tree);
	sbuf_addf(&range, "%s..%s", r->base, r->head);
	if (series_patches_from_range(&ps, NULL, range.buf, &err) < 0 ||
	    series_cover_get(rs->job, r->branch, &cover, &err) < 0) {
		front_say(rs->h, FRONT_WARNING, "the checks did not run: %s",
			  err.msg);
		goto out;
	}
	opt.tree = res->check_tree;
	opt.version = r->version;
	opt.cover = cover;
	opt.now = front_now();
	opt.repo_dir = ps.repo_dir;
	front_check_previous(rs->model, &ps, &opt);
	opt.disabled = front_check_disabled_rules(rs->cfg) |
		       1u << CHECK_TREE_CLOSED;
	if (check_series(&res->checks, &ps, &opt, &err) < 0) {
		front_say(rs->h, FRONT_WARNING, "the checks did not run: %s",
			  err.msg);
		goto out;
	}
	res->checked = 1;
	res->npatches = ps.items.n;
	if (res->checks.errors && !rs->o->no_check)
		ret = -1;
out:
	series_patches_release(&ps);
	sbuf_release(&range);
	free(cover);
	return ret;
}

/*
 * The merge-window state of the target tree: a closed tree is a
 * warning, and since bpf-next takes RFCs during the window, a series
 * that is not one yet is asked about.  1 when the answer is to make it
 * an RFC, else 0.
 */
static int respin_window(struct respin *rs, const char *tree, int rfc)
{
	struct sbuf msg = SBUF_INIT, q = SBUF_INIT;
	char *name = respin_check_tree(tree);
	int yes = 0;

	if (front_tree_closed(rs->cfg, name, front_now(), &msg)) {
		front_say(rs->h, FRONT_WARNING, "%s", msg.buf);
		if (!rfc) {
			sbuf_addf(&q, "%s takes RFC patches during the merge "
				  "window; make this version an RFC?", name);
			yes = front_ask(rs->h, FRONT_ASK_RFC, q.buf, name) ==
			      FRONT_YES;
		}
	}
	sbuf_release(&msg);
	sbuf_release(&q);
	free(name);
	return yes;
}

/* outgoing/<branch, slashes as dashes>-vN */
static char *default_outdir(const struct series_result *r)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, "outgoing/");
	for (const char *p = r->branch ? r->branch : "series"; *p; p++)
		sbuf_addch(&sb, *p == '/' ? '-' : *p);
	sbuf_addf(&sb, "-v%u", r->version);
	return sbuf_detach(&sb);
}

/*
 * The last version sent, its trailers and repliers, the cover letter
 * carried over to the next version.  The model is loaded once here,
 * for the trailers and for the previous version the checks want.
 */
static int respin_last_version(struct respin *rs, unsigned want,
			       struct vec *adds, struct vec *strings,
			       struct vec *to, struct vec *cc,
			       struct err *err)
{
	struct front_model_args model_args = { NULL, NULL, 0, 0 };
	const char *branch = rs->o->branch && !rs->o->range ?
			     rs->o->branch : series_job_branch(rs->job);
	char *stored = NULL, *msgid = NULL, *carried = NULL;
	unsigned last = 0;
	int ret;

	ret = series_last_sent(rs->job, branch, &last, &msgid, NULL, err);
	if (!ret)
		ret = series_cover_get(rs->job, branch, &stored, err);
	if (ret)
		goto out;
	if ((!rs->o->no_trailers && last) || has_database(rs->cfg)) {
		step(rs, FRONT_RESPIN_MODEL);
		front_model_open(&model_args, 0, &rs->model, &rs->model_err);
	}
	if (!rs->o->no_trailers && last)
		respin_collect_trailers(rs, msgid, last, adds, strings, to, cc);
	/* carry the stored cover letter over to the new version */
	if (branch && last && (!want || want == last + 1)) {
		carried = series_cover_carry(stored, last + 1, msgid);
		if (!stored || strcmp(carried, stored)) {
			ret = series_cover_set(rs->job, branch, carried, err);
			if (ret)
				goto out;
			front_say(rs->h, FRONT_NOTE, "added a \"Changes in "
				  "v%u:\" section to the cover letter (vger "
				  "respin --edit-cover)", last + 1);
		}
	}
out:
	free(stored);
	free(msgid);
	free(carried);
	return ret;
}

/* The series' options from o and git config; strings kept in keep. */
static void respin_options(struct respin *rs, struct series_options *so,
			   struct vec *to, struct vec *cc, struct vec *keep)
{
	const struct front_respin_options *o = rs->o;
	char *name, *email, *s;
	struct tm tm;

	so->range = o->range;
	so->version = o->version;
	so->rfc = o->rfc;
	so->cover_letter = o->cover_letter;
	so->tree = o->tree;
	if (!so->tree) {
		s = front_config_string(rs->cfg, "vger.tree");
		vec_push(keep, s);
		so->tree = s;
	}
	s = front_config_string(rs->cfg, "vger.base");
	vec_push(keep, s);
	so->base = s;
	for (size_t i = 0; o->to && i < o->to->n; i++)
		vec_push_str_unique(to, o->to->items[i]);
	for (size_t i = 0; o->cc && i < o->cc->n; i++)
		vec_push_str_unique(cc, o->cc->items[i]);
	front_config_multi(rs->cfg, "vger.to", to);
	front_config_multi(rs->cfg, "vger.cc", cc);
	so->to = to;
	so->cc = cc;
	so->to_tree_list = 1;
	so->thread = o->thread >= 0 ? o->thread :
		     front_config_bool(rs->cfg, "vger.thread", 0);
	if (o->no_signature) {
		so->signature = NULL;
	} else if (o->signature) {
		so->signature = o->signature;
	} else {
		s = front_config_string(rs->cfg, "format.signature");
		if (!s) {
			struct sbuf sb = SBUF_INIT;

			sbuf_addf(&sb, "vger %s", PACKAGE_VERSION);
			s = sbuf_detach(&sb);
		}
		vec_push(keep, s);
		so->signature = s;
	}
	front_identity(rs->cfg, &name, &email);
	vec_push(keep, name);
	vec_push(keep, email);
	so->from_name = name;
	so->from_email = email;
	so->now = time(NULL);
	localtime_r(&so->now, &tm);
	so->now_tz = (int)(tm.tm_gmtoff / 60);
}

/* Format r, and To/Cc from MAINTAINERS for what it formatted. */
static int respin_format(struct respin *rs, struct series_options *so,
			 struct series_result *r, struct vec *to,
			 struct vec *cc, struct err *err)
{
	struct vec tree_cc = VEC_INIT;
	size_t nto, ncc;
	int ret;

	step(rs, FRONT_RESPIN_FORMAT);
	ret = series_format(rs->job, so, r, err);
	if (ret)
		return ret;
	nto = to->n;
	ncc = cc->n;
	/* MAINTAINERS reads the formatted patches. */
	respin_maintainers(rs, r, kernel_tree_list(r->tree), to, cc);
	series_tree_cc(r->tree, &tree_cc);
	for (size_t i = 0; i < tree_cc.n; i++)
		add_recipient(cc, to, tree_cc.items[i]);
	vec_release_str(&tree_cc);
	if (to->n != nto || cc->n != ncc)
		ret = series_result_set_recipients(r, so, err);
	return ret;
}

int front_respin(const struct front_respin_options *o,
		 const struct front_hooks *h, struct front_respin_result *res,
		 struct err *err)
{
	static const struct front_hooks none;
	struct series_options so = SERIES_OPTIONS_INIT;
	struct series_result *r = &res->series;
	struct vec adds = VEC_INIT, strings = VEC_INIT, keep = VEC_INIT;
	struct respin rs;
	char *dir = NULL;
	int ret;

	memset(&rs, 0, sizeof(rs));
	rs.o = o;
	rs.h = h ? h : &none;
	rs.cfg = o->cfg;
	ret = series_job_open(&rs.job, NULL, err);
	if (ret)
		goto out;
	respin_options(&rs, &so, &res->to, &res->cc, &keep);
	if (o->branch && !o->range) {
		char *range;

		ret = series_branch_range(rs.job, o->branch, so.base, &range,
					  err);
		if (ret)
			goto out;
		vec_push(&keep, range);
		so.range = range;
	}
	for (size_t i = 0; o->trailers && i < o->trailers->n; i++) {
		struct series_trailer_add *t = xcalloc(1, sizeof(*t));

		*t = *(const struct series_trailer_add *)o->trailers->items[i];
		vec_push(&adds, t);
	}
	ret = respin_last_version(&rs, o->version, &adds, &strings, &res->to,
				  &res->cc, err);
	if (ret)
		goto out;
	so.trailers = &adds;
	ret = respin_format(&rs, &so, r, &res->to, &res->cc, err);
	if (ret)
		goto out;
	if (r->tree_guessed)
		front_say(rs.h, FRONT_NOTE, "no --tree and no vger.tree: "
			  "guessed %s (%s)", r->tree, !strcmp(r->tree, "bpf") ?
			  "every commit has a Fixes: tag" :
			  "not every commit has a Fixes: tag");
	for (size_t i = 0; i < r->warnings.n; i++)
		front_say(rs.h, FRONT_WARNING, "%s",
			  (char *)r->warnings.items[i]);
	if (respin_window(&rs, r->tree, so.rfc)) {
		/* The answer made it an RFC: the same series, as one. */
		so.rfc = 1;
		series_result_release(r);
		*r = (struct series_result)SERIES_RESULT_INIT;
		ret = series_format(rs.job, &so, r, err);
		if (ret)
			goto out;
	}
	if (respin_run_checks(&rs, r, res))
		goto out;
	step(&rs, FRONT_RESPIN_WRITE);
	dir = o->outdir ? xstrdup(o->outdir) : default_outdir(r);
	ret = series_write(r, dir, o->force, err);
	if (ret)
		goto out;
	res->dir = dir;
	dir = NULL;
out:
	mail_model_free(rs.model);
	series_job_free(rs.job);
	vec_release(&adds, free);
	vec_release_str(&strings);
	vec_release_str(&keep);
	free(dir);
	return ret;
}

void front_respin_result_release(struct front_respin_result *res)
{
	free(res->dir);
	series_result_release(&res->series);
	vec_release_str(&res->to);
	vec_release_str(&res->cc);
	check_result_release(&res->checks);
	free(res->check_tree);
	*res = (struct front_respin_result)FRONT_RESPIN_RESULT_INIT;
}
