/*
 * Fuzz target: kernel.org's releases.json (calendar/parse.c), read on
 * its own and as the calendar reads its cache of it.
 */
#include <stdlib.h>

#include "calendar/private.h"
#include "fuzz/calendar.h"
#include "fuzz/fuzz.h"
#include "util/err.h"
#include "util/vec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vec facts = VEC_INIT;
	struct err err = ERR_INIT;
	char *body = fuzz_cstr(data, size);

	cal_releases_parse(body, size, &facts, &err);
	vec_release(&facts, free);
	free(body);
	fuzz_calendar("releases.json", data, size);
	return 0;
}
