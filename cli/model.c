#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conf.h"
#include "cli/model.h"
#include "mail/model.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"

int cli_model_try(const struct cli_model_args *args, size_t limit,
		  struct mail_model **out, struct err *err)
{
	struct mail_model_options o = { NULL, NULL, NULL, NULL };
	struct mail_model_stats stats;
	struct cli_config *cfg = NULL;
	char *db = NULL, *query = NULL, *cache = NULL;
	int ret, served;

	ret = cli_config_open(&cfg, NULL, err);
	if (ret)
		return ret;
	db = args->db ? strdup(args->db) : cli_config_path(cfg, "vger.database");
	query = args->query ? strdup(args->query) :
		cli_config_string(cfg, "vger.query");
	if (!args->no_cache && cli_config_bool(cfg, "vger.cache", 1))
		cache = fs_xdg_cache_dir();
	o.db_path = db;
	o.query = query;
	o.cache_dir = cache;
	served = mail_model_load_cached(out, &o, limit, err);
	ret = served < 0 ? served : 0;
	if (!served)
		ret = mail_model_load(out, &o, &stats, err);
	free(db);
	free(query);
	free(cache);
	cli_config_free(cfg);
	return ret;
}

int cli_model_load(const char *cmd, const struct cli_model_args *args,
		   size_t limit, struct mail_model **out)
{
	struct err err = ERR_INIT;

	if (cli_model_try(args, limit, out, &err))
		return cli_fail(cmd, &err);
	if ((*out)->warnings.n) {
		struct mail_model *m = *out;
		struct sbuf sb = SBUF_INIT;

		cli_add_text(&sb, m->warnings.items[0]);
		cli_warn(cmd, "%zu message%s skipped or incomplete (first: %s)",
			 m->warnings.n, m->warnings.n == 1 ? "" : "s", sb.buf);
		sbuf_release(&sb);
	}
	return 0;
}

int cli_model_option(int c, const char *arg, struct cli_model_args *args,
		     int *json)
{
	switch (c) {
	case CLI_OPT_DB:
		args->db = arg;
		return 1;
	case CLI_OPT_QUERY:
		args->query = arg;
		return 1;
	case CLI_OPT_JSON:
		*json = 1;
		return 1;
	case CLI_OPT_NO_CACHE:
		args->no_cache = 1;
		return 1;
	}
	return 0;
}

time_t cli_now(void)
{
	const char *s = getenv("VGER_NOW");
	long day, secs;

	if (s && !date_parse_ymd(s, &day))
		return (time_t)day * 86400 + 12 * 3600;
	if (s && !str_to_long(s, &secs))
		return (time_t)secs;
	return time(NULL);
}

void cli_add_text(struct sbuf *sb, const char *s)
{
	if (s)
		sbuf_add_sanitized(sb, s, strlen(s));
}
