/* The base layer's buffer and number parser (include/rdsemu/base/strbuf.h, parse.h): the rules
 * every caller relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/base/strbuf.h"

static bool parses(const char *text, int64_t min, int64_t max, int64_t expected)
{
    int64_t v = -12345;
    return parse_bounded_int(text, min, max, &v) && v == expected;
}

static bool refused(const char *text, int64_t min, int64_t max)
{
    int64_t v = -12345;
    return !parse_bounded_int(text, min, max, &v) && v == -12345;
}

static void test_parse_bounded_int(void)
{
    CHECK(parses("0", 0, 10, 0));
    CHECK(parses("10", 0, 10, 10));
    CHECK(parses("007", 0, 10, 7));
    CHECK(parses("9223372036854775807", 0, INT64_MAX, INT64_MAX));
    CHECK(refused("9223372036854775808", 0, INT64_MAX)); /* one past: refused, not wrapped */
    CHECK(refused("99999999999999999999999", 0, INT64_MAX));
    CHECK(refused("11", 0, 10));
    CHECK(refused("0", 1, 10));
    CHECK(refused("", 0, 10));
    CHECK(refused(NULL, 0, 10));
    CHECK(refused("-1", -5, 10)); /* no sign, ever */
    CHECK(refused("+1", 0, 10));
    CHECK(refused(" 1", 0, 10));
    CHECK(refused("1 ", 0, 10));
    CHECK(refused("1e3", 0, 10000));
    CHECK(refused("0x10", 0, 100));
}

static void test_strbuf_grows_and_takes(void)
{
    struct strbuf b = STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        strbuf_printf(&b, "%d,", i % 10);
    CHECK_INT(b.len, 2000);
    CHECK_INT(b.error, STRBUF_OK);
    CHECK_INT(strlen(b.data), 2000);
    strbuf_append(&b, "a\0b", 3); /* bytes with a NUL: kept, counted */
    size_t len = 0;
    char *text = strbuf_take(&b, &len);
    CHECK_INT(len, 2003);
    CHECK(text != NULL && memcmp(text + 2000, "a\0b", 4) == 0);
    CHECK(b.data == NULL && b.len == 0);
    free(text);
}

static void test_strbuf_limit_is_sticky(void)
{
    struct strbuf b = STRBUF_INIT;
    b.limit = 8;
    strbuf_puts(&b, "12345678");
    CHECK_INT(b.error, STRBUF_OK);
    strbuf_puts(&b, "9");
    CHECK_INT(b.error, STRBUF_OVER_LIMIT);
    CHECK_INT(b.len, 8);
    strbuf_puts(&b, ""); /* after an error, nothing more is taken, not even nothing */
    CHECK_INT(b.error, STRBUF_OVER_LIMIT);
    CHECK(strbuf_take(&b, NULL) == NULL);
    b.limit = 8;
    strbuf_puts(&b, "abc");
    strbuf_reset(&b); /* clears the error and the bytes */
    strbuf_puts(&b, "xy");
    CHECK_STR(b.data, "xy");
    strbuf_release(&b);
}

static void test_strbuf_json(void)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_json_string(&b, "a\"b\\c\n\x01");
    strbuf_append(&b, " ", 1);
    strbuf_json_string(&b, NULL);
    strbuf_append(&b, " ", 1);
    strbuf_json_int(&b, -42);
    strbuf_append(&b, " ", 1);
    strbuf_json_real(&b, 1.0);
    CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\" null -42 1.0");
    strbuf_release(&b);
}

int main(void)
{
    test_parse_bounded_int();
    test_strbuf_grows_and_takes();
    test_strbuf_limit_is_sticky();
    test_strbuf_json();
    return CHECK_DONE();
}
