/*
 * The pager's model: a message as display lines (mail/render.h) and the
 * diff state machine (mail/diff.h), over real list mail
 * (tests/fixtures/mail), messages written for it (tests/fixtures/render)
 * and hostile ones (tests/fixtures/hostile).
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/diff.h"
#include "mail/message.h"
#include "mail/render.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"

/* One character per kind, to compare a message's kinds in one string. */
static char kind_char(enum mail_line_kind k)
{
	static const char chars[MAIL_LINE_KIND_MAX] = {
		[MAIL_LINE_TEXT] = 't', [MAIL_LINE_ATTRIBUTION] = 'w',
		[MAIL_LINE_QUOTE] = 'q', [MAIL_LINE_SIGNATURE] = 's',
		[MAIL_LINE_TRAILER] = 'k', [MAIL_LINE_DIFFSTAT] = 'd',
		[MAIL_LINE_DIFF_FILE] = 'f', [MAIL_LINE_HUNK] = 'h',
		[MAIL_LINE_ADDED] = '+', [MAIL_LINE_REMOVED] = '-',
		[MAIL_LINE_CONTEXT] = 'c', [MAIL_LINE_NO_NEWLINE] = 'n',
		[MAIL_LINE_HEADER] = 'H', [MAIL_LINE_PART] = 'p',
	};

	return (unsigned)k < MAIL_LINE_KIND_MAX ? chars[k] : '?';
}

/* "kinds" of lines [from, from + n), and each line in a dump for messages. */
static void kinds(const struct mail_render *r, size_t from, size_t n,
		  struct sbuf *out, struct sbuf *dump)
{
	sbuf_reset(out);
	sbuf_reset(dump);
	for (size_t i = from; i < r->nlines && i < from + n; i++) {
		const struct mail_line *l = &r->lines[i];

		sbuf_addch(out, kind_char(l->kind));
		sbuf_addf(dump, "%zu %-11s q%u n%u |%.80s\n", i,
			  mail_line_kind_name(l->kind), l->quote_level,
			  l->nest, l->text);
	}
}

#define assert_kinds(r, from, want)                                        \
	do {                                                               \
		struct sbuf k_ = SBUF_INIT, d_ = SBUF_INIT;                \
		kinds((r), (from), strlen(want), &k_, &d_);                \
		ck_assert_msg(!strcmp(k_.buf, (want)),                     \
			      "kinds %s, want %s\n%s",                     \
			      k_.buf, (want), d_.buf);                     \
		sbuf_release(&k_);                                         \
		sbuf_release(&d_);                                         \
	} while (0)

static void load(struct mail_render *r, const char *rel)
{
	char *path = t_fixture(rel);
	struct err err = ERR_INIT;

	ck_assert_msg(!mail_render_load(r, path, &err), "%s: %s", rel,
		      err.msg);
	free(path);
}

/* The index of the first line whose text starts with s. */
static size_t find_line(const struct mail_render *r, const char *s)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (str_starts_with(r->lines[i].text, s))
			return i;
	ck_abort_msg("no line starting with '%s'", s);
	return 0;
}

/* -------------------------------------------------------------------- */
/* The diff state machine */

START_TEST(diff_hunk_headers)
{
	unsigned long a, b, c, d;

	ck_assert_int_eq(mail_diff_parse_hunk("@@ -10,4 +12,5 @@ int f(void)",
					      &a, &b, &c, &d), 0);
	ck_assert(a == 10 && b == 4 && c == 12 && d == 5);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -1 +1 @@", &a, &b, &c, &d),
			 0);
	ck_assert(a == 1 && b == 1 && c == 1 && d == 1);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -0,0 +1,3 @@", &a, &b, &c,
					      &d), 0);
	ck_assert(b == 0 && d == 3);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -a,1 +1 @@", &a, &b, &c, &d),
			 -1);
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -1,2 +1,2", &a, &b, &c, &d),
			 -1);
	ck_assert_int_eq(mail_diff_parse_hunk("@@@ -1,1 -1,1 +1,1 @@@", &a, &b,
					      &c, &d), -1);
	/* a count too large to believe */
	ck_assert_int_eq(mail_diff_parse_hunk("@@ -1,99999999999 +1 @@", &a,
					      &b, &c, &d), -1);
}
END_TEST

