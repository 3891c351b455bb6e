/*
 * A series of the corpus with all its versions: the patches (titles,
 * commit messages, diffs cut from corpus_codes), the cover letter with
 * its changelog and lore links, the reviews and trailers carried to
 * the next version, the maintainers' pw-bot commands, and the outcome:
 * applied (with the bot's notice, waiting for a pull request),
 * deferred or pending.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/data.h"
#include "corpus/private.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* ---------------------------------------------------------------- */
/* Series.                                                           */

struct patch {
	char *title;
	unsigned area;
	uint64_t seed;		/* commit message: same in every version */
	int created;		/* adds a new selftest file */
	char *fixes;		/* "Fixes: <sha> (\"...\")" or NULL */
	struct vec trailers;	/* char *: collected in earlier versions */
	/* per version: */
	struct vec files;	/* struct fstat * */
	struct sbuf diff;
	struct msg *msg;	/* NULL when not sent */
};

enum outcome { OUT_APPLIED, OUT_PENDING, OUT_DEFER };

struct series {
	const struct person *author;
	const struct topic *topic;
	char *title;		/* cover title, e.g. "bpf: Support X" */
	enum tree tree;
	int netdev;		/* also to netdev@ */
	int list_netdev;	/* netdev's own series: net, net-next */
	int version_first;	/* "[PATCH v3 bpf-next ...]" form */
	int rfc_form;		/* 0: "RFC PATCH", 1: "PATCH RFC" */
	unsigned rfc_upto;	/* versions <= this are RFC */
	unsigned nver;
	unsigned changelog_style;
	int broken;		/* enum corpus_broken or -1 */
	enum outcome outcome;
	struct vec patches;	/* struct patch * */
	struct vec lore;	/* char *: ids of earlier versions */
	struct vec changes;	/* char *: changelogs, newest first */
	struct vec thanks;	/* char *: names of reviewers */
	struct vec cover_trailers;	/* "Acked-by: ..." for the series */
	char *to, *cc, *reply_cc;
	struct msg *cover;	/* this version's cover, or NULL */
	struct msg *prev_cover;
};

static void patch_free(void *p)
{
	struct patch *pa = p;

	free(pa->title);
	free(pa->fixes);
	vec_release_str(&pa->trailers);
	vec_release(&pa->files, corpus_fstat_free);
	sbuf_release(&pa->diff);
	free(pa);
}

static void series_release(struct series *s)
{
	free(s->title);
	vec_release(&s->patches, patch_free);
	vec_release_str(&s->lore);
	vec_release_str(&s->changes);
	vec_release_str(&s->thanks);
	vec_release_str(&s->cover_trailers);
	free(s->to);
	free(s->cc);
	free(s->reply_cc);
}

/* A paragraph of n sentences about the topic, wrapped at 72. */
/*
 * *k walks the sentence table from a random start, so the sentences of
 * one message differ (at most ARRAY_SIZE(sentences) of them).
 */
static void add_paragraph(struct sbuf *sb, unsigned *k,
			  const struct topic *t, unsigned n)
{
	struct sbuf para = SBUF_INIT;

	for (unsigned i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&para, ' ');
		*k = (*k + 1) % ARRAY_SIZE(corpus_sentences);
		corpus_add_tmpl(&para, corpus_sentences[*k], t->phrase);
	}
	corpus_add_wrapped(sb, para.buf, 72, "", "");
	sbuf_release(&para);
}

static char *slugify(const char *title)
{
	struct sbuf sb = SBUF_INIT;
	const char *p = strstr(title, ": ");

	p = p ? p + 2 : title;
	for (; *p; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			sbuf_addch(&sb, c);
		else if (sb.len && sb.buf[sb.len - 1] != '-')
			sbuf_addch(&sb, '-');
	}
	while (sb.len && sb.buf[sb.len - 1] == '-')
		sbuf_setlen(&sb, sb.len - 1);
	return sbuf_detach(&sb);
}

/*
 * What a real title names besides its topic: a function, a case.  Real
 * patch titles are nearly all distinct across series (of 429 patch
 * subjects of the lists in ../shared, 403 distinct, the others versions
 * or tests of one series); without these, topic and verb alone gave the
 * same title to a hundred series of a million-message corpus.
 */
static const char *const title_fn_parts[] = {
	"check", "update", "init", "free", "lookup", "alloc", "get", "put",
	"walk", "map", "parse", "emit", "fixup", "resolve", "attach",
	"detach", "link", "reset", "copy", "clear", "push", "pop", "load",
	"store", "seq_show", "iter_next", "prepare", "finalize", "verify",
	"convert",
};

static const char *const title_cases[] = {
	"sleepable programs", "struct_ops maps", "32-bit architectures",
	"big-endian hosts", "BPF_F_LOCK", "inner maps", "percpu maps",
	"kfuncs", "tail calls", "global subprogs", "callbacks",
	"arena pointers", "dynptrs", "spin locks", "rbtree nodes",
	"cgroup storage", "socket filters", "XDP frags", "tracing programs",
	"LSM hooks", "uprobes", "fentry programs", "BTF type tags",
	"nullable arguments", "ringbuf records", "timers", "workqueues",
	"bloom filters", "LRU maps", "devmaps",
};

void corpus_title_detail(struct rng *r, const struct topic *t,
			 struct sbuf *sb)
{
	unsigned form = rng_below(r, 20);

	if (form < 9)
		sbuf_addf(sb, " in %s_%s()", t->ident,
			  PICK(r, title_fn_parts));
	if (form >= 5 && form < 17)
		sbuf_addf(sb, " for %s", PICK(r, title_cases));
}

