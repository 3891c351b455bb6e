/*
 * Configuration for the front ends: git config files read with
 * libgit2, so vger is configured where git send-email and b4 are.
 * Levels, lowest first: system ($GIT_CONFIG_NOSYSTEM skips it), XDG,
 * global ($GIT_CONFIG_GLOBAL names another file, /dev/null none), and
 * the repository's own config (found from the working directory).
 * Keys live under [vger], [vger "bind"], [vger "color"]; sending reads
 * [sendemail].
 */
#ifndef CLI_CONF_H
#define CLI_CONF_H

struct err;
struct vec;
struct cli_config;

/*
 * Open the configuration seen from directory dir (NULL: the working
 * directory).  Free with cli_config_free().
 */
int cli_config_open(struct cli_config **out, const char *dir,
		    struct err *err);
void cli_config_free(struct cli_config *cfg);

/* A copy of the value (the caller frees), or NULL when unset. */
char *cli_config_string(struct cli_config *cfg, const char *key);
/* A path value with ~/ expanded; NULL when unset. */
char *cli_config_path(struct cli_config *cfg, const char *key);
/* A boolean (git's forms: yes/no, on/off, true/false, 1/0), else def. */
int cli_config_bool(struct cli_config *cfg, const char *key, int def);
/* An integer (git's k/m/g suffixes), else def. */
long cli_config_long(struct cli_config *cfg, const char *key, long def);
/* Append every value of a multi-valued key to out (owned strings). */
void cli_config_multi(struct cli_config *cfg, const char *key,
		      struct vec *out);
/* The directory of the repository the config was read in, or NULL. */
const char *cli_config_repo_dir(const struct cli_config *cfg);

#endif
