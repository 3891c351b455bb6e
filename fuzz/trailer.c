/*
 * Fuzz target: what a body says (mail/trailer.h): review trailers,
 * pw-bot commands, patchwork-bot notices and pull requests, and what
 * the model decides from them (mail/classify.h).  The first line of the
 * input is the subject the pull-request reader is given; the rest is
 * the body.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "mail/classify.h"
#include "mail/gmime.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *nl = strchr(text, '\n');
	char *subject = xstrndup(text, nl ? (size_t)(nl - text) : strlen(text));
	const char *body = nl ? nl + 1 : "";
	struct mail_subject s = MAIL_SUBJECT_INIT;
	struct mail_body b = MAIL_BODY_INIT;
	struct mail_botnotice n;
	struct mail_pull p;
	const char *line = body;

	mail_gmime_init();	/* once; idempotent */

	mail_subject_parse(&s, subject);
	mail_body_scan(&b, body);
	mail_classify(NULL, &s, &b);
	mail_classify("patchwork-bot+netdevbpf@kernel.org", &s, &b);
	mail_what_name(mail_classify_facts(NULL, &s, mail_body_facts(&b)));
	if (b.pwbot_word)
		mail_pwbot_name(mail_pwbot_parse_word(b.pwbot_word));
	/* Every line as a trailer line on its own, as respin reads them. */
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *one = xstrndup(line, len);
		struct mail_trailer *t = xcalloc(1, sizeof(*t));

		if (!mail_trailer_parse_line(t, one)) {
			mail_trailer_kind_name(t->kind);
			mail_trailer_is_review(t->kind);
			mail_trailer_kind_key(t->kind);
		}
		mail_trailer_free(t);	/* the struct and what it holds */
		free(one);
		line += len + (end != NULL);
	}
	if (!mail_botnotice_parse(&n, body))
		free(mail_botnotice_applied_to(&n));
	mail_botnotice_release(&n);	/* empty when it is no notice */
	mail_pull_parse(&p, subject, body);
	mail_pull_release(&p);

	mail_body_release(&b);
	mail_subject_release(&s);
	free(subject);
	free(text);
	return 0;
}
