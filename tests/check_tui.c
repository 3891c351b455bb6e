/*
 * The TUI at two of its three layers (the third, the real program under
 * tmux, is tests/e2e/tui.sh and tests/e2e/tui-hostile.sh):
 *
 *  - rows and state of every view without a terminal: tui/line.c,
 *    tui/keymap.c, tui/style.c and tui/view.c on their own, then the
 *    views over a real notmuch database built from fixture mail
 *    (tests/fixtures/threading, tests/fixtures/tui and a real BPF series
 *    from tests/fixtures/mail), loaded by the TUI's own loader and
 *    driven with keys through the TUI's own loop; tags written through
 *    the views are read back with the notmuch command;
 *  - screens: ncurses on a /dev/null terminal of a fixed size, painted
 *    by tui/paint.c and read back cell by cell, compared with the
 *    expected screens in tests/screens/ (VGER_UPDATE_SCREENS=1 writes
 *    them instead; review the diff).
 */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "mail/model.h"
#include "patchwork/pw.h"
#include "tests/testlib.h"
#include "tui/app.h"
#include "tui/keymap.h"
#include "tui/line.h"
#include "tui/loader.h"
#include "tui/loop.h"
#include "tui/paint.h"
#include "tui/style.h"
#include "tui/tags.h"
#include "tui/view.h"
#include "tui/views.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* ------------------------------------------------------------------ */
/* tui/line.c: cells by display width, tabs, the sanitiser            */

static struct tui_line *line_of(const char *s, size_t width, int right)
{
	static struct tui_line l = TUI_LINE_INIT;

	tui_line_reset(&l);
	tui_line_cell(&l, TUI_STYLE_SUBJECT, s, width, right);
	return &l;
}

/* The cell's text, and that it is exactly width columns wide. */
static const char *cell(const char *s, size_t width, int right)
{
	struct tui_line *l = line_of(s, width, right);

	ck_assert_uint_eq(l->width, width);
	ck_assert_uint_eq(tui_text_width(l->text.buf, l->text.len), width);
	return tui_line_text(l);
}

START_TEST(line_cell_ascii_cut_and_padded)
{
	ck_assert_str_eq(cell("abcdef", 4, 0), "abc~");
	ck_assert_str_eq(cell("ab", 4, 0), "ab  ");
	ck_assert_str_eq(cell("ab", 4, 1), "  ab");
	ck_assert_str_eq(cell("abcd", 4, 1), "abcd");
	ck_assert_str_eq(cell("", 3, 0), "   ");
	ck_assert_str_eq(cell(NULL, 2, 1), "  ");
	ck_assert_str_eq(cell("abc", 1, 0), "~");
	/* A cell of no width adds nothing. */
	ck_assert_str_eq(tui_line_text(line_of("abc", 0, 0)), "");
}
END_TEST

START_TEST(line_cell_wide_characters_by_columns)
{
	/* CJK: two columns each, never split; the "~" keeps the width. */
	ck_assert_str_eq(cell("中文字", 6, 0), "中文字");
	ck_assert_str_eq(cell("中文字", 5, 0), "中文~");
	ck_assert_str_eq(cell("中文字", 4, 0), "中 ~");
	ck_assert_str_eq(cell("中文字", 2, 0), " ~");
	ck_assert_str_eq(cell("中文字", 7, 1), " 中文字");
	ck_assert_str_eq(cell("中", 3, 0), "中 ");
	/* Emoji (U+1F600): two columns too. */
	ck_assert_str_eq(cell("😀😀", 4, 0), "😀😀");
	ck_assert_str_eq(cell("😀😀", 3, 0), "😀~");
	ck_assert_str_eq(cell("a😀b", 5, 1), " a😀b");
	/* A combining mark takes no column and stays with its letter. */
	ck_assert_str_eq(cell("e\xcc\x81", 3, 0), "e\xcc\x81  ");
	ck_assert_str_eq(cell("e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
			      "e\xcc\x81", 3, 0),
			 "e\xcc\x81" "e\xcc\x81~");
	ck_assert_str_eq(cell("Zoe\xcc\x88 😀", 6, 0), "Zoe\xcc\x88 😀");
}
END_TEST

START_TEST(line_widths_and_cuts_never_split_a_character)
{
	size_t cols;

	ck_assert_uint_eq(tui_text_width("a中b", strlen("a中b")), 4);
	ck_assert_uint_eq(tui_text_width("e\xcc\x81", 3), 1);
	ck_assert_uint_eq(tui_text_width("😀", 4), 2);
	/* Up to 2 columns: 'a', the wide character does not fit. */
	ck_assert_uint_eq(tui_text_cut("a中b", strlen("a中b"), 2, &cols), 1);
	ck_assert_uint_eq(cols, 1);
	ck_assert_uint_eq(tui_text_cut("a中b", strlen("a中b"), 3, &cols), 4);
	ck_assert_uint_eq(cols, 3);
	/* The combining mark comes with the letter it sits on. */
	ck_assert_uint_eq(tui_text_cut("e\xcc\x81x", 4, 1, &cols), 3);
	ck_assert_uint_eq(cols, 1);
	/* A byte that is no UTF-8 counts as one column, alone. */
	ck_assert_uint_eq(tui_text_width("a\xff" "b", 3), 3);
	ck_assert_uint_eq(tui_text_cut("\xe4\xb8", 2, 10, &cols), 2);
	ck_assert_uint_eq(cols, 2);
}
END_TEST

START_TEST(line_tabs_expand_to_the_next_stop)
{
	struct tui_line l = TUI_LINE_INIT;

	tui_line_add(&l, TUI_STYLE_DEFAULT, "a\tb");
	ck_assert_str_eq(tui_line_text(&l), "a       b");
	ck_assert_uint_eq(l.width, 9);
	/* Stops count from the start of the line, across adds. */
	tui_line_add(&l, TUI_STYLE_DIFF_ADD, "cdefgh\tx");
	ck_assert_str_eq(tui_line_text(&l), "a       bcdefgh x");
	ck_assert_uint_eq(l.width, 17);
	tui_line_reset(&l);
	/* By columns: a wide character is two of them. */
	tui_line_add(&l, TUI_STYLE_DEFAULT, "中\tx");
	ck_assert_str_eq(tui_line_text(&l), "中      x");
	ck_assert_uint_eq(l.width, 9);
	tui_line_reset(&l);
	tui_line_add(&l, TUI_STYLE_DEFAULT, "12345678\t");
	ck_assert_uint_eq(l.width, 16);
	/* In a cell, a tab is spaces like any other text. */
	ck_assert_str_eq(cell("a\tb", 4, 0), "a  ~");
	tui_line_release(&l);
}
END_TEST

/* No control character, C1 control or bidi control is left in s. */
static void assert_safe(const char *s)
{
	static const char *const bad[] = {
		"\xc2\x80", "\xc2\x9b", "\xc2\x9d", "\xc2\x9f",
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xd8\x9c",
	};

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f,
			      "control byte 0x%02x in '%s'", *p, s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!strstr(s, bad[i]), "control %zu in '%s'", i, s);
}

static const char *safe_text(const char *s, size_t len)
{
	static struct tui_line l = TUI_LINE_INIT;

	tui_line_reset(&l);
	tui_line_addn(&l, TUI_STYLE_SUBJECT, s, len);
	assert_safe(tui_line_text(&l));
	ck_assert_uint_eq(l.width, tui_text_width(l.text.buf, l.text.len));
	return tui_line_text(&l);
}

#define SAFE(lit) safe_text(lit, sizeof(lit) - 1)

START_TEST(line_sanitiser_keeps_controls_off_the_terminal)
{
	/* ESC: an OSC title change and a clear screen, shown as text. */
	ck_assert_str_eq(SAFE("a\x1b]0;pwned\x07z"), "a^[]0;pwned^Gz");
	ck_assert_str_eq(SAFE("\x1b[2J\x1b[H"), "^[[2J^[[H");
	/* CSI as one character, U+009B, and the other C1 controls. */
	ck_assert_str_eq(SAFE("x\xc2\x9b" "31my"), "x<U+009B>31my");
	ck_assert_str_eq(SAFE("\xc2\x9d" "0;t\xc2\x9c"),
			 "<U+009D>0;t<U+009C>");
	/* C0 controls, DEL and NUL (a line is bytes, not a C string). */
	ck_assert_str_eq(SAFE("a\rb\bc\x7f"), "a^Mb^Hc^?");
	ck_assert_str_eq(SAFE("a\0b"), "a^@b");
	ck_assert_str_eq(SAFE("\n"), "^J");
	/* Plain text, accents and wide characters stay as they are. */
	ck_assert_str_eq(SAFE("Ünïcödé 中文 😀"), "Ünïcödé 中文 😀");
}
END_TEST

START_TEST(line_bidi_controls_are_shown_not_obeyed)
{
	/* U+202E turns the rest of the line around: "Trojan Source". */
	ck_assert_str_eq(SAFE("evil\xe2\x80\xaegnp.exe"),
			 "evil<U+202E>gnp.exe");
	ck_assert_str_eq(SAFE("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac"
			      "\xe2\x80\xad"),
			 "<U+202A><U+202B><U+202C><U+202D>");
	ck_assert_str_eq(SAFE("\xe2\x81\xa6" "a\xe2\x81\xa7" "b\xe2\x81\xa8"
			      "c\xe2\x81\xa9"),
			 "<U+2066>a<U+2067>b<U+2068>c<U+2069>");
	ck_assert_str_eq(SAFE("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"),
			 "<U+200E><U+200F><U+061C>");
	/* What the locale cannot print is named, never sent raw. */
	ck_assert_str_eq(SAFE("\xf4\x8f\xbf\xbf"), "<U+10FFFF>");
	/* Bytes that are no UTF-8: shown as the sanitiser shows them. */
	ck_assert_str_eq(SAFE("a\xff" "b"), "a\\xffb");
	ck_assert_str_eq(SAFE("\xe4\xb8"), "\\xe4\\xb8");
	ck_assert_str_eq(SAFE("\xc3\x28"), "\\xc3(");
}
END_TEST

START_TEST(line_runs_keep_their_styles)
{
	struct tui_line l = TUI_LINE_INIT;

	tui_line_add(&l, TUI_STYLE_DATE, "2025");
	tui_line_add(&l, TUI_STYLE_DATE, "-06");
	tui_line_add(&l, TUI_STYLE_DEFAULT, " ");
	tui_line_add(&l, TUI_STYLE_AUTHOR, "\x1b[1mJo");
	ck_assert_uint_eq(l.nruns, 3);
	ck_assert_str_eq(tui_line_text(&l), "2025-06 ^[[1mJo");
	ck_assert_int_eq(tui_line_style_at(&l, 0), TUI_STYLE_DATE);
	ck_assert_int_eq(tui_line_style_at(&l, 6), TUI_STYLE_DATE);
	ck_assert_int_eq(tui_line_style_at(&l, 7), TUI_STYLE_DEFAULT);
	ck_assert_int_eq(tui_line_style_at(&l, 8), TUI_STYLE_AUTHOR);
	ck_assert_int_eq(tui_line_style_at(&l, 14), TUI_STYLE_AUTHOR);
	ck_assert_int_eq(tui_line_style_at(&l, 99), TUI_STYLE_DEFAULT);
	tui_line_pad_to(&l, 20);
	ck_assert_uint_eq(l.width, 20);
	tui_line_pad_to(&l, 5);
	ck_assert_uint_eq(l.width, 20);
	tui_line_release(&l);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tui/keymap.c                                                       */

static enum tui_action bound(const struct tui_keymap *km,
			     enum tui_scope scope, const char *key)
{
	const struct tui_binding *b;
	int k;

	ck_assert_msg(!tui_key_parse(key, &k), "'%s' is no key", key);
	b = tui_keymap_lookup(km, scope, k);
	return b ? b->action : TUI_ACTION_NONE;
}

START_TEST(keymap_defaults_and_view_bindings_first)
{
	struct tui_keymap km;
	const struct tui_binding *b;
	int k;

	tui_keymap_init(&km);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_GENERIC, "j"),
			 TUI_ACTION_MOVE_DOWN);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "Down"),
			 TUI_ACTION_MOVE_DOWN);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_SERIES, "G"),
			 TUI_ACTION_MOVE_LAST);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PAGER, "C-d"),
			 TUI_ACTION_HALF_DOWN);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_HELP, "q"), TUI_ACTION_BACK);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "Tab"),
			 TUI_ACTION_NEXT_UNREAD);
	/* The list's / limits; elsewhere / searches. */
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "/"), TUI_ACTION_LIMIT);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PAGER, "/"), TUI_ACTION_SEARCH);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_SERIES, "/"),
			 TUI_ACTION_SEARCH);
	/* View keys stay in their view. */
	ck_assert_int_eq(bound(&km, TUI_SCOPE_SERIES, "x"), TUI_ACTION_MATRIX);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "x"), TUI_ACTION_NONE);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PAGER, "J"),
			 TUI_ACTION_NEXT_MESSAGE);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "J"), TUI_ACTION_NONE);
	/* The pager's b pages up; Space pages down everywhere. */
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PAGER, "b"),
			 TUI_ACTION_PAGE_UP);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PAGER, "Space"),
			 TUI_ACTION_PAGE_DOWN);
	/* An argument comes with the binding: + asks for tags to add. */
	ck_assert(!tui_key_parse("+", &k));
	b = tui_keymap_lookup(&km, TUI_SCOPE_LIST, k);
	ck_assert_int_eq(b->action, TUI_ACTION_TAG);
	ck_assert_str_eq(b->arg, "+");
	ck_assert(!tui_key_parse("3", &k));
	b = tui_keymap_lookup(&km, TUI_SCOPE_LIST, k);
	ck_assert_int_eq(b->action, TUI_ACTION_QUERY);
	ck_assert_str_eq(b->arg, "3");
	/* Return, keypad Enter and C-j are all Enter. */
	b = tui_keymap_lookup(&km, TUI_SCOPE_LIST, '\r');
	ck_assert_int_eq(b->action, TUI_ACTION_ENTER);
	b = tui_keymap_lookup(&km, TUI_SCOPE_LIST, TUI_KEY_FN(KEY_ENTER));
	ck_assert_int_eq(b->action, TUI_ACTION_ENTER);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "C-j"), TUI_ACTION_ENTER);
	/* Unbound. */
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "F7"), TUI_ACTION_NONE);
	ck_assert_ptr_null(tui_keymap_lookup(&km, TUI_SCOPE_LIST, 0x4e2d));
	tui_keymap_release(&km);
}
END_TEST

static const char *kname(int key)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	tui_key_name(key, &sb);
	return sb.buf;
}

