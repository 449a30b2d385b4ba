/* The v3 list, GET /v3/{project_id}/backups (docs/v3.md, docs/emulator.md): instance_id required,
 * every query parameter and its validation (offset, limit, backup_type, backup_id, begin_time and
 * end_time together), strict numbers, repeated and unknown parameters, empty values as absent
 * (the Open Telekom Cloud Go SDK's `backup_id=`), the members of an element with size in kB and
 * end_time over the lifecycle, total_count of all matches, pages past the end, and which
 * instance_id is a 404. */
#include <stdlib.h>
#include <string.h>

#include "v3.h"

#define PROJECT "rules-project"
#define OTHER   "other-project"

static void put_instance(const struct emu *emu, const char *id, const char *type,
                         const char *version, const char *extra)
{
    char body[512];
    snprintf(body, sizeof(body),
             "{\"name\": \"%s-name\", \"datastore\": {\"type\": \"%s\", \"version\": \"%s\"}%s}",
             id, type, version, extra != NULL ? extra : "");
    CHECK(call_put_instance(emu, PROJECT, id, body) == 0);
}

/* The list with `query` must be 200 with exactly `count` elements and that total_count. */
static json_t *expect_counts_at(int line, const struct emu *emu, const char *query, size_t count,
                                long long total)
{
    json_t *root = v3_list_json_at(__FILE__, line, emu, PROJECT, query);
    if (root == NULL)
        return NULL;
    check_count++;
    if (list_length(root) != count || list_total(root) != total) {
        check_failures++;
        fprintf(stderr, "%s:%d: %s: %zu elements and total_count %lld, expected %zu and %lld\n",
                __FILE__, line, query, list_length(root), list_total(root), count, total);
    }
    return root;
}

#define EXPECT_COUNTS(emu, query, count, total)                                                    \
    json_decref(expect_counts_at(__LINE__, (emu), (query), (count), (total)))
#define BAD_QUERY(emu, query) V3_LIST_ERROR((emu), PROJECT, (query), 400, "DBS.200001")

static void instance_id_required(const struct emu *emu)
{
    static const char *const queries[] = {NULL,
                                          "",
                                          "instance_id=",
                                          "instance_id",
                                          "backup_id=x",
                                          "limit=10&offset=0",
                                          "Instance_id=mysql-1",
                                          "instance=mysql-1"};
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
        BAD_QUERY(emu, queries[i]);
}

/* Members of the elements over the lifecycle: size in kB (instance's size_kb or 2048) and
 * end_time once finished, null while BUILDING; databases only on a partial backup. */
