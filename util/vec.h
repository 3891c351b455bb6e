/* A growing array of pointers. */
#ifndef UTIL_VEC_H
#define UTIL_VEC_H

#include <stddef.h>
#include <stdint.h>

struct vec {
	void **items;
	size_t n;
	size_t alloc;
};

#define VEC_INIT { NULL, 0, 0 }

void vec_init(struct vec *v);
void vec_push(struct vec *v, void *item);
void *vec_pop(struct vec *v);
/* Free every item with free_item (when not NULL), then the array. */
void vec_release(struct vec *v, void (*free_item)(void *));
void vec_sort(struct vec *v, int (*cmp)(const void *, const void *));
/* Index of the first item equal to item (by pointer), or -1. */
long vec_find(const struct vec *v, const void *item);

/* A vector of owned strings. */
void vec_push_str(struct vec *v, const char *s);
/* Index of a string equal to s, or -1. */
long vec_find_str(const struct vec *v, const char *s);
/* Index of a string equal to s ignoring ASCII case, or -1. */
long vec_find_strcase(const struct vec *v, const char *s);
/* Push a copy of s unless an equal string (ignoring case) is there. */
int vec_push_str_unique(struct vec *v, const char *s);
void vec_release_str(struct vec *v);

/* A growing array of 32-bit numbers. */
struct vec_u32 {
	uint32_t *v;
	size_t n, alloc;
};

void vec_u32_push(struct vec_u32 *v, uint32_t x);

/* qsort() and bsearch() orders of plain numbers, ascending. */
int u32_cmp(const void *a, const void *b);
int u64_cmp(const void *a, const void *b);

#endif
