/* What the flows of front/ share and no front end calls. */
#ifndef FRONT_PRIVATE_H
#define FRONT_PRIVATE_H

#include "front/hooks.h"

/* Say one line through h->say, when it is set. */
void front_say(const struct front_hooks *h, enum front_say kind,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Ask through h->ask; FRONT_CANNOT_ASK when it is not set. */
int front_ask(const struct front_hooks *h, enum front_question q,
	      const char *question, const char *detail);
/* Tell h->progress, when it is set. */
void front_progress(const struct front_hooks *h,
		    const struct front_progress *p);

#endif
