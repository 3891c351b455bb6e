#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "cli/calendar.h"
#include "cli/cli.h"
#include "cli/conf.h"
#include "cli/model.h"
#include "mail/ann.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

#define DEFAULT_RELEASES_URL "https://www.kernel.org/releases.json"
#define DEFAULT_NETNEXT_URL "https://netdev.bots.linux.dev/net-next.html"

/* net-next announcements from the mail database, when configured. */
static void load_anns(const char *cmd, const char *db, struct cal_ann **out,
		      size_t *n)
{
	struct mail_ann *anns = NULL;
	struct err err = ERR_INIT;

	*out = NULL;
	*n = 0;
	if (mail_ann_find(db, &anns, n, &err) < 0) {
		cli_warn(cmd, "net-next announcements: %s", err.msg);
		return;
	}
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		/* The announcement's day as UTC. */
		(*out)[i].day = date_of_time(anns[i].date);
		(*out)[i].open = anns[i].open;
	}
	free(anns);
}

/* The repository vger runs in, when it is a Linux tree. */
static char *linux_tree_here(struct cli_config *cfg)
{
	const char *dir = cli_config_repo_dir(cfg);
	char *maint, *kbuild;
	int is_linux;

	if (!dir)
		return NULL;
	maint = path_join(dir, "MAINTAINERS");
	kbuild = path_join(dir, "Kbuild");
	is_linux = fs_exists(maint) && fs_exists(kbuild);
	free(maint);
	free(kbuild);
	return is_linux ? xstrdup(dir) : NULL;
}

int cli_calendar_open(const char *cmd, struct cli_config *cfg, int offline,
		      struct cal **out)
{
	struct cal_options opt;
	struct err err = ERR_INIT;
	char *linux_repo, *releases, *netnext, *db, *cache;
	struct cal_ann *anns = NULL;
	int ret = 0;

	cal_options_init(&opt);
	linux_repo = cli_config_path(cfg, "vger.linux");
	if (!linux_repo)
		linux_repo = linux_tree_here(cfg);
	releases = cli_config_string(cfg, "vger.releasesUrl");
	netnext = cli_config_string(cfg, "vger.netnextUrl");
	db = cli_config_path(cfg, "vger.database");
	opt.linux_repo = linux_repo;
	opt.releases_url = releases ? releases : DEFAULT_RELEASES_URL;
	opt.netnext_url = netnext ? netnext : DEFAULT_NETNEXT_URL;
	/* An empty URL turns that source off. */
	if (!*opt.releases_url)
		opt.releases_url = NULL;
	if (!*opt.netnext_url)
		opt.netnext_url = NULL;
	opt.offline = offline || cli_config_bool(cfg, "vger.offline", 0);
	opt.refresh_secs = cli_config_long(cfg, "vger.refreshHours", 3) *
			   3600;
	if (opt.refresh_secs <= 0)
		opt.refresh_secs = CAL_REFRESH_DEFAULT;
	cache = fs_xdg_cache_dir();
	opt.cache_dir = cache;
	if (db)
		load_anns(cmd, db, &anns, &opt.n_anns);
	opt.anns = anns;
	if (cal_open(out, &opt, &err) < 0)
		ret = cli_fail(cmd, &err);
	free(anns);
	free(linux_repo);
	free(releases);
	free(netnext);
	free(db);
	free(cache);
	return ret;
}

int cli_tree_closed(const char *cmd, struct cli_config *cfg,
		    const char *tree, struct sbuf *msg)
{
	struct cal *cal = NULL;
	struct err err = ERR_INIT;
	int open = 1;

	if (!tree || cli_calendar_open(cmd, cfg, 1, &cal))
		return 0;
	if (cal_tree_open(cal, tree, date_of_time(cli_now()), &open, msg,
			  &err) < 0)
		open = 1;	/* a tree the calendar has no rule for */
	cal_free(cal);
	return !open;
}
