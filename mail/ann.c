/* net-next announcements from a notmuch database. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/ann.h"
#include "mail/index.h"
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

struct ann_list {
	struct mail_ann *items;
	size_t n, alloc;
};

static int add_ann(const struct mail_index_msg *m, void *data)
{
	struct ann_list *l = data;
	int open = mail_ann_parse_subject(m->subject);

	if (open >= 0) {
		ALLOC_GROW(l->items, l->n + 1, l->alloc);
		l->items[l->n].date = m->date;
		l->items[l->n].open = open;
		l->n++;
	}
	return 0;
}

int mail_ann_find(const char *db_path, struct mail_ann **out, size_t *n,
		  struct err *err)
{
	struct mail_index *idx = NULL;
	struct ann_list l = { NULL, 0, 0 };
	int ret;

	*out = NULL;
	*n = 0;
	ret = mail_index_open(&idx, db_path, 0, err);
	if (!ret)
		ret = mail_index_each(idx, "subject:\"net-next is\"", 0,
				      add_ann, &l, err);
	mail_index_free(idx);
	if (ret) {
		free(l.items);
		return ret;
	}
	if (l.n)
		qsort(l.items, l.n, sizeof(*l.items), by_date);
	*out = l.items;
	*n = l.n;
	return 0;
}
