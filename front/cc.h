/*
 * Who goes in To: and who in Cc: of the addresses MAINTAINERS gives,
 * as vger.ccSplit says, for vger cc, vger respin and the TUI.
 */
#ifndef FRONT_CC_H
#define FRONT_CC_H

#include "maint/maint.h"

struct front_config;
struct vec;

enum front_cc_split {
	FRONT_CC_SPLIT_MAINTAINERS,	/* maintainers (M:, F:) in To */
	FRONT_CC_SPLIT_PEOPLE,		/* every person in To, lists Cc */
	FRONT_CC_SPLIT_CC,		/* everyone in Cc */
};

/*
 * vger.ccSplit: maintainers (or b4, the default), people or cc.  Any
 * other value is "maintainers", said in a warning appended to warnings
 * (char *, owned; NULL: dropped).
 */
enum front_cc_split front_cc_split(struct front_config *cfg,
				   struct vec *warnings);
/* Whether an address of this role goes to To: under split. */
int front_cc_is_to(enum maint_role role, enum front_cc_split split);

#endif
