#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front/calendar.h"
#include "front/clock.h"
#include "front/credential.h"
#include "front/hooks.h"
#include "front/identity.h"
#include "front/private.h"
#include "front/send.h"
#include "mail/address.h"
#include "mail/compose.h"
#include "mail/index.h"
#include "mail/maildir.h"
#include "mail/send.h"
#include "mail/send_record.h"
#include "mail/smtp.h"
#include "series/respin.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

struct front_send {
	struct front_send_options o;	/* strings borrowed */
	struct mail_send_series s;
	struct mail_smtp *smtp;
	char *record;
	/* found under another key (its files moved): where, or NULL */
	char *moved_from;
	char *incomplete;	/* partial: what is missing, else NULL */
	int lock;
	size_t todo;
	char *pass;		/* asked for; wiped when freed */
	int sent_now;		/* this run sent a message */
	struct mail_index *index;	/* index_sent: opened once */
	const struct front_hooks *h;
};

/* ---- the hooks, each optional ---- */

static void progress(struct front_send *fs, enum front_step step, size_t i,
		     const char *why)
{
	struct front_progress p;
	const struct mail_send_msg *m = i < fs->s.msgs.n ?
		fs->s.msgs.items[i] : NULL;

	memset(&p, 0, sizeof(p));
	p.step = step;
	p.i = i;
	p.n = fs->s.msgs.n;
	p.path = m ? m->path : NULL;
	p.subject = m ? m->subject : NULL;
	p.why = why;
	front_progress(fs->h, &p);
}

static int interrupted(struct front_send *fs)
{
	return fs->h->interrupted && fs->h->interrupted(fs->h->data);
}

/* ---- reading ---- */

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int front_send_collect(const char *const *names, size_t n, struct vec *out,
		       struct err *err)
{
	struct stat st;

	if (n == 1 && !stat(names[0], &st) && S_ISDIR(st.st_mode)) {
		const char *dir = names[0];
		DIR *d = opendir(dir);
		struct dirent *de;
		size_t before = out->n;

		if (!d)
			return err_set(err, ERR_IO, "%s: %s", dir,
				       strerror(errno));
		while ((de = readdir(d))) {
			char *p;

			if (de->d_name[0] == '.' ||
			    !str_ends_with(de->d_name, ".patch"))
				continue;
			p = path_join(dir, de->d_name);
			if (!stat(p, &st) && S_ISREG(st.st_mode))
				vec_push(out, p);
			else
				free(p);
		}
		closedir(d);
		vec_sort(out, name_cmp);
		if (out->n == before)
			return err_set(err, ERR_NOTFOUND, "%s: no *.patch "
				       "files to send", dir);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const char *p = names[i];

		if (stat(p, &st))
			return err_set(err, ERR_NOTFOUND, "%s: %s", p,
				       strerror(errno));
		if (S_ISDIR(st.st_mode))
			return err_set(err, ERR_USAGE, "%s is a directory: "
				       "give one directory or patch files",
				       p);
		if (!S_ISREG(st.st_mode))
			return err_set(err, ERR_USAGE, "%s is not a file", p);
		vec_push_str(out, p);
	}
	return 0;
}

/*
 * The record of an earlier sending: under the series' key, else found
 * by the files' content (the directory was renamed or moved) and
 * carried to the key's place.  --resume with no record at all is
 * refused: it would send everything again, under new Message-Ids.
 */
static int open_record(struct front_send *fs, const char *dir,
		       struct err *err)
{
	char *other = NULL;
	int lock = -1, ret, found = fs_exists(fs->record);

	if (found)
		return mail_send_record_load(&fs->s, fs->record, err);
	if (mail_send_record_find(dir, &fs->s, fs->record, &other)) {
		ret = fs->o.dry_run ? 0 :
		      mail_send_record_lock(other, &lock, err);
		if (!ret)
			ret = mail_send_record_load_moved(&fs->s, other, err);
		if (!ret && !fs->o.dry_run) {
			ret = mail_send_record_save(&fs->s, fs->record, err);
			if (!ret)
				unlink(other);
		}
		if (lock >= 0)
			close(lock);
		if (ret) {
			free(other);
			return ret;
		}
		fs->moved_from = other;
		return 0;
	}
	if (fs->o.resume)
		return err_set(err, ERR_STATE, "--resume: there is no record "
			       "of an earlier sending of this series in %s, "
			       "under its files' names or their content, so "
			       "what went out is not known; without --resume "
			       "all %zu messages are sent", dir,
			       fs->s.msgs.n);
	return 0;
}

