/* Delivering a message into a maildir: Fcc, drafts (mail/maildir.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "mail/maildir.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"

int mail_maildir_deliver(const char *dir, const char *data, size_t len,
			 char **out_path, struct err *err)
{
	return mail_maildir_deliver_flags(dir, data, len, NULL, out_path, err);
}

int mail_maildir_deliver_flags(const char *dir, const char *data,
			       size_t len, const char *flags, char **out_path,
			       struct err *err)
{
	static unsigned counter;
	static const char *const subdirs[] = { "cur", "new", "tmp" };
	struct sbuf name = SBUF_INIT, host = SBUF_INIT;
	char *tmp = NULL, *final = NULL, hn[256];
	struct timeval tv;
	int fd = -1, ret = 0;

	for (size_t i = 0; i < 3; i++) {
		char *d = path_join(dir, subdirs[i]);

		ret = fs_mkdir_p(d, err);
		free(d);
		if (ret)
			return ret;
	}
	if (gethostname(hn, sizeof(hn)))
		snprintf(hn, sizeof(hn), "localhost");
	hn[sizeof(hn) - 1] = '\0';
	/* the maildir spec's escapes for '/' and ':' in the host name */
	for (const char *p = hn; *p; p++)
		if (*p == '/')
			sbuf_addstr(&host, "\\057");
		else if (*p == ':')
			sbuf_addstr(&host, "\\072");
		else
			sbuf_addch(&host, *p);
	gettimeofday(&tv, NULL);
	sbuf_addf(&name, "%ld.M%ldP%ldQ%u.%s", (long)tv.tv_sec,
		  (long)tv.tv_usec, (long)getpid(), ++counter, host.buf);
	tmp = path_join(dir, "tmp");
	{
		char *t = path_join(tmp, name.buf);

		free(tmp);
		tmp = t;
	}
	final = path_join(dir, flags ? "cur" : "new");
	{
		char *f;

		if (flags)
			sbuf_addf(&name, ":2,%s", flags);
		f = path_join(final, name.buf);
		free(final);
		final = f;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = err_set(err, ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	ret = fs_write_all(fd, data, len, tmp, err);
	if (ret)
		goto out;
	if (fsync(fd)) {
		ret = err_set(err, ERR_IO, "fsync %s: %s", tmp,
			      strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, final)) {
		ret = err_set(err, ERR_IO, "rename %s: %s", final,
			      strerror(errno));
		goto out;
	}
	if (out_path) {
		*out_path = final;
		final = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	if (ret && tmp)
		unlink(tmp);
	free(tmp);
	free(final);
	sbuf_release(&name);
	sbuf_release(&host);
	return ret;
}
