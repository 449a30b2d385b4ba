/* --auth tokens through the running server (docs/configuration.md), signed requests: every AK/SK
 * vector of tests/data/aksk-vectors.json (signed by the official Python and Go SDKs) replayed byte
 * for byte at its own emulator time; variations of them that must pass or be refused for the named
 * cause (skew, query order, headers, unknown AK, dates, 413 first); an AK verified but not allowed
 * on the project (403, with the mode and file given by variables); and no secret or signature in
 * the server's stderr or journal. */
#include "auth.h"

/* ---- the vectors, replayed ---- */

static void replay_vectors(const struct emu *emu)
{
    int routed = 0, unrouted = 0;
    size_t i;
    json_t *v;
    json_array_foreach(vectors_all(), i, v)
    {
        const char *name = member_string(v, "name");
        bool accept = strcmp(member_string(v, "expected_verdict"), "accept") == 0;
        set_clock(emu, member_string(v, "server_time"), 0);
        struct http_response r;
        if (send_vector(emu, v, NULL, NULL, &r) != 0) {
            CHECK(!"vector answered");
            continue;
        }
        printf("vector %-46s %-6s -> %ld\n", name, accept ? "accept" : "reject", r.status);
        if (!is_routed(member_string(v, "method"), member_string(v, "path"))) {
            /* Route comes before auth (docs/api.md): what the vector is about is checked on a
             * routed request below (skew) and in the unit test. */
            unrouted++;
            EXPECT_GATEWAY_ERROR(&r, 404, "APIGW.0101");
        } else if (accept) {
            routed++;
            EXPECT_AUTH_PASSED(&r, name);
        } else {
            routed++;
            const char *reason = member_string(v, "server_reason");
            if (reason != NULL && strncmp(reason, "signature expired", 17) == 0) {
                char cause[96];
                snprintf(cause, sizeof(cause), "signature expired, signature time:%s, server time:",
                         header_of(v, "X-Sdk-Date"));
                EXPECT_AUTH_REFUSED(&r, cause);
            } else {
                EXPECT_AUTH_REFUSED(&r, "signature mismatch");
            }
        }
        http_response_free(&r);
    }
    /* Of the 31 vectors of tests/data/aksk-vectors.json. */
    CHECK_INT(routed, 24);
    CHECK_INT(unrouted, 7);
    printf("%d vectors on routed paths, %d on paths the emulator does not serve\n", routed,
           unrouted);
}

