/*
 * Reading MAINTAINERS, after scripts/get_maintainer.pl 0.26 (Linux
 * 6.1): the typevalue list, its sections, the index of F: patterns,
 * the N: and K: regexes, and the tree's .mailmap and
 * .get_maintainer.ignore.  The names in comments (typevalue,
 * find_starting_index, read_mailmap, ...) are the script's, so each
 * rule can be checked against the Perl it reproduces.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "maint/maint.h"
#include "maint/private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

void maint_db_warn(struct maint_db *db, unsigned lineno, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	sbuf_addf(&sb, "%s:%u: ", db->path, lineno);
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(&db->warnings, sbuf_detach(&sb));
}

/* m/^([A-Z]):\s*(.*)/: the type, and the value start in *value. */
static char tv_type(const char *line, size_t len, const char **value)
{
	const char *p = line, *end = line + len;

	if (len < 2 || *p < 'A' || *p > 'Z' || p[1] != ':')
		return 0;
	p += 2;
	while (p < end && maint_perl_space((unsigned char)*p))
		p++;
	*value = p;
	return line[0];
}

static void index_add(struct maint_db *db, const char *key, size_t sec)
{
	struct vec *v = maint_map_get(&db->index, key);

	if (!v) {
		v = xcalloc(1, sizeof(*v));
		maint_map_put(&db->index, key, v);
	}
	if (!v->n || v->items[v->n - 1] != &db->ids[sec])
		vec_push(v, &db->ids[sec]);
}

static void free_vec(void *v)
{
	vec_release(v, NULL);
	free(v);
}

static void compile_script_regexes(struct maint_db *db)
{
	static const struct {
		size_t off;
		const char *re;
	} tab[] = {
#define R(field, re) { offsetof(struct maint_db, field), re }
		R(pe1, "^([^<]+)<(.+\\@.*)>.*$"),
		R(pe2, "^\\s*<(.+\\@\\S*)>.*$"),
		R(pe3, "^(.+\\@\\S*).*$"),
		R(mm1, "^([^<]+)<([^>]+)>$"),
		R(mm2, "^<([^>]+)>\\s*<([^>]+)>$"),
		R(mm3, "^(.+)<([^>]+)>\\s*<([^>]+)>$"),
		R(mm4, "^(.+)<([^>]+)>\\s*(.+)\\s*<([^>]+)>$"),
		R(p_mode, "^ mode change [0-7]+ => [0-7]+ (\\S+)\\s*$"),
		R(p_rename, "^rename (?:from|to) (\\S+)\\s*$"),
		R(p_diff, "^diff --git a\\/(\\S+) b\\/(\\S+)\\s*$"),
		R(p_fixes, "^Fixes:\\s+([0-9a-fA-F]{6,40})"),
		R(p_pm, "^(?:\\+\\+\\+|---)\\s+(\\S+)"),
		R(p_hunk, "^\\@\\@ -(\\d+),(\\d+)"),
		/* the bytes of the script's UTF-8 "À-ÿ": \xC3, \x80-\xC3, \xBF */
		R(fe_addr, "[A-Za-z\\x{c3}\\x{80}-\\x{c3}\\x{bf}\"' ,.+-]*"
			   "\\s*[,]*\\s*[(<{]{0,1}[A-Za-z0-9_.+-]+\\@"
			   "[A-Za-z0-9.-]+\\.[A-Za-z0-9]+[)>}]{0,1}"),
		R(fe_sub, "[(<{]{0,1}([A-Za-z0-9_.+-]+\\@[A-Za-z0-9.-]+)"
			  "[)>}]{0,1}"),
		R(chief, "Linus Torvalds <torvalds\\@linux-foundation.org>"),
		R(signature, "^[ \\t]*(Signed-off-by:|Reviewed-by:|Acked-by:)"
			     ".*\\@.*$"),
		R(linus, "(?i)(Linus Torvalds)"),
#undef R
	};
	struct sbuf why = SBUF_INIT;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct maint_re *re = (struct maint_re *)((char *)db +
							  tab[i].off);

		if (maint_re_compile(re, tab[i].re, strlen(tab[i].re), 0, &why))
			BUG("maint: regex %s: %s", tab[i].re, why.buf);
	}
	sbuf_release(&why);
}

/* ---- reading MAINTAINERS, .mailmap and .get_maintainer.ignore ---- */

