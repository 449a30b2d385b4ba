/* Backup files (docs/restore.md "Backup files"): the files of a COMPLETED backup with download
 * links the emulator serves, expiring on its clock. rdsemu stores no backup data: a link gives
 * a small JSON manifest of the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/lifecycle.h"
#include "rdsemu/core/restore.h"
#include "respond.h"

#define LINK_SECONDS 300 /* as the real service's log links: 5 minutes */
#define BUCKET       "rdsbucket.rdsemu"
#define FILES_PATH   "/_emulator/backup-files/"

/* A backup and its files (`*files` new), when the backup is COMPLETED at `now`. 0 with
 * `*count` files; 1 refused (`err`); -1 the store failed. `project_id` NULL: any project. */
static int files_of(struct call *call, const char *project_id, const char *backup_id, int64_t now,
                    struct backup *b, struct backup_file **files, size_t *count,
                    struct rule_error *err)
{
    bool found = false;
    *files = NULL;
    memset(b, 0, sizeof(*b));
    struct store_conn *conn = store_acquire(call->api->store);
    if (conn == NULL)
        return -1;
    int rc = store_settle_for_read(conn, now, &call->api->rules);
    if (rc == 0)
        rc = project_id != NULL ? store_backup_get(conn, project_id, backup_id, b, &found)
                                : store_backup_get_any(conn, backup_id, b, &found);
    store_release(call->api->store, conn);
    if (rc != 0 || (found && backup_apply_clock(b, now) != 0))
        return -1;
    if (!found) {
        rule_fail(err, ERR_BACKUP_NOT_FOUND, "backup %.64s does not exist", backup_id);
        return 1;
    }
    if (b->status != BACKUP_COMPLETED) {
        rule_fail(err, ERR_BACKUP_UNUSABLE, "backup %s is %s: only a COMPLETED backup has files",
                  b->id, backup_status_name(b->status));
        return 1;
    }
    *files = calloc(b->databases.count > 0 ? b->databases.count : 1, sizeof(**files));
    if (*files == NULL)
        return -1;
    *count = backup_files_of(b, *files);
    return 0;
}

void v3_backup_files(struct call *call)
{
    char *backup_id = NULL;
    struct backup b = {0};
    struct backup_file *files = NULL;
    size_t count = 0;
    struct rule_error err;
    if (call_query(call, "backup_id", &backup_id) != 0 || backup_id == NULL) {
        respond_error(call, ERR_BAD_REQUEST, "backup_id is required, once");
        goto done;
    }
    int64_t now = clock_now(&call->api->clock);
    int rc =
        files_of(call, call_param(call, "project_id"), backup_id, now, &b, &files, &count, &err);
    if (rc < 0) {
        respond_internal(call);
        goto done;
    }
    if (rc > 0) {
        respond_rule_error(call, &err);
        goto done;
    }
    const char *host = call_header(call, "Host");
    char expires_text[TIME_V3_LEN + 1];
    int64_t expires = time_clamp(now + LINK_SECONDS);
    time_format_v3(expires, expires_text);
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        char link[512];
        snprintf(link, sizeof(link), "http://%.200s" FILES_PATH "%s/%s?expires=%lld",
                 host != NULL ? host : "localhost", b.id, files[i].name, (long long)expires);
        json_array_append_new(list, json_pack("{s:s, s:I, s:s, s:s, s:s?}", "name", files[i].name,
                                              "size", (json_int_t)files[i].size_kb, "download_link",
                                              link, "link_expired_time", expires_text,
                                              "database_name", files[i].database));
    }
    respond_json(call, 200, json_pack("{s:o, s:s}", "files", list, "bucket", BUCKET));
done:
    free(files);
    backup_free(&b);
    free(backup_id);
}

void admin_backup_file_get(struct call *call)
{
    char *expires_text = NULL;
    int64_t expires = -1;
    struct backup b = {0};
    struct backup_file *files = NULL;
    size_t count = 0;
    struct rule_error err;
    if (call_query(call, "expires", &expires_text) != 0 || expires_text == NULL ||
        !parse_bounded_int(expires_text, 0, INT64_MAX, &expires)) {
        respond_error(call, ERR_BAD_REQUEST, "expires is required: a UNIX time in seconds");
        goto done;
    }
    int64_t now = clock_now(&call->api->clock);
    if (now > expires) {
        respond_error(call, ERR_LINK_EXPIRED, "the link expired at %lld (the emulator's clock)",
                      (long long)expires);
        goto done;
    }
    const char *name = call_param(call, "file_name");
    int rc = files_of(call, NULL, call_param(call, "backup_id"), now, &b, &files, &count, &err);
    if (rc < 0) {
        respond_internal(call);
        goto done;
    }
    size_t i = 0;
    while (rc == 0 && i < count && strcmp(files[i].name, name) != 0)
        i++;
    if (rc > 0 || i == count) {
        respond_error(call, ERR_NOT_FOUND, "no backup file %.160s", name);
        goto done;
    }
    char begin[TIME_V3_LEN + 1], end[TIME_V3_LEN + 1];
    time_format_v3(b.created, begin);
    time_format_v3(b.finished, end);
    respond_json(call, 200,
                 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:s, s:s, s:s}", "file",
                           files[i].name, "backup_id", b.id, "instance_id", b.instance_id, "engine",
                           b.engine, "version", b.version, "database_name", files[i].database,
                           "size", (json_int_t)files[i].size_kb, "begin_time", begin, "end_time",
                           end, "note", "placeholder: rdsemu stores no backup data"));
done:
    free(files);
    backup_free(&b);
    free(expires_text);
}
