/*
 * A lookup, after get_maintainers() of scripts/get_maintainer.pl 0.26:
 * the files and keyword lines of the patches, the sections they match
 * (deepest first, THE REST last), the e-mail de-duplication, the
 * .yaml files' own maintainers, the signers of commits named by Fixes:
 * lines, and the result.  The names in comments are the script's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maint/maint.h"
#include "maint/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define MAINT_KW_JIT_LINES 200

struct entry {
	char *email;
	enum maint_role role;
	int moderated;
	size_t sec;		/* SIZE_MAX for a .yaml address */
	char *why;
	unsigned why_line;
};

struct lookup {
	struct maint_db *db;
	struct maint_result *res;
	struct vec files;	/* char *, sorted and unique at the end */
	struct maint_map keyword_tvi; /* "tvi" -> non-NULL */
	struct vec email_to;	/* struct entry * */
	struct vec list_to;	/* struct entry * */
	/* email_inuse() */
	struct maint_map hash_name, hash_addr, hash_list;
	/* deduplicate_email() */
	struct maint_map dedup_name, dedup_addr;
	struct vec file_emails;	/* struct entry * (role FILE) */
	struct vec fixes;	/* char *: Fixes: commit ids, unique */
	/* the reason of the add_categories() in progress */
	const char *why;
	unsigned why_line;
	/* per typevalue entry: its regex stopped, taken as no match */
	unsigned char *stopped;
	int no_filter;		/* a keyword filter stopped: not used */
	int spent_said;		/* the budget's end was warned about */
};

static void entry_free(void *p)
{
	struct entry *e = p;

	if (!e)
		return;
	free(e->email);
	free(e->why);
	free(e);
}

