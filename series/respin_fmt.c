/*
 * git format-patch's text rules, rewritten from git 2.39 (GPL-2.0, like
 * vger) because no library has them: byte-identical output needs the
 * same folding, quoting and diffstat arithmetic as git.
 */
#include <stdint.h>
#include <string.h>

#include "series/respin_fmt.h"
#include "util/sbuf.h"

static int is_space(int c)
{
	/* git's isspace(): space, tab, newline, CR (no VT, no FF) */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static int non_ascii(int c)
{
	return (c & 0x80) || c == '\033';
}

int respin_fmt_non_ascii(const char *s)
{
	for (; s && *s; s++)
		if (non_ascii((unsigned char)*s))
			return 1;
	return 0;
}

int respin_fmt_last_line_len(const struct sbuf *sb)
{
	int i;

	for (i = (int)sb->len - 1; i >= 0; i--)
		if (sb->buf[i] == '\n')
			break;
	return (int)sb->len - i - 1;
}

/*
 * One UTF-8 character of a NUL-terminated string: its code point, the
 * cursor moved past it; -1 when invalid (the cursor stays).
 */
static long next_char(const unsigned char **p)
{
	const char *s = (const char *)*p;
	unsigned cp;
	size_t n = utf8_decode(s, strnlen(s, 4), &cp);

	if (!n)
		return -1;
	*p += n;
	return cp;
}

/*
 * git_wcwidth() for the common cases.  NEEDSWORK: git carries the full
 * Unicode width tables; this knows controls, the main combining block
 * and the East Asian wide blocks only.
 */
static int char_width(long ch)
{
	if (!ch)
		return 0;
	if (ch < 32 || (ch >= 0x7f && ch < 0xa0))
		return -1;
	if ((ch >= 0x300 && ch <= 0x36f) || ch == 0x200b)
		return 0;
	if ((ch >= 0x1100 && ch <= 0x115f) || (ch >= 0x2e80 && ch <= 0xa4cf) ||
	    (ch >= 0xac00 && ch <= 0xd7a3) || (ch >= 0xf900 && ch <= 0xfaff) ||
	    (ch >= 0xfe30 && ch <= 0xfe4f) || (ch >= 0xff00 && ch <= 0xff60) ||
	    (ch >= 0xffe0 && ch <= 0xffe6) ||
	    (ch >= 0x1f300 && ch <= 0x1f64f) ||
	    (ch >= 0x20000 && ch <= 0x3fffd))
		return 2;
	return 1;
}

static int strwidth(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	while (*p) {
		long ch = next_char(&p);

		if (ch < 0)
			return (int)strlen(s);
		w += char_width(ch) > 0 ? char_width(ch) : 0;
	}
	return w;
}

/* utf8.c display_mode_esc_sequence_len() */
static size_t esc_len(const char *s)
{
	const char *p = s;

	if (*p++ != '\033' || *p++ != '[')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == ';') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p++ != 'm')
		return 0;
	return (size_t)(p - s);
}

void respin_fmt_wrap(struct sbuf *sb, const char *text, int indent1,
		     int indent2, int width)
{
	const char *bol, *space, *start = text;
	size_t orig_len = sb->len;
	int indent, w, assume_utf8 = 1;

retry:
	bol = text;
	w = indent = indent1;
	space = NULL;
	if (indent < 0) {
		w = -indent;
		space = text;
	}
	for (;;) {
		size_t skip;
		char c;

		while ((skip = esc_len(text)))
			text += skip;
		c = *text;
		if (!c || is_space((unsigned char)c)) {
			if (w <= width || !space) {
				const char *from = bol;

				if (!c && text == from)
					return;
				if (space)
					from = space;
				else
					for (int i = 0; i < indent; i++)
						sbuf_addch(sb, ' ');
				sbuf_add(sb, from, (size_t)(text - from));
				if (!c)
					return;
				space = text;
				if (c == '\t') {
					w |= 0x07;
				} else if (c == '\n') {
					space++;
					if (*space == '\n') {
						sbuf_addch(sb, '\n');
						goto new_line;
					} else if (!is_alnum(
						   (unsigned char)*space)) {
						goto new_line;
					} else {
						sbuf_addch(sb, ' ');
					}
				}
				w++;
				text++;
			} else {
new_line:
				sbuf_addch(sb, '\n');
				text = bol = space +
					     is_space((unsigned char)*space);
				space = NULL;
				w = indent = indent2;
			}
			continue;
		}
		if (assume_utf8) {
			const unsigned char *p = (const unsigned char *)text;
			long ch = next_char(&p);

			if (ch < 0) {
				assume_utf8 = 0;
				text = start;
				sbuf_setlen(sb, orig_len);
				goto retry;
			}
			w += char_width(ch);
			text = (const char *)p;
		} else {
			w++;
			text++;
		}
	}
}