START_TEST(keymap_key_names_round_trip)
{
	static const char *const names[] = {
		"Enter", "Tab", "Space", "Esc", "Backspace", "Up", "Down",
		"Left", "Right", "Home", "End", "PgUp", "PgDn", "Insert",
		"Delete", "BackTab", "C-a", "C-d", "C-z", "F1", "F12", "F24",
		"j", "G", "?", "/", "@", "~", "é", "中",
	};
	int k;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_msg(!tui_key_parse(names[i], &k), "%s", names[i]);
		ck_assert_str_eq(kname(k), names[i]);
	}
	/* Every key a name is made for reads back as the same key. */
	for (k = 1; k < 0x2ff; k++) {
		int back = -1;

		if (k == '\n' || k == '\r' || (k >= 0x80 && k < 0xa0))
			continue;	/* aliases of Enter; C1: no key */
		ck_assert_msg(!tui_key_parse(kname(k), &back),
			      "key %d named '%s' does not parse", k,
			      kname(k));
		ck_assert_msg(back == k, "key %d named '%s' reads as %d", k,
			      kname(k), back);
	}
	for (int f = 1; f <= 24; f++) {
		ck_assert(!tui_key_parse(kname(TUI_KEY_FN(KEY_F(f))), &k));
		ck_assert_int_eq(k, TUI_KEY_FN(KEY_F(f)));
	}
	/* Other spellings of the same keys. */
	ck_assert(!tui_key_parse("^D", &k));
	ck_assert_int_eq(k, 4);
	ck_assert(!tui_key_parse("C-D", &k));
	ck_assert_int_eq(k, 4);
	ck_assert(!tui_key_parse("enter", &k));
	ck_assert_int_eq(k, '\n');
	ck_assert(!tui_key_parse("f5", &k));
	ck_assert_int_eq(k, TUI_KEY_FN(KEY_F(5)));
	ck_assert_str_eq(kname('\r'), "Enter");
	ck_assert_str_eq(kname(TUI_KEY_FN(KEY_ENTER)), "Enter");
	/* Not keys. */
	ck_assert_int_eq(tui_key_parse("", &k), -1);
	ck_assert_int_eq(tui_key_parse("jj", &k), -1);
	ck_assert_int_eq(tui_key_parse("C-", &k), -1);
	ck_assert_int_eq(tui_key_parse("C-ab", &k), -1);
	ck_assert_int_eq(tui_key_parse("C-1", &k), -1);
	ck_assert_int_eq(tui_key_parse("F0", &k), -1);
	ck_assert_int_eq(tui_key_parse("F25", &k), -1);
	ck_assert_int_eq(tui_key_parse("\x1b", &k), -1);
	ck_assert_int_eq(tui_key_parse("\xff", &k), -1);
}
END_TEST

START_TEST(keymap_bind_config_and_its_errors)
{
	struct tui_keymap km;
	struct err err = ERR_INIT;
	const struct tui_binding *b;

	tui_keymap_init(&km);
	ck_assert_int_eq(tui_keymap_config(&km, "list", "x sort", &err), 0);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "x"), TUI_ACTION_SORT);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PULLS, "x"), TUI_ACTION_NONE);
	/* Spaces and tabs around the words; the rest is the argument. */
	ck_assert_int_eq(tui_keymap_config(&km, "list", "  Z\tquery  to review",
					   &err), 0);
	b = tui_keymap_lookup(&km, TUI_SCOPE_LIST, 'Z');
	ck_assert_int_eq(b->action, TUI_ACTION_QUERY);
	ck_assert_str_eq(b->arg, "to review");
	/* A view binding hides the generic one, in that view only. */
	ck_assert_int_eq(tui_keymap_config(&km, "pager",
					   "Space next-message", &err), 0);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_PAGER, "Space"),
			 TUI_ACTION_NEXT_MESSAGE);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "Space"),
			 TUI_ACTION_PAGE_DOWN);
	/* "none" unbinds, and hides the generic binding too. */
	ck_assert_int_eq(tui_keymap_config(&km, "series", "j none", &err), 0);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_SERIES, "j"), TUI_ACTION_NONE);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "j"),
			 TUI_ACTION_MOVE_DOWN);
	/* Generic rebinding reaches every view without its own. */
	ck_assert_int_eq(tui_keymap_config(&km, "generic", "C-n move-down",
					   &err), 0);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_HELP, "C-n"),
			 TUI_ACTION_MOVE_DOWN);
	/* Rebinding replaces: one binding per key and view. */
	ck_assert_int_eq(tui_keymap_config(&km, "generic", "C-n move-up",
					   &err), 0);
	ck_assert_int_eq(bound(&km, TUI_SCOPE_HELP, "C-n"),
			 TUI_ACTION_MOVE_UP);
	/* Action names in any case. */
	ck_assert_int_eq(tui_keymap_config(&km, "generic", "C-p Move-Up",
					   &err), 0);

	/* Errors say what is wrong and change nothing. */
	ck_assert_int_lt(tui_keymap_config(&km, "nowhere", "j move-down",
					   &err), 0);
	ck_assert_str_eq(err.msg, "vger.bind.nowhere: no such view (generic, "
			 "list, series, pager, pulls, help, compose, drafts, outbox)");
	ck_assert_int_lt(tui_keymap_config(&km, "list", "j", &err), 0);
	ck_assert_str_eq(err.msg, "vger.bind.list: 'j' is not 'KEY ACTION'");
	ck_assert_int_lt(tui_keymap_config(&km, "list", "", &err), 0);
	ck_assert_str_eq(err.msg, "vger.bind.list: '' is not 'KEY ACTION'");
	ck_assert_int_lt(tui_keymap_config(&km, "list", "C-ab move-up",
					   &err), 0);
	ck_assert_str_eq(err.msg, "vger.bind.list: 'C-ab' is not a key");
	ck_assert_int_lt(tui_keymap_config(&km, "list", "j fly", &err), 0);
	ck_assert_str_eq(err.msg, "vger.bind.list: no action 'fly' (see ? in "
			 "vger)");
	ck_assert_int_eq(bound(&km, TUI_SCOPE_LIST, "j"),
			 TUI_ACTION_MOVE_DOWN);
	tui_keymap_release(&km);
}
END_TEST

START_TEST(keymap_lists_the_keys_of_an_action)
{
	struct tui_keymap km;
	struct sbuf sb = SBUF_INIT;

	tui_keymap_init(&km);
	tui_keymap_keys(&km, TUI_SCOPE_GENERIC, TUI_ACTION_PAGE_DOWN, NULL,
			&sb);
	ck_assert_str_eq(sb.buf, "PgDn, C-f, Space");
	sbuf_reset(&sb);
	tui_keymap_keys(&km, TUI_SCOPE_LIST, TUI_ACTION_QUERY, "2", &sb);
	ck_assert_str_eq(sb.buf, "2");
	sbuf_reset(&sb);
	tui_keymap_keys(&km, TUI_SCOPE_LIST, TUI_ACTION_MATRIX, NULL, &sb);
	ck_assert_str_eq(sb.buf, "");
	ck_assert_str_eq(tui_action_name(TUI_ACTION_MATRIX), "review-matrix");
	ck_assert_int_eq(tui_action_by_name("REVIEW-MATRIX"),
			 TUI_ACTION_MATRIX);
	ck_assert_int_eq(tui_action_by_name("none"), TUI_ACTION_NONE);
	ck_assert_int_eq(tui_scope_by_name("Pulls"), TUI_SCOPE_PULLS);
	ck_assert_int_eq(tui_scope_by_name("thread"), -1);
	/* Every action has a name and a help text, and names are unique. */
	for (int a = 1; a < TUI_ACTION_COUNT; a++) {
		ck_assert(*tui_action_name((enum tui_action)a));
		ck_assert(*tui_action_help((enum tui_action)a));
		ck_assert_int_eq(tui_action_by_name(
				 tui_action_name((enum tui_action)a)), a);
	}
	sbuf_release(&sb);
	tui_keymap_release(&km);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tui/style.c                                                        */

static struct tui_color color(const char *value)
{
	struct tui_color c = { 99, 99, 99, 0 };

	ck_assert_msg(!tui_color_parse(value, &c), "'%s' did not parse",
		      value);
	return c;
}

START_TEST(style_git_colour_syntax)
{
	struct tui_color c, keep = { 7, 8, TUI_A_BLINK, TUI_A_DIM };

	c = color("bold red");
	ck_assert_int_eq(c.fg, 1);
	ck_assert_int_eq(c.bg, -1);
	ck_assert_uint_eq(c.attr, TUI_A_BOLD);
	c = color("red black ul");
	ck_assert_int_eq(c.fg, 1);
	ck_assert_int_eq(c.bg, 0);
	ck_assert_uint_eq(c.attr, TUI_A_UNDERLINE);
	c = color("214");
	ck_assert_int_eq(c.fg, 214);
	ck_assert_int_eq(c.bg, -1);
	ck_assert_uint_eq(c.attr, 0);
	c = color("default 24 reverse");
	ck_assert_int_eq(c.fg, -1);
	ck_assert_int_eq(c.bg, 24);
	ck_assert_uint_eq(c.attr, TUI_A_REVERSE);
	ck_assert_uint_eq(c.mono, TUI_A_REVERSE);
	c = color("normal");
	ck_assert_int_eq(c.fg, -1);
	ck_assert_int_eq(c.bg, -1);
	c = color("brightred Blue dim italic blink underline");
	ck_assert_int_eq(c.fg, 9);
	ck_assert_int_eq(c.bg, 4);
	ck_assert_uint_eq(c.attr, TUI_A_DIM | TUI_A_ITALIC | TUI_A_BLINK |
			  TUI_A_UNDERLINE);
	c = color("  yellow   ");
	ck_assert_int_eq(c.fg, 3);
	c = color("-1 255");
	ck_assert_int_eq(c.fg, -1);
	ck_assert_int_eq(c.bg, 255);
	/* Words that are no colour: refused, the colour kept. */
	c = keep;
	ck_assert_int_eq(tui_color_parse("purple", &c), -1);
	ck_assert_int_eq(tui_color_parse("red green blue", &c), -1);
	ck_assert_int_eq(tui_color_parse("256", &c), -1);
	ck_assert_int_eq(tui_color_parse("bold -2", &c), -1);
	ck_assert_int_eq(c.fg, 7);
	ck_assert_int_eq(c.bg, 8);
	ck_assert_uint_eq(c.attr, TUI_A_BLINK);
	ck_assert_uint_eq(c.mono, TUI_A_DIM);
}
END_TEST

START_TEST(style_eight_colour_mapping)
{
	/* The sixteen: the bright ones are their dark ones on eight. */
	for (short i = 0; i < 8; i++) {
		ck_assert_int_eq(tui_color_to_8(i), i);
		ck_assert_int_eq(tui_color_to_8((short)(i + 8)), i);
	}
	ck_assert_int_eq(tui_color_to_8(-1), -1);
	/* The cube: the nearest of the eight by its strong components. */
	ck_assert_int_eq(tui_color_to_8(196), COLOR_RED);	/* ff0000 */
	ck_assert_int_eq(tui_color_to_8(160), COLOR_RED);	/* d70000 */
	ck_assert_int_eq(tui_color_to_8(34), COLOR_GREEN);	/* 00af00 */
	ck_assert_int_eq(tui_color_to_8(35), COLOR_GREEN);	/* 00af5f */
	ck_assert_int_eq(tui_color_to_8(21), COLOR_BLUE);	/* 0000ff */
	ck_assert_int_eq(tui_color_to_8(214), COLOR_YELLOW);	/* ffaf00 */
	ck_assert_int_eq(tui_color_to_8(201), COLOR_MAGENTA);	/* ff00ff */
	ck_assert_int_eq(tui_color_to_8(51), COLOR_CYAN);	/* 00ffff */
	ck_assert_int_eq(tui_color_to_8(231), COLOR_WHITE);	/* ffffff */
	ck_assert_int_eq(tui_color_to_8(16), COLOR_BLACK);	/* 000000 */
	/* The grey ramp: dark greys black, light ones white. */
	ck_assert_int_eq(tui_color_to_8(232), COLOR_BLACK);
	ck_assert_int_eq(tui_color_to_8(243), COLOR_BLACK);
	ck_assert_int_eq(tui_color_to_8(244), COLOR_WHITE);
	ck_assert_int_eq(tui_color_to_8(255), COLOR_WHITE);
	/* Every default style maps into 0..7 (or the default). */
	for (int st = 0; st < TUI_N_STYLES; st++) {
		struct tui_color t[TUI_N_STYLES];

		tui_style_defaults(t);
		ck_assert_int_ge(tui_color_to_8(t[st].fg), -1);
		ck_assert_int_le(tui_color_to_8(t[st].fg), 7);
		ck_assert_int_le(tui_color_to_8(t[st].bg), 7);
	}
}
END_TEST

START_TEST(style_names_from_the_table)
{
	struct tui_color t[TUI_N_STYLES];

	ck_assert_int_eq(tui_style_by_name("diff-add"), TUI_STYLE_DIFF_ADD);
	ck_assert_int_eq(tui_style_by_name("State-Applied"),
			 TUI_STYLE_STATE_APPLIED);
	ck_assert_int_eq(tui_style_by_name("no-such-style"), -1);
	ck_assert_str_eq(tui_style_name(TUI_STYLE_CURSOR), "cursor");
	for (int st = 0; st < TUI_N_STYLES; st++)
		ck_assert_int_eq(tui_style_by_name(
				 tui_style_name((enum tui_style)st)), st);
	tui_style_defaults(t);
	ck_assert_int_eq(t[TUI_STYLE_DIFF_ADD].fg, 34);
	ck_assert_uint_eq(t[TUI_STYLE_CURSOR].mono, TUI_A_REVERSE);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tui/view.c: motions, paging, search, on a view of numbered rows     */

struct numbers {
	size_t n;
};

static size_t numbers_nrows(const struct tui_view *v)
{
	return ((const struct numbers *)v->priv)->n;
}

static void numbers_row(const struct tui_view *v, size_t i,
			struct tui_line *out)
{
	(void)v;
	tui_line_addf(out, TUI_STYLE_DEFAULT, "row %zu%s", i,
		      i % 10 == 7 ? " seven" : "");
}

static int numbers_open(struct tui_view *v, const void *arg, struct err *err)
{
	(void)err;
	((struct numbers *)v->priv)->n = *(const size_t *)arg;
	return 0;
}

static int numbers_unread(const struct tui_view *v, size_t i)
{
	(void)v;
	return i == 3 || i == 17;
}

static const struct tui_view_ops numbers_list = {
	.name = "numbers", .scope = TUI_SCOPE_GENERIC,
	.priv_size = sizeof(struct numbers), .cursor = 1,
	.open = numbers_open, .nrows = numbers_nrows, .row = numbers_row,
	.unread = numbers_unread,
};

static const struct tui_view_ops numbers_pager = {
	.name = "numbers", .scope = TUI_SCOPE_GENERIC,
	.priv_size = sizeof(struct numbers), .cursor = 0,
	.open = numbers_open, .nrows = numbers_nrows, .row = numbers_row,
};

static struct tui_app bare_app;

static struct tui_view *numbers(const struct tui_view_ops *ops, size_t n,
				size_t height)
{
	struct tui_view *v;

	memset(&bare_app, 0, sizeof(bare_app));
	sbuf_init(&bare_app.status);
	v = tui_view_new(&bare_app, ops, &n, NULL);
	v->height = height;
	v->width = 80;
	return v;
}

static void act(struct tui_view *v, enum tui_action a)
{
	ck_assert_uint_ne(tui_view_generic(v, a, NULL), 0);
}

#define AT(v, s, t) do { \
	ck_assert_uint_eq((v)->sel, s); \
	ck_assert_uint_eq((v)->top, t); \
} while (0)

/* An action, and the selection and top row it leaves. */
struct step {
	enum tui_action a;
	size_t sel, top;
};

static void steps(struct tui_view *v, const struct step *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		act(v, st[i].a);
		ck_assert_msg(v->top == st[i].top && (!v->ops->cursor ||
			      v->sel == st[i].sel),
			      "step %zu (%s): sel %zu top %zu, not %zu %zu", i,
			      tui_action_name(st[i].a), v->sel, v->top,
			      st[i].sel, st[i].top);
	}
}

