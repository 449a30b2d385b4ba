/* A minimal assertion kit for the test programs: a failed check prints where and why, the
 * program goes on, and exits 1 at the end. The two counters live in check.c, so the checks of a
 * program and those of the kit library it links count together. */
#ifndef RDSEMU_TEST_CHECK_H
#define RDSEMU_TEST_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int check_failures; /* checks failed so far */
extern int check_count;    /* checks made so far */

/* One counted check each, reported at `file`:`line` when it fails; true when it passed. */
bool check_true_at(const char *file, int line, bool ok, const char *cond);
bool check_int_at(const char *file, int line, const char *what, long long actual,
                  long long expected);
bool check_str_at(const char *file, int line, const char *what, const char *actual,
                  const char *expected);
/* Prints "N checks, M failed"; the exit status for main: 1 after a failure, else 0. */
int check_done(void);

#define CHECK(cond) check_true_at(__FILE__, __LINE__, (cond), #cond)
#define CHECK_INT(actual, expected)                                                                \
    check_int_at(__FILE__, __LINE__, #actual, (long long)(actual), (long long)(expected))
#define CHECK_STR(actual, expected) check_str_at(__FILE__, __LINE__, #actual, (actual), (expected))

/* Ends main(): prints the summary line and gives the exit status. */
#define CHECK_DONE() check_done()

#endif
