/*
 * Access to a notmuch database.  An opaque handle; nothing of notmuch
 * leaks out of mail/.
 */
#ifndef MAIL_INDEX_H
#define MAIL_INDEX_H

#include <time.h>

struct err;
struct mail_index;
struct sbuf;
struct vec;

enum mail_index_flags {
	MAIL_INDEX_WRITE = 1 << 0,	/* open read-write */
	MAIL_INDEX_CREATE = 1 << 1,	/* create the database (implies WRITE) */
};

/*
 * Open the database at db_path, reading no notmuch config file; or,
 * with db_path NULL, the database of notmuch's own configuration
 * ($NOTMUCH_CONFIG, else ~/.notmuch-config or the XDG location).
 * A database locked by a writer (notmuch new) is retried for a few
 * seconds, then reported.  Free with mail_index_free().
 */
int mail_index_open(struct mail_index **out, const char *db_path,
		    unsigned flags, struct err *err);
void mail_index_free(struct mail_index *idx);
/* The database directory (borrowed, lives as long as idx). */
const char *mail_index_path(const struct mail_index *idx);
/*
 * The directory of the mail notmuch indexes (database.mail_root, the
 * database directory when unset): a file to index must be under it.
 * Borrowed, lives as long as idx.
 */
const char *mail_index_mail_root(struct mail_index *idx);
/*
 * The lastmod revision and the database's uuid (borrowed): a cache
 * made at (uuid, revision) is current while both are the same.
 */
unsigned long mail_index_revision(struct mail_index *idx, const char **uuid);

#define MAIL_INDEX_STAMP_LEN 48
/*
 * A stamp of the database's last commit: the mtime, size and inode of
 * Xapian's version file, in hex, or all zeros when it cannot be found.
 * Removing a message leaves the revision as it was but changes the
 * stamp; an unchanged stamp means nothing was written.
 */
void mail_index_stamp(const struct mail_index *idx,
		      char out[MAIL_INDEX_STAMP_LEN + 1]);

/* What notmuch keeps of a message, without opening its file. */
struct mail_index_msg {
	const char *id;		/* Message-ID without <> */
	const char *thread;	/* notmuch thread id */
	const char *subject;	/* decoded */
	const char *from;	/* decoded "Name <addr>" as written */
	const char *filename;	/* the first file of the message */
	time_t date;
};

/*
 * Call fn for every message matching query (notmuch syntax), in no
 * particular order; with since_revision > 0, only messages changed after that
 * revision (a lastmod: range).  The strings live until fn returns.
 * fn returns 0 to go on, non-zero to stop (returned as is).
 */
int mail_index_each(struct mail_index *idx, const char *query,
		    unsigned long since_revision,
		    int (*fn)(const struct mail_index_msg *m, void *data),
		    void *data, struct err *err);
/*
 * The same for the messages last changed at revisions from..to (to 0:
 * no end): a walk in parts, each on a handle and thread of its own.
 */
int mail_index_each_changed(struct mail_index *idx, const char *query,
			    unsigned long from, unsigned long to,
			    int (*fn)(const struct mail_index_msg *m,
				      void *data),
			    void *data, struct err *err);
/* How many messages match query (notmuch count). */
int mail_index_count(struct mail_index *idx, const char *query,
		     unsigned *count, struct err *err);
/* The same of those last changed at from..to (0: no bound). */
int mail_index_count_changed(struct mail_index *idx, const char *query,
			     unsigned long from, unsigned long to,
			     unsigned *count, struct err *err);
/* Index one message file (needs MAIL_INDEX_WRITE).  A duplicate is ok. */
int mail_index_add_file(struct mail_index *idx, const char *path,
			struct err *err);

/*
 * Call fn with the notmuch thread id and the message id of every
 * message matching query (no file is read).  fn returns 0 to go on,
 * non-zero to stop (returned as is).
 */
int mail_index_each_thread(struct mail_index *idx, const char *query,
			   int (*fn)(const char *thread, const char *id,
				     void *data),
			   void *data, struct err *err);
/* Append `id:"ID"` to q, quoted as notmuch's query syntax wants. */
void mail_index_add_id_term(struct sbuf *q, const char *id);
/*
 * Remove the tags of remove, then add those of add (char *; either
 * may be NULL) on every message matching query, in one atomic
 * transaction (needs MAIL_INDEX_WRITE), and the maildir flags after
 * them when notmuch's maildir.synchronize_flags says so.  *changed:
 * messages touched.
 */
int mail_index_tag(struct mail_index *idx, const char *query,
		   const struct vec *add, const struct vec *remove,
		   size_t *changed, struct err *err);
/*
 * The first file (*filename, the caller frees; NULL: not wanted) and
 * the tags (appended to tags when not NULL) of message id.
 * ERR_NOTFOUND when the database has no such message.
 */
int mail_index_message(struct mail_index *idx, const char *id,
		       char **filename, struct vec *tags, struct err *err);
/* notmuch's user.primary_email and user.other_email, appended to out. */
void mail_index_user_addresses(struct mail_index *idx, struct vec *out);

#endif
