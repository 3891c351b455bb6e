/* The front ends' "now", one clock for ages, waits and the calendar. */
#ifndef FRONT_CLOCK_H
#define FRONT_CLOCK_H

#include <time.h>

/*
 * $VGER_NOW (seconds since the epoch, or YYYY-MM-DD meaning noon UTC
 * that day) when set, so tests and demos see a fixed day; else the
 * clock.
 */
time_t front_now(void);

#endif
