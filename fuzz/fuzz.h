/*
 * What every fuzz target shares: the libFuzzer entry points it
 * defines, and copying or writing the input where the real parser
 * wants it (a C string, a file).  Each target is one small file
 * calling the product's own parser; fuzz/replay.c is the plain main()
 * that feeds it a corpus under `make check`, and bench/fuzz.sh links
 * the same file with libFuzzer instead.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a NUL-terminated string (cut at its first NUL); free. */
char *fuzz_cstr(const uint8_t *data, size_t size);
/*
 * The input split at its NUL bytes into at most max NUL-terminated
 * parts (the last keeps any further NULs cut off): parts[i] point into
 * one allocation, *buf, to free.  Returns how many parts there are.
 */
size_t fuzz_split(const uint8_t *data, size_t size, char **parts,
		  size_t max, char **buf);
/*
 * A directory of this process's own, made on first use and removed at
 * exit.
 */
const char *fuzz_dir(void);
/*
 * Write data to the file name in fuzz_dir() (replacing it); its path,
 * which the caller frees.  Aborts when it cannot: a fuzz run with no
 * disk is not a finding.
 */
char *fuzz_write(const char *name, const void *data, size_t size);
/*
 * The invariant every string that reaches the terminal keeps (util/
 * sbuf.h's sanitiser): valid UTF-8, no C0 control but a tab, no DEL,
 * C1 or bidi control.  Aborts, naming what, when s breaks it.
 */
void fuzz_assert_sanitized(const char *what, const char *s, size_t len);

#endif
