/*
 * MAINTAINERS in C, after scripts/get_maintainer.pl 0.26 (Linux 6.1).
 * The names in comments (typevalue, find_starting_index, add_categories,
 * deduplicate_email, ...) are the script's, so each rule can be checked
 * against the Perl it reproduces.
 *
 * The MAINTAINERS patterns are Perl regular expressions: N: and K:
 * values are used as they are, F:/X: values after turning "." into
 * "\.", "*" into ".*" and "?" into ".".  PCRE2 matches Perl's syntax
 * ((?:...), (?i), \b, \d in classes, /x) with Perl's semantics on byte
 * strings, so the regexes are compiled as the script would use them.
 * Plain F:/X: globs (the overwhelming majority) are matched by a small
 * hand-written matcher instead, because compiling ten thousand regexes
 * would cost more than the whole lookup; a pattern with any other
 * regex character goes to PCRE2.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <git2.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "maint/maint.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define MAINT_FILE_MAX (64u << 20)	/* MAINTAINERS, .mailmap, patches */
#define MAINT_KW_JIT_LINES 200

/* ---- a small string-keyed hash map (owned keys, borrowed values) ---- */

struct smap_slot {
	char *key;
	void *val;
};

struct smap {
	struct smap_slot *slots;
	size_t n, alloc;	/* alloc: a power of two */
};

static uint64_t smap_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct smap_slot *smap_find(const struct smap *m, const char *key,
				   size_t len)
{
	size_t i;

	if (!m->alloc)
		return NULL;
	i = smap_hash(key, len) & (m->alloc - 1);
	while (m->slots[i].key) {
		if (!strncmp(m->slots[i].key, key, len) &&
		    !m->slots[i].key[len])
			return &m->slots[i];
		i = (i + 1) & (m->alloc - 1);
	}
	return NULL;
}

static void *smap_get_n(const struct smap *m, const char *key, size_t len)
{
	struct smap_slot *s = smap_find(m, key, len);

	return s ? s->val : NULL;
}

static void *smap_get(const struct smap *m, const char *key)
{
	return smap_get_n(m, key, strlen(key));
}

static int smap_has(const struct smap *m, const char *key)
{
	return smap_find(m, key, strlen(key)) != NULL;
}

static void smap_grow(struct smap *m)
{
	struct smap old = *m;

	m->alloc = old.alloc ? old.alloc * 2 : 64;
	m->slots = xcalloc(m->alloc, sizeof(*m->slots));
	m->n = 0;
	for (size_t i = 0; i < old.alloc; i++) {
		size_t j;

		if (!old.slots[i].key)
			continue;
		j = smap_hash(old.slots[i].key, strlen(old.slots[i].key)) &
		    (m->alloc - 1);
		while (m->slots[j].key)
			j = (j + 1) & (m->alloc - 1);
		m->slots[j] = old.slots[i];
		m->n++;
	}
	free(old.slots);
}

/* Set key to val (like a Perl hash: a later value replaces). */
static void **smap_put(struct smap *m, const char *key, void *val)
{
	struct smap_slot *s = smap_find(m, key, strlen(key));
	size_t i;

	if (s) {
		s->val = val;
		return &s->val;
	}
	if ((m->n + 1) * 2 > m->alloc)
		smap_grow(m);
	i = smap_hash(key, strlen(key)) & (m->alloc - 1);
	while (m->slots[i].key)
		i = (i + 1) & (m->alloc - 1);
	m->slots[i].key = xstrdup(key);
	m->slots[i].val = val;
	m->n++;
	return &m->slots[i].val;
}

static void smap_release(struct smap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->alloc; i++) {
		if (!m->slots[i].key)
			continue;
		free(m->slots[i].key);
		if (free_val)
			free_val(m->slots[i].val);
	}
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ---- regexes ---- */

struct maint_re {
	pcre2_code *code;
	pcre2_match_data *md;
};

/*
 * JIT compiling costs about as much as a thousand matches: only the
 * regexes run on every line of a patch are worth it (MAINT_RE_JIT).
 */
#define MAINT_RE_JIT 0x80000000u

static int re_compile(struct maint_re *re, const char *pattern, size_t len,
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

static void re_release(struct maint_re *re)
{
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	re->md = NULL;
	re->code = NULL;
}

/* 1 on a match, 0 on none (an error counts as none, as in Perl). */
static int re_match(struct maint_re *re, const char *s, size_t len)
{
	if (!re->code)
		return 0;
	return pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md,
			   NULL) >= 0;
}

/* Group i of the last match, as a new string ("" when unset). */
static char *re_group(struct maint_re *re, const char *s, int i)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);

	if (ov[2 * i] == PCRE2_UNSET)
		return xstrdup("");
	return xstrndup(s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}

/* ---- the database ---- */

enum { DIR_UNKNOWN = -1, DIR_NO = 0, DIR_YES = 1 };

/* An F: or X: pattern. */
struct mpat {
	char *re;		/* the script's regex text (. * ? rewritten) */
	struct maint_re rx;	/* compiled only when needs_re */
	int needs_re;
	int is_dir;		/* DIR_*: -d on re, done when first needed */
	int slashes;		/* '/' in re, before a slash is appended */
	int ends_slash;		/* re ends with '/' */
	int leading_star;	/* re starts with ".*": depth -1 */
};

/* One entry of the script's @typevalue. */
struct tv {
	char type;		/* 'A'..'Z', or 0 for a title or stray line */
	const char *value;	/* after "T:" and blanks; the line for 0 */
	unsigned lineno;
	struct mpat *pat;	/* F:, X: (&patv once the list is read) */
	struct mpat patv;
	struct maint_re rx;	/* N: m/$value/x; K: m/$value/x */
	struct maint_re rx_patch; /* K: m/^[+-].*$value/x */
	int bad;		/* a regex that did not compile: no match */
};

/* A maximal run of type:value lines and the title before it. */
struct msection {
	size_t start;		/* find_starting_index(): the title */
	size_t first, end;	/* the type:value lines [first, end) */
	int has_n;
};

struct maint_db {
	char *root;
	char *text;		/* MAINTAINERS; values point into it */
	char *path;
	struct tv *tv;
	size_t ntv;
	struct msection *sec;
	size_t nsec;
	size_t *sec_of;		/* section of each tv (or SIZE_MAX) */
	/* Sections by the literal leading path components of F:. */
	struct smap index;	/* "c1" or "c1/c2" -> struct vec of ids */
	struct vec wild;	/* section ids (as pointers to size_t) */
	size_t *ids;		/* 0..nsec-1, pointed to by the vecs */
	struct vec nsecs;	/* sections with an N: line */
	size_t *kw;		/* tv index of every K: line */
	size_t nkw;
	struct maint_re kw_any, kw_any_patch;	/* all K: as one */
	int kw_built;
	/*
	 * Lines run through the keyword filters: JIT-compiling them costs
	 * about as much as interpreting them on 200 lines, so it
	 * is done when a lookup gets that far.
	 */
	size_t kw_lines;
	/*
	 * Some K: has a top-level '|', so lines of the diff that start
	 * with neither '+' nor '-' can match (through kw_any_other).
	 */
	int kw_other_lines;
	struct maint_re kw_any_other;
	unsigned *stamp;	/* per section: the last file that saw it */
	unsigned gen;
	/* .mailmap: names and addresses by address or "Name <address>" */
	struct smap mm_names, mm_addrs;
	struct vec warnings;
	/* The script's own regexes. */
	struct maint_re pe1, pe2, pe3;	/* parse_email */
	struct maint_re mm1, mm2, mm3, mm4;	/* read_mailmap */
	struct maint_re p_mode, p_rename, p_diff, p_fixes, p_pm, p_hunk;
	struct maint_re fe_addr, fe_sub;	/* maintainers_in_file */
	struct maint_re chief;
	struct maint_re signature, linus;	/* vcs_find_signers() */
	/* Fixes: lines: the tree's repository, when root/.git exists */
	int use_fixes;
	int repo_state;		/* 0 not opened yet, 1 open, -1 none */
	git_repository *repo;
	struct vec ignore;	/* .get_maintainer.ignore lines */
};

