/*
 * The mail text layer: the subject grammar over real-world forms,
 * messages read with GMime, trailers, pw-bot commands, patchwork-bot
 * notices and pull requests, on the real messages in
 * tests/fixtures/mail (see its README.md) and on bad input.
 */
#define _XOPEN_SOURCE 700	/* nftw() */
#include <check.h>
#include <ftw.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/address.h"
#include "mail/classify.h"
#include "mail/mbox.h"
#include "mail/message.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

#define K_OTHER MAIL_SUBJECT_OTHER
#define K_PATCH MAIL_SUBJECT_PATCH
#define K_PULL MAIL_SUBJECT_PULL
#define K_ANN MAIL_SUBJECT_ANN
#define F_RFC MAIL_SUBJECT_RFC
#define F_RESEND MAIL_SUBJECT_RESEND
#define F_RE MAIL_SUBJECT_REPLY
#define F_FWD MAIL_SUBJECT_FWD

/*
 * Subjects as sent: the first rows are one of each shape found in the
 * fixture archives (tests/fixtures/mail and the lists they came from),
 * then the forms named in issue 3 and edge cases.
 */
static const struct subject_case {
	const char *subject;
	enum mail_subject_kind kind;
	unsigned flags;
	const char *tree;
	unsigned version, index, total;
	const char *date;
	const char *title;
	const char *prefix;	/* mail_subject_format_prefix() */
} subject_cases[] = {
	{ "[PATCH bpf-next v4 0/5] selftests/bpf: xsk selftests",
	  K_PATCH, 0, "bpf-next", 4, 0, 5, NULL,
	  "selftests/bpf: xsk selftests", "[PATCH bpf-next v4 0/5]" },
	{ "Re: [PATCH bpf-next v4 0/5] selftests/bpf: xsk selftests",
	  K_PATCH, F_RE | 0, "bpf-next", 4, 0, 5, NULL,
	  "selftests/bpf: xsk selftests", "[PATCH bpf-next v4 0/5]" },
	{ "[PATCH v3 0/9] bpf-lsm: Extend interoperability with IMA",
	  K_PATCH, 0, NULL, 3, 0, 9, NULL,
	  "bpf-lsm: Extend interoperability with IMA", "[PATCH v3 0/9]" },
	{ "Re: [PATCH v3 0/9] bpf-lsm: Extend interoperability with IMA",
	  K_PATCH, F_RE | 0, NULL, 3, 0, 9, NULL,
	  "bpf-lsm: Extend interoperability with IMA", "[PATCH v3 0/9]" },
	{ "RE: [PATCH v3 0/9] bpf-lsm: Extend interoperability with IMA",
	  K_PATCH, F_RE | 0, NULL, 3, 0, 9, NULL,
	  "bpf-lsm: Extend interoperability with IMA", "[PATCH v3 0/9]" },
	{ "[PATCH net-next 0/8] add tc-testing test cases",
	  K_PATCH, 0, "net-next", 1, 0, 8, NULL,
	  "add tc-testing test cases", "[PATCH net-next 0/8]" },
	{ "Re: [PATCH net-next 0/8] add tc-testing test cases",
	  K_PATCH, F_RE | 0, "net-next", 1, 0, 8, NULL,
	  "add tc-testing test cases", "[PATCH net-next 0/8]" },
	{ "[PATCH net-next,v4 0/9] refactor duplicate codes in the tc cls walk function",
	  K_PATCH, 0, "net-next", 4, 0, 9, NULL,
	  "refactor duplicate codes in the tc cls walk function", "[PATCH net-next v4 0/9]" },
	{ "Re: [PATCH net-next,v4 0/9] refactor duplicate codes in the tc cls walk function",
	  K_PATCH, F_RE | 0, "net-next", 4, 0, 9, NULL,
	  "refactor duplicate codes in the tc cls walk function", "[PATCH net-next v4 0/9]" },
	{ "[PATCH bpf-next 0/2] Free strdup memory in selftests",
	  K_PATCH, 0, "bpf-next", 1, 0, 2, NULL,
	  "Free strdup memory in selftests", "[PATCH bpf-next 0/2]" },
	{ "Re: [PATCH bpf-next 1/2] selftests/bpf: Free strdup memory in test_sockmap",
	  K_PATCH, F_RE | 0, "bpf-next", 1, 1, 2, NULL,
	  "selftests/bpf: Free strdup memory in test_sockmap", "[PATCH bpf-next 1/2]" },
	{ "RE: [PATCH bpf-next 1/2] selftests/bpf: Free strdup memory in test_sockmap",
	  K_PATCH, F_RE | 0, "bpf-next", 1, 1, 2, NULL,
	  "selftests/bpf: Free strdup memory in test_sockmap", "[PATCH bpf-next 1/2]" },
	{ "[PATCH net-next v15 00/14] Device Memory TCP",
	  K_PATCH, 0, "net-next", 15, 0, 14, NULL,
	  "Device Memory TCP", "[PATCH net-next v15 00/14]" },
	{ "Re: [PATCH net-next v15 00/14] Device Memory TCP",
	  K_PATCH, F_RE | 0, "net-next", 15, 0, 14, NULL,
	  "Device Memory TCP", "[PATCH net-next v15 00/14]" },
	{ "[PATCH bpf 0/4] bpf, vsock: Fix poll() and close()",
	  K_PATCH, 0, "bpf", 1, 0, 4, NULL,
	  "bpf, vsock: Fix poll() and close()", "[PATCH bpf 0/4]" },
	{ "RE: [PATCH bpf 0/4] bpf, vsock: Fix poll() and close()",
	  K_PATCH, F_RE | 0, "bpf", 1, 0, 4, NULL,
	  "bpf, vsock: Fix poll() and close()", "[PATCH bpf 0/4]" },
	{ "Re: [PATCH bpf 0/4] bpf, vsock: Fix poll() and close()",
	  K_PATCH, F_RE | 0, "bpf", 1, 0, 4, NULL,
	  "bpf, vsock: Fix poll() and close()", "[PATCH bpf 0/4]" },
	{ "[PATCH bpf v9 0/5] bpf: fix wrong copied_seq calculation and add tests",
	  K_PATCH, 0, "bpf", 9, 0, 5, NULL,
	  "bpf: fix wrong copied_seq calculation and add tests", "[PATCH bpf v9 0/5]" },
	{ "Re: [PATCH bpf v9 1/5] strparser: add read_sock callback",
	  K_PATCH, F_RE | 0, "bpf", 9, 1, 5, NULL,
	  "strparser: add read_sock callback", "[PATCH bpf v9 1/5]" },
	{ "[PATCH net 0/4] sockmap, vsock: For connectible sockets allow only connected",
	  K_PATCH, 0, "net", 1, 0, 4, NULL,
	  "sockmap, vsock: For connectible sockets allow only connected", "[PATCH net 0/4]" },
	{ "Re: [PATCH net 1/4] sockmap, vsock: For connectible sockets allow only connected",
	  K_PATCH, F_RE | 0, "net", 1, 1, 4, NULL,
	  "sockmap, vsock: For connectible sockets allow only connected", "[PATCH net 1/4]" },
	{ "[PATCH v19 net-next 00/10] AccECN protocol patch series",
	  K_PATCH, 0, "net-next", 19, 0, 10, NULL,
	  "AccECN protocol patch series", "[PATCH net-next v19 00/10]" },
	{ "Re: [PATCH v19 net-next 08/10] tcp: accecn: AccECN option failure handling",
	  K_PATCH, F_RE | 0, "net-next", 19, 8, 10, NULL,
	  "tcp: accecn: AccECN option failure handling", "[PATCH net-next v19 08/10]" },
	{ "[PATCH bpf-next] selftests/bpf: Fix typo in Makefile",
	  K_PATCH, 0, "bpf-next", 1, 0, 0, NULL,
	  "selftests/bpf: Fix typo in Makefile", "[PATCH bpf-next]" },
	{ "Re: [PATCH bpf-next] selftests/bpf: Fix typo in Makefile",
	  K_PATCH, F_RE | 0, "bpf-next", 1, 0, 0, NULL,
	  "selftests/bpf: Fix typo in Makefile", "[PATCH bpf-next]" },
	{ "[PATCH bpf-next v2] selftests/bpf: Fix build of task_pt_regs test for arm64",
	  K_PATCH, 0, "bpf-next", 2, 0, 0, NULL,
	  "selftests/bpf: Fix build of task_pt_regs test for arm64", "[PATCH bpf-next v2]" },
	{ "Re: [PATCH bpf-next v2] selftests/bpf: Fix build of task_pt_regs test for arm64",
	  K_PATCH, F_RE | 0, "bpf-next", 2, 0, 0, NULL,
	  "selftests/bpf: Fix build of task_pt_regs test for arm64", "[PATCH bpf-next v2]" },
	{ "[PATCH bpf] tools/runqslower: Fix cross-build",
	  K_PATCH, 0, "bpf", 1, 0, 0, NULL,
	  "tools/runqslower: Fix cross-build", "[PATCH bpf]" },
	{ "Re: [PATCH bpf] tools/runqslower: Fix cross-build",
	  K_PATCH, F_RE | 0, "bpf", 1, 0, 0, NULL,
	  "tools/runqslower: Fix cross-build", "[PATCH bpf]" },
	{ "Re: [External] Re: [PATCH bpf-next v2] selftests/bpf: fix some bugs in map_lookup_percpu_elem testcase",
	  K_PATCH, F_RE | 0, "bpf-next", 2, 0, 0, NULL,
	  "selftests/bpf: fix some bugs in map_lookup_percpu_elem testcase", "[PATCH bpf-next v2]" },
	{ "[PATCH bpf v2] selftests/bpf: Fix xdp_synproxy compilation failure in 32-bit arch",
	  K_PATCH, 0, "bpf", 2, 0, 0, NULL,
	  "selftests/bpf: Fix xdp_synproxy compilation failure in 32-bit arch", "[PATCH bpf v2]" },
	{ "Re: [PATCH bpf v2] selftests/bpf: Fix xdp_synproxy compilation failure in 32-bit arch",
	  K_PATCH, F_RE | 0, "bpf", 2, 0, 0, NULL,
	  "selftests/bpf: Fix xdp_synproxy compilation failure in 32-bit arch", "[PATCH bpf v2]" },
	{ "[PATCH v2 bpf-next] selftests/bpf: Corrected two typos",
	  K_PATCH, 0, "bpf-next", 2, 0, 0, NULL,
	  "selftests/bpf: Corrected two typos", "[PATCH bpf-next v2]" },
	{ "Re: [PATCH v2 bpf-next] selftests/bpf: Corrected two typos",
	  K_PATCH, F_RE | 0, "bpf-next", 2, 0, 0, NULL,
	  "selftests/bpf: Corrected two typos", "[PATCH bpf-next v2]" },
	{ "RE: [PATCH bpf-next v7 04/13] bpf: Add support for forcing kfunc args to be trusted",
	  K_PATCH, F_RE | 0, "bpf-next", 7, 4, 13, NULL,
	  "bpf: Add support for forcing kfunc args to be trusted", "[PATCH bpf-next v7 04/13]" },
	{ "[PATCH v3 bpf-next 0/3] Introduce bpf_ct_set_nat_info kfunc helper",
	  K_PATCH, 0, "bpf-next", 3, 0, 3, NULL,
	  "Introduce bpf_ct_set_nat_info kfunc helper", "[PATCH bpf-next v3 0/3]" },
	{ "Re: [PATCH v3 bpf-next 1/3] bpf: Tweak definition of KF_TRUSTED_ARGS",
	  K_PATCH, F_RE | 0, "bpf-next", 3, 1, 3, NULL,
	  "bpf: Tweak definition of KF_TRUSTED_ARGS", "[PATCH bpf-next v3 1/3]" },
	{ "[PATCH] netfilter: bpf: Only define get_proto_defrag_hook() if necessary",
	  K_PATCH, 0, NULL, 1, 0, 0, NULL,
	  "netfilter: bpf: Only define get_proto_defrag_hook() if necessary", "[PATCH]" },
	{ "Re: [PATCH] netfilter: bpf: Only define get_proto_defrag_hook() if necessary",
	  K_PATCH, F_RE | 0, NULL, 1, 0, 0, NULL,
	  "netfilter: bpf: Only define get_proto_defrag_hook() if necessary", "[PATCH]" },
	{ "[PATCH net] net: netfilter: move nf flowtable bpf initialization in nf_flow_table_module_init()",
	  K_PATCH, 0, "net", 1, 0, 0, NULL,
	  "net: netfilter: move nf flowtable bpf initialization in nf_flow_table_module_init()", "[PATCH net]" },
	{ "Re: [PATCH net] net: netfilter: move nf flowtable bpf initialization in nf_flow_table_module_init()",
	  K_PATCH, F_RE | 0, "net", 1, 0, 0, NULL,
	  "net: netfilter: move nf flowtable bpf initialization in nf_flow_table_module_init()", "[PATCH net]" },
	{ "RE: [PATCH v7 net-next 00/12] AccECN protocol preparation patch series",
	  K_PATCH, F_RE | 0, "net-next", 7, 0, 12, NULL,
	  "AccECN protocol preparation patch series", "[PATCH net-next v7 00/12]" },
	{ "[PATCH v2 bpf] bpf: Disable migration in nf_hook_run_bpf().",
	  K_PATCH, 0, "bpf", 2, 0, 0, NULL,
	  "bpf: Disable migration in nf_hook_run_bpf().", "[PATCH bpf v2]" },
	{ "Re: [PATCH v2 bpf] bpf: Disable migration in nf_hook_run_bpf().",
	  K_PATCH, F_RE | 0, "bpf", 2, 0, 0, NULL,
	  "bpf: Disable migration in nf_hook_run_bpf().", "[PATCH bpf v2]" },
	{ "Re: [GIT PULL] netfilter updates for net-next 2023-03-30",
	  K_PULL, F_RE | 0, NULL, 1, 0, 0, NULL,
	  "netfilter updates for net-next 2023-03-30", "[GIT PULL]" },
	{ "Netfilter updates for net-next (v2)",
	  K_OTHER, 0, NULL, 1, 0, 0, NULL,
	  "Netfilter updates for net-next (v2)", "" },
	{ "Re: Netfilter updates for net-next (v2)",
	  K_OTHER, F_RE | 0, NULL, 1, 0, 0, NULL,
	  "Netfilter updates for net-next (v2)", "" },
	{ "[GIT PULL v2 net-next] netfilter: updates for net-next",
	  K_PULL, 0, "net-next", 2, 0, 0, NULL,
	  "netfilter: updates for net-next", "[GIT PULL net-next v2]" },
	{ "Re: [GIT PULL v2 net-next] netfilter: updates for net-next",
	  K_PULL, F_RE | 0, "net-next", 2, 0, 0, NULL,
	  "netfilter: updates for net-next", "[GIT PULL net-next v2]" },
	{ "Re: [net-next v4 0/8] seg6: add support for SRv6 End.DT4/DT6 behavior",
	  K_PATCH, F_RE | 0, "net-next", 4, 0, 8, NULL,
	  "seg6: add support for SRv6 End.DT4/DT6 behavior", "[PATCH net-next v4 0/8]" },
	{ "Re: [PATCHv2] selftests: test_vxlan_under_vrf: mute unnecessary error message",
	  K_PATCH, F_RE | 0, NULL, 2, 0, 0, NULL,
	  "selftests: test_vxlan_under_vrf: mute unnecessary error message", "[PATCH v2]" },
	{ "Re: [PATCH][next] selftests/bpf: fix spelling mistake \"tranmission\" -> \"transmission\"",
	  K_PATCH, F_RE | 0, "next", 1, 0, 0, NULL,
	  "selftests/bpf: fix spelling mistake \"tranmission\" -> \"transmission\"", "[PATCH next]" },
	{ "Re: [PATCH net-next] tc-testing: Add control-plane selftests for sch_mq",
	  K_PATCH, F_RE | 0, "net-next", 1, 0, 0, NULL,
	  "tc-testing: Add control-plane selftests for sch_mq", "[PATCH net-next]" },
	{ "Re: [PATCH linux-next] tools/net: Use bitwise instead of arithmetic operator for flags",
	  K_PATCH, F_RE | 0, "linux-next", 1, 0, 0, NULL,
	  "tools/net: Use bitwise instead of arithmetic operator for flags", "[PATCH linux-next]" },
	{ "Re: [PATCH v3] selftests: nci: replace unsigned int with int",
	  K_PATCH, F_RE | 0, NULL, 3, 0, 0, NULL,
	  "selftests: nci: replace unsigned int with int", "[PATCH v3]" },
	{ "Re: [PATCH selftests/bpf] selftests/bpf: remove duplicate include in cgroup_helpers.c.",
	  K_PATCH, F_RE | 0, "selftests/bpf", 1, 0, 0, NULL,
	  "selftests/bpf: remove duplicate include in cgroup_helpers.c.", "[PATCH selftests/bpf]" },
	{ "Re: [PATCHv3 net 0/5] kselftests/net: add missed tests to Makefile",
	  K_PATCH, F_RE | 0, "net", 3, 0, 5, NULL,
	  "kselftests/net: add missed tests to Makefile", "[PATCH net v3 0/5]" },
	{ "Re: [PATCH 1/2] selftests/tc-testing: match any qdisc type",
	  K_PATCH, F_RE | 0, NULL, 1, 1, 2, NULL,
	  "selftests/tc-testing: match any qdisc type", "[PATCH 1/2]" },
	{ "Re: [PATCH net v3] selftests/fib_tests: Rework fib_rp_filter_test()",
	  K_PATCH, F_RE | 0, "net", 3, 0, 0, NULL,
	  "selftests/fib_tests: Rework fib_rp_filter_test()", "[PATCH net v3]" },
	{ "Re: [PATCH net v2 0/2] ipv4: Handle TOS and scope properly for ICMP redirects and PMTU updates",
	  K_PATCH, F_RE | 0, "net", 2, 0, 2, NULL,
	  "ipv4: Handle TOS and scope properly for ICMP redirects and PMTU updates", "[PATCH net v2 0/2]" },
	{ "Re: [PATCH V2] selftests/bpf: Fix warning comparing pointer to 0",
	  K_PATCH, F_RE | 0, NULL, 2, 0, 0, NULL,
	  "selftests/bpf: Fix warning comparing pointer to 0", "[PATCH v2]" },
	{ "Re: [net] selftests: srv6: make srv6_end_dt46_l3vpn_test more robust",
	  K_PATCH, F_RE | 0, "net", 1, 0, 0, NULL,
	  "selftests: srv6: make srv6_end_dt46_l3vpn_test more robust", "[PATCH net]" },
	{ "Re: [net 0/2] selftests: seg6: make srv6_end_dt4_l3vpn_test more robust",
	  K_PATCH, F_RE | 0, "net", 1, 0, 2, NULL,
	  "selftests: seg6: make srv6_end_dt4_l3vpn_test more robust", "[PATCH net 0/2]" },
	{ "Re: [PATCHv3 net] selftests: fib_tests: mute cleanup error message",
	  K_PATCH, F_RE | 0, "net", 3, 0, 0, NULL,
	  "selftests: fib_tests: mute cleanup error message", "[PATCH net v3]" },
	{ "Re: [PATCH net-next,v2] selftests/tc-testing: replace mq with invalid parent ID",
	  K_PATCH, F_RE | 0, "net-next", 2, 0, 0, NULL,
	  "selftests/tc-testing: replace mq with invalid parent ID", "[PATCH net-next v2]" },
	{ "Re: [PATCH net-next v2] selftests: net: vxlan: Fix selftest regression after changes in iproute2.",
	  K_PATCH, F_RE | 0, "net-next", 2, 0, 0, NULL,
	  "selftests: net: vxlan: Fix selftest regression after changes in iproute2.", "[PATCH net-next v2]" },
	{ "Re: [RESEND PATCH v2] selftests:connector: Fix input argument error paths to skip",
	  K_PATCH, F_RESEND | F_RE | 0, NULL, 2, 0, 0, NULL,
	  "selftests:connector: Fix input argument error paths to skip", "[PATCH RESEND v2]" },
	{ "Re: [PATCH -fixes] riscv: kselftests: Fix mm build by removing testcases subdirectory",
	  K_PATCH, F_RE | 0, "-fixes", 1, 0, 0, NULL,
	  "riscv: kselftests: Fix mm build by removing testcases subdirectory", "[PATCH -fixes]" },
	{ "Re: [patch net-next] selftests: netdevsim: use suitable existing dummy file for flash test",
	  K_PATCH, F_RE | 0, "net-next", 1, 0, 0, NULL,
	  "selftests: netdevsim: use suitable existing dummy file for flash test", "[PATCH net-next]" },
	{ "Re: [RESEND PATCH 0/2] add loongarch and riscv support for kprobe args test",
	  K_PATCH, F_RESEND | F_RE | 0, NULL, 1, 0, 2, NULL,
	  "add loongarch and riscv support for kprobe args test", "[PATCH RESEND 0/2]" },
	{ "Re: [PATCH v4 0/9] Support Zve32[xf] and Zve64[xfd] Vector subextensions",
	  K_PATCH, F_RE | 0, NULL, 4, 0, 9, NULL,
	  "Support Zve32[xf] and Zve64[xfd] Vector subextensions", "[PATCH v4 0/9]" },
	{ "Re: [PATCH bpf,v2,0/2] bpf: fix incorrect name check pass logic in btf_name_valid_section",
	  K_PATCH, F_RE | 0, "bpf", 2, 0, 2, NULL,
	  "bpf: fix incorrect name check pass logic in btf_name_valid_section", "[PATCH bpf v2 0/2]" },
	{ "Re: [PATCH bpf-next/net v7 0/3] selftests/bpf: new MPTCP subflow subtest",
	  K_PATCH, F_RE | 0, "bpf-next/net", 7, 0, 3, NULL,
	  "selftests/bpf: new MPTCP subflow subtest", "[PATCH bpf-next/net v7 0/3]" },
	{ "Re: [PATCH V2 0/4] A few fixes for RISC-V",
	  K_PATCH, F_RE | 0, NULL, 2, 0, 4, NULL,
	  "A few fixes for RISC-V", "[PATCH v2 0/4]" },
	{ "Re: [PATCH bpf-next/net v3] selftests/bpf: Drop netns helpers in mptcp",
	  K_PATCH, F_RE | 0, "bpf-next/net", 3, 0, 0, NULL,
	  "selftests/bpf: Drop netns helpers in mptcp", "[PATCH bpf-next/net v3]" },
	{ "Re: [PATCH v12 iproute2-next 0/3] DUALPI2 iproute2 patch",
	  K_PATCH, F_RE | 0, "iproute2-next", 12, 0, 3, NULL,
	  "DUALPI2 iproute2 patch", "[PATCH iproute2-next v12 0/3]" },
	{ "Re: [PATCHv5 iproute2-next] iplink: bond_slave: add support for actor_port_prio",
	  K_PATCH, F_RE | 0, "iproute2-next", 5, 0, 0, NULL,
	  "iplink: bond_slave: add support for actor_port_prio", "[PATCH iproute2-next v5]" },
	{ "Re: [f2fs-dev] [PATCH kvm-next V11 0/7] Add NUMA mempolicy support for KVM guest-memfd",
	  K_PATCH, F_RE | 0, "kvm-next", 11, 0, 7, NULL,
	  "Add NUMA mempolicy support for KVM guest-memfd", "[PATCH kvm-next v11 0/7]" },
	{ "[PATCH bpf-next v3 02/11] bpf: Mitigate Spectre v1",
	  K_PATCH, 0, "bpf-next", 3, 2, 11, NULL,
	  "bpf: Mitigate Spectre v1", "[PATCH bpf-next v3 02/11]" },
	{ "[PATCH v3 bpf-next 2/11] bpf: Mitigate Spectre v1",
	  K_PATCH, 0, "bpf-next", 3, 2, 11, NULL,
	  "bpf: Mitigate Spectre v1", "[PATCH bpf-next v3 02/11]" },
	{ "[RFC PATCH bpf-next] bpf: add a kfunc",
	  K_PATCH, F_RFC | 0, "bpf-next", 1, 0, 0, NULL,
	  "bpf: add a kfunc", "[RFC PATCH bpf-next]" },
	{ "[PATCH RFC v2 net-next 0/5] net: rework things",
	  K_PATCH, F_RFC | 0, "net-next", 2, 0, 5, NULL,
	  "net: rework things", "[RFC PATCH net-next v2 0/5]" },
	{ "[PATCH bpf v2] bpf: fix a leak",
	  K_PATCH, 0, "bpf", 2, 0, 0, NULL,
	  "bpf: fix a leak", "[PATCH bpf v2]" },
	{ "[PATCH iproute2 net-next] ip: add bpf option",
	  K_PATCH, 0, "iproute2 net-next", 1, 0, 0, NULL,
	  "ip: add bpf option", "[PATCH iproute2 net-next]" },
	{ "[PATCH iproute2-next] tc: show bpf id",
	  K_PATCH, 0, "iproute2-next", 1, 0, 0, NULL,
	  "tc: show bpf id", "[PATCH iproute2-next]" },
	{ "[net-next PATCH] net: fix a race",
	  K_PATCH, 0, "net-next", 1, 0, 0, NULL,
	  "net: fix a race", "[PATCH net-next]" },
	{ "[PATCH 6.1.y] bpf: fix verifier crash",
	  K_PATCH, 0, "6.1.y", 1, 0, 0, NULL,
	  "bpf: fix verifier crash", "[PATCH 6.1.y]" },
	{ "[PATCH v2 RESEND bpf-next] selftests/bpf: add test",
	  K_PATCH, F_RESEND | 0, "bpf-next", 2, 0, 0, NULL,
	  "selftests/bpf: add test", "[PATCH RESEND bpf-next v2]" },
	{ "[PATCH bpf-next v3 00/11] bpf: Mitigate Spectre v1 using barriers",
	  K_PATCH, 0, "bpf-next", 3, 0, 11, NULL,
	  "bpf: Mitigate Spectre v1 using barriers", "[PATCH bpf-next v3 00/11]" },
	{ "[RFC][PATCH 1/10] sched: rework",
	  K_PATCH, F_RFC | 0, NULL, 1, 1, 10, NULL,
	  "sched: rework", "[RFC PATCH 01/10]" },
	{ "[GIT PULL] netfilter: updates for net",
	  K_PULL, 0, NULL, 1, 0, 0, NULL,
	  "netfilter: updates for net", "[GIT PULL]" },
	{ "[GIT PULL v2 net-next] netfilter: updates for net-next",
	  K_PULL, 0, "net-next", 2, 0, 0, NULL,
	  "netfilter: updates for net-next", "[GIT PULL net-next v2]" },
	{ "pull-request: bpf-next 2025-05-02",
	  K_PULL, 0, "bpf-next", 1, 0, 0, "2025-05-02",
	  "pull-request: bpf-next 2025-05-02", "[GIT PULL bpf-next]" },
	{ "Re: pull-request: bpf 2021-02-13",
	  K_PULL, F_RE | 0, "bpf", 1, 0, 0, "2021-02-13",
	  "pull-request: bpf 2021-02-13", "[GIT PULL bpf]" },
	{ "[PATCHv2 net-next 2/3] bonding: restructure ad_churn_machine",
	  K_PATCH, 0, "net-next", 2, 2, 3, NULL,
	  "bonding: restructure ad_churn_machine", "[PATCH net-next v2 2/3]" },
	{ "[PATCH net-next V2] net: fix thing",
	  K_PATCH, 0, "net-next", 2, 0, 0, NULL,
	  "net: fix thing", "[PATCH net-next v2]" },
	{ "[PATCH bpf-next v1 1/1] libbpf: fix thing",
	  K_PATCH, 0, "bpf-next", 1, 1, 1, NULL,
	  "libbpf: fix thing", "[PATCH bpf-next 1/1]" },
	{ "[PATCH v2 bpf-next 1/2] libbpf: fix thing",
	  K_PATCH, 0, "bpf-next", 2, 1, 2, NULL,
	  "libbpf: fix thing", "[PATCH bpf-next v2 1/2]" },
	{ "AW: [PATCH bpf] bpf: fix thing",
	  K_PATCH, F_RE | 0, "bpf", 1, 0, 0, NULL,
	  "bpf: fix thing", "[PATCH bpf]" },
	{ "Antw: [PATCH bpf] bpf: fix thing",
	  K_PATCH, F_RE | 0, "bpf", 1, 0, 0, NULL,
	  "bpf: fix thing", "[PATCH bpf]" },
	{ "Re[2]: [PATCH bpf] bpf: fix thing",
	  K_PATCH, F_RE | 0, "bpf", 1, 0, 0, NULL,
	  "bpf: fix thing", "[PATCH bpf]" },
	{ "Fwd: [PATCH bpf] bpf: fix thing",
	  K_PATCH, F_FWD | 0, "bpf", 1, 0, 0, NULL,
	  "bpf: fix thing", "[PATCH bpf]" },
	{ "Re: Re: RE: Fwd: [PATCH net 1/2] net: fix",
	  K_PATCH, F_RE | F_FWD | 0, "net", 1, 1, 2, NULL,
	  "net: fix", "[PATCH net 1/2]" },
	{ "Re:[PATCH]foo: bar",
	  K_PATCH, F_RE | 0, NULL, 1, 0, 0, NULL,
	  "foo: bar", "[PATCH]" },
	{ "[PATCH bpf-next] [v2] bpf: fix",
	  K_PATCH, 0, "bpf-next", 2, 0, 0, NULL,
	  "bpf: fix", "[PATCH bpf-next v2]" },
	{ "[RFC PATCH v3 bpf-next 3/4] bpf: x",
	  K_PATCH, F_RFC | 0, "bpf-next", 3, 3, 4, NULL,
	  "bpf: x", "[RFC PATCH bpf-next v3 3/4]" },
	{ "[PATCH RESEND net-next 1/3] net: y",
	  K_PATCH, F_RESEND | 0, "net-next", 1, 1, 3, NULL,
	  "net: y", "[PATCH RESEND net-next 1/3]" },
	{ "[ANN] net-next is CLOSED",
	  K_ANN, 0, NULL, 1, 0, 0, NULL,
	  "net-next is CLOSED", "[ANN]" },
	{ "Re: [ANN] net-next is OPEN",
	  K_ANN, F_RE | 0, NULL, 1, 0, 0, NULL,
	  "net-next is OPEN", "[ANN]" },
	{ "A plain discussion subject",
	  K_OTHER, 0, NULL, 1, 0, 0, NULL,
	  "A plain discussion subject", "" },
	{ "Re: bpf: question about the verifier",
	  K_OTHER, F_RE | 0, NULL, 1, 0, 0, NULL,
	  "bpf: question about the verifier", "" },
	{ "[PATCH 00/100] huge series",
	  K_PATCH, 0, NULL, 1, 0, 100, NULL,
	  "huge series", "[PATCH 000/100]" },
	{ "[PATCH bpf-next v2.1 3/5] bpf: revised",
	  K_PATCH, 0, "bpf-next", 2, 3, 5, NULL,
	  "bpf: revised", "[PATCH bpf-next v2 3/5]" },
	{ "[PATCH] ",
	  K_PATCH, 0, NULL, 1, 0, 0, NULL,
	  "", "[PATCH]" },
};

