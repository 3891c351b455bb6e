/*
 * The corpus generator.  Messages are written with plain stdio: they
 * are our own, every header is ASCII (names outside ASCII are RFC 2047
 * encoded here) and bodies are UTF-8 sent as 8bit, as git send-email
 * does, so no MIME library is needed to write them.
 *
 * Layout of a run: the span [start, start + days) is mapped onto the
 * message budget (weekdays weigh more than weekends); each unit (a
 * series with all its versions, a discussion, a pull request) starts
 * at the time matching the messages written so far, and its replies
 * follow it by hours or days.  A unit is built in memory, then written
 * when it fits the remaining budget; near the end small discussions
 * fill the budget exactly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "corpus/corpus.h"
#include "util/date.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/scan.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define DAY 86400L
#define HOUR 3600L
#define MESSAGES_MAX 5000000u
#define DAYS_MAX 36500u
#define FILL_BELOW 40	/* budget left when only fillers are made */

/* ---------------------------------------------------------------- */
/* A small deterministic PRNG: splitmix64, one stream per unit.      */

struct rng {
	uint64_t s;
};

static uint64_t rng_u64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rng_below(struct rng *r, unsigned n)
{
	return n ? (unsigned)(rng_u64(r) % n) : 0;
}

/* lo..hi inclusive */
static unsigned rng_range(struct rng *r, unsigned lo, unsigned hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static int rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

#define PICK(r, a) ((a)[rng_below((r), ARRAY_SIZE(a))])

static void rng_hex(struct rng *r, char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		out[i] = hex[rng_below(r, 16)];
	out[n] = '\0';
}

/*
 * Most people answer on weekdays: a reply that falls on a weekend moves
 * to Monday, three times in four.  Never earlier, so replies still
 * follow what they answer.
 */
static time_t busy(struct rng *r, time_t t)
{
	long day = (long)(t / 86400);
	int wd = (int)((day + 4) % 7);	/* 1970-01-01 was a Thursday */

	if ((wd == 0 || wd == 6) && rng_pct(r, 75))
		t += (wd == 6 ? 2 : 1) * 86400L;
	return t;
}

/* ---------------------------------------------------------------- */
/* People.                                                           */

enum reply_style { STYLE_GMAIL, STYLE_MUTT, STYLE_TBIRD };

struct person {
	const char *name;	/* UTF-8 */
	const char *email;
	short tz;		/* minutes east of UTC */
	unsigned char style;
};

/* The BPF maintainers (MAINTAINERS: BPF [GENERAL] and friends). */
enum {
	P_AST, P_DANIEL, P_ANDRII, P_MARTIN, P_EDUARD, P_KUMAR,
	P_NMAINT,	/* above: pw-bot commands are theirs */
	P_YONGHONG = P_NMAINT, P_SONG, P_JOHN, P_JIRI, P_KP, P_STAN,
	P_HAO, P_NREVIEW
};

static const struct person maintainers[] = {
	{ "Alexei Starovoitov", "ast@kernel.org", -480, STYLE_GMAIL },
	{ "Daniel Borkmann", "daniel@iogearbox.net", 60, STYLE_TBIRD },
	{ "Andrii Nakryiko", "andrii@kernel.org", -480, STYLE_GMAIL },
	{ "Martin KaFai Lau", "martin.lau@linux.dev", -480, STYLE_TBIRD },
	{ "Eduard Zingerman", "eddyz87@gmail.com", -480, STYLE_MUTT },
	{ "Kumar Kartikeya Dwivedi", "memxor@gmail.com", 60, STYLE_GMAIL },
	{ "Yonghong Song", "yonghong.song@linux.dev", -480, STYLE_TBIRD },
	{ "Song Liu", "song@kernel.org", -480, STYLE_GMAIL },
	{ "John Fastabend", "john.fastabend@gmail.com", -480, STYLE_MUTT },
	{ "Jiri Olsa", "jolsa@kernel.org", 60, STYLE_MUTT },
	{ "KP Singh", "kpsingh@kernel.org", 60, STYLE_GMAIL },
	{ "Stanislav Fomichev", "sdf@fomichev.me", -480, STYLE_MUTT },
	{ "Hao Luo", "haoluo@google.com", -480, STYLE_GMAIL },
};

static const struct person netdev_maint[] = {
	{ "David Miller", "davem@davemloft.net", -480, STYLE_MUTT },
	{ "Jakub Kicinski", "kuba@kernel.org", -480, STYLE_MUTT },
	{ "Eric Dumazet", "edumazet@google.com", 60, STYLE_GMAIL },
	{ "Paolo Abeni", "pabeni@redhat.com", 60, STYLE_TBIRD },
};

static const struct person bot = {
	"", "patchwork-bot+netdevbpf@kernel.org", 0, STYLE_MUTT
};

/* Made-up contributors at example domains. */
static const struct person contributors[] = {
	{ "Jane Doe", "jane.doe@example.com", -300, STYLE_MUTT },
	{ "Wei Chen", "wei.chen@example.org", 480, STYLE_GMAIL },
	{ "Priya Raman", "priya.raman@example.net", 330, STYLE_GMAIL },
	{ "Tomas Novak", "tomas.novak@example.com", 60, STYLE_MUTT },
	{ "J\xc3\xb6rg Lindqvist", "jorg.lindqvist@example.org", 60,
	  STYLE_TBIRD },
	{ "Aiko Tanaka", "aiko.tanaka@example.net", 540, STYLE_GMAIL },
	{ "Marcus Webb", "mwebb@example.com", -300, STYLE_GMAIL },
	{ "Ren\xc3\xa9" "e Duval", "renee.duval@example.net", 60,
	  STYLE_TBIRD },
	{ "Oleksii Petrenko", "oleksii.p@example.org", 120, STYLE_MUTT },
	{ "Sara Lindgren", "sara.lindgren@example.com", 60, STYLE_MUTT },
	{ "Daniel Park", "dpark@example.org", 540, STYLE_GMAIL },
	{ "\xc5\x81ukasz Nowak", "lukasz.nowak@example.com", 60,
	  STYLE_MUTT },
	{ "Hannah Brooks", "hbrooks@example.net", -420, STYLE_GMAIL },
	{ "Ravi Shankar", "ravi.shankar@example.com", 330, STYLE_GMAIL },
	{ "Leon Fischer", "leon.fischer@example.org", 60, STYLE_MUTT },
	{ "Mei Lin", "mei.lin@example.net", 480, STYLE_TBIRD },
	{ "Carlos Mendes", "cmendes@example.com", -180, STYLE_GMAIL },
	{ "Ingrid Solberg", "ingrid@example.org", 60, STYLE_MUTT },
	{ "Yuki Sato", "yuki.sato@example.com", 540, STYLE_GMAIL },
	{ "Amir Haddad", "amir.haddad@example.net", 120, STYLE_MUTT },
	{ "Nora Kelly", "nora.kelly@example.org", 0, STYLE_TBIRD },
	{ "Pavel Sokolov", "psokolov@example.com", 180, STYLE_MUTT },
	{ "Grace Okafor", "grace.okafor@example.net", 60, STYLE_GMAIL },
	{ "Felix Wagner", "felix.wagner@example.org", 60, STYLE_MUTT },
	{ "Lina Haddou", "lina.haddou@example.com", 60, STYLE_TBIRD },
	{ "Tariq Mahmood", "tariq.m@example.org", 300, STYLE_GMAIL },
	{ "Emma Larsen", "emma.larsen@example.net", 60, STYLE_MUTT },
	{ "Victor Huang", "victor.huang@example.com", 480, STYLE_GMAIL },
	{ "Sofia Rossi", "sofia.rossi@example.org", 60, STYLE_TBIRD },
	{ "Ben Carter", "ben.carter@example.com", -300, STYLE_MUTT },
	{ "Kenji Mori", "kenji.mori@example.net", 540, STYLE_GMAIL },
	{ "Olga Ivanova", "olga.ivanova@example.org", 180, STYLE_MUTT },
};

static int needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* "Name <addr>", the name RFC 2047 Q-encoded when not ASCII. */
static void add_addr(struct sbuf *sb, const struct person *p)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!p->name[0]) {
		sbuf_addstr(sb, p->email);
		return;
	}
	if (!needs_encoding(p->name)) {
		sbuf_addf(sb, "%s <%s>", p->name, p->email);
		return;
	}
	sbuf_addstr(sb, "=?UTF-8?q?");
	for (const char *s = p->name; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			sbuf_addch(sb, c);
		else if (c == ' ')
			sbuf_addch(sb, '_');
		else
			sbuf_addf(sb, "=%c%c", hex[c >> 4], hex[c & 15]);
	}
	sbuf_addf(sb, "?= <%s>", p->email);
}

/* ---------------------------------------------------------------- */
/* Dates.                                                            */

enum day_fmt { DAY_PLAIN, DAY_SPACE, DAY_ZERO };

