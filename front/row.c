#include <stdio.h>

#include "front/row.h"
#include "mail/model.h"
#include "mail/subject.h"
#include "util/date.h"

void front_series_row(const struct mail_series *s,
		      struct front_series_row *row)
{
	const struct mail_version *v = mail_series_latest(s);

	date_format_ymd(date_of_time(s->last_activity), row->date,
			sizeof(row->date));
	snprintf(row->version, sizeof(row->version), "%sv%u",
		 v->flags & MAIL_SUBJECT_RFC ? "RFC " : "", v->version);
	snprintf(row->count, sizeof(row->count), "%u/%u",
		 v->patches_received, v->patches_expected);
	row->acked = mail_version_count_given(v, 'a');
	row->reviewed = mail_version_count_given(v, 'r');
	row->tested = mail_version_count_given(v, 't');
	snprintf(row->marks, sizeof(row->marks), "a%zu r%zu t%zu",
		 row->acked, row->reviewed, row->tested);
	row->tree = s->tree ? s->tree : "-";
	row->state = mail_state_name(v->state);
	row->author = s->author_name ? s->author_name : s->author_email;
	row->title = s->title;
}
