/*
 * A growing string buffer, after git's strbuf: buf is never NULL and
 * always NUL-terminated; sbuf_detach() hands the string over.
 */
#ifndef UTIL_SBUF_H
#define UTIL_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct err;

struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
/* Return the string (the caller's, free() it) and reset sb. */
char *sbuf_detach(struct sbuf *sb);
void sbuf_reset(struct sbuf *sb);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_setlen(struct sbuf *sb, size_t len);

void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_addstr(struct sbuf *sb, const char *s);
/* Decimal, without printf's cost: writers of big files call these. */
void sbuf_addll(struct sbuf *sb, long long v);
void sbuf_addull(struct sbuf *sb, unsigned long long v);
/* Inline: the byte-at-a-time loops of parsers call it most. */
static inline void sbuf_addch(struct sbuf *sb, int c)
{
	if (sb->len + 2 > sb->alloc)
		sbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
/*
 * The one sanitiser for text on its way to a terminal (mail, commit
 * subjects, server answers), in three parts the TUI shares:
 *
 * utf8_decode() reads one character of s (len bytes): its length,
 * 1 to 4, with the code point in *cp; 0 when s starts with a byte that
 * is no valid UTF-8 (a stray continuation byte, an overlong form, a
 * surrogate, beyond U+10FFFF, a sequence cut by the end), *cp then the
 * byte itself.
 */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);
/*
 * Whether cp may reach a terminal as itself: not a C0 control (tab
 * excepted), DEL, a C1 control (U+0080..U+009F: U+009B is CSI to a
 * UTF-8 terminal) or a bidi control (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069: Trojan Source reordering).  Says
 * nothing of width; the painter measures that.
 */
int utf8_is_safe(unsigned cp);
/*
 * Append s with every unsafe character made visible: C0 and DEL as
 * "^[" and "^?", C1 and bidi controls as "<U+009B>", "<U+202E>", and
 * every byte that is no valid UTF-8 as "\xNN".  Tabs are kept.
 */
void sbuf_add_sanitized(struct sbuf *sb, const char *s, size_t len);
/*
 * The same for text of several lines: a newline is kept (it ends a
 * line), everything else as sbuf_add_sanitized() shows it.
 */
void sbuf_add_sanitized_lines(struct sbuf *sb, const char *s, size_t len);
/* How many bytes at the start of s sbuf_add_sanitized() copies as they are. */
size_t utf8_safe_prefix(const char *s, size_t len);
/*
 * The same walk with another visible form (JSON's "\u202e"): show()
 * appends what stands for the unsafe character cp, n bytes long, or
 * for the invalid byte cp when n is 0.
 */
void sbuf_add_escaped(struct sbuf *sb, const char *s, size_t len,
		      void (*show)(struct sbuf *sb, unsigned cp, size_t n));

void sbuf_rtrim(struct sbuf *sb);
void sbuf_trim(struct sbuf *sb);

/*
 * Read a whole file (at most max bytes, else ERR_NOMEM naming it).
 * Returns 0 or a negative err code.
 */
int sbuf_read_file(struct sbuf *sb, const char *path, size_t max,
		   struct err *err);
/*
 * The same for a file vger keeps (a cache, a record): only a regular
 * file (fs_open_regular()), so a FIFO or a device there is an error,
 * not a hang.
 */
int sbuf_read_regular(struct sbuf *sb, const char *path, size_t max,
		      struct err *err);
/* Read all of fd (at most max bytes). */
int sbuf_read_fd(struct sbuf *sb, int fd, size_t max, struct err *err);

#endif
