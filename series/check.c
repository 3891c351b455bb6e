/*
 * vger check: the submission rules of the BPF development FAQ (and the
 * netdev rules bpf follows) on a series of patches.
 */
#include "config.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/subject.h"
#include "series/check.h"
#include "series/patch.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

#include <glib.h>

/* The most checkpatch output kept per patch. */
#define CHECK_TOOL_OUTPUT_MAX (4u << 20)
/* The shortest commit id a Fixes: tag may carry. */
#define CHECK_FIXES_HEX_MIN 12
/* A "Fixes:" line longer than this is not parsed. */
#define CHECK_LINE_MAX 4096

static const char *const check_ids[] = {
#define CHECK_RULE_ID(name, id, summary) id,
	CHECK_RULES(CHECK_RULE_ID)
#undef CHECK_RULE_ID
};

static const char *const check_summaries[] = {
#define CHECK_RULE_SUMMARY(name, id, summary) summary,
	CHECK_RULES(CHECK_RULE_SUMMARY)
#undef CHECK_RULE_SUMMARY
};

const char *check_rule_id(enum check_rule rule)
{
	if ((unsigned)rule >= CHECK_RULE_MAX)
		BUG("bad check rule %d", (int)rule);
	return check_ids[rule];
}

const char *check_rule_summary(enum check_rule rule)
{
	if ((unsigned)rule >= CHECK_RULE_MAX)
		BUG("bad check rule %d", (int)rule);
	return check_summaries[rule];
}

int check_rule_from_id(const char *id)
{
	for (int i = 0; i < CHECK_RULE_MAX; i++)
		if (!strcmp(check_ids[i], id))
			return i;
	return -1;
}

const char *check_severity_name(enum check_severity s)
{
	return s == CHECK_ERROR ? "error" : "warning";
}

/* ---- the result ---- */

struct check_ctx {
	struct check_result *out;
	const struct series_patches *ps;
	const struct check_options *opt;
	const char *tree;	/* the effective target tree, or NULL */
	size_t seq;		/* order of findings within one patch/rule */
};

/* Findings sort by patch, then rule, then the order they were made. */
struct check_finding_sorted {
	struct check_finding f;
	size_t seq;
};