static void db_warn(struct maint_db *db, unsigned lineno, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
static void db_warn(struct maint_db *db, unsigned lineno, const char *fmt,
		    ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	sbuf_addf(&sb, "%s:%u: ", db->path, lineno);
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(&db->warnings, sbuf_detach(&sb));
}

static int is_perl_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

/* m/^([A-Z]):\s*(.*)/: the type, and the value start in *value. */
static char tv_type(const char *line, size_t len, const char **value)
{
	const char *p = line, *end = line + len;

	if (len < 2 || *p < 'A' || *p > 'Z' || p[1] != ':')
		return 0;
	p += 2;
	while (p < end && is_perl_space((unsigned char)*p))
		p++;
	*value = p;
	return line[0];
}

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

static void mpat_init(struct maint_db *db, struct mpat *pat, const char *raw,
		      unsigned lineno)
{
	size_t len = strlen(raw);

	memset(pat, 0, sizeof(*pat));
	for (const char *p = raw; *p; p++)
		pat->slashes += *p == '/';
	/* the rewritten regex ends and starts as the value does */
	pat->ends_slash = len && raw[len - 1] == '/';
	pat->leading_star = raw[0] == '*';
	pat->is_dir = pat->ends_slash ? DIR_NO : DIR_UNKNOWN;
	pat->needs_re = glob_needs_re(raw);
	if (pat->needs_re) {
		struct sbuf why = SBUF_INIT;

		pat->re = glob_to_re(raw);
		if (re_compile(&pat->rx, pat->re, strlen(pat->re),
			       PCRE2_ANCHORED, &why))
			db_warn(db, lineno, "bad pattern '%s': %s", raw,
				why.buf);
		sbuf_release(&why);
	}
}

static void mpat_release(struct mpat *pat)
{
	re_release(&pat->rx);
	free(pat->re);
}

/* "if ((-d $value)) { $value =~ s@([^/])$@$1/@; }", done lazily. */
static void mpat_check_dir(const struct maint_db *db, struct mpat *pat,
			   const char *raw)
{
	struct stat st;
	char *path;

	if (pat->is_dir != DIR_UNKNOWN)
		return;
	if (!pat->re)
		pat->re = glob_to_re(raw);
	path = path_join(db->root, pat->re);
	pat->is_dir = *pat->re && !stat(path, &st) && S_ISDIR(st.st_mode) ?
		      DIR_YES : DIR_NO;
	free(path);
}

static int mpat_ends_slash(const struct maint_db *db, struct mpat *pat,
			   const char *raw)
{
	mpat_check_dir(db, pat, raw);
	return pat->ends_slash || pat->is_dir == DIR_YES;
}

/*
 * Does the glob raw (the F: value before rewriting) match a prefix of
 * s?  The same as m@^$re@ for the rewritten re: "*" is ".*", "?" is
 * ".", "[...]" a class, everything else literal.
 */
static int glob_prefix(const char *g, const char *s)
{
	for (;;) {
		if (!*g)
			return 1;
		if (*g == '*') {
			while (*g == '*')
				g++;
			if (!*g)
				return 1;
			for (const char *t = s;; t++) {
				if (glob_prefix(g, t))
					return 1;
				if (!*t || *t == '\n')
					return 0;
			}
		}
		if (!*s || *s == '\n')
			return 0;
		if (*g == '?') {
			g++;
			s++;
			continue;
		}
		if (*g == '[') {
			int neg = 0, hit = 0;

			g++;
			if (*g == '^') {
				neg = 1;
				g++;
			}
			do {
				if (g[1] == '-' && g[2] && g[2] != ']') {
					if ((unsigned char)*s >=
					    (unsigned char)g[0] &&
					    (unsigned char)*s <=
					    (unsigned char)g[2])
						hit = 1;
					g += 3;
				} else {
					if (*s == *g)
						hit = 1;
					g++;
				}
			} while (*g && *g != ']');
			if (*g)
				g++;
			if (hit == neg)
				return 0;
			s++;
			continue;
		}
		if (*g != *s)
			return 0;
		g++;
		s++;
	}
}

/* file_match_pattern($file, $pattern) */
static int mpat_match(const struct maint_db *db, struct mpat *pat,
		      const char *raw, const char *file, int file_slashes)
{
	int ok;

	if (pat->needs_re)
		ok = re_match(&pat->rx, file, strlen(file));
	else
		ok = glob_prefix(raw, file);
	if (!ok)
		return 0;
	if (mpat_ends_slash(db, pat, raw))
		return 1;
	return file_slashes == pat->slashes;
}

/* $value_pd for a matching F: pattern. */
static int mpat_depth(const struct maint_db *db, struct mpat *pat,
		      const char *raw)
{
	int pd = pat->slashes;

	if (pat->leading_star)
		return -1;
	if (mpat_ends_slash(db, pat, raw)) {
		if (!pat->ends_slash)
			pd++;	/* the slash the script appended */
	} else {
		pd++;
	}
	return pd;
}

/*
 * The key of the index for an F: pattern: its first one or two path
 * components when they are literal and followed by a slash, so that
 * only files under them can match.  NULL: test it against every file.
 */
static char *pattern_key(const char *raw)
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

static void index_add(struct maint_db *db, const char *key, size_t sec)
{
	struct vec *v = smap_get(&db->index, key);

	if (!v) {
		v = xcalloc(1, sizeof(*v));
		smap_put(&db->index, key, v);
	}
	if (!v->n || v->items[v->n - 1] != &db->ids[sec])
		vec_push(v, &db->ids[sec]);
}

static void free_vec(void *v)
{
	vec_release(v, NULL);
	free(v);
}

static void compile_script_regexes(struct maint_db *db)
{
	static const struct {
		size_t off;
		const char *re;
	} tab[] = {
#define R(field, re) { offsetof(struct maint_db, field), re }
		R(pe1, "^([^<]+)<(.+\\@.*)>.*$"),
		R(pe2, "^\\s*<(.+\\@\\S*)>.*$"),
		R(pe3, "^(.+\\@\\S*).*$"),
		R(mm1, "^([^<]+)<([^>]+)>$"),
		R(mm2, "^<([^>]+)>\\s*<([^>]+)>$"),
		R(mm3, "^(.+)<([^>]+)>\\s*<([^>]+)>$"),
		R(mm4, "^(.+)<([^>]+)>\\s*(.+)\\s*<([^>]+)>$"),
		R(p_mode, "^ mode change [0-7]+ => [0-7]+ (\\S+)\\s*$"),
		R(p_rename, "^rename (?:from|to) (\\S+)\\s*$"),
		R(p_diff, "^diff --git a\\/(\\S+) b\\/(\\S+)\\s*$"),
		R(p_fixes, "^Fixes:\\s+([0-9a-fA-F]{6,40})"),
		R(p_pm, "^(?:\\+\\+\\+|---)\\s+(\\S+)"),
		R(p_hunk, "^\\@\\@ -(\\d+),(\\d+)"),
		/* the bytes of the script's UTF-8 "À-ÿ": \xC3, \x80-\xC3, \xBF */
		R(fe_addr, "[A-Za-z\\x{c3}\\x{80}-\\x{c3}\\x{bf}\"' ,.+-]*"
			   "\\s*[,]*\\s*[(<{]{0,1}[A-Za-z0-9_.+-]+\\@"
			   "[A-Za-z0-9.-]+\\.[A-Za-z0-9]+[)>}]{0,1}"),
		R(fe_sub, "[(<{]{0,1}([A-Za-z0-9_.+-]+\\@[A-Za-z0-9.-]+)"
			  "[)>}]{0,1}"),
		R(chief, "Linus Torvalds <torvalds\\@linux-foundation.org>"),
		R(signature, "^[ \\t]*(Signed-off-by:|Reviewed-by:|Acked-by:)"
			     ".*\\@.*$"),
		R(linus, "(?i)(Linus Torvalds)"),
#undef R
	};
	struct sbuf why = SBUF_INIT;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct maint_re *re = (struct maint_re *)((char *)db +
							  tab[i].off);

		if (re_compile(re, tab[i].re, strlen(tab[i].re), 0, &why))
			BUG("maint: regex %s: %s", tab[i].re, why.buf);
	}
	sbuf_release(&why);
}

/* ---- e-mail addresses: parse_email, format_email ---- */

static void perl_trim(struct sbuf *sb)
{
	size_t a = 0;

	while (sb->len && is_perl_space((unsigned char)sb->buf[sb->len - 1]))
		sb->len--;
	sb->buf[sb->len] = '\0';
	while (a < sb->len && is_perl_space((unsigned char)sb->buf[a]))
		a++;
	if (a) {
		memmove(sb->buf, sb->buf + a, sb->len - a + 1);
		sb->len -= a;
	}
}

/*
 * $name =~ s/^\s+|\s+$//g; $name =~ s/^\"|\"$//g; and quoting when it
 * has a character other than \w, space and '-'.
 */