int respin_fmt_needs_rfc2047(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int ch = (unsigned char)s[i];

		if (non_ascii(ch) || ch == '\n')
			return 1;
		if (i + 1 < len && ch == '=' && s[i + 1] == '?')
			return 1;
	}
	return 0;
}

static int rfc2047_special(int ch, enum respin_rfc2047 type)
{
	if (non_ascii(ch) || ch < 0x20 || ch > 0x7e)
		return 1;
	if (is_space(ch) || ch == '=' || ch == '?' || ch == '_')
		return 1;
	if (type != RESPIN_RFC2047_ADDRESS)
		return 0;
	return !(is_alnum(ch) || ch == '!' || ch == '*' || ch == '+' ||
		 ch == '-' || ch == '/');
}

/* utf8.c mbs_chrlen() for UTF-8: 1 for an invalid byte. */
static size_t chr_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *q = p;

	if (next_char(&q) < 0)
		return 1;
	return (size_t)(q - p) <= len ? (size_t)(q - p) : len;
}

void respin_fmt_rfc2047(struct sbuf *sb, const char *s, size_t len,
			enum respin_rfc2047 type)
{
	static const int max_encoded_length = 76;
	int line_len = respin_fmt_last_line_len(sb);

	sbuf_addstr(sb, "=?UTF-8?q?");
	line_len += (int)strlen("UTF-8") + 5;
	while (len) {
		const unsigned char *p = (const unsigned char *)s;
		size_t n = chr_len(s, len);
		int special = n > 1 || rfc2047_special(*p, type);

		s += n;
		len -= n;
		if (line_len + 2 + (special ? 3 * (int)n : 1) >
		    max_encoded_length) {
			sbuf_addstr(sb, "?=\n =?UTF-8?q?");
			line_len = (int)strlen("UTF-8") + 5 + 1;
		}
		if (special) {
			for (size_t i = 0; i < n; i++)
				sbuf_addf(sb, "=%02X", p[i]);
			line_len += 3 * (int)n;
		} else {
			sbuf_addch(sb, *p);
			line_len++;
		}
	}
	sbuf_addstr(sb, "?=");
}

static int rfc822_special(char ch)
{
	return strchr("()<>[]:;@,.\"\\", ch) && ch;
}

void respin_fmt_from(struct sbuf *sb, const char *name, const char *mail)
{
	size_t namelen = strlen(name);
	int max_length = 78;

	sbuf_addstr(sb, "From: ");
	if (respin_fmt_needs_rfc2047(name, namelen)) {
		respin_fmt_rfc2047(sb, name, namelen, RESPIN_RFC2047_ADDRESS);
		max_length = 76;
	} else {
		struct sbuf q = SBUF_INIT;
		int quote = 0;

		for (size_t i = 0; i < namelen; i++)
			quote |= rfc822_special(name[i]);
		if (quote) {
			sbuf_addch(&q, '"');
			for (size_t i = 0; i < namelen; i++) {
				if (name[i] == '"' || name[i] == '\\')
					sbuf_addch(&q, '\\');
				sbuf_addch(&q, name[i]);
			}
			sbuf_addch(&q, '"');
		} else {
			sbuf_addstr(&q, name);
		}
		respin_fmt_wrap(sb, q.buf, -6, 1, max_length);
		sbuf_release(&q);
	}
	if (max_length < respin_fmt_last_line_len(sb) + 2 +
			 (int)strlen(mail) + 1)
		sbuf_addch(sb, '\n');
	sbuf_addf(sb, " <%s>\n", mail);
}

