/*
 * Sending a series, the flow of vger send for every front end: the
 * patch files read and checked and the record of an earlier sending
 * loaded (front_send_open()); then the questions (a tree closed for
 * the merge window, a series sent in part before, the confirmation),
 * the password when none is configured (git's credential helpers,
 * else the front end's hook), each message sent with the
 * record written after it and a copy delivered to the Fcc maildir,
 * and once every message is out, the version recorded as sent in the
 * repository (front_send_run()).  The front end answers the questions
 * and hears the progress through front/hooks.h; it reads [sendemail]
 * into the options.
 */
#ifndef FRONT_SEND_H
#define FRONT_SEND_H

#include <stddef.h>
#include <time.h>

struct err;
struct front_config;
struct front_hooks;
struct front_send;
struct mail_send_series;
struct mail_smtp_options;
struct vec;

/* Every pointer is borrowed until front_send_free(). */
struct front_send_options {
	const char *const *files;	/* to send, in this order */
	size_t nfiles;
	const char *from;	/* the sender: one "Name <addr>" */
	/* More recipients (char *, one address each), or NULL. */
	const struct vec *to, *cc, *bcc;
	int thread;		/* patches reply to the first message */
	const struct mail_smtp_options *smtp;
	const char *envelope;	/* the envelope sender, bare */
	const char *fcc;	/* maildir for a copy of each, or NULL */
	/* Where records of sendings live; NULL: $XDG_STATE_HOME/vger/send */
	const char *record_dir;
	int dry_run;		/* ask nothing, send nothing */
	int yes;		/* no confirmation (a closed tree still asks) */
	/* A closed tree without asking (vger send --force-closed-tree). */
	int force_closed_tree;
	int resume;		/* the rest of a partial sending, unasked */
	/* Send a series with patches missing (not recorded as sent). */
	int partial;
	/*
	 * The calendar (whether the tree is closed) and the user's
	 * identity (the tagger of the sent version) come from cfg.
	 */
	struct front_config *cfg;
	time_t now;		/* the calendar's day; 0: front_now() */
	/* The repository to record the sent version in; NULL: here. */
	const char *repo_dir;
	/*
	 * The branch the series was respun from, which need not be
	 * checked out (the mine view); NULL: the current branch.
	 */
	const char *branch;
	/*
	 * Ask git's credential helpers for the password of smtp->user at
	 * this host (front_sendconf's credential_host) before the
	 * password hook, and tell them how it went; NULL: do not.
	 */
	const char *credential_host;
	/*
	 * Index each Fcc copy into the notmuch database at once (filed
	 * as seen, in cur/), tagged sent, and tag the message it replies
	 * to replied, so a thread shows the answer before the next
	 * notmuch new.  index_db: the database (NULL: notmuch's own
	 * configuration).
	 */
	int index_sent;
	const char *index_db;
};

/*
 * The files to send for what the user named: every *.patch file of
 * one directory, by name, or the files themselves.  Owned paths are
 * appended to out.  ERR_USAGE for a directory among several names or
 * a name that is not a file; ERR_NOTFOUND for a missing one or a
 * directory with no patch.
 */
int front_send_collect(const char *const *names, size_t n, struct vec *out,
		       struct err *err);

/*
 * Everything checked before anything is sent: the SMTP settings, every
 * file (mail_send_read()), the whole series there (unless partial), the
 * record of an earlier sending (held locked for this process unless
 * dry_run; with resume, there must be one) and the messages composed.
 * Free with front_send_free() either way.
 */
int front_send_open(struct front_send **out,
		    const struct front_send_options *o, struct err *err);
void front_send_free(struct front_send *fs);

/* The series as read and composed; borrowed from fs. */
const struct mail_send_series *front_send_series(const struct front_send *fs);
/* How many of its messages an earlier run did not send. */
size_t front_send_todo(const struct front_send *fs);
/*
 * Every To: and every Cc: address of the messages still to send, each
 * once, appended to to and cc (char *, owned).
 */
void front_send_recipients(const struct front_send *fs, struct vec *to,
			   struct vec *cc);
/* The record's path, and where mail goes ("smtp://host:port"). */
const char *front_send_record(const struct front_send *fs);
const char *front_send_url(const struct front_send *fs);

enum front_send_outcome {
	FRONT_SEND_DONE,	/* every message went out */
	FRONT_SEND_NOTHING,	/* every message went out before */
	FRONT_SEND_DRY_RUN,	/* a dry run: questions said, not asked */
	/*
	 * Nothing sent: a question answered no or that could not be
	 * asked, or no password.
	 */
	FRONT_SEND_DECLINED,
	/* A message failed, or the record could not be written. */
	FRONT_SEND_STOPPED,
	FRONT_SEND_INTERRUPTED,	/* the interrupted hook said stop */
};

struct front_send_result {
	enum front_send_outcome outcome;
	size_t sent;		/* messages sent, by this run or before */
	size_t total;
};

/*
 * The questions, then the sending, as the file comment says.  Every
 * outcome is 0 with res filled (what went wrong with a message was
 * said through the hooks); < 0 with err when nothing could be sent
 * (the record cannot be written).  A closed tree is asked about even
 * with yes; only force_closed_tree goes on without asking, and without
 * a way to ask the flow refuses.
 */
int front_send_run(struct front_send *fs, const struct front_hooks *h,
		   struct front_send_result *res, struct err *err);

#endif