static const char *const wday_names[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const mon_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void to_tm(time_t t, int tz, struct tm *tm)
{
	time_t local = t + (time_t)tz * 60;

	gmtime_r(&local, tm);
}

/* RFC 5322 date, e.g. "Tue, 20 Sep 2022 08:15:21 -0600". */
static void add_date(struct sbuf *sb, time_t t, int tz, enum day_fmt f)
{
	struct tm tm;
	int a = tz < 0 ? -tz : tz;

	to_tm(t, tz, &tm);
	sbuf_addf(sb, f == DAY_SPACE ? "%s, %2d %s %d" :
		  f == DAY_ZERO ? "%s, %02d %s %d" : "%s, %d %s %d",
		  wday_names[tm.tm_wday], tm.tm_mday, mon_names[tm.tm_mon],
		  tm.tm_year + 1900);
	sbuf_addf(sb, " %02d:%02d:%02d %c%02d%02d", tm.tm_hour, tm.tm_min,
		  tm.tm_sec, tz < 0 ? '-' : '+', a / 60, a % 60);
}

/* ---------------------------------------------------------------- */
/* Words.  Series are made of a topic (an object and where it lives)  */
/* and patches that touch the files of an area.                      */

struct topic {
	const char *phrase;	/* "precision tracking for spilled regs" */
	const char *ident;	/* snake_case: tests, functions */
	unsigned area;		/* enum area of the main patch */
};

enum area {
	A_VERIFIER, A_CORE, A_NET, A_LIBBPF, A_SELFTESTS, A_BPFTOOL,
	A_X86, A_ARM64, A_SOCKMAP, A_TRACE, A_MAX
};

static const char *const area_prefix[A_MAX] = {
	"bpf", "bpf", "bpf, net", "libbpf", "selftests/bpf", "bpftool",
	"bpf, x86", "bpf, arm64", "bpf, sockmap", "bpf"
};

static const char *const area_files[A_MAX][6] = {
	{ "kernel/bpf/verifier.c", "include/linux/bpf_verifier.h",
	  "kernel/bpf/verifier.c", "kernel/bpf/log.c",
	  "kernel/bpf/verifier.c", "include/linux/bpf.h" },
	{ "kernel/bpf/syscall.c", "kernel/bpf/helpers.c", "kernel/bpf/btf.c",
	  "include/linux/bpf.h", "include/uapi/linux/bpf.h",
	  "kernel/bpf/arena.c" },
	{ "net/core/filter.c", "include/uapi/linux/bpf.h",
	  "include/linux/filter.h", "net/core/filter.c",
	  "net/xdp/xsk.c", "net/core/dev.c" },
	{ "tools/lib/bpf/libbpf.c", "tools/lib/bpf/libbpf.h",
	  "tools/lib/bpf/libbpf.map", "tools/lib/bpf/btf.c",
	  "tools/lib/bpf/bpf.c", "tools/lib/bpf/libbpf_internal.h" },
	{ "tools/testing/selftests/bpf/prog_tests/%s.c",
	  "tools/testing/selftests/bpf/progs/%s.c",
	  "tools/testing/selftests/bpf/progs/verifier_%s.c",
	  "tools/testing/selftests/bpf/prog_tests/verifier.c",
	  "tools/testing/selftests/bpf/bpf_experimental.h",
	  "tools/testing/selftests/bpf/Makefile" },
	{ "tools/bpf/bpftool/prog.c", "tools/bpf/bpftool/map.c",
	  "tools/bpf/bpftool/btf.c", "tools/bpf/bpftool/link.c",
	  "tools/bpf/bpftool/gen.c",
	  "tools/bpf/bpftool/Documentation/bpftool-prog.rst" },
	{ "arch/x86/net/bpf_jit_comp.c", "arch/x86/net/bpf_jit_comp.c",
	  "kernel/bpf/core.c", "include/linux/filter.h",
	  "arch/x86/net/bpf_jit_comp.c", "kernel/bpf/core.c" },
	{ "arch/arm64/net/bpf_jit_comp.c", "arch/arm64/net/bpf_jit.h",
	  "arch/arm64/net/bpf_jit_comp.c", "kernel/bpf/core.c",
	  "arch/arm64/net/bpf_jit_comp.c", "arch/arm64/net/bpf_jit.h" },
	{ "net/core/sock_map.c", "net/ipv4/tcp_bpf.c", "net/core/skmsg.c",
	  "include/linux/skmsg.h", "net/ipv4/udp_bpf.c",
	  "net/core/sock_map.c" },
	{ "kernel/trace/bpf_trace.c", "kernel/bpf/trampoline.c",
	  "kernel/trace/bpf_trace.c", "include/linux/trace_events.h",
	  "kernel/bpf/bpf_iter.c", "kernel/bpf/task_iter.c" },
};

static const struct topic topics[] = {
	{ "precision tracking for spilled registers", "precise_spill",
	  A_VERIFIER },
	{ "bounds propagation for 32-bit subregisters", "subreg_bounds",
	  A_VERIFIER },
	{ "may_goto in nested loops", "may_goto_loop", A_VERIFIER },
	{ "iterator state convergence", "iter_converge", A_VERIFIER },
	{ "signed division range tracking", "sdiv_range", A_VERIFIER },
	{ "dead code elimination after bpf_loop", "dce_loop", A_VERIFIER },
	{ "stack slot liveness for scalar spills", "stack_liveness",
	  A_VERIFIER },
	{ "nullness elision for map lookups", "null_elision", A_VERIFIER },
	{ "callback return range checks", "cb_retval", A_VERIFIER },
	{ "arena pointer arithmetic", "arena_ptr", A_CORE },
	{ "bpf_arena page allocation", "arena_alloc", A_CORE },
	{ "rbtree nodes with refcounts", "rbtree_refcnt", A_CORE },
	{ "kfuncs for cgroup iteration", "cgroup_iter", A_CORE },
	{ "BTF dedup of anonymous enums", "btf_anon_enum", A_CORE },
	{ "token-based delegation of BPF commands", "token_delegate",
	  A_CORE },
	{ "per-CPU kptrs in hash maps", "percpu_kptr", A_CORE },
	{ "timer callbacks in sleepable programs", "sleepable_timer",
	  A_CORE },
	{ "dynptr slices for skb data", "dynptr_skb", A_NET },
	{ "XDP metadata for RX checksum", "xdp_rx_csum", A_NET },
	{ "tcx link detach on device removal", "tcx_detach", A_NET },
	{ "netkit peer device attach", "netkit_peer", A_NET },
	{ "skb redirect to ingress with tunnel keys", "redirect_tunnel",
	  A_NET },
	{ "struct_ops map updates", "struct_ops_update", A_LIBBPF },
	{ "BPF link pinning in skeletons", "skel_link_pin", A_LIBBPF },
	{ "USDT argument parsing on riscv", "usdt_riscv", A_LIBBPF },
	{ "BTF.ext line info for split BTF", "split_btf_ext", A_LIBBPF },
	{ "kernel module BTF lookup", "module_btf", A_LIBBPF },
	{ "CO-RE relocations for bitfields", "core_bitfield", A_LIBBPF },
	{ "test_progs parallel mode timeouts", "parallel_timeout",
	  A_SELFTESTS },
	{ "veristat comparison of instruction counts", "veristat_cmp",
	  A_SELFTESTS },
	{ "cgroup skb tests on IPv6", "cgroup_skb_v6", A_SELFTESTS },
	{ "program dump of JITed images", "jited_dump", A_BPFTOOL },
	{ "skeleton generation for light mode", "gen_light", A_BPFTOOL },
	{ "map dump of arena maps", "map_arena_dump", A_BPFTOOL },
	{ "tail calls through the trampoline", "tailcall_tramp", A_X86 },
	{ "private stack for deep call chains", "priv_stack", A_X86 },
	{ "indirect jump tables", "jump_table", A_X86 },
	{ "atomic load-acquire and store-release", "load_acquire",
	  A_ARM64 },
	{ "exception unwinding in JITed code", "jit_exception", A_ARM64 },
	{ "sockmap redirect with partial skbs", "sockmap_partial",
	  A_SOCKMAP },
	{ "TCP ULP handling in sockmap", "sockmap_ulp", A_SOCKMAP },
	{ "uprobe multi-link cookies", "uprobe_cookie", A_TRACE },
	{ "kprobe session programs", "kprobe_session", A_TRACE },
	{ "fentry on static functions", "fentry_static", A_TRACE },
	{ "task_vma iterator locking", "task_vma_iter", A_TRACE },
	{ "raw tracepoint arguments with BTF", "raw_tp_btf", A_TRACE },
};

static const char *const feature_verbs[] = {
	"Support", "Add", "Introduce", "Allow", "Track",
	"Implement", "Enable", "Extend",
};

static const char *const fix_verbs[] = {
	"Fix", "Avoid", "Reject", "Check", "Don't leak", "Handle",
	"Correct", "Prevent a crash in",
};

static const char *const refactor_phrases[] = {
	"Refactor %s helpers", "Move %s code into its own file",
	"Factor out %s checks", "Simplify %s state handling",
	"Prepare %s for the next patch", "Rename %s fields",
	"Clean up %s error paths",
};

static const char *const sentences[] = {
	"Currently the verifier rejects programs that use %s even though the "
	"access is provably safe.",
	"This was reported by users who hit the complexity limit when %s was "
	"combined with bpf_loop().",
	"Track the state explicitly instead of recomputing it on every "
	"instruction, which also makes the log easier to read.",
	"The old code assumed that %s could never be reached from a "
	"sleepable program, which is no longer true.",
	"No functional change intended for existing programs.",
	"The change is covered by new selftests in a later patch of this "
	"series.",
	"Without this change, %s silently falls back to the slow path.",
	"Keep the existing behaviour for old kernels so that libbpf keeps "
	"working everywhere.",
	"veristat shows no change in the number of processed instructions "
	"for the programs in selftests and for the Cilium object files.",
	"The fix is to take the lock before looking at %s, as the other "
	"callers already do.",
	"This matches what the x86 JIT does and lets us drop a special "
	"case from the verifier.",
	"Syzbot found a way to trigger a warning in %s with a crafted "
	"program.",
	"Use the existing helper instead of open-coding the same check in "
	"three places.",
	"Follow-up patches will build on this to support %s for struct_ops "
	"programs as well.",
};

static const char *const old_commit_titles[] = {
	"bpf: Introduce bpf_arena", "bpf: Add kfunc bpf_rcu_read_lock",
	"bpf: Support new signed div/mod instructions",
	"libbpf: Add BPF token support", "bpf: Add bpf_iter_task_vma",
	"bpf, sockmap: Add sk_rmem_alloc check for sockmap",
	"bpf: Allow reads from uninit stack",
	"selftests/bpf: Add verifier tests for may_goto",
	"bpf: Implement cgroup storage as local storage",
	"bpf: Add uprobe_multi link support",
};

static const char *const changelog_items[] = {
	"Addressed feedback from %s",
	"Added selftests for the error paths",
	"Rebased on top of bpf-next",
	"Dropped the RFC tag",
	"Fixed a build warning reported by the kernel test robot",
	"Used the existing helper instead of open-coding the check (%s)",
	"Split the verifier change into its own patch",
	"Reworded the commit messages",
	"Collected Acked-by and Reviewed-by tags",
	"Moved the test into prog_tests/ (%s)",
	"Fixed an off-by-one in the bounds check",
	"Squashed the two libbpf patches",
};

static const char *const review_comments[] = {
	"This looks good to me, one nit below.",
	"Why is the lock needed here? The map is already RCU protected.",
	"nit: please keep the declarations in reverse xmas tree order.",
	"Can we make this a kfunc instead of a new helper? New helpers are "
	"not accepted anymore.",
	"This will break old kernels; please gate it on a feature probe.",
	"Please add a selftest that covers the failure case too.",
	"The commit message should explain why this is safe for sleepable "
	"programs.",
	"I think this needs a Fixes: tag and should go to the bpf tree.",
	"Looks like veristat numbers went up for pyperf600; any idea why?",
	"Makes sense.",
	"Let's not export this in libbpf.map until there is a user.",
};

static const char *const author_answers[] = {
	"Thanks for the review! Will fix in the next version.",
	"Good point, I'll switch to the kfunc in v%u.",
	"It is needed because the callback may run after the map is freed. "
	"I'll add a comment.",
	"Ack, will add a selftest.",
	"Sure, will send a new version shortly.",
};

static const char *const cr_comments[] = {
	"The approach is fine, but the selftest is flaky on s390; please "
	"take a look before the next version.",
	"CI is failing on this series, see the BPF CI results in patchwork.",
	"Please address Andrii's comments and respin.",
	"This needs more work; the verifier part is not safe as is.",
	"Please split the libbpf and kernel changes into separate patches.",
};

static const char *const discussion_subjects[] = {
	"Question about %s and verifier complexity",
	"[BUG] KASAN: slab-use-after-free in %s",
	"%s and fork()",
	"Using %s from sleepable struct_ops programs",
	"[QUESTION] Why does the verifier reject %s?",
	"libbpf: how to use %s with out-of-tree modules?",
	"WARNING in check_helper_call with %s",
	"LSF/MM/BPF topic: %s",
	"Performance regression in %s after rebase",
	"%s on arm64",
	"[RFC] Design discussion: %s",
	"Re: %s",
};

static const char *const discussion_lines[] = {
	"I am trying to understand whether this is expected behaviour or a "
	"bug in the verifier.",
	"The program below loads fine on 6.8 but fails on bpf-next with "
	"\"R1 invalid mem access 'scalar'\".",
	"Any pointers would be appreciated.",
	"Can you share the full verifier log? It is hard to tell without it.",
	"This is expected: the verifier cannot prove that the index is in "
	"bounds after the loop.",
	"Try using bpf_for() from bpf_experimental.h instead.",
	"I can reproduce this on x86_64 with the config attached.",
	"Thanks, that fixed it for me.",
	"This came up at LPC last year as well; it would be great to have a "
	"proper solution.",
	"Patches welcome :)",
};

/* ---------------------------------------------------------------- */
/* Text helpers.                                                     */

/* Append words of text wrapped at width, first/next line prefixes. */
static void add_wrapped(struct sbuf *sb, const char *text, size_t width,
			const char *first, const char *next)
{
	size_t col = strlen(first);
	const char *p = text;
	int line_empty = 1;

	sbuf_addstr(sb, first);
	while (*p) {
		const char *w = p;
		size_t n;

		while (*p && *p != ' ')
			p++;
		n = (size_t)(p - w);
		if (!line_empty && col + 1 + n > width) {
			sbuf_addch(sb, '\n');
			sbuf_addstr(sb, next);
			col = strlen(next);
			line_empty = 1;
		}
		if (!line_empty) {
			sbuf_addch(sb, ' ');
			col++;
		}
		sbuf_add(sb, w, n);
		col += n;
		line_empty = 0;
		while (*p == ' ')
			p++;
	}
	sbuf_addch(sb, '\n');
}

/* Fill a template: every "%s" is arg, "%%" is '%'. */
static void add_tmpl(struct sbuf *sb, const char *tmpl, const char *arg)
{
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '%' && p[1] == '%') {
			sbuf_addch(sb, '%');
			p++;
		} else if (p[0] == '%' && p[1] == 's') {
			sbuf_addstr(sb, arg);
			p++;
		} else {
			sbuf_addch(sb, *p);
		}
	}
}

static char *tmpl_dup(const char *tmpl, const char *arg)
{
	struct sbuf sb = SBUF_INIT;

	add_tmpl(&sb, tmpl, arg);
	return sbuf_detach(&sb);
}

/* A paragraph of n sentences about the topic, wrapped at 72. */
/*
 * *k walks the sentence table from a random start, so the sentences of
 * one message differ (at most ARRAY_SIZE(sentences) of them).
 */
static void add_paragraph(struct sbuf *sb, unsigned *k,
			  const struct topic *t, unsigned n)
{
	struct sbuf para = SBUF_INIT;

	for (unsigned i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&para, ' ');
		*k = (*k + 1) % ARRAY_SIZE(sentences);
		add_tmpl(&para, sentences[*k], t->phrase);
	}
	add_wrapped(sb, para.buf, 72, "", "");
	sbuf_release(&para);
}

static char *slugify(const char *title)
{
	struct sbuf sb = SBUF_INIT;
	const char *p = strstr(title, ": ");

	p = p ? p + 2 : title;
	for (; *p; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			sbuf_addch(&sb, c);
		else if (sb.len && sb.buf[sb.len - 1] != '-')
			sbuf_addch(&sb, '-');
	}
	while (sb.len && sb.buf[sb.len - 1] == '-')
		sbuf_setlen(&sb, sb.len - 1);
	return sbuf_detach(&sb);
}

/* ---------------------------------------------------------------- */
/* Diffstat, as git's show_stats() lays it out.                      */

struct fstat {
	char *path;
	unsigned add, del;
	int created;
};

static void fstat_free(void *p)
{
	struct fstat *f = p;

	free(f->path);
	free(f);
}

static unsigned decimal_width(unsigned long n)
{
	unsigned w = 1;

	while (n >= 10) {
		n /= 10;
		w++;
	}
	return w;
}

static unsigned scale_linear(unsigned it, unsigned width, unsigned max)
{
	if (!it)
		return 0;
	return 1 + (unsigned)((unsigned long)it * (width - 1) / max);
}

/* files: struct fstat *; width 72 (format-patch) or 80 (request-pull) */
static void add_diffstat(struct sbuf *sb, const struct vec *files,
			 unsigned width)
{
	unsigned max_change = 0, max_len = 0, name_width, graph_width;
	unsigned number_width, ins = 0, del = 0;

	for (size_t i = 0; i < files->n; i++) {
		const struct fstat *f = files->items[i];
		unsigned len = (unsigned)strlen(f->path);

		if (f->add + f->del > max_change)
			max_change = f->add + f->del;
		if (len > max_len)
			max_len = len;
	}
	number_width = decimal_width(max_change);
	graph_width = max_change;
	name_width = max_len;
	if (name_width + number_width + 6 + graph_width > width) {
		if (graph_width > width * 3 / 8 - number_width - 6) {
			graph_width = width * 3 / 8 - number_width - 6;
			if (graph_width < 6)
				graph_width = 6;
		}
		if (name_width > width - number_width - 6 - graph_width)
			name_width = width - number_width - 6 - graph_width;
		else
			graph_width = width - number_width - 6 - name_width;
	}
	for (size_t i = 0; i < files->n; i++) {
		const struct fstat *f = files->items[i];
		const char *name = f->path, *prefix = "";
		unsigned len = (unsigned)strlen(name), a = f->add, d = f->del;
		unsigned shown;

		if (len > name_width) {
			const char *slash;
			unsigned keep = name_width - 3;

			prefix = "...";
			name += len - keep;
			slash = strchr(name, '/');
			if (slash)
				name = slash;
		}
		shown = (unsigned)(strlen(prefix) + strlen(name));
		sbuf_addf(sb, " %s%s%*s | %*u%s", prefix, name,
			  (int)(name_width > shown ? name_width - shown : 0),
			  "", (int)number_width, a + d, a + d ? " " : "");
		if (graph_width <= max_change) {
			unsigned total = scale_linear(a + d, graph_width,
						      max_change);

			if (total < 2 && a && d)
				total = 2;
			if (a < d) {
				a = scale_linear(a, graph_width, max_change);
				d = total - a;
			} else {
				d = scale_linear(d, graph_width, max_change);
				a = total - d;
			}
		}
		for (unsigned k = 0; k < a; k++)
			sbuf_addch(sb, '+');
		for (unsigned k = 0; k < d; k++)
			sbuf_addch(sb, '-');
		sbuf_addch(sb, '\n');
		ins += f->add;
		del += f->del;
	}
	sbuf_addf(sb, " %zu file%s changed", files->n,
		  files->n == 1 ? "" : "s");
	if (ins || !del)
		sbuf_addf(sb, ", %u insertion%s(+)", ins, ins == 1 ? "" : "s");
	if (del || !ins)
		sbuf_addf(sb, ", %u deletion%s(-)", del, del == 1 ? "" : "s");
	sbuf_addch(sb, '\n');
	for (size_t i = 0; i < files->n; i++) {
		const struct fstat *f = files->items[i];

		if (f->created)
			sbuf_addf(sb, " create mode 100644 %s\n", f->path);
	}
}

