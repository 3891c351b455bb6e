#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "front/editor.h"
#include "front/gitconfig.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

static char *env_editor(const char *name, int need_terminal)
{
	const char *term = getenv("TERM");
	const char *e = getenv(name);

	if (!e || !*e || (need_terminal && (!term || !strcmp(term, "dumb"))))
		return NULL;
	return xstrdup(e);
}

char *front_editor(struct front_config *cfg, enum front_editor_for what)
{
	const char *term = getenv("TERM");
	char *e = NULL;

	if (what == FRONT_EDITOR_GIT) {
		e = env_editor("GIT_EDITOR", 0);
		if (!e)
			e = front_config_string(cfg, "core.editor");
	}
	if (!e || !*e) {
		free(e);
		e = env_editor("VISUAL", 1);
	}
	if (!e)
		e = env_editor("EDITOR", 0);
	if (!e && what == FRONT_EDITOR_MAIL)
		e = front_config_string(cfg, "core.editor");
	if (e && *e)
		return e;
	free(e);
	if (!term || !strcmp(term, "dumb"))
		return NULL;
	return xstrdup("vi");
}

int front_editor_run(const char *editor, const char *path, struct err *err)
{
	int shell = strcspn(editor, "|&;<>()$`\\\"' \t\n*?[#~=%") !=
		    strlen(editor);
	struct sigaction ign, old_int, old_quit;
	struct sbuf cmd = SBUF_INIT;
	pid_t pid;
	int status;

	sbuf_addf(&cmd, "%s \"$@\"", editor);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid < 0) {
		sbuf_release(&cmd);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		return err_set(err, ERR_IO, "fork: %s", strerror(errno));
	}
	if (!pid) {
		/* the editor gets Ctrl-C as it would from a shell */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (shell)
			execl("/bin/sh", "sh", "-c", cmd.buf, editor, path,
			      (char *)NULL);
		else
			execlp(editor, editor, path, (char *)NULL);
		_exit(127);
	}
	sbuf_release(&cmd);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			sigaction(SIGINT, &old_int, NULL);
			sigaction(SIGQUIT, &old_quit, NULL);
			return err_set(err, ERR_IO, "waitpid: %s",
				       strerror(errno));
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
}
