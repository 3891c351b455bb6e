/*
 * The subject-tag grammar.  A subject is read left to right as:
 *
 *	{ reply prefix | list tag } tag-group { tag-group } title
 *
 * where a reply prefix is "Re:", "AW:", "Fwd:", "Re[2]:" and the like,
 * a list tag is a bracket group that names no patch ("[f2fs-dev]",
 * "[External]"), and a tag group is a bracket group with a keyword
 * (PATCH, RFC, RESEND, GIT PULL, ANN), a version, an index or only
 * known tree names ("[net]").  "pull-request: TREE DATE" is the other
 * form of a pull request.  Anything the grammar does not know stays in
 * the title, so the parser never fails.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "kernel/trees.h"
#include "mail/gmime.h"
#include "mail/subject.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* Longest bracket group taken as tags; longer ones are title text. */
#define SUBJECT_GROUP_MAX 128

/* Reply and forward prefixes of common mail clients, before the ':'. */
/*
 * Only words no kernel subsystem uses as a title prefix: "Res:" and
 * "Ref:" are left out.
 */
static const char *const reply_words[] = {
	"re", "aw", "antw", "sv", "vs", "odp", "rif",
	"\xe5\x9b\x9e\xe5\xa4\x8d",		/* 回复 */
	"\xe7\xad\x94\xe5\xa4\x8d",		/* 答复 */
	NULL,
};
static const char *const fwd_words[] = {
	"fwd", "fw", "wg", "doorst",
	"\xe8\xbd\xac\xe5\x8f\x91",		/* 转发 */
	NULL,
};

static int word_in(const char *w, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !strncasecmp(w, list[i], len))
			return 1;
	return 0;
}

/*
 * A reply or forward prefix at p: WORD, optionally "[N]", "(N)" or
 * "^N", optional blanks, then ':' (or the full-width colon).  Returns
 * the length consumed and sets *flag, or 0.
 */
static size_t reply_prefix(const char *p, unsigned *flag)
{
	const char *s = p;
	size_t wlen;

	while (*s && *s != ':' && *s != ' ' && *s != '[' && *s != '(' &&
	       *s != '^' && s - p < 16 && strncmp(s, "\xef\xbc\x9a", 3))
		s++;
	wlen = (size_t)(s - p);
	if (!wlen)
		return 0;
	if (word_in(p, wlen, reply_words))
		*flag = MAIL_SUBJECT_REPLY;
	else if (word_in(p, wlen, fwd_words))
		*flag = MAIL_SUBJECT_FWD;
	else
		return 0;
	if (*s == '[' || *s == '(' || *s == '^') {
		char close = *s == '[' ? ']' : *s == '(' ? ')' : 0;

		s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
		if (close && *s++ != close)
			return 0;
	}
	while (*s == ' ')
		s++;
	if (*s == ':')
		return (size_t)(s + 1 - p);
	if (!strncmp(s, "\xef\xbc\x9a", 3))
		return (size_t)(s + 3 - p);
	return 0;
}

/* What one bracket group says. */
struct group {
	unsigned flags;		/* MAIL_SUBJECT_RFC, _RESEND */
	int patch, pull, ann;	/* keywords seen */
	unsigned version, index, total;
	int has_number;		/* a version or index */
	int all_known;		/* every other word is a known tree */
	struct sbuf tree;	/* the other words, lowercased, spaced */
};

/* "v3", "V11", "v2.1" (the minor part is dropped): the number or 0. */
static unsigned parse_version(const char *w, size_t len)
{
	unsigned long v = 0;
	size_t i = 1;

	if (len < 2 || (w[0] != 'v' && w[0] != 'V'))
		return 0;
	for (; i < len && isdigit((unsigned char)w[i]) && i < 6; i++)
		v = v * 10 + (unsigned long)(w[i] - '0');
	if (i == 1)
		return 0;
	if (i < len) {
		if (w[i] != '.' || i + 1 == len)
			return 0;
		for (i++; i < len; i++)
			if (!isdigit((unsigned char)w[i]))
				return 0;
	}
	return (unsigned)v;
}

/* "2/11", "00/11": index and total, or -1. */
static int parse_index(const char *w, size_t len, unsigned *index,
		       unsigned *total)
{
	unsigned long a = 0, b = 0;
	size_t i = 0, na = 0, nb = 0;

	for (; i < len && isdigit((unsigned char)w[i]) && na < 5; i++, na++)
		a = a * 10 + (unsigned long)(w[i] - '0');
	if (!na || i == len || w[i] != '/')
		return -1;
	for (i++; i < len && isdigit((unsigned char)w[i]) && nb < 5; i++, nb++)
		b = b * 10 + (unsigned long)(w[i] - '0');
	if (!nb || i != len)
		return -1;
	*index = (unsigned)a;
	*total = (unsigned)b;
	return 0;
}