static void clean_name(struct sbuf *name)
{
	int special = 0;

	perl_trim(name);
	if (name->len && name->buf[0] == '"') {
		memmove(name->buf, name->buf + 1, name->len);
		name->len--;
	}
	if (name->len && name->buf[name->len - 1] == '"')
		name->buf[--name->len] = '\0';
	for (size_t i = 0; i < name->len; i++) {
		unsigned char c = name->buf[i];

		if (!(c == '_' || c == ' ' || c == '-' ||
		      (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			special = 1;
	}
	if (special) {
		struct sbuf q = SBUF_INIT;

		sbuf_addch(&q, '"');
		for (size_t i = 0; i < name->len; i++) {
			/* s/(?<!\\)"/\\"/g */
			if (name->buf[i] == '"' &&
			    (i == 0 || name->buf[i - 1] != '\\'))
				sbuf_addch(&q, '\\');
			sbuf_addch(&q, name->buf[i]);
		}
		sbuf_addch(&q, '"');
		sbuf_release(name);
		*name = q;
	}
}

static void parse_email(struct maint_db *db, const char *s, struct sbuf *name,
			struct sbuf *addr)
{
	size_t len = strlen(s);
	char *g;

	sbuf_reset(name);
	sbuf_reset(addr);
	if (re_match(&db->pe1, s, len)) {
		g = re_group(&db->pe1, s, 1);
		sbuf_addstr(name, g);
		free(g);
		g = re_group(&db->pe1, s, 2);
		sbuf_addstr(addr, g);
		free(g);
	} else if (re_match(&db->pe2, s, len)) {
		g = re_group(&db->pe2, s, 1);
		sbuf_addstr(addr, g);
		free(g);
	} else if (re_match(&db->pe3, s, len)) {
		g = re_group(&db->pe3, s, 1);
		sbuf_addstr(addr, g);
		free(g);
	}
	clean_name(name);
	perl_trim(addr);
}

/* format_email($name, $address, 1); the caller frees. */
static char *format_email(const char *name, const char *address)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;

	sbuf_addstr(&n, name);
	sbuf_addstr(&a, address);
	clean_name(&n);
	perl_trim(&a);
	if (n.len)
		sbuf_addf(&n, " <%s>", a.buf);
	else
		sbuf_addstr(&n, a.buf);
	sbuf_release(&a);
	return sbuf_detach(&n);
}

/* parse_email() then format_email() */
static char *normal_email(struct maint_db *db, const char *s)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;
	char *out;

	parse_email(db, s, &n, &a);
	out = format_email(n.buf, a.buf);
	sbuf_release(&n);
	sbuf_release(&a);
	return out;
}

/* mailmap_email($line) */
static char *mailmap_email(struct maint_db *db, const char *line)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;
	const char *real_name, *real_addr;
	char *email, *out;

	parse_email(db, line, &n, &a);
	email = format_email(n.buf, a.buf);
	real_name = n.buf;
	real_addr = a.buf;
	if (smap_has(&db->mm_names, email) || smap_has(&db->mm_addrs, email)) {
		if (smap_has(&db->mm_names, email))
			real_name = smap_get(&db->mm_names, email);
		if (smap_has(&db->mm_addrs, email))
			real_addr = smap_get(&db->mm_addrs, email);
	} else {
		if (smap_has(&db->mm_names, a.buf))
			real_name = smap_get(&db->mm_names, a.buf);
		if (smap_has(&db->mm_addrs, a.buf))
			real_addr = smap_get(&db->mm_addrs, a.buf);
	}
	out = format_email(real_name, real_addr);
	free(email);
	sbuf_release(&n);
	sbuf_release(&a);
	return out;
}

/* ---- reading MAINTAINERS and .mailmap ---- */

static void mm_set(struct smap *m, const char *key, const char *val)
{
	char *old = smap_get(m, key);

	smap_put(m, key, xstrdup(val));
	free(old);
}

static void read_mailmap_line(struct maint_db *db, char *line)
{
	size_t len = strlen(line);
	struct sbuf n = SBUF_INIT, a = SBUF_INIT, wn = SBUF_INIT,
		    wa = SBUF_INIT;
	char *g1, *g2, *g3, *g4;

	if (re_match(&db->mm1, line, len)) {
		g1 = re_group(&db->mm1, line, 1);
		g2 = re_group(&db->mm1, line, 2);
		sbuf_addstr(&wn, g1);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g2);
		parse_email(db, wn.buf, &n, &a);
		mm_set(&db->mm_names, a.buf, n.buf);
		free(g1);
		free(g2);
	} else if (re_match(&db->mm2, line, len)) {
		g1 = re_group(&db->mm2, line, 1);
		g2 = re_group(&db->mm2, line, 2);
		mm_set(&db->mm_addrs, g2, g1);
		free(g1);
		free(g2);
	} else if (re_match(&db->mm3, line, len)) {
		g1 = re_group(&db->mm3, line, 1);
		g2 = re_group(&db->mm3, line, 2);
		g3 = re_group(&db->mm3, line, 3);
		sbuf_addstr(&wn, g1);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g2);
		parse_email(db, wn.buf, &n, &a);
		mm_set(&db->mm_names, g3, n.buf);
		mm_set(&db->mm_addrs, g3, a.buf);
		free(g1);
		free(g2);
		free(g3);
	} else if (re_match(&db->mm4, line, len)) {
		char *key;

		g1 = re_group(&db->mm4, line, 1);
		g2 = re_group(&db->mm4, line, 2);
		g3 = re_group(&db->mm4, line, 3);
		g4 = re_group(&db->mm4, line, 4);
		sbuf_addstr(&wn, g1);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g2);
		parse_email(db, wn.buf, &n, &a);
		sbuf_reset(&wn);
		sbuf_addstr(&wn, g3);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g4);
		{
			struct sbuf n2 = SBUF_INIT;

			parse_email(db, wn.buf, &n2, &wa);
			key = format_email(n2.buf, wa.buf);
			sbuf_release(&n2);
		}
		mm_set(&db->mm_names, key, n.buf);
		mm_set(&db->mm_addrs, key, a.buf);
		free(key);
		free(g1);
		free(g2);
		free(g3);
		free(g4);
	}
	sbuf_release(&n);
	sbuf_release(&a);
	sbuf_release(&wn);
	sbuf_release(&wa);
}

/*
 * Call fn with each line of a small config file of the tree (a missing
 * file has no lines), with the comment cut and blanks trimmed in the
 * order the script does them: trim_first for .get_maintainer.ignore.
 */
static int read_config_lines(struct maint_db *db, const char *path,
			     int trim_first,
			     void (*fn)(struct maint_db *db, char *line),
			     struct err *err)
{
	struct sbuf text = SBUF_INIT, line = SBUF_INIT;
	const char *p;
	int ret;

	if (!fs_exists(path) || fs_is_dir(path))
		return 0;
	ret = sbuf_read_file(&text, path, MAINT_FILE_MAX, err);
	if (ret)
		return ret;
	for (p = text.buf; *p;) {
		size_t len = str_line_len(p);
		char *hash;

		sbuf_reset(&line);
		sbuf_add(&line, p, len);
		p += len;
		if (*p == '\n')
			p++;
		if (trim_first)
			perl_trim(&line);
		hash = memchr(line.buf, '#', line.len);	/* s/#.*$// */
		if (hash)
			sbuf_setlen(&line, hash - line.buf);
		if (!trim_first)
			perl_trim(&line);
		if (line.len)
			fn(db, line.buf);
	}
	sbuf_release(&text);
	sbuf_release(&line);
	return 0;
}

static int value_is_blank_or_comment(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && is_perl_space((unsigned char)line[i]))
		i++;
	return i == len || line[i] == '#';
}

/* Checks that say where a MAINTAINERS line will not do what it seems. */
static void check_tv_line(struct maint_db *db, const struct tv *t)
{
	switch (t->type) {
	case 'M':
	case 'R':
		if (!strchr(t->value, '@'))
			db_warn(db, t->lineno, "%c: without an e-mail address",
				t->type);
		break;
	case 'L':
		if (!*t->value)
			db_warn(db, t->lineno, "L: without a list address");
		break;
	case 'F':
	case 'X':
		if (*t->value && is_perl_space(
			(unsigned char)t->value[strlen(t->value) - 1]))
			db_warn(db, t->lineno, "%c: pattern ends in white "
				"space and matches no file", t->type);
		/* fall through */
	case 'N':
	case 'K':
		if (!*t->value)
			db_warn(db, t->lineno, "empty %c: pattern", t->type);
		break;
	default:
		break;
	}
}

static void compile_tv_regex(struct maint_db *db, struct tv *t)
{
	struct sbuf why = SBUF_INIT, re = SBUF_INIT;

	if (re_compile(&t->rx, t->value, strlen(t->value), PCRE2_EXTENDED,
		       &why)) {
		db_warn(db, t->lineno, "bad %c: regex '%s': %s", t->type,
			t->value, why.buf);
		t->bad = 1;
	} else if (t->type == 'K') {
		sbuf_addf(&re, "^[+-].*%s", t->value);
		if (re_compile(&t->rx_patch, re.buf, re.len, PCRE2_EXTENDED,
			       &why))
			t->bad = 1;
	}
	sbuf_release(&why);
	sbuf_release(&re);
}

/*
 * The values point into the file's text, kept in db->text with each
 * line ended in place: one allocation instead of one a line.
 */
