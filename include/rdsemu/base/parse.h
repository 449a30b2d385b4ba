/* Small parsers shared by every layer: one set of rules for a number given as text. */
#ifndef RDSEMU_BASE_PARSE_H
#define RDSEMU_BASE_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* True, with the value in `*out`, when `text` is a whole number of ASCII digits (no sign, no
 * space; leading zeros allowed) from `min` to `max`. A number past INT64_MAX is refused, never
 * wrapped. */
bool parse_bounded_int(const char *text, int64_t min, int64_t max, int64_t *out);

#endif