int front_send_open(struct front_send **out,
		    const struct front_send_options *o, struct err *err)
{
	struct front_send *fs = xcalloc(1, sizeof(*fs));
	struct mail_send_series init = MAIL_SEND_SERIES_INIT;
	struct mail_send_options so;
	struct err part = ERR_INIT;
	char *state = NULL, *dir;
	int ret;

	*out = fs;
	fs->o = *o;
	fs->s = init;
	fs->lock = -1;
	ret = mail_smtp_new(&fs->smtp, o->smtp, err);
	if (!ret)
		ret = mail_send_read(&fs->s, o->files, o->nfiles, err);
	if (ret)
		return ret;
	if (mail_send_check_complete(&fs->s, &part)) {
		if (!o->partial)
			return err_set(err, part.code, "%s", part.msg);
		fs->incomplete = xstrdup(part.msg);
	}
	if (o->record_dir) {
		dir = xstrdup(o->record_dir);
	} else {
		state = fs_xdg_state_dir();
		dir = path_join(state, "send");
		free(state);
	}
	fs->record = mail_send_record_path(dir, &fs->s);
	if (!o->dry_run)
		ret = mail_send_record_lock(fs->record, &fs->lock, err);
	if (!ret)
		ret = open_record(fs, dir, err);
	free(dir);
	if (ret)
		return ret;
	for (size_t i = 0; i < fs->s.msgs.n; i++)
		if (((struct mail_send_msg *)fs->s.msgs.items[i])->status !=
		    MAIL_SEND_SENT)
			fs->todo++;
	if (!fs->todo)
		return 0;
	memset(&so, 0, sizeof(so));
	so.from = o->from;
	so.to = o->to;
	so.cc = o->cc;
	so.bcc = o->bcc;
	so.thread = o->thread;
	so.now = time(NULL);
	so.pid = (long)getpid();
	return mail_send_compose(&fs->s, &so, err);
}

void front_send_free(struct front_send *fs)
{
	if (!fs)
		return;
	if (fs->lock >= 0)
		close(fs->lock);
	mail_smtp_free(fs->smtp);
	mail_index_free(fs->index);
	mail_send_series_release(&fs->s);
	if (fs->pass) {
		memset(fs->pass, 0, strlen(fs->pass));
		free(fs->pass);
	}
	free(fs->record);
	free(fs->moved_from);
	free(fs->incomplete);
	free(fs);
}

const struct mail_send_series *front_send_series(const struct front_send *fs)
{
	return &fs->s;
}

size_t front_send_todo(const struct front_send *fs)
{
	return fs->todo;
}

const char *front_send_record(const struct front_send *fs)
{
	return fs->record;
}

const char *front_send_url(const struct front_send *fs)
{
	return mail_smtp_url(fs->smtp);
}

/* ---- the questions ---- */

static void format_when(time_t t, char *out, size_t size)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

/*
 * The merge-window gate: a closed target tree is said, and asked about
 * even with yes; only force_closed_tree sends without asking, and
 * without a way to ask nothing is sent.  0 to go on, -1 to stop.
 */
static int closed_tree_gate(struct front_send *fs)
{
	struct sbuf msg = SBUF_INIT, q = SBUF_INIT;
	const char *tree = fs->s.tree;
	time_t now = fs->o.now ? fs->o.now : front_now();
	int ret = 0;

	if (!tree || !front_tree_closed(fs->o.cfg, tree, now, &msg))
		goto out;
	front_say(fs->h, FRONT_NOTE, "%s", msg.buf);
	if (fs->s.rfc)
		front_say(fs->h, FRONT_NOTE, "this is an RFC; %s accepts RFCs "
			  "during the merge window", tree);
	if (fs->o.dry_run)
		goto out;
	if (fs->o.force_closed_tree) {
		front_say(fs->h, FRONT_NOTE,
			  "sending anyway (--force-closed-tree)");
		goto out;
	}
	sbuf_addf(&q, "Send to %s while it is closed?", tree);
	if (front_ask(fs->h, FRONT_ASK_CLOSED_TREE, q.buf, tree) != FRONT_YES)
		ret = -1;
out:
	sbuf_release(&msg);
	sbuf_release(&q);
	return ret;
}

