/*
 * Configuration for the front ends: git config files as git reads them
 * (`git config --list`, front/gitconfig.c), so vger is configured where
 * git send-email and b4 are.  Levels, lowest first: system
 * ($GIT_CONFIG_NOSYSTEM skips it), XDG, global ($GIT_CONFIG_GLOBAL
 * names another file, /dev/null none), and the repository's own config
 * (found from the working directory), with their includes.
 * Keys live under [vger], [vger "bind"], [vger "color"]; sending reads
 * [sendemail].
 */
#ifndef FRONT_GITCONFIG_H
#define FRONT_GITCONFIG_H

struct err;
struct vec;
struct front_config;

/*
 * Open the configuration seen from directory dir (NULL: the working
 * directory).  Free with front_config_free().
 */
int front_config_open(struct front_config **out, const char *dir,
		    struct err *err);
void front_config_free(struct front_config *cfg);

/* A copy of the value (the caller frees), or NULL when unset. */
char *front_config_string(struct front_config *cfg, const char *key);
/* A path value with ~/ expanded; NULL when unset. */
char *front_config_path(struct front_config *cfg, const char *key);
/* A boolean (git's forms: yes/no, on/off, true/false, 1/0), else def. */
int front_config_bool(struct front_config *cfg, const char *key, int def);
/* An integer (git's k/m/g suffixes), else def. */
long front_config_long(struct front_config *cfg, const char *key, long def);
/* Append every value of a multi-valued key to out (owned strings). */
void front_config_multi(struct front_config *cfg, const char *key,
		      struct vec *out);
/*
 * Call fn for every entry whose name starts with prefix ("vger.bind."),
 * in the order git reads them (lowest level first; a later value
 * overrides); names come lower-cased but for the subsection.  fn
 * returns 0 to go on; its non-zero return stops and is returned.
 */
int front_config_each(struct front_config *cfg, const char *prefix,
		      int (*fn)(const char *name, const char *value,
				void *data),
		      void *data);
/*
 * The directory of the repository the config was read in (its work
 * tree; a bare one's git directory), or NULL: asked of git the first
 * time.
 */
const char *front_config_repo_dir(struct front_config *cfg);

#endif
