#include <stdlib.h>
#include <string.h>

#include "mail/model.h"
#include "mail/private.h"
#include "mail/thread.h"
#include "util/xmalloc.h"

/* How far up a reply's references are followed to find its parent. */
#define THREAD_PARENT_MAX 64

/* The record of every message in the model, by id (built once). */
static GHashTable *records_by_id(struct mail_store *st)
{
	if (!st->by_id) {
		st->by_id = g_hash_table_new(g_str_hash, g_str_equal);
		/* A record changed twice is there twice: the later wins. */
		for (size_t i = 0; i < st->recs.n; i++) {
			struct mail_rec *r = st->recs.items[i];

			g_hash_table_insert(st->by_id, r->id, r);
		}
	}
	return st->by_id;
}

struct node {
	struct mail_rec *rec;
	struct node *parent;
	GPtrArray *children;	/* struct node *, oldest first */
	unsigned patch;		/* 1..N when it is patch N of the version */
	int cover;
	int placed;		/* emitted */
};

static int node_date_cmp(gconstpointer a, gconstpointer b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;

	if (x->rec->date != y->rec->date)
		return x->rec->date < y->rec->date ? -1 : 1;
	return strcmp(x->rec->id, y->rec->id);
}

static void add_child(struct node *parent, struct node *child)
{
	if (!parent->children)
		parent->children = g_ptr_array_new();
	g_ptr_array_add(parent->children, child);
	child->parent = parent;
}

static struct mail_thread_msg *msg_of(const struct node *n, unsigned depth)
{
	const struct mail_rec_more *x = mail_rec_more(n->rec);
	struct mail_thread_msg *m = xcalloc(1, sizeof(*m));

	m->id = n->rec->id;
	m->parent = n->rec->parent;
	m->subject = n->rec->subject;
	m->from_name = n->rec->from_name;
	m->from_email = n->rec->from_email;
	m->date = n->rec->date;
	m->depth = depth;
	m->patch = n->patch;
	m->cover = n->cover;
	/* The record keeps an array of them, not a vector. */
	for (unsigned i = 0; i < x->ngiven; i++)
		vec_push(&m->given_vec, &x->given[i]);
	m->given = x->ngiven ? &m->given_vec : NULL;
	return m;
}

/*
 * Emit n and the replies under it, depth first, without recursion (a
 * thread may be a thousand replies deep).  Patches and the cover
 * letter are emitted at the top level, never as someone's reply.
 */
static void emit(struct node *root, struct vec *out)
{
	GPtrArray *stack = g_ptr_array_new();
	GArray *depths = g_array_new(FALSE, FALSE, sizeof(unsigned));
	unsigned d = 0;

	g_ptr_array_add(stack, root);
	g_array_append_val(depths, d);
	while (stack->len) {
		struct node *n = g_ptr_array_index(stack, stack->len - 1);
		unsigned depth = g_array_index(depths, unsigned,
					       depths->len - 1);

		g_ptr_array_remove_index(stack, stack->len - 1);
		g_array_remove_index(depths, depths->len - 1);
		if (n->placed)
			continue;
		n->placed = 1;
		vec_push(out, msg_of(n, depth));
		if (!n->children)
			continue;
		/* Pushed newest first, so the oldest comes out first. */
		for (guint i = n->children->len; i-- > 0;) {
			struct node *c = g_ptr_array_index(n->children, i);

			if (c->patch || c->cover)
				continue;
			d = depth + 1;
			g_ptr_array_add(stack, c);
			g_array_append_val(depths, d);
		}
	}
	g_ptr_array_free(stack, TRUE);
	g_array_free(depths, TRUE);
}