#define N_SUBJECTS (int)(sizeof(subject_cases) / sizeof(*subject_cases))

static void assert_str_or_null(const char *got, const char *want,
			       const char *what, const char *subject)
{
	if (!want)
		ck_assert_msg(!got, "%s: %s: want NULL, got \"%s\"", subject,
			      what, got);
	else
		ck_assert_msg(got && !strcmp(got, want),
			      "%s: %s: want \"%s\", got \"%s\"", subject, what,
			      want, got ? got : "(null)");
}

START_TEST(subject_real_world_forms)
{
	const struct subject_case *c = &subject_cases[_i];
	struct mail_subject s;
	struct sbuf sb = SBUF_INIT;

	mail_subject_parse(&s, c->subject);
	ck_assert_msg(s.kind == c->kind, "%s: kind %d", c->subject, s.kind);
	ck_assert_msg(s.flags == c->flags, "%s: flags %#x", c->subject,
		      s.flags);
	assert_str_or_null(s.tree, c->tree, "tree", c->subject);
	ck_assert_msg(s.version == c->version, "%s: version %u", c->subject,
		      s.version);
	ck_assert_msg(s.index == c->index && s.total == c->total,
		      "%s: %u/%u", c->subject, s.index, s.total);
	assert_str_or_null(s.date, c->date, "date", c->subject);
	assert_str_or_null(s.title, c->title, "title", c->subject);
	mail_subject_format_prefix(&s, &sb);
	assert_str_or_null(sb.buf, c->prefix, "prefix", c->subject);
	sbuf_release(&sb);
	mail_subject_release(&s);
}
END_TEST

