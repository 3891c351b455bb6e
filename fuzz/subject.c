/*
 * Fuzz target: the subject grammar (mail/subject.h) and what reads
 * subjects beside it: RFC 2047 decoding, normalising a title, the
 * canonical prefix written back, and net-next's [ANN] subjects
 * (mail/ann.h).  A subject is one header line of any mail on the list.
 */
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "mail/ann.h"
#include "mail/gmime.h"
#include "mail/subject.h"
#include "util/sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_subject s = MAIL_SUBJECT_INIT;
	struct sbuf prefix = SBUF_INIT;
	char *raw = fuzz_cstr(data, size);
	char *decoded, *unfolded, *norm;

	mail_gmime_init();	/* once; idempotent */
	decoded = mail_subject_decode(raw);
	unfolded = mail_subject_unfold(raw);
	mail_subject_parse(&s, decoded ? decoded : raw);
	if (!s.title)
		abort();	/* never NULL, says mail/subject.h */
	norm = mail_subject_normalize_title(s.title);
	mail_subject_format_prefix(&s, &prefix);
	mail_ann_parse_subject(decoded ? decoded : raw);
	mail_ann_parse_subject(raw);

	sbuf_release(&prefix);
	free(norm);
	mail_subject_release(&s);
	free(unfolded);
	free(decoded);
	free(raw);
	return 0;
}