void respin_fmt_date(struct sbuf *sb, time_t when, int tz)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	time_t local = when + (time_t)tz * 60;
	int atz = tz < 0 ? -tz : tz;
	struct tm tm;

	gmtime_r(&local, &tm);
	sbuf_addf(sb, "Date: %s, %d %s %d %02d:%02d:%02d %c%02d%02d\n",
		  days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		  tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		  tz < 0 ? '-' : '+', atz / 60, atz % 60);
}

/* pretty.c get_one_line(): the line's length including its newline. */
static size_t one_line(const char *msg)
{
	const char *nl = strchr(msg, '\n');

	return nl ? (size_t)(nl - msg + 1) : strlen(msg);
}

/* pretty.c is_blank_line(): trims *len of trailing blanks. */
static int blank_line(const char *line, size_t *len)
{
	while (*len && is_space((unsigned char)line[*len - 1]))
		(*len)--;
	return !*len;
}

const char *respin_fmt_subject(struct sbuf *sb, const char *msg,
			       const char *sep)
{
	int first = 1;

	for (;;) {
		const char *line = msg;
		size_t len = one_line(line);

		msg += len;
		if (!len || blank_line(line, &len))
			break;
		if (!first)
			sbuf_addstr(sb, sep);
		sbuf_add(sb, line, len);
		first = 0;
	}
	return msg;
}

const char *respin_fmt_title(struct sbuf *sb, const char *bracket,
			     const char *msg, int need_8bit,
			     const char *extra_headers)
{
	struct sbuf title = SBUF_INIT;

	msg = respin_fmt_subject(&title, msg, " ");
	sbuf_addf(sb, "Subject: %s ", bracket);
	if (respin_fmt_needs_rfc2047(title.buf, title.len))
		respin_fmt_rfc2047(sb, title.buf, title.len,
				   RESPIN_RFC2047_SUBJECT);
	else
		respin_fmt_wrap(sb, title.buf, -respin_fmt_last_line_len(sb),
				1, 78);
	sbuf_addch(sb, '\n');
	if (need_8bit)
		sbuf_addstr(sb, "MIME-Version: 1.0\n"
			    "Content-Type: text/plain; charset=UTF-8\n"
			    "Content-Transfer-Encoding: 8bit\n");
	if (extra_headers)
		sbuf_addstr(sb, extra_headers);
	sbuf_addch(sb, '\n');
	sbuf_release(&title);
	return msg;
}

void respin_fmt_remainder(struct sbuf *sb, const char *msg)
{
	int first = 1;

	for (;;) {
		const char *line = msg;
		size_t len = one_line(line);

		msg += len;
		if (!len)
			break;
		if (blank_line(line, &len) && first)
			continue;
		first = 0;
		sbuf_add(sb, line, len);
		sbuf_addch(sb, '\n');
	}
}

static int title_char(char c)
{
	return is_alnum((unsigned char)c) || c == '.' || c == '_';
}

void respin_fmt_slug(struct sbuf *sb, const char *s, size_t len)
{
	size_t start = sb->len;
	int space = 2;

	for (size_t i = 0; i < len; i++) {
		if (title_char(s[i])) {
			if (space == 1)
				sbuf_addch(sb, '-');
			space = 0;
			sbuf_addch(sb, s[i]);
			if (s[i] == '.')
				while (i + 1 < len && s[i + 1] == '.')
					i++;
		} else {
			space |= 1;
		}
	}
	while (sb->len > start &&
	       (sb->buf[sb->len - 1] == '.' || sb->buf[sb->len - 1] == '-'))
		sbuf_setlen(sb, sb->len - 1);
}

static int needs_quote(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f;
}

