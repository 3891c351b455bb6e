/*
 * A patch mail as `git am` takes it, as plain text functions (no
 * notmuch, no files): where a body's commit message, trailer block,
 * notes and diff are; the body with trailers added to the trailer
 * block; the mbox entry b4 writes for it; the mbox's name as b4 names
 * it; the merge message BPF and netdev maintainers write from a cover
 * letter.  Bodies are UTF-8 text as mail/message.h gives them.
 */
#ifndef MAIL_AM_H
#define MAIL_AM_H

#include <stddef.h>
#include <time.h>

#include "util/vec.h"

struct sbuf;

/* Where the parts of a patch body are (offsets into the body). */
struct mail_am_parts {
	/*
	 * In-body headers git mailinfo honours ("From: A <a@x>",
	 * "Date:", "Subject:" in the first paragraph), as written, or
	 * NULL; they end at msg_start.
	 */
	char *from, *date, *subject;
	size_t msg_start;	/* the commit message starts here */
	/*
	 * The commit message ends here: at the "---" line before the
	 * notes and diffstat, else at the diff, else at the "-- "
	 * signature, else at the end (blank lines before it excluded).
	 */
	size_t msg_end;
	/* The trailer block: its first and one past its last byte. */
	size_t trailers_start, trailers_end;
	int has_trailers;
	int has_diff;		/* a diff follows msg_end */
};

/*
 * Find the parts of body (lines may end in \r\n).  A trailer block is
 * the last paragraph of the message when every line of it is a trailer
 * ("Key: value"), a continuation (leading blank) or a "[...]" note, or
 * when it holds a Signed-off-by: line and at least a quarter of it is
 * trailers, as git interpret-trailers decides.  Release with
 * mail_am_parts_release().
 */
void mail_am_parts(struct mail_am_parts *out, const char *body);
void mail_am_parts_release(struct mail_am_parts *p);

/*
 * The trailer lines of the block (char *, owned, continuation lines
 * joined to theirs with one space, "[...]" notes kept on their own
 * line), appended to out.
 */
void mail_am_trailer_lines(const char *body, const struct mail_am_parts *p,
			   struct vec *out);

/*
 * body with lines (char *: "Acked-by: A <a@x>") added at the end of
 * its trailer block (a new block after a blank line when it has none),
 * before the notes and the diff; every other byte as it was (\r\n
 * made \n).  With move_last (a line, or NULL), a line of the block
 * equal to it (ignoring case) is taken out and it is added last: the
 * user's own Signed-off-by.  Appended to out.
 */
void mail_am_add_trailers(const char *body, const struct vec *lines,
			  const char *move_last, struct sbuf *out);

/* What an mbox entry of a patch holds. */
struct mail_am_msg {
	const char *from;	/* "Name <addr>" or "addr", decoded */
	const char *date;	/* RFC 5322 date as the mail had it */
	const char *subject;	/* "[PATCH v2 3/5] title" */
	const char *message_id;	/* without <> */
	const char *body;	/* UTF-8, lines ending in \n */
};

/*
 * Append the entry git am reads (as b4 writes it): "From git@z Thu Jan
 * 1 00:00:00 1970", Subject, From (RFC 2047-encoded when not ASCII),
 * Date, Message-Id, MIME-Version, Content-Type text/plain UTF-8,
 * Content-Transfer-Encoding 7bit or 8bit, a blank line, the body and a blank
 * line.  with_from:
 * the "From " line (a .cover file has none).  0, or -1 with *bad_line
 * (1-based) when a body line would split the mbox there (git
 * mailsplit takes it for a "From " separator): nothing is appended.
 */
int mail_am_write_msg(const struct mail_am_msg *m, int with_from,
		      struct sbuf *out, unsigned *bad_line);

/*
 * "[PATCH RFC v2 3/5] title" as b4 am writes subjects: RFC when rfc,
 * vN when version > 1 or version_given, "i/N" when total > 0.
 */
void mail_am_subject(struct sbuf *out, int rfc, unsigned version,
		     int version_given, unsigned index, unsigned total,
		     const char *title);

/*
 * b4's name for a series' mbox (without ".mbx"):
 * "v2_20250501_ast_bpf_mitigate_spectre", from the date of its first
 * message (in that message's own time zone: tz_minutes east of UTC),
 * the local part of its sender and its title, every run of non-word
 * characters one '_', lowercase, at most 100 characters.
 */
void mail_am_slug(struct sbuf *out, unsigned version, time_t date,
		  int tz_minutes, const char *from_email, const char *title);

/*
 * The minutes east of UTC of an RFC 5322 Date: value ("... +0200"), or
 * 0 when it names none.
 */
int mail_am_date_tz(const char *date);

/* A cover letter turned into a merge message. */
struct mail_am_merge {
	const char *title;	/* the cover's title, prefixes removed */
	const char *author;	/* its sender's name (else address) */
	const char *body;	/* the cover letter's body */
	const char *link;	/* "https://patch.msgid.link/ID" or NULL */
	const char *signoff;	/* "Name <addr>" or NULL */
};

/*
 * The merge message as the BPF and netdev maintainers write it:
 *
 *	Merge branch 'fix-bpf-qdisc-bugs-and-clean-up'
 *
 *	Amery Hung says:
 *
 *	====================
 *	<the cover letter's text: above its diffstat and "base-commit:",
 *	 without its trailers and signature>
 *	====================
 *
 *	Link: https://patch.msgid.link/...
 *	Signed-off-by: ...
 */
void mail_am_merge_message(const struct mail_am_merge *m, struct sbuf *out);
/* "fix-bpf-qdisc-bugs-and-clean-up": the title as a branch name. */
void mail_am_branch_slug(const char *title, struct sbuf *out);

/*
 * The base commit a cover letter (or first patch) names:
 * "base-commit: HEX" at a line start, else NULL.  The caller frees.
 */
char *mail_am_base_commit(const char *body);

/*
 * Whether body holds a diff whose hunks do not add up (a hunk cut
 * short, a line that is no hunk line inside one): 0 when sound or no
 * diff, else the 1-based line where it broke.
 */
unsigned mail_am_broken_diff(const char *body);

#endif