START_TEST(diff_counts_end_a_hunk)
{
	struct mail_diff d = MAIL_DIFF_INIT;

	ck_assert_int_eq(mail_diff_line(&d, "+not a diff", NULL, 0),
			 MAIL_DIFF_NONE);
	ck_assert_int_eq(mail_diff_line(&d, "diff --git a/x b/x", NULL, 0),
			 MAIL_DIFF_FILE);
	ck_assert_int_eq(mail_diff_line(&d, "--- a/x", "+++ b/x", 0),
			 MAIL_DIFF_FILE);
	ck_assert_int_eq(mail_diff_line(&d, "+++ b/x", NULL, 0),
			 MAIL_DIFF_FILE);
	ck_assert_int_eq(mail_diff_line(&d, "@@ -1,2 +1 @@", NULL, 0),
			 MAIL_DIFF_HUNK);
	ck_assert_int_eq(mail_diff_line(&d, "-a", NULL, 0), MAIL_DIFF_REMOVED);
	ck_assert_int_eq(mail_diff_line(&d, "", NULL, 0), MAIL_DIFF_CONTEXT);
	/* both counts are spent: the hunk is over */
	ck_assert_int_eq(mail_diff_line(&d, "\\ No newline at end of file",
					NULL, 0), MAIL_DIFF_NO_NEWLINE);
	ck_assert_int_eq(mail_diff_line(&d, "+late", NULL, 0), MAIL_DIFF_NONE);
	ck_assert_int_eq(d.state, MAIL_DIFF_PROSE);
	/* a plain diff starts with ---/+++ only when both are there */
	ck_assert_int_eq(mail_diff_line(&d, "--- x", "prose", 0),
			 MAIL_DIFF_NONE);
	ck_assert_int_eq(mail_diff_line(&d, "--- x.orig", "+++ x", 0),
			 MAIL_DIFF_FILE);
}
END_TEST

