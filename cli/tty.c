#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "cli/model.h"
#include "cli/out.h"
#include "cli/tty.h"
#include "util/sbuf.h"

/*
 * The terminal to ask on: /dev/tty, else standard input when it is
 * one (questions then go to standard error).  NULL: no terminal.
 */
struct tty {
	FILE *in, *out;
	int own;
};

static int tty_open(struct tty *t)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);

	memset(t, 0, sizeof(*t));
	if (fd >= 0) {
		t->in = fdopen(fd, "r+");
		if (!t->in) {
			close(fd);
			return -1;
		}
		t->out = t->in;
		t->own = 1;
		return 0;
	}
	if (isatty(STDIN_FILENO)) {
		t->in = stdin;
		t->out = stderr;
		return 0;
	}
	return -1;
}

static void tty_close(struct tty *t)
{
	if (t->own && t->in)
		fclose(t->in);
	memset(t, 0, sizeof(*t));
}

/* One line from the terminal, without its newline; -1 at EOF. */
static int tty_read_line(struct tty *t, struct sbuf *out)
{
	int c;

	sbuf_reset(out);
	while ((c = getc(t->in)) != EOF && c != '\n')
		if (out->len < CLI_TTY_ANSWER_MAX)
			sbuf_addch(out, c);
	return c == EOF && !out->len ? -1 : 0;
}

int cli_tty_line(const char *question, struct sbuf *answer)
{
	struct tty t;
	int ret;

	sbuf_reset(answer);
	if (tty_open(&t))
		return -1;
	cli_out(t.out, question);
	fflush(t.out);
	ret = tty_read_line(&t, answer) ? 1 : 0;
	if (ret)
		cli_out(t.out, "\n");
	sbuf_trim(answer);
	tty_close(&t);
	return ret;
}

int cli_tty_yes(const char *question)
{
	struct sbuf answer = SBUF_INIT;
	int yes = 0;

	switch (cli_tty_line(question, &answer)) {
	case 0:
		yes = !strcasecmp(answer.buf, "y") ||
		      !strcasecmp(answer.buf, "yes");
		break;
	case 1:
		break;		/* the terminal ended: no */
	default:
		yes = -1;
		break;
	}
	sbuf_release(&answer);
	return yes;
}

/*
 * A password read with the echo off; NULL when there is no terminal,
 * or with *ended set when it ended before a line.
 */
static char *tty_password(const char *prompt, int *ended)
{
	struct tty t;
	struct termios old, quiet;
	struct sbuf pw = SBUF_INIT;
	int echo_off = 0, eof;

	*ended = 0;
	if (tty_open(&t))
		return NULL;
	/* echo off before the prompt: what is typed after it is hidden */
	if (!tcgetattr(fileno(t.in), &old)) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		echo_off = !tcsetattr(fileno(t.in), TCSAFLUSH, &quiet);
	}
	cli_out(t.out, prompt);
	fflush(t.out);
	eof = tty_read_line(&t, &pw);
	if (echo_off)
		tcsetattr(fileno(t.in), TCSAFLUSH, &old);
	cli_out(t.out, "\n");
	tty_close(&t);
	if (eof) {
		*ended = 1;
		sbuf_release(&pw);
		return NULL;
	}
	return sbuf_detach(&pw);
}

char *cli_ask_password(const char *cmd, const char *prompt)
{
	struct sbuf sb = SBUF_INIT;
	char *pass;
	int ended;

	cli_add_text(&sb, prompt);
	pass = tty_password(sb.buf, &ended);
	sbuf_release(&sb);
	if (!pass && ended)
		cli_outf(stderr, "vger %s: no password typed; nothing sent\n",
			 cmd);
	else if (!pass)
		cli_outf(stderr, "vger %s: error: sendemail.smtpUser is set, "
			 "sendemail.smtpPass is not, no git credential helper "
			 "knows the password and there is no terminal to ask "
			 "for the password on; nothing sent\n", cmd);
	return pass;
}
