/*
 * What a message body says: trailers, pw-bot commands, patchwork-bot
 * notices and pull requests.  Plain text in, plain structs out; the
 * people in trailers are read by mail/address.h.
 */
#include <ctype.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/address.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* Longer lines are not trailers, bot lines or shortlog entries. */
#define LINE_MAX_LEN 4096

/* A line cursor over text: each line without "\n" or "\r\n". */
struct lines {
	const char *p;
	struct sbuf line;
};

static void lines_init(struct lines *l, const char *text)
{
	l->p = text ? text : "";
	sbuf_init(&l->line);
}

/* The next line into l->line; 0, or -1 at the end. */
static int lines_next(struct lines *l)
{
	size_t n;

	if (!*l->p)
		return -1;
	n = str_line_len(l->p);
	sbuf_reset(&l->line);
	sbuf_add(&l->line, l->p, n < LINE_MAX_LEN ? n : LINE_MAX_LEN);
	if (l->line.len && l->line.buf[l->line.len - 1] == '\r')
		sbuf_setlen(&l->line, l->line.len - 1);
	l->p += n;
	if (*l->p == '\n')
		l->p++;
	return 0;
}

/* The line after the current one, borrowed; "" at the end. */
static const char *lines_peek(const struct lines *l)
{
	return l->p;
}

static void *xmemdup(const void *p, size_t n)
{
	return memcpy(xmalloc(n), p, n);
}

static char *dup_trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* -------------------------------------------------------------------- */
/* Trailers */

static const struct {
	const char *key;
	enum mail_trailer_kind kind;
} trailer_keys[] = {
	{ "Acked-by", MAIL_TRAILER_ACKED },
	{ "Reviewed-by", MAIL_TRAILER_REVIEWED },
	{ "Tested-by", MAIL_TRAILER_TESTED },
	{ "Nacked-by", MAIL_TRAILER_NACKED },
	{ "NAKed-by", MAIL_TRAILER_NACKED },
	{ "Nak-by", MAIL_TRAILER_NACKED },
	{ "Reported-by", MAIL_TRAILER_REPORTED },
	{ "Signed-off-by", MAIL_TRAILER_SIGNED_OFF },
	{ "Fixes", MAIL_TRAILER_FIXES },
};

/* Keys without "-by" that are still trailers. */
static const char *const other_keys[] = {
	"Link", "Closes", "Cc", "BugLink", NULL,
};

const char *mail_trailer_kind_name(enum mail_trailer_kind kind)
{
	switch (kind) {
	case MAIL_TRAILER_ACKED: return "acked-by";
	case MAIL_TRAILER_REVIEWED: return "reviewed-by";
	case MAIL_TRAILER_TESTED: return "tested-by";
	case MAIL_TRAILER_NACKED: return "nacked-by";
	case MAIL_TRAILER_REPORTED: return "reported-by";
	case MAIL_TRAILER_SIGNED_OFF: return "signed-off-by";
	case MAIL_TRAILER_FIXES: return "fixes";
	case MAIL_TRAILER_OTHER: return "other";
	}
	return "other";
}

int mail_trailer_is_review(enum mail_trailer_kind kind)
{
	return kind == MAIL_TRAILER_ACKED || kind == MAIL_TRAILER_REVIEWED ||
	       kind == MAIL_TRAILER_TESTED || kind == MAIL_TRAILER_NACKED;
}

const char *mail_trailer_kind_key(enum mail_trailer_kind kind)
{
	/* the first key of a kind is how it is written */
	for (size_t i = 0; i < sizeof(trailer_keys) / sizeof(*trailer_keys);
	     i++)
		if (trailer_keys[i].kind == kind)
			return trailer_keys[i].key;
	return NULL;
}

static int key_is_trailer(const char *key, size_t len,
			  enum mail_trailer_kind *kind)
{
	for (size_t i = 0; i < sizeof(trailer_keys) / sizeof(*trailer_keys);
	     i++) {
		if (strlen(trailer_keys[i].key) == len &&
		    !strncasecmp(key, trailer_keys[i].key, len)) {
			*kind = trailer_keys[i].kind;
			return 1;
		}
	}
	*kind = MAIL_TRAILER_OTHER;
	if (len > 3 && !strncasecmp(key + len - 3, "-by", 3))
		return 1;
	for (size_t i = 0; other_keys[i]; i++)
		if (strlen(other_keys[i]) == len &&
		    !strncasecmp(key, other_keys[i], len))
			return 1;
	return 0;
}

