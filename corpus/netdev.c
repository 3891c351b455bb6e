/*
 * netdev's scheduled mail, for a corpus made with options.netdev: the
 * release cycle and the "[ANN] net-next is CLOSED/OPEN" mails around
 * each merge window, the weekly "[GIT PULL] Networking for v6.x-rcN"
 * to Linus (and at a merge window net-next's "Networking for v6.x")
 * with the pr-tracker-bot's answer, and the sub-trees' pull requests
 * to net and net-next ("pull-request: wireless-next-2025-03-04") with
 * the patchwork-bot's notice.  Series and discussions of netdev are
 * made by series.c and gen.c with unit.netdev set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/data.h"
#include "corpus/private.h"
#include "util/date.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* v6.13 was released on Sunday 2025-01-19; a cycle is 9 weeks. */
#define CYCLE (63 * DAY)
#define WINDOW (14 * DAY)	/* the merge window, to -rc1 */

static time_t release0(void)
{
	return (time_t)date_from_civil(2025, 1, 19) * DAY + 22 * HOUR;
}

/* The cycle t falls in: release k is at release0() + k * CYCLE. */
static long cycle_of(time_t t)
{
	time_t d = t - release0();

	return d >= 0 ? (long)(d / CYCLE) : -(long)((-d + CYCLE - 1) / CYCLE);
}

/* "6.14": the release that cycle k's merge window opens (6.19, 7.0). */
static void version_name(long k, char *out, size_t size)
{
	long total = 6 * 20 + 14 + k;

	snprintf(out, size, "%ld.%ld", total / 20, total % 20);
}

int corpus_netnext_closed(time_t t, char *version, size_t size,
			  time_t *reopen)
{
	long k = cycle_of(t);
	time_t r = release0() + (time_t)k * CYCLE;

	if (t - r >= WINDOW + DAY)
		return 0;
	if (version)
		version_name(k, version, size);
	if (reopen)
		*reopen = r + WINDOW + DAY - 22 * HOUR;
	return 1;
}

/* Event e: the ANN of cycle e / 2, closed (even) or open (odd). */
static time_t ann_time(unsigned e)
{
	long k = (long)(e / 2) + cycle_of(0) + 1;	/* from 1970 on */
	time_t r = release0() + (time_t)k * CYCLE;

	return e % 2 ? r + WINDOW + DAY - 4 * HOUR : r + 18 * HOUR;
}

void corpus_netdev_init(struct gen *g)
{
	unsigned e = 0;

	while (ann_time(e) < g->start)
		e++;
	g->cycle_done = e;
}

/* ---------------------------------------------------------------- */

static void gen_ann(struct unit *u, unsigned e, time_t t)
{
	const struct person *from = &corpus_netdev_maint[1];
	long k = (long)(e / 2) + cycle_of(0) + 1;
	char ver[48], next[48], rel[48];
	struct msg *m;
	time_t reopen = release0() + (time_t)k * CYCLE + WINDOW;
	char day[16];

	version_name(k, ver, sizeof(ver));
	version_name(k + 1, next, sizeof(next));
	version_name(k - 1, rel, sizeof(rel));
	date_format_ymd(date_of_time(reopen), day, sizeof(day));
	m = corpus_msg_start(u, from, t, DAY_PLAIN, corpus_id_client(u, from),
			     e % 2 ? "[ANN] net-next is OPEN" :
			     "[ANN] net-next is CLOSED",
			     "netdev@vger.kernel.org", NULL, NULL, NULL);
	if (e % 2)
		sbuf_addf(&m->text, "Hi!\n\nv%s-rc1 is out, net-next is open "
			  "again and accepting changes for v%s.\n\n"
			  "Please rebase what you held back on net-next and "
			  "repost.\n\nThe status page: "
			  "https://netdev.bots.linux.dev/net-next.html\n",
			  ver, next);
	else
		sbuf_addf(&m->text, "Hi!\n\nLinus released v%s, our pull "
			  "request for v%s is out, so net-next is\nclosed "
			  "for new drivers, features, code refactoring and "
			  "optimizations.\nWe are accepting bug fixes only "
			  "until v%s-rc1 is tagged (expected on\n%s).\n\n"
			  "RFC patches sent for review only are welcome at "
			  "any time.\n\nThe status page: "
			  "https://netdev.bots.linux.dev/net-next.html\n",
			  rel, ver, ver, day);
	u->g->st->netdev.ann++;
}

/* A commit id's first 12 hex digits or all 40. */
static void add_sha(struct unit *u, struct sbuf *sb, size_t n)
{
	char hex[41];

	rng_hex(&u->r, hex, n);
	sbuf_addstr(sb, hex);
}

/*
 * The request-pull part shared by the pulls: since, where, up to, the
 * text between the rules, the shortlog and the diffstat.
 */
