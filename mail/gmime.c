/* GMime's process-wide setup (mail/gmime.h). */
#include <gmime/gmime.h>

#include "mail/gmime.h"

void mail_gmime_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}
