#include <check.h>
#include <git2.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/testlib.h"
#include "util/arena.h"
#include "util/curl.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

START_TEST(sbuf_starts_empty_and_grows)
{
	struct sbuf sb = SBUF_INIT;
	char *s;

	ck_assert_str_eq(sb.buf, "");
	ck_assert_uint_eq(sb.len, 0);
	for (int i = 0; i < 1000; i++)
		sbuf_addf(&sb, "%d,", i);
	ck_assert(str_starts_with(sb.buf, "0,1,2,"));
	ck_assert(str_ends_with(sb.buf, "998,999,"));
	ck_assert_uint_eq(strlen(sb.buf), sb.len);
	s = sbuf_detach(&sb);
	ck_assert_str_eq(sb.buf, "");
	free(s);
	s = sbuf_detach(&sb);	/* detaching an empty buffer gives "" */
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(sbuf_decimal_numbers)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addll(&sb, 0);
	sbuf_addch(&sb, ' ');
	sbuf_addll(&sb, -42);
	sbuf_addch(&sb, ' ');
	sbuf_addll(&sb, LLONG_MIN);
	sbuf_addch(&sb, ' ');
	sbuf_addll(&sb, LLONG_MAX);
	sbuf_addch(&sb, ' ');
	sbuf_addull(&sb, ULLONG_MAX);
	ck_assert_str_eq(sb.buf, "0 -42 -9223372036854775808 "
			 "9223372036854775807 18446744073709551615");
	sbuf_release(&sb);
}
END_TEST

START_TEST(arena_objects_zeroed_aligned_and_merged)
{
	struct arena a = ARENA_INIT, b = ARENA_INIT;
	char *strs[5000];
	char buf[32];

	/* Many blocks' worth, strings and objects mixed. */
	for (int i = 0; i < 5000; i++) {
		long *obj = arena_alloc(&a, 3 * sizeof(long));

		ck_assert_uint_eq((uintptr_t)obj % alignof(max_align_t), 0);
		ck_assert(obj[0] == 0 && obj[1] == 0 && obj[2] == 0);
		obj[0] = obj[1] = obj[2] = -1;
		snprintf(buf, sizeof(buf), "string %d", i);
		strs[i] = arena_strdup(&a, buf);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "string %d", i);
		ck_assert_str_eq(strs[i], buf);
	}
	/*
	 * Objects packed at their type's alignment (three of 24 bytes
	 * from a new block's start, which is any object's alignment), and
	 * one that needs more after them aligned for it: 8 bytes skipped.
	 */
	{
		struct arena c = ARENA_INIT;
		struct three { long x[3]; } *t[3];
		char *s;
		long *obj;

		for (int i = 0; i < 3; i++) {
			t[i] = ARENA_NEW(&c, struct three);
			ck_assert(!t[i]->x[0] && !t[i]->x[2]);
			t[i]->x[2] = -1;
		}
		for (int i = 1; i < 3; i++)
			ck_assert_uint_eq((uintptr_t)t[i] - (uintptr_t)t[i - 1],
					  sizeof(struct three));
		s = arena_strdup(&c, "odd");	/* the gap's end unaligned */
		obj = arena_alloc(&c, 1);
		ck_assert_uint_eq((uintptr_t)obj % alignof(max_align_t), 0);
		ck_assert_uint_eq((uintptr_t)obj - (uintptr_t)t[2],
				  sizeof(struct three) + sizeof(long));
		ck_assert_str_eq(s, "odd");
		ck_assert_int_eq(t[2]->x[2], -1);
		arena_release(&c);
	}
	/* Bigger than a block: a block of its own. */
	{
		size_t big = (size_t)8 << 20;
		unsigned char *p = arena_alloc(&b, big);

		ck_assert(p[0] == 0 && p[big - 1] == 0);
		memset(p, 0xab, big);
	}
	ck_assert_str_eq(arena_strndup(&b, "abcdef", 3), "abc");
	ck_assert_ptr_null(arena_strdup_or_null(&b, NULL));
	arena_merge(&a, &b);
	ck_assert_ptr_null(b.head);
	ck_assert_uint_ge(a.used, (size_t)8 << 20);
	ck_assert_str_eq(strs[4999], "string 4999");
	arena_release(&a);
	ck_assert_ptr_null(a.head);
	arena_release(&b);	/* empty: nothing to do */
}
END_TEST

START_TEST(sbuf_trim_both_ends)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, " \t hello world \r\n");
	sbuf_trim(&sb);
	ck_assert_str_eq(sb.buf, "hello world");
	ck_assert_uint_eq(sb.len, 11);
	sbuf_release(&sb);
}
END_TEST

