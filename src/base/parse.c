/* Small parsers (include/rdsemu/base/parse.h). */
#include <string.h>

#include "rdsemu/base/parse.h"

#define DIGITS_MAX 18 /* 10^18 - 1 < INT64_MAX */

bool parse_bounded_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    size_t len = text != NULL ? strlen(text) : 0;
    if (len == 0 || len > DIGITS_MAX || strspn(text, "0123456789") != len)
        return false;
    int64_t value = 0;
    for (size_t i = 0; i < len; i++)
        value = value * 10 + (text[i] - '0');
    if (value < min || value > max)
        return false;
    *out = value;
    return true;
}
