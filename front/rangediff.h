/*
 * What changed between two versions of a series: `git range-diff` when
 * a kernel tree is configured (the patches applied on a temporary
 * index onto the cover letter's base-commit, else HEAD, without a
 * checkout), else an interdiff of the patch mails (`git diff
 * --no-index` over them, patch by patch).
 */
#ifndef FRONT_RANGEDIFF_H
#define FRONT_RANGEDIFF_H

struct err;
struct sbuf;
struct mail_version;

/*
 * The difference from version a to version b (their patch mails read
 * through the notmuch database db) into out, and into how one line
 * saying which of the two it is and why.  linux: a kernel tree, or
 * NULL.  0, or < 0 with err.
 */
int front_range_diff(const char *db, const char *linux_repo,
		     const struct mail_version *a,
		     const struct mail_version *b, struct sbuf *out,
		     struct sbuf *how, struct err *err);

#endif