/*
 * "Jane Doe <jane@x>", "\"Doe, Jane\" <jane@x>", "jane@x (Jane)" with
 * GMime's RFC 5322 address parser; a "# 5.10" comment is cut first.
 */
static void parse_person(struct mail_trailer *t)
{
	struct mail_address a;
	char *addr;
	const char *hash = strstr(t->value, " #");

	if (!strchr(t->value, '@')) {
		t->name = xstrdup(t->value);	/* "Acked-by: Jane Doe" */
		return;
	}
	addr = hash ? xstrndup(t->value, (size_t)(hash - t->value))
		    : xstrdup(t->value);
	if (!mail_address_parse(&a, addr)) {
		t->name = a.name;
		if (a.email && strchr(a.email, '@'))
			t->email = a.email;
		else
			free(a.email);
	}
	free(addr);
}

/*
 * A "# for the libbpf parts" comment or a "[for the libbpf parts]" note
 * at the end of a value: copied into t->scope (the value keeps it).
 */
static void find_scope(struct mail_trailer *t)
{
	const char *v = t->value, *at = NULL;
	size_t n = strlen(v);

	if (n > 2 && v[n - 1] == ']') {
		const char *open = strrchr(v, '[');

		if (open && open > v && isspace((unsigned char)open[-1]))
			at = open;
	}
	if (!at) {
		const char *hash = strstr(v, " #");

		if (hash && hash[2])
			at = hash + 1;
	}
	if (at)
		t->scope = dup_trimmed(at, strlen(at));
}

int mail_trailer_parse_line(struct mail_trailer *out, const char *line)
{
	const char *p = line, *key, *v;
	size_t klen, vlen;
	enum mail_trailer_kind kind;

	memset(out, 0, sizeof(*out));
	key = p;
	if (!isalpha((unsigned char)*p))
		return -1;
	while (isalnum((unsigned char)*p) || *p == '-')
		p++;
	klen = (size_t)(p - key);
	if (*p != ':' || klen > 64 || !key_is_trailer(key, klen, &kind))
		return -1;
	p++;
	if (*p != ' ' && *p != '\t')
		return -1;
	v = p;
	vlen = str_line_len(v);
	out->value = dup_trimmed(v, vlen);
	if (!*out->value || vlen > LINE_MAX_LEN) {
		free(out->value);
		out->value = NULL;
		return -1;
	}
	out->kind = kind;
	out->key = xstrndup(key, klen);
	if (kind != MAIL_TRAILER_FIXES && strncasecmp(key, "Link", klen) &&
	    strncasecmp(key, "Closes", klen) &&
	    strncasecmp(key, "BugLink", klen)) {
		find_scope(out);
		parse_person(out);
	}
	return 0;
}

void mail_trailer_release(struct mail_trailer *t)
{
	free(t->key);
	free(t->value);
	free(t->name);
	free(t->email);
	free(t->scope);
	memset(t, 0, sizeof(*t));
}

void mail_trailer_free(struct mail_trailer *t)
{
	if (!t)
		return;
	mail_trailer_release(t);
	free(t);
}

static void trailer_free_item(void *t)
{
	mail_trailer_free(t);
}

/* -------------------------------------------------------------------- */
/* pw-bot */

