/* What vger respin shares with vger cc (cli/cc.c): the To/Cc split. */
#ifndef CLI_CC_H
#define CLI_CC_H

#include "maint/maint.h"

struct cli_config;

enum cc_split { SPLIT_MAINTAINERS, SPLIT_PEOPLE, SPLIT_CC };

/* vger.ccSplit (maintainers, people, cc); a bad value is warned about. */
enum cc_split cli_cc_split(const char *cmd, struct cli_config *cfg);
/* Whether an address of this role goes to To: under split. */
int cli_cc_is_to(enum maint_role role, enum cc_split split);

#endif