#define STEPS(v, ...) do { \
	static const struct step st_[] = { __VA_ARGS__ }; \
	steps(v, st_, sizeof(st_) / sizeof(st_[0])); \
} while (0)

START_TEST(view_motions_clamp_at_both_ends)
{
	struct tui_view *v = numbers(&numbers_list, 25, 10);

	/* 25 rows, 10 on the screen: a page is 9, half a page 4. */
	STEPS(v,
	      { TUI_ACTION_MOVE_UP, 0, 0 },
	      { TUI_ACTION_PAGE_UP, 0, 0 },
	      { TUI_ACTION_HALF_UP, 0, 0 },
	      { TUI_ACTION_PAGE_DOWN, 9, 9 },	/* screen and cursor */
	      { TUI_ACTION_PAGE_DOWN, 18, 15 },	/* the last page full */
	      { TUI_ACTION_PAGE_DOWN, 24, 15 },
	      { TUI_ACTION_PAGE_DOWN, 24, 15 },
	      { TUI_ACTION_MOVE_DOWN, 24, 15 },
	      { TUI_ACTION_HALF_UP, 20, 11 },
	      { TUI_ACTION_PAGE_UP, 11, 2 },
	      { TUI_ACTION_PAGE_UP, 2, 0 },
	      { TUI_ACTION_MOVE_LAST, 24, 15 },
	      { TUI_ACTION_MOVE_FIRST, 0, 0 },
	      { TUI_ACTION_HALF_DOWN, 4, 4 },
	      { TUI_ACTION_MOVE_FIRST, 0, 0 });
	/* Down a line at a time: the screen follows from the bottom. */
	for (size_t i = 1; i <= 10; i++) {
		act(v, TUI_ACTION_MOVE_DOWN);
		ck_assert_uint_eq(v->sel, i);
		ck_assert_uint_eq(v->top, i < 10 ? 0 : 1);
	}
	/* Selecting past the end: the last row. */
	tui_view_select(v, 1000);
	AT(v, 24, 15);
	tui_view_free(v);
	/* Shorter than the screen: nothing scrolls. */
	v = numbers(&numbers_list, 3, 10);
	STEPS(v, { TUI_ACTION_PAGE_DOWN, 2, 0 }, { TUI_ACTION_MOVE_LAST, 2, 0 },
	      { TUI_ACTION_PAGE_UP, 0, 0 });
	tui_view_free(v);
	/* No rows at all. */
	v = numbers(&numbers_list, 0, 10);
	STEPS(v, { TUI_ACTION_MOVE_DOWN, 0, 0 }, { TUI_ACTION_PAGE_DOWN, 0, 0 },
	      { TUI_ACTION_MOVE_LAST, 0, 0 }, { TUI_ACTION_MOVE_UP, 0, 0 });
	tui_view_free(v);
	sbuf_release(&bare_app.status);
}
END_TEST

START_TEST(view_pager_scrolls_and_clamps)
{
	struct tui_view *v = numbers(&numbers_pager, 25, 10);

	/* No cursor: the top row moves, and stops at the last page. */
	STEPS(v,
	      { TUI_ACTION_MOVE_UP, 0, 0 },
	      { TUI_ACTION_MOVE_DOWN, 0, 1 },
	      { TUI_ACTION_PAGE_DOWN, 0, 10 },
	      { TUI_ACTION_PAGE_DOWN, 0, 15 },
	      { TUI_ACTION_MOVE_DOWN, 0, 15 },
	      { TUI_ACTION_MOVE_FIRST, 0, 0 },
	      { TUI_ACTION_MOVE_LAST, 0, 15 },
	      { TUI_ACTION_HALF_UP, 0, 11 },
	      { TUI_ACTION_PAGE_UP, 0, 2 },
	      { TUI_ACTION_PAGE_UP, 0, 0 });
	/* Left and right: eight columns, never left of the start. */
	act(v, TUI_ACTION_SCROLL_LEFT);
	ck_assert_uint_eq(v->col, 0);
	act(v, TUI_ACTION_SCROLL_RIGHT);
	act(v, TUI_ACTION_SCROLL_RIGHT);
	ck_assert_uint_eq(v->col, 16);
	act(v, TUI_ACTION_SCROLL_LEFT);
	ck_assert_uint_eq(v->col, 8);
	tui_view_free(v);
	sbuf_release(&bare_app.status);
}
END_TEST

START_TEST(view_search_wraps_both_ways)
{
	struct tui_view *v = numbers(&numbers_list, 25, 10);

	/* "row 2" is rows 2 and 20..24. */
	ck_assert_int_eq(tui_view_find(v, "ROW 2", 1), 2);
	tui_view_select(v, 24);
	ck_assert_int_eq(tui_view_find(v, "row 2", 1), 2);	/* wraps */
	tui_view_select(v, 2);
	ck_assert_int_eq(tui_view_find(v, "row 2", 0), 24);	/* back */
	ck_assert_int_eq(tui_view_find(v, "row 2", 1), 20);
	ck_assert_int_eq(tui_view_find(v, "nowhere", 1), -1);
	ck_assert_int_eq(tui_view_find(v, "", 1), -1);
	/* The only match is the selection: found again, once round. */
	tui_view_select(v, 17);
	ck_assert_int_eq(tui_view_find(v, "row 17", 1), 17);
	/* Through the actions: / asks, then n and N go on. */
	tui_view_select(v, 0);
	ck_assert_uint_eq(tui_view_generic(v, TUI_ACTION_SEARCH, NULL),
			  TUI_ASK);
	tui_view_generic(v, TUI_ACTION_SEARCH, "seven");
	ck_assert_uint_eq(v->sel, 7);
	tui_view_generic(v, TUI_ACTION_SEARCH_NEXT, NULL);
	ck_assert_uint_eq(v->sel, 17);
	tui_view_generic(v, TUI_ACTION_SEARCH_NEXT, NULL);
	ck_assert_uint_eq(v->sel, 7);	/* wrapped */
	tui_view_generic(v, TUI_ACTION_SEARCH_PREV, NULL);
	ck_assert_uint_eq(v->sel, 17);
	tui_view_generic(v, TUI_ACTION_SEARCH, "absent");
	ck_assert_uint_eq(v->sel, 17);
	ck_assert_str_eq(bare_app.status.buf, "Not found: absent");
	ck_assert(bare_app.status_error);
	tui_view_free(v);
	free(bare_app.search);
	sbuf_release(&bare_app.status);
}
END_TEST

START_TEST(view_pager_search_goes_from_match_to_match)
{
	struct tui_view *v = numbers(&numbers_pager, 60, 10);

	/*
	 * " seven" is on rows 7, 17, ..., 57: n shows each in turn two
	 * rows below the top, the last two on the last page (top 50).
	 */
	bare_app.search = xstrdup("seven");
	STEPS(v,
	      { TUI_ACTION_SEARCH_NEXT, 0, 5 },
	      { TUI_ACTION_SEARCH_NEXT, 0, 15 },
	      { TUI_ACTION_SEARCH_NEXT, 0, 25 },
	      { TUI_ACTION_SEARCH_NEXT, 0, 35 },
	      { TUI_ACTION_SEARCH_NEXT, 0, 45 },
	      { TUI_ACTION_SEARCH_NEXT, 0, 50 },
	      { TUI_ACTION_SEARCH_NEXT, 0, 5 },	/* wrapped to 7 */
	      { TUI_ACTION_SEARCH_PREV, 0, 50 },	/* back to 57 */
	      { TUI_ACTION_SEARCH_PREV, 0, 45 },	/* 47 */
	      { TUI_ACTION_SEARCH_PREV, 0, 35 });	/* 37 */
	ck_assert_uint_eq(v->match, 37);
	tui_view_free(v);
	free(bare_app.search);
	sbuf_release(&bare_app.status);
}
END_TEST

START_TEST(view_next_unread_wraps)
{
	struct tui_view *v = numbers(&numbers_list, 25, 10);

	act(v, TUI_ACTION_NEXT_UNREAD);
	ck_assert_uint_eq(v->sel, 3);
	act(v, TUI_ACTION_NEXT_UNREAD);
	ck_assert_uint_eq(v->sel, 17);
	ck_assert_uint_eq(v->top, 8);
	act(v, TUI_ACTION_NEXT_UNREAD);
	ck_assert_uint_eq(v->sel, 3);
	ck_assert_uint_eq(v->top, 3);
	tui_view_free(v);
	/* A view that cannot say leaves Tab to others. */
	v = numbers(&numbers_pager, 25, 10);
	ck_assert_uint_eq(tui_view_generic(v, TUI_ACTION_NEXT_UNREAD, NULL),
			  TUI_UNHANDLED);
	tui_view_free(v);
	sbuf_release(&bare_app.status);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The views over a real notmuch database                              */

/*
 * The fixture mail: the synthetic threading cases, the TUI's own
 * (a series whose patches arrive out of order, wide characters) and a
 * real 11-patch BPF series with its review.
 */
static const char *const fixture_dirs[] = {
	"threading", "tui/order", "tui/wide",
	"mail/series/2025-05-01_bpf-mitigate-spectre-v1-u",
};
#define NSERIES 14	/* 11 threading + order + wide + spectre */

static char *shared_root;	/* one database for the read-only tests */
static char *work_dir;		/* the tests run here, out of any git repo */

static char *make_db(void)
{
	const char *dirs[sizeof(fixture_dirs) / sizeof(fixture_dirs[0]) + 1];
	char *paths[sizeof(fixture_dirs) / sizeof(fixture_dirs[0])];
	char *root;
	size_t n = sizeof(fixture_dirs) / sizeof(fixture_dirs[0]);

	for (size_t i = 0; i < n; i++)
		dirs[i] = paths[i] = t_fixture(fixture_dirs[i]);
	dirs[n] = NULL;
	root = t_notmuch_db(dirs);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return root;
}

static void shared_db_setup(void)
{
	shared_root = make_db();
}

static void shared_db_teardown(void)
{
	t_rmtree(shared_root);
	shared_root = NULL;
}

/*
 * A database of its own for a test that writes tags: a copy of one
 * made once (notmuch new takes most of a second; a copy, a few ms).
 */
static char *template_root, *own_root;

static void template_db_setup(void)
{
	template_root = make_db();
}

static void template_db_teardown(void)
{
	t_rmtree(template_root);
	template_root = NULL;
}

static void own_db_setup(void)
{
	struct sbuf from = SBUF_INIT, cfg_path = SBUF_INIT, cfg = SBUF_INIT;
	const char *argv[] = { "cp", "-a", NULL, NULL, NULL };
	char *text, *at;

	own_root = t_tmpdir();
	sbuf_addf(&from, "%s/.", template_root);
	argv[2] = from.buf;
	argv[3] = own_root;
	ck_assert_int_eq(t_run(argv, NULL, NULL, NULL, NULL), 0);
	/* The copy's config names the copy. */
	sbuf_addf(&cfg_path, "%s/notmuch-config", own_root);
	text = t_read_file(cfg_path.buf);
	at = strstr(text, template_root);
	ck_assert_ptr_nonnull(at);
	sbuf_add(&cfg, text, (size_t)(at - text));
	sbuf_addstr(&cfg, own_root);
	sbuf_addstr(&cfg, at + strlen(template_root));
	t_write_file(cfg_path.buf, cfg.buf);
	free(text);
	sbuf_release(&from);
	sbuf_release(&cfg_path);
	sbuf_release(&cfg);
}

static void own_db_teardown(void)
{
	t_rmtree(own_root);
	own_root = NULL;
}

/*
 * A TUI session as tui_run() makes one, without the terminal: the app
 * (git config, keymap, banner), the list view, the model and the tags
 * read by the loader thread, keys through the loop.
 */
struct session {
	struct tui_app app;
	struct tui_loader loader;
	struct tui_loop *loop;
	char *db, *cache;
	int cols, lines;
};

/* Size the top view as tui_paint() does for a cols x lines screen. */
static struct tui_view *fit(struct session *s)
{
	struct tui_view *v = tui_app_top(&s->app);

	v->height = (size_t)s->lines - 3;
	v->width = (size_t)s->cols;
	tui_view_select(v, v->ops->cursor ? v->sel : v->top);
	return v;
}

static void session_open(struct session *s, const char *root)
{
	struct err err = ERR_INIT;
	struct front_model_args args = { NULL, NULL, 0, 0 };
	struct tui_view *list;
	struct sbuf cache = SBUF_INIT;

	memset(s, 0, sizeof(*s));
	s->cols = 80;
	s->lines = 24;
	s->db = t_notmuch_path(root);
	sbuf_addf(&cache, "%s/cache", root);
	s->cache = sbuf_detach(&cache);
	setenv("XDG_CACHE_HOME", s->cache, 1);
	args.db = s->db;
	ck_assert_msg(!tui_app_init(&s->app, &args, &err), "%s", err.msg);
	ck_assert_msg(!tui_loader_init(&s->loader, &err), "%s", err.msg);
	list = tui_view_new(&s->app, &tui_list_view, NULL, &err);
	ck_assert_msg(list != NULL, "%s", err.msg);
	s->app.stack[s->app.depth++] = list;
	s->loop = tui_loop_new(&s->app, &s->loader);
	tui_loader_start(&s->loader, &s->app.src,
			 TUI_LOAD_MODEL | TUI_LOAD_TAGS);
	ck_assert_msg(!tui_loop_wait(s->loop, 60000), "no model in 60 s");
	ck_assert_msg(!s->loader.failed, "%s", s->loader.err.msg);
	ck_assert(s->app.model_full);
	ck_assert_ptr_nonnull(s->app.unread);
	fit(s);
}

static void session_close(struct session *s)
{
	tui_loop_free(s->loop);
	tui_loader_release(&s->loader);
	tui_app_release(&s->app);
	free(s->db);
	free(s->cache);
}

static struct tui_view *top(struct session *s)
{
	return tui_app_top(&s->app);
}

/*
 * Type keys: each UTF-8 character is a key ('\n' Enter, '\x15' C-u,
 * '\x1b' Esc); the view on top is sized after each.
 */
static int keys(struct session *s, const char *k)
{
	mbstate_t st;
	int quit = 0;

	memset(&st, 0, sizeof(st));
	while (*k && !quit) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, k, strlen(k), &st);

		ck_assert(n != (size_t)-1 && n != (size_t)-2 && n > 0);
		quit = tui_loop_key(s->loop, (int)wc);
		k += n;
		if (!quit)
			fit(s);
	}
	return quit;
}

