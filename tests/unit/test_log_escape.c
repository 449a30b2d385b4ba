/* log_escape: what a log line shows of client bytes (docs/emulator.md "Logs"). */
#include <string.h>

#include "check.h"
#include "rdsemu/base/log.h"

static const char *escape(const char *in, size_t len, size_t omitted, size_t budget, bool json)
{
    static char out[LOG_ESCAPED_SIZE(256)];
    log_escape(out, sizeof(out), in, len, omitted, budget, json);
    return out;
}

#define ESCAPE(in, budget, json) escape((in), sizeof(in) - 1, 0, (budget), (json))

int main(void)
{
    /* Control bytes, DEL, C1, bytes that are not UTF-8, a backslash; UTF-8 kept. */
    CHECK_STR(ESCAPE("a\x1b[2J\r\n\x7f", 256, false), "a\\x1b[2J\\x0d\\x0a\\x7f");
    CHECK_STR(ESCAPE("\xc2\x9b\xc3\xa9\xf0\x9f\x98\x80", 256, false),
              "\\xc2\\x9b\xc3\xa9\xf0\x9f\x98\x80");
    CHECK_STR(ESCAPE("\xff\xfe\xc3", 256, false), "\\xff\\xfe\\xc3");
    CHECK_STR(ESCAPE("\xe0\x80\xaf", 256, false), "\\xe0\\x80\\xaf"); /* overlong */
    CHECK_STR(ESCAPE("\xed\xa0\x80", 256, false), "\\xed\\xa0\\x80"); /* a surrogate */
    CHECK_STR(ESCAPE("a\\x1b", 256, false), "a\\\\x1b"); /* a backslash cannot fake an escape */
    /* Cut within the budget, on a character, with the mark. */
    CHECK_STR(ESCAPE("abcdef", 4, false), "abcd...(+2 bytes)");
    CHECK_STR(ESCAPE("ab\x1b", 4, false), "ab...(+1 bytes)");
    CHECK_STR(ESCAPE("a\xc3\xa9", 2, false), "a...(+2 bytes)");
    CHECK_STR(ESCAPE("abcdef", 6, false), "abcdef");
    CHECK_STR(escape("abc", 3, 10, 256, false), "abc...(+10 bytes)");
    /* In JSON the budget counts what the JSON text takes: \u escapes for non-ASCII. */
    CHECK_STR(ESCAPE("\xc3\xa9\xc3\xa9", 6, true), "\xc3\xa9...(+2 bytes)");
    CHECK_STR(ESCAPE("\xf0\x9f\x98\x80"
                     "a",
                     12, true),
              "\xf0\x9f\x98\x80...(+1 bytes)");
    CHECK_STR(ESCAPE("\x1b"
                     "a",
                     5, true),
              "\\x1b...(+1 bytes)");
    CHECK_STR(ESCAPE("\"\"\"", 4, true), "\"\"...(+1 bytes)");
    CHECK_STR(ESCAPE("", 4, true), "");
    return CHECK_DONE();
}
