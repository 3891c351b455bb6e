#include <stdio.h>

#include "cli/cli.h"

const char cli_usage_vger[] =
"usage: vger [-C <path>] [--version] [--help] <command> [<args>]\n"
"\n"
"vger reads bpf@vger.kernel.org as patch series from a notmuch database,\n"
"respins your own series from a git branch, and knows when bpf-next and\n"
"net-next are closed for the merge window.\n";

int cli_main_default(void)
{
	/* NEEDSWORK: the TUI is not written yet; until then show help. */
	cli_help(1, NULL);
	return CLI_USAGE;
}
