#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "front/calendar.h"
#include "front/gitconfig.h"
#include "mail/ann.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define DEFAULT_RELEASES_URL "https://www.kernel.org/releases.json"
#define DEFAULT_NETNEXT_URL "https://netdev.bots.linux.dev/net-next.html"

/* net-next announcements from the mail database, when configured. */
static void load_anns(const char *db, struct cal_ann **out, size_t *n,
		      struct vec *warnings)
{
	struct mail_ann *anns = NULL;
	struct err err = ERR_INIT;

	*out = NULL;
	*n = 0;
	if (mail_ann_find(db, &anns, n, &err) < 0) {
		if (warnings) {
			struct sbuf sb = SBUF_INIT;

			sbuf_addf(&sb, "net-next announcements: %s", err.msg);
			vec_push(warnings, sbuf_detach(&sb));
		}
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
static char *linux_tree_here(struct front_config *cfg)
{
	const char *dir = front_config_repo_dir(cfg);
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

int front_calendar_open(struct front_config *cfg, int offline,
			struct cal **out, struct vec *warnings, struct err *err)
{
	struct cal_options opt;
	char *linux_repo, *releases, *netnext, *db, *cache;
	struct cal_ann *anns = NULL;
	int ret = 0;

	cal_options_init(&opt);
	linux_repo = front_config_path(cfg, "vger.linux");
	if (!linux_repo)
		linux_repo = linux_tree_here(cfg);
	releases = front_config_string(cfg, "vger.releasesUrl");
	netnext = front_config_string(cfg, "vger.netnextUrl");
	db = front_config_path(cfg, "vger.database");
	opt.linux_repo = linux_repo;
	opt.releases_url = releases ? releases : DEFAULT_RELEASES_URL;
	opt.netnext_url = netnext ? netnext : DEFAULT_NETNEXT_URL;
	/* An empty URL turns that source off. */
	if (!*opt.releases_url)
		opt.releases_url = NULL;
	if (!*opt.netnext_url)
		opt.netnext_url = NULL;
	opt.offline = offline || front_config_bool(cfg, "vger.offline", 0);
	opt.refresh_secs = front_config_long(cfg, "vger.refreshHours", 3) *
			   3600;
	if (opt.refresh_secs <= 0)
		opt.refresh_secs = CAL_REFRESH_DEFAULT;
	cache = fs_xdg_cache_dir();
	opt.cache_dir = cache;
	if (db)
		load_anns(db, &anns, &opt.n_anns, warnings);
	opt.anns = anns;
	ret = cal_open(out, &opt, err);
	free(anns);
	free(linux_repo);
	free(releases);
	free(netnext);
	free(db);
	free(cache);
	return ret;
}

int front_tree_closed(struct front_config *cfg, const char *tree,
		      time_t now, struct sbuf *msg)
{
	struct cal *cal = NULL;
	struct err err = ERR_INIT;
	int open = 1;

	if (!tree || front_calendar_open(cfg, 1, &cal, NULL, &err) < 0)
		return 0;
	if (cal_tree_open(cal, tree, date_of_time(now), &open, msg,
			  &err) < 0)
		open = 1;	/* a tree the calendar has no rule for */
	cal_free(cal);
	return !open;
}

int front_window_banner(const struct cal_window *w, struct sbuf *out)
{
	char v[32], d[16];
	int closed = !w->bpf_next_open;

	if (closed) {
		date_format_ymd(w->rc1_day, d, sizeof(d));
		sbuf_addf(out, "bpf-next CLOSED \u00b7 %d.%d merge window day "
			  "%d \u00b7 reopens %s%s", w->next_major,
			  w->next_minor, w->window_day,
			  w->rc1_estimated ? "~" : "", d);
	} else {
		cal_version_string(w->next_major, w->next_minor, w->rc, v,
				   sizeof(v));
		date_format_ymd(w->next_window_expected, d, sizeof(d));
		sbuf_addf(out, "bpf-next open \u00b7 %s%s \u00b7 next window "
			  "~%s", w->rc_estimated ? "~" : "", v, d);
	}
	if (w->net_next_open != w->bpf_next_open)
		sbuf_addf(out, " \u00b7 net-next %s",
			  w->net_next_open ? "open" : "CLOSED");
	sbuf_addf(out, " \u00b7 %s, %ld day%s old%s",
		  cal_source_name(w->source), w->data_age_days,
		  w->data_age_days == 1 ? "" : "s",
		  w->predicted ? ", predicted" : "");
	return closed;
}
