/*
 * A generator of realistic bpf@vger.kernel.org traffic as a maildir,
 * for `vger demo`, the tests and the benchmarks: patch series in
 * several versions with cover letters and diffs, reviews with trailers,
 * maintainers' pw-bot commands, patchwork-bot notices, weekly pull
 * requests, discussions, and threads that break the rules.
 *
 * The output is a function of the options only: the same seed and
 * options give byte-identical files.  Memory stays bounded: the corpus
 * is written series by series.
 */
#ifndef CORPUS_CORPUS_H
#define CORPUS_CORPUS_H

/*
 * What the generator makes, as a number: a corpus made by another is
 * made again (bench/corpus-lib.sh).  2: titles name a function or a
 * case besides the topic.
 */
#define CORPUS_FORMAT 2

#include <stddef.h>
#include <time.h>

struct err;

struct corpus_options {
	unsigned long seed;
	size_t messages;	/* files to write, exactly; at least 1 */
	const char *outdir;	/* maildir root: cur/, new/, tmp/ made */
	time_t start;		/* the first day (UTC); 0: 2025-01-06 */
	unsigned days;		/* span of the corpus; 0: from messages */
	time_t end;		/* without start: end in the week before */
	int netdev;		/* mix in netdev traffic, ~3.5x bpf's */
};

/* seed 1, 200 messages, start and days derived, outdir NULL. */
void corpus_options_init(struct corpus_options *o);

/* Threads that break the rules; each is counted in the stats. */
enum corpus_broken {
	CORPUS_BROKEN_NO_REPLY_TO,	/* patches without In-Reply-To */
	CORPUS_BROKEN_REPLY_TO_OLD,	/* a vN sent as a reply to v(N-1) */
	CORPUS_BROKEN_NO_COVER,		/* a series without a cover */
	CORPUS_BROKEN_MISSING_PATCH,	/* a patch of a series never came */
	CORPUS_BROKEN_DUPLICATE,	/* one message in two files */
	CORPUS_BROKEN_RESEND,		/* a RESEND of the same version */
	CORPUS_BROKEN_OUT_OF_ORDER,	/* patches dated before their cover */
	CORPUS_BROKEN_MAX
};

/* "no-reply-to", "reply-to-old", ...: a static string. */
const char *corpus_broken_name(enum corpus_broken b);

/* The netdev traffic of a corpus made with options.netdev. */
struct corpus_netdev_stats {
	size_t messages;	/* files of netdev traffic */
	size_t unique_messages;
	size_t series;		/* net and net-next series */
	size_t versions;
	size_t patches;
	size_t net_patches;	/* of them to net (fixes) */
	size_t reviews;		/* replies with a review trailer */
	size_t pw_bot_cr;
	size_t closed_letters;	/* "net-next is closed" form letters */
	size_t applied;
	size_t bot_notices;	/* patchwork-bot and pr-tracker-bot */
	size_t linus_pulls;	/* "[GIT PULL] Networking for v6.x" */
	size_t subtree_pulls;	/* "pull-request: wireless-next-..." */
	size_t ann;		/* "[ANN] net-next is OPEN/CLOSED" */
	size_t discussions;
};

/*
 * What a corpus holds.  With options.netdev the fields up to broken
 * count the bpf traffic (messages, unique_messages and threads both
 * lists), netdev the netdev traffic.
 */
struct corpus_stats {
	size_t messages;	/* files written (== options.messages) */
	size_t unique_messages;	/* distinct Message-IDs */
	size_t threads;		/* threads as notmuch joins them */
	size_t series;		/* series, counting all versions as one */
	size_t versions;	/* versions posted (resends not counted) */
	size_t rfc_versions;	/* versions posted as RFC */
	size_t covers;		/* cover letters written */
	size_t patches;		/* patch messages (a duplicate once) */
	size_t fixes;		/* patches to the bpf tree with Fixes: */
	size_t reviews;		/* replies carrying a review trailer */
	size_t acked_by, reviewed_by, tested_by;	/* trailers given */
	size_t pw_bot_cr, pw_bot_defer;	/* maintainers' pw-bot lines */
	size_t pw_bot_ignored;	/* "pw-bot: cr" from a non-maintainer */
	size_t applied;		/* series versions applied */
	size_t bot_notices;	/* patchwork-bot messages (series + pulls) */
	size_t pulls;		/* pull requests */
	size_t pull_titles;	/* shortlog lines naming applied patches */
	size_t discussions;	/* discussion threads */
	size_t broken[CORPUS_BROKEN_MAX];
	size_t broken_total;
	time_t first_date, last_date;	/* Date: range of all messages */
	struct corpus_netdev_stats netdev;
};

/*
 * Write o->messages messages into the maildir o->outdir (created when
 * missing; its cur/ must be empty) and fill *stats (may be NULL).
 * Every kind of message and every broken case appears at least once
 * from about 200 messages on (see doc/README-corpus.md).  0, or a
 * negative err code: ERR_USAGE for bad options, ERR_STATE for a
 * non-empty cur/, ERR_IO naming the file that could not be written.
 */
int corpus_generate(const struct corpus_options *o,
		    struct corpus_stats *stats, struct err *err);

#endif
