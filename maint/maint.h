/*
 * MAINTAINERS in C: who gets a patch, computed as the kernel's
 *
 *   scripts/get_maintainer.pl --norolestats --nogit --nogit-fallback \
 *	--nogit-chief-penguins PATCH...
 *
 * (version 0.26, Linux 6.1) computes it, run at the top of the same
 * tree: M:, R:, L: lines (subscriber-only lists left out, moderated
 * ones kept), F:/X: patterns with the script's directory, wildcard,
 * prefix and depth rules, N: and K: Perl regexes (matched with PCRE2),
 * the tree's .mailmap, the YAML files' own maintainers, the signers
 * of commits named by Fixes: lines when the tree is a git repository
 * (with .get_maintainer.ignore), the e-mail de-duplication by name and
 * address, and THE REST.  See
 * doc/README-maint.md for the rules and the known differences.
 *
 * The database is parsed once (a few milliseconds for the whole file)
 * and then answers any number of lookups.
 */
#ifndef MAINT_MAINT_H
#define MAINT_MAINT_H

#include <stddef.h>

#include "util/vec.h"

struct err;
struct maint_db;

struct maint_options {
	/*
	 * The top of the kernel tree: F: patterns naming a directory
	 * are recognised there, as the script does with -d, and .yaml
	 * files and .mailmap are read from it.  Required.
	 */
	const char *root;
	/* The MAINTAINERS file; NULL: root/MAINTAINERS. */
	const char *maintainers;
	/* The .mailmap; NULL: root/.mailmap (none is fine). */
	const char *mailmap;
	/*
	 * .get_maintainer.ignore; NULL: root/.get_maintainer.ignore.  The
	 * script uses it only for addresses taken from git history, here
	 * the signers of commits named by Fixes: lines.
	 */
	const char *ignore;
	int no_mailmap;		/* like --nomailmap */
	int no_keywords;	/* like --nokeywords */
	int no_fixes;		/* like --nofixes */
	/*
	 * The match steps the regexes of MAINTAINERS (N:, K:, F:/X: with
	 * regex characters) may take in one lookup; 0: MAINT_RE_BUDGET
	 * plus MAINT_RE_BUDGET_PER_BYTE for each byte of the patches (or
	 * of the files, for maint_db_lookup_files()).
	 */
	unsigned long long re_budget;
};

/*
 * A MAINTAINERS file of a tree under review is not trusted.  One
 * match stops after MAINT_RE_MATCH_LIMIT steps or MAINT_RE_DEPTH_LIMIT
 * nested backtracking points at a start position (PCRE2's limits; the
 * real files need 512 at most), and all the matches of the file's
 * regexes in one lookup stop after the budget above.  A stopped regex
 * is taken as not matching, and a warning names its line.  The one
 * filter that runs every K: regex over every line at once (they need
 * 128 at most) stops at MAINT_RE_FILTER_LIMIT steps a start position;
 * then the K: regexes decide on their own.  So a lookup of B bytes of
 * patches takes at most MAINT_RE_BUDGET + (MAINT_RE_BUDGET_PER_BYTE +
 * MAINT_RE_FILTER_LIMIT) * B match steps, whatever the file holds.
 */
#define MAINT_RE_MATCH_LIMIT 100000u
#define MAINT_RE_DEPTH_LIMIT 10000u
#define MAINT_RE_FILTER_LIMIT 5000u
#define MAINT_RE_BUDGET 20000000ull
#define MAINT_RE_BUDGET_PER_BYTE 1024u

/* What brought an address in, for the To/Cc split. */
enum maint_role {
	MAINT_ROLE_MAINTAINER,	/* M: */
	MAINT_ROLE_REVIEWER,	/* R: */
	MAINT_ROLE_LIST,	/* L: */
	MAINT_ROLE_FILE,	/* named in a touched .yaml file */
	MAINT_ROLE_FIXES,	/* signed a commit named by a Fixes: line */
};

