/*
 * The corpus generator.
 *
 * Layout of a run: the span [start, start + days) is mapped onto the
 * message budget (weekdays weigh more than weekends); each unit (a
 * series with all its versions, a discussion, a pull request) starts
 * at the time matching the messages written so far, and its replies
 * follow it by hours or days.  A unit is built in memory, then written
 * when it fits the remaining budget; near the end small discussions
 * fill the budget exactly.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/corpus.h"
#include "corpus/data.h"
#include "corpus/private.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define MESSAGES_MAX 5000000u

#define DAYS_MAX 36500u

#define FILL_BELOW 40	/* budget left when only fillers are made */

/* ---------------------------------------------------------------- */
/* Discussions and pull requests.                                    */

static const struct person *pick_anyone(struct unit *u,
					const struct person *not)
{
	const struct person *p;

	do {
		if (u->netdev)
			p = !rng_pct(&u->r, 50) ?
			    &PICK(&u->r, corpus_contributors) :
			    rng_pct(&u->r, 50) ?
			    &PICK(&u->r, corpus_netdev_maint) :
			    &PICK(&u->r, corpus_netdev_reviewers);
		else
			p = rng_pct(&u->r, 50) ?
			    &corpus_maintainers[rng_below(&u->r, P_NREVIEW)] :
			    &PICK(&u->r, corpus_contributors);
	} while (p == not);
	return p;
}

static const char *discussion_line(struct unit *u)
{
	return u->netdev ? PICK(&u->r, corpus_netdev_lines) :
	       PICK(&u->r, corpus_discussion_lines);
}

/* A discussion thread of exactly n messages, on the unit's list. */
static void gen_discussion(struct unit *u, time_t t, size_t n)
{
	const struct person *from = pick_anyone(u, NULL);
	const char *cc = u->netdev ?
			 "netdev@vger.kernel.org, Jakub Kicinski "
			 "<kuba@kernel.org>, Paolo Abeni <pabeni@redhat.com>" :
			 "bpf@vger.kernel.org, Alexei Starovoitov "
			 "<ast@kernel.org>, Andrii Nakryiko "
			 "<andrii@kernel.org>";
	struct msg *root, *m;
	unsigned lines = rng_range(&u->r, 2, 4);
	char *subj;

	if (u->netdev)
		subj = corpus_tmpl_dup(PICK(&u->r, corpus_netdev_subjects),
				       PICK(&u->r,
					    corpus_netdev_topics).phrase);
	else
		subj = corpus_tmpl_dup(PICK(&u->r,
					    corpus_discussion_subjects),
				       PICK(&u->r, corpus_topics).phrase);
	root = corpus_msg_start(u, from, t, DAY_PLAIN,
				corpus_id_client(u, from), subj,
				u->netdev ? "netdev@vger.kernel.org" :
				"bpf@vger.kernel.org", u->netdev ?
				"Jakub Kicinski <kuba@kernel.org>, Paolo Abeni "
				"<pabeni@redhat.com>, Eric Dumazet "
				"<edumazet@google.com>" :
				"Alexei Starovoitov <ast@kernel.org>, Andrii "
				"Nakryiko <andrii@kernel.org>, Daniel Borkmann "
				"<daniel@iogearbox.net>", NULL, NULL);
	sbuf_addstr(&root->text, "Hi,\n\n");
	for (unsigned i = 0; i < lines; i++) {
		corpus_add_wrapped(&root->text, discussion_line(u), 72, "",
				   "");
		sbuf_addch(&root->text, '\n');
	}
	if (!u->netdev && rng_pct(&u->r, 50)) {
		/* the program in question: the tail of a selftest */
		const struct code *c = &corpus_codes[C_PROG];

		for (size_t i = 13; i < c->n_old - 2; i++) {
			corpus_add_tmpl(&root->text, c->old_lines[i], "demo");
			sbuf_addch(&root->text, '\n');
		}
		sbuf_addch(&root->text, '\n');
	}
	sbuf_addf(&root->text, "Thanks,\n%s\n", from->name);
	for (size_t i = 1; i < n; i++) {
		struct msg *parent = rng_pct(&u->r, 70) ?
			u->msgs.items[u->msgs.n - 1] :
			u->msgs.items[rng_below(&u->r, (unsigned)u->msgs.n)];
		const struct person *rp = pick_anyone(u, parent->from);

		t = busy(&u->r, parent->date +
			 (time_t)rng_range(&u->r, 20 * 60, 40 * HOUR));
		m = corpus_reply_start(u, cc, rp, t, parent,
				       rng_range(&u->r, 2, 8));
		corpus_add_wrapped(&m->text, discussion_line(u), 72, "", "");
	}
	u->d.discussions++;
	free(subj);
}

