/*
 * The vger binary's dispatch, its printer, and configuration read
 * through libgit2.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/printer.h"
#include "front/gitconfig.h"
#include "tests/testlib.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"

START_TEST(help_lists_every_command)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "--help", NULL };

	ck_assert_int_eq(t_vger(args, NULL, &out, &err), 0);
	ck_assert(strstr(out.buf, "usage: vger") != NULL);
	ck_assert(strstr(out.buf, "   demo ") != NULL);
	ck_assert(strstr(out.buf, "   version ") != NULL);
	ck_assert_str_eq(err.buf, "");
	sbuf_release(&out);
	sbuf_release(&err);
}
END_TEST

START_TEST(help_for_a_command_equals_its_help_option)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	const char *help[] = { "help", "version", NULL };
	const char *opt[] = { "version", "--help", NULL };

	ck_assert_int_eq(t_vger(help, NULL, &a, NULL), 0);
	ck_assert_int_eq(t_vger(opt, NULL, &b, NULL), 0);
	ck_assert(str_starts_with(a.buf, "usage: vger version"));
	ck_assert_str_eq(a.buf, b.buf);
	sbuf_release(&a);
	sbuf_release(&b);
}
END_TEST

START_TEST(unknown_command_is_one_line_and_exit_2)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *args[] = { "frobnicate", NULL };

	ck_assert_int_eq(t_vger(args, NULL, &out, &err), 2);
	ck_assert_str_eq(out.buf, "");
	ck_assert(strstr(err.buf, "'frobnicate' is not a vger command"));
	ck_assert_ptr_eq(strchr(err.buf, '\n'), err.buf + err.len - 1);
	sbuf_release(&out);
	sbuf_release(&err);
}
END_TEST

START_TEST(unknown_option_is_one_line_and_exit_2)
{
	struct sbuf err = SBUF_INIT;
	const char *global[] = { "--frobnicate", NULL };
	const char *sub[] = { "version", "--frobnicate", NULL };

	ck_assert_int_eq(t_vger(global, NULL, NULL, &err), 2);
	ck_assert(strstr(err.buf, "--frobnicate"));
	ck_assert_ptr_eq(strchr(err.buf, '\n'), err.buf + err.len - 1);
	sbuf_reset(&err);
	ck_assert_int_eq(t_vger(sub, NULL, NULL, &err), 2);
	ck_assert(strstr(err.buf, "vger version: "));
	ck_assert(strstr(err.buf, "--frobnicate"));
	ck_assert_ptr_eq(strchr(err.buf, '\n'), err.buf + err.len - 1);
	sbuf_release(&err);
}
END_TEST

START_TEST(version_names_the_libraries)
{
	struct sbuf out = SBUF_INIT;
	const char *args[] = { "--version", NULL };

	ck_assert_int_eq(t_vger(args, NULL, &out, NULL), 0);
	ck_assert(str_starts_with(out.buf, "vger "));
	ck_assert(strstr(out.buf, "libnotmuch "));
	ck_assert(strstr(out.buf, "libgit2 "));
	sbuf_release(&out);
}
END_TEST

START_TEST(config_levels_global_then_repository)
{
	char *dir = t_tmpdir();
	char *global = path_join(dir, "gitconfig");
	char *repo = path_join(dir, "repo");
	char *sub = path_join(dir, "repo/sub/dir");
	struct t_git *g;
	struct front_config *cfg;
	struct err err = ERR_INIT;
	struct vec multi = VEC_INIT;
	char *s;

	t_write_file(global, "[vger]\n\ttree = bpf\n\tdatabase = ~/mail\n"
		     "\tlimit = 2k\n\tcolor = yes\n"
		     "[sendemail]\n\tsmtpServer = smtp.example.org\n"
		     "[vger]\n\tcc = a@example.org\n\tcc = b@example.org\n");
	/* libgit2 reads $HOME once, at its first init. */
	setenv("GIT_CONFIG_GLOBAL", global, 1);
	setenv("HOME", dir, 1);
	g = t_git_init(repo);
	ck_assert(!fs_mkdir_p(sub, &err));

	ck_assert_int_eq(front_config_open(&cfg, sub, &err), 0);
	s = front_config_string(cfg, "vger.tree");
	ck_assert_str_eq(s, "bpf");
	free(s);
	s = front_config_path(cfg, "vger.database");
	ck_assert(str_starts_with(s, dir));
	ck_assert(str_ends_with(s, "/mail"));
	free(s);
	ck_assert_int_eq(front_config_long(cfg, "vger.limit", 0), 2048);
	ck_assert_int_eq(front_config_bool(cfg, "vger.color", 0), 1);
	ck_assert_int_eq(front_config_bool(cfg, "vger.nope", 7), 7);
	s = front_config_string(cfg, "sendemail.smtpserver");
	ck_assert_str_eq(s, "smtp.example.org");
	free(s);
	front_config_multi(cfg, "vger.cc", &multi);
	ck_assert_uint_eq(multi.n, 2);
	ck_assert_str_eq(multi.items[1], "b@example.org");
	ck_assert_ptr_null(front_config_string(cfg, "vger.unset"));
	ck_assert_ptr_nonnull(front_config_repo_dir(cfg));
	front_config_free(cfg);

	/* The repository's own config wins over the global file. */
	s = path_join(repo, ".git/config");
	t_write_file(s, "[core]\n\tbare = false\n[vger]\n\ttree = bpf-next\n");
	free(s);
	ck_assert_int_eq(front_config_open(&cfg, sub, &err), 0);
	s = front_config_string(cfg, "vger.tree");
	ck_assert_str_eq(s, "bpf-next");
	free(s);
	front_config_free(cfg);

	vec_release_str(&multi);
	t_git_free(g);
	free(global);
	free(repo);
	free(sub);
	t_rmtree(dir);
}
END_TEST