static void add_request_pull(struct unit *u, struct sbuf *b, time_t t,
			     int tz, const char *url, const char *tag,
			     const char *text, const struct vec *items,
			     struct vec *authors)
{
	struct vec files = VEC_INIT;
	const char *last = NULL;

	for (size_t i = 0; i < items->n; i++) {
		const struct applied *a = items->items[i];

		for (size_t j = 0; j < a->titles.n; j++) {
			corpus_shortlog_add(authors, a->author,
					    a->titles.items[j]);
			last = a->titles.items[j];
		}
		for (size_t j = 0; j < a->files.n; j++)
			corpus_fstat_merge(&files, a->files.items[j]);
	}
	vec_sort(&files, corpus_fstat_cmp);
	sbuf_addstr(b, "The following changes since commit ");
	add_sha(u, b, 40);
	sbuf_addf(b, ":\n\n  %s (", PICK(&u->r, corpus_old_commit_titles));
	corpus_add_git_date(b, t - 7 * DAY, tz);
	sbuf_addf(b, ")\n\nare available in the Git repository at:\n\n"
		  "  %s tags/%s\n\nfor you to fetch changes up to ", url, tag);
	add_sha(u, b, 40);
	sbuf_addf(b, ":\n\n  %s (", last ? last : "Merge branch 'main'");
	corpus_add_git_date(b, t - 2 * HOUR, tz);
	sbuf_addf(b, ")\n\n---------------------------------------------"
		  "-------------------\n%s\n--------------------------------"
		  "--------------------------------\n", text);
	corpus_shortlog_print(b, authors);
	sbuf_addch(b, '\n');
	corpus_add_diffstat(b, &files, 80);
	vec_release(&files, corpus_fstat_free);
}

/* The pr-tracker-bot's answer to a pull merged by Linus. */
static void pr_tracker(struct unit *u, struct msg *pull, const char *url,
		       const char *tag)
{
	time_t when = pull->date + (time_t)rng_range(&u->r, 2 * HOUR,
						     30 * HOUR);
	struct sbuf subj = SBUF_INIT, to = SBUF_INIT, id = SBUF_INIT;
	struct msg *m;

	sbuf_addf(&subj, "Re: %s", pull->subject);
	corpus_add_addr(&to, pull->from);
	sbuf_addf(&id, "%lld.%u.pr-tracker-bot@kernel.org", (long long)when,
		  rng_range(&u->r, 1000, 32767));
	m = corpus_msg_start(u, &corpus_pr_tracker, when, DAY_ZERO,
			     sbuf_detach(&id), subj.buf, to.buf,
			     "torvalds@linux-foundation.org, "
			     "davem@davemloft.net, netdev@vger.kernel.org, "
			     "linux-kernel@vger.kernel.org", pull, NULL);
	sbuf_addstr(&m->text, "The pull request you sent on ");
	corpus_add_date(&m->text, pull->date, pull->tz);
	sbuf_addf(&m->text, ":\n\n> %s tags/%s\n\nhas been merged into "
		  "torvalds/linux.git:\nhttps://git.kernel.org/torvalds/c/",
		  url, tag);
	add_sha(u, &m->text, 40);
	sbuf_addstr(&m->text, "\n\nThank you!\n\n-- \nDeet-doot-dot, I am a "
		    "bot.\nhttps://korg.docs.kernel.org/prtracker.html\n");
	u->d.bot_notices++;
	sbuf_release(&subj);
	sbuf_release(&to);
}

/*
 * Thursday's pull of net to Linus: "[GIT PULL] Networking for
 * v6.14-rc3" with the fixes applied to net since the last one; in the
 * first week of a merge window "[GIT PULL] Networking for v6.14" with
 * what net-next collected.
 */
