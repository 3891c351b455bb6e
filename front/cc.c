#include <stdlib.h>
#include <string.h>

#include "front/cc.h"
#include "front/gitconfig.h"
#include "util/sbuf.h"
#include "util/vec.h"

enum front_cc_split front_cc_split(struct front_config *cfg,
				   struct vec *warnings)
{
	char *split = front_config_string(cfg, "vger.ccsplit");
	enum front_cc_split ret = FRONT_CC_SPLIT_MAINTAINERS;

	if (!split || !strcmp(split, "maintainers") || !strcmp(split, "b4")) {
		ret = FRONT_CC_SPLIT_MAINTAINERS;
	} else if (!strcmp(split, "people")) {
		ret = FRONT_CC_SPLIT_PEOPLE;
	} else if (!strcmp(split, "cc")) {
		ret = FRONT_CC_SPLIT_CC;
	} else if (warnings) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "vger.ccSplit: unknown value '%s', using "
			  "'maintainers'", split);
		vec_push(warnings, sbuf_detach(&sb));
	}
	free(split);
	return ret;
}

int front_cc_is_to(enum maint_role role, enum front_cc_split split)
{
	switch (split) {
	case FRONT_CC_SPLIT_MAINTAINERS:
		return role == MAINT_ROLE_MAINTAINER || role == MAINT_ROLE_FILE;
	case FRONT_CC_SPLIT_PEOPLE:
		return role != MAINT_ROLE_LIST;
	case FRONT_CC_SPLIT_CC:
		return 0;
	}
	return 0;
}
