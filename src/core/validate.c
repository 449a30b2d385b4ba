/* Field and instance rules of the create call (docs/api.md, docs/v3.md). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/base/utf8.h"
#include "rdsemu/core/validate.h"

void backup_request_free(struct backup_request *req)
{
    free(req->databases);
    memset(req, 0, sizeof(*req));
}

static bool is_ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool project_id_is_valid(const char *project_id)
{
    size_t len = strlen(project_id);
    if (len < 1 || len > PROJECT_ID_MAX)
        return false;
    for (const char *p = project_id; *p != '\0'; p++)
        if (!is_ascii_letter(*p) && !is_ascii_digit(*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

bool instance_id_is_valid(const char *id)
{
    size_t len = strlen(id);
    if (len < 1 || len > INSTANCE_ID_MAX)
        return false;
    for (const char *p = id; *p != '\0'; p++)
        if (!is_ascii_letter(*p) && !is_ascii_digit(*p) && *p != '_' && *p != '-' && *p != '.')
            return false;
    return true;
}

bool backup_name_is_valid(const char *name)
{
    size_t len = strlen(name);
    if (len < 4 || len > BACKUP_NAME_MAX || !is_ascii_letter(name[0]))
        return false;
    for (const char *p = name + 1; *p != '\0'; p++)
        if (!is_ascii_letter(*p) && !is_ascii_digit(*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

const char *description_problem(const char *description)
{
    if (utf8_code_points(description) > DESCRIPTION_MAX)
        return "must be at most 256 characters";
    if (strpbrk(description, "!<>=&\"'") != NULL)
        return "must not contain any of ! < > = & \" '";
    return NULL;
}

int backup_request_validate(const struct backup_request *req, struct rule_error *err)
{
    const char *key = req->instance_key != NULL ? req->instance_key : "instance";
    if (req->instance_id == NULL)
        return rule_fail(err, ERR_BAD_REQUEST, "%s is required", key);
    if (req->instance_id[0] == '\0' || utf8_code_points(req->instance_id) > INSTANCE_ID_MAX)
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be 1 to 64 characters", key);
    if (req->name == NULL)
        return rule_fail(err, ERR_BAD_REQUEST, "name is required");
    if (!backup_name_is_valid(req->name))
        return rule_fail(err, ERR_BAD_REQUEST,
                         "name must be 4 to 64 characters, start with a letter and contain "
                         "only letters, digits, hyphens (-) and underscores (_)");
    if (req->description != NULL) {
        const char *why = description_problem(req->description);
        if (why != NULL)
            return rule_fail(err, ERR_BAD_REQUEST, "description %s", why);
    }
    if (req->has_databases) {
        if (req->database_count == 0)
            return rule_fail(err, ERR_BAD_REQUEST, "databases must list at least one database");
        for (size_t i = 0; i < req->database_count; i++) {
            if (req->databases[i][0] == '\0')
                return rule_fail(err, ERR_BAD_REQUEST, "databases[%zu].name must not be empty", i);
            for (size_t j = 0; j < i; j++)
                if (strcmp(req->databases[i], req->databases[j]) == 0)
                    return rule_fail(err, ERR_BAD_REQUEST,
                                     "databases lists the database %.64s twice", req->databases[i]);
        }
    }
    return 0;
}

int backup_request_check_instance(const struct backup_request *req, const struct instance *inst,
                                  bool allow_postgres, struct rule_error *err)
{
    if (inst->replica)
        return rule_fail(err, ERR_INSTANCE_STATE,
                         "instance %.64s is a read replica; back up its primary instead", inst->id);
    if (strcmp(inst->status, "ACTIVE") != 0)
        return rule_fail(err, ERR_INSTANCE_STATE, "instance %.64s is %.32s, not ACTIVE", inst->id,
                         inst->status);
    if (!req->has_databases)
        return 0;
    bool partial_allowed = strcmp(inst->engine, "SQLServer") == 0 ||
                           (allow_postgres && strcmp(inst->engine, "PostgreSQL") == 0);
    if (!partial_allowed)
        return rule_fail(err, ERR_BAD_REQUEST,
                         allow_postgres
                             ? "databases is only supported for SQLServer and PostgreSQL "
                               "instances, and instance %.64s is %.16s"
                             : "databases is only supported for SQLServer instances, and "
                               "instance %.64s is %.16s",
                         inst->id, inst->engine);
    if (!inst->has_databases)
        return 0;
    for (size_t i = 0; i < req->database_count; i++)
        if (!name_list_contains(&inst->databases, req->databases[i]))
            return rule_fail(err, ERR_BAD_REQUEST,
                             "databases: instance %.64s has no database named %.64s", inst->id,
                             req->databases[i]);
    return 0;
}

const char *engine_canonical(const char *engine)
{
    static const char *const engines[] = {"MySQL", "PostgreSQL", "SQLServer"};
    for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
        if (strcasecmp(engine, engines[i]) == 0)
            return engines[i];
    return NULL;
}
