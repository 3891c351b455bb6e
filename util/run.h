/*
 * Running another program (git, checkpatch.pl) with an argv, never
 * through a shell, and reading what it prints.  There is no working
 * directory option on purpose: changing the process's directory is not
 * safe with threads running; give git -C DIR instead.
 */
#ifndef UTIL_RUN_H
#define UTIL_RUN_H

#include <signal.h>
#include <stddef.h>

struct err;
struct sbuf;

struct run_options {
	const char *const *env;		/* "NAME=value" to add, NULL-ended */
	size_t max_output;		/* bytes kept at most (0: 16 MiB) */
	int with_stderr;		/* stderr into out too */
	/*
	 * Else, when not NULL, stderr here (its first RUN_ERROUT_MAX
	 * bytes), not on the terminal: what a program says about input
	 * from mail (git apply naming a patch's files) is shown by the
	 * caller, made safe, never inherited raw.
	 */
	struct sbuf *errout;
};

#define RUN_ERROUT_MAX (64 << 10)

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

/* How run_lines() hands over the output, and how it can be stopped. */
struct run_lines_options {
	const char *const *env;		/* "NAME=value" to add, NULL-ended */
	/*
	 * Called with each line the program writes to stdout or stderr
	 * (one pipe, so in the order written), without its newline; a
	 * line longer than 4 KiB comes in pieces.  The string lives
	 * until line() returns.
	 */
	void (*line)(const char *line, void *data);
	void *data;
	/*
	 * When not NULL, looked at every 100 ms (sooner when a signal
	 * interrupts the wait): once non-zero, the program gets SIGINT,
	 * and SIGKILL if it still runs 5 s later; output after its end
	 * (of something it started, as lei's daemon) is waited for 3 s
	 * at most.
	 */
	volatile sig_atomic_t *stop;
	/*
	 * When not NULL, called about every 100 ms while the program
	 * runs: a non-zero return stops it as the stop flag does (a
	 * watchdog: the caller decides what "no progress" is).
	 */
	int (*tick)(void *data);
};

/*
 * Run argv (found in $PATH) with stdin from /dev/null, handing each
 * line it prints to o->line as it comes, for a front end to show
 * progress.  Output goes on until the pipe's end, also after the
 * program ended (what it started may still write: lei's daemon); the
 * stop flag ends that wait too.  The exit status (0..255, 128 + the
 * signal that killed it), or < 0 with err when it could not be run.
 */
int run_lines(const char *const argv[], const struct run_lines_options *o,
	      struct err *err);
/* The monotonic clock run_lines() keeps time by, in milliseconds. */
long run_clock_ms(void);

#endif
