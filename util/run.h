/*
 * Running another program (git, checkpatch.pl) with an argv, never
 * through a shell, and reading what it prints.  There is no working
 * directory option on purpose: changing the process's directory is not
 * safe with threads running; give git -C DIR instead.
 */
#ifndef UTIL_RUN_H
#define UTIL_RUN_H

#include <stddef.h>

struct err;
struct sbuf;

struct run_options {
	const char *const *env;		/* "NAME=value" to add, NULL-ended */
	size_t max_output;		/* bytes kept at most (0: 16 MiB) */
	int with_stderr;		/* stderr into out too */
};

/*
 * Run argv[0] (found in $PATH) with stdin from /dev/null; append what
 * it writes to stdout to out.  The exit status (0..255, 128 + the
 * signal that killed it), or < 0 with err when it could not be run or
 * wrote more than max_output.
 */
int run_capture(const char *const argv[], const struct run_options *o,
		struct sbuf *out, struct err *err);
/*
 * The same with input (len bytes) on its stdin.  The input goes to a
 * memory file first, so a program that writes before it has read
 * everything cannot block; argv[0] may be a path.
 */
int run_capture_input(const char *const argv[], const struct run_options *o,
		      const char *input, size_t len, struct sbuf *out,
		      struct err *err);

#endif