static void mm_set(struct maint_map *m, const char *key, const char *val)
{
	char *old = maint_map_get(m, key);

	maint_map_put(m, key, xstrdup(val));
	free(old);
}

static void read_mailmap_line(struct maint_db *db, char *line)
{
	size_t len = strlen(line);
	struct sbuf n = SBUF_INIT, a = SBUF_INIT, wn = SBUF_INIT,
		    wa = SBUF_INIT;
	char *g1, *g2, *g3, *g4;

	if (maint_re_match(db, &db->mm1, line, len)) {
		g1 = maint_re_group(&db->mm1, line, 1);
		g2 = maint_re_group(&db->mm1, line, 2);
		sbuf_addstr(&wn, g1);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g2);
		maint_parse_email(db, wn.buf, &n, &a);
		mm_set(&db->mm_names, a.buf, n.buf);
		free(g1);
		free(g2);
	} else if (maint_re_match(db, &db->mm2, line, len)) {
		g1 = maint_re_group(&db->mm2, line, 1);
		g2 = maint_re_group(&db->mm2, line, 2);
		mm_set(&db->mm_addrs, g2, g1);
		free(g1);
		free(g2);
	} else if (maint_re_match(db, &db->mm3, line, len)) {
		g1 = maint_re_group(&db->mm3, line, 1);
		g2 = maint_re_group(&db->mm3, line, 2);
		g3 = maint_re_group(&db->mm3, line, 3);
		sbuf_addstr(&wn, g1);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g2);
		maint_parse_email(db, wn.buf, &n, &a);
		mm_set(&db->mm_names, g3, n.buf);
		mm_set(&db->mm_addrs, g3, a.buf);
		free(g1);
		free(g2);
		free(g3);
	} else if (maint_re_match(db, &db->mm4, line, len)) {
		char *key;

		g1 = maint_re_group(&db->mm4, line, 1);
		g2 = maint_re_group(&db->mm4, line, 2);
		g3 = maint_re_group(&db->mm4, line, 3);
		g4 = maint_re_group(&db->mm4, line, 4);
		sbuf_addstr(&wn, g1);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g2);
		maint_parse_email(db, wn.buf, &n, &a);
		sbuf_reset(&wn);
		sbuf_addstr(&wn, g3);
		sbuf_rtrim(&wn);
		sbuf_addf(&wn, " <%s>", g4);
		{
			struct sbuf n2 = SBUF_INIT;

			maint_parse_email(db, wn.buf, &n2, &wa);
			key = maint_format_email(n2.buf, wa.buf);
			sbuf_release(&n2);
		}
		mm_set(&db->mm_names, key, n.buf);
		mm_set(&db->mm_addrs, key, a.buf);
		free(key);
		free(g1);
		free(g2);
		free(g3);
		free(g4);
	}
	sbuf_release(&n);
	sbuf_release(&a);
	sbuf_release(&wn);
	sbuf_release(&wa);
}

/*
 * Call fn with each line of a small config file of the tree (a missing
 * file has no lines), with the comment cut and blanks trimmed in the
 * order the script does them: trim_first for .get_maintainer.ignore.
 */
static int read_config_lines(struct maint_db *db, const char *path,
			     int trim_first,
			     void (*fn)(struct maint_db *db, char *line),
			     struct err *err)
{
	struct sbuf text = SBUF_INIT, line = SBUF_INIT;
	const char *p;
	int ret;

	if (!fs_exists(path) || fs_is_dir(path))
		return 0;
	ret = sbuf_read_file(&text, path, MAINT_FILE_MAX, err);
	if (ret)
		return ret;
	for (p = text.buf; *p;) {
		size_t len = str_line_len(p);
		char *hash;

		sbuf_reset(&line);
		sbuf_add(&line, p, len);
		p += len;
		if (*p == '\n')
			p++;
		if (trim_first)
			maint_perl_trim(&line);
		hash = memchr(line.buf, '#', line.len);	/* s/#.*$// */
		if (hash)
			sbuf_setlen(&line, hash - line.buf);
		if (!trim_first)
			maint_perl_trim(&line);
		if (line.len)
			fn(db, line.buf);
	}
	sbuf_release(&text);
	sbuf_release(&line);
	return 0;
}

static int value_is_blank_or_comment(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && maint_perl_space((unsigned char)line[i]))
		i++;
	return i == len || line[i] == '#';
}