static const struct {
	const char *word;
	enum mail_pwbot_cmd cmd;
} pwbot_words[] = {
	{ "cr", MAIL_PWBOT_CHANGES_REQUESTED },
	{ "changes-requested", MAIL_PWBOT_CHANGES_REQUESTED },
	{ "defer", MAIL_PWBOT_DEFER },
	{ "deferred", MAIL_PWBOT_DEFER },
	{ "deffer", MAIL_PWBOT_DEFER },
	{ "reject", MAIL_PWBOT_REJECT },
	{ "rejected", MAIL_PWBOT_REJECT },
	{ "nap", MAIL_PWBOT_NOT_APPLICABLE },
	{ "not-applicable", MAIL_PWBOT_NOT_APPLICABLE },
	{ "au", MAIL_PWBOT_AWAITING_UPSTREAM },
	{ "awaiting-upstream", MAIL_PWBOT_AWAITING_UPSTREAM },
	{ "under-review", MAIL_PWBOT_UNDER_REVIEW },
	{ "accept", MAIL_PWBOT_ACCEPTED },
	{ "accepted", MAIL_PWBOT_ACCEPTED },
	{ "superseded", MAIL_PWBOT_SUPERSEDED },
	{ "rfc", MAIL_PWBOT_RFC },
};

enum mail_pwbot_cmd mail_pwbot_parse_word(const char *word)
{
	if (!word || !*word)
		return MAIL_PWBOT_NONE;
	for (size_t i = 0; i < sizeof(pwbot_words) / sizeof(*pwbot_words); i++)
		if (!strcasecmp(word, pwbot_words[i].word))
			return pwbot_words[i].cmd;
	return MAIL_PWBOT_OTHER;
}

const char *mail_pwbot_name(enum mail_pwbot_cmd cmd)
{
	switch (cmd) {
	case MAIL_PWBOT_NONE: return "none";
	case MAIL_PWBOT_CHANGES_REQUESTED: return "changes-requested";
	case MAIL_PWBOT_DEFER: return "deferred";
	case MAIL_PWBOT_REJECT: return "rejected";
	case MAIL_PWBOT_NOT_APPLICABLE: return "not-applicable";
	case MAIL_PWBOT_AWAITING_UPSTREAM: return "awaiting-upstream";
	case MAIL_PWBOT_UNDER_REVIEW: return "under-review";
	case MAIL_PWBOT_ACCEPTED: return "accepted";
	case MAIL_PWBOT_SUPERSEDED: return "superseded";
	case MAIL_PWBOT_RFC: return "rfc";
	case MAIL_PWBOT_OTHER: return "other";
	}
	return "other";
}

/* "pw-bot: cr" at line start: the word (new string), else NULL. */
static char *bot_command(const char *line, const char *prefix)
{
	const char *p = line, *w;

	scan_skip_ws(&p);
	if (scan_literal(&p, prefix, 1))
		return NULL;
	scan_skip_ws(&p);
	w = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (p == w || p - w > 64)
		return NULL;
	return xstrndup(w, (size_t)(p - w));
}

/* -------------------------------------------------------------------- */
/* Body scan */

static int is_quoted(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '>';
}

/* A line that starts a unified diff; next is the line after it. */
static int starts_diff(const char *line, const char *next)
{
	if (str_starts_with(line, "diff --git ") ||
	    str_starts_with(line, "diff -"))
		return 1;
	if (str_starts_with(line, "--- ") && str_starts_with(next, "+++ "))
		return 1;
	return str_starts_with(line, "@@ -") && strstr(line + 4, " @@");
}

/* Still inside a diff: hunk lines, extended headers, blank lines. */
static int in_diff_line(const char *line)
{
	static const char *const headers[] = {
		"diff ", "index ", "new file mode", "deleted file mode",
		"old mode", "new mode", "similarity index", "dissimilarity",
		"rename from", "rename to", "copy from", "copy to",
		"Binary files", "GIT binary patch", NULL,
	};

	if (!*line || strchr(" +-@\\", *line))
		return 1;
	for (size_t i = 0; headers[i]; i++)
		if (str_starts_with(line, headers[i]))
			return 1;
	return 0;
}

/* " 3 files changed, 10 insertions(+)" or " 1 file changed, ..." */
static int is_diffstat_total(const char *line)
{
	const char *p = line;
	unsigned long n;

	scan_skip_ws(&p);
	if (scan_uint(&p, &n, 9) || scan_expect(&p, ' '))
		return 0;
	return str_starts_with(p, "files changed") ||
	       str_starts_with(p, "file changed");
}

static int notice_lead(struct mail_botnotice *n, const char *line);

