/*
 * How a flow (front/send.h, front/respin.h) talks to the front end
 * that runs it: the command line answers on the terminal, the TUI on
 * its screen.  A flow never prints, reads a terminal or handles a
 * signal; it calls these.  Every hook may be NULL: then nothing is
 * said, no question can be asked (FRONT_CANNOT_ASK), no password is
 * had and nothing interrupts.
 *
 * Text handed to a hook is raw: it may hold mail text (subjects, tree
 * names, addresses), so the front end makes it safe for its screen.
 */
#ifndef FRONT_HOOKS_H
#define FRONT_HOOKS_H

#include <stddef.h>

enum front_say {
	FRONT_NOTE,		/* for the user to know */
	FRONT_WARNING,		/* something failed; the flow goes on */
};

/* The yes/no questions of the flows; detail as each says. */
enum front_question {
	/* Send to a tree closed for the merge window?  detail: the tree */
	FRONT_ASK_CLOSED_TREE,
	/*
	 * Send the rest of a series an earlier run sent part of?
	 * detail: what was sent before ("2 of 5 messages ... (record
	 * PATH)").
	 */
	FRONT_ASK_RESUME,
	/* Send this series?  detail: NULL */
	FRONT_ASK_CONFIRM,
	/*
	 * Respin: the tree is closed for the merge window, which takes
	 * RFCs; make this version an RFC?  detail: the tree
	 */
	FRONT_ASK_RFC,
	/*
	 * am: a trailer given on the cover letter for some patches;
	 * add it to those?  detail: the trailer and its scope
	 */
	FRONT_ASK_SCOPED,
	/*
	 * Send: the files carry Bcc: headers (a reply's text may have put
	 * them there); send those blind copies?  Asked even when the
	 * confirmation is not.  detail: the addresses, comma-separated
	 */
	FRONT_ASK_FILE_BCC,
};

/* What ask() returns. */
enum front_answer {
	FRONT_CANNOT_ASK = -1,	/* no way to ask: the flow refuses */
	FRONT_NO = 0,
	FRONT_YES = 1,
};

/* How far a flow has got. */
enum front_step {
	/* send: about to send; n messages in all, i the first to go */
	FRONT_SEND_BEGIN,
	FRONT_SEND_SENT,	/* message i went out */
	FRONT_SEND_FAILED,	/* message i did not; why says why */
	/*
	 * Message i went out whole but the server's answer did not come
	 * back: it may have been delivered (why says why).
	 */
	FRONT_SEND_UNSURE,
	FRONT_SEND_END,		/* no more messages go out */
	FRONT_RESPIN_MODEL,	/* respin: loading the mail model */
	FRONT_RESPIN_FORMAT,	/* formatting the series */
	FRONT_RESPIN_MAINTAINERS,	/* reading MAINTAINERS */
	FRONT_RESPIN_CHECKS,	/* running the submission checks */
	FRONT_RESPIN_WRITE,	/* writing the files */
	FRONT_AM_READ,		/* am: reading the thread (n messages) */
	FRONT_AM_APPLY,		/* shazam: git am on n patches */
	FRONT_AM_MERGE,		/* shazam: merging the branch */
};

struct front_progress {
	enum front_step step;
	size_t i, n;		/* send: the message (from 0), how many */
	const char *path;	/* send: the message's file */
	const char *subject;	/* send: its subject (mail text) */
	const char *why;	/* FAILED, UNSURE: the reason */
};

struct front_hooks {
	/* One line for the user, without a newline. */
	void (*say)(void *data, enum front_say kind, const char *text);
	/*
	 * Ask question (one line ending in '?', no answer hint): a
	 * enum front_answer.
	 */
	int (*ask)(void *data, enum front_question q, const char *question,
		   const char *detail);
	/*
	 * A password, asked with prompt; the flow wipes and frees it.
	 * NULL: none could be had (the flow stops).
	 */
	char *(*password)(void *data, const char *prompt);
	void (*progress)(void *data, const struct front_progress *p);
	/* Non-zero once the user wants the flow to stop. */
	int (*interrupted)(void *data);
	void *data;
};

#endif
