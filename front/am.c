/*
 * vger am as a flow (front/am.h; vger shazam's git am is in
 * front/shazam.c).  The series is read
 * the way b4 reads a thread from lore, but from the local database: the
 * thread of the message asked for, every message of it from its file,
 * the versions told apart by their subjects (a cover letter is 0/N, a
 * patch is a non-reply with a diff), the version wanted taken, and the
 * trailers of the replies collected by the one collector
 * (mail/collect.h).  Reading one thread keeps vger am fast on a large
 * database: no model is built.
 */
#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "front/am.h"
#include "front/gitconfig.h"
#include "front/hooks.h"
#include "front/identity.h"
#include "front/model.h"
#include "front/private.h"
#include "mail/address.h"
#include "mail/am.h"
#include "mail/collect.h"
#include "mail/gmime.h"
#include "mail/index.h"
#include "mail/message.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

/* A thread larger than this is not read (a hostile or broken one). */
#define THREAD_MAX 5000
/* A series with more patches than this is refused. */
#define PATCHES_MAX 999
#define DEFAULT_LINKMASK "https://patch.msgid.link/%s"

/* ---- the message id the user gave ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *front_am_parse_id(const char *arg)
{
	const char *p = arg, *end;
	struct sbuf sb = SBUF_INIT;

	if (!p)
		return NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (str_starts_with(p, "id:"))
		p += 3;
	if (strstr(p, "://")) {
		/* https://lore.kernel.org/LIST/ID/..., /r/ID, msgid.link/ID */
		const char *s = strstr(p, "://") + 3, *seg;

		p = NULL;
		for (seg = strchr(s, '/'); seg; seg = strchr(seg + 1, '/')) {
			size_t n = strcspn(seg + 1, "/?#");

			if (memchr(seg + 1, '@', n) || (n > 3 &&
			    strstr(seg + 1, "%40") &&
			    strstr(seg + 1, "%40") < seg + 1 + n)) {
				p = seg + 1;
				break;
			}
		}
		if (!p)
			return NULL;
		end = p + strcspn(p, "/?#");
	} else {
		if (*p == '<')
			p++;
		end = p + strcspn(p, ">");
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
	}
	for (const char *c = p; c < end; c++) {
		if (*c == '%' && c + 2 < end && hexval(c[1]) >= 0 &&
		    hexval(c[2]) >= 0) {
			sbuf_addch(&sb, hexval(c[1]) * 16 + hexval(c[2]));
			c += 2;
		} else {
			sbuf_addch(&sb, *c);
		}
	}
	if (!sb.len || strchr(sb.buf, ' ') || strchr(sb.buf, '"')) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}

/* ---- reading the thread ---- */

struct amsg {
	char *id, *file;
	time_t date;
	struct mail_message m;
	struct mail_subject subj;
	char *parent;
	char *body;		/* the patch text (attachments looked at) */
	int loaded;
	int reply;		/* "Re:", or trailers without a diff */
	int has_diff;
	unsigned version;	/* of a patch or cover */
	unsigned index, total;	/* 0/N for a cover */
	int is_patch, is_cover;
	char *patch_id;		/* its diff's, hex, or NULL */
};

struct am_ctx {
	const struct front_am_options *o;
	const struct front_hooks *h;
	struct mail_index *idx;
	struct vec msgs;	/* struct amsg * */
	struct front_am_result *res;
	char *author_email;	/* of the series, once known */
};

static void amsg_free(void *p)
{
	struct amsg *a = p;

	free(a->id);
	free(a->file);
	free(a->parent);
	free(a->body);
	free(a->patch_id);
	mail_message_release(&a->m);
	mail_subject_release(&a->subj);
	free(a);
}

static int collect_thread(const char *thread, const char *id, void *data)
{
	char **out = data;

	(void)id;
	if (!*out)
		*out = xstrdup(thread);
	return 1;	/* one is enough */
}

/* The notmuch thread of message id, or NULL. */
static char *thread_of(struct mail_index *idx, const char *id,
		       struct err *err)
{
	struct sbuf q = SBUF_INIT;
	char *thread = NULL;
	int ret;

	mail_index_add_id_term(&q, id);
	ret = mail_index_each_thread(idx, q.buf, collect_thread, &thread, err);
	sbuf_release(&q);
	if (ret < 0) {
		free(thread);
		return NULL;
	}
	return thread;
}

struct each_ctx {
	struct vec *out;
	size_t n;
};

static int add_msg(const struct mail_index_msg *im, void *data)
{
	struct each_ctx *c = data;
	struct amsg *a;

	if (++c->n > THREAD_MAX)
		return 1;
	a = xcalloc(1, sizeof(*a));
	a->id = xstrdup(im->id);
	a->file = xstrdup_or_null(im->filename);
	a->date = im->date;
	vec_push(c->out, a);
	return 0;
}

/* A body holds a diff (b4's DIFF_RE: ---/+++, GIT binary patch, diff --git). */
static int has_diff(const char *body)
{
	const char *p = body;

	while (p && *p) {
		size_t n = str_line_len(p);

		if (str_starts_with(p, "diff --git ") ||
		    str_starts_with(p, "GIT binary patch"))
			return 1;
		if (str_starts_with(p, "---") && p[n] == '\n' &&
		    str_starts_with(p + n + 1, "+++"))
			return 1;
		p += n + (p[n] == '\n');
	}
	return 0;
}

