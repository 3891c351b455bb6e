#include <stdlib.h>
#include <string.h>

#include "front/compose.h"
#include "front/gitconfig.h"
#include "front/identity.h"
#include "front/report.h"
#include "front/sendconf.h"
#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/reply.h"
#include "maint/maint.h"
#include "series/history.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* The section of MAINTAINERS whose M: lines are "the BPF maintainers". */
#define REPORT_BPF_SECTION "BPF [GENERAL]"

/* Who gets the mail, each address once, the user never. */
struct rcpts {
	struct vec to, cc;	/* char *: checked "Name <addr>" */
	struct vec me;		/* char *: the user's addresses */
	struct vec *notes;
};

static void note(struct rcpts *r, const char *fmt, const char *what)
{
	struct sbuf sb = SBUF_INIT;

	if (!r->notes)
		return;
	sbuf_addf(&sb, fmt, what);
	vec_push(r->notes, sbuf_detach(&sb));
}

static void add(struct rcpts *r, struct vec *list, const char *text)
{
	struct mail_address a;
	char *box;

	if (mail_address_parse(&a, text) || !a.email) {
		mail_address_release(&a);
		note(r, "'%s' is not an address: left out", text);
		return;
	}
	if (mail_address_find(&r->to, a.email) >= 0 ||
	    mail_address_find(&r->cc, a.email) >= 0 ||
	    mail_address_find(&r->me, a.email) >= 0) {
		mail_address_release(&a);
		return;
	}
	box = mail_reply_mailbox(a.name, a.email);
	if (box)
		vec_push(list, box);
	else
		note(r, "'%s' is not an address: left out", text);
	mail_address_release(&a);
}

static void rcpts_init(struct rcpts *r, struct front_config *cfg,
		       const char *identity, struct vec *notes)
{
	struct front_sendconf conf = FRONT_SENDCONF_INIT;
	struct front_sendconf_args args;
	char *name, *email;

	memset(r, 0, sizeof(*r));
	r->notes = notes;
	memset(&args, 0, sizeof(args));
	args.identity = identity;
	if (!front_sendconf_read(&conf, cfg, &args, NULL))
		vec_push(&r->me, mail_address_spec(conf.sender));
	front_sendconf_release(&conf);
	front_identity(cfg, &name, &email);
	if (email && *email)
		vec_push_str(&r->me, email);
	free(name);
	free(email);
}

static void rcpts_release(struct rcpts *r)
{
	vec_release_str(&r->to);
	vec_release_str(&r->cc);
	vec_release_str(&r->me);
}

/* The kernel tree: the option, else the repository of the config. */
static const char *tree_of(const struct front_report_options *o,
			   struct err *err)
{
	const char *t = o->tree ? o->tree : front_config_repo_dir(o->cfg);

	if (!t)
		err_set(err, ERR_NOTFOUND, "not in a kernel tree: run it in "
			"a clone of Linux (MAINTAINERS and the history are "
			"read there)");
	return t;
}

static int open_maintainers(const char *tree, struct maint_db **db,
			    struct err *err)
{
	struct maint_options mo;

	memset(&mo, 0, sizeof(mo));
	mo.root = tree;
	return maint_db_open(db, &mo, err);
}

/* The M: people of the BPF section into list. */
static void bpf_maintainers(struct maint_db *db, struct rcpts *r,
			    struct vec *list)
{
	struct maint_result res = MAINT_RESULT_INIT;

	if (maint_db_section(db, REPORT_BPF_SECTION, &res, NULL)) {
		note(r, "MAINTAINERS has no '%s' section: add the BPF "
		     "maintainers by hand", REPORT_BPF_SECTION);
	} else {
		for (size_t i = 0; i < res.addrs.n; i++) {
			const struct maint_addr *a = res.addrs.items[i];

			if (a->role == MAINT_ROLE_MAINTAINER)
				add(r, list, a->addr);
		}
	}
	maint_result_release(&res);
}

/* Whether a path is networking code (netdev's, as well as bpf's). */
static int networking(const char *path)
{
	static const char *const dirs[] = {
		"net/", "include/net/", "drivers/net/",
		"include/linux/netdevice.h", "include/linux/skbuff.h",
		"tools/testing/selftests/net/", NULL
	};

	for (size_t i = 0; dirs[i]; i++)
		if (str_starts_with(path, dirs[i]))
			return 1;
	return 0;
}