int respin_fmt_quote_path(struct sbuf *sb, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	int quote = 0;

	for (; *p; p++)
		quote |= needs_quote(*p);
	if (!quote) {
		if (sb)
			sbuf_addstr(sb, path);
		return 0;
	}
	if (!sb)
		return 1;
	sbuf_addch(sb, '"');
	for (p = (const unsigned char *)path; *p; p++) {
		static const char esc[] = "\a\b\t\n\v\f\r";
		static const char letter[] = "abtnvfr";
		const char *e = *p ? strchr(esc, *p) : NULL;

		if (!needs_quote(*p))
			sbuf_addch(sb, *p);
		else if (*p == '"' || *p == '\\')
			sbuf_addf(sb, "\\%c", *p);
		else if (e)
			sbuf_addf(sb, "\\%c", letter[e - esc]);
		else
			sbuf_addf(sb, "\\%03o", *p);
	}
	sbuf_addch(sb, '"');
	return 1;
}

void respin_fmt_rename(struct sbuf *sb, const char *a, const char *b)
{
	const char *old_name = a, *new_name = b;
	long len_a = (long)strlen(a), len_b = (long)strlen(b);
	long pfx = 0, sfx = 0, adjust, a_mid, b_mid;

	if (respin_fmt_quote_path(NULL, a) || respin_fmt_quote_path(NULL, b)) {
		respin_fmt_quote_path(sb, a);
		sbuf_addstr(sb, " => ");
		respin_fmt_quote_path(sb, b);
		return;
	}
	while (*old_name && *new_name && *old_name == *new_name) {
		if (*old_name == '/')
			pfx = old_name - a + 1;
		old_name++;
		new_name++;
	}
	/* Walk back by index: git compares pointers one before a. */
	adjust = pfx ? 1 : 0;
	for (long i = len_a, j = len_b;
	     pfx - adjust <= i && pfx - adjust <= j &&
	     a[i] == b[j]; i--, j--)
		if (a[i] == '/')
			sfx = len_a - i;
	a_mid = len_a - pfx - sfx;
	b_mid = len_b - pfx - sfx;
	if (a_mid < 0)
		a_mid = 0;
	if (b_mid < 0)
		b_mid = 0;
	if (pfx + sfx) {
		sbuf_add(sb, a, (size_t)pfx);
		sbuf_addch(sb, '{');
	}
	sbuf_add(sb, a + pfx, (size_t)a_mid);
	sbuf_addstr(sb, " => ");
	sbuf_add(sb, b + pfx, (size_t)b_mid);
	if (pfx + sfx) {
		sbuf_addch(sb, '}');
		sbuf_add(sb, a + len_a - sfx, (size_t)sfx);
	}
}

static int decimal_width(uintmax_t n)
{
	int w = 1;

	for (; n >= 10; n /= 10)
		w++;
	return w;
}

static long scale_linear(long it, long width, long max_change)
{
	if (!it)
		return 0;
	return 1 + (it * (width - 1) / max_change);
}

static void stat_summary(struct sbuf *sb, int files, unsigned long ins,
			 unsigned long del)
{
	if (!files) {
		sbuf_addstr(sb, " 0 files changed\n");
		return;
	}
	sbuf_addf(sb, files == 1 ? " %d file changed" : " %d files changed",
		  files);
	if (ins || !del)
		sbuf_addf(sb, ins == 1 ? ", %lu insertion(+)" :
			  ", %lu insertions(+)", ins);
	if (del || !ins)
		sbuf_addf(sb, del == 1 ? ", %lu deletion(-)" :
			  ", %lu deletions(-)", del);
	sbuf_addch(sb, '\n');
}

