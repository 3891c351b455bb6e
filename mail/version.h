/*
 * Questions about one version of a series that every front end asks:
 * how long it has waited for the list, and which version came before
 * a series being checked or respun.  Answers are data; nothing here
 * prints.
 */
#ifndef MAIL_VERSION_H
#define MAIL_VERSION_H

#include <stddef.h>
#include <time.h>

struct mail_model;
struct mail_version;

/*
 * Business days v has waited: from its posting until now while it is
 * open (new, reviewed, RFC, changes requested), until its last activity
 * once it is applied, superseded, rejected or deferred.
 */
long mail_version_waited(const struct mail_version *v, time_t now);

/*
 * The version of a series on the list that came before the one being
 * made: the series by author_email one of whose patches has one of the
 * n titles (the first title that finds one wins), and in it the newest
 * version older than version (0: the newest of all).  NULL when the
 * model holds no such series or version.  Borrowed from m.
 */
const struct mail_version *mail_model_previous_version(
	const struct mail_model *m, const char *author_email,
	const char *const *titles, size_t n, unsigned version);

#endif