struct shortlog_author {
	const char *name;
	struct vec titles;	/* const char *, borrowed */
};

static int shortlog_cmp(const void *a, const void *b)
{
	const struct shortlog_author *x =
		*(const struct shortlog_author *const *)a;
	const struct shortlog_author *y =
		*(const struct shortlog_author *const *)b;

	return strcmp(x->name, y->name);
}

void corpus_shortlog_add(struct vec *authors, const char *name,
			 const char *title)
{
	struct shortlog_author *sa = NULL;

	for (size_t i = 0; i < authors->n && !sa; i++)
		if (!strcmp(((struct shortlog_author *)authors->items[i])->name,
			    name))
			sa = authors->items[i];
	if (!sa) {
		sa = xcalloc(1, sizeof(*sa));
		sa->name = name;
		vec_push(authors, sa);
	}
	vec_push(&sa->titles, (void *)title);
}

void corpus_shortlog_free(void *p)
{
	struct shortlog_author *sa = p;

	vec_release(&sa->titles, NULL);
	free(sa);
}

void corpus_shortlog_print(struct sbuf *sb, struct vec *authors)
{
	vec_sort(authors, shortlog_cmp);
	for (size_t i = 0; i < authors->n; i++) {
		const struct shortlog_author *sa = authors->items[i];

		sbuf_addf(sb, "%s%s (%zu):\n", i ? "\n" : "", sa->name,
			  sa->titles.n);
		for (size_t j = 0; j < sa->titles.n; j++)
			sbuf_addf(sb, "      %s\n",
				  (char *)sa->titles.items[j]);
	}
}

static void add_hex40(struct unit *u, struct sbuf *sb)
{
	char hex[41];

	rng_hex(&u->r, hex, 40);
	sbuf_addstr(sb, hex);
}

/*
 * A pull request at time t carrying items (struct applied *), in the
 * format of samples-notes.md section 5, and the bot's notice for it.
 */