START_TEST(diff_quoted_context_without_its_space)
{
	struct mail_diff d = MAIL_DIFF_INIT;

	ck_assert_int_eq(mail_diff_line(&d, "@@ -1,3 +1,3 @@", NULL, 1),
			 MAIL_DIFF_HUNK);
	/* "> foo" quoting " foo" with ">" alone */
	ck_assert_int_eq(mail_diff_line(&d, "foo", NULL, 1), MAIL_DIFF_CONTEXT);
	ck_assert_int_eq(mail_diff_line(&d, "-bar", NULL, 1),
			 MAIL_DIFF_REMOVED);
	/* a reviewer trimmed the hunk: the next one starts */
	ck_assert_int_eq(mail_diff_line(&d, "@@ -9 +9 @@", NULL, 1),
			 MAIL_DIFF_HUNK);
	ck_assert_int_eq(mail_diff_line(&d, "+baz", NULL, 1), MAIL_DIFF_ADDED);
	/* unquoted, the same line ends the hunk */
	d = (struct mail_diff)MAIL_DIFF_INIT;
	mail_diff_line(&d, "@@ -1,3 +1,3 @@", NULL, 0);
	ck_assert_int_eq(mail_diff_line(&d, "foo", NULL, 0), MAIL_DIFF_NONE);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Text: kinds line by line */

START_TEST(render_plus_lines_in_prose_are_not_added)
{
	struct mail_render r;

	load(&r, "render/prose-plus-before-diff.eml");
	/* prose, trailer, ---, the file header, the hunk, signature */
	assert_kinds(&r, 0, "tttttttktffffhc-+css");
	ck_assert_str_eq(r.lines[16].text, "+-- signature-like, but added");
	mail_render_release(&r);
}
END_TEST

START_TEST(render_hunk_ends_where_its_counts_say)
{
	struct mail_render r;

	load(&r, "render/hunk-counts.eml");
	assert_kinds(&r, 0, "ttfffhc-+tffffh+nt");
	ck_assert_str_eq(r.lines[9].text,
			 "+this line is past the counts: prose");
	mail_render_release(&r);
}
END_TEST

START_TEST(render_review_quotes_levels_and_quoted_diff)
{
	struct mail_render r;
	size_t h;

	load(&r, "render/review-quotes.eml");
	assert_kinds(&r, 0, "wwqwqqqqqhc-+tttktss");
	ck_assert_uint_eq(r.lines[0].quote_level, 0);
	ck_assert_uint_eq(r.lines[3].quote_level, 1);
	ck_assert_uint_eq(r.lines[4].quote_level, 2);	/* "> >" */
	ck_assert_uint_eq(r.lines[5].quote_level, 2);	/* ">>" */
	h = find_line(&r, "> > @@");
	ck_assert_uint_eq(r.lines[h].quote_level, 2);
	ck_assert_uint_eq(r.lines[h].prefix_len, 4);
	ck_assert_uint_eq(r.lines[h + 3].kind, MAIL_LINE_ADDED);
	ck_assert_uint_eq(r.lines[h + 3].quote_level, 2);
	mail_render_release(&r);
}
END_TEST

START_TEST(render_real_patch_mail)
{
	struct mail_render r;
	size_t i;

	/* [PATCH bpf-next v3 01/11] of the spectre series */
	load(&r, "mail/series/2025-05-01_bpf-mitigate-spectre-v1-u/002.eml");
	ck_assert_str_eq(mail_render_header(&r, "Subject"),
			 "[PATCH bpf-next v3 01/11] selftests/bpf: Fix caps "
			 "for __xlated/jited_unpriv");
	i = find_line(&r, "Signed-off-by: Luis Gerhorst");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_TRAILER);
	i = find_line(&r, "diff --git ");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_DIFF_FILE);
	ck_assert_uint_eq(r.lines[i - 2].kind, MAIL_LINE_DIFFSTAT);
	i = find_line(&r, "@@ -");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_HUNK);
	i = find_line(&r, "-- ");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_SIGNATURE);
	for (i = 0; i < r.nlines; i++)	/* no line of the hunk is prose */
		if (r.lines[i].kind == MAIL_LINE_TEXT)
			ck_assert_msg(r.lines[i].text[0] != '+' &&
				      r.lines[i].text[0] != '@', "%s",
				      r.lines[i].text);
	mail_render_release(&r);
}
END_TEST

START_TEST(render_real_review_quotes_a_diff)
{
	struct mail_render r;
	size_t i;

	load(&r, "mail/series/2023-12-19_bpf-support-to-track-bpf/006.eml");
	assert_kinds(&r, 0, "wqqqqqqddqtkt");
	i = find_line(&r, "> diff --git ");
	assert_kinds(&r, i, "ffffhccc----++++cccq");
	for (size_t k = i; k < i + 20; k++)
		ck_assert_uint_eq(r.lines[k].quote_level, 1);
	mail_render_release(&r);
}
END_TEST

START_TEST(render_bot_notice_and_pull_request)
{
	struct mail_render r;
	size_t i;

	load(&r, "mail/pulls/bpf/pull-request-bpf-2021-02-13.eml");
	i = find_line(&r, " kernel/bpf/verifier.c ");
	assert_kinds(&r, i, "ddd");
	mail_render_release(&r);
	/* the bot's reply: attribution, quote, "--" signature at the end */
	load(&r, "mail/pulls/bpf/bot-reply-bpf-next-2025-05-02.eml");
	i = find_line(&r, "On Fri,  2 May 2025 18:07:55 -0700 you wrote:");
	assert_kinds(&r, i, "wqqqqqqqq");
	i = find_line(&r, "Deet-doot-dot, I am a bot.");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_SIGNATURE);
	mail_render_release(&r);
}
END_TEST

START_TEST(render_trailers_by_the_trailer_grammar)
{
	struct mail_render r = MAIL_RENDER_INIT;
	const char text[] =
		"Acked-by: Rita <rita@example.com>\n"
		"Acked-by:no-space\n"
		"Co-developed-by: Someone <s@example.com>\n"
		"> Reviewed-by: Quoted <q@example.com>\n"
		"Note: not a trailer key\n";

	mail_render_add_text(&r, text, sizeof(text) - 1);
	assert_kinds(&r, 0, "ktkqt");
	mail_render_release(&r);
}
END_TEST

