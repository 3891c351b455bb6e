/* Usage texts: each command's file defines cli_usage_<name>. */
#ifndef CLI_USAGE_H
#define CLI_USAGE_H

#define CLI_COMMAND(name, fn, summary) \
	extern const char cli_usage_##name[]; \
	int fn(int argc, char **argv);
#include "cli/commands.def"
#undef CLI_COMMAND

extern const char cli_usage_vger[];

#endif
