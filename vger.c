/*
 * vger: main() dispatches to cli/ for a command and to tui/ with none
 * (on a terminal), and nothing else.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/out.h"
#include "tui/tui.h"
#include "util/err.h"

/* What `vger demo` shows its corpus with, on a terminal. */
static int viewer(const char *db, const char *query)
{
	struct tui_options o = { db, query, 0 };
	struct err err = ERR_INIT;
	int ret = tui_run(&o, &err);

	if (ret < 0) {
		cli_outf(stderr, "vger: error: %s\n", err.msg);
		return CLI_FAIL;
	}
	return ret;
}

/* "--db PATH" or "--db=PATH": 1 and *value when argv[*i] is name. */
static int option_value(int argc, char **argv, int *i, const char *name,
			const char **value)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] || *i + 1 >= argc)
		return 0;
	*value = argv[++*i];
	return 1;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	struct tui_options tui = { NULL, NULL, 0 };
	int i, tui_opts = 0;

	setlocale(LC_ALL, "");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version"))
			return cmd_version(1, argv);
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_help(1, argv);
		if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			if (chdir(argv[++i])) {
				cli_outf(stderr, "vger: %s: %s\n", argv[i],
					 strerror(errno));
				return CLI_FAIL;
			}
			continue;
		}
		if (option_value(argc, argv, &i, "--db", &tui.db) ||
		    option_value(argc, argv, &i, "--query", &tui.query)) {
			tui_opts = 1;
			continue;
		}
		if (!strcmp(argv[i], "--no-cache")) {
			tui.no_cache = tui_opts = 1;
			continue;
		}
		cli_outf(stderr, "vger: unknown option '%s'; see "
			 "'vger --help'\n", argv[i]);
		return CLI_USAGE;
	}
	if (i >= argc) {
		struct err err = ERR_INIT;
		int ret;

		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			cli_help(1, NULL);
			return CLI_USAGE;
		}
		ret = tui_run(&tui, &err);
		if (ret < 0) {
			cli_outf(stderr, "vger: error: %s\n", err.msg);
			return CLI_FAIL;
		}
		return ret;
	}
	if (tui_opts) {
		cli_outf(stderr, "vger: --db, --query and --no-cache before a "
			 "command are for the TUI; put them after '%s'\n",
			 argv[i]);
		return CLI_USAGE;
	}
	cmd = cli_find_command(argv[i]);
	if (!cmd) {
		cli_outf(stderr, "vger: '%s' is not a vger command; see "
			 "'vger --help'\n", argv[i]);
		return CLI_USAGE;
	}
	for (int k = i + 1; k < argc; k++) {
		if (!strcmp(argv[k], "--"))
			break;
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h"))
			return cli_print_usage(cmd->name);
	}
	cli_viewer = viewer;
	return cmd->run(argc - i, argv + i);
}