/* -------------------------------------------------------------------- */
/* MIME and charsets */

START_TEST(render_quoted_printable_latin1)
{
	struct mail_render r;

	load(&r, "render/qp-latin1.eml");
	ck_assert_str_eq(mail_render_header(&r, "subject"),
			 "[PATCH bpf] bpf: caf\xc3\xa9 fix");
	ck_assert(str_starts_with(r.lines[0].text, "Caf\xc3\xa9 na\xc3\xafve "
				  "r\xc3\xa9sum\xc3\xa9:"));
	/* the soft line break is gone: one line */
	ck_assert(str_ends_with(r.lines[0].text, "somewhere."));
	ck_assert_str_eq(r.lines[2].text,
			 "Signed-off-by: Ren\xc3\xa9 M\xc3\xbcller "
			 "<rene@example.org>");
	ck_assert_uint_eq(r.lines[2].kind, MAIL_LINE_TRAILER);
	mail_render_release(&r);
}
END_TEST

START_TEST(render_base64_patch)
{
	struct mail_render r;

	load(&r, "render/base64-patch.eml");
	ck_assert_str_eq(r.lines[0].text, "A patch sent base64-encoded, with "
			 "UTF-8: \xc3\xa9\xe4\xb8\xad.");
	assert_kinds(&r, 0, "ttktddtffffhc-+ccss");
	mail_render_release(&r);
}
END_TEST

START_TEST(render_other_charsets)
{
	struct mail_render r;

	load(&r, "render/charset-windows-1252.eml");
	ck_assert_str_eq(r.lines[0].text, "\xe2\x80\x9cQuoted\xe2\x80\x9d "
			 "\xe2\x80\x94 costs \xe2\x82\xac" "5.");
	mail_render_release(&r);
	/* ISO-2022-JP (stateful), Shift_JIS with an invalid byte */
	load(&r, "render/charset-japanese.eml");
	ck_assert_str_eq(mail_render_header(&r, "Subject"),
			 "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e subject");
	ck_assert_str_eq(r.lines[0].text, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
			 "\xe3\x81\xae\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88");
	ck_assert_uint_eq(r.lines[1].kind, MAIL_LINE_PART);
	ck_assert_str_eq(r.lines[2].text, "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88"
			 " bad:\xef\xbf\xbd  end");
	mail_render_release(&r);
}
END_TEST

START_TEST(render_patch_sent_as_attachment)
{
	struct mail_render r;
	size_t i;

	load(&r, "render/patch-attachment.eml");
	ck_assert_uint_eq(r.nattachments, 3);
	ck_assert_str_eq(r.attachments[0].filename, "0001-bpf-fix-core.patch");
	ck_assert_str_eq(r.attachments[0].type, "text/x-patch");
	ck_assert_str_eq(r.attachments[0].part, "2");
	ck_assert(r.attachments[0].shown);
	ck_assert_str_eq(r.attachments[1].filename, "extra.diff");
	ck_assert(r.attachments[1].shown);
	ck_assert_str_eq(r.attachments[2].filename, "config.gz");
	ck_assert_str_eq(r.attachments[2].type, "application/gzip");
	ck_assert_uint_eq(r.attachments[2].size, 4 + 256 * 4);
	ck_assert(!r.attachments[2].shown);
	i = find_line(&r, "[-- Attachment #1: 0001-bpf-fix-core.patch "
		      "(text/x-patch, 327 B) --]");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_PART);
	assert_kinds(&r, i + 1, "tttktffffhc-+cc");
	i = find_line(&r, "[-- Attachment #2: extra.diff ");
	assert_kinds(&r, i + 1, "ffffhc-+cc");
	find_line(&r, "[-- Attachment #3: config.gz (application/gzip, "
		  "1.0 KiB, not shown) --]");
	mail_render_release(&r);
}
END_TEST

