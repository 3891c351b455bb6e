/*
 * Fuzz target: what patchwork's REST API sends (patchwork/sync.c) and
 * the cache it is kept in (patchwork/db.c).  The input is up to three
 * parts separated by NUL bytes: a page of the patch list, a page of
 * the event list (states, delegations, CI checks), and a cache file.
 * The cache is read first (a new one when it does not read); both
 * pages are applied to it, each also as the other list; then the cache
 * is written and read back, which must give it again: a cache vger
 * wrote that it cannot read would lose every state it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "patchwork/private.h"
#include "patchwork/pw.h"
#include "util/err.h"

static void apply(struct pw_db *db, enum pw_list which, const char *body)
{
	struct err err = ERR_INIT;
	char *newest = NULL;
	unsigned changed = 0;

	pw_apply_page(db, which, "fuzz", body, strlen(body), &newest,
		      &changed, &err);
	free(newest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[3], *buf, *path;
	size_t n = fuzz_split(data, size, parts, 3, &buf);
	struct pw_db *db = NULL, *again = NULL;
	struct err err = ERR_INIT;

	if (n == 3) {
		path = fuzz_write("cache", parts[2], strlen(parts[2]));
		if (pw_db_load(path, &db, &err) == 1)
			pw_db_find(db, "fuzz@example.org");
		free(path);
	}
	if (!db)
		db = pw_db_new("https://patchwork.example.org", "fuzz");
	apply(db, PW_LIST_PATCHES, parts[0]);
	if (n > 1) {
		apply(db, PW_LIST_EVENTS, parts[1]);
		apply(db, PW_LIST_EVENTS, parts[0]);
		apply(db, PW_LIST_PATCHES, parts[1]);
	}
	for (size_t i = 0; i < db->patches.n; i++) {
		const struct pw_patch *p = db->patches.items[i];

		pw_db_find(db, p->msgid);
	}

	path = fuzz_write("saved", "", 0);
	if (pw_db_save(db, path, &err) < 0) {
		fprintf(stderr, "patchwork: cannot save: %s\n", err.msg);
		abort();
	}
	if (pw_db_load(path, &again, &err) != 1) {
		fprintf(stderr, "patchwork: the cache written does not "
			"read: %s\n", err.msg);
		abort();
	}
	if (again->patches.n != db->patches.n) {
		fprintf(stderr, "patchwork: %zu patches written, %zu read\n",
			db->patches.n, again->patches.n);
		abort();
	}
	pw_db_free(again);
	pw_db_free(db);
	free(path);
	free(buf);
	return 0;
}