static char *patch_title(struct rng *r, unsigned area, const struct topic *t,
			 int fix, unsigned kind)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s: ", corpus_area_prefix[area]);
	if (area_is_selftests(area) && kind)
		sbuf_addf(&sb, "%s %s", PICK(r, ((const char *const[]){
			"Add tests for", "Test", "Cover", "Add a test for" })),
			t->phrase);
	else if (kind == 2)
		corpus_add_tmpl(&sb, PICK(r, corpus_refactor_phrases),
				t->ident);
	else if (fix)
		sbuf_addf(&sb, "%s %s", PICK(r, corpus_fix_verbs), t->phrase);
	else
		sbuf_addf(&sb, "%s %s", PICK(r, corpus_feature_verbs),
			  t->phrase);
	corpus_title_detail(r, t, &sb);
	return sbuf_detach(&sb);
}

/* Plan the patches of a series (their titles and files). */
static void series_plan(struct unit *u, struct series *s, unsigned npatches,
			int fix)
{
	const struct topic *t = s->topic;

	for (unsigned i = 0; i < npatches; i++) {
		struct patch *p = xcalloc(1, sizeof(*p));
		unsigned kind = 0;

		if (npatches > 1 && i == npatches - 1) {
			p->area = s->list_netdev ? A_NETSEL : A_SELFTESTS;
			kind = 1;
		} else if (i == 0) {
			p->area = t->area;
		} else {
			unsigned areas[] = { t->area, t->area, A_LIBBPF,
					     A_CORE, A_BPFTOOL };
			unsigned net_areas[] = { t->area, t->area, t->area,
						 A_NETCORE, A_NETSEL };

			p->area = s->list_netdev ? PICK(&u->r, net_areas) :
				  PICK(&u->r, areas);
			kind = rng_pct(&u->r, 30) ? 2 : 0;
			if (area_is_selftests(p->area))
				kind = 1;
		}
		if (i == 0 && npatches > 2 && rng_pct(&u->r, 30))
			kind = 2;
		/* distinct titles: a pull's shortlog names them */
		for (int tries = 0; tries < 8; tries++) {
			int same = 0;

			free(p->title);
			p->title = patch_title(&u->r, p->area, t,
					       fix && i == 0, kind);
			for (size_t j = 0; j < s->patches.n; j++)
				same |= !strcmp(p->title, ((struct patch *)
					s->patches.items[j])->title);
			if (!same)
				break;
			kind = kind == 1 ? 1 : rng_below(&u->r, 3) == 2 ? 2 : 0;
		}
		p->seed = rng_u64(&u->r);
		p->created = p->area == A_SELFTESTS && rng_pct(&u->r, 40);
		if (fix && i == 0) {
			struct sbuf sb = SBUF_INIT;
			char sha[13];

			rng_hex(&u->r, sha, 12);
			sbuf_addf(&sb, "Fixes: %s (\"%s\")", sha,
				  PICK(&u->r, corpus_old_commit_titles));
			p->fixes = sbuf_detach(&sb);
		}
		sbuf_init(&p->diff);
		vec_push(&s->patches, p);
	}
}

static char *file_path(unsigned area, unsigned k, const struct topic *t)
{
	return corpus_tmpl_dup(corpus_area_files[area][k], t->ident);
}

static enum code_kind code_kind(const char *path)
{
	if (str_ends_with(path, ".map"))
		return C_MAP;
	if (str_ends_with(path, "Makefile"))
		return C_MAKE;
	if (str_ends_with(path, ".rst"))
		return C_RST;
	if (str_ends_with(path, ".h"))
		return C_HEADER;
	if (strstr(path, "/progs/"))
		return C_PROG;
	if (strstr(path, "selftests/"))
		return C_TEST;
	if (strstr(path, "tools/"))
		return C_USER;
	return C_KERNEL;
}

static void add_code_line(struct sbuf *sb, char mark, const char *line,
			  const struct topic *t)
{
	sbuf_addch(sb, mark);
	corpus_add_tmpl(sb, line, t->ident);
	sbuf_addch(sb, '\n');
}

/* One file's diff with hunks; fills f's counts. */
static void add_file_diff(struct unit *u, struct sbuf *sb, struct fstat *f,
			  const struct topic *t)
{
	const struct code *c = &corpus_codes[code_kind(f->path)];
	char a[13], b[13];
	unsigned line = rng_range(&u->r, 20, 9000);
	unsigned nh = f->created ? 1 : rng_range(&u->r, 1, 2);

	rng_hex(&u->r, a, 12);
	rng_hex(&u->r, b, 12);
	sbuf_addf(sb, "diff --git a/%s b/%s\n", f->path, f->path);
	if (f->created) {
		const struct code *p = &corpus_codes[C_PROG];
		unsigned n = 1 + p->n_old + p->n_new + 1;

		sbuf_addf(sb, "new file mode 100644\nindex 000000000000..%s\n"
			  "--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%u @@\n", b,
			  f->path, n);
		sbuf_addstr(sb, "+// SPDX-License-Identifier: GPL-2.0\n");
		for (unsigned i = 0; i < p->n_old; i++) {
			if (i == p->n_old - 1) {
				for (unsigned k = 0; k < p->n_new; k++)
					add_code_line(sb, '+', p->new_lines[k],
						      t);
				sbuf_addstr(sb, "+\n");
			}
			add_code_line(sb, '+', p->old_lines[i], t);
		}
		f->add = n;
		return;
	}
	sbuf_addf(sb, "index %s..%s 100644\n--- a/%s\n+++ b/%s\n", a, b,
		  f->path, f->path);
	for (unsigned h = 0; h < nh; h++) {
		unsigned del = rng_below(&u->r, 4);
		unsigned add = rng_range(&u->r, 1, c->n_new);
		unsigned s = rng_below(&u->r, c->n_old - 6 - del + 1);
		unsigned from = rng_below(&u->r, c->n_new - add + 1);

		sbuf_addf(sb, "@@ -%u,%u +%u,%u @@", line, 6 + del,
			  line + f->add - f->del, 6 + add);
		if (*c->func) {
			sbuf_addch(sb, ' ');
			corpus_add_tmpl(sb, c->func, t->ident);
		}
		sbuf_addch(sb, '\n');
		for (unsigned i = 0; i < 3; i++)
			add_code_line(sb, ' ', c->old_lines[s + i], t);
		for (unsigned i = 0; i < del; i++)
			add_code_line(sb, '-', c->old_lines[s + 3 + i], t);
		for (unsigned i = 0; i < add; i++)
			add_code_line(sb, '+', c->new_lines[from + i], t);
		for (unsigned i = 0; i < 3; i++)
			add_code_line(sb, ' ', c->old_lines[s + 3 + del + i],
				      t);
		f->add += add;
		f->del += del;
		line += 6 + del + rng_range(&u->r, 20, 400);
	}
}

