/*
 * What the files of corpus/ share and nothing else includes: the
 * generator's PRNG, people, words and code (the tables are in
 * corpus/data.h), messages and units.
 *
 *   data.c     the tables: people, topics, sentences, code snippets
 *   message.c  one message: addresses, dates, wrapped text, diffstats,
 *              headers, Message-IDs, replies, patchwork-bot notices
 *   series.c   a series with all its versions, reviews and outcome
 *   gen.c      discussions, pull requests, units, time and the loop
 *              behind corpus_generate()
 */
#ifndef CORPUS_PRIVATE_H
#define CORPUS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "corpus/corpus.h"
#include "util/sbuf.h"
#include "util/vec.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define DAY 86400L
#define HOUR 3600L

/* ---------------------------------------------------------------- */
/* A small deterministic PRNG: splitmix64, one stream per unit.      */

struct rng {
	uint64_t s;
};

static inline uint64_t rng_u64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline unsigned rng_below(struct rng *r, unsigned n)
{
	return n ? (unsigned)(rng_u64(r) % n) : 0;
}

/* lo..hi inclusive */
static inline unsigned rng_range(struct rng *r, unsigned lo, unsigned hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static inline int rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

#define PICK(r, a) ((a)[rng_below((r), ARRAY_SIZE(a))])

static inline void rng_hex(struct rng *r, char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		out[i] = hex[rng_below(r, 16)];
	out[n] = '\0';
}

/*
 * Most people answer on weekdays: a reply that falls on a weekend moves
 * to Monday, three times in four.  Never earlier, so replies still
 * follow what they answer.
 */
static inline time_t busy(struct rng *r, time_t t)
{
	long day = (long)(t / 86400);
	int wd = (int)((day + 4) % 7);	/* 1970-01-01 was a Thursday */

	if ((wd == 0 || wd == 6) && rng_pct(r, 75))
		t += (wd == 6 ? 2 : 1) * 86400L;
	return t;
}

/* ---------------------------------------------------------------- */
/* People.                                                           */

enum reply_style { STYLE_GMAIL, STYLE_MUTT, STYLE_TBIRD };

struct person {
	const char *name;	/* UTF-8 */
	const char *email;
	short tz;		/* minutes east of UTC */
	unsigned char style;
};

/* The BPF maintainers (MAINTAINERS: BPF [GENERAL] and friends). */
enum {
	P_AST, P_DANIEL, P_ANDRII, P_MARTIN, P_EDUARD, P_KUMAR,
	P_NMAINT,	/* above: pw-bot commands are theirs */
	P_YONGHONG = P_NMAINT, P_SONG, P_JOHN, P_JIRI, P_KP, P_STAN,
	P_HAO, P_NREVIEW
};

/* ---------------------------------------------------------------- */
/* Dates.                                                            */

enum day_fmt { DAY_PLAIN, DAY_SPACE, DAY_ZERO };

/* ---------------------------------------------------------------- */
/* Words.  Series are made of a topic (an object and where it lives)  */
/* and patches that touch the files of an area.                      */

struct topic {
	const char *phrase;	/* "precision tracking for spilled regs" */
	const char *ident;	/* snake_case: tests, functions */
	unsigned area;		/* enum area of the main patch */
};

/*
 * Most of the time, what a title names besides its topic, appended: a
 * function of it or a case (corpus/series.c).
 */
void corpus_title_detail(struct rng *r, const struct topic *t,
			 struct sbuf *sb);

enum area {
	A_VERIFIER, A_CORE, A_NET, A_LIBBPF, A_SELFTESTS, A_BPFTOOL,
	A_X86, A_ARM64, A_SOCKMAP, A_TRACE,
	/* netdev's (corpus_netdev_topics) */
	A_NETCORE, A_TCP, A_IPV6, A_MLX5, A_ICE, A_PHY, A_NETSEL, A_MAX
};

static inline int area_is_selftests(unsigned area)
{
	return area == A_SELFTESTS || area == A_NETSEL;
}

/* A netdev sub-tree whose pull requests go to net and net-next. */
struct subtree {
	struct person from;
	const char *name;	/* "wireless": "wireless-next" for net-next */
	const char *subject;	/* {T} net(-next), {S} the tree, {D} date */
	const char *repo;	/* under pub/scm/linux/kernel/git/ */
	const char *prefix;	/* of its commits' titles */
};

/* ---------------------------------------------------------------- */
/* Diffstat, as git's show_stats() lays it out.                      */

struct fstat {
	char *path;
	unsigned add, del;
	int created;
};

/* ---------------------------------------------------------------- */
/* Messages and units.                                               */

/* bpf's trees first, then netdev's (TREE_NBPF of them are bpf's). */
enum tree { TREE_BPF, TREE_NEXT, TREE_NET, TREE_NETNEXT, TREE_MAX };
#define TREE_NBPF 2

struct msg {
	time_t date;
	int tz;
	char *id;		/* without <> */
	char *subject;		/* unfolded */
	char *refs;		/* this message's References, "" for none */
	const struct person *from;
	struct sbuf text;	/* headers and body */
	size_t body_off;	/* where the body starts in text */
	unsigned dup : 1;	/* written twice */
	unsigned root : 1;	/* no In-Reply-To: starts a thread */
};

/* A series version applied to a tree, waiting for its pull request. */
struct applied {
	enum tree tree;
	time_t when;
	char *author;		/* name */
	char *summary;		/* cover title without the area prefix */
	char *slug;		/* merge branch name, NULL for one patch */
	const struct person *applier;
	struct vec titles;	/* char *: one per patch */
	struct vec files;	/* struct fstat * */
	struct vec thanks;	/* char *: reviewers' names */
};

struct gen {
	const struct corpus_options *o;
	struct corpus_stats *st;
	char *cur;		/* NULL: a dry run, nothing written */
	size_t written;
	time_t start;
	unsigned days;
	double *cum;		/* weight of days before day d */
	struct vec pending[TREE_MAX];	/* struct applied * */
	time_t next_pull[TREE_MAX];
	size_t unit_no;
	unsigned long send_no;	/* git send-email runs, for the pid */
	struct sbuf path;
	/* netdev mode (o->netdev): */
	size_t netdev_written;	/* files of netdev units */
	time_t next_net_pull;	/* Thursdays: net to Linus */
	time_t next_subtree;	/* sub-trees' pulls to net(-next) */
	unsigned subtree_no;
	unsigned cycle_done;	/* release cycles announced */
};

struct unit {
	struct gen *g;
	struct rng r;
	size_t no;
	struct vec msgs;	/* struct msg * */
	int netdev;		/* netdev traffic: d goes to stats->netdev */
	struct corpus_stats d;	/* added to the total when written */
	struct vec applied;	/* struct applied *, then pending */
};

/*
 * Code the hunks are cut from, per kind of file: context and removed
 * lines come from an "old" block, added lines from a "new" one, so a
 * hunk reads as one piece of code.  "%s" is the topic's identifier.
 */
struct code {
	const char *func;	/* the hunk header's function, or "" */
	const char *const *old_lines, *const *new_lines;
	unsigned n_old, n_new;
};

enum code_kind { C_KERNEL, C_USER, C_TEST, C_PROG, C_HEADER, C_MAP, C_MAKE,
		 C_RST, C_MAX };

/* ---------------------------------------------------------------- */
/* message.c                                                         */

/* "Name <addr>", the name RFC 2047 Q-encoded when not ASCII. */
void corpus_add_addr(struct sbuf *sb, const struct person *p);
/* "a, b, c" of people plus raw addresses, as a header value. */
void corpus_add_addr_list(struct sbuf *sb, const struct person *const *ps,
			  size_t n, const char *const *raw, size_t nraw);
/* RFC 5322's date, "Tue, 20 Sep 2022 08:15:21 -0600". */
void corpus_add_date(struct sbuf *sb, time_t t, int tz);
/* git's date, "2025-01-06 12:34:56 -0800". */
void corpus_add_git_date(struct sbuf *sb, time_t t, int tz);
/* Append words of text wrapped at width, first/next line prefixes. */
void corpus_add_wrapped(struct sbuf *sb, const char *text, size_t width,
			const char *first, const char *next);
/* Fill a template: every "%s" is arg, "%%" is '%'. */
void corpus_add_tmpl(struct sbuf *sb, const char *tmpl, const char *arg);
/* corpus_add_tmpl() into a new string; the caller frees. */
char *corpus_tmpl_dup(const char *tmpl, const char *arg);

/* Digits of n. */
unsigned corpus_decimal_width(unsigned long n);
/* files: struct fstat *; width 72 (format-patch) or 80 (request-pull) */
void corpus_add_diffstat(struct sbuf *sb, const struct vec *files,
			 unsigned width);
/* Add (path, add, del) into a list of struct fstat, merging by path. */
void corpus_fstat_merge(struct vec *files, const struct fstat *in);
/* By path, for vec_sort() of struct fstat *. */
int corpus_fstat_cmp(const void *a, const void *b);
void corpus_fstat_free(void *p);

/*
 * Start a message of the unit: headers are written, the body follows
 * in m->text.  parent: the message replied to (NULL for a thread
 * root); the id is the caller's string (taken).
 */
struct msg *corpus_msg_start(struct unit *u, const struct person *from,
			     time_t date, enum day_fmt df, char *id,
			     const char *subject, const char *to,
			     const char *cc, const struct msg *parent,
			     const char *mailer);
void corpus_msg_free(void *p);
/* git send-email's id: 20250106123456.12345-2-jane.doe@example.com */
char *corpus_id_sendemail(time_t t, unsigned long pid, unsigned n,
			  const struct person *p);
/* A mail client's id in the style of the sender's client. */
char *corpus_id_client(struct unit *u, const struct person *p);
/*
 * Quote up to max lines of the parent's body from line `from`, "> "
 * before each (">" alone for empty lines); stops at the signature.
 * Returns the line after the last quoted one.
 */
unsigned corpus_add_quote(struct sbuf *sb, const struct msg *parent,
			  unsigned from, unsigned max);
/* Start a reply from `from` to parent: headers, attribution, quote. */
struct msg *corpus_reply_start(struct unit *u, const char *cc,
			       const struct person *from, time_t t,
			       struct msg *parent, unsigned quote);
/*
 * Start the patchwork-bot's notice that `what` was applied to `where`
 * by `by`: parent is the cover letter, the first patch or the pull
 * request.  The caller adds the summary and corpus_bot_tail.
 */
struct msg *corpus_bot_start(struct unit *u, time_t when, struct msg *parent,
			     const char *cc, const char *what,
			     const char *where, const struct person *by);

/* ---------------------------------------------------------------- */
/* series.c                                                          */

/*
 * A series with all its versions, posted from t on, with its reviews
 * and outcome; fix: to the bpf tree with Fixes:; broken: enum
 * corpus_broken or -1; small: few patches and versions; force_rfc and
 * force_defer: what the schedule asks for.
 */
void corpus_gen_series(struct unit *u, time_t t, int fix, int broken,
		       int small, int force_rfc, int force_defer);

/* ---------------------------------------------------------------- */
/* netdev.c                                                          */

/*
 * The release cycle the corpus assumes (9 weeks from v6.13 on
 * 2025-01-19): is net-next closed at t (the merge window)?  *version
 * gets the release whose merge window it is ("6.14" style, 8 bytes),
 * *reopen the day net-next reopens.
 */
int corpus_netnext_closed(time_t t, char *version, size_t size,
			  time_t *reopen);
/*
 * netdev's scheduled mail due before t: [ANN] net-next is CLOSED/OPEN,
 * the weekly net pull to Linus (and at a merge window net-next's), the
 * sub-trees' pull requests, with the bots' answers.  0 or -code.
 */
int corpus_emit_netdev(struct gen *g, time_t t, struct err *err);

/* The first of netdev's scheduled mails after g->start. */
void corpus_netdev_init(struct gen *g);

/* gen.c, for netdev.c */
void corpus_unit_init(struct unit *u, struct gen *g);
void corpus_unit_release(struct unit *u);
int corpus_unit_commit(struct unit *u, struct err *err);
void corpus_applied_free(void *p);
/* git shortlog of (author, title) pairs: add, print sorted, free. */
void corpus_shortlog_add(struct vec *authors, const char *name,
			 const char *title);
void corpus_shortlog_print(struct sbuf *sb, struct vec *authors);
void corpus_shortlog_free(void *p);

#endif
