/*
 * Your own series tied to their git branches: the one place that says
 * which branch of the repository where vger runs carries a series of
 * the mail model.  The link is the Message-Id vger send records in the
 * tag of every version it sends (refs/tags/vger/<branch>-vN, see
 * series/respin.h): a version of the series whose cover letter (or
 * first patch) has that Message-Id was sent from that branch.  A
 * series sent by other means has no such tag and no branch.
 */
#ifndef FRONT_MINE_H
#define FRONT_MINE_H

#include "util/vec.h"

struct err;
struct mail_series;
struct sbuf;

/* The sent versions of one repository, read once. */
struct front_mine;

/*
 * Read the sent tags of the repository containing dir (NULL: the
 * working directory).  < 0 with err when it is no repository.  Free
 * with front_mine_free().
 */
int front_mine_open(struct front_mine **out, const char *dir,
		    struct err *err);
void front_mine_free(struct front_mine *m);

struct front_branch {
	char *branch;		/* "bpf-fix-foo" */
	unsigned sent;		/* the newest version of s sent from it */
	unsigned last;		/* the branch's last sent version */
	int exists;		/* the branch is still there */
	int checked_out;	/* it is the branch checked out */
};

#define FRONT_BRANCH_INIT { NULL, 0, 0, 0, 0 }

/*
 * The branch that carries s: 1 and out filled when a version of s was
 * sent from a branch (the newest such version decides), else 0.
 * Release out with front_branch_release().
 */
int front_mine_branch(const struct front_mine *m, const struct mail_series *s,
		      struct front_branch *out);
void front_branch_release(struct front_branch *b);

/* "bpf-fix-foo (v2 sent)", or "... (v2 sent; branch deleted)". */
void front_branch_describe(const struct front_branch *b, struct sbuf *out);

#endif
