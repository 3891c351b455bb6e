/*
 * The MAINTAINERS patterns are Perl regular expressions: N: and K:
 * values are used as they are, F:/X: values after turning "." into
 * "\.", "*" into ".*" and "?" into ".".  PCRE2 matches Perl's syntax
 * ((?:...), (?i), \b, \d in classes, /x) with Perl's semantics on byte
 * strings, so the regexes are compiled as the script would use them.
 */
#include "maint/private.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

int maint_re_compile(struct maint_re *re, const char *pattern, size_t len,
		     uint32_t flags, struct sbuf *why)
{
	int jit = !!(flags & MAINT_RE_JIT);

	int errcode;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[160];

	re->code = pcre2_compile((PCRE2_SPTR)pattern, len,
				 flags & ~MAINT_RE_JIT, &errcode, &off, NULL);
	if (!re->code) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		sbuf_addf(why, "%s at offset %zu", (char *)msg, (size_t)off);
		return -1;
	}
	/* JIT where the platform has it; the interpreter otherwise. */
	if (jit)
		pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	return 0;
}

void maint_re_release(struct maint_re *re)
{
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	re->md = NULL;
	re->code = NULL;
}

int maint_re_match(struct maint_re *re, const char *s, size_t len)
{
	if (!re->code)
		return 0;
	return pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md,
			   NULL) >= 0;
}

char *maint_re_group(struct maint_re *re, const char *s, int i)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);

	if (ov[2 * i] == PCRE2_UNSET)
		return xstrdup("");
	return xstrndup(s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}