/* Add (path, add, del) into a list of struct fstat, merging by path. */
static void fstat_merge(struct vec *files, const struct fstat *in)
{
	struct fstat *f;

	for (size_t i = 0; i < files->n; i++) {
		f = files->items[i];
		if (!strcmp(f->path, in->path)) {
			f->add += in->add;
			f->del += in->del;
			f->created |= in->created;
			return;
		}
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(in->path);
	f->add = in->add;
	f->del = in->del;
	f->created = in->created;
	vec_push(files, f);
}

static int fstat_cmp(const void *a, const void *b)
{
	const struct fstat *x = *(const struct fstat *const *)a;
	const struct fstat *y = *(const struct fstat *const *)b;

	return strcmp(x->path, y->path);
}

/* ---------------------------------------------------------------- */
/* Messages and units.                                               */

enum tree { TREE_BPF, TREE_NEXT, TREE_MAX };

static const char *const tree_name[TREE_MAX] = { "bpf", "bpf-next" };

struct msg {
	time_t date;
	int tz;
	char *id;		/* without <> */
	char *subject;		/* unfolded */
	char *refs;		/* this message's References, "" for none */
	const struct person *from;
	struct sbuf text;	/* headers and body */
	size_t body_off;	/* where the body starts in text */
	unsigned dup : 1;	/* written twice */
	unsigned root : 1;	/* no In-Reply-To: starts a thread */
};

/* A series version applied to a tree, waiting for its pull request. */
struct applied {
	enum tree tree;
	time_t when;
	char *author;		/* name */
	char *summary;		/* cover title without the area prefix */
	char *slug;		/* merge branch name, NULL for one patch */
	const struct person *applier;
	struct vec titles;	/* char *: one per patch */
	struct vec files;	/* struct fstat * */
	struct vec thanks;	/* char *: reviewers' names */
};

struct gen {
	const struct corpus_options *o;
	struct corpus_stats *st;
	char *cur;
	size_t written;
	time_t start;
	unsigned days;
	double *cum;		/* weight of days before day d */
	struct vec pending[TREE_MAX];	/* struct applied * */
	time_t next_pull[TREE_MAX];
	size_t unit_no;
	unsigned long send_no;	/* git send-email runs, for the pid */
	struct sbuf path;
};

struct unit {
	struct gen *g;
	struct rng r;
	size_t no;
	struct vec msgs;	/* struct msg * */
	struct corpus_stats d;	/* added to the total when written */
	struct vec applied;	/* struct applied *, then pending */
};

static void msg_free(void *p)
{
	struct msg *m = p;

	free(m->id);
	free(m->subject);
	free(m->refs);
	sbuf_release(&m->text);
	free(m);
}

static void applied_free(void *p)
{
	struct applied *a = p;

	free(a->author);
	free(a->summary);
	free(a->slug);
	vec_release_str(&a->titles);
	vec_release(&a->files, fstat_free);
	vec_release_str(&a->thanks);
	free(a);
}

static const char *msg_body(const struct msg *m)
{
	return m->text.buf + m->body_off;
}

/*
 * Append a header, folded before a space when longer than 78; address
 * lists (To, Cc) only between addresses.
 */
static void add_header(struct sbuf *sb, const char *name, const char *val)
{
	size_t col = strlen(name) + 2;
	const char *p = val;
	int addrs = !strcmp(name, "To") || !strcmp(name, "Cc");

	sbuf_addf(sb, "%s: ", name);
	while (strlen(p) + col > 78) {
		const char *cut = NULL;

		for (const char *q = p + 1; *q && (size_t)(q - p) + col <= 78;
		     q++)
			if (*q == ' ' && (!addrs || q[-1] == ','))
				cut = q;
		if (!cut)
			break;
		sbuf_add(sb, p, (size_t)(cut - p));
		sbuf_addch(sb, '\n');
		col = 0;
		p = cut;
	}
	sbuf_addstr(sb, p);
	sbuf_addch(sb, '\n');
}

/* "a, b, c" of people plus raw addresses, as a header value. */
static void add_addr_list(struct sbuf *sb, const struct person *const *ps,
			  size_t n, const char *const *raw, size_t nraw)
{
	for (size_t i = 0; i < n; i++) {
		if (sb->len)
			sbuf_addstr(sb, ", ");
		add_addr(sb, ps[i]);
	}
	for (size_t i = 0; i < nraw; i++) {
		if (sb->len)
			sbuf_addstr(sb, ", ");
		sbuf_addstr(sb, raw[i]);
	}
}

/*
 * Start a message: headers are written, the body follows in m->text.
 * parent: the message replied to (NULL for a thread root); the id is
 * the caller's string (taken).
 */
static struct msg *msg_start(struct unit *u, const struct person *from,
			     time_t date, enum day_fmt df, char *id,
			     const char *subject, const char *to,
			     const char *cc, const struct msg *parent,
			     const char *mailer)
{
	struct msg *m = xcalloc(1, sizeof(*m));
	struct sbuf v = SBUF_INIT;

	m->date = date;
	m->tz = from->tz;
	m->id = id;
	m->subject = xstrdup(subject);
	m->from = from;
	sbuf_init(&m->text);
	add_addr(&v, from);
	add_header(&m->text, "From", v.buf);
	sbuf_reset(&v);
	if (to && *to)
		add_header(&m->text, "To", to);
	if (cc && *cc)
		add_header(&m->text, "Cc", cc);
	add_header(&m->text, "Subject", subject);
	add_date(&v, date, from->tz, df);
	add_header(&m->text, "Date", v.buf);
	sbuf_reset(&v);
	sbuf_addf(&v, "<%s>", id);
	add_header(&m->text, "Message-ID", v.buf);
	sbuf_reset(&v);
	if (mailer)
		add_header(&m->text, "X-Mailer", mailer);
	if (parent) {
		sbuf_addf(&v, "<%s>", parent->id);
		add_header(&m->text, "In-Reply-To", v.buf);
		sbuf_reset(&v);
		if (*parent->refs)
			sbuf_addf(&v, "%s ", parent->refs);
		sbuf_addf(&v, "<%s>", parent->id);
		add_header(&m->text, "References", v.buf);
		m->refs = sbuf_detach(&v);
	} else {
		m->refs = xstrdup("");
		m->root = 1;
	}
	sbuf_addstr(&m->text, "MIME-Version: 1.0\n"
		    "Content-Type: text/plain; charset=UTF-8\n"
		    "Content-Transfer-Encoding: 8bit\n\n");
	m->body_off = m->text.len;
	sbuf_release(&v);
	vec_push(&u->msgs, m);
	return m;
}

static const char *domain_of(const char *email)
{
	const char *at = strchr(email, '@');

	return at ? at + 1 : email;
}

/* git send-email's id: 20250106123456.12345-2-jane.doe@example.com */
static char *id_sendemail(time_t t, unsigned long pid, unsigned n,
			  const struct person *p)
{
	struct sbuf sb = SBUF_INIT;
	struct tm tm;

	to_tm(t, 0, &tm);
	sbuf_addf(&sb, "%04d%02d%02d%02d%02d%02d.%lu-%u-%s",
		  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		  tm.tm_min, tm.tm_sec, pid, n, p->email);
	return sbuf_detach(&sb);
}

/* A mail client's id in the style of the sender's client. */
static char *id_client(struct unit *u, const struct person *p)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+_";
	struct sbuf sb = SBUF_INIT;
	char hex[33];

	switch (p->style) {
	case STYLE_GMAIL:
		sbuf_addstr(&sb, "CA");
		for (int i = 0; i < 44; i++)
			sbuf_addch(&sb, b64[rng_below(&u->r, 64)]);
		sbuf_addstr(&sb, "@mail.gmail.com");
		break;
	case STYLE_MUTT:
		sbuf_addch(&sb, 'Z');
		for (int i = 0; i < 15; i++)
			sbuf_addch(&sb, b64[rng_below(&u->r, 62)]);
		sbuf_addf(&sb, "@%s", domain_of(p->email));
		break;
	default:
		rng_hex(&u->r, hex, 32);
		sbuf_addf(&sb, "%.8s-%.4s-%.4s-%.4s-%.12s@%s", hex, hex + 8,
			  hex + 12, hex + 16, hex + 20, domain_of(p->email));
		break;
	}
	return sbuf_detach(&sb);
}

/* <164926501135.17190.3211103529600690232.git-patchwork-notify@...> */
static char *id_bot(struct unit *u, time_t t)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%lld%02u.%u.%llu%09u.git-patchwork-notify@kernel.org",
		  (long long)t, rng_below(&u->r, 100),
		  rng_range(&u->r, 10000, 32767),
		  (unsigned long long)rng_range(&u->r, 1000000000u,
						 4000000000u),
		  rng_below(&u->r, 1000000000u));
	return sbuf_detach(&sb);
}

/* "On <date>, Name wrote:" in the replier's client style. */
static void add_attribution(struct sbuf *sb, const struct person *replier,
			    const struct msg *parent)
{
	struct tm tm;
	int h12;

	to_tm(parent->date, replier->tz, &tm);
	h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
	switch (replier->style) {
	case STYLE_GMAIL:
		sbuf_addf(sb, "On %s, %s %d, %d at %d:%02d %s ",
			  wday_names[tm.tm_wday], mon_names[tm.tm_mon],
			  tm.tm_mday, tm.tm_year + 1900, h12, tm.tm_min,
			  tm.tm_hour < 12 ? "AM" : "PM");
		add_addr(sb, parent->from);
		sbuf_addstr(sb, " wrote:\n");
		break;
	case STYLE_MUTT:
		to_tm(parent->date, parent->tz, &tm);
		sbuf_addf(sb, "On %s, %s %02d, %d at %02d:%02d:%02d%s "
			  "%c%02d%02d, %s wrote:\n", wday_names[tm.tm_wday],
			  mon_names[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900,
			  h12, tm.tm_min, tm.tm_sec,
			  tm.tm_hour < 12 ? "AM" : "PM",
			  parent->tz < 0 ? '-' : '+',
			  abs(parent->tz) / 60, abs(parent->tz) % 60,
			  parent->from->name);
		break;
	default:
		sbuf_addf(sb, "On %d/%d/%02d %d:%02d %s, %s wrote:\n",
			  tm.tm_mon + 1, tm.tm_mday, tm.tm_year % 100, h12,
			  tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM",
			  parent->from->name);
		break;
	}
}

/*
 * Quote up to max lines of the parent's body from line `from`, "> "
 * before each (">" alone for empty lines); stops at the signature.
 * Returns the line after the last quoted one.
 */
static unsigned add_quote(struct sbuf *sb, const struct msg *parent,
			  unsigned from, unsigned max)
{
	const char *p = msg_body(parent);
	unsigned line = 0, done = 0;

	while (*p && done < max) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 3 && !memcmp(p, "-- ", 3))
			break;
		if (line >= from) {
			if (n)
				sbuf_addstr(sb, "> ");
			else
				sbuf_addch(sb, '>');
			sbuf_add(sb, p, n);
			sbuf_addch(sb, '\n');
			done++;
		}
		line++;
		p = e ? e + 1 : p + n;
	}
	return line;
}

/* ---------------------------------------------------------------- */
/* Series.                                                           */

struct patch {
	char *title;
	unsigned area;
	uint64_t seed;		/* commit message: same in every version */
	int created;		/* adds a new selftest file */
	char *fixes;		/* "Fixes: <sha> (\"...\")" or NULL */
	struct vec trailers;	/* char *: collected in earlier versions */
	/* per version: */
	struct vec files;	/* struct fstat * */
	struct sbuf diff;
	struct msg *msg;	/* NULL when not sent */
};

enum outcome { OUT_APPLIED, OUT_PENDING, OUT_DEFER };

struct series {
	const struct person *author;
	const struct topic *topic;
	char *title;		/* cover title, e.g. "bpf: Support X" */
	enum tree tree;
	int netdev;		/* also to netdev@ */
	int version_first;	/* "[PATCH v3 bpf-next ...]" form */
	int rfc_form;		/* 0: "RFC PATCH", 1: "PATCH RFC" */
	unsigned rfc_upto;	/* versions <= this are RFC */
	unsigned nver;
	unsigned changelog_style;
	int broken;		/* enum corpus_broken or -1 */
	enum outcome outcome;
	struct vec patches;	/* struct patch * */
	struct vec lore;	/* char *: ids of earlier versions */
	struct vec changes;	/* char *: changelogs, newest first */
	struct vec thanks;	/* char *: names of reviewers */
	struct vec cover_trailers;	/* "Acked-by: ..." for the series */
	char *to, *cc, *reply_cc;
	struct msg *cover;	/* this version's cover, or NULL */
	struct msg *prev_cover;
};

static void patch_free(void *p)
{
	struct patch *pa = p;

	free(pa->title);
	free(pa->fixes);
	vec_release_str(&pa->trailers);
	vec_release(&pa->files, fstat_free);
	sbuf_release(&pa->diff);
	free(pa);
}

static void series_release(struct series *s)
{
	free(s->title);
	vec_release(&s->patches, patch_free);
	vec_release_str(&s->lore);
	vec_release_str(&s->changes);
	vec_release_str(&s->thanks);
	vec_release_str(&s->cover_trailers);
	free(s->to);
	free(s->cc);
	free(s->reply_cc);
}

static char *patch_title(struct rng *r, unsigned area, const struct topic *t,
			 int fix, unsigned kind)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s: ", area_prefix[area]);
	if (area == A_SELFTESTS && kind)
		sbuf_addf(&sb, "%s %s", PICK(r, ((const char *const[]){
			"Add tests for", "Test", "Cover", "Add a test for" })),
			t->phrase);
	else if (kind == 2)
		add_tmpl(&sb, PICK(r, refactor_phrases), t->ident);
	else if (fix)
		sbuf_addf(&sb, "%s %s", PICK(r, fix_verbs), t->phrase);
	else
		sbuf_addf(&sb, "%s %s", PICK(r, feature_verbs), t->phrase);
	return sbuf_detach(&sb);
}