static void lookup_warn(struct lookup *lk, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void lookup_warn(struct lookup *lk, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(&lk->res->warnings, sbuf_detach(&sb));
}

/* Start a lookup of db into out, with a regex budget of steps. */
static void lookup_init(struct lookup *lk, struct maint_db *db,
			struct maint_result *out, unsigned long long steps)
{
	memset(lk, 0, sizeof(*lk));
	lk->db = db;
	lk->res = out;
	lk->stopped = xcalloc(db->ntv + 1, 1);
	db->work = &out->work;
	maint_re_budget(db, db->re_budget ? db->re_budget : steps);
}

/*
 * The regex of MAINTAINERS line t stopped (rc < 0) on what, the patch
 * or file it was matched against: say so, naming the line, and take
 * it as not matching for the rest of the lookup.
 */
static void tv_stopped(struct lookup *lk, const struct maint_tv *t, int rc,
		       const char *what)
{
	struct maint_db *db = lk->db;

	lk->stopped[t - db->tv] = 1;
	if (rc == MAINT_RE_STOPPED)
		lookup_warn(lk, "%s:%u: %c: '%.60s' takes more than %u "
			    "match steps on %s: taken as not matching",
			    db->path, t->lineno, t->type, t->value,
			    MAINT_RE_MATCH_LIMIT, what);
	else if (!lk->spent_said)
		lookup_warn(lk, "%s:%u: %c: '%.60s': the regexes of this "
			    "lookup took their %llu match steps on %s: this "
			    "and later N:, K: and F: regexes are taken as "
			    "not matching", db->path, t->lineno, t->type,
			    t->value, lk->res->work.re_steps, what);
	lk->spent_said |= rc == MAINT_RE_SPENT;
}

/* The N: or K: regex re of line t against s: 1 on a match. */
static int tv_match(struct lookup *lk, const struct maint_tv *t,
		    struct maint_re *re, const char *s, size_t len,
		    const char *what)
{
	int rc;

	if (lk->stopped[t - lk->db->tv])
		return 0;
	rc = maint_re_run(lk->db, re, s, len, 0);
	if (rc < 0)
		tv_stopped(lk, t, rc, what);
	return rc > 0;
}

/* The F: or X: pattern of line t against file: 1 on a match. */
static int tv_pat_match(struct lookup *lk, const struct maint_tv *t,
			const char *file, int file_pd)
{
	int rc;

	if (lk->stopped[t - lk->db->tv])
		return 0;
	rc = maint_pat_match(lk->db, t->pat, t->value, file, file_pd);
	if (rc < 0)
		tv_stopped(lk, t, rc, file);
	return rc > 0;
}

/*
 * May a line match a K: regex?  The filters are made of the file's
 * regexes: one that stops decides nothing, and is not used again in
 * this lookup; each K: regex then says for itself.
 */
static int kw_filter(struct lookup *lk, struct maint_re *re,
		     const char *line, size_t len)
{
	int rc;

	if (lk->no_filter || !re->code)
		return 1;
	rc = maint_re_run(lk->db, re, line, len, 0);
	if (rc < 0)
		lk->no_filter = 1;
	return rc != 0;
}

static void lower(struct sbuf *sb, const char *s)
{
	sbuf_reset(sb);
	for (; *s; s++)
		sbuf_addch(sb, *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
}

static struct entry *entry_new(struct lookup *lk, char *email,
			       enum maint_role role, size_t sec)
{
	struct entry *e = xcalloc(1, sizeof(*e));

	e->email = email;
	e->role = role;
	e->sec = sec;
	e->why = xstrdup(lk->why ? lk->why : "");
	e->why_line = lk->why_line;
	return e;
}

/*
 * Someone already in the list as a reviewer is also a maintainer of
 * another section: the To/Cc split wants the maintainer.
 */
static void upgrade_role(struct lookup *lk, const char *name,
			 const char *addr)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT;

	for (size_t i = 0; i < lk->email_to.n; i++) {
		struct entry *e = lk->email_to.items[i];

		maint_parse_email(lk->db, e->email, &n, &a);
		if ((*name && !strcasecmp(n.buf, name)) ||
		    !strcasecmp(a.buf, addr)) {
			if (e->role == MAINT_ROLE_REVIEWER)
				e->role = MAINT_ROLE_MAINTAINER;
			break;
		}
	}
	sbuf_release(&n);
	sbuf_release(&a);
}

/* push_email_address(); 0 when the line has no address */
static int push_email_address(struct lookup *lk, const char *line,
			      enum maint_role role, size_t sec)
{
	struct sbuf n = SBUF_INIT, a = SBUF_INIT, lc = SBUF_INIT;
	int inuse = 0;

	maint_parse_email(lk->db, line, &n, &a);
	if (!a.len) {
		sbuf_release(&n);
		sbuf_release(&a);
		return 0;
	}
	/* email_inuse() */
	if (n.len) {
		lower(&lc, n.buf);
		inuse = maint_map_has(&lk->hash_name, lc.buf);
	}
	lower(&lc, a.buf);
	if (!inuse)
		inuse = maint_map_has(&lk->hash_addr, lc.buf);
	if (inuse && role == MAINT_ROLE_MAINTAINER)
		upgrade_role(lk, n.buf, a.buf);
	if (!inuse) {
		vec_push(&lk->email_to,
			 entry_new(lk, maint_format_email(n.buf, a.buf), role,
				   sec));
		if (n.len) {
			struct sbuf ln = SBUF_INIT;

			lower(&ln, n.buf);
			maint_map_put(&lk->hash_name, ln.buf, lk);
			sbuf_release(&ln);
		}
		maint_map_put(&lk->hash_addr, lc.buf, lk);
	}
	sbuf_release(&n);
	sbuf_release(&a);
	sbuf_release(&lc);
	return 1;
}

/*
 * Split at commas outside quotes, comments and <>: the script's
 * rfc822_validlist() case, a value with several addresses.
 */
static void split_addresses(const char *v, struct vec *out)
{
	int quote = 0, paren = 0, angle = 0;
	const char *start = v;

	for (const char *p = v;; p++) {
		if (!*p || (*p == ',' && !quote && !paren && !angle)) {
			vec_push(out, xstrndup(start, p - start));
			if (!*p)
				break;
			start = p + 1;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '"') {
			quote = !quote;
		} else if (!quote) {
			if (*p == '(')
				paren++;
			else if (*p == ')' && paren)
				paren--;
			else if (*p == '<')
				angle = 1;
			else if (*p == '>')
				angle = 0;
		}
	}
}

/*
 * push_email_addresses(): one address, or a list of valid addresses.
 * NEEDSWORK: the script decides with its RFC 822 grammar; here a value
 * is a list when every comma-separated part has an address in <> or
 * is a bare address.  No M:/R: line of 6.1 or 7.1.3 is a list.
 */
static void push_email_addresses(struct lookup *lk, const char *value,
				 enum maint_role role, size_t sec)
{
	struct vec parts = VEC_INIT;
	int list = 0;

	split_addresses(value, &parts);
	if (parts.n > 1) {
		list = 1;
		for (size_t i = 0; i < parts.n; i++) {
			const char *s = parts.items[i];
			const char *lt = strchr(s, '<');

			if (!(lt && strchr(lt, '@') && strchr(lt, '>')) &&
			    !(strchr(s, '@') && !strchr(s, ' ')))
				list = 0;
		}
	}
	if (list) {
		for (size_t i = 0; i < parts.n; i++)
			push_email_address(lk, parts.items[i], role, sec);
	} else if (!push_email_address(lk, value, role, sec)) {
		lookup_warn(lk, "Invalid MAINTAINERS address: '%s'", value);
	}
	vec_release(&parts, free);
}

/* add_categories($index): the M:, R: and L: lines of a section. */
static void add_categories(struct lookup *lk, size_t sec)
{
	struct maint_db *db = lk->db;
	const struct maint_section *s = &db->sec[sec];
	struct sbuf lc = SBUF_INIT;

	for (size_t i = s->start + 1; i < s->end; i++) {
		const struct maint_tv *t = &db->tv[i];

		if (t->type == 'L') {
			const char *v = t->value, *sp;
			char *list;
			const char *more = "";
			struct entry *e;

			/* m/([^\s]+)\s+(.*)$/ */
			sp = v;
			while (*sp && !maint_perl_space((unsigned char)*sp))
				sp++;
			if (*sp && sp > v) {
				more = sp;
				while (maint_perl_space((unsigned char)*more))
					more++;
				list = xstrndup(v, sp - v);
			} else {
				list = xstrdup(v);
			}
			lower(&lc, list);
			if (strstr(more, "subscribers-only") ||
			    maint_map_has(&lk->hash_list, lc.buf)) {
				free(list);
				continue;
			}
			maint_map_put(&lk->hash_list, lc.buf, lk);
			e = entry_new(lk, list, MAINT_ROLE_LIST, sec);
			e->moderated = strstr(more, "moderated") != NULL;
			vec_push(&lk->list_to, e);
		} else if (t->type == 'M') {
			push_email_addresses(lk, t->value,
					     MAINT_ROLE_MAINTAINER, sec);
		} else if (t->type == 'R') {
			push_email_addresses(lk, t->value,
					     MAINT_ROLE_REVIEWER, sec);
		}
	}
	sbuf_release(&lc);
}

static int count_slashes(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '/';
	return n;
}

struct hit {
	size_t sec;
	int depth;
	size_t why_tv;
};

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	/*
	 * sort {$hash{$b} <=> $hash{$a}} keys %hash: deepest first; the
	 * script leaves ties in Perl's hash order, which changes from run
	 * to run.  vger takes them in MAINTAINERS order.
	 */
	if (x->depth != y->depth)
		return x->depth > y->depth ? -1 : 1;
	return x->sec < y->sec ? -1 : x->sec > y->sec;
}

