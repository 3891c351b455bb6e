/* What the mail-reading commands share: options, config, the model. */
#ifndef CLI_MODEL_H
#define CLI_MODEL_H

#include <stdio.h>

#include <stddef.h>
#include <time.h>

struct mail_model;
struct pw_db;
struct err;
struct sbuf;
struct vec;

struct front_model_args;

/* getopt_long() codes of the options every mail command takes. */
enum {
	CLI_OPT_DB = 256, CLI_OPT_QUERY, CLI_OPT_JSON, CLI_OPT_NO_CACHE,
	CLI_OPT_MODEL_END	/* a command's own options start here */
};

/* { "db", ... }, { "query", ... }, { "json", ... }, { "no-cache", ... } */
#define CLI_MODEL_OPTIONS \
	{ "db", required_argument, NULL, CLI_OPT_DB }, \
	{ "query", required_argument, NULL, CLI_OPT_QUERY }, \
	{ "json", no_argument, NULL, CLI_OPT_JSON }, \
	{ "no-cache", no_argument, NULL, CLI_OPT_NO_CACHE }

/*
 * Take getopt_long()'s c if it is one of CLI_MODEL_OPTIONS (--json sets
 * *json); 1 when taken, 0 when it is the command's own.
 */
int cli_model_option(int c, const char *arg, struct front_model_args *args,
		     int *json);

/*
 * Load the model for cmd (front_model_open()); prints errors and
 * warnings as "vger CMD: ..."; returns 0 or CLI_FAIL.
 */
int cli_model_load(const char *cmd, const struct front_model_args *args,
		   size_t limit, struct mail_model **out);
/* One line per series, as `vger series` prints them (cli/series.c). */
void cli_print_series(const struct mail_model *m, size_t limit);
/* The same with patchwork's states and CI marks from db (or NULL). */
void cli_print_series_pw(const struct mail_model *m, const struct pw_db *db,
			 size_t limit);
/* Append mail text for the terminal: control characters made visible. */
void cli_add_text(struct sbuf *sb, const char *s);
/* "To: a, b\n" on f (nothing for an empty list), each made safe so. */
void cli_print_list(FILE *f, const char *label, const struct vec *v);

#endif