/*
 * What an earlier run sent: skipped with resume; else asked about
 * (with or without yes), refused without a way to ask.
 */
static int resume_gate(struct front_send *fs)
{
	size_t sent = 0, unsure = 0, n = fs->s.msgs.n;
	struct sbuf q = SBUF_INIT, what = SBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		const struct mail_send_msg *m = fs->s.msgs.items[i];
		char when[32];

		if (m->status == MAIL_SEND_SENT)
			sent++;
		if (m->status != MAIL_SEND_UNSURE)
			continue;
		unsure++;
		format_when(m->sent_at, when, sizeof(when));
		front_say(fs->h, FRONT_WARNING, "%s may have been delivered on "
			  "%s (the server did not answer after its data); a "
			  "resumed run sends it again with the same "
			  "Message-Id", m->path, when);
	}
	if ((!sent && !unsure) || fs->o.resume || fs->o.dry_run)
		goto out;
	sbuf_addf(&what, "%zu of %zu messages of this series were sent "
		  "before", sent, n);
	if (unsure)
		sbuf_addf(&what, ", %zu more perhaps", unsure);
	sbuf_addf(&what, " (record %s)", fs->record);
	sbuf_addf(&q, "%s; send the other %zu?", what.buf, n - sent);
	if (front_ask(fs->h, FRONT_ASK_RESUME, q.buf, what.buf) != FRONT_YES)
		ret = -1;
out:
	sbuf_release(&q);
	sbuf_release(&what);
	return ret;
}

/*
 * The blind copies the files' own Bcc: headers ask for: said, file by
 * file, and asked about even with yes, for a Bcc: in a file is what a
 * header smuggled in from mail would look like.  Without a way to ask,
 * nothing is sent.
 */
static int file_bcc_gate(struct front_send *fs)
{
	struct vec all = VEC_INIT;
	struct sbuf list = SBUF_INIT, q = SBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < fs->s.msgs.n; i++) {
		const struct mail_send_msg *m = fs->s.msgs.items[i];
		struct sbuf line = SBUF_INIT;

		if (m->status == MAIL_SEND_SENT || !m->file_bcc.n)
			continue;
		sbuf_addf(&line, "%s has a Bcc: header: a blind copy to ",
			  m->path);
		for (size_t j = 0; j < m->file_bcc.n; j++) {
			sbuf_addf(&line, "%s%s", j ? ", " : "",
				  (const char *)m->file_bcc.items[j]);
			vec_push_str_unique(&all, m->file_bcc.items[j]);
		}
		front_say(fs->h, FRONT_WARNING, "%s", line.buf);
		sbuf_release(&line);
	}
	if (!all.n || fs->o.dry_run)
		goto out;
	for (size_t i = 0; i < all.n; i++)
		sbuf_addf(&list, "%s%s", i ? ", " : "",
			  (const char *)all.items[i]);
	sbuf_addf(&q, "Send blind copies to %s, as the files' Bcc: "
		  "header%s ask%s?", list.buf, all.n == 1 ? "" : "s",
		  all.n == 1 ? "s" : "");
	if (front_ask(fs->h, FRONT_ASK_FILE_BCC, q.buf, list.buf) !=
	    FRONT_YES)
		ret = -1;
out:
	vec_release_str(&all);
	sbuf_release(&list);
	sbuf_release(&q);
	return ret;
}

void front_send_recipients(const struct front_send *fs, struct vec *to,
			   struct vec *cc)
{
	for (size_t i = 0; i < fs->s.msgs.n; i++) {
		const struct mail_send_msg *m = fs->s.msgs.items[i];

		if (m->status == MAIL_SEND_SENT)
			continue;
		for (size_t j = 0; j < m->to.n; j++)
			vec_push_str_unique(to, m->to.items[j]);
		for (size_t j = 0; j < m->cc.n; j++)
			vec_push_str_unique(cc, m->cc.items[j]);
	}
}

