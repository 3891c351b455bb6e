/* vger check: the submission rules on a commit range or patch files. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/check.h"
#include "cli/cli.h"
#include "cli/model.h"
#include "cli/printer.h"
#include "front/calendar.h"
#include "front/check.h"
#include "front/clock.h"
#include "front/gitconfig.h"
#include "front/model.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "series/check.h"
#include "series/patch.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* The largest cover letter file read for --cover. */
#define CHECK_COVER_MAX (1u << 20)

const char cli_usage_check[] =
"usage: vger check [<range> | <patch-file>...] [--tree <tree>] [-v <n>]\n"
"                  [--cover <file>] [--checkpatch] [--json]\n"
"\n"
"Check a series against the BPF and netdev submission rules before it\n"
"is sent: the subject prefix and numbering, Fixes: tags, commit messages,\n"
"the cover letter, Cc: stable, selftests for verifier changes, the uapi\n"
"header copy in tools/, Signed-off-by:, the size of the series, and\n"
"(with --checkpatch) the tree's scripts/checkpatch.pl.\n"
"\n"
"The series is a commit range (A..B, A...B, -N, or a branch with an\n"
"upstream; default: HEAD and its upstream) or patch files and mboxes\n"
"written by git format-patch.  One finding per line; exit status 1 when\n"
"there is an error, 0 otherwise, 2 for a usage error.\n"
"\n"
"Options:\n"
"  -t, --tree <tree>     the target tree: bpf, bpf-next, net, net-next,\n"
"                        'iproute2 <branch>' (default: vger.tree, else\n"
"                        bpf when every commit has a Fixes: tag, else\n"
"                        bpf-next; patch files: their subject prefix)\n"
"  -v, --reroll-count <n>  the version being checked (v<n>)\n"
"      --cover <file>    the cover letter text for a commit range\n"
"      --checkpatch      run the tree's scripts/checkpatch.pl on each patch\n"
"      --json            print the findings as JSON\n"
"\n"
"Each rule is turned off with git config vger.check.<rule> = off.\n"
"Rules: subject-prefix fixes-tag fixes-format empty-message cover-letter\n"
"no-stable-cc verifier-selftests uapi-tools-sync samples-test\n"
"signed-off-by whole-series series-size repost-24h tree-closed checkpatch\n";

struct check_cli {
	const char *tree;
	unsigned long version;
	const char *cover_file;
	int checkpatch, json;
};

/* A kernel tree: MAINTAINERS and kernel/ at the top. */
static int check_is_kernel_tree(const char *dir)
{
	char *m = path_join(dir, "MAINTAINERS"), *k = path_join(dir, "kernel");
	int yes = fs_exists(m) && fs_is_dir(k);

	free(m);
	free(k);
	return yes;
}

/* Patch files when every argument is a file, else one range. */
static int check_args_are_files(int argc, char **argv)
{
	struct stat st;

	for (int i = 0; i < argc; i++)
		if (stat(argv[i], &st) || !S_ISREG(st.st_mode))
			return 0;
	return argc > 0;
}

/*
 * The findings, a line each in the text with a summary line after
 * them; the JSON has the summary's numbers first.
 */
static void check_describe(struct cli_printer *p, const struct check_result *r,
			   size_t npatches, const char *tree)
{
	struct sbuf name = SBUF_INIT;

	cli_pr_map(p, NULL);
	cli_pr_str(p, "tree", tree);
	cli_pr_int(p, "patches", (long long)npatches);
	cli_pr_int(p, "errors", r->errors);
	cli_pr_int(p, "warnings", r->warnings);
	cli_pr_list(p, "findings");
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct check_finding *f = r->findings.items[i];

		cli_pr_map(p, NULL);
		cli_pr_str_as(p, "severity", check_severity_name(f->severity),
			      "%-7s ");
		cli_pr_str_as(p, "rule", check_rule_id(f->rule), "%-18s ");
		if (f->index) {
			cli_pr_int_as(p, "patch", f->index, "%lld");
			cli_pr_int_as(p, "total", f->total, "/%lld");
			cli_pr_str_as(p, "subject", f->subject, " \"%s\"");
		} else {
			cli_pr_null(p, "patch");
			cli_pr_text(p, "series");
			cli_pr_int(p, "total", f->total);
			cli_pr_str(p, "subject", f->subject);
		}
		cli_pr_str_as(p, "message", f->message, ": %s");
		cli_pr_str_as(p, "fix", f->fix, "; fix: %s");
		cli_pr_end(p);
	}
	cli_pr_end(p);
	cli_add_text(&name, tree ? tree : "an unnamed tree");
	cli_pr_text(p, "%u error%s, %u warning%s in %zu patch%s for %s\n",
		    r->errors, r->errors == 1 ? "" : "s", r->warnings,
		    r->warnings == 1 ? "" : "s", npatches,
		    npatches == 1 ? "" : "es", name.buf);
	cli_pr_end(p);
	sbuf_release(&name);
}

