/*
 * Asking on the terminal, for the commands that ask (vger send, vger
 * report, vger stable): /dev/tty, else standard input when it is a
 * terminal (the question then goes to standard error).  Questions are
 * the caller's text, made safe by it.
 */
#ifndef CLI_TTY_H
#define CLI_TTY_H

struct sbuf;

/* The longest answer read from the terminal (a password too). */
#define CLI_TTY_ANSWER_MAX 1024

/*
 * Ask question ("... [y/N] "): 1 for y or yes, 0 for anything else,
 * -1 when there is no terminal.
 */
int cli_tty_yes(const char *question);
/*
 * Ask question and read one line, trimmed, into answer: 0, 1 when the
 * terminal ended (no answer), -1 when there is no terminal.
 */
int cli_tty_line(const char *question, struct sbuf *answer);
/*
 * The password hook of the sending flows (vger send, report, stable):
 * prompt, made safe, asked with the echo off.  NULL, with why nothing
 * is sent said as "vger CMD: ..." on standard error, when there is no
 * terminal to ask on or it ended (Ctrl-D) before a password.
 */
char *cli_ask_password(const char *cmd, const char *prompt);

#endif
