/* Reading fetched documents: releases.json and the net-next status page. */
#include <ctype.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/private.h"
#include "util/date.h"
#include "util/err.h"
#include "util/xmalloc.h"

static const char *member_string(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* One "mainline" entry: {"version": "7.3-rc1", "released": {"isodate"}}. */
static int mainline_fact(json_object *rel, struct cal_fact *f)
{
	const char *moniker = member_string(rel, "moniker");
	const char *version = member_string(rel, "version");
	const char *date;
	json_object *released;

	if (!moniker || strcmp(moniker, "mainline") || !version ||
	    cal_parse_version(version, 0, f) < 0 ||
	    !json_object_object_get_ex(rel, "released", &released))
		return -1;
	date = member_string(released, "isodate");
	if (!date || date_parse_ymd(date, &f->day) < 0)
		return -1;
	return 0;
}

int cal_releases_parse(const char *body, size_t len, struct vec *facts,
		       struct err *err)
{
	json_tokener *tok;
	json_object *root, *rels;
	enum json_tokener_error jerr;
	size_t n, found = 0;
	int ret = 0;

	if (len > CAL_BODY_MAX)
		return err_set(err, ERR_NOMEM, "larger than %d bytes",
			       CAL_BODY_MAX);
	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, body, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		ret = err_set(err, ERR_PARSE, "malformed JSON: %s",
			      jerr == json_tokener_continue ?
			      "unexpected end" : json_tokener_error_desc(jerr));
		goto out;
	}
	if (!json_object_object_get_ex(root, "releases", &rels) ||
	    !json_object_is_type(rels, json_type_array)) {
		ret = err_set(err, ERR_PARSE, "no \"releases\" array");
		goto out;
	}
	n = json_object_array_length(rels);
	for (size_t i = 0; i < n; i++) {
		struct cal_fact f;

		if (mainline_fact(json_object_array_get_idx(rels, i),
				  &f) < 0)
			continue;
		vec_push(facts, xmalloc(sizeof(f)));
		*(struct cal_fact *)facts->items[facts->n - 1] = f;
		found++;
	}
	if (!found)
		ret = err_set(err, ERR_PARSE, "no mainline release in it");
out:
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !strncmp(w, s, n);
}

/* Count the words "open" and "closed" in text (lower case, ASCII). */
static void count_words(const char *s, size_t len, int *open, int *closed)
{
	size_t i = 0;

	while (i < len) {
		size_t start;
		char w[16];

		while (i < len && !isalpha((unsigned char)s[i]))
			i++;
		start = i;
		while (i < len && (isalpha((unsigned char)s[i]) ||
				   s[i] == '-'))
			i++;
		if (i - start >= sizeof(w))
			continue;
		for (size_t k = start; k < i; k++)
			w[k - start] = (char)tolower((unsigned char)s[k]);
		if (word_is(w, i - start, "open"))
			(*open)++;
		else if (word_is(w, i - start, "closed"))
			(*closed)++;
	}
}

/*
 * Skip the tag at body[i] to after its '>'; only its alt="..." text
 * counts.  Returns the new index.
 */
static size_t skip_tag(const char *body, size_t len, size_t i, int *open,
		       int *closed)
{
	while (i < len && body[i] != '>') {
		if (len - i > 5 && !strncasecmp(body + i, "alt=\"", 5)) {
			const char *q = memchr(body + i + 5, '"', len - i - 5);
			size_t e = q ? (size_t)(q - body) : len;

			count_words(body + i + 5, e - i - 5, open, closed);
			i = e;
		}
		if (i < len)
			i++;
	}
	return i < len ? i + 1 : len;
}

/*
 * What the page says, as words: the text between tags plus alt="..."
 * of images (davem's page was a picture of a shop sign), without
 * <script> and <style>.  The page's format was never published, so
 * this is deliberately conservative: the word "open" without "closed"
 * is open ("Come in we're open"), "closed" without "open" is closed
 * ("net-next is CLOSED, it will reopen after rc1"), anything else is
 * unclear and ignored.
 */
int cal_status_parse(const char *body, size_t len, struct err *err)
{
	int open = 0, closed = 0;
	size_t i = 0;

	while (i < len) {
		const char *lt = memchr(body + i, '<', len - i);
		size_t end = lt ? (size_t)(lt - body) : len;

		count_words(body + i, end - i, &open, &closed);
		if (!lt)
			break;
		i = end;
		if (len - i > 7 && (!strncasecmp(body + i, "<script", 7) ||
				    !strncasecmp(body + i, "<style", 6))) {
			const char *close = strstr(body + i, "</");

			while (close && strncasecmp(close, "</script", 8) &&
			       strncasecmp(close, "</style", 7))
				close = strstr(close + 2, "</");
			i = close ? (size_t)(close - body) + 2 : len;
		}
		i = skip_tag(body, len, i, &open, &closed);
	}
	if (open && !closed)
		return 1;
	if (closed && !open)
		return 0;
	return err_set(err, ERR_PARSE, "the page says %s",
		       open ? "both open and closed" :
		       "neither open nor closed");
}
