/*
 * Patchwork joined to the mail model: the cache read at every listing
 * (never the network), a version's patches found in it by Message-ID,
 * and the one place that syncs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front/gitconfig.h"
#include "front/pw.h"
#include "front/row.h"
#include "mail/model.h"
#include "patchwork/pw.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/xmalloc.h"

void front_pw_source_init(struct front_pw_source *src,
			  struct front_config *cfg)
{
	char *url = cfg ? front_config_string(cfg, "vger.patchwork") : NULL;
	char *project = cfg ? front_config_string(cfg,
						  "vger.patchworkProject") :
			      NULL;
	char *cache = fs_xdg_cache_dir();

	src->enabled = !url || (strcmp(url, "false") && strcmp(url, "no") &&
				strcmp(url, "off") && *url);
	src->url = url && src->enabled ? url : xstrdup(PW_DEFAULT_URL);
	if (url != src->url)
		free(url);
	src->project = project && *project ? project :
		       xstrdup(PW_DEFAULT_PROJECT);
	if (project != src->project)
		free(project);
	src->cache_path = pw_cache_path(cache, src->url, src->project);
	free(cache);
}

void front_pw_source_release(struct front_pw_source *src)
{
	free(src->url);
	free(src->project);
	free(src->cache_path);
	src->url = src->project = src->cache_path = NULL;
}

int front_pw_load(const struct front_pw_source *src, struct pw_db **out,
		  struct err *err)
{
	*out = NULL;
	if (!src->enabled)
		return 0;
	return pw_db_load(src->cache_path, out, err) < 0 ? -1 : 0;
}

int front_pw_sync(const struct front_pw_source *src, struct pw_db **db,
		  time_t now, struct pw_sync_result *res, struct err *err)
{
	struct pw_sync_options o;
	struct err save_err = ERR_INIT;
	int ret;

	if (!src->enabled)
		return err_set(err, ERR_NOTFOUND, "patchwork is disabled "
			       "(vger.patchwork = false)");
	if (!*db) {
		/* A broken cache is replaced by what the sync brings. */
		if (pw_db_load(src->cache_path, db, NULL) <= 0 || !*db)
			*db = pw_db_new(src->url, src->project);
	}
	pw_sync_options_init(&o);
	o.url = src->url;
	o.project = src->project;
	o.now = now;
	if (strcmp((*db)->url, src->url)) {
		free((*db)->url);
		(*db)->url = xstrdup(src->url);
	}
	ret = pw_sync(*db, &o, res, err);
	/* Saved also after a failure: the pages applied, the error and
	 * its time, the requests made (for the rate) are kept. */
	if (pw_db_save(*db, src->cache_path, &save_err) < 0 && ret == 0) {
		if (err)
			*err = save_err;
		return -1;
	}
	return ret;
}

/* "45m", "2h", "3d" ago, from front/row.h. */
static void ago(time_t then, time_t now, char *out, size_t size)
{
	front_age(then, now, out, size);
}

void front_pw_status(const struct front_pw_source *src,
		     const struct pw_db *db, time_t now, char *out,
		     size_t size)
{
	char a[16], b[16];

	if (!src->enabled) {
		snprintf(out, size, "%s", "");
		return;
	}
	if (!db || (!db->synced && !db->fetched && !db->error)) {
		snprintf(out, size, "patchwork: never synced (vger pw sync)");
		return;
	}
	ago(db->fetched ? db->fetched : db->synced, now, b, sizeof(b));
	if (db->error) {
		ago(db->error_time, now, a, sizeof(a));
		if (db->fetched)
			snprintf(out, size, "patchwork: %s (%s ago); using "
				 "the cache of %s ago", db->error, a, b);
		else
			snprintf(out, size, "patchwork: %s (%s ago); nothing "
				 "cached", db->error, a);
		return;
	}
	snprintf(out, size, "patchwork: synced %s ago", b);
}