/*
 * A patch attached to its mail: the attachment is the patch.  When it
 * is a whole format-patch mail ("From:"/"Subject:" lines first), its
 * own headers go in front of the body as in-body headers; else the
 * mail's text is the commit message and the attachment its diff.
 */
static char *attached_patch(const struct mail_message *m)
{
	for (size_t i = 0; i < m->attachments.n; i++) {
		const char *t = m->attachments.items[i];
		struct sbuf sb = SBUF_INIT;

		if (!has_diff(t))
			continue;
		if (str_starts_with(t, "From ") || str_starts_with(t, "From:") ||
		    str_starts_with(t, "Subject:")) {
			struct mail_message inner;
			struct err e = ERR_INIT;
			const char *start = t;

			if (str_starts_with(t, "From "))
				start += str_line_len(t) + 1;
			if (!mail_message_parse(&inner, start, strlen(start),
						"attachment", &e) &&
			    inner.body && has_diff(inner.body)) {
				if (inner.from_email)
					sbuf_addf(&sb, "From: %s%s%s%s\n",
						  inner.from_name ?
						  inner.from_name : "",
						  inner.from_name ? " <" : "",
						  inner.from_email,
						  inner.from_name ? ">" : "");
				if (inner.date_text)
					sbuf_addf(&sb, "Date: %s\n",
						  inner.date_text);
				if (inner.subject)
					sbuf_addf(&sb, "Subject: %s\n",
						  inner.subject);
				sbuf_addf(&sb, "\n%s", inner.body);
				mail_message_release(&inner);
				return sbuf_detach(&sb);
			}
			mail_message_release(&inner);
		}
		sbuf_addstr(&sb, m->body ? m->body : "");
		sbuf_rtrim(&sb);
		if (sb.len)
			sbuf_addstr(&sb, "\n\n");
		if (!str_starts_with(t, "---"))
			sbuf_addstr(&sb, "---\n");
		sbuf_addstr(&sb, t);
		return sbuf_detach(&sb);
	}
	return NULL;
}

static int date_cmp(const void *x, const void *y)
{
	const struct amsg *a = *(struct amsg *const *)x;
	const struct amsg *b = *(struct amsg *const *)y;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Load and classify every message of thread into c->msgs, by date. */
static int read_thread(struct am_ctx *c, const char *thread, struct err *err)
{
	struct sbuf q = SBUF_INIT;
	struct each_ctx ec = { &c->msgs, 0 };
	struct front_progress pr;
	int ret;

	sbuf_addf(&q, "thread:%s", thread);
	ret = mail_index_each(c->idx, q.buf, 0, add_msg, &ec, err);
	sbuf_release(&q);
	if (ret < 0)
		return ret;
	if (ec.n > THREAD_MAX)
		return err_set(err, ERR_NOMEM, "thread %s has more than %d "
			       "messages", thread, THREAD_MAX);
	memset(&pr, 0, sizeof(pr));
	pr.step = FRONT_AM_READ;
	pr.n = c->msgs.n;
	front_progress(c->h, &pr);
	vec_sort(&c->msgs, date_cmp);
	for (size_t i = 0; i < c->msgs.n; i++) {
		struct amsg *a = c->msgs.items[i];
		struct mail_body b;
		struct err e = ERR_INIT;
		char *att;

		mail_subject_parse(&a->subj, "");
		if (!a->file || mail_message_load(&a->m, a->file, &e)) {
			front_say(c->h, FRONT_WARNING, "<%s> not read: %s",
				  a->id, a->file ? e.msg : "no file");
			continue;
		}
		a->loaded = 1;
		mail_subject_release(&a->subj);
		mail_subject_parse(&a->subj, a->m.subject ? a->m.subject : "");
		a->parent = xstrdup_or_null(a->m.in_reply_to ?
			a->m.in_reply_to : a->m.references.n ?
			a->m.references.items[a->m.references.n - 1] : NULL);
		a->body = xstrdup(a->m.body ? a->m.body : "");
		a->has_diff = has_diff(a->body);
		if (!a->has_diff && (att = attached_patch(&a->m))) {
			free(a->body);
			a->body = att;
			a->has_diff = 1;
		}
		a->reply = !!(a->subj.flags & MAIL_SUBJECT_REPLY);
		if (!a->reply && !a->has_diff && a->parent) {
			/* b4: a follow-up that lost its "Re:" */
			mail_body_scan(&b, a->body);
			a->reply = b.trailers.n > 0;
			mail_body_release(&b);
		}
		a->version = a->subj.version ? a->subj.version : 1;
		a->index = a->subj.index;
		a->total = a->subj.total;
		if (a->reply || (a->subj.flags & MAIL_SUBJECT_FWD))
			continue;
		if (a->index == 0 && a->total > 0 && !a->has_diff)
			a->is_cover = 1;
		else if (a->has_diff) {
			a->is_patch = 1;
			if (!a->total) {
				a->index = 1;
				a->total = 1;
			}
			if (a->index > a->total)
				a->total = a->index;	/* [PATCH 6/5] */
		}
	}
	return 0;
}

/*
 * The patch id of a patch mail's diff (libgit2's, which is `git
 * patch-id --stable`), or NULL when it has none git can read.
 */
static char *patch_id(const char *body)
{
	const char *d = body;
	git_diff *diff = NULL;
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];

	while (d && *d && !str_starts_with(d, "diff --git ")) {
		d = strchr(d, '\n');
		d = d ? d + 1 : NULL;
	}
	if (!d || !*d)
		return NULL;
	git_libgit2_init();
	if (git_diff_from_buffer(&diff, d, strlen(d)) < 0)
		return NULL;
	if (git_diff_patchid(&oid, diff, NULL) < 0) {
		git_diff_free(diff);
		return NULL;
	}
	git_diff_free(diff);
	git_oid_tostr(hex, sizeof(hex), &oid);
	return xstrdup(hex);
}

