/* What the mail-reading commands share: options, config, the model. */
#ifndef CLI_MODEL_H
#define CLI_MODEL_H

#include <stddef.h>
#include <time.h>

struct mail_model;
struct err;
struct sbuf;

struct cli_model_args {
	const char *db;		/* --db, else vger.database */
	const char *query;	/* --query, else vger.query */
	int no_cache;		/* --no-cache */
};

/*
 * Load the model for cmd (reading config for what args leave unset);
 * a current cache serves the first limit series (0: all) without
 * building the model.  Prints
 * errors and warnings as "vger CMD: ..."; returns 0 or CLI_FAIL.
 */
int cli_model_load(const char *cmd, const struct cli_model_args *args,
		   size_t limit, struct mail_model **out);
/* One line per series, as `vger series` prints them (cli/series.c). */
void cli_print_series(const struct mail_model *m, size_t limit);
/* The same without printing: 0, or a negative err code in *err. */
int cli_model_try(const struct cli_model_args *args, size_t limit,
		  struct mail_model **out, struct err *err);
/* "now" for ages: $VGER_NOW (seconds or YYYY-MM-DD) or the clock. */
time_t cli_now(void);
/* Append mail text for the terminal: control characters made visible. */
void cli_add_text(struct sbuf *sb, const char *s);

#endif
