/*
 * GMime's process-wide setup (mail/gmime.h), and what every reader of
 * GMime's strings in mail/ does to them (mail/private.h).
 */
#include <gmime/gmime.h>

#include "mail/gmime.h"
#include "mail/private.h"
#include "util/sbuf.h"

void mail_gmime_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}

char *mail_valid_dup_nonempty(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	char *valid;

	if (!s)
		return NULL;
	valid = g_utf8_make_valid(s, -1);
	sbuf_addstr(&sb, valid);
	g_free(valid);
	sbuf_trim(&sb);
	if (!sb.len) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}