static int read_maintainers(struct maint_db *db, struct err *err)
{
	struct sbuf text = SBUF_INIT;
	size_t alloc = 0;
	unsigned lineno = 0;
	char *p, *end;
	int ret;

	ret = sbuf_read_file(&text, db->path, MAINT_FILE_MAX, err);
	if (ret)
		return ret;
	db->text = sbuf_detach(&text);
	end = db->text + strlen(db->text);
	for (p = db->text; p < end;) {
		char *line = p, *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *value = NULL;
		struct tv *t;
		char type;

		lineno++;
		p += len;
		if (p < end)
			*p++ = '\0';	/* chomp */
		if (value_is_blank_or_comment(line, len)) {
			/* a blank line inside the file is no entry at all */
			continue;
		}
		ALLOC_GROW(db->tv, db->ntv + 1, alloc);
		t = &db->tv[db->ntv++];
		memset(t, 0, sizeof(*t));
		t->lineno = lineno;
		type = tv_type(line, len, &value);
		t->type = type;
		t->value = type ? value : line;
		check_tv_line(db, t);
		if (type == 'F' || type == 'X')
			mpat_init(db, &t->patv, t->value, lineno);
		else if ((type == 'N' || type == 'K') && *t->value)
			compile_tv_regex(db, t);
		else if (type == 'N' || type == 'K')
			t->bad = 1;
	}
	/* the list does not move any more */
	for (size_t i = 0; i < db->ntv; i++)
		if (db->tv[i].type == 'F' || db->tv[i].type == 'X')
			db->tv[i].pat = &db->tv[i].patv;
	return 0;
}

/* Sections: maximal runs of type:value lines, as the script walks them. */
static void build_sections(struct maint_db *db)
{
	size_t alloc = 0, kalloc = 0;

	db->sec_of = xmalloc((db->ntv + 1) * sizeof(*db->sec_of));
	for (size_t i = 0; i < db->ntv;) {
		struct msection *s;

		if (!db->tv[i].type) {
			db->sec_of[i++] = SIZE_MAX;
			continue;
		}
		ALLOC_GROW(db->sec, db->nsec + 1, alloc);
		s = &db->sec[db->nsec];
		s->first = i;
		s->start = i > 0 ? i - 1 : 0;
		s->has_n = 0;
		while (i < db->ntv && db->tv[i].type) {
			if (db->tv[i].type == 'N')
				s->has_n = 1;
			if (db->tv[i].type == 'K' && !db->tv[i].bad) {
				ALLOC_GROW(db->kw, db->nkw + 1, kalloc);
				db->kw[db->nkw++] = i;
			}
			db->sec_of[i++] = db->nsec;
		}
		s->end = i;
		/*
		 * A stray non-"T:" line right after a section starts a new
		 * "section" with that line as its title: say so.
		 */
		if (i < db->ntv && i + 1 < db->ntv && db->tv[i + 1].type &&
		    db->tv[i].lineno + 1 == db->tv[i + 1].lineno &&
		    db->tv[i - 1].lineno + 1 == db->tv[i].lineno)
			db_warn(db, db->tv[i].lineno,
				"not a 'T: value' line inside section '%s': "
				"read as the title of a new section",
				db->tv[s->start].value);
		db->nsec++;
	}
	db->sec_of[db->ntv] = SIZE_MAX;
	db->ids = xmalloc((db->nsec + 1) * sizeof(*db->ids));
	db->stamp = xcalloc(db->nsec + 1, sizeof(*db->stamp));
	for (size_t s = 0; s < db->nsec; s++) {
		int wild = 0;

		db->ids[s] = s;
		if (db->sec[s].has_n)
			vec_push(&db->nsecs, &db->ids[s]);
		for (size_t i = db->sec[s].first; i < db->sec[s].end; i++) {
			char *key;

			if (db->tv[i].type != 'F')
				continue;
			key = db->tv[i].pat->needs_re ? NULL :
			      pattern_key(db->tv[i].value);
			if (key)
				index_add(db, key, s);
			else
				wild = 1;
			free(key);
		}
		if (wild)
			vec_push(&db->wild, &db->ids[s]);
	}
}

/*
 * Has the regex an alternation at its top level?  Then the script's
 * "^[+-].*" prefix binds only to its first branch, and the others can
 * match lines of the diff that start with neither '+' nor '-'.
 */
static int top_level_alternation(const char *re)
{
	int depth = 0, in_class = 0;

	for (const char *p = re; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				break;
			p++;
		} else if (in_class) {
			if (*p == ']')
				in_class = 0;
		} else if (*p == '[') {
			in_class = 1;
			if (p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && depth) {
			depth--;
		} else if (*p == '|' && !depth) {
			return 1;
		}
	}
	return 0;
}

/* Built at the first lookup, so that opening the database stays cheap. */
static void build_keyword_filter(struct maint_db *db)
{
	struct sbuf all = SBUF_INIT, patch = SBUF_INIT, why = SBUF_INIT;
	struct sbuf other = SBUF_INIT;

	if (!db->nkw || db->kw_built)
		return;
	db->kw_built = 1;
	/*
	 * One regex for all K: lines, to skip the lines that match none
	 * quickly; each alternative is the script's regex in a group.
	 */
	for (size_t k = 0; k < db->nkw; k++) {
		const char *v = db->tv[db->kw[k]].value;

		sbuf_addf(&all, "%s(?:%s\n)", k ? "|" : "", v);
		sbuf_addf(&patch, "%s(?:^[+-].*%s\n)", k ? "|" : "", v);
		if (top_level_alternation(v)) {
			sbuf_addf(&other, "%s(?:^[+-].*%s\n)",
				  other.len ? "|" : "", v);
			db->kw_other_lines = 1;
		}
	}
	if (other.len && re_compile(&db->kw_any_other, other.buf, other.len,
				    PCRE2_EXTENDED, &why))
		db->kw_other_lines = 1;	/* no filter: try each */
	sbuf_release(&other);
	if (re_compile(&db->kw_any, all.buf, all.len, PCRE2_EXTENDED, &why) ||
	    re_compile(&db->kw_any_patch, patch.buf, patch.len,
		       PCRE2_EXTENDED, &why)) {
		re_release(&db->kw_any);
		re_release(&db->kw_any_patch);
	}
	sbuf_release(&all);
	sbuf_release(&patch);
	sbuf_release(&why);
}

/* A line of .get_maintainer.ignore, read as the script reads it. */
static void read_ignore_line(struct maint_db *db, char *line)
{
	if (strchr(line, '@'))	/* rfc822_valid(), roughly */
		vec_push_str(&db->ignore, line);
}

int maint_db_open(struct maint_db **out, const struct maint_options *opt,
		  struct err *err)
{
	struct maint_db *db;
	char *mailmap, *ignore;
	int ret;

	*out = NULL;
	if (!opt->root)
		return err_set(err, ERR_USAGE, "no kernel tree given");
	db = xcalloc(1, sizeof(*db));
	db->root = xstrdup(opt->root);
	db->path = opt->maintainers ? xstrdup(opt->maintainers) :
		   path_join(opt->root, "MAINTAINERS");
	if (!fs_exists(db->path) || fs_is_dir(db->path)) {
		ret = err_set(err, ERR_NOTFOUND,
			      "%s: no MAINTAINERS file (use --maintainers FILE)",
			      db->path);
		maint_db_free(db);
		return ret;
	}
	compile_script_regexes(db);
	ret = read_maintainers(db, err);
	if (ret) {
		maint_db_free(db);
		return ret;
	}
	build_sections(db);
	if (opt->no_keywords)
		db->nkw = 0;
	if (!opt->no_mailmap) {
		mailmap = opt->mailmap ? xstrdup(opt->mailmap) :
			  path_join(opt->root, ".mailmap");
		ret = read_config_lines(db, mailmap, 0, read_mailmap_line, err);
		free(mailmap);
		if (ret) {
			maint_db_free(db);
			return ret;
		}
	}
	ignore = opt->ignore ? xstrdup(opt->ignore) :
		 path_join(opt->root, ".get_maintainer.ignore");
	ret = read_config_lines(db, ignore, 1, read_ignore_line, err);
	free(ignore);
	if (ret) {
		maint_db_free(db);
		return ret;
	}
	if (!opt->no_fixes) {
		char *dotgit = path_join(opt->root, ".git");

		db->use_fixes = fs_exists(dotgit);	/* -e ".git" */
		free(dotgit);
	}
	*out = db;
	return 0;
}

const struct vec *maint_db_warnings(const struct maint_db *db)
{
	return &db->warnings;
}

size_t maint_db_nsections(const struct maint_db *db)
{
	return db->nsec;
}

