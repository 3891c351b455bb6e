/*
 * The patchwork model: recorded pages of patchwork's REST API (pages
 * along Link headers, events, checks, and each fault the issue lists)
 * served by a real HTTP server on 127.0.0.1 (tests/httpd.py), synced
 * into the cache and read back from its file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patchwork/pw.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"

/* 2024-12-02 12:00 UTC: a day after the newest recorded patch. */
#define NOW ((time_t)1733140800)

#define STRDUP1 "b76f2f4c550aebe4ab8ea73d23c4cbe4f06ea996.1714374022" \
		".git.tanggeliang@kylinos.cn"
#define VSOCK1 "<20241118-vsock-bpf-poll-close-v1-1-f1b9669cacdc@rbox.co>"
#define VSOCK3 "20241118-vsock-bpf-poll-close-v1-3-f1b9669cacdc@rbox.co"
#define NOMATCH "20241201120000.1234-1-someone@example.org"

struct pwd {
	struct t_server srv;
	char *dir;		/* a temporary directory: the log, the cache */
	char *log;
	char base[96];
};

static void pwd_start(struct pwd *h)
{
	char *script = path_join(t_srcdir(), "tests/httpd.py");
	char *www = t_fixture("patchwork");
	const char *argv[] = { "python3", script, www, NULL, NULL };

	h->dir = t_tmpdir();
	h->log = path_join(h->dir, "requests.log");
	argv[3] = h->log;
	t_server_start(&h->srv, argv);
	free(script);
	free(www);
}

static void pwd_stop(struct pwd *h)
{
	t_server_stop(&h->srv);
	free(h->log);
	t_rmtree(h->dir);
}

/* The base URL of a recorded set (or fault) on the server. */
static const char *pwd_url(struct pwd *h, const char *set)
{
	snprintf(h->base, sizeof(h->base), "http://127.0.0.1:%d/pw/%s",
		 h->srv.port, set);
	return h->base;
}

/* The requests the server saw since the last call (then forgotten). */
static char *pwd_log(struct pwd *h)
{
	char *s = fs_exists(h->log) ? t_read_file(h->log) : strdup("");

	remove(h->log);
	return s;
}

static void options(struct pw_sync_options *o, const char *url)
{
	pw_sync_options_init(o);
	o->url = url;
	o->now = NOW;
	o->rate_per_minute = 20;
}

static const struct pw_check *check_of(const struct pw_patch *p,
				       const char *context)
{
	for (size_t i = 0; i < p->checks.n; i++) {
		const struct pw_check *c = p->checks.items[i];

		if (!strcmp(c->context, context))
			return c;
	}
	ck_abort_msg("patch %ld: no check %s", p->id, context);
	return NULL;
}

static const struct pw_patch *find(const struct pw_db *db, const char *m)
{
	const struct pw_patch *p = pw_db_find(db, m);

	ck_assert_msg(p != NULL, "no patch %s", m);
	return p;
}

/* The states the first sync of pw1 gives, asserted on db. */
static void assert_pw1_states(const struct pw_db *db)
{
	const struct pw_patch *p;
	const struct pw_check *c;

	ck_assert_uint_eq(db->patches.n, 7);
	p = find(db, "<" STRDUP1 ">");
	ck_assert_int_eq(p->id, 13646720);
	ck_assert_str_eq(p->state, "accepted");
	ck_assert_str_eq(p->delegate, "bpf");
	ck_assert_int_eq(p->series, 848452);
	ck_assert_uint_eq(p->checks.n, 3);
	ck_assert_int_eq(check_of(p, "netdev/checkpatch")->state,
			 PW_CHECK_SUCCESS);
	p = find(db, VSOCK1);
	ck_assert_str_eq(p->state, "changes-requested");
	ck_assert_str_eq(p->name, "[bpf,1/4] bpf, vsock: Fix poll() missing "
			 "a queue");
	ck_assert_uint_eq(p->checks.n, 3);
	/* The newer check of the context stays, not the late older one. */
	c = check_of(p, "bpf/vmtest-bpf-VM_Test-12");
	ck_assert_int_eq(c->state, PW_CHECK_FAIL);
	ck_assert_str_eq(c->url, "https://github.com/kernel-patches/bpf/"
			 "actions/runs/119000/job/33162");
	ck_assert_ptr_null(check_of(p, "netdev/checkpatch")->url);
	p = find(db, VSOCK3);
	ck_assert_int_eq(check_of(p, "netdev/checkpatch")->state,
			 PW_CHECK_WARNING);
	/* A patch that matches no message is kept all the same. */
	p = find(db, NOMATCH);
	ck_assert_str_eq(p->state, "new");
	ck_assert_int_eq(p->check, PW_CHECK_SUCCESS);
	ck_assert_ptr_null(p->delegate);
}

