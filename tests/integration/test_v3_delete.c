/* The v3 delete, DELETE /v3/{project_id}/backups/{backup_id} (docs/api.md, docs/v3.md catalogue):
 * 200 with an empty body; an unknown backup, one already deleted, or another project's is
 * 404 DBS.201010; a BUILDING one is 409 DBS.201205 until it finishes; a FAILED one can be
 * deleted; a deleted backup is gone from the list, no longer in progress, and its name is
 * free again. */
#include <stdlib.h>
#include <string.h>

#include "v3.h"

#define PROJECT "rules-project"
#define OTHER   "other-project"

static void expect_deleted(const struct emu *emu, const char *project, const char *id)
{
    struct http_response r;
    v3_delete(emu, project, id, &r);
    if (EXPECT_STATUS(&r, 200)) {
        check_count++;
        if (r.body_len != 0) {
            check_failures++;
            fprintf(stderr, "%s:%d: the delete's body is not empty: %s\n", __FILE__, __LINE__,
                    r.body);
        }
    }
    http_response_free(&r);
}

static void expect_delete_error(const struct emu *emu, const char *project, const char *id,
                                long status, const char *code)
{
    struct http_response r;
    v3_delete(emu, project, id, &r);
    if (!EXPECT_V3_ERROR(&r, status, code))
        fprintf(stderr, "    deleting %s/%s\n", project, id);
    http_response_free(&r);
}

static void deletes_completed(const struct emu *emu)
{
    char *keep = V3_CREATE_ID(emu, PROJECT, "mysql-1", "keepThis", 0);
    char *id = V3_CREATE_ID(emu, PROJECT, "mysql-1", "deleteThis", 0);
    expect_deleted(emu, PROJECT, id);
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1");
    CHECK(list_find(list, id) == NULL);
    CHECK(list_find(list, keep) != NULL);
    CHECK_INT(list_total(list), 1);
    json_decref(list);
    char query[128];
    snprintf(query, sizeof(query), "instance_id=mysql-1&backup_id=%s", id);
    list = V3_LIST_JSON(emu, PROJECT, query);
    CHECK_INT(list_total(list), 0);
    json_decref(list);
    /* Gone: a second delete is a 404. */
    expect_delete_error(emu, PROJECT, id, 404, "DBS.201010");
    /* Its name is free again. */
    char *again = V3_CREATE_ID(emu, PROJECT, "mysql-1", "deleteThis", 0);
    CHECK(again != NULL && strcmp(again, id) != 0);
    free(again);
    free(id);
    free(keep);
}

static void unknown_backups(const struct emu *emu)
{
    static const char *const ids[] = {"00000000-0000-0000-0000-000000000000", "nope",
                                      "0123456789abcdef0123456789abcdef", "x%20y"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        expect_delete_error(emu, PROJECT, ids[i], 404, "DBS.201010");
    /* A project with nothing at all. */
    expect_delete_error(emu, "empty-project", ids[0], 404, "DBS.201010");

    /* Another project's backup: not found here, and still there. */
    char *theirs = V3_CREATE_ID(emu, OTHER, "other-mysql", "notYours", 0);
    expect_delete_error(emu, PROJECT, theirs, 404, "DBS.201010");
    json_t *list = V3_LIST_JSON(emu, OTHER, "instance_id=other-mysql");
    CHECK(list_find(list, theirs) != NULL);
    json_decref(list);
    expect_deleted(emu, OTHER, theirs);
    free(theirs);

    /* The id of a job is not the id of a backup. */
    struct http_response r;
    char *body = call_v1_body("mysql-2", "jobIdIsNotBackupId");
    call_v1_create(emu, NULL, PROJECT, body, 0, &r);
    json_t *root = EXPECT_V1_CREATED(&r);
    const char *job = json_string_value(
        json_array_get(json_object_get(json_object_get(root, "extendparam"), "jobs"), 0));
    if (job != NULL)
        expect_delete_error(emu, PROJECT, job, 404, "DBS.201010");
    json_decref(root);
    http_response_free(&r);
    free(body);
}

static void building_cannot_be_deleted(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "del-1",
                            "{\"name\": \"d\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    EMU_CLOCK_FREEZE(emu, true); /* 299 s must not become 300 by a real second */
    char *id = V3_CREATE_ID(emu, PROJECT, "del-1", "stillBuilding", 300);
    expect_delete_error(emu, PROJECT, id, 409, "DBS.201205");
    EMU_CLOCK_ADVANCE(emu, 299);
    expect_delete_error(emu, PROJECT, id, 409, "DBS.201205");
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=del-1");
    CHECK_STR(member_string(list_find(list, id), "status"), "BUILDING");
    json_decref(list);
    /* Another project cannot see it either way. */
    expect_delete_error(emu, OTHER, id, 404, "DBS.201010");
    EMU_CLOCK_ADVANCE(emu, 1);
    expect_deleted(emu, PROJECT, id);
    EMU_CLOCK_FREEZE(emu, false);
    free(id);

    /* Forced to an end through the control plane: deletable. */
    id = V3_CREATE_ID(emu, PROJECT, "del-1", "forcedEnd", 3600);
    expect_delete_error(emu, PROJECT, id, 409, "DBS.201205");
    EMU_BACKUP_FORCE(emu, id, "complete");
    expect_deleted(emu, PROJECT, id);
    free(id);
}

static void failed_can_be_deleted(const struct emu *emu)
{
    json_t *root =
        create_json_at(__FILE__, __LINE__, emu, CALL_V3, PROJECT,
                       "{\"instance_id\": \"del-1\", \"name\": \"failedOne\"}", 0, "fail");
    char *id = member_string(json_object_get(root, "backup"), "id") != NULL
                   ? strdup(member_string(json_object_get(root, "backup"), "id"))
                   : NULL;
    json_decref(root);
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=del-1");
    CHECK_STR(member_string(list_find(list, id), "status"), "FAILED");
    json_decref(list);
    expect_deleted(emu, PROJECT, id != NULL ? id : "none");
    free(id);

    id = V3_CREATE_ID(emu, PROJECT, "del-1", "failedByHand", 3600);
    EMU_BACKUP_FORCE(emu, id, "fail");
    expect_deleted(emu, PROJECT, id);
    /* Its name is free again, and nothing blocks the instance. */
    free(V3_CREATE_ID(emu, PROJECT, "del-1", "failedByHand", 0));
    free(id);
}

/* A deleted instance's remaining backups can still be deleted. */
static void backups_of_deleted_instance(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "gone-1",
                            "{\"name\": \"g\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    char *id = V3_CREATE_ID(emu, PROJECT, "gone-1", "orphaned", 0);
    ADMIN_CALL(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/gone-1", NULL, 204);
    expect_deleted(emu, PROJECT, id);
    V3_LIST_ERROR(emu, PROJECT, "instance_id=gone-1", 404, "DBS.200045");
    free(id);
}

int main(void)
{
    struct emu emu;
    if (v3_start(&emu, "v3-delete", NULL) != 0)
        return 1;
    deletes_completed(&emu);
    unknown_backups(&emu);
    building_cannot_be_deleted(&emu);
    failed_can_be_deleted(&emu);
    backups_of_deleted_instance(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
