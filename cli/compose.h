/*
 * A draft written on the terminal, for vger report and vger stable:
 * the editor, then what it sends and to whom, and the question "Send,
 * edit, postpone or discard?".  The draft stays in the drafts maildir
 * unless it is sent or discarded.
 */
#ifndef CLI_COMPOSE_H
#define CLI_COMPOSE_H

#include "front/model.h"

struct front_config;

/* The options vger report and vger stable share. */
struct cli_draft_args {
	struct front_model_args model;	/* --db */
	const char *identity;		/* --identity */
	int print;			/* --print */
};

/*
 * Parse cmd's options (--db, --identity, --print, --help) into a;
 * optind is then the first operand.  -1 to go on, else the exit status
 * to return (--help printed, or a usage error said).
 */
int cli_draft_options(const char *cmd, int argc, char **argv,
		      struct cli_draft_args *a);

/*
 * Edit and then send, postpone or discard the draft at path.  The exit
 * status: CLI_OK when it was sent, postponed or discarded, CLI_FAIL
 * when the editor failed, there is no terminal or sending failed (the
 * draft kept, its path said).
 */
int cli_compose(const char *cmd, struct front_config *cfg, const char *db,
		const char *identity, const char *path);
/* Print the draft at path (made safe) and remove it; the exit status. */
int cli_print_draft(const char *cmd, const char *path);
/* What could not go into a draft, as warnings (char *). */
struct vec;
void cli_print_notes(const char *cmd, const struct vec *notes);

#endif