/* ---- which version ---- */

struct version_set {
	unsigned version;
	unsigned total;
	time_t date;		/* of its first patch or cover */
	struct amsg *cover;
	struct amsg **patch;	/* [1..total] */
	struct vec dups;	/* struct amsg *: second copies */
};

static void versions_release(struct vec *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		struct version_set *v = vs->items[i];

		free(v->patch);
		vec_release(&v->dups, NULL);
		free(v);
	}
	vec_release(vs, NULL);
}

static struct version_set *version_get(struct vec *vs, unsigned version)
{
	for (size_t i = 0; i < vs->n; i++) {
		struct version_set *v = vs->items[i];

		if (v->version == version)
			return v;
	}
	return NULL;
}

static void group_versions(struct am_ctx *c, struct vec *vs)
{
	for (size_t i = 0; i < c->msgs.n; i++) {
		struct amsg *a = c->msgs.items[i];
		struct version_set *v;

		if (!a->is_patch && !a->is_cover)
			continue;
		if (a->total > PATCHES_MAX || a->index > PATCHES_MAX)
			continue;
		v = version_get(vs, a->version);
		if (!v) {
			v = xcalloc(1, sizeof(*v));
			v->version = a->version;
			v->date = a->date;
			vec_push(vs, v);
		}
		if (a->total > v->total) {
			v->patch = xrealloc(v->patch, (a->total + 1) *
					    sizeof(*v->patch));
			memset(v->patch + v->total + (v->total ? 1 : 0), 0,
			       (a->total + 1 - v->total - (v->total ? 1 : 0)) *
			       sizeof(*v->patch));
			v->total = a->total;
		}
		if (a->is_cover) {
			if (!v->cover)
				v->cover = a;
			continue;
		}
		if (v->patch[a->index])
			vec_push(&v->dups, a);
		else
			v->patch[a->index] = a;
	}
}

/* The newest version (by its first message's date), or NULL. */
static struct version_set *latest(struct vec *vs)
{
	struct version_set *best = NULL;

	for (size_t i = 0; i < vs->n; i++) {
		struct version_set *v = vs->items[i];

		if (!best || v->date > best->date ||
		    (v->date == best->date && v->version > best->version))
			best = v;
	}
	return best;
}

struct newer_ctx {
	const char *ntitle;
	const char *author;
	unsigned index, total;	/* the head's: 0/N for a cover letter */
	unsigned version;	/* wanted; 0: any newer than have */
	unsigned have;
	unsigned best_version;
	time_t best_date;
	char *best_id;
};

static int newer_one(const struct mail_index_msg *im, void *data)
{
	struct newer_ctx *n = data;
	struct mail_subject s;
	struct mail_address a = MAIL_ADDRESS_INIT;
	char *nt;
	unsigned v;

	mail_subject_parse(&s, im->subject ? im->subject : "");
	v = s.version ? s.version : 1;
	if (s.kind == MAIL_SUBJECT_PATCH && !(s.flags & MAIL_SUBJECT_REPLY) &&
	    (n->version ? v == n->version : v > n->have) &&
	    s.index == n->index && (n->index == 0 || s.total == n->total) &&
	    !mail_address_parse(&a, im->from ? im->from : "")) {
		nt = mail_subject_normalize_title(s.title ? s.title : "");
		if (!strcmp(nt, n->ntitle) && mail_address_same(a.email,
								n->author) &&
		    (v > n->best_version ||
		     (v == n->best_version && im->date > n->best_date))) {
			n->best_version = v;
			n->best_date = im->date;
			free(n->best_id);
			n->best_id = xstrdup(im->id);
		}
		free(nt);
	}
	mail_address_release(&a);
	mail_subject_release(&s);
	return 0;
}

/*
 * A version in a thread of its own: the newest (or version want) of the
 * same title by the same author, found by a notmuch query.  Its first
 * message's id, or NULL.
 */
static char *find_other_thread(struct am_ctx *c, const struct amsg *head,
			       unsigned want, unsigned have)
{
	struct newer_ctx n;
	struct sbuf q = SBUF_INIT;
	const char *title = head->subj.title ? head->subj.title : "";

	if (!head->m.from_email || !*title)
		return NULL;
	memset(&n, 0, sizeof(n));
	n.ntitle = mail_subject_normalize_title(title);
	n.author = head->m.from_email;
	n.version = want;
	n.have = have;
	n.index = head->is_cover ? 0 : head->index;
	n.total = head->total;
	sbuf_addstr(&q, "from:\"");
	for (const char *p = head->m.from_email; *p; p++)
		if (*p != '"')
			sbuf_addch(&q, *p);
	sbuf_addstr(&q, "\" and subject:\"");
	for (const char *p = title; *p; p++) {
		if (*p == '"')
			sbuf_addch(&q, ' ');
		else
			sbuf_addch(&q, *p);
	}
	sbuf_addch(&q, '"');
	mail_index_each(c->idx, q.buf, 0, newer_one, &n, NULL);
	sbuf_release(&q);
	free((char *)n.ntitle);
	return n.best_id;
}

/* ---- b4's partial reroll ---- */

