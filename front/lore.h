/*
 * What vger init and vger sync know of lore (public-inbox) and lei,
 * apart from running them: the URL of a list's inbox, a list's name,
 * the address an inbox serves, the notmuch query the configured lists
 * make, lei's saved searches and its exit codes.  No I/O but parsing
 * text handed in; front/sync.c runs the programs.
 */
#ifndef FRONT_LORE_H
#define FRONT_LORE_H

#include <stddef.h>

#include "util/vec.h"

struct err;
struct sbuf;

#define FRONT_LORE_BASE "https://lore.kernel.org/"

/*
 * Whether name can name a list: the variable of git config's
 * vger.list.<name> and the Maildir's directory ([A-Za-z][A-Za-z0-9-]*,
 * at most 64 bytes).
 */
int front_list_name_ok(const char *name);
/* "https://lore.kernel.org/<list>/" into out (reset first). */
void front_lore_url(const char *list, struct sbuf *out);
/*
 * The inbox's name in url, its last path component
 * ("http://127.0.0.1:8080/bpf/" gives "bpf"), into out.  0, or < 0
 * with err when url is not http(s):// with a name that
 * front_list_name_ok() takes.
 */
int front_list_from_url(const char *url, struct sbuf *out, struct err *err);
/*
 * The first address in the git-config text public-inbox serves at
 * URL/_/text/config/raw ("[publicinbox "bpf"] address = ..."), read
 * with libgit2, into out.  0; 1 when the text has none; < 0 with err
 * when it does not parse.
 */
int front_inbox_address(const char *config_text, struct sbuf *out,
			struct err *err);
/*
 * The notmuch query for the lists' addresses (char *, in order):
 * "to:A or cc:A or to:B or cc:B", into out (reset first).
 */
void front_lists_query(const struct vec *addresses, struct sbuf *out);

/* A lei saved search, as `lei ls-search --format=json` lists it. */
struct front_lei_search {
	char *output;		/* "/path/to/Maildir" (no "maildir:") */
	char *url;		/* the first --only or --include, or NULL */
	struct vec terms;	/* char *: the query's terms (lei.q) */
};

/*
 * Find in json (the whole output of `lei ls-search --format=json`)
 * the saved search writing to the Maildir dir.  1 found (release out
 * with front_lei_search_release()), 0 none, < 0 with err when json
 * does not parse.
 */
int front_lei_search_find(const char *json, const char *dir,
			  struct front_lei_search *out, struct err *err);
void front_lei_search_release(struct front_lei_search *s);

/*
 * What went wrong, from lei's (or curl's) exit status: lei passes on
 * curl's (6 resolving, 7 connecting, 22 an HTTP error, 28 a timeout,
 * ...).  A phrase ("cannot connect to the server"), or NULL for
 * statuses that say nothing more than "failed".
 */
const char *front_curl_status_text(int status);
/*
 * Whether a line lei printed says it could not write a message (a
 * full disk, a read-only file system): lei has recorded the message
 * as written already, so only a new saved search fetches it again.
 */
int front_lei_write_error(const char *line);

#endif
