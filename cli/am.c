/*
 * vger am and vger shazam: a series from the local database as the
 * mbox `b4 am` writes, with its review trailers, or applied to the
 * repository here with the real `git am` (front/am.h does the work).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/printer.h"
#include "front/am.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/model.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"

#define AM_OPTIONS_HELP \
"    --db <path>          notmuch database (default: vger.database, else\n" \
"                         notmuch's own configuration)\n" \
"    -v, --use-version <n>  take version n (default: the latest)\n" \
"    -T, --no-trailers    the patches as they were sent, no trailers added\n" \
"    -S, --sloppy-trailers  add person trailers whose address is not their\n" \
"                         sender's too (said either way)\n" \
"    -l, --add-link       add Link: (vger.linkmask, default\n" \
"                         https://patch.msgid.link/%s) to every patch\n" \
"    -i, --add-message-id add Message-ID: <id> to every patch\n" \
"    -s, --add-my-sob     add your Signed-off-by: (git config user.*) last\n" \
"    -P, --cherry-pick <list>  only these patches: 1,3-5; -1 is the last,\n" \
"                         2- the second to the end\n" \
"    --partial            go on when patches are missing, doubled or broken\n" \
"                         (they are left out, and said)\n"

const char cli_usage_am[] =
"usage: vger am [--db <path>] [-v <n>] [-o <dir> | -o -] [--no-cover]\n"
"               [-T] [-S] [-l] [-i] [-s] [-P <list>] [--partial] [--json]\n"
"               <message-id | lore URL>\n"
"\n"
"Write a series from the notmuch database as a mbox git am applies, with\n"
"the Acked-by/Reviewed-by/Tested-by/... given in reply added to each patch,\n"
"as b4 am does, offline.  The message may be any of the series: cover\n"
"letter, patch or reply, with or without <>, or a lore URL.  The patches\n"
"are written in 1..N order to DIR/NAME.mbx (b4's name,\n"
"YYYYMMDD_author_title) and the cover letter to NAME.cover; what was added\n"
"to each patch, and from whom, is said after.\n"
"\n"
"    -o, --outdir <dir>   write there (default: .); - writes the mbox to\n"
"                         standard output (as it is into a pipe, made safe\n"
"                         on a terminal) and the report to standard error\n"
"    --no-cover           do not write the .cover file\n"
AM_OPTIONS_HELP
"    --json               the report as JSON: patches, trailers added with\n"
"                         who gave them and where, warnings\n"
"\n"
"Exit status: 0 written, 1 not (a patch missing without --partial, no such\n"
"message), 2 usage.\n";

const char cli_usage_shazam[] =
"usage: vger shazam [--db <path>] [-v <n>] [-T] [-S] [-l] [-i] [-s] [-P <list>]\n"
"                   [--partial] [--merge] [--base <rev>] <message-id | URL>\n"
"\n"
"Apply a series from the notmuch database to the repository here, with its\n"
"review trailers, using git am (as b4 shazam does, offline).  git am stops\n"
"at a conflict and leaves its state for git am --continue or --abort; a\n"
"repository already in the middle of an am, a rebase, a merge or a\n"
"cherry-pick is refused.  The cover letter's base-commit: is looked for\n"
"in the repository and said.\n"
"\n"
"    --merge              apply on a branch from the base and merge it into\n"
"                         HEAD with --no-ff, the message made from the cover\n"
"                         letter as the BPF and netdev maintainers write it\n"
"    --base <rev>         the base for --merge (default: base-commit: when\n"
"                         the repository has it, else HEAD)\n"
AM_OPTIONS_HELP
"\n"
"Exit status: 0 applied, 1 not (a conflict: see git am --continue/--abort),\n"
"2 usage.\n";

enum {
	OPT_NO_COVER = CLI_OPT_MODEL_END, OPT_PARTIAL, OPT_MERGE, OPT_BASE,
	OPT_HELP,
};

static const struct option am_opts[] = {
	CLI_MODEL_OPTIONS,
	{ "use-version", required_argument, NULL, 'v' },
	{ "outdir", required_argument, NULL, 'o' },
	{ "no-cover", no_argument, NULL, OPT_NO_COVER },
	{ "no-trailers", no_argument, NULL, 'T' },
	{ "no-add-trailers", no_argument, NULL, 'T' },
	{ "sloppy-trailers", no_argument, NULL, 'S' },
	{ "add-link", no_argument, NULL, 'l' },
	{ "add-message-id", no_argument, NULL, 'i' },
	{ "add-my-sob", no_argument, NULL, 's' },
	{ "cherry-pick", required_argument, NULL, 'P' },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

/* Where the report goes: stderr when the mbox is on stdout. */
static FILE *report;
static const char *cmd_name;

