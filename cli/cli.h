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
/*
 * "-3": a range of the last three commits (git format-patch's -<n>), a
 * positional argument getopt would take for options.
 */
int cli_is_count(const char *arg);
/* Print cmd's usage to stdout (for --help); returns CLI_OK. */
int cli_print_usage(const char *cmd);
/* "vger CMD: error: MSG" on stderr; returns CLI_FAIL. */
int cli_fail(const char *cmd, const struct err *err);
void cli_warn(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * What a flow's say hook (front/hooks.h) prints: "vger CMD: TEXT" or
 * "vger CMD: warning: TEXT" on stderr, the text made safe.
 */
void cli_say(const char *cmd, int warning, const char *text);

/*
 * Append s sanitised (util/sbuf.h) and cut or padded to width
 * characters: a column of a table, where "%-9.9s" would print raw bytes
 * and may cut a character in two.
 */
struct sbuf;
void cli_add_cell(struct sbuf *sb, const char *s, size_t width);

/*
 * How `vger demo` shows its corpus on a terminal: set by main() to the
 * TUI (cli/ does not call tui/ itself); NULL prints the series list.
 * Returns the exit status.
 */
extern int (*cli_viewer)(const char *db, const char *query);

/* Subcommands, from cli/commands.def. */
#include "cli/usage.h"

#endif
