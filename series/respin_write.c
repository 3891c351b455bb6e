/*
 * Writing a formatted series into its directory (series_write() of
 * series/respin.h), so that an unlucky moment never costs the user a
 * file: the new files go into a temporary directory next to the
 * target and are renamed into place whole; an existing directory is
 * replaced (with force) only when it holds nothing but a series vger
 * or git format-patch wrote, and atomically, so that either the old
 * or the new series is there, never neither; the temporary
 * directories of runs that died are removed; two runs writing next to
 * each other take turns.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "series/respin.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* The temporary directories: ".vger-respin-<pid>-XXXXXX". */
#define TMP_PREFIX ".vger-respin-"
/* A temporary directory without a pid (older vger) is stale after this. */
#define TMP_STALE_SECS (10 * 60)
/* How long to wait for another respin writing next to this one. */
#define LOCK_WAIT_MS 10000
/* The first line of every file git format-patch writes. */
#define MBOX_MAGIC_TAIL " Mon Sep 17 00:00:00 2001\n"

static char *parent_dir(const char *dir)
{
	struct sbuf sb = SBUF_INIT;
	char *slash;

	sbuf_addstr(&sb, dir);
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		sbuf_setlen(&sb, sb.len - 1);
	slash = strrchr(sb.buf, '/');
	if (!slash) {
		sbuf_reset(&sb);
		sbuf_addch(&sb, '.');
	} else {
		sbuf_setlen(&sb, slash == sb.buf ? 1 :
			    (size_t)(slash - sb.buf));
	}
	return sbuf_detach(&sb);
}

static int write_new(const char *path, const char *data, struct err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	int ret;

	if (fd < 0)
		return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	ret = fs_write_all(fd, data, strlen(data), path, err);
	if (close(fd) && !ret)
		ret = err_set(err, ERR_IO, "close %s: %s", path,
			      strerror(errno));
	return ret;
}

/*
 * Whether the file at path starts as git format-patch writes a patch:
 * "From <40 hex> Mon Sep 17 00:00:00 2001".
 */
static int is_patch_file(const char *path)
{
	char head[128];
	int fd = fs_open_regular(path, O_RDONLY, NULL);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < 0)
		return 0;
	head[n] = '\0';
	return str_starts_with(head, "From ") && str_is_hex(head + 5, 40) &&
	       str_starts_with(head + 45, MBOX_MAGIC_TAIL);
}

/* "0001-x.patch", "v3-0000-cover-letter.patch": git's file names. */
static int is_patch_name(const char *name)
{
	const char *p = name;

	if (*p == 'v') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != '-')
			return 0;
	}
	for (int i = 0; i < 4; i++, p++)
		if (*p < '0' || *p > '9')
			return 0;
	return *p == '-' && str_ends_with(p, ".patch");
}

/*
 * Whether dir holds nothing but a series: patch files as git
 * format-patch names them (vger's are the same; the text may have
 * been edited), or *.patch files as it writes them, nothing else.  0,
 * or ERR_STATE naming the first thing that is not one.
 */
static int check_series_dir(const char *dir, struct err *err)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (lstat(dir, &st))
		return err_set(err, ERR_IO, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ERR_STATE, "%s is not a directory: not "
			       "replacing it", dir);
	d = opendir(dir);
	if (!d)
		return err_set(err, ERR_IO, "%s: %s", dir, strerror(errno));
	while (!ret && (de = readdir(d))) {
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = path_join(dir, de->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode) ||
		    !str_ends_with(de->d_name, ".patch") ||
		    !(is_patch_name(de->d_name) || is_patch_file(path)))
			ret = err_set(err, ERR_STATE, "%s holds %s, which is "
				      "not a patch vger or git format-patch "
				      "wrote: not replacing it (--force "
				      "replaces only a series)", dir,
				      de->d_name);
		free(path);
	}
	closedir(d);
	return ret;
}

/* The pid in a temporary directory's name, or 0 for an older one. */
static long tmp_pid(const char *name)
{
	const char *p = name + strlen(TMP_PREFIX);
	unsigned long pid;

	if (scan_uint(&p, &pid, 10) || *p != '-' || !pid)
		return 0;
	return (long)pid;
}

/*
 * Remove the temporary directories of respins that died before their
 * rename (SIGKILL, a crash, an older vger): their process is gone, or
 * an older one's is old.  Only a directory that holds nothing but
 * patch files is removed.
 */
static void remove_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		char *path;
		long pid;
		int stale;

		if (!str_starts_with(de->d_name, TMP_PREFIX))
			continue;
		path = path_join(parent, de->d_name);
		pid = tmp_pid(de->d_name);
		if (lstat(path, &st) || !S_ISDIR(st.st_mode))
			stale = 0;
		else if (pid)
			stale = pid != (long)getpid() &&
				kill((pid_t)pid, 0) && errno == ESRCH;
		else
			stale = now - st.st_mtime > TMP_STALE_SECS;
		if (stale && !check_series_dir(path, NULL))
			fs_rm_rf(path);
		free(path);
	}
	closedir(d);
}