void respin_fmt_stat(struct sbuf *sb, struct respin_stat_file *files,
		     size_t n, int width)
{
	long max_change = 0, max_len = 0, name_width, graph_width;
	int number_width = 0, bin_width = 0;
	unsigned long adds = 0, dels = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		struct respin_stat_file *f = &files[i];
		long change = (long)(f->added + f->deleted);
		struct sbuf name = SBUF_INIT;
		long len;

		if (f->from_name)
			respin_fmt_rename(&name, f->from_name, f->name);
		else
			respin_fmt_quote_path(&name, f->name);
		f->print_name = sbuf_detach(&name);
		len = strwidth(f->print_name);
		if (max_len < len)
			max_len = len;
		if (f->is_binary) {
			int w = 14 + decimal_width(f->added) +
				decimal_width(f->deleted);

			bin_width = bin_width < w ? w : bin_width;
			number_width = 3;
			continue;
		}
		if (max_change < change)
			max_change = change;
	}
	if (decimal_width((uintmax_t)max_change) > number_width)
		number_width = decimal_width((uintmax_t)max_change);
	if (width < 16 + 6 + number_width)
		width = 16 + 6 + number_width;
	graph_width = max_change + 4 > bin_width ? max_change : bin_width - 4;
	name_width = max_len;
	if (name_width + number_width + 6 + graph_width > width) {
		if (graph_width > width * 3 / 8 - number_width - 6) {
			graph_width = width * 3 / 8 - number_width - 6;
			if (graph_width < 6)
				graph_width = 6;
		}
		if (name_width > width - number_width - 6 - graph_width)
			name_width = width - number_width - 6 - graph_width;
		else
			graph_width = width - number_width - 6 - name_width;
	}
	for (size_t i = 0; i < n; i++) {
		struct respin_stat_file *f = &files[i];
		const char *prefix = "", *name = f->print_name;
		long add = (long)f->added, del = (long)f->deleted;
		long len = name_width, name_len = strwidth(name);
		long padding;

		if (name_width < name_len) {
			const char *slash;

			prefix = "...";
			len -= 3;
			if (len < 0)
				len = 0;
			while (name_len > len) {
				const unsigned char *p =
					(const unsigned char *)name;
				long ch = next_char(&p);

				if (ch < 0) {
					name++;
					name_len--;
					continue;
				}
				name_len -= char_width(ch);
				name = (const char *)p;
			}
			slash = strchr(name, '/');
			if (slash)
				name = slash;
		}
		padding = len - strwidth(name);
		if (padding < 0)
			padding = 0;
		if (f->is_binary) {
			sbuf_addf(sb, " %s%s%*s | %*s", prefix, name,
				  (int)padding, "", number_width, "Bin");
			if (!f->added && !f->deleted) {
				sbuf_addch(sb, '\n');
				continue;
			}
			sbuf_addf(sb, " %lu -> %lu bytes\n", f->deleted,
				  f->added);
			continue;
		}
		if (graph_width <= max_change) {
			long total = scale_linear(add + del, graph_width,
						  max_change);

			if (total < 2 && add && del)
				total = 2;
			if (add < del) {
				add = scale_linear(add, graph_width,
						   max_change);
				del = total - add;
			} else {
				del = scale_linear(del, graph_width,
						   max_change);
				add = total - del;
			}
		}
		sbuf_addf(sb, " %s%s%*s | %*lu%s", prefix, name, (int)padding,
			  "", number_width, f->added + f->deleted,
			  f->added + f->deleted ? " " : "");
		for (long k = 0; k < add; k++)
			sbuf_addch(sb, '+');
		for (long k = 0; k < del; k++)
			sbuf_addch(sb, '-');
		sbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < n; i++) {
		if (files[i].is_binary)
			continue;
		adds += files[i].added;
		dels += files[i].deleted;
	}
	stat_summary(sb, (int)n, adds, dels);
}

static const char b85[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	"!#$%&()*+-;<=>?@^_`{|}~";

void respin_fmt_base85(struct sbuf *sb, const unsigned char *data,
		       size_t len)
{
	while (len) {
		unsigned acc = 0;
		char out[5];

		for (int cnt = 24; cnt >= 0; cnt -= 8) {
			unsigned ch = *data++;

			acc |= ch << cnt;
			if (--len == 0)
				break;
		}
		for (int cnt = 4; cnt >= 0; cnt--) {
			out[cnt] = b85[acc % 85];
			acc /= 85;
		}
		sbuf_add(sb, out, 5);
	}
}

int respin_fmt_unbase85(unsigned char *out, const char *s, size_t len)
{
	while (len) {
		unsigned long acc = 0;
		int cnt;

		for (cnt = 0; cnt < 5; cnt++) {
			const char *p = *s ? strchr(b85, *s) : NULL;

			if (!p)
				return -1;
			acc = acc * 85 + (unsigned long)(p - b85);
			s++;
		}
		if (acc > 0xffffffffUL)
			return -1;
		for (cnt = 24; cnt >= 0; cnt -= 8) {
			*out++ = (unsigned char)(acc >> cnt);
			if (--len == 0)
				break;
		}
	}
	return 0;
}
