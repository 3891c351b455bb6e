/*
 * vger respin against git format-patch as the oracle: the same range in
 * real repositories (libgit2 and git itself) must give the same files,
 * byte for byte; plus versions from sent tags, the cover letter kept
 * with the branch, trailers, atomic output and bad input.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"

#include "kernel/trees.h"
#include "series/respin.h"
#include "series/respin_fmt.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define NOW 1700000000L
static const char *const git_env[] = {
	"GIT_COMMITTER_DATE=@1700000000 +0000", NULL
};

/* Run git -C dir args...; abort when it fails. */
static void git(const char *dir, const char *const args[])
{
	const char *argv[40] = { "git", "-C", dir, "-c", "user.name=C O Mitter",
				 "-c", "user.email=c@example.org" };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	size_t n = 7;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_msg(t_run(argv, git_env, NULL, &out, &err) == 0,
		      "git %s: %s", args[0], err.buf);
	sbuf_release(&out);
	sbuf_release(&err);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, struct vec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			vec_push_str(out, de->d_name);
	closedir(d);
	vec_sort(out, name_cmp);
}

/* Every file of a equals the one of b; show a diff when not. */
static void assert_same_dirs(const char *a, const char *b)
{
	struct vec la = VEC_INIT, lb = VEC_INIT;

	list_dir(a, &la);
	list_dir(b, &lb);
	ck_assert_uint_gt(la.n, 0);
	for (size_t i = 0; i < la.n || i < lb.n; i++) {
		const char *na = i < la.n ? la.items[i] : "(none)";
		const char *nb = i < lb.n ? lb.items[i] : "(none)";
		char *pa, *pb, *ta, *tb;

		ck_assert_msg(!strcmp(na, nb), "file %zu: git %s, vger %s", i,
			      na, nb);
		pa = path_join(a, na);
		pb = path_join(b, nb);
		ta = t_read_file(pa);
		tb = t_read_file(pb);
		if (strcmp(ta, tb)) {
			const char *argv[] = { "diff", "-u", pa, pb, NULL };
			struct sbuf d = SBUF_INIT;

			t_run(argv, NULL, NULL, &d, NULL);
			/* Check's messages must stay small */
			if (d.len > 3000)
				sbuf_setlen(&d, 3000);
			ck_abort_msg("%s differs from git:\n%s", na, d.buf);
		}
		free(pa);
		free(pb);
		free(ta);
		free(tb);
	}
	vec_release_str(&la);
	vec_release_str(&lb);
}

static void init_opts(struct series_options *o)
{
	memset(o, 0, sizeof(*o));
	o->cover_letter = -1;
	o->signature = "vger-test";
	o->from_name = "C O Mitter";
	o->from_email = "c@example.org";
	o->now = NOW;
}

/*
 * Format range in repo dir with git format-patch (extra args) and with
 * vger (o), and compare the two directories.
 */
static void oracle(const char *dir, const char *range,
		   const char *const gitargs[], struct series_options *o)
{
	char *tmp = t_tmpdir();
	char *gdir = path_join(tmp, "git"), *vdir = path_join(tmp, "vger");
	const char *args[30] = { "format-patch", "-q", "-o", gdir,
				 "--signature=vger-test" };
	struct series_job *job = NULL;
	struct series_result r = SERIES_RESULT_INIT;
	struct err err = ERR_INIT;
	size_t n = 5;

	for (size_t i = 0; gitargs[i]; i++)
		args[n++] = gitargs[i];
	args[n++] = range;
	args[n] = NULL;
	git(dir, args);
	o->range = range;
	ck_assert_msg(series_job_open(&job, dir, &err) == 0, "%s", err.msg);
	ck_assert_msg(series_format(job, o, &r, &err) == 0, "%s", err.msg);
	ck_assert_msg(series_write(&r, vdir, 0, &err) == 0, "%s", err.msg);
	assert_same_dirs(gdir, vdir);
	series_result_release(&r);
	series_job_free(job);
	free(gdir);
	free(vdir);
	t_rmtree(tmp);
}

static const char c_file[] =
	"#include <stdio.h>\n\nstatic int add(int a, int b)\n{\n"
	"\treturn a + b;\n}\n\nint main(void)\n{\n\tint x = 1;\n"
	"\tint y = 2;\n\n\tprintf(\"%d\\n\", add(x, y));\n"
	"\treturn 0;\n}\n";
static const char c_file2[] =
	"#include <stdio.h>\n\nstatic int add(int a, int b)\n{\n"
	"\treturn a + b;\n}\n\nint main(void)\n{\n\tint x = 1;\n"
	"\tint y = 3;\n\n\tprintf(\"%d\\n\", add(x, y));\n"
	"\tprintf(\"done\\n\");\n\treturn 0;\n}\n";

static char *lines(int from, int to, const char *tag)
{
	struct sbuf sb = SBUF_INIT;

	for (int i = from; i <= to; i++)
		sbuf_addf(&sb, "line %d %s\n", i, tag);
	return sbuf_detach(&sb);
}

/* A base on main, then a branch "feature" with varied commits. */
static struct t_git *varied_repo(const char *dir)
{
	struct t_git *g = t_git_init(dir);
	char *big = lines(1, 120, "same"), *big2 = lines(1, 120, "same");
	char *many = lines(1, 60, "x");
	const char *base[] = { "kernel/bpf/verifier.c", c_file,
			       "README", "hello\n", "old-name.txt", big,
			       "doomed.txt", "bye\n",
			       ".mailmap", "Proper Ann <ann@example.org>\n",
			       NULL };

	t_git_commit(g, "base", base);
	t_git_branch(g, "feature");
	{
		const char *f[] = { "kernel/bpf/verifier.c", c_file2, NULL };

		t_git_set_author(g, "Jöhn Dœ", "john@example.org",
				 1700000100);
		t_git_commit(g, "bpf: a subject line long enough that git "
			     "has to fold it in the Subject header of the "
			     "mail\n\nThe body says why.  \nTrailing blanks "
			     "go.\n\nSigned-off-by: Jöhn Dœ "
			     "<john@example.org>\n", f);
	}
	{
		const char *f[] = { "tools/nonl.txt", "no newline", "doomed.txt",
				    NULL, NULL };

		t_git_set_author(g, "A. U. Thor, Jr.", "a@example.org",
				 1700000200);
		t_git_commit(g, "selftests/bpf: tëst (non-ASCII subject)...\n\n"
			     "Body.\n\nFixes: 0123456789ab (\"x\")\n", f);
	}
	big2[5] = 'X';
	{
		const char *f[] = { "old-name.txt", NULL, "dir/new-name.txt",
				    big2, NULL };

		t_git_set_author(g, "Ann Other", "ann@example.org",
				 1700000300);
		t_git_commit(g, "lib: move a file, change one line\n", f);
	}
	{
		const char *f[] = {
			"a/very/deep/path/to/a/file/with/a/long/name/that/"
			"overflows/the/diffstat/width.c", many,
			"include/uapi/linux/bpf.h", "/* uapi */\n",
			"tools/lib/bpf/libbpf.c", big,
			"net/core/filter.c", "filter\n", NULL };

		t_git_set_author(g, "A U Thor", "author@example.com",
				 1700000400);
		t_git_commit(g, "net: touch many files at once; a subject "
			     "with: colons, [brackets] & symbols!!\n\n"
			     "Multi-paragraph body.\n\n"
			     "    indented code\n\n"
			     "Acked-by: X <x@example.org>\n---\n"
			     "v2: a note below the dashes\n", f);
	}
	free(big);
	free(big2);
	free(many);
	return g;
}