/* Checks that say where a MAINTAINERS line will not do what it seems. */
static void check_tv_line(struct maint_db *db, const struct maint_tv *t)
{
	switch (t->type) {
	case 'M':
	case 'R':
		if (!strchr(t->value, '@'))
			maint_db_warn(db, t->lineno,
				      "%c: without an e-mail address", t->type);
		break;
	case 'L':
		if (!*t->value)
			maint_db_warn(db, t->lineno,
				      "L: without a list address");
		break;
	case 'F':
	case 'X':
		if (*t->value && maint_perl_space(
			(unsigned char)t->value[strlen(t->value) - 1]))
			maint_db_warn(db, t->lineno, "%c: pattern ends in "
				      "white space and matches no file",
				      t->type);
		/* fall through */
	case 'N':
	case 'K':
		if (!*t->value)
			maint_db_warn(db, t->lineno, "empty %c: pattern",
				      t->type);
		break;
	default:
		break;
	}
}

static void compile_tv_regex(struct maint_db *db, struct maint_tv *t)
{
	struct sbuf why = SBUF_INIT, re = SBUF_INIT;

	if (maint_re_compile(&t->rx, t->value, strlen(t->value),
			     PCRE2_EXTENDED | MAINT_RE_COUNTED, &why)) {
		maint_db_warn(db, t->lineno, "bad %c: regex '%s': %s",
			      t->type, t->value, why.buf);
		t->bad = 1;
	} else if (t->type == 'K') {
		sbuf_addf(&re, "^[+-].*%s", t->value);
		if (maint_re_compile(&t->rx_patch, re.buf, re.len,
				     PCRE2_EXTENDED | MAINT_RE_COUNTED, &why))
			t->bad = 1;
	}
	sbuf_release(&why);
	sbuf_release(&re);
}

/*
 * The values point into the file's text, kept in db->text with each
 * line ended in place: one allocation instead of one a line.
 */
static int read_maintainers(struct maint_db *db, struct err *err)
{
	struct sbuf text = SBUF_INIT;
	size_t alloc = 0;
	unsigned lineno = 0;
	char *p, *end;
	const char *nul;
	int ret;

	ret = sbuf_read_file(&text, db->path, MAINT_FILE_MAX, err);
	if (ret)
		return ret;
	nul = memchr(text.buf, '\0', text.len);
	if (nul) {
		ret = err_set(err, ERR_PARSE, "%s: a binary file (a NUL byte at "
			      "offset %zu), not a MAINTAINERS file", db->path,
			      (size_t)(nul - text.buf));
		sbuf_release(&text);
		return ret;
	}
	db->text = sbuf_detach(&text);
	end = db->text + strlen(db->text);
	for (p = db->text; p < end;) {
		char *line = p, *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *value = NULL;
		struct maint_tv *t;
		char type;

		lineno++;
		p += len;
		if (p < end)
			*p++ = '\0';	/* chomp */
		if (value_is_blank_or_comment(line, len)) {
			/* a blank line inside the file is no entry at all */
			continue;
		}
		ALLOC_GROW(db->tv, db->ntv + 1, alloc);
		t = &db->tv[db->ntv++];
		memset(t, 0, sizeof(*t));
		t->lineno = lineno;
		type = tv_type(line, len, &value);
		t->type = type;
		t->value = type ? value : line;
		check_tv_line(db, t);
		if (type == 'F' || type == 'X')
			maint_pat_init(db, &t->patv, t->value, lineno);
		else if ((type == 'N' || type == 'K') && *t->value)
			compile_tv_regex(db, t);
		else if (type == 'N' || type == 'K')
			t->bad = 1;
	}
	/* the list does not move any more */
	for (size_t i = 0; i < db->ntv; i++)
		if (db->tv[i].type == 'F' || db->tv[i].type == 'X')
			db->tv[i].pat = &db->tv[i].patv;
	return 0;
}