/* Whether patchwork's slug says what the mail model's state says. */
static int agrees(enum mail_state m, const char *pw)
{
	switch (m) {
	case MAIL_STATE_NEW:
	case MAIL_STATE_REVIEWED:
		return !strcmp(pw, "new") || !strcmp(pw, "under-review");
	case MAIL_STATE_CHANGES_REQUESTED:
		return !strcmp(pw, "changes-requested");
	case MAIL_STATE_APPLIED:
		return !strcmp(pw, "accepted");
	case MAIL_STATE_SUPERSEDED:
		return !strcmp(pw, "superseded");
	case MAIL_STATE_RFC:
		return !strcmp(pw, "rfc");
	case MAIL_STATE_DEFERRED:
		return !strcmp(pw, "deferred") ||
		       !strcmp(pw, "awaiting-upstream");
	case MAIL_STATE_REJECTED:
		return !strcmp(pw, "rejected") ||
		       !strcmp(pw, "not-applicable");
	}
	return 0;
}

static void count_check(struct front_pw_version *out, int state,
			const char *context, const char *url)
{
	out->checks++;
	switch (state) {
	case PW_CHECK_SUCCESS:
		out->success++;
		break;
	case PW_CHECK_WARNING:
		out->warning++;
		break;
	case PW_CHECK_FAIL:
		out->fail++;
		if (!out->fail_context) {
			out->fail_context = context;
			out->fail_url = url;
		}
		break;
	default:
		out->pending++;
	}
}

void front_pw_version(const struct pw_db *db, const struct mail_version *v,
		      struct front_pw_version *out)
{
	/* The states of its patches, to take the most common. */
	const char *states[64];
	unsigned votes[64];
	size_t nstates = 0, best = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; db && i < v->patches.n; i++) {
		const struct mail_patch *mp = v->patches.items[i];
		const struct pw_patch *p = pw_db_find(db, mp->message_id);
		size_t k;

		if (!p)
			continue;
		out->patches++;
		if (!out->delegate)
			out->delegate = p->delegate;
		if (p->checks.n) {
			for (size_t j = 0; j < p->checks.n; j++) {
				const struct pw_check *c = p->checks.items[j];

				count_check(out, c->state, c->context,
					    c->url);
			}
		} else if (p->check >= 0) {
			/* Only the combined state the patch list gives. */
			count_check(out, p->check, NULL, NULL);
		}
		if (!p->state)
			continue;
		for (k = 0; k < nstates && strcmp(states[k], p->state); k++)
			;
		if (k == nstates) {
			if (nstates == sizeof(states) / sizeof(states[0]))
				continue;
			states[nstates] = p->state;
			votes[nstates++] = 0;
		}
		votes[k]++;
	}
	for (size_t k = 1; k < nstates; k++)
		if (votes[k] > votes[best])
			best = k;
	if (nstates) {
		out->state = states[best];
		if (!agrees(v->state, out->state))
			out->mail_state = mail_state_name(v->state);
	}
	if (out->fail)
		snprintf(out->ci, sizeof(out->ci), "CI \u2717 %u fail",
			 out->fail);
	else if (out->warning)
		snprintf(out->ci, sizeof(out->ci), "CI ! %u warn",
			 out->warning);
	else if (out->pending)
		snprintf(out->ci, sizeof(out->ci), "CI \u2026 %u/%u",
			 out->success, out->checks);
	else if (out->checks)
		snprintf(out->ci, sizeof(out->ci), "CI \u2713 %u/%u",
			 out->success, out->checks);
}

void front_series_row_pw(const struct pw_db *db, const struct mail_series *s,
			 struct front_series_row *row)
{
	struct front_pw_version pv;

	front_pw_version(db, mail_series_latest(s), &pv);
	snprintf(row->ci, sizeof(row->ci), "%s", pv.ci);
	row->delegate = pv.delegate;
	if (!pv.state)
		return;
	row->pw_state = pv.state;
	row->mail_state = pv.mail_state;
	/* Patchwork wins; "waiting 4d" still says what the mail says. */
	if (!row->waiting || row->mail_state)
		snprintf(row->state, sizeof(row->state), "%s", pv.state);
}
