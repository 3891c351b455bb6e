/*
 * vger cc: the To/Cc addresses for patches or a commit range, as
 * get_maintainer.pl --norolestats --nogit --nogit-fallback
 * --nogit-chief-penguins gives them (maint/maint.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/out.h"
#include "front/cc.h"
#include "front/gitconfig.h"
#include "maint/maint.h"
#include "series/patch.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

const char cli_usage_cc[] =
	"usage: vger cc [--root KERNEL_DIR] [--maintainers FILE] [--to|--cc]\n"
	"               [--why] (PATCH-FILE... | RANGE)\n"
	"\n"
	"Print the addresses MAINTAINERS gives for the patches, one a line,\n"
	"as scripts/get_maintainer.pl --norolestats --nogit --nogit-fallback\n"
	"--nogit-chief-penguins prints them.\n"
	"\n"
	"  --root DIR          the kernel tree (default: the top of the\n"
	"                      current git repository)\n"
	"  --maintainers FILE  the MAINTAINERS file (default: ROOT/MAINTAINERS)\n"
	"  --to                only the To: addresses (see vger.ccSplit)\n"
	"  --cc                only the Cc: addresses\n"
	"  --why               under each address, the section and the\n"
	"                      pattern that brought it in\n"
	"  --no-mailmap        do not apply ROOT/.mailmap\n"
	"  --no-keywords       do not match K: lines against the patches\n"
	"  --no-fixes          do not add the signers of commits named by\n"
	"                      Fixes: lines (read when ROOT is a git tree)\n"
	"  --stats             print the time taken to parse and to look up\n"
	"\n"
	"RANGE is a commit range (A..B, -N, or a branch with an upstream).\n"
	"vger.ccSplit: maintainers (default, as b4: To = M:, Cc = R: and L:),\n"
	"people (To = M: and R:, Cc = L:) or cc (everything in Cc).\n";

struct cc_opts {
	const char *root;
	const char *maintainers;
	int to, cc, why, no_mailmap, no_keywords, no_fixes, stats;
	enum front_cc_split split;
};

/*
 * A commit as the text git format-patch would give the script: the
 * headers, the message, a stat line per file and the diff.
 * NEEDSWORK: git's diffstat shortens long paths with ".../"; here the
 * whole path is written (it only matters for K: lines).
 */
static void commit_as_patch(struct sbuf *sb, const struct series_patch *p)
{
	sbuf_addf(sb, "From %s Mon Sep 17 00:00:00 2001\n",
		  p->commit ? p->commit : "0");
	sbuf_addf(sb, "From: %s <%s>\n", p->author_name ? p->author_name : "",
		  p->author_email ? p->author_email : "");
	sbuf_addf(sb, "Subject: [PATCH] %s\n\n", p->subject ? p->subject : "");
	if (p->body && *p->body) {
		sbuf_addstr(sb, p->body);
		if (sb->len && sb->buf[sb->len - 1] != '\n')
			sbuf_addch(sb, '\n');
	}
	sbuf_addstr(sb, "---\n");
	for (size_t i = 0; i < p->files.n; i++) {
		const struct series_file_change *f = p->files.items[i];

		sbuf_addf(sb, " %s | 0\n", f->new_path ? f->new_path :
			  f->old_path ? f->old_path : "");
	}
	for (size_t i = 0; i < p->files.n; i++) {
		const struct series_file_change *f = p->files.items[i];

		if (f->status == SERIES_CHANGE_ADDED && f->new_path)
			sbuf_addf(sb, " create mode 100644 %s\n", f->new_path);
		else if (f->status == SERIES_CHANGE_DELETED && f->old_path)
			sbuf_addf(sb, " delete mode 100644 %s\n", f->old_path);
	}
	sbuf_addstr(sb, "\n");
	sbuf_addstr(sb, p->diff ? p->diff : "");
	sbuf_addstr(sb, "-- \n2.0\n\n");
}

static int read_inputs(const struct cc_opts *o, const char *root, int argc,
		       char **argv, struct vec *texts, struct vec *names,
		       struct err *err)
{
	int files = 1;

