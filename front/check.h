/*
 * What the submission checks (series/check.h) take from the user's
 * setup, for vger check, vger respin and the TUI alike: the rules git
 * config turns off, and the previous version of the series from the
 * mail model.
 */
#ifndef FRONT_CHECK_H
#define FRONT_CHECK_H

struct check_options;
struct front_config;
struct mail_model;
struct series_patches;

/* The rules git config turns off (vger.check.<id> = off), as bits. */
unsigned front_check_disabled_rules(struct front_config *cfg);

/*
 * The previous version of this series on the list (rules whole-series
 * and repost-24h), found in m by the first patch's author and the
 * patch titles (mail_model_previous_version(), older than
 * opt->version): fills opt->prev_count and opt->prev_posted.  Nothing
 * is filled when m is NULL or holds no earlier version.
 */
void front_check_previous(const struct mail_model *m,
			  const struct series_patches *ps,
			  struct check_options *opt);

#endif
