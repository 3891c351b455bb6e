#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

extern char **environ;

void t_assert_terminal_safe(const char *what, const struct sbuf *out)
{
	const char *p = out->buf, *end = out->buf + out->len;

	while (p < end) {
		size_t n = str_line_len(p);

		ck_assert_msg(utf8_safe_prefix(p, n) == n,
			      "%s: unsafe byte in line '%.*s'", what, (int)n,
			      p);
		p += n + (p[n] == '\n');
	}
}

int t_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

const char *t_srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s && *s ? s : ".";
}

const char *t_builddir(void)
{
	const char *s = getenv("top_builddir");

	return s && *s ? s : ".";
}

char *t_fixture(const char *rel)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s/tests/fixtures/%s", t_srcdir(), rel);
	return sbuf_detach(&sb);
}

static void (*each_fn)(const char *path);
static const char *each_suffix;
static size_t each_count;

static int each_file(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_F && str_ends_with(path, each_suffix)) {
		each_fn(path);
		each_count++;
	}
	return 0;
}

size_t t_fixture_files(const char *const dirs[], const char *suffix,
		       void (*fn)(const char *path))
{
	each_fn = fn;
	each_suffix = suffix;
	each_count = 0;
	for (size_t i = 0; dirs[i]; i++) {
		char *dir = t_fixture(dirs[i]);

		ck_assert_int_eq(nftw(dir, each_file, 16, FTW_PHYS), 0);
		free(dir);
	}
	return each_count;
}

char *t_tmpdir(void)
{
	struct err err = ERR_INIT;
	char *d = fs_mkdtemp("vger-test", &err);

	ck_assert_msg(d != NULL, "%s", err.msg);
	return d;
}

void t_rmtree(char *dir)
{
	if (dir)
		fs_rm_rf(dir);
	free(dir);
}

const char *t_small_fs(const char *dir)
{
	static char why[256];

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=1m,mode=0700")) {
		snprintf(why, sizeof(why), "cannot mount a small tmpfs at "
			 "%s: %s (a full disk needs root)", dir,
			 strerror(errno));
		rmdir(dir);
		return why;
	}
	return NULL;
}

void t_fill_fs(const char *dir)
{
	char *path = path_join(dir, ".filler");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	char block[4096];

	ck_assert_int_ge(fd, 0);
	memset(block, 'x', sizeof(block));
	for (;;) {
		ssize_t n = write(fd, block, sizeof(block));

		if (n > 0)
			continue;
		ck_assert_msg(n < 0 && errno == ENOSPC, "filling %s: %s", dir,
			      strerror(errno));
		break;
	}
	/* what a partial page may still take */
	while (write(fd, block, 1) == 1)
		;
	close(fd);
	free(path);
}

void t_unmount(const char *dir)
{
	ck_assert_msg(!umount2(dir, MNT_DETACH), "umount %s: %s", dir,
		      strerror(errno));
	rmdir(dir);
}

void t_write_file(const char *path, const char *data)
{
	struct err err = ERR_INIT;
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = '\0';
		ck_assert_msg(!fs_mkdir_p(dir, &err), "%s", err.msg);
	}
	free(dir);
	ck_assert_msg(!fs_write_atomic(path, data, strlen(data), &err), "%s",
		      err.msg);
}

char *t_read_file(const char *path)
{
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	ck_assert_msg(!sbuf_read_file(&sb, path, 64 << 20, &err), "%s",
		      err.msg);
	return sbuf_detach(&sb);
}

const char *const t_special_kinds[] = {
	"fifo", "dir", "/dev/zero", "/dev/null", NULL
};

void t_special_plant(const char *path, const char *kind)
{
	ck_assert_int_eq(fs_rm_rf(path), 0);
	if (!strcmp(kind, "fifo"))
		ck_assert_int_eq(mkfifo(path, 0600), 0);
	else if (!strcmp(kind, "dir"))
		ck_assert_int_eq(mkdir(path, 0700), 0);
	else if (kind[0] == '/')
		ck_assert_int_eq(symlink(kind, path), 0);
	else
		ck_abort_msg("%s: no such special file", kind);
}

