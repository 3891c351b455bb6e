/*
 * One message as a pager shows it: its headers, and its text as display
 * lines, each with a kind the TUI maps to a colour.  GMime reads the
 * message and walks its MIME structure (bounded in depth and parts);
 * text parts are transfer-decoded and converted to UTF-8; the diff in
 * them is found by parsing the patch (mail/diff.h), not by matching
 * lines.  Every string here has been through the terminal sanitiser
 * (util/sbuf.h): no control, bidi control or invalid UTF-8 byte is
 * left, tabs are kept for the painter to expand.  No curses, no
 * printing: the TUI asks for lines and draws them.
 */
#ifndef MAIL_RENDER_H
#define MAIL_RENDER_H

#include <stddef.h>

#include "util/arena.h"

struct err;

enum mail_line_kind {
	MAIL_LINE_TEXT,		/* plain text */
	MAIL_LINE_ATTRIBUTION,	/* "On <date>, <Name> wrote:" */
	MAIL_LINE_QUOTE,	/* quoted text that is nothing more specific */
	MAIL_LINE_SIGNATURE,	/* "-- " and what follows it */
	MAIL_LINE_TRAILER,	/* Acked-by:, Reviewed-by:, Signed-off-by: */
	MAIL_LINE_DIFFSTAT,	/* " core.c | 2 +-", " 1 file changed" */
	MAIL_LINE_DIFF_FILE,	/* diff --git, index, ---/+++, mode ... */
	MAIL_LINE_HUNK,		/* @@ -a,b +c,d @@ */
	MAIL_LINE_ADDED,	/* +line of a hunk */
	MAIL_LINE_REMOVED,	/* -line of a hunk */
	MAIL_LINE_CONTEXT,	/* " line" of a hunk */
	MAIL_LINE_NO_NEWLINE,	/* \ No newline at end of file */
	MAIL_LINE_HEADER,	/* "Subject: ..." of an attached message */
	MAIL_LINE_PART,		/* "[-- Attachment #2: ... --]" ... */
	MAIL_LINE_KIND_MAX
};

enum mail_line_flags {
	/*
	 * The line goes on from the line before: a line longer than
	 * MAIL_RENDER_LINE_MAX is split into pieces, and every piece after
	 * the first carries this (the TUI draws a continuation mark).
	 */
	MAIL_LINE_CONTINUED = 1 << 0,
};

/*
 * A display line.  Quoting is orthogonal to kind: quote_level > 0 is
 * quoted text at that depth (">", "> >" and ">>" count), and kind says
 * what the quoted line is.  A reviewer's quote of a patch ("> +foo")
 * is kind MAIL_LINE_ADDED with quote_level 1, so the TUI dims and folds
 * it as a quote and colours it as a diff; MAIL_LINE_QUOTE is the kind of
 * quoted lines that are nothing more (prose).
 */
struct mail_line {
	const char *text;	/* sanitised UTF-8, no newline */
	size_t len;		/* at most MAIL_RENDER_LINE_MAX */
	enum mail_line_kind kind;
	unsigned quote_level;
	unsigned prefix_len;	/* bytes of quote marks ("> > ") in text */
	unsigned nest;		/* message/rfc822 depth; 0 the message */
	unsigned flags;		/* enum mail_line_flags */
};

struct mail_header {
	const char *name;	/* sanitised, as written: "Reply-To" */
	const char *value;	/* RFC 2047-decoded, unfolded, sanitised */
};

/* A part that is not text shown inline, or a text part sent as a file. */
struct mail_attachment {
	const char *filename;	/* sanitised, or NULL */
	const char *type;	/* "application/gzip", sanitised */
	const char *part;	/* IMAP part number: "2", "1.3" */
	size_t size;		/* transfer-decoded bytes */
	int shown;		/* its text is among the lines */
};

enum mail_render_flags {
	/*
	 * A limit was hit: the last line says which, or the headers past
	 * MAIL_RENDER_HEADERS_MAX are left out.
	 */
	MAIL_RENDER_CUT = 1 << 0,
};

/*
 * The rendered message.  Everything (headers, lines, attachments and
 * their strings) is owned here and lives until mail_render_release().
 */
struct mail_render {
	struct mail_header *headers;	/* in the order of the message */
	size_t nheaders;
	struct mail_line *lines;
	size_t nlines;
	struct mail_attachment *attachments;
	size_t nattachments;
	unsigned flags;			/* enum mail_render_flags */
	/* private */
	size_t alloc_headers, alloc_lines, alloc_attachments;
	size_t text_bytes;
	struct arena arena;
};

#define MAIL_RENDER_INIT { NULL, 0, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, \
			   ARENA_INIT }

/* A longer line is split into pieces of at most this many bytes. */
#define MAIL_RENDER_LINE_MAX (16u << 10)
/* At most this much text and this many lines (then a line says so). */
#define MAIL_RENDER_TEXT_MAX (32u << 20)
#define MAIL_RENDER_LINES_MAX 500000u
/* Deeper MIME nesting is named, not walked; more parts are not shown. */
#define MAIL_RENDER_DEPTH_MAX 32
#define MAIL_RENDER_PARTS_MAX 1000
#define MAIL_RENDER_HEADERS_MAX 1000

/*
 * Render the message file at path (at most MAIL_MESSAGE_FILE_MAX
 * bytes).  0, or a negative err code naming the file (ERR_NOTFOUND,
 * ERR_NOMEM for a file over the size limit, ERR_PARSE for an empty
 * file or one GMime cannot read).  Release out either way.
 */
int mail_render_load(struct mail_render *out, const char *path,
		     struct err *err);
/* The same from bytes in memory; name is for error messages. */
int mail_render_parse(struct mail_render *out, const char *data, size_t len,
		      const char *name, struct err *err);
/*
 * Append the display lines of one text (UTF-8 as far as it is valid;
 * no MIME): what a text part of a message becomes.
 */
void mail_render_add_text(struct mail_render *r, const char *text,
			  size_t len);
void mail_render_release(struct mail_render *r);

/* The first header called name (any case), or NULL; borrowed from r. */
const char *mail_render_header(const struct mail_render *r, const char *name);
/* "text", "quote", "added" ...: for tests and colour names. */
const char *mail_line_kind_name(enum mail_line_kind kind);

#endif
