/*
 * Mailboxes and addresses (mail/address.h): GMime parses them, this
 * file says what vger takes of them and how it compares them.
 */
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mail/address.h"
#include "mail/gmime.h"
#include "mail/private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("!#$%&'*+-/=?^_`{|}~", c);
}

/*
 * local@domain, printable ASCII only: a dot-atom local part (no quoted
 * ones) and a domain of letters, digits, dots and dashes or an address
 * literal.  Anything else could not be given to the server safely.
 */
static int addr_valid(const char *a)
{
	const char *at = strchr(a, '@'), *p;

	if (!at || at == a || strchr(at + 1, '@') || !at[1])
		return 0;
	if (*a == '.' || at[-1] == '.')
		return 0;
	for (p = a; p < at; p++)
		if (!is_atext((unsigned char)*p) &&
		    !(*p == '.' && p[1] != '.'))
			return 0;
	p = at + 1;
	if (*p == '[') {
		size_t n = strlen(p);

		if (n < 3 || p[n - 1] != ']')
			return 0;
		for (p++; *p != ']'; p++)
			if (!((*p >= '0' && *p <= '9') ||
			      (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || *p == '.' ||
			      *p == ':'))
				return 0;
		return 1;
	}
	if (*p == '.' || *p == '-' || p[strlen(p) - 1] == '.')
		return 0;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p == '.' && p[1] != '.') ||
		      *p == '-'))
			return 0;
	return 1;
}

static int is_ascii_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* '@' signs outside quoted strings and comments. */
static size_t count_ats(const char *s)
{
	size_t n = 0;
	int quoted = 0, comment = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (!comment && *s == '"')
			quoted = !quoted;
		else if (!quoted && *s == '(')
			comment++;
		else if (!quoted && comment && *s == ')')
			comment--;
		else if (!quoted && !comment && *s == '@')
			n++;
	}
	return n;
}

static void list_mailboxes(InternetAddressList *list, GPtrArray *out,
			   int depth)
{
	int n = list ? internet_address_list_length(list) : 0;

	if (depth > 4)
		return;
	for (int i = 0; i < n; i++) {
		InternetAddress *ia;

		ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			g_ptr_array_add(out, ia);
		else if (INTERNET_ADDRESS_IS_GROUP(ia))
			list_mailboxes(internet_address_group_get_members(
					       INTERNET_ADDRESS_GROUP(ia)),
				       out, depth + 1);
	}
}

void mail_address_mailboxes(InternetAddressList *list, GPtrArray *out)
{
	list_mailboxes(list, out, 0);
}

/*
 * GMime is lenient: "a@x;b@y" gives one mailbox and drops the other, so
 * the '@' signs are counted against the mailboxes.
 */
int mail_address_parse_boxes(const char *text, GPtrArray *out,
			     GPtrArray *keep, const char *what,
			     struct err *err)
{
	InternetAddressList *list;
	GPtrArray *boxes;
	int ret = 0;

