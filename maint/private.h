/*
 * What the files of maint/ share and nothing else includes: the parsed
 * database, a string-keyed map, the PCRE2 wrappers, the F:/X: patterns
 * and the script's address rules.
 *
 *   db.c      reading MAINTAINERS, .mailmap and .get_maintainer.ignore
 *   yaml.c    the addresses in a touched .yaml file
 *   email.c   parse_email, format_email, mailmap_email
 *   pattern.c F:/X: patterns: the glob matcher, depth, index keys
 *   regex.c   PCRE2 wrappers
 *   map.c     the string-keyed hash map
 *   lookup.c  a lookup: files and keywords to sections, de-duplication,
 *             Fixes: signers, the result
 */
#ifndef MAINT_PRIVATE_H
#define MAINT_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <git2.h>
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "maint/maint.h"
#include "util/vec.h"

struct sbuf;

#define MAINT_FILE_MAX (64u << 20)	/* MAINTAINERS, .mailmap, patches */

/* ---- a small string-keyed hash map (owned keys, borrowed values) ---- */

struct maint_map_slot {
	char *key;
	void *val;
};

struct maint_map {
	struct maint_map_slot *slots;
	size_t n, alloc;	/* alloc: a power of two */
};

#define MAINT_MAP_INIT { NULL, 0, 0 }

void *maint_map_get_n(const struct maint_map *m, const char *key, size_t len);
void *maint_map_get(const struct maint_map *m, const char *key);
int maint_map_has(const struct maint_map *m, const char *key);
/* Set key to val (like a Perl hash: a later value replaces). */
void **maint_map_put(struct maint_map *m, const char *key, void *val);
/* Free the keys, and the values with free_val when it is not NULL. */
void maint_map_release(struct maint_map *m, void (*free_val)(void *));

/* ---- regexes ---- */

struct maint_re {
	pcre2_code *code;
	pcre2_match_data *md;
	int counted;		/* MAINT_RE_COUNTED */
	int filter;		/* MAINT_RE_FILTER */
};

struct maint_db;

/*
 * JIT compiling costs about as much as a thousand matches: only the
 * regexes run on every line of a patch are worth it (MAINT_RE_JIT).
 */
#define MAINT_RE_JIT 0x80000000u
/*
 * A regex taken from MAINTAINERS: its match steps are counted against
 * the lookup's budget (see regex.c).
 */
#define MAINT_RE_COUNTED 0x40000000u
/*
 * A filter made of the file's regexes, which only says whether they
 * may match: it runs under MAINT_RE_FILTER_LIMIT, uncounted.
 */
#define MAINT_RE_FILTER 0x20000000u

/* What maint_re_run() found. */
enum maint_re_rc {
	MAINT_RE_NOMATCH = 0,
	MAINT_RE_MATCH = 1,
	MAINT_RE_STOPPED = -1,	/* a match or depth limit stopped it */
	MAINT_RE_SPENT = -2,	/* the lookup's budget is spent */
};

/* Compile with PCRE2 and MAINT_RE_* flags; -1 with the reason in why. */
int maint_re_compile(struct maint_re *re, const char *pattern, size_t len,
		     uint32_t flags, struct sbuf *why);
void maint_re_release(struct maint_re *re);
/* The match context of db: limits, and the step counter; once. */
void maint_re_init(struct maint_db *db);
/* Let the counted regexes of db take steps more match steps. */
void maint_re_budget(struct maint_db *db, unsigned long long steps);
/*
 * Match re against s[0, len) from offset off with db's limits and
 * budget: an enum maint_re_rc (an error counts as no match, as in
 * Perl).
 */
int maint_re_run(struct maint_db *db, struct maint_re *re, const char *s,
		 size_t len, size_t off);
/* maint_re_run() from 0: 1 on a match, 0 on none or a stopped one. */
int maint_re_match(struct maint_db *db, struct maint_re *re, const char *s,
		   size_t len);
/* Group i of the last match, as a new string ("" when unset). */
char *maint_re_group(struct maint_re *re, const char *s, int i);

/* ---- the database ---- */

enum { MAINT_DIR_UNKNOWN = -1, MAINT_DIR_NO = 0, MAINT_DIR_YES = 1 };

/* An F: or X: pattern. */
struct maint_pat {
	char *re;		/* the script's regex text (. * ? rewritten) */
	struct maint_re rx;	/* compiled only when needs_re */
	int needs_re;
	int is_dir;		/* MAINT_DIR_*: -d on re, when first needed */
	int slashes;		/* '/' in re, before a slash is appended */
	int ends_slash;		/* re ends with '/' */
	int leading_star;	/* re starts with ".*": depth -1 */
};

