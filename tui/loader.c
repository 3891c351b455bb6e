#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "front/calendar.h"
#include "front/clock.h"
#include "front/gitconfig.h"
#include "front/pw.h"
#include "mail/model.h"
#include "mail/thread.h"
#include "patchwork/pw.h"
#include "tui/loader.h"
#include "util/xmalloc.h"

int tui_loader_init(struct tui_loader *l, struct err *err)
{
	memset(l, 0, sizeof(*l));
	if (pipe(l->fds) < 0)
		return err_set(err, ERR_IO, "pipe: %s", strerror(errno));
	fcntl(l->fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(l->fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static void fail(struct tui_loader *l, const struct err *e)
{
	if (!l->failed) {
		l->err = *e;
		l->failed = 1;
	}
}

/*
 * Patchwork's cache, synced (the loop asks when: tui_app_pw_wanted()).
 * A failed sync keeps the cache and its error, said by the views.
 */
static void load_pw(struct tui_loader *l)
{
	struct front_config *cfg = NULL;
	struct front_pw_source src;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	time_t now = front_now();

	/* Its own config handle: libgit2's are not shared. */
	if (front_config_open(&cfg, NULL, &err))
		return;
	front_pw_source_init(&src, cfg);
	front_config_free(cfg);
	if (front_pw_load(&src, &l->pw, &err) == 0) {
		l->have_pw = 1;
		front_pw_sync(&src, &l->pw, now, &res, &err);
	}
	front_pw_source_release(&src);
}

static void *loader_main(void *arg)
{
	struct tui_loader *l = arg;
	struct err err = ERR_INIT;
	char byte = 'L';
	ssize_t r;

	if (l->what & TUI_LOAD_MODEL) {
		struct mail_model_options o;
		struct mail_model_stats stats;

		front_model_options(&l->src, &o);
		o.progress = &l->progress;
		o.head = l->head;
		l->head = NULL;
		if (mail_model_load(&l->model, &o, &stats, &err) < 0) {
			fail(l, &err);
			l->model = NULL;
		} else {
			mail_thread_prepare(l->model);
		}
	}
	if (l->what & TUI_LOAD_TAGS) {
		if (tui_tagsets_load(&l->src, &l->tags, &err) < 0)
			fail(l, &err);
		else
			l->have_tags = 1;
	}
	if (l->what & TUI_LOAD_CALENDAR) {
		struct front_config *cfg = NULL;

		/* Its own config handle: libgit2's are not shared. */
		if (!front_config_open(&cfg, NULL, &err))
			front_calendar_open(cfg, 0, &l->cal, NULL, &err);
		front_config_free(cfg);
	}
	if (l->what & TUI_LOAD_PATCHWORK)
		load_pw(l);
	r = write(l->fds[1], &byte, 1);
	(void)r;
	return NULL;
}

int tui_loader_start(struct tui_loader *l,
		     const struct front_model_source *src, unsigned what)
{
	if (l->running)
		return 1;
	front_model_source_release(&l->src);
	l->src.db = src->db ? xstrdup(src->db) : NULL;
	l->src.query = src->query ? xstrdup(src->query) : NULL;
	l->src.cache_dir = src->cache_dir ? xstrdup(src->cache_dir) : NULL;
	l->what = what;
	memset(&l->progress, 0, sizeof(l->progress));
	l->model = NULL;
	l->cal = NULL;
	l->pw = NULL;
	l->have_pw = 0;
	l->have_tags = 0;
	l->failed = 0;
	memset(&l->tags, 0, sizeof(l->tags));
	if (pthread_create(&l->thread, NULL, loader_main, l)) {
		/* No thread: do it here, the keys wait this once. */
		loader_main(l);
		return 0;
	}
	l->running = 1;
	return 0;
}

void tui_loader_finish(struct tui_loader *l)
{
	char byte;
	ssize_t r = read(l->fds[0], &byte, 1);

	(void)r;
	if (l->running)
		pthread_join(l->thread, NULL);
	l->running = 0;
}

void tui_loader_release(struct tui_loader *l)
{
	if (l->running)
		tui_loader_finish(l);
	close(l->fds[0]);
	close(l->fds[1]);
	front_model_source_release(&l->src);
	tui_tagsets_release(&l->tags);
	cal_free(l->cal);
	pw_db_free(l->pw);
	mail_model_head_free(l->head);
	/* A model not taken is the loader's. */
	mail_model_free(l->model);
}
