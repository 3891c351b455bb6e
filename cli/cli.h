/*
 * The command-line front end: one file per subcommand.  Each command
 * takes (argc, argv) with argv[0] its own name and returns the exit
 * status: 0 success, 1 failure (or findings, where the command says),
 * 2 usage error.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdio.h>

struct err;

enum cli_exit { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;	/* one line for `vger help` */
	const char *usage;	/* the whole --help text */
};

/* The table of subcommands, terminated by a NULL name. */
extern const struct cli_command cli_commands[];

const struct cli_command *cli_find_command(const char *name);
/* `vger help [CMD]` and `vger --help`. */
int cli_help(int argc, char **argv);
void cli_print_commands(FILE *out);

/*
 * A one-line usage error for command cmd: "vger CMD: message" and a
 * hint to --help.  Returns CLI_USAGE.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Report a getopt_long() failure: c is what it returned, '?' for an
 * unknown option or ':' for a missing value (optstring "+:...",
 * opterr = 0).  Returns CLI_USAGE.
 */
int cli_bad_option(const char *cmd, char **argv, int c);
/* Print cmd's usage to stdout (for --help); returns CLI_OK. */
int cli_print_usage(const char *cmd);
/* "vger CMD: error: MSG" on stderr; returns CLI_FAIL. */
int cli_fail(const char *cmd, const struct err *err);
void cli_warn(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* What `vger` with no command does. */
int cli_main_default(void);

/* Subcommands, from cli/commands.def. */
#include "cli/usage.h"

#endif