	mail_gmime_init();
	if (strspn(text, " \t\r\n") == strlen(text))
		return 0;
	for (const char *c = text; *c; c++)
		if (((unsigned char)*c < ' ' && *c != '\t') || *c == 0x7f)
			return err_set(err, ERR_PARSE, "%s: a control "
				       "character in the address list", what);
	list = internet_address_list_parse(NULL, text);
	if (!list)
		return err_set(err, ERR_PARSE, "%s: cannot read the address "
			       "list '%.80s'", what, text);
	g_ptr_array_add(keep, list);
	boxes = g_ptr_array_new();
	mail_address_mailboxes(list, boxes);
	for (guint i = 0; i < boxes->len; i++) {
		const char *a = internet_address_mailbox_get_addr(
			boxes->pdata[i]);

		const char *name = internet_address_get_name(boxes->pdata[i]);

		if (a && !is_ascii_text(a)) {
			ret = err_set(err, ERR_PARSE, "%s: '%.80s' has "
				      "non-ASCII characters: only a server "
				      "offering SMTPUTF8 (RFC 6531) takes such "
				      "an address, and vger does not ask for "
				      "it: write the address in ASCII", what,
				      a);
			goto out;
		}
		if (!a || !addr_valid(a)) {
			ret = err_set(err, ERR_PARSE, "%s: '%.80s' is not an "
				      "email address", what, a ? a : "");
			goto out;
		}
		/* an encoded word may decode to a line break or an escape */
		if (name && utf8_safe_prefix(name, strlen(name)) !=
		    strlen(name)) {
			ret = err_set(err, ERR_PARSE, "%s: the name of %s has "
				      "a control character", what, a);
			goto out;
		}
	}
	if (boxes->len != count_ats(text)) {
		ret = err_set(err, ERR_PARSE, "%s: cannot read the address "
			      "list '%.80s' (separate addresses with commas)",
			      what, text);
		goto out;
	}
	for (guint i = 0; i < boxes->len; i++)
		g_ptr_array_add(out, boxes->pdata[i]);
out:
	g_ptr_array_free(boxes, TRUE);
	return ret;
}

char *mail_address_text(InternetAddressMailbox *mb)
{
	char *s = internet_address_to_string(INTERNET_ADDRESS(mb), NULL, FALSE);
	char *out = xstrdup(s);

	g_free(s);
	return out;
}

void mail_address_unref_all(GPtrArray *keep)
{
	for (guint i = 0; i < keep->len; i++)
		g_object_unref(keep->pdata[i]);
	g_ptr_array_free(keep, TRUE);
}

int mail_address_parse_list(const char *text, struct vec *out,
			    struct err *err)
{
	GPtrArray *boxes = g_ptr_array_new(), *keep = g_ptr_array_new();
	int ret = mail_address_parse_boxes(text, boxes, keep, "address", err);

	for (guint i = 0; !ret && i < boxes->len; i++)
		vec_push(out, mail_address_text(boxes->pdata[i]));
	g_ptr_array_free(boxes, TRUE);
	mail_address_unref_all(keep);
	return ret;
}

/* What a display name taken from mail may not hold, or NULL. */
static const char *name_problem(const char *name, size_t len)
{
	unsigned cp;

	if (len > MAIL_ADDRESS_NAME_MAX)
		return "a name too long";
	if (utf8_safe_prefix(name, len) != len)
		return "a control character or invalid UTF-8 in the name";
	for (size_t i = 0, k; i < len; i += k) {
		k = utf8_decode(name + i, len - i, &cp);
		if (cp == '\t' || cp == 0x2028 || cp == 0x2029)
			return "a control character in the name";
		if (cp == '<' || cp == '>')
			return "an angle bracket in the name";
	}
	return NULL;
}

/* What is wrong with an address taken from mail, or NULL. */
static const char *spec_problem(const char *email)
{
	InternetAddressList *list;
	GPtrArray *boxes;
	const char *problem = NULL;

	if (strlen(email) > MAIL_ADDRESS_SPEC_MAX)
		return "an address too long";
	if (!addr_valid(email))
		return "not an address (local@domain, printable ASCII)";
	/* and GMime reads it as one bare address, itself */
	list = internet_address_list_parse(NULL, email);
	if (!list)
		return "not an address GMime reads";
	boxes = g_ptr_array_new();
	mail_address_mailboxes(list, boxes);
	if (boxes->len != 1 || internet_address_list_length(list) != 1 ||
	    strcmp(internet_address_mailbox_get_addr(boxes->pdata[0]), email))
		problem = "not one address";
	g_ptr_array_free(boxes, TRUE);
	g_object_unref(list);
	return problem;
}

int mail_address_from_mail(char **out, const char *name, const char *email,
			   enum mail_address_form form, struct err *err)
{
	struct sbuf n = SBUF_INIT;
	const char *problem;
	InternetAddress *ia;
	char *text;

