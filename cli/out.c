#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cli/out.h"
#include "util/sbuf.h"

void cli_out(FILE *f, const char *text)
{
	struct sbuf sb = SBUF_INIT;

	if (!text)
		return;
	sbuf_add_sanitized_lines(&sb, text, strlen(text));
	fwrite(sb.buf, 1, sb.len, f);
	sbuf_release(&sb);
}

void cli_outf(FILE *f, const char *fmt, ...)
{
	struct sbuf raw = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&raw, fmt, ap);
	va_end(ap);
	cli_out(f, raw.buf);
	sbuf_release(&raw);
}

int cli_out_data(FILE *f, const char *data, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	int fd = fileno(f);

	if (fd >= 0 && isatty(fd)) {
		sbuf_add_sanitized_lines(&sb, data, len);
		data = sb.buf;
		len = sb.len;
	}
	if (len && fwrite(data, 1, len, f) != len) {
		sbuf_release(&sb);
		return -1;
	}
	sbuf_release(&sb);
	return fflush(f) ? -1 : 0;
}

static void show_json(struct sbuf *sb, unsigned cp, size_t n)
{
	if (!n)
		sbuf_addstr(sb, "\\ufffd");
	else if (cp == '\n')
		sbuf_addch(sb, '\n');	/* the pretty printer's */
	else
		sbuf_addf(sb, "\\u%04x", cp);
}

void cli_out_json(FILE *f, const char *json)
{
	struct sbuf sb = SBUF_INIT;

	/* Outside strings JSON is ASCII: this never touches the structure. */
	sbuf_add_escaped(&sb, json, strlen(json), show_json);
	sbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, f);
	sbuf_release(&sb);
}