int mail_version_thread(const struct mail_model *m,
			const struct mail_version *v, struct vec *out)
{
	GHashTable *by_id, *nodes;
	struct node **patches, *cover = NULL;
	GPtrArray *loose, *all;
	unsigned n = v->patches_expected;

	if (!m->store || !m->store->recs.n)
		return -1;
	for (size_t i = 0; i < v->patches.n; i++) {
		const struct mail_patch *p = v->patches.items[i];

		if (p->index > n)
			n = p->index;
	}
	by_id = records_by_id(m->store);
	nodes = g_hash_table_new(g_str_hash, g_str_equal);
	all = g_ptr_array_new_with_free_func(free);
	loose = g_ptr_array_new();
	patches = xcalloc(n + 1, sizeof(*patches));
	for (size_t i = 0; i < v->message_ids.n; i++) {
		struct mail_rec *r = g_hash_table_lookup(by_id,
							 v->message_ids.items[i]);
		struct node *nd;

		if (!r || g_hash_table_contains(nodes, r->id))
			continue;
		nd = xcalloc(1, sizeof(*nd));
		nd->rec = r;
		g_hash_table_insert(nodes, r->id, nd);
		g_ptr_array_add(all, nd);
	}
	for (size_t i = 0; i < v->patches.n; i++) {
		const struct mail_patch *p = v->patches.items[i];
		struct node *nd = g_hash_table_lookup(nodes, p->message_id);

		if (nd && p->index >= 1 && p->index <= n && !patches[p->index]) {
			nd->patch = p->index;
			patches[p->index] = nd;
		}
	}
	if (v->has_cover) {
		cover = g_hash_table_lookup(nodes, v->message_id);
		if (cover && !cover->patch)
			cover->cover = 1;
		else
			cover = NULL;
	}
	/* Every other message under the nearest ancestor in the version. */
	for (size_t i = 0; i < v->message_ids.n; i++) {
		struct node *nd = g_hash_table_lookup(nodes,
						      v->message_ids.items[i]);
		struct mail_rec *a;
		struct node *parent = NULL;

		if (!nd || nd->patch || nd->cover || nd->parent)
			continue;
		a = nd->rec->parent_rec;
		for (int k = 0; a && !parent && k < THREAD_PARENT_MAX; k++) {
			parent = g_hash_table_lookup(nodes, a->id);
			if (parent == nd)
				parent = NULL;	/* a loop */
			a = a->parent_rec;
		}
		/* No ancestor here: the patch the subject names, or the cover. */
		if (!parent && nd->rec->subj.index >= 1 &&
		    nd->rec->subj.index <= n)
			parent = patches[nd->rec->subj.index];
		if (!parent)
			parent = cover;
		if (parent)
			add_child(parent, nd);
		else
			g_ptr_array_add(loose, nd);
	}
	for (guint i = 0; i < all->len; i++) {
		struct node *nd = g_ptr_array_index(all, i);

		if (nd->children)
			g_ptr_array_sort(nd->children, node_date_cmp);
	}
	g_ptr_array_sort(loose, node_date_cmp);
	if (cover)
		emit(cover, out);
	for (unsigned i = 1; i <= n; i++) {
		if (patches[i]) {
			emit(patches[i], out);
		} else if (i <= v->patches_expected) {
			struct mail_thread_msg *gap = xcalloc(1, sizeof(*gap));

			gap->patch = i;
			vec_push(out, gap);
		}
	}
	for (guint i = 0; i < loose->len; i++)
		emit(g_ptr_array_index(loose, i), out);
	/* What hangs under a message in a loop is still shown. */
	g_ptr_array_sort(all, node_date_cmp);
	for (guint i = 0; i < all->len; i++) {
		struct node *nd = g_ptr_array_index(all, i);

		if (!nd->placed)
			emit(nd, out);
	}
	for (guint i = 0; i < all->len; i++) {
		struct node *nd = g_ptr_array_index(all, i);

		if (nd->children)
			g_ptr_array_free(nd->children, TRUE);
	}
	free(patches);
	g_ptr_array_free(loose, TRUE);
	g_ptr_array_free(all, TRUE);
	g_hash_table_destroy(nodes);
	return 0;
}

void mail_thread_prepare(const struct mail_model *m)
{
	if (m->store && m->store->recs.n)
		records_by_id(m->store);
}

static void msg_free(void *p)
{
	struct mail_thread_msg *m = p;

	vec_release(&m->given_vec, NULL);
	free(m);
}

void mail_thread_release(struct vec *out)
{
	vec_release(out, msg_free);
}
