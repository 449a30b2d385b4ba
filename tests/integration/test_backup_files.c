/* Backup files (docs/restore.md "Backup files"): the files of a COMPLETED backup per engine,
 * their download links (the request's host, 300 s on the emulator's clock), the links served
 * by the emulator until they expire, free of --admin-token; the refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expect.h"
#include "policy_kit.h"

#define P     "files-project"
#define OTHER "files-other"

static json_t *files_of(const struct emu *emu, const char *project, const char *backup)
{
    char path[200];
    snprintf(path, sizeof(path), "/v3/%s/backup-files?backup_id=%s", project, backup);
    return pk_get(emu, path);
}

static void files_refused(const struct emu *emu, const char *project, const char *query,
                          long status, const char *code)
{
    char path[200];
    snprintf(path, sizeof(path), "/v3/%s/backup-files%s", project, query);
    struct http_response r;
    pk_call(emu, "GET", path, NULL, NULL, &r);
    if (!EXPECT_V3_ERROR(&r, status, code))
        fprintf(stderr, "    GET %s\n", path);
    http_response_free(&r);
}

/* The path and query of a download link (what follows the host). */
static const char *link_path(const char *link)
{
    const char *p = link != NULL ? strstr(link, "/_emulator/") : NULL;
    return p != NULL ? p : "/none";
}

static void files_per_engine(const struct emu *emu, const char *my, const char *pg,
                             const char *partial)
{
    json_t *root = files_of(emu, P, my);
    CHECK_STR(pk_str(root, "bucket"), "rdsbucket.rdsemu");
    CHECK_INT(json_object_size(root), 2);
    json_t *files = json_object_get(root, "files");
    CHECK_INT(json_array_size(files), 1);
    json_t *f = json_array_get(files, 0);
    char name[96], link[320];
    snprintf(name, sizeof(name), "%s.qp", my);
    CHECK_STR(pk_str(f, "name"), name);
    CHECK_INT(pk_int(f, "size"), 3000);
    CHECK(json_is_null(json_object_get(f, "database_name")));
    /* The host the request named; expiry 300 s on the emulator's clock. */
    snprintf(link, sizeof(link), "%s/_emulator/backup-files/%s/%s?expires=%lld", emu->base_url, my,
             name, (long long)(PK_MONDAY + 300));
    CHECK_STR(pk_str(f, "download_link"), link);
    CHECK_STR(pk_str(f, "link_expired_time"), "2026-11-30T00:05:00+0000");
    json_decref(root);

    root = files_of(emu, P, pg);
    snprintf(name, sizeof(name), "%s.tar.gz", pg);
    CHECK_STR(pk_str(json_array_get(json_object_get(root, "files"), 0), "name"), name);
    json_decref(root);

    /* A partial SQL Server backup: a file per database, the size split evenly. */
    root = files_of(emu, P, partial);
    files = json_object_get(root, "files");
    CHECK_INT(json_array_size(files), 3);
    static const char *const dbs[] = {"sales", "hr", "ops"};
    for (size_t i = 0; i < 3; i++) {
        f = json_array_get(files, i);
        snprintf(name, sizeof(name), "%s_%s.bak", partial, dbs[i]);
        CHECK_STR(pk_str(f, "name"), name);
        CHECK_INT(pk_int(f, "size"), 333);
        CHECK_STR(pk_str(f, "database_name"), dbs[i]);
    }
    json_decref(root);
}