/* Draw this version's diff of a patch. */
static void patch_diff(struct unit *u, struct patch *p, const struct topic *t)
{
	unsigned nfiles = rng_range(&u->r, 1, 3);

	vec_release(&p->files, corpus_fstat_free);
	sbuf_reset(&p->diff);
	for (unsigned i = 0; i < nfiles; i++) {
		struct fstat *f = xcalloc(1, sizeof(*f));
		unsigned k = i == 0 && p->created ? 1 : rng_below(&u->r, 6);
		int dupe = 0;

		f->path = file_path(p->area, k, t);
		for (size_t j = 0; j < p->files.n; j++)
			if (!strcmp(((struct fstat *)p->files.items[j])->path,
				    f->path))
				dupe = 1;
		if (dupe) {
			corpus_fstat_free(f);
			continue;
		}
		f->created = i == 0 && p->created;
		vec_push(&p->files, f);
	}
	vec_sort(&p->files, corpus_fstat_cmp);
	for (size_t i = 0; i < p->files.n; i++)
		add_file_diff(u, &p->diff, p->files.items[i], t);
}

/* The subject tag, e.g. [PATCH bpf-next v3 02/11]; tokens for the bot. */
static void series_tags(const struct series *s, unsigned v, int resend,
			unsigned idx, unsigned total, int numbered,
			struct vec *tokens)
{
	int rfc = v <= s->rfc_upto;
	struct sbuf sb = SBUF_INIT;
	unsigned w = corpus_decimal_width(total);

	if (rfc && s->rfc_form == 0)
		vec_push_str(tokens, "RFC");
	vec_push_str(tokens, "PATCH");
	if (rfc && s->rfc_form == 1)
		vec_push_str(tokens, "RFC");
	if (resend && v == 1)
		vec_push_str(tokens, "RESEND");
	if (v > 1 && (s->version_first || resend)) {
		sbuf_addf(&sb, "v%u", v);
		vec_push_str(tokens, sb.buf);
		sbuf_reset(&sb);
		if (resend)
			vec_push_str(tokens, "RESEND");
	}
	vec_push_str(tokens, corpus_tree_name[s->tree]);
	if (v > 1 && !s->version_first && !resend) {
		sbuf_addf(&sb, "v%u", v);
		vec_push_str(tokens, sb.buf);
		sbuf_reset(&sb);
	}
	if (numbered) {
		sbuf_addf(&sb, "%0*u/%u", (int)w, idx, total);
		vec_push_str(tokens, sb.buf);
	}
	sbuf_release(&sb);
}

static char *series_subject(const struct series *s, unsigned v, int resend,
			    unsigned idx, unsigned total, int numbered,
			    const char *title, struct sbuf *bot_tag)
{
	struct vec tok = VEC_INIT;
	struct sbuf sb = SBUF_INIT;

	series_tags(s, v, resend, idx, total, numbered, &tok);
	sbuf_addch(&sb, '[');
	for (size_t i = 0; i < tok.n; i++) {
		sbuf_addf(&sb, "%s%s", i ? " " : "", (char *)tok.items[i]);
		if (bot_tag && strcmp(tok.items[i], "PATCH"))
			sbuf_addf(bot_tag, "%s%s", bot_tag->len ? "," : "",
				  (char *)tok.items[i]);
	}
	sbuf_addf(&sb, "] %s", title);
	vec_release_str(&tok);
	return sbuf_detach(&sb);
}

static void add_commit_message(struct sbuf *sb, struct patch *p,
			       const struct series *s)
{
	struct rng r = { p->seed };
	unsigned paras = rng_range(&r, 1, 3);
	unsigned k = rng_below(&r, ARRAY_SIZE(corpus_sentences));

	for (unsigned i = 0; i < paras; i++) {
		if (i)
			sbuf_addch(sb, '\n');
		add_paragraph(sb, &k, s->topic, rng_range(&r, 1, 3));
	}
	sbuf_addch(sb, '\n');
	if (p->fixes)
		sbuf_addf(sb, "%s\n", p->fixes);
	for (size_t i = 0; i < p->trailers.n; i++)
		sbuf_addf(sb, "%s\n", (char *)p->trailers.items[i]);
	sbuf_addstr(sb, "Signed-off-by: ");
	corpus_add_addr(sb, s->author);
	sbuf_addch(sb, '\n');
}

static const char *const git_version = "2.47.1";

/* Where the versions' changelog starts in the cover letter. */
static void add_changelog(struct unit *u, struct series *s, unsigned v,
			  struct sbuf *sb)
{
	struct sbuf sec = SBUF_INIT;
	unsigned n = rng_range(&u->r, 1, 4);