START_TEST(render_alternative_prefers_plain_text)
{
	struct mail_render r;

	load(&r, "render/alternative-html.eml");
	assert_kinds(&r, 0, "pttk");
	ck_assert_str_eq(r.lines[0].text, "[-- Alternative #1: text/html "
			 "(57 B, not shown) --]");
	ck_assert_uint_eq(r.nattachments, 1);
	ck_assert_str_eq(r.attachments[0].type, "text/html");
	ck_assert(!r.attachments[0].shown);
	for (size_t i = 0; i < r.nlines; i++)
		ck_assert_ptr_null(strstr(r.lines[i].text, "<b>"));
	mail_render_release(&r);
}
END_TEST

START_TEST(render_nested_message_with_its_headers)
{
	struct mail_render r;
	size_t i;

	load(&r, "render/nested-rfc822.eml");
	assert_kinds(&r, 0, "tpHHHHttktffffhc-+ccpt");
	ck_assert_str_eq(r.lines[2].text,
			 "From: Fred Forward <fred@example.net>");
	ck_assert_str_eq(r.lines[5].text,
			 "Subject: [PATCH bpf] bpf: the forwarded fix");
	for (i = 2; i < 20; i++)
		ck_assert_uint_eq(r.lines[i].nest, 1);
	ck_assert_str_eq(r.lines[20].text, "[-- end of attached message --]");
	ck_assert_uint_eq(r.lines[20].nest, 0);
	ck_assert_uint_eq(r.lines[21].nest, 0);
	/* the outer message's headers are the headers, in order */
	ck_assert_str_eq(r.headers[0].name, "From");
	ck_assert_str_eq(r.headers[2].name, "Subject");
	ck_assert_str_eq(r.headers[2].value,
			 "Fwd: [PATCH bpf] bpf: the forwarded fix");
	mail_render_release(&r);
}
END_TEST

/* A message nested depth deep, text/plain at the bottom. */
static void deep_message(struct sbuf *sb, int depth)
{
	sbuf_addstr(sb, "From: a@example.org\nSubject: deep\n"
		    "MIME-Version: 1.0\n"
		    "Content-Type: multipart/mixed; boundary=b0\n\n");
	for (int i = 0; i < depth - 1; i++)
		sbuf_addf(sb, "--b%d\nContent-Type: multipart/mixed; "
			  "boundary=b%d\n\n", i, i + 1);
	sbuf_addf(sb, "--b%d\nContent-Type: text/plain\n\nbottom\n--b%d--\n",
		  depth - 1, depth - 1);
	for (int i = depth - 2; i >= 0; i--)
		sbuf_addf(sb, "--b%d--\n", i);
}

START_TEST(render_deep_nesting_is_bounded)
{
	struct mail_render r;
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	load(&r, "hostile/deep-nesting.eml");
	ck_assert_uint_eq(r.nlines, 1);
	ck_assert_uint_eq(r.lines[0].kind, MAIL_LINE_PART);
	ck_assert(strstr(r.lines[0].text, "nested deeper"));
	mail_render_release(&r);
	/* just within the limit, the text at the bottom is shown */
	deep_message(&sb, MAIL_RENDER_DEPTH_MAX);
	ck_assert(!mail_render_parse(&r, sb.buf, sb.len, "deep", &err));
	ck_assert_uint_eq(r.nlines, 1);
	ck_assert_str_eq(r.lines[0].text, "bottom");
	mail_render_release(&r);
	/* one deeper, not */
	sbuf_reset(&sb);
	deep_message(&sb, MAIL_RENDER_DEPTH_MAX + 1);
	ck_assert(!mail_render_parse(&r, sb.buf, sb.len, "deep", &err));
	ck_assert_uint_eq(r.lines[0].kind, MAIL_LINE_PART);
	mail_render_release(&r);
	sbuf_release(&sb);
}
END_TEST

