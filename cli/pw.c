/* vger pw: patchwork's states and CI checks, fetched into the cache. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "cli/printer.h"
#include "front/clock.h"
#include "front/gitconfig.h"
#include "front/pw.h"
#include "patchwork/pw.h"
#include "util/err.h"
#include "util/sbuf.h"

const char cli_usage_pw[] =
"usage: vger pw sync [--json]\n"
"       vger pw [status] [--json]\n"
"\n"
"Patchwork (vger.patchwork, default https://patchwork.kernel.org, project\n"
"vger.patchworkProject, default netdevbpf) says which state a maintainer\n"
"set on each patch and what the CI's checks found.  `vger pw sync` fetches\n"
"what changed since the last sync through patchwork's REST API (within\n"
"5 s, at most 6 requests a minute; what it could not finish the next sync\n"
"goes on with) into ~/.cache/vger.  `vger series` and the TUI only read\n"
"that cache, so they work offline and never wait for the network.\n"
"`vger pw status` (or `vger pw`) says how old the cache is.\n"
"\n"
"    --json     print a JSON object instead of text\n"
"\n"
"Configuration: vger.patchwork (a URL, or false to leave patchwork out),\n"
"vger.patchworkProject.\n";

static void print_status(const struct front_pw_source *src,
			 const struct pw_db *db, const struct pw_sync_result *r,
			 int json)
{
	char line[512];
	struct sbuf sb = SBUF_INIT;

	front_pw_status(src, db, front_now(), line, sizeof(line));
	if (json) {
		struct cli_printer *p = cli_printer_new(stdout, 1);

		cli_pr_map(p, NULL);
		cli_pr_str(p, "url", src->url);
		cli_pr_str(p, "project", src->project);
		cli_pr_str(p, "cache", src->cache_path);
		cli_pr_int(p, "patches", db ? (long long)db->patches.n : 0);
		cli_pr_int(p, "synced", db ? (long long)db->synced : 0);
		cli_pr_int(p, "fetched", db ? (long long)db->fetched : 0);
		cli_pr_str(p, "error", db ? db->error : NULL);
		cli_pr_int(p, "error_time", db ? (long long)db->error_time : 0);
		cli_pr_str(p, "status", line);
		if (r) {
			cli_pr_int(p, "requests", r->requests);
			cli_pr_int(p, "pages", r->pages);
			cli_pr_int(p, "patches_changed", r->patches);
			cli_pr_int(p, "events", r->events);
			cli_pr_bool(p, "complete", r->complete);
			cli_pr_str(p, "stopped", *r->stopped ? r->stopped :
				   NULL);
		}
		cli_pr_end(p);
		cli_printer_free(p);
		return;
	}
	if (r) {
		cli_outf(stdout, "%u request%s, %u page%s: %u patch%s changed, "
			 "%u event%s\n", r->requests,
			 r->requests == 1 ? "" : "s",
			 r->pages, r->pages == 1 ? "" : "s", r->patches,
			 r->patches == 1 ? "" : "es", r->events,
			 r->events == 1 ? "" : "s");
		if (*r->stopped)
			cli_outf(stdout, "%s\n", r->stopped);
	}
	cli_add_text(&sb, line);
	cli_outf(stdout, "%s; %zu patches cached\n", sb.buf,
		 db ? db->patches.n : (size_t)0);
	sbuf_release(&sb);
}

int cmd_pw(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct front_pw_source src;
	struct front_config *cfg = NULL;
	struct pw_db *db = NULL;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	const char *what = "status";
	int json = 0, c, ret = CLI_OK;

	memset(&res, 0, sizeof(res));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (c != 'j')
			return cli_bad_option("pw", argv, c);
		json = 1;
	}
	if (optind < argc)
		what = argv[optind++];
	/* Options after the subcommand: vger pw sync --json. */
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (c != 'j')
			return cli_bad_option("pw", argv, c);
		json = 1;
	}
	if (optind < argc)
		return cli_usage_error("pw", "unexpected argument '%s'",
				       argv[optind]);
	if (strcmp(what, "sync") && strcmp(what, "status"))
		return cli_usage_error("pw", "no subcommand '%s' (sync or "
				       "status)", what);
	if (front_config_open(&cfg, NULL, &err) < 0)
		return cli_fail("pw", &err);
	front_pw_source_init(&src, cfg);
	front_config_free(cfg);
	if (!strcmp(what, "sync")) {
		if (front_pw_sync(&src, &db, front_now(), &res, &err) < 0) {
			struct sbuf sb = SBUF_INIT;

			cli_add_text(&sb, err.msg);
			cli_outf(stderr, "vger pw: error: %s\n", sb.buf);
			sbuf_release(&sb);
			ret = CLI_FAIL;
		}
		print_status(&src, db, &res, json);
	} else {
		if (front_pw_load(&src, &db, &err) < 0) {
			ret = cli_fail("pw", &err);
		} else {
			print_status(&src, db, NULL, json);
		}
	}
	pw_db_free(db);
	front_pw_source_release(&src);
	return ret;
}