/* Plan the patches of a series (their titles and files). */
static void series_plan(struct unit *u, struct series *s, unsigned npatches,
			int fix)
{
	const struct topic *t = s->topic;

	for (unsigned i = 0; i < npatches; i++) {
		struct patch *p = xcalloc(1, sizeof(*p));
		unsigned kind = 0;

		if (npatches > 1 && i == npatches - 1) {
			p->area = A_SELFTESTS;
			kind = 1;
		} else if (i == 0) {
			p->area = t->area;
		} else {
			unsigned areas[] = { t->area, t->area, A_LIBBPF,
					     A_CORE, A_BPFTOOL };

			p->area = PICK(&u->r, areas);
			kind = rng_pct(&u->r, 30) ? 2 : 0;
			if (p->area == A_SELFTESTS)
				kind = 1;
		}
		if (i == 0 && npatches > 2 && rng_pct(&u->r, 30))
			kind = 2;
		/* distinct titles: a pull's shortlog names them */
		for (int tries = 0; tries < 8; tries++) {
			int same = 0;

			free(p->title);
			p->title = patch_title(&u->r, p->area, t,
					       fix && i == 0, kind);
			for (size_t j = 0; j < s->patches.n; j++)
				same |= !strcmp(p->title, ((struct patch *)
					s->patches.items[j])->title);
			if (!same)
				break;
			kind = kind == 1 ? 1 : rng_below(&u->r, 3) == 2 ? 2 : 0;
		}
		p->seed = rng_u64(&u->r);
		p->created = p->area == A_SELFTESTS && rng_pct(&u->r, 40);
		if (fix && i == 0) {
			struct sbuf sb = SBUF_INIT;
			char sha[13];

			rng_hex(&u->r, sha, 12);
			sbuf_addf(&sb, "Fixes: %s (\"%s\")", sha,
				  PICK(&u->r, old_commit_titles));
			p->fixes = sbuf_detach(&sb);
		}
		sbuf_init(&p->diff);
		vec_push(&s->patches, p);
	}
}

static char *file_path(unsigned area, unsigned k, const struct topic *t)
{
	return tmpl_dup(area_files[area][k], t->ident);
}

/*
 * Code the hunks are cut from, per kind of file: context and removed
 * lines come from an "old" block, added lines from a "new" one, so a
 * hunk reads as one piece of code.  "%s" is the topic's identifier.
 */
struct code {
	const char *func;	/* the hunk header's function, or "" */
	const char *const *old_lines, *const *new_lines;
	unsigned n_old, n_new;
};

static const char *const kernel_old[] = {
	"\tstruct bpf_reg_state *reg = reg_state(env, regno);",
	"\tstruct bpf_map *map = reg->map_ptr;",
	"\tint err;",
	"",
	"\tif (reg->type != PTR_TO_MAP_VALUE) {",
	"\t\tverbose(env, \"R%%d is not a map value\\n\", regno);",
	"\t\treturn -EACCES;",
	"\t}",
	"",
	"\terr = check_map_access(env, regno, off, size, false, ACCESS_DIRECT);",
	"\tif (err)",
	"\t\treturn err;",
	"",
	"\tif (map->map_flags & BPF_F_RDONLY_PROG)",
	"\t\treturn -EACCES;",
	"",
	"\tmark_reg_unknown(env, state->regs, value_regno);",
	"\treg->precise = true;",
	"\treturn 0;",
	"}",
};

static const char *const kernel_new[] = {
	"\tif (!env->prog->aux->%s_allowed) {",
	"\t\tverbose(env, \"%s is not allowed for this program type\\n\");",
	"\t\treturn -EOPNOTSUPP;",
	"\t}",
	"\terr = %s_check_bounds(env, reg, off, size);",
	"\tif (err)",
	"\t\treturn err;",
	"\tspin_lock_bh(&%s->lock);",
	"\t%s->cnt++;",
	"\tspin_unlock_bh(&%s->lock);",
	"\tif (WARN_ON_ONCE(off < 0 || off + size > map->value_size))",
	"\t\treturn -EFAULT;",
	"\t__mark_reg_known_zero(reg);",
	"\treg->type = PTR_TO_%s;",
};

static const char *const user_old[] = {
	"\tstruct bpf_program *prog;",
	"\tint err, fd;",
	"",
	"\tif (!obj)",
	"\t\treturn libbpf_err(-EINVAL);",
	"",
	"\tbpf_object__for_each_program(prog, obj) {",
	"\t\tif (!prog->autoload)",
	"\t\t\tcontinue;",
	"\t\terr = bpf_object_load_prog(obj, prog);",
	"\t\tif (err) {",
	"\t\t\tpr_warn(\"prog '%%s': failed to load: %%d\\n\", prog->name, err);",
	"\t\t\treturn err;",
	"\t\t}",
	"\t}",
	"",
	"\tfd = bpf_map__fd(map);",
	"\tif (fd < 0)",
	"\t\treturn libbpf_err(fd);",
	"\treturn 0;",
};

static const char *const user_new[] = {
	"\tif (!kernel_supports(obj, FEAT_%s)) {",
	"\t\tpr_debug(\"%s is not supported by the kernel, skipping\\n\");",
	"\t\treturn 0;",
	"\t}",
	"\terr = %s_prepare(obj, prog);",
	"\tif (err)",
	"\t\treturn libbpf_err(err);",
	"\topts.%s_flags = OPTS_GET(opts, flags, 0);",
	"\tif (opts.%s_flags & ~BPF_F_%s_MASK)",
	"\t\treturn libbpf_err(-EINVAL);",
	"\tprintf(\"%%s\\n\", prog->name);",
};

static const char *const test_old[] = {
	"\tstruct %s *skel;",
	"\tint err, prog_fd;",
	"",
	"\tskel = %s__open_and_load();",
	"\tif (!ASSERT_OK_PTR(skel, \"%s__open_and_load\"))",
	"\t\treturn;",
	"",
	"\terr = %s__attach(skel);",
	"\tif (!ASSERT_OK(err, \"attach\"))",
	"\t\tgoto cleanup;",
	"",
	"\tprog_fd = bpf_program__fd(skel->progs.%s_prog);",
	"\terr = bpf_prog_test_run_opts(prog_fd, &topts);",
	"\tASSERT_OK(err, \"test_run\");",
	"\tASSERT_EQ(topts.retval, 0, \"retval\");",
	"",
	"cleanup:",
	"\t%s__destroy(skel);",
	"}",
};

static const char *const test_new[] = {
	"\tASSERT_EQ(skel->bss->%s_cnt, 1, \"%s_cnt\");",
	"\tif (test__start_subtest(\"%s_basic\"))",
	"\t\trun_%s_subtest(skel);",
	"\tLIBBPF_OPTS(bpf_test_run_opts, topts,",
	"\t\t.data_in = &pkt_v4,",
	"\t\t.data_size_in = sizeof(pkt_v4),",
	"\t\t.repeat = 1,",
	"\t);",
	"\tASSERT_GE(skel->bss->%s_seen, 1, \"seen\");",
};

static const char *const prog_old[] = {
	"#include <vmlinux.h>",
	"#include <bpf/bpf_helpers.h>",
	"#include \"bpf_misc.h\"",
	"",
	"struct {",
	"\t__uint(type, BPF_MAP_TYPE_ARRAY);",
	"\t__uint(max_entries, 1);",
	"\t__type(key, int);",
	"\t__type(value, __u64);",
	"} %s_map SEC(\".maps\");",
	"",
	"int %s_cnt;",
	"",
	"SEC(\"tc\")",
	"__success __retval(0)",
	"int %s_prog(struct __sk_buff *skb)",
	"{",
	"\tint key = 0;",
	"\t__u64 *val;",
	"",
	"\tval = bpf_map_lookup_elem(&%s_map, &key);",
	"\tif (!val)",
	"\t\treturn 0;",
	"\t%s_cnt++;",
	"\treturn 0;",
	"}",
	"",
	"char _license[] SEC(\"license\") = \"GPL\";",
};

static const char *const prog_new[] = {
	"SEC(\"?tc\")",
	"__failure __msg(\"invalid %s access\")",
	"int %s_bad(struct __sk_buff *skb)",
	"{",
	"\tasm volatile (\"r1 = 0;\"",
	"\t\t      \"r0 = *(u64 *)(r1 + 0);\"",
	"\t\t      \"exit;\"",
	"\t\t      ::: __clobber_all);",
	"\treturn 0;",
	"}",
};

static const char *const header_old[] = {
	"struct bpf_insn_aux_data {",
	"\tunion {",
	"\t\tenum bpf_reg_type ptr_type;",
	"\t\tunsigned long map_ptr_state;",
	"\t\ts32 call_imm;",
	"\t\tu32 alu_limit;",
	"\t};",
	"\tu64 map_key_state;",
	"\tint ctx_field_size;",
	"\tu32 seen;",
	"\tbool sanitize_stack_spill;",
	"\tbool zext_dst;",
	"};",
};

static const char *const header_new[] = {
	"\tbool %s_seen;",
	"\tu32 %s_cnt;",
	"int bpf_%s_init(struct bpf_prog *prog);",
	"void bpf_%s_free(struct bpf_prog *prog);",
	"#define BPF_%s_MAX\t64",
};

static const char *const map_old[] = {
	"LIBBPF_1.5.0 {",
	"\tglobal:",
	"\t\tbpf_map__set_autocreate;",
	"\t\tbpf_object__token_fd;",
	"\t\tbpf_program__attach_sockmap;",
	"\t\tbtf__distill_base;",
	"\t\tbtf__relocate;",
	"\t\tring__avail_data_size;",
	"\t\tring__consumer_pos;",
	"\t\tring__producer_pos;",
	"\t\tring_buffer__ring;",
	"} LIBBPF_1.4.0;",
};

static const char *const map_new[] = {
	"\t\tbpf_program__attach_%s;",
	"\t\tbpf_object__%s;",
	"\t\tbtf__%s;",
};

static const char *const make_old[] = {
	"TEST_GEN_PROGS = test_verifier test_tag test_maps test_lru_map \\",
	"\ttest_sockmap test_progs test_progs-no_alu32 \\",
	"\ttest_sysctl test_progs-cpuv4",
	"",
	"TEST_GEN_FILES = test_tc_edt.bpf.o xdp_features",
	"",
	"# Emit succinct information message describing current building step",
	"# $1 - generic step name (e.g., CC, LINK, etc);",
	"# $2 - optional \"flavor\" specifier; if provided, will be emitted as [flavor];",
	"# $3 - target (assumed to be file); only file name will be emitted;",
	"# $4 - optional extra arg, emitted as-is, if provided.",
	"ifeq ($(V),1)",
};

static const char *const make_new[] = {
	"TEST_GEN_FILES += %s.bpf.o",
	"$(OUTPUT)/%s: $(OUTPUT)/%s.skel.h",
	"LDLIBS += -lelf -lz",
};

static const char *const rst_old[] = {
	"DESCRIPTION",
	"===========",
	"",
	"bpftool prog { show | list } [*PROG*]",
	"    Show information about loaded programs.  If *PROG* is",
	"    specified show information only about given programs,",
	"    otherwise list all programs currently loaded on the system.",
	"",
	"    Output will start with program ID followed by program type and",
	"    zero or more named attributes (depending on kernel version).",
	"",
	"bpftool prog dump xlated *PROG* [{ file *FILE* | [opcodes] [linum] [visual] }]",
};

static const char *const rst_new[] = {
	"bpftool prog %s *PROG*",
	"    Show the %s state of *PROG*.",
	"",
	"    This requires a kernel with %s support.",
};

#define CODE(f, o, n) { f, o, n, ARRAY_SIZE(o), ARRAY_SIZE(n) }

enum code_kind { C_KERNEL, C_USER, C_TEST, C_PROG, C_HEADER, C_MAP, C_MAKE,
		 C_RST };

static const struct code codes[] = {
	CODE("static int check_%s_access(struct bpf_verifier_env *env, u32 regno,",
	     kernel_old, kernel_new),
	CODE("int bpf_object__load_%s(struct bpf_object *obj)", user_old,
	     user_new),
	CODE("void test_%s(void)", test_old, test_new),
	CODE("int %s_prog(struct __sk_buff *skb)", prog_old, prog_new),
	CODE("struct bpf_insn_aux_data {", header_old, header_new),
	CODE("LIBBPF_1.5.0 {", map_old, map_new),
	CODE("", make_old, make_new),
	CODE("", rst_old, rst_new),
};

static enum code_kind code_kind(const char *path)
{
	if (str_ends_with(path, ".map"))
		return C_MAP;
	if (str_ends_with(path, "Makefile"))
		return C_MAKE;
	if (str_ends_with(path, ".rst"))
		return C_RST;
	if (str_ends_with(path, ".h"))
		return C_HEADER;
	if (strstr(path, "/progs/"))
		return C_PROG;
	if (strstr(path, "selftests/"))
		return C_TEST;
	if (strstr(path, "tools/"))
		return C_USER;
	return C_KERNEL;
}

static void add_code_line(struct sbuf *sb, char mark, const char *line,
			  const struct topic *t)
{
	sbuf_addch(sb, mark);
	add_tmpl(sb, line, t->ident);
	sbuf_addch(sb, '\n');
}

