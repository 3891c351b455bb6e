/*
 * vger respin: a git branch as a whole vN series.  The flow is
 * front/respin.h's; here are the options, the cover letter edited in
 * $EDITOR, and what is printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/check.h"
#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "front/editor.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/respin.h"
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

/* ---- the flow's hooks: said on standard error ---- */

static void ui_say(void *data, enum front_say kind, const char *text)
{
	(void)data;
	cli_say("respin", kind == FRONT_WARNING, text);
}

/*
 * The one question, whether a series for a closed tree should be an
 * RFC, is not asked on the terminal: the option that makes one is
 * named, and the respin goes on as it is.
 */
static int ui_ask(void *data, enum front_question q, const char *question,
		  const char *detail)
{
	(void)data;
	(void)question;
	(void)detail;
	if (q == FRONT_ASK_RFC)
		cli_warn("respin", "RFC patches are welcome during the merge "
			 "window: vger respin --rfc");
	return FRONT_CANNOT_ASK;
}

static int edit_cover(struct series_job *job, struct front_config *cfg,
		      const char *branch)
{
	struct err err = ERR_INIT;
	struct sbuf text = SBUF_INIT;
	char *stored = NULL, *msgid = NULL, *editor, *dir = NULL, *path = NULL;
	unsigned last = 0;
	int ret = CLI_FAIL, keep = 0;

	if (!branch)
		return cli_usage_error("respin", "HEAD is detached: name the "
				       "branch whose cover letter to edit");
	editor = front_editor(cfg, FRONT_EDITOR_GIT);
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
	if (front_editor_run(editor, path, NULL)) {
		cli_warn("respin", "the editor '%s' failed; the cover letter "
			 "is unchanged, and what the editor saved is kept in "
			 "%s", editor, path);
		keep = 1;
		goto out;
	}
	if (sbuf_read_file(&text, path, 1 << 20, &err) ||
	    series_cover_set(job, branch, text.buf, &err)) {
		/* never lose the text before it is stored */
		err_prefix(&err, "the text is kept in %s", path);
		keep = 1;
		goto fail;
	}
	cli_outf(stderr, "vger respin: the cover letter of %s is kept as "
		 "branch.%s.description\n", branch, branch);
	ret = CLI_OK;
	goto out;
fail:
	ret = cli_fail("respin", &err);
out:
	if (dir && !keep)
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
	cli_out(out, sb.buf);
	sbuf_release(&sb);
}

/* What was written: the files, then the trailers added, a line each. */
static void print_written(const struct front_respin_result *res)
{
	const struct series_result *r = &res->series;
	size_t npatches = r->files.n - (r->files.n > 1 &&
		!*((struct series_file *)r->files.items[0])->title);

	for (size_t i = 0; i < r->files.n; i++) {
		const struct series_file *f = r->files.items[i];

		cli_outf(stdout, "%s/", res->dir);
		print_sanitized(stdout, f->name);
		cli_out(stdout, "\n");
	}
	for (size_t i = 0; i < r->notes.n; i++) {
		const struct series_trailer_note *n = r->notes.items[i];

		cli_outf(stdout, "  %u/%zu ", n->index, npatches);
		print_sanitized(stdout, n->title);
		cli_out(stdout, ": + ");
		print_sanitized(stdout, n->line);
		cli_out(stdout, "\n");
	}
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
	struct front_respin_options o;
	struct front_respin_result res = FRONT_RESPIN_RESULT_INIT;
	struct front_hooks hooks = { ui_say, ui_ask, NULL, NULL, NULL, NULL };
	struct vec to = VEC_INIT, cc = VEC_INIT, adds = VEC_INIT;
	struct err err = ERR_INIT;
	struct front_config *cfg = NULL;
	const char *arg = NULL;
	int c, edit = 0;
	int ret = CLI_FAIL;
	long v;

	memset(&o, 0, sizeof(o));
	o.cover_letter = -1;
	o.thread = -1;
	opterr = 0;
	optind = 1;
	for (;;) {
		if (optind < argc && !arg && cli_is_count(argv[optind])) {
			arg = argv[optind++];
			continue;
		}
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
			o.outdir = optarg;
			break;
		case OPT_FORCE:
			o.force = 1;
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
			o.no_trailers = 1;
			break;
		case OPT_COVER:
			o.cover_letter = 1;
			break;
		case OPT_NO_COVER:
			o.cover_letter = 0;
			break;
		case OPT_THREAD:
			o.thread = 1;
			break;
		case OPT_NO_THREAD:
			o.thread = 0;
			break;
		case OPT_SIGNATURE:
			o.signature = optarg;
			break;
		case OPT_NO_SIGNATURE:
			o.no_signature = 1;
			break;
		case OPT_NO_CHECK:
			o.no_check = 1;
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
	if (front_config_open(&cfg, NULL, &err)) {
		ret = cli_fail("respin", &err);
		goto out;
	}
	if (edit) {
		struct series_job *job = NULL;

		if (series_job_open(&job, NULL, &err))
			ret = cli_fail("respin", &err);
		else
			ret = edit_cover(job, cfg, arg ? arg :
					 series_job_branch(job));
		series_job_free(job);
		goto out;
	}
	o.range = arg;
	o.to = &to;
	o.cc = &cc;
	o.trailers = &adds;
	o.cfg = cfg;
	ret = front_respin(&o, &hooks, &res, &err);
	if (res.checked && res.checks.findings.n)
		cli_check_print(&res.checks, res.npatches, res.check_tree,
				0);
	if (ret) {
		ret = cli_fail("respin", &err);
		goto out;
	}
	if (!res.dir) {
		err_set(&err, ERR_STATE, "nothing written: fix the errors "
			"above, or write anyway with --no-check");
		ret = cli_fail("respin", &err);
		goto out;
	}
	print_written(&res);
	ret = CLI_OK;
out:
	front_respin_result_release(&res);
	front_config_free(cfg);
	vec_release_str(&to);
	vec_release_str(&cc);
	vec_release(&adds, free);
	return ret;
}