/* "For patches 1-3:" before trailers: what they are given for. */
static int scope_lead(const char *line)
{
	static const char *const whole[] = {
		"for the series", "for the whole series", "for the set",
		"for the whole set", "for the entire series", "for all patches",
		"for all the patches", "for the patchset", "for the patch set",
		"for the whole patchset", "for this series", "for series",
		NULL,
	};
	size_t n = strlen(line);
	char *low;
	int yes = 1;

	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	if (n < 6 || n > 80 || line[n - 1] != ':' ||
	    strncasecmp(line, "for ", 4))
		return 0;
	low = g_ascii_strdown(line, (gssize)(n - 1));
	for (size_t i = 0; whole[i]; i++)
		if (!strcmp(low, whole[i]))
			yes = 0;
	g_free(low);
	return yes;
}

/* Whether a trailer's value wants the next line: a wrapped trailer. */
static int wants_more(const struct mail_trailer *t, const char *rest)
{
	size_t n = str_line_len(rest);
	char *next = xstrndup(rest, n);
	const char *p = next;
	int yes = 0;

	if (!*p || is_quoted(p)) {
		yes = 0;
	} else if (t->kind == MAIL_TRAILER_FIXES) {
		yes = strchr(t->value, '(') && !strchr(t->value, ')') &&
		      strchr(p, ')') && !strchr(p, ':');
	} else if (!t->email && !t->scope && strcmp(t->key, "Link") &&
		   strcasecmp(t->key, "Closes")) {
		while (*p == ' ' || *p == '\t')
			p++;
		yes = *p == '<' && strchr(p, '@') && strchr(p, '>');
	}
	free(next);
	return yes;
}

void mail_body_scan(struct mail_body *out, const char *text)
{
	struct mail_body init = MAIL_BODY_INIT;
	struct lines l;
	int in_diff = 0, after_dashes = 0, lead_seen = 0, sig = 0;
	int after_trailer = 0;
	char *lead = NULL;

	*out = init;
	lines_init(&l, text);
	while (!lines_next(&l)) {
		const char *line = l.line.buf;
		struct mail_trailer t;
		char *word;
		int was_trailer = after_trailer;

		after_trailer = 0;
		if (in_diff) {
			if (in_diff_line(line))
				continue;
			in_diff = 0;
		}
		if (starts_diff(line, lines_peek(&l))) {
			in_diff = 1;
			out->has_diff = 1;
			continue;
		}
		if (!strcmp(line, "---"))
			after_dashes = 1;
		else if (after_dashes && is_diffstat_total(line))
			out->has_diffstat = 1;
		if (!strcmp(line, "-- "))
			sig = 1;
		if (is_quoted(line))
			continue;
		/* the first lead decides, as mail_botnotice_parse() says */
		if (!lead_seen && str_starts_with(line, "This ")) {
			struct mail_botnotice n;
			int lead_kind;

			memset(&n, 0, sizeof(n));
			vec_init(&n.items);
			lead_kind = notice_lead(&n, line);
			lead_seen = lead_kind <= 0;
			out->notice = !lead_kind;
			mail_botnotice_release(&n);
		}
		if ((word = bot_command(line, "pw-bot:"))) {
			free(out->pwbot_word);
			out->pwbot_word = word;
			out->pwbot = mail_pwbot_parse_word(word);
			continue;
		}
		if ((word = bot_command(line, "pv-bot:"))) {
			free(out->pvbot_word);
			out->pvbot_word = word;
			continue;
		}
		if (sig)
			continue;
		if (mail_trailer_parse_line(&t, line)) {
			struct mail_trailer *last = out->trailers.n ?
				out->trailers.items[out->trailers.n - 1] : NULL;
			const char *p = line;

			while (*p == ' ' || *p == '\t')
				p++;
			/* "[for the libbpf parts]" under its trailer */
			if (was_trailer && last && !last->scope && *p == '[' &&
			    strlen(p) > 2 && p[strlen(p) - 1] == ']') {
				last->scope = dup_trimmed(p, strlen(p));
				continue;
			}
			if (!*p)
				continue;	/* a blank line keeps a lead */
			free(lead);
			lead = scope_lead(line) ? dup_trimmed(line,
							      strlen(line)) :
				NULL;
			continue;
		}
		/* a trailer wrapped over two lines */
		if (wants_more(&t, lines_peek(&l)) && !lines_next(&l)) {
			struct sbuf joined = SBUF_INIT;
			const char *more = l.line.buf;
			struct mail_trailer t2;

			while (*more == ' ' || *more == '\t')
				more++;
			sbuf_addf(&joined, "%s: %s %s", t.key, t.value, more);
			if (!mail_trailer_parse_line(&t2, joined.buf)) {
				mail_trailer_release(&t);
				t = t2;
			}
			sbuf_release(&joined);
		}
		if (!t.scope && lead)
			t.scope = xstrdup(lead);
		after_trailer = 1;
		vec_push(&out->trailers, xmemdup(&t, sizeof(t)));
	}
	free(lead);
	sbuf_release(&l.line);
}