static void gen_pull(struct unit *u, enum tree tree, time_t t,
		     const struct vec *items)
{
	static const int next_senders[] = { P_MARTIN, P_AST, P_DANIEL,
					    P_ANDRII };
	static const int fix_senders[] = { P_DANIEL, P_AST, P_MARTIN };
	const struct person *from = &corpus_maintainers[tree == TREE_NEXT ?
		PICK(&u->r, next_senders) : PICK(&u->r, fix_senders)];
	const struct person *to[] = { &corpus_netdev_maint[0],
				      &corpus_netdev_maint[1],
				      &corpus_netdev_maint[2],
				      &corpus_netdev_maint[3] };
	const struct person *ccp[] = { &corpus_maintainers[P_AST],
				       &corpus_maintainers[P_ANDRII],
				       &corpus_maintainers[P_DANIEL] };
	const char *ccraw[] = { "Martin KaFai Lau <martin.lau@kernel.org>",
				"netdev@vger.kernel.org",
				"bpf@vger.kernel.org" };
	const char *tn = corpus_tree_name[tree];
	struct sbuf subj = SBUF_INIT, tos = SBUF_INIT, ccs = SBUF_INIT;
	struct sbuf b = SBUF_INIT, thanks = SBUF_INIT;
	struct vec authors = VEC_INIT, files = VEC_INIT, names = VEC_INIT;
	size_t commits = 0;
	unsigned ins = 0, del = 0;
	time_t first = t, fetch_time = t - 3600;
	const char *last_title = NULL;
	char ymd[16];
	struct msg *m, *notice;
	unsigned long pid = 1000 + (u->g->send_no++ * 7919ul) % 4190000ul;

	date_format_ymd(date_of_time(t + from->tz * 60), ymd, sizeof(ymd));
	sbuf_addf(&subj, "pull-request: %s %s", tn, ymd);
	corpus_add_addr_list(&tos, to, 4, NULL, 0);
	corpus_add_addr_list(&ccs, ccp, 3, ccraw, 3);
	m = corpus_msg_start(u, from, t, DAY_PLAIN,
			     corpus_id_sendemail(t, pid, 1, from), subj.buf,
			     tos.buf, ccs.buf, NULL, NULL);
	for (size_t i = 0; i < items->n; i++) {
		const struct applied *a = items->items[i];

		if (a->when < first)
			first = a->when;
		for (size_t j = 0; j < a->titles.n; j++) {
			corpus_shortlog_add(&authors, a->author,
					    a->titles.items[j]);
			commits++;
			last_title = a->titles.items[j];
		}
		if (a->slug) {
			struct sbuf mb = SBUF_INIT;

			sbuf_addf(&mb, "Merge branch '%s'", a->slug);
			vec_push(&names, sbuf_detach(&mb));
			corpus_shortlog_add(&authors, a->applier->name,
				     names.items[names.n - 1]);
			last_title = names.items[names.n - 1];
		}
		for (size_t j = 0; j < a->files.n; j++)
			corpus_fstat_merge(&files, a->files.items[j]);
		for (size_t j = 0; j < a->thanks.n; j++)
			vec_push_str_unique(&names, a->thanks.items[j]);
	}
	vec_sort(&files, corpus_fstat_cmp);
	for (size_t i = 0; i < files.n; i++) {
		ins += ((struct fstat *)files.items[i])->add;
		del += ((struct fstat *)files.items[i])->del;
	}
	sbuf_addf(&b, "Hi David, hi Jakub, hi Paolo, hi Eric,\n\n"
		  "The following pull-request contains BPF updates for your "
		  "*%s* tree.\n\n", tree == TREE_NEXT ? "net-next" : "net");
	sbuf_addf(&b, "We've added %zu non-merge commit%s during the last %ld "
		  "day(s) which contain\na total of %zu file%s changed",
		  commits, commits == 1 ? "" : "s",
		  (long)((t - first) / DAY) + 1, files.n,
		  files.n == 1 ? "" : "s");
	if (ins || !del)
		sbuf_addf(&b, ", %u insertion%s(+)", ins, ins == 1 ? "" : "s");
	if (del || !ins)
		sbuf_addf(&b, ", %u deletion%s(-)", del, del == 1 ? "" : "s");
	sbuf_addstr(&b, ".\n\nThe main changes are:\n\n");
	for (size_t i = 0; i < items->n; i++) {
		const struct applied *a = items->items[i];
		struct sbuf item = SBUF_INIT, num = SBUF_INIT;

		sbuf_addf(&num, "%zu) ", i + 1);
		sbuf_addf(&item, "%c%s, from %s.", a->summary[0] >= 'a' &&
			  a->summary[0] <= 'z' ? a->summary[0] - 'a' + 'A' :
			  a->summary[0], a->summary + 1, a->author);
		corpus_add_wrapped(&b, item.buf, 72, num.buf, "   ");
		sbuf_addch(&b, '\n');
		sbuf_release(&item);
		sbuf_release(&num);
	}
	sbuf_addf(&b, "Please consider pulling these changes from:\n\n"
		  "  git://git.kernel.org/pub/scm/linux/kernel/git/bpf/%s.git "
		  "tags/for-netdev\n\nThanks a lot!\n\n", tn);
	/* names: merge titles first, then reviewers' names */
	for (size_t i = 0; i < names.n; i++) {
		const char *nm = names.items[i];

		if (!strncmp(nm, "Merge branch '", 14))
			continue;
		if (thanks.len)
			sbuf_addstr(&thanks, ", ");
		sbuf_addstr(&thanks, nm);
	}
	if (thanks.len) {
		sbuf_addstr(&b, "Also thanks to reporters, reviewers and testers "
			    "of commits in this pull-request:\n\n");
		corpus_add_wrapped(&b, thanks.buf, 72, "", "");
		sbuf_addch(&b, '\n');
	}
	sbuf_addstr(&b, "------------------------------------------------------"
		    "----------\n\nThe following changes since commit ");
	add_hex40(u, &b);
	sbuf_addf(&b, ":\n\n  %s (", PICK(&u->r, corpus_old_commit_titles));
	corpus_add_git_date(&b, first - 2 * DAY, -420);
	sbuf_addf(&b, ")\n\nare available in the Git repository at:\n\n"
		  "  https://git.kernel.org/pub/scm/linux/kernel/git/bpf/%s.git"
		  " tags/for-netdev\n\nfor you to fetch changes up to ", tn);
	add_hex40(u, &b);
	sbuf_addf(&b, ":\n\n  %s (", last_title ? last_title : "");
	corpus_add_git_date(&b, fetch_time, from->tz);
	sbuf_addf(&b, ")\n\n------------------------------------------------"
		  "----------------\n%s-for-netdev\n\n"
		  "----------------------------------------------------------"
		  "------\n", tn);
	corpus_shortlog_print(&b, &authors);
	sbuf_addch(&b, '\n');
	corpus_add_diffstat(&b, &files, 80);
	sbuf_addstr(&m->text, b.buf);
	u->d.pulls++;
	u->d.pull_titles += commits;

	notice = corpus_bot_start(u, t + (time_t)rng_range(&u->r, 6 * HOUR,
							   4 * DAY),
				  m, "davem@davemloft.net, kuba@kernel.org, "
				  "edumazet@google.com, pabeni@redhat.com, "
				  "ast@kernel.org, andrii@kernel.org, "
				  "daniel@iogearbox.net, "
				  "martin.lau@kernel.org, "
				  "netdev@vger.kernel.org, bpf@vger.kernel.org",
				  "pull request", tree == TREE_NEXT ?
				  "netdev/net-next.git (main)" :
				  "netdev/net.git (main)",
				  &corpus_netdev_maint[1]);
	{
		char sha[13];

		rng_hex(&u->r, sha, 12);
		sbuf_addf(&notice->text, "  - %s\n    https://git.kernel.org/"
			  "netdev/%s/c/%s\n\n%s", subj.buf,
			  tree == TREE_NEXT ? "net-next" : "net", sha,
			  corpus_bot_tail);
	}
	vec_release(&authors, corpus_shortlog_free);
	vec_release(&files, corpus_fstat_free);
	vec_release_str(&names);
	sbuf_release(&subj);
	sbuf_release(&tos);
	sbuf_release(&ccs);
	sbuf_release(&b);
	sbuf_release(&thanks);
}

