/*
 * GMime's process-wide setup, shared by every part of vger that reads
 * or writes mail with GMime (messages, subjects, trailers, sending,
 * patch files).
 */
#ifndef MAIL_GMIME_H
#define MAIL_GMIME_H

#include <stddef.h>

#include <gmime/gmime.h>

/* GMime's global init, once per process (idempotent, thread-safe). */
void mail_gmime_init(void);
/*
 * One message from len bytes of data (not copied: data outlives the
 * message), or NULL when GMime reads none; g_object_unref() it.
 */
GMimeMessage *mail_gmime_parse(const char *data, size_t len);
/* The same from a stream (a file's: GMime reads parts when asked). */
GMimeMessage *mail_gmime_parse_stream(GMimeStream *stream);

#endif