static void check_add(struct check_ctx *c, enum check_rule rule,
		      enum check_severity sev, size_t index,
		      const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void check_add(struct check_ctx *c, enum check_rule rule,
		      enum check_severity sev, size_t index,
		      const char *fix, const char *fmt, ...)
{
	struct check_finding_sorted *s = xcalloc(1, sizeof(*s));
	struct sbuf msg = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	s->f.severity = sev;
	s->f.rule = rule;
	s->f.index = (unsigned)index;
	s->f.total = (unsigned)c->ps->items.n;
	if (index) {
		const struct series_patch *p = c->ps->items.items[index - 1];

		s->f.subject = xstrdup(p->subject);
	} else if (c->ps->cover_subject) {
		const char *t = c->ps->cover_subject;

		/* the title without its [PATCH ...] tags */
		while (*t == '[' && strchr(t, ']')) {
			t = strchr(t, ']') + 1;
			while (*t == ' ')
				t++;
		}
		s->f.subject = xstrdup(t);
	}
	s->f.message = sbuf_detach(&msg);
	s->f.fix = xstrdup(fix);
	s->seq = c->seq++;
	vec_push(&c->out->findings, s);
	if (sev == CHECK_ERROR)
		c->out->errors++;
	else
		c->out->warnings++;
}

static int check_finding_cmp(const void *a, const void *b)
{
	const struct check_finding_sorted *x = *(void *const *)a;
	const struct check_finding_sorted *y = *(void *const *)b;

	if (x->f.index != y->f.index)
		return x->f.index < y->f.index ? -1 : 1;
	if (x->f.rule != y->f.rule)
		return x->f.rule < y->f.rule ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void check_finding_free(void *item)
{
	struct check_finding *f = item;

	free(f->subject);
	free(f->message);
	free(f->fix);
	free(f);
}

void check_result_release(struct check_result *r)
{
	vec_release(&r->findings, check_finding_free);
	r->errors = r->warnings = 0;
	free(r->tree);
	r->tree = NULL;
}

/* ---- text helpers ---- */

/*
 * The part of a commit message that git am keeps: up to a "---" line
 * (notes below it are for the list, not the commit).
 */
static size_t check_msg_len(const char *msg)
{
	const char *line = msg;

	for (; *line; scan_next_line(&line))
		if (!strncmp(line, "---", 3) &&
		    (line[3] == '\n' || line[3] == '\r' || !line[3]))
			return line - msg;
	return strlen(msg);
}

/* Call fn on each line of the commit message proper (NUL-terminated). */
static void check_each_line(const char *msg, void (*fn)(const char *line,
							void *data),
			    void *data)
{
	size_t end = check_msg_len(msg);
	const char *line = msg;

	while (line < msg + end && *line) {
		size_t len = str_line_len(line);
		char *copy = xstrndup(line, len);

		if (len && copy[len - 1] == '\r')
			copy[len - 1] = '\0';
		fn(copy, data);
		free(copy);
		scan_next_line(&line);
	}
}

/* "Key-Word: value": a trailer line. */
static int check_is_trailer(const char *line)
{
	const char *p = line;

	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '-')
		p++;
	return p > line && p[0] == ':' && p[1] == ' ';
}

const char *check_guess_tree(const struct series_patches *ps)
{
	const char **msgs = xcalloc(ps->items.n + 1, sizeof(*msgs));
	const char *tree;

	for (size_t i = 0; i < ps->items.n; i++)
		msgs[i] = ((const struct series_patch *)
			   ps->items.items[i])->message;
	tree = kernel_tree_guess(msgs, ps->items.n);
	free(msgs);
	return tree;
}

/* Does patch p touch path, or anything under path when it ends in /? */
static int check_touches(const struct series_patch *p, const char *path)
{
	size_t len = strlen(path);
	int dir = len && path[len - 1] == '/';

	for (size_t i = 0; i < p->files.n; i++) {
		const struct series_file_change *c = p->files.items[i];
		const char *names[2] = { c->old_path, c->new_path };

		for (int k = 0; k < 2; k++) {
			if (!names[k])
				continue;
			if (dir ? str_starts_with(names[k], path) :
				  !strcmp(names[k], path))
				return 1;
		}
	}
	return 0;
}

/*
 * The changed lines ("+..." and "-...") of path in a diff text, in
 * order, appended to out.
 */
static void check_changed_lines(const char *diff, const char *path,
				struct sbuf *out)
{
	const char *line = diff;
	int in_hunk = 0, mine = 0;

	for (; *line; scan_next_line(&line)) {
		size_t len = str_line_len(line);

		if (str_starts_with(line, "diff --git ")) {
			in_hunk = mine = 0;
		} else if (!in_hunk && (str_starts_with(line, "--- a/") ||
					str_starts_with(line, "+++ b/"))) {
			if (len - 6 == strlen(path) &&
			    !strncmp(line + 6, path, len - 6))
				mine = 1;
		} else if (str_starts_with(line, "@@")) {
			in_hunk = 1;
		} else if (in_hunk && mine && (*line == '+' || *line == '-')) {
			sbuf_add(out, line, len);
			sbuf_addch(out, '\n');
		}
	}
}

/* ---- rule 1: the subject prefix ---- */

/*
 * The tags of a mail subject ("[RFC PATCH bpf-next v3 02/11]"), read
 * with the list's one subject grammar (mail/subject.h).
 */
struct check_prefix {
	int patch, rfc;
	unsigned version;	/* 1 when absent */
	unsigned index, total;	/* 0 when not numbered */
	int numbered;
	struct sbuf tree;	/* the tree words, lowercase */
};

/* Parse subject's tags; 0, or -1 when it has no patch tag at all. */
static int check_prefix_parse(struct check_prefix *px, const char *subject)
{
	struct mail_subject ms = MAIL_SUBJECT_INIT;

	memset(px, 0, sizeof(*px));
	sbuf_init(&px->tree);
	mail_subject_parse(&ms, subject);
	px->patch = ms.kind == MAIL_SUBJECT_PATCH;
	px->rfc = !!(ms.flags & MAIL_SUBJECT_RFC);
	px->version = ms.version;
	px->index = ms.index;
	px->total = ms.total;
	px->numbered = ms.total > 0;
	if (ms.tree)
		sbuf_addstr(&px->tree, ms.tree);
	mail_subject_release(&ms);
	return px->patch ? 0 : -1;
}

/* A patch's prefix (or the cover's, index 0), checked on its own. */
static void check_prefix_one(struct check_ctx *c, size_t index,
			     const char *subject, struct check_prefix *px)
{
	const struct check_options *o = c->opt;
	const char *fix_tree = "git format-patch --subject-prefix='PATCH bpf-next' "
			       "for features, 'PATCH bpf' for fixes (or vger respin --tree)";

	if (check_prefix_parse(px, subject) || !px->patch) {
		check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, index, fix_tree,
			  "the subject has no [PATCH ...] tag");
		return;
	}
	if (!px->tree.len)
		check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, index, fix_tree,
			  "the subject prefix names no target tree");
	else if (o->tree && strcmp(px->tree.buf, o->tree))
		check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, index, fix_tree,
			  "the subject prefix names tree '%s', the target is '%s'",
			  px->tree.buf, o->tree);
	else if (!kernel_tree_known(px->tree.buf))
		check_add(c, CHECK_SUBJECT_PREFIX, CHECK_WARNING, index,
			  fix_tree,
			  "'%s' is not a tree bpf@vger knows (bpf, bpf-next, net, net-next, iproute2 ...)",
			  px->tree.buf);
	if (o->version > 1 && px->version != o->version)
		check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, index,
			  "git format-patch -v N (or vger respin) writes the version",
			  "the subject prefix says v%u, this is v%u",
			  px->version ? px->version : 1, o->version);
}

