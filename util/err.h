/* Errors: a negative int, plus an optional message. */
#ifndef UTIL_ERR_H
#define UTIL_ERR_H

#include <stdarg.h>

#define ERR_CODES(X) \
	X(OK, "success") \
	X(NOMEM, "out of memory or over a size limit") \
	X(IO, "input/output error") \
	X(PARSE, "parse error") \
	X(NOTFOUND, "not found") \
	X(NOTMUCH, "notmuch error") \
	X(GIT, "git error") \
	X(HTTP, "network error") \
	X(USAGE, "usage error") \
	X(STATE, "refused in this state")

#define ERR_ENUM(name, text) ERR_##name,
enum err_code { ERR_CODES(ERR_ENUM) ERR_MAX };
#undef ERR_ENUM

struct err {
	enum err_code code;
	char msg[256];
};

#define ERR_INIT { ERR_OK, "" }

/*
 * Fill *e (when e is not NULL) with code and the formatted message and
 * return -code, so callers can write `return err_set(err, ...)`.
 */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int err_setv(struct err *e, enum err_code code, const char *fmt, va_list ap);
/* Prefix an already-set message with "what: ". Returns -e->code. */
int err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
const char *err_code_name(enum err_code code);

/*
 * A broken invariant: print file:line and the message, run the hook
 * (the TUI restores the terminal there), abort.
 */
#define BUG(...) err_bug(__FILE__, __LINE__, __VA_ARGS__)
void err_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
void err_set_bug_hook(void (*hook)(void));

#endif
