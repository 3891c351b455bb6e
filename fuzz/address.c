/*
 * Fuzz target: the address parser and comparer (mail/address.h), on
 * what From:, To:, Cc: and trailers hold.  The input is split at its
 * first NUL: an address list, and an address to look for in it.
 */
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "mail/address.h"
#include "mail/gmime.h"
#include "util/err.h"
#include "util/vec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_address a = MAIL_ADDRESS_INIT;
	struct err err = ERR_INIT;
	struct vec list = VEC_INIT;
	char *parts[2], *buf, *spec;
	const char *text, *addr;
	size_t n = fuzz_split(data, size, parts, 2, &buf);

	mail_gmime_init();	/* once; idempotent */

	text = parts[0];
	addr = n > 1 ? parts[1] : parts[0];
	mail_address_parse(&a, text);
	mail_address_release(&a);
	spec = mail_address_spec(text);
	free(spec);
	mail_address_same(text, addr);
	mail_address_list_has(text, addr);
	if (!mail_address_parse_list(text, &list, &err))
		mail_address_find(&list, addr);
	vec_release_str(&list);
	free(buf);
	return 0;
}
