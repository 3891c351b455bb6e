#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/index.h"
#include "mail/model.h"
#include "tui/app.h"
#include "tui/tags.h"
#include "tui/view.h"
#include "util/date.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

/* Message ids in one notmuch query at most (Xapian parses it whole). */
#define IDS_PER_QUERY 500

static GHashTable *set_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static int add_to_set(const char *thread, const char *id, void *data)
{
	(void)id;
	if (!g_hash_table_contains(data, thread))
		g_hash_table_insert(data, g_strdup(thread), NULL);
	return 0;
}

struct snoozed_ctx {
	struct vec threads, ids;
};

static int add_snoozed(const char *thread, const char *id, void *data)
{
	struct snoozed_ctx *c = data;

	vec_push_str(&c->threads, thread);
	vec_push_str(&c->ids, id);
	return 0;
}

/* thread -> the latest wake of its snoozed messages. */
static int load_snoozed(struct mail_index *idx, const char *base,
			GHashTable *out, struct err *err)
{
	struct snoozed_ctx c = { VEC_INIT, VEC_INIT };
	struct sbuf q = SBUF_INIT;
	int ret;

	sbuf_addf(&q, "tag:%s and (%s)", TUI_TAG_SNOOZED, base);
	ret = mail_index_each_thread(idx, q.buf, add_snoozed, &c, err);
	for (size_t i = 0; !ret && i < c.ids.n; i++) {
		struct vec tags = VEC_INIT;

		if (mail_index_message(idx, c.ids.items[i], NULL, &tags,
				       NULL) == 0) {
			for (size_t k = 0; k < tags.n; k++) {
				const char *t = tags.items[k];
				const char *old;

				if (strncmp(t, TUI_TAG_SNOOZED_PREFIX,
					    strlen(TUI_TAG_SNOOZED_PREFIX)))
					continue;
				t += strlen(TUI_TAG_SNOOZED_PREFIX);
				old = g_hash_table_lookup(out,
							  c.threads.items[i]);
				if (!old || strcmp(old, t) < 0)
					g_hash_table_insert(
						out, g_strdup(c.threads.items[i]),
						g_strdup(t));
			}
		}
		vec_release_str(&tags);
	}
	vec_release_str(&c.threads);
	vec_release_str(&c.ids);
	sbuf_release(&q);
	return ret;
}

/* Read the sets of the messages matching base into t (added to it). */
static int load_sets(struct mail_index *idx, const char *base,
		     struct tui_tagsets *t, struct err *err)
{
	static const char *const tags[] = { "unread", "muted", "flagged" };
	GHashTable *sets[] = { t->unread, t->muted, t->flagged };
	int ret = 0;

	for (size_t i = 0; !ret && i < 3; i++) {
		struct sbuf q = SBUF_INIT;

		sbuf_addf(&q, "tag:%s and (%s)", tags[i], base);
		ret = mail_index_each_thread(idx, q.buf, add_to_set, sets[i],
					     err);
		sbuf_release(&q);
	}
	if (!ret)
		ret = load_snoozed(idx, base, t->snoozed, err);
	return ret;
}

static void sets_new(struct tui_tagsets *t)
{
	t->unread = set_new();
	t->muted = set_new();
	t->flagged = set_new();
	t->snoozed = set_new();
}

int tui_tagsets_load(const struct front_model_source *src,
		     struct tui_tagsets *out, struct err *err)
{
	struct mail_index *idx = NULL;
	int ret;

	sets_new(out);
	ret = mail_index_open(&idx, src->db, 0, err);
	if (!ret)
		ret = load_sets(idx, src->query ? src->query :
				MAIL_DEFAULT_QUERY, out, err);
	mail_index_free(idx);
	if (ret)
		tui_tagsets_release(out);
	return ret;
}

void tui_tagsets_release(struct tui_tagsets *t)
{
	GHashTable **sets[] = { &t->unread, &t->muted, &t->flagged,
				&t->snoozed };

	for (size_t i = 0; i < 4; i++) {
		if (*sets[i])
			g_hash_table_destroy(*sets[i]);
		*sets[i] = NULL;
	}
}

/* "id:a or id:b ..." for ids[from..from+n). */
static void ids_query(struct sbuf *q, const struct vec *ids, size_t from,
		      size_t n)
{
	for (size_t i = from; i < from + n && i < ids->n; i++) {
		if (i > from)
			sbuf_addstr(q, " or ");
		mail_index_add_id_term(q, ids->items[i]);
	}
}

