/* Who the user is, as git sees them, for every front end. */
#ifndef FRONT_IDENTITY_H
#define FRONT_IDENTITY_H

struct front_config;

/*
 * The committer as git sees them: $GIT_COMMITTER_NAME and
 * $GIT_COMMITTER_EMAIL, else user.name and user.email from every
 * level of git config (~/.gitconfig included).  *name and *email are
 * owned copies, NULL when unset.
 */
void front_identity(struct front_config *cfg, char **name, char **email);

#endif
