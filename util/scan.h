/*
 * Bounded parsers for outside input.  Each takes a cursor (const char **p),
 * returns 0 and advances it on success, or returns -1 and leaves it where
 * it was, so calls chain with ||.  Strings end at NUL.
 */
#ifndef UTIL_SCAN_H
#define UTIL_SCAN_H

#include <stddef.h>

struct sbuf;

/* Skip spaces and tabs (never fails). */
int scan_skip_ws(const char **p);
/* Expect the character c. */
int scan_expect(const char **p, char c);
/* Expect the literal s, compared ignoring ASCII case when icase. */
int scan_literal(const char **p, const char *s, int icase);
/* Read one character that is not NUL or newline. */
int scan_char(const char **p, char *out);
/* Read an unsigned decimal number of at most max_digits digits. */
int scan_uint(const char **p, unsigned long *out, int max_digits);
/*
 * Copy up to the end of the line (not the newline) into out, which is
 * reset first; fail when the line is longer than max.  The cursor ends
 * after the newline.
 */
int scan_until_eol(const char **p, struct sbuf *out, size_t max);
/* Copy a run of characters not in stop (and not NUL), 1..max bytes long. */
int scan_until_any(const char **p, const char *stop, struct sbuf *out,
		   size_t max);
/* Skip to the start of the next line (never fails; stops at NUL). */
int scan_next_line(const char **p);

/* Helpers on plain strings. */
int str_starts_with(const char *s, const char *prefix);
int str_starts_with_icase(const char *s, const char *prefix);
int str_ends_with(const char *s, const char *suffix);
/* strtol with an end check: the whole string must be a number. */
int str_to_long(const char *s, long *out);
/* Whether s[0..n) is lowercase hex digits only (an object id, a hash). */
int str_is_hex(const char *s, size_t n);
/* Length of the line starting at s, without the newline. */
size_t str_line_len(const char *s);

#endif