/* Row i of v (valid until the next call). */
static const char *row(const struct tui_view *v, size_t i)
{
	static struct tui_line l = TUI_LINE_INIT;

	ck_assert_uint_lt(i, tui_view_nrows(v));
	tui_line_reset(&l);
	v->ops->row(v, i, &l);
	return tui_line_text(&l);
}

static unsigned row_attr(const struct tui_view *v, size_t i)
{
	struct tui_line l = TUI_LINE_INIT;
	unsigned a;

	v->ops->row(v, i, &l);
	a = l.attr;
	tui_line_release(&l);
	return a;
}

/* The first row containing text, or -1. */
static long find_row(const struct tui_view *v, const char *text)
{
	for (size_t i = 0; i < tui_view_nrows(v); i++)
		if (strstr(row(v, i), text))
			return (long)i;
	return -1;
}

static size_t must_find(const struct tui_view *v, const char *text)
{
	long i = find_row(v, text);

	ck_assert_msg(i >= 0, "no row with '%s' in the %s view", text,
		      v->ops->name);
	return (size_t)i;
}

/*
 * The row that shows left (a patch and its title) and, to its right,
 * right (the trailers beside it); the view made wide enough to hold
 * both.  -1 when none.
 */
static long find_beside(struct tui_view *v, const char *left,
			const char *right)
{
	v->width = 200;
	for (size_t i = 0; i < tui_view_nrows(v); i++) {
		const char *r = row(v, i), *a = strstr(r, left);

		if (a && strstr(a + strlen(left), right))
			return (long)i;
	}
	return -1;
}

/* Move the cursor onto the row containing text. */
static void select_row(struct session *s, const char *text)
{
	tui_view_select(top(s), must_find(top(s), text));
	fit(s);
}

/* Open the series of the row with text, in the list; the series view. */
static struct tui_view *open_series(struct session *s, const char *text)
{
	select_row(s, text);
	keys(s, "\n");
	ck_assert_ptr_eq(top(s)->ops, &tui_series_view);
	return top(s);
}

/* And the message of its row with text: the pager. */
static struct tui_view *open_message(struct session *s, const char *series,
				     const char *text)
{
	open_series(s, series);
	select_row(s, text);
	keys(s, "\n");
	ck_assert_ptr_eq(top(s)->ops, &tui_pager_view);
	return top(s);
}

/* The title bar's text, as tui_paint() makes it. */
static const char *title(struct tui_view *v)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	sbuf_addf(&sb, "[%s] ", v->ops->name);
	if (v->ops->title)
		v->ops->title(v, &sb);
	return sb.buf;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The database's answer: notmuch search --output=what, sorted, one line. */
static char *nm_search(const char *root, const char *what, const char *query)
{
	struct sbuf env = SBUF_INIT, out = SBUF_INIT, errout = SBUF_INIT;
	struct sbuf opt = SBUF_INIT, joined = SBUF_INIT;
	const char *argv[] = { "notmuch", "search", NULL, "--", query, NULL };
	const char *envv[] = { NULL, NULL };
	struct vec lines = VEC_INIT;
	int rc;

	sbuf_addf(&env, "NOTMUCH_CONFIG=%s/notmuch-config", root);
	sbuf_addf(&opt, "--output=%s", what);
	envv[0] = env.buf;
	argv[2] = opt.buf;
	rc = t_run(argv, envv, NULL, &out, &errout);
	ck_assert_msg(rc == 0, "notmuch search: %s", errout.buf);
	for (char *p = out.buf, *e; *p; p = e + 1) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (e > p)
			vec_push(&lines, xstrndup(p, (size_t)(e - p)));
		if (!*e)
			break;
	}
	vec_sort(&lines, str_cmp);
	for (size_t i = 0; i < lines.n; i++)
		sbuf_addf(&joined, "%s%s", i ? " " : "",
			  (const char *)lines.items[i]);
	vec_release_str(&lines);
	sbuf_release(&env);
	sbuf_release(&out);
	sbuf_release(&errout);
	sbuf_release(&opt);
	return sbuf_detach(&joined);
}

#define ASSERT_NM(root, what, query, expected) do { \
	char *got_ = nm_search(root, what, query); \
	ck_assert_str_eq(got_, expected); \
	free(got_); \
} while (0)

/* A git config file for this test (GIT_CONFIG_GLOBAL). */
static void git_config(const char *text)
{
	struct sbuf path = SBUF_INIT;

	sbuf_addf(&path, "%s/gitconfig-%d", work_dir, (int)getpid());
	t_write_file(path.buf, text);
	setenv("GIT_CONFIG_GLOBAL", path.buf, 1);
	sbuf_release(&path);
}

/* 80 columns: the cells shrink so the title keeps its room. */
static const char *const list_rows[NSERIES] = {
	"  6d bpf-next     v3 11/11 A3 R1 T1 applied     Luis Gerh~ "
	"bpf: Mitigate Spectre v1 using barriers",
	"  7d bpf-next     v1   3/3 A1 R1 T0 reviewed    Olga Orde~ "
	"bpf: Order the quux",
	"  7d bpf-next     v1   1/1 A0 R0 T0 waiting 5d  Zoë 😀 Wi~ "
	"bpf: x中文字符的标题很长很长很长很长很长很长",
	"  3w net          v1   1/1 A0 R0 T0 waiting 16d Pablo Nei~ "
	"Netfilter fixes for net",
	"  4w bpf-next     v2   2/2 A0 R0 T0 waiting 21d Gus Renam~ "
	"bpf: grault helpers",
	"  4w bpf-next     v2   1/1 A0 R0 T0 waiting 21d Eve Engin~ "
	"bpf: Speed up quux",
	"  4w bpf-next     v2   3/3 A1 R0 T1 applied     Jane Hack~ "
	"bpf: Foo support",
	"  4w bpf-next RFC v1   1/1 A0 R0 T0 rfc         Dana Dev   "
	"bpf: Try qux",
	"  4w bpf-next     v1   3/4 A0 R0 T0 waiting 24d Carl Coder "
	"libbpf: baz",
	"  4w bpf          v1   2/2 A0 R0 T0 waiting 24d Bob Fixer  "
	"bpf: Fix bar leak",
	"  4w bpf-next     v1   1/1 A0 R0 T1 applied     Fay Single "
	"bpf: Make corge faster",
	"  4w bpf-next     v1   1/1 A0 R0 T0 waiting 25d Esc ^[[31~ "
	"bpf: Title with ^[]0;pwned^G escapes",
	"  5w bpf-next     v1   1/1 A0 R0 T0 waiting 25d Bad ÿ Byt~ "
	"bpf: Fix Ã( thing",
	"  5w net          v1   1/1 A0 R0 T0 waiting 26d Pablo Nei~ "
	"Netfilter fixes for net",
};

/* The style of the first byte of needle in row i. */
static enum tui_style style_of(const struct tui_view *v, size_t i,
			       const char *needle)
{
	struct tui_line l = TUI_LINE_INIT;
	const char *at;
	enum tui_style st;

	v->ops->row(v, i, &l);
	at = strstr(tui_line_text(&l), needle);
	ck_assert_msg(at != NULL, "no '%s' in row %zu", needle, i);
	st = tui_line_style_at(&l, (size_t)(at - tui_line_text(&l)));
	tui_line_release(&l);
	return st;
}

START_TEST(list_one_row_per_series_newest_first)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, shared_root);
	v = top(&s);
	ck_assert_uint_eq(tui_view_nrows(v), NSERIES);
	for (size_t i = 0; i < NSERIES; i++)
		ck_assert_str_eq(row(v, i), list_rows[i]);
	ck_assert_str_eq(title(v), "[series] all, by last activity");
	ck_assert_str_eq(s.app.status.buf, "14 series, 86 messages");
	/* The row's colour says the state; a missing patch is red. */
	ck_assert_int_eq(style_of(v, 0, "applied"), TUI_STYLE_STATE_APPLIED);
	ck_assert_int_eq(style_of(v, 0, "bpf: Mitigate"),
			 TUI_STYLE_STATE_APPLIED);
	ck_assert_int_eq(style_of(v, 1, "reviewed"), TUI_STYLE_STATE_REVIEWED);
	ck_assert_int_eq(style_of(v, 7, "rfc"), TUI_STYLE_STATE_RFC);
	ck_assert_int_eq(style_of(v, 8, "waiting"), TUI_STYLE_STATE_WAITING);
	ck_assert_int_eq(style_of(v, 8, "3/4"), TUI_STYLE_MISSING);
	ck_assert_int_eq(style_of(v, 9, "2/2"), TUI_STYLE_COUNT);
	ck_assert_int_eq(style_of(v, 8, "  4w"), TUI_STYLE_DATE);
	ck_assert_int_eq(style_of(v, 8, "Carl"), TUI_STYLE_AUTHOR);
	ck_assert_int_eq(style_of(v, 8, "A0 R0"), TUI_STYLE_MARKS);
	/* Everything is unread in a new database: bold. */
	for (size_t i = 0; i < NSERIES; i++)
		ck_assert_uint_eq(row_attr(v, i) & TUI_LINE_BOLD,
				  TUI_LINE_BOLD);
	/* Wider screens give the author and the state more room. */
	v->width = 120;
	ck_assert_str_eq(row(v, 0), "  6d bpf-next      v3 11/11 A3 R1 T1 "
			 "applied           Luis Gerhorst        bpf: Mitigate "
			 "Spectre v1 using barriers");
	v->width = 100;
	ck_assert_str_eq(row(v, 0), "  6d bpf-next      v3 11/11 A3 R1 T1 "
			 "applied     Luis Gerhorst    bpf: Mitigate Spectre "
			 "v1 using barriers");
	/* Narrower, the tree, the marks and the author go, in turn. */
	v->width = 70;
	ck_assert_str_eq(row(v, 0), "  6d     v3 11/11 A3 R1 T1 applied     "
			 "Luis Gerh~ bpf: Mitigate Spectre v1 using barriers");
	v->width = 50;
	ck_assert_str_eq(row(v, 0), "  6d     v3 11/11 applied     bpf: "
			 "Mitigate Spectre v1 using barriers");
	session_close(&s);
}
END_TEST

/* The titles of the list's rows, in order, as "a | b | c". */
static const char *titles(struct tui_view *v)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	for (size_t i = 0; i < tui_view_nrows(v); i++) {
		const struct mail_series *se = tui_list_series_at(v, i);
		const char *r = row(v, i);

		(void)r;
		if (i)
			sbuf_addstr(&sb, " | ");
		sbuf_add_sanitized(&sb, se->title, strlen(se->title));
	}
	return sb.buf;
}

START_TEST(list_builtin_and_saved_views)
{
	struct session s;
	struct tui_view *v;

	git_config("[user]\n\temail = olga@example.org\n"
		   "[vger \"query\"]\n\tnetfilter = subject:Netfilter\n");
	session_open(&s, shared_root);
	v = top(&s);
	/* 2: mine, by git's user.email. */
	keys(&s, "2");
	ck_assert_str_eq(titles(v), "bpf: Order the quux");
	ck_assert_str_eq(title(v), "[series] mine, by last activity");
	/* 3: to review: new, and nobody but the author answered. */
	keys(&s, "3");
	ck_assert_str_eq(titles(v), "bpf: x中文字符的标题很长很长很长很长很长"
			 "很长 | Netfilter fixes for net | "
			 "bpf: grault helpers | bpf: Speed up quux | "
			 "libbpf: baz | bpf: Fix bar leak | "
			 "bpf: Title with ^[]0;pwned^G escapes | "
			 "bpf: Fix Ã( thing | Netfilter fixes for net");
	/* 4: applied since the last release (v6.15, 2025-05-25). */
	keys(&s, "4");
	ck_assert_str_eq(titles(v), "bpf: Mitigate Spectre v1 using barriers");
	ck_assert_str_eq(title(v), "[series] applied, by last activity");
	/* 5: the saved query vger.query.netfilter. */
	keys(&s, "5");
	ck_assert_str_eq(titles(v), "Netfilter fixes for net | "
			 "Netfilter fixes for net");
	ck_assert_str_eq(title(v), "[series] netfilter, by last activity");
	/* By name, through v and through the : prompt. */
	keys(&s, "vto-review\n");
	ck_assert_uint_eq(tui_view_nrows(v), 9);
	keys(&s, ":query all\n");
	ck_assert_uint_eq(tui_view_nrows(v), NSERIES);
	keys(&s, "vnothing\n");
	ck_assert_str_eq(s.app.status.buf, "No query 'nothing' (1-5, or a "
			 "name)");
	ck_assert(s.app.status_error);
	ck_assert_uint_eq(tui_view_nrows(v), NSERIES);
	keys(&s, "9");
	ck_assert_str_eq(s.app.status.buf, "No query '9' (1-5, or a name)");
	session_close(&s);
}
END_TEST

START_TEST(list_applied_this_cycle_follows_the_calendar)
{
	struct session s;

	/* During 6.15-rc7: the cycle began with v6.14 (2025-03-24). */
	setenv("VGER_NOW", "2025-05-20", 1);
	session_open(&s, shared_root);
	ck_assert_ptr_nonnull(strstr(s.app.banner.buf, "v6.15-rc7"));
	keys(&s, "4");
	ck_assert_str_eq(titles(top(&s)),
			 "bpf: Mitigate Spectre v1 using barriers | "
			 "bpf: Foo support | bpf: Make corge faster");
	session_close(&s);
}
END_TEST

