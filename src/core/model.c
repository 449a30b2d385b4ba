/* Ownership helpers of the domain types. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/core/model.h"

void name_list_free(struct name_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
    list->names = NULL;
    list->count = 0;
}

int name_list_add(struct name_list *list, const char *name)
{
    char *copy = strdup(name);
    if (copy == NULL)
        return -1;
    char **grown = realloc(list->names, (list->count + 1) * sizeof(*grown));
    if (grown == NULL) {
        free(copy);
        return -1;
    }
    grown[list->count] = copy;
    list->names = grown;
    list->count++;
    return 0;
}

bool name_list_contains(const struct name_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->names[i], name) == 0)
            return true;
    return false;
}

/* The index of `name` in `names` (`count` of them), or -1. */
static int name_index(const char *const *names, size_t count, const char *name, bool any_case)
{
    for (size_t i = 0; i < count; i++)
        if ((any_case ? strcasecmp : strcmp)(names[i], name) == 0)
            return (int)i;
    return -1;
}

#define NAME_INDEX(names, name, any_case)                                                          \
    name_index(names, sizeof(names) / sizeof(names[0]), name, any_case)

void instance_free(struct instance *inst)
{
    free(inst->project_id);
    free(inst->id);
    free(inst->name);
    free(inst->engine);
    free(inst->version);
    free(inst->status);
    name_list_free(&inst->databases);
    free(inst->placement);
    memset(inst, 0, sizeof(*inst));
}

void backup_free(struct backup *b)
{
    free(b->project_id);
    free(b->instance_id);
    free(b->instance_name);
    free(b->name);
    free(b->description);
    free(b->engine);
    free(b->version);
    free(b->fail_reason);
    name_list_free(&b->databases);
    memset(b, 0, sizeof(*b));
}

static const char *const status_names[] = {
    [BACKUP_BUILDING] = "BUILDING",
    [BACKUP_COMPLETED] = "COMPLETED",
    [BACKUP_FAILED] = "FAILED",
    [BACKUP_DELETING] = "DELETING",
};

const char *backup_status_name(enum backup_status status)
{
    return status_names[status];
}

int backup_status_parse(const char *name, enum backup_status *out)
{
    int i = NAME_INDEX(status_names, name, false);
    if (i < 0)
        return -1;
    *out = (enum backup_status)i;
    return 0;
}

void job_free(struct job *job)
{
    free(job->project_id);
    free(job->name);
    free(job->backup_id);
    free(job->instance_id);
    free(job->instance_name);
    free(job->fail_reason);
    free(job->entities);
    memset(job, 0, sizeof(*job));
}

static const char *const job_status_names[] = {
    [JOB_RUNNING] = JOB_STATUS_RUNNING,
    [JOB_COMPLETED] = JOB_STATUS_COMPLETED,
    [JOB_FAILED] = JOB_STATUS_FAILED,
};

const char *job_status_name(enum job_status status)
{
    return job_status_names[status];
}

int job_status_parse(const char *name, enum job_status *out)
{
    int i = NAME_INDEX(job_status_names, name, false);
    if (i < 0)
        return -1;
    *out = (enum job_status)i;
    return 0;
}

static const char *const outcome_names[] = {
    [OUTCOME_SUCCESS] = "success",
    [OUTCOME_FAIL] = "fail",
};

const char *outcome_name(enum outcome outcome)
{
    return outcome_names[outcome];
}

int outcome_parse(const char *name, bool any_case, enum outcome *out)
{
    int i = NAME_INDEX(outcome_names, name, any_case);
    if (i < 0)
        return -1;
    *out = (enum outcome)i;
    return 0;
}

static const char *const type_names[] = {
    [BACKUP_MANUAL] = "manual",
    [BACKUP_AUTO] = "auto",
};

const char *backup_type_name(enum backup_type type)
{
    return type_names[type];
}

int backup_type_parse(const char *name, enum backup_type *out)
{
    int i = NAME_INDEX(type_names, name, false);
    if (i < 0)
        return -1;
    *out = (enum backup_type)i;
    return 0;
}
