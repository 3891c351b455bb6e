/*
 * Fuzz target: the record of a series' sending (mail/send_record.h)
 * and the reader of the series' files it is checked against
 * (mail/send.h).  The input is split at its NULs: the record, then the
 * patch files (0000-cover-letter.patch, 0001-..., at most 3; the two
 * below when none is given).  A record that loads must also survive a
 * save and a load again: what vger writes, it reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "mail/gmime.h"
#include "mail/send.h"
#include "mail/send_record.h"
#include "util/err.h"
#include "util/sbuf.h"

#define MAX_FILES 3

static const char *const default_files[] = {
	"From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
	"From: Jane Doe <jane@example.org>\n"
	"Date: Tue, 10 Jun 2025 10:00:00 +0000\n"
	"Subject: [PATCH bpf-next v2 0/1] bpf: a series\n"
	"Message-Id: <cover.fuzz@example.org>\n"
	"To: bpf@vger.kernel.org\n"
	"\n"
	"The cover letter.\n",
	"From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
	"From: Jane Doe <jane@example.org>\n"
	"Date: Tue, 10 Jun 2025 10:00:01 +0000\n"
	"Subject: [PATCH bpf-next v2 1/1] bpf: a change\n"
	"To: bpf@vger.kernel.org\n"
	"\n"
	"Signed-off-by: Jane Doe <jane@example.org>\n"
	"---\n"
	" kernel/bpf/core.c | 2 +-\n"
	" 1 file changed, 1 insertion(+), 1 deletion(-)\n",
};

static int load(const char *const *paths, size_t n, const char *record,
		struct err *err, struct mail_send_series *s)
{
	*s = (struct mail_send_series)MAIL_SEND_SERIES_INIT;
	if (mail_send_read(s, paths, n, err))
		return 1;
	return mail_send_record_load(s, record, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_send_series s;
	struct err err = ERR_INIT;
	char *parts[1 + MAX_FILES], *paths[MAX_FILES], *buf, *record, *again;
	size_t n = fuzz_split(data, size, parts, 1 + MAX_FILES, &buf);
	size_t nfiles = n > 1 ? n - 1 : 2;

	mail_gmime_init();	/* once; idempotent */

	for (size_t i = 0; i < nfiles; i++) {
		const char *text = n > 1 ? parts[i + 1] : default_files[i];
		char name[64];

		snprintf(name, sizeof(name), i ? "%04zu-patch.patch" :
			 "0000-cover-letter.patch", i);
		paths[i] = fuzz_write(name, text, strlen(text));
	}
	record = fuzz_write("record.send", parts[0], strlen(parts[0]));
	again = fuzz_write("again.send", "", 0);
	if (!load((const char *const *)paths, nfiles, record, &err, &s)) {
		if (mail_send_record_save(&s, again, &err)) {
			fprintf(stderr, "fuzz: save: %s\n", err.msg);
			abort();
		}
		mail_send_series_release(&s);
		if (load((const char *const *)paths, nfiles, again, &err,
			 &s)) {
			fprintf(stderr, "fuzz: a saved record does not load "
				"again: %s\n", err.msg);
			abort();
		}
	}
	mail_send_series_release(&s);
	for (size_t i = 0; i < nfiles; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	free(again);
	free(record);
	free(buf);
	return 0;
}
