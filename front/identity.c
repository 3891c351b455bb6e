#include <stdlib.h>

#include "front/gitconfig.h"
#include "front/identity.h"
#include "util/xmalloc.h"

void front_identity(struct front_config *cfg, char **name, char **email)
{
	const char *en = getenv("GIT_COMMITTER_NAME");
	const char *ee = getenv("GIT_COMMITTER_EMAIL");

	*name = en ? xstrdup(en) : front_config_string(cfg, "user.name");
	*email = ee ? xstrdup(ee) : front_config_string(cfg, "user.email");
}
