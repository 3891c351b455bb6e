/*
 * A small string-keyed hash map with owned keys and borrowed values,
 * open addressing: the MAINTAINERS index, the .mailmap and a lookup's
 * sets.  Hand-written because the port links no GLib (PCRE2, libgit2
 * and util/ only), and these maps hold strings for one lookup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maint/private.h"
#include "util/xmalloc.h"

static uint64_t map_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct maint_map_slot *map_find(const struct maint_map *m,
				       const char *key, size_t len)
{
	size_t i;

	if (!m->alloc)
		return NULL;
	i = map_hash(key, len) & (m->alloc - 1);
	while (m->slots[i].key) {
		if (!strncmp(m->slots[i].key, key, len) &&
		    !m->slots[i].key[len])
			return &m->slots[i];
		i = (i + 1) & (m->alloc - 1);
	}
	return NULL;
}

void *maint_map_get_n(const struct maint_map *m, const char *key, size_t len)
{
	struct maint_map_slot *s = map_find(m, key, len);

	return s ? s->val : NULL;
}

void *maint_map_get(const struct maint_map *m, const char *key)
{
	return maint_map_get_n(m, key, strlen(key));
}

int maint_map_has(const struct maint_map *m, const char *key)
{
	return map_find(m, key, strlen(key)) != NULL;
}

static void map_grow(struct maint_map *m)
{
	struct maint_map old = *m;

	m->alloc = old.alloc ? old.alloc * 2 : 64;
	m->slots = xcalloc(m->alloc, sizeof(*m->slots));
	m->n = 0;
	for (size_t i = 0; i < old.alloc; i++) {
		size_t j;

		if (!old.slots[i].key)
			continue;
		j = map_hash(old.slots[i].key, strlen(old.slots[i].key)) &
		    (m->alloc - 1);
		while (m->slots[j].key)
			j = (j + 1) & (m->alloc - 1);
		m->slots[j] = old.slots[i];
		m->n++;
	}
	free(old.slots);
}

void **maint_map_put(struct maint_map *m, const char *key, void *val)
{
	struct maint_map_slot *s = map_find(m, key, strlen(key));
	size_t i;

	if (s) {
		s->val = val;
		return &s->val;
	}
	if ((m->n + 1) * 2 > m->alloc)
		map_grow(m);
	i = map_hash(key, strlen(key)) & (m->alloc - 1);
	while (m->slots[i].key)
		i = (i + 1) & (m->alloc - 1);
	m->slots[i].key = xstrdup(key);
	m->slots[i].val = val;
	m->n++;
	return &m->slots[i].val;
}

void maint_map_release(struct maint_map *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->alloc; i++) {
		if (!m->slots[i].key)
			continue;
		free(m->slots[i].key);
		if (free_val)
			free_val(m->slots[i].val);
	}
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
