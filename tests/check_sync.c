/*
 * vger init and vger sync without the network: what front/lore.c
 * reads of lore's URLs, public-inbox's configuration and lei's saved
 * searches, and the command line's answers to bad input.  The real
 * tools on a real inbox are tests/e2e/sync.sh.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "front/lore.h"
#include "front/steps.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

START_TEST(list_names_as_lore_names_inboxes)
{
	ck_assert(front_list_name_ok("bpf"));
	ck_assert(front_list_name_ok("linux-kselftest"));
	ck_assert(front_list_name_ok("io-uring"));
	ck_assert(!front_list_name_ok(""));
	ck_assert(!front_list_name_ok(NULL));
	ck_assert(!front_list_name_ok("9p"));		/* not a git key */
	ck_assert(!front_list_name_ok("-bpf"));
	ck_assert(!front_list_name_ok("bpf/../x"));
	ck_assert(!front_list_name_ok("b.p.f"));
	ck_assert(!front_list_name_ok("bpf netdev"));
}
END_TEST

START_TEST(lore_url_of_a_list)
{
	struct sbuf sb = SBUF_INIT;

	front_lore_url("netdev", &sb);
	ck_assert_str_eq(sb.buf, "https://lore.kernel.org/netdev/");
	sbuf_release(&sb);
}
END_TEST

START_TEST(list_name_from_the_end_of_a_url)
{
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	ck_assert_int_eq(front_list_from_url("http://127.0.0.1:8080/bpf/",
					     &sb, &err), 0);
	ck_assert_str_eq(sb.buf, "bpf");
	ck_assert_int_eq(front_list_from_url("https://lore.kernel.org/netdev",
					     &sb, &err), 0);
	ck_assert_str_eq(sb.buf, "netdev");
	ck_assert_int_eq(front_list_from_url("https://mirror.example/a/"
					     "linux-kselftest//?x=1", &sb,
					     &err), 0);
	ck_assert_str_eq(sb.buf, "linux-kselftest");
	ck_assert_int_lt(front_list_from_url("https://lore.kernel.org/", &sb,
					     &err), 0);
	ck_assert(strstr(err.msg, "--list") != NULL);
	ck_assert_int_lt(front_list_from_url("ftp://x/bpf/", &sb, &err), 0);
	ck_assert(strstr(err.msg, "ftp://x/bpf/") != NULL);
	ck_assert_int_lt(front_list_from_url("https://x/b%2ff/", &sb, &err),
			 0);
	sbuf_release(&sb);
}
END_TEST

START_TEST(inbox_address_from_its_configuration)
{
	/* What public-inbox 1.9 serves at URL/_/text/config/raw. */
	static const char lore[] =
		"; Example public-inbox config snippet for a mirror of\n"
		"; https://lore.kernel.org/bpf/\n"
		"[publicinbox \"bpf\"]\n"
		"\tinboxdir = /path/to/top-level-inbox\n"
		"\turl = https://example.com/bpf/\n"
		"\taddress = bpf@vger.kernel.org\n"
		"\taddress = bpf@kernel.org\n"
		"\tlistid = bpf.vger.kernel.org\n";
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;

	ck_assert_int_eq(front_inbox_address(lore, &sb, &err), 0);
	ck_assert_str_eq(sb.buf, "bpf@vger.kernel.org");
	ck_assert_int_eq(front_inbox_address("[publicinbox \"x\"]\n"
					     "\turl = http://x/\n", &sb, &err),
			 1);
	ck_assert_str_eq(sb.buf, "");
	ck_assert_int_lt(front_inbox_address("<html>404 [not\n", &sb, &err),
			 0);
	ck_assert_int_eq(err.code, ERR_PARSE);
	sbuf_release(&sb);
}
END_TEST

START_TEST(query_of_the_lists)
{
	struct vec addrs = VEC_INIT;
	struct sbuf sb = SBUF_INIT;

	front_lists_query(&addrs, &sb);
	ck_assert_str_eq(sb.buf, "");
	vec_push_str(&addrs, "bpf@vger.kernel.org");
	front_lists_query(&addrs, &sb);
	/* bpf alone is the model's default query. */
	ck_assert_str_eq(sb.buf, "to:bpf@vger.kernel.org or "
			 "cc:bpf@vger.kernel.org");
	vec_push_str(&addrs, "netdev@vger.kernel.org");
	front_lists_query(&addrs, &sb);
	ck_assert_str_eq(sb.buf, "to:bpf@vger.kernel.org or "
			 "cc:bpf@vger.kernel.org or to:netdev@vger.kernel.org "
			 "or cc:netdev@vger.kernel.org");
	vec_release_str(&addrs);
	sbuf_release(&sb);
}
END_TEST

