#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

char *path_join(const char *a, const char *b)
{
	struct sbuf sb = SBUF_INIT;
	size_t n = strlen(a);

	sbuf_addstr(&sb, a);
	if (n && a[n - 1] != '/')
		sbuf_addch(&sb, '/');
	while (*b == '/')
		b++;
	sbuf_addstr(&sb, b);
	return sbuf_detach(&sb);
}

int fs_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

int fs_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int fs_stat_regular(const char *path, struct stat *st, struct err *err)
{
	if (stat(path, st))
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	if (!S_ISREG(st->st_mode))
		return err_set(err, ERR_IO, "%s is %s, not a file", path,
			       file_kind(st->st_mode));
	return 0;
}

int fs_open_regular(const char *path, int flags, struct err *err)
{
	struct stat st;
	int fd, e;

	/* O_NONBLOCK: opening a FIFO must not wait for its other end */
	fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
	if (fd < 0) {
		e = errno;
		/* ENXIO: a FIFO opened to write, with nobody reading */
		if (!stat(path, &st) && !S_ISREG(st.st_mode))
			return err_set(err, ERR_IO, "%s is %s, not a file",
				       path, file_kind(st.st_mode));
		return err_set(err, e == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "%s: %s", path, strerror(e));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		e = errno;
		close(fd);
		return err_set(err, ERR_IO, "%s is %s, not a file", path,
			       S_ISREG(st.st_mode) ? strerror(e) :
			       file_kind(st.st_mode));
	}
	if (!(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int fs_mkdir_p(const char *path, struct err *err)
{
	char *p = xstrdup(path);
	int ret = 0;

	for (char *s = p + 1; ; s++) {
		char c = *s;

		if (c != '/' && c)
			continue;
		*s = '\0';
		if (mkdir(p, 0700) && errno != EEXIST) {
			ret = err_set(err, ERR_IO, "mkdir %s: %s", p,
				      strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!ret && !fs_is_dir(path))
		ret = err_set(err, ERR_IO, "%s: not a directory", path);
	free(p);
	return ret;
}

int fs_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = path_join(path, de->d_name);
		if (fs_rm_rf(sub))
			ret = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path))
		ret = -1;
	return ret;
}

int fs_write_all(int fd, const void *data, size_t len, const char *what,
		 struct err *err)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_set(err, ERR_IO, "write %s: %s", what,
				       n < 0 ? strerror(errno) :
				       "nothing written");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The directory part of path ("." when it has none); the caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * Give the unnamed file fd (O_TMPFILE) the name path, replacing what is
 * there: linked under a fresh name beside it, then renamed.  Until the
 * link the file has no name, so a process killed while writing (SIGKILL
 * too) leaves nothing behind; only these two calls are a window.  0,
 * 1 when /proc is not there to link through (the caller writes the old
 * way), or < 0 with err.
 */
static int link_in(int fd, const char *path, struct err *err)
{
	char proc[64];
	struct sbuf tmp = SBUF_INIT;
	int ret = 0;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (unsigned i = 0; ; i++) {
		sbuf_reset(&tmp);
		sbuf_addf(&tmp, "%s.tmp.%ld.%u", path, (long)getpid(), i);
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, tmp.buf,
			    AT_SYMLINK_FOLLOW))
			break;
		if (errno == EEXIST && i < 100)
			continue;
		ret = errno == ENOENT && !fs_exists("/proc/self/fd") ? 1 :
			err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp.buf, path)) {
		ret = err_set(err, ERR_IO, "rename %s: %s", path,
			      strerror(errno));
		unlink(tmp.buf);
	}
out:
	sbuf_release(&tmp);
	return ret;
}

/*
 * The data in an unnamed file of path's directory, then named path.
 * 1 when the file system (or a missing /proc) does not allow it.
 */