	switch (s->changelog_style) {
	case 0:
		sbuf_addf(&sec, "Changes in v%u:\n", v);
		break;
	case 1:
		sbuf_addf(&sec, "v%u->v%u:\n", v - 1, v);
		break;
	default:
		sbuf_addf(&sec, "Changes since v%u:\n", v - 1);
		break;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct person *rev =
			&corpus_maintainers[rng_below(&u->r, P_NREVIEW)];
		char *item = corpus_tmpl_dup(PICK(&u->r,
						  corpus_changelog_items),
					     rev->name);

		corpus_add_wrapped(&sec, item, 72, "- ", "  ");
		free(item);
	}
	vec_push(&s->changes, sbuf_detach(&sec));
	/* newest first */
	for (size_t i = s->changes.n - 1; i > 0; i--) {
		void *tmp = s->changes.items[i];

		s->changes.items[i] = s->changes.items[i - 1];
		s->changes.items[i - 1] = tmp;
	}
	for (size_t i = 0; i < s->changes.n; i++)
		sbuf_addf(sb, "%s\n", (char *)s->changes.items[i]);
}

static void add_git_signature(struct sbuf *sb)
{
	sbuf_addf(sb, "-- \n%s\n\n", git_version);
}

/* Post version v at time t: cover letter and patches. */
static void post_version(struct unit *u, struct series *s, unsigned v,
			 time_t t, int resend)
{
	size_t np = s->patches.n;
	unsigned long pid = 1000 + (u->g->send_no++ * 7919ul) % 4190000ul;
	int has_cover = np > 1 && s->broken != CORPUS_BROKEN_NO_COVER;
	int numbered = np > 1;
	unsigned missing = s->broken == CORPUS_BROKEN_MISSING_PATCH ?
			   (unsigned)np / 2 + 1 : 0;
	unsigned n = 1;
	struct msg *first = NULL;
	const struct msg *old = s->broken == CORPUS_BROKEN_REPLY_TO_OLD &&
				v > 1 ? s->prev_cover : NULL;
	time_t t_cover = t;
	int rev = 0;

	s->cover = NULL;
	for (size_t i = 0; i < np; i++)
		patch_diff(u, s->patches.items[i], s->topic);
	/* out of order: the patches dated backwards, the cover last */
	if (s->broken == CORPUS_BROKEN_OUT_OF_ORDER && v == 1) {
		rev = 1;
		t_cover = t + (time_t)np + 1;
	}
	if (has_cover) {
		struct sbuf body = SBUF_INIT;
		struct vec files = VEC_INIT;
		char *subj = series_subject(s, v, resend, 0, (unsigned)np, 1,
					    s->title, NULL);
		struct msg *m = corpus_msg_start(u, s->author, t_cover,
						 DAY_SPACE,
						 corpus_id_sendemail(t_cover,
								     pid, n++,
								     s->author),
						 subj, s->to, s->cc, old,
						 "git-send-email 2.47.1");
		unsigned k = rng_below(&u->r, ARRAY_SIZE(corpus_sentences));

		add_paragraph(&body, &k, s->topic, rng_range(&u->r, 2, 4));
		if (rng_pct(&u->r, 50)) {
			sbuf_addch(&body, '\n');
			add_paragraph(&body, &k, s->topic,
				      rng_range(&u->r, 1, 3));
		}
		sbuf_addch(&body, '\n');
		if (resend)
			sbuf_addstr(&body, "Resending as the series got no "
				    "feedback; no changes since the original "
				    "posting.\n\n");
		if (v > 1 && !resend)
			add_changelog(u, s, v, &body);
		for (size_t i = s->lore.n; i > 0; i--)
			sbuf_addf(&body, "v%zu: https://lore.kernel.org/%s/"
				  "%s/\n", i, s->list_netdev ? "netdev" : "bpf",
				  (char *)s->lore.items[i - 1]);
		if (s->lore.n)
			sbuf_addch(&body, '\n');
		sbuf_addf(&body, "%s (%zu):\n", s->author->name, np);
		for (size_t i = 0; i < np; i++) {
			struct patch *p = s->patches.items[i];

			sbuf_addf(&body, "  %s\n", p->title);
			for (size_t j = 0; j < p->files.n; j++)
				corpus_fstat_merge(&files, p->files.items[j]);
		}
		sbuf_addch(&body, '\n');
		vec_sort(&files, corpus_fstat_cmp);
		corpus_add_diffstat(&body, &files, 72);
		sbuf_addch(&body, '\n');
		add_git_signature(&body);
		sbuf_addstr(&m->text, body.buf);
		sbuf_release(&body);
		vec_release(&files, corpus_fstat_free);
		free(subj);
		s->cover = m;
		u->d.covers++;
	}
	for (size_t i = 0; i < np; i++) {
		struct patch *p = s->patches.items[i];
		char *subj = series_subject(s, v, resend, (unsigned)i + 1,
					    (unsigned)np, numbered, p->title,
					    NULL);
		const struct msg *parent = s->cover ? s->cover : first;
		time_t tp = rev ? t + (time_t)(np - i) : t + (time_t)i + 1;
		char *id = corpus_id_sendemail(tp, pid, n++, s->author);
		struct sbuf body = SBUF_INIT;
		struct msg *m;

		if (s->broken == CORPUS_BROKEN_NO_REPLY_TO)
			parent = NULL;
		else if (!parent)
			parent = old;
		if (missing && i + 1 == missing) {
			p->msg = NULL;
			free(id);
			free(subj);
			continue;
		}
		m = corpus_msg_start(u, s->author, tp, DAY_SPACE, id, subj,
				     s->to, s->cc, parent,
				     "git-send-email 2.47.1");
		add_commit_message(&body, p, s);
		sbuf_addstr(&body, "---\n");
		if (v > 1 && !resend && rng_pct(&u->r, 25)) {
			sbuf_addf(&body, "v%u -> v%u:\n", v - 1, v);
			corpus_add_wrapped(&body, PICK(&u->r,
				((const char *const[]){
				"Rebased, no other changes.",
				"Addressed review comments.",
				"Added a comment explaining the lock.",
				"Use the new helper." })), 72, "- ", "  ");
			sbuf_addch(&body, '\n');
		}
		corpus_add_diffstat(&body, &p->files, 72);
		sbuf_addch(&body, '\n');
		sbuf_addstr(&body, p->diff.buf);
		add_git_signature(&body);
		sbuf_addstr(&m->text, body.buf);
		sbuf_release(&body);
		free(subj);
		p->msg = m;
		if (!first)
			first = m;
		u->d.patches++;
		if (p->fixes)
			u->d.fixes++;
	}
	if (s->broken == CORPUS_BROKEN_DUPLICATE && first && v == s->nver)
		first->dup = 1;
	if (!resend) {
		u->d.versions++;
		if (v <= s->rfc_upto)
			u->d.rfc_versions++;
	}
}

