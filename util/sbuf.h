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
 * Append s with every byte < 0x20 (but tab), 0x7f and the UTF-8 C1
 * controls (U+0080..U+009F) made visible.
 */
void sbuf_add_sanitized(struct sbuf *sb, const char *s, size_t len);

void sbuf_rtrim(struct sbuf *sb);
void sbuf_trim(struct sbuf *sb);

/*
 * Read a whole file (at most max bytes, else ERR_NOMEM naming it).
 * Returns 0 or a negative err code.
 */
int sbuf_read_file(struct sbuf *sb, const char *path, size_t max,
		   struct err *err);
/* Read all of fd (at most max bytes). */
int sbuf_read_fd(struct sbuf *sb, int fd, size_t max, struct err *err);

#endif
