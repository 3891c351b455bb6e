/*
 * Reading messages into records (mail/private.h): what notmuch knows
 * of each (id, thread, subject, sender, date) on the thread that walks
 * the index (two for a big walk), and what only the file says (parent, trailers, pw-bot
 * word, bot notice, pull request, lore links) on reader threads, one
 * per core, as the messages come.
 */
#include <glib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/address.h"
#include "mail/classify.h"
#include "mail/index.h"
#include "mail/message.h"
#include "mail/private.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/*
 * The sender, its address lowercase (the whole text when it has none),
 * both kept once in names.
 */
static void parse_from(const char *from, char **name, char **email,
		       GStringChunk **names)
{
	struct mail_address addr;

	mail_address_parse(&addr, from);
	*name = mail_name_keep(names, addr.name);
	if (addr.email) {
		for (char *c = addr.email; *c; c++)
			*c = g_ascii_tolower(*c);
		*email = mail_name_keep(names, addr.email);
	} else {
		*email = mail_name_keep(names, from);
	}
	mail_address_release(&addr);
}

/* The message ids text links on lore, at most 64, each once. */
static void find_lore_refs(const char *text, struct vec *out,
			   struct arena *a)
{
	const char *p = text;

	while ((p = strstr(p, "lore.kernel.org/"))) {
		const char *s = p + strlen("lore.kernel.org/");
		const char *slash = strchr(s, '/');
		size_t n;

		p = s;
		if (!slash || (size_t)(slash - s) > 40)
			continue;
		s = slash + 1;
		n = strcspn(s, "/ \t\r\n>\"')");
		if (n < 3 || n > 250 || !memchr(s, '@', n))
			continue;
		{
			char *id = xstrndup(s, n);

			if (vec_find_str(out, id) < 0 && out->n < 64)
				vec_push(out, arena_strdup(a, id));
			free(id);
		}
	}
}

/* What a record keeps of a notice's item: index, title, commit. */
static struct mail_botitem *bot_item_copy(const struct mail_botitem *it,
					  struct arena *a)
{
	struct mail_botitem *ri = ARENA_NEW(a, struct mail_botitem);

	ri->index = it->index;
	ri->title = arena_strdup(a, it->title ? it->title : "");
	if (it->commit && *it->commit)
		ri->commit = arena_strdup(a, it->commit);
	return ri;
}

/* Whether a record keeps trailer t: a review trailer with an address. */
static int kept_trailer(const struct mail_trailer *t)
{
	return mail_trailer_is_review(t->kind) && t->email;
}

/*
 * The parent's id goes in parents until grouping (struct mail_store);
 * what many messages share (trailers' names and addresses, a pw-bot
 * word, the branch a notice names, a pull's target) is kept once in
 * names.
 */
static void rec_fill_from_body(struct mail_rec *r, const struct mail_message *m,
			       struct arena *a, struct arena *parents,
			       GStringChunk **names)
{
	struct mail_body body = MAIL_BODY_INIT;
	const char *text = m->body ? m->body : "";
	unsigned ngiven = 0;

	if (m->in_reply_to)
		r->parent = arena_strdup(parents, m->in_reply_to);
	else if (m->references.n)
		r->parent = arena_strdup(parents, m->references.items[
						 m->references.n - 1]);
	r->scratch = 1;

	mail_body_scan(&body, text);
	for (size_t i = 0; i < body.trailers.n; i++)
		ngiven += kept_trailer(body.trailers.items[i]);
	if (ngiven) {
		struct mail_rec_more *x = mail_rec_more_make(r, a);

		x->given = arena_alloc_align(a, ngiven * sizeof(*x->given),
					     alignof(struct mail_given));
		for (size_t i = 0; i < body.trailers.n; i++) {
			const struct mail_trailer *t = body.trailers.items[i];
			struct mail_given *g = &x->given[x->ngiven];

			if (!kept_trailer(t))
				continue;
			g->kind = t->kind;
			g->name = mail_name_keep(names, t->name);
			g->email = mail_name_keep(names, t->email);
			g->message_id = r->id;
			g->scoped = t->scope != NULL;
			x->ngiven++;
		}
	}
	if (body.pwbot != MAIL_PWBOT_NONE && body.pwbot_word)
		mail_rec_more_make(r, a)->pwbot = mail_name_keep(names,
							body.pwbot_word);
	mail_body_release(&body);

	if (mail_is_bot_address(r->from_email)) {
		struct mail_botnotice n;

		memset(&n, 0, sizeof(n));
		if (!mail_botnotice_parse(&n, text)) {
			struct mail_rec_notice *x = mail_rec_notice_make(r, a);
			char *at = mail_botnotice_applied_to(&n);

			x->applied_to = mail_name_keep(names, at);
			free(at);
			if (n.by_email) {
				struct sbuf by = SBUF_INIT;

				sbuf_addf(&by, "%s <%s>", n.by_name ?
					  n.by_name : "", n.by_email);
				x->applied_by = mail_name_keep(names, by.buf);
				sbuf_release(&by);
			}
			for (size_t i = 0; i < n.items.n; i++)
				vec_push(&x->bot_items,
					 bot_item_copy(n.items.items[i], a));
			mail_botnotice_release(&n);
		}
	} else if (r->subj.kind == MAIL_SUBJECT_PULL &&
		   !(r->subj.flags & MAIL_SUBJECT_REPLY)) {
		struct mail_pull p;

		memset(&p, 0, sizeof(p));
		if (!mail_pull_parse(&p, r->subject, text)) {
			struct mail_rec_notice *x = mail_rec_notice_make(r, a);

			x->pull_target = mail_name_keep(names, p.target);
			for (size_t i = 0; i < p.shortlog.n; i++)
				vec_push(&x->shortlog, arena_strdup(a,
					p.shortlog.items[i]));
		}
		mail_pull_release(&p);
	} else if (r->subj.kind == MAIL_SUBJECT_PATCH &&
		   r->subj.index == 0 && r->subj.total > 0) {
		struct vec refs = VEC_INIT;

		find_lore_refs(text, &refs, a);
		mail_rec_set_refs(r, &refs, a);
		vec_release(&refs, NULL);
	}
}

