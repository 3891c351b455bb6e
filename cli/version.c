#include <getopt.h>
#include <git2.h>
#include <gmime/gmime.h>
#include <json-c/json_c_version.h>
#include <notmuch.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/out.h"
#include "config.h"
#include "util/curl.h"

const char cli_usage_version[] =
"usage: vger version\n"
"       vger --version\n"
"\n"
"Print vger's version and the versions of the libraries it was built\n"
"with (notmuch, GMime, libgit2, libcurl, json-c).\n";

int cmd_version(int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	int maj, min, rev, c;

	opterr = 0;
	if ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1)
		return cli_bad_option("version", argv, c);
	if (optind < argc)
		return cli_usage_error("version", "unexpected argument '%s'",
				       argv[optind]);
	git_libgit2_version(&maj, &min, &rev);
	cli_outf(stdout, "vger %s\n", PACKAGE_VERSION);
	cli_outf(stdout, "  libnotmuch %d.%d.%d, GMime %d.%d.%d, "
		 "libgit2 %d.%d.%d,\n",
		 LIBNOTMUCH_MAJOR_VERSION, LIBNOTMUCH_MINOR_VERSION,
		 LIBNOTMUCH_MICRO_VERSION, GMIME_MAJOR_VERSION,
		 GMIME_MINOR_VERSION, GMIME_MICRO_VERSION, maj, min, rev);
	cli_outf(stdout, "  %s, json-c %s\n", curl_version(), json_c_version());
	return CLI_OK;
}