/* What the vectors cannot show on a routed path, shown with their own signatures. */
static void replay_variations(const struct emu *emu)
{
    json_t *py_list = vector_named("py_rds_v3_list_backups_query_sorting");
    json_t *go_list = vector_named("go_rds_v3_list_backups_query_sorting");
    json_t *py_create = vector_named("py_rds_v3_create_backup_post_json");
    const char *date = header_of(py_list, "X-Sdk-Date");
    struct http_response r;

    /* Clock skew, either side, with a margin for the second that may tick meanwhile. */
    const int accepted_skews[] = {14 * 60, -14 * 60, 14 * 60 + 50, -(14 * 60 + 50)};
    for (size_t i = 0; i < sizeof(accepted_skews) / sizeof(accepted_skews[0]); i++) {
        set_clock(emu, date, accepted_skews[i]);
        send_vector(emu, py_list, NULL, NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
    }
    const int refused_skews[] = {20 * 60, -20 * 60, 15 * 60 + 10, -(15 * 60 + 10), 86400};
    for (size_t i = 0; i < sizeof(refused_skews) / sizeof(refused_skews[0]); i++) {
        set_clock(emu, date, refused_skews[i]);
        send_vector(emu, py_list, NULL, NULL, &r);
        char cause[96];
        snprintf(cause, sizeof(cause), "signature expired, signature time:%s, server time:", date);
        EXPECT_AUTH_REFUSED(&r, cause);
        http_response_free(&r);
    }
    /* neg_date_20_minutes_off on a routed path: the whole text, server time included. */
    set_clock(emu, "20261129T082000Z", 0);
    send_vector(emu, py_list, NULL, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "signature expired, signature time:20261129T080000Z, server "
                            "time:20261129T0820");
    http_response_free(&r);
    set_clock(emu, date, 0);

    /* The query is rebuilt from what arrived: another order on the wire still verifies; a
     * parameter more or a value changed does not. */
    const struct variation reordered = {.query = "offset=0&instance_id=inst-0001&limit=10"};
    send_vector(emu, py_list, &reordered, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    const struct variation more = {.query = "instance_id=inst-0001&limit=10&offset=0&x=1"};
    send_vector(emu, py_list, &more, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "signature mismatch");
    http_response_free(&r);
    const struct variation changed_value = {.query = "instance_id=inst-0001&limit=11&offset=0"};
    send_vector(emu, go_list, &changed_value, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "signature mismatch");
    http_response_free(&r);

    /* Headers: an unsigned one may change or be added, a signed one may not, and a signed
     * one that is missing is named. */
    const struct variation unsigned_changed = {.replace_name = "Accept",
                                               .replace_value = "application/json",
                                               .extra = {"X-Something-Else: 1"}};
    send_vector(emu, py_list, &unsigned_changed, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    const struct variation signed_changed = {.replace_name = "User-Agent",
                                             .replace_value = "curl/8.0"};
    send_vector(emu, go_list, &signed_changed, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "signature mismatch");
    http_response_free(&r);
    const struct variation host_changed = {.replace_name = "Host",
                                           .replace_value = "127.0.0.1:9999"};
    send_vector(emu, py_list, &host_changed, NULL, &r); /* Python signs Host */
    EXPECT_AUTH_REFUSED(&r, "signature mismatch");
    http_response_free(&r);
    send_vector(emu, go_list, &host_changed, NULL, &r); /* Go does not */
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    const struct variation no_agent = {.drop = "User-Agent"};
    send_vector(emu, go_list, &no_agent, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "signed header user-agent is missing from the request");
    http_response_free(&r);
    /* X-Security-Token is not checked (emulator choice): unsigned here, still accepted. */
    const struct variation security = {.extra = {"X-Security-Token: anything-at-all"}};
    send_vector(emu, go_list, &security, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);

    /* Who signed, and when. */
    char unknown[512];
    snprintf(unknown, sizeof(unknown), "%s", header_of(py_list, "Authorization"));
    memcpy(strstr(unknown, "Access=") + 7, "NOSUCHAK00000000", 16);
    const struct variation unknown_ak = {.replace_name = "Authorization", .replace_value = unknown};
    send_vector(emu, py_list, &unknown_ak, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "unknown AK");
    EXPECT_THAT_AT(__FILE__, __LINE__, error_msg_has(&r, "NOSUCHAK00000000"), &r,
                   "the unknown AK is not named");
    http_response_free(&r);
    const struct variation no_date = {.drop = "X-Sdk-Date"};
    send_vector(emu, py_list, &no_date, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "X-Sdk-Date");
    http_response_free(&r);
    const char *bad_dates[] = {"2026-11-29T08:00:00Z", "20261129T080000", "20261399T080000Z"};
    for (size_t i = 0; i < sizeof(bad_dates) / sizeof(bad_dates[0]); i++) {
        const struct variation bad_date = {.replace_name = "X-Sdk-Date",
                                           .replace_value = bad_dates[i]};
        send_vector(emu, py_list, &bad_date, NULL, &r);
        EXPECT_AUTH_REFUSED(&r, "X-Sdk-Date");
        http_response_free(&r);
    }
    const struct variation cut = {.replace_name = "Authorization",
                                  .replace_value = "SDK-HMAC-SHA256 Access=EMUTESTAK0000000"};
    send_vector(emu, py_list, &cut, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "not a well-formed SDK-HMAC-SHA256 signature");
    http_response_free(&r);

    /* A body over the limit gets its 413 before the signature is looked at, announced or
     * chunked. */
    size_t big_len = 70000;
    char *big = malloc(big_len);
    memset(big, ' ', big_len);
    const struct variation oversize = {.body = big, .body_len = big_len};
    send_vector(emu, py_create, &oversize, NULL, &r);
    EXPECT_V3_ERROR(&r, 413, "DBS.200001");
    http_response_free(&r);
    const struct variation oversize_chunked = {.body = big, .body_len = big_len, .chunked = true};
    send_vector(emu, py_create, &oversize_chunked, NULL, &r);
    EXPECT_V3_ERROR(&r, 413, "DBS.200001");
    http_response_free(&r);
    free(big);
}

/* ---- an AK on another project (--credentials only, given through the variables) ---- */

static void access_key_elsewhere(const char *credentials_path)
{
    int failures_before = check_failures;
    char env_credentials[PATH_MAX + 32];
    snprintf(env_credentials, sizeof(env_credentials), "RDSEMU_CREDENTIALS=%s", credentials_path);
    const char *env[] = {"RDSEMU_AUTH=tokens", env_credentials, NULL};
    struct emu emu;
    if (emu_start(&emu, "auth-elsewhere", NULL, env) != 0) {
        CHECK(!"rdsemu started with RDSEMU_AUTH and RDSEMU_CREDENTIALS");
        emu_cleanup(&emu, true);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(vectors_all(), i, v)
    {
        const char *path = member_string(v, "path");
        if (!is_routed(member_string(v, "method"), path))
            continue;
        struct http_response r;
        set_clock(&emu, member_string(v, "server_time"), 0);
        send_vector(&emu, v, NULL, NULL, &r);
        if (strcmp(member_string(v, "expected_verdict"), "accept") == 0)
            EXPECT_FORBIDDEN(path, &r); /* verified, then refused on this project */
        else
            EXPECT_AUTH_REFUSED(&r, "signature"); /* authentication comes first */
        http_response_free(&r);
    }
    /* No --tokens here: any token is unknown. */
    struct http_response r;
    const char *headers[] = {"X-Auth-Token: " TOKEN_A, NULL};
    call_request(&emu, NULL, "GET", "/v3/" PROJ_A "/backups?instance_id=x", headers, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "decrypt token fail");
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

int main(void)
{
    struct auth_files files;
    struct emu emu;
    if (auth_setup("auth", &files) != 0 || auth_start(&emu, "auth", &files) != 0)
        return 1;
    replay_vectors(&emu);
    replay_variations(&emu);
    nothing_leaked(&emu);
    emu_cleanup(&emu, check_failures > 0);
    access_key_elsewhere(files.elsewhere);
    auth_teardown();
    return CHECK_DONE();
}
