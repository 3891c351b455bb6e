/*
 * Fuzz target: MAINTAINERS parsing and matching (maint/maint.h), the
 * file of a tree under review.  The input is split at its NULs:
 * MAINTAINERS, a patch (or mbox) to look up, a .mailmap, and files of
 * the tree to look up as get_maintainer.pl -f would (one a line).  A
 * missing part is an empty one; a patch is always looked up, so a
 * lone MAINTAINERS is matched against the fixed one below.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "maint/maint.h"
#include "util/err.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* Touches paths most patterns of the real file could match. */
static const char default_patch[] =
	"Subject: [PATCH bpf-next] bpf: a change\n"
	"\n"
	"Fixes: 0123456789ab (\"bpf: the cause\")\n"
	"Signed-off-by: Jane Doe <jane@example.org>\n"
	"---\n"
	"diff --git a/kernel/bpf/core.c b/kernel/bpf/core.c\n"
	"--- a/kernel/bpf/core.c\n"
	"+++ b/kernel/bpf/core.c\n"
	"@@ -1,1 +1,1 @@\n"
	"-int bpf_prog_run(void);\n"
	"+int bpf_prog_run(struct bpf_prog *prog);\n"
	"diff --git a/drivers/net/ethernet/intel/e1000/e1000.h "
	"b/drivers/net/ethernet/intel/e1000/e1000.h\n"
	"--- a/drivers/net/ethernet/intel/e1000/e1000.h\n"
	"+++ b/drivers/net/ethernet/intel/e1000/e1000.h\n"
	"@@ -1,1 +1,1 @@\n"
	"-#include <linux/xdp.h>\n"
	"+#include <net/xdp.h>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct maint_options opt;
	struct maint_result res = MAINT_RESULT_INIT;
	struct maint_input in;
	struct maint_db *db = NULL;
	struct err err = ERR_INIT;
	struct vec files = VEC_INIT;
	char *parts[4], *buf, *maintainers, *mailmap;
	size_t n = fuzz_split(data, size, parts, 4, &buf);
	const char *patch = n > 1 && *parts[1] ? parts[1] : default_patch;

	maintainers = fuzz_write("MAINTAINERS", parts[0], strlen(parts[0]));
	mailmap = fuzz_write(".mailmap", n > 2 ? parts[2] : "",
			     n > 2 ? strlen(parts[2]) : 0);
	memset(&opt, 0, sizeof(opt));
	opt.root = fuzz_dir();
	opt.maintainers = maintainers;
	opt.mailmap = mailmap;
	opt.no_fixes = 1;	/* no git repository here */
	if (maint_db_open(&db, &opt, &err))
		goto out;
	maint_db_warnings(db);
	maint_db_nsections(db);
	in.name = "fuzz.patch";
	in.text = patch;
	in.len = strlen(patch);
	maint_db_lookup(db, &in, 1, &res, &err);
	for (size_t i = 0; i < res.addrs.n; i++)
		maint_role_name(((struct maint_addr *)res.addrs.items[i])->role);
	maint_result_release(&res);
	if (n > 3) {
		char *line = parts[3];

		while (*line) {
			char *end = strchr(line, '\n');

			if (end)
				*end = '\0';
			if (*line)
				vec_push(&files, line);
			if (!end)
				break;
			line = end + 1;
		}
		res = (struct maint_result)MAINT_RESULT_INIT;
		maint_db_lookup_files(db, (const char *const *)files.items,
				      files.n, &res, &err);
		maint_result_release(&res);
	}
out:
	vec_release(&files, NULL);
	maint_db_free(db);
	free(mailmap);
	free(maintainers);
	free(buf);
	return 0;
}
