/*
 * Fuzz target: what vger init and vger sync read from public-inbox and
 * lei (front/lore.h): the git-config text a public-inbox server
 * answers at URL/_/text/config/raw, `lei ls-search --format=json`, and
 * an inbox URL.  The input is split at its NULs into those three (and
 * the Maildir to look for in lei's searches).
 */
#include <stdlib.h>

#include "front/lore.h"
#include "fuzz/fuzz.h"
#include "util/err.h"
#include "util/sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct front_lei_search s;
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;
	char *parts[4], *buf;
	size_t n = fuzz_split(data, size, parts, 4, &buf);

	front_inbox_address(parts[0], &sb, &err);
	if (n > 1 && front_lei_search_find(parts[1], n > 3 ? parts[3] :
					   "/home/u/mail/lore/bpf", &s,
					   &err) == 1)
		front_lei_search_release(&s);
	if (n > 2 && !front_list_from_url(parts[2], &sb, &err) &&
	    front_list_name_ok(sb.buf)) {
		struct sbuf url = SBUF_INIT;

		front_lore_url(sb.buf, &url);	/* out is reset: not sb */
		sbuf_release(&url);
	}
	sbuf_release(&sb);
	free(buf);
	return 0;
}