struct maint_addr {
	char *addr;		/* as get_maintainer.pl prints it */
	enum maint_role role;
	int moderated;		/* an L: marked "moderated for ..." */
	char *section;		/* the section's title ("" for a .yaml) */
	unsigned section_line;	/* its line in MAINTAINERS (0: none) */
	/*
	 * Why the section matched: "F: kernel/bpf/ (kernel/bpf/core.c)",
	 * "N: \bmxc[^\d] (drivers/...)", "K: (?:\b|_)bpf(?:\b|_)", or
	 * "in file Documentation/devicetree/....yaml".
	 */
	char *why;
	unsigned why_line;	/* the MAINTAINERS line of the pattern */
};

/*
 * What a lookup cost, in units that do not depend on the machine: a
 * MAINTAINERS file of a tree under review is not trusted, and these
 * are the counts its patterns are bounded by.
 */
struct maint_work {
	/* pattern elements the F:/X: glob matcher compared */
	unsigned long long glob_steps;
	/* PCRE2 match steps (pattern items visited) of the file's regexes */
	unsigned long long re_steps;
	/* matches that PCRE2's match or depth limit stopped */
	unsigned long re_stopped;
	/* the budget of the lookup ran out */
	int re_budget_spent;
};

/* The answer of one lookup; release with maint_result_release(). */
struct maint_result {
	struct vec addrs;	/* struct maint_addr *, in output order */
	struct vec files;	/* char *: the files found, sorted */
	struct vec warnings;	/* char *: "what: message" lines */
	struct maint_work work;
};

#define MAINT_RESULT_INIT { VEC_INIT, VEC_INIT, VEC_INIT, { 0, 0, 0, 0 } }

/* One patch as text: a mail, an mbox of several, or a bare diff. */
struct maint_input {
	const char *name;	/* for warnings ("0001-foo.patch") */
	const char *text;
	size_t len;
};

/*
 * Parse the MAINTAINERS file (and .mailmap).  Lines that do not parse
 * are kept as get_maintainer.pl keeps them and reported in
 * maint_db_warnings() as "FILE:LINE: message".  Free with
 * maint_db_free().  0 or a negative err code: ERR_NOTFOUND when the
 * MAINTAINERS file is missing, ERR_PARSE when it is binary, empty or
 * has no section (where the script would give no address at all).
 */
int maint_db_open(struct maint_db **out, const struct maint_options *opt,
		  struct err *err);
/* Warnings from parsing: char *, owned by db. */
const struct vec *maint_db_warnings(const struct maint_db *db);
/* Number of sections parsed (for tests and --why output). */
size_t maint_db_nsections(const struct maint_db *db);
void maint_db_free(struct maint_db *db);

/*
 * The addresses for the patches in inputs, all together, as one run
 * of get_maintainer.pl with every patch on its command line.  out
 * must be MAINT_RESULT_INIT or released.  0 or a negative err code.
 */
int maint_db_lookup(struct maint_db *db, const struct maint_input *inputs,
		    size_t n, struct maint_result *out, struct err *err);
/* The addresses for files of the tree (like get_maintainer.pl -f). */
int maint_db_lookup_files(struct maint_db *db, const char *const *files,
			  size_t n, struct maint_result *out,
			  struct err *err);
void maint_result_release(struct maint_result *r);
/*
 * The people and lists of the first section whose title starts with
 * prefix ("BPF [GENERAL]"): its M:, R: and L: lines in their order,
 * each address once and .mailmap applied, appended to out->addrs
 * (role, section and why: the section's title).  For asking the
 * maintainers of a subsystem, as the BPF FAQ asks bug reports and
 * stable requests to.  ERR_NOTFOUND when no section has the title.
 */
int maint_db_section(struct maint_db *db, const char *prefix,
		     struct maint_result *out, struct err *err);

/* "maintainer", "reviewer", "list", "file". */
const char *maint_role_name(enum maint_role role);

#endif
