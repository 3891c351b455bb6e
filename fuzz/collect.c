/*
 * Fuzz target: the trailer collector of vger am and vger respin
 * (mail/collect.h).  The input is a thread: raw messages separated by
 * NUL bytes, each read with GMime (mail/message.h) and its subject
 * with the subject grammar, then handed to the collector as front/am.c
 * hands a thread to it: the first [PATCH] message names the version
 * and how many patches it has; its cover letter and patches are the
 * version's, other patch mails are of another version.  The patch id
 * (a diff's `git patch-id`) is stood in for by the patch's title, so
 * patches of two versions with one title carry trailers over.
 *
 * Run twice, strict without a .mailmap and sloppy with one that folds
 * addresses to lower case; every scoped trailer is then applied to
 * the patches its scope names, as when the user says yes.  Checked:
 * no patch gets one trailer twice, nor one it carries (the header's
 * "each once").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "mail/collect.h"
#include "mail/gmime.h"
#include "mail/message.h"
#include "mail/subject.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* Messages in one thread, patches in one version: enough to reach
 * every rule without the run growing quadratic. */
#define COLLECT_MSGS_MAX 48
#define COLLECT_PATCHES_MAX 64

struct msg {
	struct mail_message m;
	struct mail_subject s;
	char id[32];
	int parsed;
};

static char *fold_case(void *data, const char *name, const char *email)
{
	char *s;

	if (!email)
		return NULL;
	s = xstrdup(email);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

/* The invariant the collector promises: each trailer once a patch. */
static void check_once(const struct mail_collect_result *r,
		       const struct mail_collect_options *o)
{
	for (size_t i = 0; i < r->patches.n; i++) {
		const struct mail_collect_patch *p = r->patches.items[i];

		if (!p)
			continue;
		for (size_t a = 0; a < p->add.n; a++) {
			const struct mail_collect_trailer *t = p->add.items[a];

			for (size_t b = a + 1; b < p->add.n; b++) {
				const struct mail_collect_trailer *u =
					p->add.items[b];

				if (mail_collect_same(t->line, u->line, o)) {
					fprintf(stderr, "collect: patch %u "
						"gets \"%s\" and \"%s\"\n",
						p->index, t->line, u->line);
					abort();
				}
			}
			for (size_t b = 0; b < p->own.n; b++)
				if (mail_collect_same(t->line,
						      p->own.items[b], o)) {
					fprintf(stderr, "collect: patch %u "
						"gets \"%s\" it has\n",
						p->index, t->line);
					abort();
				}
		}
	}
}

static void run(const struct mail_collect_msg *cm, size_t n,
		unsigned npatches, const char *const *titles,
		const struct mail_collect_options *o)
{
	struct mail_collect_result r = MAIL_COLLECT_RESULT_INIT;

	mail_collect_run(&r, cm, n, npatches, titles, o);
	check_once(&r, o);
	for (size_t i = 0; i < r.notes.n; i++) {
		struct mail_collect_note *note = r.notes.items[i];

		if (note->why != MAIL_COLLECT_SCOPED)
			continue;
		for (size_t k = 0; k < note->ntargets; k++)
			mail_collect_apply(&r, note->targets[k], note->t, o);
	}
	check_once(&r, o);
	for (unsigned i = 1; i <= npatches; i++)
		mail_collect_patch_at(&r, i);
	mail_collect_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[COLLECT_MSGS_MAX], *buf;
	size_t n = fuzz_split(data, size, parts, COLLECT_MSGS_MAX, &buf);
	struct msg *msgs = xcalloc(n ? n : 1, sizeof(*msgs));
	struct mail_collect_msg *cm = xcalloc(n ? n : 1, sizeof(*cm));
	const char *titles[COLLECT_PATCHES_MAX] = { 0 };
	struct mail_collect_options o;
	unsigned version = 0, npatches = 0;
	int have_version = 0;

	mail_gmime_init();	/* once; idempotent */

	for (size_t i = 0; i < n; i++) {
		struct msg *m = &msgs[i];
		struct err err = ERR_INIT;

		m->s = (struct mail_subject)MAIL_SUBJECT_INIT;
		m->parsed = !mail_message_parse(&m->m, parts[i],
						strlen(parts[i]), "fuzz",
						&err);
		snprintf(m->id, sizeof(m->id), "fuzz-%zu", i);
		if (!m->parsed)
			continue;
		mail_subject_parse(&m->s, m->m.subject ? m->m.subject : "");
		if (!have_version && m->s.kind == MAIL_SUBJECT_PATCH &&
		    !(m->s.flags & MAIL_SUBJECT_REPLY)) {
			have_version = 1;
			version = m->s.version;
			npatches = m->s.total ? m->s.total : 1;
			if (npatches > COLLECT_PATCHES_MAX)
				npatches = COLLECT_PATCHES_MAX;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct msg *m = &msgs[i];
		struct mail_collect_msg *c = &cm[i];
		int patch_mail;

		c->id = m->parsed && m->m.message_id ? m->m.message_id : m->id;
		c->body = m->parsed && m->m.body ? m->m.body : "";
		if (!m->parsed)
			continue;
		c->from_name = m->m.from_name;
		c->from_email = m->m.from_email;
		c->parent = m->m.in_reply_to;
		if (!c->parent && m->m.references.n)
			c->parent = m->m.references.items[
				m->m.references.n - 1];
		patch_mail = m->s.kind == MAIL_SUBJECT_PATCH &&
			     !(m->s.flags & MAIL_SUBJECT_REPLY);
		if (!patch_mail)
			continue;
		if (m->s.version != version) {
			c->other = 1;
		} else if (m->s.index == 0 && m->s.total > 0) {
			c->cover = 1;
		} else {
			unsigned index = m->s.index ? m->s.index : 1;

			if (index <= npatches && !titles[index - 1]) {
				c->patch = index;
				titles[index - 1] = m->s.title;
			} else {
				c->other = 1;
			}
		}
		if (!c->cover)
			c->patch_id = m->s.title;
	}

	memset(&o, 0, sizeof(o));
	run(cm, n, npatches, titles, &o);
	o.sloppy = 1;
	o.mailmap = fold_case;
	run(cm, n, npatches, titles, &o);

	for (size_t i = 0; i < n; i++) {
		if (msgs[i].parsed)
			mail_subject_release(&msgs[i].s);
		mail_message_release(&msgs[i].m);
	}
	free(cm);
	free(msgs);
	free(buf);
	return 0;
}
