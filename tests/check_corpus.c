/*
 * The corpus generator: exact counts, determinism, messages that GMime
 * and notmuch read as the generator says, and bot notices and pull
 * requests in the structure of the real ones (tests/fixtures/corpus).
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "corpus/corpus.h"
#include "tests/testlib.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/*
 * Generate (bpf traffic, netdev's mixed in when netdev) into a new
 * temporary directory; the caller t_rmtree()s it.
 */
static char *generate_mix(unsigned long seed, size_t n, int netdev,
			  struct corpus_stats *st)
{
	struct corpus_options o;
	struct err err = ERR_INIT;
	char *dir = t_tmpdir();
	char *out = path_join(dir, "corpus");

	corpus_options_init(&o);
	o.seed = seed;
	o.messages = n;
	o.outdir = out;
	o.netdev = netdev;
	ck_assert_msg(corpus_generate(&o, st, &err) == 0, "%s", err.msg);
	free(out);
	return dir;
}

static char *generate(unsigned long seed, size_t n, struct corpus_stats *st)
{
	return generate_mix(seed, n, 0, st);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Paths of the files in root/corpus/cur, sorted by name. */
static void list_messages(const char *root, struct vec *out)
{
	struct sbuf p = SBUF_INIT;
	DIR *d;
	struct dirent *de;

	sbuf_addf(&p, "%s/corpus/cur", root);
	d = opendir(p.buf);
	ck_assert_msg(d != NULL, "%s", p.buf);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			struct sbuf f = SBUF_INIT;

			sbuf_addf(&f, "%s/%s", p.buf, de->d_name);
			vec_push(out, sbuf_detach(&f));
		}
	closedir(d);
	vec_sort(out, name_cmp);
	sbuf_release(&p);
}

static const char *body_of(const char *text)
{
	const char *b = strstr(text, "\n\n");

	ck_assert_ptr_nonnull(b);
	return b + 2;
}

/* The value of header name (unfolded) in text, or NULL; caller frees. */
static char *header(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *end = strstr(text, "\n\n");

	for (const char *p = text; p && p < end; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			struct sbuf v = SBUF_INIT;

			p += n + 1;
			while (*p) {
				const char *e = strchr(p, '\n');

				sbuf_add(&v, p, (size_t)(e - p));
				if (e[1] != ' ' && e[1] != '\t')
					break;
				p = e + 1;
			}
			sbuf_trim(&v);
			return sbuf_detach(&v);
		}
	}
	return NULL;
}

/* The number a maildir file name starts with (its date). */
static int str_to_long_prefix(const char *name, long *out)
{
	char *num = xstrndup(name, strcspn(name, "."));
	int ret = str_to_long(num, out);

	free(num);
	return ret;
}

/* ---------------------------------------------------------------- */

/*
 * Assert that corpora d1 and d2 hold the same n files; return how many
 * of them differ from the files of other (NULL: none compared).
 */
static size_t assert_same_files(const char *d1, const char *d2,
				const char *other, size_t n)
{
	struct vec f1 = VEC_INIT, f2 = VEC_INIT, f3 = VEC_INIT;
	size_t differ = 0;

	list_messages(d1, &f1);
	list_messages(d2, &f2);
	if (other)
		list_messages(other, &f3);
	ck_assert_uint_eq(f1.n, n);
	ck_assert_uint_eq(f2.n, n);
	for (size_t i = 0; i < f1.n; i++) {
		char *x = t_read_file(f1.items[i]);
		char *y = t_read_file(f2.items[i]);

		ck_assert_str_eq(strrchr(f1.items[i], '/'),
				 strrchr(f2.items[i], '/'));
		ck_assert_msg(!strcmp(x, y), "%s differs", (char *)f1.items[i]);
		if (i < f3.n) {
			char *z = t_read_file(f3.items[i]);

			differ += strcmp(x, z) != 0;
			free(z);
		}
		free(x);
		free(y);
	}
	vec_release(&f1, free);
	vec_release(&f2, free);
	vec_release(&f3, free);
	return differ;
}

START_TEST(same_seed_gives_identical_files)
{
	struct corpus_stats a, b, c;
	char *d1 = generate(7, 300, &a), *d2 = generate(7, 300, &b);
	char *d3 = generate(8, 300, &c);
	size_t differ;

	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
	differ = assert_same_files(d1, d2, d3, 300);
	/* another seed is another corpus */
	ck_assert_uint_gt(differ, 250);
	t_rmtree(d1);
	t_rmtree(d2);
	t_rmtree(d3);
}
END_TEST