/* A message of this version to reply to: the cover or a patch. */
static struct msg *pick_target(struct unit *u, struct series *s, int cover_ok)
{
	struct vec sent = VEC_INIT;
	struct msg *m;

	if (s->cover && cover_ok && rng_pct(&u->r, 40))
		return s->cover;
	for (size_t i = 0; i < s->patches.n; i++) {
		struct patch *p = s->patches.items[i];

		if (p->msg)
			vec_push(&sent, p->msg);
	}
	m = sent.n ? sent.items[rng_below(&u->r, (unsigned)sent.n)] : s->cover;
	vec_release(&sent, NULL);
	return m;
}

static struct patch *patch_of(struct series *s, const struct msg *m)
{
	for (size_t i = 0; i < s->patches.n; i++) {
		struct patch *p = s->patches.items[i];

		if (p->msg == m)
			return p;
	}
	return NULL;
}

static void add_trailer(struct sbuf *sb, const char *kind,
			const struct person *p)
{
	sbuf_addf(sb, "%s: ", kind);
	corpus_add_addr(sb, p);
	sbuf_addch(sb, '\n');
}

static const struct person *pick_reviewer(struct unit *u,
					  const struct series *s)
{
	const struct person *p;

	do {
		if (s->list_netdev && rng_pct(&u->r, 65))
			p = rng_pct(&u->r, 40) ?
			    &PICK(&u->r, corpus_netdev_maint) :
			    &PICK(&u->r, corpus_netdev_reviewers);
		else if (!s->list_netdev && rng_pct(&u->r, 70))
			p = &corpus_maintainers[rng_below(&u->r, P_NREVIEW)];
		else
			p = &PICK(&u->r, corpus_contributors);
	} while (p == s->author);
	return p;
}

/*
 * Reviews of version v posted at t; final: the last version.  Returns
 * the time of the last reply.
 */
static time_t review_version(struct unit *u, struct series *s, int final,
			     time_t t)
{
	unsigned nrev = rng_range(&u->r, 0, 3) + !final;
	time_t last = t;
	int asked = 0;

	for (unsigned i = 0; i < nrev; i++) {
		const struct person *rv = pick_reviewer(u, s);
		struct msg *target = pick_target(u, s, 1);
		time_t when = busy(&u->r, t + (time_t)rng_range(&u->r, 2 * HOUR,
							80 * HOUR));
		unsigned kind = rng_below(&u->r, 100);
		const char *trailer = NULL;
		struct msg *m;

		if (!target)
			break;
		if (!final && i == nrev - 1 && !asked)
			kind = 99;
		m = corpus_reply_start(u, s->reply_cc, rv, when, target,
				       rng_range(&u->r, 4, 14));
		if (kind < 35)
			trailer = "Acked-by";
		else if (kind < 60)
			trailer = "Reviewed-by";
		else if (kind < 70)
			trailer = "Tested-by";
		if (trailer) {
			struct sbuf tr = SBUF_INIT;
			struct patch *p = patch_of(s, target);

			if (!strcmp(trailer, "Tested-by")) {
				sbuf_addstr(&m->text, s->list_netdev ?
					    "Tested on two hosts back to "
					    "back, the net selftests "
					    "pass.\n\n" :
					    "Tested on x86_64 and "
					    "arm64, test_progs and "
					    "test_verifier pass.\n\n");
			} else if (target == s->cover) {
				sbuf_addstr(&m->text, "For the series:\n\n");
			} else {
				corpus_add_wrapped(&m->text,
					PICK(&u->r, corpus_review_comments),
					72, "", "");
				sbuf_addch(&m->text, '\n');
			}
			add_trailer(&m->text, trailer, rv);
			add_trailer(&tr, trailer, rv);
			sbuf_rtrim(&tr);
			if (p)
				vec_push_str_unique(&p->trailers, tr.buf);
			else
				vec_push_str_unique(&s->cover_trailers,
						    tr.buf);
			sbuf_release(&tr);
			vec_push_str_unique(&s->thanks, rv->name);
			u->d.reviews++;
			if (!strcmp(trailer, "Acked-by"))
				u->d.acked_by++;
			else if (!strcmp(trailer, "Reviewed-by"))
				u->d.reviewed_by++;
			else
				u->d.tested_by++;
		} else {
			corpus_add_wrapped(&m->text,
					   PICK(&u->r, corpus_review_comments),
					   72, "", "");
			sbuf_addstr(&m->text, "\n[...]\n\n");
			corpus_add_quote(&m->text, target, 16, 4);
			sbuf_addch(&m->text, '\n');
			corpus_add_wrapped(&m->text,
					   PICK(&u->r, corpus_review_comments),
					   72, "", "");
			asked = 1;
			if (!final && rng_pct(&u->r, 40)) {
				struct msg *a;

				a = corpus_reply_start(u, s->reply_cc,
					s->author,
					busy(&u->r, when +
					     (time_t)rng_range(&u->r, HOUR,
							       30 * HOUR)),
					m, 6);
				sbuf_addf(&a->text, "%s\n",
					  PICK(&u->r, corpus_author_answers));
				if (a->date > last)
					last = a->date;
			}
		}
		if (when > last)
			last = when;
	}
	if (!final && rng_pct(&u->r, 75)) {
		/* now and then someone who is no maintainer tries it */
		int outsider = rng_pct(&u->r, 5);
		const struct person *mt = outsider ?
			&PICK(&u->r, corpus_contributors) :
			s->list_netdev ?
			&corpus_netdev_maint[rng_range(&u->r, 1, 3)] :
			&corpus_maintainers[rng_below(&u->r, P_NMAINT)];
		struct msg *target = pick_target(u, s, 1);
		time_t when = busy(&u->r, last + (time_t)rng_range(&u->r, HOUR,
								    48 * HOUR));
		struct msg *m;

		if (target && mt != s->author) {
			m = corpus_reply_start(u, s->reply_cc, mt, when,
					       target, rng_range(&u->r, 3, 10));
			corpus_add_wrapped(&m->text,
					   PICK(&u->r, corpus_cr_comments), 72,
					   "", "");
			sbuf_addstr(&m->text, rng_pct(&u->r, 25) ?
				    "-- \npw-bot: cr\n" : "\npw-bot: cr\n");
			if (outsider)
				u->d.pw_bot_ignored++;
			else
				u->d.pw_bot_cr++;
			last = when;
		}
	}
	return last;
}

