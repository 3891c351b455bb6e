/* Release facts from the tags of a local Linux clone (libgit2). */
#include <git2.h>
#include <stdlib.h>

#include "calendar/private.h"
#include "util/date.h"
#include "util/err.h"
#include "util/xmalloc.h"

static int git_fail(struct err *err, const char *path)
{
	const git_error *e = git_error_last();

	return err_set(err, ERR_GIT, "%s: %s", path,
		       e && e->message ? e->message : "libgit2 error");
}

/*
 * The day a tag was made: the tagger's date for an annotated tag, else
 * the date of the commit it points at, in that person's own time zone
 * (Linus tags on his Sunday afternoon, which is Monday in UTC).
 */
static int tag_day(git_repository *repo, git_reference *ref, long *day)
{
	const git_signature *sig = NULL;
	git_object *obj = NULL, *commit = NULL;
	const git_oid *oid = git_reference_target(ref);
	int ret = -1;

	if (!oid || git_object_lookup(&obj, repo, oid, GIT_OBJECT_ANY) < 0)
		return -1;
	if (git_object_type(obj) == GIT_OBJECT_TAG)
		sig = git_tag_tagger((git_tag *)obj);
	if (!sig) {
		if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
			goto out;
		sig = git_commit_committer((git_commit *)commit);
	}
	if (sig) {
		*day = date_of_time(sig->when.time +
				    (git_time_t)sig->when.offset * 60);
		ret = 0;
	}
out:
	git_object_free(commit);
	git_object_free(obj);
	return ret;
}

int cal_git_facts(const char *path, struct vec *facts, long *newest,
		  struct err *err)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int ret = 0;

	*newest = -1;
	git_libgit2_init();
	if (git_repository_open(&repo, path) < 0 ||
	    git_reference_iterator_glob_new(&it, repo, "refs/tags/v*") < 0) {
		ret = git_fail(err, path);
		goto out;
	}
	while (!git_reference_next(&ref, it)) {
		struct cal_fact f;

		if (!cal_parse_version(git_reference_shorthand(ref), 1, &f) &&
		    !tag_day(repo, ref, &f.day)) {
			struct cal_fact *copy = xmalloc(sizeof(*copy));

			*copy = f;
			vec_push(facts, copy);
			if (f.day > *newest)
				*newest = f.day;
		}
		git_reference_free(ref);
	}
out:
	git_reference_iterator_free(it);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