/* With an end day, the same corpus moved by whole weeks to end by it. */
START_TEST(end_moves_the_corpus_by_weeks)
{
	const time_t week = 7 * 86400;
	struct corpus_options o;
	struct corpus_stats a, b;
	struct err err = ERR_INIT;
	char *d1 = generate(3, 200, &a), *d2 = t_tmpdir();
	char *out = path_join(d2, "corpus");
	time_t end = a.last_date + 40 * week + 3 * 86400, shift;
	struct vec f1 = VEC_INIT, f2 = VEC_INIT;

	corpus_options_init(&o);
	o.seed = 3;
	o.messages = 200;
	o.outdir = out;
	o.end = end;
	ck_assert_msg(corpus_generate(&o, &b, &err) == 0, "%s", err.msg);
	ck_assert_int_le(b.last_date, end);
	ck_assert_int_gt(b.last_date, end - week);
	shift = b.last_date - a.last_date;
	ck_assert_int_eq(shift % week, 0);
	ck_assert_int_eq(b.first_date - a.first_date, shift);
	ck_assert_uint_eq(a.series, b.series);
	ck_assert_uint_eq(a.pulls, b.pulls);
	/* The same messages in the same order (subjects of pull requests
	 * carry their day, so the authors are compared). */
	list_messages(d1, &f1);
	list_messages(d2, &f2);
	ck_assert_uint_eq(f1.n, f2.n);
	for (size_t i = 0; i < f1.n; i++) {
		char *x = t_read_file(f1.items[i]);
		char *y = t_read_file(f2.items[i]);
		char *dx = header(x, "From"), *dy = header(y, "From");

		ck_assert_str_eq(dx, dy);
		free(dx);
		free(dy);
		free(x);
		free(y);
	}
	/* An end before the corpus's own end changes nothing. */
	o.end = a.first_date;
	t_rmtree(d2);
	d2 = t_tmpdir();
	free(out);
	out = path_join(d2, "corpus");
	o.outdir = out;
	ck_assert_msg(corpus_generate(&o, &b, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(b.last_date, a.last_date);
	vec_release(&f1, free);
	vec_release(&f2, free);
	free(out);
	t_rmtree(d1);
	t_rmtree(d2);
}
END_TEST

START_TEST(message_count_is_exact)
{
	static const size_t sizes[] = { 1, 2, 3, 17, 39, 40, 41, 199, 200,
					 257, 1001 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct corpus_stats st;
		struct vec files = VEC_INIT;
		char *d = generate(i + 1, sizes[i], &st);

		list_messages(d, &files);
		ck_assert_uint_eq(files.n, sizes[i]);
		ck_assert_uint_eq(st.messages, sizes[i]);
		ck_assert_uint_le(st.unique_messages, st.messages);
		ck_assert_uint_eq(st.messages - st.unique_messages,
				  st.broken[CORPUS_BROKEN_DUPLICATE]);
		vec_release(&files, free);
		t_rmtree(d);
	}
}
END_TEST

START_TEST(small_corpus_has_every_kind)
{
	struct corpus_stats st;
	char *d = generate(1, 200, &st);

	for (int i = 0; i < CORPUS_BROKEN_MAX; i++)
		ck_assert_msg(st.broken[i] >= 1, "no %s case",
			      corpus_broken_name(i));
	ck_assert_uint_ge(st.series, 8);
	ck_assert_uint_gt(st.versions, st.series);
	ck_assert_uint_ge(st.rfc_versions, 1);
	ck_assert_uint_ge(st.fixes, 1);
	ck_assert_uint_ge(st.acked_by, 1);
	ck_assert_uint_ge(st.reviewed_by, 1);
	ck_assert_uint_ge(st.tested_by, 1);
	ck_assert_uint_ge(st.pw_bot_cr, 1);
	ck_assert_uint_ge(st.pw_bot_defer, 1);
	ck_assert_uint_ge(st.applied, 1);
	ck_assert_uint_ge(st.pulls, 1);
	ck_assert_uint_eq(st.bot_notices, st.applied + st.pulls);
	ck_assert_uint_ge(st.discussions, 1);
	t_rmtree(d);
}
END_TEST

static void gmime_once(void)
{
	static int done;

	if (!done)
		g_mime_init();
	done = 1;
}

static int has_list(InternetAddressList *l, const char *addr)
{
	int n = l ? internet_address_list_length(l) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a) &&
		    !strcmp(internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(a)), addr))
			return 1;
	}
	return 0;
}

START_TEST(every_file_parses_as_a_message)
{
	struct corpus_stats st;
	char *d = generate(3, 400, &st);
	struct vec files = VEC_INIT;
	size_t patches = 0, in_order = 0;
	time_t start = (time_t)date_from_civil(2025, 1, 6) * 86400;

	gmime_once();
	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		const char *path = files.items[i];
		GMimeStream *s = g_mime_stream_fs_open(path, O_RDONLY, 0,
						       NULL);
		GMimeParser *p;
		GMimeMessage *m;
		GDateTime *dt;
		InternetAddressList *from;
		const char *subj, *id;

		ck_assert_msg(s != NULL, "%s", path);
		p = g_mime_parser_new_with_stream(s);
		m = g_mime_parser_construct_message(p, NULL);
		ck_assert_msg(m != NULL, "%s does not parse", path);
		id = g_mime_message_get_message_id(m);
		subj = g_mime_message_get_subject(m);
		dt = g_mime_message_get_date(m);
		from = g_mime_message_get_from(m);
		ck_assert_msg(id && *id, "%s: no Message-ID", path);
		ck_assert_msg(subj && *subj, "%s: no Subject", path);
		ck_assert_msg(!strchr(subj, '\n'), "%s: folded subject", path);
		ck_assert_msg(dt != NULL, "%s: no Date", path);
		ck_assert_msg(g_date_time_to_unix(dt) >= start, "%s", path);
		ck_assert_msg(from && internet_address_list_length(from) == 1,
			      "%s: From", path);
		ck_assert_msg(has_list(g_mime_message_get_to(m),
				       "bpf@vger.kernel.org") ||
			      has_list(g_mime_message_get_cc(m),
				       "bpf@vger.kernel.org"),
			      "%s: not to the bpf list", path);
		if (strstr(subj, "PATCH") && !str_starts_with(subj, "Re:"))
			patches++;
		/* the file name starts with the message's date */
		{
			long t;
			char *base = xstrdup(strrchr(path, '/') + 1);

			*strchr(base, '.') = '\0';
			ck_assert(!str_to_long(base, &t));
			in_order += t == (long)g_date_time_to_unix(dt);
			free(base);
		}
		g_object_unref(m);
		g_object_unref(p);
		g_object_unref(s);
	}
	ck_assert_uint_eq(in_order, files.n);
	ck_assert_uint_eq(patches, st.covers + st.patches +
			  st.broken[CORPUS_BROKEN_DUPLICATE]);
	vec_release(&files, free);
	t_rmtree(d);
}
END_TEST

