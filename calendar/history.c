/*
 * The release history: facts (a version's release or -rcN and its day)
 * from every source, merged by trust, with the ones that contradict the
 * order of versions dropped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/private.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

const char *cal_source_name(enum cal_source src)
{
	switch (src) {
	case CAL_SOURCE_GIT:
		return "git tags";
	case CAL_SOURCE_RELEASES:
		return "releases.json";
	case CAL_SOURCE_ANN:
		return "net-next announcement";
	case CAL_SOURCE_STATUS:
		return "net-next status page";
	case CAL_SOURCE_SHIPPED:
		return "shipped history";
	case CAL_SOURCE_MODEL:
		return "merge-window model";
	case CAL_SOURCE_NONE:
		break;
	}
	return "none";
}

int cal_parse_version(const char *s, int allow_v, struct cal_fact *out)
{
	const char *p = s;
	unsigned long major, minor, rc = 0;

	if (allow_v && *p == 'v')
		p++;
	if (scan_uint(&p, &major, 2) || scan_expect(&p, '.') ||
	    scan_uint(&p, &minor, 3))
		return -1;
	if (*p == '-') {
		if (scan_literal(&p, "-rc", 0) || scan_uint(&p, &rc, 2) ||
		    rc < 1 || rc > CAL_RC_MAX)
			return -1;
	}
	if (*p || major < 2)
		return -1;
	out->major = (int)major;
	out->minor = (int)minor;
	out->rc = (int)rc;
	return 0;
}

void cal_note_add(struct cal *cal, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vec_push(&cal->notes, sbuf_detach(&sb));
}

size_t cal_note_count(const struct cal *cal)
{
	return cal->notes.n;
}

const char *cal_note(const struct cal *cal, size_t i)
{
	return i < cal->notes.n ? cal->notes.items[i] : NULL;
}

static int version_cmp(int amaj, int amin, int bmaj, int bmin)
{
	if (amaj != bmaj)
		return amaj < bmaj ? -1 : 1;
	if (amin != bmin)
		return amin < bmin ? -1 : 1;
	return 0;
}

static struct cal_version *version_get(struct cal *cal, int major, int minor)
{
	size_t lo = 0, hi = cal->n;
	struct cal_version *v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = version_cmp(cal->v[mid].major, cal->v[mid].minor,
				    major, minor);

		if (!c)
			return &cal->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ALLOC_GROW(cal->v, cal->n + 1, cal->alloc);
	memmove(&cal->v[lo + 1], &cal->v[lo],
		(cal->n - lo) * sizeof(*cal->v));
	cal->n++;
	v = &cal->v[lo];
	memset(v, 0, sizeof(*v));
	v->major = major;
	v->minor = minor;
	v->release = -1;
	for (int i = 0; i <= CAL_RC_MAX; i++)
		v->rc[i] = -1;
	return v;
}

void cal_add_fact(struct cal *cal, const struct cal_fact *f,
		  enum cal_source src)
{
	struct cal_version *v = version_get(cal, f->major, f->minor);
	long *day = f->rc ? &v->rc[f->rc] : &v->release;
	enum cal_source *s = f->rc ? &v->rc_src[f->rc] : &v->release_src;

	/* A lower enum value is a more trusted source. */
	if (*day != -1 && *s < src)
		return;
	*day = f->day;
	*s = src;
}

void cal_load_shipped(struct cal *cal)
{
	long newest = -1;

	for (size_t i = 0; i < cal_shipped_count; i++) {
		const struct cal_shipped *r = &cal_shipped[i];
		struct cal_fact f = { r->major, r->minor, 0, -1 };

		/* The generator checked the form; a bad date is a BUG. */
		if (date_parse_ymd(r->release, &f.day))
			BUG("shipped history: bad date %s", r->release);
		cal_add_fact(cal, &f, CAL_SOURCE_SHIPPED);
		if (f.day > newest)
			newest = f.day;
		if (*r->rc1) {
			f.rc = 1;
			if (date_parse_ymd(r->rc1, &f.day))
				BUG("shipped history: bad date %s", r->rc1);
			cal_add_fact(cal, &f, CAL_SOURCE_SHIPPED);
			if (f.day > newest)
				newest = f.day;
		}
	}
	cal->newest[CAL_SOURCE_SHIPPED] = newest;
}