void mail_body_release(struct mail_body *b)
{
	struct mail_body init = MAIL_BODY_INIT;

	if (!b)
		return;
	vec_release(&b->trailers, trailer_free_item);
	free(b->pwbot_word);
	free(b->pvbot_word);
	*b = init;
}

/* -------------------------------------------------------------------- */
/* patchwork-bot notices */

static void botitem_free(void *p)
{
	struct mail_botitem *it = p;

	if (!it)
		return;
	free(it->subject);
	free(it->title);
	free(it->commit_url);
	free(it->commit);
	free(it);
}

/* "netdev/net.git (main)" or "... (refs/heads/master):" */
static int parse_applied_to(struct mail_botnotice *n, const char *p)
{
	const char *repo = p, *open, *close;

	open = strchr(p, '(');
	close = open ? strchr(open, ')') : NULL;
	if (!open || !close || open == repo)
		return -1;
	n->repo = dup_trimmed(repo, (size_t)(open - repo));
	open++;
	if (str_starts_with(open, "refs/heads/"))
		open += strlen("refs/heads/");
	n->branch = dup_trimmed(open, (size_t)(close - open));
	if (!*n->repo || !*n->branch || strchr(n->repo, ' '))
		return -1;
	return 0;
}

/* "by Jane Doe <jane@kernel.org>:" */
static void parse_applied_by(struct mail_botnotice *n, const char *line)
{
	struct mail_trailer t = { 0 };
	size_t len;

	if (!str_starts_with(line, "by "))
		return;
	line += 3;
	len = strlen(line);
	if (len && line[len - 1] == ':')
		len--;
	t.value = dup_trimmed(line, len);
	parse_person(&t);
	n->by_name = t.name;
	n->by_email = t.email;
	free(t.value);
}

static void parse_item(struct mail_botnotice *n, const char *line,
		       const char *link)
{
	struct mail_botitem *it = xcalloc(1, sizeof(*it));
	struct mail_subject s;
	const char *c;

	it->subject = dup_trimmed(line, strlen(line));
	mail_subject_parse(&s, it->subject);
	it->title = s.title;
	s.title = NULL;
	it->index = s.index;
	it->total = s.total;
	mail_subject_release(&s);
	while (*link == ' ')
		link++;
	if (str_starts_with(link, "http")) {
		it->commit_url = dup_trimmed(link, strlen(link));
		/* ".../bpf-next/c/HEX" or cgit's ".../commit/?id=HEX" */
		c = strstr(it->commit_url, "?id=");
		if (c)
			c += 4;
		else if (strstr(it->commit_url, "/c/"))
			c = strrchr(it->commit_url, '/') + 1;
		if (c && *c)
			it->commit = xstrndup(c, strcspn(c, "&#"));
	}
	vec_push(&n->items, it);
}

/*
 * The line a notice starts with, "This series was applied to REPO
 * (BRANCH)", into n (what, repo, branch): 0; 1 when the line is no
 * such lead, -1 when it is one with no REPO (BRANCH) that parses.
 */
static int notice_lead(struct mail_botnotice *n, const char *line)
{
	static const struct {
		const char *lead;
		enum mail_botnotice_what what;
	} leads[] = {
		{ "This series was applied to ", MAIL_BOT_SERIES },
		{ "This patch was applied to ", MAIL_BOT_PATCH },
		{ "This pull request was applied to ", MAIL_BOT_PULL },
	};

	for (size_t i = 0; i < sizeof(leads) / sizeof(*leads); i++) {
		if (!str_starts_with(line, leads[i].lead))
			continue;
		n->what = leads[i].what;
		return parse_applied_to(n, line + strlen(leads[i].lead));
	}
	return 1;
}