START_TEST(list_limit_with_a_notmuch_query)
{
	struct session s;
	struct tui_view *v;
	const struct tui_prompt *p;

	session_open(&s, shared_root);
	v = top(&s);
	p = tui_loop_prompt(s.loop);
	select_row(&s, "libbpf: baz");
	keys(&s, "/");
	ck_assert(p->active);
	ck_assert_str_eq(p->label, "limit (notmuch query): ");
	keys(&s, "from:carl@example.org or from:olga");
	ck_assert_str_eq(p->text.buf, "from:carl@example.org or from:olga");
	keys(&s, "\n");
	ck_assert(!p->active);
	ck_assert_str_eq(titles(v), "bpf: Order the quux | libbpf: baz");
	ck_assert_str_eq(title(v), "[series] all & from:carl@example.org or "
			 "from:olga, by last activity");
	/* The cursor stays on its series. */
	ck_assert_uint_eq(v->sel, 1);
	/* / again starts from the limit; C-u empties it: all again. */
	keys(&s, "/");
	ck_assert_str_eq(p->text.buf, "from:carl@example.org or from:olga");
	keys(&s, "\x15\n");
	ck_assert_uint_eq(tui_view_nrows(v), NSERIES);
	ck_assert_str_eq(row(v, v->sel), list_rows[8]);
	/* Limits add to the saved query. */
	keys(&s, "3/tag:inbox and date:2025-05-07..2025-05-08\n");
	ck_assert_str_eq(titles(v), "libbpf: baz | bpf: Fix bar leak");
	keys(&s, "/\x15\n1");
	/* A query notmuch cannot read: said, and the list kept. */
	keys(&s, "/date:yesterday..nonsense\n");
	ck_assert(s.app.status_error);
	ck_assert_ptr_nonnull(strstr(s.app.status.buf, "limit: "));
	ck_assert_uint_eq(tui_view_nrows(v), NSERIES);
	ck_assert_str_eq(title(v), "[series] all, by last activity");
	/* A query nothing matches: said, no rows. */
	keys(&s, "/from:nobody@nowhere.example\n");
	ck_assert_uint_eq(tui_view_nrows(v), 0);
	ck_assert_str_eq(s.app.status.buf,
			 "No series match 'from:nobody@nowhere.example'");
	/* Esc leaves the prompt without changing anything. */
	keys(&s, "/x\x1b");
	ck_assert(!p->active);
	ck_assert_uint_eq(tui_view_nrows(v), 0);
	session_close(&s);
}
END_TEST

START_TEST(list_sorts_by_posting_date)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, shared_root);
	v = top(&s);
	select_row(&s, "Order the quux");
	keys(&s, "o");
	ck_assert_str_eq(title(v), "[series] all, by posting date");
	/* Posted: wide 06-03, the quux 06-02, ... the Spectre v3 05-01. */
	ck_assert_ptr_nonnull(strstr(row(v, 0), "bpf: x中文"));
	ck_assert_ptr_nonnull(strstr(row(v, 1), "Order the quux"));
	ck_assert_uint_eq(v->sel, 1);
	ck_assert_uint_eq(must_find(v, "Mitigate Spectre"), NSERIES - 1);
	keys(&s, "o");
	ck_assert_str_eq(title(v), "[series] all, by last activity");
	for (size_t i = 0; i < NSERIES; i++)
		ck_assert_str_eq(row(v, i), list_rows[i]);
	ck_assert_uint_eq(v->sel, 1);
	session_close(&s);
}
END_TEST

static const char *const order_rows[] = {
	"bpf: Order the quux  Olga Orderly <olga@example.org>",
	"\u25b6 v1     2025-06-02 reviewed              3/3  A1 R1 T0",
	"\u2500\u2500 v1: 3 of 3 patches and a cover letter \u2500\u2500",
	"2025-06-02 Olga Orderly       [0/3] bpf: Order the quux",
	/* 80 columns: trailers on the right, a reply to its patch "Re:". */
	"2025-06-02 Olga Orderly       [1/3] bpf: Add the quux map                "
	"A: ast",
	"2025-06-03 Alexei Starovoitov \u2514\u2500 Re: 1/3                      "
	"           A: ast",
	"2025-06-03 Olga Orderly         \u2514\u2500 Re: 1/3                    "
	"                ",
	"2025-06-02 Olga Orderly       [2/3] bpf: Walk the quux map              "
	"R: rita",
	"2025-06-03 Rita Reviewer      \u2514\u2500 Re: 2/3                      "
	"          R: rita",
	"2025-06-02 Olga Orderly       [3/3] selftests/bpf: Test the quux map",
};

START_TEST(series_patches_in_order_replies_under_trailers)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, shared_root);
	v = open_series(&s, "Order the quux");
	ck_assert_uint_eq(tui_view_nrows(v), 10);
	for (size_t i = 0; i < 10; i++)
		ck_assert_str_eq(row(v, i), order_rows[i]);
	ck_assert_str_eq(title(v), "[thread] v1 of 1");
	/* It opens on the cover letter. */
	ck_assert_uint_eq(v->sel, 3);
	ck_assert_int_eq(style_of(v, 4, "A: ast"), TUI_STYLE_TRAILER);
	ck_assert_int_eq(style_of(v, 4, "[1/3]"), TUI_STYLE_VERSION);
	ck_assert_uint_eq(row_attr(v, 4) & TUI_LINE_BOLD, TUI_LINE_BOLD);
	/* q goes back to the list, on the same series. */
	keys(&s, "q");
	ck_assert_ptr_eq(top(&s)->ops, &tui_list_view);
	ck_assert_str_eq(row(top(&s), top(&s)->sel), list_rows[1]);
	session_close(&s);
}
END_TEST

START_TEST(series_real_series_patches_in_order)
{
	struct session s;
	struct tui_view *v;
	unsigned patch = 0, replies = 0;

	session_open(&s, shared_root);
	v = open_series(&s, "Mitigate Spectre");
	ck_assert_str_eq(row(v, 1), "\u25b6 v3     2025-05-01 applied      "
			 "       11/11  A3 R1 T1  applied to bpf/bpf-next.git "
			 "(master)");
	ck_assert_ptr_nonnull(strstr(row(v, 3), "[0/11] bpf: Mitigate "
				     "Spectre v1 using barriers"));
	/* Every patch once, 1..11; each reply under the patch it answers. */
	for (size_t i = 4; i < tui_view_nrows(v); i++) {
		const char *r = row(v, i);
		char want[32];

		snprintf(want, sizeof(want), "[%u/11] ", patch + 1);
		if (strstr(r, want)) {
			patch++;
			continue;
		}
		ck_assert_msg(!strstr(r, "] ") || strstr(r, "Re:"),
			      "row %zu out of order: %s", i, r);
		if (!patch)
			continue;	/* answers to the cover letter */
		snprintf(want, sizeof(want), "Re: %u/11 ", patch);
		ck_assert_msg(strstr(r, want) != NULL,
			      "row %zu is not under patch %u: %s", i, patch,
			      r);
		replies++;
	}
	ck_assert_uint_eq(patch, 11);
	ck_assert_uint_eq(replies, 21);
	/* Trailers beside the patch: acks from two, a review. */
	ck_assert_int_eq(find_beside(v, "2025-05-01 Luis Gerhorst      [3/11] "
				     "bpf: Return -EFAULT on misconfigurations",
				     "A: henriette.herzog, memxor  R: eddyz87"),
			 13);
	session_close(&s);
}
END_TEST

/*
 * Patchwork's cache (a file in patchwork/db.c's format) for the latest
 * version of the series titled title: every patch changes-requested,
 * delegated to bpf, two checks each; on patch 2 the BPF CI failed.
 */
static struct pw_db *pw_cache_for(struct session *s, const char *title,
				  time_t fetched)
{
	const struct mail_series *ms = NULL;
	const struct mail_version *v;
	struct sbuf sb = SBUF_INIT, path = SBUF_INIT;
	struct pw_db *db = NULL;
	struct err err = ERR_INIT;

	for (size_t i = 0; i < s->app.model->series.n && !ms; i++) {
		const struct mail_series *c = s->app.model->series.items[i];

		if (!strcmp(c->title, title))
			ms = c;
	}
	ck_assert_ptr_nonnull(ms);
	v = mail_series_latest(ms);
	sbuf_addf(&sb, "vger-patchwork 1\nurl\thttps://patchwork.kernel."
		  "org\nproject\tnetdevbpf\nsynced\t%lld\nfetched\t%lld\n",
		  (long long)fetched, (long long)fetched);
	for (size_t i = 0; i < v->patches.n; i++) {
		const struct mail_patch *p = v->patches.items[i];

		sbuf_addf(&sb, "P\t%zu\t%s\tchanges-requested\tbpf\t7\t-1\t"
			  "-\t-\t-\n", 100 + i, p->message_id);
		sbuf_addf(&sb, "C\t%zu\t1\tnetdev/build_clang\t-\n", 1000 + i);
		sbuf_addf(&sb, "C\t%zu\t%d\tbpf/vmtest-bpf-next-VM_Test-3\t"
			  "https://github.com/kernel-patches/bpf/actions/runs/"
			  "42\n", 2000 + i, p->index == 2 ? 3 : 1);
	}
	sbuf_addf(&path, "%s/pw-%d.tsv", s->cache, (int)getpid());
	t_write_file(path.buf, sb.buf);
	ck_assert_msg(pw_db_load(path.buf, &db, &err) == 1, "%s", err.msg);
	remove(path.buf);
	sbuf_release(&sb);
	sbuf_release(&path);
	return db;
}

/* Issue 16 item 4: patchwork's state and a CI mark in the row and the
 * series view, the mail's state beside it, the failing check's link. */
START_TEST(patchwork_state_and_ci_in_rows)
{
	struct session s;
	struct tui_view *v;
	long i;

	session_open(&s, shared_root);
	/* Without patchwork's cache the rows are as they were. */
	ck_assert_str_eq(row(top(&s), 0), list_rows[0]);
	s.app.pw = pw_cache_for(&s, "bpf: Mitigate Spectre v1 using barriers",
				s.app.now - 2 * 3600);
	s.cols = 120;
	v = fit(&s);
	i = must_find(v, "Mitigate Spectre");
	ck_assert_msg(strstr(row(v, (size_t)i), " changes-requested "
			     "CI \u2717 1 fail  Luis Gerhorst"), "%s",
		      row(v, (size_t)i));
	ck_assert_int_eq(style_of(v, (size_t)i, "changes-requested"),
			 TUI_STYLE_STATE_CHANGES);
	ck_assert_int_eq(style_of(v, (size_t)i, "CI "),
			 TUI_STYLE_STATE_CHANGES);
	/* A series patchwork does not know keeps the mail's state. */
	ck_assert_msg(strstr(row(v, (size_t)must_find(v, "Order the quux")),
			     " reviewed                       "), "%s",
		      row(v, (size_t)must_find(v, "Order the quux")));
	ck_assert_str_eq(title(v), "[series] all, by last activity, "
			 "patchwork 2h old");
	v = open_series(&s, "Mitigate Spectre");
	ck_assert_str_eq(row(v, 1), "\u25b6 v3     2025-05-01 "
			 "changes-requested   11/11  A3 R1 T1  applied to "
			 "bpf/bpf-next.git (master)  CI \u2717 1 fail  mail: "
			 "applied  delegate bpf");
	ck_assert_int_eq(style_of(v, 1, "mail: applied") + 0,
			 TUI_STYLE_DEFAULT);
	ck_assert_int_eq(style_of(v, 1, "applied  delegate"),
			 TUI_STYLE_STATE_APPLIED);
	ck_assert_msg(strstr(row(v, 2), "CI \u2717 bpf/vmtest-bpf-next-VM_Test-3"
			     " https://github.com/kernel-patches/bpf/actions/"
			     "runs/42"), "%s", row(v, 2));
	session_close(&s);
}
END_TEST

START_TEST(series_missing_patch_and_versions)
{
	struct session s;
	struct tui_view *v;
	size_t missing;

	session_open(&s, shared_root);
	v = open_series(&s, "libbpf: baz");
	missing = must_find(v, "missing");
	ck_assert_str_eq(row(v, missing), "  [3/4] missing: never arrived");
	ck_assert_ptr_nonnull(strstr(row(v, missing - 1), "[2/4] libbpf: Use "
				     "baz"));
	ck_assert_ptr_nonnull(strstr(row(v, missing + 1), "[4/4] libbpf: Doc "
				     "baz"));
	ck_assert_int_eq(style_of(v, missing, "missing"), TUI_STYLE_MISSING);
	ck_assert_str_eq(row(v, 2), "\u2500\u2500 v1: 3 of 4 patches and a "
			 "cover letter \u2500\u2500");
	/* Nothing to open there. */
	tui_view_select(v, missing);
	keys(&s, "\n");
	ck_assert_ptr_eq(top(&s), v);
	keys(&s, "q");

	/* Two versions: the latest is shown, Enter on a version shows it. */
	v = open_series(&s, "bpf: Foo support");
	ck_assert_str_eq(row(v, 1), "  v1     2025-05-05 superseded          "
			 "  3/3  A1 R0 T0");
	ck_assert_str_eq(row(v, 2), "\u25b6 v2     2025-05-08 applied        "
			 "       3/3  A1 R0 T1  applied to bpf/bpf-next.git "
			 "(master)  pull bpf-next 2025-05-10");
	ck_assert_str_eq(title(v), "[thread] v2 of 2");
	ck_assert_int_eq(find_beside(v, "[1/3] bpf: Teach the verifier about "
				     "foo", "aaaaaaaaaaa1  T: tess"), 7);
	tui_view_select(v, 1);
	keys(&s, "\n");
	ck_assert_str_eq(title(v), "[thread] v1 of 2");
	ck_assert_ptr_nonnull(strstr(row(v, 1), "\u25b6 v1"));
	ck_assert_str_eq(row(v, 3), "\u2500\u2500 v1: 3 of 3 patches and a "
			 "cover letter \u2500\u2500");
	ck_assert_uint_eq(v->sel, 4);
	ck_assert_ptr_nonnull(strstr(row(v, 4), "[0/3] bpf: Foo support"));
	keys(&s, "[");
	ck_assert_str_eq(title(v), "[thread] v1 of 2");
	keys(&s, "]");
	ck_assert_str_eq(title(v), "[thread] v2 of 2");
	keys(&s, "]");
	ck_assert_str_eq(title(v), "[thread] v2 of 2");
	keys(&s, "[");
	ck_assert_str_eq(title(v), "[thread] v1 of 2");
	session_close(&s);
}
END_TEST

START_TEST(series_review_matrix)
{
	static const char *const want[] = {
		"v2  3/3 patches",
		"    1/3   bpf: Teach the verifier about foo         T: tess",
		"    2/3   selftests/bpf: Test foo                   A: rita  "
		"T: tess",
		"    3/3   bpf: Document foo                         T: tess",
		"v1  3/3 patches",
		"    1/3   bpf: Teach the verifier about foo         no review "
		"yet",
		"    2/3   selftests/bpf: Test foo                   A: rita",
		"    3/3   bpf: Document foo                         no review "
		"yet",
	};
	struct session s;
	struct tui_view *v;

	session_open(&s, shared_root);
	v = open_series(&s, "bpf: Foo support");
	keys(&s, "x");
	ck_assert_str_eq(title(v), "[thread] v2 of 2, review matrix");
	ck_assert_str_eq(row(v, 3), "\u2500\u2500 review matrix, every "
			 "version \u2500\u2500");
	ck_assert_uint_eq(tui_view_nrows(v), 4 + 8);
	for (size_t i = 0; i < 8; i++)
		ck_assert_str_eq(row(v, 4 + i), want[i]);
	ck_assert_int_eq(style_of(v, 9, "no review yet"),
			 TUI_STYLE_STATE_WAITING);
	/* Enter in the matrix opens nothing; x again: the thread. */
	keys(&s, "j\n");
	ck_assert_ptr_eq(top(&s), v);
	keys(&s, "x");
	ck_assert_str_eq(title(v), "[thread] v2 of 2");
	ck_assert_ptr_nonnull(strstr(row(v, 4), "[0/3] bpf: Foo support"));
	session_close(&s);
}
END_TEST

