#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"
#include "cli/usage.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"

const struct cli_command cli_commands[] = {
#define CLI_COMMAND(name, fn, summary) \
	{ #name, fn, summary, cli_usage_##name },
#include "cli/commands.def"
#undef CLI_COMMAND
	{ NULL, NULL, NULL, NULL }
};

const struct cli_command *cli_find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void cli_print_commands(FILE *out)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		cli_outf(out, "   %-10s %s\n", c->name, c->summary);
}

int cli_print_usage(const char *cmd)
{
	const struct cli_command *c = cli_find_command(cmd);

	if (!c)
		return CLI_USAGE;
	cli_out(stdout, c->usage);
	return CLI_OK;
}

const char cli_usage_help[] =
"usage: vger help [<command>]\n"
"\n"
"Without a command, list vger's commands; with one, print its usage\n"
"(the same as 'vger <command> --help').\n";

int cli_help(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
		if (!cli_find_command(argv[1])) {
			cli_outf(stderr, "vger: no help for '%s': not a vger "
				 "command; see 'vger --help'\n", argv[1]);
			return CLI_USAGE;
		}
		return cli_print_usage(argv[1]);
	}
	cli_out(stdout, cli_usage_vger);
	cli_out(stdout, "\nCommands:\n");
	cli_print_commands(stdout);
	cli_out(stdout, "\nSee 'vger help <command>' or 'vger <command> "
		"--help' for a command's options,\nand 'man vger' for "
		"configuration and files.\n");
	return CLI_OK;
}

/*
 * One line on standard error, made safe: an error or a warning may
 * quote mail text (an address, a subject, a server's answer).
 */
static void say_line(const char *cmd, const char *what, const char *text,
		     const char *tail)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "vger %s: %s", cmd, what);
	sbuf_add_sanitized(&sb, text, strlen(text));
	sbuf_addf(&sb, "%s\n", tail);
	cli_out(stderr, sb.buf);
	sbuf_release(&sb);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT, tail = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	sbuf_addf(&tail, " (see 'vger %s --help')", cmd);
	say_line(cmd, "", msg.buf, tail.buf);
	sbuf_release(&msg);
	sbuf_release(&tail);
	return CLI_USAGE;
}

int cli_is_count(const char *arg)
{
	long n;

	return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9' &&
	       !str_to_long(arg + 1, &n) && n > 0;
}

int cli_bad_option(const char *cmd, char **argv, int c)
{
	const char *arg = argv[optind - 1];
	int is_long = arg && arg[0] == '-' && arg[1] == '-';
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *name = is_long || !optopt ? arg : shortopt;

	if (is_long) {	/* "--tree=x": name the option, not the value */
		size_t n = strcspn(arg, "=");

		if (c == ':')
			return cli_usage_error(cmd, "option '%.*s' needs a "
					       "value", (int)n, arg);
		return cli_usage_error(cmd, "unknown option '%.*s'", (int)n,
				       arg);
	}
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value", name);
	return cli_usage_error(cmd, "unknown option '%s'", name);
}

int cli_fail(const char *cmd, const struct err *err)
{
	say_line(cmd, "error: ", err && err->msg[0] ? err->msg :
		 err_code_name(err ? err->code : ERR_IO), "");
	return CLI_FAIL;
}

void cli_say(const char *cmd, int warning, const char *text)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "vger %s: %s", cmd, warning ? "warning: " : "");
	if (text)
		sbuf_add_sanitized(&sb, text, strlen(text));
	sbuf_addch(&sb, '\n');
	cli_out(stderr, sb.buf);
	sbuf_release(&sb);
}

void cli_warn(const char *cmd, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	say_line(cmd, "warning: ", msg.buf, "");
	sbuf_release(&msg);
}

void cli_add_cell(struct sbuf *sb, const char *s, size_t width)
{
	struct sbuf safe = SBUF_INIT;
	size_t at = 0, chars = 0;

	sbuf_add_sanitized(&safe, s, strlen(s));
	while (at < safe.len && chars < width) {
		unsigned cp;
		size_t n = utf8_decode(safe.buf + at, safe.len - at, &cp);

		at += n ? n : 1;
		chars++;
	}
	sbuf_add(sb, safe.buf, at);
	for (; chars < width; chars++)
		sbuf_addch(sb, ' ');
	sbuf_release(&safe);
}