int mail_botnotice_parse(struct mail_botnotice *out, const char *text)
{
	struct lines l;
	int found = 0, summary = 0;
	char *item = NULL;

	memset(out, 0, sizeof(*out));
	vec_init(&out->items);
	lines_init(&l, text);
	while (!lines_next(&l)) {
		const char *line = l.line.buf;

		if (!found) {
			int lead = notice_lead(out, line);

			if (lead < 0)
				goto fail;
			found = !lead;
			if (found && !lines_next(&l))
				parse_applied_by(out, l.line.buf);
			continue;
		}
		if (!summary) {
			summary = str_starts_with(line,
					"Here is the summary with links:");
			continue;
		}
		if (str_starts_with(line, "  - ")) {
			free(item);
			item = xstrdup(line + 4);
		} else if (item && str_starts_with(line, "    ")) {
			parse_item(out, item, line + 4);
			free(item);
			item = NULL;
		} else if (!*line || !str_starts_with(line, " ")) {
			break;
		}
	}
	free(item);
	sbuf_release(&l.line);
	if (found)
		return 0;
fail:
	sbuf_release(&l.line);
	mail_botnotice_release(out);
	return -1;
}

void mail_botnotice_release(struct mail_botnotice *n)
{
	if (!n)
		return;
	free(n->repo);
	free(n->branch);
	free(n->by_name);
	free(n->by_email);
	vec_release(&n->items, botitem_free);
	memset(n, 0, sizeof(*n));
}

char *mail_botnotice_applied_to(const struct mail_botnotice *n)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s (%s)", n->repo ? n->repo : "",
		  n->branch ? n->branch : "");
	return sbuf_detach(&sb);
}

/* -------------------------------------------------------------------- */
/* Pull requests */

/* A run of tree-name characters at p, as a new lowercase string. */
static char *tree_word(const char *p, const char *stop)
{
	size_t n = 0;
	char *w;

	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '-' ||
			p[n] == '.' || p[n] == '/') && n < 64)
		n++;
	if (!n || !str_starts_with(p + n, stop))
		return NULL;
	w = xstrndup(p, n);
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)w[i]);
	return w;
}

/*
 * The target tree from the letter before the request-pull block:
 * "for your *net-next* tree", "updates for *net-next*:", "for your
 * net tree", "fixes for net:".
 */
static char *find_target(const char *text, size_t len)
{
	static const struct {
		const char *lead, *stop;
	} pats[] = {
		{ "your *", "*" }, { "for *", "*" },
		{ "for your ", " tree" }, { "for ", ":" },
	};

	for (size_t i = 0; i < sizeof(pats) / sizeof(*pats); i++) {
		size_t n = strlen(pats[i].lead);

		for (const char *p = text; p + n <= text + len; p++) {
			char *w;

			if (strncasecmp(p, pats[i].lead, n))
				continue;
			w = tree_word(p + n, pats[i].stop);
			if (w)
				return w;
		}
	}
	return NULL;
}

/* "  URL [TAG]" under "are available in the Git repository at:". */
static void parse_url_line(struct mail_pull *out, const char *line)
{
	const char *p = line, *u;

	scan_skip_ws(&p);
	u = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (p == u)
		return;
	free(out->url);
	free(out->tag);
	out->url = xstrndup(u, (size_t)(p - u));
	out->tag = NULL;
	scan_skip_ws(&p);
	if (*p)
		out->tag = dup_trimmed(p, strlen(p));
}

/* "... since commit HEX:" / "... up to HEX:": the hex id. */
static char *commit_after(const char *line, const char *lead)
{
	const char *p = line + strlen(lead), *h = p;

	while (isxdigit((unsigned char)*p))
		p++;
	if (p - h < 7 || (*p && *p != ':'))
		return NULL;
	return xstrndup(h, (size_t)(p - h));
}

