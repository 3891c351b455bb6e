/*
 * A message delivered into a maildir: the Fcc copy of a sent message,
 * a draft.
 */
#ifndef MAIL_MAILDIR_H
#define MAIL_MAILDIR_H

#include <stddef.h>

struct err;

/*
 * Deliver len bytes of data into the maildir dir (made, with cur/,
 * new/ and tmp/, when missing): written to tmp/, synced, renamed into
 * new/.  *out_path (may be NULL) gets the file's path; the caller frees.
 */
int mail_maildir_deliver(const char *dir, const char *data, size_t len,
			 char **out_path, struct err *err);
/*
 * The same, delivered into cur/ with the maildir flags given ("S" for
 * seen, "DS" for a draft), as a mail client files what it wrote; NULL
 * flags: into new/.
 */
int mail_maildir_deliver_flags(const char *dir, const char *data,
			       size_t len, const char *flags, char **out_path,
			       struct err *err);

#endif
