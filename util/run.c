#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/vec.h"

extern char **environ;

#define RUN_OUTPUT_MAX (16u << 20)
#define RUN_LINE_MAX 4096
#define RUN_DRAIN_MS 3000	/* output after a stop, waited for at most */

/* environ with the entries of add in front (a name there wins). */
static void build_env(const char *const *add, struct vec *out)
{
	for (size_t i = 0; add && add[i]; i++)
		vec_push(out, (char *)add[i]);
	for (char **e = environ; *e; e++) {
		size_t n = strcspn(*e, "=");
		int dup = 0;

		for (size_t i = 0; add && add[i] && !dup; i++)
			dup = !strncmp(add[i], *e, n) && add[i][n] == '=';
		if (!dup)
			vec_push(out, *e);
	}
	vec_push(out, NULL);
}

/*
 * Start argv with stdin from in (from /dev/null when in < 0) and
 * stdout (and stderr when with_stderr) on a pipe whose read end is *fd.
 */
static int spawn_piped(const char *const argv[], const char *const *env_add,
		       int in, int with_stderr, int errfd, pid_t *pid, int *fd,
		       struct err *err)
{
	posix_spawn_file_actions_t fa;
	struct vec env = VEC_INIT;
	int pipefd[2], rc;

	if (pipe2(pipefd, O_CLOEXEC))
		return err_set(err, ERR_IO, "pipe: %s", strerror(errno));
	build_env(env_add, &env);
	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	if (with_stderr)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	else if (errfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	rc = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv,
			  (char *const *)env.items);
	posix_spawn_file_actions_destroy(&fa);
	vec_release(&env, NULL);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		return err_set(err, ERR_IO, "cannot run %s: %s", argv[0],
			       strerror(rc));
	}
	*fd = pipefd[0];
	return 0;
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
}

int run_capture(const char *const argv[], const struct run_options *o,
		struct sbuf *out, struct err *err)
{
	return run_capture_input(argv, o, NULL, 0, out, err);
}

int run_capture_input(const char *const argv[], const struct run_options *o,
		      const char *input, size_t len, struct sbuf *out,
		      struct err *err)
{
	static const struct run_options none = { NULL, 0, 0, NULL };
	int fd, status, rc, in = -1, errfd = -1;
	pid_t pid;

	if (!o)
		o = &none;
	if (input) {
		in = memfd_create("vger-input", MFD_CLOEXEC);
		if (in < 0)
			return err_set(err, ERR_IO, "memfd_create: %s",
				       strerror(errno));
		rc = fs_write_all(in, input, len, "input", err);
		if (!rc && lseek(in, 0, SEEK_SET) < 0)
			rc = err_set(err, ERR_IO, "lseek: %s", strerror(errno));
		if (rc) {
			close(in);
			return rc;
		}
	}
	/* a file, not a pipe: nothing to read while stdout is read */
	if (!o->with_stderr && o->errout) {
		errfd = memfd_create("vger-stderr", MFD_CLOEXEC);
		if (errfd < 0) {
			if (in >= 0)
				close(in);
			return err_set(err, ERR_IO, "memfd_create: %s",
				       strerror(errno));
		}
	}
	rc = spawn_piped(argv, o->env, in, o->with_stderr, errfd, &pid, &fd,
			 err);
	if (in >= 0)
		close(in);
	if (rc) {
		if (errfd >= 0)
			close(errfd);
		return rc;
	}
	rc = sbuf_read_fd(out, fd, o->max_output ? o->max_output :
			  RUN_OUTPUT_MAX, err);
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			rc = err_set(err, ERR_IO, "waitpid: %s",
				     strerror(errno));
			break;
		}
	if (errfd >= 0) {
		struct sbuf said = SBUF_INIT;

		/* What is past RUN_ERROUT_MAX is dropped, not an error. */
		if (lseek(errfd, 0, SEEK_SET) == 0)
			sbuf_read_fd(&said, errfd, RUN_ERROUT_MAX, NULL);
		sbuf_add(o->errout, said.buf, said.len < RUN_ERROUT_MAX ?
			 said.len : RUN_ERROUT_MAX);
		sbuf_release(&said);
		close(errfd);
	}
	if (rc < 0)
		return rc;
	return exit_status(status);
}

long run_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Hand every whole line of pending to the callback; keep the rest. */
static void flush_lines(struct sbuf *pending, const struct run_lines_options *o,
			int all)
{
	size_t start = 0;

	for (;;) {
		char *nl = memchr(pending->buf + start, '\n',
				  pending->len - start);
		size_t end;

		if (nl)
			end = (size_t)(nl - pending->buf);
		else if (pending->len - start >= RUN_LINE_MAX ||
			 (all && pending->len > start))
			end = pending->len;
		else
			break;
		pending->buf[end] = '\0';
		if (end > start && pending->buf[end - 1] == '\r')
			pending->buf[end - 1] = '\0';
		if (o->line)
			o->line(pending->buf + start, o->data);
		start = nl ? end + 1 : end;
	}
	memmove(pending->buf, pending->buf + start, pending->len - start);
	sbuf_setlen(pending, pending->len - start);
}

int run_lines(const char *const argv[], const struct run_lines_options *o,
	      struct err *err)
{
	struct sbuf pending = SBUF_INIT;
	long kill_at = 0, drain_until = 0;
	int fd, status = 0, rc, exited = 0, eof = 0, signalled = 0;
	pid_t pid;

	rc = spawn_piped(argv, o->env, -1, 1, -1, &pid, &fd, err);
	if (rc)
		return rc;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	/*
	 * Until the program has ended and its output too: something it
	 * started may write after it ended (lei's daemon, whose writers
	 * hold the pipe).  Asked to stop, wait for that at most
	 * RUN_DRAIN_MS more: what the program started is told to stop
	 * too and should be gone by then, not writing on after we
	 * return.  A signal (the stop flag's) interrupts poll(): no wait
	 * then.
	 */
	while (!exited ||
	       (!eof && (!signalled || run_clock_ms() < drain_until))) {
		struct pollfd p = { fd, POLLIN, 0 };
		char buf[4096];
		long now;

		if (poll(&p, eof ? 0 : 1, 100) > 0) {
			ssize_t r = read(fd, buf, sizeof(buf));

			if (r > 0) {
				sbuf_add(&pending, buf, (size_t)r);
				flush_lines(&pending, o, 0);
			} else if (r == 0) {
				eof = 1;
			}
		}
		now = run_clock_ms();
		if (!signalled && ((o->stop && *o->stop) ||
				   (o->tick && !exited && o->tick(o->data)))) {
			if (!exited)
				kill(pid, SIGINT);
			signalled = 1;
			kill_at = now + 5000;
			drain_until = now + RUN_DRAIN_MS;
		}
		if (signalled && !exited && now >= kill_at)
			kill(pid, SIGKILL);
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
	}
	flush_lines(&pending, o, 1);
	sbuf_release(&pending);
	close(fd);
	return exit_status(status);
}
