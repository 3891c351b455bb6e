/*
 * Fuzz target: the model's records cache (mail/cache_records.c), a
 * file in the user's cache directory that anything may have cut short
 * or scribbled on.  Read as mail_model_load() reads it: the records,
 * later segments replacing earlier ones, then grouped into a model.
 */
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "mail/gmime.h"
#include "mail/model.h"
#include "mail/private.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_model *m = mail_model_new();
	struct mail_cache_records cr;
	struct err err = ERR_INIT;
	char *path = fuzz_write("records", data, size);

	mail_gmime_init();	/* once; idempotent */

	if (!mail_cache_read_records(path, m->store, &cr, &err)) {
		GHashTable *by_id = mail_rec_table_new();

		mail_rec_dedup(&m->store->recs, by_id);
		mail_group(&m->store->recs, by_id, NULL, m, NULL);
		g_hash_table_destroy(by_id);
	}
	free(cr.uuid);
	mail_model_free(m);
	free(path);
	return 0;
}