static struct amsg *msg_by_id(struct am_ctx *c, const char *id)
{
	for (size_t i = 0; id && i < c->msgs.n; i++) {
		struct amsg *a = c->msgs.items[i];

		if (!strcmp(a->id, id))
			return a;
	}
	return NULL;
}

/*
 * vN with only some patches, each sent in reply to the patch of vN-1
 * with the same number: the rest is taken from vN-1.  1 when done.
 */
static int partial_reroll(struct am_ctx *c, struct version_set *v,
			  struct vec *vs)
{
	struct version_set *p = version_get(vs, v->version - 1);
	int any = 0;

	if (v->version < 2 || !p || p->total != v->total)
		return 0;
	for (unsigned i = 1; i <= v->total; i++) {
		struct amsg *a = v->patch[i], *up;
		int found = 0;

		if (!a)
			continue;
		any = 1;
		up = msg_by_id(c, a->parent);
		for (int d = 0; up && d < 64 && !found; d++) {
			found = up->is_patch && up->index == a->index &&
				up->total == a->total &&
				up->version < a->version;
			up = msg_by_id(c, up->parent);
		}
		if (!found)
			return 0;
	}
	if (!any)
		return 0;
	for (unsigned i = 1; i <= v->total; i++)
		if (!v->patch[i] && !p->patch[i])
			return 0;
	for (unsigned i = 1; i <= v->total; i++) {
		if (!v->patch[i]) {
			v->patch[i] = p->patch[i];
			p->patch[i] = NULL;	/* now v's */
		}
	}
	if (!v->cover) {
		v->cover = p->cover;
		p->cover = NULL;
	}
	return 1;
}

/* ---- the result ---- */

