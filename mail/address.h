/*
 * Mailboxes and addresses ("Jane Doe <jane@example.org>", "\"Doe,
 * Jane\" <jane@x>", "jane@x (Jane)", a bare address), for all of vger:
 * one parser (GMime's internet_address_list_parse()) and one comparer.
 */
#ifndef MAIL_ADDRESS_H
#define MAIL_ADDRESS_H

struct err;
struct vec;

struct mail_address {
	char *name;	/* decoded, valid UTF-8, trimmed; NULL when none */
	char *email;	/* as written, trimmed; NULL when none */
};

#define MAIL_ADDRESS_INIT { NULL, NULL }

/*
 * The first mailbox of text (looking into groups), encoded words
 * decoded.  0, or -1 when text names no mailbox (*out is then empty).
 * Release with mail_address_release() either way.
 */
int mail_address_parse(struct mail_address *out, const char *text);
void mail_address_release(struct mail_address *a);

/*
 * The bare address of "Name <addr>" or "addr"; when text holds no
 * address with an '@', text itself, trimmed.  The caller frees.
 */
char *mail_address_spec(const char *text);
/*
 * Whether a and b ("Name <addr>" or bare) are the same address:
 * mail_address_spec() of each, compared ignoring case.  NULL is no
 * address.
 */
int mail_address_same(const char *a, const char *b);
/*
 * The first of addrs (char *: "Name <addr>" or bare) that is the same
 * address as addr (mail_address_same()): its index, or -1.
 */
int mail_address_find(const struct vec *addrs, const char *addr);
/* Whether the address list text names the address addr. */
int mail_address_list_has(const char *text, const char *addr);

/*
 * The address list in text ("A <a@x>, b@y"), checked: each mailbox
 * appended to out as "Name <addr>" (decoded, quoted where needed) or
 * "addr".  ERR_PARSE for an address that is not local@domain in
 * printable ASCII, or text that does not parse as addresses.
 */
int mail_address_parse_list(const char *text, struct vec *out,
			    struct err *err);

/* The longest display name taken from mail, in bytes. */
#define MAIL_ADDRESS_NAME_MAX 128
/* The longest address (RFC 5321: a path of 256 octets with its <>). */
#define MAIL_ADDRESS_SPEC_MAX 254

/* Where an address taken from mail goes. */
enum mail_address_form {
	/* a header (To:, Cc:): a non-ASCII name RFC 2047-encoded */
	MAIL_ADDRESS_HEADER,
	/* a line of a body (a trailer): the name as UTF-8 */
	MAIL_ADDRESS_TEXT,
};

/*
 * A mailbox taken from mail (a reply's From:, a trailer's address) as
 * a header or a body line may carry it: the one way such an address
 * gets into what vger writes.  email must be one addr-spec as GMime's
 * parser reads it and local@domain in printable ASCII (no blank,
 * control or any of <>,;:"), at most MAIL_ADDRESS_SPEC_MAX bytes; name
 * (NULL or empty: none) valid UTF-8 of at most MAIL_ADDRESS_NAME_MAX
 * bytes without a control character (C0, DEL, C1), a bidi control, a
 * line separator or an angle bracket.  GMime writes the result, the
 * name quoted where RFC 5322 wants it and, for a header, encoded: never
 * pasted.  0 with *out ("addr" or "Name <addr>", the caller frees), or
 * ERR_PARSE with *out NULL and err saying what is wrong, for the
 * caller to drop the address and say so.
 */
int mail_address_from_mail(char **out, const char *name, const char *email,
			   enum mail_address_form form, struct err *err);

#endif
