#include <stdarg.h>

#include "front/hooks.h"
#include "front/private.h"
#include "util/sbuf.h"

void front_say(const struct front_hooks *h, enum front_say kind,
	       const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	if (!h->say)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	h->say(h->data, kind, sb.buf);
	sbuf_release(&sb);
}

int front_ask(const struct front_hooks *h, enum front_question q,
	      const char *question, const char *detail)
{
	if (!h->ask)
		return FRONT_CANNOT_ASK;
	return h->ask(h->data, q, question, detail);
}

void front_progress(const struct front_hooks *h,
		    const struct front_progress *p)
{
	if (h->progress)
		h->progress(h->data, p);
}
