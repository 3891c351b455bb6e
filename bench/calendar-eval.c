/*
 * Evaluate the merge-window prediction on the real history: for every
 * day from 2015-01-01 to 2026-08-01, ask the model (which uses only the
 * facts dated on or before that day) when the next merge window opens
 * (the next release) and closes (its rc1), and compare with what
 * happened; side by side with the simple rule "release = last release
 * + 63 days" (and its window closing 14 days later).  Prints a
 * Markdown table of mean absolute errors in days by cycle phase.
 *
 * usage: bench/calendar-eval [FIRST LAST]   (dates YYYY-MM-DD)
 */
#include <stdio.h>
#include <stdlib.h>

#include "calendar/cal.h"
#include "calendar/private.h"
#include "util/date.h"
#include "util/err.h"

enum { PHASE_WINDOW, PHASE_RC1, PHASE_RC8 = PHASE_RC1 + 7, PHASE_RC5_UP,
       PHASE_ALL, NPHASE };

struct acc {
	long n_open, n_close, close_within_1;
	double open, open_naive, close, close_naive;
	long open_within_3;
};

static long labs_(long x)
{
	return x < 0 ? -x : x;
}

static void add(struct acc *a, long open_err, long open_naive_err,
		int have_close, long close_err, long close_naive_err)
{
	a->n_open++;
	a->open += labs_(open_err);
	a->open_naive += labs_(open_naive_err);
	a->open_within_3 += labs_(open_err) <= 3;
	if (!have_close)
		return;
	a->n_close++;
	a->close += labs_(close_err);
	a->close_naive += labs_(close_naive_err);
	a->close_within_1 += labs_(close_err) <= 1;
}

static const char *phase_name(int p, char *buf, size_t size)
{
	if (p == PHASE_WINDOW)
		return "merge window";
	if (p == PHASE_ALL)
		return "**all days**";
	if (p == PHASE_RC8)
		return "rc8 or later";
	if (p == PHASE_RC5_UP)
		return "*rc5 or later*";
	snprintf(buf, size, "rc%d", p - PHASE_RC1 + 1);
	return buf;
}

static double mean(double sum, long n)
{
	return n ? sum / (double)n : 0.0;
}

int main(int argc, char **argv)
{
	struct acc acc[NPHASE] = { { 0 } };
	struct cal *cal = cal_open_shipped();
	long first, last;
	size_t nrel = cal_shipped_count;
	long *rel = calloc(nrel, sizeof(*rel)), *rc1 = calloc(nrel,
							       sizeof(*rc1));

	if (date_parse_ymd(argc > 2 ? argv[1] : "2015-01-01", &first) ||
	    date_parse_ymd(argc > 2 ? argv[2] : "2026-08-01", &last)) {
		fprintf(stderr, "usage: calendar-eval [FIRST LAST]\n");
		return 2;
	}
	/* The truth: the shipped table, in version order. */
	for (size_t i = 0; i < nrel; i++) {
		if (date_parse_ymd(cal_shipped[i].release, &rel[i]))
			return 1;
		rc1[i] = -1;
		if (*cal_shipped[i].rc1 &&
		    date_parse_ymd(cal_shipped[i].rc1, &rc1[i]))
			return 1;
	}
	for (long day = first; day <= last; day++) {
		struct cal_window w;
		struct err err = ERR_INIT;
		size_t i = nrel;
		long open_true, close_true, pred_close, naive_open;
		long naive_close;
		int in_window, phase;

		if (cal_state_at(cal, day, &w, &err) < 0) {
			fprintf(stderr, "calendar-eval: %s\n", err.msg);
			return 1;
		}
		while (i > 0 && rel[i - 1] > day)
			i--;
		if (!i || i >= nrel)
			continue;	/* no next release to compare with */
		i--;
		in_window = rc1[i + 1] == -1 ? w.merge_window_open :
			    day < rc1[i + 1];
		open_true = rel[i + 1];
		if (in_window)
			close_true = rc1[i + 1];
		else
			close_true = i + 2 < nrel ? rc1[i + 2] : -1;
		pred_close = w.merge_window_open ? w.rc1_day :
			     w.next_window_close;
		naive_open = rel[i] + 63;
		naive_close = in_window ? rel[i] + 14 : naive_open + 14;
		if (w.merge_window_open)
			phase = PHASE_WINDOW;
		else if (w.rc >= 8)
			phase = PHASE_RC8;
		else
			phase = PHASE_RC1 + w.rc - 1;
		for (int p = 0; p < 3; p++) {
			int to = p == 0 ? phase : p == 1 ? PHASE_ALL :
				 PHASE_RC5_UP;

			if (p == 2 && (phase == PHASE_WINDOW ||
				       phase < PHASE_RC1 + 4))
				continue;
			add(&acc[to],
			    w.next_window_expected - open_true,
			    naive_open - open_true, close_true != -1,
			    pred_close - close_true, naive_close - close_true);
		}
	}
	{
		char a[16], b[16];

		date_format_ymd(first, a, sizeof(a));
		date_format_ymd(last, b, sizeof(b));
		printf("Every day from %s to %s; mean absolute error in "
		       "days.\n\n", a, b);
	}
	printf("| phase (model's view) | days | opening: model | opening: "
	       "naive +63 | opening within 3 d | closing (rc1): model | "
	       "closing: naive | closing within 1 d |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int p = 0; p < NPHASE; p++) {
		struct acc *a = &acc[p];
		char buf[16];

		if (!a->n_open)
			continue;
		printf("| %s | %ld | %.2f | %.2f | %.0f%% | %.2f | %.2f | "
		       "%.0f%% |\n", phase_name(p, buf, sizeof(buf)),
		       a->n_open, mean(a->open, a->n_open),
		       mean(a->open_naive, a->n_open),
		       100.0 * mean((double)a->open_within_3, a->n_open),
		       mean(a->close, a->n_close),
		       mean(a->close_naive, a->n_close),
		       100.0 * mean((double)a->close_within_1, a->n_close));
	}
	free(rel);
	free(rc1);
	cal_free(cal);
	return 0;
}
