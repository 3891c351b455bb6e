/*
 * The maintainers a touched .yaml file names (device tree bindings),
 * as maintainers_in_file() and clean_file_emails() of the script find
 * them: every address-like run of the file, its name cleaned up.
 */
#include <stdlib.h>
#include <string.h>

#include "maint/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* clean_file_emails() for one match of the address regex. */
static char *clean_file_email(struct maint_db *db, const char *m)
{
	struct sbuf sub = SBUF_INIT, name = SBUF_INIT, addr = SBUF_INIT;
	const char *p = m;
	struct vec nw = VEC_INIT;
	char *out;

	/* s/[\(\<\{]{0,1}(addr)[\)\>\}]{0,1}/\<$1\>/g */
	while (*p) {
		size_t len = strlen(p);
		PCRE2_SIZE *ov;
		char *g;

		if (maint_re_run(db, &db->fe_sub, p, len, 0) <= 0) {
			sbuf_addstr(&sub, p);
			break;
		}
		ov = pcre2_get_ovector_pointer(db->fe_sub.md);
		sbuf_add(&sub, p, ov[0]);
		g = xstrndup(p + ov[2], ov[3] - ov[2]);
		sbuf_addf(&sub, "<%s>", g);
		free(g);
		if (ov[1] == ov[0]) {
			if (!p[ov[0]])
				break;
			sbuf_addch(&sub, p[ov[0]]);
			p += ov[0] + 1;
		} else {
			p += ov[1];
		}
	}
	maint_parse_email(db, sub.buf, &name, &addr);
	if (!strcmp(name.buf, "\"[,\\.]\""))
		sbuf_reset(&name);
	/* split(/[^A-Za-zÀ-ÿ\'\,\.\+-]/, $name): trailing empties dropped */
	{
		const char *s = name.buf, *start = name.buf;

		for (;; s++) {
			unsigned char c = *s;
			int keep = (c >= 'A' && c <= 'Z') ||
				   (c >= 'a' && c <= 'z') ||
				   (c >= 0x80 && c <= 0xc3) ||
				   strchr("',.+-", c);

			if (!c || !keep) {
				vec_push(&nw, xstrndup(start, s - start));
				if (!c)
					break;
				start = s + 1;
			}
		}
		while (nw.n && !*(char *)nw.items[nw.n - 1])
			free(vec_pop(&nw));
	}
	if (nw.n > 2) {
		const char *first = nw.items[nw.n - 3];
		const char *middle = nw.items[nw.n - 2];
		const char *last = nw.items[nw.n - 1];
		size_t fl = strlen(first), ml = strlen(middle);
		struct sbuf nn = SBUF_INIT;

		if ((fl == 1 && ((*first >= 'A' && *first <= 'Z') ||
				 (*first >= 'a' && *first <= 'z'))) ||
		    (fl == 2 && first[1] == '.') || ml == 1 ||
		    (ml == 2 && middle[1] == '.'))
			sbuf_addf(&nn, "%s %s %s", first, middle, last);
		else
			sbuf_addf(&nn, "%s %s", middle, last);
		sbuf_release(&name);
		name = nn;
	}
	vec_release(&nw, free);
	if (name.len && strchr(",.", name.buf[name.len - 1])) {
		sbuf_setlen(&name, name.len - 1);
	} else if (name.len >= 2 && strchr(",.", name.buf[name.len - 2]) &&
		   name.buf[name.len - 1] == '"') {
		sbuf_setlen(&name, name.len - 2);
		sbuf_addch(&name, '"');
	}
	if (name.len && strchr(",.", name.buf[0])) {
		memmove(name.buf, name.buf + 1, name.len);
		name.len--;
	} else if (name.len >= 2 && name.buf[0] == '"' &&
		   strchr(",.", name.buf[1])) {
		memmove(name.buf + 1, name.buf + 2, name.len - 1);
		name.len--;
	}
	out = maint_format_email(name.buf, addr.buf);
	sbuf_release(&sub);
	sbuf_release(&name);
	sbuf_release(&addr);
	return out;
}

void maint_yaml_addresses(struct maint_db *db, const char *file,
			  struct vec *out)
{
	struct sbuf text = SBUF_INIT;
	struct err e = ERR_INIT;
	char *path;
	size_t off = 0;

	if (!str_ends_with(file, ".yaml") || str_ends_with(file, "MAINTAINERS"))
		return;
	path = path_join(db->root, file);
	if (!fs_exists(path) || fs_is_dir(path) ||
	    sbuf_read_file(&text, path, MAINT_FILE_MAX, &e)) {
		free(path);
		sbuf_release(&text);
		return;
	}
	free(path);
	while (off <= text.len &&
	       maint_re_run(db, &db->fe_addr, text.buf, text.len, off) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(db->fe_addr.md);
		char *m = xstrndup(text.buf + ov[0], ov[1] - ov[0]);

		vec_push(out, clean_file_email(db, m));
		free(m);
		off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	sbuf_release(&text);
}