static void check_prefix_release(struct check_prefix *px)
{
	sbuf_release(&px->tree);
}

static void check_subject_prefix(struct check_ctx *c)
{
	const struct series_patches *ps = c->ps;
	const struct check_options *o = c->opt;
	struct check_prefix first, px;
	size_t n = ps->items.n;
	unsigned char *seen;
	int have_first = 0;
	unsigned bad_total = 0;
	const char *fix_num = "send the whole series as git format-patch numbers it (vger respin)";
	const char *fix_same = "one series carries one prefix: regenerate it with one --subject-prefix and -v";

	if (!n || !((struct series_patch *)ps->items.items[0])->mail_subject) {
		/* commits: the prefix is the one respin will write */
		if (o->tree && !kernel_tree_known(o->tree))
			check_add(c, CHECK_SUBJECT_PREFIX, CHECK_WARNING, 0,
				  "use --tree bpf, bpf-next, net, net-next or 'iproute2 BRANCH'",
				  "the target tree '%s' is not one bpf@vger knows",
				  o->tree);
		return;
	}
	/* the parser keeps totals below 10000 */
	seen = xcalloc(10000, 1);
	if (ps->cover_subject) {
		check_prefix_one(c, 0, ps->cover_subject, &first);
		have_first = 1;
		if (first.patch && !first.numbered && n > 1)
			check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, 0,
				  fix_num, "the cover letter is not numbered 0/%zu",
				  n);
		if (first.numbered && (first.index != 0 || first.total != n))
			check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, 0,
				  fix_num,
				  "the cover letter is numbered %u/%u, expected 0/%zu",
				  first.index, first.total, n);
	}
	for (size_t i = 0; i < n; i++) {
		const struct series_patch *p = ps->items.items[i];

		check_prefix_one(c, i + 1, p->mail_subject, &px);
		if (!have_first) {
			first = px;
			have_first = 1;
		} else if (px.patch && first.patch) {
			if (strcmp(px.tree.buf, first.tree.buf) ||
			    px.version != first.version || px.rfc != first.rfc)
				check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR,
					  i + 1, fix_same,
					  "the prefix differs from the %s's (tree '%s' v%u vs '%s' v%u)",
					  ps->cover_subject ? "cover letter" :
							      "first patch",
					  px.tree.len ? px.tree.buf : "(none)",
					  px.version ? px.version : 1,
					  first.tree.len ? first.tree.buf :
							   "(none)",
					  first.version ? first.version : 1);
		}
		if (!px.patch) {
			/* reported above */
		} else if (!px.numbered) {
			if (n > 1)
				check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR,
					  i + 1, fix_num,
					  "patch %zu of %zu is not numbered n/N",
					  i + 1, n);
		} else if (!px.index) {
			check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, i + 1,
				  fix_num,
				  "numbered 0/%u, which only a cover letter is",
				  px.total);
		} else if (seen[px.index]++) {
			check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, i + 1,
				  fix_num, "%u/%u appears twice", px.index,
				  px.total);
		} else if (px.total == n && px.index != i + 1) {
			check_add(c, CHECK_SUBJECT_PREFIX, CHECK_WARNING, i + 1,
				  "give the patches in order",
				  "%u/%u comes as patch %zu", px.index, px.total,
				  i + 1);
		}
		if (px.patch && px.numbered && px.total != n && !bad_total)
			bad_total = px.total;
		if (first.tree.buf != px.tree.buf)
			check_prefix_release(&px);
	}
	if (bad_total) {
		struct sbuf missing = SBUF_INIT;

		for (unsigned k = 1; k <= bad_total && missing.len < 200; k++)
			if (!seen[k])
				sbuf_addf(&missing, "%s%u/%u",
					  missing.len ? ", " : "", k, bad_total);
		check_add(c, CHECK_SUBJECT_PREFIX, CHECK_ERROR, 0, fix_num,
			  "the patches are numbered n/%u but there are %zu%s%s",
			  bad_total, n, missing.len ? "; missing: " : "",
			  missing.buf);
		sbuf_release(&missing);
	}
	if (have_first)
		check_prefix_release(&first);
	free(seen);
}