/* `lei ls-search --format=json` of lei 1.9, two saved searches. */
static const char searches[] =
	"[{\"external\":\"1\",\"import-remote\":\"0\",\"local\":\"0\","
	"\"only\":[\"https://lore.kernel.org/bpf/\"],"
	"\"output\":\"maildir:/home/u/mail/lore/bpf\","
	"\"q\":[\"rt:3.months.ago..\"]},\n"
	"{\"include\":[\"http://127.0.0.1:8080/netdev/\"],"
	"\"output\":\"maildir:/home/u/mail/lore/netdev/\","
	"\"q\":[\"rt:2025-01-01..\",\"s:net\"]}]\n";

START_TEST(lei_saved_search_by_its_maildir)
{
	struct front_lei_search s;
	struct err err = ERR_INIT;

	ck_assert_int_eq(front_lei_search_find(searches,
					       "/home/u/mail/lore/bpf", &s,
					       &err), 1);
	ck_assert_str_eq(s.url, "https://lore.kernel.org/bpf/");
	ck_assert_uint_eq(s.terms.n, 1);
	ck_assert_str_eq(s.terms.items[0], "rt:3.months.ago..");
	front_lei_search_release(&s);
	/* --include instead of --only; a trailing slash; two terms. */
	ck_assert_int_eq(front_lei_search_find(searches,
					       "/home/u/mail/lore/netdev", &s,
					       &err), 1);
	ck_assert_str_eq(s.url, "http://127.0.0.1:8080/netdev/");
	ck_assert_str_eq(s.output, "/home/u/mail/lore/netdev");
	ck_assert_uint_eq(s.terms.n, 2);
	front_lei_search_release(&s);
	/* A prefix of a Maildir is not it. */
	ck_assert_int_eq(front_lei_search_find(searches, "/home/u/mail/lore",
					       &s, &err), 0);
	ck_assert_int_eq(front_lei_search_find("[]\n", "/x", &s, &err), 0);
	ck_assert_int_eq(front_lei_search_find("", "/x", &s, &err), 0);
}
END_TEST

START_TEST(lei_saved_searches_cut_short)
{
	struct front_lei_search s;
	struct err err = ERR_INIT;

	/* lei 1.9 without its cache directory prints "[" and stops. */
	ck_assert_int_lt(front_lei_search_find("[\n", "/x", &s, &err), 0);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert(strstr(err.msg, "lei ls-search") != NULL);
	ck_assert_int_lt(front_lei_search_find("{\"output\":1}", "/x", &s,
					       &err), 0);
}
END_TEST

START_TEST(what_lei_and_curl_exit_codes_mean)
{
	ck_assert_str_eq(front_curl_status_text(7),
			 "cannot connect to the server");
	ck_assert(strstr(front_curl_status_text(22), "HTTP error"));
	ck_assert(strstr(front_curl_status_text(28), "in time"));
	ck_assert(front_curl_status_text(1) == NULL);
	ck_assert(front_curl_status_text(130) == NULL);
	ck_assert(front_lei_write_error("1093 lei2mail 1 wq_worker: "
					"write_mail: Error writing 7864563 to "
					"/m/: No space left on device"));
	ck_assert(!front_lei_write_error("E: <http://x/bpf/?q=rt%3A1..> "
					 "curl: (7) Failed to connect"));
	ck_assert(!front_lei_write_error("# 0 written to /m/ (3 matches)"));
}
END_TEST

/* The command line refuses bad input before it runs anything. */
START_TEST(cli_refuses_bad_input)
{
	const char *const bad_list[] = { "init", "--list", "bpf/../x", NULL };
	const char *const bad_since[] = { "init", "--since", "3 months", NULL };
	const char *const bad_url[] = { "init", "--url", "https://x/", NULL };
	const char *const extra[] = { "sync", "now", NULL };
	const char *const env[] = { "GIT_CONFIG_GLOBAL=/dev/null", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT;

	ck_assert_int_eq(t_vger(bad_list, env, &out, &errout), 2);
	ck_assert(strstr(errout.buf, "not a list name"));
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(bad_since, env, &out, &errout), 2);
	ck_assert(strstr(errout.buf, "not a date lei understands"));
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(bad_url, env, &out, &errout), 2);
	ck_assert(strstr(errout.buf, "--list"));
	sbuf_reset(&errout);
	ck_assert_int_eq(t_vger(extra, env, &out, &errout), 2);
	ck_assert(strstr(errout.buf, "unexpected argument 'now'"));
	sbuf_release(&out);
	sbuf_release(&errout);
}
END_TEST