static void db_release_script_regexes(struct maint_db *db)
{
	struct maint_re *res[] = {
		&db->pe1, &db->pe2, &db->pe3, &db->mm1, &db->mm2, &db->mm3,
		&db->mm4, &db->p_mode, &db->p_rename, &db->p_diff,
		&db->p_fixes, &db->p_pm, &db->p_hunk, &db->fe_addr,
		&db->fe_sub, &db->chief, &db->kw_any, &db->kw_any_patch,
		&db->kw_any_other, &db->signature, &db->linus,
	};

	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++)
		re_release(res[i]);
}

void maint_db_free(struct maint_db *db)
{
	if (!db)
		return;
	db_release_script_regexes(db);
	for (size_t i = 0; i < db->ntv; i++) {
		if (db->tv[i].pat)
			mpat_release(db->tv[i].pat);
		re_release(&db->tv[i].rx);
		re_release(&db->tv[i].rx_patch);
	}
	free(db->tv);
	free(db->text);
	free(db->sec);
	free(db->sec_of);
	free(db->ids);
	free(db->stamp);
	free(db->kw);
	smap_release(&db->index, free_vec);
	vec_release(&db->wild, NULL);
	vec_release(&db->nsecs, NULL);
	vec_release_str(&db->ignore);
	git_repository_free(db->repo);
	if (db->repo_state)
		git_libgit2_shutdown();
	smap_release(&db->mm_names, free);
	smap_release(&db->mm_addrs, free);
	vec_release_str(&db->warnings);
	free(db->root);
	free(db->path);
	free(db);
}

/* ---- a lookup: get_maintainers() ---- */

struct entry {
	char *email;
	enum maint_role role;
	int moderated;
	size_t sec;		/* SIZE_MAX for a .yaml address */
	char *why;
	unsigned why_line;
};

struct lookup {
	struct maint_db *db;
	struct maint_result *res;
	struct vec files;	/* char *, sorted and unique at the end */
	struct smap keyword_tvi; /* "tvi" -> non-NULL */
	struct vec email_to;	/* struct entry * */
	struct vec list_to;	/* struct entry * */
	struct smap hash_name, hash_addr, hash_list;	/* email_inuse() */
	struct smap dedup_name, dedup_addr;	/* deduplicate_email() */
	struct vec file_emails;	/* struct entry * (role FILE) */
	struct vec fixes;	/* char *: Fixes: commit ids, unique */
	/* the reason of the add_categories() in progress */
	const char *why;
	unsigned why_line;
};

static void entry_free(void *p)
{
	struct entry *e = p;

	if (!e)
		return;
	free(e->email);
	free(e->why);
	free(e);
}

static void lookup_warn(struct lookup *lk, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void lookup_warn(struct lookup *lk, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(&lk->res->warnings, sbuf_detach(&sb));
}

static void lower(struct sbuf *sb, const char *s)
{
	sbuf_reset(sb);
	for (; *s; s++)
		sbuf_addch(sb, *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
}

static struct entry *entry_new(struct lookup *lk, char *email,
			       enum maint_role role, size_t sec)
{
	struct entry *e = xcalloc(1, sizeof(*e));

	e->email = email;
	e->role = role;
	e->sec = sec;
	e->why = xstrdup(lk->why ? lk->why : "");
	e->why_line = lk->why_line;
	return e;
}

/*
 * Someone already in the list as a reviewer is also a maintainer of
 * another section: the To/Cc split wants the maintainer.
 */
static void upgrade_role(struct lookup *lk, const char *name,
			 const char *addr)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;

	for (size_t i = 0; i < lk->email_to.n; i++) {
		struct entry *e = lk->email_to.items[i];

		parse_email(lk->db, e->email, &n, &a);
		if ((*name && !strcasecmp(n.buf, name)) ||
		    !strcasecmp(a.buf, addr)) {
			if (e->role == MAINT_ROLE_REVIEWER)
				e->role = MAINT_ROLE_MAINTAINER;
			break;
		}
	}
	sbuf_release(&n);
	sbuf_release(&a);
}

/* push_email_address(); 0 when the line has no address */
static int push_email_address(struct lookup *lk, const char *line,
			      enum maint_role role, size_t sec)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT, lc = SBUF_INIT;
	int inuse = 0;

	parse_email(lk->db, line, &n, &a);
	if (!a.len) {
		sbuf_release(&n);
		sbuf_release(&a);
		return 0;
	}
	/* email_inuse() */
	if (n.len) {
		lower(&lc, n.buf);
		inuse = smap_has(&lk->hash_name, lc.buf);
	}
	lower(&lc, a.buf);
	if (!inuse)
		inuse = smap_has(&lk->hash_addr, lc.buf);
	if (inuse && role == MAINT_ROLE_MAINTAINER)
		upgrade_role(lk, n.buf, a.buf);
	if (!inuse) {
		vec_push(&lk->email_to,
			 entry_new(lk, format_email(n.buf, a.buf), role, sec));
		if (n.len) {
			struct sbuf ln = SBUF_INIT;

			lower(&ln, n.buf);
			smap_put(&lk->hash_name, ln.buf, lk);
			sbuf_release(&ln);
		}
		smap_put(&lk->hash_addr, lc.buf, lk);
	}
	sbuf_release(&n);
	sbuf_release(&a);
	sbuf_release(&lc);
	return 1;
}

/*
 * Split at commas outside quotes, comments and <>: the script's
 * rfc822_validlist() case, a value with several addresses.
 */
static void split_addresses(const char *v, struct vec *out)
{
	int quote = 0, paren = 0, angle = 0;
	const char *start = v;

	for (const char *p = v;; p++) {
		if (!*p || (*p == ',' && !quote && !paren && !angle)) {
			vec_push(out, xstrndup(start, p - start));
			if (!*p)
				break;
			start = p + 1;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '"') {
			quote = !quote;
		} else if (!quote) {
			if (*p == '(')
				paren++;
			else if (*p == ')' && paren)
				paren--;
			else if (*p == '<')
				angle = 1;
			else if (*p == '>')
				angle = 0;
		}
	}
}

/*
 * push_email_addresses(): one address, or a list of valid addresses.
 * NEEDSWORK: the script decides with its RFC 822 grammar; here a value
 * is a list when every comma-separated part has an address in <> or
 * is a bare address.  No M:/R: line of 6.1 or 7.1.3 is a list.
 */
static void push_email_addresses(struct lookup *lk, const char *value,
				 enum maint_role role, size_t sec)
{
	struct vec parts = VEC_INIT;
	int list = 0;

	split_addresses(value, &parts);
	if (parts.n > 1) {
		list = 1;
		for (size_t i = 0; i < parts.n; i++) {
			const char *s = parts.items[i];
			const char *lt = strchr(s, '<');

			if (!(lt && strchr(lt, '@') && strchr(lt, '>')) &&
			    !(strchr(s, '@') && !strchr(s, ' ')))
				list = 0;
		}
	}
	if (list) {
		for (size_t i = 0; i < parts.n; i++)
			push_email_address(lk, parts.items[i], role, sec);
	} else if (!push_email_address(lk, value, role, sec)) {
		lookup_warn(lk, "Invalid MAINTAINERS address: '%s'", value);
	}
	vec_release(&parts, free);
}

/* add_categories($index): the M:, R: and L: lines of a section. */
static void add_categories(struct lookup *lk, size_t sec)
{
	struct maint_db *db = lk->db;
	const struct msection *s = &db->sec[sec];
	struct sbuf lc = SBUF_INIT;

	for (size_t i = s->start + 1; i < s->end; i++) {
		const struct tv *t = &db->tv[i];

		if (t->type == 'L') {
			const char *v = t->value, *sp;
			char *list;
			const char *more = "";
			struct entry *e;

			/* m/([^\s]+)\s+(.*)$/ */
			sp = v;
			while (*sp && !is_perl_space((unsigned char)*sp))
				sp++;
			if (*sp && sp > v) {
				more = sp;
				while (is_perl_space((unsigned char)*more))
					more++;
				list = xstrndup(v, sp - v);
			} else {
				list = xstrdup(v);
			}
			lower(&lc, list);
			if (strstr(more, "subscribers-only") ||
			    smap_has(&lk->hash_list, lc.buf)) {
				free(list);
				continue;
			}
			smap_put(&lk->hash_list, lc.buf, lk);
			e = entry_new(lk, list, MAINT_ROLE_LIST, sec);
			e->moderated = strstr(more, "moderated") != NULL;
			vec_push(&lk->list_to, e);
		} else if (t->type == 'M') {
			push_email_addresses(lk, t->value,
					     MAINT_ROLE_MAINTAINER, sec);
		} else if (t->type == 'R') {
			push_email_addresses(lk, t->value,
					     MAINT_ROLE_REVIEWER, sec);
		}
	}
	sbuf_release(&lc);
}

static int count_slashes(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '/';
	return n;
}