/* The lists of the files the commit touches, and netdev for net. */
static void file_lists(struct maint_db *db, const struct vec *files,
		       struct rcpts *r)
{
	struct maint_result res = MAINT_RESULT_INIT;
	const char *netdev = kernel_tree_list("net");
	struct err err = ERR_INIT;
	int net = 0;

	for (size_t i = 0; i < files->n; i++)
		net |= networking(files->items[i]);
	if (maint_db_lookup_files(db, (const char *const *)files->items,
				  files->n, &res, &err))
		note(r, "MAINTAINERS: %s", err.msg);
	for (size_t i = 0; i < res.addrs.n; i++) {
		const struct maint_addr *a = res.addrs.items[i];

		if (a->role == MAINT_ROLE_LIST)
			add(r, &r->cc, a->addr);
	}
	if (net && netdev)
		add(r, &r->cc, netdev);
	maint_result_release(&res);
}

static int write_draft(const struct front_report_options *o,
		       struct rcpts *r, const char *subject, const char *body,
		       char **path, struct err *err)
{
	struct front_compose_options co;

	memset(&co, 0, sizeof(co));
	co.cfg = o->cfg;
	co.db = o->db;
	co.identity = o->identity;
	co.kind = FRONT_COMPOSE_NEW;
	co.to = &r->to;
	co.cc = &r->cc;
	co.subject = subject;
	co.body = body;
	return front_compose(&co, path, r->notes, err);
}

int front_report(const struct front_report_options *o, char **path,
		 struct vec *notes, struct err *err)
{
	struct series_commit_info c = SERIES_COMMIT_INFO_INIT;
	struct sbuf subject = SBUF_INIT, body = SBUF_INIT;
	struct maint_db *db = NULL;
	struct rcpts r;
	const char *tree = tree_of(o, err);
	const char *list = kernel_tree_list("bpf");
	int ret;

	*path = NULL;
	if (!tree)
		return -ERR_NOTFOUND;
	rcpts_init(&r, o->cfg, o->identity, notes);
	if (o->commit) {
		ret = series_commit_info(tree, o->commit, &c, err);
		if (ret)
			goto out;
	}
	ret = open_maintainers(tree, &db, err);
	if (ret)
		goto out;
	if (list)
		add(&r, &r.to, list);
	bpf_maintainers(db, &r, &r.cc);
	sbuf_addstr(&subject, "[BUG] ");
	sbuf_addstr(&body, "Hi,\n\n<what goes wrong: what you ran, what you "
		    "expected, what happened>\n\n");
	if (o->commit) {
		file_lists(db, &c.files, &r);
		add(&r, &r.cc, c.author);
		add(&r, &r.cc, c.committer);
		for (size_t i = 0; i < c.people.n; i++)
			add(&r, &r.cc, c.people.items[i]);
		sbuf_addf(&subject, "%s", c.subject);
		sbuf_addstr(&body, "It starts with this commit:\n\n");
		series_commit_reference(&c, &body);
		sbuf_addstr(&body, "\n\n");
	}
	sbuf_addstr(&body, "<the kernel version and config, the reproducer, "
		    "the log>\n");
	ret = write_draft(o, &r, subject.buf, body.buf, path, err);
out:
	maint_db_free(db);
	series_commit_info_release(&c);
	rcpts_release(&r);
	sbuf_release(&subject);
	sbuf_release(&body);
	return ret;
}

/* ---- stable requests ---- */

void front_stable_result_release(struct front_stable_result *res)
{
	free(res->reference);
	free(res->fixes);
	vec_release(&res->branches, series_stable_free);
	vec_release_str(&res->wanted);
	free(res->draft);
	res->reference = res->fixes = res->draft = NULL;
}

/*
 * The commit and its buggy commit in tree, and the stable branches.
 * 0, 1 when tree has no stable branch, < 0 with err.
 */
static int stable_in(const char *tree, const char *rev,
		     struct series_commit_info *c,
		     struct front_stable_result *res, struct err *err)
{
	struct series_commit_info bug = SERIES_COMMIT_INFO_INIT;
	struct sbuf ref = SBUF_INIT;
	int ret;

