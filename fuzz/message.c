/*
 * Fuzz target: a whole raw message as the series model reads it: the
 * light header scanner the model uses for plain messages and the GMime
 * path (mail/message.h), then the subject, the body's trailers and
 * notices, the pull request and the classification the model makes of
 * it (mail/classify.h), and net-next's [ANN] subjects (mail/ann.h).
 */
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "mail/ann.h"
#include "mail/classify.h"
#include "mail/gmime.h"
#include "mail/message.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/err.h"

static void classify(const struct mail_message *m)
{
	struct mail_subject s = MAIL_SUBJECT_INIT;
	struct mail_body b = MAIL_BODY_INIT;
	struct mail_botnotice n;
	struct mail_pull p;
	const char *body = m->body ? m->body : "";

	mail_subject_parse(&s, m->subject ? m->subject : "");
	mail_body_scan(&b, body);
	mail_classify(m->from_email, &s, &b);
	mail_botnotice_parse(&n, body);
	mail_botnotice_release(&n);	/* empty when it is no notice */
	mail_pull_parse(&p, m->subject ? m->subject : "", body);
	mail_pull_release(&p);
	if (m->subject)
		mail_ann_parse_subject(m->subject);
	mail_body_release(&b);
	mail_subject_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_message m, light;
	struct err err = ERR_INIT;
	char *path = fuzz_write("message", data, size);

	mail_gmime_init();	/* once; idempotent */

	if (!mail_message_parse(&m, (const char *)data, size, "fuzz", &err))
		classify(&m);
	mail_message_release(&m);
	if (!mail_message_load_light(&light, path, &err))
		classify(&light);
	mail_message_release(&light);
	free(path);
	return 0;
}
