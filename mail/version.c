#include "mail/model.h"
#include "mail/version.h"
#include "util/date.h"

long mail_version_waited(const struct mail_version *v, time_t now)
{
	int open = v->state == MAIL_STATE_NEW ||
		v->state == MAIL_STATE_REVIEWED || v->state == MAIL_STATE_RFC ||
		v->state == MAIL_STATE_CHANGES_REQUESTED;

	return date_business_days(v->date, open ? now : v->last_activity);
}

const struct mail_version *mail_model_previous_version(
	const struct mail_model *m, const char *author_email,
	const char *const *titles, size_t n, unsigned version)
{
	const struct mail_series *best = NULL;

	if (!m || !author_email)
		return NULL;
	for (size_t i = 0; i < n && !best; i++)
		best = mail_model_find_series_by_patch(m, author_email,
						       titles[i]);
	for (size_t i = best ? best->versions.n : 0; i-- > 0;) {
		const struct mail_version *v = best->versions.items[i];

		/*
		 * The version before this one: an older number, or any
		 * when the version being made is not known.
		 */
		if (!version || v->version < version)
			return v;
	}
	return NULL;
}
