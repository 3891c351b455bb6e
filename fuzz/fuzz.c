/* Helpers of the fuzz targets (fuzz/fuzz.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

static char *dir;

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

size_t fuzz_split(const uint8_t *data, size_t size, char **parts,
		  size_t max, char **buf)
{
	char *s = fuzz_cstr(data, size), *p = s, *end = s + size;
	size_t n = 0;

	*buf = s;
	while (n < max) {
		parts[n++] = p;
		p += strlen(p);
		if (p >= end)
			break;
		p++;
	}
	return n;
}

static void remove_dir(void)
{
	if (dir)
		fs_rm_rf(dir);
	free(dir);
	dir = NULL;
}

const char *fuzz_dir(void)
{
	struct err err = ERR_INIT;

	if (dir)
		return dir;
	dir = fs_mkdtemp("vger-fuzz", &err);
	if (!dir) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	atexit(remove_dir);
	return dir;
}

char *fuzz_write(const char *name, const void *data, size_t size)
{
	char *path = path_join(fuzz_dir(), name);
	struct err err = ERR_INIT;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || fs_write_all(fd, data, size, path, &err) ||
	    close(fd)) {
		fprintf(stderr, "fuzz: cannot write %s: %s\n", path,
			err.msg[0] ? err.msg : "open or close failed");
		abort();
	}
	return path;
}

void fuzz_assert_sanitized(const char *what, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!n || (cp != '\t' && !utf8_is_safe(cp))) {
			fprintf(stderr, "fuzz: %s: unsanitised byte 0x%02x "
				"at %zu of \"%.*s\"\n", what,
				(unsigned char)s[i], i, (int)len, s);
			abort();
		}
		i += n;
	}
}
