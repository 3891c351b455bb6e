/*
 * The subject-tag grammar of kernel mailing lists, one parser for
 * everything: what the list sends ("[PATCH bpf-next v3 02/11] title",
 * "Re: [RFC PATCH v2 net-next 0/5] ...", "pull-request: bpf 2021-02-13",
 * "[GIT PULL] ...") and what vger respin writes.
 */
#ifndef MAIL_SUBJECT_H
#define MAIL_SUBJECT_H

struct sbuf;

enum mail_subject_kind {
	MAIL_SUBJECT_OTHER,	/* no patch or pull tag: discussion */
	MAIL_SUBJECT_PATCH,	/* [PATCH ...], [RFC ...] */
	MAIL_SUBJECT_PULL,	/* [GIT PULL ...], "pull-request: TREE DATE" */
	MAIL_SUBJECT_ANN,	/* [ANN] ..., e.g. "net-next is CLOSED" */
};

enum mail_subject_flags {
	MAIL_SUBJECT_RFC = 1 << 0,
	MAIL_SUBJECT_RESEND = 1 << 1,
	MAIL_SUBJECT_REPLY = 1 << 2,	/* Re:, RE:, AW:, Antw:, ... */
	MAIL_SUBJECT_FWD = 1 << 3,	/* Fwd:, Fw:, WG: */
};

struct mail_subject {
	enum mail_subject_kind kind;
	unsigned flags;
	/*
	 * The target tree as written, lowercase, with its own words:
	 * "bpf", "bpf-next", "net", "net-next", "iproute2 net-next",
	 * "iproute2-next", "6.1.y"; NULL when none is named.
	 */
	char *tree;
	unsigned version;	/* 1 when absent */
	unsigned index;		/* 2 of [2/11]; 0 when absent */
	unsigned total;		/* 11 of [2/11]; 0 when absent */
	char *date;		/* "2025-05-02" of a pull-request:, else NULL */
	/*
	 * The subject without reply prefixes, list tags ("[f2fs-dev]")
	 * and tag groups; never NULL.  A "pull-request: bpf 2021-02-13"
	 * subject has no other text, so its title is that whole text.
	 */
	char *title;
};

#define MAIL_SUBJECT_INIT { MAIL_SUBJECT_OTHER, 0, NULL, 1, 0, 0, NULL, NULL }

/*
 * The model's record cache keeps what mail_subject_parse() and
 * mail_subject_normalize_title() returned; bump this whenever either
 * would return something else for a subject, and caches written
 * before are rebuilt.
 */
#define MAIL_SUBJECT_GRAMMAR 1

/*
 * Parse a subject (already RFC 2047-decoded; folding whitespace is
 * allowed).  Never fails: a subject with no tags is MAIL_SUBJECT_OTHER
 * with the whole text as title.  Release with mail_subject_release().
 */
void mail_subject_parse(struct mail_subject *out, const char *subject);
void mail_subject_release(struct mail_subject *s);

/*
 * The canonical prefix for s: "[PATCH bpf-next v3 02/11]",
 * "[RFC PATCH bpf-next v3 00/11]", "[PATCH bpf]"; the index is padded
 * to the width of total, as git format-patch does.  Appended to sb.
 */
void mail_subject_format_prefix(const struct mail_subject *s,
				struct sbuf *sb);

/*
 * Decode RFC 2047 encoded words in a raw header value (with GMime) and
 * unfold it; the caller frees.  Invalid UTF-8 is replaced, never kept.
 */
char *mail_subject_decode(const char *raw);
/* s with every run of blanks and line breaks made one space, trimmed. */
char *mail_subject_unfold(const char *s);

/*
 * A title normalised for matching versions of one series: lowercase,
 * runs of blanks and punctuation folded to one space.  Caller frees.
 */
char *mail_subject_normalize_title(const char *title);

#endif