START_TEST(pulls_rows_and_enter_opens_a_carried_series)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, shared_root);
	keys(&s, "p");
	v = top(&s);
	ck_assert_ptr_eq(v->ops, &tui_pulls_view);
	ck_assert_uint_eq(tui_view_nrows(v), 3);
	ck_assert_str_eq(row(v, 0), "2025-05-10  bpf-next  2025-05-10 -> "
			 "net-next, 4 commits, applied to netdev/net-next.git "
			 "(main)  Martin KaFai Lau <martin.lau@linux.dev>");
	ck_assert_str_eq(row(v, 1), "    \u2514\u2500 bpf: Make corge faster");
	ck_assert_str_eq(row(v, 2), "    \u2514\u2500 bpf: Foo support");
	ck_assert_uint_eq(row_attr(v, 0) & TUI_LINE_BOLD, TUI_LINE_BOLD);
	ck_assert_str_eq(title(v), "[pulls] 1 pull request");
	keys(&s, "G\n");
	ck_assert_ptr_eq(top(&s)->ops, &tui_series_view);
	ck_assert_str_eq(row(top(&s), 0), "bpf: Foo support  Jane Hacker "
			 "<jane@example.org>");
	keys(&s, "q");
	ck_assert_ptr_eq(top(&s), v);
	keys(&s, "q");
	ck_assert_ptr_eq(top(&s)->ops, &tui_list_view);
	session_close(&s);
}
END_TEST

START_TEST(help_is_made_from_the_keymap)
{
	struct session s;
	struct tui_view *v;

	git_config("[vger \"bind\"]\n\tlist = x sort\n\tlist = j none\n"
		   "\tgeneric = C-n move-down\n\tpager = Space next-message\n");
	session_open(&s, shared_root);
	ck_assert_str_eq(s.app.status.buf, "14 series, 86 messages");
	keys(&s, "?");
	v = top(&s);
	ck_assert_ptr_eq(v->ops, &tui_help_view);
	ck_assert_str_eq(title(v), "[help] keys of the list view; rebind in "
			 "[vger \"bind\"]");
	ck_assert_str_eq(row(v, 0), "list");
	/* The rebinding shows, and what it hides does not. */
	ck_assert_str_eq(row(v, must_find(v, " sort ")),
			 "o, x             sort             Sort by last "
			 "activity or by posting date");
	ck_assert_str_eq(row(v, must_find(v, " move-down ")),
			 "Down, C-n        move-down        Move down one "
			 "line");
	ck_assert_str_eq(row(v, must_find(v, " limit ")),
			 "/, l             limit            Limit the list "
			 "with a notmuch query");
	/* The list's / limits: search is left without a key there. */
	ck_assert_int_gt(find_row(v, " search "), (long)must_find(v,
			 "Every action"));
	ck_assert_str_eq(row(v, must_find(v, "Every view")), "Every view");
	/* Every action is listed by name. */
	for (int a = 1; a < TUI_ACTION_COUNT; a++) {
		char want[64];

		snprintf(want, sizeof(want), " %-16s ",
			 tui_action_name((enum tui_action)a));
		ck_assert_int_ge(find_row(v, want), 0);
	}
	/* ? on the help is nothing; q goes back. */
	keys(&s, "?");
	ck_assert_ptr_eq(top(&s), v);
	keys(&s, "q");
	/* The series view's help has its own keys, and the pager's own. */
	select_row(&s, "Order the quux");
	keys(&s, "\n?");
	v = top(&s);
	ck_assert_str_eq(row(v, 0), "series");
	ck_assert_int_ge(find_row(v, "x                review-matrix"), 0);
	ck_assert_int_ge(find_row(v, "j, Down, C-n     move-down"), 0);
	/* Limiting is the list's: only in the list of every action. */
	ck_assert_int_gt(find_row(v, "limit            Limit"),
			 (long)must_find(v, "Every action"));
	session_close(&s);
}
END_TEST

START_TEST(config_errors_are_said_not_fatal)
{
	static const char said[] = "vger.bind.list: no action 'fly' (see ? in "
		"vger); vger.color.diff-add: 'chartreuse' is not a colour; "
		"vger.color.nothing: no such style (see man vger)";
	struct session s;

	git_config("[vger \"bind\"]\n\tlist = j fly\n"
		   "[vger \"color\"]\n\tcursor = bold yellow blue\n"
		   "\tdiff-add = chartreuse\n\tnothing = red\n");
	session_open(&s, shared_root);
	ck_assert_int_eq(s.app.colors[TUI_STYLE_CURSOR].fg, COLOR_YELLOW);
	ck_assert_int_eq(s.app.colors[TUI_STYLE_CURSOR].bg, COLOR_BLUE);
	ck_assert_uint_eq(s.app.colors[TUI_STYLE_CURSOR].attr, TUI_A_BOLD);
	ck_assert_int_eq(s.app.colors[TUI_STYLE_DIFF_ADD].fg, 34);
	ck_assert_int_eq(bound(&s.app.keymap, TUI_SCOPE_LIST, "j"),
			 TUI_ACTION_MOVE_DOWN);
	/* Still said once the model is in, until a key is pressed. */
	ck_assert_str_eq(s.app.status.buf, said);
	ck_assert(s.app.status_error);
	keys(&s, "j");
	ck_assert_str_eq(s.app.status.buf, "");
	ck_assert_uint_eq(top(&s)->sel, 1);
	session_close(&s);
}
END_TEST


/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Tags through the views, read back with notmuch                      */

#define ORDER_V1 "id:order-0@example.org id:order-1@example.org " \
	"id:order-2@example.org id:order-3@example.org " \
	"id:order-r1@example.com id:order-r2@kernel.org " \
	"id:order-r3@example.org"
#define FOO_ALL "id:a1-0@example.org id:a1-1@example.org " \
	"id:a1-2@example.org id:a1-3@example.org id:a1-r1@example.com " \
	"id:a1-r2@kernel.org id:a2-0@example.org id:a2-1@example.org " \
	"id:a2-2@example.org id:a2-3@example.org id:a2-bot@kernel.org " \
	"id:a2-r1@example.net"

START_TEST(tags_on_a_message_a_version_and_a_series)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, own_root);
	/* A message in the series view: u toggles unread, F flagged. */
	v = open_series(&s, "Order the quux");
	select_row(&s, "[2/3]");
	ck_assert_uint_eq(row_attr(v, v->sel) & TUI_LINE_BOLD, TUI_LINE_BOLD);
	keys(&s, "u");
	ck_assert_str_eq(s.app.status.buf, "message: -unread on 1 message");
	ASSERT_NM(own_root, "tags", "id:order-2@example.org", "inbox");
	ck_assert_uint_eq(row_attr(v, v->sel) & TUI_LINE_BOLD, 0);
	keys(&s, "u");
	ASSERT_NM(own_root, "tags", "id:order-2@example.org", "inbox unread");
	ck_assert_uint_eq(row_attr(v, v->sel) & TUI_LINE_BOLD, TUI_LINE_BOLD);
	keys(&s, "F");
	ASSERT_NM(own_root, "messages", "tag:flagged",
		  "id:order-2@example.org");
	keys(&s, "F");
	ASSERT_NM(own_root, "messages", "tag:flagged", "");
	keys(&s, "F");
	ASSERT_NM(own_root, "messages", "tag:flagged",
		  "id:order-2@example.org");
	/* A version, on its row: every message of v1. */
	tui_view_select(v, 1);
	keys(&s, "F");
	/* Its thread had a flagged message: flagged, so it unflags. */
	ck_assert_str_eq(s.app.status.buf, "v1: -flagged on 7 messages");
	ASSERT_NM(own_root, "messages", "tag:flagged", "");
	keys(&s, "F");
	ck_assert_str_eq(s.app.status.buf, "v1: +flagged on 7 messages");
	ASSERT_NM(own_root, "messages", "tag:flagged", ORDER_V1);
	keys(&s, "q");
	/* The list shows the flag. */
	ck_assert_str_eq(row(top(&s), 1), "  7d!bpf-next     v1   3/3 A1 R1 "
			 "T0 reviewed    Olga Orde~ bpf: Order the quux");
	/* A whole series, from the list: + asks, with "+" typed. */
	select_row(&s, "bpf: Foo support");
	keys(&s, "+");
	ck_assert_str_eq(tui_loop_prompt(s.loop)->label,
			 "tags (+add -remove): ");
	ck_assert_str_eq(tui_loop_prompt(s.loop)->text.buf, "+");
	keys(&s, "review-later -inbox\n");
	ck_assert_str_eq(s.app.status.buf, "series: +review-later -inbox on "
			 "12 messages");
	ASSERT_NM(own_root, "messages", "tag:review-later", FOO_ALL);
	ASSERT_NM(own_root, "messages", "tag:review-later and tag:inbox", "");
	keys(&s, "-review-later\n");
	ASSERT_NM(own_root, "messages", "tag:review-later", "");
	/* t asks with nothing typed; : runs the action by name. */
	keys(&s, "tkeep\n");
	ASSERT_NM(own_root, "messages", "tag:keep", FOO_ALL);
	keys(&s, ":tag -keep +kept\n");
	ASSERT_NM(own_root, "messages", "tag:keep", "");
	ASSERT_NM(own_root, "messages", "tag:kept", FOO_ALL);
	/* Archive drops inbox; a is not a toggle. */
	select_row(&s, "libbpf: baz");
	keys(&s, "a");
	ASSERT_NM(own_root, "messages", "tag:inbox and from:carl", "");
	keys(&s, "a");
	ASSERT_NM(own_root, "messages", "tag:inbox and from:carl", "");
	/* A series read entirely is not bold any more; u makes it unread. */
	ck_assert_uint_eq(row_attr(top(&s), top(&s)->sel) & TUI_LINE_BOLD,
			  TUI_LINE_BOLD);
	keys(&s, "u");
	ck_assert_uint_eq(row_attr(top(&s), top(&s)->sel) & TUI_LINE_BOLD, 0);
	ASSERT_NM(own_root, "messages", "tag:unread and from:carl", "");
	keys(&s, "u");
	ck_assert_uint_eq(row_attr(top(&s), top(&s)->sel) & TUI_LINE_BOLD,
			  TUI_LINE_BOLD);
	/* Nothing to tag: said. */
	keys(&s, "tonly-spaces   \n");
	keys(&s, "t- +\n");
	ck_assert_str_eq(s.app.status.buf, "series: no tags in '- +' (+tag "
			 "-tag)");
	ck_assert(s.app.status_error);
	session_close(&s);
}
END_TEST

START_TEST(tags_in_the_pager_toggle_too)
{
	static const char *const toggles[][2] = {
		{ "u", "inbox unread" }, { "u", "inbox" },
		{ "F", "flagged inbox" }, { "F", "inbox" },
		{ "M", "inbox muted" }, { "M", "inbox" },
	};
	struct session s;
	struct tui_view *v;

	session_open(&s, own_root);
	v = open_message(&s, "Order the quux", "[2/3]");
	/* Read on open; then each key toggles what the message has. */
	ASSERT_NM(own_root, "tags", "id:order-2@example.org", "inbox");
	for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++) {
		keys(&s, toggles[i][0]);
		ASSERT_NM(own_root, "tags", "id:order-2@example.org",
			  toggles[i][1]);
	}
	/* J: the next message in thread order is read in its turn. */
	keys(&s, "J");
	ASSERT_NM(own_root, "messages", "not tag:unread",
		  "id:order-2@example.org id:order-r1@example.com");
	/* Back in the series view, both rows are read. */
	keys(&s, "q");
	v = top(&s);
	ck_assert_uint_eq(row_attr(v, must_find(v, "[2/3]")) & TUI_LINE_BOLD,
			  0);
	ck_assert_uint_eq(row_attr(v, must_find(v, "Rita Reviewer")) &
			  TUI_LINE_BOLD, 0);
	ck_assert_uint_eq(row_attr(v, must_find(v, "[3/3]")) & TUI_LINE_BOLD,
			  TUI_LINE_BOLD);
	session_close(&s);
}
END_TEST

START_TEST(pager_shows_a_message_and_walks_the_thread)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, own_root);
	v = open_message(&s, "Order the quux", "[1/3]");
	ck_assert_str_eq(row(v, 0), "From: Olga Orderly <olga@example.org>");
	/* The short headers, in the order the message has them. */
	ck_assert_str_eq(row(v, 1), "To: bpf@vger.kernel.org");
	ck_assert_str_eq(row(v, 2), "Subject: [PATCH bpf-next 1/3] bpf: Add "
			 "the quux map");
	ck_assert_str_eq(row(v, 3), "Date: Mon, 02 Jun 2025 09:02:00 +0000");
	ck_assert_int_eq(style_of(v, 19, "+long quux1;"), TUI_STYLE_DIFF_ADD);
	ck_assert_int_eq(style_of(v, 18, "-int quux1;"), TUI_STYLE_DIFF_DEL);
	ck_assert_int_eq(style_of(v, 16, "@@ -1,3 +1,3 @@"),
			 TUI_STYLE_DIFF_CHUNK);
	ck_assert_str_eq(title(v), "[message] 2/7 [PATCH bpf-next 1/3] bpf: "
			 "Add the quux map");
	ck_assert_int_ge(find_row(v, "+long quux1;"), 0);
	/* J and K walk the thread in its order: replies under patch 1. */
	keys(&s, "J");
	ck_assert_str_eq(title(v), "[message] 3/7 Re: [PATCH bpf-next 1/3] "
			 "bpf: Add the quux map");
	ck_assert_str_eq(row(v, 0), "From: Alexei Starovoitov "
			 "<ast@kernel.org>");
	keys(&s, "JJ");
	ck_assert_str_eq(title(v), "[message] 5/7 [PATCH bpf-next 2/3] bpf: "
			 "Walk the quux map");
	keys(&s, "JJJ");
	ck_assert_str_eq(title(v), "[message] 7/7 [PATCH bpf-next 3/3] "
			 "selftests/bpf: Test the quux map");
	ck_assert_str_eq(s.app.status.buf, "The last message");
	keys(&s, "KKKKKKK");
	ck_assert_str_eq(title(v), "[message] 1/7 [PATCH bpf-next 0/3] bpf: "
			 "Order the quux");
	ck_assert_str_eq(s.app.status.buf, "The first message");
	/* The pager search: / then n. */
	keys(&s, "J/quux1\n");
	ck_assert_uint_eq(v->top, 2);	/* the last page, kept full */
	s.lines = 10;
	keys(&s, "g/quux1\n");
	ck_assert_uint_eq(v->top, 16);	/* row 18, two below the top */
	keys(&s, "n");
	ck_assert_uint_eq(v->top, 16);	/* row 19 is on the screen: kept */
	ck_assert(v->matched);
	ck_assert_uint_eq(v->match, 19);
	keys(&s, "n");
	ck_assert_uint_eq(v->match, 18);	/* wrapped */
	session_close(&s);
}
END_TEST