/* prefix + title parses back to the same fields (but the Re: flags) */
START_TEST(subject_format_round_trip)
{
	const struct subject_case *c = &subject_cases[_i];
	struct mail_subject s, again;
	struct sbuf sb = SBUF_INIT;

	mail_subject_parse(&s, c->subject);
	if (s.kind != MAIL_SUBJECT_PATCH) {
		mail_subject_release(&s);
		return;
	}
	mail_subject_format_prefix(&s, &sb);
	sbuf_addf(&sb, " %s", s.title);
	mail_subject_parse(&again, sb.buf);
	ck_assert_int_eq(again.kind, s.kind);
	ck_assert_uint_eq(again.flags, s.flags & ~(F_RE | F_FWD));
	assert_str_or_null(again.tree, s.tree, "tree", sb.buf);
	ck_assert_uint_eq(again.version, s.version);
	ck_assert_uint_eq(again.index, s.index);
	ck_assert_uint_eq(again.total, s.total);
	ck_assert_str_eq(again.title, s.title);
	mail_subject_release(&again);
	mail_subject_release(&s);
	sbuf_release(&sb);
}
END_TEST

START_TEST(subject_format_pads_like_format_patch)
{
	static const struct {
		unsigned flags, version, index, total;
		const char *tree, *want;
	} t[] = {
		{ 0, 3, 2, 11, "bpf-next", "[PATCH bpf-next v3 02/11]" },
		{ 0, 3, 0, 11, "bpf-next", "[PATCH bpf-next v3 00/11]" },
		{ 0, 1, 7, 9, "bpf", "[PATCH bpf 7/9]" },
		{ 0, 1, 5, 123, NULL, "[PATCH 005/123]" },
		{ F_RFC, 3, 1, 11, "bpf-next", "[RFC PATCH bpf-next v3 01/11]" },
		{ F_RESEND, 2, 0, 0, "net", "[PATCH RESEND net v2]" },
		{ F_RFC | F_RESEND, 1, 0, 0, "bpf", "[RFC PATCH RESEND bpf]" },
		{ 0, 1, 0, 0, "iproute2 net-next", "[PATCH iproute2 net-next]" },
		{ 0, 1, 0, 0, NULL, "[PATCH]" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct mail_subject s = MAIL_SUBJECT_INIT;
		struct sbuf sb = SBUF_INIT;

		s.kind = MAIL_SUBJECT_PATCH;
		s.flags = t[i].flags;
		s.version = t[i].version;
		s.index = t[i].index;
		s.total = t[i].total;
		s.tree = (char *)t[i].tree;
		mail_subject_format_prefix(&s, &sb);
		ck_assert_str_eq(sb.buf, t[i].want);
		sbuf_release(&sb);
	}
}
END_TEST

START_TEST(subject_folded_header)
{
	struct mail_subject s;

	mail_subject_parse(&s, "Re: [PATCH bpf-next v3\r\n 02/11] bpf: Move insn"
			       "\r\n\tif/else into   do_check_insn()\r\n");
	ck_assert_int_eq(s.kind, K_PATCH);
	ck_assert_uint_eq(s.index, 2);
	ck_assert_uint_eq(s.total, 11);
	ck_assert_str_eq(s.title, "bpf: Move insn if/else into do_check_insn()");
	mail_subject_release(&s);
}
END_TEST

START_TEST(subject_rfc2047_decoded_with_gmime)
{
	char *d;
	struct mail_subject s;

	d = mail_subject_decode("=?UTF-8?q?=5BPATCH_bpf-next_v2_1/3=5D_selftests?="
				" =?UTF-8?q?/bpf:_thanks_Bj=C3=B6rn_T=C3=B6pel?=");
	ck_assert_str_eq(d, "[PATCH bpf-next v2 1/3] selftests/bpf: thanks "
			    "Bj\xc3\xb6rn T\xc3\xb6pel");
	mail_subject_parse(&s, d);
	ck_assert_str_eq(s.tree, "bpf-next");
	ck_assert_uint_eq(s.version, 2);
	ck_assert_str_eq(s.title, "selftests/bpf: thanks Bj\xc3\xb6rn T\xc3\xb6pel");
	mail_subject_release(&s);
	free(d);

	d = mail_subject_decode("=?iso-8859-1?q?AW=3A_=5BPATCH=5D_caf=E9?=");
	ck_assert_str_eq(d, "AW: [PATCH] caf\xc3\xa9");
	free(d);
	d = mail_subject_decode("=?utf-8?b?UmU6IFtQQVRDSCBuZXRdIOKAnHF1b3Rl4oCd?=");
	ck_assert_str_eq(d, "Re: [PATCH net] \xe2\x80\x9cquote\xe2\x80\x9d");
	free(d);
	/* raw invalid UTF-8 never comes through */
	d = mail_subject_decode("[PATCH] bad \xff\xfe byte\r\n folded");
	ck_assert(g_utf8_validate(d, -1, NULL));
	ck_assert(str_starts_with(d, "[PATCH] bad "));
	ck_assert(str_ends_with(d, " byte folded"));
	free(d);
}
END_TEST

START_TEST(subject_normalized_title)
{
	char *n;

	n = mail_subject_normalize_title("bpf: Fix  the_thing,  again!");
	ck_assert_str_eq(n, "bpf fix the thing again");
	free(n);
	n = mail_subject_normalize_title("  selftests/bpf: BJ\xc3\x96RN's test ");
	ck_assert_str_eq(n, "selftests bpf bj\xc3\xb6rn s test");
	free(n);
	n = mail_subject_normalize_title("");
	ck_assert_str_eq(n, "");
	free(n);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Real messages */

static void load(struct mail_message *m, const char *rel)
{
	char *path = t_fixture(rel);
	struct err err = ERR_INIT;

	if (mail_message_load(m, path, &err))
		ck_abort_msg("%s: %s", rel, err.msg);
	free(path);
}

START_TEST(message_headers_of_a_real_patch)
{
	struct mail_message m;
	struct mail_subject s;
	struct mail_body b;

	load(&m, "mail/series/2024-04-29_free-strdup-memory-in-sel/002.eml");
	ck_assert_str_eq(m.message_id, "b76f2f4c550aebe4ab8ea73d23c4cbe4f06ea996."
			 "1714374022.git.tanggeliang@kylinos.cn");
	ck_assert_str_eq(m.in_reply_to, "cover.1714374022.git.tanggeliang@kylinos.cn");
	ck_assert_uint_eq(m.references.n, 1);
	ck_assert_str_eq(m.references.items[0],
			 "cover.1714374022.git.tanggeliang@kylinos.cn");
	/* the header From, not git's in-body "From:" line */
	ck_assert_str_eq(m.from_name, "Geliang Tang");
	ck_assert_str_eq(m.from_email, "geliang@kernel.org");
	ck_assert_int_eq((long)m.date, 1714374453L); /* 2024-04-29 15:07:33 +0800 */
	ck_assert_int_ge(vec_find_str(&m.to, "andrii@kernel.org"), 0);
	ck_assert_int_ge(vec_find_str(&m.cc, "bpf@vger.kernel.org"), 0);
	ck_assert_str_eq(m.subject, "[PATCH bpf-next 1/2] selftests/bpf: Free "
			 "strdup memory in test_sockmap");
	mail_subject_parse(&s, m.subject);
	ck_assert_uint_eq(s.index, 1);
	mail_body_scan(&b, m.body);
	ck_assert(b.has_diff);
	ck_assert(b.has_diffstat);
	ck_assert_uint_eq(b.trailers.n, 1);
	mail_body_release(&b);
	mail_subject_release(&s);
	mail_message_release(&m);
}
END_TEST

/* Every fixture message: loads, has an id and a subject, is classified. */
static struct {
	size_t messages, patches, covers, replies, pulls, other, diffs;
	size_t notices, acks, reviews, tests;
	size_t what[MAIL_WHAT_PULL + 1];
} census;

static int census_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	struct mail_message m;
	struct mail_subject s;
	struct mail_body b;
	struct mail_botnotice n;
	struct err err = ERR_INIT;

	(void)st;
	(void)ftw;
	if (type != FTW_F || !str_ends_with(path, ".eml"))
		return 0;
	if (mail_message_load(&m, path, &err))
		ck_abort_msg("%s", err.msg);
	ck_assert_msg(m.message_id && *m.message_id, "%s: no id", path);
	ck_assert_msg(m.subject && *m.subject, "%s: no subject", path);
	ck_assert_msg(m.from_email, "%s: no from", path);
	ck_assert_msg(m.date > 1500000000, "%s: date", path);
	ck_assert_msg(g_utf8_validate(m.body, -1, NULL), "%s: body", path);
	census.messages++;
	mail_subject_parse(&s, m.subject);
	mail_body_scan(&b, m.body);
	if (s.flags & MAIL_SUBJECT_REPLY)
		census.replies++;
	else if (s.kind == MAIL_SUBJECT_PATCH && s.total && !s.index)
		census.covers++;
	else if (s.kind == MAIL_SUBJECT_PATCH)
		census.patches++;
	else if (s.kind == MAIL_SUBJECT_PULL)
		census.pulls++;
	else
		census.other++;
	/* a patch carries a diff; a reply or a cover letter does not */
	if (s.kind == MAIL_SUBJECT_PATCH && !(s.flags & MAIL_SUBJECT_REPLY) &&
	    (s.index || !s.total))
		ck_assert_msg(b.has_diff, "%s: patch without diff", path);
	if (b.has_diff)
		census.diffs++;
	census.what[mail_classify(m.from_email, &s, &b)]++;
	if (!mail_botnotice_parse(&n, m.body)) {
		census.notices++;
		/* netdevbpf, or linux-riscv's own instance */
		ck_assert(str_starts_with(m.from_email, "patchwork-bot+"));
		ck_assert_msg(n.items.n > 0, "%s: no items", path);
		mail_botnotice_release(&n);
	} else {
		ck_assert_msg(!str_starts_with(m.from_email, "patchwork-bot+"),
			      "%s: bot notice not parsed", path);
	}
	for (size_t i = 0; i < b.trailers.n; i++) {
		struct mail_trailer *t = b.trailers.items[i];

		if (t->kind == MAIL_TRAILER_ACKED)
			census.acks++;
		else if (t->kind == MAIL_TRAILER_REVIEWED)
			census.reviews++;
		else if (t->kind == MAIL_TRAILER_TESTED)
			census.tests++;
		if (t->kind <= MAIL_TRAILER_SIGNED_OFF)
			ck_assert_msg(t->email && strchr(t->email, '@'),
				      "%s: %s without address", path, t->value);
	}
	mail_body_release(&b);
	mail_subject_release(&s);
	mail_message_release(&m);
	return 0;
}

START_TEST(every_fixture_message_is_classified)
{
	char *dir = t_fixture("mail");

	memset(&census, 0, sizeof(census));
	ck_assert_int_eq(nftw(dir, census_one, 16, FTW_PHYS), 0);
	free(dir);
	/*
	 * From grep over the fixture files: 196 .eml files, 51 from
	 * patchwork-bot, each with a line "^This (series|patch|pull
	 * request) was applied to" (34 in bot-notices/, 17 in threads);
	 * 7 cover letters, 51 patches; of the 83 other "Re:" messages 48
	 * have an Acked/Reviewed/Tested/Nacked-by or pw-bot line.
	 */
	ck_assert_uint_eq(census.messages, 196);
	ck_assert_uint_eq(census.notices, 34 + 17);
	ck_assert_uint_eq(census.covers, 7);
	ck_assert_uint_ge(census.replies, 120);
	ck_assert_uint_ge(census.acks, 30);
	ck_assert_uint_ge(census.reviews, 5);
	ck_assert_uint_ge(census.tests, 1);
	ck_assert_uint_eq(census.pulls, 3);
	ck_assert_uint_eq(census.what[MAIL_WHAT_BOT_NOTICE], 51);
	ck_assert_uint_eq(census.what[MAIL_WHAT_COVER], 7);
	ck_assert_uint_eq(census.what[MAIL_WHAT_PATCH], 51);
	ck_assert_uint_eq(census.what[MAIL_WHAT_REVIEW], 48);
	ck_assert_uint_eq(census.what[MAIL_WHAT_REPLY], 35);
	ck_assert_uint_eq(census.what[MAIL_WHAT_PULL], 3);
	/* "Netfilter updates for net-next (v2)": a pull request untagged */
	ck_assert_uint_eq(census.what[MAIL_WHAT_DISCUSSION], 1);
}
END_TEST

/* Expected values from grep over each file's "This ... was applied" lines. */
static const struct notice_case {
	const char *file;
	enum mail_botnotice_what what;
	const char *repo, *branch, *by_email;
	size_t items, unmatched;
} notice_cases[] = {
	{ "2020-10-14_selftests-netfilter-extend-nfq.eml",
	  MAIL_BOT_SERIES, "netdev/net.git", "master", NULL, 4, 0 },
	{ "2020-11-16_selftests-bpf-fix-error-return.eml",
	  MAIL_BOT_PATCH, "bpf/bpf.git", "master", NULL, 1, 0 },
	{ "2020-12-04_seg6-add-support-for-srv6-end.eml",
	  MAIL_BOT_SERIES, "netdev/net-next.git", "master", NULL, 8, 0 },
	{ "2020-12-10_selftests-bpf-xsk-selftests-ad.eml",
	  MAIL_BOT_PATCH, "bpf/bpf-next.git", "master", NULL, 1, 0 },
	{ "2021-01-06_selftests-fix-the-return-value.eml",
	  MAIL_BOT_PATCH, "netdev/net.git", "master", NULL, 1, 0 },
	{ "2021-01-14_selftests-bpf-some-build-fixes.eml",
	  MAIL_BOT_SERIES, "bpf/bpf-next.git", "master", NULL, 5, 0 },
	{ "2021-01-20_selftests-forwarding-fix-spell.eml",
	  MAIL_BOT_PATCH, "netdev/net-next.git", "master", NULL, 1, 0 },
	{ "2021-10-09_selftests-tls-add-sm4-gcm-ccm.eml",
	  MAIL_BOT_PATCH, "netdev/net-next.git", "master", "kuba@kernel.org", 1, 0 },
	{ "2021-10-18_selftests-tls-add-sm4-algorith.eml",
	  MAIL_BOT_PATCH, "netdev/net.git", "master", "davem@davemloft.net", 1, 0 },
	{ "2021-10-20_selftests-bpf-remove-duplicate.eml",
	  MAIL_BOT_PATCH, "bpf/bpf-next.git", "master", "andrii@kernel.org", 1, 0 },
	{ "2021-11-03_kselftests-net-add-missed-test.eml",
	  MAIL_BOT_SERIES, "netdev/net.git", "master", "davem@davemloft.net", 5, 0 },
	{ "2021-11-04_selftests-net-reuseport-bpf-nu.eml",
	  MAIL_BOT_PATCH, "bpf/bpf.git", "master", "daniel@iogearbox.net", 1, 0 },
	{ "2021-12-16_tools-bpf-enable-cross-buildin.eml",
	  MAIL_BOT_SERIES, "bpf/bpf-next.git", "master", "andrii@kernel.org", 6, 0 },
	{ "2022-02-01_selftests-fib-rule-small-inter.eml",
	  MAIL_BOT_SERIES, "netdev/net-next.git", "master", "davem@davemloft.net", 4, 0 },
	{ "2022-02-08_inet-separate-dscp-from-ecn-bi.eml",
	  MAIL_BOT_SERIES, "netdev/net-next.git", "master", "kuba@kernel.org", 4, 1 },
	{ "2022-04-06_bpf-support-dual-stack-sockets.eml",
	  MAIL_BOT_SERIES, "bpf/bpf.git", "master", "ast@kernel.org", 2, 0 },
	{ "2022-04-11_drop-duplicate-max-min-definit.eml",
	  MAIL_BOT_SERIES, "bpf/bpf-next.git", "master", "daniel@iogearbox.net", 2, 1 },
	{ "2022-08-26_introduce-ebpf-support-for-hid.eml",
	  MAIL_BOT_SERIES, "bpf/bpf-next.git", "master", "ast@kernel.org", 23, 21 },
	{ "2023-03-11_mptcp-fixes-for-6-3.eml",
	  MAIL_BOT_SERIES, "netdev/net.git", "main", "kuba@kernel.org", 8, 0 },
	{ "2023-03-17_selftests-net-devlink-port-spl.eml",
	  MAIL_BOT_PATCH, "netdev/net.git", "main", "kuba@kernel.org", 1, 0 },
	{ "2023-03-22_net-zerocopy-reduce-compound-p.eml",
	  MAIL_BOT_SERIES, "netdev/net-next.git", "main", "pabeni@redhat.com", 2, 0 },
	{ "2023-03-27_selftests-tls-add-a-test-for-q.eml",
	  MAIL_BOT_PATCH, "netdev/net-next.git", "main", "davem@davemloft.net", 1, 0 },
	{ "2023-08-03_selftests-riscv-fix-compilatio.eml",
	  MAIL_BOT_PATCH, "riscv/linux.git", "fixes", "palmer@rivosinc.com", 1, 0 },
	{ "2023-08-30_risc-v-mm-make-sv48-the-defaul.eml",
	  MAIL_BOT_SERIES, "riscv/linux.git", "for-next", "palmer@rivosinc.com", 4, 0 },
	{ "2023-11-12_add-loongarch-and-riscv-suppor.eml",
	  MAIL_BOT_SERIES, "riscv/linux.git", "fixes", "skhan@linuxfoundation.org", 2, 0 },
	{ "2024-04-10_selftests-sud-test-return-corr.eml",
	  MAIL_BOT_PATCH, "riscv/linux.git", "for-next", "palmer@rivosinc.com", 1, 0 },
	{ "2024-07-29_sysctl-constification-change-2.eml",
	  MAIL_BOT_PULL, "riscv/linux.git", "for-next", "torvalds@linux-foundation.org", 1, 0 },
	{ "2024-07-29_sysctl-constification-changes.eml",
	  MAIL_BOT_PULL, "riscv/linux.git", "fixes", "torvalds@linux-foundation.org", 1, 0 },
	{ "2024-10-01_selftests-bpf-new-mptcp-subflo.eml",
	  MAIL_BOT_SERIES, "bpf/bpf-next.git", "net", "martin.lau@kernel.org", 3, 0 },
	{ "2024-10-08_selftests-bpf-add-missing-head.eml",
	  MAIL_BOT_PATCH, "bpf/bpf-next.git", "net", "martin.lau@kernel.org", 1, 0 },
	{ "2025-08-08_dualpi2-iproute2-patch.eml",
	  MAIL_BOT_SERIES, "iproute2/iproute2.git", "main", "stephen@networkplumber.org", 3, 0 },
	{ "2025-09-11_iplink-bond-slave-add-support.eml",
	  MAIL_BOT_PATCH, "iproute2/iproute2-next.git", "main", "dsahern@kernel.org", 1, 0 },
	{ "2025-10-09_update-kernel-doc-for-memblock.eml",
	  MAIL_BOT_PATCH, "riscv/linux.git", "for-next", "rppt@kernel.org", 1, 0 },
	{ "2025-12-09_add-numa-mempolicy-support-for.eml",
	  MAIL_BOT_SERIES, "jaegeuk/f2fs.git", "dev", "seanjc@google.com", 7, 5 },
};

START_TEST(bot_notices_parse)
{
	const struct notice_case *c = &notice_cases[_i];
	struct sbuf rel = SBUF_INIT;
	struct mail_message m;
	struct mail_botnotice n;
	size_t unmatched = 0;

	sbuf_addf(&rel, "mail/bot-notices/%s", c->file);
	load(&m, rel.buf);
	ck_assert_msg(!mail_botnotice_parse(&n, m.body), "%s", c->file);
	ck_assert_int_eq(n.what, c->what);
	ck_assert_str_eq(n.repo, c->repo);
	ck_assert_str_eq(n.branch, c->branch);
	assert_str_or_null(n.by_email, c->by_email, "by", c->file);
	if (c->by_email)
		ck_assert_ptr_nonnull(n.by_name);
	ck_assert_uint_eq(n.items.n, c->items);
	for (size_t i = 0; i < n.items.n; i++) {
		struct mail_botitem *it = n.items.items[i];

		ck_assert(*it->subject && *it->title);
		if (!it->commit_url) {
			unmatched++;
			ck_assert_ptr_null(it->commit);
		} else {
			ck_assert(str_starts_with(it->commit_url,
						  "https://git.kernel.org/"));
			ck_assert_uint_ge(strlen(it->commit), 12);
		}
	}
	ck_assert_uint_eq(unmatched, c->unmatched);
	mail_botnotice_release(&n);
	mail_message_release(&m);
	sbuf_release(&rel);
}
END_TEST

START_TEST(bot_notice_series_items)
{
	struct mail_message m;
	struct mail_botnotice n;
	struct mail_botitem *it;
	char *to;

	load(&m, "mail/series/2025-05-01_bpf-mitigate-spectre-v1-u/025.eml");
	ck_assert_int_eq(mail_botnotice_parse(&n, m.body), 0);
	ck_assert_int_eq(n.what, MAIL_BOT_SERIES);
	to = mail_botnotice_applied_to(&n);
	ck_assert_str_eq(to, "bpf/bpf-next.git (master)");
	free(to);
	ck_assert_str_eq(n.by_name, "Alexei Starovoitov");
	ck_assert_str_eq(n.by_email, "ast@kernel.org");
	ck_assert_uint_eq(n.items.n, 11);
	for (size_t i = 0; i < n.items.n; i++) {
		it = n.items.items[i];
		ck_assert_uint_eq(it->index, i + 1);
		ck_assert_uint_eq(it->total, 11);
	}
	it = n.items.items[1];
	ck_assert_str_eq(it->title, "bpf: Move insn if/else into do_check_insn()");
	ck_assert(str_starts_with(it->subject, "[bpf-next,v3,02/11] "));
	mail_botnotice_release(&n);
	mail_message_release(&m);

	/* "(no matching commit)": a partly applied series */
	load(&m, "mail/bot-notices/2022-08-26_introduce-ebpf-support-for-hid.eml");
	ck_assert_int_eq(mail_botnotice_parse(&n, m.body), 0);
	it = n.items.items[0];
	ck_assert_str_eq(it->title, "bpf/verifier: allow all functions to read "
			 "user provided context");
	ck_assert_uint_eq(it->index, 1);
	ck_assert_uint_eq(it->total, 23);
	ck_assert_ptr_null(it->commit_url);
	mail_botnotice_release(&n);
	mail_message_release(&m);
}
END_TEST

START_TEST(bot_notice_for_a_pull_request)
{
	struct mail_message m;
	struct mail_botnotice n;
	struct mail_botitem *it;

	load(&m, "mail/pulls/bpf/bot-reply-bpf-next-2025-05-02.eml");
	ck_assert_str_eq(m.message_id, "174648969281.970984.802430710077286674."
			 "git-patchwork-notify@kernel.org");
	ck_assert_str_eq(m.in_reply_to, "20250503010755.4030524-1-martin.lau@linux.dev");
	ck_assert_int_eq(mail_botnotice_parse(&n, m.body), 0);
	ck_assert_int_eq(n.what, MAIL_BOT_PULL);
	ck_assert_str_eq(n.repo, "netdev/net-next.git");
	ck_assert_str_eq(n.branch, "main");
	ck_assert_str_eq(n.by_email, "kuba@kernel.org");
	ck_assert_uint_eq(n.items.n, 1);
	it = n.items.items[0];
	ck_assert_str_eq(it->subject, "pull-request: bpf-next 2025-05-02");
	ck_assert_str_eq(it->commit, "b4cd2ee54ca4");
	mail_botnotice_release(&n);
	mail_message_release(&m);
}
END_TEST

START_TEST(bot_notice_rejects_other_text)
{
	struct mail_botnotice n;

	ck_assert_int_eq(mail_botnotice_parse(&n, "Hello:\n\nThanks!\n"), -1);
	ck_assert_int_eq(mail_botnotice_parse(&n,
		"> This series was applied to bpf/bpf-next.git (master)\n"
		"> by Andrii Nakryiko <andrii@kernel.org>:\n"), -1);
	ck_assert_int_eq(mail_botnotice_parse(&n,
		"This series was applied to nowhere\n"), -1);
	ck_assert_int_eq(mail_botnotice_parse(&n, ""), -1);
	ck_assert_int_eq(mail_botnotice_parse(&n, NULL), -1);
}
END_TEST

/* -------------------------------------------------------------------- */
/* pw-bot */

static const struct {
	const char *file;
	enum mail_pwbot_cmd cmd;
	const char *word, *pv;
} pwbot_cases[] = {
	{ "pv-bot-24h.eml", MAIL_PWBOT_NONE, NULL, "24h" },
	{ "pv-bot-closed.eml", MAIL_PWBOT_DEFER, "defer", "closed" },
	{ "pw-bot-accept.eml", MAIL_PWBOT_ACCEPTED, "accept", NULL },
	{ "pw-bot-accepted.eml", MAIL_PWBOT_ACCEPTED, "accepted", NULL },
	{ "pw-bot-au.eml", MAIL_PWBOT_AWAITING_UPSTREAM, "au", NULL },
	{ "pw-bot-awaiting-upstream.eml", MAIL_PWBOT_AWAITING_UPSTREAM,
	  "awaiting-upstream", NULL },
	{ "pw-bot-changes-requested.eml", MAIL_PWBOT_CHANGES_REQUESTED,
	  "changes-requested", NULL },
	/* "pw-bot: cr=0A=" in the file: GMime's QP decoding gives "cr" */
	{ "pw-bot-cr-0a-quoted-printable.eml", MAIL_PWBOT_CHANGES_REQUESTED,
	  "cr", NULL },
	{ "pw-bot-cr.eml", MAIL_PWBOT_CHANGES_REQUESTED, "cr", NULL },
	{ "pw-bot-defer.eml", MAIL_PWBOT_DEFER, "defer", NULL },
	{ "pw-bot-deferred.eml", MAIL_PWBOT_DEFER, "deferred", NULL },
	{ "pw-bot-nap.eml", MAIL_PWBOT_NOT_APPLICABLE, "nap", NULL },
	{ "pw-bot-not-applicable.eml", MAIL_PWBOT_NOT_APPLICABLE,
	  "not-applicable", NULL },
	{ "pw-bot-reject.eml", MAIL_PWBOT_REJECT, "reject", NULL },
	{ "pw-bot-under-review.eml", MAIL_PWBOT_UNDER_REVIEW, "under-review",
	  NULL },
};

START_TEST(pwbot_commands_from_real_replies)
{
	struct sbuf rel = SBUF_INIT;
	struct mail_message m;
	struct mail_body b;

	sbuf_addf(&rel, "mail/pw-bot-commands/%s", pwbot_cases[_i].file);
	load(&m, rel.buf);
	mail_body_scan(&b, m.body);
	ck_assert_msg(b.pwbot == pwbot_cases[_i].cmd, "%s: %s", rel.buf,
		      mail_pwbot_name(b.pwbot));
	assert_str_or_null(b.pwbot_word, pwbot_cases[_i].word, "word", rel.buf);
	assert_str_or_null(b.pvbot_word, pwbot_cases[_i].pv, "pv", rel.buf);
	mail_body_release(&b);
	mail_message_release(&m);
	sbuf_release(&rel);
}
END_TEST

START_TEST(pwbot_words)
{
	ck_assert_int_eq(mail_pwbot_parse_word("cr"), MAIL_PWBOT_CHANGES_REQUESTED);
	ck_assert_int_eq(mail_pwbot_parse_word("CR"), MAIL_PWBOT_CHANGES_REQUESTED);
	ck_assert_int_eq(mail_pwbot_parse_word("deffer"), MAIL_PWBOT_DEFER);
	ck_assert_int_eq(mail_pwbot_parse_word("rejected"), MAIL_PWBOT_REJECT);
	ck_assert_int_eq(mail_pwbot_parse_word("superseded"), MAIL_PWBOT_SUPERSEDED);
	ck_assert_int_eq(mail_pwbot_parse_word("rfc"), MAIL_PWBOT_RFC);
	ck_assert_int_eq(mail_pwbot_parse_word("closed"), MAIL_PWBOT_OTHER);
	ck_assert_int_eq(mail_pwbot_parse_word(""), MAIL_PWBOT_NONE);
	ck_assert_int_eq(mail_pwbot_parse_word(NULL), MAIL_PWBOT_NONE);
	ck_assert_str_eq(mail_pwbot_name(MAIL_PWBOT_DEFER), "deferred");
}
END_TEST

START_TEST(pwbot_quoted_is_not_a_command)
{
	struct mail_body b;

	mail_body_scan(&b, "> -- \n> pw-bot: cr\n\nI disagree.\n");
	ck_assert_int_eq(b.pwbot, MAIL_PWBOT_NONE);
	mail_body_release(&b);
	mail_body_scan(&b, "pw-bot: cr\r\nmore\r\n-- \r\npw-bot: defer\r\n");
	ck_assert_int_eq(b.pwbot, MAIL_PWBOT_DEFER);	/* the last one */
	ck_assert_str_eq(b.pwbot_word, "defer");
	mail_body_release(&b);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Trailers */

static const struct mail_trailer *trailer(const struct mail_body *b,
					  size_t i)
{
	ck_assert_uint_gt(b->trailers.n, i);
	return b->trailers.items[i];
}

START_TEST(trailers_from_real_review_replies)
{
	struct mail_message m;
	struct mail_body b;
	const struct mail_trailer *t;
	const char *dir = "mail/series/2025-05-01_bpf-mitigate-spectre-v1-u/";
	struct sbuf rel = SBUF_INIT;

	/* Acked-by after the quoted patch, which has "> Signed-off-by:" */
	sbuf_addf(&rel, "%s013.eml", dir);
	load(&m, rel.buf);
	mail_body_scan(&b, m.body);
	ck_assert_uint_eq(b.trailers.n, 1);
	t = trailer(&b, 0);
	ck_assert_int_eq(t->kind, MAIL_TRAILER_ACKED);
	ck_assert_str_eq(t->key, "Acked-by");
	ck_assert_str_eq(t->name, "Kumar Kartikeya Dwivedi");
	ck_assert_str_eq(t->email, "memxor@gmail.com");
	ck_assert(!b.has_diff);
	mail_body_release(&b);
	mail_message_release(&m);

	sbuf_reset(&rel);
	sbuf_addf(&rel, "%s014.eml", dir);
	load(&m, rel.buf);
	mail_body_scan(&b, m.body);
	ck_assert_uint_eq(b.trailers.n, 1);
	t = trailer(&b, 0);
	ck_assert_int_eq(t->kind, MAIL_TRAILER_TESTED);
	ck_assert_str_eq(t->name, "Eduard Zingerman");
	ck_assert_str_eq(t->email, "eddyz87@gmail.com");
	mail_body_release(&b);
	mail_message_release(&m);

	/* quotes "> Acked-by: Henriette Herzog": nothing of its own */
	sbuf_reset(&rel);
	sbuf_addf(&rel, "%s015.eml", dir);
	load(&m, rel.buf);
	ck_assert_ptr_nonnull(strstr(m.body, "> Acked-by: Henriette Herzog"));
	mail_body_scan(&b, m.body);
	ck_assert_uint_eq(b.trailers.n, 0);
	mail_body_release(&b);
	mail_message_release(&m);

	/* the patch's own trailers, in order */
	sbuf_reset(&rel);
	sbuf_addf(&rel, "%s004.eml", dir);
	load(&m, rel.buf);
	mail_body_scan(&b, m.body);
	ck_assert_uint_eq(b.trailers.n, 5);
	ck_assert(b.has_diff);
	t = trailer(&b, 1);
	ck_assert_int_eq(t->kind, MAIL_TRAILER_REVIEWED);
	ck_assert_str_eq(t->email, "eddyz87@gmail.com");
	t = trailer(&b, 2);
	ck_assert_int_eq(t->kind, MAIL_TRAILER_ACKED);
	ck_assert_str_eq(t->name, "Henriette Herzog");
	mail_body_release(&b);
	mail_message_release(&m);

	/* an Outlook-style "RE:" reply */
	load(&m, "mail/series/2024-04-29_free-strdup-memory-in-sel/006.eml");
	mail_body_scan(&b, m.body);
	ck_assert_uint_eq(b.trailers.n, 1);
	t = trailer(&b, 0);
	ck_assert_str_eq(t->name, "John Fastabend");
	ck_assert_str_eq(t->email, "john.fastabend@gmail.com");
	mail_body_release(&b);
	mail_message_release(&m);
	sbuf_release(&rel);
}
END_TEST

START_TEST(trailers_quoted_or_in_a_diff_are_not_taken)
{
	struct mail_body b;

	mail_body_scan(&b,
		"On Mon, Jane wrote:\n"
		"> Signed-off-by: Jane Doe <jane@example.org>\n"
		">> Acked-by: Old Ack <old@example.org>\n"
		"  > Reviewed-by: Indented Quote <iq@example.org>\n"
		"> ---\n"
		"> diff --git a/x b/x\n"
		"\n"
		"Looks good.\n"
		"\n"
		"Reviewed-by: John Roe <john@example.org>\n");
	ck_assert_uint_eq(b.trailers.n, 1);
	ck_assert_str_eq(trailer(&b, 0)->email, "john@example.org");
	ck_assert(!b.has_diff);
	mail_body_release(&b);

	mail_body_scan(&b,
		"bpf: document trailers\n"
		"\n"
		"Signed-off-by: Jane Doe <jane@example.org>\r\n"
		"---\n"
		" Documentation/x.rst | 2 ++\n"
		" 1 file changed, 2 insertions(+)\n"
		"\n"
		"diff --git a/Documentation/x.rst b/Documentation/x.rst\n"
		"index 1111111..2222222 100644\n"
		"--- a/Documentation/x.rst\n"
		"+++ b/Documentation/x.rst\n"
		"@@ -1,3 +1,5 @@\n"
		" Acked-by: Context Line <ctx@example.org>\n"
		"+Acked-by: Added Line <add@example.org>\n"
		"-Reviewed-by: Removed Line <rm@example.org>\n"
		"\n"
		"Tested-by: Blank Context <blank@example.org>\n"
		"-- \n"
		"2.43.0\n");
	ck_assert(b.has_diff);
	ck_assert(b.has_diffstat);
	/*
	 * Only the commit message's own; "Tested-by" after the blank
	 * context line ends the diff, so it is the message's text again.
	 */
	ck_assert_uint_eq(b.trailers.n, 2);
	ck_assert_int_eq(trailer(&b, 0)->kind, MAIL_TRAILER_SIGNED_OFF);
	ck_assert_str_eq(trailer(&b, 1)->email, "blank@example.org");
	mail_body_release(&b);

	/* "--- a" / "+++ b" without "diff --git" is a diff too */
	mail_body_scan(&b, "--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-x\n+y\n");
	ck_assert(b.has_diff);
	mail_body_release(&b);
}
END_TEST

START_TEST(trailer_kinds_spelled_from_the_table)
{
	ck_assert_str_eq(mail_trailer_kind_key(MAIL_TRAILER_ACKED), "Acked-by");
	ck_assert_str_eq(mail_trailer_kind_key(MAIL_TRAILER_REVIEWED),
			 "Reviewed-by");
	ck_assert_str_eq(mail_trailer_kind_key(MAIL_TRAILER_NACKED),
			 "Nacked-by");
	ck_assert_str_eq(mail_trailer_kind_key(MAIL_TRAILER_FIXES), "Fixes");
	ck_assert_ptr_null(mail_trailer_kind_key(MAIL_TRAILER_OTHER));
	ck_assert(mail_trailer_is_review(MAIL_TRAILER_TESTED));
	ck_assert(mail_trailer_is_review(MAIL_TRAILER_NACKED));
	ck_assert(!mail_trailer_is_review(MAIL_TRAILER_SIGNED_OFF));
	ck_assert(!mail_trailer_is_review(MAIL_TRAILER_REPORTED));
}
END_TEST

/* A trailer wrapped over two lines, a scope, a signature. */
START_TEST(trailers_wrapped_scoped_and_signed)
{
	struct mail_body b;
	const struct mail_trailer *t;

	mail_body_scan(&b, "For patches 1-3:\n\nAcked-by: Sam <sam@x.org>\n"
		       "\nOther words.\nReviewed-by: Very Long Name\n"
		       " <long@x.org>\nTested-by: Tess <tess@x.org>\n"
		       "[for the arm64 parts]\nFixes: 0123456789ab (\"bpf: a "
		       "long\n title\")\n-- \nAcked-by: Sig <sig@x.org>\n");
	ck_assert_int_eq(b.trailers.n, 4);
	t = b.trailers.items[0];
	ck_assert_str_eq(t->scope, "For patches 1-3:");
	t = b.trailers.items[1];
	ck_assert_str_eq(t->value, "Very Long Name <long@x.org>");
	ck_assert_str_eq(t->email, "long@x.org");
	ck_assert_ptr_eq(t->scope, NULL);
	t = b.trailers.items[2];
	ck_assert_str_eq(t->scope, "[for the arm64 parts]");
	t = b.trailers.items[3];
	ck_assert_str_eq(t->value, "0123456789ab (\"bpf: a long title\")");
	mail_body_release(&b);
}
END_TEST

START_TEST(trailer_lines)
{
	static const struct {
		const char *line;
		int ok;
		enum mail_trailer_kind kind;
		const char *key, *value, *name, *email;
	} t[] = {
		{ "Acked-by: Jane Doe <jane@example.org>", 0, MAIL_TRAILER_ACKED,
		  "Acked-by", "Jane Doe <jane@example.org>", "Jane Doe",
		  "jane@example.org" },
		{ "Reviewed-by: \"Doe, Jane\" <jane@example.org>", 0,
		  MAIL_TRAILER_REVIEWED, "Reviewed-by",
		  "\"Doe, Jane\" <jane@example.org>", "Doe, Jane",
		  "jane@example.org" },
		{ "acked-BY: jane@example.org  ", 0, MAIL_TRAILER_ACKED,
		  "acked-BY", "jane@example.org", NULL, "jane@example.org" },
		{ "Tested-by: Jane Doe <jane@example.org> # arm64", 0,
		  MAIL_TRAILER_TESTED, "Tested-by",
		  "Jane Doe <jane@example.org> # arm64", "Jane Doe",
		  "jane@example.org" },
		{ "Nacked-by: N. Ack <n@example.org>", 0, MAIL_TRAILER_NACKED,
		  "Nacked-by", "N. Ack <n@example.org>", "N. Ack",
		  "n@example.org" },
		{ "NAKed-by: N <n@example.org>", 0, MAIL_TRAILER_NACKED,
		  "NAKed-by", "N <n@example.org>", "N", "n@example.org" },
		{ "Reported-by: syzbot+abc@syzkaller.appspotmail.com", 0,
		  MAIL_TRAILER_REPORTED, "Reported-by",
		  "syzbot+abc@syzkaller.appspotmail.com", NULL,
		  "syzbot+abc@syzkaller.appspotmail.com" },
		{ "Signed-off-by: J\xc3\xb6rg R\xc3\xb6\xc3\x9f <jr@example.org>",
		  0, MAIL_TRAILER_SIGNED_OFF, "Signed-off-by",
		  "J\xc3\xb6rg R\xc3\xb6\xc3\x9f <jr@example.org>",
		  "J\xc3\xb6rg R\xc3\xb6\xc3\x9f", "jr@example.org" },
		{ "Fixes: 22fe54d5fefc (\"netfilter: add it\")", 0,
		  MAIL_TRAILER_FIXES, "Fixes",
		  "22fe54d5fefc (\"netfilter: add it\")", NULL, NULL },
		{ "Co-developed-by: Co Dev <co@example.org>", 0,
		  MAIL_TRAILER_OTHER, "Co-developed-by",
		  "Co Dev <co@example.org>", "Co Dev", "co@example.org" },
		{ "Link: https://lore.kernel.org/bpf/x@y/", 0,
		  MAIL_TRAILER_OTHER, "Link", "https://lore.kernel.org/bpf/x@y/",
		  NULL, NULL },
		{ "Acked-by: Jane Doe", 0, MAIL_TRAILER_ACKED, "Acked-by",
		  "Jane Doe", "Jane Doe", NULL },
		{ "Acked-by:", -1, 0, NULL, NULL, NULL, NULL },
		{ "Acked-by:Jane <j@x.org>", -1, 0, NULL, NULL, NULL, NULL },
		{ " Acked-by: Jane <j@x.org>", -1, 0, NULL, NULL, NULL, NULL },
		{ "Subject: [PATCH] x", -1, 0, NULL, NULL, NULL, NULL },
		{ "Note: this is prose", -1, 0, NULL, NULL, NULL, NULL },
		{ "pw-bot: cr", -1, 0, NULL, NULL, NULL, NULL },
		{ "", -1, 0, NULL, NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct mail_trailer tr;
		int ret = mail_trailer_parse_line(&tr, t[i].line);

		ck_assert_msg(ret == t[i].ok, "%s: %d", t[i].line, ret);
		if (ret)
			continue;
		ck_assert_int_eq(tr.kind, t[i].kind);
		ck_assert_str_eq(tr.key, t[i].key);
		ck_assert_str_eq(tr.value, t[i].value);
		assert_str_or_null(tr.name, t[i].name, "name", t[i].line);
		assert_str_or_null(tr.email, t[i].email, "email", t[i].line);
		mail_trailer_release(&tr);
	}
	ck_assert_str_eq(mail_trailer_kind_name(MAIL_TRAILER_REVIEWED),
			 "reviewed-by");
}
END_TEST

/* -------------------------------------------------------------------- */
/* Pull requests */

START_TEST(pull_request_bpf_next_2025_05_02)
{
	struct mail_message m;
	struct mail_pull p;
	size_t merges = 0;

	load(&m, "mail/pulls/bpf/pull-request-bpf-next-2025-05-02.eml");
	ck_assert_int_eq(mail_pull_parse(&p, m.subject, m.body), 0);
	ck_assert_str_eq(p.tree, "bpf-next");
	ck_assert_str_eq(p.date, "2025-05-02");
	ck_assert_str_eq(p.target, "net-next");
	ck_assert_str_eq(p.url, "https://git.kernel.org/pub/scm/linux/kernel/"
			 "git/bpf/bpf-next.git");
	ck_assert_str_eq(p.tag, "tags/for-netdev");
	ck_assert_str_eq(p.base_commit, "8ff6175139967cd17b2a62bca4b2de2559942b7e");
	ck_assert_str_eq(p.head_commit, "30190f82a1a9eb555703879cfe835627cff7a0e2");
	/* 14 non-merge commits and 2 merges: 16 shortlog lines */
	ck_assert_uint_eq(p.shortlog.n, 16);
	ck_assert_uint_eq(p.title_authors.n, 16);
	ck_assert_uint_eq(p.authors.n, 4);
	ck_assert_str_eq(p.authors.items[0], "Amery Hung");
	ck_assert_str_eq(p.authors.items[1], "Feng Yang");
	ck_assert_str_eq(p.authors.items[2], "Jordan Rife");
	ck_assert_str_eq(p.authors.items[3], "Martin KaFai Lau");
	ck_assert_str_eq(p.shortlog.items[0],
			 "bpf: net_sched: Fix using bpf qdisc as default qdisc");
	ck_assert_str_eq(p.shortlog.items[6], "selftests/bpf: Fix compilation errors");
	ck_assert_str_eq(p.title_authors.items[6], "Feng Yang");
	ck_assert_str_eq(p.shortlog.items[13], "selftests/bpf: Add tests for "
			 "bucket resume logic in UDP socket iterators");
	ck_assert_str_eq(p.title_authors.items[13], "Jordan Rife");
	ck_assert_str_eq(p.shortlog.items[15],
			 "Merge branch 'fix-bpf-qdisc-bugs-and-clean-up'");
	for (size_t i = 0; i < p.shortlog.n; i++)
		if (str_starts_with(p.shortlog.items[i], "Merge branch "))
			merges++;
	ck_assert_uint_eq(merges, 2);
	mail_pull_release(&p);
	mail_message_release(&m);
}
END_TEST

START_TEST(pull_request_bpf_2021_02_13)
{
	struct mail_message m;
	struct mail_pull p;

	load(&m, "mail/pulls/bpf/pull-request-bpf-2021-02-13.eml");
	ck_assert_int_eq(mail_pull_parse(&p, m.subject, m.body), 0);
	ck_assert_str_eq(p.tree, "bpf");
	ck_assert_str_eq(p.date, "2021-02-13");
	ck_assert_str_eq(p.target, "net");
	/* the request-pull URL has a trailing blank and no tag */
	ck_assert_str_eq(p.url, "https://git.kernel.org/pub/scm/linux/kernel/"
			 "git/bpf/bpf.git");
	ck_assert_ptr_null(p.tag);
	ck_assert_str_eq(p.base_commit, "291009f656e8eaebbdfd3a8d99f6b190a9ce9deb");
	ck_assert_str_eq(p.head_commit, "9b00f1b78809309163dda2d044d9e94a3c0248a3");
	ck_assert_uint_eq(p.shortlog.n, 2);
	ck_assert_str_eq(p.authors.items[0], "Bj\xc3\xb6rn T\xc3\xb6pel");
	ck_assert_str_eq(p.shortlog.items[0],
			 "selftests/bpf: Convert test_xdp_redirect.sh to bash");
	ck_assert_str_eq(p.authors.items[1], "Daniel Borkmann");
	ck_assert_str_eq(p.shortlog.items[1], "bpf: Fix truncation handling for "
			 "mod32 dst reg wrt zero");
	mail_pull_release(&p);
	mail_message_release(&m);
}
END_TEST

START_TEST(pull_request_netfilter)
{
	struct mail_message m;
	struct mail_pull p;

	load(&m, "mail/pulls/2026-04-08_netfilter-updates-for-net/001.eml");
	ck_assert_int_eq(mail_pull_parse(&p, m.subject, m.body), 0);
	ck_assert_str_eq(p.tree, "net-next");
	ck_assert_ptr_null(p.date);
	ck_assert_str_eq(p.target, "net-next");
	ck_assert_str_eq(p.tag, "tags/nf-next-26-04-08");
	ck_assert_uint_eq(p.authors.n, 5);
	ck_assert_uint_eq(p.shortlog.n, 12);
	/* a title wrapped onto a deeper-indented line is joined */
	ck_assert_str_eq(p.shortlog.items[10], "netfilter: nf_tables_offload: "
			 "add nft_flow_action_entry_next() and use it");
	ck_assert_str_eq(p.title_authors.items[10], "Pablo Neira Ayuso");
	mail_pull_release(&p);
	mail_message_release(&m);

	/* a "[PATCH net 0/3]" cover letter that carries a request-pull */
	load(&m, "mail/pulls/2022-06-29_netfilter-fixes-for-net/001.eml");
	ck_assert_int_eq(mail_pull_parse(&p, m.subject, m.body), 0);
	ck_assert_str_eq(p.tree, "net");
	ck_assert_str_eq(p.target, "net");
	ck_assert_uint_eq(p.shortlog.n, 3);
	mail_pull_release(&p);
	mail_message_release(&m);

	/* untagged: "Netfilter updates for net-next (v2)" */
	load(&m, "mail/pulls/2025-07-10_netfilter-updates-for-net/001.eml");
	ck_assert_int_eq(mail_pull_parse(&p, m.subject, m.body), 0);
	ck_assert_ptr_null(p.tree);
	ck_assert_str_eq(p.target, "net-next");
	ck_assert_str_eq(p.url, "git://git.kernel.org/pub/scm/linux/kernel/"
			 "git/netfilter/nf-next.git");
	ck_assert_str_eq(p.tag, "tags/nf-next-25-07-10");
	ck_assert_str_eq(p.head_commit, "8df1b40de76979bb8e975201d07b71103d5de820");
	ck_assert_uint_eq(p.shortlog.n, 4);
	mail_pull_release(&p);
	mail_message_release(&m);

	/* a plain patch has no request-pull block */
	load(&m, "mail/pulls/2022-06-29_netfilter-fixes-for-net/002.eml");
	ck_assert_int_eq(mail_pull_parse(&p, m.subject, m.body), -1);
	mail_pull_release(&p);
	mail_message_release(&m);
}
END_TEST

START_TEST(classify_roles)
{
	static const struct {
		const char *from, *subject, *body;
		enum mail_what want;
	} t[] = {
		{ "a@x.org", "[PATCH bpf-next v2 0/3] x", "cover\n",
		  MAIL_WHAT_COVER },
		{ "a@x.org", "[PATCH bpf-next v2 1/3] x",
		  "diff --git a/x b/x\n", MAIL_WHAT_PATCH },
		{ "a@x.org", "[PATCH bpf] x", "diff --git a/x b/x\n",
		  MAIL_WHAT_PATCH },
		{ "r@x.org", "Re: [PATCH bpf] x", "> q\nAcked-by: R <r@x.org>\n",
		  MAIL_WHAT_REVIEW },
		{ "r@x.org", "Re: [PATCH bpf] x", "> q\n-- \npw-bot: cr\n",
		  MAIL_WHAT_REVIEW },
		{ "r@x.org", "Re: [PATCH bpf] x",
		  "> Acked-by: Q <q@x.org>\nWhy?\n", MAIL_WHAT_REPLY },
		{ "r@x.org", "Fwd: [PATCH bpf] x", "fyi\n", MAIL_WHAT_REPLY },
		{ "patchwork-bot+netdevbpf@kernel.org", "Re: [PATCH bpf] x",
		  "This patch was applied to bpf/bpf.git (master)\n",
		  MAIL_WHAT_BOT_NOTICE },
		{ "m@x.org", "pull-request: bpf 2021-02-13", "", MAIL_WHAT_PULL },
		{ "m@x.org", "Re: pull-request: bpf 2021-02-13", "Pulled.\n",
		  MAIL_WHAT_REPLY },
		{ "k@x.org", "[ANN] net-next is CLOSED", "", MAIL_WHAT_DISCUSSION },
		{ NULL, "Re: verifier question", "Acked-by: A <a@x.org>\n",
		  MAIL_WHAT_REVIEW },
		{ NULL, "verifier question", "", MAIL_WHAT_DISCUSSION },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct mail_subject s;
		struct mail_body b;
		enum mail_what got;

		mail_subject_parse(&s, t[i].subject);
		mail_body_scan(&b, t[i].body);
		got = mail_classify(t[i].from, &s, &b);
		ck_assert_msg(got == t[i].want, "%s: %s", t[i].subject,
			      mail_what_name(got));
		mail_body_release(&b);
		mail_subject_release(&s);
	}
	ck_assert_str_eq(mail_what_name(MAIL_WHAT_BOT_NOTICE), "bot-notice");
}
END_TEST

START_TEST(classify_from_the_facts_a_model_keeps)
{
	const char *bot = "patchwork-bot+netdevbpf@kernel.org";
	struct mail_subject s;
	struct mail_body b;

	mail_subject_parse(&s, "Re: [PATCH bpf] x");
	ck_assert_int_eq(mail_classify_facts(bot, &s, MAIL_FACT_NOTICE),
			 MAIL_WHAT_BOT_NOTICE);
	/* a bot's mail that is no notice is read by its subject */
	ck_assert_int_eq(mail_classify_facts(bot, &s, 0), MAIL_WHAT_REPLY);
	ck_assert_int_eq(mail_classify_facts("r@x.org", &s, MAIL_FACT_REVIEW |
					     MAIL_FACT_NOTICE),
			 MAIL_WHAT_REVIEW);
	mail_body_scan(&b, "Thanks!\n");
	ck_assert_int_eq(mail_classify(bot, &s, &b), MAIL_WHAT_REPLY);
	mail_body_release(&b);
	mail_subject_release(&s);

	mail_body_scan(&b, "Hello:\n\nThis series was applied to "
		       "bpf/bpf-next.git (master)\nby A <a@x.org>:\n");
	ck_assert(b.notice);
	ck_assert_uint_eq(mail_body_facts(&b), MAIL_FACT_NOTICE);
	mail_body_release(&b);
	mail_body_scan(&b, "This series was applied to nowhere\n"
		       "This series was applied to bpf/bpf.git (master)\n");
	ck_assert(!b.notice);	/* the first lead decides */
	mail_body_release(&b);
	mail_body_scan(&b, "This series is great.\n> This patch was "
		       "applied to a/b.git (main)\n");
	ck_assert(!b.notice);
	mail_body_release(&b);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Addresses */

START_TEST(addresses_parse_compare_and_list)
{
	static const struct {
		const char *text, *name, *email, *spec;
	} t[] = {
		{ "Jane Doe <jane@example.org>", "Jane Doe", "jane@example.org",
		  "jane@example.org" },
		{ "\"Doe, Jane\" <Jane@Example.org>", "Doe, Jane",
		  "Jane@Example.org", "Jane@Example.org" },
		{ "jane@example.org (Jane)", "Jane", "jane@example.org",
		  "jane@example.org" },
		{ "=?UTF-8?q?J=C3=B6rg?= <jr@example.org>", "J\xc3\xb6rg",
		  "jr@example.org", "jr@example.org" },
		{ "  jane@example.org ", NULL, "jane@example.org",
		  "jane@example.org" },
		{ "<stable@vger.kernel.org> # 5.10", NULL,
		  "stable@vger.kernel.org", "stable@vger.kernel.org" },
		{ "Group: a@example.org, b@example.org;", NULL,
		  "a@example.org", "a@example.org" },
		{ " Jane Doe ", NULL, NULL, "Jane Doe" },
		{ "", NULL, NULL, "" },
	};
	struct vec v = VEC_INIT;
	struct err err = ERR_INIT;

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct mail_address a;
		char *spec = mail_address_spec(t[i].text);
		int ret = mail_address_parse(&a, t[i].text);

		ck_assert_int_eq(ret, t[i].email ? 0 : -1);
		ck_assert_pstr_eq(a.name, t[i].name);
		ck_assert_pstr_eq(a.email, t[i].email);
		ck_assert_str_eq(spec, t[i].spec);
		free(spec);
		mail_address_release(&a);
	}
	ck_assert(mail_address_same("Jane <JANE@example.org>",
				    "jane@EXAMPLE.org"));
	ck_assert(mail_address_same("a@x.org", "A@X.ORG"));
	ck_assert(!mail_address_same("a@x.org", "b@x.org"));
	ck_assert(!mail_address_same("a@x.org", NULL));
	ck_assert(mail_address_same("Jane Doe", " jane doe"));
	ck_assert(mail_address_list_has("A <a@x.org>, B <b@x.org>",
					"B@x.org"));
	ck_assert(!mail_address_list_has("A <a@x.org>", "a@x.org.uk"));
	ck_assert_int_eq(mail_address_parse_list("A <a@x.org>, b@x.org", &v,
						 &err), 0);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_str_eq(v.items[0], "A <a@x.org>");
	ck_assert_str_eq(v.items[1], "b@x.org");
	ck_assert_int_lt(mail_address_parse_list("a@x.org; b@x.org", &v,
						 &err), 0);
	ck_assert_int_lt(mail_address_parse_list("not an address", &v, &err),
			 0);
	vec_release_str(&v);
}
END_TEST

/*
 * An address from mail becomes header text only through
 * mail_address_from_mail(): GMime writes it, and whatever could break
 * out of a header or a trailer line is refused, not pasted.
 */
START_TEST(addresses_from_mail_are_validated_and_encoded)
{
	static const struct {
		const char *name, *email, *header, *text;
	} ok[] = {
		{ NULL, "jane@example.org", "jane@example.org",
		  "jane@example.org" },
		{ "  ", "jane@example.org", "jane@example.org",
		  "jane@example.org" },
		{ "Jane Doe", "jane@example.org", "Jane Doe <jane@example.org>",
		  "Jane Doe <jane@example.org>" },
		{ "Doe, Jane", "j@example.org", "\"Doe, Jane\" <j@example.org>",
		  "\"Doe, Jane\" <j@example.org>" },
		/* the group syntax of the attack, quoted: one mailbox */
		{ "x:; Bcc: someone@elsewhere", "a@example.org",
		  "\"x:; Bcc: someone@elsewhere\" <a@example.org>",
		  "\"x:; Bcc: someone@elsewhere\" <a@example.org>" },
		{ "J\xc3\xb6rg", "jr@example.org",
		  "=?UTF-8?b?SsO2cmc=?= <jr@example.org>",
		  "J\xc3\xb6rg <jr@example.org>" },
	};
	static const struct {
		const char *name, *email, *why;
	} bad[] = {
		/* an encoded word decoded to a newline and a Bcc: header */
		{ "x:;\nBcc: someone@elsewhere", "a@example.org",
		  "control character" },
		{ "evil\r\nBcc: b@elsewhere", "a@example.org",
		  "control character" },
		{ "a\x1b[31mred", "a@example.org", "control character" },
		{ "C1 \xc2\x9b" "2J", "a@example.org", "control character" },
		{ "bidi \xe2\x80\xae" "gro.live", "a@example.org",
		  "control character" },
		{ "line\xe2\x80\xa8sep", "a@example.org", "control character" },
		{ "tab\there", "a@example.org", "control character" },
		{ "cut \xc3", "a@example.org", "invalid UTF-8" },
		/* another address in the name, to be read instead */
		{ "Boss <boss@example.org>", "mallory@example.net",
		  "angle bracket" },
		{ NULL, "x:;\nBcc: someone@elsewhere", "not an address" },
		{ NULL, "a@example.org, evil@example.net", "not an address" },
		{ NULL, "a@example.org>\r\nRCPT TO:<evil@x.org",
		  "not an address" },
		{ NULL, "<a@example.org>", "not an address" },
		{ NULL, "a b@example.org", "not an address" },
		{ NULL, "Jane Doe", "not an address" },
		{ NULL, "\"q\"@example.org", "not an address" },
		{ NULL, "g:a@example.org;", "not an address" },
		{ NULL, "", "no address" },
		{ NULL, NULL, "no address" },
	};
	struct sbuf long_name = SBUF_INIT, long_addr = SBUF_INIT;
	struct err err = ERR_INIT;
	char *out;

	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		ck_assert_msg(!mail_address_from_mail(&out, ok[i].name,
			      ok[i].email, MAIL_ADDRESS_HEADER, &err), "%zu: %s",
			      i, err.msg);
		ck_assert_str_eq(out, ok[i].header);
		free(out);
		ck_assert(!mail_address_from_mail(&out, ok[i].name,
			  ok[i].email, MAIL_ADDRESS_TEXT, &err));
		ck_assert_str_eq(out, ok[i].text);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		for (int form = 0; form < 2; form++) {
			err.msg[0] = '\0';
			ck_assert_int_eq(mail_address_from_mail(&out,
				bad[i].name, bad[i].email,
				(enum mail_address_form)form, &err), -ERR_PARSE);
			ck_assert_ptr_null(out);
			ck_assert_msg(strstr(err.msg, bad[i].why), "%zu: %s", i,
				      err.msg);
		}
	}
	/* a 1,500-character name would make a line SMTP refuses */
	for (int i = 0; i < 1500; i++)
		sbuf_addch(&long_name, 'n');
	ck_assert_int_lt(mail_address_from_mail(&out, long_name.buf,
		"a@example.org", MAIL_ADDRESS_TEXT, &err), 0);
	ck_assert_msg(strstr(err.msg, "too long"), "%s", err.msg);
	sbuf_setlen(&long_name, MAIL_ADDRESS_NAME_MAX);
	ck_assert(!mail_address_from_mail(&out, long_name.buf, "a@example.org",
					  MAIL_ADDRESS_TEXT, &err));
	free(out);
	for (int i = 0; i < 300; i++)
		sbuf_addch(&long_addr, 'a');
	sbuf_addstr(&long_addr, "@example.org");
	ck_assert_int_lt(mail_address_from_mail(&out, NULL, long_addr.buf,
		MAIL_ADDRESS_HEADER, &err), 0);
	ck_assert_msg(strstr(err.msg, "too long"), "%s", err.msg);
	sbuf_release(&long_name);
	sbuf_release(&long_addr);
}
END_TEST

/* The raw value of the first header called name ("From"), unfolded. */
static char *raw_header_value(const char *data, const char *name)
{
	size_t n = strlen(name);
	struct sbuf sb = SBUF_INIT;
	const char *p = data;

	while (*p && *p != '\n' && !(*p == '\r' && p[1] == '\n')) {
		size_t len = str_line_len(p);

		if (!sb.len && !strncasecmp(p, name, n) && p[n] == ':') {
			sbuf_add(&sb, p + n + 1, len - n - 1);
			p += len + (p[len] == '\n');
			while (*p == ' ' || *p == '\t') {	/* folded */
				len = str_line_len(p);
				sbuf_add(&sb, p, len);
				p += len + (p[len] == '\n');
			}
			continue;
		}
		p += len + (p[len] == '\n');
	}
	return sbuf_detach(&sb);
}

/*
 * On every fixture: mail_address_parse() of the raw From: gives what
 * GMime's message parser gives, and every bare address GMime reads
 * (From, To, Cc) is its own spec, so mail_address_same()'s shortcut
 * for bare addresses agrees with the parse.
 */
static int address_one(const char *path, const struct stat *st, int type,
		       struct FTW *ftw)
{
	struct mail_message m;
	struct mail_address a;
	struct err err = ERR_INIT;
	struct sbuf data = SBUF_INIT;
	const struct vec *lists[2];
	char *from;

	(void)st;
	(void)ftw;
	if (type != FTW_F || !str_ends_with(path, ".eml"))
		return 0;
	if (mail_message_load(&m, path, &err) ||
	    sbuf_read_file(&data, path, 1 << 24, &err))
		ck_abort_msg("%s", err.msg);
	from = raw_header_value(data.buf, "From");
	ck_assert_int_eq(mail_address_parse(&a, from), 0);
	ck_assert_msg(!g_strcmp0(a.email, m.from_email), "%s: %s", path,
		      from);
	ck_assert_msg(!g_strcmp0(a.name, m.from_name), "%s: %s", path, from);
	lists[0] = &m.to;
	lists[1] = &m.cc;
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++) {
			const char *e = lists[l]->items[i];
			char *spec = mail_address_spec(e);
			char *up = g_ascii_strup(e, -1);

			ck_assert_msg(!strcmp(spec, e), "%s: %s", path, e);
			ck_assert(mail_address_same(e, up));
			g_free(up);
			free(spec);
		}
	mail_address_release(&a);
	free(from);
	sbuf_release(&data);
	mail_message_release(&m);
	return 0;
}

START_TEST(addresses_read_as_gmime_reads_messages)
{
	char *dir = t_fixture("mail");

	ck_assert_int_eq(nftw(dir, address_one, 16, FTW_PHYS), 0);
	free(dir);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Patch files and mboxes */

START_TEST(mbox_split_as_git_mailsplit)
{
	static const char fp[] =
		"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 "
		"00:00:00 2001\nFrom: A <a@x.org>\nSubject: [PATCH 1/2] a\n\n"
		"From now on, a is b.\n---\n-- \n2.39.0\n\n"
		"From 89abcdef0123456789abcdef0123456789abcdef Mon Sep 17 "
		"00:00:00 2001\r\nFrom: A <a@x.org>\r\nSubject: [PATCH 2/2] "
		"b\r\n\r\nbody\r\n";
	static const char lore[] =
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\nx\n";
	char *dir = t_tmpdir();
	char *path = path_join(dir, "f.patch");
	struct mail_mbox mb = MAIL_MBOX_INIT;
	const struct mail_mbox_msg *m;
	struct err err = ERR_INIT;

	t_write_file(path, fp);
	ck_assert_int_eq(mail_mbox_read(&mb, path, 1 << 20, &err), 0);
	ck_assert_uint_eq(mb.msgs.n, 2);
	m = mb.msgs.items[0];
	ck_assert_str_eq(m->commit, "0123456789abcdef0123456789abcdef01234567");
	ck_assert_uint_eq(m->line, 2);
	ck_assert(!strncmp(mb.data.buf + m->off, "From: A", 7));
	ck_assert(!strncmp(mb.data.buf + m->off + m->len - 8, "2.39.0\n\n", 8));
	m = mb.msgs.items[1];
	ck_assert_str_eq(m->commit, "89abcdef0123456789abcdef0123456789abcdef");
	ck_assert_uint_eq(m->line, 11);
	ck_assert_uint_eq(m->off + m->len, mb.data.len);
	mail_mbox_release(&mb);

	t_write_file(path, lore);
	ck_assert_int_eq(mail_mbox_read(&mb, path, 1 << 20, &err), 0);
	ck_assert_uint_eq(mb.msgs.n, 1);
	m = mb.msgs.items[0];
	ck_assert_ptr_null(m->commit);
	ck_assert(!strncmp(mb.data.buf + m->off, "Subject: x", 10));
	mail_mbox_release(&mb);

	/* no "From " line: one message; "From x" is not one */
	t_write_file(path, "Subject: y\n\nFrom me to you\n");
	ck_assert_int_eq(mail_mbox_read(&mb, path, 1 << 20, &err), 0);
	ck_assert_uint_eq(mb.msgs.n, 1);
	m = mb.msgs.items[0];
	ck_assert_uint_eq(m->off, 0);
	ck_assert_uint_eq(m->line, 1);
	ck_assert_uint_eq(m->len, mb.data.len);
	mail_mbox_release(&mb);

	t_write_file(path, " \n\n");
	ck_assert_int_eq(mail_mbox_read(&mb, path, 1 << 20, &err), 0);
	ck_assert_uint_eq(mb.msgs.n, 0);
	mail_mbox_release(&mb);
	ck_assert_int_lt(mail_mbox_read(&mb, path, 1, &err), 0);
	mail_mbox_release(&mb);
	free(path);
	t_rmtree(dir);
}
END_TEST

/* -------------------------------------------------------------------- */
/* Bad input */

static int parse_str(struct mail_message *m, const char *data,
		     struct err *err)
{
	return mail_message_parse(m, data, strlen(data), "test.eml", err);
}

START_TEST(bad_missing_and_empty_files)
{
	struct mail_message m;
	struct err err = ERR_INIT;
	char *dir = t_tmpdir();
	struct sbuf path = SBUF_INIT;

	sbuf_addf(&path, "%s/missing.eml", dir);
	ck_assert_int_eq(mail_message_load(&m, path.buf, &err), -ERR_NOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, path.buf));
	mail_message_release(&m);

	sbuf_reset(&path);
	sbuf_addf(&path, "%s/empty.eml", dir);
	t_write_file(path.buf, "");
	ck_assert_int_eq(mail_message_load(&m, path.buf, &err), -ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, path.buf));
	mail_message_release(&m);
	sbuf_release(&path);
	t_rmtree(dir);
}
END_TEST