/* Sections: maximal runs of type:value lines, as the script walks them. */
static void build_sections(struct maint_db *db)
{
	size_t alloc = 0, kalloc = 0;

	db->sec_of = xmalloc((db->ntv + 1) * sizeof(*db->sec_of));
	for (size_t i = 0; i < db->ntv;) {
		struct maint_section *s;

		if (!db->tv[i].type) {
			db->sec_of[i++] = SIZE_MAX;
			continue;
		}
		ALLOC_GROW(db->sec, db->nsec + 1, alloc);
		s = &db->sec[db->nsec];
		s->first = i;
		s->start = i > 0 ? i - 1 : 0;
		s->has_n = 0;
		while (i < db->ntv && db->tv[i].type) {
			if (db->tv[i].type == 'N')
				s->has_n = 1;
			if (db->tv[i].type == 'K' && !db->tv[i].bad) {
				ALLOC_GROW(db->kw, db->nkw + 1, kalloc);
				db->kw[db->nkw++] = i;
			}
			db->sec_of[i++] = db->nsec;
		}
		s->end = i;
		/*
		 * A stray non-"T:" line right after a section starts a new
		 * "section" with that line as its title: say so.
		 */
		if (i < db->ntv && i + 1 < db->ntv && db->tv[i + 1].type &&
		    db->tv[i].lineno + 1 == db->tv[i + 1].lineno &&
		    db->tv[i - 1].lineno + 1 == db->tv[i].lineno)
			maint_db_warn(db, db->tv[i].lineno,
				      "not a 'T: value' line inside section "
				      "'%s': read as the title of a new "
				      "section", db->tv[s->start].value);
		db->nsec++;
	}
	db->sec_of[db->ntv] = SIZE_MAX;
	db->ids = xmalloc((db->nsec + 1) * sizeof(*db->ids));
	db->stamp = xcalloc(db->nsec + 1, sizeof(*db->stamp));
	for (size_t s = 0; s < db->nsec; s++) {
		int wild = 0;

		db->ids[s] = s;
		if (db->sec[s].has_n)
			vec_push(&db->nsecs, &db->ids[s]);
		for (size_t i = db->sec[s].first; i < db->sec[s].end; i++) {
			char *key;

			if (db->tv[i].type != 'F')
				continue;
			key = db->tv[i].pat->needs_re ? NULL :
			      maint_pat_key(db->tv[i].value);
			if (key)
				index_add(db, key, s);
			else
				wild = 1;
			free(key);
		}
		if (wild)
			vec_push(&db->wild, &db->ids[s]);
	}
}

/*
 * Has the regex an alternation at its top level?  Then the script's
 * "^[+-].*" prefix binds only to its first branch, and the others can
 * match lines of the diff that start with neither '+' nor '-'.
 */
static int top_level_alternation(const char *re)
{
	int depth = 0, in_class = 0;

	for (const char *p = re; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				break;
			p++;
		} else if (in_class) {
			if (*p == ']')
				in_class = 0;
		} else if (*p == '[') {
			in_class = 1;
			if (p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && depth) {
			depth--;
		} else if (*p == '|' && !depth) {
			return 1;
		}
	}
	return 0;
}

void maint_db_keyword_filter(struct maint_db *db)
{
	struct sbuf all = SBUF_INIT, why = SBUF_INIT, other = SBUF_INIT;

	if (!db->nkw || db->kw_built)
		return;
	db->kw_built = 1;
	/*
	 * One regex for all K: lines, to skip the lines that match none
	 * quickly; each alternative is the script's regex in a group.
	 * It serves the lines of the diff too: a line that matches
	 * ^[+-].*$value has $value matching in it, so the filter lets
	 * it through, and the K: regexes decide.  The filter never
	 * backtracks through the line once for each K: as a filter of
	 * "^[+-].*$value" alternatives would, so a tight match limit
	 * bounds it (MAINT_RE_FILTER_LIMIT).
	 */
	for (size_t k = 0; k < db->nkw; k++) {
		const char *v = db->tv[db->kw[k]].value;

		sbuf_addf(&all, "%s(?:%s\n)", k ? "|" : "", v);
		if (top_level_alternation(v)) {
			sbuf_addf(&other, "%s(?:^[+-].*%s\n)",
				  other.len ? "|" : "", v);
			db->kw_other_lines = 1;
		}
	}
	if (other.len && maint_re_compile(&db->kw_any_other, other.buf,
					  other.len, PCRE2_EXTENDED |
					  MAINT_RE_FILTER, &why))
		db->kw_other_lines = 1;	/* no filter: try each */
	sbuf_release(&other);
	maint_re_compile(&db->kw_any, all.buf, all.len,
			 PCRE2_EXTENDED | MAINT_RE_FILTER, &why);
	sbuf_release(&all);
	sbuf_release(&why);
}