static void candidates_add(struct maint_db *db, const struct vec *v,
			   struct vec *out)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		size_t s = *(size_t *)v->items[i];

		if (db->stamp[s] == db->gen)
			continue;
		db->stamp[s] = db->gen;
		vec_push(out, v->items[i]);
	}
}

static int size_ptr_cmp(const void *a, const void *b)
{
	size_t x = **(size_t *const *)a, y = **(size_t *const *)b;

	return x < y ? -1 : x > y;
}

/* Match one file against the sections; add their categories. */
static void match_file(struct lookup *lk, const char *file)
{
	struct maint_db *db = lk->db;
	struct vec cand = VEC_INIT;
	struct hit *hits;
	size_t nhits = 0;
	int file_pd = count_slashes(file);
	const char *slash;
	struct sbuf why = SBUF_INIT;

	if (++db->gen == 0) {
		memset(db->stamp, 0, db->nsec * sizeof(*db->stamp));
		db->gen = 1;
	}
	candidates_add(db, &db->wild, &cand);
	candidates_add(db, &db->nsecs, &cand);
	slash = strchr(file, '/');
	if (slash) {
		const char *slash2 = strchr(slash + 1, '/');

		candidates_add(db, maint_map_get_n(&db->index, file,
						   slash - file), &cand);
		if (slash2)
			candidates_add(db, maint_map_get_n(&db->index, file,
							   slash2 - file),
				       &cand);
	}
	vec_sort(&cand, size_ptr_cmp);
	hits = xmalloc((cand.n + 1) * sizeof(*hits));
	for (size_t c = 0; c < cand.n; c++) {
		size_t s = *(size_t *)cand.items[c];
		const struct maint_section *sec = &db->sec[s];
		int exclude = 0, have = 0, depth = 0;
		size_t why_tv = 0;

		for (size_t i = sec->first; i < sec->end && !exclude; i++)
			if (db->tv[i].type == 'X' &&
			    tv_pat_match(lk, &db->tv[i], file, file_pd))
				exclude = 1;
		if (exclude)
			continue;
		for (size_t i = sec->first; i < sec->end; i++) {
			struct maint_tv *t = &db->tv[i];

			if (t->type == 'F' &&
			    tv_pat_match(lk, t, file, file_pd)) {
				depth = maint_pat_depth(db, t->pat, t->value);
				have = 1;
				why_tv = i;
			} else if (t->type == 'N' &&
				   tv_match(lk, t, &t->rx, file, strlen(file),
					    file)) {
				depth = 0;
				have = 1;
				why_tv = i;
			}
		}
		if (have) {
			hits[nhits].sec = s;
			hits[nhits].depth = depth;
			hits[nhits].why_tv = why_tv;
			nhits++;
		}
	}
	qsort(hits, nhits, sizeof(*hits), hit_cmp);
	for (size_t h = 0; h < nhits; h++) {
		const struct maint_tv *t = &db->tv[hits[h].why_tv];

		sbuf_reset(&why);
		sbuf_addf(&why, "%c: %s (%s)", t->type, t->value, file);
		lk->why = why.buf;
		lk->why_line = t->lineno;
		add_categories(lk, hits[h].sec);
	}
	lk->why = NULL;
	sbuf_release(&why);
	free(hits);
	vec_release(&cand, NULL);
}

