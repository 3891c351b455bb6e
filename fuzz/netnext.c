/*
 * Fuzz target: the net-next status page (calendar/parse.c), read on
 * its own and as the calendar reads its cache of it.
 */
#include <stdlib.h>

#include "calendar/private.h"
#include "fuzz/calendar.h"
#include "fuzz/fuzz.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = ERR_INIT;
	char *body = fuzz_cstr(data, size);

	cal_status_parse(body, size, &err);
	free(body);
	fuzz_calendar("net-next.html", data, size);
	return 0;
}