/*
 * A message whose file is still to be read: 16 bytes, as a big build
 * holds a million until the end.
 */
struct pending {
	struct mail_rec *rec;
	/*
	 * Its file (malloc()ed, or NULL: none) until it is read; then
	 * NULL, or why it could not be (g_malloc()ed).
	 */
	char *text;
};

#define READERS_MAX 8
/* Messages queued before a waiting reader is woken. */
#define READ_BATCH 64
#define PENDING_CHUNK 4096
/* Files read before the memory freed is given back (malloc_trim()). */
#define READ_TRIM_MIN 10000

struct build_ctx;

/*
 * A thread that walks notmuch (part of the messages, when the walk is
 * split), with its own database handle, arena and authors' names.
 */
struct walker {
	struct build_ctx *c;
	const char *path;		/* of the database, for the others */
	const char *query;
	struct arena arena;
	GStringChunk *names;
	struct err err;
	int ret;
	pthread_t thread;
};

/* A reader thread, with arenas and names of its own for what it reads. */
struct reader {
	struct build_ctx *c;
	struct arena arena, parents;
	GStringChunk *names;
	pthread_t thread;
};

/*
 * Reading the index and reading the files overlap: the threads that
 * walk notmuch (one, or two for a big walk) queue each message, reader
 * threads (one per core) take them from the queue as they come.  Each
 * thread fills an arena of its own, merged into the store's at the end.
 */
struct build_ctx {
	struct mail_reading *rd;
	/*
	 * The messages to read, in chunks of PENDING_CHUNK that never
	 * move (a reader keeps a pointer into one): a million messages
	 * take no million allocations.  Under mu.
	 */
	struct pending **chunks;
	size_t npending, alloc;
	size_t next;			/* the next pending to read, under mu */
	int done;			/* no more will be queued, under mu */
	pthread_mutex_t mu;
	pthread_cond_t more;
	struct reader readers[READERS_MAX];
	size_t nreaders;
	/*
	 * A big walk's parts: lastmod ranges of the revisions up to rev,
	 * taken in turn by whichever walker is free (next under mu).
	 */
	unsigned long rev;
	unsigned nparts, next_part;
};

static struct pending *pending_at(struct build_ctx *c, size_t i)
{
	return &c->chunks[i / PENDING_CHUNK][i % PENDING_CHUNK];
}

static void read_one(struct pending *p, struct reader *rd)
{
	struct mail_message m;
	struct err err = ERR_INIT;
	char *file = p->text;

	memset(&m, 0, sizeof(m));
	p->text = NULL;
	if (!file) {
		p->text = g_strdup_printf("%s: no file", p->rec->id);
	} else if (mail_message_load_light(&m, file, &err)) {
		p->text = g_strdup(err.msg);
	} else {
		rec_fill_from_body(p->rec, &m, &rd->arena, &rd->parents,
				   &rd->names);
		mail_rec_derive_body(p->rec, &rd->arena);
	}
	mail_message_release(&m);
	/* The subject is parsed already; the body may make it a notice. */
	mail_rec_classify(p->rec);
	free(file);
}

