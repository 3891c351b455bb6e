/*
 * The kernel's trees and people as vger knows them (kernel/trees.h).
 * The rules come from the kernel's BPF development FAQ and netdev's
 * maintainer guide; a new tree or maintainer is one line here.
 */
#include <string.h>
#include <strings.h>

#include "kernel/trees.h"

#define BPF_LIST "bpf@vger.kernel.org"
#define NETDEV_LIST "netdev@vger.kernel.org"

static const struct kernel_tree trees[] = {
	{ "bpf", KERNEL_TREE_FIXES, KERNEL_TREE_TARGET | KERNEL_TREE_BPF |
	  KERNEL_TREE_FIXES_TAG | KERNEL_TREE_WINDOW, BPF_LIST, "bpf-next",
	  NULL, 0 },
	{ "bpf-next", KERNEL_TREE_NEXT, KERNEL_TREE_TARGET | KERNEL_TREE_BPF |
	  KERNEL_TREE_WINDOW, BPF_LIST, "bpf", NULL, 0 },
	{ "net", KERNEL_TREE_FIXES, KERNEL_TREE_TARGET |
	  KERNEL_TREE_FIXES_TAG | KERNEL_TREE_WINDOW, NETDEV_LIST,
	  "net-next", NULL, 0 },
	{ "net-next", KERNEL_TREE_NEXT, KERNEL_TREE_TARGET |
	  KERNEL_TREE_ANNOUNCED | KERNEL_TREE_WINDOW, NETDEV_LIST, "net",
	  NULL, 0 },
	/*
	 * iproute2's BPF loader patches go to netdev with the BPF
	 * maintainers Cc'd, as "[PATCH iproute2 master]" (fixes) or
	 * "[PATCH iproute2 net-next]"; respin writes the latter for the
	 * short names.
	 */
	{ "iproute2 master", KERNEL_TREE_FIXES, KERNEL_TREE_TARGET,
	  NETDEV_LIST, "iproute2 net-next", NULL, KERNEL_ROLE_BPF },
	{ "iproute2 net-next", KERNEL_TREE_NEXT, KERNEL_TREE_TARGET |
	  KERNEL_TREE_ANNOUNCED, NETDEV_LIST, "iproute2 master", NULL,
	  KERNEL_ROLE_BPF },
	{ "iproute2-next", KERNEL_TREE_NEXT, KERNEL_TREE_TARGET |
	  KERNEL_TREE_ANNOUNCED, NETDEV_LIST, "iproute2", "iproute2 net-next",
	  KERNEL_ROLE_BPF },
	{ "iproute2", KERNEL_TREE_FIXES, 0, NETDEV_LIST, "iproute2-next",
	  "iproute2 net-next", KERNEL_ROLE_BPF },
	{ "iproute2 *", KERNEL_TREE_OTHER, KERNEL_TREE_TARGET, NETDEV_LIST,
	  NULL, NULL, KERNEL_ROLE_BPF },
	/* Trees other lists name: known words in a subject, no more. */
	{ "next", KERNEL_TREE_OTHER, 0, NULL, NULL, NULL, 0 },
	{ "linux-next", KERNEL_TREE_OTHER, 0, NULL, NULL, NULL, 0 },
	{ "stable", KERNEL_TREE_OTHER, 0, NULL, NULL, NULL, 0 },
};

#define NTREES (sizeof(trees) / sizeof(trees[0]))