START_TEST(config_broken_file_names_it)
{
	char *dir = t_tmpdir();
	char *global = path_join(dir, "gitconfig");
	struct front_config *cfg = NULL;
	struct err err = ERR_INIT;

	t_write_file(global, "[vger\n\ttree = bpf\n");
	setenv("GIT_CONFIG_GLOBAL", global, 1);
	ck_assert_int_lt(front_config_open(&cfg, dir, &err), 0);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(err.code, ERR_GIT);
	ck_assert_msg(strstr(err.msg, "gitconfig") != NULL, "%s", err.msg);
	free(global);
	t_rmtree(dir);
}
END_TEST

/*
 * What notmuch cannot do is said in words that fit: a query Xapian
 * cannot parse, a config file notmuch cannot read, none at all.
 */
START_TEST(notmuch_errors_say_what_is_wrong)
{
	char *dir = t_fixture("hostile");
	const char *dirs[] = { dir, NULL };
	char *root = t_notmuch_db(dirs);
	char *db = t_notmuch_path(root);
	char *broken = path_join(root, "broken-config");
	char *missing = path_join(root, "no-such-config");
	static const char *const queries[][2] = {
		{ "AND AND", "Syntax: <expression> AND <expression>" },
		{ "date:foo..bar", "understand date specification 'foo'" },
		{ "tag:x OR", "Syntax: <expression> OR <expression>" },
	};
	const char *series[] = { "series", "--no-cache", NULL };
	struct sbuf env = SBUF_INIT, err = SBUF_INIT, want = SBUF_INIT;
	const char *envv[] = { NULL, NULL };

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const char *args[] = { "series", "--db", db, "--no-cache",
				       "--query", queries[i][0], NULL };

		ck_assert_int_eq(t_vger(args, NULL, NULL, &err), 1);
		sbuf_reset(&want);
		sbuf_addf(&want, "cannot read the query '%s': ", queries[i][0]);
		ck_assert_msg(strstr(err.buf, want.buf) &&
			      strstr(err.buf, queries[i][1]), "%s", err.buf);
		ck_assert_msg(!strstr(err.buf, "Xapian exception"), "%s",
			      err.buf);
	}
	/* a config notmuch finds and cannot read is named as such */
	t_write_file(broken, "[database\npath=/nowhere\n");
	sbuf_addf(&env, "NOTMUCH_CONFIG=%s", broken);
	envv[0] = env.buf;
	ck_assert_int_eq(t_vger(series, envv, NULL, &err), 1);
	sbuf_reset(&want);
	sbuf_addf(&want, "notmuch cannot read its config file %s", broken);
	ck_assert_msg(strstr(err.buf, want.buf), "%s", err.buf);
	ck_assert_msg(!strstr(err.buf, "No configuration file found"), "%s",
		      err.buf);
	/* and none is said to be none */
	sbuf_reset(&env);
	sbuf_addf(&env, "NOTMUCH_CONFIG=%s", missing);
	envv[0] = env.buf;
	ck_assert_int_eq(t_vger(series, envv, NULL, &err), 1);
	sbuf_reset(&want);
	sbuf_addf(&want, "no notmuch config file (%s)", missing);
	ck_assert_msg(strstr(err.buf, want.buf), "%s", err.buf);
	sbuf_release(&env);
	sbuf_release(&err);
	sbuf_release(&want);
	free(broken);
	free(missing);
	free(db);
	t_rmtree(root);
	free(dir);
}
END_TEST

