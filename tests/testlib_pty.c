/*
 * The real binary on a real terminal (tests/testlib.h): a pty of its
 * own, the terminal's output read back, keys typed and signals sent
 * when the output says it is time.  A file of its own in libtest.a, so
 * that only the suites that use it link forkpty()'s library.
 */
#include <check.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/testlib.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/*
 * Run vger with args on a new pty (its controlling terminal) and the
 * environment env added; play steps; return the exit status; out gets
 * everything the terminal showed.
 */
int t_pty_run(const char *const args[], const char *const env[],
	      const struct t_pty_step *steps, struct sbuf *out)
{
	const char *vger = getenv("VGER");
	const char *argv[32] = { vger && *vger ? vger : "./vger" };
	size_t n = 1, step = 0, searched = 0;
	int master, status;
	pid_t pid;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = forkpty(&master, NULL, NULL, NULL);
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		for (size_t i = 0; env && env[i]; i++)
			putenv(xstrdup(env[i]));
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	sbuf_reset(out);
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		char buf[4096];
		ssize_t r;

		ck_assert_msg(poll(&p, 1, 30000) == 1, "vger is silent; so "
			      "far: %s", out->buf);
		r = read(master, buf, sizeof(buf));
		if (r <= 0)
			break;	/* EIO: the child closed the terminal */
		sbuf_add(out, buf, (size_t)r);
		while (steps && steps[step].wait_for &&
		       strstr(out->buf + searched, steps[step].wait_for)) {
			searched = (size_t)(strstr(out->buf + searched,
					    steps[step].wait_for) - out->buf) +
				   strlen(steps[step].wait_for);
			for (int i = 0; steps[step].ready &&
			     !steps[step].ready(steps[step].arg); i++) {
				ck_assert_msg(i < 500, "never ready to go on "
					      "after '%s'",
					      steps[step].wait_for);
				poll(NULL, 0, 20);
			}
			if (steps[step].write)
				ck_assert(write(master, steps[step].write,
						strlen(steps[step].write)) > 0);
			if (steps[step].signal)
				kill(pid, steps[step].signal);
			step++;
		}
	}
	close(master);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(!steps || !steps[step].wait_for, "never saw '%s': %s",
		      steps[step].wait_for, out->buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
