/*
 * The generator's tables: the people of the list, the topics and words
 * series are made of, and the code their diffs are cut from.  Nothing
 * here is random; corpus/message.c, series.c and gen.c draw from these
 * tables with the unit's PRNG.
 */
#include "corpus/private.h"

const struct person corpus_maintainers[] = {
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

const struct person corpus_netdev_maint[] = {
	{ "David Miller", "davem@davemloft.net", -480, STYLE_MUTT },
	{ "Jakub Kicinski", "kuba@kernel.org", -480, STYLE_MUTT },
	{ "Eric Dumazet", "edumazet@google.com", 60, STYLE_GMAIL },
	{ "Paolo Abeni", "pabeni@redhat.com", 60, STYLE_TBIRD },
};

/* netdev's reviewers who are no maintainers of it. */
const struct person corpus_netdev_reviewers[] = {
	{ "Simon Horman", "horms@kernel.org", 60, STYLE_MUTT },
	{ "Andrew Lunn", "andrew@lunn.ch", 60, STYLE_MUTT },
	{ "Willem de Bruijn", "willemdebruijn.kernel@gmail.com", -300,
	  STYLE_GMAIL },
	{ "Jiri Pirko", "jiri@resnulli.us", 60, STYLE_MUTT },
	{ "Vadim Fedorenko", "vadim.fedorenko@linux.dev", 0, STYLE_TBIRD },
	{ "Kuniyuki Iwashima", "kuniyu@google.com", -480, STYLE_GMAIL },
};

/* Who sends a netdev sub-tree's pull request, and how it is named. */
const struct subtree corpus_subtrees[] = {
	{ { "Johannes Berg", "johannes@sipsolutions.net", 60, STYLE_MUTT },
	  "wireless", "pull-request: {S}-{D}", "wireless/wireless",
	  "wifi: mac80211" },
	{ { "Marc Kleine-Budde", "mkl@pengutronix.de", 60, STYLE_MUTT },
	  "can", "pull-request: {S} {D}", "mkl/linux-can",
	  "can: mcp251xfd" },
	{ { "Steffen Klassert", "steffen.klassert@secunet.com", 60,
	    STYLE_MUTT },
	  "ipsec", "pull request ({T}): {S} {D}", "klassert/ipsec",
	  "xfrm" },
	{ { "Luiz Augusto von Dentz", "luiz.dentz@gmail.com", -300,
	    STYLE_GMAIL },
	  "bluetooth", "pull request: {S} {D}", "bluetooth/bluetooth",
	  "Bluetooth: hci_sync" },
};

const struct person corpus_torvalds = {
	"Linus Torvalds", "torvalds@linux-foundation.org", -480, STYLE_GMAIL
};

const struct person corpus_pr_tracker = {
	"", "pr-tracker-bot@kernel.org", 0, STYLE_MUTT
};

const struct person corpus_bot = {
	"", "patchwork-bot+netdevbpf@kernel.org", 0, STYLE_MUTT
};

/* Made-up contributors at example domains. */
const struct person corpus_contributors[] = {
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

const char *const corpus_area_prefix[] = {
	"bpf", "bpf", "bpf, net", "libbpf", "selftests/bpf", "bpftool",
	"bpf, x86", "bpf, arm64", "bpf, sockmap", "bpf",
	/* netdev */
	"net", "tcp", "ipv6", "net/mlx5e", "ice", "net: phy",
	"selftests: net"
};

const char *const corpus_area_files[][6] = {
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
	/* netdev */
	{ "net/core/dev.c", "include/linux/netdevice.h", "net/core/skbuff.c",
	  "net/core/dev.c", "net/core/rtnetlink.c", "include/linux/skbuff.h" },
	{ "net/ipv4/tcp_input.c", "net/ipv4/tcp_output.c", "net/ipv4/tcp.c",
	  "include/net/tcp.h", "net/ipv4/tcp_ipv4.c", "net/ipv4/tcp_input.c" },
	{ "net/ipv6/route.c", "net/ipv6/addrconf.c", "net/ipv6/ip6_output.c",
	  "include/net/ip6_route.h", "net/ipv6/route.c",
	  "net/ipv6/ndisc.c" },
	{ "drivers/net/ethernet/mellanox/mlx5/core/en_rx.c",
	  "drivers/net/ethernet/mellanox/mlx5/core/en_tx.c",
	  "drivers/net/ethernet/mellanox/mlx5/core/en_main.c",
	  "drivers/net/ethernet/mellanox/mlx5/core/en.h",
	  "drivers/net/ethernet/mellanox/mlx5/core/en_ethtool.c",
	  "drivers/net/ethernet/mellanox/mlx5/core/en_rx.c" },
	{ "drivers/net/ethernet/intel/ice/ice_main.c",
	  "drivers/net/ethernet/intel/ice/ice_txrx.c",
	  "drivers/net/ethernet/intel/ice/ice_lib.c",
	  "drivers/net/ethernet/intel/ice/ice.h",
	  "drivers/net/ethernet/intel/ice/ice_ethtool.c",
	  "drivers/net/ethernet/intel/ice/ice_main.c" },
	{ "drivers/net/phy/phy.c", "drivers/net/phy/phy_device.c",
	  "drivers/net/phy/phylink.c", "include/linux/phy.h",
	  "drivers/net/phy/marvell.c", "drivers/net/phy/phy.c" },
	{ "tools/testing/selftests/net/%s.sh",
	  "tools/testing/selftests/net/lib.sh",
	  "tools/testing/selftests/net/%s.c",
	  "tools/testing/selftests/net/Makefile",
	  "tools/testing/selftests/net/config",
	  "tools/testing/selftests/net/lib/py/utils.py" },
};

const struct topic corpus_topics[] = {
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

const char *const corpus_feature_verbs[] = {
	"Support", "Add", "Introduce", "Allow", "Track",
	"Implement", "Enable", "Extend",
};

const char *const corpus_fix_verbs[] = {
	"Fix", "Avoid", "Reject", "Check", "Don't leak", "Handle",
	"Correct", "Prevent a crash in",
};

const char *const corpus_refactor_phrases[] = {
	"Refactor %s helpers", "Move %s code into its own file",
	"Factor out %s checks", "Simplify %s state handling",
	"Prepare %s for the next patch", "Rename %s fields",
	"Clean up %s error paths",
};

const char *const corpus_sentences[] = {
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

const char *const corpus_old_commit_titles[] = {
	"bpf: Introduce bpf_arena", "bpf: Add kfunc bpf_rcu_read_lock",
	"bpf: Support new signed div/mod instructions",
	"libbpf: Add BPF token support", "bpf: Add bpf_iter_task_vma",
	"bpf, sockmap: Add sk_rmem_alloc check for sockmap",
	"bpf: Allow reads from uninit stack",
	"selftests/bpf: Add verifier tests for may_goto",
	"bpf: Implement cgroup storage as local storage",
	"bpf: Add uprobe_multi link support",
};

const char *const corpus_changelog_items[] = {
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

const char *const corpus_review_comments[] = {
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

const char *const corpus_author_answers[] = {
	"Thanks for the review! Will fix in the next version.",
	"Good point, I'll switch to the kfunc in v%u.",
	"It is needed because the callback may run after the map is freed. "
	"I'll add a comment.",
	"Ack, will add a selftest.",
	"Sure, will send a new version shortly.",
};

const char *const corpus_cr_comments[] = {
	"The approach is fine, but the selftest is flaky on s390; please "
	"take a look before the next version.",
	"CI is failing on this series, see the BPF CI results in patchwork.",
	"Please address Andrii's comments and respin.",
	"This needs more work; the verifier part is not safe as is.",
	"Please split the libbpf and kernel changes into separate patches.",
};

/* netdev's series and discussions are about these. */
const struct topic corpus_netdev_topics[] = {
	{ "GRO for UDP tunnels with checksum offload", "udp_tunnel_gro",
	  A_NETCORE },
	{ "per-queue statistics over netlink", "queue_stats", A_NETCORE },
	{ "page pool recycling for fragmented pages", "page_pool_frag",
	  A_NETCORE },
	{ "netdev_lock in queue management ops", "queue_mgmt_lock",
	  A_NETCORE },
	{ "busy polling with NAPI IDs per queue", "napi_busy_poll",
	  A_NETCORE },
	{ "devmem TCP for TX", "devmem_tx", A_TCP },
	{ "TCP_NOTSENT_LOWAT with autocorking", "notsent_lowat", A_TCP },
	{ "SYN cookies with timestamps", "syncookie_ts", A_TCP },
	{ "RACK reordering window", "rack_reo_wnd", A_TCP },
	{ "ECMP route selection with nexthop groups", "nh_group_ecmp",
	  A_IPV6 },
	{ "SRv6 End.DT46 behaviour", "srv6_dt46", A_IPV6 },
	{ "router advertisement PIO flags", "ra_pio", A_IPV6 },
	{ "XDP multi-buffer on striding RQ", "xdp_mb_striding", A_MLX5 },
	{ "HW GRO for IPv6 packets", "hw_gro_v6", A_MLX5 },
	{ "PTP timestamps for the TX port", "ptp_tx_port", A_MLX5 },
	{ "switchdev bridge offload", "switchdev_br", A_ICE },
	{ "E830 timestamping", "e830_ts", A_ICE },
	{ "VF link state after reset", "vf_link_reset", A_ICE },
	{ "link down on PHY suspend", "phy_suspend_link", A_PHY },
	{ "EEE advertisement with phylink", "phylink_eee", A_PHY },
	{ "rate matching for 2.5G PHYs", "phy_rate_match", A_PHY },
	{ "netdevsim queue reset tests", "nsim_queue_reset", A_NETSEL },
	{ "bridge VLAN tunnel tests", "bridge_vlan_tunnel", A_NETSEL },
	{ "timeouts in the forwarding tests", "fwd_timeouts", A_NETSEL },
};

const char *const corpus_netdev_subjects[] = {
	"Question about %s",
	"[BUG] WARNING in %s",
	"Regression: %s after the last net merge",
	"[RFC] %s: how should drivers report it?",
	"netdev call: agenda for %s",
	"Re: %s",
};

const char *const corpus_discussion_subjects[] = {
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

const char *const corpus_discussion_lines[] = {
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

const char *const corpus_netdev_lines[] = {
	"Since the last net merge I see throughput drop by about a third "
	"with the default ring sizes.",
	"Which driver and firmware version is this? Please share ethtool -i "
	"and the full splat.",
	"I bisected it to the commit below; reverting it makes the warning "
	"go away.",
	"Is this expected to work with GRO disabled on the lower device?",
	"Please send a patch with a Fixes: tag against net.",
	"Could you add a selftest under tools/testing/selftests/net for "
	"this?",
	"Thanks for the report, I will take a look this week.",
	"Let's discuss it on the netdev call on Tuesday.",
};

const char *const corpus_tree_name[] = { "bpf", "bpf-next", "net",
					  "net-next" };

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

const struct code corpus_codes[] = {
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

const char corpus_bot_tail[] =
	"You are awesome, thank you!\n"
	"-- \n"
	"Deet-doot-dot, I am a bot.\n"
	"https://korg.docs.kernel.org/patchwork/pwbot.html\n\n";

/* Last: the compiler checks each table against its declared count. */
#include "corpus/data.h"
