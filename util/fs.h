/* Files and directories: paths, atomic writes, temporary trees. */
#ifndef UTIL_FS_H
#define UTIL_FS_H

#include <stddef.h>
#include <stdio.h>

struct err;
struct stat;

/* "a/b" (one slash); the caller frees. */
char *path_join(const char *a, const char *b);
int fs_exists(const char *path);
int fs_is_dir(const char *path);
/*
 * Open path (flags as open(2)'s; O_CLOEXEC added) only when it is a
 * regular file: a FIFO or a device where vger keeps a file (a cache, a
 * record) would block or never end.  The descriptor, or a negative err
 * code: ERR_NOTFOUND when path is missing, ERR_IO naming what it is
 * when it is not a regular file.
 */
int fs_open_regular(const char *path, int flags, struct err *err);
/*
 * stat(2) path (following a symlink) into *st, with the same errors as
 * fs_open_regular() but without opening it: for a file vger may
 * replace, whose kind decides whether it is read or left alone.
 */
int fs_stat_regular(const char *path, struct stat *st, struct err *err);
/* mkdir -p with mode 0700 for new directories. */
int fs_mkdir_p(const char *path, struct err *err);
/* rm -rf; does not follow symlinks.  Returns 0 or -1. */
int fs_rm_rf(const char *path);
/*
 * Write data to path through a temporary file in the same directory,
 * fsync and rename: readers see the old file or the new, never half.
 */
int fs_write_atomic(const char *path, const void *data, size_t len,
		    struct err *err);
/*
 * A file written through stdio and put in place atomically, for output
 * too large to build in memory first: begin, fprintf to a->f, commit
 * (flush, fsync, rename) or abort (remove the temporary file).
 */
struct fs_atomic {
	FILE *f;
	char *path;
	char *tmp;
	/*
	 * Set after begin for a cache whose reader checks what it reads
	 * and makes it again when it does not hold: no fsync.  After a
	 * crash it may be empty, cut short or partly zeroed; the reader
	 * finds that as any other damage.  (At a million messages the
	 * model's listing is 230 MB: its fsync was 0.19 s of every
	 * update.)
	 */
	int nosync;
};

int fs_atomic_begin(struct fs_atomic *a, const char *path, struct err *err);
int fs_atomic_commit(struct fs_atomic *a, struct err *err);
void fs_atomic_abort(struct fs_atomic *a);

/*
 * Write all of data to fd, again after EINTR and short writes; what
 * names the file in the error ("write WHAT: reason").
 */
int fs_write_all(int fd, const void *data, size_t len, const char *what,
		 struct err *err);
/* mkdtemp() under $TMPDIR (or /tmp) with the given name prefix. */
char *fs_mkdtemp(const char *prefix, struct err *err);
/*
 * XDG base directories: $XDG_CACHE_HOME/vger (else ~/.cache/vger),
 * $XDG_DATA_HOME/vger and $XDG_STATE_HOME/vger (else
 * ~/.local/state/vger).  For front ends only; models take paths.
 */
char *fs_xdg_cache_dir(void);
char *fs_xdg_data_dir(void);
char *fs_xdg_state_dir(void);

#endif