/* maintainers_in_file(): the addresses of a touched .yaml file. */
static void maintainers_in_file(struct lookup *lk, const char *file)
{
	struct vec addrs = VEC_INIT;

	maint_yaml_addresses(lk->db, file, &addrs);
	for (size_t i = 0; i < addrs.n; i++) {
		struct entry *en = xcalloc(1, sizeof(*en));
		struct sbuf why = SBUF_INIT;

		en->email = addrs.items[i];
		en->role = MAINT_ROLE_FILE;
		en->sec = SIZE_MAX;
		sbuf_addf(&why, "in file %s", file);
		en->why = sbuf_detach(&why);
		vec_push(&lk->file_emails, en);
	}
	vec_release(&addrs, NULL);
}

/* deduplicate_email() */
static char *deduplicate_email(struct lookup *lk, const char *email)
{
	struct maint_db *db = lk->db;
	struct sbuf n = SBUF_INIT, a = SBUF_INIT, lc = SBUF_INIT;
	char *e1, *e2, *out;
	char **hit = NULL;

	e1 = maint_normal_email(db, email);
	e2 = maint_mailmap_email(db, e1);
	maint_parse_email(db, e2, &n, &a);
	if (n.len) {
		lower(&lc, n.buf);
		hit = maint_map_get(&lk->dedup_name, lc.buf);
	}
	if (!hit) {
		lower(&lc, a.buf);
		hit = maint_map_get(&lk->dedup_addr, lc.buf);
	}
	if (hit) {
		sbuf_reset(&n);
		sbuf_addstr(&n, hit[0]);
		sbuf_reset(&a);
		sbuf_addstr(&a, hit[1]);
	} else {
		char **pair = xmalloc(2 * sizeof(*pair));
		char **pair2 = xmalloc(2 * sizeof(*pair2));

		pair[0] = xstrdup(n.buf);
		pair[1] = xstrdup(a.buf);
		pair2[0] = xstrdup(n.buf);
		pair2[1] = xstrdup(a.buf);
		lower(&lc, n.buf);
		{
			char **old = maint_map_get(&lk->dedup_name, lc.buf);

			if (old) {
				free(old[0]);
				free(old[1]);
				free(old);
			}
		}
		maint_map_put(&lk->dedup_name, lc.buf, pair);
		lower(&lc, a.buf);
		maint_map_put(&lk->dedup_addr, lc.buf, pair2);
	}
	free(e1);
	free(e2);
	e1 = maint_format_email(n.buf, a.buf);
	out = maint_mailmap_email(db, e1);
	free(e1);
	sbuf_release(&n);
	sbuf_release(&a);
	sbuf_release(&lc);
	return out;
}