/* One entry of the script's @typevalue. */
struct maint_tv {
	char type;		/* 'A'..'Z', or 0 for a title or stray line */
	const char *value;	/* after "T:" and blanks; the line for 0 */
	unsigned lineno;
	struct maint_pat *pat;	/* F:, X: (&patv once the list is read) */
	struct maint_pat patv;
	struct maint_re rx;	/* N: m/$value/x; K: m/$value/x */
	struct maint_re rx_patch; /* K: m/^[+-].*$value/x */
	int bad;		/* a regex that did not compile: no match */
};

/* A maximal run of type:value lines and the title before it. */
struct maint_section {
	size_t start;		/* find_starting_index(): the title */
	size_t first, end;	/* the type:value lines [first, end) */
	int has_n;
};

struct maint_db {
	char *root;
	char *text;		/* MAINTAINERS; values point into it */
	char *path;
	struct maint_tv *tv;
	size_t ntv;
	struct maint_section *sec;
	size_t nsec;
	size_t *sec_of;		/* section of each tv (or SIZE_MAX) */
	/* Sections by the literal leading path components of F:. */
	struct maint_map index;	/* "c1" or "c1/c2" -> struct vec of ids */
	struct vec wild;	/* section ids (as pointers to size_t) */
	size_t *ids;		/* 0..nsec-1, pointed to by the vecs */
	struct vec nsecs;	/* sections with an N: line */
	size_t *kw;		/* tv index of every K: line */
	size_t nkw;
	struct maint_re kw_any;	/* all K: as one filter */
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
	struct maint_map mm_names, mm_addrs;
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
	/* The counters of the lookup in progress (idle: none is). */
	struct maint_work *work;
	struct maint_work idle;
	pcre2_match_context *mctx;	/* maint_re_init() */
	pcre2_match_context *fctx;	/* the same for filters */
	unsigned long long re_left;	/* steps of counted regexes left */
	unsigned long long re_budget;	/* maint_options.re_budget */
};

/* Add "PATH:LINE: message" to the database's warnings. */
void maint_db_warn(struct maint_db *db, unsigned lineno, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
/*
 * Compile the filter of all K: lines, once; at the first lookup, so
 * that opening the database stays cheap.
 */
void maint_db_keyword_filter(struct maint_db *db);

static inline int maint_perl_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

/* ---- F: and X: patterns ---- */

/* Read the F:/X: value raw of MAINTAINERS line lineno into *pat. */
void maint_pat_init(struct maint_db *db, struct maint_pat *pat,
		    const char *raw, unsigned lineno);
void maint_pat_release(struct maint_pat *pat);
/*
 * file_match_pattern($file, $pattern); file_slashes: '/' in file.  An
 * enum maint_re_rc: a pattern with regex characters is a counted
 * regex.
 */
int maint_pat_match(struct maint_db *db, struct maint_pat *pat,
		    const char *raw, const char *file, int file_slashes);
/* $value_pd for a matching F: pattern. */
int maint_pat_depth(const struct maint_db *db, struct maint_pat *pat,
		    const char *raw);
/*
 * The key of the index for an F: pattern: its first one or two path
 * components when they are literal and followed by a slash, so that
 * only files under them can match.  NULL: test it against every file.
 */
char *maint_pat_key(const char *raw);

/* ---- e-mail addresses: the script's rules ---- */

/* $s =~ s/^\s+|\s+$//g */
void maint_perl_trim(struct sbuf *sb);
/* parse_email($s): name and address (both reset first). */
void maint_parse_email(struct maint_db *db, const char *s,
		       struct sbuf *name, struct sbuf *addr);
/* format_email($name, $address, 1); the caller frees. */
char *maint_format_email(const char *name, const char *address);
/* parse_email() then format_email(); the caller frees. */
char *maint_normal_email(struct maint_db *db, const char *s);
/* mailmap_email($line) with the database's .mailmap; the caller frees. */
char *maint_mailmap_email(struct maint_db *db, const char *line);

/*
 * maintainers_in_file(): append to out (char *, the caller's) the
 * addresses in file (a path in the tree) when it is a .yaml file.
 */
void maint_yaml_addresses(struct maint_db *db, const char *file,
			  struct vec *out);

#endif