/* A keyword with a glued version: "PATCHv2", "RFCv3", "PATCH-v2". */
static int keyword_version(const char *w, size_t len, const char *kw,
			   unsigned *version)
{
	size_t n = strlen(kw);

	if (len <= n || strncasecmp(w, kw, n))
		return 0;
	w += n;
	len -= n;
	if (*w == '-' && len > 1) {
		w++;
		len--;
	}
	*version = parse_version(w, len);
	return *version != 0;
}

static void group_word(struct group *g, const char *w, size_t len,
		       const char *next, size_t next_len)
{
	unsigned v;

	if (len == 5 && !strncasecmp(w, "PATCH", 5)) {
		g->patch = 1;
	} else if (keyword_version(w, len, "PATCH", &v)) {
		g->patch = 1;
		g->version = v;
		g->has_number = 1;
	} else if (len == 3 && !strncasecmp(w, "RFC", 3)) {
		g->flags |= MAIL_SUBJECT_RFC;
	} else if (keyword_version(w, len, "RFC", &v)) {
		g->flags |= MAIL_SUBJECT_RFC;
		g->version = v;
		g->has_number = 1;
	} else if (len == 6 && !strncasecmp(w, "RESEND", 6)) {
		g->flags |= MAIL_SUBJECT_RESEND;
	} else if (len == 4 && !strncasecmp(w, "PULL", 4)) {
		g->pull = 1;
	} else if (len == 3 && !strncasecmp(w, "GIT", 3) && next_len == 4 &&
		   !strncasecmp(next, "PULL", 4)) {
		g->pull = 1;	/* "PULL" follows and is taken on its own */
	} else if (len == 3 && !strncasecmp(w, "ANN", 3)) {
		g->ann = 1;
	} else if ((v = parse_version(w, len))) {
		g->version = v;
		g->has_number = 1;
	} else if (!parse_index(w, len, &g->index, &g->total)) {
		g->has_number = 1;
	} else {
		/* tree names make a keyword-less group a tag: "[net] x" */
		if (!kernel_tree_find_word(w, len))
			g->all_known = 0;
		if (g->tree.len)
			sbuf_addch(&g->tree, ' ');
		for (size_t i = 0; i < len; i++)
			sbuf_addch(&g->tree, tolower((unsigned char)w[i]));
	}
}

/* Split s[0..len) at blanks and commas and read every word. */
static void group_parse(struct group *g, const char *s, size_t len)
{
	const char *end = s + len;

	memset(g, 0, sizeof(*g));
	sbuf_init(&g->tree);
	g->all_known = 1;
	while (s < end) {
		const char *w, *n;
		size_t wl, nl;

		while (s < end && (*s == ' ' || *s == ','))
			s++;
		w = s;
		while (s < end && *s != ' ' && *s != ',')
			s++;
		wl = (size_t)(s - w);
		if (!wl)
			break;
		n = s;
		while (n < end && (*n == ' ' || *n == ','))
			n++;
		nl = 0;
		while (n + nl < end && n[nl] != ' ' && n[nl] != ',')
			nl++;
		group_word(g, w, wl, n, nl);
	}
}

static int group_has_keyword(const struct group *g)
{
	return g->patch || g->pull || g->ann || g->flags || g->has_number;
}

static void merge_group(struct mail_subject *out, struct group *g,
			struct sbuf *tree)
{
	if (g->pull)
		out->kind = MAIL_SUBJECT_PULL;
	else if (g->ann && out->kind == MAIL_SUBJECT_OTHER)
		out->kind = MAIL_SUBJECT_ANN;
	else if (out->kind == MAIL_SUBJECT_OTHER && !g->ann)
		out->kind = MAIL_SUBJECT_PATCH;
	out->flags |= g->flags;
	if (g->version)
		out->version = g->version;
	if (g->total) {
		out->index = g->index;
		out->total = g->total;
	}
	if (g->tree.len) {
		if (tree->len)
			sbuf_addch(tree, ' ');
		sbuf_add(tree, g->tree.buf, g->tree.len);
	}
}

/* Unfold: every run of blanks, tabs and line breaks becomes one space. */
char *mail_subject_unfold(const char *s)
{
	/* The result is never longer than s. */
	char *out = xmalloc(strlen(s) + 1), *o = out;
	int blank = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			blank = 1;
			continue;
		}
		if (blank && o > out)
			*o++ = ' ';
		blank = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static int is_date(const char *s)
{
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return !s[10] || s[10] == ' ';
}

/* "pull-request: bpf-next 2025-05-02": tree and date. */
static int parse_pull_request(struct mail_subject *out, const char *p)
{
	const char *t, *d;
	size_t tl;

	if (!str_starts_with_icase(p, "pull-request:"))
		return -1;
	t = p + strlen("pull-request:");
	while (*t == ' ')
		t++;
	tl = strcspn(t, " ");
	if (!tl)
		return -1;
	d = t + tl;
	while (*d == ' ')
		d++;
	out->kind = MAIL_SUBJECT_PULL;
	out->tree = xmalloc(tl + 1);
	for (size_t i = 0; i < tl; i++)
		out->tree[i] = (char)tolower((unsigned char)t[i]);
	out->tree[tl] = '\0';
	if (is_date(d))
		out->date = xstrndup(d, 10);
	return 0;
}

