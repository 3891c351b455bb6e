/* What vger respin shares with vger check (cli/check.c). */
#ifndef CLI_CHECK_H
#define CLI_CHECK_H

#include <stddef.h>

struct check_options;
struct check_result;
struct series_patches;
struct front_config;
struct mail_model;

/* The rules git config turns off (vger.check.<id> = off), as bits. */
unsigned cli_check_disabled_rules(struct front_config *cfg);
/*
 * The previous version of this series on the list (rules whole-series
 * and repost-24h) from the model of vger.database, when it is set:
 * fills opt->prev_count and opt->prev_posted.
 */
void cli_check_previous_version(struct front_config *cfg,
				const struct series_patches *ps,
				struct check_options *opt);
/* The same in a model already loaded (NULL: nothing is filled). */
void cli_check_previous_in(const struct mail_model *m,
			   const struct series_patches *ps,
			   struct check_options *opt);
/* One line per finding and a summary line on stdout. */
void cli_check_print_text(const struct check_result *r, size_t npatches,
			  const char *tree);

#endif