/* Sort key: vX.Y-rc1 < ... < vX.Y-rc15 < vX.Y < vX.(Y+1)-rc1. */
static long fact_key(const struct cal_fact *f)
{
	return ((long)f->major * 1000 + f->minor) * 100 +
	       (f->rc ? f->rc : 99);
}

static int fact_cmp(const void *a, const void *b)
{
	long ka = fact_key(*(struct cal_fact *const *)a);
	long kb = fact_key(*(struct cal_fact *const *)b);

	return ka < kb ? -1 : ka > kb;
}

static void fact_name(const struct cal_fact *f, char *out, size_t size)
{
	char day[16];
	char ver[32];

	cal_version_string(f->major, f->minor, f->rc, ver, sizeof(ver));
	date_format_ymd(f->day, day, sizeof(day));
	snprintf(out, size, "%s (%s)", ver, day);
}

/*
 * Keep the largest set of facts whose days grow with the version (a
 * longest increasing subsequence, O(n^2) on a few hundred facts) and
 * drop the rest with a note: one tag with a wrong date must not push
 * out the many right ones around it.  facts is sorted by version.
 * Returns a flag array (1 = keep) the caller frees.
 */
static char *consistent_subset(struct cal *cal, struct vec *facts,
			       const char *what)
{
	size_t n = facts->n, best = 0, dropped = 0;
	size_t *len = xcalloc(n ? n : 1, sizeof(*len));
	size_t *prev = xcalloc(n ? n : 1, sizeof(*prev));
	char *keep = xcalloc(n ? n : 1, 1);

	for (size_t i = 0; i < n; i++) {
		const struct cal_fact *fi = facts->items[i];

		len[i] = 1;
		prev[i] = (size_t)-1;
		for (size_t j = 0; j < i; j++) {
			const struct cal_fact *fj = facts->items[j];

			if (fj->day < fi->day && len[j] + 1 > len[i]) {
				len[i] = len[j] + 1;
				prev[i] = j;
			}
		}
		if (len[i] > len[best])
			best = i;
	}
	for (size_t i = n ? best : (size_t)-1; i != (size_t)-1; i = prev[i])
		keep[i] = 1;
	for (size_t i = 0; i < n; i++) {
		char name[64];

		if (keep[i])
			continue;
		if (dropped++ < 3) {
			fact_name(facts->items[i], name, sizeof(name));
			cal_note_add(cal, "%s: ignoring %s: out of order with "
				     "the other versions", what, name);
		}
	}
	if (dropped > 3)
		cal_note_add(cal, "%s: ignoring %zu more out-of-order dates",
			     what, dropped - 3);
	free(len);
	free(prev);
	return keep;
}

void cal_add_facts(struct cal *cal, struct vec *facts, enum cal_source src)
{
	char *keep;

	vec_sort(facts, fact_cmp);
	keep = consistent_subset(cal, facts, cal_source_name(src));
	for (size_t i = 0; i < facts->n; i++) {
		const struct cal_fact *f = facts->items[i];

		if (!keep[i])
			continue;
		cal_add_fact(cal, f, src);
		if (f->day > cal->newest[src])
			cal->newest[src] = f->day;
	}
	free(keep);
}

/* After merging: drop what contradicts across sources. */
void cal_history_check(struct cal *cal)
{
	struct vec facts = VEC_INIT;
	char *keep;

	for (size_t i = 0; i < cal->n; i++) {
		struct cal_version *v = &cal->v[i];

		for (int rc = 1; rc <= CAL_RC_MAX + 1; rc++) {
			long day = rc <= CAL_RC_MAX ? v->rc[rc] : v->release;
			struct cal_fact *f;

			if (day == -1)
				continue;
			f = xmalloc(sizeof(*f));
			f->major = v->major;
			f->minor = v->minor;
			f->rc = rc <= CAL_RC_MAX ? rc : 0;
			f->day = day;
			vec_push(&facts, f);
		}
	}
	/* Already in version order. */
	keep = consistent_subset(cal, &facts, "release history");
	for (size_t i = 0; i < facts.n; i++) {
		const struct cal_fact *f = facts.items[i];
		struct cal_version *v;

		if (keep[i])
			continue;
		v = version_get(cal, f->major, f->minor);
		if (f->rc)
			v->rc[f->rc] = -1;
		else
			v->release = -1;
	}
	free(keep);
	vec_release(&facts, free);
}
