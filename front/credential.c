#include <stdlib.h>
#include <string.h>

#include "front/credential.h"
#include "util/err.h"
#include "util/run.h"
#include "util/sbuf.h"
#include "util/xmalloc.h"

/* What git credential reads: one "key=value" a line, a blank line. */
static int describe(struct sbuf *in, const char *host, const char *user,
		    const char *pass)
{
	const char *values[] = { host, user, pass };

	/* a newline in a value would start another key */
	for (size_t i = 0; i < 3; i++)
		if (values[i] && strpbrk(values[i], "\n\r"))
			return -1;
	sbuf_addf(in, "protocol=smtp\nhost=%s\nusername=%s\n", host, user);
	if (pass)
		sbuf_addf(in, "password=%s\n", pass);
	sbuf_addch(in, '\n');
	return 0;
}

static void wipe(struct sbuf *sb)
{
	memset(sb->buf, 0, sb->len);
	sbuf_release(sb);
}

/* git credential ACTION with in on stdin; its exit status, or < 0. */
static int run_git(const char *action, const struct sbuf *in,
		   struct sbuf *out, struct err *err)
{
	/* no prompt on the terminal: the front end asks in its own way */
	static const char *const env[] = { "GIT_TERMINAL_PROMPT=0", NULL };
	const char *argv[] = { "git", "credential", action, NULL };
	struct run_options o = { env, 1 << 16, 1, NULL };

	return run_capture_input(argv, &o, in->buf, in->len, out, err);
}

int front_credential_fill(const char *host, const char *user, char **pass,
			  struct err *err)
{
	struct sbuf in = SBUF_INIT, out = SBUF_INIT;
	const char *p;
	int rc;

	*pass = NULL;
	if (describe(&in, host, user, NULL))
		return 1;
	rc = run_git("fill", &in, &out, err);
	sbuf_release(&in);
	if (rc) {
		wipe(&out);
		return rc < 0 ? rc : 1;
	}
	for (p = out.buf; *p;) {
		size_t n = strcspn(p, "\n");

		if (n > 9 && !strncmp(p, "password=", 9))
			*pass = xstrndup(p + 9, n - 9);
		p += n + (p[n] == '\n');
	}
	wipe(&out);
	return *pass ? 0 : 1;
}

static void tell(const char *action, const char *host, const char *user,
		 const char *pass)
{
	struct sbuf in = SBUF_INIT, out = SBUF_INIT;

	if (!describe(&in, host, user, pass))
		run_git(action, &in, &out, NULL);
	wipe(&in);
	sbuf_release(&out);
}

void front_credential_approve(const char *host, const char *user,
			      const char *pass)
{
	tell("approve", host, user, pass);
}

void front_credential_reject(const char *host, const char *user,
			     const char *pass)
{
	tell("reject", host, user, pass);
}
