#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static void (*bug_hook)(void);

int err_setv(struct err *e, enum err_code code, const char *fmt, va_list ap)
{
	if (e) {
		e->code = code;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	}
	return -(int)code;
}

int err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = err_setv(e, code, fmt, ap);
	va_end(ap);
	return ret;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char head[256], both[sizeof(head) + sizeof(e->msg) + 8];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	snprintf(both, sizeof(both), "%s: %s", head, e->msg);
	/* The message is bounded; a long one is cut, never overflowed. */
	snprintf(e->msg, sizeof(e->msg), "%.*s", (int)sizeof(e->msg) - 1,
		 both);
	return -(int)e->code;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = ERR_OK;
		e->msg[0] = '\0';
	}
}

const char *err_code_name(enum err_code code)
{
#define ERR_TEXT(name, text) text,
	static const char *const names[] = { ERR_CODES(ERR_TEXT) };
#undef ERR_TEXT
	if ((unsigned)code >= ERR_MAX)
		return "unknown error";
	return names[code];
}

void err_set_bug_hook(void (*hook)(void))
{
	bug_hook = hook;
}

void err_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (bug_hook)
		bug_hook();
	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
