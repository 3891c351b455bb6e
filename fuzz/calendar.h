/*
 * The part the calendar targets share: the calendar opened offline on
 * a cache directory that holds the fuzzed document (as vger opens it
 * from the cache of an earlier fetch), then asked about some days.
 */
#ifndef FUZZ_CALENDAR_H
#define FUZZ_CALENDAR_H

#include <stddef.h>

/* name: "releases.json" or "net-next.html" in the cache directory. */
void fuzz_calendar(const char *name, const void *data, size_t size);

#endif