/* The general question, unless yes. */
static int confirm_gate(struct front_send *fs)
{
	struct vec to = VEC_INIT, cc = VEC_INIT;
	struct sbuf q = SBUF_INIT;
	int ret = 0;

	if (fs->o.yes)
		return 0;
	front_send_recipients(fs, &to, &cc);
	for (size_t i = 0; i < cc.n; i++)
		vec_push_str_unique(&to, cc.items[i]);
	sbuf_addf(&q, "Send this series of %zu message%s to %s", fs->todo,
		  fs->todo == 1 ? "" : "s",
		  to.n ? (const char *)to.items[0] : "?");
	if (to.n > 1)
		sbuf_addf(&q, " and %zu more", to.n - 1);
	sbuf_addch(&q, '?');
	if (front_ask(fs->h, FRONT_ASK_CONFIRM, q.buf, NULL) != FRONT_YES)
		ret = -1;
	vec_release_str(&to);
	vec_release_str(&cc);
	sbuf_release(&q);
	return ret;
}

/*
 * The password when a user is set and none is configured: git's
 * credential helpers first, then the hook.
 */
static int password(struct front_send *fs)
{
	const struct mail_smtp_options *so = fs->o.smtp;
	struct sbuf prompt = SBUF_INIT;
	struct err err = ERR_INIT;

	if (!so->user || so->pass)
		return 0;
	if (fs->o.credential_host) {
		int rc = front_credential_fill(fs->o.credential_host,
					       so->user, &fs->pass, &err);

		if (rc < 0)
			front_say(fs->h, FRONT_WARNING, "git credential: %s",
				  err.msg);
	}
	if (!fs->pass && fs->h->password) {
		sbuf_addf(&prompt, "Password for %s at %s: ", so->user,
			  mail_smtp_url(fs->smtp));
		fs->pass = fs->h->password(fs->h->data, prompt.buf);
		sbuf_release(&prompt);
	}
	if (!fs->pass)
		return -1;
	mail_smtp_set_password(fs->smtp, fs->pass);
	return 0;
}

/* ---- sending ---- */

/* Tag query q (one id) with tag; a failure is said. */
static void tag_one(struct front_send *fs, const char *id, const char *tag)
{
	struct sbuf q = SBUF_INIT;
	struct vec add = VEC_INIT;
	struct err err = ERR_INIT;
	size_t changed;

	mail_index_add_id_term(&q, id);
	vec_push(&add, (char *)tag);
	if (mail_index_tag(fs->index, q.buf, &add, NULL, &changed, &err))
		front_say(fs->h, FRONT_WARNING, "not tagged %s: %s", tag,
			  err.msg);
	vec_release(&add, NULL);
	sbuf_release(&q);
}

/*
 * The sent copy at path into notmuch, tagged sent; its parent tagged
 * replied.  Anything that fails is said: the mail is out.
 */
static void index_sent(struct front_send *fs, const struct mail_send_msg *m,
		       const char *path)
{
	struct err err = ERR_INIT;
	char *id;

	if (!fs->index && mail_index_open(&fs->index, fs->o.index_db,
					  MAIL_INDEX_WRITE, &err)) {
		front_say(fs->h, FRONT_WARNING, "the sent copy is not in "
			  "notmuch yet: %s", err.msg);
		return;
	}
	if (mail_index_add_file(fs->index, path, &err)) {
		front_say(fs->h, FRONT_WARNING, "the sent copy is not in "
			  "notmuch yet (notmuch new adds it): %s", err.msg);
		return;
	}
	/* "<id>" as sent; notmuch knows it without the brackets */
	id = xstrndup(m->message_id + 1, strlen(m->message_id) - 2);
	tag_one(fs, id, "sent");
	if (m->parent_id)
		tag_one(fs, m->parent_id, "replied");
	free(id);
}

static void fcc(struct front_send *fs, const struct mail_send_msg *m)
{
	struct err err = ERR_INIT;
	char *path = NULL;

	if (!fs->o.fcc)
		return;
	if (mail_maildir_deliver_flags(fs->o.fcc, m->data, m->len,
				       fs->o.index_sent ? "S" : NULL, &path,
				       &err))
		front_say(fs->h, FRONT_WARNING, "%s was sent but not saved "
			  "to vger.fcc: %s", m->path, err.msg);
	else if (fs->o.index_sent)
		index_sent(fs, m, path);
	free(path);
}