static void element_members(const struct emu *emu)
{
    put_instance(emu, "sized-1", "MySQL", "8.0", ", \"size_kb\": 5000");
    put_instance(emu, "plain-1", "PostgreSQL", "15", NULL);

    json_t *created = V3_CREATE_JSON(emu, PROJECT,
                                     "{\"instance_id\": \"sized-1\", \"name\": "
                                     "\"sizedOne\", \"description\": \"d\"}",
                                     0);
    const char *id = member_string(json_object_get(created, "backup"), "id");
    const char *begin = member_string(json_object_get(created, "backup"), "begin_time");
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=sized-1");
    json_t *e = list_find(list, id);
    CHECK(e != NULL && list_length(list) == 1 && list_total(list) == 1);
    CHECK_STR(member_string(e, "name"), "sizedOne");
    CHECK_STR(member_string(e, "type"), "manual");
    CHECK_STR(member_string(e, "status"), "COMPLETED");
    CHECK_STR(member_string(e, "instance_id"), "sized-1");
    CHECK_STR(member_string(e, "begin_time"), begin);
    CHECK_STR(member_string(e, "end_time"), begin); /* build time 0 */
    CHECK(json_is_integer(json_object_get(e, "size")) &&
          json_integer_value(json_object_get(e, "size")) == 5000);
    CHECK_STR(member_string(json_object_get(e, "datastore"), "type"), "MySQL");
    CHECK_STR(member_string(json_object_get(e, "datastore"), "version"), "8.0");
    CHECK(json_object_get(e, "databases") == NULL);
    json_decref(list);
    json_decref(created);

    /* Default size 2048 kB; BUILDING: size and end_time null; the end is created + build time,
     * not the moment someone looked. */
    EMU_CLOCK_FREEZE(emu, true);
    char *building = V3_CREATE_ID(emu, PROJECT, "plain-1", "buildsAWhile", 120);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=plain-1");
    e = list_find(list, building);
    CHECK_STR(member_string(e, "status"), "BUILDING");
    CHECK(json_is_null(json_object_get(e, "size")) && json_is_null(json_object_get(e, "end_time")));
    int64_t started = time_parse(member_string(e, "begin_time"), TIME_V3);
    json_decref(list);
    EMU_CLOCK_ADVANCE(emu, 119);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=plain-1");
    CHECK_STR(member_string(list_find(list, building), "status"), "BUILDING");
    json_decref(list);
    EMU_CLOCK_ADVANCE(emu, 500);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=plain-1");
    e = list_find(list, building);
    CHECK_STR(member_string(e, "status"), "COMPLETED");
    CHECK(json_is_integer(json_object_get(e, "size")) &&
          json_integer_value(json_object_get(e, "size")) == 2048);
    CHECK(time_parse(member_string(e, "end_time"), TIME_V3) == started + 120);
    CHECK_STR(member_string(json_object_get(e, "datastore"), "type"), "PostgreSQL");
    json_decref(list);
    free(building);
    EMU_CLOCK_FREEZE(emu, false);

    /* Failed by its outcome: FAILED, size null, end_time set. */
    json_decref(create_json_at(__FILE__, __LINE__, emu, CALL_V3, PROJECT,
                               "{\"instance_id\": \"plain-1\", \"name\": \"failsAtOnce\"}", 0,
                               "fail"));
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=plain-1");
    e = list_find_by(list, "name", "failsAtOnce");
    CHECK_STR(member_string(e, "status"), "FAILED");
    CHECK(json_is_null(json_object_get(e, "size")));
    CHECK(text_is_v3_time(member_string(e, "end_time")));
    json_decref(list);

    /* Forced through the control plane: finished now. */
    char *forced = V3_CREATE_ID(emu, PROJECT, "sized-1", "forcedDone", 3600);
    char *failed = V3_CREATE_ID(emu, PROJECT, "plain-1", "forcedFail", 3600);
    EMU_CLOCK_ADVANCE(emu, 30);
    int64_t now = EMU_CLOCK_GET(emu, NULL);
    EMU_BACKUP_FORCE(emu, forced, "complete");
    EMU_BACKUP_FORCE(emu, failed, "fail");
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=sized-1");
    e = list_find(list, forced);
    CHECK_STR(member_string(e, "status"), "COMPLETED");
    CHECK(json_integer_value(json_object_get(e, "size")) == 5000);
    int64_t end = time_parse(member_string(e, "end_time"), TIME_V3);
    CHECK(end >= now && end < now + 60);
    json_decref(list);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=plain-1");
    e = list_find(list, failed);
    CHECK_STR(member_string(e, "status"), "FAILED");
    CHECK(json_is_null(json_object_get(e, "size")));
    json_decref(list);
    free(forced);
    free(failed);

    /* A partial backup lists its databases, a full one of the same instance does not. */
    json_decref(V3_CREATE_JSON(emu, PROJECT,
                               "{\"instance_id\": \"mssql-1\", \"name\": \"partialOne\", "
                               "\"databases\": [{\"name\": \"user02\"}, {\"name\": "
                               "\"user01\"}]}",
                               0));
    json_decref(
        V3_CREATE_JSON(emu, PROJECT, "{\"instance_id\": \"mssql-1\", \"name\": \"fullOne\"}", 0));
    json_decref(V3_CREATE_JSON(emu, PROJECT,
                               "{\"instance_id\": \"pg-1\", \"name\": \"pgPartial\", "
                               "\"databases\": [{\"name\": \"app\"}]}",
                               0));
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=mssql-1");
    e = list_find_by(list, "name", "partialOne");
    json_t *dbs = json_object_get(e, "databases");
    CHECK(json_array_size(dbs) == 2);
    CHECK_STR(member_string(json_array_get(dbs, 0), "name"), "user02");
    CHECK_STR(member_string(json_array_get(dbs, 1), "name"), "user01");
    CHECK(json_object_get(list_find_by(list, "name", "fullOne"), "databases") == NULL);
    CHECK_STR(member_string(json_object_get(e, "datastore"), "type"), "SQLServer");
    CHECK_STR(member_string(json_object_get(e, "datastore"), "version"), "2019_SE");
    json_decref(list);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=pg-1");
    dbs = json_object_get(list_find_by(list, "name", "pgPartial"), "databases");
    CHECK(json_array_size(dbs) == 1);
    CHECK_STR(member_string(json_array_get(dbs, 0), "name"), "app");
    json_decref(list);
}

