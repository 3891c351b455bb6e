#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front/gitconfig.h"
#include "front/model.h"
#include "mail/model.h"
#include "tui/app.h"
#include "tui/loader.h"
#include "tui/loop.h"
#include "tui/paint.h"
#include "tui/screen.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "util/err.h"

int tui_run(const struct tui_options *o, struct err *err)
{
	struct front_model_args args = { o->db, o->query, o->no_cache,
					 0 };
	struct tui_app app;
	struct tui_loader loader;
	struct mail_model_options mo;
	enum tui_color_mode mode;
	struct tui_view *list;
	long refresh;
	int ret, served;

	ret = tui_app_init(&app, &args, err);
	if (ret)
		return ret;
	refresh = front_config_long(app.cfg, "vger.refresh", 0);
	ret = tui_loader_init(&loader, err);
	if (ret)
		goto out_app;
	ret = tui_screen_open(app.colors, &mode, err);
	if (ret)
		goto out_loader;
	/*
	 * The first screen from the cached listing (a screenful of
	 * series), the whole model in the background.
	 */
	front_model_options(&app.src, &mo);
	served = mail_model_load_cached(&app.model, &mo,
					(size_t)(LINES > 0 ? LINES : 50),
					&loader.head, err);
	if (served < 0) {
		ret = served;
		tui_screen_close();
		goto out_loader;
	}
	if (!served) {
		app.model = NULL;
		tui_app_say(&app, 0, "Building the series model from the "
			    "database (the first start takes a while; q "
			    "quits)...");
	}
	list = tui_view_new(&app, &tui_list_view, NULL, err);
	if (!list) {
		ret = -1;
		tui_screen_close();
		goto out_loader;
	}
	app.stack[app.depth++] = list;
	tui_paint(&app, NULL);
	tui_loader_start(&loader, &app.src, TUI_LOAD_MODEL | TUI_LOAD_TAGS |
			 TUI_LOAD_CALENDAR);
	ret = tui_loop(&app, &loader, refresh > 0 ? refresh : 0);
	tui_screen_close();
	if (loader.running) {
		/*
		 * Quit while the model is being built: the thread may take
		 * seconds more and holds nothing that must be saved (the
		 * cache is written whole or not at all).
		 */
		fflush(NULL);
		_exit(ret);
	}
out_loader:
	tui_loader_release(&loader);
out_app:
	tui_app_release(&app);
	return ret;
}
