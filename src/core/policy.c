/* The v1 backup policy rules. */
#include <string.h>

#include "rdsemu/core/policy.h"

/* Two digits at `s` in [0, max]: their value, or -1. */
static int two_digits(const char *s, int max)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v <= max ? v : -1;
}

int policy_starttime_normalize(const char *in, char out[9])
{
    size_t len = strlen(in);
    if ((len != 5 && len != 8) || in[2] != ':' || two_digits(in, 23) < 0 ||
        two_digits(in + 3, 59) < 0)
        return -1;
    if (len == 8 && (in[5] != ':' || two_digits(in + 6, 59) < 0))
        return -1;
    memcpy(out, in, 5);
    memcpy(out + 5, len == 8 ? in + 5 : ":00", 3);
    out[8] = '\0';
    return 0;
}