struct hit {
	size_t sec;
	int depth;
	size_t why_tv;
};

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	/*
	 * sort {$hash{$b} <=> $hash{$a}} keys %hash: deepest first; the
	 * script leaves ties in Perl's hash order, which changes from run
	 * to run.  vger takes them in MAINTAINERS order.
	 */
	if (x->depth != y->depth)
		return x->depth > y->depth ? -1 : 1;
	return x->sec < y->sec ? -1 : x->sec > y->sec;
}

static void candidates_add(struct maint_db *db, const struct vec *v,
			   struct vec *out)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		size_t s = *(size_t *)v->items[i];

		if (db->stamp[s] == db->gen)
			continue;
		db->stamp[s] = db->gen;
		vec_push(out, v->items[i]);
	}
}

static int size_ptr_cmp(const void *a, const void *b)
{
	size_t x = **(size_t *const *)a, y = **(size_t *const *)b;

	return x < y ? -1 : x > y;
}

/* Match one file against the sections; add their categories. */
static void match_file(struct lookup *lk, const char *file)
{
	struct maint_db *db = lk->db;
	struct vec cand = VEC_INIT;
	struct hit *hits;
	size_t nhits = 0;
	int file_pd = count_slashes(file);
	const char *slash;
	struct sbuf why = SBUF_INIT;

	if (++db->gen == 0) {
		memset(db->stamp, 0, db->nsec * sizeof(*db->stamp));
		db->gen = 1;
	}
	candidates_add(db, &db->wild, &cand);
	candidates_add(db, &db->nsecs, &cand);
	slash = strchr(file, '/');
	if (slash) {
		const char *slash2 = strchr(slash + 1, '/');

		candidates_add(db, smap_get_n(&db->index, file, slash - file),
			       &cand);
		if (slash2)
			candidates_add(db, smap_get_n(&db->index, file,
						      slash2 - file), &cand);
	}
	vec_sort(&cand, size_ptr_cmp);
	hits = xmalloc((cand.n + 1) * sizeof(*hits));
	for (size_t c = 0; c < cand.n; c++) {
		size_t s = *(size_t *)cand.items[c];
		const struct msection *sec = &db->sec[s];
		int exclude = 0, have = 0, depth = 0;
		size_t why_tv = 0;

		for (size_t i = sec->first; i < sec->end && !exclude; i++)
			if (db->tv[i].type == 'X' &&
			    mpat_match(db, db->tv[i].pat, db->tv[i].value,
				       file, file_pd))
				exclude = 1;
		if (exclude)
			continue;
		for (size_t i = sec->first; i < sec->end; i++) {
			struct tv *t = &db->tv[i];

			if (t->type == 'F' &&
			    mpat_match(db, t->pat, t->value, file, file_pd)) {
				depth = mpat_depth(db, t->pat, t->value);
				have = 1;
				why_tv = i;
			} else if (t->type == 'N' &&
				   re_match(&t->rx, file, strlen(file))) {
				depth = 0;
				have = 1;
				why_tv = i;
			}
		}
		if (have) {
			hits[nhits].sec = s;
			hits[nhits].depth = depth;
			hits[nhits].why_tv = why_tv;
			nhits++;
		}
	}
	qsort(hits, nhits, sizeof(*hits), hit_cmp);
	for (size_t h = 0; h < nhits; h++) {
		const struct tv *t = &db->tv[hits[h].why_tv];

		sbuf_reset(&why);
		sbuf_addf(&why, "%c: %s (%s)", t->type, t->value, file);
		lk->why = why.buf;
		lk->why_line = t->lineno;
		add_categories(lk, hits[h].sec);
	}
	lk->why = NULL;
	sbuf_release(&why);
	free(hits);
	vec_release(&cand, NULL);
}

/* clean_file_emails() for one match of the address regex. */
static char *clean_file_email(struct maint_db *db, const char *m)
{
	struct sbuf sub = SBUF_INIT, name = SBUF_INIT, addr = SBUF_INIT;
	const char *p = m;
	struct vec nw = VEC_INIT;
	char *out;

	/* s/[\(\<\{]{0,1}(addr)[\)\>\}]{0,1}/\<$1\>/g */
	while (*p) {
		size_t len = strlen(p);
		PCRE2_SIZE *ov;
		char *g;

		if (pcre2_match(db->fe_sub.code, (PCRE2_SPTR)p, len, 0, 0,
				db->fe_sub.md, NULL) < 0) {
			sbuf_addstr(&sub, p);
			break;
		}
		ov = pcre2_get_ovector_pointer(db->fe_sub.md);
		sbuf_add(&sub, p, ov[0]);
		g = xstrndup(p + ov[2], ov[3] - ov[2]);
		sbuf_addf(&sub, "<%s>", g);
		free(g);
		if (ov[1] == ov[0]) {
			if (!p[ov[0]])
				break;
			sbuf_addch(&sub, p[ov[0]]);
			p += ov[0] + 1;
		} else {
			p += ov[1];
		}
	}
	parse_email(db, sub.buf, &name, &addr);
	if (!strcmp(name.buf, "\"[,\\.]\""))
		sbuf_reset(&name);
	/* split(/[^A-Za-zÀ-ÿ\'\,\.\+-]/, $name): trailing empties dropped */
	{
		const char *s = name.buf, *start = name.buf;

		for (;; s++) {
			unsigned char c = *s;
			int keep = (c >= 'A' && c <= 'Z') ||
				   (c >= 'a' && c <= 'z') ||
				   (c >= 0x80 && c <= 0xc3) ||
				   strchr("',.+-", c);

			if (!c || !keep) {
				vec_push(&nw, xstrndup(start, s - start));
				if (!c)
					break;
				start = s + 1;
			}
		}
		while (nw.n && !*(char *)nw.items[nw.n - 1])
			free(vec_pop(&nw));
	}
	if (nw.n > 2) {
		const char *first = nw.items[nw.n - 3];
		const char *middle = nw.items[nw.n - 2];
		const char *last = nw.items[nw.n - 1];
		size_t fl = strlen(first), ml = strlen(middle);
		struct sbuf nn = SBUF_INIT;

		if ((fl == 1 && ((*first >= 'A' && *first <= 'Z') ||
				 (*first >= 'a' && *first <= 'z'))) ||
		    (fl == 2 && first[1] == '.') || ml == 1 ||
		    (ml == 2 && middle[1] == '.'))
			sbuf_addf(&nn, "%s %s %s", first, middle, last);
		else
			sbuf_addf(&nn, "%s %s", middle, last);
		sbuf_release(&name);
		name = nn;
	}
	vec_release(&nw, free);
	if (name.len && strchr(",.", name.buf[name.len - 1])) {
		sbuf_setlen(&name, name.len - 1);
	} else if (name.len >= 2 && strchr(",.", name.buf[name.len - 2]) &&
		   name.buf[name.len - 1] == '"') {
		sbuf_setlen(&name, name.len - 2);
		sbuf_addch(&name, '"');
	}
	if (name.len && strchr(",.", name.buf[0])) {
		memmove(name.buf, name.buf + 1, name.len);
		name.len--;
	} else if (name.len >= 2 && name.buf[0] == '"' &&
		   strchr(",.", name.buf[1])) {
		memmove(name.buf + 1, name.buf + 2, name.len - 1);
		name.len--;
	}
	out = format_email(name.buf, addr.buf);
	sbuf_release(&sub);
	sbuf_release(&name);
	sbuf_release(&addr);
	return out;
}

