/* The counters of check.h, and what a failed check prints. */
#include "check.h"

int check_failures;
int check_count;

bool check_true_at(const char *file, int line, bool ok, const char *cond)
{
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, cond);
    }
    return ok;
}

bool check_int_at(const char *file, int line, const char *what, long long actual,
                  long long expected)
{
    check_count++;
    if (actual == expected)
        return true;
    check_failures++;
    fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", file, line, what, actual, expected);
    return false;
}

bool check_str_at(const char *file, int line, const char *what, const char *actual,
                  const char *expected)
{
    check_count++;
    if (actual == NULL || expected == NULL ? actual == expected : strcmp(actual, expected) == 0)
        return true;
    check_failures++;
    fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", file, line, what,
            actual != NULL ? actual : "(null)", expected != NULL ? expected : "(null)");
    return false;
}

int check_done(void)
{
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}