START_TEST(non_ascii_names_are_rfc2047)
{
	/* a corpus big enough that every contributor writes */
	struct corpus_stats st;
	char *d = generate(5, 1500, &st);
	struct vec files = VEC_INIT;
	size_t seen = 0;

	gmime_once();
	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		char *text = t_read_file(files.items[i]);
		char *from = header(text, "From");
		const char *end = strstr(text, "\n\n");

		for (const char *p = text; p < end; p++)
			ck_assert_msg((unsigned char)*p < 0x80,
				      "%s: 8-bit header",
				      (char *)files.items[i]);
		if (strstr(from, "=?UTF-8?q?J=C3=B6rg_Lindqvist?=")) {
			char *dec = g_mime_utils_header_decode_phrase(NULL,
								      from);

			ck_assert_str_eq(dec, "J\xc3\xb6rg Lindqvist "
					 "<jorg.lindqvist@example.org>");
			g_free(dec);
			seen++;
		}
		free(from);
		free(text);
	}
	ck_assert_uint_gt(seen, 0);
	vec_release(&files, free);
	t_rmtree(d);
}
END_TEST

/* ---------------------------------------------------------------- */
/* The structure of a patchwork-bot notice, line by line.            */

/*
 * Match s against a shape: '9' a digit, 'A' an upper-case letter, 'a'
 * a lower-case letter, '_' a space or a digit, '+' a sign, 'h' a hex
 * digit; anything else stands for itself.
 */
static int shape(const char *s, const char *sh)
{
	for (; *sh; s++, sh++) {
		char c = *s;

		switch (*sh) {
		case '9':
			if (c < '0' || c > '9')
				return 0;
			break;
		case 'A':
			if (c < 'A' || c > 'Z')
				return 0;
			break;
		case 'a':
			if (c < 'a' || c > 'z')
				return 0;
			break;
		case '_':
			if (c != ' ' && (c < '0' || c > '9'))
				return 0;
			break;
		case '+':
			if (c != '+' && c != '-')
				return 0;
			break;
		case 'h':
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				return 0;
			break;
		default:
			if (c != *sh)
				return 0;
		}
	}
	return *s == '\0';
}

static void split_lines(const char *body, struct vec *out)
{
	const char *p = body;

	while (*p) {
		size_t n = str_line_len(p);

		vec_push(out, xstrndup(p, n));
		p += n;
		if (*p == '\n')
			p++;
	}
}

/*
 * Check body against the notice's structure; returns the number of
 * summary entries, or -1 with the reason in why.
 */
static int check_notice(const char *body, struct sbuf *why)
{
	static const char *const tail[] = {
		"", "You are awesome, thank you!", "-- ",
		"Deet-doot-dot, I am a bot.",
		"https://korg.docs.kernel.org/patchwork/pwbot.html",
	};
	struct vec l = VEC_INIT;
	size_t i = 0, n;
	int entries = 0, ret = -1;
	const char *s;

	split_lines(body, &l);
	n = l.n;
	while (n && !*(char *)l.items[n - 1])
		n--;
#define LINE(k) ((const char *)l.items[k])
	if (n < 12 || strcmp(LINE(0), "Hello:") || *LINE(1)) {
		sbuf_addstr(why, "no Hello:");
		goto out;
	}
	s = LINE(2);
	if (!(str_starts_with(s, "This series was applied to ") ||
	      str_starts_with(s, "This patch was applied to ") ||
	      str_starts_with(s, "This pull request was applied to ")) ||
	    !str_ends_with(s, ")") || !strstr(s, ".git (")) {
		sbuf_addf(why, "line 3: %s", s);
		goto out;
	}
	i = 3;
	if (str_starts_with(LINE(3), "by ")) {
		if (!str_ends_with(LINE(3), ">:") || !strchr(LINE(3), '<')) {
			sbuf_addf(why, "line 4: %s", LINE(3));
			goto out;
		}
		i = 4;
	}
	if (*LINE(i) || !str_starts_with(LINE(i + 1), "On ") ||
	    !str_ends_with(LINE(i + 1), " you wrote:") ||
	    !shape(LINE(i + 1),
		   "On Aaa, _9 Aaa 9999 99:99:99 +9999 you wrote:")) {
		sbuf_addf(why, "date line: %s", LINE(i + 1));
		goto out;
	}
	i += 2;
	if (!str_starts_with(LINE(i), "> ")) {
		sbuf_addstr(why, "no quote");
		goto out;
	}
	while (i < n && LINE(i)[0] == '>')
		i++;
	if (!str_starts_with(LINE(i - 1), "> ") ||
	    (!strcmp(LINE(i - 1), "> [...]") && strcmp(LINE(i - 2), "> "))) {
		sbuf_addf(why, "quote ends with %s", LINE(i - 1));
		goto out;
	}
	if (*LINE(i) ||
	    strcmp(LINE(i + 1), "Here is the summary with links:")) {
		sbuf_addf(why, "no summary: %s", LINE(i + 1));
		goto out;
	}
	for (i += 2; i + 1 < n && str_starts_with(LINE(i), "  - "); i += 2) {
		const char *url = LINE(i + 1);
		const char *c = strstr(url, "/c/");

		if (strcmp(url, "    (no matching commit)") &&
		    (!str_starts_with(url, "    https://git.kernel.org/") ||
		     !c || !shape(c, "/c/hhhhhhhhhhhh"))) {
			sbuf_addf(why, "link: %s", url);
			goto out;
		}
		entries++;
	}
	if (!entries || n - i != 5) {
		sbuf_addf(why, "%d entries, then %zu lines", entries, n - i);
		goto out;
	}
	for (size_t k = 0; k < 5; k++)
		if (strcmp(LINE(i + k), tail[k])) {
			sbuf_addf(why, "tail: %s", LINE(i + k));
			goto out;
		}
	ret = entries;
#undef LINE
out:
	vec_release(&l, free);
	return ret;
}

START_TEST(real_notices_pass_the_checker)
{
	static const char *const real[] = {
		"corpus/bot-series-bpf-next.eml",
		"corpus/bot-patch-bpf.eml",
		"corpus/bot-short-quote.eml",
		"corpus/bot-series-no-cover.eml",
		"corpus/bot-no-matching-commit.eml",
	};
	static const int entries[] = { 4, 1, 1, 2, 23 };

	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		char *path = t_fixture(real[i]);
		char *text = t_read_file(path);
		struct sbuf why = SBUF_INIT;

		ck_assert_msg(check_notice(body_of(text), &why) == entries[i],
			      "%s: %s", path, why.buf);
		/* and the checker does reject a damaged one */
		*strstr(text, "You are awesome") = 'y';
		ck_assert_int_eq(check_notice(body_of(text), &why), -1);
		sbuf_release(&why);
		free(text);
		free(path);
	}
}
END_TEST

