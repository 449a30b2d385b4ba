/* The auth rows of the catalogue on the v3 routes (docs/api.md, docs/configuration.md) under --auth
 * tokens: a token not in --tokens is 401 APIGW.0301 in the gateway shape, a listed token on a
 * project it is not given is 403 DBS.200010 in the v3 shape, and on its own projects it passes. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "v3.h"

#define PROJECT "rules-project"
#define OTHER   "other-project"
#define NO_JOB  "0123456789abcdef0123456789abcdef"
#define NO_ID   "00000000-0000-0000-0000-000000000000"

enum outcome { PASSES, UNAUTHORIZED, FORBIDDEN };

/* The four v3 routes on `project` with `token_header` (NULL: no token). */
static void probe(const struct emu *emu, const char *project, const char *token_header,
                  enum outcome outcome)
{
    char create[128], list[160], delete_path[160], job[160];
    snprintf(create, sizeof(create), "/v3/%s/backups", project);
    snprintf(list, sizeof(list), "/v3/%s/backups?instance_id=mysql-1", project);
    snprintf(delete_path, sizeof(delete_path), "/v3/%s/backups/" NO_ID, project);
    snprintf(job, sizeof(job), "/v3/%s/jobs?id=" NO_JOB, project);
    const char *headers[] = {CALL_JSON_HEADER, "X-Emulator-Backup-Seconds: 0", token_header, NULL};
    struct {
        const char *method, *path, *body;
        long ok_status; /* what gets past auth answers */
        const char *ok_code;
    } calls[] = {
        {"POST", create, "{\"instance_id\": \"mysql-1\", \"name\": \"authProbe\"}", 200, NULL},
        {"GET", list, NULL, 200, NULL},
        {"DELETE", delete_path, NULL, 404, "DBS.201010"},
        {"GET", job, NULL, 400, "DBS.200543"},
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        struct http_response r;
        call_request(emu, NULL, calls[i].method, calls[i].path, headers, calls[i].body, &r);
        bool ok;
        if (outcome == UNAUTHORIZED)
            ok = EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
        else if (outcome == FORBIDDEN)
            ok = EXPECT_V3_ERROR(&r, 403, "DBS.200010");
        else if (calls[i].ok_code != NULL)
            ok = EXPECT_V3_ERROR(&r, calls[i].ok_status, calls[i].ok_code);
        else
            ok = EXPECT_STATUS(&r, calls[i].ok_status);
        if (!ok)
            fprintf(stderr, "    %s %s with %s\n", calls[i].method, calls[i].path,
                    token_header != NULL ? token_header : "no token");
        http_response_free(&r);
    }
}

int main(void)
{
    char dir[PATH_MAX], tokens[PATH_MAX + 32];
    if (harness_tmpdir_create("v3-auth-files", dir, sizeof(dir)) != 0)
        return 1;
    snprintf(tokens, sizeof(tokens), "%s/tokens.json", dir);
    static const char tokens_json[] =
        "{\"tok-rules\": [\"" PROJECT "\"], \"tok-both\": [\"" PROJECT "\", \"" OTHER "\"]}";
    if (harness_write_file(tokens, tokens_json, strlen(tokens_json)) != 0) {
        harness_tmpdir_remove(dir);
        return 1;
    }
    struct emu emu;
    const char *extra[] = {"--auth", "tokens", "--tokens", tokens, NULL};
    if (v3_start(&emu, "v3-auth", extra) != 0) {
        harness_tmpdir_remove(dir);
        return 1;
    }
    probe(&emu, PROJECT, NULL, UNAUTHORIZED);
    probe(&emu, PROJECT, "X-Auth-Token: not-listed", UNAUTHORIZED);
    probe(&emu, OTHER, "X-Auth-Token: tok-rules", FORBIDDEN);
    /* The refused create made nothing. */
    const char *both[] = {"X-Auth-Token: tok-both", NULL};
    struct http_response r;
    call_request(&emu, NULL, "GET", "/v3/" OTHER "/backups?instance_id=mysql-1", both, NULL, &r);
    json_t *list = EXPECT_V3_LIST(&r);
    CHECK(list != NULL && list_total(list) == 0);
    json_decref(list);
    http_response_free(&r);
    probe(&emu, PROJECT, "X-Auth-Token: tok-rules", PASSES);
    probe(&emu, OTHER, "X-Auth-Token: tok-both", PASSES);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    harness_tmpdir_remove(dir);
    return CHECK_DONE();
}
