#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "front/compose.h"
#include "front/gitconfig.h"
#include "front/identity.h"
#include "front/send.h"
#include "front/sendconf.h"
#include "kernel/trees.h"
#include "mail/address.h"
#include "mail/index.h"
#include "mail/maildir.h"
#include "mail/message.h"
#include "mail/reply.h"
#include "mail/send.h"
#include "mail/trailer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

static const char *const kind_names[] = {
	"new", "reply", "group-reply", "list-reply", "forward", "ack",
	"review", "test", "pw-bot-cr",
};

int front_compose_kind_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(*kind_names); i++)
		if (!strcasecmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

/* A directory under the mail root of db, or vger.KEY (owned). */
static char *mail_dir(struct front_config *cfg, const char *db,
		      const char *key, const char *sub, struct err *err)
{
	struct mail_index *idx = NULL;
	char *dir = front_config_path(cfg, key);

	if (dir && *dir)
		return dir;
	free(dir);
	if (mail_index_open(&idx, db, 0, err))
		return NULL;
	dir = path_join(mail_index_mail_root(idx), sub);
	mail_index_free(idx);
	return dir;
}

char *front_drafts_dir(struct front_config *cfg, const char *db,
		       struct err *err)
{
	return mail_dir(cfg, db, "vger.drafts", "drafts", err);
}

/* A new Message-Id: time, pid and randomness, at the sender's domain. */
static char *new_msgid(const char *sender)
{
	char *spec = mail_address_spec(sender);
	const char *at = strrchr(spec, '@');
	struct sbuf sb = SBUF_INIT;
	unsigned long long r = 0;
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned long long)now ^ (unsigned long long)getpid();
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	sbuf_addf(&sb, "<%s.%ld.%llx-vger@%s>", stamp, (long)getpid(), r,
		  at && at[1] ? at + 1 : "localhost");
	free(spec);
	return sbuf_detach(&sb);
}

/* The user's addresses: notmuch's, git's user.email, the sender. */
static void my_addresses(struct front_config *cfg, const char *db,
			 const char *sender, struct vec *out)
{
	struct mail_index *idx = NULL;
	char *email = front_config_string(cfg, "user.email");

	if (!mail_index_open(&idx, db, 0, NULL))
		mail_index_user_addresses(idx, out);
	mail_index_free(idx);
	if (email && *email)
		vec_push_str_unique(out, email);
	vec_push(out, mail_address_spec(sender));
	free(email);
}

/* "Acked-by: Name <addr>" for the user, as git sees them. */
static char *trailer(struct front_config *cfg, enum front_compose_kind k,
		     const char *sender)
{
	/* spelled as mail/trailer.c's table spells them */
	static const enum mail_trailer_kind kinds[] = {
		[FRONT_COMPOSE_ACK] = MAIL_TRAILER_ACKED,
		[FRONT_COMPOSE_REVIEW] = MAIL_TRAILER_REVIEWED,
		[FRONT_COMPOSE_TEST] = MAIL_TRAILER_TESTED,
	};
	struct sbuf sb = SBUF_INIT;
	char *name, *email;

	if (k == FRONT_COMPOSE_PWBOT_CR)
		return xstrdup("pw-bot: cr");
	if (k < FRONT_COMPOSE_ACK || k > FRONT_COMPOSE_TEST)
		return NULL;
	front_identity(cfg, &name, &email);
	if (email && *email)
		sbuf_addf(&sb, "%s: %s <%s>", mail_trailer_kind_key(kinds[k]),
			  name && *name ? name : email, email);
	else
		sbuf_addf(&sb, "%s: %s", mail_trailer_kind_key(kinds[k]),
			  sender);
	free(name);
	free(email);
	return sbuf_detach(&sb);
}

/* The lists the kernel table knows, for a list reply. */
static void known_lists(struct vec *out)
{
	const struct kernel_tree *t;

	for (size_t i = 0; (t = kernel_tree_at(i)); i++)
		if (t->list)
			vec_push_str_unique(out, t->list);
}

