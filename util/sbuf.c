#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

char sbuf_empty[1];

void sbuf_init(struct sbuf *sb)
{
	sb->buf = sbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb);
}

char *sbuf_detach(struct sbuf *sb)
{
	char *s = sb->alloc ? sb->buf : xstrdup("");

	sbuf_init(sb);
	return s;
}

void sbuf_reset(struct sbuf *sb)
{
	sbuf_setlen(sb, 0);
}

void sbuf_grow(struct sbuf *sb, size_t extra)
{
	int fresh = !sb->alloc;

	if (sb->len + extra + 1 <= sb->alloc)
		return;
	if (fresh)
		sb->buf = NULL;
	ALLOC_GROW(sb->buf, sb->len + extra + 1, sb->alloc);
	if (fresh)
		sb->buf[0] = '\0';
}

void sbuf_setlen(struct sbuf *sb, size_t len)
{
	if (len > (sb->alloc ? sb->alloc - 1 : 0))
		BUG("sbuf_setlen beyond the allocation");
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	sbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sbuf_addstr(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_addull(struct sbuf *sb, unsigned long long v)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void sbuf_addll(struct sbuf *sb, long long v)
{
	if (v < 0) {
		sbuf_addch(sb, '-');
		/* -(v + 1) + 1 does not overflow for LLONG_MIN */
		sbuf_addull(sb, (unsigned long long)-(v + 1) + 1);
	} else {
		sbuf_addull(sb, (unsigned long long)v);
	}
}

void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	sbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed for format '%s'", fmt);
	if ((size_t)n >= sb->alloc - sb->len) {
		sbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

size_t utf8_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c, min;
	size_t n;

	if (!len) {
		*cp = 0;
		return 0;
	}
	c = u[0];
	*cp = c;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;	/* a continuation byte, 0xc0, 0xc1, 0xf5.. */
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int utf8_is_safe(unsigned cp)
{
	if (cp < 0x20)
		return cp == '\t';
	if (cp < 0x7f)
		return 1;
	if (cp <= 0x9f)
		return 0;	/* DEL and C1 */
	return !(cp == 0x061c || cp == 0x200e || cp == 0x200f ||
		 (cp >= 0x202a && cp <= 0x202e) ||
		 (cp >= 0x2066 && cp <= 0x2069));
}

size_t utf8_safe_prefix(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n;

		/* ASCII runs need no decoding */
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n || !utf8_is_safe(cp))
			break;
		i += n;
	}
	return i;
}

void sbuf_add_escaped(struct sbuf *sb, const char *s, size_t len,
		      void (*show)(struct sbuf *sb, unsigned cp, size_t n))
{
	while (len) {
		size_t safe = utf8_safe_prefix(s, len), n;
		unsigned cp;

		sbuf_add(sb, s, safe);
		s += safe;
		len -= safe;
		if (!len)
			break;
		n = utf8_decode(s, len, &cp);
		show(sb, cp, n);
		s += n ? n : 1;
		len -= n ? n : 1;
	}
}

static void show_visible(struct sbuf *sb, unsigned cp, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	if (!n) {	/* not printf: binary junk is all invalid bytes */
		char x[4] = { '\\', 'x', hex[cp >> 4 & 0xf], hex[cp & 0xf] };

		sbuf_add(sb, x, sizeof(x));
	} else if (cp < 0x20 || cp == 0x7f) {
		sbuf_addch(sb, '^');
		sbuf_addch(sb, cp == 0x7f ? '?' : (int)cp + '@');
	} else {
		sbuf_addf(sb, "<U+%04X>", cp);
	}
}

void sbuf_add_sanitized(struct sbuf *sb, const char *s, size_t len)
{
	sbuf_add_escaped(sb, s, len, show_visible);
}

static void show_visible_lines(struct sbuf *sb, unsigned cp, size_t n)
{
	if (n && cp == '\n')
		sbuf_addch(sb, '\n');
	else
		show_visible(sb, cp, n);
}

void sbuf_add_sanitized_lines(struct sbuf *sb, const char *s, size_t len)
{
	sbuf_add_escaped(sb, s, len, show_visible_lines);
}

void sbuf_rtrim(struct sbuf *sb)
{
	while (sb->len && strchr(" \t\r\n", sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

void sbuf_trim(struct sbuf *sb)
{
	size_t skip = 0;

	sbuf_rtrim(sb);
	while (skip < sb->len && strchr(" \t\r\n", sb->buf[skip]))
		skip++;
	if (skip) {
		memmove(sb->buf, sb->buf + skip, sb->len - skip);
		sbuf_setlen(sb, sb->len - skip);
	}
}

static int too_large(struct err *err, size_t max)
{
	return err_set(err, ERR_NOMEM, "input larger than %zu bytes", max);
}

int sbuf_read_fd(struct sbuf *sb, int fd, size_t max, struct err *err)
{
	for (;;) {
		ssize_t n;

		sbuf_grow(sb, 8192);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, ERR_IO, "read: %s", strerror(errno));
		if (!n)
			break;
		sb->len += (size_t)n;
		sb->buf[sb->len] = '\0';
		if (sb->len > max)
			return too_large(err, max);
	}
	return 0;
}

static int read_open_fd(struct sbuf *sb, int fd, const char *path,
			size_t max, struct err *err)
{
	struct stat st;
	int ret;

	/* One allocation for a regular file, not a doubling series. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= max) {
		size_t size = (size_t)st.st_size;
		ssize_t n;

		sbuf_grow(sb, size + 1);
		/*
		 * A byte more than the file has: all of it, and no more,
		 * is its end, without the read that returns 0 (a cold
		 * build reads a million messages, and a system call costs
		 * about what reading a small one does under a hypervisor).
		 * Anything else (a file that changed, a signal) goes on
		 * the usual way.
		 */
		do {
			n = read(fd, sb->buf + sb->len, size + 1);
		} while (n < 0 && errno == EINTR);
		if (n > 0)
			sbuf_setlen(sb, sb->len + (size_t)n);
		if (n == (ssize_t)size) {
			close(fd);
			if (sb->len <= max)
				return 0;
			too_large(err, max);
			return err_prefix(err, "%s", path);
		}
	}
	ret = sbuf_read_fd(sb, fd, max, err);
	close(fd);
	if (ret)
		return err_prefix(err, "%s", path);
	return 0;
}

int sbuf_read_file(struct sbuf *sb, const char *path, size_t max,
		   struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	return read_open_fd(sb, fd, path, max, err);
}

int sbuf_read_regular(struct sbuf *sb, const char *path, size_t max,
		      struct err *err)
{
	int fd = fs_open_regular(path, O_RDONLY, err);

	if (fd < 0)
		return fd;
	return read_open_fd(sb, fd, path, max, err);
}
