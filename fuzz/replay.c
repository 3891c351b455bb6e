/*
 * The plain main() of a fuzz target: feed it every file of its corpus,
 * so `make check` runs every corpus without clang or libFuzzer.
 *
 *   fuzz/fuzz-NAME [FILE|DIR]...
 *
 * With no argument the corpus is $top_srcdir/fuzz/corpus/NAME (NAME
 * from the program's own name, "fuzz-" dropped).  A directory's files
 * are run in name order.  A run of no input at all fails: a corpus
 * that went missing must not pass as an empty one.  A crash, a
 * sanitizer report or an assertion of the target fails the run, with
 * the file named before it is fed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* Inputs larger than libFuzzer's default -max_len are not corpus files. */
#define REPLAY_FILE_MAX (16u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	if (sbuf_read_file(&sb, path, REPLAY_FILE_MAX, &err)) {
		printf("FAIL: %s\n", err.msg);
		sbuf_release(&sb);
		return -1;
	}
	/* Named first: a crash in the target leaves the name in the log. */
	printf("input %s (%zu bytes)\n", path, sb.len);
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)sb.buf, sb.len);
	sbuf_release(&sb);
	return 0;
}

/* Run path (a file or a directory of files); the inputs run, or -1. */
static long run_path(const char *path)
{
	struct vec names = VEC_INIT;
	struct dirent *de;
	long n = 0;
	DIR *d;

	if (!fs_is_dir(path))
		return run_file(path) ? -1 : 1;
	d = opendir(path);
	if (!d) {
		printf("FAIL: %s: cannot read the directory\n", path);
		return -1;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			vec_push(&names, path_join(path, de->d_name));
	closedir(d);
	qsort(names.items, names.n, sizeof(names.items[0]), cmp_str);
	for (size_t i = 0; i < names.n && n >= 0; i++) {
		struct stat st;

		if (stat(names.items[i], &st) || !S_ISREG(st.st_mode))
			continue;
		n = run_file(names.items[i]) ? -1 : n + 1;
	}
	vec_release(&names, free);
	return n;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const char *top = getenv("top_srcdir");
	char *name, *dflt = NULL;
	long total = 0;

	base = base ? base + 1 : argv[0];
	name = xstrdup(strncmp(base, "fuzz-", 5) ? base : base + 5);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "%s/fuzz/corpus/%s", top ? top : ".", name);
		dflt = sbuf_detach(&sb);
	}
	for (int i = 1; i < argc || (dflt && i == 1); i++) {
		long n = run_path(dflt ? dflt : argv[i]);

		if (n < 0)
			return 1;
		total += n;
	}
	if (!total) {
		printf("FAIL: %s: no input in %s\n", name,
		       dflt ? dflt : "the arguments");
		return 1;
	}
	printf("PASS: %s: %ld inputs replayed\n", name, total);
	free(dflt);
	free(name);
	return 0;
}