/* ---- rule 2: Fixes: ---- */

/*
 * A patch that only adds or changes selftests tests the fix of another
 * patch; bpf takes those without a Fixes: tag of their own.
 */
static int check_only_selftests(const struct series_patch *p)
{
	for (size_t i = 0; i < p->files.n; i++) {
		const struct series_file_change *f = p->files.items[i];
		const char *path = f->new_path ? f->new_path : f->old_path;

		if (!path || !str_starts_with(path, "tools/testing/selftests/"))
			return 0;
	}
	return p->files.n > 0;
}

struct check_fixes_ctx {
	struct check_ctx *c;
	size_t index;
	git_repository *repo;
};

static void check_fixes_commit(struct check_fixes_ctx *fx, const char *hex,
			       const char *subject)
{
	const char *fix = "copy the line from git log -1 --abbrev=12 --format='Fixes: %h (\"%s\")' COMMIT";
	git_object *obj = NULL;
	git_commit *commit = NULL;
	int rc;

	rc = git_revparse_single(&obj, fx->repo, hex);
	if (rc == GIT_EAMBIGUOUS) {
		check_add(fx->c, CHECK_FIXES_FORMAT, CHECK_ERROR, fx->index,
			  "give more hex digits", "Fixes: %s is ambiguous", hex);
	} else if (rc < 0 || git_object_peel((git_object **)&commit, obj,
					     GIT_OBJECT_COMMIT) < 0) {
		check_add(fx->c, CHECK_FIXES_FORMAT, CHECK_ERROR, fx->index,
			  fix, "Fixes: %s names no commit in this repository",
			  hex);
	} else if (strcmp(git_commit_summary(commit) ?
			  git_commit_summary(commit) : "", subject)) {
		check_add(fx->c, CHECK_FIXES_FORMAT, CHECK_ERROR, fx->index,
			  fix, "Fixes: %s says (\"%s\") but that commit is (\"%s\")",
			  hex, subject, git_commit_summary(commit));
	}
	git_commit_free(commit);
	git_object_free(obj);
}

static void check_fixes_line(const char *line, void *data)
{
	struct check_fixes_ctx *fx = data;
	const char *fix = "Fixes: <12+ hex digits> (\"subject of that commit\") on one line, as git log --abbrev=12 --format='Fixes: %h (\"%s\")' gives it";
	const char *p = line, *hex, *subj;
	size_t nhex = 0, len;
	char *h, *s;

	if (!str_starts_with_icase(line, "fixes:"))
		return;
	if (!str_starts_with(line, "Fixes: ")) {
		check_add(fx->c, CHECK_FIXES_FORMAT, CHECK_ERROR, fx->index,
			  fix, "'%.80s' is not written 'Fixes: '", line);
		return;
	}
	p += strlen("Fixes: ");
	hex = p;
	while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
		p++, nhex++;
	if (nhex < CHECK_FIXES_HEX_MIN || nhex > 40 ||
	    (*p && *p != ' ')) {
		check_add(fx->c, CHECK_FIXES_FORMAT, CHECK_ERROR, fx->index,
			  fix,
			  "a Fixes: tag needs at least %d lowercase hex digits of the commit",
			  CHECK_FIXES_HEX_MIN);
		return;
	}
	len = strlen(p);
	if (!str_starts_with(p, " (\"") || len < 5 ||
	    strcmp(p + len - 2, "\")")) {
		check_add(fx->c, CHECK_FIXES_FORMAT, CHECK_ERROR, fx->index,
			  fix,
			  "a Fixes: tag has the commit's subject as (\"...\") on the same line");
		return;
	}
	subj = p + 3;
	if (!fx->repo)
		return;
	h = xstrndup(hex, nhex);
	s = xstrndup(subj, len - 5);
	check_fixes_commit(fx, h, s);
	free(h);
	free(s);
}

