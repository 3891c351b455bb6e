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

#endif