/* Count of "N/M" in the bot's tag "[bpf-next,v4,1/4]", 1 without. */
static int tag_total(const char *entry)
{
	const char *close = strchr(entry, ']'), *slash;
	long total;

	if (entry[4] != '[' || !close)
		return 1;
	slash = close;
	while (slash > entry && *slash != '/')
		slash--;
	if (*slash != '/')
		return 1;
	{
		char *num = xstrndup(slash + 1, (size_t)(close - slash - 1));

		ck_assert(!str_to_long(num, &total));
		free(num);
	}
	return (int)total;
}

/* ---------------------------------------------------------------- */
/* Pull requests.                                                    */

/*
 * Check a pull request's body; push its shortlog titles (merges left
 * out) to titles.  Returns the number of non-merge commits it claims.
 */
static long check_pull(const char *body, struct vec *titles,
		       struct sbuf *why)
{
	struct vec l = VEC_INIT;
	long claimed = -1, listed = 0;
	int seps = 0;
	size_t i, last_sep = 0;

	split_lines(body, &l);
	if (l.n < 30 ||
	    (strcmp(l.items[0], "Hi David, hi Jakub, hi Paolo, hi Eric,") &&
	     strcmp(l.items[0], "Hi David, hi Jakub,"))) {
		sbuf_addstr(why, "greeting");
		goto out;
	}
	if (strcmp(l.items[2], "The following pull-request contains BPF "
		   "updates for your *net-next* tree.") &&
	    strcmp(l.items[2], "The following pull-request contains BPF "
		   "updates for your *net* tree.")) {
		sbuf_addf(why, "line 3: %s", (char *)l.items[2]);
		goto out;
	}
	if (sscanf(l.items[4], "We've added %ld non-merge commit", &claimed)
	    != 1 || !strstr(l.items[4], " day(s) which contain") ||
	    !str_starts_with(l.items[5], "a total of ")) {
		sbuf_addf(why, "line 5: %s", (char *)l.items[4]);
		goto out;
	}
	if (strcmp(l.items[7], "The main changes are:")) {
		sbuf_addf(why, "line 8: %s", (char *)l.items[7]);
		goto out;
	}
	/* the shortlog follows the last separator (2 in old pulls, 3 now) */
	for (i = 8; i < l.n; i++)
		if (!strcmp(l.items[i], "------------------------------------"
			    "----------------------------")) {
			seps++;
			last_sep = i;
		}
	for (i = last_sep + 1; seps >= 2 && i < l.n; i++) {
		const char *s = l.items[i];

		if (str_starts_with(s, "      ")) {
			if (str_starts_with(s + 6, "Merge branch '"))
				continue;
			listed++;
			vec_push_str(titles, s + 6);
		} else if (*s && s[0] != ' ' && !str_ends_with(s, "):")) {
			sbuf_addf(why, "shortlog: %s", s);
			goto out;
		}
	}
	if (seps < 2 || listed != claimed) {
		sbuf_addf(why, "%d separators, %ld commits listed, %ld claimed",
			  seps, listed, claimed);
		claimed = -1;
		goto out;
	}
	if (!strstr(body, "\nPlease consider pulling these changes from:\n\n"
		    "  git://git.kernel.org/pub/scm/linux/kernel/git/bpf/") ||
	    !strstr(body, "\nare available in the Git repository at:\n\n"
		    "  https://git.kernel.org/pub/scm/linux/kernel/git/bpf/") ||
	    !strstr(body, " changed, ")) {
		sbuf_addstr(why, "request-pull block");
		claimed = -1;
	}
out:
	vec_release(&l, free);
	return claimed;
}

START_TEST(real_pulls_pass_the_checker)
{
	static const char *const real[] = {
		"corpus/pull-bpf-next-2025-05-02.eml",
		"corpus/pull-bpf-2021-02-13.eml",
	};
	static const long commits[] = { 14, 2 };

	for (size_t i = 0; i < 2; i++) {
		char *path = t_fixture(real[i]);
		char *text = t_read_file(path);
		struct vec titles = VEC_INIT;
		struct sbuf why = SBUF_INIT;

		ck_assert_msg(check_pull(body_of(text), &titles, &why) ==
			      commits[i], "%s: %s", path, why.buf);
		ck_assert_uint_eq(titles.n, (size_t)commits[i]);
		vec_release_str(&titles);
		sbuf_release(&why);
		free(text);
		free(path);
	}
}
END_TEST