START_TEST(bad_headers_missing)
{
	struct mail_message m;
	struct err err = ERR_INIT;

	ck_assert_int_eq(parse_str(&m, "From: a@example.org\n\nbody\n", &err), 0);
	ck_assert_ptr_null(m.message_id);
	ck_assert_str_eq(m.subject, "");
	ck_assert_ptr_null(m.in_reply_to);
	ck_assert_uint_eq(m.references.n, 0);
	ck_assert_int_eq((long)m.date, 0);
	ck_assert_str_eq(m.body, "body\n");
	mail_message_release(&m);

	/* not even headers: refused, naming the file */
	ck_assert_int_eq(parse_str(&m, "just some text\n", &err), -ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.eml"));
	mail_message_release(&m);

	ck_assert_int_eq(parse_str(&m, "Message-ID: <>\nDate: garbage\n"
				   "From: <>\nSubject:\n\n", &err), 0);
	ck_assert_ptr_null(m.message_id);
	ck_assert_int_eq((long)m.date, 0);
	ck_assert_str_eq(m.subject, "");
	mail_message_release(&m);
}
END_TEST

START_TEST(bad_invalid_utf8_replaced)
{
	struct mail_message m;
	struct err err = ERR_INIT;

	ck_assert_int_eq(parse_str(&m,
		"Message-ID: <a@b>\n"
		"From: \"Bad \xff Name\" <bad@example.org>\n"
		"Subject: [PATCH] bad \xc3\x28 subject\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"\n"
		"bad \xfe\xff body\nAcked-by: X \xff <x@example.org>\n", &err), 0);
	ck_assert(g_utf8_validate(m.subject, -1, NULL));
	ck_assert(g_utf8_validate(m.from_name, -1, NULL));
	ck_assert(g_utf8_validate(m.body, -1, NULL));
	ck_assert_ptr_nonnull(strstr(m.body, "\xef\xbf\xbd"));	/* U+FFFD */
	ck_assert_str_eq(m.from_email, "bad@example.org");
	mail_message_release(&m);
}
END_TEST

START_TEST(bad_mime_and_parts)
{
	struct mail_message m;
	struct err err = ERR_INIT;

	/* boundary never appears: no crash, the text is kept or dropped */
	ck_assert_int_eq(parse_str(&m,
		"Message-ID: <mime@x>\nSubject: broken\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"nope\"\n\n"
		"text without parts\n", &err), 0);
	ck_assert_str_eq(m.message_id, "mime@x");
	ck_assert(g_utf8_validate(m.body, -1, NULL));
	mail_message_release(&m);

	/* no boundary parameter at all */
	ck_assert_int_eq(parse_str(&m,
		"Message-ID: <mime2@x>\nContent-Type: multipart/mixed\n\n"
		"--x\n\n", &err), 0);
	mail_message_release(&m);

	/*
	 * alternative: the text/plain, not the html; an inline patch is
	 * body, an attached one is not; latin-1 QP and base64 decoded.
	 */
	ck_assert_int_eq(parse_str(&m,
		"Message-ID: <parts@x>\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"B\"\n\n"
		"--B\n"
		"Content-Type: multipart/alternative; boundary=\"A\"\n\n"
		"--A\n"
		"Content-Type: text/plain; charset=iso-8859-1\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"Caf=E9 review=0A=\nAcked-by: J=F6rg <j@example.org>\n"
		"--A\n"
		"Content-Type: text/html\n\n<p>html</p>\n"
		"--A--\n"
		"--B\n"
		"Content-Type: text/x-patch; charset=utf-8\n"
		"Content-Disposition: inline; filename=fix.patch\n"
		"Content-Transfer-Encoding: base64\n\n"
		"ZGlmZiAtLWdpdCBhL3ggYi94Cg==\n"
		"--B\n"
		"Content-Type: text/x-diff\n"
		"Content-Disposition: attachment; filename=other.diff\n\n"
		"ATTACHED\n"
		"--B--\n", &err), 0);
	ck_assert_ptr_nonnull(strstr(m.body, "Caf\xc3\xa9 review\n"));
	ck_assert_ptr_nonnull(strstr(m.body, "Acked-by: J\xc3\xb6rg <j@example.org>"));
	ck_assert_ptr_nonnull(strstr(m.body, "diff --git a/x b/x"));
	ck_assert_ptr_null(strstr(m.body, "html"));
	ck_assert_ptr_null(strstr(m.body, "ATTACHED"));
	mail_message_release(&m);
}
END_TEST

START_TEST(bad_huge_header_and_body)
{
	struct mail_message m;
	struct err err = ERR_INIT;
	struct sbuf sb = SBUF_INIT;
	size_t n;

	/* a 1 MB Subject and 1 MB of References */
	sbuf_addstr(&sb, "Message-ID: <big@x>\nSubject: [PATCH] ");
	for (n = 0; n < (1u << 20) / 8; n++)
		sbuf_addstr(&sb, "abcdefg ");
	sbuf_addstr(&sb, "\nReferences:");
	for (n = 0; n < (1u << 20) / 16; n++)
		sbuf_addf(&sb, " <%07zu@x.org>", n);
	sbuf_addstr(&sb, "\n\nbody\n");
	ck_assert_int_eq(mail_message_parse(&m, sb.buf, sb.len, "big", &err), 0);
	ck_assert_str_eq(m.message_id, "big@x");
	ck_assert_uint_gt(strlen(m.subject), 1u << 19);
	ck_assert_uint_le(m.references.n, 256);
	ck_assert_str_eq(m.references.items[0], "0000000@x.org");
	ck_assert_str_eq(m.references.items[m.references.n - 1], "0065535@x.org");
	mail_message_release(&m);

	/* a body over MAIL_MESSAGE_BODY_MAX is cut at a line end */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "Message-ID: <long@x>\n\n");
	while (sb.len < MAIL_MESSAGE_BODY_MAX + (1u << 20))
		sbuf_addstr(&sb, "0123456789 0123456789 0123456789 0123456789\n");
	ck_assert_int_eq(mail_message_parse(&m, sb.buf, sb.len, "long", &err), 0);
	n = strlen(m.body);
	ck_assert_uint_le(n, MAIL_MESSAGE_BODY_MAX);
	ck_assert_uint_gt(n, MAIL_MESSAGE_BODY_MAX - 100);
	ck_assert_int_eq(m.body[n - 1], '\n');
	mail_message_release(&m);
	sbuf_release(&sb);
}
END_TEST

