#include <stdlib.h>

#include "front/gitconfig.h"
#include "front/model.h"
#include "mail/model.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/xmalloc.h"

void front_model_source_init(struct front_model_source *src,
			     const struct front_model_args *args,
			     struct front_config *cfg)
{
	int cache = !args->no_cache;

	src->db = args->db ? xstrdup(args->db) :
		cfg ? front_config_path(cfg, "vger.database") : NULL;
	src->query = args->query ? xstrdup(args->query) :
		cfg ? front_config_string(cfg, "vger.query") : NULL;
	if (cache && cfg)
		cache = front_config_bool(cfg, "vger.cache", 1);
	src->cache_dir = cache ? fs_xdg_cache_dir() : NULL;
}

void front_model_source_release(struct front_model_source *src)
{
	free(src->db);
	free(src->query);
	free(src->cache_dir);
	src->db = src->query = src->cache_dir = NULL;
}

void front_model_options(const struct front_model_source *src,
			 struct mail_model_options *o)
{
	o->db_path = src->db;
	o->query = src->query;
	o->cache_dir = src->cache_dir;
	o->maintainers = NULL;
	o->progress = NULL;
	o->series_only = 0;
	o->head = NULL;
}

int front_model_open(const struct front_model_args *args, size_t limit,
		     struct mail_model **out, struct err *err)
{
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct mail_model_options o;
	struct mail_model_stats stats;
	struct front_config *cfg = NULL;
	int ret, served;

	ret = front_config_open(&cfg, NULL, err);
	if (ret)
		return ret;
	front_model_source_init(&src, args, cfg);
	front_config_free(cfg);
	front_model_options(&src, &o);
	o.series_only = args->series_only;
	/* What it read to find the listing stale goes on to the build. */
	served = mail_model_load_cached(out, &o, limit, &o.head, err);
	ret = served < 0 ? served : 0;
	if (!served)
		ret = mail_model_load(out, &o, &stats, err);
	else
		mail_model_head_free(o.head);
	front_model_source_release(&src);
	return ret;
}