static void free_pair(void *p)
{
	char **pair = p;

	if (!pair)
		return;
	free(pair[0]);
	free(pair[1]);
	free(pair);
}

/* Scan one patch as the script's loop over its lines does. */
static void scan_patch(struct lookup *lk, const struct maint_input *in)
{
	struct maint_db *db = lk->db;
	const char *p = in->text, *end = in->text + in->len;
	const char *name = in->name ? in->name : "(input)";
	size_t before = lk->files.n;
	int in_diff = 0;		/* $patch_prefix = "^[+-].*" */
	char num[32];

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		const char *line = p;
		struct maint_re *rx = NULL;

		p += len;
		if (len >= 13 && !memcmp(line, " mode change ", 13) &&
		    maint_re_match(db, &db->p_mode, line, len)) {
			rx = &db->p_mode;
		} else if (len >= 7 && !memcmp(line, "rename ", 7) &&
			   maint_re_match(db, &db->p_rename, line, len)) {
			rx = &db->p_rename;
		} else if (len >= 11 && !memcmp(line, "diff --git ", 11) &&
			   maint_re_match(db, &db->p_diff, line, len)) {
			vec_push(&lk->files,
				 maint_re_group(&db->p_diff, line, 1));
			vec_push(&lk->files,
				 maint_re_group(&db->p_diff, line, 2));
			continue;
		} else if (len >= 6 && !memcmp(line, "Fixes:", 6) &&
			   maint_re_match(db, &db->p_fixes, line, len)) {
			char *id = maint_re_group(&db->p_fixes, line, 1);

			if (vec_find_str(&lk->fixes, id) < 0)
				vec_push(&lk->fixes, id);
			else
				free(id);
			continue;
		} else if (len >= 3 && (!memcmp(line, "+++", 3) ||
					!memcmp(line, "---", 3)) &&
			   maint_re_match(db, &db->p_pm, line, len)) {
			char *g = maint_re_group(&db->p_pm, line, 1);
			char *s = strchr(g, '/');

			/* s@^[^/]*\/@@ */
			if (s)
				memmove(g, s + 1, strlen(s + 1) + 1);
			vec_push(&lk->files, g);
			in_diff = 1;
			continue;
		} else if (len >= 4 && line[0] == '@' &&
			   maint_re_match(db, &db->p_hunk, line, len)) {
			continue;
		}
		if (rx) {
			vec_push(&lk->files, maint_re_group(rx, line, 1));
			continue;
		}
		if (!db->nkw)
			continue;
		/* the keywords: against every other line */
		if (++db->kw_lines == MAINT_KW_JIT_LINES) {
			if (db->kw_any.code)
				pcre2_jit_compile(db->kw_any.code,
						  PCRE2_JIT_COMPLETE);
		}
		if (in_diff && line[0] != '+' && line[0] != '-') {
			if (!db->kw_other_lines)
				continue;
			if (!kw_filter(lk, &db->kw_any_other, line, len))
				continue;
		} else if (!kw_filter(lk, &db->kw_any, line, len)) {
			continue;
		}
		for (size_t k = 0; k < db->nkw; k++) {
			struct maint_tv *t = &db->tv[db->kw[k]];

			if (tv_match(lk, t, in_diff ? &t->rx_patch : &t->rx,
				     line, len, name)) {
				snprintf(num, sizeof(num), "%zu", db->kw[k]);
				maint_map_put(&lk->keyword_tvi, num, lk);
			}
		}
	}
	if (lk->files.n == before)
		lookup_warn(lk, "%s: does not appear to be a patch", name);
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_and_uniq(struct vec *v)
{
	size_t j = 0;

	vec_sort(v, str_ptr_cmp);
	for (size_t i = 0; i < v->n; i++) {
		if (j && !strcmp(v->items[j - 1], v->items[i])) {
			free(v->items[i]);
			continue;
		}
		v->items[j++] = v->items[i];
	}
	v->n = j;
}

