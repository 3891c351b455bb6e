/* Shared inside patchwork/ only: the cache's patches. */
#ifndef PATCHWORK_PRIVATE_H
#define PATCHWORK_PRIVATE_H

#include <stddef.h>
#include <time.h>

#include "patchwork/pw.h"

struct err;
struct sbuf;

/* A patch new in db (msgid without brackets; strings copied). */
struct pw_patch *pw_db_add(struct pw_db *db, long id, const char *msgid);
/* The patch with this id and msgid (brackets or not), or NULL. */
struct pw_patch *pw_db_get(struct pw_db *db, long id, const char *msgid);
/* Set *field to a copy of s (NULL clears); whether it changed. */
int pw_set_str(char **field, const char *s);
/* Put check on p: it takes the place of an older one of its context. */
int pw_patch_set_check(struct pw_patch *p, long id,
		       enum pw_check_state state, const char *context,
		       const char *url);

#endif