START_TEST(bad_deep_mime_nesting)
{
	struct mail_message m;
	struct err err = ERR_INIT;
	struct sbuf sb = SBUF_INIT;
	int depth = 200;

	sbuf_addstr(&sb, "Message-ID: <deep@x>\nMIME-Version: 1.0\n");
	for (int i = 0; i < depth; i++)
		sbuf_addf(&sb, "Content-Type: multipart/mixed; boundary=\"b%d\"\n"
			  "\n--b%d\n", i, i);
	sbuf_addstr(&sb, "Content-Type: text/plain\n\ndeep text\n");
	ck_assert_int_eq(mail_message_parse(&m, sb.buf, sb.len, "deep", &err), 0);
	ck_assert(g_utf8_validate(m.body, -1, NULL));
	mail_message_release(&m);
	sbuf_release(&sb);
}
END_TEST

START_TEST(references_and_in_reply_to)
{
	struct mail_message m;
	struct err err = ERR_INIT;

	ck_assert_int_eq(parse_str(&m,
		"Message-ID: <c@x>\n"
		"In-Reply-To: <b@x> (Jane Doe's message of \"Mon, 1 Jan\")\n"
		"References: <a@x>\n <b@x>\tgarbage <not an id\n"
		"Subject: =?utf-8?q?Re=3A_=5BPATCH_bpf=5D_fix?=\n"
		"Date: Fri, 2 May 2025 18:07:55 -0700\n"
		"To: undisclosed-recipients:;\n"
		"Cc: Team: x@example.org, y@example.org;, z@example.org\n\n", &err), 0);
	ck_assert_str_eq(m.in_reply_to, "b@x");
	ck_assert_uint_ge(m.references.n, 2);
	ck_assert_str_eq(m.references.items[0], "a@x");
	ck_assert_str_eq(m.references.items[1], "b@x");
	ck_assert_str_eq(m.subject, "Re: [PATCH bpf] fix");
	ck_assert_int_eq((long)m.date, 1746234475L);
	ck_assert_uint_eq(m.to.n, 0);
	ck_assert_uint_eq(m.cc.n, 3);
	ck_assert_str_eq(m.cc.items[1], "y@example.org");
	mail_message_release(&m);
}
END_TEST

