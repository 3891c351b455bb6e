/* The calendar opened on a fuzzed cache file (fuzz/calendar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "fuzz/calendar.h"
#include "fuzz/fuzz.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"

static const char *const trees[] = {
	"bpf-next", "net-next", "iproute2-next", "bpf", "net", "foo-next",
};

void fuzz_calendar(const char *name, const void *data, size_t size)
{
	struct cal_options opt;
	struct err err = ERR_INIT;
	struct cal *cal;
	long today;
	char *path = fuzz_write(name, data, size);

	cal_options_init(&opt);
	opt.cache_dir = fuzz_dir();
	opt.offline = 1;
	if (cal_open(&cal, &opt, &err)) {
		fprintf(stderr, "fuzz: cal_open: %s\n", err.msg);
		abort();	/* it fails only on bad options */
	}
	for (size_t i = 0; i < cal_note_count(cal); i++)
		cal_note(cal, i);
	today = cal_today(cal);
	for (long day = today - 4000; day <= today + 400; day += 73) {
		struct cal_window w;
		char v[32];

		if (cal_state_at(cal, day, &w, &err))
			continue;
		cal_version_string(w.next_major, w.next_minor, w.rc, v,
				   sizeof(v));
		for (size_t t = 0; t < sizeof(trees) / sizeof(trees[0]); t++) {
			struct sbuf msg = SBUF_INIT;
			int open;

			cal_describe(&w, trees[t], &msg);
			sbuf_reset(&msg);
			cal_tree_open(cal, trees[t], day, &open, &msg, &err);
			sbuf_release(&msg);
		}
	}
	cal_free(cal);
	unlink(path);
	free(path);
}
