/*
 * vger respin: a git branch as a whole vN patch series, written the way
 * `git format-patch --cover-letter -v N --subject-prefix='PATCH <tree>'`
 * writes it (file names and content byte-identical), plus what vger
 * adds: To/Cc headers, threading, review trailers, the cover letter
 * kept with the branch and its changelog, and the sent-version record.
 *
 * Storage in the repository (see doc/README-respin.md):
 *  - the cover letter text of a branch is its git branch description,
 *    branch.<name>.description in the repository's own config, the
 *    place `git branch --edit-description` and `git format-patch
 *    --cover-from-description` use;
 *  - every sent version is an annotated tag refs/tags/vger/<branch>-vN
 *    on the series' last commit, whose message is the cover letter text
 *    followed by "Message-Id: <...>" (the cover's, or the first
 *    patch's).
 *
 * Models never print: warnings and summaries are returned as data.
 */
#ifndef SERIES_RESPIN_H
#define SERIES_RESPIN_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct err;
struct series_job;

/* A trailer to add to one patch (or every patch); strings borrowed. */
struct series_trailer_add {
	/*
	 * The patch title it belongs to (the commit subject, compared
	 * ignoring case and runs of blanks), or NULL for every patch (a
	 * trailer given on the cover letter).
	 */
	const char *title;
	const char *line;	/* "Acked-by: Jane Doe <jane@example.org>" */
};

struct series_options {
	/*
	 * "A..B", "A...B", "-N" (the last N commits of HEAD), or one rev
	 * X: X's upstream..X when X is a branch with an upstream, else
	 * X..HEAD.  NULL: base..HEAD when base is set, else the current
	 * branch's upstream..HEAD.
	 */
	const char *range;
	const char *base;	/* vger.base; used when range is NULL */
	unsigned version;	/* 0: one after the branch's last sent */
	/*
	 * The tree as given: "bpf", "bpf-next", "net", "net-next",
	 * "iproute2", "iproute2-next" or free text; NULL: guessed from
	 * the commits (every commit has Fixes: → bpf, else bpf-next).
	 */
	const char *tree;
	int rfc;		/* "[RFC PATCH bpf-next v3 ...]" */
	int cover_letter;	/* 1 always, 0 never, -1 when > 1 patch */
	const struct vec *to;	/* char *: addresses for To: */
	const struct vec *cc;	/* char *: addresses for Cc: */
	/*
	 * Put the tree's list (kernel_tree_list()) first in To: unless To
	 * or Cc names it already.
	 */
	int to_tree_list;
	const struct vec *trailers;	/* series_trailer_add *, or NULL */
	/*
	 * The cover letter text ("subject\n\nbody..."); NULL: the stored
	 * one of the branch, else git's "*** SUBJECT HERE ***" template.
	 */
	const char *cover_text;
	int thread;		/* Message-Id/In-Reply-To/References */
	const char *signature;	/* after "-- "; NULL: no signature */
	/* The cover letter's From: and Date: (git uses the committer). */
	const char *from_name, *from_email;
	time_t now;
	int now_tz;		/* minutes east of UTC */
};

#define SERIES_OPTIONS_INIT { .cover_letter = -1 }

/* One output file. */
struct series_file {
	char *name;	/* "v3-0001-bpf-fix-the-thing.patch" */
	char *title;	/* the patch title, "" for the cover letter */
	char *commit;	/* the commit's hex id, NULL for the cover */
	char *text;	/* the whole mail */
	char *msgid;	/* "<...>" when threading, else NULL */
};

/* "Acked-by: ..." went to patch number index (1-based). */
struct series_trailer_note {
	unsigned index;
	char *title;
	char *line;
};

struct series_result {
	unsigned version;	/* written (1: none in the subject) */
	char *branch;		/* the range's branch, or NULL */
	char *prefix;		/* "PATCH bpf-next v3" */
	char *tree;		/* the tree part of the prefix: "bpf-next" */
	int tree_guessed;	/* tree came from the Fixes: guess */
	char *base;		/* hex id of the base commit */
	char *head;		/* hex id of the last commit */
	struct vec files;	/* struct series_file *, cover letter first */
	struct vec notes;	/* series_trailer_note *: trailers added */
	struct vec warnings;	/* char *: for the front end to say */
	char *recipients;	/* the To:/Cc: block written in every file */
};

#define SERIES_RESULT_INIT { 0, NULL, NULL, NULL, 0, NULL, NULL, \
	VEC_INIT, VEC_INIT, VEC_INIT, NULL }

/*
 * Rewrite the To:/Cc: headers of every file of r as series_format()
 * writes them for o->to and o->cc (with o->to_tree_list), for
 * recipients found after formatting, such as the addresses
 * MAINTAINERS gives for the formatted patches.  The rest of every file
 * stays byte for byte.  0, or ERR_STATE when a file was changed.
 */
int series_result_set_recipients(struct series_result *r,
				 const struct series_options *o,
				 struct err *err);