/* "Amery Hung (6):": the name, else NULL. */
static char *shortlog_author(const char *line)
{
	size_t len = strlen(line);
	const char *open;

	if (!len || isspace((unsigned char)*line) || len < 5 ||
	    strcmp(line + len - 2, "):"))
		return NULL;
	open = strrchr(line, '(');
	if (!open || open == line || open[-1] != ' ')
		return NULL;
	for (const char *p = open + 1; p < line + len - 2; p++)
		if (!isdigit((unsigned char)*p))
			return NULL;
	if (open + 1 == line + len - 2)
		return NULL;
	return dup_trimmed(line, (size_t)(open - line));
}

static size_t indent_of(const char *line)
{
	size_t n = 0;

	while (line[n] == ' ' || line[n] == '\t')
		n++;
	return n;
}

int mail_pull_parse(struct mail_pull *out, const char *subject,
		    const char *text)
{
	struct mail_subject s;
	struct lines l;
	const char *block = NULL;
	char *author = NULL;
	size_t indent = 0;
	static const char since[] = "The following changes since commit ";
	static const char upto[] = "for you to fetch changes up to ";
	enum { LETTER, HEAD, SHORTLOG_WAIT, SHORTLOG, DONE } st = LETTER;
	int want_url = 0;

	memset(out, 0, sizeof(*out));
	vec_init(&out->shortlog);
	vec_init(&out->authors);
	vec_init(&out->title_authors);
	text = text ? text : "";
	lines_init(&l, text);
	while (st != DONE && !lines_next(&l)) {
		const char *line = l.line.buf;

		if (str_starts_with(line, since)) {
			if (!block)
				block = l.p;
			want_url = 0;
			free(out->base_commit);
			out->base_commit = commit_after(line, since);
			continue;
		}
		if (str_starts_with(line, "are available in the Git repo") ||
		    str_starts_with(line, "Please consider pulling these") ||
		    str_starts_with(line, "Please, pull these changes")) {
			want_url = 1;
			continue;
		}
		if (want_url && *line) {
			want_url = 0;
			/* the request-pull block's URL wins over the letter */
			if (block || !out->url)
				parse_url_line(out, line);
			continue;
		}
		if (str_starts_with(line, upto)) {
			free(out->head_commit);
			out->head_commit = commit_after(line, upto);
			st = HEAD;
			continue;
		}
		if (st == HEAD || st == SHORTLOG_WAIT) {
			free(author);
			author = shortlog_author(line);
			if (author) {
				vec_push_str(&out->authors, author);
				st = SHORTLOG;
				indent = 0;
			} else if (st == SHORTLOG_WAIT && *line) {
				st = DONE;
			}
			continue;
		}
		if (st == SHORTLOG) {
			size_t in = indent_of(line);

			if (!*line) {
				st = SHORTLOG_WAIT;
			} else if (!in) {
				st = DONE;
			} else if (!indent || in <= indent) {
				indent = in;
				vec_push(&out->shortlog,
					 dup_trimmed(line, strlen(line)));
				vec_push_str(&out->title_authors, author);
			} else if (out->shortlog.n) {
				/* a title wrapped by shortlog -w */
				char **last = (char **)&out->shortlog.items[
					out->shortlog.n - 1];
				struct sbuf sb = SBUF_INIT;

				sbuf_addf(&sb, "%s %s", *last, line + in);
				free(*last);
				*last = sbuf_detach(&sb);
			}
		}
	}
	free(author);
	sbuf_release(&l.line);
	if (!out->base_commit && !out->head_commit) {
		mail_pull_release(out);
		return -1;
	}
	mail_subject_parse(&s, subject);
	out->tree = s.tree;
	out->date = s.date;
	s.tree = s.date = NULL;
	mail_subject_release(&s);
	out->target = find_target(text, block ? (size_t)(block - text)
					      : strlen(text));
	return 0;
}

void mail_pull_release(struct mail_pull *p)
{
	if (!p)
		return;
	free(p->tree);
	free(p->date);
	free(p->target);
	free(p->url);
	free(p->tag);
	free(p->base_commit);
	free(p->head_commit);
	vec_release_str(&p->shortlog);
	vec_release_str(&p->authors);
	vec_release_str(&p->title_authors);
	memset(p, 0, sizeof(*p));
}