/* What the data hook of one message needs. */
struct data_ctx {
	struct front_send *fs;
	size_t i;
	struct err err;
};

/*
 * The server takes message i's data from now on: record it as perhaps
 * sent before a byte goes, so that a run killed before the answer
 * (SIGKILL, a crash, a power cut) leaves a record that says so, and a
 * resumed run sends it with the same Message-Id, saying why.
 */
static int before_data(void *arg)
{
	struct data_ctx *c = arg;

	mail_send_set_status(&c->fs->s, c->i, MAIL_SEND_UNSURE, time(NULL));
	return mail_send_record_save(&c->fs->s, c->fs->record, &c->err);
}

/*
 * Send every message not sent before, the record written before its
 * data goes (as perhaps sent) and after the server's answer.  The
 * outcome goes to res.
 */
static void send_all(struct front_send *fs, struct front_send_result *res)
{
	struct err err = ERR_INIT;
	size_t first = 0;

	while (first < fs->s.msgs.n && ((struct mail_send_msg *)
	       fs->s.msgs.items[first])->status == MAIL_SEND_SENT)
		first++;
	progress(fs, FRONT_SEND_BEGIN, first, NULL);
	res->outcome = FRONT_SEND_DONE;
	for (size_t i = first; i < fs->s.msgs.n; i++) {
		struct mail_send_msg *m = fs->s.msgs.items[i];
		struct err rec = ERR_INIT;
		struct data_ctx ctx = { fs, i, ERR_INIT };
		int unsure = 0, rc;

		if (m->status == MAIL_SEND_SENT)
			continue;
		if (interrupted(fs))
			break;
		mail_smtp_set_data_hook(fs->smtp, before_data, &ctx);
		rc = mail_smtp_send(fs->smtp, fs->o.envelope, &m->rcpts,
				    m->data, m->len, &unsure, &err);
		mail_smtp_set_data_hook(fs->smtp, NULL, NULL);
		if (ctx.err.code) {
			mail_send_set_status(&fs->s, i, MAIL_SEND_PENDING, 0);
			front_say(fs->h, FRONT_WARNING, "stopped before %s: the "
				  "record of what was sent cannot be written: "
				  "%s", m->path, ctx.err.msg);
			res->outcome = FRONT_SEND_STOPPED;
			break;
		}
		if (rc && !unsure && interrupted(fs)) {
			/* its data never all went: not sent, say so */
			mail_send_set_status(&fs->s, i, MAIL_SEND_PENDING, 0);
			mail_send_record_save(&fs->s, fs->record, &rec);
			break;
		}
		mail_send_set_status(&fs->s, i, rc ? unsure ? MAIL_SEND_UNSURE :
				     MAIL_SEND_PENDING : MAIL_SEND_SENT,
				     time(NULL));
		if (mail_send_record_save(&fs->s, fs->record, &rec)) {
			if (!rc)
				progress(fs, FRONT_SEND_SENT, i, NULL);
			front_say(fs->h, FRONT_WARNING, "stopped: the record "
				  "of what was sent cannot be written: %s",
				  rec.msg);
			res->outcome = FRONT_SEND_STOPPED;
			break;
		}
		if (rc) {
			progress(fs, unsure ? FRONT_SEND_UNSURE :
				 FRONT_SEND_FAILED, i, err.msg);
			if (unsure)
				front_say(fs->h, FRONT_WARNING, "%s may have "
					  "been delivered: a resumed run sends "
					  "it again with the same Message-Id",
					  m->path);
			res->outcome = FRONT_SEND_STOPPED;
			break;
		}
		fs->sent_now = 1;
		progress(fs, FRONT_SEND_SENT, i, NULL);
		fcc(fs, m);
	}
	if (res->outcome == FRONT_SEND_DONE && interrupted(fs))
		res->outcome = FRONT_SEND_INTERRUPTED;
	progress(fs, FRONT_SEND_END, fs->s.msgs.n, NULL);
}

/*
 * Once every message went out: when the series' last commit is on the
 * branch it was respun from (o.branch, else the current branch of the
 * repository), record the version as sent there
 * (series_record_sent_by(), the tag the next respin counts from and
 * links to), tagged by the user.  Anything else is said, never an
 * error: the mail is out.
 */