/*
 * Take turns with other respins writing into parent: a lock on the
 * directory itself, which leaves nothing behind.  The descriptor, or
 * a negative err code.
 */
static int lock_parent(const char *parent, const char *dir, struct err *err)
{
	int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return err_set(err, ERR_IO, "%s: %s", parent, strerror(errno));
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB); waited += 50) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (errno != EWOULDBLOCK || waited >= LOCK_WAIT_MS) {
			int e = errno;

			close(fd);
			return err_set(err, ERR_STATE, "another vger respin is "
				       "writing next to %s (%s)", dir,
				       e == EWOULDBLOCK ? "waited 10 s" :
				       strerror(e));
		}
		nanosleep(&ts, NULL);
	}
	return fd;
}

/*
 * Swap the new series at tmp with the old one at dir, atomically:
 * afterwards tmp holds the old series.  Where the file system cannot
 * exchange, the old one is moved aside first and moved back if the
 * new one cannot take its place.
 */
static int swap_in(const char *tmp, const char *dir, const char *tmpl,
		   struct err *err)
{
	char *aside;

	if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return err_set(err, ERR_IO, "replacing %s: %s", dir,
			       strerror(errno));
	aside = xstrdup(tmpl);
	if (!mkdtemp(aside) || rename(dir, aside)) {
		int e = errno;

		free(aside);
		return err_set(err, ERR_IO, "moving %s away: %s", dir,
			       strerror(e));
	}
	if (rename(tmp, dir)) {
		int e = errno;

		rename(aside, dir);
		free(aside);
		return err_set(err, ERR_IO, "renaming into %s: %s", dir,
			       strerror(e));
	}
	/* tmp is free now: the old series goes where the caller looks */
	rename(aside, tmp);
	free(aside);
	return 0;
}

/* Put the new series at tmp in place at dir, which must not exist. */
static int move_in(const char *tmp, const char *dir, struct err *err)
{
	struct stat st;

	if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE))
		return 0;
	if (errno == EEXIST)
		return err_set(err, ERR_STATE, "%s appeared while the series "
			       "was written (another vger respin?): not "
			       "overwriting it", dir);
	if (errno != EINVAL && errno != ENOSYS)
		return err_set(err, ERR_IO, "renaming into %s: %s", dir,
			       strerror(errno));
	/* no RENAME_NOREPLACE here; the lock keeps other respins out */
	if (!lstat(dir, &st))
		return err_set(err, ERR_STATE, "%s exists: not overwriting it",
			       dir);
	if (rename(tmp, dir))
		return err_set(err, ERR_IO, "renaming into %s: %s", dir,
			       strerror(errno));
	return 0;
}

int series_write(const struct series_result *r, const char *dir, int force,
		 struct err *err)
{
	char *parent = parent_dir(dir), *tmp = NULL;
	struct sbuf tmpl = SBUF_INIT;
	sigset_t block, old;
	struct stat st;
	int ret, lock, exists, blocked = 0;

	ret = fs_mkdir_p(parent, err);
	if (ret)
		goto out_free;
	lock = lock_parent(parent, dir, err);
	if (lock < 0) {
		ret = lock;
		goto out_free;
	}
	remove_stale(parent);
	exists = !lstat(dir, &st);
	if (exists && !force) {
		ret = err_set(err, ERR_STATE, "%s exists: not overwriting it "
			      "(--force replaces it)", dir);
		goto out;
	}
	if (exists) {
		ret = check_series_dir(dir, err);
		if (ret)
			goto out;
	}
	/*
	 * From the temporary directory to the rename, an interrupt or a
	 * termination waits: it is delivered once the series is in place
	 * or the temporary directory is gone, never in between.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	blocked = !pthread_sigmask(SIG_BLOCK, &block, &old);
	sbuf_addf(&tmpl, "%s/" TMP_PREFIX "%ld-XXXXXX", parent,
		  (long)getpid());
	tmp = xstrdup(tmpl.buf);
	if (!mkdtemp(tmp)) {
		ret = err_set(err, ERR_IO, "%s: %s", tmpl.buf,
			      strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	{
		/* mkdtemp() makes 0700; the output is an ordinary directory */
		mode_t um = umask(0);

		umask(um);
		chmod(tmp, 0777 & ~um);
	}
	for (size_t i = 0; i < r->files.n; i++) {
		const struct series_file *f = r->files.items[i];
		char *path = path_join(tmp, f->name);

		ret = write_new(path, f->text, err);
		free(path);
		if (ret)
			goto out;
	}
	ret = exists ? swap_in(tmp, dir, tmpl.buf, err) :
		       move_in(tmp, dir, err);
	if (!ret && !exists) {
		free(tmp);
		tmp = NULL;
	}
	/* after a swap, tmp holds the old series: removed below */
out:
	if (tmp)
		fs_rm_rf(tmp);
	if (blocked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(lock);
out_free:
	free(tmp);
	free(parent);
	sbuf_release(&tmpl);
	return ret;
}