	*out = NULL;
	mail_gmime_init();
	if (!email || !*email)
		return err_set(err, ERR_PARSE, "no address");
	problem = spec_problem(email);
	if (problem)
		goto bad;
	sbuf_addstr(&n, name ? name : "");
	sbuf_trim(&n);
	problem = name_problem(n.buf, n.len);
	if (problem)
		goto bad;
	ia = internet_address_mailbox_new(n.len ? n.buf : NULL, email);
	internet_address_set_charset(ia, "UTF-8");
	text = internet_address_to_string(ia, NULL,
					  form == MAIL_ADDRESS_HEADER);
	*out = xstrdup(text);
	g_free(text);
	g_object_unref(ia);
	sbuf_release(&n);
	return 0;
bad:
	sbuf_release(&n);
	return err_set(err, ERR_PARSE, "%s", problem);
}

int mail_address_parse(struct mail_address *out, const char *text)
{
	InternetAddressList *list;
	GPtrArray *boxes;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!text)
		return -1;
	mail_gmime_init();
	list = internet_address_list_parse(NULL, text);
	if (!list)
		return -1;
	boxes = g_ptr_array_new();
	mail_address_mailboxes(list, boxes);
	if (boxes->len) {
		InternetAddressMailbox *mb = boxes->pdata[0];

		out->name = mail_valid_dup_nonempty(internet_address_get_name(
						    INTERNET_ADDRESS(mb)));
		out->email = mail_valid_dup_nonempty(
			internet_address_mailbox_get_addr(mb));
		ret = 0;
	}
	g_ptr_array_free(boxes, TRUE);
	g_object_unref(list);
	return ret;
}

void mail_address_release(struct mail_address *a)
{
	if (!a)
		return;
	free(a->name);
	free(a->email);
	a->name = a->email = NULL;
}

char *mail_address_spec(const char *text)
{
	struct mail_address a;
	struct sbuf sb = SBUF_INIT;

	if (!mail_address_parse(&a, text) && a.email && strchr(a.email, '@')) {
		char *spec = a.email;

		a.email = NULL;
		mail_address_release(&a);
		return spec;
	}
	mail_address_release(&a);
	sbuf_addstr(&sb, text ? text : "");
	sbuf_trim(&sb);
	return sbuf_detach(&sb);
}

/*
 * A bare address ("jane@example.org"), which is its own spec: the
 * series model compares many, and needs no parse for them.
 */
static int is_bare(const char *s)
{
	return !strpbrk(s, "<>()\",;: \t\r\n");
}

int mail_address_same(const char *a, const char *b)
{
	char *x, *y;
	int same;

	if (!a || !b)
		return 0;
	if (a == b)	/* a string kept once (mail_name_keep()) */
		return 1;
	if (is_bare(a) && is_bare(b))
		return !strcasecmp(a, b);
	x = mail_address_spec(a);
	y = mail_address_spec(b);
	same = !strcasecmp(x, y);
	free(x);
	free(y);
	return same;
}

int mail_address_find(const struct vec *addrs, const char *addr)
{
	for (size_t i = 0; i < addrs->n; i++)
		if (mail_address_same(addrs->items[i], addr))
			return (int)i;
	return -1;
}

int mail_address_list_has(const char *text, const char *addr)
{
	InternetAddressList *list;
	GPtrArray *boxes;
	int found = 0;

	if (!text || !addr)
		return 0;
	mail_gmime_init();
	list = internet_address_list_parse(NULL, text);
	if (!list)
		return 0;
	boxes = g_ptr_array_new();
	mail_address_mailboxes(list, boxes);
	for (guint i = 0; i < boxes->len && !found; i++)
		found = mail_address_same(internet_address_mailbox_get_addr(
						  boxes->pdata[i]), addr);
	g_ptr_array_free(boxes, TRUE);
	g_object_unref(list);
	return found;
}
