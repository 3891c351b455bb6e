/*
 * Fuzz target: the model's groups file (mail/cache_groups.c), what an
 * update reads to group again only what new mail meets.  It is opened
 * for what its own header names (the fuzzer need not guess the records
 * and listing it goes with); every group, key and member it gives is
 * then looked at, and every key looked up: nothing it says may lead
 * out of the file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "mail/private.h"

static void found(size_t group, void *data)
{
	size_t *n = data;

	*n += group + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("groups", data, size);
	struct mail_groups *gs = NULL;
	size_t sum = 0;

	if (!mail_groups_open(&gs, path, NULL, 0, 0, 0)) {
		for (size_t i = 0; i < mail_groups_count(gs); i++) {
			const struct mail_group_ent *g = mail_groups_at(gs, i);
			const uint64_t *keys = mail_groups_keys(gs, g);
			const uint64_t *ids = mail_groups_members(gs, g);

			for (uint32_t k = 0; k < g->nkeys && k < 64; k++)
				mail_groups_find(gs, keys[k], found, &sum);
			for (uint32_t k = 0; k < g->nmembers; k++)
				sum += ids[k] & 1;
		}
		mail_groups_close(gs);
	}
	free(path);
	return sum == (size_t)-1;
}
