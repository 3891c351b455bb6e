/*
 * The user's editor, for every front end: which one (as git picks it,
 * or as a mail client does) and running it on a file.  The front end
 * gives it the terminal first.
 */
#ifndef FRONT_EDITOR_H
#define FRONT_EDITOR_H

struct err;
struct front_config;

enum front_editor_for {
	/* git's order: GIT_EDITOR, core.editor, VISUAL, EDITOR, vi */
	FRONT_EDITOR_GIT,
	/* a mail client's: VISUAL, EDITOR, then git's core.editor, vi */
	FRONT_EDITOR_MAIL,
};

/* The editor command (the caller frees), or NULL when there is none. */
char *front_editor(struct front_config *cfg, enum front_editor_for what);
/*
 * Run the editor on path as git's launch_editor() does: directly when
 * the command has no shell characters, else sh -c 'EDITOR "$@"' (the
 * command is the user's own configuration, never mail content).
 * SIGINT and SIGQUIT are ignored until it ends, as git does, so Ctrl-C
 * in an editor that ignores it does not end vger with the edit lost.
 * Its exit status (127: it could not be run), or < 0 with err when no
 * process could be made.
 */
int front_editor_run(const char *editor, const char *path, struct err *err);

#endif
