/* vger respin: a git branch as a whole vN series (series/respin.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/calendar.h"
#include "cli/cc.h"
#include "cli/check.h"
#include "cli/cli.h"
#include "cli/conf.h"
#include "cli/model.h"
#include "mail/address.h"
#include "mail/model.h"
#include "mail/trailer.h"
#include "config.h"
#include "kernel/trees.h"
#include "series/check.h"
#include "maint/maint.h"
#include "series/patch.h"
#include "series/respin.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

const char cli_usage_respin[] =
"usage: vger respin [RANGE] [-v N] [--tree TREE] [--rfc] [-o DIR] [--force]\n"
"                   [--to ADDR]... [--cc ADDR]... [--trailer LINE]...\n"
"                   [--no-trailers] [--[no-]cover-letter] [--[no-]thread]\n"
"                   [--signature TEXT | --no-signature] [--no-check]\n"
"       vger respin --edit-cover [BRANCH]\n"
"\n"
"Write the branch as a whole patch series, the files git format-patch\n"
"--cover-letter -v N --subject-prefix='PATCH TREE' would write, plus\n"
"To/Cc headers, review trailers and the cover letter kept with the branch.\n"
"\n"
"RANGE is A..B, A...B, -N (the last N commits) or one rev (its upstream..it\n"
"when it is a branch with an upstream, else REV..HEAD); by default\n"
"vger.base..HEAD, else the branch's upstream..HEAD.\n"
"\n"
"  -v, --reroll-count N  version N (default: one after the last sent)\n"
"  --tree TREE           bpf, bpf-next, net, net-next, iproute2 or any text\n"
"                        (default vger.tree, else guessed from Fixes: tags)\n"
"  --rfc                 [RFC PATCH ...]\n"
"  -o, --output-directory DIR\n"
"                        where to write (default outgoing/BRANCH-vN)\n"
"  --force               replace an existing output directory\n"
"  --to, --cc ADDR       more recipients (vger.to, vger.cc are added)\n"
"  --trailer LINE        add \"Acked-by: Name <addr>\" to every patch\n"
"  --no-trailers         add no collected trailers\n"
"  --[no-]cover-letter   a cover letter (default: for more than one patch)\n"
"  --[no-]thread         Message-Id/In-Reply-To headers (vger.thread)\n"
"  --signature TEXT      signature (default format.signature, else vger's\n"
"                        version); --no-signature for none\n"
"  --no-check            write even when vger check finds errors\n"
"  --edit-cover          edit the branch's cover letter in $EDITOR and stop\n";

enum {
	OPT_TREE = 256, OPT_RFC, OPT_FORCE, OPT_TO, OPT_CC, OPT_TRAILER,
	OPT_NO_TRAILERS, OPT_COVER, OPT_NO_COVER, OPT_THREAD, OPT_NO_THREAD,
	OPT_SIGNATURE, OPT_NO_SIGNATURE, OPT_NO_CHECK, OPT_EDIT_COVER,
	OPT_HELP,
};

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
static void respin_maintainers(struct cli_config *cfg,
			       const struct series_result *r,
			       const char *tree_list, struct vec *to,
			       struct vec *cc)
{
	const char *root = cli_config_repo_dir(cfg);
	struct maint_options mo;
	struct maint_db *db = NULL;
	struct maint_result res;
	struct maint_input *in;
	struct err err = ERR_INIT;
	enum cc_split split = cli_cc_split("respin", cfg);
	char *path;
	size_t n = 0;

	if (!root)
		return;
	path = path_join(root, "MAINTAINERS");
	if (!fs_exists(path)) {
		free(path);
		return;
	}
	free(path);
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
		cli_warn("respin", "no Cc from MAINTAINERS: %s", err.msg);
		goto out;
	}
	for (size_t i = 0; i < res.addrs.n; i++) {
		const struct maint_addr *a = res.addrs.items[i];

		if (tree_list && mail_address_same(tree_list, a->addr))
			continue;
		if (cli_cc_is_to(a->role, split))
			add_recipient(to, cc, a->addr);
		else
			add_recipient(cc, to, a->addr);
	}
	maint_result_release(&res);
out:
	maint_db_free(db);
	free(in);
}

/*
 * Review trailers (Acked-by, Reviewed-by, Tested-by) given on vN-1,
 * whose cover letter or first patch was msgid, from the series model m
 * of the notmuch database (vger.database, else notmuch's own; NULL
 * when it could not be loaded, why_none says why); a trailer given on
 * the cover letter counts for every patch of vN-1.
 * Each becomes a struct series_trailer_add for the patch of the same
 * title (strings kept in strings).  The addresses of everyone who
 * replied to vN-1 are added to cc.  No database or no vN-1 in it is a
 * warning, not an error: the respin goes on without them.
 */