START_TEST(render_many_parts_are_counted)
{
	struct mail_render r;
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	sbuf_addstr(&sb, "From: a@example.org\nMIME-Version: 1.0\n"
		    "Content-Type: multipart/mixed; boundary=x\n\n");
	for (int i = 0; i < MAIL_RENDER_PARTS_MAX + 50; i++)
		sbuf_addf(&sb, "--x\nContent-Type: text/plain\n\npart %d\n", i);
	sbuf_addstr(&sb, "--x--\n");
	ck_assert(!mail_render_parse(&r, sb.buf, sb.len, "parts", &err));
	ck_assert(r.flags & MAIL_RENDER_CUT);
	ck_assert(strstr(r.lines[r.nlines - 1].text, "more MIME parts"));
	/* the multipart itself is a part: one fewer text part */
	ck_assert_str_eq(r.lines[r.nlines - 2].text, "part 998");
	mail_render_release(&r);
	sbuf_release(&sb);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Long lines, limits, hostile bytes */

/* The pieces from line `from` on glued back together. */
static void glue(const struct mail_render *r, size_t from, struct sbuf *out)
{
	sbuf_reset(out);
	sbuf_add(out, r->lines[from].text, r->lines[from].len);
	ck_assert(!(r->lines[from].flags & MAIL_LINE_CONTINUED));
	for (size_t i = from + 1; i < r->nlines &&
	     (r->lines[i].flags & MAIL_LINE_CONTINUED); i++)
		sbuf_add(out, r->lines[i].text, r->lines[i].len);
}

START_TEST(render_long_line_is_split_with_a_mark)
{
	struct mail_render r;
	struct sbuf sb = SBUF_INIT, line = SBUF_INIT;
	struct err err = ERR_INIT;
	size_t pieces = 0;

	load(&r, "hostile/long-line.eml");
	ck_assert_str_eq(r.lines[0].text, "before");
	glue(&r, 1, &line);
	ck_assert_uint_eq(line.len, 100000);
	ck_assert_str_eq(r.lines[r.nlines - 1].text, "after");
	ck_assert_uint_eq(r.nlines, 2 + (100000 + MAIL_RENDER_LINE_MAX - 1) /
			  MAIL_RENDER_LINE_MAX);
	mail_render_release(&r);

	/* a 10 MB line of 3-byte characters, one cut at the end */
	sbuf_addstr(&sb, "Subject: long\nContent-Type: text/plain; "
		    "charset=utf-8\n\n");
	for (size_t i = 0; i < (10u << 20) / 3; i++)
		sbuf_addstr(&sb, "\xe2\x82\xac");
	sbuf_addstr(&sb, "\xe2\x82\n");
	ck_assert(!mail_render_parse(&r, sb.buf, sb.len, "long", &err));
	for (size_t i = 0; i < r.nlines; i++) {
		ck_assert_uint_le(r.lines[i].len, MAIL_RENDER_LINE_MAX);
		ck_assert_uint_eq(utf8_safe_prefix(r.lines[i].text,
						   r.lines[i].len),
				  r.lines[i].len);
		pieces += !!(r.lines[i].flags & MAIL_LINE_CONTINUED);
	}
	ck_assert_uint_eq(pieces + 1, r.nlines);
	ck_assert_uint_ge(r.nlines, (10u << 20) / MAIL_RENDER_LINE_MAX);
	glue(&r, 0, &line);
	ck_assert_uint_eq(line.len, (10u << 20) / 3 * 3 + 8);
	ck_assert(str_ends_with(line.buf, "\xe2\x82\xac\\xe2\\x82"));
	mail_render_release(&r);
	sbuf_release(&sb);
	sbuf_release(&line);
}
END_TEST

START_TEST(render_limits_on_lines_and_text)
{
	struct mail_render r;
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	sbuf_addstr(&sb, "Subject: many\n\n");
	for (unsigned i = 0; i < MAIL_RENDER_LINES_MAX + 10; i++)
		sbuf_addstr(&sb, "x\n");
	ck_assert(!mail_render_parse(&r, sb.buf, sb.len, "many", &err));
	ck_assert(r.flags & MAIL_RENDER_CUT);
	ck_assert_uint_le(r.nlines, MAIL_RENDER_LINES_MAX);
	ck_assert(strstr(r.lines[r.nlines - 1].text, "cut here"));
	mail_render_release(&r);

	/* 20 MB of bytes that are no UTF-8: four bytes shown for each */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "Subject: binary\n\n");
	for (unsigned i = 0; i < (20u << 20) / 64; i++)
		sbuf_addstr(&sb, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd"
			    "\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9"
			    "\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd"
			    "\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9"
			    "\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd"
			    "\xfc\xfb\xfa\xf9\n");
	ck_assert(!mail_render_parse(&r, sb.buf, sb.len, "binary", &err));
	ck_assert(r.flags & MAIL_RENDER_CUT);
	ck_assert_uint_le(r.text_bytes, MAIL_RENDER_TEXT_MAX +
			  MAIL_RENDER_LINE_MAX + 64);
	ck_assert(str_starts_with(r.lines[0].text, "\\xff\\xfe"));
	mail_render_release(&r);
	sbuf_release(&sb);
}
END_TEST