/* Five backups on one instance for the filter and paging rules; their ids into `ids`. */
static void make_five(const struct emu *emu, char *ids[5])
{
    put_instance(emu, "five-1", "MySQL", "8.0", NULL);
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof(name), "fiveOf%d", i);
        ids[i] = V3_CREATE_ID(emu, PROJECT, "five-1", name, 0);
    }
}

static void filters(const struct emu *emu, char *const ids[5])
{
    char query[256];
    EXPECT_COUNTS(emu, "instance_id=five-1", 5, 5);

    /* backup_id */
    snprintf(query, sizeof(query), "instance_id=five-1&backup_id=%s", ids[2]);
    json_t *root = expect_counts_at(__LINE__, emu, query, 1, 1);
    CHECK(list_find(root, ids[2]) != NULL);
    json_decref(root);
    snprintf(query, sizeof(query), "backup_id=%s&instance_id=five-1", ids[3]); /* any order */
    root = expect_counts_at(__LINE__, emu, query, 1, 1);
    CHECK(list_find(root, ids[3]) != NULL);
    json_decref(root);
    EXPECT_COUNTS(emu, "instance_id=five-1&backup_id=00000000-0000-0000-0000-000000000000", 0, 0);
    /* A backup of another instance is not a match. */
    snprintf(query, sizeof(query), "instance_id=mysql-1&backup_id=%s", ids[2]);
    EXPECT_COUNTS(emu, query, 0, 0);

    /* backup_type: only manual backups exist. */
    EXPECT_COUNTS(emu, "instance_id=five-1&backup_type=manual", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&backup_type=auto", 0, 0);
    EXPECT_COUNTS(emu, "instance_id=five-1&backup_type=fragment", 0, 0);
    EXPECT_COUNTS(emu, "instance_id=five-1&backup_type=incremental", 0, 0);
    snprintf(query, sizeof(query), "instance_id=five-1&backup_type=manual&backup_id=%s", ids[4]);
    EXPECT_COUNTS(emu, query, 1, 1);
    snprintf(query, sizeof(query), "instance_id=five-1&backup_type=auto&backup_id=%s", ids[4]);
    EXPECT_COUNTS(emu, query, 0, 0);
    static const char *const bad_types[] = {"full",      "Manual",       "AUTO", "auto,manual",
                                            "manual%20", "differential", "1"};
    for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
        snprintf(query, sizeof(query), "instance_id=five-1&backup_type=%s", bad_types[i]);
        BAD_QUERY(emu, query);
    }

    /* Another project's backups of an instance with the same id are not mixed in. */
    free(V3_CREATE_ID(emu, OTHER, "mysql-1", "otherProjects", 0));
    root = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1");
    CHECK(list_find_by(root, "name", "otherProjects") == NULL);
    json_decref(root);
    root = V3_LIST_JSON(emu, OTHER, "instance_id=mysql-1");
    CHECK(list_find_by(root, "name", "otherProjects") != NULL && list_total(root) == 1);
    json_decref(root);
}

