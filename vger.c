/* vger: main() dispatches to cli/ (and, with no command, to tui/). */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	const struct cli_command *cmd;

	setlocale(LC_ALL, "");
	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--version"))
			return cmd_version(1, argv);
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
			return cli_help(1, argv);
		if (!strcmp(argv[1], "-C") && argc > 2) {
			if (chdir(argv[2])) {
				perror(argv[2]);
				return CLI_FAIL;
			}
			argc -= 2;
			argv += 2;
			continue;
		}
		fprintf(stderr, "vger: unknown option '%s'; see "
			"'vger --help'\n", argv[1]);
		return CLI_USAGE;
	}
	if (argc < 2)
		return cli_main_default();
	cmd = cli_find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "vger: '%s' is not a vger command; see "
			"'vger --help'\n", argv[1]);
		return CLI_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_print_usage(cmd->name);
	}
	return cmd->run(argc - 1, argv + 1);
}