START_TEST(pulls_enter_on_the_pull_opens_its_mail)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, own_root);
	keys(&s, "p\n");
	v = top(&s);
	ck_assert_ptr_eq(v->ops, &tui_pager_view);
	ck_assert_str_eq(row(v, 0), "From: Martin KaFai Lau "
			 "<martin.lau@linux.dev>");
	ck_assert_ptr_nonnull(strstr(title(v), "pull-request: bpf-next "
				     "2025-05-10"));
	session_close(&s);
}
END_TEST

START_TEST(next_unread_over_the_list)
{
	struct session s;
	struct tui_view *v;

	t_notmuch_tag(own_root, "-unread", "*");
	t_notmuch_tag(own_root, "+unread", "id:order-r3@example.org or "
		      "id:c-2@example.org");
	session_open(&s, own_root);
	v = top(&s);
	ck_assert_uint_eq(row_attr(v, 0) & TUI_LINE_BOLD, 0);
	ck_assert_uint_eq(row_attr(v, 1) & TUI_LINE_BOLD, TUI_LINE_BOLD);
	keys(&s, "\t");
	ck_assert_uint_eq(v->sel, 1);
	keys(&s, "\t");
	ck_assert_str_eq(row(v, v->sel), list_rows[8]);
	keys(&s, "\t");
	ck_assert_uint_eq(v->sel, 1);
	/* In the series: Tab goes to the unread reply. */
	keys(&s, "\n\t");
	ck_assert_ptr_nonnull(strstr(row(top(&s), top(&s)->sel),
				     "Olga Orderly         \u2514\u2500 Re:"));
	/* Nothing unread left: said. */
	t_notmuch_tag(own_root, "-unread", "*");
	keys(&s, "qq");
	session_close(&s);
	session_open(&s, own_root);
	keys(&s, "\t");
	ck_assert_uint_eq(top(&s)->sel, 0);
	ck_assert_str_eq(s.app.status.buf, "Nothing unread here");
	session_close(&s);
}
END_TEST

START_TEST(snooze_hides_a_series_until_the_day)
{
	struct session s;
	struct tui_view *v;

	session_open(&s, own_root);
	v = top(&s);
	select_row(&s, "Order the quux");
	keys(&s, "z");
	ck_assert_str_eq(tui_loop_prompt(s.loop)->label, "snooze until "
			 "(YYYY-MM-DD, 3d, 2w, reopen, off): ");
	keys(&s, "2025-06-20\n");
	ck_assert_str_eq(s.app.status.buf, "series: +snoozed "
			 "+snoozed/2025-06-20 on 7 messages");
	ASSERT_NM(own_root, "messages", "tag:snoozed/2025-06-20", ORDER_V1);
	ck_assert_uint_eq(tui_view_nrows(v), NSERIES - 1);
	ck_assert_int_lt(find_row(v, "Order the quux"), 0);
	ck_assert_str_eq(title(v), "[series] all, by last activity, 1 snoozed "
			 "or muted");
	/* The cursor goes to the next series. */
	ck_assert_str_eq(row(v, v->sel), list_rows[2]);
	/* Words that are no date: said. */
	keys(&s, "ztomorrow\n");
	ck_assert_str_eq(s.app.status.buf, "snooze until 'tomorrow'? "
			 "(YYYY-MM-DD, 3d, 2w, reopen, off)");
	session_close(&s);

	/* The day before: still asleep.  That day: back. */
	setenv("VGER_NOW", "2025-06-19", 1);
	session_open(&s, own_root);
	ck_assert_int_lt(find_row(top(&s), "Order the quux"), 0);
	session_close(&s);
	setenv("VGER_NOW", "2025-06-20", 1);
	session_open(&s, own_root);
	v = top(&s);
	select_row(&s, "Order the quux");
	/* Snoozed again for 3 days: the older snooze tag goes. */
	keys(&s, "z3d\n");
	ASSERT_NM(own_root, "tags", "id:order-0@example.org",
		  "inbox snoozed snoozed/2025-06-23 unread");
	ck_assert_int_lt(find_row(v, "Order the quux"), 0);
	session_close(&s);
	setenv("VGER_NOW", "2025-06-23", 1);
	session_open(&s, own_root);
	select_row(&s, "Order the quux");
	keys(&s, "zoff\n");
	ASSERT_NM(own_root, "tags", "id:order-0@example.org", "inbox unread");
	/* Muted hides too, and M again shows it. */
	keys(&s, "M");
	ASSERT_NM(own_root, "messages", "tag:muted", ORDER_V1);
	ck_assert_int_lt(find_row(top(&s), "Order the quux"), 0);
	session_close(&s);
}
END_TEST

START_TEST(counts_of_a_long_series_fit)
{
	struct session s;
	struct sbuf path = SBUF_INIT, mail = SBUF_INIT;
	char *dir = t_tmpdir();
	size_t r;

	/* A cover and patches 1..120 but 77: 119 of 120 arrived. */
	for (unsigned k = 0; k <= 120; k++) {
		if (k == 77)
			continue;
		sbuf_reset(&path);
		sbuf_reset(&mail);
		sbuf_addf(&path, "%s/long/%03u.eml", dir, k);
		sbuf_addf(&mail, "From: Lena Long <lena@example.org>\n"
			  "To: bpf@vger.kernel.org\n"
			  "Subject: [PATCH bpf-next %03u/120] bpf: part %u\n"
			  "Date: Wed, 04 Jun 2025 10:%02u:%02u +0000\n"
			  "Message-ID: <long-%u@example.org>\n%s\n"
			  "Part %u.\n", k, k, k / 60, k % 60, k,
			  k ? "In-Reply-To: <long-0@example.org>" : "", k);
		t_write_file(path.buf, mail.buf);
	}
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/long", dir);
	t_notmuch_add(own_root, path.buf);
	session_open(&s, own_root);
	r = must_find(top(&s), "bpf: part 0");
	ck_assert_str_eq(row(top(&s), r), "  6d bpf-next     v1 119/120 A0 R0 "
			 "T0 waiting 4d  Lena Long  bpf: part 0");
	ck_assert_int_eq(style_of(top(&s), r, "119/120"), TUI_STYLE_MISSING);
	tui_view_select(top(&s), r);
	keys(&s, "\n");
	ck_assert_str_eq(row(top(&s), 1), "\u25b6 v1     2025-06-04 new       "
			 "        119/120  A0 R0 T0");
	ck_assert_str_eq(row(top(&s), 80), "  [77/120] missing: never arrived");
	session_close(&s);
	sbuf_release(&path);
	sbuf_release(&mail);
	t_rmtree(dir);
}
END_TEST

START_TEST(refresh_keeps_the_cursor_on_its_series)
{
	struct session s;
	struct tui_view *list, *v;
	char *v2 = t_fixture("tui/order-v2");

	session_open(&s, own_root);
	list = top(&s);
	/* A series view open over the list, on the quux's v1. */
	v = open_series(&s, "Order the quux");
	/* Its v2 arrives: notmuch new, then @. */
	t_notmuch_add(own_root, v2);
	keys(&s, "@");
	ck_assert_str_eq(s.app.status.buf, "Reading what is new...");
	ck_assert_msg(!tui_loop_wait(s.loop, 60000), "no refresh in 60 s");
	ck_assert_str_eq(s.app.status.buf, "14 series, 90 messages");
	ck_assert_str_eq(title(v), "[thread] v1 of 2");
	ck_assert_str_eq(row(v, 1), "\u25b6 v1     2025-06-02 superseded      "
			 "      3/3  A1 R1 T0");
	ck_assert_str_eq(row(v, 2), "  v2     2025-06-09 new                 "
			 "  3/3  A0 R0 T0");
	keys(&s, "]");
	ck_assert_str_eq(title(v), "[thread] v2 of 2");
	keys(&s, "q");
	/* The list: the quux is first now, and still selected. */
	ck_assert_ptr_eq(top(&s), list);
	ck_assert_str_eq(row(list, 0), "  1d bpf-next     v2   3/3 A0 R0 T0 "
			 "new         Olga Orde~ bpf: Order the quux");
	ck_assert_uint_eq(list->sel, 0);
	/* The Spectre series moved down a row; the cursor with it. */
	tui_view_select(list, 1);
	ck_assert_ptr_nonnull(strstr(row(list, 1), "Mitigate Spectre"));
	t_notmuch_tag(own_root, "+refreshed", "id:wide-1@example.org");
	keys(&s, "@");
	ck_assert(!tui_loop_wait(s.loop, 60000));
	ck_assert_ptr_nonnull(strstr(row(list, list->sel),
				     "Mitigate Spectre"));
	free(v2);
	session_close(&s);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Screens: ncurses on a /dev/null terminal of a fixed size            */

struct vscreen {
	SCREEN *scr;
	FILE *out, *in;
};

/*
 * A terminal kept in memory (what it writes goes to /dev/null), cols x
 * lines, with the session's colours in mode (none: the mono attributes,
 * which the tests can read back).
 */
static void vscreen_open(struct vscreen *vs, const char *term,
			 const struct tui_color *table, int cols, int lines,
			 enum tui_color_mode mode)
{
	vs->out = fopen("/dev/null", "w");
	vs->in = fopen("/dev/null", "r");
	ck_assert(vs->out && vs->in);
	vs->scr = newterm(term, vs->out, vs->in);
	ck_assert_msg(vs->scr != NULL, "no terminfo for %s", term);
	set_term(vs->scr);
	resizeterm(lines, cols);
	ck_assert_int_eq(LINES, lines);
	ck_assert_int_eq(COLS, cols);
	if (mode != TUI_COLORS_NONE) {
		ck_assert(has_colors());
		start_color();
		use_default_colors();
	}
	tui_paint_colors(table, mode);
}

static void vscreen_close(struct vscreen *vs)
{
	endwin();
	delscreen(vs->scr);
	fclose(vs->out);
	fclose(vs->in);
}

/* The cell at (y, x): its characters as UTF-8, attributes and pair. */
static int cell_at(int y, int x, struct sbuf *text, attr_t *attrs,
		   short *pair)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a;
	short p;
	int w = 1;

	ck_assert_int_ne(mvin_wch(y, x, &cc), ERR);
	ck_assert_int_ne(getcchar(&cc, wch, &a, &p, NULL), ERR);
	for (size_t i = 0; wch[i]; i++) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, wch[i], &st);
		ck_assert(n != (size_t)-1);
		if (text)
			sbuf_add(text, mb, n);
		if (!i && wcwidth(wch[0]) == 2)
			w = 2;
	}
	if (attrs)
		*attrs = a;
	if (pair)
		*pair = p;
	return w;
}

/* Row y of the screen as text, blanks at the end cut. */
static void screen_row(int y, struct sbuf *out)
{
	struct sbuf row = SBUF_INIT;

	for (int x = 0; x < COLS;)
		x += cell_at(y, x, &row, NULL, NULL);
	sbuf_rtrim(&row);
	sbuf_addstr(out, row.buf);
	sbuf_release(&row);
}

/* The whole screen, one line per row. */
static char *screen_text(void)
{
	struct sbuf sb = SBUF_INIT;

	for (int y = 0; y < LINES; y++) {
		screen_row(y, &sb);
		sbuf_addch(&sb, '\n');
	}
	return sbuf_detach(&sb);
}

static const char *screen_line(int y)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	screen_row(y, &sb);
	return sb.buf;
}

/*
 * Compare the screen with tests/screens/name.txt; with
 * VGER_UPDATE_SCREENS set, write it there instead.
 */
static void expect_screen(const char *name)
{
	struct sbuf path = SBUF_INIT;
	char *got = screen_text(), *want;
	const char *update = getenv("VGER_UPDATE_SCREENS");

	sbuf_addf(&path, "%s/tests/screens/%s.txt", t_srcdir(), name);
	if (update && *update) {
		t_write_file(path.buf, got);
		fprintf(stderr, "wrote %s\n", path.buf);
	}
	want = t_read_file(path.buf);
	ck_assert_msg(!strcmp(got, want), "screen %s differs:\n--- "
		      "expected\n%s--- got\n%s", name, want, got);
	free(want);
	free(got);
	sbuf_release(&path);
}

/*
 * The banner is the calendar's; the screens fix it, so that a newer
 * shipped history does not change them (its own tests check it).
 */
static void fixed_banner(struct session *s)
{
	ck_assert_ptr_nonnull(strstr(s->app.banner.buf, "bpf-next open "
				     "\u00b7 v6.16-rc1"));
	sbuf_reset(&s->app.banner);
	sbuf_addstr(&s->app.banner, "bpf-next open \u00b7 v6.16-rc1 \u00b7 "
		    "next window ~2025-07-27");
}

static void paint(struct session *s)
{
	tui_paint(&s->app, tui_loop_prompt(s->loop));
}

START_TEST(screen_list_80x24)
{
	struct session s;
	struct vscreen vs;
	attr_t a;

	session_open(&s, shared_root);
	fixed_banner(&s);
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_NONE);
	keys(&s, "jj");
	paint(&s);
	expect_screen("list-80x24");
	/* The cursor row in reverse; unread rows bold; the bars reverse. */
	cell_at(3, 10, NULL, &a, NULL);
	ck_assert(a & A_REVERSE);
	cell_at(2, 10, NULL, &a, NULL);
	ck_assert(!(a & A_REVERSE));
	ck_assert(a & A_BOLD);
	cell_at(0, 5, NULL, &a, NULL);
	ck_assert(a & A_REVERSE);
	cell_at(22, 5, NULL, &a, NULL);
	ck_assert(a & A_REVERSE);
	/* Below the rows: blank lines, not old text. */
	ck_assert_str_eq(screen_line(20), "");
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

START_TEST(screen_series_80x24)
{
	struct session s;
	struct vscreen vs;

	session_open(&s, shared_root);
	fixed_banner(&s);
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_NONE);
	select_row(&s, "Order the quux");
	keys(&s, "\nj");
	paint(&s);
	expect_screen("series-80x24");
	keys(&s, "x");
	paint(&s);
	expect_screen("matrix-80x24");
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