/* Nothing configured: vger sync says what to do, and fails. */
START_TEST(cli_sync_without_init)
{
	const char *const sync[] = { "sync", NULL };
	char *dir = t_tmpdir();
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT, env0 = SBUF_INIT;
	const char *env[2];

	sbuf_addf(&env0, "GIT_CONFIG_GLOBAL=%s/gitconfig", dir);
	env[0] = env0.buf;
	env[1] = NULL;
	ck_assert_int_eq(t_vger(sync, env, &out, &errout), 1);
	ck_assert(strstr(errout.buf, "vger init"));
	sbuf_release(&out);
	sbuf_release(&errout);
	sbuf_release(&env0);
	t_rmtree(dir);
}
END_TEST

/*
 * The fault matrix of HTTP (tests/FAULTS.md) for the question vger
 * init asks the public-inbox before lei (curl, URL_/text/config/raw):
 * each fault of tests/httpd.py's /fault/MODE fails with the cause said,
 * within vger.syncTimeout, nothing written, never a raw control.
 */
static const struct {
	const char *mode, *cause;
} probe_faults[] = {
	{ "404", "no public-inbox there (HTTP 404)" },
	{ "429", "HTTP 429 from the server" },
	{ "500", "HTTP 500 from the server" },
	{ "loop", "moved (HTTP 302)" },
	{ "hang", "the server did not answer in time" },
	{ "slow", "the server did not answer in time" },
	{ "cut", "the connection broke in the middle of the transfer" },
	{ "big", "the answer is larger than vger reads" },
	{ "huge", "an answer over 65536 bytes is no public-inbox "
	  "configuration" },
	{ "bomb", "the answer is larger than vger reads" },
};

START_TEST(probe_fault_matrix)
{
	const char *mode = probe_faults[_i].mode;
	char *dir = t_tmpdir();
	char *script = path_join(t_srcdir(), "tests/httpd.py");
	char *gitconfig = path_join(dir, "gitconfig");
	const char *server[] = { "python3", script, dir, NULL };
	const char *args[] = { "init", "--list", "bpf", "--url", NULL,
			       "--dry-run", NULL };
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT, url = SBUF_INIT;
	struct sbuf home = SBUF_INIT, cfg = SBUF_INIT, data = SBUF_INIT;
	const char *env[4];
	struct t_server srv;
	struct timespec t0, t1;
	char *text;

	/* vger init asks for them before it asks the inbox */
	if (!t_in_path("lei") || !t_in_path("notmuch") ||
	    !t_in_path("curl")) {
		printf("SKIP: probe_fault_matrix: lei, notmuch or curl is not "
		       "installed\n");
		goto out;
	}
	t_write_file(gitconfig, "[vger]\n\tsyncTimeout = 2\n");
	sbuf_addf(&home, "HOME=%s", dir);
	sbuf_addf(&cfg, "GIT_CONFIG_GLOBAL=%s", gitconfig);
	sbuf_addf(&data, "XDG_DATA_HOME=%s/data", dir);
	env[0] = home.buf;
	env[1] = cfg.buf;
	env[2] = data.buf;
	env[3] = NULL;
	t_server_start(&srv, server);
	sbuf_addf(&url, "http://127.0.0.1:%d/fault/%s/bpf/", srv.port, mode);
	args[4] = url.buf;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(t_vger(args, env, &out, &errout), 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* syncTimeout, and the start of curl and of the server */
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 5, "%s: %ld s", mode,
		      (long)(t1.tv_sec - t0.tv_sec));
	ck_assert_msg(strstr(errout.buf, probe_faults[_i].cause), "%s: %s",
		      mode, errout.buf);
	ck_assert_msg(!strchr(errout.buf, '\x1b'), "%s", errout.buf);
	ck_assert_msg(!strstr(out.buf, "would run: lei"), "%s", out.buf);
	text = t_read_file(gitconfig);
	ck_assert_msg(!strstr(text, "maildir"), "%s: %s", mode, text);
	free(text);
	t_server_stop(&srv);
out:
	sbuf_release(&out);
	sbuf_release(&errout);
	sbuf_release(&url);
	sbuf_release(&home);
	sbuf_release(&cfg);
	sbuf_release(&data);
	free(script);
	free(gitconfig);
	t_rmtree(dir);
}
END_TEST

/*
 * The watchdog of a lei run, with a lei of the test's own first in
 * PATH: what it watches is vger's, not lei's.  vger.syncTimeout is 1 s,
 * so lei is stopped after 2 s without a line or a message written,
 * counted from its line naming the curl it runs.
 */