static void lookup_release(struct lookup *lk)
{
	vec_release(&lk->files, free);
	maint_map_release(&lk->keyword_tvi, NULL);
	vec_release(&lk->email_to, entry_free);
	vec_release(&lk->list_to, entry_free);
	vec_release(&lk->file_emails, entry_free);
	vec_release_str(&lk->fixes);
	maint_map_release(&lk->hash_name, NULL);
	maint_map_release(&lk->hash_addr, NULL);
	maint_map_release(&lk->hash_list, NULL);
	maint_map_release(&lk->dedup_name, free_pair);
	maint_map_release(&lk->dedup_addr, free_pair);
	free(lk->stopped);
	lk->db->work = &lk->db->idle;
}

static void emit(struct lookup *lk, struct maint_map *seen, struct entry *e)
{
	struct maint_db *db = lk->db;
	struct maint_addr *a;

	a = maint_map_get(seen, e->email);
	if (a) {
		/* merge_email(): the first stays; a maintainer is To */
		if (e->role == MAINT_ROLE_MAINTAINER &&
		    a->role == MAINT_ROLE_REVIEWER)
			a->role = MAINT_ROLE_MAINTAINER;
		return;
	}
	a = xcalloc(1, sizeof(*a));
	maint_map_put(seen, e->email, a);
	a->addr = xstrdup(e->email);
	a->role = e->role;
	a->moderated = e->moderated;
	if (e->sec != SIZE_MAX) {
		const struct maint_tv *title = &db->tv[db->sec[e->sec].start];

		a->section = xstrdup(title->value);
		a->section_line = title->lineno;
	} else {
		a->section = xstrdup("");
	}
	a->why = xstrdup(e->why ? e->why : "");
	a->why_line = e->why_line;
	vec_push(&lk->res->addrs, a);
}

/* The text after the last colon, without leading blanks. */
static char *after_last_colon(const char *line)
{
	const char *c = strrchr(line, ':');
	const char *v = c ? c + 1 : line;

	while (maint_perl_space((unsigned char)*v))
		v++;
	return xstrdup(v);
}

static git_repository *fixes_repo(struct maint_db *db)
{
	/* libgit2 only when a Fixes: line needs it: its start-up is slow */
	if (!db->repo_state) {
		git_libgit2_init();
		db->repo_state = git_repository_open_ext(&db->repo, db->root,
			GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) ? -1 : 1;
	}
	return db->repo_state > 0 ? db->repo : NULL;
}

struct signer_count {
	const char *email;
	size_t n;
};

static int count_cmp(const void *a, const void *b)
{
	const struct signer_count *x = a, *y = b;

	/* sort {$hash{$b} <=> $hash{$a}}: ties in hash order; here sorted */
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->email, y->email);
}

/*
 * vcs_add_commit_signers($fix, "blamed_fixes"): the Signed-off-by,
 * Reviewed-by and Acked-by lines of the commit (git log -1), at most
 * five, not Linus, not in .get_maintainer.ignore.
 */