static const char *lore_id(const struct series *s)
{
	for (size_t i = 0; i < s->patches.n; i++) {
		const struct patch *p = s->patches.items[i];

		if (p->msg)
			return s->cover ? s->cover->id : p->msg->id;
	}
	return s->cover ? s->cover->id : NULL;
}

static void apply_version(struct unit *u, struct series *s, unsigned v,
			  int resend, time_t when)
{
	static const int appliers[] = { P_AST, P_ANDRII, P_DANIEL, P_MARTIN };
	static const int net_appliers[] = { 0, 1, 1, 1, 3, 3 };
	const struct person *by = s->list_netdev ?
		&corpus_netdev_maint[PICK(&u->r, net_appliers)] :
		&corpus_maintainers[PICK(&u->r, appliers)];
	static const char *const where[TREE_MAX] = {
		"bpf/bpf.git (master)", "bpf/bpf-next.git (master)",
		"netdev/net.git (main)", "netdev/net-next.git (main)" };
	struct msg *parent = s->cover;
	struct applied *a = xcalloc(1, sizeof(*a));
	struct sbuf cc = SBUF_INIT;
	struct msg *m;
	size_t np = s->patches.n;

	for (size_t i = 0; i < np && !parent; i++)
		parent = ((struct patch *)s->patches.items[i])->msg;
	if (!parent) {
		free(a);
		return;
	}
	if (s->list_netdev)
		sbuf_addstr(&cc, "davem@davemloft.net, edumazet@google.com, "
			    "kuba@kernel.org, pabeni@redhat.com, "
			    "netdev@vger.kernel.org");
	else
		sbuf_addstr(&cc, "bpf@vger.kernel.org, ast@kernel.org, "
			    "daniel@iogearbox.net, andrii@kernel.org, "
			    "martin.lau@linux.dev, eddyz87@gmail.com");
	if (s->netdev && !s->list_netdev)
		sbuf_addstr(&cc, ", netdev@vger.kernel.org");
	m = corpus_bot_start(u, when, parent, cc.buf,
			     np > 1 ? "series" : "patch", where[s->tree], by);
	for (size_t i = 0; i < np; i++) {
		struct patch *p = s->patches.items[i];
		struct sbuf tag = SBUF_INIT;
		char *subj = series_subject(s, v, resend, (unsigned)i + 1,
					    (unsigned)np, np > 1, p->title,
					    &tag);
		char sha[13];

		rng_hex(&u->r, sha, 12);
		sbuf_addstr(&m->text, "  - ");
		if (tag.len)
			sbuf_addf(&m->text, "[%s] ", tag.buf);
		sbuf_addf(&m->text, "%s\n    https://git.kernel.org/%s/%s/c/"
			  "%s\n", p->title, s->list_netdev ? "netdev" : "bpf",
			  corpus_tree_name[s->tree], sha);
		vec_push_str(&a->titles, p->title);
		for (size_t j = 0; j < p->files.n; j++)
			corpus_fstat_merge(&a->files, p->files.items[j]);
		sbuf_release(&tag);
		free(subj);
	}
	sbuf_addf(&m->text, "\n%s", corpus_bot_tail);
	u->d.applied++;
	a->tree = s->tree;
	a->when = when;
	a->author = xstrdup(s->author->name);
	{
		const char *colon = strstr(s->title, ": ");

		a->summary = xstrdup(colon ? colon + 2 : s->title);
	}
	a->slug = np > 1 ? slugify(s->title) : NULL;
	a->applier = by;
	for (size_t i = 0; i < s->thanks.n; i++)
		vec_push_str_unique(&a->thanks, s->thanks.items[i]);
	vec_push(&u->applied, a);
	sbuf_release(&cc);
	if (rng_pct(&u->r, 30)) {
		struct msg *r = corpus_reply_start(u, s->reply_cc, by,
						   when - 60, parent, 3);

		sbuf_addf(&r->text, "Applied to %s, thanks!\n",
			  corpus_tree_name[s->tree]);
	}
}