/* One file's diff with hunks; fills f's counts. */
static void add_file_diff(struct unit *u, struct sbuf *sb, struct fstat *f,
			  const struct topic *t)
{
	const struct code *c = &codes[code_kind(f->path)];
	char a[13], b[13];
	unsigned line = rng_range(&u->r, 20, 9000);
	unsigned nh = f->created ? 1 : rng_range(&u->r, 1, 2);

	rng_hex(&u->r, a, 12);
	rng_hex(&u->r, b, 12);
	sbuf_addf(sb, "diff --git a/%s b/%s\n", f->path, f->path);
	if (f->created) {
		const struct code *p = &codes[C_PROG];
		unsigned n = 1 + p->n_old + p->n_new + 1;

		sbuf_addf(sb, "new file mode 100644\nindex 000000000000..%s\n"
			  "--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%u @@\n", b,
			  f->path, n);
		sbuf_addstr(sb, "+// SPDX-License-Identifier: GPL-2.0\n");
		for (unsigned i = 0; i < p->n_old; i++) {
			if (i == p->n_old - 1) {
				for (unsigned k = 0; k < p->n_new; k++)
					add_code_line(sb, '+', p->new_lines[k],
						      t);
				sbuf_addstr(sb, "+\n");
			}
			add_code_line(sb, '+', p->old_lines[i], t);
		}
		f->add = n;
		return;
	}
	sbuf_addf(sb, "index %s..%s 100644\n--- a/%s\n+++ b/%s\n", a, b,
		  f->path, f->path);
	for (unsigned h = 0; h < nh; h++) {
		unsigned del = rng_below(&u->r, 4);
		unsigned add = rng_range(&u->r, 1, c->n_new);
		unsigned s = rng_below(&u->r, c->n_old - 6 - del + 1);
		unsigned from = rng_below(&u->r, c->n_new - add + 1);

		sbuf_addf(sb, "@@ -%u,%u +%u,%u @@", line, 6 + del,
			  line + f->add - f->del, 6 + add);
		if (*c->func) {
			sbuf_addch(sb, ' ');
			add_tmpl(sb, c->func, t->ident);
		}
		sbuf_addch(sb, '\n');
		for (unsigned i = 0; i < 3; i++)
			add_code_line(sb, ' ', c->old_lines[s + i], t);
		for (unsigned i = 0; i < del; i++)
			add_code_line(sb, '-', c->old_lines[s + 3 + i], t);
		for (unsigned i = 0; i < add; i++)
			add_code_line(sb, '+', c->new_lines[from + i], t);
		for (unsigned i = 0; i < 3; i++)
			add_code_line(sb, ' ', c->old_lines[s + 3 + del + i],
				      t);
		f->add += add;
		f->del += del;
		line += 6 + del + rng_range(&u->r, 20, 400);
	}
}

/* Draw this version's diff of a patch. */
static void patch_diff(struct unit *u, struct patch *p, const struct topic *t)
{
	unsigned nfiles = rng_range(&u->r, 1, 3);

	vec_release(&p->files, fstat_free);
	sbuf_reset(&p->diff);
	for (unsigned i = 0; i < nfiles; i++) {
		struct fstat *f = xcalloc(1, sizeof(*f));
		unsigned k = i == 0 && p->created ? 1 : rng_below(&u->r, 6);
		int dupe = 0;

		f->path = file_path(p->area, k, t);
		for (size_t j = 0; j < p->files.n; j++)
			if (!strcmp(((struct fstat *)p->files.items[j])->path,
				    f->path))
				dupe = 1;
		if (dupe) {
			fstat_free(f);
			continue;
		}
		f->created = i == 0 && p->created;
		vec_push(&p->files, f);
	}
	vec_sort(&p->files, fstat_cmp);
	for (size_t i = 0; i < p->files.n; i++)
		add_file_diff(u, &p->diff, p->files.items[i], t);
}

/* The subject tag, e.g. [PATCH bpf-next v3 02/11]; tokens for the bot. */
static void series_tags(const struct series *s, unsigned v, int resend,
			unsigned idx, unsigned total, int numbered,
			struct vec *tokens)
{
	int rfc = v <= s->rfc_upto;
	struct sbuf sb = SBUF_INIT;
	unsigned w = decimal_width(total);

	if (rfc && s->rfc_form == 0)
		vec_push_str(tokens, "RFC");
	vec_push_str(tokens, "PATCH");
	if (rfc && s->rfc_form == 1)
		vec_push_str(tokens, "RFC");
	if (resend && v == 1)
		vec_push_str(tokens, "RESEND");
	if (v > 1 && (s->version_first || resend)) {
		sbuf_addf(&sb, "v%u", v);
		vec_push_str(tokens, sb.buf);
		sbuf_reset(&sb);
		if (resend)
			vec_push_str(tokens, "RESEND");
	}
	vec_push_str(tokens, tree_name[s->tree]);
	if (v > 1 && !s->version_first && !resend) {
		sbuf_addf(&sb, "v%u", v);
		vec_push_str(tokens, sb.buf);
		sbuf_reset(&sb);
	}
	if (numbered) {
		sbuf_addf(&sb, "%0*u/%u", (int)w, idx, total);
		vec_push_str(tokens, sb.buf);
	}
	sbuf_release(&sb);
}

static char *series_subject(const struct series *s, unsigned v, int resend,
			    unsigned idx, unsigned total, int numbered,
			    const char *title, struct sbuf *bot_tag)
{
	struct vec tok = VEC_INIT;
	struct sbuf sb = SBUF_INIT;

	series_tags(s, v, resend, idx, total, numbered, &tok);
	sbuf_addch(&sb, '[');
	for (size_t i = 0; i < tok.n; i++) {
		sbuf_addf(&sb, "%s%s", i ? " " : "", (char *)tok.items[i]);
		if (bot_tag && strcmp(tok.items[i], "PATCH"))
			sbuf_addf(bot_tag, "%s%s", bot_tag->len ? "," : "",
				  (char *)tok.items[i]);
	}
	sbuf_addf(&sb, "] %s", title);
	vec_release_str(&tok);
	return sbuf_detach(&sb);
}

static void add_commit_message(struct sbuf *sb, struct patch *p,
			       const struct series *s)
{
	struct rng r = { p->seed };
	unsigned paras = rng_range(&r, 1, 3);
	unsigned k = rng_below(&r, ARRAY_SIZE(sentences));

	for (unsigned i = 0; i < paras; i++) {
		if (i)
			sbuf_addch(sb, '\n');
		add_paragraph(sb, &k, s->topic, rng_range(&r, 1, 3));
	}
	sbuf_addch(sb, '\n');
	if (p->fixes)
		sbuf_addf(sb, "%s\n", p->fixes);
	for (size_t i = 0; i < p->trailers.n; i++)
		sbuf_addf(sb, "%s\n", (char *)p->trailers.items[i]);
	sbuf_addstr(sb, "Signed-off-by: ");
	add_addr(sb, s->author);
	sbuf_addch(sb, '\n');
}

static const char *const git_version = "2.47.1";

/* Where the versions' changelog starts in the cover letter. */
static void add_changelog(struct unit *u, struct series *s, unsigned v,
			  struct sbuf *sb)
{
	struct sbuf sec = SBUF_INIT;
	unsigned n = rng_range(&u->r, 1, 4);

	switch (s->changelog_style) {
	case 0:
		sbuf_addf(&sec, "Changes in v%u:\n", v);
		break;
	case 1:
		sbuf_addf(&sec, "v%u->v%u:\n", v - 1, v);
		break;
	default:
		sbuf_addf(&sec, "Changes since v%u:\n", v - 1);
		break;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct person *rev = &maintainers[rng_below(&u->r,
								   P_NREVIEW)];
		char *item = tmpl_dup(PICK(&u->r, changelog_items), rev->name);

		add_wrapped(&sec, item, 72, "- ", "  ");
		free(item);
	}
	vec_push(&s->changes, sbuf_detach(&sec));
	/* newest first */
	for (size_t i = s->changes.n - 1; i > 0; i--) {
		void *tmp = s->changes.items[i];

		s->changes.items[i] = s->changes.items[i - 1];
		s->changes.items[i - 1] = tmp;
	}
	for (size_t i = 0; i < s->changes.n; i++)
		sbuf_addf(sb, "%s\n", (char *)s->changes.items[i]);
}

static void add_git_signature(struct sbuf *sb)
{
	sbuf_addf(sb, "-- \n%s\n\n", git_version);
}

/* Post version v at time t: cover letter and patches. */
static void post_version(struct unit *u, struct series *s, unsigned v,
			 time_t t, int resend)
{
	size_t np = s->patches.n;
	unsigned long pid = 1000 + (u->g->send_no++ * 7919ul) % 4190000ul;
	int has_cover = np > 1 && s->broken != CORPUS_BROKEN_NO_COVER;
	int numbered = np > 1;
	unsigned missing = s->broken == CORPUS_BROKEN_MISSING_PATCH ?
			   (unsigned)np / 2 + 1 : 0;
	unsigned n = 1;
	struct msg *first = NULL;
	const struct msg *old = s->broken == CORPUS_BROKEN_REPLY_TO_OLD &&
				v > 1 ? s->prev_cover : NULL;
	time_t t_cover = t;
	int rev = 0;

	s->cover = NULL;
	for (size_t i = 0; i < np; i++)
		patch_diff(u, s->patches.items[i], s->topic);
	/* out of order: the patches dated backwards, the cover last */
	if (s->broken == CORPUS_BROKEN_OUT_OF_ORDER && v == 1) {
		rev = 1;
		t_cover = t + (time_t)np + 1;
	}
	if (has_cover) {
		struct sbuf body = SBUF_INIT;
		struct vec files = VEC_INIT;
		char *subj = series_subject(s, v, resend, 0, (unsigned)np, 1,
					    s->title, NULL);
		struct msg *m = msg_start(u, s->author, t_cover, DAY_SPACE,
					  id_sendemail(t_cover, pid, n++,
						       s->author),
					  subj, s->to, s->cc, old,
					  "git-send-email 2.47.1");
		unsigned k = rng_below(&u->r, ARRAY_SIZE(sentences));

		add_paragraph(&body, &k, s->topic, rng_range(&u->r, 2, 4));
		if (rng_pct(&u->r, 50)) {
			sbuf_addch(&body, '\n');
			add_paragraph(&body, &k, s->topic,
				      rng_range(&u->r, 1, 3));
		}
		sbuf_addch(&body, '\n');
		if (resend)
			sbuf_addstr(&body, "Resending as the series got no "
				    "feedback; no changes since the original "
				    "posting.\n\n");
		if (v > 1 && !resend)
			add_changelog(u, s, v, &body);
		for (size_t i = s->lore.n; i > 0; i--)
			sbuf_addf(&body, "v%zu: https://lore.kernel.org/bpf/"
				  "%s/\n", i, (char *)s->lore.items[i - 1]);
		if (s->lore.n)
			sbuf_addch(&body, '\n');
		sbuf_addf(&body, "%s (%zu):\n", s->author->name, np);
		for (size_t i = 0; i < np; i++) {
			struct patch *p = s->patches.items[i];

			sbuf_addf(&body, "  %s\n", p->title);
			for (size_t j = 0; j < p->files.n; j++)
				fstat_merge(&files, p->files.items[j]);
		}
		sbuf_addch(&body, '\n');
		vec_sort(&files, fstat_cmp);
		add_diffstat(&body, &files, 72);
		sbuf_addch(&body, '\n');
		add_git_signature(&body);
		sbuf_addstr(&m->text, body.buf);
		sbuf_release(&body);
		vec_release(&files, fstat_free);
		free(subj);
		s->cover = m;
		u->d.covers++;
	}
	for (size_t i = 0; i < np; i++) {
		struct patch *p = s->patches.items[i];
		char *subj = series_subject(s, v, resend, (unsigned)i + 1,
					    (unsigned)np, numbered, p->title,
					    NULL);
		const struct msg *parent = s->cover ? s->cover : first;
		time_t tp = rev ? t + (time_t)(np - i) : t + (time_t)i + 1;
		char *id = id_sendemail(tp, pid, n++,
					s->author);
		struct sbuf body = SBUF_INIT;
		struct msg *m;

		if (s->broken == CORPUS_BROKEN_NO_REPLY_TO)
			parent = NULL;
		else if (!parent)
			parent = old;
		if (missing && i + 1 == missing) {
			p->msg = NULL;
			free(id);
			free(subj);
			continue;
		}
		m = msg_start(u, s->author, tp, DAY_SPACE, id,
			      subj, s->to, s->cc, parent,
			      "git-send-email 2.47.1");
		add_commit_message(&body, p, s);
		sbuf_addstr(&body, "---\n");
		if (v > 1 && !resend && rng_pct(&u->r, 25)) {
			sbuf_addf(&body, "v%u -> v%u:\n", v - 1, v);
			add_wrapped(&body, PICK(&u->r, ((const char *const[]){
				"Rebased, no other changes.",
				"Addressed review comments.",
				"Added a comment explaining the lock.",
				"Use the new helper." })), 72, "- ", "  ");
			sbuf_addch(&body, '\n');
		}
		add_diffstat(&body, &p->files, 72);
		sbuf_addch(&body, '\n');
		sbuf_addstr(&body, p->diff.buf);
		add_git_signature(&body);
		sbuf_addstr(&m->text, body.buf);
		sbuf_release(&body);
		free(subj);
		p->msg = m;
		if (!first)
			first = m;
		u->d.patches++;
		if (p->fixes)
			u->d.fixes++;
	}
	if (s->broken == CORPUS_BROKEN_DUPLICATE && first && v == s->nver)
		first->dup = 1;
	if (!resend) {
		u->d.versions++;
		if (v <= s->rfc_upto)
			u->d.rfc_versions++;
	}
}

/* A message of this version to reply to: the cover or a patch. */
static struct msg *pick_target(struct unit *u, struct series *s, int cover_ok)
{
	struct vec sent = VEC_INIT;
	struct msg *m;

	if (s->cover && cover_ok && rng_pct(&u->r, 40))
		return s->cover;
	for (size_t i = 0; i < s->patches.n; i++) {
		struct patch *p = s->patches.items[i];

		if (p->msg)
			vec_push(&sent, p->msg);
	}
	m = sent.n ? sent.items[rng_below(&u->r, (unsigned)sent.n)] : s->cover;
	vec_release(&sent, NULL);
	return m;
}

static struct patch *patch_of(struct series *s, const struct msg *m)
{
	for (size_t i = 0; i < s->patches.n; i++) {
		struct patch *p = s->patches.items[i];

		if (p->msg == m)
			return p;
	}
	return NULL;
}

/* Start a reply from `from` to parent: headers, attribution, quote. */
static struct msg *reply_start(struct unit *u, const char *cc,
			       const struct person *from, time_t t,
			       struct msg *parent, unsigned quote)
{
	struct sbuf subj = SBUF_INIT, to = SBUF_INIT;
	const struct person *top[] = { parent->from };
	struct msg *m;