static void respin_collect_trailers(const struct mail_model *m,
				    const char *why_none, const char *msgid,
				    unsigned prev, struct vec *out,
				    struct vec *strings, struct vec *to,
				    struct vec *cc)
{
	const struct mail_version *v;
	char *id;

	if (!msgid)
		return;
	if (!m) {
		cli_warn("respin", "no trailers from v%u: %s", prev, why_none);
		return;
	}
	/* The model keeps ids as notmuch does, without <>. */
	id = xstrndup(msgid + (*msgid == '<'), strcspn(msgid + (*msgid == '<'),
						       ">"));
	v = mail_model_find_version(m, id, NULL);
	free(id);
	if (!v) {
		cli_warn("respin", "no trailers from v%u: <%s> is not in the "
			 "mail database", prev, msgid);
		return;
	}
	for (size_t i = 0; i < v->patches.n; i++) {
		const struct mail_patch *p = v->patches.items[i];

		for (size_t j = 0; j < p->given.n; j++) {
			const struct mail_given *g = p->given.items[j];
			const char *key = g->kind == MAIL_TRAILER_NACKED ?
				NULL : mail_trailer_kind_key(g->kind);
			struct series_trailer_add *add;
			struct sbuf line = SBUF_INIT;

			if (!key)
				continue;	/* a Nacked-by is read, not carried */
			if (g->name)
				sbuf_addf(&line, "%s: %s <%s>", key, g->name,
					  g->email);
			else
				sbuf_addf(&line, "%s: %s", key, g->email);
			add = xcalloc(1, sizeof(*add));
			vec_push(strings, xstrdup(p->title));
			add->title = strings->items[strings->n - 1];
			vec_push(strings, sbuf_detach(&line));
			add->line = strings->items[strings->n - 1];
			vec_push(out, add);
		}
	}
	for (size_t i = 0; i < v->repliers.n; i++)
		add_recipient(cc, to, v->repliers.items[i]);
}

