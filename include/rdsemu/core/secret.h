/* Comparing a secret a client sent (a token) with the expected one. */
#ifndef RDSEMU_SECRET_H
#define RDSEMU_SECRET_H

#include <stdbool.h>

/* True when `given` equals `expected` (both NUL-terminated). Takes the same time whatever the
 * values and their lengths, and reads neither past its end. */
bool secret_equals(const char *given, const char *expected);

#endif
