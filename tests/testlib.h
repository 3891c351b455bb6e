/*
 * Helpers shared by the Check suites: temporary directories, fixture
 * paths, running programs, real notmuch databases and real git
 * repositories.  Every helper aborts the test (ck_abort) on failure.
 */
#ifndef TESTS_TESTLIB_H
#define TESTS_TESTLIB_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct sbuf;
struct Suite;

/* Run a suite (CK_VERBOSITY from the environment); the exit status. */
int t_run_suite(struct Suite *s);

/* $top_srcdir (set by make check), else ".". */
const char *t_srcdir(void);
/* $top_builddir, else ".". */
const char *t_builddir(void);
/* tests/fixtures/<rel> under the source tree; the caller frees. */
char *t_fixture(const char *rel);
/*
 * Call fn on every file whose name ends in suffix below each of
 * tests/fixtures/<dirs[i]> (NULL-terminated); the number of files.
 */
size_t t_fixture_files(const char *const dirs[], const char *suffix,
		       void (*fn)(const char *path));
/* A new empty directory; remove with t_rmtree(). */
char *t_tmpdir(void);
void t_rmtree(char *dir);	/* also frees dir */
/*
 * A full disk: mount a 1 MiB tmpfs at dir (made).  NULL, or why it
 * cannot (not root): the test then prints "SKIP: <test>: <why>" and
 * passes.  t_fill_fs() takes all the space left (a file ".filler");
 * t_unmount() unmounts and removes dir.
 */
const char *t_small_fs(const char *dir);
void t_fill_fs(const char *dir);
void t_unmount(const char *dir);
/* Write a file (creating parent directories). */
void t_write_file(const char *path, const char *data);
/*
 * Every line of out (its newlines aside) is text a terminal may show:
 * no control character, bidi control or invalid UTF-8 (util/sbuf.h).
 */
void t_assert_terminal_safe(const char *what, const struct sbuf *out);
/* Read a whole file into a new string. */
char *t_read_file(const char *path);
/*
 * Special files where vger keeps a regular one (a cache, a record):
 * "fifo", "dir", or a symlink to a device, "/dev/zero" or "/dev/null".
 * t_special_kinds lists them all (NULL-ended).  t_special_plant()
 * removes what is at path and puts kind there; t_special_intact()
 * asserts path is still what was planted: not replaced, the symlink's
 * target the same, nothing put in the directory.
 */
extern const char *const t_special_kinds[];
void t_special_plant(const char *path, const char *kind);
void t_special_intact(const char *path, const char *kind);
/* What vger calls kind: "a FIFO", "a directory", "a device". */
const char *t_special_what(const char *kind);

/*
 * Run argv (argv[0] found in PATH) with stdin from in (may be NULL),
 * capture stdout and stderr (either may be NULL), return the exit
 * status, or 128 + signal.  env_extra: "K=V" strings added to the
 * environment (NULL-terminated, may be NULL).  The program runs in a
 * session of its own, without a controlling terminal.
 */
int t_run(const char *const argv[], const char *const env_extra[],
	  const char *in, struct sbuf *out, struct sbuf *errout);
/* Whether the shell finds prog in $PATH. */
int t_in_path(const char *prog);
/* Run the vger binary under test ($VGER, else ./vger). */
int t_vger(const char *const args[], const char *const env_extra[],
	   struct sbuf *out, struct sbuf *errout);

/*
 * A real notmuch database: copy the maildirs (a NULL-terminated list
 * of directories, each copied under root/mail/) and run `notmuch new`
 * over them with a private config.  Returns root (t_rmtree it); the
 * database path is root/mail, the config root/notmuch-config.
 */
char *t_notmuch_db(const char *const maildirs[]);
/* Copy more messages in and run `notmuch new` again. */
void t_notmuch_add(const char *root, const char *maildir);
/* `notmuch tag TAG -- QUERY` on the database of root. */
void t_notmuch_tag(const char *root, const char *tag, const char *query);
/* The one path matching a glob pattern; caller frees. */
char *t_glob_one(const char *pattern);
char *t_notmuch_path(const char *root);	/* root/mail; caller frees */

/*
 * Real git repositories with libgit2 (tests/testlib_git.c).  Files are
 * "path", "content" pairs ending with NULL; a NULL content deletes.
 */
struct t_git;
struct t_git *t_git_init(const char *dir);
/* Commit on HEAD; returns the new commit's hex id (static buffer). */
const char *t_git_commit(struct t_git *g, const char *message,
			 const char *const files[]);
/* Author/committer for following commits (default A U Thor). */
void t_git_set_author(struct t_git *g, const char *name, const char *email,
		      time_t when);
void t_git_branch(struct t_git *g, const char *name);  /* create + checkout */
void t_git_tag(struct t_git *g, const char *name, const char *target_hex,
	       const char *message, time_t when);
const char *t_git_dir(const struct t_git *g);
/* Run git -C dir args... (NULL-terminated); a failure aborts the test. */
void t_git_run(const char *dir, const char *const args[]);
void t_git_free(struct t_git *g);

/*
 * The real binary on a terminal (tests/testlib_pty.c; link
 * $(PTY_LIBS)): a step waits until the terminal shows wait_for, then
 * (once ready(arg) says so, 10 s at most) types write or sends signal
 * to the program.
 */
struct t_pty_step {
	const char *wait_for;	/* output to wait for */
	const char *write;	/* then type this, or */
	int signal;		/* send this signal */
	/* and before that, wait (10 s at most) until ready(arg) */
	int (*ready)(const void *arg);
	const void *arg;
};

/*
 * Run vger ($VGER, else ./vger) with args on a new pty (its controlling
 * terminal) and the environment env added; play steps; return the exit
 * status (128 + signal when killed); out gets everything the terminal
 * showed.
 */
int t_pty_run(const char *const args[], const char *const env[],
	      const struct t_pty_step *steps, struct sbuf *out);

/*
 * A server process on 127.0.0.1 (tests/httpd.py, tests/smtpd.py): argv
 * is run with a pipe on its stdin and must print its port on the first
 * line within 10 s; closing the pipe stops it.
 */
struct t_server {
	pid_t pid;
	int in;		/* its stdin */
	int port;
};

void t_server_start(struct t_server *s, const char *const argv[]);
void t_server_stop(struct t_server *s);

/*
 * tests/smtpd.py on 127.0.0.1 with its options extra (NULL-ended, may
 * be NULL), recording what it accepts in a new directory.
 */
struct t_smtpd {
	struct t_server srv;
	int port;
	char *dir;		/* what it received */
	char portstr[16];
};

void t_smtpd_start(struct t_smtpd *d, const char *const extra[]);
void t_smtpd_stop(struct t_smtpd *d);
/* DIR/<n>.<ext> of the server (the caller frees), or NULL when missing. */
char *t_smtpd_file(const struct t_smtpd *d, int n, const char *ext);
/* How many messages the server accepted. */
int t_smtpd_count(const struct t_smtpd *d);
/* Message n as received, CRLF made LF (the caller frees). */
char *t_smtpd_received(const struct t_smtpd *d, int n);

/* This process's peak resident memory (VmHWM), kB; -1 when unknown. */
long t_vm_hwm_kb(void);

#endif
