/* A section of MAINTAINERS by its title (maint/maint.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maint/maint.h"
#include "maint/private.h"
#include "util/err.h"
#include "util/xmalloc.h"

static int has_addr(const struct maint_result *out, const char *addr)
{
	for (size_t i = 0; i < out->addrs.n; i++)
		if (!strcasecmp(((struct maint_addr *)out->addrs.items[i])->addr,
				addr))
			return 1;
	return 0;
}

int maint_db_section(struct maint_db *db, const char *prefix,
		     struct maint_result *out, struct err *err)
{
	size_t n = strlen(prefix);

	for (size_t k = 0; k < db->nsec; k++) {
		const struct maint_section *s = &db->sec[k];
		const struct maint_tv *title = &db->tv[s->start];

		if (title->type || strncmp(title->value, prefix, n))
			continue;
		for (size_t i = s->first; i < s->end; i++) {
			const struct maint_tv *t = &db->tv[i];
			struct maint_addr *a;
			char *addr;

			if (t->type == 'L') {
				/* "bpf@vger.kernel.org (moderated ...)" */
				addr = xstrndup(t->value,
						strcspn(t->value, " \t"));
			} else if (t->type == 'M' || t->type == 'R') {
				addr = maint_mailmap_email(db, t->value);
			} else {
				continue;
			}
			if (!*addr || has_addr(out, addr)) {
				free(addr);
				continue;
			}
			a = xcalloc(1, sizeof(*a));
			a->addr = addr;
			a->role = t->type == 'M' ? MAINT_ROLE_MAINTAINER :
				t->type == 'R' ? MAINT_ROLE_REVIEWER :
				MAINT_ROLE_LIST;
			a->section = xstrdup(title->value);
			a->section_line = title->lineno;
			a->why = xstrdup(title->value);
			a->why_line = t->lineno;
			vec_push(&out->addrs, a);
		}
		return 0;
	}
	return err_set(err, ERR_NOTFOUND, "%s: no section '%s'", db->path,
		       prefix);
}