static Suite *mail_text_suite(void)
{
	Suite *s = suite_create("mail_text");
	TCase *tc = tcase_create("subject");

	tcase_add_loop_test(tc, subject_real_world_forms, 0, N_SUBJECTS);
	tcase_add_loop_test(tc, subject_format_round_trip, 0, N_SUBJECTS);
	tcase_add_test(tc, subject_format_pads_like_format_patch);
	tcase_add_test(tc, subject_folded_header);
	tcase_add_test(tc, subject_rfc2047_decoded_with_gmime);
	tcase_add_test(tc, subject_normalized_title);
	suite_add_tcase(s, tc);

	tc = tcase_create("message");
	tcase_add_test(tc, message_headers_of_a_real_patch);
	tcase_add_test(tc, every_fixture_message_is_classified);
	tcase_add_test(tc, references_and_in_reply_to);
	tcase_add_test(tc, bad_missing_and_empty_files);
	tcase_add_test(tc, bad_headers_missing);
	tcase_add_test(tc, bad_invalid_utf8_replaced);
	tcase_add_test(tc, bad_mime_and_parts);
	tcase_add_test(tc, bad_huge_header_and_body);
	tcase_add_test(tc, bad_deep_mime_nesting);
	suite_add_tcase(s, tc);

	tc = tcase_create("body");
	tcase_add_loop_test(tc, bot_notices_parse, 0,
			    sizeof(notice_cases) / sizeof(*notice_cases));
	tcase_add_test(tc, bot_notice_series_items);
	tcase_add_test(tc, bot_notice_for_a_pull_request);
	tcase_add_test(tc, bot_notice_rejects_other_text);
	tcase_add_loop_test(tc, pwbot_commands_from_real_replies, 0,
			    sizeof(pwbot_cases) / sizeof(*pwbot_cases));
	tcase_add_test(tc, pwbot_words);
	tcase_add_test(tc, pwbot_quoted_is_not_a_command);
	tcase_add_test(tc, trailers_from_real_review_replies);
	tcase_add_test(tc, trailers_quoted_or_in_a_diff_are_not_taken);
	tcase_add_test(tc, trailer_kinds_spelled_from_the_table);
	tcase_add_test(tc, trailer_lines);
	tcase_add_test(tc, trailers_wrapped_scoped_and_signed);
	tcase_add_test(tc, pull_request_bpf_next_2025_05_02);
	tcase_add_test(tc, pull_request_bpf_2021_02_13);
	tcase_add_test(tc, pull_request_netfilter);
	tcase_add_test(tc, classify_roles);
	tcase_add_test(tc, classify_from_the_facts_a_model_keeps);
	tcase_add_test(tc, addresses_parse_compare_and_list);
	tcase_add_test(tc, addresses_from_mail_are_validated_and_encoded);
	tcase_add_test(tc, addresses_read_as_gmime_reads_messages);
	tcase_add_test(tc, mbox_split_as_git_mailsplit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(mail_text_suite());
}