/*
 * netdev's form letter to a series posted while net-next is closed
 * (samples-notes.md section 6, the v6.18 wording), from the reply
 * posted at `when`.
 */
static void closed_letter(struct unit *u, struct series *s, time_t when)
{
	static const char *const months[] = { "January", "February",
		"March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December" };
	const struct person *mt = &corpus_netdev_maint[rng_range(&u->r, 1, 3)];
	struct msg *target = s->cover ? s->cover : pick_target(u, s, 0);
	char version[48];
	time_t reopen;
	struct tm tm;
	struct msg *m;

	if (!target || !corpus_netnext_closed(target->date, version,
					      sizeof(version), &reopen))
		return;
	gmtime_r(&reopen, &tm);
	m = corpus_reply_start(u, s->reply_cc, mt, when, target, 0);
	sbuf_addf(&m->text, "## Form letter - net-next-closed\n\n"
		  "The merge window for v%s has begun and therefore "
		  "net-next is closed\nfor new drivers, features, code "
		  "refactoring and optimizations. We are\ncurrently "
		  "accepting bug fixes only.\n\nPlease repost when "
		  "net-next reopens after %s %d%s.\n\nRFC patches sent for "
		  "review only are obviously welcome at any time.\n"
		  "-- \npw-bot: defer\n", version, months[tm.tm_mon],
		  tm.tm_mday, tm.tm_mday % 10 == 1 && tm.tm_mday != 11 ? "st" :
		  tm.tm_mday % 10 == 2 && tm.tm_mday != 12 ? "nd" :
		  tm.tm_mday % 10 == 3 && tm.tm_mday != 13 ? "rd" : "th");
	u->d.pw_bot_defer++;
}

static void defer_version(struct unit *u, struct series *s, time_t when)
{
	const struct person *mt =
		&corpus_maintainers[rng_below(&u->r, P_NMAINT)];
	struct msg *target = pick_target(u, s, 1);
	struct msg *m;

	if (s->list_netdev) {
		closed_letter(u, s, when);
		return;
	}
	if (!target)
		return;
	m = corpus_reply_start(u, s->reply_cc, mt, when, target, 4);
	corpus_add_wrapped(&m->text, PICK(&u->r, ((const char *const[]){
		"This depends on changes that are not in bpf-next yet. Please "
		"resend once they land.",
		"Let's wait for the discussion on the RFC to settle before "
		"applying this.",
		"bpf-next is closed for the merge window; please resend after "
		"-rc1 is tagged." })), 72, "", "");
	sbuf_addstr(&m->text, "\npw-bot: defer\n");
	u->d.pw_bot_defer++;
}

static unsigned series_npatches(struct unit *u, int fix, int small)
{
	unsigned k = rng_below(&u->r, 100);

	if (fix)
		return k < 80 ? 1 : 2;
	if (small)
		return rng_range(&u->r, 2, 4);
	if (k < 25)
		return 1;
	if (k < 70)
		return rng_range(&u->r, 2, 4);
	if (k < 92)
		return rng_range(&u->r, 5, 8);
	return rng_range(&u->r, 9, 12);
}

static unsigned series_nversions(struct unit *u, int fix, int small)
{
	unsigned k = rng_below(&u->r, 100);

	if (fix)
		return k < 75 ? 1 : 2;
	if (small)
		return k < 50 ? 1 : 2;
	return k < 40 ? 1 : k < 70 ? 2 : k < 85 ? 3 : k < 95 ? 4 : 5;
}

static void series_addresses(struct unit *u, struct series *s)
{
	static const int cc_pool[] = { P_AST, P_DANIEL, P_ANDRII, P_MARTIN,
		P_EDUARD, P_SONG, P_YONGHONG, P_JOHN, P_KP, P_STAN, P_HAO,
		P_JIRI };
	const struct person *cc[ARRAY_SIZE(cc_pool) +
				ARRAY_SIZE(corpus_netdev_reviewers)];
	struct sbuf sb = SBUF_INIT;
	size_t n = 0;

	if (s->list_netdev) {
		/* get_maintainer.pl's netdev four, a reviewer or two */
		sbuf_addstr(&sb, "netdev@vger.kernel.org");
		s->to = sbuf_detach(&sb);
		for (size_t i = 0; i < ARRAY_SIZE(corpus_netdev_maint); i++)
			if (&corpus_netdev_maint[i] != s->author)
				cc[n++] = &corpus_netdev_maint[i];
		for (size_t i = 0; i < ARRAY_SIZE(corpus_netdev_reviewers);
		     i++)
			if (rng_pct(&u->r, 25) &&
			    &corpus_netdev_reviewers[i] != s->author)
				cc[n++] = &corpus_netdev_reviewers[i];
	} else {
		sbuf_addstr(&sb, "bpf@vger.kernel.org");
		if (s->netdev)
			sbuf_addstr(&sb, ", netdev@vger.kernel.org");
		s->to = sbuf_detach(&sb);
		for (size_t i = 0; i < ARRAY_SIZE(cc_pool); i++)
			if (i < 4 || rng_pct(&u->r, 60))
				if (&corpus_maintainers[cc_pool[i]] !=
				    s->author)
					cc[n++] = &corpus_maintainers[
						cc_pool[i]];
	}
	corpus_add_addr_list(&sb, cc, n, NULL, 0);
	s->cc = sbuf_detach(&sb);
	sbuf_addf(&sb, "%s, %s", s->to, s->cc);
	s->reply_cc = sbuf_detach(&sb);
}