/* Every line of out is safe for a terminal (util/sbuf.h's sanitiser). */
/* The "tree" of the series whose title is title, from `--json` output. */
static const char *json_tree_of(json_object *a, const char *title)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i), *t, *v;

		if (json_object_object_get_ex(o, "title", &t) &&
		    !strcmp(json_object_get_string(t), title) &&
		    json_object_object_get_ex(o, "tree", &v))
			return json_object_get_string(v);
	}
	ck_abort_msg("no series '%s' in the JSON", title);
	return NULL;
}

/*
 * Subjects whose tree word carries a terminal payload (issue 10 item 2):
 * `vger series`, its --json and `vger check` show each one visibly.
 */
START_TEST(hostile_subjects_reach_the_terminal_sanitised)
{
	char *dir = t_fixture("hostile");
	const char *dirs[] = { dir, NULL };
	char *root = t_notmuch_db(dirs);
	char *db = t_notmuch_path(root);
	const char *text[] = { "series", "--db", db, "--no-cache", NULL };
	const char *json[] = { "series", "--db", db, "--no-cache", "--json",
			       NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	json_object *a;

	ck_assert_int_eq(t_vger(text, NULL, &out, &err), 0);
	t_assert_terminal_safe("vger series", &out);
	t_assert_terminal_safe("vger series (stderr)", &err);
	ck_assert_msg(strstr(out.buf, "  ^[[8m     ") &&
		      strstr(out.buf, "  bpf<U+009 ") &&
		      strstr(out.buf, "  bpf<U+202 ") &&
		      strstr(out.buf, "  bpf^H^H^H ") &&
		      strstr(out.buf, "  bpf^[     ") &&
		      strstr(out.buf, "isolate <U+202E> reversed, ^? DEL"),
		      "%s", out.buf);

	sbuf_reset(&out);
	ck_assert_int_eq(t_vger(json, NULL, &out, &err), 0);
	t_assert_terminal_safe("vger series --json", &out);
	ck_assert(strstr(out.buf, "\"tree\": \"bpf\\u009b2j\""));
	ck_assert(strstr(out.buf, "\"tree\": \"bpf\\u202e-next\""));
	ck_assert(strstr(out.buf, "\"tree\": \"bpf\\u2066x\\u2069\""));
	ck_assert(strstr(out.buf, "reversed, \\u007f DEL"));
	/* Escaped, not lost: a JSON reader gets the characters back. */
	a = json_tokener_parse(out.buf);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(json_tree_of(a, "bpf: C1 CSI in the tree word"),
			 "bpf\xc2\x9b" "2j");
	ck_assert_str_eq(json_tree_of(a, "bpf: bidi override in the tree word"),
			 "bpf\xe2\x80\xae-next");
	ck_assert_str_eq(json_tree_of(a, "bpf: conceal the tree word"),
			 "\x1b[8m");
	json_object_put(a);

	sbuf_release(&out);
	sbuf_release(&err);
	free(db);
	t_rmtree(root);
	free(dir);
}
END_TEST

/* `vger check` names the tree of the subject in its summary line. */
START_TEST(hostile_subjects_in_vger_check_summary)
{
	static const struct {
		const char *file, *summary;
	} cases[] = {
		{ "subject-tree-conceal.eml", "for ^[[8m\n" },
		{ "subject-tree-c1-csi.eml", "for bpf<U+009B>2j\n" },
		{ "subject-tree-bidi.eml", "for bpf<U+202E>-next\n" },
		{ "subject-tree-backspace.eml", "for bpf^H^H^H^Gnet\n" },
		{ "subject-tree-encoded-osc.eml", "for bpf^[\n" },
		{ "subject-tree-isolate.eml", "for bpf<U+2066>x<U+2069>\n" },
	};
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, rel = SBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *path;
		const char *args[] = { "check", NULL, NULL };
		const char *json[] = { "check", "--json", NULL, NULL };

		sbuf_reset(&rel);
		sbuf_addf(&rel, "hostile/%s", cases[i].file);
		path = t_fixture(rel.buf);
		args[1] = path;
		json[2] = path;
		sbuf_reset(&out);
		sbuf_reset(&err);
		t_vger(args, NULL, &out, &err);
		t_assert_terminal_safe(cases[i].file, &out);
		t_assert_terminal_safe(cases[i].file, &err);
		ck_assert_msg(str_ends_with(out.buf, cases[i].summary), "%s",
			      out.buf);
		sbuf_reset(&out);
		t_vger(json, NULL, &out, &err);
		t_assert_terminal_safe(cases[i].file, &out);
		ck_assert_msg(strstr(out.buf, "\"tree\": \"bpf") ||
			      strstr(out.buf, "\"tree\": \"\\u001b"), "%s",
			      out.buf);
		free(path);
	}
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&rel);
}
END_TEST