/* maintainers_in_file(): the addresses in a touched .yaml file. */
static void maintainers_in_file(struct lookup *lk, const char *file)
{
	struct maint_db *db = lk->db;
	struct sbuf text = SBUF_INIT;
	struct err e = ERR_INIT;
	char *path;
	size_t off = 0;

	if (!str_ends_with(file, ".yaml") || str_ends_with(file, "MAINTAINERS"))
		return;
	path = path_join(db->root, file);
	if (!fs_exists(path) || fs_is_dir(path) ||
	    sbuf_read_file(&text, path, MAINT_FILE_MAX, &e)) {
		free(path);
		sbuf_release(&text);
		return;
	}
	free(path);
	while (off <= text.len &&
	       pcre2_match(db->fe_addr.code, (PCRE2_SPTR)text.buf, text.len,
			   off, 0, db->fe_addr.md, NULL) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(db->fe_addr.md);
		char *m = xstrndup(text.buf + ov[0], ov[1] - ov[0]);
		struct entry *en = xcalloc(1, sizeof(*en));
		struct sbuf why = SBUF_INIT;

		en->email = clean_file_email(db, m);
		en->role = MAINT_ROLE_FILE;
		en->sec = SIZE_MAX;
		sbuf_addf(&why, "in file %s", file);
		en->why = sbuf_detach(&why);
		vec_push(&lk->file_emails, en);
		free(m);
		off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	sbuf_release(&text);
}

/* deduplicate_email() */
static char *deduplicate_email(struct lookup *lk, const char *email)
{
	struct maint_db *db = lk->db;
	struct sbuf n = SBUF_INIT, a = SBUF_INIT, lc = SBUF_INIT;
	char *e1, *e2, *out;
	char **hit = NULL;

	e1 = normal_email(db, email);
	e2 = mailmap_email(db, e1);
	parse_email(db, e2, &n, &a);
	if (n.len) {
		lower(&lc, n.buf);
		hit = smap_get(&lk->dedup_name, lc.buf);
	}
	if (!hit) {
		lower(&lc, a.buf);
		hit = smap_get(&lk->dedup_addr, lc.buf);
	}
	if (hit) {
		sbuf_reset(&n);
		sbuf_addstr(&n, hit[0]);
		sbuf_reset(&a);
		sbuf_addstr(&a, hit[1]);
	} else {
		char **pair = xmalloc(2 * sizeof(*pair));
		char **pair2 = xmalloc(2 * sizeof(*pair2));

		pair[0] = xstrdup(n.buf);
		pair[1] = xstrdup(a.buf);
		pair2[0] = xstrdup(n.buf);
		pair2[1] = xstrdup(a.buf);
		lower(&lc, n.buf);
		{
			char **old = smap_get(&lk->dedup_name, lc.buf);

			if (old) {
				free(old[0]);
				free(old[1]);
				free(old);
			}
		}
		smap_put(&lk->dedup_name, lc.buf, pair);
		lower(&lc, a.buf);
		smap_put(&lk->dedup_addr, lc.buf, pair2);
	}
	free(e1);
	free(e2);
	e1 = format_email(n.buf, a.buf);
	out = mailmap_email(db, e1);
	free(e1);
	sbuf_release(&n);
	sbuf_release(&a);
	sbuf_release(&lc);
	return out;
}

static void free_pair(void *p)
{
	char **pair = p;

	if (!pair)
		return;
	free(pair[0]);
	free(pair[1]);
	free(pair);
}

/* Scan one patch as the script's loop over its lines does. */
static void scan_patch(struct lookup *lk, const struct maint_input *in)
{
	struct maint_db *db = lk->db;
	const char *p = in->text, *end = in->text + in->len;
	size_t before = lk->files.n;
	int in_diff = 0;		/* $patch_prefix = "^[+-].*" */
	char num[32];

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		const char *line = p;
		struct maint_re *rx = NULL;

		p += len;
		if (len >= 13 && !memcmp(line, " mode change ", 13) &&
		    re_match(&db->p_mode, line, len)) {
			rx = &db->p_mode;
		} else if (len >= 7 && !memcmp(line, "rename ", 7) &&
			   re_match(&db->p_rename, line, len)) {
			rx = &db->p_rename;
		} else if (len >= 11 && !memcmp(line, "diff --git ", 11) &&
			   re_match(&db->p_diff, line, len)) {
			vec_push(&lk->files, re_group(&db->p_diff, line, 1));
			vec_push(&lk->files, re_group(&db->p_diff, line, 2));
			continue;
		} else if (len >= 6 && !memcmp(line, "Fixes:", 6) &&
			   re_match(&db->p_fixes, line, len)) {
			char *id = re_group(&db->p_fixes, line, 1);

			if (vec_find_str(&lk->fixes, id) < 0)
				vec_push(&lk->fixes, id);
			else
				free(id);
			continue;
		} else if (len >= 3 && (!memcmp(line, "+++", 3) ||
					!memcmp(line, "---", 3)) &&
			   re_match(&db->p_pm, line, len)) {
			char *g = re_group(&db->p_pm, line, 1);
			char *s = strchr(g, '/');

			/* s@^[^/]*\/@@ */
			if (s)
				memmove(g, s + 1, strlen(s + 1) + 1);
			vec_push(&lk->files, g);
			in_diff = 1;
			continue;
		} else if (len >= 4 && line[0] == '@' &&
			   re_match(&db->p_hunk, line, len)) {
			continue;
		}
		if (rx) {
			vec_push(&lk->files, re_group(rx, line, 1));
			continue;
		}
		if (!db->nkw)
			continue;
		/* the keywords: against every other line */
		if (++db->kw_lines == MAINT_KW_JIT_LINES) {
			if (db->kw_any.code)
				pcre2_jit_compile(db->kw_any.code,
						  PCRE2_JIT_COMPLETE);
			if (db->kw_any_patch.code)
				pcre2_jit_compile(db->kw_any_patch.code,
						  PCRE2_JIT_COMPLETE);
		}
		if (in_diff && line[0] != '+' && line[0] != '-') {
			if (!db->kw_other_lines)
				continue;
			if (db->kw_any_other.code &&
			    !re_match(&db->kw_any_other, line, len))
				continue;
		} else if (in_diff) {
			if (db->kw_any_patch.code &&
			    !re_match(&db->kw_any_patch, line, len))
				continue;
		} else if (db->kw_any.code &&
			   !re_match(&db->kw_any, line, len)) {
			continue;
		}
		for (size_t k = 0; k < db->nkw; k++) {
			struct tv *t = &db->tv[db->kw[k]];

			if (re_match(in_diff ? &t->rx_patch : &t->rx, line,
				     len)) {
				snprintf(num, sizeof(num), "%zu", db->kw[k]);
				smap_put(&lk->keyword_tvi, num, lk);
			}
		}
	}
	if (lk->files.n == before)
		lookup_warn(lk, "%s: does not appear to be a patch",
			    in->name ? in->name : "(input)");
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_and_uniq(struct vec *v)
{
	size_t j = 0;

	vec_sort(v, str_ptr_cmp);
	for (size_t i = 0; i < v->n; i++) {
		if (j && !strcmp(v->items[j - 1], v->items[i])) {
			free(v->items[i]);
			continue;
		}
		v->items[j++] = v->items[i];
	}
	v->n = j;
}

static void lookup_release(struct lookup *lk)
{
	vec_release(&lk->files, free);
	smap_release(&lk->keyword_tvi, NULL);
	vec_release(&lk->email_to, entry_free);
	vec_release(&lk->list_to, entry_free);
	vec_release(&lk->file_emails, entry_free);
	vec_release_str(&lk->fixes);
	smap_release(&lk->hash_name, NULL);
	smap_release(&lk->hash_addr, NULL);
	smap_release(&lk->hash_list, NULL);
	smap_release(&lk->dedup_name, free_pair);
	smap_release(&lk->dedup_addr, free_pair);
}

static void emit(struct lookup *lk, struct smap *seen, struct entry *e)
{
	struct maint_db *db = lk->db;
	struct maint_addr *a;

	a = smap_get(seen, e->email);
	if (a) {
		/* merge_email(): the first stays; a maintainer is To */
		if (e->role == MAINT_ROLE_MAINTAINER &&
		    a->role == MAINT_ROLE_REVIEWER)
			a->role = MAINT_ROLE_MAINTAINER;
		return;
	}
	a = xcalloc(1, sizeof(*a));
	smap_put(seen, e->email, a);
	a->addr = xstrdup(e->email);
	a->role = e->role;
	a->moderated = e->moderated;
	if (e->sec != SIZE_MAX) {
		const struct tv *title = &db->tv[db->sec[e->sec].start];

		a->section = xstrdup(title->value);
		a->section_line = title->lineno;
	} else {
		a->section = xstrdup("");
	}
	a->why = xstrdup(e->why ? e->why : "");
	a->why_line = e->why_line;
	vec_push(&lk->res->addrs, a);
}

/* The text after the last colon, without leading blanks. */
static char *after_last_colon(const char *line)
{
	const char *c = strrchr(line, ':');
	const char *v = c ? c + 1 : line;

	while (is_perl_space((unsigned char)*v))
		v++;
	return xstrdup(v);
}

static git_repository *fixes_repo(struct maint_db *db)
{
	/* libgit2 only when a Fixes: line needs it: its start-up is slow */
	if (!db->repo_state) {
		git_libgit2_init();
		db->repo_state = git_repository_open_ext(&db->repo, db->root,
			GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) ? -1 : 1;
	}
	return db->repo_state > 0 ? db->repo : NULL;
}

struct signer_count {
	const char *email;
	size_t n;
};

static int count_cmp(const void *a, const void *b)
{
	const struct signer_count *x = a, *y = b;

	/* sort {$hash{$b} <=> $hash{$a}}: ties in hash order; here sorted */
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->email, y->email);
}

/*
 * vcs_add_commit_signers($fix, "blamed_fixes"): the Signed-off-by,
 * Reviewed-by and Acked-by lines of the commit (git log -1), at most
 * five, not Linus, not in .get_maintainer.ignore.
 */