static int reply_text(const struct front_compose_options *o,
		      const char *sender, const char *msgid,
		      struct sbuf *text, struct vec *notes, struct err *err)
{
	static const enum mail_reply_mode modes[] = {
		[FRONT_COMPOSE_REPLY] = MAIL_REPLY_SENDER,
		[FRONT_COMPOSE_GROUP] = MAIL_REPLY_ALL,
		[FRONT_COMPOSE_LIST] = MAIL_REPLY_LIST,
		[FRONT_COMPOSE_FORWARD] = MAIL_REPLY_FORWARD,
		[FRONT_COMPOSE_ACK] = MAIL_REPLY_ALL,
		[FRONT_COMPOSE_REVIEW] = MAIL_REPLY_ALL,
		[FRONT_COMPOSE_TEST] = MAIL_REPLY_ALL,
		[FRONT_COMPOSE_PWBOT_CR] = MAIL_REPLY_ALL,
	};
	struct mail_reply_options ro;
	struct vec me = VEC_INIT, lists = VEC_INIT;
	struct mail_index *idx = NULL;
	char *file = NULL, *line = NULL;
	int ret;

	if (!o->parent_id)
		return err_set(err, ERR_USAGE, "no message to answer");
	if (o->kind == FRONT_COMPOSE_PWBOT_CR &&
	    !front_config_bool(o->cfg, "vger.maintainer", 0))
		return err_set(err, ERR_USAGE, "pw-bot: is for the maintainers "
			       "of the tree (git config vger.maintainer "
			       "true)");
	ret = mail_index_open(&idx, o->db, 0, err);
	if (!ret)
		ret = mail_index_message(idx, o->parent_id, &file, NULL, err);
	mail_index_free(idx);
	if (ret)
		return ret;
	my_addresses(o->cfg, o->db, sender, &me);
	known_lists(&lists);
	line = trailer(o->cfg, o->kind, sender);
	memset(&ro, 0, sizeof(ro));
	ro.mode = modes[o->kind];
	ro.from = sender;
	ro.me = &me;
	ro.message_id = msgid;
	ro.trailer = line;
	ro.lists = &lists;
	ro.dropped = notes;
	ret = mail_reply_draft(file, &ro, text, err);
	if (ret == -ERR_NOTFOUND && !fs_exists(file))
		ret = err_set(err, ERR_NOTFOUND, "the message's file %s is "
			      "gone (notmuch new forgets it)", file);
	vec_release_str(&me);
	vec_release_str(&lists);
	free(line);
	free(file);
	return ret;
}

int front_compose(const struct front_compose_options *o, char **path,
		  struct vec *notes, struct err *err)
{
	struct front_sendconf conf = FRONT_SENDCONF_INIT;
	struct front_sendconf_args args;
	struct sbuf text = SBUF_INIT;
	char *dir = NULL, *msgid = NULL;
	int ret;

	*path = NULL;
	memset(&args, 0, sizeof(args));
	args.identity = o->identity;
	ret = front_sendconf_read(&conf, o->cfg, &args, err);
	if (ret)
		goto out;
	msgid = new_msgid(conf.sender);
	if (o->kind == FRONT_COMPOSE_NEW)
		mail_draft_new(conf.sender, o->to, o->cc, o->subject, msgid,
			       o->body, &text);
	else
		ret = reply_text(o, conf.sender, msgid, &text, notes, err);
	if (ret)
		goto out;
	dir = front_drafts_dir(o->cfg, o->db, err);
	if (!dir) {
		ret = err ? -(int)err->code : -ERR_IO;
		goto out;
	}
	/* a draft, seen: as mutt and notmuch files one */
	ret = mail_maildir_deliver_flags(dir, text.buf, text.len, "DS", path,
					 err);
out:
	front_sendconf_release(&conf);
	sbuf_release(&text);
	free(dir);
	free(msgid);
	return ret;
}

/* ---- the drafts maildir ---- */

void front_draft_info_free(void *p)
{
	struct front_draft_info *d = p;

	if (!d)
		return;
	free(d->path);
	free(d->to);
	free(d->subject);
	free(d);
}

static int newest_first(const void *a, const void *b)
{
	const struct front_draft_info *x = *(void *const *)a;
	const struct front_draft_info *y = *(void *const *)b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? 1 : -1;
	return strcmp(y->path, x->path);
}