static void check_fixes(struct check_ctx *c)
{
	const struct check_options *o = c->opt;
	struct check_fixes_ctx fx = { c, 0, NULL };
	const struct kernel_tree *t = kernel_tree_find(c->tree);
	int need = t && (t->flags & KERNEL_TREE_FIXES_TAG);

	if (o->repo_dir && !(o->disabled & (1u << CHECK_FIXES_FORMAT))) {
		git_libgit2_init();
		if (git_repository_open_ext(&fx.repo, o->repo_dir, 0, NULL) < 0)
			fx.repo = NULL;
	}
	for (size_t i = 0; i < c->ps->items.n; i++) {
		const struct series_patch *p = c->ps->items.items[i];

		fx.index = i + 1;
		if (need && !(o->disabled & (1u << CHECK_FIXES_TAG)) &&
		    !kernel_msg_has_fixes(p->message) &&
		    !check_only_selftests(p))
			check_add(c, CHECK_FIXES_TAG, CHECK_ERROR, i + 1,
				  "add Fixes: <12+ hex> (\"subject\") naming the commit that broke it; features go to bpf-next",
				  "a patch for %s (fixes) without a Fixes: tag",
				  c->tree);
		if (!(o->disabled & (1u << CHECK_FIXES_FORMAT)))
			check_each_line(p->message, check_fixes_line, &fx);
	}
	if (o->repo_dir && !(o->disabled & (1u << CHECK_FIXES_FORMAT))) {
		git_repository_free(fx.repo);
		git_libgit2_shutdown();
	}
}

/* ---- rules 3, 5, 9: the message ---- */

struct check_msg_scan {
	size_t text_lines;	/* non-blank lines that are not trailers */
	int stable_cc;
	size_t sob;		/* Signed-off-by: lines */
	int author_sob;		/* one with the author's address */
	int author_name_sob;	/* one with the author's name */
	const char *author_name, *author_email;
};

static void check_msg_line(const char *line, void *data)
{
	struct check_msg_scan *m = data;
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return;
	if (!check_is_trailer(line)) {
		m->text_lines++;
		return;
	}
	if (str_starts_with_icase(line, "cc:") &&
	    (strstr(line, "stable@vger.kernel.org") ||
	     strstr(line, "stable@kernel.org")))
		m->stable_cc = 1;
	if (str_starts_with_icase(line, "signed-off-by:")) {
		struct mail_address a;

		m->sob++;
		if (!mail_address_parse(&a, line + strlen("signed-off-by:"))) {
			if (m->author_name && *m->author_name && a.name &&
			    !g_ascii_strcasecmp(a.name, m->author_name))
				m->author_name_sob = 1;
			if (m->author_email &&
			    mail_address_same(a.email, m->author_email))
				m->author_sob = 1;
		}
		mail_address_release(&a);
	}
}

static void check_messages(struct check_ctx *c)
{
	unsigned dis = c->opt->disabled;

	for (size_t i = 0; i < c->ps->items.n; i++) {
		const struct series_patch *p = c->ps->items.items[i];
		struct check_msg_scan m = { 0, 0, 0, 0, 0, p->author_name,
					    p->author_email };

		/* the body: the subject is the first line of the message */
		check_each_line(p->body, check_msg_line, &m);
		if (!(dis & (1u << CHECK_EMPTY_MESSAGE)) && !m.text_lines)
			check_add(c, CHECK_EMPTY_MESSAGE, CHECK_ERROR, i + 1,
				  "say what the patch changes and why in the commit message body",
				  "the commit message has no body beyond the subject%s",
				  m.sob ? " and trailers" : "");
		if (!(dis & (1u << CHECK_NO_STABLE_CC)) && m.stable_cc)
			check_add(c, CHECK_NO_STABLE_CC, CHECK_ERROR, i + 1,
				  "drop the Cc: stable line; ask the maintainers for a stable backport in a note under ---",
				  "Cc: stable@vger.kernel.org in a patch for bpf");
		if (dis & (1u << CHECK_SIGNED_OFF_BY))
			continue;
		if (!m.sob)
			check_add(c, CHECK_SIGNED_OFF_BY, CHECK_ERROR, i + 1,
				  "git commit --amend -s (git rebase --signoff for many)",
				  "no Signed-off-by: line");
		else if (!m.author_sob && m.author_name_sob)
			check_add(c, CHECK_SIGNED_OFF_BY, CHECK_WARNING, i + 1,
				  "sign off with the address you send from, or send with an in-body From: line",
				  "the author %s signs off with another address than <%s>",
				  p->author_name, p->author_email ? p->author_email : "?");
		else if (!m.author_sob)
			check_add(c, CHECK_SIGNED_OFF_BY, CHECK_ERROR, i + 1,
				  "the author adds Signed-off-by: with the author's address",
				  "no Signed-off-by: from the author <%s>",
				  p->author_email ? p->author_email : "?");
	}
}

/* ---- rules 4, 10, 11, 12: the series ---- */

static int check_is_template(const char *cover)
{
	return strstr(cover, "*** SUBJECT HERE ***") ||
	       strstr(cover, "*** BLURB HERE ***");
}