static const struct {
	const char *mode, *script;
	int stalled;
} lei_watch[] = {
	/* `lei q --augment` reads the Maildir first, without a word */
	{ "quiet before the fetch",
	  "sleep 3; echo \"# /usr/bin/curl -Sf -s -d '' http://x/\"", 0 },
	/* an answer that brings nothing, the bomb's shape */
	{ "quiet after the fetch started",
	  "echo \"# /usr/bin/curl -Sf -s -d '' http://x/\"; exec sleep 30",
	  1 },
	/* slow, but writing messages */
	{ "writing",
	  "echo \"# /usr/bin/curl -Sf -s -d '' http://x/\"; "
	  "for i in 1 2 3 4; do sleep 1; : >\"$1/tmp/$i\"; "
	  "mv \"$1/tmp/$i\" \"$1/new/$i\"; done", 0 },
};

START_TEST(lei_stopped_only_when_its_fetch_makes_no_progress)
{
	char *dir = t_tmpdir();
	char *bin = path_join(dir, "bin"), *md = path_join(dir, "md");
	char *lei = path_join(bin, "lei");
	const char *argv[] = { "lei", md, NULL };
	struct front_steps f;
	struct sbuf sb = SBUF_INIT;
	struct err err = ERR_INIT;
	struct timespec t0, t1;
	char *old_path = xstrdup(getenv("PATH"));
	int status;

	sbuf_addf(&sb, "%s/tmp", md);
	ck_assert_int_eq(fs_mkdir_p(sb.buf, NULL), 0);
	sbuf_reset(&sb);
	sbuf_addf(&sb, "%s/new", md);
	ck_assert_int_eq(fs_mkdir_p(sb.buf, NULL), 0);
	ck_assert_int_eq(fs_mkdir_p(bin, NULL), 0);
	sbuf_reset(&sb);
	sbuf_addf(&sb, "#!/bin/sh\n%s\n", lei_watch[_i].script);
	t_write_file(lei, sb.buf);
	ck_assert_int_eq(chmod(lei, 0755), 0);
	sbuf_reset(&sb);
	sbuf_addf(&sb, "%s:%s", bin, old_path);
	setenv("PATH", sb.buf, 1);
	setenv("XDG_STATE_HOME", dir, 1);

	memset(&f, 0, sizeof(f));
	f.timeout = 1;
	f.step = "lei up";
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = front_steps_run_lei(&f, "bpf", md, argv, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	setenv("PATH", old_path, 1);
	ck_assert_msg(f.stalled == lei_watch[_i].stalled, "%s: stalled %d",
		      lei_watch[_i].mode, f.stalled);
	if (lei_watch[_i].stalled) {
		ck_assert_int_eq(status, 128 + SIGINT);
		ck_assert_msg(t1.tv_sec - t0.tv_sec < 10, "%s: %ld s",
			      lei_watch[_i].mode,
			      (long)(t1.tv_sec - t0.tv_sec));
		sbuf_reset(&sb);
		front_steps_explain(&f, status, &sb);
		ck_assert_msg(strstr(sb.buf, "lei printed nothing and wrote "
				     "no message for 2 s"), "%s", sb.buf);
	} else {
		ck_assert_msg(status == 0, "%s: status %d", lei_watch[_i].mode,
			      status);
	}
	front_steps_close(&f);
	sbuf_release(&sb);
	free(old_path);
	free(lei);
	free(md);
	free(bin);
	t_rmtree(dir);
}
END_TEST

static Suite *sync_suite(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("core");
	TCase *probe = tcase_create("probe");
	TCase *watch = tcase_create("watch");

	tcase_add_test(tc, list_names_as_lore_names_inboxes);
	tcase_add_test(tc, lore_url_of_a_list);
	tcase_add_test(tc, list_name_from_the_end_of_a_url);
	tcase_add_test(tc, inbox_address_from_its_configuration);
	tcase_add_test(tc, query_of_the_lists);
	tcase_add_test(tc, lei_saved_search_by_its_maildir);
	tcase_add_test(tc, lei_saved_searches_cut_short);
	tcase_add_test(tc, what_lei_and_curl_exit_codes_mean);
	tcase_add_test(tc, cli_refuses_bad_input);
	tcase_add_test(tc, cli_sync_without_init);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(probe, probe_fault_matrix, 0,
			    sizeof(probe_faults) / sizeof(*probe_faults));
	suite_add_tcase(s, probe);
	tcase_set_timeout(watch, 30);
	tcase_add_loop_test(watch, lei_stopped_only_when_its_fetch_makes_no_progress,
			    0, (int)(sizeof(lei_watch) / sizeof(lei_watch[0])));
	suite_add_tcase(s, watch);
	return s;
}

int main(void)
{
	return t_run_suite(sync_suite());
}