static void add_fix_signers(struct lookup *lk, const char *id)
{
	struct maint_db *db = lk->db;
	git_repository *repo = fixes_repo(db);
	git_object *obj = NULL, *peeled = NULL;
	const git_signature *author;
	const char *body, *p;
	struct vec signers = VEC_INIT, mapped = VEC_INIT;
	struct signer_count *counts;
	struct sbuf line = SBUF_INIT, why = SBUF_INIT;
	size_t nc = 0, taken = 0;

	if (!repo || git_revparse_single(&obj, repo, id) ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
		git_object_free(obj);
		git_error_clear();
		return;
	}
	body = git_commit_body((git_commit *)peeled);
	author = git_commit_author((git_commit *)peeled);
	for (p = body ? body : ""; *p;) {
		size_t len = str_line_len(p);

		sbuf_reset(&line);
		sbuf_add(&line, p, len);
		p += len;
		if (*p == '\n')
			p++;
		maint_perl_trim(&line);	/* git_execute_cmd() strips blanks */
		if (!maint_re_match(db, &db->signature, line.buf, line.len) ||
		    maint_re_match(db, &db->linus, line.buf, line.len))
			continue;
		vec_push(&signers, after_last_colon(line.buf));
	}
	if (signers.n) {
		/* extract_formatted_signatures(@authors) de-duplicates too */
		struct sbuf a = SBUF_INIT;
		char *d;

		sbuf_addf(&a, "%s <%s>", author->name, author->email);
		d = deduplicate_email(lk, a.buf);
		free(d);
		sbuf_release(&a);
	}
	for (size_t i = 0; i < signers.n; i++) {
		char *d1 = deduplicate_email(lk, signers.items[i]);
		char *d2 = deduplicate_email(lk, d1);

		vec_push(&mapped, maint_mailmap_email(db, d2));	/* mailmap() */
		free(d1);
		free(d2);
	}
	vec_sort(&mapped, str_ptr_cmp);
	counts = xcalloc(mapped.n + 1, sizeof(*counts));
	for (size_t i = 0; i < mapped.n; i++) {
		if (nc && !strcmp(counts[nc - 1].email, mapped.items[i])) {
			counts[nc - 1].n++;
			continue;
		}
		counts[nc].email = mapped.items[i];
		counts[nc++].n = 1;
	}
	qsort(counts, nc, sizeof(*counts), count_cmp);
	sbuf_addf(&why, "Fixes: %s", id);
	lk->why = why.buf;
	lk->why_line = 0;
	for (size_t i = 0; i < nc; i++) {
		if (vec_find_str(&db->ignore, counts[i].email) >= 0)
			continue;	/* ignore_email_address() */
		if (++taken > 5)	/* $email_git_max_maintainers */
			break;
		push_email_address(lk, counts[i].email, MAINT_ROLE_FIXES,
				   SIZE_MAX);
	}
	lk->why = NULL;
	free(counts);
	vec_release_str(&signers);
	vec_release_str(&mapped);
	sbuf_release(&line);
	sbuf_release(&why);
	git_object_free(peeled);
	git_object_free(obj);
}

static int kw_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* get_maintainers() over lk->files and lk->keyword_tvi */
static void get_maintainers(struct lookup *lk)
{
	struct maint_db *db = lk->db;
	struct maint_map seen = MAINT_MAP_INIT;
	struct vec kws = VEC_INIT, keep = VEC_INIT;
	struct sbuf why = SBUF_INIT;

	sort_and_uniq(&lk->files);
	for (size_t i = 0; i < lk->files.n; i++) {
		match_file(lk, lk->files.items[i]);
		maintainers_in_file(lk, lk->files.items[i]);
	}
	/* @keyword_tvi = sort_and_uniq(@keyword_tvi): sorted as strings */
	for (size_t i = 0; i < lk->keyword_tvi.alloc; i++)
		if (lk->keyword_tvi.slots[i].key)
			vec_push(&kws, lk->keyword_tvi.slots[i].key);
	if (kws.n)
		qsort(kws.items, kws.n, sizeof(*kws.items), kw_cmp);
	for (size_t i = 0; i < kws.n; i++) {
		long tvi;
		const struct maint_tv *t;

		if (str_to_long(kws.items[i], &tvi) || tvi < 0 ||
		    (size_t)tvi >= db->ntv || db->sec_of[tvi] == SIZE_MAX)
			BUG("maint: keyword index %s", (char *)kws.items[i]);
		t = &db->tv[tvi];
		sbuf_reset(&why);
		sbuf_addf(&why, "K: %s", t->value);
		lk->why = why.buf;
		lk->why_line = t->lineno;
		add_categories(lk, db->sec_of[tvi]);
	}
	lk->why = NULL;
	vec_release(&kws, NULL);
	for (size_t i = 0; i < lk->email_to.n; i++) {
		struct entry *e = lk->email_to.items[i];
		char *d = deduplicate_email(lk, e->email);

		free(e->email);
		e->email = d;
	}
	for (size_t i = 0; i < lk->list_to.n; i++) {
		struct entry *e = lk->list_to.items[i];
		char *d = deduplicate_email(lk, e->email);

		free(e->email);
		e->email = d;
	}
	/* --nogit-chief-penguins: grep($_->[0] !~ /$chief/, @email_to) */
	for (size_t i = 0; i < lk->email_to.n; i++) {
		struct entry *e = lk->email_to.items[i];

		if (maint_re_match(db, &db->chief, e->email, strlen(e->email)))
			entry_free(e);
		else
			vec_push(&keep, e);
	}
	vec_release(&lk->email_to, NULL);
	lk->email_to = keep;
	/* @file_emails: mailmapped and pushed as maintainers */
	for (size_t i = 0; i < lk->file_emails.n; i++) {
		struct entry *fe = lk->file_emails.items[i];
		char *m = maint_mailmap_email(db, fe->email);

		lk->why = fe->why;
		lk->why_line = 0;
		push_email_address(lk, m, MAINT_ROLE_FILE, SIZE_MAX);
		lk->why = NULL;
		free(m);
	}
	/* foreach my $fix (@fixes) { vcs_add_commit_signers(...) } */
	for (size_t i = 0; i < lk->fixes.n && db->use_fixes; i++)
		add_fix_signers(lk, lk->fixes.items[i]);
	for (size_t i = 0; i < lk->email_to.n; i++)
		emit(lk, &seen, lk->email_to.items[i]);
	for (size_t i = 0; i < lk->list_to.n; i++)
		emit(lk, &seen, lk->list_to.items[i]);
	for (size_t i = 0; i < lk->files.n; i++)
		vec_push_str(&lk->res->files, lk->files.items[i]);
	maint_map_release(&seen, NULL);
	sbuf_release(&why);
}

