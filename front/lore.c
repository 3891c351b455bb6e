#include <git2.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front/lore.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define LIST_NAME_MAX 64

int front_list_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > LIST_NAME_MAX || !((*name >= 'a' && *name <= 'z') ||
					 (*name >= 'A' && *name <= 'Z')))
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

void front_lore_url(const char *list, struct sbuf *out)
{
	sbuf_reset(out);
	sbuf_addf(out, "%s%s/", FRONT_LORE_BASE, list);
}

int front_list_from_url(const char *url, struct sbuf *out, struct err *err)
{
	const char *p = url, *end, *start;

	if (!str_starts_with(p, "http://") && !str_starts_with(p, "https://"))
		return err_set(err, ERR_USAGE, "%s: not an http:// or "
			       "https:// URL of a public-inbox", url);
	p = strstr(p, "://") + 3;
	end = p + strcspn(p, "?#");
	while (end > p && end[-1] == '/')
		end--;
	start = end;
	while (start > p && start[-1] != '/')
		start--;
	sbuf_reset(out);
	/* "http://host" alone names no inbox. */
	if (start > p)
		sbuf_add(out, start, (size_t)(end - start));
	if (!front_list_name_ok(out->buf))
		return err_set(err, ERR_USAGE, "%s: no inbox name at the end "
			       "of the URL (like https://lore.kernel.org/bpf/);"
			       " give one with --list", url);
	return 0;
}

struct first_address {
	struct sbuf *out;
	int found;
};

/*
 * Whether name is publicinbox.<inbox>.address (libgit2 gives section
 * and key in lowercase).  Tested here rather than with
 * git_config_foreach_match(): libgit2 1.5's regex match leaks its
 * PCRE2 match data (20 KB) for every entry that does not match, so a
 * served configuration of many entries cost that much each (found by
 * fuzz/lore.c under LeakSanitizer).
 */
static int is_address_name(const char *name)
{
	static const char pre[] = "publicinbox.", suf[] = ".address";

	return strlen(name) >= sizeof(pre) - 1 + sizeof(suf) - 1 &&
	       str_starts_with(name, pre) && str_ends_with(name, suf);
}

static int take_address(const git_config_entry *e, void *data)
{
	struct first_address *f = data;

	if (f->found || !e->value || !*e->value || !is_address_name(e->name))
		return 0;
	sbuf_addstr(f->out, e->value);
	sbuf_trim(f->out);
	f->found = 1;
	return 0;
}

int front_inbox_address(const char *config_text, struct sbuf *out,
			struct err *err)
{
	struct first_address f = { out, 0 };
	git_config *cfg = NULL;
	char *dir, *path;
	int ret = 0;

	/* libgit2 reads config files, not strings: give it one. */
	dir = fs_mkdtemp("vger-inbox", err);
	if (!dir)
		return -ERR_IO;
	path = path_join(dir, "config");
	sbuf_reset(out);
	git_libgit2_init();
	if (fs_write_atomic(path, config_text, strlen(config_text), err)) {
		ret = -ERR_IO;
	} else if (git_config_open_ondisk(&cfg, path) < 0) {
		const git_error *e = git_error_last();

		ret = err_set(err, ERR_PARSE, "the inbox's configuration does "
			      "not parse: %s", e && e->message ? e->message :
			      "unknown libgit2 error");
	} else {
		git_config_foreach(cfg, take_address, &f);
		ret = f.found ? 0 : 1;
	}
	git_config_free(cfg);
	git_error_clear();
	git_libgit2_shutdown();
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	return ret;
}

void front_lists_query(const struct vec *addresses, struct sbuf *out)
{
	sbuf_reset(out);
	for (size_t i = 0; i < addresses->n; i++)
		sbuf_addf(out, "%sto:%s or cc:%s", i ? " or " : "",
			  (const char *)addresses->items[i],
			  (const char *)addresses->items[i]);
}

static const char *json_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The first string of an array member, or NULL. */
static const char *json_first(json_object *o, const char *key)
{
	json_object *v, *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    !json_object_array_length(v))
		return NULL;
	s = json_object_array_get_idx(v, 0);
	return json_object_is_type(s, json_type_string) ?
		json_object_get_string(s) : NULL;
}

static void fill_search(json_object *o, const char *dir,
			struct front_lei_search *out)
{
	const char *url = json_first(o, "only");
	json_object *q;

	memset(out, 0, sizeof(*out));
	out->output = xstrdup(dir);
	if (!url)
		url = json_first(o, "include");
	out->url = url ? xstrdup(url) : NULL;
	if (json_object_object_get_ex(o, "q", &q) &&
	    json_object_is_type(q, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(q); i++) {
			json_object *t = json_object_array_get_idx(q, i);

			if (json_object_is_type(t, json_type_string))
				vec_push_str(&out->terms,
					     json_object_get_string(t));
		}
	}
}

int front_lei_search_find(const char *json, const char *dir,
			  struct front_lei_search *out, struct err *err)
{
	json_tokener *tok;
	json_object *all;
	int found = 0;

	/* No saved search at all: lei 1.9 prints nothing. */
	if (strspn(json, " \t\r\n") == strlen(json))
		return 0;
	tok = json_tokener_new();
	all = json_tokener_parse_ex(tok, json, (int)strlen(json));
	json_tokener_free(tok);
	if (!all || !json_object_is_type(all, json_type_array)) {
		json_object_put(all);
		return err_set(err, ERR_PARSE, "lei ls-search: not the JSON "
			       "list of saved searches lei prints: %.80s",
			       json);
	}
	for (size_t i = 0; i < json_object_array_length(all) && !found; i++) {
		json_object *o = json_object_array_get_idx(all, i);
		const char *output = json_str(o, "output");
		size_t n;

		if (!output || !str_starts_with(output, "maildir:"))
			continue;
		output += strlen("maildir:");
		n = strlen(output);
		/* lei may keep the path with a trailing slash. */
		while (n > 1 && output[n - 1] == '/')
			n--;
		if (n == strlen(dir) && !strncmp(output, dir, n)) {
			fill_search(o, dir, out);
			found = 1;
		}
	}
	json_object_put(all);
	return found;
}

void front_lei_search_release(struct front_lei_search *s)
{
	free(s->output);
	free(s->url);
	vec_release_str(&s->terms);
	memset(s, 0, sizeof(*s));
}

const char *front_curl_status_text(int status)
{
	switch (status) {
	case 6:
		return "cannot resolve the server's name";
	case 7:
		return "cannot connect to the server";
	case 18:
	case 56:
		return "the connection broke in the middle of the transfer";
	case 22:
		return "the server answered with an HTTP error";
	case 28:
		return "the server did not answer in time";
	case 35:
		return "the TLS handshake failed";
	case 47:
		return "the server answered with a redirect, and vger follows "
			"none (if the inbox moved, give its new URL to vger "
			"init --url)";
	case 52:
		return "the server closed the connection without an answer";
	case 60:
		return "the server's TLS certificate is not trusted";
	case 63:
		return "the answer is larger than vger reads";
	}
	return NULL;
}

int front_lei_write_error(const char *line)
{
	static const char *const words[] = {
		"Error writing", "No space left on device",
		"Disk quota exceeded", "Read-only file system",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(line, words[i]))
			return 1;
	return 0;
}
