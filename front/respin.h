/*
 * Respinning a series, the flow of vger respin for every front end:
 * the branch of the working directory's repository as the next
 * version of its series.  In order: the last version sent (its tag),
 * the review trailers and repliers of that version from the mail
 * model, the cover letter carried over with a "Changes in vN:"
 * section, the series formatted (series/respin.h), To/Cc from the
 * kernel tree's MAINTAINERS, the merge-window state of the target tree
 * (with a question: make it an RFC?), the submission checks, and the
 * files written.  The front end hears and answers through
 * front/hooks.h and gets what was written back as data.
 */
#ifndef FRONT_RESPIN_H
#define FRONT_RESPIN_H

#include <stddef.h>

#include "series/check.h"
#include "series/respin.h"
#include "util/vec.h"

struct err;
struct front_config;
struct front_hooks;

/* What the user asked for; every pointer is borrowed for the call. */
struct front_respin_options {
	/* A range or branch (series_options.range); NULL: vger.base.. */
	const char *range;
	/*
	 * With range NULL: respin this local branch, checked out or not
	 * (vger.base..branch, else its upstream..branch; the work tree
	 * is not touched); its sent tags give the version.  NULL: the
	 * branch checked out.
	 */
	const char *branch;
	unsigned version;	/* 0: one after the last sent */
	const char *tree;	/* NULL: vger.tree, else guessed */
	int rfc;
	const char *outdir;	/* NULL: outgoing/<branch>-vN */
	int force;		/* replace an existing outdir */
	/* More recipients (char *); vger.to and vger.cc are added. */
	const struct vec *to, *cc;
	/* struct series_trailer_add *: given by the user, or NULL */
	const struct vec *trailers;
	int no_trailers;	/* none collected from the last version */
	int cover_letter;	/* 1, 0, -1: for more than one patch */
	int thread;		/* 1, 0, -1: vger.thread */
	/* NULL: format.signature, else "vger VERSION"; no_signature: none */
	const char *signature;
	int no_signature;
	int no_check;		/* write despite the checks' errors */
	struct front_config *cfg;	/* of the working directory */
};

struct front_respin_result {
	/*
	 * The directory written, or NULL when the checks' errors
	 * stopped the respin (checks says which).
	 */
	char *dir;
	/* The series: files (cover first), trailers added, version, tree. */
	struct series_result series;
	struct vec to, cc;	/* char *: the recipients written */
	/* The submission checks, when they ran, on npatches patches. */
	int checked;
	struct check_result checks;
	size_t npatches;
	char *check_tree;	/* the tree they checked for */
};

#define FRONT_RESPIN_RESULT_INIT { NULL, SERIES_RESULT_INIT, VEC_INIT, \
	VEC_INIT, 0, CHECK_RESULT_INIT, 0, NULL }

/*
 * Respin as the file comment says.  0 when the respin ran: res->dir
 * is where the files are, or NULL when the checks found errors (and
 * not no_check).  < 0 with err when it could not (the range, the
 * repository, an existing directory); res->checks may hold findings
 * all the same.  Warnings along the way (no trailers, no MAINTAINERS
 * Cc, a closed tree) go to the hooks.  Release res with
 * front_respin_result_release() either way.
 */
int front_respin(const struct front_respin_options *o,
		 const struct front_hooks *h, struct front_respin_result *res,
		 struct err *err);
void front_respin_result_release(struct front_respin_result *res);

#endif