static void ui_say(void *data, enum front_say kind, const char *text)
{
	(void)data;
	cli_say(cmd_name, kind == FRONT_WARNING, text);
}

/* Asked on the terminal when standard input is one; else not asked. */
static int ui_ask(void *data, enum front_question q, const char *question,
		  const char *detail)
{
	struct sbuf sb = SBUF_INIT;
	char line[64];
	int yes;

	(void)data;
	(void)q;
	(void)detail;
	if (!isatty(STDIN_FILENO))
		return FRONT_CANNOT_ASK;
	cli_add_text(&sb, question);
	cli_outf(stderr, "%s [y/N] ", sb.buf);
	fflush(stderr);
	sbuf_release(&sb);
	if (!fgets(line, sizeof(line), stdin))
		return FRONT_NO;
	yes = !strncasecmp(line, "y", 1);
	return yes ? FRONT_YES : FRONT_NO;
}

static void ui_progress(void *data, const struct front_progress *p)
{
	(void)data;
	if (p->step == FRONT_AM_APPLY)
		cli_outf(stderr, "vger %s: git am, %zu patch%s\n", cmd_name,
			 p->n, p->n == 1 ? "" : "es");
	else if (p->step == FRONT_AM_MERGE)
		cli_outf(stderr, "vger %s: merging\n", cmd_name);
}

static const char *warning_kind(enum front_am_warning k)
{
	static const char *const names[] = {
		"missing", "duplicate", "broken-diff", "sender-mismatch",
		"nacked", "scoped", "orphan-reply", "other",
	};

	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] :
		"other";
}

static void print_json(const struct front_am_result *r, const char *mbx,
		       const char *cover)
{
	struct cli_printer *p = cli_printer_new(stdout, 1);

	cli_pr_map(p, NULL);
	cli_pr_int(p, "version", r->version);
	cli_pr_int(p, "total", r->total);
	cli_pr_bool(p, "complete", r->complete);
	cli_pr_bool(p, "partial_reroll", r->partial_reroll);
	cli_pr_str(p, "title", r->cover_title);
	cli_pr_str(p, "author", r->cover_author);
	cli_pr_str(p, "cover_message_id", r->cover_id);
	cli_pr_str(p, "link", r->link);
	cli_pr_str(p, "base_commit", r->base_commit);
	cli_pr_str(p, "mbox", mbx);
	cli_pr_str(p, "cover", cover);
	cli_pr_list(p, "patches");
	for (size_t i = 0; i < r->patches.n; i++) {
		const struct front_am_patch *fp = r->patches.items[i];

		cli_pr_map(p, NULL);
		cli_pr_int(p, "index", fp->index);
		cli_pr_str(p, "message_id", fp->message_id);
		cli_pr_str(p, "subject", fp->subject);
		cli_pr_str(p, "author", fp->author);
		cli_pr_str(p, "date", fp->date);
		cli_pr_bool(p, "rerolled", fp->rerolled);
		cli_pr_list(p, "added");
		for (size_t k = 0; k < fp->added.n; k++) {
			const struct front_am_added *a = fp->added.items[k];

			cli_pr_map(p, NULL);
			cli_pr_str(p, "trailer", a->line);
			cli_pr_str(p, "by", a->by);
			cli_pr_str(p, "message_id", a->message_id);
			cli_pr_str(p, "where", a->message_id ? a->from_cover ?
				   "cover" : "patch" : "vger");
			cli_pr_end(p);
		}
		cli_pr_end(p);
		cli_pr_end(p);
	}
	cli_pr_end(p);
	cli_pr_list(p, "warnings");
	for (size_t i = 0; i < r->warnings.n; i++) {
		const struct front_am_warn *w = r->warnings.items[i];

		cli_pr_map(p, NULL);
		cli_pr_str(p, "kind", warning_kind(w->kind));
		cli_pr_int(p, "patch", w->patch);
		cli_pr_str(p, "text", w->text);
		cli_pr_str(p, "trailer", w->line);
		cli_pr_str(p, "by", w->by);
		cli_pr_str(p, "message_id", w->message_id);
		cli_pr_bool(p, "applied", w->applied);
		cli_pr_end(p);
	}
	cli_pr_end(p);
	cli_pr_end(p);
	cli_printer_free(p);
}

