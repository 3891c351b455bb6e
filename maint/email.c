/*
 * E-mail addresses as get_maintainer.pl handles them: parse_email,
 * format_email (a name with a character outside [\w -] is quoted) and
 * mailmap_email with the tree's .mailmap (read in db.c).
 */
#include <stdlib.h>
#include <string.h>

#include "maint/private.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

void maint_perl_trim(struct sbuf *sb)
{
	size_t a = 0;

	while (sb->len && maint_perl_space((unsigned char)sb->buf[sb->len - 1]))
		sb->len--;
	sb->buf[sb->len] = '\0';
	while (a < sb->len && maint_perl_space((unsigned char)sb->buf[a]))
		a++;
	if (a) {
		memmove(sb->buf, sb->buf + a, sb->len - a + 1);
		sb->len -= a;
	}
}

/*
 * $name =~ s/^\s+|\s+$//g; $name =~ s/^\"|\"$//g; and quoting when it
 * has a character other than \w, space and '-'.
 */
static void clean_name(struct sbuf *name)
{
	int special = 0;

	maint_perl_trim(name);
	if (name->len && name->buf[0] == '"') {
		memmove(name->buf, name->buf + 1, name->len);
		name->len--;
	}
	if (name->len && name->buf[name->len - 1] == '"')
		name->buf[--name->len] = '\0';
	for (size_t i = 0; i < name->len; i++) {
		unsigned char c = name->buf[i];

		if (!(c == '_' || c == ' ' || c == '-' ||
		      (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			special = 1;
	}
	if (special) {
		struct sbuf q = SBUF_INIT;

		sbuf_addch(&q, '"');
		for (size_t i = 0; i < name->len; i++) {
			/* s/(?<!\\)"/\\"/g */
			if (name->buf[i] == '"' &&
			    (i == 0 || name->buf[i - 1] != '\\'))
				sbuf_addch(&q, '\\');
			sbuf_addch(&q, name->buf[i]);
		}
		sbuf_addch(&q, '"');
		sbuf_release(name);
		*name = q;
	}
}

void maint_parse_email(struct maint_db *db, const char *s,
		       struct sbuf *name, struct sbuf *addr)
{
	size_t len = strlen(s);
	char *g;

	sbuf_reset(name);
	sbuf_reset(addr);
	if (maint_re_match(db, &db->pe1, s, len)) {
		g = maint_re_group(&db->pe1, s, 1);
		sbuf_addstr(name, g);
		free(g);
		g = maint_re_group(&db->pe1, s, 2);
		sbuf_addstr(addr, g);
		free(g);
	} else if (maint_re_match(db, &db->pe2, s, len)) {
		g = maint_re_group(&db->pe2, s, 1);
		sbuf_addstr(addr, g);
		free(g);
	} else if (maint_re_match(db, &db->pe3, s, len)) {
		g = maint_re_group(&db->pe3, s, 1);
		sbuf_addstr(addr, g);
		free(g);
	}
	clean_name(name);
	maint_perl_trim(addr);
}

char *maint_format_email(const char *name, const char *address)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;

	sbuf_addstr(&n, name);
	sbuf_addstr(&a, address);
	clean_name(&n);
	maint_perl_trim(&a);
	if (n.len)
		sbuf_addf(&n, " <%s>", a.buf);
	else
		sbuf_addstr(&n, a.buf);
	sbuf_release(&a);
	return sbuf_detach(&n);
}

char *maint_normal_email(struct maint_db *db, const char *s)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;
	char *out;

	maint_parse_email(db, s, &n, &a);
	out = maint_format_email(n.buf, a.buf);
	sbuf_release(&n);
	sbuf_release(&a);
	return out;
}

char *maint_mailmap_email(struct maint_db *db, const char *line)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;
	const char *real_name, *real_addr;
	char *email, *out;

	maint_parse_email(db, line, &n, &a);
	email = maint_format_email(n.buf, a.buf);
	real_name = n.buf;
	real_addr = a.buf;
	if (maint_map_has(&db->mm_names, email) ||
	    maint_map_has(&db->mm_addrs, email)) {
		if (maint_map_has(&db->mm_names, email))
			real_name = maint_map_get(&db->mm_names, email);
		if (maint_map_has(&db->mm_addrs, email))
			real_addr = maint_map_get(&db->mm_addrs, email);
	} else {
		if (maint_map_has(&db->mm_names, a.buf))
			real_name = maint_map_get(&db->mm_names, a.buf);
		if (maint_map_has(&db->mm_addrs, a.buf))
			real_addr = maint_map_get(&db->mm_addrs, a.buf);
	}
	out = maint_format_email(real_name, real_addr);
	free(email);
	sbuf_release(&n);
	sbuf_release(&a);
	return out;
}
