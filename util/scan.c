#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/sbuf.h"
#include "util/scan.h"

int scan_skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
	return 0;
}

int scan_expect(const char **p, char c)
{
	if (**p != c || !c)
		return -1;
	(*p)++;
	return 0;
}

int scan_literal(const char **p, const char *s, int icase)
{
	size_t n = strlen(s);

	if (icase ? strncasecmp(*p, s, n) : strncmp(*p, s, n))
		return -1;
	*p += n;
	return 0;
}

int scan_char(const char **p, char *out)
{
	if (!**p || **p == '\n')
		return -1;
	*out = *(*p)++;
	return 0;
}

int scan_uint(const char **p, unsigned long *out, int max_digits)
{
	const char *s = *p;
	unsigned long v = 0;
	int n = 0;

	while (isdigit((unsigned char)*s) && n < max_digits) {
		v = v * 10 + (unsigned long)(*s - '0');
		s++;
		n++;
	}
	if (!n || isdigit((unsigned char)*s))
		return -1;
	*out = v;
	*p = s;
	return 0;
}

int scan_until_eol(const char **p, struct sbuf *out, size_t max)
{
	size_t n = str_line_len(*p);

	if (n > max)
		return -1;
	sbuf_reset(out);
	sbuf_add(out, *p, n);
	*p += n;
	if (**p == '\n')
		(*p)++;
	return 0;
}

int scan_until_any(const char **p, const char *stop, struct sbuf *out,
		   size_t max)
{
	size_t n = strcspn(*p, stop);

	if (!n || n > max)
		return -1;
	sbuf_reset(out);
	sbuf_add(out, *p, n);
	*p += n;
	return 0;
}

int scan_next_line(const char **p)
{
	*p += str_line_len(*p);
	if (**p == '\n')
		(*p)++;
	return 0;
}

int str_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int str_starts_with_icase(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

int str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int str_to_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

size_t str_line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (size_t)(nl - s) : strlen(s);
}

int str_is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}