/* A line of .get_maintainer.ignore, read as the script reads it. */
static void read_ignore_line(struct maint_db *db, char *line)
{
	if (strchr(line, '@'))	/* rfc822_valid(), roughly */
		vec_push_str(&db->ignore, line);
}

int maint_db_open(struct maint_db **out, const struct maint_options *opt,
		  struct err *err)
{
	struct maint_db *db;
	char *mailmap, *ignore;
	int ret;

	*out = NULL;
	if (!opt->root)
		return err_set(err, ERR_USAGE, "no kernel tree given");
	db = xcalloc(1, sizeof(*db));
	db->work = &db->idle;
	db->root = xstrdup(opt->root);
	db->path = opt->maintainers ? xstrdup(opt->maintainers) :
		   path_join(opt->root, "MAINTAINERS");
	if (!fs_exists(db->path) || fs_is_dir(db->path)) {
		ret = err_set(err, ERR_NOTFOUND,
			      "%s: no MAINTAINERS file (use --maintainers FILE)",
			      db->path);
		maint_db_free(db);
		return ret;
	}
	db->re_budget = opt->re_budget;
	maint_re_init(db);
	compile_script_regexes(db);
	ret = read_maintainers(db, err);
	if (ret) {
		maint_db_free(db);
		return ret;
	}
	build_sections(db);
	if (!db->nsec) {
		/* the script would say nothing and give no address */
		ret = err_set(err, ERR_PARSE, db->ntv ?
			      "%s: no section (no \"X: value\" line), not a "
			      "MAINTAINERS file" :
			      "%s: empty, not a MAINTAINERS file", db->path);
		maint_db_free(db);
		return ret;
	}
	if (opt->no_keywords)
		db->nkw = 0;
	if (!opt->no_mailmap) {
		mailmap = opt->mailmap ? xstrdup(opt->mailmap) :
			  path_join(opt->root, ".mailmap");
		ret = read_config_lines(db, mailmap, 0, read_mailmap_line, err);
		free(mailmap);
		if (ret) {
			maint_db_free(db);
			return ret;
		}
	}
	ignore = opt->ignore ? xstrdup(opt->ignore) :
		 path_join(opt->root, ".get_maintainer.ignore");
	ret = read_config_lines(db, ignore, 1, read_ignore_line, err);
	free(ignore);
	if (ret) {
		maint_db_free(db);
		return ret;
	}
	if (!opt->no_fixes) {
		char *dotgit = path_join(opt->root, ".git");

		db->use_fixes = fs_exists(dotgit);	/* -e ".git" */
		free(dotgit);
	}
	*out = db;
	return 0;
}

const struct vec *maint_db_warnings(const struct maint_db *db)
{
	return &db->warnings;
}

size_t maint_db_nsections(const struct maint_db *db)
{
	return db->nsec;
}

static void db_release_script_regexes(struct maint_db *db)
{
	struct maint_re *res[] = {
		&db->pe1, &db->pe2, &db->pe3, &db->mm1, &db->mm2, &db->mm3,
		&db->mm4, &db->p_mode, &db->p_rename, &db->p_diff,
		&db->p_fixes, &db->p_pm, &db->p_hunk, &db->fe_addr,
		&db->fe_sub, &db->chief, &db->kw_any,
		&db->kw_any_other, &db->signature, &db->linus,
	};

	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++)
		maint_re_release(res[i]);
}

void maint_db_free(struct maint_db *db)
{
	if (!db)
		return;
	db_release_script_regexes(db);
	for (size_t i = 0; i < db->ntv; i++) {
		if (db->tv[i].pat)
			maint_pat_release(db->tv[i].pat);
		maint_re_release(&db->tv[i].rx);
		maint_re_release(&db->tv[i].rx_patch);
	}
	free(db->tv);
	free(db->text);
	free(db->sec);
	free(db->sec_of);
	free(db->ids);
	free(db->stamp);
	free(db->kw);
	maint_map_release(&db->index, free_vec);
	vec_release(&db->wild, NULL);
	vec_release(&db->nsecs, NULL);
	vec_release_str(&db->ignore);
	pcre2_match_context_free(db->mctx);
	pcre2_match_context_free(db->fctx);
	git_repository_free(db->repo);
	if (db->repo_state)
		git_libgit2_shutdown();
	maint_map_release(&db->mm_names, free);
	maint_map_release(&db->mm_addrs, free);
	vec_release_str(&db->warnings);
	free(db->root);
	free(db->path);
	free(db);
}