int front_drafts_list(const char *dir, struct vec *out, struct err *err)
{
	static const char *const subs[] = { "cur", "new" };

	for (size_t k = 0; k < 2; k++) {
		char *sub = path_join(dir, subs[k]);
		DIR *d = opendir(sub);
		struct dirent *de;

		if (!d) {
			int e = errno;

			free(sub);
			if (e == ENOENT)
				continue;
			return err_set(err, ERR_IO, "%s/%s: %s", dir, subs[k],
				       strerror(e));
		}
		while ((de = readdir(d))) {
			struct front_draft_info *i;
			struct mail_message m;
			struct stat st;
			char *p;

			if (de->d_name[0] == '.')
				continue;
			p = path_join(sub, de->d_name);
			if (stat(p, &st) || !S_ISREG(st.st_mode)) {
				free(p);
				continue;
			}
			i = xcalloc(1, sizeof(*i));
			i->path = p;
			i->mtime = st.st_mtim.tv_sec;
			i->mtime_ns = st.st_mtim.tv_nsec;
			/* a draft that does not parse is listed all the same */
			if (!mail_message_load(&m, p, NULL)) {
				i->subject = xstrdup_or_null(m.subject);
				i->to = xstrdup_or_null(m.to.n ? m.to.items[0] :
							NULL);
			}
			mail_message_release(&m);
			if (!i->subject)
				i->subject = xstrdup("");
			if (!i->to)
				i->to = xstrdup("");
			vec_push(out, i);
		}
		closedir(d);
		free(sub);
	}
	vec_sort(out, newest_first);
	return 0;
}

int front_draft_discard(const char *path, struct err *err)
{
	if (unlink(path) && errno != ENOENT)
		return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	return 0;
}

/* ---- sending a draft ---- */

struct front_draft {
	struct front_draft_options o;
	struct front_sendconf conf;
	struct front_send *fs;
	char *sender, *envelope, *fcc;
};

/* The draft's From:, when it names one address: the sender then. */
static char *draft_from(const char *path)
{
	struct mail_message m;
	char *out = NULL;

	if (!mail_message_load(&m, path, NULL) && m.from_email)
		out = mail_reply_mailbox(m.from_name, m.from_email);
	mail_message_release(&m);
	return out;
}

int front_draft_open(struct front_draft **out,
		     const struct front_draft_options *o, struct err *err)
{
	struct front_draft *d = xcalloc(1, sizeof(*d));
	struct front_sendconf init = FRONT_SENDCONF_INIT;
	struct front_sendconf_args args;
	struct front_send_options so;
	const char *files[1] = { o->path };
	char *from;
	int ret;

	*out = d;
	d->o = *o;
	d->conf = init;
	memset(&args, 0, sizeof(args));
	args.identity = o->identity;
	ret = front_sendconf_read(&d->conf, o->cfg, &args, err);
	if (ret)
		return ret;
	d->conf.smtp.interrupted = o->interrupted;
	from = draft_from(o->path);
	d->sender = from ? from : xstrdup(d->conf.sender);
	d->envelope = d->conf.envelope_set ? xstrdup(d->conf.envelope) :
		mail_address_spec(d->sender);
	d->fcc = d->conf.fcc ? xstrdup(d->conf.fcc) :
		mail_dir(o->cfg, o->db, "vger.fcc", "sent", NULL);
	memset(&so, 0, sizeof(so));
	so.files = files;
	so.nfiles = 1;
	so.from = d->sender;
	/* sendemail.to and .cc are for series: a reply goes where it says */
	so.smtp = &d->conf.smtp;
	so.envelope = d->envelope;
	so.fcc = d->fcc;
	so.record_dir = o->record_dir;
	so.dry_run = o->dry_run;
	so.yes = 1;
	so.cfg = o->cfg;
	so.credential_host = d->conf.credential_host;
	so.index_sent = 1;
	so.index_db = o->db;
	return front_send_open(&d->fs, &so, err);
}

void front_draft_free(struct front_draft *d)
{
	if (!d)
		return;
	front_send_free(d->fs);
	front_sendconf_release(&d->conf);
	free(d->sender);
	free(d->envelope);
	free(d->fcc);
	free(d);
}

const struct mail_send_msg *front_draft_message(const struct front_draft *d)
{
	const struct mail_send_series *s = front_send_series(d->fs);

	return s->msgs.n ? s->msgs.items[0] : NULL;
}

const char *front_draft_url(const struct front_draft *d)
{
	return front_send_url(d->fs);
}

int front_draft_send(struct front_draft *d, const struct front_hooks *h,
		     struct front_send_result *res, struct err *err)
{
	int ret = front_send_run(d->fs, h, res, err);

	if (!ret && (res->outcome == FRONT_SEND_DONE ||
		     res->outcome == FRONT_SEND_NOTHING))
		ret = front_draft_discard(d->o.path, err);
	return ret;
}

size_t front_address_line(struct sbuf *sb, const char *label,
			  const struct vec *v)
{
	if (!v->n)
		return 0;
	sbuf_addstr(sb, label);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			sbuf_addstr(sb, ", ");
		sbuf_addstr(sb, v->items[i]);
	}
	return v->n;
}