	if (strncmp(parent->subject, "Re: ", 4))
		sbuf_addstr(&subj, "Re: ");
	sbuf_addstr(&subj, parent->subject);
	add_addr_list(&to, top, 1, NULL, 0);
	m = msg_start(u, from, t, DAY_PLAIN, id_client(u, from), subj.buf,
		      to.buf, cc, parent, NULL);
	add_attribution(&m->text, from, parent);
	add_quote(&m->text, parent, 0, quote);
	sbuf_addch(&m->text, '\n');
	sbuf_release(&subj);
	sbuf_release(&to);
	return m;
}

static void add_trailer(struct sbuf *sb, const char *kind,
			const struct person *p)
{
	sbuf_addf(sb, "%s: ", kind);
	add_addr(sb, p);
	sbuf_addch(sb, '\n');
}

static const struct person *pick_reviewer(struct unit *u,
					  const struct series *s)
{
	const struct person *p;

	do {
		if (rng_pct(&u->r, 70))
			p = &maintainers[rng_below(&u->r, P_NREVIEW)];
		else
			p = &PICK(&u->r, contributors);
	} while (p == s->author);
	return p;
}

/*
 * Reviews of version v posted at t; final: the last version.  Returns
 * the time of the last reply.
 */
static time_t review_version(struct unit *u, struct series *s, int final,
			     time_t t)
{
	unsigned nrev = rng_range(&u->r, 0, 3) + !final;
	time_t last = t;
	int asked = 0;

	for (unsigned i = 0; i < nrev; i++) {
		const struct person *rv = pick_reviewer(u, s);
		struct msg *target = pick_target(u, s, 1);
		time_t when = busy(&u->r, t + (time_t)rng_range(&u->r, 2 * HOUR,
							80 * HOUR));
		unsigned kind = rng_below(&u->r, 100);
		const char *trailer = NULL;
		struct msg *m;

		if (!target)
			break;
		if (!final && i == nrev - 1 && !asked)
			kind = 99;
		m = reply_start(u, s->reply_cc, rv, when, target,
				rng_range(&u->r, 4, 14));
		if (kind < 35)
			trailer = "Acked-by";
		else if (kind < 60)
			trailer = "Reviewed-by";
		else if (kind < 70)
			trailer = "Tested-by";
		if (trailer) {
			struct sbuf tr = SBUF_INIT;
			struct patch *p = patch_of(s, target);

			if (!strcmp(trailer, "Tested-by")) {
				sbuf_addstr(&m->text, "Tested on x86_64 and "
					    "arm64, test_progs and "
					    "test_verifier pass.\n\n");
			} else if (target == s->cover) {
				sbuf_addstr(&m->text, "For the series:\n\n");
			} else {
				add_wrapped(&m->text,
					    PICK(&u->r, review_comments),
					    72, "", "");
				sbuf_addch(&m->text, '\n');
			}
			add_trailer(&m->text, trailer, rv);
			add_trailer(&tr, trailer, rv);
			sbuf_rtrim(&tr);
			if (p)
				vec_push_str_unique(&p->trailers, tr.buf);
			else
				vec_push_str_unique(&s->cover_trailers,
						    tr.buf);
			sbuf_release(&tr);
			vec_push_str_unique(&s->thanks, rv->name);
			u->d.reviews++;
			if (!strcmp(trailer, "Acked-by"))
				u->d.acked_by++;
			else if (!strcmp(trailer, "Reviewed-by"))
				u->d.reviewed_by++;
			else
				u->d.tested_by++;
		} else {
			add_wrapped(&m->text, PICK(&u->r, review_comments), 72,
				    "", "");
			sbuf_addstr(&m->text, "\n[...]\n\n");
			add_quote(&m->text, target, 16, 4);
			sbuf_addch(&m->text, '\n');
			add_wrapped(&m->text, PICK(&u->r, review_comments), 72,
				    "", "");
			asked = 1;
			if (!final && rng_pct(&u->r, 40)) {
				struct msg *a;

				a = reply_start(u, s->reply_cc, s->author,
						busy(&u->r, when +
						     (time_t)rng_range(&u->r,
						     HOUR, 30 * HOUR)), m, 6);
				sbuf_addf(&a->text, "%s\n",
					  PICK(&u->r, author_answers));
				if (a->date > last)
					last = a->date;
			}
		}
		if (when > last)
			last = when;
	}
	if (!final && rng_pct(&u->r, 75)) {
		/* now and then someone who is no maintainer tries it */
		int outsider = rng_pct(&u->r, 5);
		const struct person *mt = outsider ?
			&PICK(&u->r, contributors) :
			&maintainers[rng_below(&u->r, P_NMAINT)];
		struct msg *target = pick_target(u, s, 1);
		time_t when = busy(&u->r, last + (time_t)rng_range(&u->r, HOUR,
								    48 * HOUR));
		struct msg *m;

		if (target && mt != s->author) {
			m = reply_start(u, s->reply_cc, mt, when, target,
					rng_range(&u->r, 3, 10));
			add_wrapped(&m->text, PICK(&u->r, cr_comments), 72, "",
				    "");
			sbuf_addstr(&m->text, rng_pct(&u->r, 25) ?
				    "-- \npw-bot: cr\n" : "\npw-bot: cr\n");
			if (outsider)
				u->d.pw_bot_ignored++;
			else
				u->d.pw_bot_cr++;
			last = when;
		}
	}
	return last;
}

/*
 * The patchwork-bot quote: the message up to its diff, whole
 * paragraphs, at most 3 of them and 9 lines, then "> [...]" when
 * something was left out (as in the notices in samples-notes.md).
 */
static void add_bot_quote(struct sbuf *sb, const char *body)
{
	struct vec lines = VEC_INIT;
	size_t n, take = 0, paras = 0, i = 0;
	const char *p = body;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (!strncmp(p, "diff --git ", 11) ||
		    (len == 3 && !memcmp(p, "-- ", 3)))
			break;
		vec_push(&lines, xstrndup(p, len));
		p = e ? e + 1 : p + len;
	}
	n = lines.n;
	while (n && !*(char *)lines.items[n - 1])
		n--;
	while (i < n && paras < 3) {
		size_t j = i;

		while (j < n && *(char *)lines.items[j])
			j++;
		if (paras && j > 9)
			break;
		take = j > 9 ? 9 : j;
		paras++;
		i = j + 1;
	}
	for (size_t k = 0; k < take; k++) {
		const char *l = lines.items[k];

		sbuf_addf(sb, "> %s\n", l);
	}
	if (take < n)
		sbuf_addstr(sb, "> \n> [...]\n");
	sbuf_addch(sb, '\n');
	vec_release(&lines, free);
}

static const char bot_tail[] =
	"You are awesome, thank you!\n"
	"-- \n"
	"Deet-doot-dot, I am a bot.\n"
	"https://korg.docs.kernel.org/patchwork/pwbot.html\n\n";

/* The bot's reply: parent is the cover letter or the first patch. */
static struct msg *bot_start(struct unit *u, time_t when, struct msg *parent,
			     const char *cc, const char *what,
			     const char *where, const struct person *by)
{
	struct sbuf subj = SBUF_INIT, to = SBUF_INIT;
	const struct person *top[] = { parent->from };
	struct msg *m;

	sbuf_addf(&subj, "Re: %s", parent->subject);
	add_addr_list(&to, top, 1, NULL, 0);
	m = msg_start(u, &bot, when, DAY_ZERO, id_bot(u, when), subj.buf,
		      to.buf, cc, parent, NULL);
	sbuf_addf(&m->text, "Hello:\n\nThis %s was applied to %s\nby ", what,
		  where);
	add_addr(&m->text, by);
	sbuf_addstr(&m->text, ":\n\nOn ");
	add_date(&m->text, parent->date, parent->tz, DAY_SPACE);
	sbuf_addstr(&m->text, " you wrote:\n");
	add_bot_quote(&m->text, msg_body(parent));
	sbuf_addstr(&m->text, "Here is the summary with links:\n");
	sbuf_release(&subj);
	sbuf_release(&to);
	u->d.bot_notices++;
	return m;
}

static const char *lore_id(const struct series *s)
{
	for (size_t i = 0; i < s->patches.n; i++) {
		const struct patch *p = s->patches.items[i];

		if (p->msg)
			return s->cover ? s->cover->id : p->msg->id;
	}
	return s->cover ? s->cover->id : NULL;
}

static void apply_version(struct unit *u, struct series *s, unsigned v,
			  int resend, time_t when)
{
	static const int appliers[] = { P_AST, P_ANDRII, P_DANIEL, P_MARTIN };
	const struct person *by = &maintainers[PICK(&u->r, appliers)];
	struct msg *parent = s->cover;
	struct applied *a = xcalloc(1, sizeof(*a));
	struct sbuf cc = SBUF_INIT;
	struct msg *m;
	size_t np = s->patches.n;

	for (size_t i = 0; i < np && !parent; i++)
		parent = ((struct patch *)s->patches.items[i])->msg;
	if (!parent) {
		free(a);
		return;
	}
	sbuf_addstr(&cc, "bpf@vger.kernel.org, ast@kernel.org, "
		    "daniel@iogearbox.net, andrii@kernel.org, "
		    "martin.lau@linux.dev, eddyz87@gmail.com");
	if (s->netdev)
		sbuf_addstr(&cc, ", netdev@vger.kernel.org");
	m = bot_start(u, when, parent, cc.buf, np > 1 ? "series" : "patch",
		      s->tree == TREE_BPF ? "bpf/bpf.git (master)" :
					    "bpf/bpf-next.git (master)", by);
	for (size_t i = 0; i < np; i++) {
		struct patch *p = s->patches.items[i];
		struct sbuf tag = SBUF_INIT;
		char *subj = series_subject(s, v, resend, (unsigned)i + 1,
					    (unsigned)np, np > 1, p->title,
					    &tag);
		char sha[13];

		rng_hex(&u->r, sha, 12);
		sbuf_addstr(&m->text, "  - ");
		if (tag.len)
			sbuf_addf(&m->text, "[%s] ", tag.buf);
		sbuf_addf(&m->text, "%s\n    https://git.kernel.org/bpf/%s/c/"
			  "%s\n", p->title, tree_name[s->tree], sha);
		vec_push_str(&a->titles, p->title);
		for (size_t j = 0; j < p->files.n; j++)
			fstat_merge(&a->files, p->files.items[j]);
		sbuf_release(&tag);
		free(subj);
	}
	sbuf_addf(&m->text, "\n%s", bot_tail);
	u->d.applied++;
	a->tree = s->tree;
	a->when = when;
	a->author = xstrdup(s->author->name);
	{
		const char *colon = strstr(s->title, ": ");

		a->summary = xstrdup(colon ? colon + 2 : s->title);
	}
	a->slug = np > 1 ? slugify(s->title) : NULL;
	a->applier = by;
	for (size_t i = 0; i < s->thanks.n; i++)
		vec_push_str_unique(&a->thanks, s->thanks.items[i]);
	vec_push(&u->applied, a);
	sbuf_release(&cc);
	if (rng_pct(&u->r, 30)) {
		struct msg *r = reply_start(u, s->reply_cc, by, when - 60,
					    parent, 3);

		sbuf_addf(&r->text, "Applied to %s, thanks!\n",
			  tree_name[s->tree]);
	}
}

static void defer_version(struct unit *u, struct series *s, time_t when)
{
	const struct person *mt = &maintainers[rng_below(&u->r, P_NMAINT)];
	struct msg *target = pick_target(u, s, 1);
	struct msg *m;

	if (!target)
		return;
	m = reply_start(u, s->reply_cc, mt, when, target, 4);
	add_wrapped(&m->text, PICK(&u->r, ((const char *const[]){
		"This depends on changes that are not in bpf-next yet. Please "
		"resend once they land.",
		"Let's wait for the discussion on the RFC to settle before "
		"applying this.",
		"bpf-next is closed for the merge window; please resend after "
		"-rc1 is tagged." })), 72, "", "");
	sbuf_addstr(&m->text, "\npw-bot: defer\n");
	u->d.pw_bot_defer++;
}

static unsigned series_npatches(struct unit *u, int fix, int small)
{
	unsigned k = rng_below(&u->r, 100);

	if (fix)
		return k < 80 ? 1 : 2;
	if (small)
		return rng_range(&u->r, 2, 4);
	if (k < 25)
		return 1;
	if (k < 70)
		return rng_range(&u->r, 2, 4);
	if (k < 92)
		return rng_range(&u->r, 5, 8);
	return rng_range(&u->r, 9, 12);
}

static unsigned series_nversions(struct unit *u, int fix, int small)
{
	unsigned k = rng_below(&u->r, 100);

	if (fix)
		return k < 75 ? 1 : 2;
	if (small)
		return k < 50 ? 1 : 2;
	return k < 40 ? 1 : k < 70 ? 2 : k < 85 ? 3 : k < 95 ? 4 : 5;
}

static void series_addresses(struct unit *u, struct series *s)
{
	static const int cc_pool[] = { P_AST, P_DANIEL, P_ANDRII, P_MARTIN,
		P_EDUARD, P_SONG, P_YONGHONG, P_JOHN, P_KP, P_STAN, P_HAO,
		P_JIRI };
	const struct person *cc[ARRAY_SIZE(cc_pool)];
	struct sbuf sb = SBUF_INIT;
	size_t n = 0;

	sbuf_addstr(&sb, "bpf@vger.kernel.org");
	if (s->netdev)
		sbuf_addstr(&sb, ", netdev@vger.kernel.org");
	s->to = sbuf_detach(&sb);
	for (size_t i = 0; i < ARRAY_SIZE(cc_pool); i++)
		if (i < 4 || rng_pct(&u->r, 60))
			if (&maintainers[cc_pool[i]] != s->author)
				cc[n++] = &maintainers[cc_pool[i]];
	add_addr_list(&sb, cc, n, NULL, 0);
	s->cc = sbuf_detach(&sb);
	sbuf_addf(&sb, "%s, %s", s->to, s->cc);
	s->reply_cc = sbuf_detach(&sb);
}

/* Carry the trailers given on version v into v + 1 (as b4 does). */
static void carry_trailers(struct series *s)
{
	for (size_t i = 0; i < s->patches.n; i++) {
		struct patch *p = s->patches.items[i];

		for (size_t j = 0; j < s->cover_trailers.n; j++)
			vec_push_str_unique(&p->trailers,
					    s->cover_trailers.items[j]);
		p->msg = NULL;
	}
	vec_release_str(&s->cover_trailers);
}

