/*
 * The record of a series' sending: which of its messages a server
 * accepted (or may have), kept in a file, so that a series cut off half
 * way is resumed without sending anything twice.
 */
#ifndef MAIL_SEND_RECORD_H
#define MAIL_SEND_RECORD_H

#include <time.h>

#include "mail/send.h"

struct err;

/*
 * The record of a series' sending, in dir (made when missing): the
 * file name for s->key; the caller frees.
 */
char *mail_send_record_path(const char *dir, const struct mail_send_series *s);
/*
 * Read the record at path into s (a missing file is an empty record):
 * each message's status, when it was sent and its Message-Id.  A file
 * that changed since it was sent (or may have been) is ERR_STATE,
 * naming it; a record that does not parse, or that was emptied or cut
 * short (no key line: a full disk), is ERR_PARSE naming it.
 */
int mail_send_record_load(struct mail_send_series *s, const char *path,
			  struct err *err);
/*
 * The same for a record found by mail_send_record_find(), kept under
 * the key the series had where it was (another directory).
 */
int mail_send_record_load_moved(struct mail_send_series *s, const char *path,
				struct err *err);
/*
 * The record in dir of the series s by its content rather than its
 * key: the one (not skip) that says most of s's files went out, or may
 * have (same bytes, same hash), wherever they were then.  1 with
 * *found (the caller frees), or 0 when none does.
 */
int mail_send_record_find(const char *dir, const struct mail_send_series *s,
			  const char *skip, char **found);
/*
 * Write the record of s to path atomically: every message's status and
 * Message-Id (assigned ones too, so a resumed run threads to the same
 * first message), and the entries of files no longer in s.
 */
int mail_send_record_save(const struct mail_send_series *s, const char *path,
			  struct err *err);
/*
 * Hold the record at path for this process (a lock on path.lock, made
 * with its directory when missing): two runs sending one series at
 * once would both read the record before either wrote it.  ERR_STATE
 * when another process holds it.  *fd is the lock; close it, or exit,
 * to let go.
 */
int mail_send_record_lock(const char *path, int *fd, struct err *err);
/* Set message i's status (now its sent_at when SENT or UNSURE). */
void mail_send_set_status(struct mail_send_series *s, size_t i,
			  enum mail_send_status status, time_t now);

#endif
