/*
 * F: and X: patterns, as file_match_pattern() matches them: the value
 * rewritten into a regex ("." to "\.", "*" to ".*", "?" to "."),
 * matched at the start of the file name with the script's directory
 * and depth rules.  Plain globs (the overwhelming majority) are matched
 * by a small hand-written matcher instead of PCRE2, because compiling
 * ten thousand regexes would cost more than the whole lookup; a
 * pattern with any other regex character goes to PCRE2.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "maint/private.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* Characters of a Perl regex beyond what the glob matcher handles. */
static int glob_needs_re(const char *raw)
{
	int in_class = 0;

	for (const char *p = raw; *p; p++) {
		switch (*p) {
		case ']':
			if (!in_class)
				return 1;
			in_class = 0;
			break;
		case '[':
			if (in_class)
				return 1;
			in_class = 1;
			if (p[1] == ']' || (p[1] == '^' && p[2] == ']'))
				return 1;
			break;
		case '.': case '*': case '?':
			if (in_class)
				return 1;	/* rewritten inside a class */
			break;
		case '\\': case '+': case '(': case ')': case '{': case '}':
		case '^': case '$': case '|':
			if (!in_class || *p == '\\')
				return 1;
			if (*p == '^' && p[-1] == '[')
				break;	/* a negated class */
			return 1;
		default:
			break;
		}
	}
	return in_class;
}

/* The script's regex for an F:/X: value; the caller frees. */
static char *glob_to_re(const char *raw)
{
	size_t len = strlen(raw), n = 0;
	char *re = xmalloc(2 * len + 1);

	/* s@\.@\\\.@g; s/\*\/\.\*\/g; s/\?/\./g */
	for (const char *p = raw; *p; p++) {
		if (*p == '.') {
			re[n++] = '\\';
			re[n++] = '.';
		} else if (*p == '*') {
			re[n++] = '.';
			re[n++] = '*';
		} else if (*p == '?') {
			re[n++] = '.';
		} else {
			re[n++] = *p;
		}
	}
	re[n] = '\0';
	return re;
}

void maint_pat_init(struct maint_db *db, struct maint_pat *pat,
		    const char *raw, unsigned lineno)
{
	size_t len = strlen(raw);

	memset(pat, 0, sizeof(*pat));
	for (const char *p = raw; *p; p++)
		pat->slashes += *p == '/';
	/* the rewritten regex ends and starts as the value does */
	pat->ends_slash = len && raw[len - 1] == '/';
	pat->leading_star = raw[0] == '*';
	pat->is_dir = pat->ends_slash ? MAINT_DIR_NO : MAINT_DIR_UNKNOWN;
	pat->needs_re = glob_needs_re(raw);
	if (pat->needs_re) {
		struct sbuf why = SBUF_INIT;

		pat->re = glob_to_re(raw);
		if (maint_re_compile(&pat->rx, pat->re, strlen(pat->re),
				     PCRE2_ANCHORED | MAINT_RE_COUNTED, &why))
			maint_db_warn(db, lineno, "bad pattern '%s': %s", raw,
				      why.buf);
		sbuf_release(&why);
	}
}

void maint_pat_release(struct maint_pat *pat)
{
	maint_re_release(&pat->rx);
	free(pat->re);
}

/* "if ((-d $value)) { $value =~ s@([^/])$@$1/@; }", done lazily. */
static void pat_check_dir(const struct maint_db *db, struct maint_pat *pat,
			  const char *raw)
{
	struct stat st;
	char *path;

	if (pat->is_dir != MAINT_DIR_UNKNOWN)
		return;
	if (!pat->re)
		pat->re = glob_to_re(raw);
	path = path_join(db->root, pat->re);
	pat->is_dir = *pat->re && !stat(path, &st) && S_ISDIR(st.st_mode) ?
		      MAINT_DIR_YES : MAINT_DIR_NO;
	free(path);
}

static int pat_ends_slash(const struct maint_db *db, struct maint_pat *pat,
			  const char *raw)
{
	pat_check_dir(db, pat, raw);
	return pat->ends_slash || pat->is_dir == MAINT_DIR_YES;
}