	ret = series_commit_info(tree, rev, c, err);
	if (ret)
		return ret;
	if (c->fixes.n &&
	    !series_commit_info(tree, c->fixes.items[0], &bug, NULL)) {
		series_commit_reference(&bug, &ref);
		res->fixes = sbuf_detach(&ref);
	}
	ret = series_stable_find(tree, c->id, res->fixes ? bug.id : NULL,
				 &res->branches, err);
	series_commit_info_release(&bug);
	sbuf_release(&ref);
	if (ret)
		return ret;
	return res->branches.n ? 0 : 1;
}

static void stable_body(const struct front_stable_result *res,
			struct sbuf *body)
{
	sbuf_addstr(body, "Hi,\n\nplease consider this commit for ");
	for (size_t i = 0; i < res->wanted.n; i++)
		sbuf_addf(body, "%s%s", i ? i + 1 == res->wanted.n ?
			  " and " : ", " : "", (char *)res->wanted.items[i]);
	sbuf_addf(body, ":\n\n%s\n\n", res->reference);
	if (res->fixes)
		sbuf_addf(body, "It fixes %s, which %s.\n\n", res->fixes,
			  res->wanted.n == 1 ? "that branch has" :
			  "those branches have");
	for (size_t i = 0; i < res->branches.n; i++) {
		const struct series_stable *s = res->branches.items[i];

		if (s->carried_as)
			sbuf_addf(body, "%s has it already (%.12s).\n",
				  s->branch, s->carried_as);
	}
	sbuf_addstr(body, "\n<why it matters: what breaks without it>\n");
}

int front_stable(const struct front_report_options *o,
		 struct front_stable_result *res, struct vec *notes,
		 struct err *err)
{
	struct series_commit_info c = SERIES_COMMIT_INFO_INIT;
	struct sbuf ref = SBUF_INIT, subject = SBUF_INIT, body = SBUF_INIT;
	struct maint_db *db = NULL;
	struct rcpts r;
	const char *tree = tree_of(o, NULL);
	const char *netdev = kernel_tree_list("net");
	char *linux_tree = front_config_path(o->cfg, "vger.linux");
	int ret = 1;

	rcpts_init(&r, o->cfg, o->identity, notes);
	/* here, else vger.linux: the first with stable branches */
	for (int k = 0; k < 2 && ret; k++) {
		const char *t = k ? linux_tree : tree;

		if (!t || (k && tree && !strcmp(t, tree)))
			continue;
		series_commit_info_release(&c);
		vec_release(&res->branches, series_stable_free);
		free(res->fixes);
		res->fixes = NULL;
		ret = stable_in(t, o->commit, &c, res, err);
		if (!ret)
			tree = t;
	}
	if (ret == 1)
		ret = err_set(err, ERR_NOTFOUND, "no stable branches (linux-"
			      "*.y, local or remote-tracking) here%s: fetch "
			      "them from linux-stable", linux_tree ?
			      " or in vger.linux" : " (and vger.linux is not "
			      "set)");
	if (ret)
		goto out;
	memcpy(res->id, c.id, sizeof(res->id));
	series_commit_reference(&c, &ref);
	res->reference = sbuf_detach(&ref);
	for (size_t i = 0; i < res->branches.n; i++) {
		const struct series_stable *s = res->branches.items[i];

		if (!s->carried_as && s->has_bug != 0)
			vec_push_str(&res->wanted, s->branch);
	}
	if (!res->wanted.n)
		goto out;
	ret = open_maintainers(tree, &db, err);
	if (ret)
		goto out;
	/* the FAQ: ask the BPF maintainers, netdev in Cc, never stable@ */
	bpf_maintainers(db, &r, &r.to);
	if (netdev)
		add(&r, &r.cc, netdev);
	sbuf_addf(&subject, "stable request: %s", res->reference);
	stable_body(res, &body);
	ret = write_draft(o, &r, subject.buf, body.buf, &res->draft, err);
out:
	maint_db_free(db);
	series_commit_info_release(&c);
	rcpts_release(&r);
	sbuf_release(&ref);
	sbuf_release(&subject);
	sbuf_release(&body);
	free(linux_tree);
	return ret;
}
