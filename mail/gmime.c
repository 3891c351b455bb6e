/*
 * GMime's process-wide setup (mail/gmime.h), and what every reader of
 * GMime's strings in mail/ does to them (mail/private.h).
 */
#include <gmime/gmime.h>

#include "mail/gmime.h"
#include "mail/private.h"
#include "util/sbuf.h"

void mail_gmime_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}

GMimeMessage *mail_gmime_parse_stream(GMimeStream *stream)
{
	GMimeParser *parser;
	GMimeMessage *msg;

	mail_gmime_init();
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	return msg;
}

GMimeMessage *mail_gmime_parse(const char *data, size_t len)
{
	GMimeStream *stream;
	GMimeMessage *msg;

	mail_gmime_init();	/* before any GMime object is made */
	stream = g_mime_stream_mem_new_with_buffer(data, len);
	msg = mail_gmime_parse_stream(stream);
	g_object_unref(stream);
	return msg;
}

char *mail_valid_dup_nonempty(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	char *valid;

	if (!s)
		return NULL;
	valid = g_utf8_make_valid(s, -1);
	sbuf_addstr(&sb, valid);
	g_free(valid);
	sbuf_trim(&sb);
	if (!sb.len) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}