static void gen_linus_pull(struct unit *u, time_t t, const struct vec *items,
			   int merge_window, const char *what)
{
	const struct person *from = &corpus_netdev_maint[rng_pct(&u->r, 50) ?
							 1 : 3];
	const char *url = merge_window ?
		"git://git.kernel.org/pub/scm/linux/kernel/git/netdev/"
		"net-next.git" :
		"git://git.kernel.org/pub/scm/linux/kernel/git/netdev/net.git";
	struct sbuf subj = SBUF_INIT, tag = SBUF_INIT, b = SBUF_INIT;
	struct sbuf text = SBUF_INIT, cc = SBUF_INIT;
	struct vec authors = VEC_INIT;
	unsigned long pid = 1000 + (u->g->send_no++ * 7919ul) % 4190000ul;
	struct msg *m;

	sbuf_addf(&subj, "[GIT PULL] Networking for v%s", what);
	sbuf_addf(&tag, "%s-%s", merge_window ? "net-next" : "net", what);
	sbuf_addf(&cc, "kuba@kernel.org, davem@davemloft.net, "
		  "netdev@vger.kernel.org, linux-kernel@vger.kernel.org");
	m = corpus_msg_start(u, from, t, DAY_PLAIN,
			     corpus_id_sendemail(t, pid, 1, from), subj.buf,
			     "torvalds@linux-foundation.org", cc.buf, NULL,
			     NULL);
	sbuf_addf(&b, "Hi Linus!\n\n%s\n\n", merge_window ?
		  "The networking changes for the merge window; nothing "
		  "scary, a few conflicts\nwith the trees you already "
		  "pulled, resolved in linux-next." :
		  "The usual weekly fixes; no known outstanding regressions.");
	sbuf_addstr(&text, merge_window ? "Core & protocols:\n" :
		    "Current release - regressions:\n");
	for (size_t i = 0; i < items->n; i++) {
		const struct applied *a = items->items[i];

		sbuf_addch(&text, '\n');
		corpus_add_wrapped(&text, a->summary, 72, " - ", "   ");
	}
	if (!items->n)
		sbuf_addstr(&text, "\n - nothing this week\n");
	add_request_pull(u, &b, t, from->tz, url, tag.buf, text.buf, items,
			 &authors);
	sbuf_addstr(&m->text, b.buf);
	pr_tracker(u, m, url, tag.buf);
	u->g->st->netdev.linus_pulls++;
	vec_release(&authors, corpus_shortlog_free);
	sbuf_release(&subj);
	sbuf_release(&tag);
	sbuf_release(&b);
	sbuf_release(&text);
	sbuf_release(&cc);
}

/* "{T}", "{S}", "{D}" of a sub-tree's subject template. */
static void fill_subject(struct sbuf *sb, const char *tmpl, const char *net,
			 const char *tree, const char *date)
{
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '{' && p[1] && p[2] == '}') {
			sbuf_addstr(sb, p[1] == 'T' ? net : p[1] == 'S' ?
				    tree : date);
			p += 2;
		} else {
			sbuf_addch(sb, *p);
		}
	}
}

/*
 * A sub-tree's pull request to net or net-next with a few commits of
 * its own, and the patchwork-bot's notice that it was applied.
 */
static void gen_subtree_pull(struct unit *u, time_t t, int next)
{
	const struct subtree *st =
		&corpus_subtrees[u->g->subtree_no++ % ARRAY_SIZE(corpus_subtrees)];
	const char *net = next ? "net-next" : "net";
	struct sbuf tree = SBUF_INIT, subj = SBUF_INIT, url = SBUF_INIT;
	struct sbuf tag = SBUF_INIT, b = SBUF_INIT, text = SBUF_INIT;
	struct vec items = VEC_INIT, authors = VEC_INIT;
	unsigned long pid = 1000 + (u->g->send_no++ * 7919ul) % 4190000ul;
	unsigned n = rng_range(&u->r, 2, 8);
	struct applied *a = xcalloc(1, sizeof(*a));
	struct msg *m, *notice;
	char ymd[16], sha[13];

	date_format_ymd(date_of_time(t), ymd, sizeof(ymd));
	sbuf_addf(&tree, "%s%s", st->name, next ? "-next" : "");
	fill_subject(&subj, st->subject, net, tree.buf, ymd);
	sbuf_addf(&url, "git://git.kernel.org/pub/scm/linux/kernel/git/%s%s.git",
		  st->repo, next ? "-next" : "");
	sbuf_addf(&tag, "%s-%s", tree.buf, ymd);
	a->author = xstrdup(PICK(&u->r, corpus_contributors).name);
	for (unsigned i = 0; i < n; i++) {
		const struct topic *tp = &PICK(&u->r, corpus_netdev_topics);
		struct sbuf title = SBUF_INIT;
		struct fstat f = { 0 };

		sbuf_addf(&title, "%s: %s %s", st->prefix,
			  next ? PICK(&u->r, corpus_feature_verbs) :
			  PICK(&u->r, corpus_fix_verbs), tp->phrase);
		corpus_title_detail(&u->r, tp, &title);
		vec_push(&a->titles, sbuf_detach(&title));
		f.path = corpus_tmpl_dup(corpus_area_files[tp->area][
			rng_below(&u->r, 6)], tp->ident);
		f.add = rng_range(&u->r, 1, 120);
		f.del = rng_below(&u->r, 40);
		corpus_fstat_merge(&a->files, &f);
		free(f.path);
	}
	vec_push(&items, a);
	m = corpus_msg_start(u, &st->from, t, DAY_PLAIN,
			     corpus_id_sendemail(t, pid, 1, &st->from),
			     subj.buf, "netdev@vger.kernel.org",
			     "Jakub Kicinski <kuba@kernel.org>, Paolo Abeni "
			     "<pabeni@redhat.com>, David Miller "
			     "<davem@davemloft.net>", NULL, NULL);
	sbuf_addf(&b, "Hi,\n\nHere's %s for %s: %u commit%s.\n\n", next ?
		  "a batch of updates" : "a set of fixes", net, n,
		  n == 1 ? "" : "s");
	sbuf_addf(&text, "%s\n", tree.buf);
	add_request_pull(u, &b, t, st->from.tz, url.buf, tag.buf, text.buf,
			 &items, &authors);
	sbuf_addstr(&m->text, b.buf);
	notice = corpus_bot_start(u, t + (time_t)rng_range(&u->r, 3 * HOUR,
							   3 * DAY),
				  m, "netdev@vger.kernel.org, kuba@kernel.org, "
				  "pabeni@redhat.com, davem@davemloft.net",
				  "pull request", next ?
				  "netdev/net-next.git (main)" :
				  "netdev/net.git (main)",
				  &corpus_netdev_maint[rng_pct(&u->r, 50) ?
						       1 : 3]);
	rng_hex(&u->r, sha, 12);
	sbuf_addf(&notice->text, "  - %s\n    https://git.kernel.org/netdev/"
		  "%s/c/%s\n\n%s", subj.buf, net, sha, corpus_bot_tail);
	u->g->st->netdev.subtree_pulls++;
	vec_release(&items, corpus_applied_free);
	vec_release(&authors, corpus_shortlog_free);
	sbuf_release(&tree);
	sbuf_release(&subj);
	sbuf_release(&url);
	sbuf_release(&tag);
	sbuf_release(&b);
	sbuf_release(&text);
}