/*
 * One element of a glob at *g against the byte c: '?', a class or a
 * literal byte; *g moves past it.  A class is what glob_needs_re()
 * lets through: bytes and ranges after an optional '^'.
 */
static int glob_elem(const char **g, unsigned char c)
{
	const char *p = *g;
	int neg = 0, hit = 0;

	if (*p == '?') {
		*g = p + 1;
		return 1;
	}
	if (*p != '[') {
		*g = p + 1;
		return (unsigned char)*p == c;
	}
	p++;
	if (*p == '^') {
		neg = 1;
		p++;
	}
	do {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= (unsigned char)p[0] &&
			    c <= (unsigned char)p[2])
				hit = 1;
			p += 3;
		} else {
			if (c == (unsigned char)*p)
				hit = 1;
			p++;
		}
	} while (*p && *p != ']');
	if (*p)
		p++;
	*g = p;
	return hit != neg;
}

/*
 * Does the run of glob elements [g, end) (no '*') match the n bytes at
 * s from their start?  *used: the bytes it took.
 */
static int glob_run(const char *g, const char *end, const char *s, size_t n,
		    size_t *used, unsigned long long *steps)
{
	size_t i = 0;

	while (g < end) {
		(*steps)++;
		if (i == n || !glob_elem(&g, (unsigned char)s[i]))
			return 0;
		i++;
	}
	*used = i;
	return 1;
}

/*
 * Does the glob raw (the F: value before rewriting) match a prefix of
 * s?  The same as m@^$re@ for the rewritten re: "*" is ".*", "?" is
 * ".", "[...]" a class, everything else literal, and as "." does not
 * match a newline, s ends at one.
 *
 * Each run of elements between stars is matched at the leftmost place
 * it fits: a later run only needs some place after it, so an earlier
 * place never hurts, and nothing before the last star is tried again.
 * That takes at most (strlen(s) + runs) * (strlen(g) + 1) steps, where
 * backtracking into every star took exponential time (46 s for ten
 * stars).  Hand-written rather than fnmatch(3): the script's regex
 * matches bytes and prefixes, fnmatch whole names in the locale.
 */
static int glob_prefix(const char *g, const char *s, unsigned long long *steps)
{
	size_t n = strcspn(s, "\n"), at = 0, used;
	int anchored = 1;

	for (;;) {
		const char *end = g + strcspn(g, "*");

		if (anchored) {
			if (!glob_run(g, end, s, n, &used, steps))
				return 0;
		} else {
			for (;; at++) {
				if (at > n)
					return 0;
				(*steps)++;
				if (glob_run(g, end, s + at, n - at, &used,
					     steps))
					break;
			}
		}
		at += used;
		if (!*end)
			return 1;
		g = end + strspn(end, "*");
		anchored = 0;
	}
}

int maint_pat_match(struct maint_db *db, struct maint_pat *pat,
		    const char *raw, const char *file, int file_slashes)
{
	int ok;

	if (pat->needs_re)
		ok = maint_re_run(db, &pat->rx, file, strlen(file), 0);
	else
		ok = glob_prefix(raw, file, &db->work->glob_steps);
	if (ok <= 0)
		return ok;
	if (pat_ends_slash(db, pat, raw))
		return 1;
	return file_slashes == pat->slashes;
}

int maint_pat_depth(const struct maint_db *db, struct maint_pat *pat,
		    const char *raw)
{
	int pd = pat->slashes;

	if (pat->leading_star)
		return -1;
	if (pat_ends_slash(db, pat, raw)) {
		if (!pat->ends_slash)
			pd++;	/* the slash the script appended */
	} else {
		pd++;
	}
	return pd;
}

char *maint_pat_key(const char *raw)
{
	const char *p = raw, *cut = NULL;
	int comps = 0;

	for (; *p; p++) {
		if (*p == '*' || *p == '?' || *p == '[' || *p == ']' ||
		    *p == '\\' || *p == '+' || *p == '(' || *p == ')' ||
		    *p == '{' || *p == '}' || *p == '^' || *p == '$' ||
		    *p == '|')
			break;
		if (*p == '/') {
			if (p == raw || p[-1] == '/')
				break;
			cut = p;
			if (++comps == 2)
				break;
		}
	}
	if (!cut)
		return NULL;
	return xstrndup(raw, cut - raw);
}