/* Carry the trailers given on version v into v + 1 (as b4 does). */
static void carry_trailers(struct series *s)
{
	for (size_t i = 0; i < s->patches.n; i++) {
		struct patch *p = s->patches.items[i];

		for (size_t j = 0; j < s->cover_trailers.n; j++)
			vec_push_str_unique(&p->trailers,
					    s->cover_trailers.items[j]);
		p->msg = NULL;
	}
	vec_release_str(&s->cover_trailers);
}

/* A series with all its versions; broken: enum corpus_broken or -1. */
void corpus_gen_series(struct unit *u, time_t t, int fix, int broken,
		       int small, int force_rfc, int force_defer)
{
	struct series s;
	unsigned np;

	memset(&s, 0, sizeof(s));
	s.broken = broken;
	s.list_netdev = u->netdev;
	if (s.list_netdev) {
		s.author = rng_pct(&u->r, 85) ?
			   &PICK(&u->r, corpus_contributors) :
			   &PICK(&u->r, corpus_netdev_reviewers);
		s.topic = &PICK(&u->r, corpus_netdev_topics);
		s.tree = fix ? TREE_NET : TREE_NETNEXT;
		s.netdev = 1;
	} else {
		s.author = rng_pct(&u->r, 85) ?
			   &PICK(&u->r, corpus_contributors) :
			   &corpus_maintainers[rng_below(&u->r, P_NREVIEW)];
		s.topic = &PICK(&u->r, corpus_topics);
		s.tree = fix ? TREE_BPF : TREE_NEXT;
		s.netdev = s.topic->area == A_NET ||
			   s.topic->area == A_SOCKMAP;
	}
	s.version_first = rng_pct(&u->r, 15);
	s.rfc_form = rng_pct(&u->r, 30);
	s.changelog_style = rng_below(&u->r, 3);
	np = series_npatches(u, fix, small);
	s.nver = series_nversions(u, fix, small);
	if (broken == CORPUS_BROKEN_NO_COVER ||
	    broken == CORPUS_BROKEN_OUT_OF_ORDER ||
	    broken == CORPUS_BROKEN_NO_REPLY_TO ||
	    broken == CORPUS_BROKEN_DUPLICATE ||
	    broken == CORPUS_BROKEN_REPLY_TO_OLD)
		np = np < 2 ? 2 : np;
	if (broken == CORPUS_BROKEN_MISSING_PATCH)
		np = np < 3 ? 3 : np;
	if (broken == CORPUS_BROKEN_REPLY_TO_OLD)
		s.nver = s.nver < 2 ? 2 : s.nver;
	if (force_rfc || (!fix && rng_pct(&u->r, 12)))
		s.rfc_upto = s.nver > 1 && rng_pct(&u->r, 70) ? 1 : s.nver;
	if (force_rfc && s.nver < 2)
		s.nver = 2, s.rfc_upto = 1;
	series_plan(u, &s, np, fix);
	s.title = np > 1 ? patch_title(&u->r, s.topic->area, s.topic, fix, 0) :
		  xstrdup(((struct patch *)s.patches.items[0])->title);
	series_addresses(u, &s);
	if (broken == CORPUS_BROKEN_MISSING_PATCH)
		s.outcome = OUT_PENDING;
	else if (force_defer)
		s.outcome = OUT_DEFER;
	else if (s.rfc_upto == s.nver)
		s.outcome = OUT_PENDING;
	else if (s.list_netdev)
		s.outcome = rng_pct(&u->r, 75) ? OUT_APPLIED : OUT_PENDING;
	else {
		unsigned k = rng_below(&u->r, 100);

		s.outcome = k < 70 ? OUT_APPLIED : k < 90 ? OUT_PENDING :
			    OUT_DEFER;
	}
	for (unsigned v = 1; v <= s.nver; v++) {
		int final = v == s.nver, resend = 0;
		time_t last;

		post_version(u, &s, v, t, 0);
		if (final && broken == CORPUS_BROKEN_RESEND) {
			t = busy(&u->r, t +
				 (time_t)rng_range(&u->r, 7, 10) * DAY);
			post_version(u, &s, v, t, 1);
			resend = 1;
		}
		last = review_version(u, &s, final, t);
		if (!final) {
			const char *id = lore_id(&s);

			if (id)
				vec_push_str(&s.lore, id);
			s.prev_cover = s.cover;
			carry_trailers(&s);
			t = busy(&u->r, last +
				 (time_t)rng_range(&u->r, DAY, 7 * DAY));
			if (np > 1 && rng_pct(&u->r, 10)) {
				free(s.title);
				s.title = patch_title(&u->r, s.topic->area,
						      s.topic, fix, 2);
			}
			continue;
		}
		last = busy(&u->r, last + (time_t)rng_range(&u->r, 2 * HOUR,
							    4 * DAY));
		/* net-next closed: the form letter, not the tree */
		if (s.list_netdev)
			s.outcome = s.tree == TREE_NETNEXT && v > s.rfc_upto &&
				    corpus_netnext_closed(t, NULL, 0, NULL) ?
				    OUT_DEFER : s.outcome == OUT_DEFER ?
				    OUT_PENDING : s.outcome;
		if (s.outcome == OUT_APPLIED)
			apply_version(u, &s, v, resend, last);
		else if (s.outcome == OUT_DEFER)
			defer_version(u, &s, last);
	}
	u->d.series++;
	if (broken >= 0) {
		u->d.broken[broken]++;
		u->d.broken_total++;
	}
	series_release(&s);
}