static const struct kernel_person people[] = {
	/* BPF [GENERAL] */
	{ "Alexei Starovoitov", "ast@kernel.org",
	  KERNEL_ROLE_BPF | KERNEL_ROLE_PWBOT },
	{ "Daniel Borkmann", "daniel@iogearbox.net",
	  KERNEL_ROLE_BPF | KERNEL_ROLE_PWBOT },
	{ "Andrii Nakryiko", "andrii@kernel.org",
	  KERNEL_ROLE_BPF | KERNEL_ROLE_PWBOT },
	{ "Martin KaFai Lau", "martin.lau@linux.dev", KERNEL_ROLE_PWBOT },
	{ "Martin KaFai Lau", "martin.lau@kernel.org", KERNEL_ROLE_PWBOT },
	{ "Eduard Zingerman", "eddyz87@gmail.com", KERNEL_ROLE_PWBOT },
	{ "Kumar Kartikeya Dwivedi", "memxor@gmail.com", KERNEL_ROLE_PWBOT },
	/* NETWORKING [GENERAL]: netdevbpf patchwork is shared */
	{ "David S. Miller", "davem@davemloft.net", KERNEL_ROLE_PWBOT },
	{ "Eric Dumazet", "edumazet@google.com", KERNEL_ROLE_PWBOT },
	{ "Jakub Kicinski", "kuba@kernel.org", KERNEL_ROLE_PWBOT },
	{ "Paolo Abeni", "pabeni@redhat.com", KERNEL_ROLE_PWBOT },
};

/* "iproute2 *": "iproute2 " and a branch. */
static int name_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (n > 2 && !strcmp(pattern + n - 2, " *"))
		return !strncmp(name, pattern, n - 1) && name[n - 1];
	return !strcmp(pattern, name);
}

const struct kernel_tree *kernel_tree_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < NTREES; i++)
		if (name_matches(trees[i].name, name))
			return &trees[i];
	return NULL;
}

const struct kernel_tree *kernel_tree_find_word(const char *word,
						size_t len)
{
	for (size_t i = 0; i < NTREES; i++)
		if (strlen(trees[i].name) == len &&
		    !strchr(trees[i].name, ' ') &&
		    !strncasecmp(word, trees[i].name, len))
			return &trees[i];
	return NULL;
}

const struct kernel_tree *kernel_tree_at(size_t i)
{
	return i < NTREES ? &trees[i] : NULL;
}

enum kernel_tree_kind kernel_tree_window_kind(const char *tree)
{
	const struct kernel_tree *t = kernel_tree_find(tree);
	size_t n = strlen(tree);

	if (t && t->kind != KERNEL_TREE_OTHER)
		return t->kind;
	/* linux-next, mm-next, ...: closed like bpf-next */
	if (n > 5 && !strcmp(tree + n - 5, "-next"))
		return KERNEL_TREE_NEXT;
	return KERNEL_TREE_OTHER;
}

int kernel_tree_known(const char *tree)
{
	const struct kernel_tree *t = kernel_tree_find(tree);

	return t && (t->flags & KERNEL_TREE_TARGET);
}

const char *kernel_tree_list(const char *tree)
{
	const struct kernel_tree *t = kernel_tree_find(tree);

	return t ? t->list : NULL;
}

const char *kernel_tree_prefix(const char *tree)
{
	const struct kernel_tree *t = kernel_tree_find(tree);

	return t && t->prefix ? t->prefix : tree;
}

const char *kernel_tree_sibling(const char *tree)
{
	const struct kernel_tree *t = kernel_tree_find(tree);

	return t ? t->sibling : NULL;
}

const struct kernel_person *kernel_person_at(size_t i)
{
	return i < sizeof(people) / sizeof(people[0]) ? &people[i] : NULL;
}

int kernel_msg_has_fixes(const char *msg)
{
	for (const char *p = msg; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		/* git am ends the message at "---" */
		if (!strncmp(p, "---", 3) &&
		    (p[3] == '\n' || p[3] == '\r' || !p[3]))
			return 0;
		if (!strncasecmp(p, "fixes:", 6))
			return 1;
		p += len + (nl != NULL);
	}
	return 0;
}

/* The BPF list's tree of this kind. */
static const char *bpf_tree(enum kernel_tree_kind kind)
{
	for (size_t i = 0; i < NTREES; i++)
		if ((trees[i].flags & KERNEL_TREE_BPF) && trees[i].kind == kind)
			return trees[i].name;
	return NULL;
}

const char *kernel_tree_guess(const char *const *msgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!kernel_msg_has_fixes(msgs[i]))
			return bpf_tree(KERNEL_TREE_NEXT);
	return bpf_tree(n ? KERNEL_TREE_FIXES : KERNEL_TREE_NEXT);
}
