#include <stdio.h>

#include "cli/cli.h"

const char cli_usage_vger[] =
"usage: vger [-C <path>] [--db <path>] [--query <query>] [--no-cache]\n"
"       vger [-C <path>] [--version] [--help] <command> [<args>]\n"
"\n"
"vger reads bpf@vger.kernel.org as patch series from a notmuch database,\n"
"respins your own series from a git branch, and knows when bpf-next and\n"
"net-next are closed for the merge window.  With no command, on a\n"
"terminal, it opens the mail client (press ? in it for the keys).\n";

int (*cli_viewer)(const char *db, const char *query);