static void record_sent_version(struct front_send *fs)
{
	const struct mail_send_series *s = &fs->s;
	const struct mail_send_msg *first = s->msgs.items[0], *last = NULL;
	struct series_job *job = NULL;
	struct err err = ERR_INIT;
	const char *branch, *id;
	char *cover = NULL, *name = NULL, *email = NULL;
	int on;

	if (fs->incomplete) {
		front_say(fs->h, FRONT_NOTE, "not recorded as sent: only part "
			  "of v%u went out (--partial)", s->version);
		return;
	}
	for (size_t i = 0; i < s->msgs.n; i++) {
		const struct mail_send_msg *m = s->msgs.items[i];

		if (m->status != MAIL_SEND_SENT)
			return;
		/* a numbered patch, or the one patch of an unnumbered one */
		if (m->commit && (m->tags.index || !m->tags.total))
			last = m;
	}
	id = first->file_msgid ? first->file_msgid : first->record_msgid;
	if (!last || !id || series_job_open(&job, fs->o.repo_dir, NULL))
		goto out;
	branch = fs->o.branch ? fs->o.branch : series_job_branch(job);
	on = series_branch_contains(job, branch, last->commit, &err);
	if (on <= 0) {
		if (on < 0)
			front_say(fs->h, FRONT_WARNING, "not recorded as "
				  "sent: %s", err.msg);
		goto out;
	}
	front_identity(fs->o.cfg, &name, &email);
	if (series_cover_get(job, branch, &cover, &err) ||
	    series_record_sent_by(job, branch, s->version, last->commit, id,
				  cover, name, email, &err)) {
		front_say(fs->h, FRONT_WARNING, "not recorded as sent: %s",
			  err.msg);
		goto out;
	}
	front_say(fs->h, FRONT_NOTE, "recorded v%u of %s as sent "
	    "(refs/tags/vger/%s-v%u)", s->version, branch, branch, s->version);
out:
	free(cover);
	free(name);
	free(email);
	series_job_free(job);
}

/*
 * What the credential helpers hear: the password worked once the
 * server took a message, did not when it refused the login.
 */
static void credential_outcome(struct front_send *fs)
{
	const char *host = fs->o.credential_host;
	const char *user = fs->o.smtp->user;

	if (!host || !fs->pass)
		return;
	if (mail_smtp_login_refused(fs->smtp))
		front_credential_reject(host, user, fs->pass);
	else if (fs->sent_now)
		front_credential_approve(host, user, fs->pass);
}

int front_send_run(struct front_send *fs, const struct front_hooks *h,
		   struct front_send_result *res, struct err *err)
{
	static const struct front_hooks none;
	int ret = 0;

	fs->h = h ? h : &none;
	memset(res, 0, sizeof(*res));
	res->total = fs->s.msgs.n;
	if (!fs->todo) {
		res->outcome = FRONT_SEND_NOTHING;
		goto out;
	}
	if (fs->incomplete)
		front_say(fs->h, FRONT_NOTE, "sending part of a series "
			  "(--partial): %s", fs->incomplete);
	if (fs->moved_from)
		front_say(fs->h, FRONT_NOTE, "the record of this series was %s "
			  "(its files were elsewhere then)%s", fs->moved_from,
			  fs->o.dry_run ? "" : "; it is now kept with the "
			  "files' new place");
	res->outcome = FRONT_SEND_DECLINED;
	if (closed_tree_gate(fs) || resume_gate(fs) || file_bcc_gate(fs))
		goto out;
	if (fs->o.dry_run) {
		res->outcome = FRONT_SEND_DRY_RUN;
		goto out;
	}
	if (confirm_gate(fs) || password(fs))
		goto out;
	if (mail_send_record_save(&fs->s, fs->record, err)) {
		ret = err_prefix(err, "nothing sent: the record cannot be "
				 "written");
		goto out;
	}
	send_all(fs, res);
	credential_outcome(fs);
	if (res->outcome == FRONT_SEND_DONE)
		record_sent_version(fs);
out:
	/* notmuch's write lock goes with the run */
	mail_index_free(fs->index);
	fs->index = NULL;
	for (size_t i = 0; i < fs->s.msgs.n; i++)
		if (((struct mail_send_msg *)fs->s.msgs.items[i])->status ==
		    MAIL_SEND_SENT)
			res->sent++;
	fs->h = NULL;
	return ret;
}
