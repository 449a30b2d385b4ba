/* secret_equals: the admin token comparison. Each value lives in a heap block of exactly its
 * own size, so a comparison that reads past the end of the shorter one is reported by
 * AddressSanitizer and valgrind (the suite runs under both). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rdsemu/core/secret.h"

#define EXPECTED "admin-SECRET-6b8e12"

/* A new heap copy of `text` in a block of exactly strlen + 1 bytes. */
static char *exact_copy(const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy != NULL)
        memcpy(copy, text, n);
    return copy;
}

static bool compare(const char *given_text, const char *expected_text)
{
    char *given = exact_copy(given_text), *expected = exact_copy(expected_text);
    bool same = given != NULL && expected != NULL && secret_equals(given, expected);
    free(given);
    free(expected);
    return same;
}

static void shorter_longer_prefix_right(void)
{
    CHECK(!compare("", EXPECTED));
    CHECK(!compare("a", EXPECTED));
    CHECK(!compare("admin-SECRET", EXPECTED));        /* a shorter prefix of the token */
    CHECK(!compare(EXPECTED "x", EXPECTED));          /* the token and one more character */
    CHECK(!compare(EXPECTED EXPECTED, EXPECTED));     /* twice as long */
    CHECK(!compare("admin-SECRET-6b8e1X", EXPECTED)); /* same length, last character differs */
    CHECK(!compare("Admin-SECRET-6b8e12", EXPECTED)); /* same length, first character differs */
    CHECK(!compare("ADMIN-SECRET-6B8E12", EXPECTED)); /* case matters */
    CHECK(compare(EXPECTED, EXPECTED));
    /* The expected value shorter than the given one reads neither past its end. */
    CHECK(!compare(EXPECTED, "a"));
    CHECK(compare("a", "a"));
}

/* A NUL inside what was sent ends the value there: "tok\0en" is "tok". */
static void embedded_nul(void)
{
    static const char given[] = "admin\0-SECRET-6b8e12";
    CHECK(!secret_equals(given, EXPECTED));
    CHECK(secret_equals(given, "admin"));
}

int main(void)
{
    shorter_longer_prefix_right();
    embedded_nul();
    return CHECK_DONE();
}