static void links(const struct emu *emu, const char *my)
{
    json_t *root = files_of(emu, P, my);
    char path[320];
    snprintf(path, sizeof(path), "%s",
             link_path(pk_str(json_array_get(json_object_get(root, "files"), 0), "download_link")));
    json_decref(root);
    /* Served, with no token at all: a manifest, not the data. */
    struct http_response r;
    call_request(emu, NULL, "GET", path, NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *manifest = http_response_json(&r);
    CHECK_STR(pk_str(manifest, "backup_id"), my);
    CHECK_STR(pk_str(manifest, "note"), "placeholder: rdsemu stores no backup data");
    CHECK_INT(pk_int(manifest, "size"), 3000);
    json_decref(manifest);
    http_response_free(&r);
    /* Until the second it expires, then 403 in the control plane's shape. */
    CHECK_INT(pk_clock_advance(emu, 300), 0);
    call_request(emu, NULL, "GET", path, NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK_INT(pk_clock_advance(emu, 1), 0);
    call_request(emu, NULL, "GET", path, NULL, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 403);
    json_t *err = http_response_json(&r);
    CHECK_STR(pk_str(json_object_get(err, "error"), "code"), "forbidden");
    json_decref(err);
    http_response_free(&r);
    /* No expires, a bad one, an unknown file or backup. */
    char base[256];
    snprintf(base, sizeof(base), "/_emulator/backup-files/%s/%s.qp", my, my);
    call_request(emu, NULL, "GET", base, NULL, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 400);
    http_response_free(&r);
    snprintf(path, sizeof(path), "%s?expires=soon", base);
    call_request(emu, NULL, "GET", path, NULL, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 400);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/_emulator/backup-files/%s/other.qp?expires=99999999999", my);
    call_request(emu, NULL, "GET", path, NULL, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 404);
    http_response_free(&r);
    call_request(emu, NULL, "GET", "/_emulator/backup-files/nope/nope.qp?expires=99999999999", NULL,
                 NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 404);
    http_response_free(&r);
}

/* With --admin-token the control plane needs it, a download link does not. */
static void link_without_admin_token(void)
{
    struct emu emu;
    const char *args[] = {"--auth", "presence", "--admin-token", "files-admin", NULL};
    if (emu_start(&emu, "backup-files-token", args, NULL) != 0) {
        CHECK(!"cannot start rdsemu --admin-token");
        emu_cleanup(&emu, true);
        return;
    }
    const char *admin[] = {"X-Emulator-Admin-Token: files-admin", CALL_JSON_HEADER, NULL};
    struct http_response r;
    call_request(&emu, NULL, "PUT", "/_emulator/projects/" P "/instances/my", admin,
                 "{\"name\": \"my\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
                 "\"backup_seconds\": 0}",
                 &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    char *id = pk_v3_create(&emu, P, "my", "with-token", 0);
    json_t *root = files_of(&emu, P, id != NULL ? id : "none");
    char path[320];
    snprintf(path, sizeof(path), "%s",
             link_path(pk_str(json_array_get(json_object_get(root, "files"), 0), "download_link")));
    json_decref(root);
    call_request(&emu, NULL, "GET", path, NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    call_request(&emu, NULL, "GET", "/_emulator/clock", NULL, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 401);
    http_response_free(&r);
    free(id);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

int main(void)
{
    struct emu emu;
    if (pk_start(&emu, "backup-files", NULL) != 0) {
        emu_cleanup(&emu, true);
        return 1;
    }
    CHECK_INT(pk_instance(&emu, P, "my", "MySQL", "\"backup_seconds\": 0, \"size_kb\": 3000"), 200);
    CHECK_INT(pk_instance_v(&emu, P, "pg", "PostgreSQL", "14", "\"backup_seconds\": 0"), 200);
    CHECK_INT(pk_instance_v(&emu, P, "ms", "SQLServer", "2019_SE",
                            "\"backup_seconds\": 0, \"size_kb\": 1000"),
              200);
    struct http_response r;
    char *my = pk_v3_create(&emu, P, "my", "mysql-full", 0);
    char *pg = pk_v3_create(&emu, P, "pg", "pg-full", 0);
    pk_call(&emu, "POST", "/v3/" P "/backups",
            "{\"instance_id\": \"ms\", \"name\": \"partial\", \"databases\": [{\"name\": "
            "\"sales\"}, {\"name\": \"hr\"}, {\"name\": \"ops\"}]}",
            "X-Emulator-Backup-Seconds: 0", &r);
    json_t *root = http_response_json(&r);
    char *partial = strdup(pk_str(json_object_get(root, "backup"), "id"));
    json_decref(root);
    http_response_free(&r);
    char *building = pk_v3_create(&emu, P, "my", "still-building", 600);

    files_per_engine(&emu, my, pg, partial);
    files_refused(&emu, P, "", 400, "DBS.200001");
    files_refused(&emu, P, "?backup_id=", 400, "DBS.200001");
    files_refused(&emu, P, "?backup_id=nope", 404, "DBS.201010");
    char query[96];
    snprintf(query, sizeof(query), "?backup_id=%s", my);
    files_refused(&emu, OTHER, query, 404, "DBS.201010");
    snprintf(query, sizeof(query), "?backup_id=%s", building);
    files_refused(&emu, P, query, 400, "DBS.201203");
    links(&emu, my);

    free(my);
    free(pg);
    free(partial);
    free(building);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    link_without_admin_token();
    return CHECK_DONE();
}