START_TEST(sbuf_sanitizes_control_characters)
{
	struct sbuf sb = SBUF_INIT;
	const char evil[] = "a\x1b[2Jb\tc\x7f";

	sbuf_add_sanitized(&sb, evil, sizeof(evil) - 1);
	ck_assert_str_eq(sb.buf, "a^[[2Jb\tc^?");
	ck_assert_ptr_null(strchr(sb.buf, 0x1b));
	sbuf_reset(&sb);
	/* CSI as one UTF-8 character (U+009B), and a plain é. */
	sbuf_add_sanitized(&sb, "x\xc2\x9b" "2Jy\xc3\xa9", 8);
	ck_assert_str_eq(sb.buf, "x<U+009B>2Jy\xc3\xa9");
	sbuf_release(&sb);
}
END_TEST

/* sanitize(in) == want, and the result is all safe. */
static void assert_sanitized(const char *in, size_t len, const char *want)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_add_sanitized(&sb, in, len);
	ck_assert_str_eq(sb.buf, want);
	ck_assert_uint_eq(utf8_safe_prefix(sb.buf, sb.len), sb.len);
	sbuf_release(&sb);
}

#define SANITIZED(lit, want) assert_sanitized(lit, sizeof(lit) - 1, want)

START_TEST(sanitizer_c0_and_del_payloads)
{
	SANITIZED("\x1b]0;pwned\x07", "^[]0;pwned^G");	/* OSC title */
	SANITIZED("\x1b[8mhidden\x1b[0m", "^[[8mhidden^[[0m");
	SANITIZED("ok\bfake\r\nx", "ok^Hfake^M^Jx");
	SANITIZED("a\0b", "a^@b");		/* NUL inside len */
	SANITIZED("del\x7f", "del^?");
	SANITIZED("tab\tkept", "tab\tkept");
}
END_TEST

START_TEST(sanitizer_c1_payloads)
{
	SANITIZED("\xc2\x9b" "2J", "<U+009B>2J");	/* CSI */
	SANITIZED("\xc2\x9d" "0;t\xc2\x9c", "<U+009D>0;t<U+009C>"); /* OSC/ST */
	SANITIZED("x\xc2\x85y", "x<U+0085>y");		/* NEL */
	SANITIZED("\xc2\xa0\xc2\xa9", "\xc2\xa0\xc2\xa9");	/* not C1 */
}
END_TEST

START_TEST(sanitizer_bidi_payloads)
{
	/* Trojan Source: "access level" reads reversed in a terminal */
	SANITIZED("if \xe2\x80\xae" "x\xe2\x81\xa6", "if <U+202E>x<U+2066>");
	SANITIZED("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
		  "<U+202A><U+202B><U+202C><U+202D>");
	SANITIZED("\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
		  "<U+2067><U+2068><U+2069>");
	SANITIZED("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c",
		  "<U+200E><U+200F><U+061C>");
	/* Their neighbours are ordinary text. */
	SANITIZED("\xe2\x80\x94\xe2\x81\xa5\xd8\x9b",
		  "\xe2\x80\x94\xe2\x81\xa5\xd8\x9b");
}
END_TEST

