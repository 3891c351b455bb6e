/* net-next announcements from a notmuch database. */
#include <ctype.h>
#include <notmuch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/ann.h"
#include "util/err.h"
#include "util/scan.h"
#include "util/xmalloc.h"

int mail_ann_parse_subject(const char *subject)
{
	const char *p = subject, *hit = NULL;
	size_t n;

	scan_skip_ws(&p);
	if (str_starts_with_icase(p, "re:") ||
	    str_starts_with_icase(p, "fwd:") ||
	    str_starts_with_icase(p, "aw:"))
		return -1;
	/* The last "net-next is", case-insensitively. */
	for (const char *s = p; *s; s++)
		if (str_starts_with_icase(s, "net-next is "))
			hit = s;
	if (!hit)
		return -1;
	p = hit + strlen("net-next is ");
	scan_skip_ws(&p);
	for (n = 0; isalpha((unsigned char)p[n]); n++)
		;
	if (n == 6 && !strncasecmp(p, "closed", 6))
		return 0;
	if (n == 4 && !strncasecmp(p, "open", 4))
		return 1;
	return -1;
}

static int by_date(const void *a, const void *b)
{
	time_t x = ((const struct mail_ann *)a)->date;
	time_t y = ((const struct mail_ann *)b)->date;

	return x < y ? -1 : x > y;
}

int mail_ann_find(const char *db_path, struct mail_ann **out, size_t *n,
		  struct err *err)
{
	notmuch_database_t *db = NULL;
	notmuch_query_t *q = NULL;
	notmuch_messages_t *msgs;
	notmuch_status_t st;
	char *msg = NULL;
	size_t alloc = 0;
	int ret = 0;

	*out = NULL;
	*n = 0;
	st = notmuch_database_open_with_config(db_path,
					       NOTMUCH_DATABASE_MODE_READ_ONLY,
					       "", NULL, &db, &msg);
	if (st) {
		ret = err_set(err, ERR_NOTMUCH, "%s: %s", db_path,
			      msg ? msg : notmuch_status_to_string(st));
		goto out;
	}
	q = notmuch_query_create(db, "subject:\"net-next is\"");
	if (!q || notmuch_query_search_messages(q, &msgs)) {
		ret = err_set(err, ERR_NOTMUCH, "%s: query failed", db_path);
		goto out;
	}
	for (; notmuch_messages_valid(msgs);
	     notmuch_messages_move_to_next(msgs)) {
		notmuch_message_t *m = notmuch_messages_get(msgs);
		const char *subject = notmuch_message_get_header(m, "subject");
		int open = subject ? mail_ann_parse_subject(subject) : -1;

		if (open >= 0) {
			ALLOC_GROW(*out, *n + 1, alloc);
			(*out)[*n].date = notmuch_message_get_date(m);
			(*out)[*n].open = open;
			(*n)++;
		}
		notmuch_message_destroy(m);
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), by_date);
out:
	free(msg);
	if (q)
		notmuch_query_destroy(q);
	if (db)
		notmuch_database_destroy(db);
	return ret;
}
