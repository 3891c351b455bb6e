/*
 * Calendar days and business days.  A "day" is a count of days since
 * 1970-01-01 (negative before), in UTC; weekday() is 0 for Sunday.
 */
#ifndef UTIL_DATE_H
#define UTIL_DATE_H

#include <time.h>

long date_from_civil(int y, int m, int d);
void date_to_civil(long day, int *y, int *m, int *d);
int date_weekday(long day);
/* The UTC day of a timestamp. */
long date_of_time(time_t t);
/* Parse exactly "YYYY-MM-DD" (a real date) into *day. */
int date_parse_ymd(const char *s, long *day);
/* "YYYY-MM-DD" into out (at least 11 bytes). */
void date_format_ymd(long day, char *out, size_t size);
/* "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out (at least 21 bytes). */
void date_format_iso(time_t t, char *out, size_t size);
/*
 * Business days (Monday to Friday) that have passed from the day of
 * `from` to the day of `to`: the days in (from, to] that are weekdays.
 * 0 when to is not after from.
 */
long date_business_days(time_t from, time_t to);

#endif
