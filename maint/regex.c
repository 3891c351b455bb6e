/*
 * The MAINTAINERS patterns are Perl regular expressions: N: and K:
 * values are used as they are, F:/X: values after turning "." into
 * "\.", "*" into ".*" and "?" into ".".  PCRE2 matches Perl's syntax
 * ((?:...), (?i), \b, \d in classes, /x) with Perl's semantics on byte
 * strings, so the regexes are compiled as the script would use them.
 *
 * The MAINTAINERS file of a tree under review is not trusted: a K:
 * regex such as (a+)+$ backtracks for seconds on a line that almost
 * matches.  So every match runs with PCRE2's match and depth limits,
 * which stop one runaway match, and the regexes taken from the file
 * (MAINT_RE_COUNTED) are compiled with an automatic callout before
 * each item of the pattern: it counts the steps of the lookup and ends
 * every match once the lookup's budget is spent.  The keyword filter
 * (MAINT_RE_FILTER), which runs on every line, is not counted, which
 * would double the time of a lookup; it has a tight match limit
 * instead, so its steps are bounded by the bytes it reads.
 */
#include "maint/private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* The callout before each item of a counted regex: one step. */
static int count_step(pcre2_callout_block *block, void *data)
{
	struct maint_db *db = data;

	(void)block;
	if (!db->re_left)
		return PCRE2_ERROR_CALLOUT;	/* ends the match */
	db->re_left--;
	db->work->re_steps++;
	return 0;
}

void maint_re_init(struct maint_db *db)
{
	db->mctx = pcre2_match_context_create(NULL);
	if (!db->mctx)
		BUG("maint: no memory for a PCRE2 match context");
	pcre2_set_match_limit(db->mctx, MAINT_RE_MATCH_LIMIT);
	pcre2_set_depth_limit(db->mctx, MAINT_RE_DEPTH_LIMIT);
	pcre2_set_callout(db->mctx, count_step, db);
	db->fctx = pcre2_match_context_copy(db->mctx);
	if (!db->fctx)
		BUG("maint: no memory for a PCRE2 match context");
	pcre2_set_match_limit(db->fctx, MAINT_RE_FILTER_LIMIT);
}

void maint_re_budget(struct maint_db *db, unsigned long long steps)
{
	db->re_left = steps;
}

int maint_re_compile(struct maint_re *re, const char *pattern, size_t len,
		     uint32_t flags, struct sbuf *why)
{
	int jit = !!(flags & MAINT_RE_JIT);
	int errcode;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[160];

	re->counted = !!(flags & MAINT_RE_COUNTED);
	re->filter = !!(flags & MAINT_RE_FILTER);
	if (re->counted)
		flags |= PCRE2_AUTO_CALLOUT;
	re->code = pcre2_compile((PCRE2_SPTR)pattern, len,
				 flags & ~(MAINT_RE_JIT | MAINT_RE_COUNTED |
					   MAINT_RE_FILTER),
				 &errcode, &off, NULL);
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

int maint_re_run(struct maint_db *db, struct maint_re *re, const char *s,
		 size_t len, size_t off)
{
	int rc;

	if (!re->code)
		return MAINT_RE_NOMATCH;
	if (re->counted && !db->re_left) {
		db->work->re_budget_spent = 1;
		return MAINT_RE_SPENT;
	}
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, off, 0, re->md,
			 re->filter ? db->fctx : db->mctx);
	if (rc >= 0)
		return MAINT_RE_MATCH;
	switch (rc) {
	case PCRE2_ERROR_CALLOUT:
		db->work->re_budget_spent = 1;
		return MAINT_RE_SPENT;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
		db->work->re_stopped++;
		return MAINT_RE_STOPPED;
	default:
		return MAINT_RE_NOMATCH;
	}
}

int maint_re_match(struct maint_db *db, struct maint_re *re, const char *s,
		   size_t len)
{
	return maint_re_run(db, re, s, len, 0) > 0;
}

char *maint_re_group(struct maint_re *re, const char *s, int i)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);

	if (ov[2 * i] == PCRE2_UNSET)
		return xstrdup("");
	return xstrndup(s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}