/* Take the applied items of tree dated before t out of the pending. */
static void take_pending(struct gen *g, enum tree tree, time_t t,
			 struct vec *items)
{
	struct vec keep = VEC_INIT;

	for (size_t i = 0; i < g->pending[tree].n; i++) {
		struct applied *a = g->pending[tree].items[i];

		vec_push(a->when < t ? items : &keep, a);
	}
	vec_release(&g->pending[tree], NULL);
	g->pending[tree] = keep;
}

/* Commit a netdev unit of the schedule; 0 or -code. */
static int commit(struct unit *u, struct err *err)
{
	int ret = corpus_unit_commit(u, err);

	corpus_unit_release(u);
	return ret;
}

int corpus_emit_netdev(struct gen *g, time_t t, struct err *err)
{
	struct unit u;
	int ret = 0;

	while (!ret && ann_time(g->cycle_done) <= t) {
		unsigned e = g->cycle_done++;

		if (g->o->messages - g->written < 1)
			return 0;
		corpus_unit_init(&u, g);
		u.netdev = 1;
		gen_ann(&u, e, ann_time(e) + (time_t)rng_below(&u.r, HOUR));
		ret = commit(&u, err);
	}
	while (!ret && g->next_net_pull <= t) {
		time_t p = g->next_net_pull;
		long k = cycle_of(p);
		time_t since = p - (release0() + (time_t)k * CYCLE);
		struct vec items = VEC_INIT;
		char ver[48], what[80];
		int mw = since < 7 * DAY;

		g->next_net_pull += 7 * DAY;
		if (g->o->messages - g->written < 2)
			return 0;
		version_name(k, ver, sizeof(ver));
		if (mw)
			snprintf(what, sizeof(what), "%s", ver);
		else
			snprintf(what, sizeof(what), "%s-rc%ld", ver,
				 since < WINDOW ? 1L :
				 (long)((since - WINDOW) / (7 * DAY)) + 2);
		take_pending(g, mw ? TREE_NETNEXT : TREE_NET, p, &items);
		corpus_unit_init(&u, g);
		u.netdev = 1;
		gen_linus_pull(&u, p + (time_t)rng_below(&u.r, 4 * HOUR),
			       &items, mw, what);
		vec_release(&items, corpus_applied_free);
		ret = commit(&u, err);
	}
	while (!ret && g->next_subtree <= t) {
		time_t p = g->next_subtree;
		/* each sub-tree to net and net-next in turn */
		int next = !corpus_netnext_closed(p, NULL, 0, NULL) &&
			   (g->subtree_no % 4 + g->subtree_no / 4) % 2;

		g->next_subtree += (g->subtree_no % 2 ? 3 : 4) * DAY;
		if (g->o->messages - g->written < 2)
			return 0;
		corpus_unit_init(&u, g);
		u.netdev = 1;
		gen_subtree_pull(&u, p + (time_t)rng_below(&u.r, 8 * HOUR),
				 next);
		ret = commit(&u, err);
	}
	return ret;
}
