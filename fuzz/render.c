/*
 * Fuzz target: the TUI's message renderer (mail/render.h): MIME parts
 * to display lines with kinds, every string sanitised.  Beyond not
 * crashing, it checks the renderer's promise: no control, bidi control
 * or invalid UTF-8 in any header, line or attachment name it gives the
 * painter, and no line longer than MAIL_RENDER_LINE_MAX.  The input is
 * a raw message, then rendered again as plain text (a text part).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "mail/gmime.h"
#include "mail/render.h"
#include "util/err.h"

static void check(const struct mail_render *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		const struct mail_header *h = &r->headers[i];

		fuzz_assert_sanitized("header name", h->name, strlen(h->name));
		fuzz_assert_sanitized("header value", h->value,
				      strlen(h->value));
	}
	for (size_t i = 0; i < r->nlines; i++) {
		const struct mail_line *l = &r->lines[i];

		if (l->len > MAIL_RENDER_LINE_MAX || l->prefix_len > l->len ||
		    l->kind >= MAIL_LINE_KIND_MAX ||
		    memchr(l->text, '\n', l->len)) {
			fprintf(stderr, "fuzz: line %zu: len %zu, prefix %u, "
				"kind %d\n", i, l->len, l->prefix_len,
				(int)l->kind);
			abort();
		}
		fuzz_assert_sanitized("line", l->text, l->len);
		mail_line_kind_name(l->kind);
	}
	for (size_t i = 0; i < r->nattachments; i++) {
		const struct mail_attachment *a = &r->attachments[i];

		if (a->filename)
			fuzz_assert_sanitized("attachment name", a->filename,
					      strlen(a->filename));
		fuzz_assert_sanitized("attachment type", a->type,
				      strlen(a->type));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_render r = MAIL_RENDER_INIT;
	struct err err = ERR_INIT;

	mail_gmime_init();	/* once; idempotent */

	if (!mail_render_parse(&r, (const char *)data, size, "fuzz", &err)) {
		check(&r);
		mail_render_header(&r, "Subject");
	}
	mail_render_release(&r);
	r = (struct mail_render)MAIL_RENDER_INIT;
	mail_render_add_text(&r, (const char *)data, size);
	check(&r);
	mail_render_release(&r);
	return 0;
}