static int write_unnamed(const char *path, const void *data, size_t len,
			 struct err *err)
{
	char *dir = dir_of(path);
	int fd, ret;

	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(dir);
	if (fd < 0)
		return errno == EOPNOTSUPP || errno == EISDIR ||
		       errno == EINVAL ? 1 :
		       err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	ret = fs_write_all(fd, data, len, path, err);
	if (!ret && fsync(fd))
		ret = err_set(err, ERR_IO, "fsync %s: %s", path,
			      strerror(errno));
	if (!ret)
		ret = link_in(fd, path, err);
	if (close(fd) && !ret)
		ret = err_set(err, ERR_IO, "close %s: %s", path,
			      strerror(errno));
	return ret;
}

int fs_write_atomic(const char *path, const void *data, size_t len,
		    struct err *err)
{
	struct sbuf tmp = SBUF_INIT;
	int fd, ret;

	ret = write_unnamed(path, data, len, err);
	if (ret <= 0)
		return ret;
	/* No O_TMPFILE here: a named temporary file, removed on failure. */
	ret = 0;
	sbuf_addf(&tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		ret = err_set(err, ERR_IO, "%s: %s", tmp.buf, strerror(errno));
		goto out;
	}
	ret = fs_write_all(fd, data, len, tmp.buf, err);
	if (!ret && fsync(fd))
		ret = err_set(err, ERR_IO, "fsync %s: %s", tmp.buf,
			      strerror(errno));
	if (close(fd) && !ret)
		ret = err_set(err, ERR_IO, "close %s: %s", tmp.buf,
			      strerror(errno));
	if (!ret && rename(tmp.buf, path))
		ret = err_set(err, ERR_IO, "rename %s: %s", path,
			      strerror(errno));
	if (ret)
		unlink(tmp.buf);
out:
	sbuf_release(&tmp);
	return ret;
}

int fs_atomic_begin(struct fs_atomic *a, const char *path, struct err *err)
{
	struct sbuf tmp = SBUF_INIT;
	int fd;

	memset(a, 0, sizeof(*a));
	sbuf_addf(&tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		err_set(err, ERR_IO, "%s: %s", tmp.buf, strerror(errno));
		sbuf_release(&tmp);
		return -ERR_IO;
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		err_set(err, ERR_IO, "%s: %s", tmp.buf, strerror(errno));
		close(fd);
		unlink(tmp.buf);
		sbuf_release(&tmp);
		return -ERR_IO;
	}
	a->tmp = sbuf_detach(&tmp);
	a->path = xstrdup(path);
	return 0;
}

void fs_atomic_abort(struct fs_atomic *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

int fs_atomic_commit(struct fs_atomic *a, struct err *err)
{
	int ret = 0;

	/* the file named as the reader knows it, not its temporary name */
	if (fflush(a->f) || ferror(a->f) ||
	    (!a->nosync && fsync(fileno(a->f))))
		ret = err_set(err, ERR_IO, "write %s: %s", a->path,
			      strerror(errno));
	if (fclose(a->f) && !ret)
		ret = err_set(err, ERR_IO, "close %s: %s", a->path,
			      strerror(errno));
	a->f = NULL;
	if (!ret && rename(a->tmp, a->path))
		ret = err_set(err, ERR_IO, "rename %s: %s", a->path,
			      strerror(errno));
	if (ret)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	return ret;
}

char *fs_mkdtemp(const char *prefix, struct err *err)
{
	const char *tmp = getenv("TMPDIR");
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	if (!mkdtemp(sb.buf)) {
		err_set(err, ERR_IO, "mkdtemp %s: %s", sb.buf, strerror(errno));
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}

static char *xdg_dir(const char *env, const char *fallback)
{
	const char *base = getenv(env);
	const char *home = getenv("HOME");
	struct sbuf sb = SBUF_INIT;

	if (base && *base == '/')
		sbuf_addf(&sb, "%s/vger", base);
	else
		sbuf_addf(&sb, "%s/%s/vger", home && *home ? home : "/tmp",
			  fallback);
	return sbuf_detach(&sb);
}

char *fs_xdg_cache_dir(void)
{
	return xdg_dir("XDG_CACHE_HOME", ".cache");
}

char *fs_xdg_data_dir(void)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share");
}

char *fs_xdg_state_dir(void)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state");
}