START_TEST(oracle_varied_series_v3_with_cover)
{
	char *dir = t_tmpdir();
	struct t_git *g = varied_repo(dir);
	const char *args[] = { "--cover-letter", "-v3",
			       "--subject-prefix=PATCH bpf-next", NULL };
	struct series_options o;

	init_opts(&o);
	o.version = 3;
	o.tree = "bpf-next";
	o.cover_letter = 1;
	oracle(dir, "master..feature", args, &o);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(oracle_cover_from_branch_description)
{
	char *dir = t_tmpdir();
	struct t_git *g = varied_repo(dir);
	const char *desc[] = { "config", "branch.feature.description",
			       "bpf: a cover letter subject\n\nThe blurb, "
			       "two lines\nof it.\n\nChanges in v2:\n- more\n",
			       NULL };
	const char *args[] = { "--cover-letter", "-v2",
			       "--cover-from-description=subject",
			       "--subject-prefix=RFC PATCH bpf", NULL };
	struct series_options o;

	git(dir, desc);
	init_opts(&o);
	o.version = 2;
	o.tree = "bpf";
	o.rfc = 1;
	o.cover_letter = 1;
	oracle(dir, "master..feature", args, &o);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(oracle_single_patch_v1_no_cover)
{
	char *dir = t_tmpdir();
	struct t_git *g = varied_repo(dir);
	const char *args[] = { "--subject-prefix=PATCH net", NULL };
	struct series_options o;

	init_opts(&o);
	o.version = 1;
	o.tree = "net";
	oracle(dir, "feature~1..feature", args, &o);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(oracle_to_cc_and_threading)
{
	char *dir = t_tmpdir();
	struct t_git *g = varied_repo(dir);
	const char *args[] = { "--cover-letter", "-v4", "--thread",
			       "--subject-prefix=PATCH bpf-next",
			       "--to=bpf@vger.kernel.org",
			       "--to=Alexei <ast@kernel.org>",
			       "--cc=Daniel \"D\" <daniel@iogearbox.net>",
			       NULL };
	struct vec to = VEC_INIT, cc = VEC_INIT;
	struct series_options o;
	char *tmp = t_tmpdir();
	char *gdir = path_join(tmp, "git");
	const char *fp[] = { "format-patch", "-q", "-o", gdir,
			     "--signature=vger-test", "--cover-letter", "-v4",
			     "--thread", "--subject-prefix=PATCH bpf-next",
			     "--to=bpf@vger.kernel.org",
			     "--to=Alexei <ast@kernel.org>",
			     "--cc=Daniel \"D\" <daniel@iogearbox.net>",
			     "master..feature", NULL };
	struct series_job *job;
	struct series_result r = SERIES_RESULT_INIT;
	struct err err = ERR_INIT;
	struct vec names = VEC_INIT;

	(void)args;
	vec_push_str(&to, "bpf@vger.kernel.org");
	vec_push_str(&to, "Alexei <ast@kernel.org>");
	vec_push_str(&cc, "Daniel \"D\" <daniel@iogearbox.net>");
	init_opts(&o);
	o.version = 4;
	o.tree = "bpf-next";
	o.cover_letter = 1;
	o.to = &to;
	o.cc = &cc;
	o.thread = 1;
	o.range = "master..feature";
	git(dir, fp);
	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_msg(series_format(job, &o, &r, &err) == 0, "%s", err.msg);
	list_dir(gdir, &names);
	ck_assert_uint_eq(names.n, r.files.n);
	/* git's Message-Ids carry the wall clock: compare with ours fixed */
	for (size_t i = 0; i < names.n; i++) {
		const struct series_file *f = r.files.items[i];
		char *p = path_join(gdir, names.items[i]);
		char *text = t_read_file(p);
		struct sbuf norm = SBUF_INIT;
		const char *s = text;

		while (*s) {
			const char *dot = strstr(s, ".git.c@example.org>");
			const char *num;

			if (!dot) {
				sbuf_addstr(&norm, s);
				break;
			}
			for (num = dot; num > s && num[-1] >= '0' &&
			     num[-1] <= '9'; num--)
				;
			sbuf_add(&norm, s, (size_t)(num - s));
			sbuf_addf(&norm, "%ld", NOW);
			s = dot;
			sbuf_add(&norm, s, 1);
			s++;
		}
		ck_assert_str_eq(f->name, names.items[i]);
		ck_assert_msg(!strcmp(norm.buf, f->text), "%s:\n%s\n---\n%s",
			      f->name, norm.buf, f->text);
		ck_assert_ptr_nonnull(f->msgid);
		sbuf_release(&norm);
		free(text);
		free(p);
	}
	vec_release_str(&names);
	vec_release_str(&to);
	vec_release_str(&cc);
	series_result_release(&r);
	series_job_free(job);
	free(gdir);
	t_rmtree(tmp);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* Mode changes and binary files, committed with git itself. */
START_TEST(oracle_binary_and_mode_change)
{
	char *dir = t_tmpdir();
	struct t_git *g = varied_repo(dir);
	char *bin = path_join(dir, "firmware.bin");
	char *script = path_join(dir, "tools/run.sh");
	const char *add[] = { "add", "-A", NULL };
	const char *commit1[] = { "commit", "-q", "-m",
				  "tools: a binary blob and a script", NULL };
	const char *commit2[] = { "commit", "-q", "-m",
				  "tools: make the script executable, change "
				  "the blob", NULL };
	const char *checkout[] = { "checkout", "-q", "feature", NULL };
	const char *args[] = { "--cover-letter", "-v2",
			       "--subject-prefix=PATCH bpf-next", NULL };
	struct series_options o;
	FILE *f;

	git(dir, checkout);
	f = fopen(bin, "wb");
	for (int i = 0; i < 300; i++)
		fputc(i * 7 % 256, f);
	fclose(f);
	t_write_file(script, "#!/bin/sh\necho hi\n");
	git(dir, add);
	git(dir, commit1);
	f = fopen(bin, "ab");
	fwrite("\0\1\2tail", 1, 7, f);
	fclose(f);
	chmod(script, 0755);
	git(dir, add);
	git(dir, commit2);
	init_opts(&o);
	o.version = 2;
	o.tree = "bpf-next";
	o.cover_letter = 1;
	oracle(dir, "master..feature", args, &o);
	free(bin);
	free(script);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* Enough objects in a pack that git abbreviates to more than 7. */
START_TEST(oracle_after_gc_many_files_diffstat)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	const char *gc[] = { "gc", "-q", NULL };
	const char *args[] = { "--cover-letter",
			       "--subject-prefix=PATCH bpf-next", NULL };
	struct series_options o;
	struct vec files = VEC_INIT;

	for (int round = 0; round < 3; round++) {
		struct sbuf msg = SBUF_INIT;

		for (int i = 0; i < 40; i++) {
			struct sbuf p = SBUF_INIT;
			char *c = lines(1, i * (round + 1) % 97 + 1,
					round ? "new" : "old");

			sbuf_addf(&p, "drivers/net/ethernet/vendor%d/file%d.c",
				  i % 5, i);
			vec_push_str(&files, p.buf);
			vec_push(&files, c);
			sbuf_release(&p);
		}
		vec_push(&files, NULL);
		sbuf_addf(&msg, round ? "net: round %d of changes\n" :
			  "base %d\n", round);
		t_git_commit(g, msg.buf, (const char *const *)files.items);
		files.n--;
		vec_release_str(&files);
		sbuf_release(&msg);
		if (!round)
			t_git_branch(g, "feature");
	}
	git(dir, gc);
	init_opts(&o);
	o.version = 1;
	o.tree = "bpf-next";
	o.cover_letter = 1;
	oracle(dir, "feature~2..feature", args, &o);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* The corners: renames with edits, odd names, odd authors, odd subjects. */
START_TEST(oracle_odd_names_authors_and_subjects)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	char *text = lines(1, 40, "text"), *edited = lines(1, 40, "text");
	const char *base[] = { "lib/sub/file.c", text, "docs/old.txt", text,
			       "x", "x\n", NULL };
	const char *args[] = { "--cover-letter", "-v12",
			       "--subject-prefix=PATCH bpf-next", NULL };
	struct series_options o;

	t_git_commit(g, "base\n", base);
	t_git_branch(g, "feature");
	/* a rename to another directory with a third of it changed */
	for (int i = 0; i < 13; i++)
		edited[i * 30 % (int)strlen(edited)] = '#';
	{
		const char *f[] = { "lib/sub/file.c", NULL,
				    "lib/other/file.c", edited,
				    "docs/old.txt", NULL,
				    "docs/new name \xc3\xa9.txt", text, NULL };

		t_git_set_author(g, "Jean-Fran\xe7ois Latin1", "jf@example.org",
				 1700000500);
		t_git_commit(g, "\n\nlib: a subject on\ntwo lines with =?x?= in it\n"
			     "\n\n  Body after blank lines.   \n\t\n"
			     "Signed-off-by: J <jf@example.org>\n\n\n", f);
	}
	{
		const char *f[] = { "x", "y\n", NULL };

		t_git_set_author(g, "A Very Long Author Name That Goes On And On "
				 "Beyond The Line Width Of Mail Headers Jr",
				 "a.very.long.address.for.this.author@"
				 "subdomain.example.org", 1700000600);
		t_git_commit(g, "net: "
			     "averyveryveryveryveryveryveryveryveryveryveryvery"
			     "veryveryverylongwordwithoutanyspacesinit and a "
			     "tail\n", f);
	}
	{
		const char *f[] = { "x", "z\n", NULL };

		t_git_set_author(g, "\xe5\xbc\xa0\xe4\xb8\x89 (Zh\xc4\x81ng S\xc4\x81n)",
				 "zs@example.cn", 1700000700);
		t_git_commit(g, "bpf: \xe4\xb8\xad\xe6\x96\x87\xe6\xa0\x87\xe9\xa2\x98 "
			     "with a long tail of words so that the encoded "
			     "subject has to be folded\n\nBody \xc3\xa9.\n", f);
	}
	init_opts(&o);
	o.version = 12;
	o.tree = "bpf-next";
	o.cover_letter = 1;
	oracle(dir, "master..feature", args, &o);
	free(text);
	free(edited);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* Rename scores near the 50% threshold: git's metric, not libgit2's. */
START_TEST(oracle_rename_scores_as_git)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	const char *args[] = { "--subject-prefix=PATCH bpf-next", NULL };
	struct vec before = VEC_INIT, after = VEC_INIT;
	struct series_options o;

	for (int k = 1; k <= 6; k++) {
		struct sbuf a = SBUF_INIT, b = SBUF_INIT, pa = SBUF_INIT;
		struct sbuf pb = SBUF_INIT;

		for (int n = 1; n <= 60; n++) {
			sbuf_addf(&a, "file %d line %d\n", k, n);
			if (n % (k + 1))
				sbuf_addf(&b, "file %d line %d\n", k, n);
			else
				sbuf_addf(&b, "changed %d\n", n);
		}
		sbuf_addf(&pa, "f%d.txt", k);
		sbuf_addf(&pb, "d%d/g%d.txt", k, k);
		vec_push_str(&before, pa.buf);
		vec_push(&before, sbuf_detach(&a));
		vec_push(&after, sbuf_detach(&pa));
		vec_push(&after, NULL);
		vec_push(&after, sbuf_detach(&pb));
		vec_push(&after, sbuf_detach(&b));
	}
	vec_push(&before, NULL);
	vec_push(&after, NULL);
	t_git_commit(g, "base\n", (const char *const *)before.items);
	t_git_branch(g, "feature");
	t_git_commit(g, "renames with edits\n",
		     (const char *const *)after.items);
	init_opts(&o);
	o.version = 1;
	o.tree = "bpf-next";
	oracle(dir, "master..feature", args, &o);
	vec_release(&before, free);
	vec_release(&after, free);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/*
 * 336 real commit messages, authors and dates (with their time zones)
 * from patch mails on the lists (tests/fixtures/respin/README), made
 * into one series with git fast-import.
 */
START_TEST(oracle_real_messages_from_the_lists)
{
	char *dir = t_tmpdir();
	char *fixture = t_fixture("respin/real-messages.txt");
	char *text = t_read_file(fixture);
	struct sbuf in = SBUF_INIT;
	const char *init[] = { "init", "-q", "-b", "master", NULL };
	const char *argv[] = { "git", "-C", dir, "fast-import", "--quiet", NULL };
	const char *args[] = { "--cover-letter", "-v5",
			       "--subject-prefix=PATCH bpf-next", NULL };
	struct sbuf errout = SBUF_INIT;
	struct series_options o;
	const char *p = text;
	unsigned n = 0;

	git(dir, init);
	sbuf_addstr(&in, "commit refs/heads/master\n"
		    "committer C <c@example.org> 1600000000 +0000\n"
		    "data 5\nbase\nM 100644 inline base.txt\ndata 5\nbase\n\n");
	while ((p = strstr(p, "%%% "))) {
		const char *head = p + 4, *eol = strchr(head, '\n');
		const char *msg = eol + 1, *end = strstr(msg, "\n%%% ");
		const char *tab1 = memchr(head, '\t', (size_t)(eol - head));
		const char *tab2 = memchr(tab1 + 1, '\t', (size_t)(eol - tab1 - 1));
		size_t len = end ? (size_t)(end - msg + 1) : strlen(msg);
		struct sbuf file = SBUF_INIT;

		sbuf_addf(&file, "%u\n", ++n);
		sbuf_addstr(&in, "commit refs/heads/feature\n");
		sbuf_addf(&in, "author %.*s <%.*s> %.*s\n", (int)(tab1 - head),
			  head, (int)(tab2 - tab1 - 1), tab1 + 1,
			  (int)(eol - tab2 - 1), tab2 + 1);
		sbuf_addf(&in, "committer C <c@example.org> %.*s\n",
			  (int)(eol - tab2 - 1), tab2 + 1);
		sbuf_addf(&in, "data %zu\n", len);
		sbuf_add(&in, msg, len);
		if (n == 1)
			sbuf_addstr(&in, "from refs/heads/master\n");
		sbuf_addf(&in, "M 100644 inline f%u.txt\ndata %zu\n%s\n", n,
			  file.len, file.buf);
		sbuf_release(&file);
		p = msg;
	}
	ck_assert_uint_gt(n, 300);
	ck_assert_msg(t_run(argv, NULL, in.buf, NULL, &errout) == 0, "%s",
		      errout.buf);
	init_opts(&o);
	o.version = 5;
	o.tree = "bpf-next";
	o.cover_letter = 1;
	oracle(dir, "master..feature", args, &o);
	sbuf_release(&in);
	sbuf_release(&errout);
	free(text);
	free(fixture);
	t_rmtree(dir);
}
END_TEST

START_TEST(fmt_slug_and_wrap_follow_git)
{
	struct sbuf sb = SBUF_INIT;

	respin_fmt_slug(&sb, "bpf: fix the..  thing!! (v2)...", 31);
	ck_assert_str_eq(sb.buf, "bpf-fix-the.-thing-v2");
	sbuf_reset(&sb);
	respin_fmt_rename(&sb, "a/b/c.txt", "a/d/c.txt");
	ck_assert_str_eq(sb.buf, "a/{b => d}/c.txt");
	sbuf_reset(&sb);
	respin_fmt_rename(&sb, "x.c", "y.c");
	ck_assert_str_eq(sb.buf, "x.c => y.c");
	sbuf_reset(&sb);
	respin_fmt_quote_path(&sb, "t\xc3\xa9st\t.c");
	ck_assert_str_eq(sb.buf, "\"t\\303\\251st\\t.c\"");
	sbuf_release(&sb);
}
END_TEST

/* ---- versions, cover letters, trailers ---- */

static struct t_git *small_repo(const char *dir, int fixes)
{
	struct t_git *g = t_git_init(dir);
	const char *base[] = { "f.c", "one\n", NULL };
	const char *a[] = { "f.c", "one\ntwo\n", NULL };
	const char *b[] = { "g.c", "three\n", NULL };

	t_git_commit(g, "base\n", base);
	t_git_branch(g, "topic");
	t_git_commit(g, fixes ? "bpf: fix two\n\nFixes: 0123456789ab "
		     "(\"one\")\nSigned-off-by: A <a@x>\n" :
		     "bpf: add two\n\nSigned-off-by: A <a@x>\n", a);
	t_git_commit(g, fixes ? "bpf: fix three\n\nFixes: 0123456789ab "
		     "(\"one\")\n" : "bpf: add three\n\nA body only.\n", b);
	return g;
}

static int run_format(const char *dir, struct series_options *o,
		      struct series_result *r, struct err *err)
{
	struct series_job *job;
	int ret;

	ck_assert_int_eq(series_job_open(&job, dir, err), 0);
	ret = series_format(job, o, r, err);
	series_job_free(job);
	return ret;
}

START_TEST(version_follows_sent_tags)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_job *job;
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	unsigned v;
	char *msgid, *cover;

	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_uint_eq(r.version, 1);
	ck_assert_str_eq(r.prefix, "PATCH bpf-next");
	ck_assert_str_eq(((struct series_file *)r.files.items[0])->name,
			 "0000-cover-letter.patch");
	series_result_release(&r);

	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_int_eq(series_last_sent(job, "topic", &v, &msgid, &cover,
					  &err), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(series_record_sent(job, "topic", 1, NULL,
					    "<v1.cover@x>", "Old cover\n\nText.\n",
					    &err), 0);
	ck_assert_int_eq(series_record_sent(job, "topic", 2, NULL,
					    "<v2.cover@x>", "New cover\n", &err), 0);
	/* another branch's tags and a look-alike name do not count */
	ck_assert_int_eq(series_record_sent(job, "topic-v9", 1, "topic",
					    "<other@x>", NULL, &err), 0);
	ck_assert_int_lt(series_record_sent(job, "topic", 2, NULL, "<again@x>",
					    NULL, &err), 0);
	ck_assert_int_eq(err.code, ERR_STATE);
	ck_assert_int_eq(series_last_sent(job, "topic", &v, &msgid, &cover,
					  &err), 0);
	ck_assert_uint_eq(v, 2);
	ck_assert_str_eq(msgid, "<v2.cover@x>");
	ck_assert_str_eq(cover, "New cover\n");
	free(msgid);
	free(cover);
	series_job_free(job);

	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_uint_eq(r.version, 3);
	ck_assert_str_eq(r.prefix, "PATCH bpf-next v3");
	ck_assert_str_eq(((struct series_file *)r.files.items[1])->name,
			 "v3-0001-bpf-add-two.patch");
	ck_assert_ptr_null(((struct series_file *)r.files.items[0])->commit);
	ck_assert_str_eq(((struct series_file *)r.files.items[2])->commit,
			 r.head);
	ck_assert(strstr(((struct series_file *)r.files.items[1])->text,
			 "Subject: [PATCH bpf-next v3 1/2] bpf: add two\n"));
	series_result_release(&r);
	o.version = 7;
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_str_eq(r.prefix, "PATCH bpf-next v7");
	series_result_release(&r);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(cover_is_kept_with_the_branch_and_carried_over)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_job *job;
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	char *text, *carried, *again;
	const char *cover;
	const char *desc[] = { "config", "branch.topic.description", NULL };

	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_int_eq(series_cover_get(job, "topic", &text, &err), 0);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(series_cover_set(job, "topic", "bpf: the series\n\n"
					  "Why it matters.\n", &err), 0);
	/* git itself sees it as the branch description */
	{
		const char *argv[] = { "git", "-C", dir, "config",
				       "branch.topic.description", NULL };
		struct sbuf out = SBUF_INIT;

		ck_assert_int_eq(t_run(argv, NULL, NULL, &out, NULL), 0);
		ck_assert_str_eq(out.buf, "bpf: the series\n\nWhy it matters.\n\n");
		sbuf_release(&out);
	}
	(void)desc;
	ck_assert_int_eq(series_cover_get(job, "topic", &text, &err), 0);
	ck_assert_str_eq(text, "bpf: the series\n\nWhy it matters.\n");
	carried = series_cover_carry(text, 3, "<abc@example.org>");
	ck_assert_str_eq(carried, "bpf: the series\n\nWhy it matters.\n\n"
			 "Changes in v3:\n- EDITME: what changed since v2\n\n"
			 "v2: https://lore.kernel.org/bpf/abc@example.org/\n");
	/* carrying again does not add a second section */
	again = series_cover_carry(carried, 3, "<abc@example.org>");
	ck_assert_str_eq(again, carried);
	free(again);
	/* v4: the new section goes above the older ones */
	again = series_cover_carry(carried, 4, "v3@x");
	ck_assert(strstr(again, "Why it matters.\n\nChanges in v4:\n- EDITME: "
			 "what changed since v3\n\nv3: https://lore.kernel."
			 "org/bpf/v3@x/\n\nChanges in v3:\n"));
	free(again);
	ck_assert_int_eq(series_cover_set(job, "topic", carried, &err), 0);
	series_job_free(job);

	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	cover = ((struct series_file *)r.files.items[0])->text;
	ck_assert_msg(strstr(cover, "Subject: [PATCH bpf-next 0/2] bpf: the "
			     "series\n\nWhy it matters.\n\nChanges in v3:\n"),
		      "%s", cover);
	ck_assert(strstr(cover, "\nA U Thor (2):\n  bpf: add two\n  bpf: add "
			 "three\n\n"));
	ck_assert_uint_eq(r.warnings.n, 1);	/* the EDITME line */
	series_result_release(&r);
	free(text);
	free(carried);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* Recipients set after formatting give the files formatting gives. */
START_TEST(recipients_set_after_format_equal_formatted_ones)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_result a = SERIES_RESULT_INIT, b = SERIES_RESULT_INIT;
	struct series_options o;
	struct vec to = VEC_INIT, cc = VEC_INIT;
	struct err err = ERR_INIT;

	init_opts(&o);
	o.range = "master..topic";
	o.tree = "bpf-next";
	o.to_tree_list = 1;
	ck_assert_msg(!run_format(dir, &o, &b, &err), "%s", err.msg);
	vec_push_str(&to, "Alexei Starovoitov <ast@kernel.org>");
	vec_push_str(&cc, "Rita Reviewer <rita@example.com>");
	vec_push_str(&cc, "\"Björn Töpel\" <bjorn@kernel.org>");
	o.to = &to;
	o.cc = &cc;
	ck_assert_msg(!run_format(dir, &o, &a, &err), "%s", err.msg);
	ck_assert_int_eq(series_result_set_recipients(&b, &o, &err), 0);
	ck_assert_uint_eq(a.files.n, b.files.n);
	for (size_t i = 0; i < a.files.n; i++) {
		const struct series_file *x = a.files.items[i];
		const struct series_file *y = b.files.items[i];

		ck_assert_str_eq(x->text, y->text);
	}
	ck_assert(strstr(((struct series_file *)b.files.items[1])->text,
			 "Cc: Rita Reviewer <rita@example.com>,\n    \"Bj") != NULL);
	series_result_release(&a);
	series_result_release(&b);
	vec_release_str(&to);
	vec_release_str(&cc);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(trailers_added_once_after_existing_ones)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	struct vec adds = VEC_INIT;
	struct series_trailer_add t1 = { "BPF:  Add TWO",
					 "Acked-by: Jane <jane@example.org>" };
	struct series_trailer_add t2 = { NULL,
					 "Reviewed-by: Rev <rev@example.org>" };
	struct series_trailer_add t3 = { "bpf: add two",
					 "Acked-by: JANE D <Jane@Example.org>" };
	struct series_trailer_add t4 = { "bpf: add two",
					 "Signed-off-by: A <A@X>" };
	const struct series_file *p1, *p2;
	const struct series_trailer_note *n;

	vec_push(&adds, &t1);
	vec_push(&adds, &t2);
	vec_push(&adds, &t3);
	vec_push(&adds, &t4);
	init_opts(&o);
	o.range = "master..topic";
	o.trailers = &adds;
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	p1 = r.files.items[1];
	p2 = r.files.items[2];
	ck_assert_msg(strstr(p1->text, "\n\nSigned-off-by: A <a@x>\n"
			     "Acked-by: Jane <jane@example.org>\n"
			     "Reviewed-by: Rev <rev@example.org>\n---\n"),
		      "%s", p1->text);
	ck_assert(!strstr(p1->text, "JANE D"));
	/* a body without trailers gets a blank line before them */
	ck_assert_msg(strstr(p2->text, "A body only.\n\nReviewed-by: Rev "
			     "<rev@example.org>\n---\n"), "%s", p2->text);
	ck_assert_uint_eq(r.notes.n, 3);
	n = r.notes.items[0];
	ck_assert_uint_eq(n->index, 1);
	ck_assert_str_eq(n->line, "Acked-by: Jane <jane@example.org>");
	n = r.notes.items[2];
	ck_assert_uint_eq(n->index, 2);
	ck_assert_str_eq(n->title, "bpf: add three");
	series_result_release(&r);
	vec_release(&adds, NULL);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(tree_guessed_from_fixes_tags)
{
	char *dir = t_tmpdir();
	char *dir2 = t_tmpdir();
	struct t_git *g = small_repo(dir, 1), *g2 = small_repo(dir2, 0);
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	char *p;

	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_str_eq(r.tree, "bpf");
	ck_assert_int_eq(r.tree_guessed, 1);
	series_result_release(&r);
	ck_assert_int_eq(run_format(dir2, &o, &r, &err), 0);
	ck_assert_str_eq(r.tree, "bpf-next");
	series_result_release(&r);
	o.tree = "iproute2";
	o.to_tree_list = 1;
	ck_assert_int_eq(run_format(dir2, &o, &r, &err), 0);
	ck_assert_str_eq(r.prefix, "PATCH iproute2 net-next");
	ck_assert_int_eq(r.tree_guessed, 0);
	ck_assert(strstr(((struct series_file *)r.files.items[1])->text,
			 "\nTo: netdev@vger.kernel.org\n\n"));
	series_result_release(&r);
	{
		struct vec cc = VEC_INIT;

		vec_push_str(&cc, "NetDev <NETDEV@vger.kernel.org>");
		o.cc = &cc;
		ck_assert_int_eq(run_format(dir2, &o, &r, &err), 0);
		ck_assert(!strstr(((struct series_file *)r.files.items[1])->text,
				  "To: "));
		series_result_release(&r);
		o.cc = NULL;
		vec_release_str(&cc);
	}
	p = series_tree_prefix("bpf-next", 1);
	ck_assert_str_eq(p, "RFC PATCH bpf-next");
	free(p);
	ck_assert_str_eq(kernel_tree_list("net-next"),
			 "netdev@vger.kernel.org");
	ck_assert_str_eq(kernel_tree_list("bpf"), "bpf@vger.kernel.org");
	t_git_free(g);
	t_git_free(g2);
	t_rmtree(dir);
	t_rmtree(dir2);
}
END_TEST

START_TEST(output_is_atomic_and_never_overwritten)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	char *out = path_join(dir, "outgoing/topic-v1");
	char *p = path_join(out, "0001-bpf-add-two.patch");
	char *parent = path_join(dir, "outgoing");
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	struct vec names = VEC_INIT;
	char *text;

	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(series_write(&r, out, 0, &err), 0);
	{
		struct stat st;
		mode_t um = umask(022);

		ck_assert_int_eq(stat(out, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0777 & ~um);
		umask(um);
	}
	t_write_file(p, "edited by hand\n");
	ck_assert_int_lt(series_write(&r, out, 0, &err), 0);
	ck_assert_int_eq(err.code, ERR_STATE);
	ck_assert(strstr(err.msg, "exists"));
	text = t_read_file(p);
	ck_assert_str_eq(text, "edited by hand\n");
	free(text);
	ck_assert_int_eq(series_write(&r, out, 1, &err), 0);
	text = t_read_file(p);
	ck_assert(strstr(text, "Subject: [PATCH bpf-next 1/2] bpf: add two"));
	free(text);
	/* no temporary directory is left behind */
	list_dir(parent, &names);
	ck_assert_uint_eq(names.n, 1);
	ck_assert_str_eq(names.items[0], "topic-v1");
	vec_release_str(&names);
	series_result_release(&r);
	free(out);
	free(p);
	free(parent);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(bad_ranges_are_named)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	const char *merge[] = { "merge", "-q", "--no-ff", "-m",
				"Merge side into topic", "side", NULL };
	const char *side[] = { "branch", "side", "master", NULL };
	const char *detach[] = { "checkout", "-q", "--detach", NULL };

	init_opts(&o);
	o.range = "nosuch..topic";
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_msg(strstr(err.msg, "nosuch..topic"), "%s", err.msg);
	o.range = "topic..topic";
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(err.code, ERR_STATE);
	/* no upstream and no base */
	o.range = NULL;
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(err.code, ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "upstream"), "%s", err.msg);
	o.base = "master";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_uint_eq(r.files.n, 3);
	series_result_release(&r);
	o.base = NULL;
	/* the branch's upstream, by default and for the branch's name */
	{
		const char *remote[] = { "config", "branch.topic.remote", ".",
					 NULL };
		const char *merge_cfg[] = { "config", "branch.topic.merge",
					    "refs/heads/master", NULL };

		git(dir, remote);
		git(dir, merge_cfg);
	}
	ck_assert_msg(run_format(dir, &o, &r, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(r.files.n, 3);
	ck_assert_str_eq(r.branch, "topic");
	series_result_release(&r);
	o.range = "topic";
	ck_assert_msg(run_format(dir, &o, &r, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(r.files.n, 3);
	series_result_release(&r);
	o.range = "-1";
	ck_assert_msg(run_format(dir, &o, &r, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(r.files.n, 1);
	series_result_release(&r);
	o.range = "-9";
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_msg(strstr(err.msg, "fewer than 9"), "%s", err.msg);
	/* a merge commit is refused by name */
	git(dir, side);
	{
		const char *co[] = { "checkout", "-q", "side", NULL };
		const char *f[] = { "side.c", "side\n", NULL };
		const char *back[] = { "checkout", "-q", "topic", NULL };

		git(dir, co);
		t_git_commit(g, "side work\n", f);
		git(dir, back);
	}
	git(dir, merge);
	o.range = "master..topic";
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(err.code, ERR_STATE);
	ck_assert_msg(strstr(err.msg, "merge commit") &&
		      strstr(err.msg, "Merge side into topic"), "%s", err.msg);
	/* detached HEAD without a range asks for one */
	git(dir, detach);
	o.range = NULL;
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_msg(strstr(err.msg, "detached"), "%s", err.msg);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(empty_commit_is_refused)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	const char *empty[] = { "commit", "-q", "--allow-empty", "-m",
				"nothing here", NULL };

	git(dir, empty);
	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
	ck_assert_msg(strstr(err.msg, "nothing here") &&
		      strstr(err.msg, "changes nothing"), "%s", err.msg);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/*
 * The last guard of issue 10 item 1: whatever reaches series_format()
 * as a To:/Cc: address, a trailer or the tree (from the command line,
 * config, or mail that escaped mail_address_from_mail()) is one line of
 * every file, so a line break, an escape, a C1 or bidi control, invalid
 * UTF-8 or a line longer than SMTP allows is refused before anything is
 * written, naming it.
 */
START_TEST(control_characters_never_reach_a_header_line)
{
	static const struct {
		int field;	/* 0 To, 1 Cc, 2 trailer, 3 tree */
		const char *text, *said;
	} cases[] = {
		{ 0, "a@example.org\nBcc: evil@example.net", "To: 'a@example" },
		{ 1, "b@example.org\r\nBcc: evil@example.net", "Cc: 'b@exa" },
		{ 1, "\"x\x1b]0;t\x07\" <x@example.org>", "Cc: '\"x" },
		{ 2, "Acked-by: A <a@example.org>\nBcc: evil@example.net",
		  "the trailer 'Acked-by" },
		{ 2, "Acked-by: \xe2\x80\xae" "A <a@example.org>",
		  "the trailer 'Acked-by" },
		{ 2, "Acked-by: \xc2\x9b" "2J <a@example.org>",
		  "the trailer 'Acked-by" },
		{ 2, "Acked-by: \xff <a@example.org>", "the trailer 'Acked" },
		{ 3, "bpf\x1b[8m", "the tree 'bpf" },
		{ 3, "bpf\n", "the tree 'bpf" },
	};
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct sbuf long_line = SBUF_INIT;
	struct series_trailer_add t;
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;

	for (size_t i = 0; i <= sizeof(cases) / sizeof(*cases); i++) {
		struct vec list = VEC_INIT, trailers = VEC_INIT;
		int last = i == sizeof(cases) / sizeof(*cases);
		int field = last ? 2 : cases[i].field;
		const char *text = cases[last ? 0 : i].text;

		if (last) {	/* a 1,500-character trailer */
			sbuf_addstr(&long_line, "Acked-by: ");
			while (long_line.len < 1500)
				sbuf_addch(&long_line, 'L');
			sbuf_addstr(&long_line, " <l@example.org>");
			text = long_line.buf;
		}
		init_opts(&o);
		o.range = "master..topic";
		vec_push_str(&list, "list@example.org");
		if (field < 2)
			vec_push_str(&list, text);
		if (field == 0)
			o.to = &list;
		else if (field == 1)
			o.cc = &list;
		t.title = NULL;
		t.line = text;
		vec_push(&trailers, &t);
		if (field == 2)
			o.trailers = &trailers;
		o.tree = field == 3 ? text : "bpf-next";
		err_clear(&err);
		ck_assert_int_lt(run_format(dir, &o, &r, &err), 0);
		if (last)
			ck_assert_msg(strstr(err.msg, "longer than a mail line"),
				      "%s", err.msg);
		else
			ck_assert_msg(strstr(err.msg, cases[i].said) &&
				      strstr(err.msg, "a control character or "
					     "invalid UTF-8"), "%zu: %s", i,
				      err.msg);
		ck_assert_uint_eq(r.files.n, 0);
		series_result_release(&r);
		vec_release_str(&list);
		vec_release(&trailers, NULL);
	}
	sbuf_release(&long_line);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* ---- the command ---- */

START_TEST(cli_edit_cover_then_respin_and_refuse_again)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 1);
	const char *cfg1[] = { "config", "vger.base", "master", NULL };
	const char *cfg2[] = { "config", "vger.to", "bpf@vger.kernel.org",
			       NULL };
	const char *cfg3[] = { "config", "user.name", "Me Myself", NULL };
	const char *cfg4[] = { "config", "user.email", "me@example.org", NULL };
	const char *edit[] = { "respin", "--edit-cover", NULL };
	const char *editor[] = {
		"GIT_EDITOR=printf 'bpf: the cover\\n\\nBlurb \\303\\251.\\n' >",
		NULL };
	const char *respin[] = { "respin", "--trailer",
				 "Acked-by: J <j@example.org>", "--no-check",
				 NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	char *cover;

	git(dir, cfg1);
	git(dir, cfg2);
	git(dir, cfg3);
	git(dir, cfg4);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(t_vger(edit, editor, &out, &errout) == 0, "%s",
		      errout.buf);
	sbuf_reset(&out);
	sbuf_reset(&errout);
	ck_assert_msg(t_vger(respin, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	/* the check's findings first (--no-check), then the files */
	ck_assert_msg(str_ends_with(out.buf,
			 "outgoing/topic-v1/0000-cover-letter.patch\n"
			 "outgoing/topic-v1/0001-bpf-fix-two.patch\n"
			 "outgoing/topic-v1/0002-bpf-fix-three.patch\n"
			 "  1/2 bpf: fix two: + Acked-by: J <j@example.org>\n"
			 "  2/2 bpf: fix three: + Acked-by: J <j@example.org>\n"),
		      "%s", out.buf);
	ck_assert(strstr(out.buf, "fixes-format"));
	ck_assert_msg(strstr(errout.buf, "guessed bpf (every commit has a "
			     "Fixes: tag)"), "%s", errout.buf);
	cover = t_read_file("outgoing/topic-v1/0000-cover-letter.patch");
	ck_assert_msg(strstr(cover, "From: Me Myself <me@example.org>\n"),
		      "%s", cover);
	ck_assert_msg(strstr(cover, "Subject: [PATCH bpf 0/2] bpf: the cover\n"
			     "MIME-Version: 1.0\n"
			     "Content-Type: text/plain; charset=UTF-8\n"
			     "Content-Transfer-Encoding: 8bit\n"
			     "To: bpf@vger.kernel.org\n\nBlurb \xc3\xa9.\n"),
		      "%s", cover);
	ck_assert(strstr(cover, "-- \nvger " PACKAGE_VERSION "\n\n"));
	free(cover);
	/* the same version again: refused, files kept */
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(respin, NULL, &out, &errout), 1);
	ck_assert_msg(strstr(errout.buf, "exists"), "%s", errout.buf);
	sbuf_release(&out);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(cli_carries_the_cover_to_the_next_version)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_job *job;
	struct err err = ERR_INIT;
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "bpf-next", "-o", "out", "--no-check", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	char *cover;

	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_int_eq(series_cover_set(job, "topic", "bpf: cover\n\nBody.\n",
					  &err), 0);
	ck_assert_int_eq(series_record_sent(job, "topic", 1, NULL,
					    "<v1@example.org>", NULL, &err), 0);
	series_job_free(job);
	ck_assert_int_eq(chdir(dir), 0);
	t_write_file("f.c", "one\ntwo\nuncommitted\n");
	ck_assert_msg(t_vger(respin, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	ck_assert_msg(strstr(errout.buf, "uncommitted changes"), "%s",
		      errout.buf);
	ck_assert_msg(strstr(errout.buf, "Changes in v2:"), "%s", errout.buf);
	ck_assert_msg(strstr(errout.buf, "not written yet"), "%s", errout.buf);
	cover = t_read_file("out/v2-0000-cover-letter.patch");
	ck_assert_msg(strstr(cover, "Subject: [PATCH bpf-next v2 0/2] bpf: "
			     "cover\nTo: bpf@vger.kernel.org\n\nBody.\n\nChanges in v2:\n- EDITME: what "
			     "changed since v1\n\nv1: https://lore.kernel.org/"
			     "bpf/v1@example.org/\n\nA U Thor (2):\n"), "%s", cover);
	free(cover);
	sbuf_release(&out);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/*
 * A v1 whose message is not in the database is named once, with one
 * pair of angle brackets (issue 10 item 9: not "<<id>>").
 */
START_TEST(cli_names_a_missing_v1_once)
{
	char *dir = t_tmpdir(), *fx = t_fixture("threading");
	const char *dirs[] = { fx, NULL };
	char *root = t_notmuch_db(dirs), *db = t_notmuch_path(root);
	struct t_git *g = small_repo(dir, 0);
	struct series_job *job;
	struct err err = ERR_INIT;
	const char *cfg[] = { "config", "vger.database", db, NULL };
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "bpf-next", "-o", "out", "--no-check", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;

	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_int_eq(series_record_sent(job, "topic", 1, NULL,
					    "<v1-gone@example.org>", NULL,
					    &err), 0);
	series_job_free(job);
	git(dir, cfg);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(t_vger(respin, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	ck_assert_msg(strstr(errout.buf, "no trailers from v1: "
			     "<v1-gone@example.org> is not in the mail "
			     "database\n"), "%s", errout.buf);
	ck_assert_ptr_null(strstr(errout.buf, "<<"));
	ck_assert_ptr_null(strstr(errout.buf, ">>"));
	sbuf_release(&out);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
	t_rmtree(root);
	free(db);
	free(fx);
}
END_TEST

/* A message of v1 on the list, for the trailer collection below. */
static void v1_mail(const char *dir, const char *name, const char *from,
		    const char *subject, const char *id, const char *parent,
		    int minute, const char *body)
{
	struct sbuf m = SBUF_INIT;
	char *path = path_join(dir, name);

	sbuf_addf(&m, "From: %s\nTo: bpf@vger.kernel.org\nSubject: %s\n"
		  "Date: Mon, 05 May 2025 10:%02d:00 +0000\n"
		  "Message-ID: <%s>\n", from, subject, minute, id);
	if (parent)
		sbuf_addf(&m, "In-Reply-To: <%s>\nReferences: <%s>\n", parent,
			  parent);
	sbuf_addf(&m, "\n%s", body);
	t_write_file(path, m.buf);
	sbuf_release(&m);
	free(path);
}

START_TEST(cli_trailers_and_cc_from_the_review_of_v1)
{
	char *dir = t_tmpdir(), *mail = t_tmpdir(), *root, *db, *config,
	     *old;
	struct t_git *g = small_repo(dir, 0);
	struct series_job *job;
	struct err err = ERR_INIT;
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "bpf-next", "-o", "out", "--no-check", NULL };
	const char *dirs[] = { mail, NULL };
	const char *me = "A U Thor <author@example.com>";
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT, cfg = SBUF_INIT;
	char *p1, *p2, *cover;

	v1_mail(mail, "0", me, "[PATCH bpf-next 0/2] bpf: cover", "v1-0@x",
		NULL, 0, "Cover.\n");
	v1_mail(mail, "1", me, "[PATCH bpf-next 1/2] bpf: add two", "v1-1@x",
		"v1-0@x", 1, "Two.\n");
	v1_mail(mail, "2", me, "[PATCH bpf-next 2/2] bpf: add three", "v1-2@x",
		"v1-0@x", 2, "Three.\n");
	v1_mail(mail, "r1", "Rita Reviewer <rita@example.com>",
		"Re: [PATCH bpf-next 1/2] bpf: add two", "r1@x", "v1-1@x", 30,
		"> Two.\n\nAcked-by: Rita Reviewer <rita@example.com>\n");
	v1_mail(mail, "r2", "Rob <rob@example.com>",
		"Re: [PATCH bpf-next 0/2] bpf: cover", "r2@x", "v1-0@x", 31,
		"Reviewed-by: Rob <rob@example.com>\n");
	v1_mail(mail, "r3", "Carl <carl@example.org>",
		"Re: [PATCH bpf-next 0/2] bpf: cover", "r3@x", "r2@x", 32,
		"A question, no trailer.\n");
	root = t_notmuch_db(dirs);
	db = t_notmuch_path(root);
	config = path_join(dir, ".git/config");
	old = t_read_file(config);
	sbuf_addf(&cfg, "%s[vger]\n\tdatabase = %s\n", old, db);
	free(old);
	t_write_file(config, cfg.buf);
	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_int_eq(series_cover_set(job, "topic", "bpf: cover\n\nBody.\n",
					  &err), 0);
	ck_assert_int_eq(series_record_sent(job, "topic", 1, NULL,
					    "<v1-0@x>", NULL, &err), 0);
	series_job_free(job);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(t_vger(respin, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	p1 = t_read_file("out/v2-0001-bpf-add-two.patch");
	p2 = t_read_file("out/v2-0002-bpf-add-three.patch");
	cover = t_read_file("out/v2-0000-cover-letter.patch");
	/* The ack on patch 1 goes to patch 1; the review of the cover to all. */
	ck_assert_msg(strstr(p1, "Acked-by: Rita Reviewer <rita@example.com>\n"),
		      "%s", p1);
	ck_assert_msg(strstr(p1, "Reviewed-by: Rob <rob@example.com>\n"), "%s",
		      p1);
	ck_assert_ptr_null(strstr(p2, "Acked-by:"));
	ck_assert_msg(strstr(p2, "Reviewed-by: Rob <rob@example.com>\n"), "%s",
		      p2);
	/* Everyone who answered v1 is in Cc. */
	ck_assert_msg(strstr(cover, "carl@example.org"), "%s", cover);
	ck_assert_msg(strstr(cover, "rita@example.com"), "%s", cover);
	ck_assert_msg(strstr(cover, "rob@example.com"), "%s", cover);
	free(p1);
	free(p2);
	free(cover);
	free(config);
	free(db);
	sbuf_release(&out);
	sbuf_release(&errout);
	sbuf_release(&cfg);
	t_rmtree(root);
	t_rmtree(mail);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(cli_to_cc_from_maintainers_as_vger_cc_gives)
{
	char *dir = t_tmpdir();
	struct t_git *g = t_git_init(dir);
	const char *base[] = {
		"MAINTAINERS",
		"BPF [GENERAL]\n"
		"M:\tAlexei Starovoitov <ast@kernel.org>\n"
		"R:\tRita Reviewer <rita@example.com>\n"
		"L:\tbpf@vger.kernel.org\n"
		"S:\tSupported\n"
		"F:\tkernel/bpf/\n\n"
		"THE REST\n"
		"M:\tLinus Torvalds <torvalds@linux-foundation.org>\n"
		"L:\tlinux-kernel@vger.kernel.org\n"
		"S:\tBuried alive in reporters\n"
		"F:\t*\nF:\t*/\n",
		"kernel/bpf/core.c", "int a;\n", NULL };
	const char *change[] = { "kernel/bpf/core.c", "int a;\nint b;\n",
				 NULL };
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "bpf-next", "-o", "out", "--no-check", NULL };
	const char *cc_to[] = { "cc", "--to", "out/0001-bpf-add-b.patch",
				NULL };
	const char *respin_n[] = { "respin", "-1", "--tree", "bpf-next", "-o",
				   "out2", "--no-check", NULL };
	const char *cc_n[] = { "cc", "--to", "-1", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	char *p, *to, *cc;

	t_git_commit(g, "base\n", base);
	t_git_branch(g, "topic");
	t_git_commit(g, "bpf: add b\n\nBecause.\n\nSigned-off-by: A U Thor "
		     "<author@example.com>\n", change);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(t_vger(respin, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	p = t_read_file("out/0001-bpf-add-b.patch");
	to = strstr(p, "\nTo: ");
	cc = strstr(p, "\nCc: ");
	ck_assert_msg(to && cc, "%s", p);
	/* The tree's list first in To, the maintainer with it. */
	ck_assert_msg(str_starts_with(to, "\nTo: bpf@vger.kernel.org"), "%s", p);
	ck_assert_msg(strstr(p, "Alexei Starovoitov <ast@kernel.org>"), "%s", p);
	ck_assert(strstr(to, "ast@kernel.org") < cc);
	/* Reviewers and other lists in Cc; Linus never. */
	ck_assert_msg(strstr(cc, "Rita Reviewer <rita@example.com>"), "%s", p);
	ck_assert_msg(strstr(cc, "linux-kernel@vger.kernel.org"), "%s", p);
	ck_assert_ptr_null(strstr(p, "torvalds@"));
	/* The oracle: vger cc on the written patch says the same To. */
	sbuf_reset(&out);
	ck_assert_int_eq(t_vger(cc_to, NULL, &out, NULL), 0);
	ck_assert_str_eq(out.buf, "Alexei Starovoitov <ast@kernel.org>\n");
	/* -N (the last N commits), as documented, for both */
	ck_assert_msg(t_vger(respin_n, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	free(p);
	p = t_read_file("out2/0001-bpf-add-b.patch");
	ck_assert_msg(strstr(p, "\nTo: bpf@vger.kernel.org"), "%s", p);
	sbuf_reset(&out);
	ck_assert_int_eq(t_vger(cc_n, NULL, &out, NULL), 0);
	ck_assert_str_eq(out.buf, "Alexei Starovoitov <ast@kernel.org>\n");
	free(p);
	sbuf_release(&out);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(cli_iproute2_goes_to_netdev_with_bpf_maintainers)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	const char *respin[] = { "respin", "master..topic", "--tree",
				 "iproute2", "-o", "out", "--no-check", NULL };
	struct sbuf errout = SBUF_INIT;
	char *p;

	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(t_vger(respin, NULL, NULL, &errout) == 0, "%s",
		      errout.buf);
	p = t_read_file("out/0001-bpf-add-two.patch");
	ck_assert_msg(strstr(p, "Subject: [PATCH iproute2 net-next 1/2] "), "%s",
		      p);
	ck_assert_msg(strstr(p, "\nTo: netdev@vger.kernel.org\n"), "%s", p);
	ck_assert_msg(strstr(p, "\nCc: Alexei Starovoitov <ast@kernel.org>,\n"
			     "    Daniel Borkmann <daniel@iogearbox.net>,\n"
			     "    Andrii Nakryiko <andrii@kernel.org>\n"), "%s",
		      p);
	free(p);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(cli_merge_window_warns_and_suggests_rfc)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	const char *env[] = { "VGER_NOW=2024-11-20", NULL };
	const char *plain[] = { "respin", "master..topic", "--tree",
				"bpf-next", "-o", "a", "--no-check", NULL };
	const char *rfc[] = { "respin", "master..topic", "--tree",
			      "bpf-next", "--rfc", "-o", "b", "--no-check",
			      NULL };
	struct sbuf errout = SBUF_INIT;

	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(t_vger(plain, env, NULL, &errout), 0);
	ck_assert_msg(strstr(errout.buf, "bpf-next: CLOSED"), "%s", errout.buf);
	ck_assert_msg(strstr(errout.buf, "vger respin --rfc"), "%s",
		      errout.buf);
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(rfc, env, NULL, &errout), 0);
	ck_assert_msg(strstr(errout.buf, "bpf-next: CLOSED"), "%s", errout.buf);
	ck_assert_ptr_null(strstr(errout.buf, "vger respin --rfc"));
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* vger check runs first: its errors stop the respin, --no-check not. */
START_TEST(cli_check_errors_stop_the_respin)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	const char *respin[] = { "respin", "master..topic", "--tree", "bpf",
				 "-o", "out", NULL };
	const char *anyway[] = { "respin", "master..topic", "--tree", "bpf",
				 "-o", "out", "--no-check", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;

	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(t_vger(respin, NULL, &out, &errout), 1);
	ck_assert_msg(strstr(out.buf, "error   fixes-tag          1/2 "
			     "\"bpf: add two\""), "%s", out.buf);
	ck_assert_msg(strstr(errout.buf, "nothing written"), "%s", errout.buf);
	ck_assert(!fs_exists("out"));
	sbuf_reset(&out);
	sbuf_reset(&errout);
	ck_assert_msg(t_vger(anyway, NULL, &out, &errout) == 0, "%s",
		      errout.buf);
	ck_assert(strstr(out.buf, "fixes-tag"));
	ck_assert(strstr(out.buf, "out/0002-bpf-add-three.patch\n"));
	ck_assert(fs_exists("out/0001-bpf-add-two.patch"));
	sbuf_release(&out);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

START_TEST(cli_bad_input_is_one_clear_line)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	const char *bad_v[] = { "respin", "-v", "three", NULL };
	const char *bad_range[] = { "respin", "nosuch..topic", NULL };
	const char *two[] = { "respin", "a", "b", NULL };
	struct sbuf errout = SBUF_INIT;

	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(t_vger(bad_v, NULL, NULL, &errout), 2);
	ck_assert_msg(strstr(errout.buf, "'three'"), "%s", errout.buf);
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(two, NULL, NULL, &errout), 2);
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(bad_range, NULL, NULL, &errout), 1);
	ck_assert_msg(strstr(errout.buf, "nosuch..topic") &&
		      strchr(errout.buf, '\n') == errout.buf + errout.len - 1,
		      "%s", errout.buf);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* ---- replacing, interrupting, racing (issue 10) ---- */

/* A directory with the given files ("name", "text" pairs, NULL-ended). */
static void make_dir(const char *dir, const char *const files[])
{
	struct err err = ERR_INIT;

	ck_assert(!fs_mkdir_p(dir, &err));
	for (size_t i = 0; files && files[i]; i += 2) {
		char *p = path_join(dir, files[i]);

		t_write_file(p, files[i + 1]);
		free(p);
	}
}

/* Every name in dir, hidden ones too (list_dir() leaves them out). */
static void list_all(const char *dir, struct vec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			vec_push_str(out, de->d_name);
	closedir(d);
	vec_sort(out, name_cmp);
}

/* The names in dir starting with prefix. */
static size_t count_prefixed(const char *dir, const char *prefix)
{
	struct vec names = VEC_INIT;
	size_t n = 0;

	list_all(dir, &names);
	for (size_t i = 0; i < names.n; i++)
		n += str_starts_with(names.items[i], prefix);
	vec_release_str(&names);
	return n;
}

/*
 * --force replaces a directory only when it holds nothing but a
 * series; anything else is refused and left as it was.
 */
START_TEST(force_replaces_only_a_series)
{
	static const char patch[] =
		"From 0123456789012345678901234567890123456789 Mon Sep 17 "
		"00:00:00 2001\nSubject: [PATCH] x\n\nx\n";
	static const struct {
		const char *name;
		const char *files[8];
		const char *why;	/* NULL: replaced */
	} cases[] = {
		{ "notes", { "todo.txt", "my notes\n", NULL },
		  "holds todo.txt, which is not a patch" },
		{ "mixed", { "0001-a.patch", patch, "README", "x\n", NULL },
		  "holds README" },
		{ "renamed", { "my-fix.patch", "not a patch\n", NULL },
		  "holds my-fix.patch" },
		{ "hidden", { "0001-a.patch", patch, ".git", "x\n", NULL },
		  "holds .git" },
		{ "series", { "0001-a.patch", patch, "v2-0000-cover-letter."
		  "patch", "edited by hand\n", "fix.patch", patch, NULL },
		  NULL },
		{ "empty", { NULL }, NULL },
	};
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	const char *cli[] = { "respin", "master..topic", "--tree", "bpf-next",
			      "--no-check", "--force", "-o", "../notes", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;
	char *notes, *sub, *file, *link, *text;

	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *d = path_join(dir, cases[i].name);
		int ret;

		make_dir(d, cases[i].files);
		ret = series_write(&r, d, 1, &err);
		if (cases[i].why) {
			ck_assert_int_eq(ret, -ERR_STATE);
			ck_assert_msg(strstr(err.msg, cases[i].why), "%s: %s",
				      cases[i].name, err.msg);
			for (size_t k = 0; cases[i].files[k]; k += 2) {
				char *p = path_join(d, cases[i].files[k]);

				text = t_read_file(p);
				ck_assert_str_eq(text, cases[i].files[k + 1]);
				free(text);
				free(p);
			}
		} else {
			struct vec names = VEC_INIT;

			ck_assert_msg(!ret, "%s: %s", cases[i].name, err.msg);
			list_dir(d, &names);
			ck_assert_uint_eq(names.n, 3);
			ck_assert_str_eq(names.items[1],
					 "0001-bpf-add-two.patch");
			vec_release_str(&names);
		}
		free(d);
	}
	/* a subdirectory, a file, a symbolic link in place of a series */
	sub = path_join(dir, "tree/sub");
	make_dir(sub, (const char *const[]){ "0001-a.patch", patch, NULL });
	sub[strlen(sub) - 4] = '\0';
	ck_assert_int_eq(series_write(&r, sub, 1, &err), -ERR_STATE);
	ck_assert_msg(strstr(err.msg, "holds sub"), "%s", err.msg);
	file = path_join(dir, "file");
	t_write_file(file, "a file\n");
	ck_assert_int_eq(series_write(&r, file, 1, &err), -ERR_STATE);
	ck_assert_msg(strstr(err.msg, "is not a directory"), "%s", err.msg);
	link = path_join(dir, "link");
	ck_assert_int_eq(symlink("series", link), 0);
	ck_assert_int_eq(series_write(&r, link, 1, &err), -ERR_STATE);
	ck_assert_msg(strstr(err.msg, "is not a directory"), "%s", err.msg);
	/* and the command: -o ../notes leaves the notes alone */
	notes = path_join(dir, "../notes");
	make_dir(notes, (const char *const[]){ "diary", "private\n", NULL });
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(t_vger(cli, NULL, &out, &errout), 1);
	ck_assert_msg(strstr(errout.buf, "../notes holds diary, which is not "
			     "a patch"), "%s", errout.buf);
	text = t_read_file("../notes/diary");
	ck_assert_str_eq(text, "private\n");
	free(text);
	ck_assert_uint_eq(count_prefixed(dir, ".vger-respin-"), 0);
	series_result_release(&r);
	t_rmtree(notes);
	free(sub);
	free(file);
	free(link);
	sbuf_release(&out);
	sbuf_release(&errout);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

struct watcher {
	const char *dir;
	volatile int stop;
	int missing;		/* times dir was not there */
};

static void *watch_dir(void *arg)
{
	struct watcher *w = arg;
	struct stat st;

	while (!w->stop)
		if (stat(w->dir, &st))
			w->missing++;
	return NULL;
}

/*
 * --force swaps the old series for the new at once: a reader looking
 * all the while always finds one of them.
 */
START_TEST(force_swap_never_leaves_neither)
{
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	char *out = path_join(dir, "out");
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	struct watcher w = { out, 0, 0 };
	pthread_t t;

	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(series_write(&r, out, 0, &err), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, watch_dir, &w), 0);
	for (int i = 0; i < 300; i++)
		ck_assert_msg(!series_write(&r, out, 1, &err), "%s", err.msg);
	w.stop = 1;
	pthread_join(t, NULL);
	ck_assert_int_eq(w.missing, 0);
	ck_assert_uint_eq(count_prefixed(dir, ".vger-respin-"), 0);
	series_result_release(&r);
	free(out);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* A pid that was a process and is no more. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

/*
 * Temporary directories of respins that died (SIGKILL, a crash) are
 * removed by the next; a live process's, or one holding anything but
 * patches, are not.
 */
START_TEST(stale_temporary_directories_are_removed)
{
	static const char patch[] =
		"From 0123456789012345678901234567890123456789 Mon Sep 17 "
		"00:00:00 2001\nSubject: [PATCH] x\n\nx\n";
	char *dir = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	char *parent = path_join(dir, "outgoing");
	char *out = path_join(parent, "topic-v1");
	struct series_result r = SERIES_RESULT_INIT;
	struct series_options o;
	struct err err = ERR_INIT;
	struct sbuf dead = SBUF_INIT, alive = SBUF_INIT, other = SBUF_INIT;
	char *old = path_join(parent, ".vger-respin-Ab12Cd");
	char *recent = path_join(parent, ".vger-respin-Ef34Gh");
	struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct vec names = VEC_INIT;

	sbuf_addf(&dead, "%s/.vger-respin-%ld-Xy12Zw", parent,
		  (long)dead_pid());
	sbuf_addf(&alive, "%s/.vger-respin-%ld-Uv34St", parent,
		  (long)getppid());
	sbuf_addf(&other, "%s/.vger-respin-%ld-Qr56Op", parent,
		  (long)dead_pid());
	make_dir(dead.buf, (const char *const[]){ "0001-a.patch", patch,
		 NULL });
	make_dir(alive.buf, (const char *const[]){ "0001-a.patch", patch,
		 NULL });
	make_dir(other.buf, (const char *const[]){ "keep.txt", "mine\n",
		 NULL });
	make_dir(old, (const char *const[]){ "0001-a.patch", patch, NULL });
	ck_assert_int_eq(utimensat(AT_FDCWD, old, times, 0), 0);
	make_dir(recent, NULL);
	init_opts(&o);
	o.range = "master..topic";
	ck_assert_int_eq(run_format(dir, &o, &r, &err), 0);
	ck_assert_int_eq(series_write(&r, out, 0, &err), 0);
	list_all(parent, &names);
	ck_assert_uint_eq(names.n, 4);
	ck_assert(vec_find_str(&names, "topic-v1") >= 0);
	ck_assert(vec_find_str(&names, strrchr(alive.buf, '/') + 1) >= 0);
	ck_assert(vec_find_str(&names, strrchr(other.buf, '/') + 1) >= 0);
	ck_assert(vec_find_str(&names, ".vger-respin-Ef34Gh") >= 0);
	ck_assert(!fs_exists(dead.buf));
	ck_assert(!fs_exists(old));
	vec_release_str(&names);
	series_result_release(&r);
	sbuf_release(&dead);
	sbuf_release(&alive);
	sbuf_release(&other);
	free(old);
	free(recent);
	free(out);
	free(parent);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* Start vger with args in the background, its output to /dev/null. */
static pid_t spawn_vger(const char *const args[])
{
	const char *vger = getenv("VGER");
	const char *argv[32] = { vger && *vger ? vger : "./vger" };
	size_t n = 1;
	pid_t pid;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* A topic branch of n commits (a file each) on master. */
static struct t_git *long_repo(const char *dir, int n)
{
	struct t_git *g = t_git_init(dir);
	const char *base[] = { "f.c", "one\n", NULL };

	t_git_commit(g, "base\n", base);
	t_git_branch(g, "topic");
	for (int i = 0; i < n; i++) {
		struct sbuf name = SBUF_INIT, msg = SBUF_INIT;
		const char *files[] = { NULL, "text\n", NULL };

		sbuf_addf(&name, "file%03d.c", i);
		sbuf_addf(&msg, "bpf: add file %d\n\nBecause.\n", i);
		files[0] = name.buf;
		t_git_commit(g, msg.buf, files);
		sbuf_release(&name);
		sbuf_release(&msg);
	}
	return g;
}

/*
 * Ctrl-C while the series is being written: caught (the process
 * stopped) with its temporary directory there, interrupted, it leaves
 * the whole series or none of it, and no temporary directory.
 */
START_TEST(interrupt_while_writing_leaves_no_temporary_directory)
{
	char *dir = t_tmpdir();
	struct t_git *g = long_repo(dir, 60);
	const char *args[] = { "respin", "master..topic", "--tree", "bpf-next",
			       "--no-check", "-o", "out/s", NULL };
	char *parent = path_join(dir, "out");
	int caught = 0;

	ck_assert_int_eq(chdir(dir), 0);
	for (int run = 0; run < 100 && !caught; run++) {
		pid_t pid = spawn_vger(args);
		int status, done = 0;

		while (!done) {
			kill(pid, SIGSTOP);
			ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
			if (!WIFSTOPPED(status)) {
				done = 1;	/* finished before it was caught */
				break;
			}
			if (fs_exists(parent) &&
			    count_prefixed(parent, ".vger-respin-")) {
				caught = 1;
				kill(pid, SIGINT);
			}
			kill(pid, SIGCONT);
			if (caught) {
				ck_assert_int_eq(waitpid(pid, &status, 0), pid);
				done = 1;
			}
		}
		if (caught) {
			struct vec names = VEC_INIT;

			ck_assert_uint_eq(count_prefixed(parent,
							 ".vger-respin-"), 0);
			if (fs_exists("out/s")) {
				list_dir("out/s", &names);
				ck_assert_uint_eq(names.n, 61);
				vec_release_str(&names);
			}
		}
		fs_rm_rf(parent);
	}
	ck_assert_msg(caught, "never caught a respin writing its files");
	free(parent);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/*
 * Two respins into the same new directory at once: one writes it, the
 * other is refused, never a silent replacement.
 */
START_TEST(concurrent_respins_to_one_directory)
{
	char *dir = t_tmpdir();
	struct t_git *g = long_repo(dir, 20);
	const char *args[] = { "respin", "master..topic", "--tree", "bpf-next",
			       "--no-check", "-o", "out/s", NULL };

	ck_assert_int_eq(chdir(dir), 0);
	for (int run = 0; run < 10; run++) {
		pid_t a = spawn_vger(args), b = spawn_vger(args);
		int sa, sb;
		struct vec names = VEC_INIT;

		ck_assert_int_eq(waitpid(a, &sa, 0), a);
		ck_assert_int_eq(waitpid(b, &sb, 0), b);
		ck_assert(WIFEXITED(sa) && WIFEXITED(sb));
		ck_assert_msg((WEXITSTATUS(sa) == 0) + (WEXITSTATUS(sb) == 0)
			      == 1, "run %d: %d and %d", run,
			      WEXITSTATUS(sa), WEXITSTATUS(sb));
		list_dir("out/s", &names);
		ck_assert_uint_eq(names.n, 21);
		vec_release_str(&names);
		ck_assert_uint_eq(count_prefixed("out", ".vger-respin-"), 0);
		fs_rm_rf("out");
	}
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/* An editor script at dir/name: the shell text body, run on "$1". */
static char *editor_script(const char *dir, const char *name,
			   const char *body)
{
	char *path = path_join(dir, name);
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "#!/bin/sh\n%s", body);
	t_write_file(path, sb.buf);
	ck_assert_int_eq(chmod(path, 0755), 0);
	sbuf_release(&sb);
	return path;
}

/*
 * Ctrl-C while the cover letter is in the editor goes to the whole
 * terminal group; the editor (as vim does) handles it and goes on, and
 * what it then saves is stored: vger does not die under it.
 */
START_TEST(ctrl_c_in_the_editor_keeps_the_edit)
{
	char *dir = t_tmpdir(), *tools = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	char *editor = editor_script(tools, "ed-int",
		"got=0\n"
		"trap 'got=1' INT\n"
		"echo EDITOR READY\n"
		"while [ \"$got\" = 0 ]; do sleep 0.05; done\n"
		"echo EDITOR GOT INT\n"
		"printf 'bpf: saved after Ctrl-C\\n\\nThe blurb.\\n' > \"$1\"\n");
	const char *args[] = { "respin", "--edit-cover", NULL };
	const char *env[] = { NULL, NULL };
	const struct t_pty_step steps[] = {
		{ .wait_for = "EDITOR READY", .write = "\x03" },
		{ .wait_for = "EDITOR GOT INT" },
		{ .wait_for = NULL }
	};
	struct sbuf out = SBUF_INIT, e = SBUF_INIT;
	struct series_job *job;
	struct err err = ERR_INIT;
	char *cover;

	sbuf_addf(&e, "GIT_EDITOR=%s", editor);
	env[0] = e.buf;
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(t_pty_run(args, env, steps, &out) == 0, "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "the cover letter of topic is kept as "
			     "branch.topic.description"), "%s", out.buf);
	ck_assert_int_eq(series_job_open(&job, dir, &err), 0);
	ck_assert_int_eq(series_cover_get(job, "topic", &cover, &err), 0);
	ck_assert_pstr_eq(cover, "bpf: saved after Ctrl-C\n\nThe blurb.\n");
	free(cover);
	series_job_free(job);
	sbuf_release(&out);
	sbuf_release(&e);
	free(editor);
	t_rmtree(tools);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

/*
 * An editor that fails after saving, or is killed: the cover letter is
 * unchanged and what was saved is kept, where vger says.
 */
START_TEST(failed_editor_keeps_the_text)
{
	static const char *const bodies[] = {
		"printf 'bpf: saved\\n\\nthen failed\\n' > \"$1\"\nexit 1\n",
		"printf 'bpf: saved\\n\\nthen failed\\n' > \"$1\"\n"
		"kill -TERM $$\n",
	};
	char *dir = t_tmpdir(), *tools = t_tmpdir();
	struct t_git *g = small_repo(dir, 0);
	const char *args[] = { "respin", "--edit-cover", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT, e = SBUF_INIT;

	ck_assert_int_eq(chdir(dir), 0);
	for (size_t i = 0; i < sizeof(bodies) / sizeof(*bodies); i++) {
		char *editor = editor_script(tools, "ed-fail", bodies[i]);
		const char *env[] = { NULL, NULL };
		const char *kept, *end;
		char *path, *text;

		sbuf_reset(&e);
		sbuf_addf(&e, "GIT_EDITOR=%s", editor);
		env[0] = e.buf;
		sbuf_reset(&errout);
		ck_assert_int_eq(t_vger(args, env, &out, &errout), 1);
		kept = strstr(errout.buf, "what the editor saved is kept in ");
		ck_assert_msg(kept, "%s", errout.buf);
		kept += strlen("what the editor saved is kept in ");
		end = strchr(kept, '\n');
		path = xstrndup(kept, (size_t)(end - kept));
		text = t_read_file(path);
		ck_assert_str_eq(text, "bpf: saved\n\nthen failed\n");
		free(text);
		ck_assert_int_eq(unlink(path), 0);
		path[strlen(path) - strlen("/COVER_LETTER")] = '\0';
		ck_assert_int_eq(rmdir(path), 0);
		free(path);
		free(editor);
	}
	sbuf_release(&out);
	sbuf_release(&errout);
	sbuf_release(&e);
	t_rmtree(tools);
	t_git_free(g);
	t_rmtree(dir);
}
END_TEST

static Suite *respin_suite(void)
{
	Suite *s = suite_create("respin");
	TCase *oc = tcase_create("oracle");
	TCase *tc = tcase_create("series");
	TCase *safety = tcase_create("safety");

	tcase_add_test(oc, oracle_varied_series_v3_with_cover);
	tcase_add_test(oc, oracle_cover_from_branch_description);
	tcase_add_test(oc, oracle_single_patch_v1_no_cover);
	tcase_add_test(oc, oracle_to_cc_and_threading);
	tcase_add_test(oc, oracle_binary_and_mode_change);
	tcase_add_test(oc, oracle_after_gc_many_files_diffstat);
	tcase_add_test(oc, oracle_odd_names_authors_and_subjects);
	tcase_add_test(oc, oracle_rename_scores_as_git);
	tcase_add_test(oc, oracle_real_messages_from_the_lists);
	tcase_add_test(oc, fmt_slug_and_wrap_follow_git);
	suite_add_tcase(s, oc);
	tcase_add_test(tc, version_follows_sent_tags);
	tcase_add_test(tc, cover_is_kept_with_the_branch_and_carried_over);
	tcase_add_test(tc, trailers_added_once_after_existing_ones);
	tcase_add_test(tc, tree_guessed_from_fixes_tags);
	tcase_add_test(tc, output_is_atomic_and_never_overwritten);
	tcase_add_test(tc, bad_ranges_are_named);
	tcase_add_test(tc, empty_commit_is_refused);
	tcase_add_test(tc, control_characters_never_reach_a_header_line);
	tcase_add_test(tc, cli_names_a_missing_v1_once);
	tcase_add_test(tc, cli_edit_cover_then_respin_and_refuse_again);
	tcase_add_test(tc, cli_carries_the_cover_to_the_next_version);
	tcase_add_test(tc, cli_trailers_and_cc_from_the_review_of_v1);
	tcase_add_test(tc, cli_merge_window_warns_and_suggests_rfc);
	tcase_add_test(tc, cli_iproute2_goes_to_netdev_with_bpf_maintainers);
	tcase_add_test(tc, recipients_set_after_format_equal_formatted_ones);
	tcase_add_test(tc, cli_to_cc_from_maintainers_as_vger_cc_gives);
	tcase_add_test(tc, cli_check_errors_stop_the_respin);
	tcase_add_test(tc, cli_bad_input_is_one_clear_line);
	suite_add_tcase(s, tc);
	tcase_add_test(safety, force_replaces_only_a_series);
	tcase_add_test(safety, force_swap_never_leaves_neither);
	tcase_add_test(safety, stale_temporary_directories_are_removed);
	tcase_add_test(safety,
		       interrupt_while_writing_leaves_no_temporary_directory);
	tcase_add_test(safety, concurrent_respins_to_one_directory);
	tcase_add_test(safety, ctrl_c_in_the_editor_keeps_the_edit);
	tcase_add_test(safety, failed_editor_keeps_the_text);
	suite_add_tcase(s, safety);
	return s;
}

int main(void)
{
	return t_run_suite(respin_suite());
}
