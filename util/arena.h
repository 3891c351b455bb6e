/*
 * A bump allocator: many small objects and strings that live and die
 * together (the records and the model of mail/), freed at once.
 *
 * GLib's GStringChunk does this for strings only, and util/ is libc
 * only; this holds objects too.  Memory is never returned one object
 * at a time: arena_release() frees it all.
 */
#ifndef UTIL_ARENA_H
#define UTIL_ARENA_H

#include <stdalign.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* the block being filled */
	char *next, *end;		/* free space in head */
	size_t used;			/* bytes handed out, for stats */
};

#define ARENA_INIT { NULL, NULL, NULL, 0 }

/* n zeroed bytes, aligned for any object. */
void *arena_alloc(struct arena *a, size_t n);
/*
 * n zeroed bytes aligned to align (a power of two, at most any
 * object's): objects of a type are packed at their own alignment, not
 * every one at 16 bytes (a million 40-byte records would take 48).
 */
void *arena_alloc_align(struct arena *a, size_t n, size_t align);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* arena_strdup(s), or NULL for NULL. */
char *arena_strdup_or_null(struct arena *a, const char *s);
/* Take every block of from into a; from is left empty. */
void arena_merge(struct arena *a, struct arena *from);
void arena_release(struct arena *a);

#define ARENA_NEW(a, type) \
	((type *)arena_alloc_align((a), sizeof(type), alignof(type)))

#endif
