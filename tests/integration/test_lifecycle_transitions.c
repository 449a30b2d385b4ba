/* The backup lifecycle by time (docs/emulator.md): BUILDING while now < created + build time, then
 * COMPLETED or FAILED for every later request; the completion time is created + build time,
 * never the moment of the look; v1 size = size_kb / 1048576 GB, unrounded; a FAILED backup
 * keeps size null; build time: header > instance backup_seconds > --backup-seconds; outcome:
 * header > instance backup_outcome > success; with build time 0 only the create answer shows
 * BUILDING. No sleeping: the emulator clock is moved. */
#include "lifecycle.h"

#define PROJECT     "life-transitions"
#define CLI_SECONDS 5000 /* --backup-seconds of this server */
#define DEFAULT_KB  2048

static const char mysql[] = "{\"name\": \"plain\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}";

/* PUT an instance of PROJECT: MySQL 8.0 plus `extra` members (",\"size_kb\": 1" or ""). */
static void put_instance(const struct emu *emu, const char *id, const char *extra)
{
    char body[512];
    snprintf(body, sizeof(body),
             "{\"name\": \"%s-name\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
             "\"8.0\"}%s}",
             id, extra);
    CHECK(call_put_instance(emu, PROJECT, id, body) == 0);
}

/* A backup made on `instance` (header `header_seconds`, -1: none) must take exactly
 * `expected` seconds: BUILDING KIT_MARGIN seconds before, COMPLETED at created + expected. */
static void takes_exactly(const struct emu *emu, const char *instance, const char *name,
                          long header_seconds, long expected, long long size_kb)
{
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, instance, name, header_seconds, NULL, &m))
        return;
    KIT_EXPECT_BUILDING(emu, &m);
    KIT_EXPECT_JOB(emu, &m, "Running", -1, NULL);
    EMU_CLOCK_SET(emu, m.created + expected - KIT_MARGIN);
    KIT_EXPECT_BUILDING(emu, &m);
    EMU_CLOCK_SET(emu, m.created + expected);
    KIT_EXPECT_COMPLETED(emu, &m, m.created + expected, size_kb);
    KIT_EXPECT_JOB(emu, &m, "Completed", m.created + expected, NULL);
    kit_made_free(&m);
}

/* By time: the boundary, the exact completion time, and a first look long after it. */
static void completes_by_time(const struct emu *emu)
{
    put_instance(emu, "timed", ",\"size_kb\": 1000");
    put_instance(emu, "late-look", "");
    struct made looked_late;
    KIT_CREATE(emu, PROJECT, "late-look", "lookedAtLate", 300, NULL, &looked_late);
    takes_exactly(emu, "timed", "byTime", 600, 600, 1000);
    /* Settled by a look at about +590, it finished at +300: updated says +300. */
    KIT_EXPECT_COMPLETED(emu, &looked_late, looked_late.created + 300, DEFAULT_KB);
    /* And it stays so: more time does not move `updated` or `size`. */
    EMU_CLOCK_ADVANCE(emu, 86400);
    KIT_EXPECT_COMPLETED(emu, &looked_late, looked_late.created + 300, DEFAULT_KB);
    KIT_EXPECT_JOB(emu, &looked_late, "Completed", looked_late.created + 300, NULL);
    kit_made_free(&looked_late);
}

/* Header > instance backup_seconds > --backup-seconds. */
static void build_time_precedence(const struct emu *emu)
{
    put_instance(emu, "slow", ",\"backup_seconds\": 1000");
    CHECK(call_put_instance(emu, PROJECT, "plain", mysql) == 0);
    takes_exactly(emu, "slow", "headerWins", 100, 100, DEFAULT_KB);
    takes_exactly(emu, "slow", "instanceWins", -1, 1000, DEFAULT_KB);
    takes_exactly(emu, "plain", "cliDefault", -1, CLI_SECONDS, DEFAULT_KB);
    takes_exactly(emu, "plain", "headerOverCli", 50, 50, DEFAULT_KB);
    /* Header 0 beats the instance's 1000: done as soon as the create answered. */
    struct made m;
    if (KIT_CREATE(emu, PROJECT, "slow", "headerZero", 0, NULL, &m))
        KIT_EXPECT_COMPLETED(emu, &m, m.created, DEFAULT_KB);
    kit_made_free(&m);
    /* The instance's backup_seconds 0 beats --backup-seconds. */
    put_instance(emu, "instant", ",\"backup_seconds\": 0");
    if (KIT_CREATE(emu, PROJECT, "instant", "instanceZero", -1, NULL, &m))
        KIT_EXPECT_COMPLETED(emu, &m, m.created, DEFAULT_KB);
    kit_made_free(&m);
}

/* Build time 0: the create answer says BUILDING (checked by KIT_CREATE), every later request
 * sees it finished, and the instance takes the next backup at once. */
static void build_time_zero(const struct emu *emu)
{
    put_instance(emu, "zero", ",\"backup_seconds\": 0, \"size_kb\": 4096");
    struct made first, second;
    if (!KIT_CREATE(emu, PROJECT, "zero", "zeroFirst", -1, NULL, &first))
        return;
    KIT_EXPECT_COMPLETED(emu, &first, first.created, 4096);
    KIT_EXPECT_JOB(emu, &first, "Completed", first.created, NULL);
    KIT_CREATE(emu, PROJECT, "zero", "zeroSecond", -1, NULL, &second);
    KIT_EXPECT_COMPLETED(emu, &second, second.created, 4096);
    kit_made_free(&first);
    kit_made_free(&second);
}