void corpus_applied_free(void *p)
{
	struct applied *a = p;

	free(a->author);
	free(a->summary);
	free(a->slug);
	vec_release_str(&a->titles);
	vec_release(&a->files, corpus_fstat_free);
	vec_release_str(&a->thanks);
	free(a);
}

/* ---------------------------------------------------------------- */
/* Units, time and the main loop.                                    */

void corpus_unit_init(struct unit *u, struct gen *g)
{
	memset(u, 0, sizeof(*u));
	u->g = g;
	u->no = g->unit_no++;
	u->r.s = (uint64_t)g->o->seed * 0x9e3779b97f4a7c15ULL ^
		 (uint64_t)u->no * 0xd1b54a32d192ed03ULL;
	rng_u64(&u->r);
}

void corpus_unit_release(struct unit *u)
{
	vec_release(&u->msgs, corpus_msg_free);
	vec_release(&u->applied, corpus_applied_free);
}

static size_t unit_files(const struct unit *u)
{
	size_t n = u->msgs.n;

	for (size_t i = 0; i < u->msgs.n; i++)
		n += ((struct msg *)u->msgs.items[i])->dup;
	return n;
}

static void stats_add(struct corpus_stats *t, const struct corpus_stats *d)
{
	t->series += d->series;
	t->versions += d->versions;
	t->rfc_versions += d->rfc_versions;
	t->covers += d->covers;
	t->patches += d->patches;
	t->fixes += d->fixes;
	t->reviews += d->reviews;
	t->acked_by += d->acked_by;
	t->reviewed_by += d->reviewed_by;
	t->tested_by += d->tested_by;
	t->pw_bot_cr += d->pw_bot_cr;
	t->pw_bot_defer += d->pw_bot_defer;
	t->pw_bot_ignored += d->pw_bot_ignored;
	t->applied += d->applied;
	t->bot_notices += d->bot_notices;
	t->pulls += d->pulls;
	t->pull_titles += d->pull_titles;
	t->discussions += d->discussions;
	for (int i = 0; i < CORPUS_BROKEN_MAX; i++)
		t->broken[i] += d->broken[i];
	t->broken_total += d->broken_total;
}

