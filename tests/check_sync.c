/*
 * vger init and vger sync without the network: what front/lore.c
 * reads of lore's URLs, public-inbox's configuration and lei's saved
 * searches, and the command line's answers to bad input.  The real
 * tools on a real inbox are tests/e2e/sync.sh.
 */
#include <check.h>
#include <string.h>

#include "front/lore.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"

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

static Suite *sync_suite(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("core");

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
	return s;
}

int main(void)
{
	return t_run_suite(sync_suite());
}