START_TEST(sanitizer_invalid_utf8_payloads)
{
	SANITIZED("cut \xc3", "cut \\xc3");		/* cut by the end */
	SANITIZED("cut \xe2\x80", "cut \\xe2\\x80");
	SANITIZED("raw \x9b" "2J", "raw \\x9b2J");	/* 8-bit CSI */
	SANITIZED("\xc0\xaf\xe0\x80\xaf", "\\xc0\\xaf\\xe0\\x80\\xaf");
	SANITIZED("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* a surrogate */
	SANITIZED("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	SANITIZED("\xff\xfe" "ok", "\\xff\\xfeok");
	/* Valid characters of every length pass. */
	SANITIZED("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x90\x9d",
		  "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x90\x9d");
}
END_TEST

START_TEST(sanitizer_code_points_one_by_one)
{
	unsigned cp;

	ck_assert_uint_eq(utf8_decode("\xf0\x9f\x90\x9d", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1f41d);
	ck_assert_uint_eq(utf8_decode("\xf0\x9f\x90\x9d", 3, &cp), 0);
	ck_assert_uint_eq(cp, 0xf0);
	ck_assert_uint_eq(utf8_decode("", 0, &cp), 0);
	for (cp = 0; cp < 0x20; cp++)
		ck_assert_int_eq(utf8_is_safe(cp), cp == '\t');
	for (cp = 0x7f; cp <= 0x9f; cp++)
		ck_assert(!utf8_is_safe(cp));
	ck_assert(utf8_is_safe(' ') && utf8_is_safe('~'));
	ck_assert(utf8_is_safe(0xa0) && utf8_is_safe(0x1f41d));
	ck_assert(!utf8_is_safe(0x202e) && !utf8_is_safe(0x2069));
	ck_assert(utf8_is_safe(0x2029) && utf8_is_safe(0x206a));
	ck_assert_uint_eq(utf8_safe_prefix("ab\xc3\xa9\x1b", 5), 4);
}
END_TEST

/* Whatever the bytes, what comes out is safe (a fixed pseudo-random set). */
START_TEST(sanitizer_output_always_safe)
{
	struct sbuf sb = SBUF_INIT;
	unsigned long x = 12345;
	unsigned char buf[64];

	for (int round = 0; round < 20000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			buf[i] = (unsigned char)(x >> 56);
			/* bias towards UTF-8 lead and continuation bytes */
			if (i % 3 == 1)
				buf[i] |= 0x80;
		}
		sbuf_reset(&sb);
		sbuf_add_sanitized(&sb, (const char *)buf, sizeof(buf));
		ck_assert_uint_eq(utf8_safe_prefix(sb.buf, sb.len), sb.len);
		ck_assert_uint_eq(strlen(sb.buf), sb.len);
	}
	sbuf_release(&sb);
}
END_TEST

START_TEST(vec_strings_unique_ignoring_case)
{
	struct vec v = VEC_INIT;

	ck_assert_int_eq(vec_push_str_unique(&v, "bpf@vger.kernel.org"), 1);
	ck_assert_int_eq(vec_push_str_unique(&v, "BPF@vger.kernel.org"), 0);
	ck_assert_int_eq(vec_push_str_unique(&v, "netdev@vger.kernel.org"), 1);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_int_eq(vec_find_str(&v, "netdev@vger.kernel.org"), 1);
	ck_assert_int_eq(vec_find_str(&v, "nope"), -1);
	vec_release_str(&v);
	ck_assert_uint_eq(v.n, 0);
}
END_TEST

/*
 * Numbers sorted by the plain orders, the extremes too (a subtraction
 * would wrap), and a vector of them grown past its first allocation.
 */
START_TEST(vec_numbers_sorted_and_grown)
{
	uint64_t big[] = { UINT64_MAX, 0, 1ULL << 63, 5, UINT64_MAX - 1 };
	uint32_t small[] = { UINT32_MAX, 7, 0, 1U << 31 };
	struct vec_u32 v = { NULL, 0, 0 };

	qsort(big, 5, sizeof(*big), u64_cmp);
	ck_assert(big[0] == 0 && big[1] == 5 && big[2] == 1ULL << 63 &&
		  big[3] == UINT64_MAX - 1 && big[4] == UINT64_MAX);
	qsort(small, 4, sizeof(*small), u32_cmp);
	ck_assert(small[0] == 0 && small[1] == 7 && small[2] == 1U << 31 &&
		  small[3] == UINT32_MAX);
	for (uint32_t i = 0; i < 1000; i++)
		vec_u32_push(&v, 999 - i);
	ck_assert_uint_eq(v.n, 1000);
	ck_assert_uint_ge(v.alloc, 1000);
	qsort(v.v, v.n, sizeof(*v.v), u32_cmp);
	for (uint32_t i = 0; i < 1000; i++)
		ck_assert_uint_eq(v.v[i], i);
	free(v.v);
}
END_TEST

START_TEST(scan_maintainers_line)
{
	const char *p = "M:\tJane Doe <jane@example.org>\nnext";
	struct sbuf value = SBUF_INIT;
	char tag;

	ck_assert_int_eq(scan_char(&p, &tag) || scan_expect(&p, ':') ||
			 scan_skip_ws(&p) || scan_until_eol(&p, &value, 200),
			 0);
	ck_assert_int_eq(tag, 'M');
	ck_assert_str_eq(value.buf, "Jane Doe <jane@example.org>");
	ck_assert_str_eq(p, "next");
	sbuf_release(&value);
}
END_TEST

START_TEST(scan_fails_without_moving)
{
	const char *start = "v12x", *p = start;
	unsigned long n;
	struct sbuf out = SBUF_INIT;

	ck_assert_int_eq(scan_uint(&p, &n, 5), -1);
	ck_assert_ptr_eq(p, start);
	ck_assert_int_eq(scan_literal(&p, "V", 1), 0);
	ck_assert_ptr_eq(p, start + 1);
	ck_assert_int_eq(scan_uint(&p, &n, 1), -1);	/* too many digits */
	ck_assert_int_eq(scan_uint(&p, &n, 2), 0);
	ck_assert_uint_eq(n, 12);
	p = "a very long line";
	ck_assert_int_eq(scan_until_eol(&p, &out, 5), -1);
	sbuf_release(&out);
}
END_TEST

START_TEST(str_to_long_needs_whole_number)
{
	long v;

	ck_assert_int_eq(str_to_long("42", &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(str_to_long("42x", &v), -1);
	ck_assert_int_eq(str_to_long("", &v), -1);
	ck_assert_int_eq(str_to_long(" 1", &v), -1);
	ck_assert_int_eq(str_to_long("99999999999999999999999", &v), -1);
}
END_TEST

START_TEST(date_round_trip_and_weekday)
{
	long day;
	char buf[16];

	ck_assert_int_eq(date_parse_ymd("2024-11-17", &day), 0);
	date_format_ymd(day, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2024-11-17");
	ck_assert_int_eq(date_weekday(day), 0);	/* v6.12: a Sunday */
	ck_assert_int_eq(date_parse_ymd("1970-01-01", &day), 0);
	ck_assert_int_eq(day, 0);
	ck_assert_int_eq(date_parse_ymd("2011-07-21", &day), 0);
	ck_assert_int_eq(date_weekday(day), 4);	/* 3.0: a Thursday */
	ck_assert_int_eq(date_parse_ymd("2024-02-29", &day), 0);
	ck_assert_int_eq(date_parse_ymd("2023-02-29", &day), -1);
	ck_assert_int_eq(date_parse_ymd("2023-13-01", &day), -1);
	ck_assert_int_eq(date_parse_ymd("2023-1-01", &day), -1);
	ck_assert_int_eq(date_parse_ymd("2023-01-01x", &day), -1);
}
END_TEST

START_TEST(date_iso_format)
{
	char buf[32];

	date_format_iso(1746234475, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2025-05-03T01:07:55Z");
}
END_TEST

START_TEST(business_days_skip_weekends)
{
	long fri, mon, wed;
	time_t t_fri, t_mon, t_wed;

	ck_assert(!date_parse_ymd("2025-05-02", &fri));	/* a Friday */
	ck_assert(!date_parse_ymd("2025-05-05", &mon));
	ck_assert(!date_parse_ymd("2025-05-07", &wed));
	t_fri = fri * 86400 + 3600 * 18;
	t_mon = mon * 86400 + 3600 * 9;
	t_wed = wed * 86400;
	ck_assert_int_eq(date_business_days(t_fri, t_mon), 1);
	ck_assert_int_eq(date_business_days(t_fri, t_wed), 3);
	ck_assert_int_eq(date_business_days(t_fri, t_fri + 3600), 0);
	ck_assert_int_eq(date_business_days(t_mon, t_fri), 0);
	/* Four weeks from a Friday: twenty business days. */
	ck_assert_int_eq(date_business_days(t_fri, t_fri + 28 * 86400), 20);
	/* Saturday to Sunday: none. */
	ck_assert_int_eq(date_business_days(t_fri + 86400, t_fri + 2 * 86400),
			 0);
}
END_TEST

START_TEST(fs_atomic_write_replaces_whole_file)
{
	char *dir = t_tmpdir();
	char *path = path_join(dir, "a/b/file");
	char *sub = path_join(dir, "a/b");
	struct err err = ERR_INIT;
	char *got;

	ck_assert_int_eq(fs_mkdir_p(sub, &err), 0);
	ck_assert_int_eq(fs_write_atomic(path, "one", 3, &err), 0);
	ck_assert_int_eq(fs_write_atomic(path, "two!", 4, &err), 0);
	got = t_read_file(path);
	ck_assert_str_eq(got, "two!");
	free(got);
	ck_assert_int_lt(fs_write_atomic("/nonexistent-dir/x", "x", 1, &err),
			 0);
	ck_assert_int_eq(err.code, ERR_IO);
	ck_assert(strstr(err.msg, "/nonexistent-dir/x") != NULL);
	free(path);
	free(sub);
	ck_assert(fs_is_dir(dir));
	t_rmtree(xstrdup_or_null(dir));
	ck_assert(!fs_exists(dir));
	free(dir);
}
END_TEST

START_TEST(fs_atomic_stream_commit_and_abort)
{
	char *dir = t_tmpdir();
	char *path = path_join(dir, "out");
	struct fs_atomic a;
	struct err err = ERR_INIT;
	char *got;
	const char *argv[] = { "ls", "-A", dir, NULL };
	struct sbuf ls = SBUF_INIT;

	t_write_file(path, "old\n");
	ck_assert_int_eq(fs_atomic_begin(&a, path, &err), 0);
	fprintf(a.f, "new %d\n", 1);
	/* Until the commit, readers see the old file. */
	got = t_read_file(path);
	ck_assert_str_eq(got, "old\n");
	free(got);
	ck_assert_int_eq(fs_atomic_commit(&a, &err), 0);
	got = t_read_file(path);
	ck_assert_str_eq(got, "new 1\n");
	free(got);
	ck_assert_int_eq(fs_atomic_begin(&a, path, &err), 0);
	fprintf(a.f, "half");
	fs_atomic_abort(&a);
	got = t_read_file(path);
	ck_assert_str_eq(got, "new 1\n");
	free(got);
	/* No temporary file is left behind. */
	ck_assert_int_eq(t_run(argv, NULL, NULL, &ls, NULL), 0);
	ck_assert_str_eq(ls.buf, "out\n");
	ck_assert_int_lt(fs_atomic_begin(&a, "/nonexistent/x", &err), 0);
	ck_assert(strstr(err.msg, "/nonexistent/x") != NULL);
	sbuf_release(&ls);
	free(path);
	t_rmtree(dir);
}
END_TEST

/*
 * A full disk under the writers every file of vger's goes through (the
 * model cache, the send record, am's mbox, a stored cover letter): the
 * old file is kept whole, nothing else is left, and the error names the
 * file and says "No space left on device".
 */
START_TEST(fs_writers_on_a_full_disk_keep_the_old_file)
{
	char *dir = t_tmpdir(), *disk = path_join(dir, "disk");
	char *path = path_join(disk, "cache"), *got;
	const char *why = t_small_fs(disk);
	const char *argv[] = { "ls", "-A", disk, NULL };
	struct sbuf big = SBUF_INIT, ls = SBUF_INIT, msg = SBUF_INIT;
	struct err err = ERR_INIT;
	struct fs_atomic a;

	if (why) {
		printf("SKIP: fs_writers_on_a_full_disk_keep_the_old_file: "
		       "%s\n", why);
		goto out;
	}
	t_write_file(path, "old\n");
	t_fill_fs(disk);
	for (int i = 0; i < 20000; i++)
		sbuf_addstr(&big, "a line of the new file\n");
	sbuf_addf(&msg, "%s: No space left on device", path);
	ck_assert_int_lt(fs_write_atomic(path, big.buf, big.len, &err), 0);
	ck_assert_int_eq(err.code, ERR_IO);
	ck_assert_msg(strstr(err.msg, msg.buf), "%s", err.msg);
	ck_assert_int_eq(fs_atomic_begin(&a, path, &err), 0);
	fputs(big.buf, a.f);
	ck_assert_int_lt(fs_atomic_commit(&a, &err), 0);
	ck_assert_msg(strstr(err.msg, msg.buf), "%s", err.msg);
	got = t_read_file(path);
	ck_assert_str_eq(got, "old\n");
	free(got);
	ck_assert_int_eq(t_run(argv, NULL, NULL, &ls, NULL), 0);
	ck_assert_str_eq(ls.buf, ".filler\ncache\n");
	t_unmount(disk);
out:
	sbuf_release(&big);
	sbuf_release(&ls);
	sbuf_release(&msg);
	free(path);
	free(disk);
	t_rmtree(dir);
}
END_TEST

START_TEST(read_file_refuses_oversized_input)
{
	char *dir = t_tmpdir();
	char *path = path_join(dir, "big");
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	t_write_file(path, "0123456789");
	ck_assert_int_lt(sbuf_read_file(&sb, path, 4, &err), 0);
	ck_assert_int_eq(err.code, ERR_NOMEM);
	ck_assert(strstr(err.msg, path) != NULL);
	sbuf_reset(&sb);
	ck_assert_int_eq(sbuf_read_file(&sb, path, 10, &err), 0);
	ck_assert_str_eq(sb.buf, "0123456789");
	/* A regular file read in one read() is appended, ended. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "x");
	ck_assert_int_eq(sbuf_read_file(&sb, path, 11, &err), 0);
	ck_assert_str_eq(sb.buf, "x0123456789");
	ck_assert_uint_eq(sb.len, 11);
	/* The limit is on what the buffer holds, as it always was. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "x");
	ck_assert_int_eq(sbuf_read_file(&sb, path, 10, &err), -ERR_NOMEM);
	sbuf_reset(&sb);
	ck_assert_int_eq(sbuf_read_file(&sb, "/no/such", 10, &err),
			 -ERR_NOTFOUND);
	sbuf_release(&sb);
	free(path);
	t_rmtree(dir);
}
END_TEST

START_TEST(err_prefix_keeps_code)
{
	struct err e = ERR_INIT;

	ck_assert_int_eq(err_set(&e, ERR_PARSE, "bad line %d", 7), -ERR_PARSE);
	ck_assert_int_eq(err_prefix(&e, "MAINTAINERS:%d", 7), -ERR_PARSE);
	ck_assert_str_eq(e.msg, "MAINTAINERS:7: bad line 7");
	ck_assert_int_eq(err_set(NULL, ERR_IO, "ignored"), -ERR_IO);
}
END_TEST

/* Files vger keeps are read only when they are files, never waited on. */
START_TEST(read_regular_refuses_fifos_devices_and_directories)
{
	char *dir = t_tmpdir();
	char *fifo = path_join(dir, "fifo"), *file = path_join(dir, "file");
	char *missing = path_join(dir, "missing");
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;
	int fd;

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	t_write_file(file, "text\n");
	ck_assert_int_eq(sbuf_read_regular(&sb, fifo, 100, &err), -ERR_IO);
	ck_assert_msg(strstr(err.msg, "is a FIFO, not a file"), "%s", err.msg);
	ck_assert_int_eq(fs_open_regular(fifo, O_WRONLY | O_APPEND, &err),
			 -ERR_IO);
	ck_assert_msg(strstr(err.msg, "is a FIFO, not a file"), "%s", err.msg);
	ck_assert_int_eq(sbuf_read_regular(&sb, "/dev/zero", 100, &err),
			 -ERR_IO);
	ck_assert_msg(strstr(err.msg, "is a device"), "%s", err.msg);
	ck_assert_int_eq(sbuf_read_regular(&sb, dir, 100, &err), -ERR_IO);
	ck_assert_msg(strstr(err.msg, "is a directory"), "%s", err.msg);
	ck_assert_int_eq(sbuf_read_regular(&sb, missing, 100, &err),
			 -ERR_NOTFOUND);
	ck_assert_int_eq(sbuf_read_regular(&sb, file, 100, &err), 0);
	ck_assert_str_eq(sb.buf, "text\n");
	/* the descriptor blocks again, as an ordinary one */
	fd = fs_open_regular(file, O_RDONLY, &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	sbuf_release(&sb);
	free(fifo);
	free(file);
	free(missing);
	t_rmtree(dir);
}
END_TEST

/* fs_stat_regular(): the kind said as fs_open_regular() says it. */
START_TEST(stat_regular_names_what_is_there)
{
	char *dir = t_tmpdir();
	char *path = path_join(dir, "f");
	struct err err = ERR_INIT;
	struct stat st;
	struct sbuf says = SBUF_INIT;

	ck_assert_int_eq(fs_stat_regular(path, &st, &err), -ERR_NOTFOUND);
	for (size_t k = 0; t_special_kinds[k]; k++) {
		t_special_plant(path, t_special_kinds[k]);
		ck_assert_int_eq(fs_stat_regular(path, &st, &err), -ERR_IO);
		sbuf_reset(&says);
		sbuf_addf(&says, "%s is %s, not a file", path,
			  t_special_what(t_special_kinds[k]));
		ck_assert_str_eq(err.msg, says.buf);
		t_special_intact(path, t_special_kinds[k]);
	}
	ck_assert_int_eq(fs_rm_rf(path), 0);
	t_write_file(path, "text\n");
	ck_assert_int_eq(fs_stat_regular(path, &st, &err), 0);
	ck_assert_int_eq(st.st_size, 5);
	sbuf_release(&says);
	free(path);
	t_rmtree(dir);
}
END_TEST

struct lines_seen {
	struct sbuf all;
	volatile sig_atomic_t stop;
	const char *stop_at;
};

static void on_line(const char *line, void *data)
{
	struct lines_seen *seen = data;

	sbuf_addf(&seen->all, "[%s]", line);
	if (seen->stop_at && !strcmp(line, seen->stop_at))
		seen->stop = 1;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
		(now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * What a program says on stderr about input from mail (git apply naming
 * a patch's files) is kept from the terminal with errout: the caller
 * gets it, this process's stderr gets nothing (issue 10).
 */
START_TEST(run_capture_keeps_stderr_from_the_terminal)
{
	const char *const argv[] = { "sh", "-c",
		"echo out; printf 'error: \\033]0;owned\\007 \\342\\200\\256"
		"\\n'; printf 'x%.0s' $(seq 70000) >&2; exit 3", NULL };
	const char *const say[] = { "sh", "-c",
		"echo out; printf 'error: \\033]0;owned\\007\\n' >&2; "
		"exit 3", NULL };
	struct sbuf out = SBUF_INIT, said = SBUF_INIT;
	struct run_options o = { NULL, 0, 0, &said };
	struct err err = ERR_INIT;
	char *dir = t_tmpdir(), *path = path_join(dir, "stderr");
	int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC,
				      0600);
	char *seen;

	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(fd, 0);
	/* our stderr is a file for the test: what reaches it is seen */
	ck_assert_int_eq(dup2(fd, 2), 2);
	close(fd);
	ck_assert_int_eq(run_capture(say, &o, &out, &err), 3);
	ck_assert_str_eq(out.buf, "out\n");
	ck_assert_str_eq(said.buf, "error: \x1b]0;owned\a\n");
	/* more than RUN_ERROUT_MAX: cut, neither blocked nor an error */
	sbuf_reset(&out);
	sbuf_reset(&said);
	ck_assert_int_eq(run_capture(argv, &o, &out, &err), 3);
	ck_assert_uint_eq(said.len, RUN_ERROUT_MAX);
	/* without errout, stderr is where it always was */
	o.errout = NULL;
	ck_assert_int_eq(run_capture(say, &o, &out, &err), 3);
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	seen = t_read_file(path);
	ck_assert_str_eq(seen, "error: \x1b]0;owned\a\n");
	free(seen);
	free(path);
	t_rmtree(dir);
	sbuf_release(&out);
	sbuf_release(&said);
}
END_TEST

START_TEST(run_lines_hands_over_each_line_in_order)
{
	const char *const argv[] = { "sh", "-c",
		"printf 'one\\ntwo\\r\\n'; echo err >&2; printf three; "
		"exit 3", NULL };
	const char *const missing[] = { "vger-no-such-program", NULL };
	struct lines_seen seen = { SBUF_INIT, 0, NULL };
	struct run_lines_options o = { NULL, on_line, &seen, NULL, NULL };
	struct err err = ERR_INIT;

	ck_assert_int_eq(run_lines(argv, &o, &err), 3);
	ck_assert_str_eq(seen.all.buf, "[one][two][err][three]");
	ck_assert_int_lt(run_lines(missing, &o, &err), 0);
	ck_assert(strstr(err.msg, "vger-no-such-program") != NULL);
	sbuf_release(&seen.all);
}
END_TEST

START_TEST(run_lines_cuts_a_long_line_in_pieces)
{
	const char *const argv[] = { "sh", "-c",
		"head -c 5000 /dev/zero | tr '\\0' x; echo", NULL };
	struct lines_seen seen = { SBUF_INIT, 0, NULL };
	struct run_lines_options o = { NULL, on_line, &seen, NULL, NULL };
	struct err err = ERR_INIT;

	ck_assert_int_eq(run_lines(argv, &o, &err), 0);
	/* 4096 x, then the other 904: two lines, nothing lost. */
	ck_assert_uint_eq(seen.all.len, 5000 + 4);
	ck_assert(strstr(seen.all.buf, "][") == seen.all.buf + 4097);
	sbuf_release(&seen.all);
}
END_TEST

START_TEST(run_lines_stops_the_program_when_asked)
{
	const char *const argv[] = { "sh", "-c",
		"echo started; exec sleep 60", NULL };
	struct lines_seen seen = { SBUF_INIT, 0, "started" };
	struct run_lines_options o = { NULL, on_line, &seen, &seen.stop,
				       NULL };
	struct err err = ERR_INIT;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(run_lines(argv, &o, &err), 128 + SIGINT);
	ck_assert_int_lt(elapsed_ms(&t0), 5000);
	ck_assert_str_eq(seen.all.buf, "[started]");
	sbuf_release(&seen.all);
}
END_TEST

/* A watchdog that gives up at its third look. */
static int third_tick(void *data)
{
	int *ticks = data;

	return ++*ticks >= 3;
}

static void count_line(const char *line, void *data)
{
	(void)line;
	(void)data;
}

START_TEST(run_lines_stops_the_program_when_the_tick_says)
{
	const char *const argv[] = { "sh", "-c", "exec sleep 60", NULL };
	const char *const quick[] = { "true", NULL };
	int ticks = 0;
	struct run_lines_options o = { NULL, count_line, &ticks, NULL,
				       third_tick };
	struct err err = ERR_INIT;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(run_lines(argv, &o, &err), 128 + SIGINT);
	ck_assert_int_lt(elapsed_ms(&t0), 5000);
	/* Looked at until it said stop, not after. */
	ck_assert_int_eq(ticks, 3);
	/* A program that ends first is not stopped. */
	ticks = -1000;
	ck_assert_int_eq(run_lines(quick, &o, &err), 0);
}
END_TEST

START_TEST(run_lines_reads_what_comes_after_the_end)
{
	/* A daemon the program starts writes on after it ended. */
	const char *const argv[] = { "sh", "-c",
		"(sleep 1; echo late) & echo bye", NULL };
	struct lines_seen seen = { SBUF_INIT, 0, NULL };
	struct run_lines_options o = { NULL, on_line, &seen, NULL, NULL };
	struct err err = ERR_INIT;

	ck_assert_int_eq(run_lines(argv, &o, &err), 0);
	ck_assert_str_eq(seen.all.buf, "[bye][late]");
	sbuf_release(&seen.all);
}
END_TEST

START_TEST(run_lines_stop_ends_the_wait_for_a_daemon)
{
	const char *const argv[] = { "sh", "-c",
		"(sleep 10; echo late) & echo bye", NULL };
	struct lines_seen seen = { SBUF_INIT, 0, "bye" };
	struct run_lines_options o = { NULL, on_line, &seen, &seen.stop,
				       NULL };
	struct err err = ERR_INIT;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The shell may not have ended yet when "bye" comes: SIGINT. */
	rc = run_lines(argv, &o, &err);
	ck_assert(rc == 0 || rc == 128 + SIGINT);
	ck_assert_int_lt(elapsed_ms(&t0), 5000);
	ck_assert_str_eq(seen.all.buf, "[bye]");
	sbuf_release(&seen.all);
}
END_TEST

START_TEST(run_lines_stop_waits_a_little_for_a_daemon)
{
	/*
	 * lei's daemon, its client stopped: its writers end soon after,
	 * and what they write must be there when run_lines() returns.
	 */
	const char *const argv[] = { "sh", "-c",
		"(sleep 1; echo later) & echo bye", NULL };
	struct lines_seen seen = { SBUF_INIT, 0, "bye" };
	struct run_lines_options o = { NULL, on_line, &seen, &seen.stop,
				       NULL };
	struct err err = ERR_INIT;

	run_lines(argv, &o, &err);
	ck_assert_str_eq(seen.all.buf, "[bye][later]");
	sbuf_release(&seen.all);
}
END_TEST

/* Is a library whose file name starts so mapped into this process? */
static int lib_mapped(const char *name)
{
	struct sbuf maps = SBUF_INIT;
	int found;

	ck_assert_int_eq(sbuf_read_file(&maps, "/proc/self/maps", 16 << 20,
					 NULL), 0);
	found = strstr(maps.buf, name) != NULL;
	sbuf_release(&maps);
	return found;
}

static int curl_mapped(void)
{
	return lib_mapped("/libcurl");
}

/*
 * libgit2 is loaded by the first call of one of its functions
 * (util/git2.c), which then answer as libgit2 does: its version, an
 * error and its message.
 */
START_TEST(git2_loads_on_first_use)
{
	int major = 0, minor = 0, rev = 0;
	git_repository *repo = NULL;
	char *dir = t_tmpdir();
	const git_error *e;

	ck_assert_msg(!lib_mapped("/libgit2"), "libgit2 mapped before use");
	ck_assert_int_eq(git_libgit2_version(&major, &minor, &rev), 0);
	ck_assert(lib_mapped("/libgit2"));
	ck_assert(major > 1 || (major == 1 && minor >= 5));
	ck_assert_int_gt(git_libgit2_init(), 0);
	ck_assert_int_lt(git_repository_open(&repo, dir), 0);
	e = git_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(e->message && *e->message, "no message");
	ck_assert_ptr_null(repo);
	git_libgit2_shutdown();
	t_rmtree(dir);
}
END_TEST

static size_t swallow(char *p, size_t size, size_t n, void *data)
{
	(void)p;
	(void)data;
	return size * n;
}

START_TEST(curl_loads_on_first_use)
{
	static int mine;
	void *back = NULL;
	CURLcode rc;
	char *esc;
	CURL *c;

	ck_assert_msg(!curl_mapped(), "libcurl mapped before any use");
	ck_assert_ptr_null(util_curl_error());
	ck_assert(curl_mapped());
	ck_assert(str_starts_with(curl_version(), "libcurl/"));
	c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	/* Each kind of argument reaches libcurl as libcurl reads it. */
	ck_assert_int_eq(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1500L),
			 CURLE_OK);
	ck_assert_int_eq(curl_easy_setopt(c, CURLOPT_URL, "http://[::1]:9/"),
			 CURLE_OK);
	ck_assert_int_eq(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, swallow),
			 CURLE_OK);
	ck_assert_int_eq(curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
					  (curl_off_t)1 << 40), CURLE_OK);
	rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,nonsense");
	ck_assert_int_ne(rc, CURLE_OK);
	ck_assert_int_eq(curl_easy_setopt(c, CURLOPT_PRIVATE, &mine),
			 CURLE_OK);
	ck_assert_int_eq(curl_easy_getinfo(c, CURLINFO_PRIVATE, &back),
			 CURLE_OK);
	ck_assert_ptr_eq(back, &mine);
	esc = curl_easy_escape(c, "a b/c", 0);
	ck_assert_str_eq(esc, "a%20b%2Fc");
	curl_free(esc);
	ck_assert_str_eq(curl_easy_strerror(CURLE_OK), "No error");
	curl_easy_cleanup(c);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sbuf_starts_empty_and_grows);
	tcase_add_test(tc, sbuf_trim_both_ends);
	tcase_add_test(tc, sbuf_decimal_numbers);
	tcase_add_test(tc, arena_objects_zeroed_aligned_and_merged);
	tcase_add_test(tc, sbuf_sanitizes_control_characters);
	tcase_add_test(tc, sanitizer_c0_and_del_payloads);
	tcase_add_test(tc, sanitizer_c1_payloads);
	tcase_add_test(tc, sanitizer_bidi_payloads);
	tcase_add_test(tc, sanitizer_invalid_utf8_payloads);
	tcase_add_test(tc, sanitizer_code_points_one_by_one);
	tcase_add_test(tc, sanitizer_output_always_safe);
	tcase_add_test(tc, vec_strings_unique_ignoring_case);
	tcase_add_test(tc, vec_numbers_sorted_and_grown);
	tcase_add_test(tc, git2_loads_on_first_use);
	tcase_add_test(tc, scan_maintainers_line);
	tcase_add_test(tc, scan_fails_without_moving);
	tcase_add_test(tc, str_to_long_needs_whole_number);
	tcase_add_test(tc, date_round_trip_and_weekday);
	tcase_add_test(tc, date_iso_format);
	tcase_add_test(tc, business_days_skip_weekends);
	tcase_add_test(tc, fs_atomic_write_replaces_whole_file);
	tcase_add_test(tc, fs_atomic_stream_commit_and_abort);
	tcase_add_test(tc, fs_writers_on_a_full_disk_keep_the_old_file);
	tcase_add_test(tc, read_file_refuses_oversized_input);
	tcase_add_test(tc, read_regular_refuses_fifos_devices_and_directories);
	tcase_add_test(tc, stat_regular_names_what_is_there);
	tcase_add_test(tc, err_prefix_keeps_code);
	tcase_add_test(tc, run_capture_keeps_stderr_from_the_terminal);
	tcase_add_test(tc, run_lines_hands_over_each_line_in_order);
	tcase_add_test(tc, run_lines_cuts_a_long_line_in_pieces);
	tcase_add_test(tc, run_lines_stops_the_program_when_asked);
	tcase_add_test(tc, run_lines_stops_the_program_when_the_tick_says);
	tcase_add_test(tc, run_lines_reads_what_comes_after_the_end);
	tcase_add_test(tc, run_lines_stop_ends_the_wait_for_a_daemon);
	tcase_add_test(tc, run_lines_stop_waits_a_little_for_a_daemon);
	tcase_add_test(tc, curl_loads_on_first_use);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(util_suite());
}