/* A series with all its versions; broken: enum corpus_broken or -1. */
static void gen_series(struct unit *u, time_t t, int fix, int broken,
		       int small, int force_rfc, int force_defer)
{
	struct series s;
	unsigned np;

	memset(&s, 0, sizeof(s));
	s.broken = broken;
	s.author = rng_pct(&u->r, 85) ? &PICK(&u->r, contributors) :
		   &maintainers[rng_below(&u->r, P_NREVIEW)];
	s.topic = &PICK(&u->r, topics);
	s.tree = fix ? TREE_BPF : TREE_NEXT;
	s.netdev = s.topic->area == A_NET || s.topic->area == A_SOCKMAP;
	s.version_first = rng_pct(&u->r, 15);
	s.rfc_form = rng_pct(&u->r, 30);
	s.changelog_style = rng_below(&u->r, 3);
	np = series_npatches(u, fix, small);
	s.nver = series_nversions(u, fix, small);
	if (broken == CORPUS_BROKEN_NO_COVER ||
	    broken == CORPUS_BROKEN_OUT_OF_ORDER ||
	    broken == CORPUS_BROKEN_NO_REPLY_TO ||
	    broken == CORPUS_BROKEN_DUPLICATE ||
	    broken == CORPUS_BROKEN_REPLY_TO_OLD)
		np = np < 2 ? 2 : np;
	if (broken == CORPUS_BROKEN_MISSING_PATCH)
		np = np < 3 ? 3 : np;
	if (broken == CORPUS_BROKEN_REPLY_TO_OLD)
		s.nver = s.nver < 2 ? 2 : s.nver;
	if (force_rfc || (!fix && rng_pct(&u->r, 12)))
		s.rfc_upto = s.nver > 1 && rng_pct(&u->r, 70) ? 1 : s.nver;
	if (force_rfc && s.nver < 2)
		s.nver = 2, s.rfc_upto = 1;
	series_plan(u, &s, np, fix);
	s.title = np > 1 ? patch_title(&u->r, s.topic->area, s.topic, fix, 0) :
		  xstrdup(((struct patch *)s.patches.items[0])->title);
	series_addresses(u, &s);
	if (broken == CORPUS_BROKEN_MISSING_PATCH)
		s.outcome = OUT_PENDING;
	else if (force_defer)
		s.outcome = OUT_DEFER;
	else if (s.rfc_upto == s.nver)
		s.outcome = OUT_PENDING;
	else {
		unsigned k = rng_below(&u->r, 100);

		s.outcome = k < 70 ? OUT_APPLIED : k < 90 ? OUT_PENDING :
			    OUT_DEFER;
	}
	for (unsigned v = 1; v <= s.nver; v++) {
		int final = v == s.nver, resend = 0;
		time_t last;

		post_version(u, &s, v, t, 0);
		if (final && broken == CORPUS_BROKEN_RESEND) {
			t = busy(&u->r, t +
				 (time_t)rng_range(&u->r, 7, 10) * DAY);
			post_version(u, &s, v, t, 1);
			resend = 1;
		}
		last = review_version(u, &s, final, t);
		if (!final) {
			const char *id = lore_id(&s);

			if (id)
				vec_push_str(&s.lore, id);
			s.prev_cover = s.cover;
			carry_trailers(&s);
			t = busy(&u->r, last +
				 (time_t)rng_range(&u->r, DAY, 7 * DAY));
			if (np > 1 && rng_pct(&u->r, 10)) {
				free(s.title);
				s.title = patch_title(&u->r, s.topic->area,
						      s.topic, fix, 2);
			}
			continue;
		}
		last = busy(&u->r, last + (time_t)rng_range(&u->r, 2 * HOUR,
							    4 * DAY));
		if (s.outcome == OUT_APPLIED)
			apply_version(u, &s, v, resend, last);
		else if (s.outcome == OUT_DEFER)
			defer_version(u, &s, last);
	}
	u->d.series++;
	if (broken >= 0) {
		u->d.broken[broken]++;
		u->d.broken_total++;
	}
	series_release(&s);
}

/* ---------------------------------------------------------------- */
/* Discussions and pull requests.                                    */

static const struct person *pick_anyone(struct unit *u,
					const struct person *not)
{
	const struct person *p;

	do {
		p = rng_pct(&u->r, 50) ?
		    &maintainers[rng_below(&u->r, P_NREVIEW)] :
		    &PICK(&u->r, contributors);
	} while (p == not);
	return p;
}

/* A discussion thread of exactly n messages. */
static void gen_discussion(struct unit *u, time_t t, size_t n)
{
	const struct person *from = pick_anyone(u, NULL);
	const char *cc = "bpf@vger.kernel.org, Alexei Starovoitov "
			 "<ast@kernel.org>, Andrii Nakryiko "
			 "<andrii@kernel.org>";
	struct msg *root, *m;
	unsigned lines = rng_range(&u->r, 2, 4);
	char *subj;

	subj = tmpl_dup(PICK(&u->r, discussion_subjects),
			PICK(&u->r, topics).phrase);
	root = msg_start(u, from, t, DAY_PLAIN, id_client(u, from), subj,
			 "bpf@vger.kernel.org",
			 "Alexei Starovoitov <ast@kernel.org>, Andrii Nakryiko "
			 "<andrii@kernel.org>, Daniel Borkmann "
			 "<daniel@iogearbox.net>", NULL, NULL);
	sbuf_addstr(&root->text, "Hi,\n\n");
	for (unsigned i = 0; i < lines; i++) {
		add_wrapped(&root->text, PICK(&u->r, discussion_lines), 72, "",
			    "");
		sbuf_addch(&root->text, '\n');
	}
	if (rng_pct(&u->r, 50)) {
		/* the program in question: the tail of a selftest */
		for (size_t i = 13; i < ARRAY_SIZE(prog_old) - 2; i++) {
			add_tmpl(&root->text, prog_old[i], "demo");
			sbuf_addch(&root->text, '\n');
		}
		sbuf_addch(&root->text, '\n');
	}
	sbuf_addf(&root->text, "Thanks,\n%s\n", from->name);
	for (size_t i = 1; i < n; i++) {
		struct msg *parent = rng_pct(&u->r, 70) ?
			u->msgs.items[u->msgs.n - 1] :
			u->msgs.items[rng_below(&u->r, (unsigned)u->msgs.n)];
		const struct person *rp = pick_anyone(u, parent->from);

		t = busy(&u->r, parent->date +
			 (time_t)rng_range(&u->r, 20 * 60, 40 * HOUR));
		m = reply_start(u, cc, rp, t, parent, rng_range(&u->r, 2, 8));
		add_wrapped(&m->text, PICK(&u->r, discussion_lines), 72, "",
			    "");
	}
	u->d.discussions++;
	free(subj);
}

struct shortlog_author {
	const char *name;
	struct vec titles;	/* const char *, borrowed */
};

static int shortlog_cmp(const void *a, const void *b)
{
	const struct shortlog_author *x =
		*(const struct shortlog_author *const *)a;
	const struct shortlog_author *y =
		*(const struct shortlog_author *const *)b;

	return strcmp(x->name, y->name);
}

static void shortlog_add(struct vec *authors, const char *name,
			 const char *title)
{
	struct shortlog_author *sa = NULL;

	for (size_t i = 0; i < authors->n && !sa; i++)
		if (!strcmp(((struct shortlog_author *)authors->items[i])->name,
			    name))
			sa = authors->items[i];
	if (!sa) {
		sa = xcalloc(1, sizeof(*sa));
		sa->name = name;
		vec_push(authors, sa);
	}
	vec_push(&sa->titles, (void *)title);
}

static void shortlog_free(void *p)
{
	struct shortlog_author *sa = p;

	vec_release(&sa->titles, NULL);
	free(sa);
}

static void add_hex40(struct unit *u, struct sbuf *sb)
{
	char hex[41];

	rng_hex(&u->r, hex, 40);
	sbuf_addstr(sb, hex);
}

static void add_git_date(struct sbuf *sb, time_t t, int tz)
{
	struct tm tm;
	int a = tz < 0 ? -tz : tz;

	to_tm(t, tz, &tm);
	sbuf_addf(sb, "%04d-%02d-%02d %02d:%02d:%02d %c%02d%02d",
		  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		  tm.tm_min, tm.tm_sec, tz < 0 ? '-' : '+', a / 60, a % 60);
}

/*
 * A pull request at time t carrying items (struct applied *), in the
 * format of samples-notes.md section 5, and the bot's notice for it.
 */
static void gen_pull(struct unit *u, enum tree tree, time_t t,
		     const struct vec *items)
{
	static const int next_senders[] = { P_MARTIN, P_AST, P_DANIEL,
					    P_ANDRII };
	static const int fix_senders[] = { P_DANIEL, P_AST, P_MARTIN };
	const struct person *from = &maintainers[tree == TREE_NEXT ?
		PICK(&u->r, next_senders) : PICK(&u->r, fix_senders)];
	const struct person *to[] = { &netdev_maint[0], &netdev_maint[1],
				      &netdev_maint[2], &netdev_maint[3] };
	const struct person *ccp[] = { &maintainers[P_AST],
				       &maintainers[P_ANDRII],
				       &maintainers[P_DANIEL] };
	const char *ccraw[] = { "Martin KaFai Lau <martin.lau@kernel.org>",
				"netdev@vger.kernel.org",
				"bpf@vger.kernel.org" };
	const char *tn = tree_name[tree];
	struct sbuf subj = SBUF_INIT, tos = SBUF_INIT, ccs = SBUF_INIT;
	struct sbuf b = SBUF_INIT, thanks = SBUF_INIT;
	struct vec authors = VEC_INIT, files = VEC_INIT, names = VEC_INIT;
	size_t commits = 0;
	unsigned ins = 0, del = 0;
	time_t first = t, fetch_time = t - 3600;
	const char *last_title = NULL;
	char ymd[16];
	struct msg *m, *notice;
	unsigned long pid = 1000 + (u->g->send_no++ * 7919ul) % 4190000ul;

	date_format_ymd(date_of_time(t + from->tz * 60), ymd, sizeof(ymd));
	sbuf_addf(&subj, "pull-request: %s %s", tn, ymd);
	add_addr_list(&tos, to, 4, NULL, 0);
	add_addr_list(&ccs, ccp, 3, ccraw, 3);
	m = msg_start(u, from, t, DAY_PLAIN, id_sendemail(t, pid, 1, from),
		      subj.buf, tos.buf, ccs.buf, NULL, NULL);
	for (size_t i = 0; i < items->n; i++) {
		const struct applied *a = items->items[i];

		if (a->when < first)
			first = a->when;
		for (size_t j = 0; j < a->titles.n; j++) {
			shortlog_add(&authors, a->author, a->titles.items[j]);
			commits++;
			last_title = a->titles.items[j];
		}
		if (a->slug) {
			struct sbuf mb = SBUF_INIT;

			sbuf_addf(&mb, "Merge branch '%s'", a->slug);
			vec_push(&names, sbuf_detach(&mb));
			shortlog_add(&authors, a->applier->name,
				     names.items[names.n - 1]);
			last_title = names.items[names.n - 1];
		}
		for (size_t j = 0; j < a->files.n; j++)
			fstat_merge(&files, a->files.items[j]);
		for (size_t j = 0; j < a->thanks.n; j++)
			vec_push_str_unique(&names, a->thanks.items[j]);
	}
	vec_sort(&files, fstat_cmp);
	for (size_t i = 0; i < files.n; i++) {
		ins += ((struct fstat *)files.items[i])->add;
		del += ((struct fstat *)files.items[i])->del;
	}
	sbuf_addf(&b, "Hi David, hi Jakub, hi Paolo, hi Eric,\n\n"
		  "The following pull-request contains BPF updates for your "
		  "*%s* tree.\n\n", tree == TREE_NEXT ? "net-next" : "net");
	sbuf_addf(&b, "We've added %zu non-merge commit%s during the last %ld "
		  "day(s) which contain\na total of %zu file%s changed",
		  commits, commits == 1 ? "" : "s",
		  (long)((t - first) / DAY) + 1, files.n,
		  files.n == 1 ? "" : "s");
	if (ins || !del)
		sbuf_addf(&b, ", %u insertion%s(+)", ins, ins == 1 ? "" : "s");
	if (del || !ins)
		sbuf_addf(&b, ", %u deletion%s(-)", del, del == 1 ? "" : "s");
	sbuf_addstr(&b, ".\n\nThe main changes are:\n\n");
	for (size_t i = 0; i < items->n; i++) {
		const struct applied *a = items->items[i];
		struct sbuf item = SBUF_INIT, num = SBUF_INIT;

		sbuf_addf(&num, "%zu) ", i + 1);
		sbuf_addf(&item, "%c%s, from %s.", a->summary[0] >= 'a' &&
			  a->summary[0] <= 'z' ? a->summary[0] - 'a' + 'A' :
			  a->summary[0], a->summary + 1, a->author);
		add_wrapped(&b, item.buf, 72, num.buf, "   ");
		sbuf_addch(&b, '\n');
		sbuf_release(&item);
		sbuf_release(&num);
	}
	sbuf_addf(&b, "Please consider pulling these changes from:\n\n"
		  "  git://git.kernel.org/pub/scm/linux/kernel/git/bpf/%s.git "
		  "tags/for-netdev\n\nThanks a lot!\n\n", tn);
	/* names: merge titles first, then reviewers' names */
	for (size_t i = 0; i < names.n; i++) {
		const char *nm = names.items[i];

		if (!strncmp(nm, "Merge branch '", 14))
			continue;
		if (thanks.len)
			sbuf_addstr(&thanks, ", ");
		sbuf_addstr(&thanks, nm);
	}
	if (thanks.len) {
		sbuf_addstr(&b, "Also thanks to reporters, reviewers and testers "
			    "of commits in this pull-request:\n\n");
		add_wrapped(&b, thanks.buf, 72, "", "");
		sbuf_addch(&b, '\n');
	}
	sbuf_addstr(&b, "------------------------------------------------------"
		    "----------\n\nThe following changes since commit ");
	add_hex40(u, &b);
	sbuf_addf(&b, ":\n\n  %s (", PICK(&u->r, old_commit_titles));
	add_git_date(&b, first - 2 * DAY, -420);
	sbuf_addf(&b, ")\n\nare available in the Git repository at:\n\n"
		  "  https://git.kernel.org/pub/scm/linux/kernel/git/bpf/%s.git"
		  " tags/for-netdev\n\nfor you to fetch changes up to ", tn);
	add_hex40(u, &b);
	sbuf_addf(&b, ":\n\n  %s (", last_title ? last_title : "");
	add_git_date(&b, fetch_time, from->tz);
	sbuf_addf(&b, ")\n\n------------------------------------------------"
		  "----------------\n%s-for-netdev\n\n"
		  "----------------------------------------------------------"
		  "------\n", tn);
	vec_sort(&authors, shortlog_cmp);
	for (size_t i = 0; i < authors.n; i++) {
		const struct shortlog_author *sa = authors.items[i];

		sbuf_addf(&b, "%s%s (%zu):\n", i ? "\n" : "", sa->name,
			  sa->titles.n);
		for (size_t j = 0; j < sa->titles.n; j++)
			sbuf_addf(&b, "      %s\n",
				  (char *)sa->titles.items[j]);
	}
	sbuf_addch(&b, '\n');
	add_diffstat(&b, &files, 80);
	sbuf_addstr(&m->text, b.buf);
	u->d.pulls++;
	u->d.pull_titles += commits;

	notice = bot_start(u, t + (time_t)rng_range(&u->r, 6 * HOUR, 4 * DAY),
			   m, "davem@davemloft.net, kuba@kernel.org, "
			   "edumazet@google.com, pabeni@redhat.com, "
			   "ast@kernel.org, andrii@kernel.org, "
			   "daniel@iogearbox.net, martin.lau@kernel.org, "
			   "netdev@vger.kernel.org, bpf@vger.kernel.org",
			   "pull request", tree == TREE_NEXT ?
			   "netdev/net-next.git (main)" :
			   "netdev/net.git (main)", &netdev_maint[1]);
	{
		char sha[13];

		rng_hex(&u->r, sha, 12);
		sbuf_addf(&notice->text, "  - %s\n    https://git.kernel.org/"
			  "netdev/%s/c/%s\n\n%s", subj.buf,
			  tree == TREE_NEXT ? "net-next" : "net", sha,
			  bot_tail);
	}
	vec_release(&authors, shortlog_free);
	vec_release(&files, fstat_free);
	vec_release_str(&names);
	sbuf_release(&subj);
	sbuf_release(&tos);
	sbuf_release(&ccs);
	sbuf_release(&b);
	sbuf_release(&thanks);
}

