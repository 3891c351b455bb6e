#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/vec.h"

extern char **environ;

#define RUN_OUTPUT_MAX (16u << 20)

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

int run_capture(const char *const argv[], const struct run_options *o,
		struct sbuf *out, struct err *err)
{
	return run_capture_input(argv, o, NULL, 0, out, err);
}

int run_capture_input(const char *const argv[], const struct run_options *o,
		      const char *input, size_t len, struct sbuf *out,
		      struct err *err)
{
	static const struct run_options none = { NULL, 0, 0 };
	posix_spawn_file_actions_t fa;
	struct vec env = VEC_INIT;
	int pipefd[2], status, rc, in = -1;
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
	if (pipe2(pipefd, O_CLOEXEC)) {
		if (in >= 0)
			close(in);
		return err_set(err, ERR_IO, "pipe: %s", strerror(errno));
	}
	build_env(o->env, &env);
	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	if (o->with_stderr)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			  (char *const *)env.items);
	posix_spawn_file_actions_destroy(&fa);
	vec_release(&env, NULL);
	close(pipefd[1]);
	if (in >= 0)
		close(in);
	if (rc) {
		close(pipefd[0]);
		return err_set(err, ERR_IO, "cannot run %s: %s", argv[0],
			       strerror(rc));
	}
	rc = sbuf_read_fd(out, pipefd[0], o->max_output ? o->max_output :
			  RUN_OUTPUT_MAX, err);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(err, ERR_IO, "waitpid: %s",
				       strerror(errno));
	if (rc < 0)
		return rc;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
}
