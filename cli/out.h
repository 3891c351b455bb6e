/*
 * The one way cli/ (and main()) writes to a terminal: every line goes
 * through the sanitiser (util/sbuf.h) as it is written, whatever it
 * holds and wherever it came from, so mail, a server's answer, a cache
 * or what git printed about a patch never reaches the terminal raw,
 * even when a caller forgot to make a field safe.  Newlines and tabs
 * are kept.  Making each field safe as it is added (cli_add_text())
 * still matters: there a newline is shown as "^J", so a field cannot
 * start a line of its own.
 *
 * No other file of cli/ calls stdio's writers on a stream
 * (tests/raw-output.sh checks it).
 */
#ifndef CLI_OUT_H
#define CLI_OUT_H

#include <stddef.h>
#include <stdio.h>

/* Write text to f, made safe. */
void cli_out(FILE *f, const char *text);
/* The same, formatted. */
void cli_outf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Data a program reads (an mbox on standard output for git am): as it
 * is into a pipe or a file, made safe when f is a terminal.  0, or -1
 * when the write failed.
 */
int cli_out_data(FILE *f, const char *data, size_t len);
/*
 * JSON (json-c's text) to f, a newline after it: json-c escapes only
 * C0 controls, so DEL, C1 and bidi controls are escaped here as
 * \uXXXX and a byte that is no valid UTF-8 as \ufffd.
 */
void cli_out_json(FILE *f, const char *json);

#endif