/* ---------------------------------------------------------------- */
/* Units, time and the main loop.                                    */

static void unit_init(struct unit *u, struct gen *g)
{
	memset(u, 0, sizeof(*u));
	u->g = g;
	u->no = g->unit_no++;
	u->r.s = (uint64_t)g->o->seed * 0x9e3779b97f4a7c15ULL ^
		 (uint64_t)u->no * 0xd1b54a32d192ed03ULL;
	rng_u64(&u->r);
}

static void unit_release(struct unit *u)
{
	vec_release(&u->msgs, msg_free);
	vec_release(&u->applied, applied_free);
}

static size_t unit_files(const struct unit *u)
{
	size_t n = u->msgs.n;

	for (size_t i = 0; i < u->msgs.n; i++)
		n += ((struct msg *)u->msgs.items[i])->dup;
	return n;
}

static void stats_add(struct corpus_stats *t, const struct corpus_stats *d)
{
	t->series += d->series;
	t->versions += d->versions;
	t->rfc_versions += d->rfc_versions;
	t->covers += d->covers;
	t->patches += d->patches;
	t->fixes += d->fixes;
	t->reviews += d->reviews;
	t->acked_by += d->acked_by;
	t->reviewed_by += d->reviewed_by;
	t->tested_by += d->tested_by;
	t->pw_bot_cr += d->pw_bot_cr;
	t->pw_bot_defer += d->pw_bot_defer;
	t->pw_bot_ignored += d->pw_bot_ignored;
	t->applied += d->applied;
	t->bot_notices += d->bot_notices;
	t->pulls += d->pulls;
	t->pull_titles += d->pull_titles;
	t->discussions += d->discussions;
	for (int i = 0; i < CORPUS_BROKEN_MAX; i++)
		t->broken[i] += d->broken[i];
	t->broken_total += d->broken_total;
}

static int write_file(struct gen *g, const struct msg *m, size_t unit_no,
		      struct err *err)
{
	FILE *f;

	sbuf_reset(&g->path);
	sbuf_addf(&g->path, "%s/%lld.%zu_%zu.vger:2,S", g->cur,
		  (long long)m->date, unit_no, g->written + 1);
	f = fopen(g->path.buf, "w");
	if (!f)
		return err_set(err, ERR_IO, "%s: %s", g->path.buf,
			       strerror(errno));
	if (fwrite(m->text.buf, 1, m->text.len, f) != m->text.len) {
		int e = errno;

		fclose(f);
		return err_set(err, ERR_IO, "%s: %s", g->path.buf,
			       strerror(e));
	}
	if (fclose(f))
		return err_set(err, ERR_IO, "%s: %s", g->path.buf,
			       strerror(errno));
	g->written++;
	if (!g->st->first_date || m->date < g->st->first_date)
		g->st->first_date = m->date;
	if (m->date > g->st->last_date)
		g->st->last_date = m->date;
	return 0;
}

/* Write the unit's messages and add its counts to the total. */
static int unit_commit(struct unit *u, struct err *err)
{
	struct gen *g = u->g;

	for (size_t i = 0; i < u->msgs.n; i++) {
		const struct msg *m = u->msgs.items[i];

		for (unsigned k = 0; k <= m->dup; k++)
			if (write_file(g, m, u->no, err))
				return -err->code;
		g->st->messages += 1 + m->dup;
		g->st->unique_messages++;
		g->st->threads += m->root;
	}
	stats_add(g->st, &u->d);
	for (size_t i = 0; i < u->applied.n; i++) {
		struct applied *a = u->applied.items[i];

		vec_push(&g->pending[a->tree], a);
	}
	u->applied.n = 0;
	return 0;
}

/* Weight of a day of the week: weekdays carry most of the traffic. */
static double day_weight(long day)
{
	int wd = date_weekday(day);

	return wd == 0 ? 0.25 : wd == 6 ? 0.3 : 1.0;
}

/* The time at fraction f of the corpus, weekdays weighing more. */
static time_t time_at(const struct gen *g, double f)
{
	double x = f * g->cum[g->days];
	unsigned lo = 0, hi = g->days;
	long day0 = date_of_time(g->start);

	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;

		if (g->cum[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	/* the list is busiest from 05:00 to 23:00 UTC */
	return g->start + (time_t)lo * DAY + 5 * HOUR +
	       (time_t)((x - g->cum[lo]) / day_weight(day0 + lo) * 18 * HOUR);
}

/* First time on the given weekday (0 = Sunday) after start, at hour. */
static time_t next_weekday(time_t start, int wday, int hour)
{
	long day = date_of_time(start);

	while (date_weekday(day) != wday)
		day++;
	return (time_t)day * DAY + hour * HOUR;
}

/* Pull requests due before t, for each tree; 0 or -code. */
static int emit_pulls(struct gen *g, time_t t, struct err *err)
{
	for (int tree = 0; tree < TREE_MAX; tree++) {
		while (g->next_pull[tree] <= t) {
			time_t p = g->next_pull[tree];
			struct vec items = VEC_INIT, keep = VEC_INIT;
			struct unit u;
			int ret = 0;

			g->next_pull[tree] += 7 * DAY;
			if (g->o->messages - g->written < 2)
				continue;
			for (size_t i = 0; i < g->pending[tree].n; i++) {
				struct applied *a = g->pending[tree].items[i];

				vec_push(a->when < p ? &items : &keep, a);
			}
			vec_release(&g->pending[tree], NULL);
			g->pending[tree] = keep;
			if (!items.n)
				continue;
			unit_init(&u, g);
			p += (time_t)rng_below(&u.r, 10 * 3600);
			gen_pull(&u, (enum tree)tree, p, &items);
			ret = unit_commit(&u, err);
			unit_release(&u);
			vec_release(&items, applied_free);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * What the first units are, so that a corpus of about 200 messages
 * already has each kind and each broken case.
 */
enum unit_kind {
	K_SERIES, K_FIX, K_DISCUSSION, K_RFC, K_DEFER, K_BROKEN
};

struct scheduled {
	enum unit_kind kind;
	int broken;
};

static const struct scheduled schedule[] = {
	{ K_RFC, -1 },
	{ K_FIX, -1 },
	{ K_SERIES, CORPUS_BROKEN_NO_COVER },
	{ K_DISCUSSION, -1 },
	{ K_SERIES, CORPUS_BROKEN_REPLY_TO_OLD },
	{ K_FIX, CORPUS_BROKEN_DUPLICATE },
	{ K_SERIES, CORPUS_BROKEN_NO_REPLY_TO },
	{ K_SERIES, CORPUS_BROKEN_MISSING_PATCH },
	{ K_DEFER, -1 },
	{ K_SERIES, CORPUS_BROKEN_RESEND },
	{ K_SERIES, CORPUS_BROKEN_OUT_OF_ORDER },
	{ K_SERIES, -1 },
};

static void build_unit(struct unit *u, time_t t, size_t remaining)
{
	size_t i;
	unsigned k;

	if (remaining < FILL_BELOW) {
		gen_discussion(u, t, remaining < 6 ? remaining :
				     rng_range(&u->r, 1, 6));
		return;
	}
	if (u->g->st->series + u->g->st->discussions < ARRAY_SIZE(schedule)) {
		const struct scheduled *sc;

		i = u->g->st->series + u->g->st->discussions;
		sc = &schedule[i];
		switch (sc->kind) {
		case K_DISCUSSION:
			gen_discussion(u, t, rng_range(&u->r, 2, 5));
			return;
		case K_FIX:
			gen_series(u, t, 1, sc->broken, 1, 0, 0);
			return;
		case K_RFC:
			gen_series(u, t, 0, -1, 1, 1, 0);
			return;
		case K_DEFER:
			gen_series(u, t, 0, -1, 1, 0, 1);
			return;
		default:
			gen_series(u, t, 0, sc->broken, 1, 0, 0);
			return;
		}
	}
	k = rng_below(&u->r, 100);
	if (k < 4)
		gen_series(u, t, rng_pct(&u->r, 20),
			   (int)rng_below(&u->r, CORPUS_BROKEN_MAX), 0, 0, 0);
	else if (k < 20)
		gen_discussion(u, t, rng_range(&u->r, 1, 9));
	else if (k < 38)
		gen_series(u, t, 1, -1, 0, 0, 0);
	else
		gen_series(u, t, 0, -1, 0, 0, 0);
}

static const char *const broken_names[CORPUS_BROKEN_MAX] = {
	"no-reply-to", "reply-to-old", "no-cover", "missing-patch",
	"duplicate", "resend", "out-of-order",
};

const char *corpus_broken_name(enum corpus_broken b)
{
	return (unsigned)b < CORPUS_BROKEN_MAX ? broken_names[b] : "?";
}

void corpus_options_init(struct corpus_options *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->messages = 200;
}

/* Make outdir/{cur,new,tmp}; cur must hold no message yet. */
static int prepare_maildir(struct gen *g, struct err *err)
{
	static const char *const sub[] = { "cur", "new", "tmp" };
	DIR *d;
	struct dirent *de;

	for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
		char *p = path_join(g->o->outdir, sub[i]);
		int ret = fs_mkdir_p(p, err);

		if (i == 0)
			g->cur = p;
		else
			free(p);
		if (ret)
			return ret;
	}
	d = opendir(g->cur);
	if (!d)
		return err_set(err, ERR_IO, "%s: %s", g->cur, strerror(errno));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			closedir(d);
			return err_set(err, ERR_STATE, "%s is not empty: "
				       "generate into a new directory",
				       g->cur);
		}
	closedir(d);
	return 0;
}

int corpus_generate(const struct corpus_options *o,
		    struct corpus_stats *stats, struct err *err)
{
	struct corpus_stats local;
	struct gen g;
	long day0;
	int ret = 0;

	if (!o->outdir || !*o->outdir)
		return err_set(err, ERR_USAGE, "no output directory");
	if (o->messages < 1 || o->messages > MESSAGES_MAX)
		return err_set(err, ERR_USAGE, "messages must be 1 to %u, "
			       "not %zu", MESSAGES_MAX, o->messages);
	if (o->days > DAYS_MAX)
		return err_set(err, ERR_USAGE, "days must be at most %u",
			       DAYS_MAX);
	memset(&g, 0, sizeof(g));
	g.o = o;
	g.st = stats ? stats : &local;
	memset(g.st, 0, sizeof(*g.st));
	sbuf_init(&g.path);
	g.start = o->start ? o->start :
		  (time_t)date_from_civil(2025, 1, 6) * DAY;
	/* about 275 messages a day, as on the real list */
	g.days = o->days ? o->days :
		 (unsigned)(o->messages / 275 > 21 ? o->messages / 275 : 21);
	g.cum = xcalloc(g.days + 1, sizeof(*g.cum));
	day0 = date_of_time(g.start);
	for (unsigned d = 0; d < g.days; d++)
		g.cum[d + 1] = g.cum[d] + day_weight(day0 + (long)d);
	g.next_pull[TREE_NEXT] = next_weekday(g.start + DAY, 5, 1);
	g.next_pull[TREE_BPF] = next_weekday(g.start + DAY, 3, 16);
	ret = prepare_maildir(&g, err);
	while (!ret && g.written < o->messages) {
		size_t remaining;
		time_t t = time_at(&g, (double)g.written /
				       (double)o->messages);
		struct unit u;

		ret = emit_pulls(&g, t, err);
		if (ret || g.written >= o->messages)
			break;
		remaining = o->messages - g.written;
		unit_init(&u, &g);
		build_unit(&u, t, remaining);
		if (unit_files(&u) > remaining) {
			unit_release(&u);
			unit_init(&u, &g);
			build_unit(&u, t, remaining < FILL_BELOW ? remaining :
					  FILL_BELOW - 1);
		}
		ret = unit_commit(&u, err);
		unit_release(&u);
	}
	for (int i = 0; i < TREE_MAX; i++)
		vec_release(&g.pending[i], applied_free);
	free(g.cum);
	free(g.cur);
	sbuf_release(&g.path);
	return ret;
}
