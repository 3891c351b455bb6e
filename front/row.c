#include <stdio.h>

#include "front/row.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "mail/version.h"
#include "util/date.h"

void front_age(time_t then, time_t now, char *out, size_t size)
{
	long d = now > then ? (long)(now - then) : 0;

	if (d < 3600)
		snprintf(out, size, "%ldm", d / 60);
	else if (d < 86400)
		snprintf(out, size, "%ldh", d / 3600);
	else if (d < 14 * 86400)
		snprintf(out, size, "%ldd", d / 86400);
	else if (d < 61 * 86400)
		snprintf(out, size, "%ldw", d / (7 * 86400));
	else if (d < 365 * 86400)
		snprintf(out, size, "%ldmo", d / (30 * 86400));
	else
		snprintf(out, size, "%ldy", d / (365 * 86400));
}

void front_series_row(const struct mail_series *s, time_t now,
		      struct front_series_row *row)
{
	const struct mail_version *v = mail_series_latest(s);
	long waited;

	date_format_ymd(date_of_time(s->last_activity), row->date,
			sizeof(row->date));
	front_age(s->last_activity, now, row->age, sizeof(row->age));
	snprintf(row->version, sizeof(row->version), "%sv%u",
		 v->flags & MAIL_SUBJECT_RFC ? "RFC " : "", v->version);
	snprintf(row->count, sizeof(row->count), "%u/%u",
		 v->patches_received, v->patches_expected);
	row->acked = mail_version_count_given(v, MAIL_TRAILER_ACKED);
	row->reviewed = mail_version_count_given(v, MAIL_TRAILER_REVIEWED);
	row->tested = mail_version_count_given(v, MAIL_TRAILER_TESTED);
	snprintf(row->marks, sizeof(row->marks), "A%zu R%zu T%zu",
		 row->acked, row->reviewed, row->tested);
	row->tree = s->tree ? s->tree : "-";
	waited = mail_version_waited(v, now);
	row->waiting = v->state == MAIL_STATE_NEW &&
		!mail_version_has_feedback(v) && waited > FRONT_FEEDBACK_DAYS;
	if (row->waiting)
		snprintf(row->state, sizeof(row->state), "waiting %ldd",
			 waited);
	else
		snprintf(row->state, sizeof(row->state), "%s",
			 mail_state_name(v->state));
	row->author = s->author_name ? s->author_name : s->author_email;
	row->title = s->title;
	row->ci[0] = '\0';
	row->pw_state = row->mail_state = row->delegate = NULL;
}