static void warn(struct front_am_result *r, enum front_am_warning kind,
		 unsigned patch, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void warn(struct front_am_result *r, enum front_am_warning kind,
		 unsigned patch, const char *id, const char *fmt, ...)
{
	struct front_am_warn *w = xcalloc(1, sizeof(*w));
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	w->kind = kind;
	w->patch = patch;
	w->text = sbuf_detach(&sb);
	w->message_id = xstrdup_or_null(id);
	vec_push(&r->warnings, w);
}

static char *person(const char *name, const char *email)
{
	struct sbuf sb = SBUF_INIT;

	if (name && *name)
		sbuf_addf(&sb, "%s <%s>", name, email ? email : "");
	else
		sbuf_addstr(&sb, email ? email : "");
	return sbuf_detach(&sb);
}

/* "1,3-5", "-1" (the last), "2-" (2 to the end): a bit per patch. */
static int parse_pick(const char *s, unsigned total, unsigned char *pick,
		      struct err *err)
{
	const char *p = s;

	while (*p) {
		unsigned long a = 1, b;
		char *end;

		if (*p == '-' && isdigit((unsigned char)p[1])) {
			b = strtoul(p + 1, &end, 10);
			if (!b || b > total)
				goto bad;
			a = b = total - b + 1;
			p = end;
		} else if (isdigit((unsigned char)*p)) {
			a = strtoul(p, &end, 10);
			p = end;
			b = a;
			if (*p == '-') {
				p++;
				if (isdigit((unsigned char)*p)) {
					b = strtoul(p, &end, 10);
					p = end;
				} else {
					b = total;
				}
			}
		} else {
			goto bad;
		}
		if (!a || a > b || b > total)
			goto bad;
		for (unsigned long i = a; i <= b; i++)
			pick[i] = 1;
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	return 0;
bad:
	return err_set(err, ERR_USAGE, "--cherry-pick '%s': not patches of "
		       "1..%u (e.g. 1,3-5 or -1)", s, total);
}

static char *mailmap_cb(void *data, const char *name, const char *email)
{
	git_mailmap *mm = data;
	const char *rn = NULL, *re = NULL;

	if (!mm || !email)
		return NULL;
	if (git_mailmap_resolve(&rn, &re, mm, name ? name : "", email) < 0 ||
	    !re)
		return NULL;
	return xstrdup(re);
}

/* The .mailmap of the repository asked for, here, or vger.linux. */
static git_mailmap *open_mailmap(const struct front_am_options *o)
{
	git_repository *repo = NULL;
	git_mailmap *mm = NULL;
	char *linux_dir = NULL;
	const char *dir = o->mailmap_repo;

	git_libgit2_init();
	if (!dir && o->cfg)
		dir = front_config_repo_dir(o->cfg);
	if (!dir && o->cfg)
		dir = linux_dir = front_config_path(o->cfg, "vger.linux");
	if (dir && !git_repository_open_ext(&repo, dir, 0, NULL))
		git_mailmap_from_repository(&mm, repo);
	git_repository_free(repo);
	free(linux_dir);
	return mm;
}

/* "Acked-by: X" (given on the cover letter "for patches 1-3") */
static void scoped_text(const struct mail_collect_note *n, struct sbuf *sb)
{
	sbuf_addf(sb, "%s (given on the cover letter \"%s\")", n->t->line,
		  n->t->scope);
}

static void add_added(struct front_am_patch *fp,
		      const struct mail_collect_trailer *t)
{
	struct front_am_added *a = xcalloc(1, sizeof(*a));

	a->line = xstrdup(t->line);
	a->by = person(t->by_name, t->by_email);
	a->message_id = xstrdup_or_null(t->from_id);
	a->from_cover = t->on == 0;
	vec_push(&fp->added, a);
}

static void added_line(struct front_am_patch *fp, const char *line)
{
	struct front_am_added *a = xcalloc(1, sizeof(*a));

	a->line = xstrdup(line);
	vec_push(&fp->added, a);
}

/* The notes of the collector as warnings; scoped ones asked about. */
static void collect_notes(struct am_ctx *c, struct mail_collect_result *cr,
			  const struct mail_collect_options *mo)
{
	struct front_am_result *r = c->res;

	for (size_t i = 0; i < cr->notes.n; i++) {
		struct mail_collect_note *n = cr->notes.items[i];
		struct front_am_warn *w;
		struct sbuf q = SBUF_INIT, d = SBUF_INIT;

		switch (n->why) {
		case MAIL_COLLECT_MISMATCH:
			warn(r, FRONT_AM_MISMATCH, n->t->on, n->t->from_id,
			     "%s: %s not from its sender %s%s", n->t->on ?
			     "patch" : "cover letter", n->t->line,
			     n->t->by_email, n->applied ? " (applied: "
			     "--sloppy-trailers)" : " (not applied; "
			     "--sloppy-trailers applies it)");
			break;
		case MAIL_COLLECT_NACKED:
			warn(r, FRONT_AM_NACKED, n->t->on, n->t->from_id,
			     "%s (not applied)", n->t->line);
			break;
		case MAIL_COLLECT_ORPHAN:
			warn(r, FRONT_AM_ORPHAN, 0, n->t->from_id,
			     "a reply to a message not in this version gives "
			     "%s (not applied)", n->t->line);
			break;
		case MAIL_COLLECT_SCOPED:
			scoped_text(n, &d);
			if (n->ntargets) {
				sbuf_addf(&q, "Add %s, given on the cover letter"
					  " \"%s\", to patch%s", n->t->line,
					  n->t->scope, n->ntargets > 1 ?
					  "es" : "");
				for (size_t k = 0; k < n->ntargets; k++)
					sbuf_addf(&q, "%s%u", k ? "," : " ",
						  n->targets[k]);
				sbuf_addch(&q, '?');
			}
			if (n->ntargets && front_ask(c->h, FRONT_ASK_SCOPED,
						     q.buf, d.buf) ==
			    FRONT_YES) {
				for (size_t k = 0; k < n->ntargets; k++)
					mail_collect_apply(cr, n->targets[k],
							   n->t, mo);
				n->applied = 1;
			}
			warn(r, FRONT_AM_SCOPED, 0, n->t->from_id, "%s: %s",
			     d.buf, n->applied ? "added to the patches it names"
			     : n->ntargets ? "not applied (not confirmed)" :
			     "not applied (no patch matches it)");
			break;
		}
		w = r->warnings.items[r->warnings.n - 1];
		w->line = xstrdup(n->t->line);
		w->by = person(n->t->by_name, n->t->by_email);
		w->applied = n->applied;
		sbuf_release(&q);
		sbuf_release(&d);
	}
}

static char *linkmask(struct am_ctx *c, const struct front_am_options *o)
{
	char *m = o->cfg ? front_config_string(o->cfg, "vger.linkmask") :
		NULL;

	if (m && (!strstr(m, "%s") || strstr(strstr(m, "%s") + 2, "%") ||
		  strchr(m, '%') != strstr(m, "%s"))) {
		front_say(c->h, FRONT_WARNING, "vger.linkmask '%s' has no %%s "
			  "or another %%: using %s", m, DEFAULT_LINKMASK);
		free(m);
		m = NULL;	/* one %s and no other %: else the default */
	}
	return m ? m : xstrdup(DEFAULT_LINKMASK);
}

static char *link_for(const char *mask, const char *id)
{
	struct sbuf sb = SBUF_INIT;
	const char *s = strstr(mask, "%s");

	sbuf_add(&sb, mask, (size_t)(s - mask));
	sbuf_addstr(&sb, id);
	sbuf_addstr(&sb, s + 2);
	return sbuf_detach(&sb);
}

/* The mbox entry of one patch, with its trailers. */
static int build_patch(struct am_ctx *c, struct version_set *v,
		       struct amsg *a, unsigned index,
		       struct mail_collect_result *cr, const char *sob,
		       const char *mask, struct sbuf *mbox, struct err *err)
{
	struct front_am_result *r = c->res;
	struct front_am_patch *fp = xcalloc(1, sizeof(*fp));
	struct mail_collect_patch *cp = mail_collect_patch_at(cr, index);
	struct mail_am_parts parts;
	struct vec lines = VEC_INIT;
	struct sbuf body = SBUF_INIT, subject = SBUF_INIT;
	struct mail_am_msg m;
	const char *text;
	unsigned bad = 0;
	char *from;
	int ret = 0;

	fp->index = index;
	fp->message_id = xstrdup(a->id);
	fp->rerolled = a->version != v->version;
	mail_am_parts(&parts, a->body);
	text = a->body + parts.msg_start;
	from = parts.from ? xstrdup(parts.from) :
		person(a->m.from_name, a->m.from_email);
	fp->author = xstrdup(from);
	fp->date = xstrdup_or_null(parts.date ? parts.date : a->m.date_text);
	mail_am_subject(&subject, !!(a->subj.flags & MAIL_SUBJECT_RFC),
			v->version, 0, v->total > 1 || a->subj.total ? index :
			0, v->total > 1 || a->subj.total ? v->total : 0,
			parts.subject ? parts.subject : a->subj.title);
	if (parts.subject) {
		/* an in-body Subject: is the commit's title as written */
		struct mail_subject s;

		mail_subject_parse(&s, parts.subject);
		sbuf_reset(&subject);
		mail_am_subject(&subject, !!(a->subj.flags & MAIL_SUBJECT_RFC),
				v->version, 0, v->total > 1 ? index : 0,
				v->total > 1 ? v->total : 0, s.title);
		mail_subject_release(&s);
	}
	fp->subject = xstrdup(subject.buf);
	for (size_t i = 0; cp && !c->o->no_trailers && i < cp->add.n; i++) {
		const struct mail_collect_trailer *t = cp->add.items[i];

		vec_push(&lines, t->line);
		add_added(fp, t);
	}
	{
		char *link = c->o->add_link ? link_for(mask, a->id) : NULL;
		struct sbuf mid = SBUF_INIT;

		if (link) {
			struct sbuf l = SBUF_INIT;

			sbuf_addf(&l, "Link: %s", link);
			vec_push(&lines, sbuf_detach(&l));
			added_line(fp, lines.items[lines.n - 1]);
			free(link);
		}
		if (c->o->add_message_id) {
			sbuf_addf(&mid, "Message-ID: <%s>", a->id);
			vec_push(&lines, sbuf_detach(&mid));
			added_line(fp, lines.items[lines.n - 1]);
		}
	}
	if (sob)
		added_line(fp, sob);
	mail_am_add_trailers(text, &lines, sob, &body);
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.date = fp->date;
	m.subject = fp->subject;
	m.message_id = a->id;
	m.body = body.buf;
	if (mail_am_write_msg(&m, 1, mbox, &bad))
		ret = err_set(err, ERR_PARSE, "patch %u/%u <%s>: line %u of its "
			      "body starts like an mbox separator (\"From "
			      "...\"): git am would split the patch there",
			      index, v->total, a->id, bad);
	vec_push(&r->patches, fp);
	/* the lines vger added itself are its own strings */
	for (size_t i = 0; i < lines.n; i++) {
		int borrowed = 0;

		for (size_t k = 0; cp && k < cp->add.n; k++)
			borrowed |= lines.items[i] ==
				((struct mail_collect_trailer *)
				 cp->add.items[k])->line;
		if (!borrowed)
			free(lines.items[i]);
	}
	vec_release(&lines, NULL);
	sbuf_release(&body);
	sbuf_release(&subject);
	mail_am_parts_release(&parts);
	free(from);
	return ret;
}

static char *user_sob(const struct front_am_options *o, struct err *err)
{
	char *name = NULL, *email = NULL, *sob = NULL;

	front_identity(o->cfg, &name, &email);
	if (!name || !email)
		err_set(err, ERR_USAGE, "--add-my-sob: git config has no "
			"user.name or user.email");
	else
		sob = g_strdup_printf("Signed-off-by: %s <%s>", name, email);
	free(name);
	free(email);
	return sob;
}

static int prepare(struct am_ctx *c, struct err *err)
{
	const struct front_am_options *o = c->o;
	struct front_am_result *r = c->res;
	struct front_model_args ma = { NULL, NULL, 0, 0 };
	struct front_model_source src = FRONT_MODEL_SOURCE_INIT;
	struct mail_collect_options mo;
	struct mail_collect_result cr = MAIL_COLLECT_RESULT_INIT;
	struct mail_collect_msg *cm = NULL;
	struct vec vs = VEC_INIT;
	struct version_set *v;
	struct sbuf mbox = SBUF_INIT, slug = SBUF_INIT;
	unsigned char *pick = NULL;
	const char **titles = NULL;
	git_mailmap *mm = NULL;
	char *id, *thread = NULL, *sob = NULL, *mask = NULL;
	struct amsg *head;
	int ret = 0, problems = 0;

	id = front_am_parse_id(o->id);
	if (!id)
		return err_set(err, ERR_USAGE, "'%s' is no message id or lore "
			       "URL", o->id ? o->id : "");
	ma.db = o->db;
	front_model_source_init(&src, &ma, o->cfg);
	mail_gmime_init();
	ret = mail_index_open(&c->idx, src.db, 0, err);
	if (ret)
		goto out;
	thread = thread_of(c->idx, id, err);
	if (!thread) {
		ret = err_set(err, ERR_NOTFOUND, "no message <%s> in the "
			      "database", id);
		goto out;
	}
	ret = read_thread(c, thread, err);
	if (ret)
		goto out;
	group_versions(c, &vs);
	v = o->version ? version_get(&vs, o->version) : latest(&vs);
	head = v ? (v->cover ? v->cover : NULL) : NULL;
	for (unsigned i = 1; v && !head && i <= v->total; i++)
		head = v->patch[i];
	/* The series' title: a cover letter of any version here first. */
	for (size_t i = 0; !(head && head->is_cover) && i < vs.n; i++)
		if (((struct version_set *)vs.items[i])->cover)
			head = ((struct version_set *)vs.items[i])->cover;
	if (!head && vs.n) {
		struct version_set *l = latest(&vs);

		for (unsigned i = 1; !head && i <= l->total; i++)
			head = l->patch[i];
	}
	/* A newer version (or the one asked for) in a thread of its own. */
	if (head) {
		char *other = find_other_thread(c, head, o->version,
						v ? v->version : 0);
		char *othread = other ? thread_of(c->idx, other, NULL) : NULL;

		if (othread && strcmp(othread, thread)) {
			if (o->version)
				front_say(c->h, FRONT_NOTE, "v%u is in a thread "
					  "of its own: <%s>", o->version,
					  other);
			else
				front_say(c->h, FRONT_NOTE, "a newer version is"
					  " in a thread of its own: <%s>",
					  other);
			vec_release(&c->msgs, amsg_free);
			versions_release(&vs);
			free(thread);
			thread = othread;
			othread = NULL;
			ret = read_thread(c, thread, err);
			if (ret) {
				free(other);
				goto out;
			}
			group_versions(c, &vs);
			v = o->version ? version_get(&vs, o->version) :
				latest(&vs);
		}
		free(othread);
		free(other);
	}
	if (!v) {
		if (o->version)
			ret = err_set(err, ERR_NOTFOUND, "no v%u of the series "
				      "of <%s> in the database", o->version,
				      id);
		else
			ret = err_set(err, ERR_NOTFOUND, "no patches in the "
				      "thread of <%s>", id);
		goto out;
	}
	for (size_t i = 0; i < vs.n; i++) {
		struct version_set *x = vs.items[i];
		struct sbuf d = SBUF_INIT;

		sbuf_addf(&d, "v%u", x->version);
		vec_push(&r->versions, sbuf_detach(&d));
	}
	if (vs.n > 1 && !o->version)
		warn(r, FRONT_AM_OTHER, 0, NULL, "the thread holds %zu versions;"
		     " taking v%u, the latest (-v N takes another)", vs.n,
		     v->version);
	r->version = v->version;
	r->total = v->total;
	for (unsigned i = 1; i <= v->total; i++)
		if (!v->patch[i])
			break;
		else if (i == v->total)
			r->complete = 1;
	if (!r->complete && partial_reroll(c, v, &vs)) {
		r->partial_reroll = 1;
		r->complete = 1;
		warn(r, FRONT_AM_OTHER, 0, NULL, "v%u is a partial reroll: "
		     "the patches it did not resend are v%u's", v->version,
		     v->version - 1);
	}
	/* Duplicates, broken diffs, missing patches. */
	for (size_t i = 0; i < v->dups.n; i++) {
		struct amsg *d = v->dups.items[i];

		warn(r, FRONT_AM_DUPLICATE, d->index, d->id, "patch %u/%u "
		     "arrived twice (<%s> and <%s>); the first is used",
		     d->index, v->total, v->patch[d->index]->id, d->id);
		problems++;
	}
	for (unsigned i = 1; i <= v->total; i++) {
		unsigned bad;

		if (!v->patch[i])
			continue;
		bad = mail_am_broken_diff(v->patch[i]->body);
		if (bad) {
			warn(r, FRONT_AM_BROKEN, i, v->patch[i]->id, "patch "
			     "%u/%u <%s>: its diff is broken at line %u of "
			     "the body; left out", i, v->total,
			     v->patch[i]->id, bad);
			v->patch[i] = NULL;
			r->complete = 0;
			problems++;
		}
	}
	for (unsigned i = 1; i <= v->total; i++) {
		if (v->patch[i])
			continue;
		warn(r, FRONT_AM_MISSING, i, NULL, "patch %u/%u of v%u is "
		     "missing", i, v->total, v->version);
		problems++;
	}
	if (problems && !o->partial) {
		ret = err_set(err, ERR_STATE, "v%u is not whole: %s "
			      "(--partial writes what there is)", v->version,
			      ((struct front_am_warn *)r->warnings.items[
				      r->warnings.n - 1])->text);
		goto out;
	}
	/* The collector, on the messages of the thread in date order. */
	mm = open_mailmap(o);
	memset(&mo, 0, sizeof(mo));
	mo.sloppy = o->sloppy;
	mo.mailmap = mm ? mailmap_cb : NULL;
	mo.data = mm;
	cm = xcalloc(c->msgs.n ? c->msgs.n : 1, sizeof(*cm));
	titles = xcalloc(v->total + 1, sizeof(*titles));
	for (size_t i = 0; i < c->msgs.n; i++) {
		struct amsg *a = c->msgs.items[i];

		cm[i].id = a->id;
		cm[i].parent = a->parent;
		cm[i].from_name = a->m.from_name;
		cm[i].from_email = a->m.from_email;
		cm[i].body = a->loaded ? a->body : "";
		if (a == v->cover)
			cm[i].cover = 1;
		else if (a->is_patch && a->index <= v->total &&
			 v->patch[a->index] == a)
			cm[i].patch = a->index;
		else if (a->is_patch || a->is_cover)
			cm[i].other = 1;
		if (a->is_patch) {
			a->patch_id = patch_id(a->body);
			cm[i].patch_id = a->patch_id;
		}
	}
	for (unsigned i = 1; i <= v->total; i++)
		titles[i - 1] = v->patch[i] ? v->patch[i]->subj.title : NULL;
	mail_collect_run(&cr, cm, c->msgs.n, v->total, titles, &mo);
	if (!o->no_trailers)
		collect_notes(c, &cr, &mo);
	if (o->add_my_sob) {
		sob = user_sob(o, err);
		if (!sob) {
			ret = -err->code;
			goto out;
		}
	}
	pick = xcalloc(v->total + 1, 1);
	if (o->cherry_pick) {
		ret = parse_pick(o->cherry_pick, v->total, pick, err);
		if (ret)
			goto out;
	} else {
		memset(pick, 1, v->total + 1);
	}
	mask = linkmask(c, o);
	for (unsigned i = 1; i <= v->total; i++) {
		if (!pick[i])
			continue;
		if (!v->patch[i]) {
			if (o->cherry_pick) {
				ret = err_set(err, ERR_STATE, "patch %u/%u, "
					      "picked, is missing", i,
					      v->total);
				goto out;
			}
			continue;
		}
		ret = build_patch(c, v, v->patch[i], i, &cr, sob, mask, &mbox,
				  err);
		if (ret)
			goto out;
		r->npatches++;
	}
	if (!r->npatches) {
		ret = err_set(err, ERR_NOTFOUND, "no patch of v%u to write",
			      v->version);
		goto out;
	}
	/* The cover letter, the name, the link. */
	head = v->cover;
	for (unsigned i = 1; !head && i <= v->total; i++)
		head = v->patch[i];
	r->first_id = xstrdup(head->id);
	r->link = link_for(mask, head->id);
	r->cover_author = xstrdup(head->m.from_name && *head->m.from_name ?
				  head->m.from_name : head->m.from_email ?
				  head->m.from_email : "");
	r->cover_title = xstrdup(head->subj.title ? head->subj.title : "");
	r->base_commit = mail_am_base_commit(head->body);
	if (!r->base_commit && v->patch[1] && v->patch[1] != head)
		r->base_commit = mail_am_base_commit(v->patch[1]->body);
	if (v->cover) {
		struct sbuf cov = SBUF_INIT, subj = SBUF_INIT;
		struct mail_am_msg m;
		char *from = person(v->cover->m.from_name,
				    v->cover->m.from_email);
		unsigned bad;

		mail_am_subject(&subj, !!(v->cover->subj.flags &
					  MAIL_SUBJECT_RFC), v->version, 0, 0,
				v->total, v->cover->subj.title);
		memset(&m, 0, sizeof(m));
		m.from = from;
		m.date = v->cover->m.date_text;
		m.subject = subj.buf;
		m.message_id = v->cover->id;
		m.body = v->cover->body;
		if (!mail_am_write_msg(&m, 0, &cov, &bad))
			r->cover = sbuf_detach(&cov);
		r->cover_id = xstrdup(v->cover->id);
		r->cover_body = xstrdup(v->cover->body);
		sbuf_release(&cov);
		sbuf_release(&subj);
		free(from);
	}
	mail_am_slug(&slug, v->version, head->date,
		     mail_am_date_tz(head->m.date_text), head->m.from_email,
		     head->subj.title);
	r->slug = sbuf_detach(&slug);
	r->mbox = sbuf_detach(&mbox);
out:
	mail_collect_release(&cr);
	free(cm);
	free(titles);
	free(pick);
	free(mask);
	g_free(sob);
	git_mailmap_free(mm);
	versions_release(&vs);
	free(thread);
	free(id);
	sbuf_release(&mbox);
	sbuf_release(&slug);
	front_model_source_release(&src);
	return ret;
}

int front_am_prepare(const struct front_am_options *o,
		     const struct front_hooks *h, struct front_am_result *res,
		     struct err *err)
{
	struct am_ctx c;
	int ret;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.o = o;
	c.h = h;
	c.res = res;
	ret = prepare(&c, err);
	vec_release(&c.msgs, amsg_free);
	mail_index_free(c.idx);
	return ret;
}

void front_am_result_release(struct front_am_result *r)
{
	for (size_t i = 0; i < r->patches.n; i++) {
		struct front_am_patch *p = r->patches.items[i];

		for (size_t k = 0; k < p->added.n; k++) {
			struct front_am_added *a = p->added.items[k];

			free(a->line);
			free(a->by);
			free(a->message_id);
			free(a);
		}
		vec_release(&p->added, NULL);
		free(p->message_id);
		free(p->subject);
		free(p->author);
		free(p->date);
		free(p);
	}
	vec_release(&r->patches, NULL);
	for (size_t i = 0; i < r->warnings.n; i++) {
		struct front_am_warn *w = r->warnings.items[i];

		free(w->text);
		free(w->line);
		free(w->by);
		free(w->message_id);
		free(w);
	}
	vec_release(&r->warnings, NULL);
	vec_release_str(&r->versions);
	free(r->slug);
	free(r->mbox);
	free(r->cover);
	free(r->cover_id);
	free(r->cover_title);
	free(r->cover_author);
	free(r->cover_body);
	free(r->first_id);
	free(r->link);
	free(r->base_commit);
	memset(r, 0, sizeof(*r));
}

int front_am_write(const struct front_am_result *res, const char *dir,
		   int no_cover, char **mbx, char **cover, struct err *err)
{
	struct sbuf name = SBUF_INIT;
	char *path = NULL;
	int ret;

	*mbx = *cover = NULL;
	ret = fs_mkdir_p(dir, err);
	if (ret)
		return ret;
	sbuf_addf(&name, "%s.mbx", res->slug);
	path = path_join(dir, name.buf);
	ret = fs_write_atomic(path, res->mbox, strlen(res->mbox), err);
	if (ret) {
		free(path);
		sbuf_release(&name);
		return ret;
	}
	*mbx = path;
	if (res->cover && !no_cover) {
		sbuf_reset(&name);
		sbuf_addf(&name, "%s.cover", res->slug);
		path = path_join(dir, name.buf);
		ret = fs_write_atomic(path, res->cover, strlen(res->cover),
				      err);
		if (ret)
			free(path);
		else
			*cover = path;
	}
	sbuf_release(&name);
	return ret;
}