static int has_database(struct cli_config *cfg)
{
	char *db = cli_config_path(cfg, "vger.database");
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
 * the formatted range before anything is written.  Findings are
 * printed; errors stop the respin unless no_check.  The merge window
 * is respin_window_warning()'s, so its rule is off here.  0 to go on,
 * -1 to stop.
 */
static int respin_run_checks(struct cli_config *cfg,
			     const struct series_result *r,
			     struct series_job *job,
			     const struct mail_model *m, int no_check)
{
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct check_result res = CHECK_RESULT_INIT;
	struct check_options opt;
	struct sbuf range = SBUF_INIT;
	struct err err = ERR_INIT;
	char *tree = respin_check_tree(r->tree), *cover = NULL;
	int ret = 0;

	memset(&opt, 0, sizeof(opt));
	sbuf_addf(&range, "%s..%s", r->base, r->head);
	if (series_patches_from_range(&ps, NULL, range.buf, &err) < 0 ||
	    series_cover_get(job, r->branch, &cover, &err) < 0) {
		cli_warn("respin", "the checks did not run: %s", err.msg);
		goto out;
	}
	opt.tree = tree;
	opt.version = r->version;
	opt.cover = cover;
	opt.now = cli_now();
	opt.repo_dir = ps.repo_dir;
	cli_check_previous_in(m, &ps, &opt);
	opt.disabled = cli_check_disabled_rules(cfg) |
		       1u << CHECK_TREE_CLOSED;
	if (check_series(&res, &ps, &opt, &err) < 0) {
		cli_warn("respin", "the checks did not run: %s", err.msg);
		goto out;
	}
	if (res.findings.n)
		cli_check_print_text(&res, ps.items.n, tree);
	if (res.errors && !no_check) {
		err_set(&err, ERR_STATE, "nothing written: fix the errors "
			"above, or write anyway with --no-check");
		cli_fail("respin", &err);
		ret = -1;
	}
out:
	check_result_release(&res);
	series_patches_release(&ps);
	sbuf_release(&range);
	free(tree);
	free(cover);
	return ret;
}

/*
 * The merge-window state of the target tree: a closed tree is a
 * warning, and since bpf-next takes RFCs during the window, a series
 * that is not one yet is told so.
 */
static void respin_window_warning(struct cli_config *cfg, const char *tree,
				  int rfc)
{
	struct sbuf msg = SBUF_INIT;
	char *name = respin_check_tree(tree);

	if (cli_tree_closed("respin", cfg, name, &msg)) {
		cli_warn("respin", "%s", msg.buf);
		if (!rfc)
			cli_warn("respin", "RFC patches are welcome during the "
				 "merge window: vger respin --rfc");
	}
	sbuf_release(&msg);
	free(name);
}

/* git's editor choice: GIT_EDITOR, core.editor, VISUAL, EDITOR, vi. */
static char *pick_editor(struct cli_config *cfg)
{
	const char *term = getenv("TERM");
	const char *e = getenv("GIT_EDITOR");
	char *c;

	if (e && *e)
		return xstrdup(e);
	c = cli_config_string(cfg, "core.editor");
	if (c && *c)
		return c;
	free(c);
	e = getenv("VISUAL");
	if (e && *e && term && strcmp(term, "dumb"))
		return xstrdup(e);
	e = getenv("EDITOR");
	if (e && *e)
		return xstrdup(e);
	if (!term || !strcmp(term, "dumb"))
		return NULL;
	return xstrdup("vi");
}

/*
 * Run the editor on path as git's launch_editor() does: directly when
 * the command has no shell characters, else sh -c 'EDITOR "$@"'.  The
 * command is the user's own configuration, not mail content.
 */
static int run_editor(const char *editor, const char *path)
{
	int shell = strcspn(editor, "|&;<>()$`\\\"' \t\n*?[#~=%") !=
		    strlen(editor);
	struct sbuf cmd = SBUF_INIT;
	pid_t pid;
	int status;

	sbuf_addf(&cmd, "%s \"$@\"", editor);
	pid = fork();
	if (pid < 0) {
		sbuf_release(&cmd);
		return -1;
	}
	if (!pid) {
		if (shell)
			execl("/bin/sh", "sh", "-c", cmd.buf, editor, path,
			      (char *)NULL);
		else
			execlp(editor, editor, path, (char *)NULL);
		_exit(127);
	}
	sbuf_release(&cmd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static int edit_cover(struct series_job *job, struct cli_config *cfg,
		      const char *branch)
{
	struct err err = ERR_INIT;
	struct sbuf text = SBUF_INIT;
	char *stored = NULL, *msgid = NULL, *editor, *dir = NULL, *path = NULL;
	unsigned last = 0;
	int ret = CLI_FAIL;

	if (!branch)
		return cli_usage_error("respin", "HEAD is detached: name the "
				       "branch whose cover letter to edit");
	editor = pick_editor(cfg);
	if (!editor) {
		cli_warn("respin", "no editor: set GIT_EDITOR, core.editor, "
			 "VISUAL or EDITOR");
		return CLI_FAIL;
	}
	if (series_cover_get(job, branch, &stored, &err) ||
	    series_last_sent(job, branch, &last, &msgid, NULL, &err))
		goto fail;
	if (last) {
		char *c = series_cover_carry(stored, last + 1, msgid);

		free(stored);
		stored = c;
	}
	dir = fs_mkdtemp("vger-cover", &err);
	if (!dir)
		goto fail;
	path = path_join(dir, "COVER_LETTER");
	if (fs_write_atomic(path, stored ? stored :
			    "*** SUBJECT HERE ***\n\n*** BLURB HERE ***\n",
			    strlen(stored ? stored : "*** SUBJECT HERE ***\n\n"
				   "*** BLURB HERE ***\n"), &err))
		goto fail;
	if (run_editor(editor, path)) {
		cli_warn("respin", "the editor '%s' failed; the cover letter "
			 "is unchanged", editor);
		goto out;
	}
	if (sbuf_read_file(&text, path, 1 << 20, &err) ||
	    series_cover_set(job, branch, text.buf, &err))
		goto fail;
	fprintf(stderr, "vger respin: the cover letter of %s is kept as "
		"branch.%s.description\n", branch, branch);
	ret = CLI_OK;
	goto out;
fail:
	ret = cli_fail("respin", &err);
out:
	if (dir)
		fs_rm_rf(dir);
	free(dir);
	free(path);
	free(editor);
	free(stored);
	free(msgid);
	sbuf_release(&text);
	return ret;
}

static void print_sanitized(FILE *out, const char *s)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_add_sanitized(&sb, s, strlen(s));
	fputs(sb.buf, out);
	sbuf_release(&sb);
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

static void identity(struct series_options *o, struct cli_config *cfg,
		     char **name, char **email)
{
	const char *en = getenv("GIT_COMMITTER_NAME");
	const char *ee = getenv("GIT_COMMITTER_EMAIL");
	struct tm tm;
	time_t now = time(NULL);

	*name = en ? xstrdup(en) : cli_config_string(cfg, "user.name");
	*email = ee ? xstrdup(ee) : cli_config_string(cfg, "user.email");
	o->from_name = *name;
	o->from_email = *email;
	o->now = now;
	localtime_r(&now, &tm);
	o->now_tz = (int)(tm.tm_gmtoff / 60);
}

int cmd_respin(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reroll-count", required_argument, NULL, 'v' },
		{ "tree", required_argument, NULL, OPT_TREE },
		{ "rfc", no_argument, NULL, OPT_RFC },
		{ "output-directory", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "to", required_argument, NULL, OPT_TO },
		{ "cc", required_argument, NULL, OPT_CC },
		{ "trailer", required_argument, NULL, OPT_TRAILER },
		{ "no-trailers", no_argument, NULL, OPT_NO_TRAILERS },
		{ "cover-letter", no_argument, NULL, OPT_COVER },
		{ "no-cover-letter", no_argument, NULL, OPT_NO_COVER },
		{ "thread", no_argument, NULL, OPT_THREAD },
		{ "no-thread", no_argument, NULL, OPT_NO_THREAD },
		{ "signature", required_argument, NULL, OPT_SIGNATURE },
		{ "no-signature", no_argument, NULL, OPT_NO_SIGNATURE },
		{ "no-check", no_argument, NULL, OPT_NO_CHECK },
		{ "edit-cover", no_argument, NULL, OPT_EDIT_COVER },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct series_options o = SERIES_OPTIONS_INIT;
	struct series_result r = SERIES_RESULT_INIT;
	struct cli_model_args model_args = { NULL, NULL, 0 };
	struct mail_model *model = NULL;
	struct err model_err = ERR_INIT;
	struct vec to = VEC_INIT, cc = VEC_INIT, adds = VEC_INIT;
	struct vec strings = VEC_INIT;
	struct err err = ERR_INIT;
	struct cli_config *cfg = NULL;
	struct series_job *job = NULL;
	char *tree = NULL, *base = NULL, *sig = NULL, *name = NULL;
	char *email = NULL, *outdir = NULL, *stored = NULL, *msgid = NULL;
	const char *outopt = NULL, *sigopt = NULL, *branch, *arg = NULL;
	int c, no_trailers = 0, force = 0, edit = 0, no_sig = 0, thread = -1;
	int no_check = 0;
	int ret = CLI_FAIL;
	long v;

	opterr = 0;
	optind = 1;
	for (;;) {
		c = getopt_long(argc, argv, "+:v:o:", opts, NULL);
		if (c == -1) {
			/* one RANGE (or BRANCH), before or after options */
			if (optind >= argc || arg || !strcmp(argv[optind - 1],
							     "--"))
				break;
			arg = argv[optind++];
			continue;
		}
		switch (c) {
		case 'v':
			if (str_to_long(optarg, &v) || v < 1 || v > 9999)
				return cli_usage_error("respin", "-v wants a "
						       "version number, not "
						       "'%s'", optarg);
			o.version = (unsigned)v;
			break;
		case OPT_TREE:
			o.tree = optarg;
			break;
		case OPT_RFC:
			o.rfc = 1;
			break;
		case 'o':
			outopt = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_TO:
			vec_push_str_unique(&to, optarg);
			break;
		case OPT_CC:
			vec_push_str_unique(&cc, optarg);
			break;
		case OPT_TRAILER: {
			struct series_trailer_add *t = xcalloc(1, sizeof(*t));

			if (!strchr(optarg, ':')) {
				free(t);
				return cli_usage_error("respin", "--trailer "
						       "wants 'Key: value'");
			}
			t->line = optarg;
			vec_push(&adds, t);
			break;
		}
		case OPT_NO_TRAILERS:
			no_trailers = 1;
			break;
		case OPT_COVER:
			o.cover_letter = 1;
			break;
		case OPT_NO_COVER:
			o.cover_letter = 0;
			break;
		case OPT_THREAD:
			thread = 1;
			break;
		case OPT_NO_THREAD:
			thread = 0;
			break;
		case OPT_SIGNATURE:
			sigopt = optarg;
			break;
		case OPT_NO_SIGNATURE:
			no_sig = 1;
			break;
		case OPT_NO_CHECK:
			no_check = 1;
			break;
		case OPT_EDIT_COVER:
			edit = 1;
			break;
		case OPT_HELP:
			return cli_print_usage("respin");
		default:
			return cli_bad_option("respin", argv, c);
		}
	}
	if (!arg && optind < argc)
		arg = argv[optind++];
	if (optind < argc)
		return cli_usage_error("respin", "unexpected argument '%s'",
				       argv[optind]);
	if (cli_config_open(&cfg, NULL, &err) ||
	    series_job_open(&job, NULL, &err)) {
		ret = cli_fail("respin", &err);
		goto out;
	}
	if (edit) {
		ret = edit_cover(job, cfg, arg ? arg : series_job_branch(job));
		goto out;
	}
	o.range = arg;
	if (!o.tree) {
		tree = cli_config_string(cfg, "vger.tree");
		o.tree = tree;
	}
	base = cli_config_string(cfg, "vger.base");
	o.base = base;
	cli_config_multi(cfg, "vger.to", &to);
	cli_config_multi(cfg, "vger.cc", &cc);
	o.to = &to;
	o.cc = &cc;
	o.to_tree_list = 1;
	o.thread = thread >= 0 ? thread :
		   cli_config_bool(cfg, "vger.thread", 0);
	if (!no_sig) {
		if (sigopt) {
			o.signature = sigopt;
		} else {
			sig = cli_config_string(cfg, "format.signature");
			if (!sig) {
				struct sbuf sb = SBUF_INIT;

				sbuf_addf(&sb, "vger %s", PACKAGE_VERSION);
				sig = sbuf_detach(&sb);
			}
			o.signature = sig;
		}
	}
	identity(&o, cfg, &name, &email);
	branch = series_job_branch(job);
	{
		unsigned last = 0;

		if (series_last_sent(job, branch, &last, &msgid, NULL, &err) ||
		    series_cover_get(job, branch, &stored, &err)) {
			ret = cli_fail("respin", &err);
			goto out;
		}
		/*
		 * The series model, once, for the trailers of vN-1 and
		 * the previous version the checks want.
		 */
		if ((!no_trailers && last) || has_database(cfg))
			cli_model_try(&model_args, 0, &model, &model_err);
		if (!no_trailers && last)
			respin_collect_trailers(model, model_err.msg, msgid,
						last, &adds, &strings, &to,
						&cc);
		/* carry the stored cover letter over to the new version */
		if (branch && last && (!o.version || o.version == last + 1)) {
			char *c2 = series_cover_carry(stored, last + 1, msgid);

			if (!stored || strcmp(c2, stored)) {
				if (series_cover_set(job, branch, c2, &err)) {
					free(c2);
					ret = cli_fail("respin", &err);
					goto out;
				}
				fprintf(stderr, "vger respin: added a \"Changes "
					"in v%u:\" section to the cover letter "
					"(vger respin --edit-cover)\n",
					last + 1);
			}
			free(c2);
		}
	}
	o.trailers = &adds;
	if (series_format(job, &o, &r, &err)) {
		ret = cli_fail("respin", &err);
		goto out;
	}
	{
		/* MAINTAINERS reads the formatted patches. */
		size_t nto = to.n, ncc = cc.n;
		struct vec tree_cc = VEC_INIT;

		series_tree_cc(r.tree, &tree_cc);
		respin_maintainers(cfg, &r, kernel_tree_list(r.tree), &to,
				   &cc);
		for (size_t i = 0; i < tree_cc.n; i++)
			add_recipient(&cc, &to, tree_cc.items[i]);
		vec_release_str(&tree_cc);
		if ((to.n != nto || cc.n != ncc) &&
		    series_result_set_recipients(&r, &o, &err)) {
			ret = cli_fail("respin", &err);
			goto out;
		}
	}
	if (r.tree_guessed)
		fprintf(stderr, "vger respin: no --tree and no vger.tree: "
			"guessed %s (%s)\n", r.tree, !strcmp(r.tree, "bpf") ?
			"every commit has a Fixes: tag" :
			"not every commit has a Fixes: tag");
	for (size_t i = 0; i < r.warnings.n; i++)
		cli_warn("respin", "%s", (char *)r.warnings.items[i]);
	respin_window_warning(cfg, r.tree, o.rfc);
	if (respin_run_checks(cfg, &r, job, model, no_check))
		goto out;
	outdir = outopt ? xstrdup(outopt) : default_outdir(&r);
	if (series_write(&r, outdir, force, &err)) {
		ret = cli_fail("respin", &err);
		goto out;
	}
	for (size_t i = 0; i < r.files.n; i++) {
		const struct series_file *f = r.files.items[i];

		printf("%s/", outdir);
		print_sanitized(stdout, f->name);
		putchar('\n');
	}
	for (size_t i = 0; i < r.notes.n; i++) {
		const struct series_trailer_note *n = r.notes.items[i];

		printf("  %u/%zu ", n->index, r.files.n - (r.files.n > 1 &&
		       !*((struct series_file *)r.files.items[0])->title));
		print_sanitized(stdout, n->title);
		fputs(": + ", stdout);
		print_sanitized(stdout, n->line);
		putchar('\n');
	}
	ret = CLI_OK;
out:
	mail_model_free(model);
	series_result_release(&r);
	series_job_free(job);
	cli_config_free(cfg);
	vec_release_str(&to);
	vec_release_str(&cc);
	vec_release(&adds, free);
	vec_release_str(&strings);
	free(tree);
	free(base);
	free(sig);
	free(name);
	free(email);
	free(outdir);
	free(stored);
	free(msgid);
	return ret;
}