static void paging_counts(const struct emu *emu, char *const ids[5])
{
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=2", 2, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=2&offset=2", 2, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=2&offset=4", 1, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=4", 1, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=5", 0, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=1000000", 0, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=1", 1, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=100", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=0&limit=5", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&backup_type=manual&limit=1&offset=3", 1, 5);
    char query[256];
    snprintf(query, sizeof(query), "instance_id=five-1&backup_id=%s&offset=1", ids[0]);
    EXPECT_COUNTS(emu, query, 0, 1);
    /* An instance without backups: an empty page, total 0. */
    EXPECT_COUNTS(emu, "instance_id=mysql-2", 0, 0);
}

static void strict_numbers(const struct emu *emu)
{
    static const char *const bad_offsets[] = {"-1",
                                              "1.5",
                                              "abc",
                                              "1e2",
                                              "+1",
                                              "%2B1",
                                              "%201",
                                              "1%20",
                                              "0x10",
                                              "1,2",
                                              "%2D1",
                                              "one",
                                              "1000000000000000000"}; /* one past the most */
    static const char *const bad_limits[] = {"0",  "101",  "-1",   "1.5",  "abc",  "1e2",
                                             "+5", "%2B5", "5%20", "0x10", "1000", "00"};
    char query[256];
    for (size_t i = 0; i < sizeof(bad_offsets) / sizeof(bad_offsets[0]); i++) {
        snprintf(query, sizeof(query), "instance_id=five-1&offset=%s", bad_offsets[i]);
        BAD_QUERY(emu, query);
    }
    for (size_t i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]); i++) {
        snprintf(query, sizeof(query), "instance_id=five-1&limit=%s", bad_limits[i]);
        BAD_QUERY(emu, query);
    }
    /* An empty value counts as absent: the defaults (offset 0, limit 100). */
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset&limit", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=0", 5, 5);
    /* Large offsets are whole numbers of 0 or more too: empty pages. */
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=2147483648", 0, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&offset=999999999999999999", 0, 5); /* the most */
    /* The parameters come before the instance lookup: a bad number on an unknown instance. */
    BAD_QUERY(emu, "instance_id=no-such-instance&limit=0");
    BAD_QUERY(emu, "instance_id=no-such-instance&backup_type=full");
}

static void repeated_and_unknown(const struct emu *emu)
{
    static const char *const repeated[] = {
        "instance_id=five-1&instance_id=five-1",
        "instance_id=five-1&instance_id=mysql-1",
        "instance_id=five-1&limit=5&limit=5",
        "instance_id=five-1&offset=0&offset=0",
        "instance_id=five-1&backup_type=manual&backup_type=manual",
        "instance_id=five-1&backup_id=x&backup_id=x",
        "instance_id=five-1&begin_time=2020-01-01T00:00:00%2B0000&begin_time=2020-01-01T00:00:00%"
        "2B0000&end_time=2099-01-01T00:00:00%2B0000",
        "instance_id=five-1&begin_time=2020-01-01T00:00:00%2B0000&end_time=2099-01-01T00:00:00%"
        "2B0000&end_time=2099-01-01T00:00:00%2B0000",
    };
    for (size_t i = 0; i < sizeof(repeated) / sizeof(repeated[0]); i++)
        BAD_QUERY(emu, repeated[i]);
    /* Unknown parameters are ignored, even given twice. */
    EXPECT_COUNTS(emu, "instance_id=five-1&foo=bar", 5, 5);
    EXPECT_COUNTS(emu, "page=2&instance_id=five-1&marker=x&marker=y&x-y=%20", 5, 5);
    EXPECT_COUNTS(emu, "instance_id=five-1&limit=2&sort=name&name=fiveOf1", 2, 5);
}