/* One description, as the printer renders it in text or in JSON. */
static char *describe(int json)
{
	struct cli_printer *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	p = cli_printer_new(f, json);
	cli_pr_map(p, NULL);
	cli_pr_str(p, "title", "only in JSON");
	cli_pr_int(p, "count", 2);
	cli_pr_list(p, "items");
	cli_pr_map(p, NULL);
	cli_pr_str_as(p, "name", "one \x1b[2J", "%-12s|");
	cli_pr_int_as(p, "n", 1, " n=%lld");
	cli_pr_bool(p, "ok", 1);
	cli_pr_end(p);
	cli_pr_map(p, NULL);
	cli_pr_str_as(p, "name", NULL, "%s|");
	cli_pr_text(p, "none");
	cli_pr_null(p, "n");
	cli_pr_bool(p, "ok", 0);
	cli_pr_end(p);
	cli_pr_end(p);
	cli_pr_list(p, "tags");
	cli_pr_str(p, NULL, "a/b");
	cli_pr_end(p);
	cli_pr_text(p, "2 items\n");
	cli_pr_end(p);
	cli_printer_free(p);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

START_TEST(printer_text_and_json_from_one_description)
{
	char *text = describe(0), *json = describe(1);

	ck_assert_str_eq(text, "one ^[[2J   | n=1\n"
			 "none\n"
			 "2 items\n");
	ck_assert_str_eq(json, "{\n"
			 "  \"title\": \"only in JSON\",\n"
			 "  \"count\": 2,\n"
			 "  \"items\": [\n"
			 "    {\n"
			 "      \"name\": \"one \\u001b[2J\",\n"
			 "      \"n\": 1,\n"
			 "      \"ok\": true\n"
			 "    },\n"
			 "    {\n"
			 "      \"name\": null,\n"
			 "      \"n\": null,\n"
			 "      \"ok\": false\n"
			 "    }\n"
			 "  ],\n"
			 "  \"tags\": [\n"
			 "    \"a/b\"\n"
			 "  ]\n"
			 "}\n");
	free(text);
	free(json);
}
END_TEST

/*
 * A FIFO, a device or a directory where the cache's files are (issue
 * 10): vger series must not wait on it, and rebuilds the cache.
 */
START_TEST(special_files_in_place_of_the_cache_do_not_hang)
{
	char *fx = t_fixture("threading");
	const char *dirs[] = { fx, NULL };
	char *root = t_notmuch_db(dirs), *db = t_notmuch_path(root);
	char *cache = t_tmpdir();
	const char *args[] = { "series", "--db", db, NULL };
	const char *env[] = { NULL, NULL };
	static const char *const kinds[] = { "fifo", "/dev/zero", "dir",
					     NULL };
	struct sbuf out = SBUF_INIT, err = SBUF_INIT, first = SBUF_INIT;
	struct sbuf e = SBUF_INIT;
	char *records, *listing, *ids, *groups, *dir;

	sbuf_addf(&e, "XDG_CACHE_HOME=%s", cache);
	env[0] = e.buf;
	ck_assert_msg(t_vger(args, env, &first, &err) == 0, "%s", err.buf);
	sbuf_reset(&out);
	sbuf_addf(&out, "%s/vger/series-*/records", cache);
	records = t_glob_one(out.buf);
	dir = xstrndup(records, strlen(records) - strlen("/records"));
	listing = path_join(dir, "series.jsonl");
	ids = path_join(dir, "ids");
	groups = path_join(dir, "groups");
	for (size_t k = 0; kinds[k]; k++) {
		const char *paths[] = { records, listing, ids, groups };

		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			t_special_plant(paths[i], kinds[k]);
		sbuf_reset(&out);
		ck_assert_msg(t_vger(args, env, &out, &err) == 0, "%s: %s",
			      kinds[k], err.buf);
		ck_assert_str_eq(out.buf, first.buf);
	}
	free(records);
	free(listing);
	free(ids);
	free(groups);
	free(dir);
	free(db);
	free(fx);
	t_rmtree(root);
	t_rmtree(cache);
	sbuf_release(&out);
	sbuf_release(&err);
	sbuf_release(&first);
	sbuf_release(&e);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("dispatch");
	TCase *cfg = tcase_create("config");
	TCase *hostile = tcase_create("hostile");

	tcase_add_test(tc, help_lists_every_command);
	tcase_add_test(tc, help_for_a_command_equals_its_help_option);
	tcase_add_test(tc, unknown_command_is_one_line_and_exit_2);
	tcase_add_test(tc, unknown_option_is_one_line_and_exit_2);
	tcase_add_test(tc, version_names_the_libraries);
	tcase_add_test(tc, printer_text_and_json_from_one_description);
	suite_add_tcase(s, tc);
	tcase_add_test(cfg, config_levels_global_then_repository);
	tcase_add_test(cfg, config_broken_file_names_it);
	tcase_add_test(cfg, notmuch_errors_say_what_is_wrong);
	suite_add_tcase(s, cfg);
	tcase_add_test(hostile, hostile_subjects_reach_the_terminal_sanitised);
	tcase_add_test(hostile, hostile_subjects_in_vger_check_summary);
	tcase_add_test(hostile, special_files_in_place_of_the_cache_do_not_hang);
	suite_add_tcase(s, hostile);
	return s;
}

int main(void)
{
	return t_run_suite(cli_suite());
}
