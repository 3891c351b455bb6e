#include "cli/cli.h"

const char cli_usage_demo[] = "usage: vger demo\n";

int cmd_demo(int argc, char **argv)
{
	return CLI_FAIL;
}
