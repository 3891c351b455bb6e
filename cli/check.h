/* What vger respin shares with vger check (cli/check.c). */
#ifndef CLI_CHECK_H
#define CLI_CHECK_H

#include <stddef.h>

struct check_result;

/*
 * The findings of r on npatches patches for tree, on stdout: as text,
 * a line each and a summary line, or as JSON.
 */
void cli_check_print(const struct check_result *r, size_t npatches,
		     const char *tree, int json);

#endif
