/*
 * bench/gen-corpus: write a demo or benchmark corpus of bpf list
 * traffic (with --netdev, netdev's mixed in) into a maildir and print
 * what it holds.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus/corpus.h"
#include "util/date.h"
#include "util/err.h"

static const char usage[] =
	"usage: gen-corpus [--seed N] [--messages N] [--start YYYY-MM-DD]\n"
	"                  [--days N] [--netdev] [--quiet] OUTDIR\n"
	"       gen-corpus --version\n";

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static void print_stats(const struct corpus_stats *st, double secs)
{
	const struct corpus_netdev_stats *nd = &st->netdev;
	char a[32], b[32];

	date_format_iso(st->first_date, a, sizeof(a));
	date_format_iso(st->last_date, b, sizeof(b));
	printf("messages     %zu (%zu unique)\n", st->messages,
	       st->unique_messages);
	printf("threads      %zu\n", st->threads);
	printf("series       %zu (%zu versions, %zu RFC)\n", st->series,
	       st->versions, st->rfc_versions);
	printf("covers       %zu\npatches      %zu (%zu fixes)\n", st->covers,
	       st->patches, st->fixes);
	printf("reviews      %zu (acked %zu, reviewed %zu, tested %zu)\n",
	       st->reviews, st->acked_by, st->reviewed_by, st->tested_by);
	printf("pw-bot       cr %zu, defer %zu, from others %zu\n",
	       st->pw_bot_cr, st->pw_bot_defer, st->pw_bot_ignored);
	printf("applied      %zu\nbot notices  %zu\n", st->applied,
	       st->bot_notices);
	printf("pulls        %zu (%zu titles)\n", st->pulls, st->pull_titles);
	printf("discussions  %zu\nbroken       %zu:", st->discussions,
	       st->broken_total);
	for (int i = 0; i < CORPUS_BROKEN_MAX; i++)
		printf(" %s %zu", corpus_broken_name(i), st->broken[i]);
	printf("\ndates        %s .. %s\n", a, b);
	if (nd->messages) {
		printf("bpf          %zu messages\n",
		       st->messages - nd->messages);
		printf("netdev       %zu messages (%.2fx bpf)\n", nd->messages,
		       (double)nd->messages /
		       (double)(st->messages - nd->messages ?
				st->messages - nd->messages : 1));
		printf("  series     %zu (%zu versions, %zu patches, %zu to "
		       "net)\n", nd->series, nd->versions, nd->patches,
		       nd->net_patches);
		printf("  reviews    %zu\n  pw-bot     cr %zu, closed %zu\n",
		       nd->reviews, nd->pw_bot_cr, nd->closed_letters);
		printf("  applied    %zu\n  bots       %zu\n", nd->applied,
		       nd->bot_notices);
		printf("  pulls      %zu to Linus, %zu from sub-trees\n",
		       nd->linus_pulls, nd->subtree_pulls);
		printf("  ann        %zu\n  discussions %zu\n", nd->ann,
		       nd->discussions);
	}
	printf("seconds      %.2f\n", secs);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "messages", required_argument, NULL, 'n' },
		{ "start", required_argument, NULL, 'S' },
		{ "days", required_argument, NULL, 'd' },
		{ "netdev", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct corpus_options o;
	struct corpus_stats st;
	struct err err = ERR_INIT;
	struct timespec t0, t1;
	unsigned long v;
	long day;
	int c, quiet = 0;

	corpus_options_init(&o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:s:n:S:d:NqhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_ulong(optarg, (unsigned long)-1, &v))
				goto bad_value;
			o.seed = v;
			break;
		case 'n':
			if (parse_ulong(optarg, 5000000, &v) || !v)
				goto bad_value;
			o.messages = v;
			break;
		case 'S':
			if (date_parse_ymd(optarg, &day))
				goto bad_value;
			o.start = (time_t)day * 86400;
			break;
		case 'd':
			if (parse_ulong(optarg, 36500, &v) || !v)
				goto bad_value;
			o.days = (unsigned)v;
			break;
		case 'N':
			o.netdev = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("gen-corpus format %d\n", CORPUS_FORMAT);
			return 0;
		default:
			fprintf(stderr, "gen-corpus: bad option %s\n%s",
				argv[optind - 1], usage);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return 2;
	}
	o.outdir = argv[optind];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (corpus_generate(&o, &st, &err) < 0) {
		fprintf(stderr, "gen-corpus: %s\n", err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!quiet)
		print_stats(&st, (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;

bad_value:
	fprintf(stderr, "gen-corpus: bad value for %s: %s\n%s",
		argv[optind - 1], optarg, usage);
	return 2;
}
