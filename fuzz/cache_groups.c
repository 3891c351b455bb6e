/*
 * Fuzz target: the model's groups file (mail/cache_groups.c), what an
 * update reads to group again only what new mail meets.  It is opened
 * for what its own header names (the fuzzer need not guess the records
 * and listing it goes with); every group, key and member it gives is
 * then looked at, and every key looked up: nothing it says may lead
 * out of the file.  Its groups are copied into a new file, as an
 * update copies those new mail did not touch (in runs), which must
 * open again with as many; and the records its members are said to be
 * are looked for where it says (in the file itself, whatever is
 * there): a place that holds none is said, never read past.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "mail/private.h"
#include "util/err.h"

static void found(size_t group, void *data)
{
	size_t *n = data;

	*n += group + 1;
}

static int member_cmp(const void *a, const void *b)
{
	const struct mail_member *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* The groups of gs copied to a new file: 0, or -1. */
static int copy(const struct mail_groups *gs)
{
	char *path = fuzz_write("groups-copy", "", 0);
	size_t n = mail_groups_count(gs);
	struct mail_groups_out *o = mail_groups_out_new(path, n);
	struct mail_groups *again = NULL;
	struct err err = ERR_INIT;
	uint64_t lsize = 0;
	int ret;

	for (size_t i = 0; i < n; i++) {
		const struct mail_group_ent *g = mail_groups_at(gs, i);

		/* The listing's lines end where the last of them does. */
		if (i < mail_groups_nseries(gs) + mail_groups_npulls(gs) &&
		    g->line_off + g->line_len > lsize)
			lsize = g->line_off + g->line_len;
		mail_groups_add_old(o, gs, i, g->line_off,
				    (uint32_t)g->line_len);
	}
	mail_groups_set_counts(o, mail_groups_nseries(gs),
			       mail_groups_npulls(gs), 0);
	ret = mail_groups_write(o, path, "fuzz", 1, 0, lsize, 0, NULL, &err);
	mail_groups_out_free(o);
	if (!ret) {
		ret = mail_groups_open(&again, path, NULL, 0, 0, 0) ||
			mail_groups_count(again) != n ? -1 : 0;
		mail_groups_close(again);
	}
	free(path);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("groups", data, size);
	struct mail_groups *gs = NULL;
	size_t sum = 0;

	if (!mail_groups_open(&gs, path, NULL, 0, 0, 0)) {
		struct mail_member want[64];
		size_t nwant = 0;
		struct mail_store *st = mail_store_new();
		struct vec_u32 at = { NULL, 0, 0 };

		for (size_t i = 0; i < mail_groups_count(gs); i++) {
			const struct mail_group_ent *g = mail_groups_at(gs, i);
			const uint64_t *keys = mail_groups_keys(gs, g);
			const uint64_t *ids = mail_groups_members(gs, g);
			const uint32_t *where = mail_groups_member_at(gs, g);

			for (uint32_t k = 0; k < g->nkeys && k < 64; k++)
				mail_groups_find(gs, keys[k], found, &sum);
			for (uint32_t k = 0; k < g->nmembers; k++) {
				sum += (ids[k] ^ where[k]) & 1;
				if (nwant < 64)
					want[nwant++] = (struct mail_member){
						ids[k], where[k] };
			}
		}
		if (copy(gs)) {
			fprintf(stderr, "fuzz: a groups file copied does "
				"not open again\n");
			abort();
		}
		qsort(want, nwant, sizeof(*want), member_cmp);
		sum += (size_t)mail_cache_read_at(path, want, nwant, st, &at);
		free(at.v);
		mail_store_free(st);
		mail_groups_close(gs);
	}
	free(path);
	return sum == (size_t)-1;
}