const char *t_special_what(const char *kind)
{
	return !strcmp(kind, "fifo") ? "a FIFO" :
	       !strcmp(kind, "dir") ? "a directory" : "a device";
}

void t_special_intact(const char *path, const char *kind)
{
	struct stat st;
	char target[256];
	ssize_t n;
	DIR *d;
	struct dirent *de;

	ck_assert_msg(!lstat(path, &st), "%s: %s", path, strerror(errno));
	if (!strcmp(kind, "fifo")) {
		ck_assert_msg(S_ISFIFO(st.st_mode), "%s: not a FIFO now", path);
	} else if (!strcmp(kind, "dir")) {
		ck_assert_msg(S_ISDIR(st.st_mode), "%s: not a directory now",
			      path);
		d = opendir(path);
		ck_assert_ptr_nonnull(d);
		while ((de = readdir(d)))
			ck_assert_msg(!strcmp(de->d_name, ".") ||
				      !strcmp(de->d_name, ".."),
				      "%s: %s was put in it", path,
				      de->d_name);
		closedir(d);
	} else {
		ck_assert_msg(S_ISLNK(st.st_mode), "%s: not a symlink now",
			      path);
		n = readlink(path, target, sizeof(target) - 1);
		ck_assert_int_gt(n, 0);
		target[n] = '\0';
		ck_assert_str_eq(target, kind);
		/* and the device is still one */
		ck_assert_int_eq(stat(kind, &st), 0);
		ck_assert_msg(S_ISCHR(st.st_mode), "%s: not a device", kind);
	}
}

static void drain(int fd, struct sbuf *sb)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0 && sb)
		sbuf_add(sb, buf, (size_t)n);
}

/* Whether "K=V" entry e has its K set again in extra. */
static int env_overridden(const char *e, const char *const extra[])
{
	size_t n = strcspn(e, "=");

	for (size_t i = 0; extra && extra[i]; i++)
		if (!strncmp(extra[i], e, n) && extra[i][n] == '=')
			return 1;
	return 0;
}

