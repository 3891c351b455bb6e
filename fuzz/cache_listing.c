/*
 * Fuzz target: the model's listing cache (mail/cache_listing.c): the
 * series and pulls, one JSON object a line, that `vger series` and the
 * TUI show before the database is read, and the patch an update
 * writes beside it (the input's part after a NUL byte, when it has
 * one).  The listing is read for the database and revision the header
 * of its patch, or its own, names (the fuzzer need not guess them),
 * whole and with a limit; what loads is written again and must read
 * back the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "mail/gmime.h"
#include "mail/index.h"
#include "mail/model.h"
#include "mail/private.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char uuid[128] = "", stamp[MAIL_INDEX_STAMP_LEN + 1];
	char *parts[2], *buf;
	size_t nparts = fuzz_split(data, size, parts, 2, &buf);
	char *path = fuzz_write("listing", parts[0], strlen(parts[0]));
	char *patch = NULL;
	unsigned long rev = 0;
	struct err err = ERR_INIT;

	mail_gmime_init();	/* once; idempotent */

	sscanf(parts[0], "vger-series %*d %127s %lu", uuid, &rev);
	if (nparts == 2) {
		patch = fuzz_write("listing.patch", parts[1],
				   strlen(parts[1]));
		sscanf(parts[1], "vger-patch %*d %*s %lu", &rev);
	} else {
		mail_cache_listing_drop_patch(path);
	}
	for (size_t limit = 0; limit < 2; limit++) {
		struct mail_model *m = mail_model_new();

		if (!mail_cache_read_model(path, uuid, rev, limit, 0, m,
					   stamp, &err) && !limit) {
			char *again = fuzz_write("again", "", 0);
			struct mail_model *m2 = mail_model_new();

			mail_cache_listing_current(path, uuid, rev, stamp);
			m->revision = rev;
			if (mail_cache_write_model(again, uuid, stamp, m, NULL, &err) ||
			    mail_cache_read_model(again, uuid, rev, 0, 0, m2,
						  stamp, &err) ||
			    m2->series.n != m->series.n ||
			    m2->pulls.n != m->pulls.n) {
				fprintf(stderr, "fuzz: a listing written does "
					"not read back: %s\n", err.msg);
				abort();
			}
			mail_model_free(m2);
			free(again);
		}
		mail_model_free(m);
	}
	free(path);
	free(patch);
	free(buf);
	return 0;
}
