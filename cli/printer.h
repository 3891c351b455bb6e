/*
 * A command describes its output once, as maps, lists and values, to a
 * printer that renders it as JSON (--json) or as text, the way
 * notmuch's structure printer does.  The JSON has every value, named
 * by its key; the text shows the values given with a text format (and
 * what cli_pr_text() adds), each map of a list on a line of its own.
 *
 *	cli_pr_map(p, NULL);
 *	cli_pr_str_as(p, "rule", id, "%-18s ");	JSON and text
 *	cli_pr_int(p, "total", n);		JSON only
 *	cli_pr_text(p, "series");		text only
 *	cli_pr_end(p);				the text's line ends
 *
 * Strings shown in the text are made safe for the terminal first, a
 * newline in one shown as "^J"; cli_pr_text() adds what it is given,
 * and everything is made safe again as it is written (cli/out.h).
 */
#ifndef CLI_PRINTER_H
#define CLI_PRINTER_H

#include <stdio.h>

struct cli_printer;

/* A printer to out (borrowed): JSON when json, else text. */
struct cli_printer *cli_printer_new(FILE *out, int json);
/* Print what is left and free p. */
void cli_printer_free(struct cli_printer *p);

/*
 * Open a map or a list: in a map under key, in a list (or at the top)
 * with key NULL.  cli_pr_end() closes the last one opened; closing the
 * outermost prints the JSON.
 */
void cli_pr_map(struct cli_printer *p, const char *key);
void cli_pr_list(struct cli_printer *p, const char *key);
void cli_pr_end(struct cli_printer *p);

/* Values, in the JSON only; a NULL string is JSON null. */
void cli_pr_str(struct cli_printer *p, const char *key, const char *s);
void cli_pr_int(struct cli_printer *p, const char *key, long long v);
void cli_pr_bool(struct cli_printer *p, const char *key, int v);
void cli_pr_null(struct cli_printer *p, const char *key);

/*
 * Values the text shows too, as fmt says: its one %s is s made safe (a
 * NULL s is not shown), its one %lld is v.
 */
void cli_pr_str_as(struct cli_printer *p, const char *key, const char *s,
		   const char *fmt) __attribute__((format(printf, 4, 0)));
void cli_pr_int_as(struct cli_printer *p, const char *key, long long v,
		   const char *fmt) __attribute__((format(printf, 4, 0)));

/* Text only, as written. */
void cli_pr_text(struct cli_printer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