static void print_warnings(const struct front_am_result *r, FILE *f)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < r->warnings.n; i++) {
		const struct front_am_warn *w = r->warnings.items[i];

		sbuf_addf(&sb, "warning: %s: ", warning_kind(w->kind));
		cli_add_text(&sb, w->text);
		sbuf_addch(&sb, '\n');
	}
	cli_out(f, sb.buf);
	sbuf_release(&sb);
}

static void print_text(const struct front_am_result *r, FILE *f)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "v%u, %zu of %u patch%s: ", r->version, r->npatches,
		  r->total, r->total == 1 ? "" : "es");
	cli_add_text(&sb, r->cover_title);
	sbuf_addstr(&sb, "\n");
	for (size_t i = 0; i < r->patches.n; i++) {
		const struct front_am_patch *fp = r->patches.items[i];

		sbuf_addstr(&sb, "  ");
		cli_add_text(&sb, fp->subject);
		if (fp->rerolled)
			sbuf_addstr(&sb, "  (from the previous version)");
		sbuf_addch(&sb, '\n');
		for (size_t k = 0; k < fp->added.n; k++) {
			const struct front_am_added *a = fp->added.items[k];

			sbuf_addstr(&sb, "    + ");
			cli_add_text(&sb, a->line);
			if (a->by) {
				sbuf_addstr(&sb, "  (");
				if (a->from_cover)
					sbuf_addstr(&sb, "on the cover letter, ");
				sbuf_addstr(&sb, "from ");
				cli_add_text(&sb, a->by);
				sbuf_addch(&sb, ')');
			}
			sbuf_addch(&sb, '\n');
		}
	}
	cli_out(f, sb.buf);
	sbuf_release(&sb);
	print_warnings(r, f);
}