	for (int i = 0; i < argc; i++)
		if (!fs_exists(argv[i]) || fs_is_dir(argv[i]))
			files = 0;
	if (files) {
		for (int i = 0; i < argc; i++) {
			struct sbuf *sb = xcalloc(1, sizeof(*sb));
			int ret;

			sbuf_init(sb);
			ret = sbuf_read_file(sb, argv[i], 256u << 20, err);
			vec_push(texts, sb);
			vec_push_str(names, argv[i]);
			if (ret)
				return ret;
		}
		return 0;
	}
	if (argc != 1)
		return err_set(err, ERR_NOTFOUND,
			       "%s: no such patch file (a range is one argument)",
			       argv[0]);
	{
		struct series_patches sp = SERIES_PATCHES_INIT;
		int ret = series_patches_from_range(&sp, root, argv[0], err);

		if (ret) {
			series_patches_release(&sp);
			return err_prefix(err, "'%s' is no patch file, and as a "
					  "range", argv[0]);
		}
		for (size_t i = 0; i < sp.items.n; i++) {
			const struct series_patch *p = sp.items.items[i];
			struct sbuf *sb = xcalloc(1, sizeof(*sb));

			sbuf_init(sb);
			commit_as_patch(sb, p);
			vec_push(texts, sb);
			vec_push_str(names, p->commit ? p->commit : argv[0]);
		}
		series_patches_release(&sp);
		if (!texts->n)
			return err_set(err, ERR_NOTFOUND, "%s: no commits",
				       argv[0]);
	}
	return 0;
}

static void free_sbuf(void *p)
{
	sbuf_release(p);
	free(p);
}

static void print_addr(const struct maint_addr *a, int why)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_add_sanitized(&sb, a->addr, strlen(a->addr));
	sbuf_addch(&sb, '\n');
	if (why) {
		sbuf_addf(&sb, "\t%s%s", maint_role_name(a->role),
			  a->moderated ? " (moderated)" : "");
		if (*a->section) {
			sbuf_addstr(&sb, ": ");
			sbuf_add_sanitized(&sb, a->section, strlen(a->section));
			sbuf_addf(&sb, " (MAINTAINERS:%u)", a->section_line);
		}
		sbuf_addstr(&sb, "\n\t");
		sbuf_add_sanitized(&sb, a->why, strlen(a->why));
		if (a->why_line)
			sbuf_addf(&sb, " (MAINTAINERS:%u)", a->why_line);
		sbuf_addch(&sb, '\n');
	}
	cli_out(stdout, sb.buf);
	sbuf_release(&sb);
}

