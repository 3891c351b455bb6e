#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/vec.h"
#include "util/xmalloc.h"

void vec_init(struct vec *v)
{
	v->items = NULL;
	v->n = 0;
	v->alloc = 0;
}

void vec_push(struct vec *v, void *item)
{
	ALLOC_GROW(v->items, v->n + 1, v->alloc);
	v->items[v->n++] = item;
}

void *vec_pop(struct vec *v)
{
	return v->n ? v->items[--v->n] : NULL;
}

void vec_release(struct vec *v, void (*free_item)(void *))
{
	if (free_item)
		for (size_t i = 0; i < v->n; i++)
			free_item(v->items[i]);
	free(v->items);
	vec_init(v);
}

void vec_sort(struct vec *v, int (*cmp)(const void *, const void *))
{
	if (v->n > 1)
		qsort(v->items, v->n, sizeof(*v->items), cmp);
}

long vec_find(const struct vec *v, const void *item)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i] == item)
			return (long)i;
	return -1;
}

void vec_push_str(struct vec *v, const char *s)
{
	vec_push(v, xstrdup(s));
}

long vec_find_str(const struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->items[i], s))
			return (long)i;
	return -1;
}

long vec_find_strcase(const struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcasecmp(v->items[i], s))
			return (long)i;
	return -1;
}

int vec_push_str_unique(struct vec *v, const char *s)
{
	if (vec_find_strcase(v, s) >= 0)
		return 0;
	vec_push_str(v, s);
	return 1;
}

void vec_release_str(struct vec *v)
{
	vec_release(v, free);
}

void vec_u32_push(struct vec_u32 *v, uint32_t x)
{
	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	v->v[v->n++] = x;
}

int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}