void cli_check_print(const struct check_result *r, size_t npatches,
		     const char *tree, int json)
{
	struct cli_printer *p = cli_printer_new(stdout, json);

	check_describe(p, r, npatches, tree);
	cli_printer_free(p);
}

/*
 * Options may come before or after the range or files (getopt stops at
 * the first non-option with "+", so the loop takes it and goes on).
 * The positional arguments go to pos.  0, -1 after --help, or the exit
 * status of a usage error.
 */
static int check_parse(struct check_cli *o, int argc, char **argv,
		       struct vec *pos)
{
	static const struct option opts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "reroll-count", required_argument, NULL, 'v' },
		{ "cover", required_argument, NULL, 'c' },
		{ "checkpatch", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long v;
	int c;

	opterr = 0;
	while (optind < argc) {
		if (cli_is_count(argv[optind])) {
			vec_push(pos, argv[optind++]);
			continue;
		}
		c = getopt_long(argc, argv, "+:t:v:h", opts, NULL);
		if (c == -1) {
			int rest = !strcmp(argv[optind - 1], "--");

			while (optind < argc) {
				vec_push(pos, argv[optind++]);
				if (!rest)
					break;
			}
			continue;
		}
		switch (c) {
		case 't':
			if (!*optarg)
				return cli_usage_error("check",
						       "--tree needs a tree name");
			o->tree = optarg;
			break;
		case 'v':
			if (str_to_long(optarg, &v) || v < 1 || v > 999)
				return cli_usage_error("check",
						       "-v needs a version number 1..999, not '%s'",
						       optarg);
			o->version = (unsigned long)v;
			break;
		case 'c':
			o->cover_file = optarg;
			break;
		case 'p':
			o->checkpatch = 1;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'h':
			cli_print_usage("check");
			return -1;
		default:
			return cli_bad_option("check", argv, c);
		}
	}
	return 0;
}

/* The tree named by the first patch mail's subject (caller frees), or NULL. */
static char *res_tree_of(const struct series_patches *ps)
{
	const struct series_patch *p = ps->items.n ? ps->items.items[0] : NULL;
	struct mail_subject ms = MAIL_SUBJECT_INIT;
	char *tree = NULL;

	if (!p || !p->mail_subject)
		return NULL;
	mail_subject_parse(&ms, p->mail_subject);
	if (ms.tree && *ms.tree)
		tree = xstrdup(ms.tree);
	mail_subject_release(&ms);
	return tree;
}

/*
 * The previous version of this series on the list from the model of
 * vger.database, only when it is set (a first build reads the whole
 * list).
 */
static void cli_check_previous_version(struct front_config *cfg,
				       const struct series_patches *ps,
				       struct check_options *opt)
{
	struct front_model_args args = { NULL, NULL, 0, 0 };
	struct mail_model *m = NULL;
	char *db = front_config_path(cfg, "vger.database");

	args.db = db;
	if (db && !cli_model_load("check", &args, 0, &m))
		front_check_previous(m, ps, opt);
	mail_model_free(m);
	free(db);
}