static void read_queue(struct build_ctx *c, struct reader *rd)
{
	for (;;) {
		struct pending *p = NULL;

		pthread_mutex_lock(&c->mu);
		while (c->next >= c->npending && !c->done)
			pthread_cond_wait(&c->more, &c->mu);
		if (c->next < c->npending) {
			p = pending_at(c, c->next);
			c->next++;
		}
		pthread_mutex_unlock(&c->mu);
		if (!p)
			return;
		read_one(p, rd);
		if (c->rd->progress)
			mail_progress_add(c->rd->progress,
					  &c->rd->progress->read);
	}
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;

	read_queue(rd->c, rd);
	return NULL;
}

static void readers_start(struct build_ctx *c)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = ncpu < 1 ? 1 : ncpu > READERS_MAX ? READERS_MAX :
		(size_t)ncpu;

	c->chunks = NULL;
	c->npending = c->alloc = 0;
	c->next = 0;
	c->done = 0;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->more, NULL);
	c->nreaders = 0;
	for (size_t i = 0; i < n; i++) {
		struct reader *rd = &c->readers[c->nreaders];

		memset(rd, 0, sizeof(*rd));
		rd->c = c;
		if (!pthread_create(&rd->thread, NULL, reader_main, rd))
			c->nreaders++;
	}
}

