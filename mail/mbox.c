/*
 * git format-patch files and mboxes, split into messages (mail/mbox.h).
 * GMime has an mbox mode, but it takes any line starting "From " for a
 * separator ("From now on, ..." in a commit message ends the patch)
 * and keeps no offsets into the file, which vger send needs to send the
 * bytes it read; this is git mailsplit's rule instead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mbox.h"
#include "mail/private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* "From <40 hex> Mon Sep 17 00:00:00 2001": git format-patch's line. */
static int is_format_patch_line(const char *p, size_t n)
{
	static const char tail[] = " Mon Sep 17 00:00:00 2001";

	return n == 5 + 40 + sizeof(tail) - 1 && !memcmp(p, "From ", 5) &&
	       str_is_hex(p + 5, 40) && !memcmp(p + 45, tail, sizeof(tail) - 1);
}

/*
 * An mbox "From " line of n bytes (without its line end), as git
 * mailsplit's is_from_line() takes one: a time "HH:MM:SS"-ish before
 * the end, and a year after it.
 */
int mail_mbox_is_from_line(const char *line, size_t n)
{
	const char *colon;
	long year;
	char *end;

	if (n < 20 || memcmp(line, "From ", 5))
		return 0;
	for (colon = line + n - 2; colon > line + 5 && *colon != ':'; colon--)
		;
	if (colon <= line + 9 || colon + 3 > line + n ||
	    !isdigit((unsigned char)colon[-4]) ||
	    !isdigit((unsigned char)colon[-2]) ||
	    !isdigit((unsigned char)colon[-1]) ||
	    !isdigit((unsigned char)colon[1]) ||
	    !isdigit((unsigned char)colon[2]))
		return 0;
	year = strtol(colon + 3, &end, 10);
	return end <= line + n && year > 90;
}

static void msg_free(void *p)
{
	struct mail_mbox_msg *m = p;

	free(m->commit);
	free(m);
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

int mail_mbox_read(struct mail_mbox *out, const char *path, size_t max,
		   struct err *err)
{
	struct mail_mbox_msg *cur = NULL;
	const char *p, *end;
	unsigned lineno = 1;
	int ret;

	ret = sbuf_read_file(&out->data, path, max, err);
	if (ret)
		return ret;
	if (is_blank(out->data.buf, out->data.len))
		return 0;
	p = out->data.buf;
	end = p + out->data.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t n = (size_t)((nl ? nl : end) - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (mail_mbox_is_from_line(p, n)) {
			cur = xcalloc(1, sizeof(*cur));
			cur->off = (size_t)(next - out->data.buf);
			cur->line = lineno + 1;
			if (is_format_patch_line(p, n))
				cur->commit = xstrndup(p + 5, 40);
			vec_push(&out->msgs, cur);
		} else if (!cur) {
			/* no "From " line first: the file is one message */
			cur = xcalloc(1, sizeof(*cur));
			cur->line = 1;
			vec_push(&out->msgs, cur);
		}
		cur->len = (size_t)(next - out->data.buf) - cur->off;
		p = next;
		lineno++;
	}
	return 0;
}

void mail_mbox_release(struct mail_mbox *m)
{
	sbuf_release(&m->data);
	vec_release(&m->msgs, msg_free);
}