/* What the Open Telekom Cloud Go SDK sends: every parameter, the unused ones empty. */
static void empty_values_as_absent(const struct emu *emu, char *const ids[5])
{
    EXPECT_COUNTS(emu, "backup_id=&instance_id=five-1", 5, 5);
    EXPECT_COUNTS(emu,
                  "backup_id=&backup_type=&begin_time=&end_time=&instance_id=five-1&limit=&"
                  "offset=",
                  5, 5);
    EXPECT_COUNTS(emu, "backup_id&instance_id=five-1", 5, 5);
    char query[256];
    snprintf(query, sizeof(query), "backup_id=%s&backup_type=&instance_id=five-1&limit=", ids[1]);
    EXPECT_COUNTS(emu, query, 1, 1);
    /* begin_time given, end_time empty: one of the pair alone. */
    BAD_QUERY(emu, "instance_id=five-1&begin_time=2020-01-01T00:00:00%2B0000&end_time=");
}

/* Three backups 100 s apart; windows of begin_time pick them. */
static void time_window(const struct emu *emu)
{
    put_instance(emu, "window-1", "MySQL", "8.0", NULL);
    ADMIN_CALL(emu, "POST", "/_emulator/clock", "{\"now\": \"2032-05-06T07:00:00+0000\"}", 200);
    char *ids[3];
    int64_t at[3];
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof(name), "windowed%d", i);
        char *body = v3_body("window-1", name);
        json_t *root = V3_CREATE_JSON(emu, PROJECT, body, 0);
        json_t *b = json_object_get(root, "backup");
        ids[i] = member_string(b, "id") != NULL ? strdup(member_string(b, "id")) : NULL;
        at[i] = time_parse(member_string(b, "begin_time"), TIME_V3);
        json_decref(root);
        free(body);
        EMU_CLOCK_ADVANCE(emu, 100);
    }
    CHECK(at[1] - at[0] >= 100 && at[2] - at[1] >= 100);

    static const char *const zones[] = {TIME_V3, "%2B0000", "%2b0000"}; /* + encoded or not */
    struct {
        int from, to; /* seconds relative to at[0] and at[2] */
        bool want[3];
    } windows[] = {
        {-50, -200 + 50, {true, false, false}},      /* around the first only */
        {50, 50, {false, true, true}},               /* after the first, to after the last */
        {50, -50, {false, true, false}},             /* the middle one */
        {-3600, 3600, {true, true, true}},           /* all */
        {-7200, -3600 - 200, {false, false, false}}, /* before all */
        {3600 + 200, 7200, {false, false, false}},   /* after all */
    };
    for (size_t w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
        for (size_t p = 0; p < sizeof(zones) / sizeof(zones[0]); p++) {
            char begin[64], end[64], query[256];
            time_format(at[0] + windows[w].from, zones[p], begin);
            time_format(at[2] + windows[w].to, zones[p], end);
            snprintf(query, sizeof(query), "instance_id=window-1&begin_time=%s&end_time=%s", begin,
                     end);
            long long want = 0;
            for (int i = 0; i < 3; i++)
                want += windows[w].want[i];
            json_t *root = expect_counts_at(__LINE__, emu, query, (size_t)want, want);
            for (int i = 0; i < 3; i++) {
                bool found = list_find(root, ids[i]) != NULL;
                CHECK(found == windows[w].want[i]);
                if (found != windows[w].want[i])
                    fprintf(stderr, "    window %zu, backup %d\n", w, i);
            }
            json_decref(root);
        }
    }

    /* A window and a page: total_count counts the window's matches. */
    char begin[64], end[64], query[320];
    time_format(at[0] + 50, "%2B0000", begin);
    time_format(at[2] + 50, TIME_V3, end);
    snprintf(query, sizeof(query), "instance_id=window-1&begin_time=%s&end_time=%s&limit=1", begin,
             end);
    EXPECT_COUNTS(emu, query, 1, 2);

    /* One of the pair alone. */
    time_format(at[0], "%2B0000", begin);
    snprintf(query, sizeof(query), "instance_id=window-1&begin_time=%s", begin);
    BAD_QUERY(emu, query);
    snprintf(query, sizeof(query), "instance_id=window-1&end_time=%s", begin);
    BAD_QUERY(emu, query);

    /* Not in the v3 time format. */
    static const char *const bad_times[] = {
        "2032-05-06T07:00:00Z",
        "2032-05-06T07:00:00",
        "2032-05-06%2007:00:00%2B0000",
        "2032-05-06",
        "20320506T070000Z",
        "2032-05-06T07:00:00.000%2B0000",
        "2032-13-06T07:00:00%2B0000",
        "2032-02-30T07:00:00%2B0000",
        "2032-05-06T24:00:00%2B0000",
        "2032-05-06T07:60:00%2B0000",
        "1970",
        "1778050800",
        "yesterday",
        "2032-05-06T07:00:00%2B00:00",
    };
    const char *good = "2032-05-06T07:00:00%2B0000";
    for (size_t i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++) {
        snprintf(query, sizeof(query), "instance_id=window-1&begin_time=%s&end_time=%s",
                 bad_times[i], "2099-01-01T00:00:00%2B0000");
        BAD_QUERY(emu, query);
        snprintf(query, sizeof(query), "instance_id=window-1&begin_time=%s&end_time=%s", good,
                 bad_times[i]);
        BAD_QUERY(emu, query);
    }
    for (int i = 0; i < 3; i++)
        free(ids[i]);
}

