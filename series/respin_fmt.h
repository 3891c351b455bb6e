/*
 * The text rules of git format-patch, as plain string functions, so
 * vger's output is byte-identical to git's.  Each follows the git
 * function named in its comment (git 2.39, pretty.c, utf8.c, diff.c,
 * quote.c, log-tree.c, shortlog.c); libgit2 has none of these (its
 * git_email_create_from_commit writes other headers, another diffstat
 * layout and its own signature).  Everything appends to an sbuf.
 */
#ifndef SERIES_RESPIN_FMT_H
#define SERIES_RESPIN_FMT_H

#include <stddef.h>
#include <time.h>

struct sbuf;

/* utf8.c strbuf_add_wrapped_text(); text is NUL-terminated. */
void respin_fmt_wrap(struct sbuf *sb, const char *text, int indent1,
		     int indent2, int width);
/* Length of the last line of sb (pretty.c last_line_length()). */
int respin_fmt_last_line_len(const struct sbuf *sb);

enum respin_rfc2047 { RESPIN_RFC2047_SUBJECT, RESPIN_RFC2047_ADDRESS };
/* pretty.c needs_rfc2047_encoding() and add_rfc2047() for UTF-8. */
int respin_fmt_needs_rfc2047(const char *s, size_t len);
void respin_fmt_rfc2047(struct sbuf *sb, const char *s, size_t len,
			enum respin_rfc2047 type);
/* Any byte >= 0x80 or ESC (pretty.c has_non_ascii()). */
int respin_fmt_non_ascii(const char *s);

/* "From: NAME <MAIL>\n" as pretty.c pp_user_info() writes it. */
void respin_fmt_from(struct sbuf *sb, const char *name, const char *mail);
/* "Date: Tue, 14 Nov 2023 22:13:20 +0000\n" (RFC 2822, the author's tz). */
void respin_fmt_date(struct sbuf *sb, time_t when, int tz_minutes);
/*
 * pretty.c format_subject(): the first paragraph of msg with its lines
 * joined by sep; returns where the rest starts.
 */
const char *respin_fmt_subject(struct sbuf *sb, const char *msg,
			       const char *sep);
/*
 * pretty.c pp_title_line() for the email format: "Subject: " +
 * bracket + the title (folded at 78 or RFC 2047-encoded) + "\n", the
 * MIME headers when need_8bit, then extra headers (may be NULL) and
 * the blank line.  Returns where the body starts in msg.
 */
const char *respin_fmt_title(struct sbuf *sb, const char *bracket,
			     const char *msg, int need_8bit,
			     const char *extra_headers);
/* pretty.c pp_remainder(): the body lines, trailing blanks removed. */
void respin_fmt_remainder(struct sbuf *sb, const char *msg);
/* pretty.c format_sanitized_subject(): the file name slug. */
void respin_fmt_slug(struct sbuf *sb, const char *s, size_t len);
/* quote.c quote_c_style() with core.quotePath on; 1 when it quoted. */
int respin_fmt_quote_path(struct sbuf *sb, const char *path);
/* diff.c pprint_rename(): "dir/{a.c => b.c}". */
void respin_fmt_rename(struct sbuf *sb, const char *a, const char *b);

/* One line of a diffstat (diff.c struct diffstat_file). */
struct respin_stat_file {
	char *print_name;	/* filled by respin_fmt_stat */
	const char *from_name;	/* old path of a rename/copy, else NULL */
	const char *name;	/* the (new) path */
	int is_binary;
	unsigned long added;	/* lines, or the new size for binary */
	unsigned long deleted;	/* lines, or the old size for binary */
};
/* diff.c show_stats() with stat_width width (format-patch: 72). */
void respin_fmt_stat(struct sbuf *sb, struct respin_stat_file *files,
		     size_t n, int width);

/* base85.c encode_85()/decode_85(): len bytes → 5 chars per 4 bytes. */
void respin_fmt_base85(struct sbuf *sb, const unsigned char *data,
		       size_t len);
/* Decode len bytes from s; 0, or -1 on a bad character. */
int respin_fmt_unbase85(unsigned char *out, const char *s, size_t len);

#endif