/* Outcome: header > instance backup_outcome > success; FAILED keeps size null. */
static void outcome_precedence(const struct emu *emu)
{
    put_instance(emu, "doomed", ",\"backup_outcome\": \"fail\", \"size_kb\": 512");
    put_instance(emu, "healthy", ",\"backup_outcome\": \"success\", \"size_kb\": 512");
    struct made m;
    /* The instance's fail, by time. */
    if (KIT_CREATE(emu, PROJECT, "doomed", "instanceFail", 200, NULL, &m)) {
        EMU_CLOCK_SET(emu, m.created + 200 - KIT_MARGIN);
        KIT_EXPECT_BUILDING(emu, &m);
        EMU_CLOCK_SET(emu, m.created + 200);
        KIT_EXPECT_FAILED(emu, &m, m.created + 200);
        KIT_EXPECT_JOB(emu, &m, "Failed", m.created + 200, "");
        EMU_CLOCK_ADVANCE(emu, 3600); /* still no size, long after */
        KIT_EXPECT_FAILED(emu, &m, m.created + 200);
    }
    kit_made_free(&m);
    /* The header's success over the instance's fail. */
    if (KIT_CREATE(emu, PROJECT, "doomed", "headerSuccess", 0, "success", &m))
        KIT_EXPECT_COMPLETED(emu, &m, m.created, 512);
    kit_made_free(&m);
    /* The header's fail over the instance's success, in any case. */
    if (KIT_CREATE(emu, PROJECT, "healthy", "headerFail", 0, "fail", &m))
        KIT_EXPECT_FAILED(emu, &m, m.created);
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "healthy", "headerFailUpper", 0, "FAIL", &m))
        KIT_EXPECT_FAILED(emu, &m, m.created);
    kit_made_free(&m);
    /* Neither: success. */
    if (KIT_CREATE(emu, PROJECT, "plain", "defaultSuccess", 0, NULL, &m))
        KIT_EXPECT_COMPLETED(emu, &m, m.created, DEFAULT_KB);
    kit_made_free(&m);
    /* The header's fail with the instance's build time. */
    if (KIT_CREATE(emu, PROJECT, "slow", "failAfterInstanceTime", -1, "fail", &m)) {
        EMU_CLOCK_SET(emu, m.created + 1000 - KIT_MARGIN);
        KIT_EXPECT_BUILDING(emu, &m);
        EMU_CLOCK_SET(emu, m.created + 1000);
        KIT_EXPECT_FAILED(emu, &m, m.created + 1000);
    }
    kit_made_free(&m);
}

/* v1 size: size_kb / 1048576 as a JSON number, unrounded, on the boundaries of size_kb. */
static void size_in_gb(const struct emu *emu)
{
    static const long long sizes[] = {0, 1, 1000, 3145728, 1125899906842624LL /* 2^50 */};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char id[32], extra[64], name[32];
        snprintf(id, sizeof(id), "sized-%zu", i);
        snprintf(extra, sizeof(extra), ",\"size_kb\": %lld", sizes[i]);
        snprintf(name, sizeof(name), "sized%zu", i);
        put_instance(emu, id, extra);
        struct made m;
        if (KIT_CREATE(emu, PROJECT, id, name, 0, NULL, &m))
            KIT_EXPECT_COMPLETED(emu, &m, m.created, sizes[i]);
        kit_made_free(&m);
    }
}

/* Bad testing headers are the create's 400 RDS.0001 (docs/api.md "Lifecycle"). */
static void bad_headers(const struct emu *emu)
{
    static const char *const bad[] = {
        "X-Emulator-Backup-Seconds: -1",    "X-Emulator-Backup-Seconds: soon",
        "X-Emulator-Backup-Seconds: 1.5",   "X-Emulator-Backup-Seconds: 316224001",
        "X-Emulator-Backup-Outcome: maybe", "X-Emulator-Backup-Outcome: failed",
    };
    char *body = call_v1_body("plain", "badHeader");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, bad[i], NULL};
        struct http_response r;
        call_request(emu, NULL, "POST", "/rds/v1/" PROJECT "/backups", headers, body, &r);
        if (!EXPECT_V1_ERROR(&r, 400, "RDS.0001"))
            fprintf(stderr, "    header: %s\n", bad[i]);
        http_response_free(&r);
    }
    free(body);
    /* The upper bound itself is fine. */
    struct made m;
    put_instance(emu, "decade", "");
    KIT_CREATE(emu, PROJECT, "decade", "tenYears", 316224000, NULL, &m);
    KIT_EXPECT_BUILDING(emu, &m);
    kit_made_free(&m);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--backup-seconds", "5000", NULL};
    if (!kit_start(&emu, "life-transitions", args))
        return CHECK_DONE();
    completes_by_time(&emu);
    build_time_precedence(&emu);
    build_time_zero(&emu);
    outcome_precedence(&emu);
    size_in_gb(&emu);
    bad_headers(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
