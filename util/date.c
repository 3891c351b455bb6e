#include <stdio.h>
#include <string.h>

#include "util/date.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
long date_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_civil(long day, int *y, int *m, int *d)
{
	long z = day + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int date_weekday(long day)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = (day + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

long date_of_time(time_t t)
{
	long long s = (long long)t;

	return (long)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

int date_parse_ymd(const char *s, long *day)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int y, m, d, yy, mm, dd;
	char tail;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	*day = date_from_civil(y, m, d);
	date_to_civil(*day, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)	/* 29 February, not a leap year */
		return -1;
	return 0;
}

void date_format_ymd(long day, char *out, size_t size)
{
	int y, m, d;

	date_to_civil(day, &y, &m, &d);
	snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

void date_format_iso(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

long date_business_days(time_t from, time_t to)
{
	long a = date_of_time(from), b = date_of_time(to);
	long n = 0, weeks;

	if (b <= a)
		return 0;
	/* Whole weeks hold five business days each. */
	weeks = (b - a) / 7;
	n = weeks * 5;
	for (long d = a + weeks * 7 + 1; d <= b; d++) {
		int w = date_weekday(d);

		n += w != 0 && w != 6;
	}
	return n;
}