/* Does the cover letter say that patches went away? */
static int check_cover_explains(const char *cover)
{
	static const char *const words[] = {
		"drop", "remov", "squash", "merg", "fold", "applied", "split",
		"fewer", NULL,
	};
	char *lower;
	int found = 0;

	if (!cover)
		return 0;
	lower = g_ascii_strdown(cover, -1);
	for (size_t i = 0; words[i] && !found; i++)
		found = strstr(lower, words[i]) != NULL;
	g_free(lower);
	return found;
}

static void check_series_rules(struct check_ctx *c)
{
	const struct check_options *o = c->opt;
	const struct series_patches *ps = c->ps;
	const char *cover = ps->cover ? ps->cover : o->cover;
	int files = ps->items.n &&
		    ((struct series_patch *)ps->items.items[0])->path;
	size_t n = ps->items.n;
	time_t now = o->now ? o->now : time(NULL);

	if (!(o->disabled & (1u << CHECK_COVER_LETTER)) && n > 1) {
		if (!cover && files)
			check_add(c, CHECK_COVER_LETTER, CHECK_ERROR, 0,
				  "git format-patch --cover-letter (vger respin writes one)",
				  "%zu patches and no cover letter", n);
		else if (!cover)
			check_add(c, CHECK_COVER_LETTER, CHECK_WARNING, 0,
				  "write it with vger respin --edit-cover",
				  "%zu patches and the branch has no cover letter yet",
				  n);
		else if (check_is_template(cover))
			check_add(c, CHECK_COVER_LETTER, CHECK_ERROR, 0,
				  "fill in the subject and the blurb",
				  "the cover letter is still git's template (*** SUBJECT HERE ***)");
	}
	if (!(o->disabled & (1u << CHECK_WHOLE_SERIES)) && o->version > 1 &&
	    o->prev_count > n && !check_cover_explains(cover))
		check_add(c, CHECK_WHOLE_SERIES, CHECK_WARNING, 0,
			  "resend the whole series, or say in the cover letter which patches were dropped or applied",
			  "v%u has %zu patch%s, v%u had %zu, and the cover letter does not say why",
			  o->version, n, n == 1 ? "" : "es", o->version - 1,
			  o->prev_count);
	if (!(o->disabled & (1u << CHECK_SERIES_SIZE)) && n > CHECK_SERIES_MAX)
		check_add(c, CHECK_SERIES_SIZE, CHECK_WARNING, 0,
			  "split it into series of at most 15 patches",
			  "%zu patches; netdev and bpf take at most %d in one series",
			  n, CHECK_SERIES_MAX);
	if (!(o->disabled & (1u << CHECK_REPOST_24H)) && o->prev_posted &&
	    now >= o->prev_posted && now - o->prev_posted < 24 * 3600) {
		time_t ok = o->prev_posted + 24 * 3600;
		struct tm tm;
		char when[32], fix[96];

		gmtime_r(&ok, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		snprintf(fix, sizeof(fix), "wait until %s", when);
		check_add(c, CHECK_REPOST_24H, CHECK_WARNING, 0, fix,
			  "the previous version was posted %ld h %02ld min ago; reviewers get 24 hours",
			  (long)((now - o->prev_posted) / 3600),
			  (long)((now - o->prev_posted) % 3600 / 60));
	}
	if (!(o->disabled & (1u << CHECK_TREE_CLOSED)) && o->tree_closed)
		check_add(c, CHECK_TREE_CLOSED, CHECK_WARNING, 0,
			  "wait until the tree reopens (vger window), or send it as RFC",
			  "%s", o->tree_closed_msg ? o->tree_closed_msg :
			  "the target tree is closed");
}

/* ---- rules 6, 7, 8: what the series touches ---- */

static void check_contents(struct check_ctx *c)
{
	const struct check_options *o = c->opt;
	const struct series_patches *ps = c->ps;
	const char *uapi = "include/uapi/linux/bpf.h";
	const char *tools = "tools/include/uapi/linux/bpf.h";
	size_t verifier = 0, uapi_at = 0, tools_at = 0;
	int selftests = 0;
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;

	for (size_t i = 0; i < ps->items.n; i++) {
		const struct series_patch *p = ps->items.items[i];

		if (!verifier && check_touches(p, "kernel/bpf/verifier.c"))
			verifier = i + 1;
		selftests |= check_touches(p, "tools/testing/selftests/bpf/");
		if (check_touches(p, uapi)) {
			uapi_at = uapi_at ? uapi_at : i + 1;
			check_changed_lines(p->diff, uapi, &a);
		}
		if (check_touches(p, tools)) {
			tools_at = tools_at ? tools_at : i + 1;
			check_changed_lines(p->diff, tools, &b);
		}
		if (o->disabled & (1u << CHECK_SAMPLES_TEST))
			continue;
		for (size_t k = 0; k < p->files.n; k++) {
			const struct series_file_change *f = p->files.items[k];
			const char *base;

			if ((f->status != SERIES_CHANGE_ADDED &&
			     f->status != SERIES_CHANGE_RENAMED &&
			     f->status != SERIES_CHANGE_COPIED) ||
			    !f->new_path ||
			    !str_starts_with(f->new_path, "samples/bpf/"))
				continue;
			base = strrchr(f->new_path, '/') + 1;
			if (strstr(base, "test") || strstr(base, "TEST"))
				check_add(c, CHECK_SAMPLES_TEST, CHECK_WARNING,
					  i + 1,
					  "put tests under tools/testing/selftests/bpf/ where CI runs them",
					  "adds %s, which looks like a test",
					  f->new_path);
		}
	}
	if (!(o->disabled & (1u << CHECK_VERIFIER_SELFTESTS)) && verifier &&
	    !selftests)
		check_add(c, CHECK_VERIFIER_SELFTESTS, CHECK_ERROR, verifier,
			  "add a test under tools/testing/selftests/bpf/ (e.g. progs/verifier_*.c) to the series",
			  "changes kernel/bpf/verifier.c and no patch of the series adds selftests");
	if (!(o->disabled & (1u << CHECK_UAPI_TOOLS_SYNC)) && uapi_at) {
		if (!tools_at)
			check_add(c, CHECK_UAPI_TOOLS_SYNC, CHECK_ERROR, uapi_at,
				  "make the same change to tools/include/uapi/linux/bpf.h",
				  "changes %s but no patch changes %s", uapi,
				  tools);
		else if (strcmp(a.buf, b.buf))
			check_add(c, CHECK_UAPI_TOOLS_SYNC, CHECK_WARNING,
				  tools_at,
				  "make the two files' changes identical",
				  "the change to %s is not the one made to %s",
				  tools, uapi);
	}
	sbuf_release(&a);
	sbuf_release(&b);
}

/* ---- rule 13: checkpatch ---- */

/* The patch as a mail checkpatch reads (what git format-patch writes). */
static void check_patch_mail(const struct series_patch *p, struct sbuf *sb)
{
	sbuf_addf(sb, "From: %s <%s>\nSubject: [PATCH] %s\n\n",
		  p->author_name ? p->author_name : "",
		  p->author_email ? p->author_email : "", p->subject);
	if (*p->body)
		sbuf_addf(sb, "%s\n", p->body);
	sbuf_addstr(sb, "---\n");
	sbuf_addstr(sb, p->diff);
}

/*
 * Fold checkpatch's report on files[] into findings: "ERROR:TYPE: msg"
 * followed by "#12: FILE: path:line:".  With several files each report
 * starts with a "-----" line, the file's path and another "-----".
 */
static void check_fold_checkpatch(struct check_ctx *c, const struct vec *files,
				  const char *report)
{
	const char *line = report, *prev = "";
	size_t index = files->n == 1 ? 1 : 0;

	for (; *line; prev = line, scan_next_line(&line)) {
		enum check_severity sev;
		const char *next = line;
		size_t len = str_line_len(line);
		struct sbuf where = SBUF_INIT;

		if (str_starts_with(prev, "-----")) {
			for (size_t i = 0; i < files->n; i++) {
				const char *f = files->items[i];

				if (strlen(f) == len && !strncmp(line, f, len))
					index = i + 1;
			}
		}
		if (str_starts_with(line, "ERROR:"))
			sev = CHECK_ERROR;
		else if (str_starts_with(line, "WARNING:"))
			sev = CHECK_WARNING;
		else
			continue;
		if (!index)
			continue;
		scan_next_line(&next);
		if (*next == '#') {
			const char *file = strstr(next, "FILE: ");
			size_t nlen = str_line_len(next);

			if (file && file < next + nlen) {
				file += strlen("FILE: ");
				sbuf_add(&where, file, next + nlen - file);
				while (where.len &&
				       where.buf[where.len - 1] == ':')
					sbuf_setlen(&where, where.len - 1);
			}
		}
		check_add(c, CHECK_CHECKPATCH, sev, index,
			  "fix what checkpatch reports, or explain under --- why not",
			  "checkpatch %.*s%s%s", (int)len, line,
			  where.len ? " at " : "", where.buf);
		sbuf_release(&where);
	}
}

/*
 * Is script in a kernel tree's scripts/?  checkpatch.pl refuses to run
 * outside one unless told --no-tree; these are the files it looks for.
 */
static int check_script_in_tree(const char *script)
{
	static const char *const marks[] = {
		"COPYING", "CREDITS", "Kbuild", "MAINTAINERS", "Makefile",
		"README", "Documentation", "arch", "include", "drivers", "fs",
		"init", "ipc", "kernel", "lib", "scripts", NULL,
	};
	char *root = xstrdup(script), *slash;
	int yes = 1;

	/* root/scripts/checkpatch.pl: cut two components */
	for (int up = 0; up < 2 && yes; up++) {
		slash = strrchr(root, '/');
		if (slash)
			*slash = '\0';
		else
			yes = 0;
	}
	for (size_t i = 0; yes && marks[i]; i++) {
		char *p = path_join(root, marks[i]);

		yes = fs_exists(p);
		free(p);
	}
	free(root);
	return yes;
}

/*
 * Run checkpatch.pl once over every patch (perl's start-up is most of
 * the time it takes on one patch).
 */
static int check_checkpatch(struct check_ctx *c, struct err *err)
{
	const char *script = c->opt->checkpatch;
	struct vec files = VEC_INIT;
	struct sbuf report = SBUF_INIT;
	/* checkpatch's report is on stdout and stderr alike */
	struct run_options ro = { NULL, CHECK_TOOL_OUTPUT_MAX, 1, NULL };
	const char **argv;
	size_t argc = 0;
	char *dir;
	int ret = 0, rc;

	if (!fs_exists(script))
		return err_set(err, ERR_NOTFOUND, "%s: no such file", script);
	dir = fs_mkdtemp("vger-check", err);
	if (!dir)
		return -err->code;
	argv = xcalloc(c->ps->items.n + 6, sizeof(*argv));
	argv[argc++] = "perl";
	argv[argc++] = script;
	argv[argc++] = "--no-color";
	argv[argc++] = "--show-types";
	if (!check_script_in_tree(script))
		argv[argc++] = "--no-tree";
	for (size_t i = 0; i < c->ps->items.n && !ret; i++) {
		struct sbuf mail = SBUF_INIT, name = SBUF_INIT;
		char *file;

		sbuf_addf(&name, "%04zu.patch", i + 1);
		file = path_join(dir, name.buf);
		vec_push(&files, file);
		argv[argc++] = file;
		check_patch_mail(c->ps->items.items[i], &mail);
		ret = fs_write_atomic(file, mail.buf, mail.len, err);
		sbuf_release(&mail);
		sbuf_release(&name);
	}
	argv[argc] = NULL;
	if (!ret) {
		rc = run_capture(argv, &ro, &report, err);
		if (rc < 0) {
			ret = rc;
		} else if (rc > 1) {
			sbuf_rtrim(&report);
			ret = err_set(err, ERR_IO, "%s exited with %d: %.120s",
				      script, rc, report.buf);
		} else {
			check_fold_checkpatch(c, &files, report.buf);
		}
	}
	fs_rm_rf(dir);
	free(dir);
	vec_release_str(&files);
	free(argv);
	sbuf_release(&report);
	return ret;
}

/* ---- all of it ---- */

static const char *check_effective_tree(const struct series_patches *ps,
					const struct check_options *o,
					struct sbuf *buf)
{
	struct check_prefix px;
	const char *subject;

	if (o->tree)
		return o->tree;
	subject = ps->cover_subject;
	if (!subject && ps->items.n)
		subject = ((struct series_patch *)ps->items.items[0])->mail_subject;
	if (!subject || check_prefix_parse(&px, subject) || !px.tree.len) {
		if (subject)
			check_prefix_release(&px);
		return NULL;
	}
	sbuf_addstr(buf, px.tree.buf);
	check_prefix_release(&px);
	return buf->buf;
}

int check_series(struct check_result *out, const struct series_patches *ps,
		 const struct check_options *opt, struct err *err)
{
	struct check_ctx c = { out, ps, opt, NULL, 0 };
	struct sbuf tree = SBUF_INIT;
	int ret = 0;

	c.tree = check_effective_tree(ps, opt, &tree);
	free(out->tree);
	out->tree = xstrdup_or_null(c.tree);
	if (!(opt->disabled & (1u << CHECK_SUBJECT_PREFIX)))
		check_subject_prefix(&c);
	check_fixes(&c);
	check_messages(&c);
	check_series_rules(&c);
	check_contents(&c);
	if (opt->checkpatch && !(opt->disabled & (1u << CHECK_CHECKPATCH)))
		ret = check_checkpatch(&c, err);
	/* struct check_finding is the first member of the sorted wrapper */
	vec_sort(&out->findings, check_finding_cmp);
	sbuf_release(&tree);
	return ret;
}