static int collect_thread(const char *thread, const char *id, void *data)
{
	(void)id;
	vec_push_str_unique(data, thread);
	return 0;
}

/* Read again what the tags of these threads say, into app's sets. */
static int refresh_threads(struct tui_app *app, struct mail_index *idx,
			   const struct vec *threads, struct err *err)
{
	struct tui_tagsets t = { app->unread, app->muted, app->flagged,
				 app->snoozed };
	struct sbuf q = SBUF_INIT;
	int ret = 0;

	if (!app->unread)
		return 0;	/* not read yet: the load will see it all */
	for (size_t i = 0; i < threads->n; i++) {
		const char *th = threads->items[i];

		g_hash_table_remove(app->unread, th);
		g_hash_table_remove(app->muted, th);
		g_hash_table_remove(app->flagged, th);
		g_hash_table_remove(app->snoozed, th);
	}
	for (size_t i = 0; !ret && i < threads->n; i += IDS_PER_QUERY) {
		sbuf_reset(&q);
		for (size_t k = i; k < i + IDS_PER_QUERY && k < threads->n;
		     k++)
			sbuf_addf(&q, "%sthread:%s", k > i ? " or " : "",
				  (const char *)threads->items[k]);
		ret = load_sets(idx, q.buf, &t, err);
	}
	sbuf_release(&q);
	return ret;
}

long tui_tags_apply(struct tui_app *app, const struct vec *ids,
		    const char *changes, struct err *err)
{
	struct vec add = VEC_INIT, remove = VEC_INIT, threads = VEC_INIT;
	struct mail_index *idx = NULL;
	struct sbuf q = SBUF_INIT, word = SBUF_INIT;
	const char *p = changes;
	size_t changed = 0;
	long ret = 0;

	while (*p) {
		while (*p == ' ')
			p++;
		sbuf_reset(&word);
		while (*p && *p != ' ')
			sbuf_addch(&word, *p++);
		if (!word.len)
			break;
		if (word.buf[0] == '-' && word.len > 1)
			vec_push_str(&remove, word.buf + 1);
		else if (word.buf[0] == '+' && word.len > 1)
			vec_push_str(&add, word.buf + 1);
		else if (word.buf[0] != '+' && word.buf[0] != '-')
			vec_push_str(&add, word.buf);
	}
	if (!add.n && !remove.n) {
		ret = err_set(err, ERR_PARSE, "no tags in '%s' (+tag -tag)",
			      changes);
		goto out;
	}
	if (!ids->n)
		goto out;
	/* mail_index_open() waits for notmuch new's lock, then says so. */
	ret = mail_index_open(&idx, app->src.db, MAIL_INDEX_WRITE, err);
	if (ret)
		goto out;
	for (size_t i = 0; !ret && i < ids->n; i += IDS_PER_QUERY) {
		size_t n = 0;

		sbuf_reset(&q);
		ids_query(&q, ids, i, IDS_PER_QUERY);
		ret = mail_index_tag(idx, q.buf, &add, &remove, &n, err);
		changed += n;
		if (!ret)
			ret = mail_index_each_thread(idx, q.buf, collect_thread,
						     &threads, err);
	}
	if (!ret)
		ret = refresh_threads(app, idx, &threads, err);
	if (strstr(changes, "muted") || strstr(changes, TUI_TAG_SNOOZED))
		app->hidden_gen++;
	if (!ret)
		ret = (long)changed;
out:
	mail_index_free(idx);
	vec_release_str(&add);
	vec_release_str(&remove);
	vec_release_str(&threads);
	sbuf_release(&q);
	sbuf_release(&word);
	return ret;
}

int tui_tags_message_flags(const struct tui_app *app, const char *id,
			   unsigned *flags, struct err *err)
{
	struct mail_index *idx = NULL;
	struct vec tags = VEC_INIT;
	int ret;

	*flags = 0;
	ret = mail_index_open(&idx, app->src.db, 0, err);
	if (!ret)
		ret = mail_index_message(idx, id, NULL, &tags, err);
	for (size_t i = 0; !ret && i < tags.n; i++) {
		if (!strcmp(tags.items[i], "unread"))
			*flags |= TUI_SERIES_UNREAD;
		else if (!strcmp(tags.items[i], "flagged"))
			*flags |= TUI_SERIES_FLAGGED;
		else if (!strcmp(tags.items[i], "muted"))
			*flags |= TUI_SERIES_MUTED;
	}
	vec_release_str(&tags);
	mail_index_free(idx);
	return ret;
}

