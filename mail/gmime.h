/*
 * GMime's process-wide setup, shared by every part of vger that reads
 * or writes mail with GMime (messages, subjects, trailers, sending,
 * patch files).
 */
#ifndef MAIL_GMIME_H
#define MAIL_GMIME_H

/* GMime's global init, once per process (idempotent, thread-safe). */
void mail_gmime_init(void);

#endif
