/* What vger respin shares with vger check (cli/check.c). */
#ifndef CLI_CHECK_H
#define CLI_CHECK_H

#include <stddef.h>

struct check_result;
struct cli_config;

/* The rules git config turns off (vger.check.<id> = off), as bits. */
unsigned cli_check_disabled_rules(struct cli_config *cfg);
/* One line per finding and a summary line on stdout. */
void cli_check_print_text(const struct check_result *r, size_t npatches,
			  const char *tree);

#endif
