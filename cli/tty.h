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
/* A password read with the echo off; NULL when there is no terminal. */
char *cli_tty_password(const char *prompt);

#endif
