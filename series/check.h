/*
 * vger check: the BPF and netdev submission rules (the kernel's BPF
 * development FAQ), checked on a series before respin writes it or
 * send sends it.  The model takes plain options, returns findings and
 * never prints.
 */
#ifndef SERIES_CHECK_H
#define SERIES_CHECK_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct err;
struct series_patches;

/* The rules: X(enum name, id for config and output, one-line summary). */
#define CHECK_RULES(X) \
	X(SUBJECT_PREFIX, "subject-prefix", \
	  "the subject prefix names the tree and version; numbering is complete") \
	X(FIXES_TAG, "fixes-tag", \
	  "every patch for bpf (fixes) has a Fixes: tag") \
	X(FIXES_FORMAT, "fixes-format", \
	  "Fixes: <12+ hex> (\"subject\") on one line, naming a real commit") \
	X(EMPTY_MESSAGE, "empty-message", \
	  "a commit message has a body beyond the subject and trailers") \
	X(COVER_LETTER, "cover-letter", \
	  "a series of more than one patch has a (filled-in) cover letter") \
	X(NO_STABLE_CC, "no-stable-cc", \
	  "no Cc: stable@vger.kernel.org; ask the maintainers under ---") \
	X(VERIFIER_SELFTESTS, "verifier-selftests", \
	  "a change to kernel/bpf/verifier.c comes with selftests") \
	X(UAPI_TOOLS_SYNC, "uapi-tools-sync", \
	  "include/uapi/linux/bpf.h changes are mirrored in tools/include") \
	X(SAMPLES_TEST, "samples-test", \
	  "a new test under samples/bpf belongs in the selftests") \
	X(SIGNED_OFF_BY, "signed-off-by", \
	  "every patch has its author's Signed-off-by:") \
	X(WHOLE_SERIES, "whole-series", \
	  "a respin resends the whole series or says why it is shorter") \
	X(SERIES_SIZE, "series-size", \
	  "no more than 15 patches in one series") \
	X(REPOST_24H, "repost-24h", \
	  "no new version within 24 hours of the previous one") \
	X(TREE_CLOSED, "tree-closed", \
	  "the target tree is open (not in the merge window)") \
	X(CHECKPATCH, "checkpatch", \
	  "scripts/checkpatch.pl finds no errors or warnings")

#define CHECK_RULE_ENUM(name, id, summary) CHECK_##name,
enum check_rule { CHECK_RULES(CHECK_RULE_ENUM) CHECK_RULE_MAX };
#undef CHECK_RULE_ENUM

enum check_severity { CHECK_WARNING, CHECK_ERROR };

/* The most patches netdev takes in one series. */
#define CHECK_SERIES_MAX 15

struct check_finding {
	enum check_severity severity;
	enum check_rule rule;
	/*
	 * The patch: index 1..total, or 0 for the cover letter or the
	 * series as a whole (then subject is the cover's or NULL).
	 */
	unsigned index, total;
	char *subject;	/* the patch's subject (no tags); may be NULL */
	char *message;	/* what is wrong, one line */
	char *fix;	/* how to fix it, one line */
};

struct check_result {
	struct vec findings;	/* struct check_finding *, by patch, then rule */
	unsigned errors, warnings;
	char *tree;	/* the target tree checked against, or NULL */
};

#define CHECK_RESULT_INIT { VEC_INIT, 0, 0, NULL }

struct check_options {
	/*
	 * The target tree ("bpf", "bpf-next", "net", "net-next",
	 * "iproute2 net-next", ...).  NULL: from the patch subjects (for
	 * patch files) or unknown.
	 */
	const char *tree;
	/* The version being checked (1 for a first posting); 0: unknown. */
	unsigned version;
	/* The cover letter text for a commit range, when known. */
	const char *cover;
	/* Number of patches in the previous version; 0: unknown. */
	size_t prev_count;
	/* The previous version's cover letter text, or NULL. */
	const char *prev_cover;
	/* When the previous version was posted; 0: unknown. */
	time_t prev_posted;
	/* "Now" for the 24-hour rule; 0: time(NULL). */
	time_t now;
	/* Whether the target tree is closed, and a message saying why. */
	int tree_closed;
	const char *tree_closed_msg;
	/* Rules turned off: bit (1u << enum check_rule). */
	unsigned disabled;
	/* A repository to look Fixes: commits up in, or NULL. */
	const char *repo_dir;
	/* scripts/checkpatch.pl to run on each patch, or NULL. */
	const char *checkpatch;
};

/*
 * Check patches against every rule not disabled.  Fills *out (release
 * with check_result_release()); returns 0, or a negative err code
 * when a check could not run at all (checkpatch missing or failing).
 */
int check_series(struct check_result *out, const struct series_patches *ps,
		 const struct check_options *opt, struct err *err);
void check_result_release(struct check_result *r);

/*
 * The tree a series of commits is for when nobody said:
 * kernel_tree_guess() of their messages.  Static string.
 */
const char *check_guess_tree(const struct series_patches *ps);

/* "subject-prefix" for CHECK_SUBJECT_PREFIX ... */
const char *check_rule_id(enum check_rule rule);
const char *check_rule_summary(enum check_rule rule);
/* The rule with this id, or -1. */
int check_rule_from_id(const char *id);
const char *check_severity_name(enum check_severity s);

#endif