static void add_fix_signers(struct lookup *lk, const char *id)
{
	struct maint_db *db = lk->db;
	git_repository *repo = fixes_repo(db);
	git_object *obj = NULL, *peeled = NULL;
	const git_signature *author;
	const char *body, *p;
	struct vec signers = VEC_INIT, mapped = VEC_INIT;
	struct signer_count *counts;
	struct sbuf line = SBUF_INIT, why = SBUF_INIT;
	size_t nc = 0, taken = 0;

	if (!repo || git_revparse_single(&obj, repo, id) ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
		git_object_free(obj);
		git_error_clear();
		return;
	}
	body = git_commit_body((git_commit *)peeled);
	author = git_commit_author((git_commit *)peeled);
	for (p = body ? body : ""; *p;) {
		size_t len = str_line_len(p);

		sbuf_reset(&line);
		sbuf_add(&line, p, len);
		p += len;
		if (*p == '\n')
			p++;
		perl_trim(&line);	/* git_execute_cmd() strips blanks */
		if (!re_match(&db->signature, line.buf, line.len) ||
		    re_match(&db->linus, line.buf, line.len))
			continue;
		vec_push(&signers, after_last_colon(line.buf));
	}
	if (signers.n) {
		/* extract_formatted_signatures(@authors) de-duplicates too */
		struct sbuf a = SBUF_INIT;
		char *d;

		sbuf_addf(&a, "%s <%s>", author->name, author->email);
		d = deduplicate_email(lk, a.buf);
		free(d);
		sbuf_release(&a);
	}
	for (size_t i = 0; i < signers.n; i++) {
		char *d1 = deduplicate_email(lk, signers.items[i]);
		char *d2 = deduplicate_email(lk, d1);

		vec_push(&mapped, mailmap_email(db, d2));	/* mailmap() */
		free(d1);
		free(d2);
	}
	vec_sort(&mapped, str_ptr_cmp);
	counts = xcalloc(mapped.n + 1, sizeof(*counts));
	for (size_t i = 0; i < mapped.n; i++) {
		if (nc && !strcmp(counts[nc - 1].email, mapped.items[i])) {
			counts[nc - 1].n++;
			continue;
		}
		counts[nc].email = mapped.items[i];
		counts[nc++].n = 1;
	}
	qsort(counts, nc, sizeof(*counts), count_cmp);
	sbuf_addf(&why, "Fixes: %s", id);
	lk->why = why.buf;
	lk->why_line = 0;
	for (size_t i = 0; i < nc; i++) {
		if (vec_find_str(&db->ignore, counts[i].email) >= 0)
			continue;	/* ignore_email_address() */
		if (++taken > 5)	/* $email_git_max_maintainers */
			break;
		push_email_address(lk, counts[i].email, MAINT_ROLE_FIXES,
				   SIZE_MAX);
	}
	lk->why = NULL;
	free(counts);
	vec_release_str(&signers);
	vec_release_str(&mapped);
	sbuf_release(&line);
	sbuf_release(&why);
	git_object_free(peeled);
	git_object_free(obj);
}

static int kw_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* get_maintainers() over lk->files and lk->keyword_tvi */
static void get_maintainers(struct lookup *lk)
{
	struct maint_db *db = lk->db;
	struct smap seen = { NULL, 0, 0 };
	struct vec kws = VEC_INIT, keep = VEC_INIT;
	struct sbuf why = SBUF_INIT;

	sort_and_uniq(&lk->files);
	for (size_t i = 0; i < lk->files.n; i++) {
		match_file(lk, lk->files.items[i]);
		maintainers_in_file(lk, lk->files.items[i]);
	}
	/* @keyword_tvi = sort_and_uniq(@keyword_tvi): sorted as strings */
	for (size_t i = 0; i < lk->keyword_tvi.alloc; i++)
		if (lk->keyword_tvi.slots[i].key)
			vec_push(&kws, lk->keyword_tvi.slots[i].key);
	if (kws.n)
		qsort(kws.items, kws.n, sizeof(*kws.items), kw_cmp);
	for (size_t i = 0; i < kws.n; i++) {
		long tvi;
		const struct tv *t;

		if (str_to_long(kws.items[i], &tvi) || tvi < 0 ||
		    (size_t)tvi >= db->ntv || db->sec_of[tvi] == SIZE_MAX)
			BUG("maint: keyword index %s", (char *)kws.items[i]);
		t = &db->tv[tvi];
		sbuf_reset(&why);
		sbuf_addf(&why, "K: %s", t->value);
		lk->why = why.buf;
		lk->why_line = t->lineno;
		add_categories(lk, db->sec_of[tvi]);
	}
	lk->why = NULL;
	vec_release(&kws, NULL);
	for (size_t i = 0; i < lk->email_to.n; i++) {
		struct entry *e = lk->email_to.items[i];
		char *d = deduplicate_email(lk, e->email);

		free(e->email);
		e->email = d;
	}
	for (size_t i = 0; i < lk->list_to.n; i++) {
		struct entry *e = lk->list_to.items[i];
		char *d = deduplicate_email(lk, e->email);

		free(e->email);
		e->email = d;
	}
	/* --nogit-chief-penguins: grep($_->[0] !~ /$chief/, @email_to) */
	for (size_t i = 0; i < lk->email_to.n; i++) {
		struct entry *e = lk->email_to.items[i];

		if (re_match(&db->chief, e->email, strlen(e->email)))
			entry_free(e);
		else
			vec_push(&keep, e);
	}
	vec_release(&lk->email_to, NULL);
	lk->email_to = keep;
	/* @file_emails: mailmapped and pushed as maintainers */
	for (size_t i = 0; i < lk->file_emails.n; i++) {
		struct entry *fe = lk->file_emails.items[i];
		char *m = mailmap_email(db, fe->email);

		lk->why = fe->why;
		lk->why_line = 0;
		push_email_address(lk, m, MAINT_ROLE_FILE, SIZE_MAX);
		lk->why = NULL;
		free(m);
	}
	/* foreach my $fix (@fixes) { vcs_add_commit_signers(...) } */
	for (size_t i = 0; i < lk->fixes.n && db->use_fixes; i++)
		add_fix_signers(lk, lk->fixes.items[i]);
	for (size_t i = 0; i < lk->email_to.n; i++)
		emit(lk, &seen, lk->email_to.items[i]);
	for (size_t i = 0; i < lk->list_to.n; i++)
		emit(lk, &seen, lk->list_to.items[i]);
	for (size_t i = 0; i < lk->files.n; i++)
		vec_push_str(&lk->res->files, lk->files.items[i]);
	smap_release(&seen, NULL);
	sbuf_release(&why);
}

int maint_db_lookup(struct maint_db *db, const struct maint_input *inputs,
		    size_t n, struct maint_result *out, struct err *err)
{
	struct lookup lk;

	memset(&lk, 0, sizeof(lk));
	lk.db = db;
	lk.res = out;
	build_keyword_filter(db);
	for (size_t i = 0; i < n; i++)
		scan_patch(&lk, &inputs[i]);
	get_maintainers(&lk);
	lookup_release(&lk);
	return 0;
}

int maint_db_lookup_files(struct maint_db *db, const char *const *files,
			  size_t n, struct maint_result *out,
			  struct err *err)
{
	struct lookup lk;
	char num[32];

	memset(&lk, 0, sizeof(lk));
	lk.db = db;
	lk.res = out;
	for (size_t i = 0; i < n; i++) {
		struct sbuf text = SBUF_INIT;
		struct err e = ERR_INIT;
		char *path;

		vec_push_str(&lk.files, files[i]);
		if (!strcmp(files[i], "MAINTAINERS") || !db->nkw)
			continue;
		/* the keywords against the file's whole text */
		path = path_join(db->root, files[i]);
		if (fs_exists(path) && !fs_is_dir(path) &&
		    !sbuf_read_file(&text, path, MAINT_FILE_MAX, &e)) {
			for (size_t k = 0; k < db->nkw; k++) {
				struct tv *t = &db->tv[db->kw[k]];

				if (!re_match(&t->rx, text.buf, text.len))
					continue;
				snprintf(num, sizeof(num), "%zu", db->kw[k]);
				smap_put(&lk.keyword_tvi, num, &lk);
			}
		}
		sbuf_release(&text);
		free(path);
	}
	get_maintainers(&lk);
	lookup_release(&lk);
	return 0;
}

static void maint_addr_free(void *p)
{
	struct maint_addr *a = p;

	if (!a)
		return;
	free(a->addr);
	free(a->section);
	free(a->why);
	free(a);
}

void maint_result_release(struct maint_result *r)
{
	vec_release(&r->addrs, maint_addr_free);
	vec_release_str(&r->files);
	vec_release_str(&r->warnings);
}

const char *maint_role_name(enum maint_role role)
{
	switch (role) {
	case MAINT_ROLE_MAINTAINER:
		return "maintainer";
	case MAINT_ROLE_REVIEWER:
		return "reviewer";
	case MAINT_ROLE_LIST:
		return "list";
	case MAINT_ROLE_FILE:
		return "file";
	case MAINT_ROLE_FIXES:
		return "fixes";
	}
	return "?";
}