START_TEST(render_hostile_bytes_shown_visibly)
{
	struct mail_render r;
	size_t i;

	load(&r, "hostile/body-escapes.eml");
	ck_assert_str_eq(mail_render_header(&r, "From"),
			 "Mal^[[8mlory <U+202E> <mallory@example.org>");
	ck_assert(strstr(mail_render_header(&r, "Subject"),
			 "title ^[]0;pwned^G <U+009B>2J <U+202E> raw ^[[31m"));
	ck_assert_str_eq(mail_render_header(&r, "X-Evil"),
			 "^[]0;header^G <U+009B> <U+2066>");
	i = find_line(&r, "Body line one: ");
	ck_assert(strstr(r.lines[i].text, "clear ^[[2J^[[H screen; title "
			 "^[]0;pwned^G and ^[]2;x^[\\ ST; C1 CSI <U+009B>31m "
			 "red; bidi <U+202E>desrever<U+202C> and "
			 "<U+2066>iso<U+2069>; NUL ^@ here; bad UTF-8 "
			 "\\xff\\xfe \\xc3 cut; DEL ^?; bell ^G; backspace "
			 "x^Hy; CR ^M mid"));
	ck_assert_uint_eq(r.lines[i].len, strlen(r.lines[i].text));
	i = find_line(&r, "-old ");
	ck_assert_uint_eq(r.lines[i].kind, MAIL_LINE_REMOVED);
	ck_assert_str_eq(r.lines[i].text, "-old ^[[8m");
	ck_assert_str_eq(r.lines[i + 1].text, "+new <U+202E><U+009B>");
	ck_assert_str_eq(r.attachments[0].filename, "evil^[[8m<U+202E>.txt");
	find_line(&r, "[-- Attachment #1: evil^[[8m<U+202E>.txt (text/plain");
	ck_assert_str_eq(r.attachments[1].filename, "bin^[]0;t^G.bin");
	mail_render_release(&r);
}
END_TEST

START_TEST(render_bad_files_are_errors)
{
	char *dir = t_tmpdir();
	struct mail_render r;
	struct err err = ERR_INIT;
	struct sbuf p = SBUF_INIT;
	int fd;

	sbuf_addf(&p, "%s/missing.eml", dir);
	ck_assert_int_eq(mail_render_load(&r, p.buf, &err), -ERR_NOTFOUND);
	ck_assert(strstr(err.msg, "missing.eml"));
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/empty.eml", dir);
	t_write_file(p.buf, "");
	ck_assert_int_eq(mail_render_load(&r, p.buf, &err), -ERR_PARSE);
	/* a FIFO must not block */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/fifo.eml", dir);
	ck_assert_int_eq(mkfifo(p.buf, 0600), 0);
	ck_assert_int_eq(mail_render_load(&r, p.buf, &err), -ERR_IO);
	ck_assert(strstr(err.msg, "not a regular file"));
	ck_assert_int_eq(mail_render_load(&r, dir, &err), -ERR_IO);
	/* over the size limit (a sparse file) */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/huge.eml", dir);
	fd = open(p.buf, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)MAIL_MESSAGE_FILE_MAX + 1), 0);
	close(fd);
	ck_assert_int_eq(mail_render_load(&r, p.buf, &err), -ERR_NOMEM);
	ck_assert(strstr(err.msg, "huge.eml"));
	mail_render_release(&r);
	sbuf_release(&p);
	t_rmtree(dir);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Every fixture: what reaches a terminal is safe */