static void warn_all(const struct vec *w)
{
	for (size_t i = 0; i < w->n; i++) {
		struct sbuf sb = SBUF_INIT;
		const char *s = w->items[i];

		sbuf_add_sanitized(&sb, s, strlen(s));
		cli_warn("cc", "%s", sb.buf);
		sbuf_release(&sb);
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int run(const struct cc_opts *o, const char *root, int argc,
	       char **argv)
{
	double t0, t1, t2 = 0, t3 = 0;
	struct maint_options mo = { 0 };
	struct maint_db *db = NULL;
	struct maint_result res = MAINT_RESULT_INIT;
	struct vec texts = VEC_INIT, names = VEC_INIT;
	struct maint_input *in = NULL;
	struct err err = ERR_INIT;
	int ret;

	mo.root = root;
	mo.maintainers = o->maintainers;
	mo.no_mailmap = o->no_mailmap;
	mo.no_keywords = o->no_keywords;
	mo.no_fixes = o->no_fixes;
	t0 = now_ms();
	ret = maint_db_open(&db, &mo, &err);
	t1 = now_ms();
	if (ret)
		goto out;
	warn_all(maint_db_warnings(db));
	ret = read_inputs(o, root, argc, argv, &texts, &names, &err);
	if (ret)
		goto out;
	in = xcalloc(texts.n + 1, sizeof(*in));
	for (size_t i = 0; i < texts.n; i++) {
		const struct sbuf *sb = texts.items[i];

		in[i].name = names.items[i];
		in[i].text = sb->buf;
		in[i].len = sb->len;
	}
	t2 = now_ms();
	ret = maint_db_lookup(db, in, texts.n, &res, &err);
	t3 = now_ms();
	if (ret)
		goto out;
	if (o->stats)
		cli_outf(stderr, "vger cc: MAINTAINERS (%zu sections) parsed "
			 "in %.2f ms; %zu patches, %zu files looked up in "
			 "%.2f ms\n", maint_db_nsections(db), t1 - t0,
			 texts.n, res.files.n, t3 - t2);
	warn_all(&res.warnings);
	for (size_t i = 0; i < res.addrs.n; i++) {
		const struct maint_addr *a = res.addrs.items[i];
		int to = front_cc_is_to(a->role, o->split);

		if ((o->to && !to) || (o->cc && to))
			continue;
		print_addr(a, o->why);
	}
out:
	free(in);
	maint_result_release(&res);
	maint_db_free(db);
	vec_release(&texts, free_sbuf);
	vec_release_str(&names);
	if (ret)
		return cli_fail("cc", &err);
	return fflush(stdout) ? CLI_FAIL : CLI_OK;
}

int cmd_cc(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "maintainers", required_argument, NULL, 'm' },
		{ "to", no_argument, NULL, 't' },
		{ "cc", no_argument, NULL, 'c' },
		{ "why", no_argument, NULL, 'w' },
		{ "no-mailmap", no_argument, NULL, 'M' },
		{ "no-keywords", no_argument, NULL, 'K' },
		{ "stats", no_argument, NULL, 's' },
		{ "no-fixes", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cc_opts o = { 0 };
	struct front_config *cfg = NULL;
	struct vec warnings = VEC_INIT;
	struct err err = ERR_INIT;
	char *root = NULL;
	int c, ret;

	opterr = 0;
	optind = 1;
	/* the first argument that is not an option ends them: "-2" too */
	while ((optind >= argc || !cli_is_count(argv[optind])) &&
	       (c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.root = optarg;
			break;
		case 'm':
			o.maintainers = optarg;
			break;
		case 't':
			o.to = 1;
			break;
		case 'c':
			o.cc = 1;
			break;
		case 'w':
			o.why = 1;
			break;
		case 'M':
			o.no_mailmap = 1;
			break;
		case 'K':
			o.no_keywords = 1;
			break;
		case 's':
			o.stats = 1;
			break;
		case 'F':
			o.no_fixes = 1;
			break;
		case 'h':
			return cli_print_usage("cc");
		default:
			return cli_bad_option("cc", argv, c);
		}
	}
	if (o.to && o.cc)
		return cli_usage_error("cc",
				       "--to and --cc exclude each other");
	if (optind >= argc)
		return cli_usage_error("cc", "no patch file or range given");
	if (o.root && !o.to && !o.cc) {
		/* nothing to read from git config: skip libgit2's start-up */
		root = xstrdup(o.root);
		ret = run(&o, root, argc - optind, argv + optind);
		free(root);
		return ret;
	}
	if (front_config_open(&cfg, NULL, &err))
		return cli_fail("cc", &err);
	o.split = front_cc_split(cfg, &warnings);
	for (size_t i = 0; i < warnings.n; i++)
		cli_warn("cc", "%s", (char *)warnings.items[i]);
	vec_release_str(&warnings);
	if (o.root)
		root = xstrdup(o.root);
	else if (front_config_repo_dir(cfg))
		root = xstrdup(front_config_repo_dir(cfg));
	front_config_free(cfg);
	if (!root) {
		if (!o.maintainers)
			return cli_usage_error("cc", "not in a git repository: "
					       "give --root KERNEL_DIR or "
					       "--maintainers FILE");
		root = xstrdup(".");
	}
	ret = run(&o, root, argc - optind, argv + optind);
	free(root);
	return ret;
}