/* ...and where the next sync starts. */
static void assert_pw1(const struct pw_db *db)
{
	assert_pw1_states(db);
	ck_assert_str_eq(db->patches_since, "2024-12-01T12:00:00");
	ck_assert_str_eq(db->events_since, "2024-11-21T10:30:00");
	ck_assert_ptr_null(db->resume_patches);
	ck_assert_ptr_null(db->resume_events);
	ck_assert_ptr_null(db->error);
}

/* Sync pw1 into a new db, asserting it went as it should. */
static struct pw_db *sync_pw1(struct pwd *h)
{
	struct pw_db *db = pw_db_new(pwd_url(h, "pw1"), "netdevbpf");
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;

	options(&o, pwd_url(h, "pw1"));
	ck_assert_msg(pw_sync(db, &o, &res, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res.complete, 1);
	ck_assert_uint_eq(res.requests, 6);
	ck_assert_uint_eq(res.pages, 6);
	ck_assert_int_eq(db->synced, NOW);
	assert_pw1(db);
	return db;
}

START_TEST(first_sync_reads_every_page_and_event)
{
	struct pwd h;
	struct pw_db *db;
	char *log;

	pwd_start(&h);
	db = sync_pw1(&h);
	log = pwd_log(&h);
	/* Two weeks back, every page along the Link headers, in order. */
	ck_assert_msg(strstr(log, "/pw/pw1/api/1.3/patches/?project=netdevbpf"
			     "&since=2024-11-18T12:00:00&order=id"
			     "&per_page=100\n") &&
		      strstr(log, "page=3") &&
		      strstr(log, "/pw/pw1/api/1.3/events/?project=netdevbpf"
			     "&since=2024-11-18T12:00:00&order=date\n"),
		      "%s", log);
	ck_assert(strstr(log, "patches/") < strstr(log, "events/"));
	free(log);
	pw_db_free(db);
	pwd_stop(&h);
}
END_TEST

START_TEST(cache_file_round_trip)
{
	struct pwd h;
	struct pw_db *db, *back = NULL;
	struct err err = ERR_INIT;
	char *path;

	pwd_start(&h);
	db = sync_pw1(&h);
	path = pw_cache_path(h.dir, "https://patchwork.kernel.org/",
			     "netdevbpf");
	ck_assert(strstr(path, "patchwork-patchwork.kernel.org-netdevbpf"));
	ck_assert_int_eq(pw_db_save(db, path, &err), 0);
	ck_assert_int_eq(pw_db_load(path, &back, &err), 1);
	assert_pw1(back);
	ck_assert_int_eq(back->synced, NOW);
	ck_assert_str_eq(back->url, db->url);
	pw_db_free(back);
	/* A broken cache names its file and line. */
	t_write_file(path, "vger-patchwork 1\nurl\thttp://x\nP\t12\n");
	ck_assert_int_lt(pw_db_load(path, &back, &err), 0);
	ck_assert_ptr_null(back);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_msg(strstr(err.msg, ":3: not a line"), "%s", err.msg);
	t_write_file(path, "{\"not\": \"ours\"}\n");
	ck_assert_int_lt(pw_db_load(path, &back, &err), 0);
	ck_assert_msg(strstr(err.msg, "not a vger patchwork cache"), "%s",
		      err.msg);
	/* None at all is not an error. */
	remove(path);
	ck_assert_int_eq(pw_db_load(path, &back, &err), 0);
	ck_assert_ptr_null(back);
	free(path);
	pw_db_free(db);
	pwd_stop(&h);
}
END_TEST

START_TEST(next_sync_asks_only_since_the_newest)
{
	struct pwd h;
	struct pw_db *db;
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	const struct pw_patch *p;
	char *log;

	pwd_start(&h);
	db = sync_pw1(&h);
	free(pwd_log(&h));
	options(&o, pwd_url(&h, "pw2"));
	o.now = NOW + 3600;
	ck_assert_msg(pw_sync(db, &o, &res, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res.complete, 1);
	ck_assert_uint_eq(res.requests, 2);
	log = pwd_log(&h);
	ck_assert_msg(strstr(log, "patches/?project=netdevbpf&since="
			     "2024-12-01T12:00:00&") &&
		      strstr(log, "events/?project=netdevbpf&since="
			     "2024-11-21T10:30:00&"), "%s", log);
	free(log);
	p = find(db, VSOCK1);
	ck_assert_str_eq(p->state, "superseded");
	ck_assert_int_eq(check_of(p, "bpf/vmtest-bpf-VM_Test-12")->state,
			 PW_CHECK_SUCCESS);
	ck_assert_uint_eq(p->checks.n, 3);
	ck_assert_str_eq(find(db, "<" STRDUP1 ">")->state, "accepted");
	ck_assert_uint_eq(db->patches.n, 7);
	ck_assert_str_eq(db->events_since, "2024-11-25T09:00:00");
	pw_db_free(db);
	pwd_stop(&h);
}
END_TEST

/* At most rate_per_minute requests a minute, across syncs: it stops,
 * and the next sync goes on from the page it stopped at. */
START_TEST(rate_limit_stops_and_resumes)
{
	struct pwd h;
	struct pw_db *db, *back = NULL;
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	char *path, *log;

	pwd_start(&h);
	path = path_join(h.dir, "cache.tsv");
	db = pw_db_new(pwd_url(&h, "pw1"), "netdevbpf");
	options(&o, pwd_url(&h, "pw1"));
	o.rate_per_minute = 2;
	ck_assert_int_eq(pw_sync(db, &o, &res, &err), 0);
	ck_assert_int_eq(res.complete, 0);
	ck_assert_uint_eq(res.requests, 2);
	ck_assert_msg(strstr(res.stopped, "2 requests a minute"), "%s",
		      res.stopped);
	ck_assert_msg(db->resume_patches &&
		      strstr(db->resume_patches, "page=3"), "%s",
		      db->resume_patches);
	/* The count survives in the cache: a second run in the same
	 * minute asks nothing. */
	ck_assert_int_eq(pw_db_save(db, path, &err), 0);
	pw_db_free(db);
	ck_assert_int_eq(pw_db_load(path, &back, &err), 1);
	db = back;
	o.now = NOW + 30;
	free(pwd_log(&h));
	ck_assert_int_eq(pw_sync(db, &o, &res, &err), 0);
	ck_assert_uint_eq(res.requests, 0);
	ck_assert_int_eq(res.complete, 0);
	/* A minute on: it goes on at page 3. */
	o.now = NOW + 61;
	ck_assert_int_eq(pw_sync(db, &o, &res, &err), 0);
	ck_assert_uint_eq(res.requests, 2);
	log = pwd_log(&h);
	ck_assert_msg(!strncmp(log, "/pw/pw1/api/1.3/patches/", 24) &&
		      strstr(log, "page=3\n"), "%s", log);
	free(log);
	o.now = NOW + 122;
	ck_assert_int_eq(pw_sync(db, &o, &res, &err), 0);
	log = pwd_log(&h);
	ck_assert_msg(res.complete == 1, "%u requests, %s: %s", res.requests,
		      res.stopped, log);
	free(log);
	assert_pw1(db);
	pw_db_free(db);
	free(path);
	pwd_stop(&h);
}
END_TEST

/*
 * A fault: the sync fails within the time limit with a message saying
 * what, the cached state stays, and the error is kept with its time.
 */
static void fault(const char *set, long timeout_ms, const char *cause)
{
	struct pwd h;
	struct pw_db *db;
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	struct timespec t0, t1;
	double secs;
	long hwm = t_vm_hwm_kb();

	pwd_start(&h);
	db = sync_pw1(&h);
	options(&o, pwd_url(&h, set));
	o.now = NOW + 600;
	o.timeout_ms = timeout_ms;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_lt(pw_sync(db, &o, &res, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs < timeout_ms / 1000.0 + 1.0, "%s took %.1f s",
		      set, secs);
	ck_assert_msg(strstr(err.msg, cause), "%s: %s", set, err.msg);
	/* a body is read up to the size limit, never further */
	ck_assert_msg(t_vm_hwm_kb() - hwm < 64 * 1024, "%s: VmHWM %ld kB "
		      "then %ld kB", set, hwm, t_vm_hwm_kb());
	ck_assert_int_eq(res.complete, 0);
	ck_assert_str_eq(db->error, err.msg);
	ck_assert_int_eq(db->error_time, NOW + 600);
	/* The cache is as it was. */
	ck_assert_int_eq(db->synced, NOW);
	assert_pw1_states(db);
	pw_db_free(db);
	pwd_stop(&h);
}

START_TEST(fault_404)
{
	fault("404", 5000, "HTTP 404 from http://127.0.0.1:");
}
END_TEST

START_TEST(fault_500)
{
	fault("500", 5000, "HTTP 500 from");
}
END_TEST

START_TEST(fault_redirect_loop)
{
	fault("loop", 5000, "redirect");
}
END_TEST

START_TEST(fault_truncated_json)
{
	fault("truncated", 5000, "not patchwork's JSON: it ends too soon");
}
END_TEST

START_TEST(fault_malformed_json)
{
	fault("malformed", 5000, "not patchwork's JSON");
}
END_TEST

START_TEST(fault_not_a_list)
{
	fault("notlist", 5000, "not a list of patches");
}
END_TEST

START_TEST(fault_page_that_never_ends)
{
	fault("endless", 1500, "Timeout");
}
END_TEST

START_TEST(fault_server_that_never_answers)
{
	fault("hang", 1000, "Timeout");
}
END_TEST

/* A 200 that comes one byte every half second. */
START_TEST(fault_slow_page)
{
	fault("slow", 1500, "Timeout");
}
END_TEST

/* The connection closes before the length the server promised. */
START_TEST(fault_cut_transfer)
{
	fault("cut", 5000, "partial");
}
END_TEST

START_TEST(fault_oversized_page)
{
	fault("big", 5000, "larger than 8388608 bytes");
	fault("huge", 5000, "larger than 8388608 bytes");
}
END_TEST

/* gzip of 2 MiB that inflates to 2 GiB: stopped at 8 MiB inflated. */
START_TEST(fault_gzip_bomb)
{
	fault("bomb", 5000, "larger than 8388608 bytes");
}
END_TEST

START_TEST(fault_next_page_is_itself)
{
	fault("selfnext", 5000, "the next page is this page");
}
END_TEST

/* 429: back off as Retry-After says, and ask nothing until then. */
START_TEST(fault_rate_limited_by_the_server)
{
	struct pwd h;
	struct pw_db *db;
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	char *log;

	pwd_start(&h);
	db = sync_pw1(&h);
	options(&o, pwd_url(&h, "429"));
	o.now = NOW + 600;
	ck_assert_int_lt(pw_sync(db, &o, &res, &err), 0);
	ck_assert_msg(strstr(err.msg, "HTTP 429") &&
		      strstr(err.msg, "waiting 120 s"), "%s", err.msg);
	ck_assert_int_eq(db->retry_after, NOW + 600 + 120);
	free(pwd_log(&h));
	o.now = NOW + 660;
	ck_assert_int_eq(pw_sync(db, &o, &res, &err), 0);
	ck_assert_uint_eq(res.requests, 0);
	ck_assert_msg(strstr(res.stopped, "no request for 60 s more"), "%s",
		      res.stopped);
	log = pwd_log(&h);
	ck_assert_str_eq(log, "");
	free(log);
	/* The error of the 429 is still what the cache says. */
	ck_assert(strstr(db->error, "HTTP 429"));
	assert_pw1_states(db);
	pw_db_free(db);
	pwd_stop(&h);
}
END_TEST

/* Last-Modified served: the next sync asks If-Modified-Since, a 304
 * is "nothing new". */
START_TEST(if_modified_since_where_served)
{
	struct pwd h;
	struct pw_db *db;
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;

	pwd_start(&h);
	db = pw_db_new(pwd_url(&h, "lastmod"), "netdevbpf");
	options(&o, pwd_url(&h, "lastmod"));
	ck_assert_msg(pw_sync(db, &o, &res, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res.complete, 1);
	ck_assert_int_eq(db->last_modified, 1);
	assert_pw1(db);
	o.now = NOW + 3600;
	ck_assert_msg(pw_sync(db, &o, &res, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res.complete, 1);
	ck_assert_int_eq(res.not_modified, 1);
	ck_assert_uint_eq(res.requests, 2);
	ck_assert_uint_eq(res.pages, 0);
	assert_pw1(db);
	pw_db_free(db);
	pwd_stop(&h);
}
END_TEST

/* Two patchwork patches with one Message-ID: the newer is the one. */
START_TEST(two_patches_with_one_message_id)
{
	struct pwd h;
	struct pw_db *db;
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;
	const struct pw_patch *p;

	pwd_start(&h);
	db = pw_db_new(pwd_url(&h, "dup"), "netdevbpf");
	options(&o, pwd_url(&h, "dup"));
	ck_assert_msg(pw_sync(db, &o, &res, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(db->patches.n, 2);
	p = find(db, STRDUP1);
	ck_assert_int_eq(p->id, 13646999);
	ck_assert_str_eq(p->state, "under-review");
	ck_assert_uint_eq(db->duplicates.n, 1);
	ck_assert_str_eq(db->duplicates.items[0], STRDUP1);
	pw_db_free(db);
	pwd_stop(&h);
}
END_TEST

START_TEST(bad_project_name_is_refused)
{
	struct pw_db *db = pw_db_new("http://127.0.0.1:9", "x&y");
	struct pw_sync_options o;
	struct pw_sync_result res;
	struct err err = ERR_INIT;

	options(&o, "http://127.0.0.1:9");
	o.project = "netdevbpf&since=0";
	ck_assert_int_lt(pw_sync(db, &o, &res, &err), 0);
	ck_assert_msg(strstr(err.msg, "not a project's name"), "%s", err.msg);
	ck_assert_uint_eq(res.requests, 0);
	pw_db_free(db);
}
END_TEST

static Suite *patchwork_suite(void)
{
	Suite *s = suite_create("patchwork");
	TCase *tc = tcase_create("sync");

	tcase_add_test(tc, first_sync_reads_every_page_and_event);
	tcase_add_test(tc, cache_file_round_trip);
	tcase_add_test(tc, next_sync_asks_only_since_the_newest);
	tcase_add_test(tc, rate_limit_stops_and_resumes);
	tcase_add_test(tc, if_modified_since_where_served);
	tcase_add_test(tc, two_patches_with_one_message_id);
	tcase_add_test(tc, bad_project_name_is_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("faults");
	tcase_add_test(tc, fault_404);
	tcase_add_test(tc, fault_500);
	tcase_add_test(tc, fault_redirect_loop);
	tcase_add_test(tc, fault_truncated_json);
	tcase_add_test(tc, fault_malformed_json);
	tcase_add_test(tc, fault_not_a_list);
	tcase_add_test(tc, fault_page_that_never_ends);
	tcase_add_test(tc, fault_server_that_never_answers);
	tcase_add_test(tc, fault_next_page_is_itself);
	tcase_add_test(tc, fault_slow_page);
	tcase_add_test(tc, fault_cut_transfer);
	tcase_add_test(tc, fault_oversized_page);
	tcase_add_test(tc, fault_gzip_bomb);
	tcase_add_test(tc, fault_rate_limited_by_the_server);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(patchwork_suite());
}