void mail_subject_parse(struct mail_subject *out, const char *subject)
{
	struct mail_subject init = MAIL_SUBJECT_INIT;
	struct sbuf tree = SBUF_INIT;
	char *text = mail_subject_unfold(subject ? subject : "");
	const char *p = text, *after_replies = text;
	int tagged = 0;

	*out = init;
	for (;;) {
		unsigned flag = 0;
		size_t n;
		const char *close;
		struct group g;
		int take;

		while (*p == ' ')
			p++;
		if (!tagged && (n = reply_prefix(p, &flag))) {
			out->flags |= flag;
			p += n;
			after_replies = p;
			continue;
		}
		if (*p != '[')
			break;
		close = strchr(p, ']');
		if (!close || close - p > SUBJECT_GROUP_MAX)
			break;
		group_parse(&g, p + 1, (size_t)(close - p - 1));
		if (group_has_keyword(&g))
			take = 1;
		else if (!g.tree.len)
			take = tagged;	/* "[]": drop it after tags */
		else if (!tagged)
			take = g.all_known;
		else	/* "[PATCH][next]": a tree glued to the tags */
			take = !tree.len && p[-1] == ']' &&
			       !strchr(g.tree.buf, ' ');
		if (take) {
			merge_group(out, &g, &tree);
			tagged = 1;
			p = close + 1;
		} else if (!tagged) {
			p = close + 1;	/* a list tag: "[f2fs-dev]" */
		}
		sbuf_release(&g.tree);
		if (!take && tagged)
			break;
	}
	if (!tagged) {
		p = after_replies;
		while (*p == ' ')
			p++;
		if (!parse_pull_request(out, p)) {
			out->title = xstrdup(p);
			free(text);
			sbuf_release(&tree);
			return;
		}
	}
	while (*p == ' ')
		p++;
	out->title = xstrdup(p);
	if (tree.len)
		out->tree = sbuf_detach(&tree);
	sbuf_release(&tree);
	free(text);
}

void mail_subject_release(struct mail_subject *s)
{
	struct mail_subject init = MAIL_SUBJECT_INIT;

	if (!s)
		return;
	free(s->tree);
	free(s->date);
	free(s->title);
	*s = init;
}

void mail_subject_format_prefix(const struct mail_subject *s,
				struct sbuf *sb)
{
	int width = 1;

	switch (s->kind) {
	case MAIL_SUBJECT_OTHER:
		return;
	case MAIL_SUBJECT_ANN:
		sbuf_addstr(sb, "[ANN]");
		return;
	case MAIL_SUBJECT_PULL:
		sbuf_addstr(sb, "[GIT PULL");
		break;
	case MAIL_SUBJECT_PATCH:
		/* git >= 2.43 puts --rfc before the prefix: "RFC PATCH" */
		sbuf_addstr(sb, s->flags & MAIL_SUBJECT_RFC ?
			    "[RFC PATCH" : "[PATCH");
		break;
	}
	if (s->flags & MAIL_SUBJECT_RESEND)
		sbuf_addstr(sb, " RESEND");
	if (s->tree && *s->tree)
		sbuf_addf(sb, " %s", s->tree);
	if (s->version > 1)
		sbuf_addf(sb, " v%u", s->version);
	if (s->total) {
		for (unsigned t = s->total; t >= 10; t /= 10)
			width++;
		sbuf_addf(sb, " %0*u/%u", width, s->index, s->total);
	}
	sbuf_addch(sb, ']');
}

char *mail_subject_decode(const char *raw)
{
	char *decoded, *valid, *out;

	mail_gmime_init();
	decoded = g_mime_utils_header_decode_text(NULL, raw ? raw : "");
	valid = g_utf8_make_valid(decoded ? decoded : "", -1);
	out = mail_subject_unfold(valid);
	g_free(decoded);
	g_free(valid);
	return out;
}

char *mail_subject_normalize_title(const char *title)
{
	const char *s = title ? title : "";
	char *lower = NULL, *out, *o;
	int sep = 0;

	/* ASCII (nearly every title) needs no Unicode case folding. */
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			s = lower = g_utf8_strdown(s, -1);
			break;
		}
	o = out = xmalloc(strlen(s) + 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		/* bytes >= 0x80 are parts of UTF-8 letters: keep them */
		if (c < 0x80 && !isalnum(c)) {
			sep = 1;
			continue;
		}
		if (sep && o > out)
			*o++ = ' ';
		sep = 0;
		*o++ = c < 0x80 ? (char)tolower(c) : (char)c;
	}
	*o = '\0';
	g_free(lower);
	return out;
}
