/* Small parsers (include/rdsemu/base/parse.h). */
#include <string.h>

#include "rdsemu/base/parse.h"

bool parse_bounded_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    size_t len = text != NULL ? strlen(text) : 0;
    if (len == 0 || strspn(text, "0123456789") != len)
        return false;
    int64_t value = 0;
    for (size_t i = 0; i < len; i++) {
        int digit = text[i] - '0';
        if (value > (INT64_MAX - digit) / 10)
            return false; /* past INT64_MAX, so past any `max` */
        value = value * 10 + digit;
    }
    if (value < min || value > max)
        return false;
    *out = value;
    return true;
}