/*
 * Open the repository containing dir (NULL: the working directory).
 * Free with series_job_free().
 */
int series_job_open(struct series_job **out, const char *dir,
		    struct err *err);
void series_job_free(struct series_job *job);

/* The current branch's short name (borrowed, lives with job) or NULL. */
const char *series_job_branch(const struct series_job *job);

/*
 * Build the series in memory: resolve the range, refuse merge commits
 * and empty commits (ERR_STATE naming them), pick version and tree,
 * format every file.  When the range ends at HEAD, uncommitted changes
 * to the files the series touches are a warning.  Release out with
 * series_result_release().
 */
int series_format(struct series_job *job, const struct series_options *opts,
		  struct series_result *out, struct err *err);
void series_result_release(struct series_result *r);

/*
 * Write r's files into dir atomically: into a temporary directory next
 * to dir, then renamed into place.  An existing dir is refused
 * (ERR_STATE) unless force, which replaces it.
 */
int series_write(const struct series_result *r, const char *dir, int force,
		 struct err *err);

/*
 * The last version sent from branch: *version 0 when none.  *msgid
 * and *cover (may be NULL) get that version's Message-Id and cover
 * letter text, or NULL; the caller frees them.
 */
int series_last_sent(struct series_job *job, const char *branch,
		     unsigned *version, char **msgid, char **cover,
		     struct err *err);
/*
 * Record that version of branch was sent (vger send calls this): an
 * annotated tag refs/tags/vger/<branch>-v<version> on commit head_hex
 * (NULL: the branch's tip) whose message is cover (may be NULL) and a
 * "Message-Id: <msgid>" line.  An existing tag is ERR_STATE.
 */
int series_record_sent(struct series_job *job, const char *branch,
		       unsigned version, const char *head_hex,
		       const char *msgid, const char *cover,
		       struct err *err);
/*
 * The same, tagged by who <addr> (the front end's identity of the
 * user, which may come from ~/.gitconfig); NULL for either: the
 * repository's own user.name and user.email, else "vger".
 */
int series_record_sent_by(struct series_job *job, const char *branch,
			  unsigned version, const char *head_hex,
			  const char *msgid, const char *cover,
			  const char *who, const char *addr,
			  struct err *err);

/* One sent version, as its tag refs/tags/vger/<branch>-vN says. */
struct series_sent {
	char *branch;
	unsigned version;
	char *msgid;		/* "<...>", as recorded */
	char *commit;		/* hex id of the commit tagged */
	int branch_exists;	/* refs/heads/<branch> is still there */
};

/*
 * Every sent version recorded in the repository (the tags vger/<branch>-vN
 * with a Message-Id line; others are skipped), struct series_sent *
 * appended to out in the tags' order.  Free each with
 * series_sent_free().
 */
int series_sent_list(struct series_job *job, struct vec *out,
		     struct err *err);
void series_sent_free(void *sent);

/*
 * The range that respins branch without checking it out:
 * "<base>..<branch>" when base (vger.base) is given, else
 * "<its upstream's id>..<branch>".  ERR_NOTFOUND when there is no such
 * local branch, ERR_USAGE when it has no upstream and base is NULL;
 * err names the branch.  *out is the caller's.
 */
int series_branch_range(struct series_job *job, const char *branch,
			const char *base, char **out, struct err *err);

/*
 * Whether commit hex is branch's tip or one of its ancestors: 1 yes,
 * 0 no (or no such branch or commit), or a negative err code.
 */
int series_branch_contains(struct series_job *job, const char *branch,
			   const char *hex, struct err *err);

/* The cover letter text stored with branch (caller frees) or NULL. */
int series_cover_get(struct series_job *job, const char *branch,
		     char **out, struct err *err);
/* Store text as branch's cover letter (NULL or "" removes it). */
int series_cover_set(struct series_job *job, const char *branch,
		     const char *text, struct err *err);
/*
 * Carry a cover letter over to version (>= 2): unless text already has
 * a "Changes in v<version>:" line, add that section (with an EDITME
 * item) before the first "Changes in v" line or at the end, and a
 * "v<N-1>: https://lore.kernel.org/bpf/<msgid>/" link when prev_msgid
 * is given (angle brackets optional).  text NULL starts from git's
 * "*** SUBJECT HERE ***" template.  Returns a new string.
 */
char *series_cover_carry(const char *text, unsigned version,
			 const char *prev_msgid);

/*
 * The subject prefix for a tree name: "bpf-next" → "PATCH bpf-next",
 * "iproute2" → "PATCH iproute2 net-next", free text kept; with rfc,
 * "RFC " in front.  Returns a new string.
 */
char *series_tree_prefix(const char *tree, int rfc);
/*
 * Who a tree's patches Cc besides MAINTAINERS (kernel/trees.h), as
 * "Name <addr>" appended to out (the caller's strings): the BPF
 * maintainers for iproute2's BPF loader patches, which go to netdev.
 */
void series_tree_cc(const char *tree, struct vec *out);

#endif