static void assert_safe(const char *path, const char *what, const char *s,
			size_t len)
{
	ck_assert_msg(utf8_safe_prefix(s, len) == len && strlen(s) == len,
		      "%s: unsafe %s '%s'", path, what, s);
}

static void render_one(const char *path)
{
	struct mail_render r;
	struct err err = ERR_INIT;

	ck_assert_msg(!mail_render_load(&r, path, &err), "%s: %s", path,
		      err.msg);
	for (size_t i = 0; i < r.nheaders; i++) {
		assert_safe(path, "header name", r.headers[i].name,
			    strlen(r.headers[i].name));
		assert_safe(path, "header", r.headers[i].value,
			    strlen(r.headers[i].value));
	}
	for (size_t i = 0; i < r.nlines; i++) {
		const struct mail_line *l = &r.lines[i];

		assert_safe(path, "line", l->text, l->len);
		ck_assert_uint_le(l->len, MAIL_RENDER_LINE_MAX);
		ck_assert_uint_lt(l->kind, MAIL_LINE_KIND_MAX);
		ck_assert_uint_le(l->prefix_len, l->len);
		if (l->flags & MAIL_LINE_CONTINUED)
			continue;
		ck_assert_int_eq(l->quote_level > 0, l->prefix_len > 0);
		if (l->quote_level)
			ck_assert_int_eq(l->text[0], '>');
	}
	for (size_t i = 0; i < r.nattachments; i++) {
		const struct mail_attachment *a = &r.attachments[i];

		if (a->filename)
			assert_safe(path, "file name", a->filename,
				    strlen(a->filename));
		assert_safe(path, "type", a->type, strlen(a->type));
	}
	mail_render_release(&r);
}

START_TEST(render_every_fixture_is_terminal_safe)
{
	static const char *const dirs[] = { "mail", "render", "hostile",
					     "threading", NULL };

	ck_assert_uint_ge(t_fixture_files(dirs, ".eml", render_one), 250);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *diff = tcase_create("diff");
	TCase *text = tcase_create("text");
	TCase *mime = tcase_create("mime");
	TCase *hostile = tcase_create("hostile");

	tcase_add_test(diff, diff_hunk_headers);
	tcase_add_test(diff, diff_counts_end_a_hunk);
	tcase_add_test(diff, diff_quoted_context_without_its_space);
	suite_add_tcase(s, diff);
	tcase_add_test(text, render_plus_lines_in_prose_are_not_added);
	tcase_add_test(text, render_hunk_ends_where_its_counts_say);
	tcase_add_test(text, render_review_quotes_levels_and_quoted_diff);
	tcase_add_test(text, render_real_patch_mail);
	tcase_add_test(text, render_real_review_quotes_a_diff);
	tcase_add_test(text, render_bot_notice_and_pull_request);
	tcase_add_test(text, render_trailers_by_the_trailer_grammar);
	suite_add_tcase(s, text);
	tcase_add_test(mime, render_quoted_printable_latin1);
	tcase_add_test(mime, render_base64_patch);
	tcase_add_test(mime, render_other_charsets);
	tcase_add_test(mime, render_patch_sent_as_attachment);
	tcase_add_test(mime, render_alternative_prefers_plain_text);
	tcase_add_test(mime, render_nested_message_with_its_headers);
	tcase_add_test(mime, render_deep_nesting_is_bounded);
	tcase_add_test(mime, render_many_parts_are_counted);
	suite_add_tcase(s, mime);
	tcase_add_test(hostile, render_long_line_is_split_with_a_mark);
	tcase_add_test(hostile, render_limits_on_lines_and_text);
	tcase_add_test(hostile, render_hostile_bytes_shown_visibly);
	tcase_add_test(hostile, render_bad_files_are_errors);
	tcase_add_test(hostile, render_every_fixture_is_terminal_safe);
	suite_add_tcase(s, hostile);
	return s;
}

int main(void)
{
	return t_run_suite(render_suite());
}
