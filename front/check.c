#include <stdlib.h>

#include "front/check.h"
#include "front/gitconfig.h"
#include "mail/model.h"
#include "mail/version.h"
#include "series/check.h"
#include "series/patch.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

unsigned front_check_disabled_rules(struct front_config *cfg)
{
	unsigned disabled = 0;

	for (int i = 0; i < CHECK_RULE_MAX; i++) {
		struct sbuf key = SBUF_INIT;

		sbuf_addf(&key, "vger.check.%s", check_rule_id(i));
		if (!front_config_bool(cfg, key.buf, 1))
			disabled |= 1u << i;
		sbuf_release(&key);
	}
	return disabled;
}

void front_check_previous(const struct mail_model *m,
			  const struct series_patches *ps,
			  struct check_options *opt)
{
	const struct series_patch *first;
	const struct mail_version *v;
	const char **titles;

	if (!m || !ps->items.n)
		return;
	first = ps->items.items[0];
	titles = xcalloc(ps->items.n, sizeof(*titles));
	for (size_t i = 0; i < ps->items.n; i++)
		titles[i] = ((const struct series_patch *)
			     ps->items.items[i])->subject;
	v = mail_model_previous_version(m, first->author_email, titles,
					ps->items.n, opt->version);
	free(titles);
	if (!v)
		return;
	opt->prev_count = v->patches_expected;
	opt->prev_posted = v->date;
}