static int add_id(const char *thread, const char *id, void *data)
{
	(void)thread;
	if (!g_hash_table_contains(data, id))
		g_hash_table_insert(data, g_strdup(id), NULL);
	return 0;
}

int tui_tags_unread(const struct tui_app *app, const struct vec *ids,
		    GHashTable *out, struct err *err)
{
	struct mail_index *idx = NULL;
	struct sbuf q = SBUF_INIT;
	int ret;

	ret = mail_index_open(&idx, app->src.db, 0, err);
	for (size_t i = 0; !ret && i < ids->n; i += IDS_PER_QUERY) {
		sbuf_reset(&q);
		sbuf_addstr(&q, "tag:unread and (");
		ids_query(&q, ids, i, IDS_PER_QUERY);
		sbuf_addch(&q, ')');
		ret = mail_index_each_thread(idx, q.buf, add_id, out, err);
	}
	mail_index_free(idx);
	sbuf_release(&q);
	return ret;
}

int tui_snooze_woken(const struct tui_app *app, const char *wake)
{
	long day;
	int major, minor;

	if (!date_parse_ymd(wake, &day))
		return tui_app_today(app) >= day;
	if (sscanf(wake, "v%d.%d-rc1", &major, &minor) == 2) {
		const struct cal_window *w = &app->window;

		if (!app->have_window)
			return 0;
		/* Out once the cycle is past X.Y's merge window. */
		if (w->next_major != major)
			return w->next_major > major;
		if (w->next_minor != minor)
			return w->next_minor > minor;
		return !w->merge_window_open && w->rc >= 1;
	}
	return 1;	/* a wake we cannot read: never hide forever */
}

/* "-snoozed/WAKE" for every snooze tag the messages carry now. */
static int old_snoozes(const struct tui_app *app, const struct vec *ids,
		       struct sbuf *changes, struct err *err)
{
	struct mail_index *idx = NULL;
	struct vec seen = VEC_INIT;
	int ret = mail_index_open(&idx, app->src.db, 0, err);

	for (size_t i = 0; !ret && i < ids->n; i++) {
		struct vec tags = VEC_INIT;

		if (!mail_index_message(idx, ids->items[i], NULL, &tags, NULL))
			for (size_t k = 0; k < tags.n; k++)
				if (!strncmp(tags.items[k],
					     TUI_TAG_SNOOZED_PREFIX,
					     strlen(TUI_TAG_SNOOZED_PREFIX)) &&
				    vec_push_str_unique(&seen, tags.items[k]))
					sbuf_addf(changes, " -%s",
						  (char *)tags.items[k]);
		vec_release_str(&tags);
	}
	mail_index_free(idx);
	vec_release_str(&seen);
	return ret;
}

int tui_snooze_changes(struct tui_app *app, const struct tui_target *t,
		       const char *arg, struct sbuf *changes,
		       struct err *err)
{
	char wake[32];
	long day, n;
	char unit;

	if (!strcmp(arg, "off")) {
		sbuf_addstr(changes, "-" TUI_TAG_SNOOZED);
		return old_snoozes(app, &t->ids, changes, err);
	}
	if (!strcmp(arg, "reopen")) {
		const struct cal_window *w = &app->window;

		if (!app->have_window)
			return err_set(err, ERR_NOTFOUND, "no merge-window "
				       "data to snooze on");
		if (w->bpf_next_open)
			return err_set(err, ERR_PARSE, "bpf-next is open: "
				       "nothing to wait for");
		snprintf(wake, sizeof(wake), "v%d.%d-rc1", w->next_major,
			 w->next_minor);
	} else if (!date_parse_ymd(arg, &day)) {
		date_format_ymd(day, wake, sizeof(wake));
	} else if (sscanf(arg, "%ld%c", &n, &unit) == 2 && n > 0 &&
		   n < 3650 && (unit == 'd' || unit == 'w')) {
		date_format_ymd(tui_app_today(app) + n * (unit == 'w' ? 7 : 1),
				wake, sizeof(wake));
	} else {
		return err_set(err, ERR_PARSE, "snooze until '%s'? "
			       "(YYYY-MM-DD, 3d, 2w, reopen, off)", arg);
	}
	sbuf_addf(changes, "+%s +%s%s", TUI_TAG_SNOOZED,
		  TUI_TAG_SNOOZED_PREFIX, wake);
	return old_snoozes(app, &t->ids, changes, err);
}