int cmd_check(int argc, char **argv)
{
	struct check_cli o = { NULL, 0, NULL, 0, 0 };
	struct check_options opt;
	struct series_patches ps = SERIES_PATCHES_INIT;
	struct check_result res = CHECK_RESULT_INIT;
	struct front_config *cfg = NULL;
	struct sbuf cover = SBUF_INIT, closed_msg = SBUF_INIT;
	struct vec pos = VEC_INIT;
	struct err err = ERR_INIT;
	char *conf_tree = NULL, *checkpatch = NULL, *subject_tree = NULL;
	const char *tree = NULL;
	int ret, files;

	ret = check_parse(&o, argc, argv, &pos);
	if (ret) {
		vec_release(&pos, NULL);
		return ret < 0 ? CLI_OK : ret;
	}
	argc = (int)pos.n;
	argv = (char **)pos.items;
	files = check_args_are_files(argc, argv);
	if (!files && argc > 1) {
		for (int i = 0; i < argc; i++)
			if (!fs_exists(argv[i]))
				ret = cli_usage_error("check",
						      "give one range or patch files; '%s' is not a file",
						      argv[i]);
		vec_release(&pos, NULL);
		return ret ? ret : cli_usage_error("check", "give one range or patch files");
	}
	memset(&opt, 0, sizeof(opt));
	if (front_config_open(&cfg, NULL, &err) < 0)
		return cli_fail("check", &err);
	opt.disabled = front_check_disabled_rules(cfg);
	opt.version = (unsigned)o.version;
	if (files)
		ret = series_patches_from_files(&ps,
						(const char *const *)argv,
						(size_t)argc, &err);
	else
		ret = series_patches_from_range(&ps, NULL,
						argc ? argv[0] : "HEAD", &err);
	if (ret < 0) {
		ret = cli_fail("check", &err);
		goto out;
	}
	if (!ps.items.n) {
		cli_warn("check", "no patches to check");
		/* a reader of the JSON gets a report, an empty one */
		if (o.json)
			cli_check_print(&res, 0, o.tree, 1);
		ret = CLI_OK;
		goto out;
	}
	conf_tree = front_config_string(cfg, "vger.tree");
	if (o.tree) {
		tree = o.tree;
	} else if (!files && conf_tree) {
		tree = conf_tree;
	} else if (!files) {
		tree = check_guess_tree(&ps);
		cli_warn("check",
			 "no --tree and no vger.tree: guessing %s (%s)", tree,
			 strcmp(tree, "bpf") ?
			 "not every commit has a Fixes: tag" :
			 "every commit has a Fixes: tag");
	}
	opt.tree = tree;
	if (o.cover_file) {
		ret = sbuf_read_file(&cover, o.cover_file, CHECK_COVER_MAX,
				     &err);
		if (ret < 0) {
			ret = cli_fail("check", &err);
			goto out;
		}
		opt.cover = cover.buf;
	}
	opt.repo_dir = ps.repo_dir ? ps.repo_dir : front_config_repo_dir(cfg);
	if (files && opt.repo_dir && !check_is_kernel_tree(opt.repo_dir))
		opt.repo_dir = NULL;	/* Fixes: name commits of another tree */
	if (o.checkpatch) {
		checkpatch = front_config_path(cfg, "vger.checkpatch");
		if (!checkpatch && opt.repo_dir)
			checkpatch = path_join(opt.repo_dir,
					       "scripts/checkpatch.pl");
		if (checkpatch && fs_exists(checkpatch))
			opt.checkpatch = checkpatch;
		else
			cli_warn("check",
				 "--checkpatch: no scripts/checkpatch.pl in %s; skipped",
				 opt.repo_dir ? opt.repo_dir : "this directory");
	}
	opt.now = front_now();
	if (!tree)
		subject_tree = res_tree_of(&ps);
	if (front_tree_closed(cfg, tree ? tree : subject_tree, opt.now,
			      &closed_msg))
		opt.tree_closed = 1;
	opt.tree_closed_msg = closed_msg.buf;
	cli_check_previous_version(cfg, &ps, &opt);
	if (check_series(&res, &ps, &opt, &err) < 0) {
		ret = cli_fail("check", &err);
		goto out;
	}
	cli_check_print(&res, ps.items.n, res.tree, o.json);
	ret = res.errors ? CLI_FAIL : CLI_OK;
out:
	check_result_release(&res);
	series_patches_release(&ps);
	sbuf_release(&cover);
	sbuf_release(&closed_msg);
	free(conf_tree);
	free(checkpatch);
	free(subject_tree);
	front_config_free(cfg);
	vec_release(&pos, NULL);
	return ret;
}