static int write_file(struct gen *g, const struct msg *m, size_t unit_no,
		      struct err *err)
{
	FILE *f;

	if (!g->cur)
		goto counted;
	sbuf_reset(&g->path);
	sbuf_addf(&g->path, "%s/%lld.%zu_%zu.vger:2,S", g->cur,
		  (long long)m->date, unit_no, g->written + 1);
	f = fopen(g->path.buf, "w");
	if (!f)
		return err_set(err, ERR_IO, "%s: %s", g->path.buf,
			       strerror(errno));
	if (fwrite(m->text.buf, 1, m->text.len, f) != m->text.len) {
		int e = errno;

		fclose(f);
		return err_set(err, ERR_IO, "%s: %s", g->path.buf,
			       strerror(e));
	}
	if (fclose(f))
		return err_set(err, ERR_IO, "%s: %s", g->path.buf,
			       strerror(errno));
counted:
	g->written++;
	if (!g->st->first_date || m->date < g->st->first_date)
		g->st->first_date = m->date;
	if (m->date > g->st->last_date)
		g->st->last_date = m->date;
	return 0;
}

/* A netdev unit's counts, as the netdev part of the total. */
static void stats_add_netdev(struct corpus_netdev_stats *t,
			     const struct corpus_stats *d)
{
	t->series += d->series;
	t->versions += d->versions;
	t->patches += d->patches;
	t->net_patches += d->fixes;
	t->reviews += d->reviews;
	t->pw_bot_cr += d->pw_bot_cr;
	t->closed_letters += d->pw_bot_defer;
	t->applied += d->applied;
	t->bot_notices += d->bot_notices;
	t->discussions += d->discussions;
}

/* Write the unit's messages and add its counts to the total. */
int corpus_unit_commit(struct unit *u, struct err *err)
{
	struct gen *g = u->g;

	for (size_t i = 0; i < u->msgs.n; i++) {
		const struct msg *m = u->msgs.items[i];

		for (unsigned k = 0; k <= m->dup; k++)
			if (write_file(g, m, u->no, err))
				return -err->code;
		g->st->messages += 1 + m->dup;
		g->st->unique_messages++;
		g->st->threads += m->root;
		if (u->netdev) {
			g->netdev_written += 1 + m->dup;
			g->st->netdev.messages += 1 + m->dup;
			g->st->netdev.unique_messages++;
		}
	}
	if (u->netdev) {
		stats_add_netdev(&g->st->netdev, &u->d);
		/* broken threads are counted for both lists */
		for (int i = 0; i < CORPUS_BROKEN_MAX; i++)
			g->st->broken[i] += u->d.broken[i];
		g->st->broken_total += u->d.broken_total;
	} else {
		stats_add(g->st, &u->d);
	}
	for (size_t i = 0; i < u->applied.n; i++) {
		struct applied *a = u->applied.items[i];

		vec_push(&g->pending[a->tree], a);
	}
	u->applied.n = 0;
	return 0;
}