START_TEST(notices_and_pulls_match_the_real_format)
{
	struct corpus_stats st;
	char *d = generate(11, 3000, &st);
	struct vec files = VEC_INIT, applied = VEC_INIT, pulled = VEC_INIT;
	size_t notices = 0, pulls = 0, series_notices = 0, cut = 0;

	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		char *text = t_read_file(files.items[i]);
		char *from = header(text, "From");
		char *subj = header(text, "Subject");
		struct sbuf why = SBUF_INIT;
		const char *body = body_of(text);

		if (!strcmp(from, "patchwork-bot+netdevbpf@kernel.org")) {
			int n = check_notice(body, &why);
			struct vec l = VEC_INIT;

			ck_assert_msg(n > 0, "%s: %s", (char *)files.items[i],
				      why.buf);
			ck_assert(str_starts_with(subj, "Re: "));
			split_lines(body, &l);
			for (size_t k = 0; k < l.n; k++) {
				const char *s = l.items[k];

				if (!str_starts_with(s, "  - "))
					continue;
				/* as many entries as the series has patches */
				ck_assert_int_eq(tag_total(s), n);
				s = strchr(s, ']') ? strchr(s, ']') + 2 : s + 4;
				vec_push_str(&applied, s);
			}
			cut += strstr(body, "\n> [...]\n") != NULL;
			series_notices += !strstr(body, "pull request was");
			vec_release(&l, free);
			notices++;
		} else if (str_starts_with(subj, "pull-request: ")) {
			ck_assert_msg(shape(subj, "pull-request: bpf-next "
					    "9999-99-99") ||
				      shape(subj,
					    "pull-request: bpf 9999-99-99"),
				      "%s", subj);
			ck_assert_msg(check_pull(body, &pulled, &why) > 0,
				      "%s: %s", (char *)files.items[i],
				      why.buf);
			pulls++;
		}
		sbuf_release(&why);
		free(from);
		free(subj);
		free(text);
	}
	ck_assert_uint_eq(notices, st.bot_notices);
	ck_assert_uint_eq(series_notices, st.applied);
	ck_assert_uint_eq(pulls, st.pulls);
	ck_assert_uint_gt(pulls, 3);
	ck_assert_uint_gt(cut, 0);
	ck_assert_uint_eq(pulled.n, st.pull_titles);
	/* a pull carries only patches the bot said were applied */
	for (size_t i = 0; i < pulled.n; i++)
		ck_assert_msg(vec_find_str(&applied, pulled.items[i]) >= 0,
			      "pulled but never applied: %s",
			      (char *)pulled.items[i]);
	vec_release_str(&applied);
	vec_release_str(&pulled);
	vec_release(&files, free);
	t_rmtree(d);
}
END_TEST

/* ---------------------------------------------------------------- */
/* The broken cases are really in the files.                         */

START_TEST(broken_threads_are_in_the_files)
{
	struct corpus_stats st;
	char *d = generate(1, 200, &st);
	struct vec files = VEC_INIT, ids = VEC_INIT, dates = VEC_INIT;
	size_t resend = 0, dups = 0, orphan_patches = 0, v2_reply = 0;
	size_t before_parent = 0;

	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		char *text = t_read_file(files.items[i]);
		char *subj = header(text, "Subject");
		char *id = header(text, "Message-ID");
		char *irt = header(text, "In-Reply-To");

		if (strstr(subj, "RESEND"))
			resend++;
		if (vec_find_str(&ids, id) >= 0) {
			dups++;
		} else {
			vec_push_str(&ids, id);
			vec_push(&dates, xstrdup(strrchr(files.items[i],
							 '/') + 1));
		}

		/* a numbered patch 1/N or later with no In-Reply-To */
		if (str_starts_with(subj, "[PATCH") && !irt &&
		    !strstr(subj, " 0/") && !strstr(subj, " 00/") &&
		    strchr(subj, '/') < strchr(subj, ']'))
			orphan_patches++;
		/* a cover letter of v2+ replying to something */
		if (str_starts_with(subj, "[PATCH") && irt &&
		    (strstr(subj, " 0/") || strstr(subj, " 00/")))
			v2_reply++;
		free(subj);
		free(id);
		free(irt);
		free(text);
	}
	/* second pass: a reply dated before what it answers */
	for (size_t i = 0; i < files.n; i++) {
		char *text = t_read_file(files.items[i]);
		char *irt = header(text, "In-Reply-To");
		long at = irt ? vec_find_str(&ids, irt) : -1;
		long mine, theirs;

		if (at >= 0) {
			ck_assert(!str_to_long_prefix(dates.items[at],
						      &theirs));
			ck_assert(!str_to_long_prefix(
				strrchr(files.items[i], '/') + 1, &mine));
			before_parent += mine < theirs;
		}
		free(irt);
		free(text);
	}
	ck_assert_uint_ge(resend, 2);
	ck_assert_uint_eq(dups, st.broken[CORPUS_BROKEN_DUPLICATE]);
	ck_assert_uint_ge(dups, 1);
	ck_assert_uint_eq(ids.n, st.unique_messages);
	/* no-reply-to patches, and no-cover patch 1/N */
	ck_assert_uint_ge(orphan_patches, 3);
	ck_assert_uint_ge(v2_reply, 1);
	/* out of order: patches older than their cover letter */
	ck_assert_uint_ge(before_parent, 2);
	vec_release_str(&ids);
	vec_release(&dates, free);
	vec_release(&files, free);
	t_rmtree(d);
}
END_TEST


/* Lines at the start of a line in body: "\nline" or at the start. */
static size_t count_lines(const char *body, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);

	for (const char *p = body; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		n += !strncmp(p, prefix, len);
	}
	return n;
}

START_TEST(trailers_and_pw_bot_lines_match_the_stats)
{
	static const char *const maint[] = {
		"Alexei Starovoitov <ast@kernel.org>",
		"Daniel Borkmann <daniel@iogearbox.net>",
		"Andrii Nakryiko <andrii@kernel.org>",
		"Martin KaFai Lau <martin.lau@linux.dev>",
		"Eduard Zingerman <eddyz87@gmail.com>",
		"Kumar Kartikeya Dwivedi <memxor@gmail.com>",
	};
	struct corpus_stats st;
	char *d = generate(6, 4000, &st);
	struct vec files = VEC_INIT;
	size_t acked = 0, reviewed = 0, tested = 0, cr = 0, cr_others = 0;
	size_t defer = 0, carried = 0;

	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		char *text = t_read_file(files.items[i]);
		char *subj = header(text, "Subject");
		char *from = header(text, "From");
		const char *body = body_of(text);
		size_t n = count_lines(body, "pw-bot: cr");
		int is_maint = 0;

		for (size_t k = 0; k < sizeof(maint) / sizeof(maint[0]); k++)
			is_maint |= !strcmp(from, maint[k]);
		if (str_starts_with(subj, "Re: ")) {
			acked += count_lines(body, "Acked-by: ");
			reviewed += count_lines(body, "Reviewed-by: ");
			tested += count_lines(body, "Tested-by: ");
		} else if (str_starts_with(subj, "[PATCH")) {
			carried += count_lines(body, "Acked-by: ") +
				   count_lines(body, "Reviewed-by: ");
		}
		if (is_maint)
			cr += n;
		else
			cr_others += n;
		defer += count_lines(body, "pw-bot: defer");
		free(subj);
		free(from);
		free(text);
	}
	ck_assert_uint_eq(acked, st.acked_by);
	ck_assert_uint_eq(reviewed, st.reviewed_by);
	ck_assert_uint_eq(tested, st.tested_by);
	ck_assert_uint_eq(st.reviews, acked + reviewed + tested);
	ck_assert_uint_eq(cr, st.pw_bot_cr);
	ck_assert_uint_eq(cr_others, st.pw_bot_ignored);
	ck_assert_uint_eq(defer, st.pw_bot_defer);
	ck_assert_uint_gt(st.pw_bot_ignored, 0);
	/* trailers given on vN show up in the patches of vN+1 */
	ck_assert_uint_gt(carried, 0);
	vec_release(&files, free);
	t_rmtree(d);
}
END_TEST