START_TEST(screen_list_and_help_40x10)
{
	struct session s;
	struct vscreen vs;

	session_open(&s, shared_root);
	fixed_banner(&s);
	s.cols = 40;
	s.lines = 10;
	vscreen_open(&vs, "xterm-256color", s.app.colors, 40, 10,
		     TUI_COLORS_NONE);
	keys(&s, "G");
	paint(&s);
	expect_screen("list-40x10");
	keys(&s, "?");
	paint(&s);
	expect_screen("help-40x10");
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

START_TEST(screen_too_small_says_the_size_needed)
{
	static const int sizes[][2] = { { 39, 10 }, { 40, 9 }, { 20, 5 } };
	struct session s;

	session_open(&s, shared_root);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct vscreen vs;
		char want[64];
		char *all;

		vscreen_open(&vs, "xterm-256color", s.app.colors, sizes[i][0],
			     sizes[i][1], TUI_COLORS_NONE);
		paint(&s);
		snprintf(want, sizeof(want), "vger needs 40x10; this is %dx%d",
			 sizes[i][0], sizes[i][1]);
		want[sizes[i][0]] = '\0';
		ck_assert_str_eq(screen_line(sizes[i][1] / 2), want);
		/* Nothing else on the screen. */
		all = screen_text();
		ck_assert_uint_eq(strlen(all), strlen(want) + sizes[i][1]);
		free(all);
		/* Big enough again: the list is back. */
		resizeterm(10, 40);
		paint(&s);
		ck_assert_str_eq(screen_line(8), "[series] all, by last "
				 "activity      1/14");
		vscreen_close(&vs);
	}
	session_close(&s);
}
END_TEST

START_TEST(screen_resize_redraws_and_keeps_the_selection)
{
	struct session s;
	struct vscreen vs;

	session_open(&s, shared_root);
	fixed_banner(&s);
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_NONE);
	keys(&s, "G");
	paint(&s);
	ck_assert_str_eq(screen_line(22), "[series] all, by last activity    "
			 "                                         14/14");
	ck_assert_ptr_nonnull(strstr(screen_line(14), "Netfilter"));
	/* Smaller: the selection stays on the screen, at the bottom. */
	resizeterm(12, 50);
	paint(&s);
	ck_assert_str_eq(screen_line(10), "[series] all, by last activity    "
			 "           14/14");
	ck_assert_str_eq(screen_line(9), "  5w     v1   1/1 waiting 26d "
			 "Netfilter fixes for");
	ck_assert_uint_eq(top(&s)->height, 9);
	ck_assert_uint_eq(top(&s)->top, 5);
	ck_assert_str_eq(screen_line(0), "bpf-next open \u00b7 v6.16-rc1 "
			 "\u00b7 next window ~202~ vger");
	/* Bigger again. */
	resizeterm(30, 100);
	paint(&s);
	ck_assert_str_eq(screen_line(28), "[series] all, by last activity    "
			 "                                                     "
			 "        14/14");
	ck_assert_uint_eq(top(&s)->top, 0);
	ck_assert_ptr_nonnull(strstr(screen_line(14), "Netfilter"));
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

/* prefix, then n CJK characters alternating 中 and 文 from 中 (or 文). */
static const char *cjk(const char *prefix, size_t n, int odd)
{
	static struct sbuf sb = SBUF_INIT;

	sbuf_reset(&sb);
	sbuf_addstr(&sb, prefix);
	for (size_t i = 0; i < n; i++)
		sbuf_addstr(&sb, (i + (size_t)odd) % 2 ? "文" : "中");
	return sb.buf;
}

/* Rows of wide characters, to paint at the edges. */
static void wide_row(const struct tui_view *v, size_t i, struct tui_line *out)
{
	(void)v;
	(void)i;
	tui_line_add(out, TUI_STYLE_DEFAULT, cjk("a", 60, 0));
}

static const struct tui_view_ops wide_view = {
	.name = "wide", .scope = TUI_SCOPE_GENERIC,
	.priv_size = sizeof(struct numbers), .cursor = 0,
	.open = numbers_open, .nrows = numbers_nrows, .row = wide_row,
};

START_TEST(screen_wide_characters_at_both_edges)
{
	struct session s;
	struct vscreen vs;
	struct tui_view *v;
	size_t n = 3;
	struct err err = ERR_INIT;
	const char *l;

	session_open(&s, shared_root);
	/*
	 * 82 columns: the title's eighth CJK character ends at column 80,
	 * the ninth would take 81 and 82.
	 */
	vscreen_open(&vs, "xterm-256color", s.app.colors, 82, 24,
		     TUI_COLORS_NONE);
	paint(&s);
	l = screen_line(3);
	ck_assert_str_eq(l, "  7d bpf-next     v1   1/1 A0 R0 T0 waiting "
			 "5d  Zoe\xcc\x88 😀 Wi~ bpf: x中文字符的标题很");
	ck_assert_uint_eq(tui_text_width(l, strlen(l)), 81);
	/* Column 81 is blank: the next one did not fit, and is not cut. */
	{
		struct sbuf c = SBUF_INIT;

		cell_at(3, 81, &c, NULL, NULL);
		ck_assert_str_eq(c.buf, " ");
		sbuf_release(&c);
	}
	vscreen_close(&vs);
	/* 81: the eighth ends exactly at the edge. */
	vscreen_open(&vs, "xterm-256color", s.app.colors, 81, 24,
		     TUI_COLORS_NONE);
	paint(&s);
	ck_assert_str_eq(screen_line(3), l);
	vscreen_close(&vs);
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_NONE);
	/*
	 * A view of "a" and CJK characters: 39 of them fit in 80 columns,
	 * the 40th would cross the edge, so the last column is blank.
	 */
	v = tui_view_new(&s.app, &wide_view, &n, &err);
	s.app.stack[s.app.depth++] = v;
	paint(&s);
	ck_assert_str_eq(screen_line(1), cjk("a", 39, 0));
	keys(&s, "l");		/* unbound: nothing moves */
	ck_assert_uint_eq(v->col, 0);
	tui_loop_key(s.loop, TUI_KEY_FN(KEY_RIGHT));
	ck_assert_uint_eq(v->col, 8);
	paint(&s);
	/*
	 * Scrolled by 8: "a中文中" is 7 columns, the next character is
	 * half off the left edge: a blank in its place, then 39 more.
	 */
	ck_assert_str_eq(screen_line(1), cjk(" ", 39, 0));
	tui_loop_key(s.loop, TUI_KEY_FN(KEY_LEFT));
	paint(&s);
	ck_assert_str_eq(screen_line(1), cjk("a", 39, 0));
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

START_TEST(screen_colours_256_8_and_none)
{
	struct session s;
	struct vscreen vs;
	short fg, bg, pair;
	attr_t a;
	size_t at;

	session_open(&s, shared_root);
	at = strstr(list_rows[0], "applied") - list_rows[0];
	/* 256 colours: the state cell in the applied green (35). */
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_256);
	paint(&s);
	ck_assert_int_eq(COLORS, 256);
	cell_at(1, (int)at, NULL, &a, &pair);
	pair_content(pair, &fg, &bg);
	/* The cursor's row: its background over the style's colour. */
	ck_assert_int_eq(bg, 237);
	cell_at(2, (int)strlen("  7d bpf-next      v1     3/3 A1 R1 T0 "), NULL,
		&a, &pair);
	pair_content(pair, &fg, &bg);
	ck_assert_int_eq(fg, 71);	/* state-reviewed */
	ck_assert_int_eq(bg, -1);
	vscreen_close(&vs);
	/* Eight colours: the nearest of them. */
	vscreen_open(&vs, "xterm", s.app.colors, 80, 24, TUI_COLORS_8);
	ck_assert_int_eq(COLORS, 8);
	paint(&s);
	cell_at(2, (int)strlen("  7d bpf-next      v1     3/3 A1 R1 T0 "), NULL,
		&a, &pair);
	pair_content(pair, &fg, &bg);
	ck_assert_int_eq(fg, COLOR_GREEN);
	/* The banner's grey-blue background is blue on eight. */
	cell_at(0, 2, NULL, &a, &pair);
	pair_content(pair, &fg, &bg);
	ck_assert_int_eq(bg, tui_color_to_8(24));
	vscreen_close(&vs);
	/* None (NO_COLOR): attributes only, no colour pair. */
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_NONE);
	paint(&s);
	cell_at(2, (int)strlen("  7d bpf-next      v1     3/3 A1 R1 T0 "), NULL,
		&a, &pair);
	ck_assert_int_eq(pair, 0);
	cell_at(1, 1, NULL, &a, &pair);
	ck_assert_int_eq(pair, 0);
	ck_assert(a & A_REVERSE);
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

START_TEST(screen_prompt_and_status_line)
{
	struct session s;
	struct vscreen vs;

	session_open(&s, shared_root);
	vscreen_open(&vs, "xterm-256color", s.app.colors, 80, 24,
		     TUI_COLORS_NONE);
	paint(&s);
	ck_assert_str_eq(screen_line(23), "14 series, 86 messages");
	keys(&s, "/from:中文");
	paint(&s);
	/* The terminal's cursor after the text, by columns. */
	ck_assert_int_eq(getcury(stdscr), 23);
	ck_assert_int_eq(getcurx(stdscr), 23 + 5 + 4);
	ck_assert_str_eq(screen_line(23), "limit (notmuch query): from:中文");
	tui_loop_key(s.loop, TUI_KEY_FN(KEY_LEFT));
	paint(&s);
	ck_assert_int_eq(getcurx(stdscr), 23 + 5 + 2);
	keys(&s, "\x7f\x7f\n");
	ck_assert_str_eq(tui_loop_prompt(s.loop)->text.buf, "from文");
	paint(&s);
	ck_assert_str_eq(screen_line(23), "No series match 'from文'");
	/* An error in its style, bold without colours. */
	keys(&s, "vnothing\n");
	paint(&s);
	{
		attr_t a;

		cell_at(23, 0, NULL, &a, NULL);
		ck_assert(a & A_BOLD);
	}
	/* A key bound to nothing says so. */
	keys(&s, "Y");
	paint(&s);
	ck_assert_str_eq(screen_line(23), "Y: not bound here (? lists the "
			 "keys)");
	vscreen_close(&vs);
	session_close(&s);
}
END_TEST

static Suite *tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("line");

	tcase_add_test(tc, line_cell_ascii_cut_and_padded);
	tcase_add_test(tc, line_cell_wide_characters_by_columns);
	tcase_add_test(tc, line_widths_and_cuts_never_split_a_character);
	tcase_add_test(tc, line_tabs_expand_to_the_next_stop);
	tcase_add_test(tc, line_sanitiser_keeps_controls_off_the_terminal);
	tcase_add_test(tc, line_bidi_controls_are_shown_not_obeyed);
	tcase_add_test(tc, line_runs_keep_their_styles);
	suite_add_tcase(s, tc);

	tc = tcase_create("keymap");
	tcase_add_test(tc, keymap_defaults_and_view_bindings_first);
	tcase_add_test(tc, keymap_key_names_round_trip);
	tcase_add_test(tc, keymap_bind_config_and_its_errors);
	tcase_add_test(tc, keymap_lists_the_keys_of_an_action);
	suite_add_tcase(s, tc);

	tc = tcase_create("style");
	tcase_add_test(tc, style_git_colour_syntax);
	tcase_add_test(tc, style_eight_colour_mapping);
	tcase_add_test(tc, style_names_from_the_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("view");
	tcase_add_test(tc, view_motions_clamp_at_both_ends);
	tcase_add_test(tc, view_pager_scrolls_and_clamps);
	tcase_add_test(tc, view_search_wraps_both_ways);
	tcase_add_test(tc, view_pager_search_goes_from_match_to_match);
	tcase_add_test(tc, view_next_unread_wraps);
	suite_add_tcase(s, tc);

	tc = tcase_create("views");
	tcase_add_unchecked_fixture(tc, shared_db_setup, shared_db_teardown);
	tcase_add_test(tc, list_one_row_per_series_newest_first);
	tcase_add_test(tc, list_builtin_and_saved_views);
	tcase_add_test(tc, list_applied_this_cycle_follows_the_calendar);
	tcase_add_test(tc, list_limit_with_a_notmuch_query);
	tcase_add_test(tc, list_sorts_by_posting_date);
	tcase_add_test(tc, series_patches_in_order_replies_under_trailers);
	tcase_add_test(tc, series_real_series_patches_in_order);
	tcase_add_test(tc, patchwork_state_and_ci_in_rows);
	tcase_add_test(tc, series_missing_patch_and_versions);
	tcase_add_test(tc, series_review_matrix);
	tcase_add_test(tc, pulls_rows_and_enter_opens_a_carried_series);
	tcase_add_test(tc, help_is_made_from_the_keymap);
	tcase_add_test(tc, config_errors_are_said_not_fatal);
	suite_add_tcase(s, tc);

	tc = tcase_create("tags");
	tcase_add_unchecked_fixture(tc, template_db_setup,
				    template_db_teardown);
	tcase_add_checked_fixture(tc, own_db_setup, own_db_teardown);
	tcase_add_test(tc, tags_on_a_message_a_version_and_a_series);
	tcase_add_test(tc, tags_in_the_pager_toggle_too);
	tcase_add_test(tc, pager_shows_a_message_and_walks_the_thread);
	tcase_add_test(tc, pulls_enter_on_the_pull_opens_its_mail);
	tcase_add_test(tc, next_unread_over_the_list);
	tcase_add_test(tc, snooze_hides_a_series_until_the_day);
	tcase_add_test(tc, refresh_keeps_the_cursor_on_its_series);
	tcase_add_test(tc, counts_of_a_long_series_fit);
	suite_add_tcase(s, tc);

	tc = tcase_create("screens");
	tcase_add_unchecked_fixture(tc, shared_db_setup, shared_db_teardown);
	tcase_add_test(tc, screen_list_80x24);
	tcase_add_test(tc, screen_series_80x24);
	tcase_add_test(tc, screen_list_and_help_40x10);
	tcase_add_test(tc, screen_too_small_says_the_size_needed);
	tcase_add_test(tc, screen_resize_redraws_and_keeps_the_selection);
	tcase_add_test(tc, screen_wide_characters_at_both_edges);
	tcase_add_test(tc, screen_colours_256_8_and_none);
	tcase_add_test(tc, screen_prompt_and_status_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	struct sbuf src = SBUF_INIT;
	char *abs;
	int ret;

	/* What make check sets, for a run by hand too. */
	setenv("TZ", "UTC", 1);
	setenv("VGER_NOW", "2025-06-10", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("NOTMUCH_CONFIG", "/dev/null", 1);
	unsetenv("NO_COLOR");
	unsetenv("LINES");
	unsetenv("COLUMNS");
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "no C.UTF-8 locale\n");
		return 99;
	}
	/*
	 * git config is read from the working directory's repository too:
	 * run somewhere that has none, with the fixtures found from here.
	 */
	abs = realpath(t_srcdir(), NULL);
	if (!abs)
		return 99;
	setenv("top_srcdir", abs, 1);
	free(abs);
	sbuf_addstr(&src, "/tmp/vger-check-tui-XXXXXX");
	work_dir = mkdtemp(src.buf) ? sbuf_detach(&src) : NULL;
	if (!work_dir || chdir(work_dir))
		return 99;
	ret = t_run_suite(tui_suite());
	if (chdir("/") == 0)
		t_rmtree(work_dir);
	return ret;
}
