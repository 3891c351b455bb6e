/*
 * Files of mail as git format-patch writes them: one mail, perhaps
 * after an mbox "From " line, or several (--stdout, an mbox from lore),
 * each after its "From " line.  One reader for every such file vger
 * takes (vger send's patches, vger check's and vger cc's): it splits,
 * and leaves parsing to the caller, who may need the bytes as they are.
 */
#ifndef MAIL_MBOX_H
#define MAIL_MBOX_H

#include <stddef.h>

#include "util/sbuf.h"
#include "util/vec.h"

struct err;

struct mail_mbox_msg {
	size_t off, len;	/* in data, without the "From " line */
	unsigned line;		/* the line number of its first line */
	/*
	 * The commit of git format-patch's "From <40 hex> Mon Sep 17
	 * 00:00:00 2001" line before it, or NULL.
	 */
	char *commit;
};

struct mail_mbox {
	struct sbuf data;	/* the whole file, as read */
	struct vec msgs;	/* struct mail_mbox_msg *, in file order */
};

#define MAIL_MBOX_INIT { SBUF_INIT, VEC_INIT }

/*
 * Read the file at path (more than max bytes is ERR_NOMEM naming it)
 * and split it at its mbox "From " lines as git mailsplit finds them:
 * "From ", then anything, then a time and a year ("From <id> Mon Sep
 * 17 00:00:00 2001", "From mboxrd@z Thu Jan  1 00:00:00 1970").  A file
 * without one is one message; a file of blanks has none.  Release with
 * mail_mbox_release() either way.
 */
int mail_mbox_read(struct mail_mbox *out, const char *path, size_t max,
		   struct err *err);
void mail_mbox_release(struct mail_mbox *m);

#endif
