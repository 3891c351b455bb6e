/*
 * A series as patches: from a commit range in a git repository
 * (libgit2) or from patch files (git format-patch output, mbox).
 * Used by vger cc, vger check and vger respin.
 */
#ifndef SERIES_PATCH_H
#define SERIES_PATCH_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct err;

enum series_change_status {
	SERIES_CHANGE_ADDED = 'A',
	SERIES_CHANGE_MODIFIED = 'M',
	SERIES_CHANGE_DELETED = 'D',
	SERIES_CHANGE_RENAMED = 'R',
	SERIES_CHANGE_COPIED = 'C',
	SERIES_CHANGE_TYPE = 'T',
};

struct series_file_change {
	enum series_change_status status;
	char *old_path;		/* NULL for an added file */
	char *new_path;		/* NULL for a deleted file */
	int binary;
};

struct series_patch {
	char *commit;		/* full hex id; NULL for a patch file */
	char *path;		/* the patch file, NULL for a commit */
	/*
	 * Text fields are valid UTF-8: converted from the commit's
	 * encoding header (as git log does), other bad bytes replaced
	 * with U+FFFD.  A mail's author is its in-body From: line when
	 * there is one (as git am takes it), else the From: header.
	 */
	char *author_name;
	char *author_email;
	time_t author_time;
	int author_tz;		/* minutes east of UTC */
	char *subject;		/* the commit's subject line (mail: without [PATCH ...]) */
	char *message;		/* the whole commit message: subject, body, trailers */
	char *body;		/* the message after the subject line and blank
				 * line, trailing white space trimmed; for a
				 * mail, up to the "---" line */
	char *diff;		/* the unified diff text ("diff --git ..."), "" when
				 * empty; commits: renames detected and binary
				 * patches shown, as git format-patch does */
	struct vec files;	/* struct series_file_change * */
	size_t nparents;	/* 1 for a normal commit; 0 for a patch file */
	/*
	 * The mail's whole Subject: header, decoded, with its tags
	 * ("[PATCH bpf-next v2 3/5] bpf: ..."); NULL for a commit.
	 */
	char *mail_subject;
};

struct series_patches {
	struct vec items;	/* struct series_patch *, oldest first */
	char *repo_dir;		/* the work tree or git dir, or NULL for files */
	char *base;		/* hex id of the range's base, or NULL */
	char *cover;		/* the cover letter text when read from files
				 * (a 0000-cover-letter.patch), else NULL */
	char *cover_subject;	/* the cover letter's whole decoded Subject:
				 * with its tags, or NULL */
};

#define SERIES_PATCHES_INIT { VEC_INIT, NULL, NULL, NULL, NULL }

/*
 * Commits of range ("A..B", "A...B" from the merge base of A and B to
 * B, "-3" as the last three commits of HEAD, or a single rev "X"
 * meaning X's upstream..X when it has one, else ERR_USAGE asking for a
 * range) in the repository that contains dir (NULL: the working
 * directory), oldest first.  Merge commits in the range are an
 * ERR_STATE error naming them (short hash and subject); a range that
 * does not resolve is ERR_NOTFOUND.  Empty commits are patches with an
 * empty diff.  base is the range's base commit.  0 or a negative err
 * code.
 */
int series_patches_from_range(struct series_patches *out, const char *dir,
			      const char *range, struct err *err);
/*
 * Patches from files: each a single mail, or an mbox of several (git
 * format-patch output is both).  A file named *0000-cover-letter.patch,
 * or a mail whose subject is numbered 0/N, is the cover letter.  The
 * commit message is the mail's subject and the body up to the "---"
 * line; the diff starts at the first "diff --git" line.  Empty files
 * (git format-patch writes one for an empty commit) are skipped, and
 * a mail given twice counts once.  0 or a negative err code naming the
 * file.
 */
int series_patches_from_files(struct series_patches *out,
			      const char *const *paths, size_t n,
			      struct err *err);
void series_patches_release(struct series_patches *p);
void series_patch_free(struct series_patch *p);

#endif