/* Which instance_id answers 404 DBS.200045. */
static void unknown_instances(const struct emu *emu)
{
    V3_LIST_ERROR(emu, PROJECT, "instance_id=no-such-instance", 404, "DBS.200045");
    V3_LIST_ERROR(emu, PROJECT, "instance_id=other-mysql", 404, "DBS.200045"); /* elsewhere */
    V3_LIST_ERROR(emu, "empty-project", "instance_id=mysql-1", 404, "DBS.200045");
    /* A known instance in the same call with other filters is still a 200. */
    EXPECT_COUNTS(emu, "instance_id=replica-1", 0, 0);

    /* A deleted instance whose backups remain is still listed... */
    put_instance(emu, "doomed-1", "MySQL", "8.0", ", \"size_kb\": 77");
    char *a = V3_CREATE_ID(emu, PROJECT, "doomed-1", "outlives", 0);
    char *b = V3_CREATE_ID(emu, PROJECT, "doomed-1", "outlivesToo", 0);
    ADMIN_CALL(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/doomed-1", NULL, 204);
    json_t *root = expect_counts_at(__LINE__, emu, "instance_id=doomed-1", 2, 2);
    json_t *e = list_find(root, a);
    CHECK(e != NULL && list_find(root, b) != NULL);
    CHECK_STR(member_string(e, "status"), "COMPLETED");
    CHECK(json_integer_value(json_object_get(e, "size")) == 77);
    CHECK_STR(member_string(json_object_get(e, "datastore"), "type"), "MySQL");
    json_decref(root);
    EXPECT_COUNTS(emu, "instance_id=doomed-1&limit=1&offset=1", 1, 2);
    /* ... and the query rules still hold for it. */
    BAD_QUERY(emu, "instance_id=doomed-1&limit=0");
    /* Once its backups are deleted too, it is unknown. */
    struct http_response r;
    v3_delete(emu, PROJECT, a, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    EXPECT_COUNTS(emu, "instance_id=doomed-1", 1, 1);
    v3_delete(emu, PROJECT, b, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    V3_LIST_ERROR(emu, PROJECT, "instance_id=doomed-1", 404, "DBS.200045");
    free(a);
    free(b);
}

/* An instance_id percent-encoded is the same id. */
static void encoded_values(const struct emu *emu)
{
    EXPECT_COUNTS(emu, "instance_id=five%2D1", 5, 5);
    EXPECT_COUNTS(emu, "instance%5Fid=five-1", 5, 5);
}

int main(void)
{
    struct emu emu;
    if (v3_start(&emu, "v3-list", NULL) != 0)
        return 1;
    instance_id_required(&emu);
    element_members(&emu);
    char *ids[5];
    make_five(&emu, ids);
    filters(&emu, ids);
    paging_counts(&emu, ids);
    strict_numbers(&emu);
    repeated_and_unknown(&emu);
    empty_values_as_absent(&emu, ids);
    encoded_values(&emu);
    time_window(&emu);
    unknown_instances(&emu);
    for (int i = 0; i < 5; i++)
        free(ids[i]);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
