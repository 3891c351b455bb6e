/*
 * vger demo: a generated bpf@vger corpus in a throwaway notmuch
 * database, shown, then removed.  The work runs in a child process; the
 * parent only waits and removes the temporary directory, so the files
 * go away however the child ends, Ctrl-C included, without doing
 * unsafe work in a signal handler.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "front/clock.h"
#include "front/model.h"
#include "mail/index.h"
#include "mail/model.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

const char cli_usage_demo[] =
"usage: vger demo [--messages <n>] [--seed <n>] [--keep]\n"
"\n"
"Generate a realistic bpf@vger.kernel.org corpus (series in several\n"
"versions, reviews, pw-bot commands, patchwork-bot notices, pull\n"
"requests, broken threading) into a temporary directory, index it into\n"
"a throwaway notmuch database, and show it as series.  Everything is\n"
"removed on exit, also on Ctrl-C.\n"
"\n"
"    --messages <n>    corpus size (default 600)\n"
"    --seed <n>        generator seed (default 1)\n"
"    --keep            keep the directory and print its path, for\n"
"                      'vger series --db <path>/mail'\n";

enum { OPT_MESSAGES = 256, OPT_SEED, OPT_KEEP };

static const struct option demo_opts[] = {
	{ "messages", required_argument, NULL, OPT_MESSAGES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ NULL, 0, NULL, 0 }
};

static int index_maildir(struct mail_index *idx, const char *dir,
			 size_t *count, struct err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return err_set(err, ERR_IO, "%s: %s", dir, strerror(errno));
	while (!ret && (de = readdir(d))) {
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		ret = mail_index_add_file(idx, path, err);
		free(path);
		(*count)++;
	}
	closedir(d);
	return ret;
}

/* The child: generate, index, show.  Returns the exit status. */
static int demo_run(const char *root, size_t messages, unsigned long seed)
{
	struct corpus_options co;
	struct corpus_stats st;
	struct mail_index *idx = NULL;
	struct front_model_args args = { NULL, "*", 0, 0 };
	struct mail_model *m = NULL;
	struct err err = ERR_INIT;
	char *mail = path_join(root, "mail");
	char *cur = path_join(mail, "cur");
	char *cache = path_join(root, "cache");
	size_t indexed = 0;
	int ret = CLI_FAIL;

	corpus_options_init(&co);
	co.seed = seed;
	co.messages = messages;
	co.outdir = mail;
	/* Dated to end today, so ages, waits and the banner read as on the
	 * list this morning. */
	co.end = front_now();
	cli_outf(stderr, "vger demo: generating %zu messages in %s\n", messages,
		 root);
	if (corpus_generate(&co, &st, &err) ||
	    mail_index_open(&idx, mail, MAIL_INDEX_CREATE, &err) ||
	    index_maildir(idx, cur, &indexed, &err)) {
		cli_fail("demo", &err);
		goto out;
	}
	mail_index_free(idx);
	idx = NULL;
	cli_outf(stderr, "vger demo: indexed %zu messages: %zu series, %zu "
		 "pull requests, %zu patchwork-bot notices\n", indexed,
		 st.series, st.pulls, st.bot_notices);
	/* The demo's cache lives and dies with it. */
	setenv("XDG_CACHE_HOME", cache, 1);
	if (cli_viewer && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		ret = cli_viewer(mail, "*");
		goto out;
	}
	args.db = mail;
	if (cli_model_load("demo", &args, 0, &m))
		goto out;
	cli_print_series(m, 0);
	ret = CLI_OK;
out:
	mail_model_free(m);
	mail_index_free(idx);
	free(mail);
	free(cur);
	free(cache);
	return ret;
}

int cmd_demo(int argc, char **argv)
{
	long messages = 600, seed = 1;
	struct err err = ERR_INIT;
	struct sigaction ign, old_int, old_term, old_hup;
	int keep = 0, c, status = 0;
	char *root;
	pid_t pid;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", demo_opts, NULL)) != -1) {
		switch (c) {
		case OPT_MESSAGES:
			if (str_to_long(optarg, &messages) || messages < 1 ||
			    messages > 5000000)
				return cli_usage_error("demo", "--messages "
						       "takes 1 to 5000000, "
						       "not '%s'", optarg);
			break;
		case OPT_SEED:
			if (str_to_long(optarg, &seed) || seed < 0)
				return cli_usage_error("demo", "--seed takes "
						       "a number, not '%s'",
						       optarg);
			break;
		case OPT_KEEP:
			keep = 1;
			break;
		default:
			return cli_bad_option("demo", argv, c);
		}
	}
	if (optind < argc)
		return cli_usage_error("demo", "unexpected argument '%s'",
				       argv[optind]);
	root = fs_mkdtemp("vger-demo", &err);
	if (!root)
		return cli_fail("demo", &err);
	fflush(NULL);
	/* Ctrl-C goes to the child (same process group); we clean up. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGTERM, &ign, &old_term);
	sigaction(SIGHUP, &ign, &old_hup);
	pid = fork();
	if (pid < 0) {
		err_set(&err, ERR_IO, "fork: %s", strerror(errno));
		status = cli_fail("demo", &err);
	} else if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		c = demo_run(root, (size_t)messages, (unsigned long)seed);
		free(root);	/* a leak to valgrind, and its exit code */
		fflush(NULL);
		_exit(c);
	} else {
		int ws;

		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(ws) ? WEXITSTATUS(ws) :
			128 + WTERMSIG(ws);
	}
	if (keep) {
		cli_outf(stderr, "vger demo: kept %s (database: %s/mail)\n",
			 root, root);
	} else if (fs_rm_rf(root)) {
		cli_outf(stderr, "vger demo: warning: could not remove %s\n",
			 root);
	}
	free(root);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return status;
}
