/*
 * What vger knows of the kernel's trees and the people who run them,
 * written down once: each tree's name as a subject prefix writes it,
 * the list its patches go to, whether it takes fixes or the next
 * release's features (and so closes during the merge window), its
 * fixes or next sibling, who else it Cc's; the maintainers whose
 * pw-bot: words patchwork honours; the tree a series goes to when
 * nobody names one.  Plain data and libc only: mail/, series/ and
 * calendar/ all read it.
 */
#ifndef KERNEL_TREES_H
#define KERNEL_TREES_H

#include <stddef.h>

enum kernel_tree_kind {
	KERNEL_TREE_OTHER,	/* named in subjects, no rule of ours */
	KERNEL_TREE_FIXES,	/* takes fixes at any time */
	KERNEL_TREE_NEXT,	/* the next release: closed in the window */
};

enum kernel_tree_flags {
	/* A tree patches to bpf@vger or netdev name in their prefix. */
	KERNEL_TREE_TARGET = 1 << 0,
	/* The BPF list's own pair: vger's guess when none is named. */
	KERNEL_TREE_BPF = 1 << 1,
	/* Opens and closes as netdev's "[ANN] net-next is ..." say. */
	KERNEL_TREE_ANNOUNCED = 1 << 2,
	/* Its patches carry a Fixes: tag (the BPF and netdev FAQs). */
	KERNEL_TREE_FIXES_TAG = 1 << 3,
	/* Shown by vger window when no tree is asked for. */
	KERNEL_TREE_WINDOW = 1 << 4,
};

enum kernel_role {
	/* M: of BPF [GENERAL] in MAINTAINERS (Linux 7.1.3). */
	KERNEL_ROLE_BPF = 1 << 0,
	/* Their pw-bot: words count on netdevbpf patchwork. */
	KERNEL_ROLE_PWBOT = 1 << 1,
};

struct kernel_tree {
	/*
	 * As a subject prefix writes it: "bpf-next", "iproute2 net-next";
	 * "iproute2 *" stands for the iproute2 tree with any branch.
	 */
	const char *name;
	enum kernel_tree_kind kind;
	unsigned flags;		/* enum kernel_tree_flags */
	const char *list;	/* where its patches go, or NULL */
	const char *sibling;	/* its fixes or next tree, or NULL */
	/*
	 * The tree vger respin writes in the prefix when this name is
	 * asked for ("iproute2" -> "iproute2 net-next"), or NULL: the
	 * name itself.
	 */
	const char *prefix;
	unsigned cc;		/* enum kernel_role: who else is Cc'd */
};

struct kernel_person {
	const char *name;
	const char *email;
	unsigned roles;		/* enum kernel_role */
};

/*
 * The tree called name (compared exactly, as subjects write trees
 * lowercase), or NULL.  Static data.
 */
const struct kernel_tree *kernel_tree_find(const char *name);
/*
 * The tree one word of a subject's tag group names (len bytes, any
 * case): "bpf", "NET-NEXT", "linux-next"; NULL when none.
 */
const struct kernel_tree *kernel_tree_find_word(const char *word,
						size_t len);
/* The i-th tree of the table (for lists of them), or NULL past the end. */
const struct kernel_tree *kernel_tree_at(size_t i);

/*
 * Whether tree is fixes (KERNEL_TREE_FIXES) or next (KERNEL_TREE_NEXT)
 * for the merge window: from the table, and any other name ending in
 * "-next" is a next tree; KERNEL_TREE_OTHER when no rule is known.
 */
enum kernel_tree_kind kernel_tree_window_kind(const char *tree);
/* Whether tree is a target the lists know (KERNEL_TREE_TARGET). */
int kernel_tree_known(const char *tree);
/* The list tree's patches go to ("bpf@vger.kernel.org"), or NULL. */
const char *kernel_tree_list(const char *tree);
/*
 * The tree a subject prefix names for tree: "iproute2 net-next" for
 * "iproute2", the name itself for any other.  Borrowed.
 */
const char *kernel_tree_prefix(const char *tree);
/* Its fixes tree for a next tree and the other way round, or NULL. */
const char *kernel_tree_sibling(const char *tree);

/* The i-th person of the table, or NULL past the end.  Static data. */
const struct kernel_person *kernel_person_at(size_t i);

/*
 * Whether a commit message carries a "Fixes:" tag (a line starting
 * so, any case, before a "---" line).
 */
int kernel_msg_has_fixes(const char *msg);
/*
 * The tree a series goes to when nobody names one: the BPF list's
 * fixes tree ("bpf") when every message carries a Fixes: tag, else its
 * next tree ("bpf-next"); "bpf-next" for no message.  Static.
 */
const char *kernel_tree_guess(const char *const *msgs, size_t n);

#endif