/* ---------------------------------------------------------------- */
/* A real notmuch database over a corpus.                            */

static long notmuch_count(const char *root, const char *const args[])
{
	const char *argv[8] = { "notmuch", "count" };
	const char *env[] = { NULL, NULL };
	struct sbuf e = SBUF_INIT, out = SBUF_INIT, errout = SBUF_INIT;
	long n;
	size_t k = 2;

	for (size_t i = 0; args[i] && k < 7; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	sbuf_addf(&e, "NOTMUCH_CONFIG=%s/notmuch-config", root);
	env[0] = e.buf;
	ck_assert_msg(t_run(argv, env, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	sbuf_trim(&out);
	ck_assert_msg(!str_to_long(out.buf, &n), "count: %s", out.buf);
	sbuf_release(&e);
	sbuf_release(&out);
	sbuf_release(&errout);
	return n;
}

START_TEST(notmuch_counts_what_the_stats_say)
{
	struct corpus_stats st;
	char *d = generate(2, 600, &st);
	char *maildir = path_join(d, "corpus");
	const char *dirs[] = { maildir, NULL };
	char *root = t_notmuch_db(dirs);
	const char *all[] = { "*", NULL };
	const char *files[] = { "--output=files", "*", NULL };
	const char *threads[] = { "--output=threads", "*", NULL };
	const char *bot[] = { "from:patchwork-bot+netdevbpf@kernel.org", NULL };
	const char *pulls[] = { "subject:\"pull-request:\"", NULL };
	const char *listq[] = { "to:bpf@vger.kernel.org or "
				"cc:bpf@vger.kernel.org", NULL };

	ck_assert_int_eq(notmuch_count(root, all), (long)st.unique_messages);
	ck_assert_int_eq(notmuch_count(root, files), (long)st.messages);
	ck_assert_int_eq(notmuch_count(root, threads), (long)st.threads);
	ck_assert_int_eq(notmuch_count(root, bot), (long)st.bot_notices);
	/* the pull and the bot's "Re: pull-request: ..." */
	ck_assert_int_eq(notmuch_count(root, pulls), 2 * (long)st.pulls);
	/* vger's default query sees everything */
	ck_assert_int_eq(notmuch_count(root, listq), (long)st.unique_messages);
	t_rmtree(root);
	free(maildir);
	t_rmtree(d);
}
END_TEST

/* ---------------------------------------------------------------- */

START_TEST(weekdays_carry_more_traffic)
{
	struct corpus_stats st;
	char *d = generate(4, 3000, &st);
	struct vec files = VEC_INIT;
	size_t by_wday[7] = { 0 };

	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		const char *base = strrchr(files.items[i], '/') + 1;
		char *t = xstrndup(base, strcspn(base, "."));
		long v;

		ck_assert(!str_to_long(t, &v));
		by_wday[date_weekday(date_of_time((time_t)v))]++;
		free(t);
	}
	/* Tuesday to Thursday against the weekend */
	ck_assert_msg((by_wday[2] + by_wday[3] + by_wday[4]) / 3 >
		      (by_wday[0] + by_wday[6]),
		      "Sun %zu Mon %zu Tue %zu Wed %zu Thu %zu Fri %zu Sat %zu",
		      by_wday[0], by_wday[1], by_wday[2], by_wday[3],
		      by_wday[4], by_wday[5], by_wday[6]);
	ck_assert_int_ge(st.first_date, (time_t)date_from_civil(2025, 1, 6)
			 * 86400);
	ck_assert_int_gt(st.last_date, st.first_date + 14 * 86400);
	vec_release(&files, free);
	t_rmtree(d);
}
END_TEST

START_TEST(bad_options_are_refused)
{
	struct corpus_options o;
	struct corpus_stats st;
	struct err err = ERR_INIT;
	char *d = t_tmpdir();
	char *file = path_join(d, "a-file");
	char *cur = path_join(d, "full/cur/1.x");

	corpus_options_init(&o);
	ck_assert_int_eq(corpus_generate(&o, &st, &err), -ERR_USAGE);
	o.outdir = d;
	o.messages = 0;
	ck_assert_int_eq(corpus_generate(&o, &st, &err), -ERR_USAGE);
	o.messages = 10;
	o.days = 100000;
	ck_assert_int_eq(corpus_generate(&o, &st, &err), -ERR_USAGE);
	o.days = 0;
	/* a file where the maildir should be */
	t_write_file(file, "x");
	o.outdir = file;
	ck_assert_int_lt(corpus_generate(&o, &st, &err), 0);
	ck_assert_msg(strstr(err.msg, "a-file") != NULL, "%s", err.msg);
	/* a maildir that already holds mail */
	t_write_file(cur, "x");
	free(file);
	file = path_join(d, "full");
	o.outdir = file;
	ck_assert_int_eq(corpus_generate(&o, &st, &err), -ERR_STATE);
	ck_assert_msg(strstr(err.msg, "full/cur") != NULL, "%s", err.msg);
	free(file);
	free(cur);
	t_rmtree(d);
}
END_TEST

START_TEST(gen_corpus_program)
{
	struct sbuf prog = SBUF_INIT, out = SBUF_INIT, errout = SBUF_INIT;
	char *d = t_tmpdir();
	char *outdir = path_join(d, "m");

	sbuf_addf(&prog, "%s/bench/gen-corpus", t_builddir());
	{
		const char *argv[] = { prog.buf, "--seed", "9", "--messages",
				       "120", "--start", "2024-03-04", "--days",
				       "30", outdir, NULL };

		ck_assert_int_eq(t_run(argv, NULL, NULL, &out, &errout), 0);
		ck_assert_msg(strstr(out.buf, "messages     120 ") != NULL,
			      "%s", out.buf);
		ck_assert_msg(strstr(out.buf, "2024-03-04T") != NULL, "%s",
			      out.buf);
	}
	{
		const char *argv[] = { prog.buf, "--messages", "ten", outdir,
				       NULL };

		ck_assert_int_eq(t_run(argv, NULL, NULL, &out, &errout), 2);
		ck_assert_msg(strstr(errout.buf, "--messages") != NULL, "%s",
			      errout.buf);
	}
	{
		const char *argv[] = { prog.buf, "--start", "2024-02-30",
				       outdir, NULL };

		ck_assert_int_eq(t_run(argv, NULL, NULL, &out, &errout), 2);
	}
	{
		/* the same directory again: cur/ is not empty */
		const char *argv[] = { prog.buf, outdir, NULL };

		sbuf_reset(&errout);
		ck_assert_int_eq(t_run(argv, NULL, NULL, &out, &errout), 1);
		ck_assert_msg(strstr(errout.buf, "not empty") != NULL, "%s",
			      errout.buf);
	}
	sbuf_release(&prog);
	sbuf_release(&out);
	sbuf_release(&errout);
	free(outdir);
	t_rmtree(d);
}
END_TEST

START_TEST(scale_smoke_20k)
{
	struct corpus_stats st;
	struct timespec t0, t1;
	char *d;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	d = generate(20, 20000, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_uint_eq(st.messages, 20000);
	ck_assert_uint_gt(st.series, 500);
	ck_assert_uint_gt(st.pulls, 10);
	for (int i = 0; i < CORPUS_BROKEN_MAX; i++)
		ck_assert_uint_gt(st.broken[i], 3);
	/* informational only: no timing asserts on a shared machine */
	fprintf(stderr, "# 20000 messages in %.2f s\n",
		(double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	t_rmtree(d);
}
END_TEST

/* ---------------------------------------------------------------- */
/* netdev mode.                                                      */

START_TEST(netdev_mix_is_three_to_four_times_bpf)
{
	static const size_t sizes[] = { 3000, 20000 };
	struct corpus_netdev_stats zero;

	memset(&zero, 0, sizeof(zero));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct corpus_stats st, plain;
		const struct corpus_netdev_stats *nd = &st.netdev;
		struct vec files = VEC_INIT;
		char *d = generate_mix(30 + i, sizes[i], 1, &st);
		char *e = generate_mix(30 + i, 500, 0, &plain);
		size_t bpf = st.messages - nd->messages;

		list_messages(d, &files);
		ck_assert_uint_eq(files.n, sizes[i]);
		ck_assert_uint_eq(st.messages, sizes[i]);
		/* netdev carries 3-4 times bpf's traffic */
		ck_assert_msg(nd->messages * 10 >= bpf * 30 &&
			      nd->messages * 10 <= bpf * 40,
			      "netdev %zu, bpf %zu", nd->messages, bpf);
		ck_assert_uint_le(nd->unique_messages, nd->messages);
		/* every kind of netdev mail, and bpf's still there */
		ck_assert_uint_gt(nd->series, 20);
		ck_assert_uint_gt(nd->versions, nd->series);
		ck_assert_uint_gt(nd->patches, nd->versions);
		ck_assert_uint_gt(nd->net_patches, 0);
		ck_assert_uint_lt(nd->net_patches, nd->patches);
		ck_assert_uint_gt(nd->reviews, 0);
		ck_assert_uint_gt(nd->pw_bot_cr, 0);
		ck_assert_uint_gt(nd->applied, 0);
		ck_assert_uint_ge(nd->linus_pulls, 2);
		ck_assert_uint_ge(nd->subtree_pulls, 4);
		ck_assert_uint_ge(nd->ann, 1);
		ck_assert_uint_gt(nd->discussions, 0);
		/* a notice per applied series, sub-tree and Linus pull */
		ck_assert_uint_eq(nd->bot_notices, nd->applied +
				  nd->subtree_pulls + nd->linus_pulls);
		ck_assert_uint_gt(st.series, 5);
		ck_assert_uint_gt(st.pulls, 0);
		/* without --netdev there is none */
		ck_assert_int_eq(memcmp(&plain.netdev, &zero, sizeof(zero)),
				 0);
		vec_release(&files, free);
		t_rmtree(d);
		t_rmtree(e);
	}
}
END_TEST

START_TEST(netdev_same_seed_gives_identical_files)
{
	struct corpus_stats a, b;
	char *d1 = generate_mix(11, 2500, 1, &a);
	char *d2 = generate_mix(11, 2500, 1, &b);

	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
	assert_same_files(d1, d2, NULL, 2500);
	t_rmtree(d1);
	t_rmtree(d2);
}
END_TEST

/* The message in file path, which must parse; the caller unrefs it. */
static GMimeMessage *parse_file(const char *path)
{
	GMimeStream *s = g_mime_stream_fs_open(path, O_RDONLY, 0, NULL);
	GMimeParser *p;
	GMimeMessage *m;

	ck_assert_msg(s != NULL, "%s", path);
	p = g_mime_parser_new_with_stream(s);
	m = g_mime_parser_construct_message(p, NULL);
	ck_assert_msg(m != NULL, "%s does not parse", path);
	g_object_unref(p);
	g_object_unref(s);
	return m;
}

/* Every file parses and is addressed to one of the two lists. */
static void check_netdev_files(const char *d, size_t *net_next_patches)
{
	struct vec files = VEC_INIT;

	gmime_once();
	list_messages(d, &files);
	for (size_t i = 0; i < files.n; i++) {
		const char *path = files.items[i];
		GMimeMessage *m = parse_file(path);
		const char *subj;
		InternetAddressList *to, *cc;

		subj = g_mime_message_get_subject(m);
		ck_assert_msg(subj && *subj, "%s: no Subject", path);
		ck_assert_msg(g_mime_message_get_message_id(m) != NULL,
			      "%s: no Message-ID", path);
		ck_assert_msg(g_mime_message_get_date(m) != NULL,
			      "%s: no Date", path);
		to = g_mime_message_get_to(m);
		cc = g_mime_message_get_cc(m);
		ck_assert_msg(has_list(to, "bpf@vger.kernel.org") ||
			      has_list(cc, "bpf@vger.kernel.org") ||
			      has_list(to, "netdev@vger.kernel.org") ||
			      has_list(cc, "netdev@vger.kernel.org"),
			      "%s: to neither list", path);
		if (str_starts_with(subj, "[PATCH net-next") ||
		    str_starts_with(subj, "[RFC PATCH net-next") ||
		    str_starts_with(subj, "[PATCH RFC net-next"))
			(*net_next_patches)++;
		g_object_unref(m);
	}
	vec_release(&files, free);
}

START_TEST(netdev_notmuch_counts_what_the_stats_say)
{
	struct corpus_stats st;
	char *d = generate_mix(12, 4000, 1, &st);
	const struct corpus_netdev_stats *nd = &st.netdev;
	char *maildir = path_join(d, "corpus");
	const char *dirs[] = { maildir, NULL };
	char *root;
	const char *all[] = { "*", NULL };
	const char *bpfq[] = { "to:bpf@vger.kernel.org or "
			       "cc:bpf@vger.kernel.org", NULL };
	const char *netq[] = { "(to:netdev@vger.kernel.org or "
			       "cc:netdev@vger.kernel.org) and not "
			       "(to:bpf@vger.kernel.org or "
			       "cc:bpf@vger.kernel.org)", NULL };
	const char *ann[] = { "subject:\"[ANN] net-next is\"", NULL };
	const char *linus[] = { "subject:\"[GIT PULL] Networking for\"",
				NULL };
	const char *tracker[] = { "from:pr-tracker-bot@kernel.org", NULL };
	const char *pw[] = { "from:patchwork-bot+netdevbpf@kernel.org",
			     NULL };
	const char *pulls[] = { "subject:\"pull request\"", NULL };
	const char *letters[] = { "\"Form letter - net-next-closed\"",
				  NULL };
	size_t net_next = 0;

	check_netdev_files(d, &net_next);
	ck_assert_uint_gt(net_next, 0);
	root = t_notmuch_db(dirs);
	ck_assert_int_eq(notmuch_count(root, all), (long)st.unique_messages);
	/* vger's default query sees the bpf part, netdev the rest */
	ck_assert_int_eq(notmuch_count(root, bpfq),
			 (long)(st.unique_messages - nd->unique_messages));
	ck_assert_int_eq(notmuch_count(root, netq),
			 (long)nd->unique_messages);
	ck_assert_int_eq(notmuch_count(root, ann), (long)nd->ann);
	/* each pull to Linus and the pr-tracker-bot's "Re:" */
	ck_assert_int_eq(notmuch_count(root, linus),
			 2 * (long)nd->linus_pulls);
	ck_assert_int_eq(notmuch_count(root, tracker),
			 (long)nd->linus_pulls);
	ck_assert_int_eq(notmuch_count(root, pw),
			 (long)(st.bot_notices + nd->bot_notices -
				nd->linus_pulls));
	/* bpf's and the sub-trees' pull requests and their notices */
	ck_assert_int_eq(notmuch_count(root, pulls),
			 2 * (long)(st.pulls + nd->subtree_pulls));
	ck_assert_uint_gt(nd->closed_letters, 0);
	ck_assert_int_eq(notmuch_count(root, letters),
			 (long)nd->closed_letters);
	t_rmtree(root);
	free(maildir);
	t_rmtree(d);
}
END_TEST

static Suite *corpus_suite(void)
{
	Suite *s = suite_create("corpus");
	TCase *gen = tcase_create("generate");
	TCase *fmt = tcase_create("format");
	TCase *db = tcase_create("notmuch");

	tcase_add_test(gen, same_seed_gives_identical_files);
	tcase_add_test(gen, message_count_is_exact);
	tcase_add_test(gen, end_moves_the_corpus_by_weeks);
	tcase_add_test(gen, small_corpus_has_every_kind);
	tcase_add_test(gen, weekdays_carry_more_traffic);
	tcase_add_test(gen, bad_options_are_refused);
	tcase_add_test(gen, gen_corpus_program);
	tcase_add_test(gen, scale_smoke_20k);
	tcase_add_test(gen, netdev_mix_is_three_to_four_times_bpf);
	tcase_add_test(gen, netdev_same_seed_gives_identical_files);
	suite_add_tcase(s, gen);
	tcase_add_test(fmt, every_file_parses_as_a_message);
	tcase_add_test(fmt, non_ascii_names_are_rfc2047);
	tcase_add_test(fmt, real_notices_pass_the_checker);
	tcase_add_test(fmt, real_pulls_pass_the_checker);
	tcase_add_test(fmt, notices_and_pulls_match_the_real_format);
	tcase_add_test(fmt, broken_threads_are_in_the_files);
	tcase_add_test(fmt, trailers_and_pw_bot_lines_match_the_stats);
	suite_add_tcase(s, fmt);
	tcase_add_test(db, notmuch_counts_what_the_stats_say);
	tcase_add_test(db, netdev_notmuch_counts_what_the_stats_say);
	suite_add_tcase(s, db);
	return s;
}

int main(void)
{
	return t_run_suite(corpus_suite());
}