int t_run(const char *const argv[], const char *const env_extra[],
	  const char *in, struct sbuf *out, struct sbuf *errout)
{
	int pin[2], pout[2], perr[2], status;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct vec env = VEC_INIT;
	size_t in_len = in ? strlen(in) : 0, in_off = 0;
	pid_t pid;

	ck_assert(!pipe2(pin, O_CLOEXEC) && !pipe2(pout, O_CLOEXEC) &&
		  !pipe2(perr, O_CLOEXEC));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	/* A variable in env_extra replaces the inherited one. */
	for (char **e = environ; *e; e++)
		if (!env_overridden(*e, env_extra))
			vec_push(&env, *e);
	for (size_t i = 0; env_extra && env_extra[i]; i++)
		vec_push(&env, (void *)env_extra[i]);
	vec_push(&env, NULL);
	/*
	 * A session of its own: no controlling terminal, so a program
	 * that asks on /dev/tty finds none, whatever terminal make check
	 * runs in.
	 */
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	ck_assert_msg(!posix_spawnp(&pid, argv[0], &fa, &attr,
				    (char *const *)argv,
				    (char *const *)env.items),
		      "cannot run %s", argv[0]);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	vec_release(&env, NULL);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (!in_len) {
		close(pin[1]);
		pin[1] = -1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		struct pollfd p[3] = {
			{ pout[0], POLLIN, 0 }, { perr[0], POLLIN, 0 },
			{ pin[1], POLLOUT, 0 },
		};
		int nfds = pin[1] >= 0 ? 3 : 2;

		if (p[0].fd < 0 && p[1].fd < 0)
			break;
		if (poll(p, (nfds_t)nfds, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd >= 0 && p[i].revents) {
				size_t before = i ? (errout ? errout->len : 0) :
					(out ? out->len : 0);
				struct sbuf *dst = i ? errout : out;
				struct sbuf tmp = SBUF_INIT;

				drain(p[i].fd, dst ? dst : &tmp);
				if ((dst ? dst->len : tmp.len) == before) {
					close(p[i].fd);
					if (i)
						perr[0] = -1;
					else
						pout[0] = -1;
				}
				sbuf_release(&tmp);
			}
		}
		if (nfds == 3 && p[2].revents) {
			ssize_t n = write(pin[1], in + in_off, in_len - in_off);

			if (n > 0)
				in_off += (size_t)n;
			if (n <= 0 || in_off == in_len) {
				close(pin[1]);
				pin[1] = -1;
			}
		}
	}
	if (pin[1] >= 0)
		close(pin[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int t_in_path(const char *prog)
{
	const char *argv[] = { "sh", "-c", NULL, NULL };
	struct sbuf cmd = SBUF_INIT;
	int found;

	sbuf_addf(&cmd, "command -v %s >/dev/null", prog);
	argv[2] = cmd.buf;
	found = t_run(argv, NULL, NULL, NULL, NULL) == 0;
	sbuf_release(&cmd);
	return found;
}

int t_vger(const char *const args[], const char *const env_extra[],
	   struct sbuf *out, struct sbuf *errout)
{
	const char *vger = getenv("VGER");
	struct vec argv = VEC_INIT;
	int ret;

	vec_push(&argv, (void *)(vger && *vger ? vger : "./vger"));
	for (size_t i = 0; args[i]; i++)
		vec_push(&argv, (void *)args[i]);
	vec_push(&argv, NULL);
	ret = t_run((const char *const *)argv.items, env_extra, NULL, out,
		    errout);
	vec_release(&argv, NULL);
	return ret;
}

static void notmuch_new(const char *root)
{
	struct sbuf env = SBUF_INIT, out = SBUF_INIT, errout = SBUF_INIT;
	const char *argv[] = { "notmuch", "new", "--quiet", NULL };
	const char *envv[] = { NULL, NULL };
	int rc;

	sbuf_addf(&env, "NOTMUCH_CONFIG=%s/notmuch-config", root);
	envv[0] = env.buf;
	rc = t_run(argv, envv, NULL, &out, &errout);
	ck_assert_msg(rc == 0, "notmuch new failed (%d): %s", rc, errout.buf);
	sbuf_release(&env);
	sbuf_release(&out);
	sbuf_release(&errout);
}

static void copy_tree(const char *src, const char *dst)
{
	const char *argv[] = { "cp", "-R", src, dst, NULL };
	struct sbuf errout = SBUF_INIT;

	ck_assert_msg(!t_run(argv, NULL, NULL, NULL, &errout),
		      "cp -R %s %s: %s", src, dst, errout.buf);
	sbuf_release(&errout);
}

char *t_notmuch_path(const char *root)
{
	return path_join(root, "mail");
}

char *t_notmuch_db(const char *const maildirs[])
{
	char *root = t_tmpdir();
	char *mail = t_notmuch_path(root);
	struct sbuf cfg = SBUF_INIT, p = SBUF_INIT;
	struct err err = ERR_INIT;

	ck_assert(!fs_mkdir_p(mail, &err));
	sbuf_addf(&cfg, "[database]\npath=%s\n[user]\nname=Test User\n"
		  "primary_email=test@example.org\n[new]\ntags=unread;inbox\n"
		  "ignore=/[.](tsv|md|txt)$/\n[maildir]\nsynchronize_flags=false\n", mail);
	sbuf_addf(&p, "%s/notmuch-config", root);
	t_write_file(p.buf, cfg.buf);
	for (size_t i = 0; maildirs && maildirs[i]; i++)
		copy_tree(maildirs[i], mail);
	notmuch_new(root);
	sbuf_release(&cfg);
	sbuf_release(&p);
	free(mail);
	return root;
}

void t_notmuch_tag(const char *root, const char *tag, const char *query)
{
	struct sbuf env = SBUF_INIT, errout = SBUF_INIT;
	const char *argv[] = { "notmuch", "tag", tag, "--", query, NULL };
	const char *envv[] = { NULL, NULL };
	int rc;

	sbuf_addf(&env, "NOTMUCH_CONFIG=%s/notmuch-config", root);
	envv[0] = env.buf;
	rc = t_run(argv, envv, NULL, NULL, &errout);
	ck_assert_msg(rc == 0, "notmuch tag failed (%d): %s", rc, errout.buf);
	sbuf_release(&env);
	sbuf_release(&errout);
}

void t_server_start(struct t_server *s, const char *const argv[])
{
	int in[2], out[2];
	char buf[32];
	struct pollfd pfd;
	ssize_t n = 0, r;
	long port;

	ck_assert(!pipe(in) && !pipe(out));
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (!s->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->in = in[1];
	/* The port on the first line, within 10 s. */
	pfd.fd = out[0];
	pfd.events = POLLIN;
	while (n < (ssize_t)sizeof(buf) - 1 && !memchr(buf, '\n', (size_t)n)) {
		ck_assert_msg(poll(&pfd, 1, 10000) == 1, "%s silent", argv[1]);
		r = read(out[0], buf + n, sizeof(buf) - 1 - (size_t)n);
		ck_assert_msg(r > 0, "%s did not start", argv[1]);
		n += r;
	}
	buf[n] = '\0';
	*strchr(buf, '\n') = '\0';
	ck_assert(!str_to_long(buf, &port) && port > 0 && port < 65536);
	s->port = (int)port;
	close(out[0]);
}

void t_server_stop(struct t_server *s)
{
	int status;

	close(s->in);
	ck_assert_int_eq(waitpid(s->pid, &status, 0), s->pid);
}

char *t_glob_one(const char *pattern)
{
	glob_t g;
	char *path;

	ck_assert_msg(!glob(pattern, 0, NULL, &g) && g.gl_pathc == 1,
		      "%s: not exactly one match", pattern);
	path = xstrdup(g.gl_pathv[0]);
	globfree(&g);
	return path;
}

void t_notmuch_add(const char *root, const char *maildir)
{
	char *mail = t_notmuch_path(root);

	copy_tree(maildir, mail);
	notmuch_new(root);
	free(mail);
}

void t_smtpd_start(struct t_smtpd *d, const char *const extra[])
{
	char *script = path_join(t_srcdir(), "tests/smtpd.py");
	const char *argv[24] = { "python3", script };
	size_t k = 2;

	d->dir = t_tmpdir();
	for (size_t i = 0; extra && extra[i]; i++)
		argv[k++] = extra[i];
	argv[k++] = d->dir;
	argv[k] = NULL;
	t_server_start(&d->srv, argv);
	d->port = d->srv.port;
	snprintf(d->portstr, sizeof(d->portstr), "%d", d->port);
	free(script);
}

void t_smtpd_stop(struct t_smtpd *d)
{
	t_server_stop(&d->srv);
	t_rmtree(d->dir);
	d->dir = NULL;
}

char *t_smtpd_file(const struct t_smtpd *d, int n, const char *ext)
{
	struct sbuf p = SBUF_INIT;
	char *text = NULL;

	sbuf_addf(&p, "%s/%d.%s", d->dir, n, ext);
	if (fs_exists(p.buf))
		text = t_read_file(p.buf);
	sbuf_release(&p);
	return text;
}

int t_smtpd_count(const struct t_smtpd *d)
{
	int n = 0;
	char *f;

	while ((f = t_smtpd_file(d, n + 1, "eml"))) {
		free(f);
		n++;
	}
	return n;
}

char *t_smtpd_received(const struct t_smtpd *d, int n)
{
	char *t = t_smtpd_file(d, n, "eml");
	char *w = t;

	ck_assert_msg(t != NULL, "the server has no message %d", n);
	for (const char *r = t; *r; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r;
	*w = '\0';
	return t;
}

long t_vm_hwm_kb(void)
{
	char *status = t_read_file("/proc/self/status");
	const char *p = strstr(status, "VmHWM:");
	long kb = p ? strtol(p + 6, NULL, 10) : -1;

	free(status);
	return kb;
}
