/* Storage failures (issue "reliability", item 2): a write that meets a full disk, an I/O
 * error or a lock held past the busy timeout gets a 500 in the API's own shape with no
 * internal detail, leaves no half-written backup or job, and the server keeps serving and
 * writes again once the fault clears. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls.h"
#include "check.h"
#include "rdsemu/app.h"
#include "rdsemu/config.h"
#include "rdsemu/server.h"

#define PROJECT  "storage-faults"
#define INSTANCE "inst-1"

static struct emu server; /* only its base_url: the server runs in this process */

static const char *no_variables(const char *name)
{
    (void)name;
    return NULL;
}

static long send_json(const char *method, const char *path, const char *body, char **reply)
{
    struct call_spec spec = {
        .method = method, .path = path, .token = "t", .content_type = CALL_JSON, .body = body};
    struct http_response resp;
    long status = call_send(&server, &spec, &resp) == 0 ? resp.status : 0;
    if (reply != NULL)
        *reply = strdup(resp.body != NULL ? resp.body : "");
    http_response_free(&resp);
    return status;
}

/* Creates backup `name` through v1 (build time 0): the status, and the body in `reply`. */
static long create(const char *name, char **reply)
{
    char body[256];
    snprintf(body, sizeof(body), "{\"backup\": {\"instance\": \"%s\", \"name\": \"%s\"}}", INSTANCE,
             name);
    return send_json("POST", "/rds/v1/" PROJECT "/backups", body, reply);
}

/* Backups of the project, by the v1 list. */
static int backup_count(void)
{
    char *reply = NULL;
    if (send_json("GET", "/rds/v1/" PROJECT "/backups", NULL, &reply) != 200) {
        free(reply);
        return -1;
    }
    json_t *root = json_loads(reply, 0, NULL);
    int n = (int)json_array_size(json_object_get(root, "backups"));
    json_decref(root);
    free(reply);
    return n;
}

/* A 500 that says nothing of the inside: the catalogue's code and its fixed message. */
static void check_internal_error(const char *reply, const char *code_member, const char *code)
{
    json_t *root = json_loads(reply != NULL ? reply : "", 0, NULL);
    CHECK_STR(json_string_value(json_object_get(root, code_member)), code);
    CHECK(strstr(reply, "SQL") == NULL && strstr(reply, "disk") == NULL &&
          strstr(reply, "sqlite") == NULL && strstr(reply, ".db") == NULL);
    json_decref(root);
}

static void check_fault(enum store_fault fault, const char *label)
{
    char name[64], *reply = NULL;
    int before = backup_count();
    store_fault_set(fault);
    snprintf(name, sizeof(name), "%s_v1", label);
    CHECK_INT(create(name, &reply), 500);
    check_internal_error(reply, "errCode", "RDS.9999");
    free(reply);
    char body[256];
    snprintf(body, sizeof(body), "{\"instance_id\": \"%s\", \"name\": \"%s_v3\"}", INSTANCE, label);
    reply = NULL;
    CHECK_INT(send_json("POST", "/v3/" PROJECT "/backups", body, &reply), 500);
    check_internal_error(reply, "error_code", "DBS.108000");
    free(reply);
    store_fault_set(STORE_FAULT_NONE);

    /* Nothing half-written: the same names are free, the count did not move, and the
     * server writes again. */
    CHECK_INT(backup_count(), before);
    CHECK_INT(create(name, NULL), 200);
    CHECK_INT(backup_count(), before + 1);
}

static void check_locked(struct app *app, const char *db_path)
{
    sqlite3 *other;
    CHECK_INT(sqlite3_open(db_path, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    store_set_busy_timeout(app->store, 200);
    int before_locked = -1;
    char *reply = NULL;
    CHECK_INT(create("locked_one", &reply), 500);
    check_internal_error(reply, "errCode", "RDS.9999");
    free(reply);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    before_locked = backup_count();
    CHECK_INT(create("locked_one", NULL), 200);
    CHECK_INT(backup_count(), before_locked + 1);
}

int main(void)
{
    char dir[PATH_MAX], db_path[PATH_MAX + 16];
    if (harness_tmpdir_create("storage-faults", dir, sizeof(dir)) != 0)
        return 1;
    snprintf(db_path, sizeof(db_path), "%s/test.db", dir);

    struct config cfg;
    char *argv[] = {"rdsemu",           "--listen", "127.0.0.1:0", "--db", db_path,
                    "--backup-seconds", "0",        "--threads",   "2"};
    FILE *sink = fopen("/dev/null", "w");
    CHECK_INT(config_parse(&cfg, 9, argv, no_variables, sink, sink), CONFIG_RUN);
    fclose(sink);
    struct app app;
    struct server *srv = NULL;
    char err[512];
    if (app_init(&app, &cfg, err, sizeof(err)) != 0 ||
        server_start(&app, &srv, err, sizeof(err)) != 0) {
        fprintf(stderr, "cannot start: %s\n", err);
        return 1;
    }
    snprintf(server.base_url, sizeof(server.base_url), "http://127.0.0.1:%u", server_port(srv));

    CHECK_INT(send_json("PUT", "/_emulator/projects/" PROJECT "/instances/" INSTANCE,
                        "{\"name\": \"db\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                        "\"8.0\"}}",
                        NULL),
              200);
    CHECK_INT(create("before_faults", NULL), 200);
    check_fault(STORE_FAULT_DISK_FULL, "disk_full");
    check_fault(STORE_FAULT_IO_ERROR, "io_error");
    check_locked(&app, db_path);

    server_stop(srv);
    app_fini(&app);

    /* What was acknowledged is in the file, and the file is sound. */
    sqlite3 *db;
    sqlite3_stmt *stmt;
    CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL);
    CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(stmt, 0), "ok");
    sqlite3_finalize(stmt);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM backups", -1, &stmt, NULL);
    sqlite3_step(stmt);
    CHECK_INT(sqlite3_column_int(stmt, 0), 4);
    sqlite3_finalize(stmt);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM jobs", -1, &stmt, NULL);
    sqlite3_step(stmt);
    CHECK_INT(sqlite3_column_int(stmt, 0), 4);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    harness_tmpdir_remove(dir);
    return CHECK_DONE();
}