/* Weight of a day of the week: weekdays carry most of the traffic. */
static double day_weight(long day)
{
	int wd = date_weekday(day);

	return wd == 0 ? 0.25 : wd == 6 ? 0.3 : 1.0;
}

/* The time at fraction f of the corpus, weekdays weighing more. */
static time_t time_at(const struct gen *g, double f)
{
	double x = f * g->cum[g->days];
	unsigned lo = 0, hi = g->days;
	long day0 = date_of_time(g->start);

	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;

		if (g->cum[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	/* the list is busiest from 05:00 to 23:00 UTC */
	return g->start + (time_t)lo * DAY + 5 * HOUR +
	       (time_t)((x - g->cum[lo]) / day_weight(day0 + lo) * 18 * HOUR);
}

/* First time on the given weekday (0 = Sunday) after start, at hour. */
static time_t next_weekday(time_t start, int wday, int hour)
{
	long day = date_of_time(start);

	while (date_weekday(day) != wday)
		day++;
	return (time_t)day * DAY + hour * HOUR;
}

/* Pull requests due before t, for each tree; 0 or -code. */
static int emit_pulls(struct gen *g, time_t t, struct err *err)
{
	for (int tree = 0; tree < TREE_NBPF; tree++) {
		while (g->next_pull[tree] <= t) {
			time_t p = g->next_pull[tree];
			struct vec items = VEC_INIT, keep = VEC_INIT;
			struct unit u;
			int ret = 0;

			g->next_pull[tree] += 7 * DAY;
			if (g->o->messages - g->written < 2)
				continue;
			for (size_t i = 0; i < g->pending[tree].n; i++) {
				struct applied *a = g->pending[tree].items[i];

				vec_push(a->when < p ? &items : &keep, a);
			}
			vec_release(&g->pending[tree], NULL);
			g->pending[tree] = keep;
			if (!items.n)
				continue;
			corpus_unit_init(&u, g);
			p += (time_t)rng_below(&u.r, 10 * 3600);
			gen_pull(&u, (enum tree)tree, p, &items);
			ret = corpus_unit_commit(&u, err);
			corpus_unit_release(&u);
			vec_release(&items, corpus_applied_free);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * What the first units are, so that a corpus of about 200 messages
 * already has each kind and each broken case.
 */
enum unit_kind {
	K_SERIES, K_FIX, K_DISCUSSION, K_RFC, K_DEFER, K_BROKEN
};

struct scheduled {
	enum unit_kind kind;
	int broken;
};

static const struct scheduled schedule[] = {
	{ K_RFC, -1 },
	{ K_FIX, -1 },
	{ K_SERIES, CORPUS_BROKEN_NO_COVER },
	{ K_DISCUSSION, -1 },
	{ K_SERIES, CORPUS_BROKEN_REPLY_TO_OLD },
	{ K_FIX, CORPUS_BROKEN_DUPLICATE },
	{ K_SERIES, CORPUS_BROKEN_NO_REPLY_TO },
	{ K_SERIES, CORPUS_BROKEN_MISSING_PATCH },
	{ K_DEFER, -1 },
	{ K_SERIES, CORPUS_BROKEN_RESEND },
	{ K_SERIES, CORPUS_BROKEN_OUT_OF_ORDER },
	{ K_SERIES, -1 },
};

/* A list's mix of units, in percent, cumulative. */
struct mix {
	unsigned broken;	/* a series with a broken thread */
	unsigned broken_fix;	/* of those, fixes */
	unsigned discussion;
	unsigned fix;		/* a fix series; the rest are features */
};

static const struct mix bpf_mix = { 4, 20, 20, 38 };
static const struct mix netdev_mix = { 3, 30, 15, 45 };

/* The unit that k (0 to 99) picks in the mix. */
static void mixed_unit(struct unit *u, time_t t, unsigned k,
		       const struct mix *mx)
{
	if (k < mx->broken)
		corpus_gen_series(u, t, rng_pct(&u->r, mx->broken_fix),
				  (int)rng_below(&u->r, CORPUS_BROKEN_MAX),
				  0, 0, 0);
	else if (k < mx->discussion)
		gen_discussion(u, t, rng_range(&u->r, 1, 9));
	else if (k < mx->fix)
		corpus_gen_series(u, t, 1, -1, 0, 0, 0);
	else
		corpus_gen_series(u, t, 0, -1, 0, 0, 0);
}

/* A netdev unit: a net or net-next series or a discussion. */
static void build_netdev_unit(struct unit *u, time_t t, size_t remaining)
{
	unsigned k = rng_below(&u->r, 100);

	if (remaining < FILL_BELOW)
		gen_discussion(u, t, remaining < 6 ? remaining :
				  rng_range(&u->r, 1, 6));
	else
		mixed_unit(u, t, k, &netdev_mix);
}

/*
 * netdev's share of the files: 3.5 times bpf's (netdev carries three
 * to four times bpf's traffic).  Chosen by the files written so far,
 * so the mix holds at any size.
 */
static int netdev_turn(const struct gen *g)
{
	return g->o->netdev &&
	       g->netdev_written * 2 < (g->written - g->netdev_written) * 7;
}

static void build_unit(struct unit *u, time_t t, size_t remaining)
{
	size_t i;

	if (u->netdev) {
		build_netdev_unit(u, t, remaining);
		return;
	}
	if (remaining < FILL_BELOW) {
		gen_discussion(u, t, remaining < 6 ? remaining :
				     rng_range(&u->r, 1, 6));
		return;
	}
	if (u->g->st->series + u->g->st->discussions < ARRAY_SIZE(schedule)) {
		const struct scheduled *sc;

		i = u->g->st->series + u->g->st->discussions;
		sc = &schedule[i];
		switch (sc->kind) {
		case K_DISCUSSION:
			gen_discussion(u, t, rng_range(&u->r, 2, 5));
			return;
		case K_FIX:
			corpus_gen_series(u, t, 1, sc->broken, 1, 0, 0);
			return;
		case K_RFC:
			corpus_gen_series(u, t, 0, -1, 1, 1, 0);
			return;
		case K_DEFER:
			corpus_gen_series(u, t, 0, -1, 1, 0, 1);
			return;
		default:
			corpus_gen_series(u, t, 0, sc->broken, 1, 0, 0);
			return;
		}
	}
	mixed_unit(u, t, rng_below(&u->r, 100), &bpf_mix);
}

static const char *const broken_names[CORPUS_BROKEN_MAX] = {
	"no-reply-to", "reply-to-old", "no-cover", "missing-patch",
	"duplicate", "resend", "out-of-order",
};

const char *corpus_broken_name(enum corpus_broken b)
{
	return (unsigned)b < CORPUS_BROKEN_MAX ? broken_names[b] : "?";
}

void corpus_options_init(struct corpus_options *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->messages = 200;
}

/* Make outdir/{cur,new,tmp}; cur must hold no message yet. */
static int prepare_maildir(struct gen *g, struct err *err)
{
	static const char *const sub[] = { "cur", "new", "tmp" };
	DIR *d;
	struct dirent *de;

	for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
		char *p = path_join(g->o->outdir, sub[i]);
		int ret = fs_mkdir_p(p, err);

		if (i == 0)
			g->cur = p;
		else
			free(p);
		if (ret)
			return ret;
	}
	d = opendir(g->cur);
	if (!d)
		return err_set(err, ERR_IO, "%s: %s", g->cur, strerror(errno));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			closedir(d);
			return err_set(err, ERR_STATE, "%s is not empty: "
				       "generate into a new directory",
				       g->cur);
		}
	closedir(d);
	return 0;
}

/*
 * One run of the generator from start; into a maildir when write, else
 * only counting (the stats as if written).
 */
static int generate(const struct corpus_options *o, time_t start,
		    int write, struct corpus_stats *stats, struct err *err)
{
	struct gen g;
	long day0;
	size_t per_day;
	int ret = 0;

	memset(&g, 0, sizeof(g));
	g.o = o;
	g.st = stats;
	memset(g.st, 0, sizeof(*g.st));
	sbuf_init(&g.path);
	g.start = start;
	/* about 275 messages a day, as on the real list; 1,250 both */
	per_day = o->netdev ? 1250 : 275;
	g.days = o->days ? o->days :
		 (unsigned)(o->messages / per_day > 21 ?
			    o->messages / per_day : 21);
	g.cum = xcalloc(g.days + 1, sizeof(*g.cum));
	day0 = date_of_time(g.start);
	for (unsigned d = 0; d < g.days; d++)
		g.cum[d + 1] = g.cum[d] + day_weight(day0 + (long)d);
	g.next_pull[TREE_NEXT] = next_weekday(g.start + DAY, 5, 1);
	g.next_pull[TREE_BPF] = next_weekday(g.start + DAY, 3, 16);
	g.next_net_pull = next_weekday(g.start + DAY, 4, 17);
	g.next_subtree = next_weekday(g.start + DAY, 2, 9);
	corpus_netdev_init(&g);
	if (write)
		ret = prepare_maildir(&g, err);
	while (!ret && g.written < o->messages) {
		size_t remaining;
		time_t t = time_at(&g, (double)g.written /
				       (double)o->messages);
		struct unit u;

		ret = emit_pulls(&g, t, err);
		if (!ret && o->netdev)
			ret = corpus_emit_netdev(&g, t, err);
		if (ret || g.written >= o->messages)
			break;
		remaining = o->messages - g.written;
		corpus_unit_init(&u, &g);
		u.netdev = netdev_turn(&g);
		build_unit(&u, t, remaining);
		if (unit_files(&u) > remaining) {
			int netdev = u.netdev;

			corpus_unit_release(&u);
			corpus_unit_init(&u, &g);
			u.netdev = netdev;
			build_unit(&u, t, remaining < FILL_BELOW ? remaining :
					  FILL_BELOW - 1);
		}
		ret = corpus_unit_commit(&u, err);
		corpus_unit_release(&u);
	}
	for (int i = 0; i < TREE_MAX; i++)
		vec_release(&g.pending[i], corpus_applied_free);
	free(g.cum);
	free(g.cur);
	sbuf_release(&g.path);
	return ret;
}

int corpus_generate(const struct corpus_options *o,
		    struct corpus_stats *stats, struct err *err)
{
	struct corpus_stats local;
	time_t start = o->start ? o->start :
		       (time_t)date_from_civil(2025, 1, 6) * DAY;

	if (!o->outdir || !*o->outdir)
		return err_set(err, ERR_USAGE, "no output directory");
	if (o->messages < 1 || o->messages > MESSAGES_MAX)
		return err_set(err, ERR_USAGE, "messages must be 1 to %u, "
			       "not %zu", MESSAGES_MAX, o->messages);
	if (o->days > DAYS_MAX)
		return err_set(err, ERR_USAGE, "days must be at most %u",
			       DAYS_MAX);
	if (!stats)
		stats = &local;
	/*
	 * To end by a day, a dry run finds the last message's date; the
	 * corpus then moves by whole weeks (its weekdays stay weekdays,
	 * so it is the same corpus, later) to end in the week before.
	 */
	if (o->end && !o->start) {
		int ret = generate(o, start, 0, stats, err);

		if (ret)
			return ret;
		if (o->end > stats->last_date)
			start += (o->end - stats->last_date) / (7 * DAY) *
				 (7 * DAY);
	}
	return generate(o, start, 1, stats, err);
}
