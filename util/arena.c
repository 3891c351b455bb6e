#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/arena.h"
#include "util/xmalloc.h"

/* Blocks double from the first size to the last, which is mapped. */
#define BLOCK_FIRST ((size_t)64 << 10)
#define BLOCK_LAST ((size_t)2 << 20)
#define ALIGN alignof(max_align_t)

struct arena_block {
	struct arena_block *next;
	size_t size;		/* of data */
	int mapped;		/* by mmap(), else by calloc() */
	alignas(max_align_t) char data[];
};

/*
 * The big blocks come straight from mmap(), 2 MiB aligned, with
 * transparent huge pages asked for: a model of 200,000 messages takes
 * a few hundred MiB, and a page fault per 4 KiB of it was a tenth of
 * an update's time.  Fresh mappings are zeroed by the kernel.
 */
static struct arena_block *block_map(size_t size)
{
	size_t total = size + offsetof(struct arena_block, data);
	char *p, *start;
	size_t lead;

	p = mmap(NULL, total + BLOCK_LAST, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	start = (char *)(((uintptr_t)p + BLOCK_LAST - 1) & ~(BLOCK_LAST - 1));
	lead = (size_t)(start - p);
	if (lead)
		munmap(p, lead);
	munmap(start + total, BLOCK_LAST - lead);
#ifdef MADV_HUGEPAGE
	madvise(start, total, MADV_HUGEPAGE);
#endif
	return (struct arena_block *)start;
}

static void *block_new(struct arena *a, size_t n)
{
	struct arena_block *b = NULL;
	size_t size = a->head ? a->head->size * 2 : BLOCK_FIRST;

	if (size > BLOCK_LAST)
		size = BLOCK_LAST;
	if (n > size / 4) {
		/* Big: its own block, behind the one being filled. */
		b = n >= BLOCK_LAST ? block_map(n) : NULL;
		if (b)
			b->mapped = 1;
		else
			b = xcalloc(1, sizeof(*b) + n);
		b->size = n;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = NULL;
			a->head = b;
			a->next = a->end = b->data + n;
		}
		return b->data;
	}
	if (size == BLOCK_LAST)
		b = block_map(size);
	if (b) {
		b->mapped = 1;
	} else {
		b = xcalloc(1, sizeof(*b) + size);
	}
	b->size = size;
	b->next = a->head;
	a->head = b;
	a->next = b->data + n;
	a->end = b->data + size;
	return b->data;
}

void *arena_alloc_align(struct arena *a, size_t n, size_t align)
{
	size_t want = (n + align - 1) & ~(align - 1);
	uintptr_t at = ((uintptr_t)a->next + align - 1) &
		~(uintptr_t)(align - 1);

	if (!want)
		want = align;
	a->used += want;
	/* Blocks start at any object's alignment (ALIGN). */
	if (!a->head || at > (uintptr_t)a->end ||
	    (uintptr_t)a->end - at < want)
		return block_new(a, want);
	a->next = (char *)at + want;
	/* Blocks start zeroed and are never reused. */
	return (void *)at;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return arena_alloc_align(a, n, ALIGN);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	/* Strings need no alignment: take them from the end of the gap. */
	if ((size_t)(a->end - a->next) > n) {
		a->end -= n + 1;
		a->used += n + 1;
		p = a->end;
	} else {
		p = arena_alloc(a, n + 1);
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_strdup_or_null(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

void arena_merge(struct arena *a, struct arena *from)
{
	struct arena_block *last;

	if (!from->head)
		return;
	if (!a->head) {
		*a = *from;
	} else {
		/* from's blocks go behind a's current one. */
		for (last = from->head; last->next; last = last->next)
			;
		last->next = a->head->next;
		a->head->next = from->head;
		a->used += from->used;
	}
	memset(from, 0, sizeof(*from));
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		if (b->mapped)
			munmap(b, b->size + offsetof(struct arena_block, data));
		else
			free(b);
		b = next;
	}
	memset(a, 0, sizeof(*a));
}