static int parse_version(const char *s, unsigned *out)
{
	long v;

	if (*s == 'v' || *s == 'V')
		s++;
	if (str_to_long(s, &v) || v < 1 || v > 999)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int run(int argc, char **argv, int shazam)
{
	struct front_model_args margs = { NULL, NULL, 0, 0 };
	struct front_am_options o;
	struct front_shazam_options so;
	struct front_am_result res = FRONT_AM_RESULT_INIT;
	struct front_hooks hooks = { ui_say, ui_ask, NULL, ui_progress, NULL,
				     NULL };
	struct front_config *cfg = NULL;
	struct err err = ERR_INIT;
	const char *outdir = ".";
	char *mbx = NULL, *cover = NULL;
	int json = 0, no_cover = 0, c, ret = CLI_OK;

	cmd_name = shazam ? "shazam" : "am";
	memset(&o, 0, sizeof(o));
	memset(&so, 0, sizeof(so));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":v:o:TSlisP:", am_opts, NULL))
	       != -1) {
		switch (c) {
		case 'v':
			if (parse_version(optarg, &o.version))
				return cli_usage_error(cmd_name, "-v takes a "
						       "version number, not "
						       "'%s'", optarg);
			break;
		case 'o':
			if (shazam)
				return cli_bad_option(cmd_name, argv, '?');
			outdir = optarg;
			break;
		case OPT_NO_COVER:
			no_cover = 1;
			break;
		case 'T':
			o.no_trailers = 1;
			break;
		case 'S':
			o.sloppy = 1;
			break;
		case 'l':
			o.add_link = 1;
			break;
		case 'i':
			o.add_message_id = 1;
			break;
		case 's':
			o.add_my_sob = 1;
			break;
		case 'P':
			o.cherry_pick = optarg;
			break;
		case OPT_PARTIAL:
			o.partial = 1;
			break;
		case OPT_MERGE:
			if (!shazam)
				return cli_usage_error(cmd_name, "--merge is "
						       "vger shazam's");
			so.merge = 1;
			break;
		case OPT_BASE:
			if (!shazam)
				return cli_usage_error(cmd_name, "--base is "
						       "vger shazam's");
			so.base = optarg;
			break;
		case OPT_HELP:
			return cli_print_usage(cmd_name);
		default:
			if (c == CLI_OPT_QUERY)
				return cli_bad_option(cmd_name, argv, '?');
			if (!cli_model_option(c, optarg, &margs, &json))
				return cli_bad_option(cmd_name, argv, c);
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd_name, "which series? give a message "
				       "id or a lore URL");
	if (optind + 1 < argc)
		return cli_usage_error(cmd_name, "unexpected argument '%s'",
				       argv[optind + 1]);
	if (json && shazam)
		return cli_usage_error(cmd_name, "--json is vger am's");
	if (json && !strcmp(outdir, "-"))
		return cli_usage_error(cmd_name, "--json and -o - both want "
				       "standard output");
	if (so.base && !so.merge)
		return cli_usage_error(cmd_name, "--base goes with --merge");
	o.db = margs.db;
	o.id = argv[optind];
	{
		char *id = front_am_parse_id(o.id);

		if (!id)
			return cli_usage_error(cmd_name, "'%s' is no message "
					       "id or lore URL", o.id);
		free(id);
	}
	if (front_config_open(&cfg, NULL, &err))
		return cli_fail(cmd_name, &err);
	o.cfg = cfg;
	report = shazam || !strcmp(outdir, "-") ? stderr : stdout;
	if (front_am_prepare(&o, &hooks, &res, &err)) {
		print_warnings(&res, stderr);
		ret = cli_fail(cmd_name, &err);
		goto out;
	}
	if (shazam) {
		struct front_shazam_result sr;

		print_text(&res, stderr);
		so.cfg = cfg;
		if (front_shazam(&res, &so, &hooks, &sr, &err)) {
			ret = cli_fail(cmd_name, &err);
		} else {
			if (sr.git_output && *sr.git_output)
				cli_out(stderr, sr.git_output);
			if (!sr.applied) {
				cli_outf(stderr, "vger shazam: git am stopped; "
					 "resolve, then git am --continue (or "
					 "git am --abort)%s\n", so.merge ?
					 "; the merge was not made" : "");
				ret = CLI_FAIL;
			} else if (so.merge && !sr.merged) {
				cli_outf(stderr, "vger shazam: the merge did "
					 "not go through; see git status\n");
				ret = CLI_FAIL;
			} else {
				cli_outf(stderr, "vger shazam: applied %zu "
					 "patch%s%s\n", res.npatches,
					 res.npatches == 1 ? "" : "es",
					 sr.merged ? " and merged" : "");
			}
		}
		front_shazam_result_release(&sr);
		goto out;
	}
	if (!strcmp(outdir, "-")) {
		/* raw into a pipe for git am; safe on a terminal */
		if (cli_out_data(stdout, res.mbox, strlen(res.mbox))) {
			err_set(&err, ERR_IO, "standard output: write failed");
			ret = cli_fail(cmd_name, &err);
			goto out;
		}
		print_text(&res, stderr);
		goto out;
	}
	if (front_am_write(&res, outdir, no_cover, &mbx, &cover, &err)) {
		ret = cli_fail(cmd_name, &err);
		goto out;
	}
	if (json) {
		print_json(&res, mbx, cover);
	} else {
		struct sbuf sb = SBUF_INIT;

		print_text(&res, report);
		if (cover) {
			sbuf_addstr(&sb, "Cover: ");
			cli_add_text(&sb, cover);
			sbuf_addch(&sb, '\n');
		}
		sbuf_addstr(&sb, " Link: ");
		cli_add_text(&sb, res.link);
		sbuf_addstr(&sb, "\n Base: ");
		if (res.base_commit)
			cli_add_text(&sb, res.base_commit);
		else
			sbuf_addstr(&sb, "not specified");
		sbuf_addstr(&sb, "\n       git am ");
		cli_add_text(&sb, mbx);
		sbuf_addch(&sb, '\n');
		cli_out(report, sb.buf);
		sbuf_release(&sb);
	}
out:
	free(mbx);
	free(cover);
	front_am_result_release(&res);
	front_config_free(cfg);
	return ret;
}

int cmd_am(int argc, char **argv)
{
	return run(argc, argv, 0);
}

int cmd_shazam(int argc, char **argv)
{
	return run(argc, argv, 1);
}