int maint_db_lookup(struct maint_db *db, const struct maint_input *inputs,
		    size_t n, struct maint_result *out, struct err *err)
{
	struct lookup lk;
	unsigned long long steps = MAINT_RE_BUDGET;

	for (size_t i = 0; i < n; i++)
		steps += MAINT_RE_BUDGET_PER_BYTE * (unsigned long long)
			 inputs[i].len;
	lookup_init(&lk, db, out, steps);
	maint_db_keyword_filter(db);
	for (size_t i = 0; i < n; i++)
		scan_patch(&lk, &inputs[i]);
	get_maintainers(&lk);
	lookup_release(&lk);
	return 0;
}

int maint_db_lookup_files(struct maint_db *db, const char *const *files,
			  size_t n, struct maint_result *out,
			  struct err *err)
{
	struct lookup lk;
	char num[32];

	lookup_init(&lk, db, out, MAINT_RE_BUDGET);
	for (size_t i = 0; i < n; i++) {
		struct sbuf text = SBUF_INIT;
		struct err e = ERR_INIT;
		char *path;

		vec_push_str(&lk.files, files[i]);
		if (!strcmp(files[i], "MAINTAINERS") || !db->nkw)
			continue;
		/* the keywords against the file's whole text */
		path = path_join(db->root, files[i]);
		if (fs_exists(path) && !fs_is_dir(path) &&
		    !sbuf_read_file(&text, path, MAINT_FILE_MAX, &e)) {
			if (!db->re_budget)
				maint_re_budget(db, db->re_left +
						MAINT_RE_BUDGET_PER_BYTE *
						(unsigned long long)text.len);
			for (size_t k = 0; k < db->nkw; k++) {
				struct maint_tv *t = &db->tv[db->kw[k]];

				if (!tv_match(&lk, t, &t->rx, text.buf,
					      text.len, files[i]))
					continue;
				snprintf(num, sizeof(num), "%zu", db->kw[k]);
				maint_map_put(&lk.keyword_tvi, num, &lk);
			}
		}
		sbuf_release(&text);
		free(path);
	}
	get_maintainers(&lk);
	lookup_release(&lk);
	return 0;
}

static void maint_addr_free(void *p)
{
	struct maint_addr *a = p;

	if (!a)
		return;
	free(a->addr);
	free(a->section);
	free(a->why);
	free(a);
}

void maint_result_release(struct maint_result *r)
{
	vec_release(&r->addrs, maint_addr_free);
	vec_release_str(&r->files);
	vec_release_str(&r->warnings);
	memset(&r->work, 0, sizeof(r->work));
}

const char *maint_role_name(enum maint_role role)
{
	switch (role) {
	case MAINT_ROLE_MAINTAINER:
		return "maintainer";
	case MAINT_ROLE_REVIEWER:
		return "reviewer";
	case MAINT_ROLE_LIST:
		return "list";
	case MAINT_ROLE_FILE:
		return "file";
	case MAINT_ROLE_FIXES:
		return "fixes";
	}
	return "?";
}
