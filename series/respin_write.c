/*
 * Writing a formatted series into its directory (series_write() of
 * series/respin.h): into a temporary directory next to it, then
 * renamed into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "series/respin.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

static char *parent_dir(const char *dir)
{
	struct sbuf sb = SBUF_INIT;
	char *slash;

	sbuf_addstr(&sb, dir);
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		sbuf_setlen(&sb, sb.len - 1);
	slash = strrchr(sb.buf, '/');
	if (!slash)
		sbuf_reset(&sb), sbuf_addch(&sb, '.');
	else
		sbuf_setlen(&sb, slash == sb.buf ? 1 :
			    (size_t)(slash - sb.buf));
	return sbuf_detach(&sb);
}

/*
 * A new file in the private temporary directory.  No fsync: the output
 * can always be made again, and what must hold is that no reader sees
 * half a series, which the directory rename gives (an fsync per file
 * doubled the time of a 30-patch respin).
 */
static int write_new(const char *path, const char *data, struct err *err)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);

	if (fd < 0)
		return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return err_set(err, ERR_IO, "write %s: %s", path,
				       strerror(e));
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd))
		return err_set(err, ERR_IO, "close %s: %s", path,
			       strerror(errno));
	return 0;
}

int series_write(const struct series_result *r, const char *dir, int force,
		 struct err *err)
{
	char *parent = parent_dir(dir), *tmp = NULL, *old = NULL;
	struct sbuf tmpl = SBUF_INIT;
	int ret = 0;

	if (fs_exists(dir) && !force) {
		ret = err_set(err, ERR_STATE,
			      "%s exists: not overwriting it (--force "
			      "replaces it)", dir);
		goto out;
	}
	ret = fs_mkdir_p(parent, err);
	if (ret)
		goto out;
	sbuf_addf(&tmpl, "%s/.vger-respin-XXXXXX", parent);
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
	if (fs_exists(dir)) {
		old = xstrdup(tmpl.buf);
		if (!mkdtemp(old) || rename(dir, old)) {
			ret = err_set(err, ERR_IO, "moving %s away: %s", dir,
				      strerror(errno));
			goto out;
		}
	}
	if (rename(tmp, dir)) {
		ret = err_set(err, ERR_IO, "renaming into %s: %s", dir,
			      strerror(errno));
		if (old)
			rename(old, dir);
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (tmp)
		fs_rm_rf(tmp);
	if (old)
		fs_rm_rf(old);
	free(tmp);
	free(old);
	free(parent);
	sbuf_release(&tmpl);
	return ret;
}