/* What notmuch knows; the file is read by a reader thread. */
static int add_message(const struct mail_index_msg *im, void *data)
{
	struct walker *w = data;
	struct build_ctx *c = w->c;
	struct arena *a = &w->arena;
	struct mail_rec *r = ARENA_NEW(a, struct mail_rec);
	struct pending *p;
	char *subject = g_utf8_make_valid(im->subject, -1);
	char *file = xstrdup_or_null(im->filename);

	r->id = arena_strdup(a, im->id);
	r->id_hash = g_str_hash(r->id);
	r->thread = mail_name_keep(&w->names, im->thread);
	r->date = im->date;
	r->subject = arena_strdup(a, subject);
	g_free(subject);
	parse_from(im->from, &r->from_name, &r->from_email, &w->names);
	mail_rec_derive(r, a, &w->names);
	r->fresh = 1;
	if (c->rd->progress)
		mail_progress_add(c->rd->progress, &c->rd->progress->seen);
	pthread_mutex_lock(&c->mu);
	if (c->npending % PENDING_CHUNK == 0) {
		ALLOC_GROW(c->chunks, c->npending / PENDING_CHUNK + 1,
			   c->alloc);
		c->chunks[c->npending / PENDING_CHUNK] =
			xcalloc(PENDING_CHUNK, sizeof(struct pending));
	}
	p = pending_at(c, c->npending++);
	p->rec = r;
	p->text = file;
	/*
	 * A reader is woken for a batch, not for each message: the walk
	 * of notmuch is the slower side, so the readers wait, and each
	 * wake-up is a futex call, which costs about what reading a
	 * message does under a hypervisor.
	 */
	if (c->npending - c->next >= READ_BATCH)
		pthread_cond_signal(&c->more);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

/*
 * Wait for the readers (reading in this thread what is left when none
 * could start), then add the records in the order notmuch gave them.
 */
static void readers_finish(struct build_ctx *c)
{
	struct mail_store *st = c->rd->store;
	struct vec *recs = &st->recs;
	size_t nreaders = c->nreaders ? c->nreaders : 1;

	pthread_mutex_lock(&c->mu);
	c->done = 1;
	pthread_cond_broadcast(&c->more);
	pthread_mutex_unlock(&c->mu);
	if (!c->nreaders) {
		/* None could start: this thread is the reader. */
		memset(&c->readers[0], 0, sizeof(c->readers[0]));
		c->readers[0].c = c;
		read_queue(c, &c->readers[0]);
	}
	for (size_t i = 0; i < nreaders; i++) {
		struct reader *rd = &c->readers[i];

		if (c->nreaders)
			pthread_join(rd->thread, NULL);
		arena_merge(&st->arena, &rd->arena);
		arena_merge(&st->parents, &rd->parents);
		if (rd->names)
			vec_push(&st->names, rd->names);
	}
	pthread_cond_destroy(&c->more);
	pthread_mutex_destroy(&c->mu);

	for (size_t i = 0; i < c->npending; i++) {
		struct pending *p = pending_at(c, i);
		struct mail_rec *r = p->rec, *old;

		if (p->text)
			mail_warn(c->rd->warnings, "%s", p->text);
		else
			c->rd->read++;
		old = mail_rec_lookup(c->rd->by_id, r->id, r->id_hash);
		if (old) {
			/*
			 * Changed since the cache: the new record takes the
			 * old one's place (a copy, not a search of recs);
			 * the table's key is that place, its id unchanged.
			 */
			mail_rec_release(old);
			*old = *r;
			r = old;
		} else {
			vec_push(recs, r);
			g_hash_table_insert(c->rd->by_id, r, r);
		}
		if (!c->rd->cold)
			vec_push(&c->rd->fresh, r);
		g_free(p->text);
	}
	for (size_t i = 0; i * PENDING_CHUNK < c->npending; i++)
		free(c->chunks[i]);
	free(c->chunks);
}

unsigned long mail_read_split_min = 16384;
unsigned mail_read_parts = 16;

/*
 * Walk the parts no walker took yet, one at a time: part p holds the
 * messages last changed after rev * p / nparts, up to rev * (p + 1) /
 * nparts, the last one open-ended (mail that came during the walk).
 */
static int walk_parts(struct walker *w, struct mail_index *idx,
		      struct err *err)
{
	struct build_ctx *c = w->c;

	for (;;) {
		unsigned long from, to;
		unsigned p;
		int ret;

		pthread_mutex_lock(&c->mu);
		p = c->next_part < c->nparts ? c->next_part++ : c->nparts;
		pthread_mutex_unlock(&c->mu);
		if (p == c->nparts)
			return 0;
		from = p ? c->rev * p / c->nparts + 1 : 0;
		to = p + 1 < c->nparts ? c->rev * (p + 1) / c->nparts : 0;
		ret = mail_index_each_changed(idx, w->query, from, to,
					      add_message, w, err);
		if (ret) {
			/* The others stop at their part's end. */
			pthread_mutex_lock(&c->mu);
			c->next_part = c->nparts;
			pthread_mutex_unlock(&c->mu);
			return ret;
		}
	}
}

static void *walker_main(void *arg)
{
	struct walker *w = arg;
	struct mail_index *idx = NULL;

	w->ret = mail_index_open(&idx, w->path, 0, &w->err);
	if (!w->ret)
		w->ret = walk_parts(w, idx, &w->err);
	mail_index_free(idx);
	return NULL;
}

/* The walker's records and names go to the store. */
static void walker_finish(struct walker *w, struct mail_store *st)
{
	arena_merge(&st->arena, &w->arena);
	if (w->names)
		vec_push(&st->names, w->names);
	w->names = NULL;
}

int mail_read_index(struct mail_reading *rd, struct mail_index *idx,
		    const char *query, unsigned long since, struct err *err)
{
	struct build_ctx c;
	struct walker w[2];
	const char *uuid;
	unsigned long rev = mail_index_revision(idx, &uuid);
	int split = !since && rev >= mail_read_split_min && rev >= 2 &&
		sysconf(_SC_NPROCESSORS_ONLN) > 1, started = 0;
	int ret;

	memset(&c, 0, sizeof(c));
	memset(w, 0, sizeof(w));
	c.rd = rd;
	for (int i = 0; i < 2; i++) {
		w[i].c = &c;
		w[i].query = query;
	}
	readers_start(&c);
	/*
	 * The walk of notmuch is the slow side of a cold build, and one
	 * thread's work: a big one is cut in parts by when messages last
	 * changed, walked by this thread and a second one with a database
	 * handle of its own, each taking the next part when done with
	 * one.  Revisions are not spread evenly over the messages (tags
	 * changed, mail removed and added again): two halves of the
	 * revisions held 137,000 and 63,000 messages of a 200,000
	 * database, and the walk took as long as its bigger half.
	 */
	c.rev = rev;
	c.nparts = 1;
	if (split) {
		c.nparts = mail_read_parts < 2 ? 2 : mail_read_parts;
		if (c.nparts > rev)
			c.nparts = (unsigned)rev;
		w[1].path = mail_index_path(idx);
		started = !pthread_create(&w[1].thread, NULL, walker_main,
					  &w[1]);
		/* This thread takes parts too: all, if none started. */
		ret = walk_parts(&w[0], idx, err);
	} else {
		ret = mail_index_each_changed(idx, query, since ? since + 1 : 0,
					      0, add_message, &w[0], err);
	}
	if (started) {
		pthread_join(w[1].thread, NULL);
		if (!ret && w[1].ret)
			ret = err_set(err, w[1].err.code, "%s", w[1].err.msg);
	}
	readers_finish(&c);
	for (int i = 0; i < 2; i++)
		walker_finish(&w[i], rd->store);
	rd->walks = started ? 2 : 1;
	rd->parts = c.nparts;
#ifdef __GLIBC__
	/*
	 * The walkers' and readers' threads freed what notmuch and GMime
	 * used for each message, but their malloc arenas keep the pages:
	 * give them back before grouping, where a big build peaks.
	 */
	if (rd->read >= READ_TRIM_MIN)
		malloc_trim(0);
#endif
	return ret;
}
