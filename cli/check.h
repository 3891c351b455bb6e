/* What vger respin shares with vger check (cli/check.c). */
#ifndef CLI_CHECK_H
#define CLI_CHECK_H

#include <stddef.h>

struct check_result;

/* One line per finding and a summary line on stdout. */
void cli_check_print_text(const struct check_result *r, size_t npatches,
			  const char *tree);

#endif
