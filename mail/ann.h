/*
 * net-next announcements: "[ANN] net-next is CLOSED" and "[ANN]
 * net-next is OPEN" mails on netdev, found in a notmuch database.  The
 * front end hands them to the calendar (struct cal_ann) as plain data.
 */
#ifndef MAIL_ANN_H
#define MAIL_ANN_H

#include <stddef.h>
#include <time.h>

struct err;

struct mail_ann {
	time_t date;	/* the message's Date */
	int open;	/* 1 OPEN, 0 CLOSED */
};

/*
 * Read one subject: 1 for "... net-next is OPEN", 0 for "... net-next
 * is CLOSED" (any case, "[ANN]" or not), -1 for anything else,
 * replies ("Re: ...") and forwards included.
 */
int mail_ann_parse_subject(const char *subject);

/*
 * The announcements in the notmuch database at db_path (opened read
 * only, no config file), oldest first.  *out is the caller's (free());
 * *n their count.  ERR_NOTMUCH when the database cannot be read.
 */
int mail_ann_find(const char *db_path, struct mail_ann **out, size_t *n,
		  struct err *err);

#endif
