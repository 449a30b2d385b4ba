/* Domain types shared by the store, the rules and the renderers. No I/O here. */
#ifndef RDSEMU_MODEL_H
#define RDSEMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdsemu/core/policy.h"

#define PROJECT_ID_MAX  64
#define INSTANCE_ID_MAX 64 /* characters */
#define BACKUP_NAME_MAX 64
#define DESCRIPTION_MAX 256 /* code points */
#define UUID_TEXT_LEN   36
#define JOB_ID_TEXT_LEN 32
#define DEFAULT_SIZE_KB 2048

enum outcome { OUTCOME_SUCCESS, OUTCOME_FAIL };
/* DELETING: deleted with a delete time, shown until it has passed (docs/api.md "Delete"). */
enum backup_status { BACKUP_BUILDING, BACKUP_COMPLETED, BACKUP_FAILED, BACKUP_DELETING };
#define BACKUP_STATUS_COUNT 4
/* Manual: made by a create call. Auto: made by the instance's policy (docs/policy.md). */
enum backup_type { BACKUP_MANUAL, BACKUP_AUTO };

/* A list of names (databases). Owns its strings. */
struct name_list {
    char **names;
    size_t count;
};

void name_list_free(struct name_list *list);
/* 0 on success; -1 when out of memory (the list is left unchanged). `name` is copied. */
int name_list_add(struct name_list *list, const char *name);
bool name_list_contains(const struct name_list *list, const char *name);

/* A restore an instance is in (docs/restore.md): the target of a restore (RESTORING), or an
 * instance a restore makes (BUILD). */
enum restore_phase { RESTORE_NONE, RESTORE_TARGET, RESTORE_BUILDING };

struct instance {
    char *project_id;
    char *id;
    char *name;
    char *engine; /* MySQL | PostgreSQL | SQLServer */
    char *version;
    char *status; /* ACTIVE, or anything else the test wants */
    bool replica; /* role "replica" */
    bool has_databases;
    struct name_list databases;
    long backup_seconds; /* -1: not set */
    bool has_outcome;
    enum outcome outcome;
    long long size_kb;   /* -1: not set */
    long delete_seconds; /* -1: not set */
    struct backup_policy policy;
    bool policy_set;      /* given through an API, the seed or the control plane */
    int64_t created;      /* emulator time of its first PUT */
    int64_t updated;      /* of its last change: PUT, policy */
    int64_t auto_cursor;  /* automated backups exist for the windows up to it; -1: created */
    long restore_seconds; /* -1: not set */
    bool has_restore_outcome;
    enum outcome restore_outcome;
    enum restore_phase restore_phase; /* the restore it is in, until restore_until */
    int64_t restore_until;
    bool restore_fails; /* RESTORE_BUILDING: FAILED once it ends */
    char *placement;    /* JSON object given by a restore to a new instance, or NULL */
};

void instance_free(struct instance *inst);

struct backup {
    char id[UUID_TEXT_LEN + 1];
    char *project_id;
    char *instance_id;
    char *instance_name;
    char *name;
    char *description; /* NULL when absent */
    char *engine;
    char *version;
    enum backup_type type;
    struct name_list databases; /* empty: a full backup */
    int64_t created;
    int64_t ready_at;
    enum outcome outcome;
    enum backup_status status;
    int64_t finished;  /* -1 while BUILDING */
    long long size_kb; /* -1 until COMPLETED */
    long long size_at_ready;
    char *fail_reason; /* NULL unless FAILED */
    int64_t expires;   /* when it goes (DELETING, or an automated one past retention); -1 */
    char job_id[JOB_ID_TEXT_LEN + 1]; /* "" for an automated backup: it has no job */
};

void backup_free(struct backup *b);

enum job_status { JOB_RUNNING, JOB_COMPLETED, JOB_FAILED };

/* A backup's job, or a restore's (docs/jobs.md). */
enum job_kind { JOB_BACKUP, JOB_RESTORE };

/* The job a create or a restore returns; a backup's outlives the backup. */
struct job {
    char id[JOB_ID_TEXT_LEN + 1];
    enum job_kind kind;
    char *project_id;
    char *name; /* CreateManualBackup */
    char *backup_id;
    char *instance_id;
    char *instance_name;
    int64_t created;
    enum job_status status;
    int64_t ended;        /* -1 while Running */
    char *fail_reason;    /* NULL unless Failed */
    int64_t ready_at;     /* when it ends (a backup's job: its backup's); -1 if unknown */
    enum outcome outcome; /* what the job ends as at ready_at */
    char *entities;       /* a restore's: {"source": ...} as JSON text; NULL otherwise */
};

void job_free(struct job *job);

/* The names of the enums, as the APIs and the store spell them, each written once. The SQL of
 * the store spells job statuses in its statements too: it uses these macros. */
#define JOB_STATUS_RUNNING   "Running"
#define JOB_STATUS_COMPLETED "Completed"
#define JOB_STATUS_FAILED    "Failed"
const char *job_status_name(enum job_status status);
/* -1 when `name` is none of Running, Completed, Failed. */
int job_status_parse(const char *name, enum job_status *out);
const char *outcome_name(enum outcome outcome); /* "success" | "fail" */
/* -1 when `name` is neither success nor fail (in any case when `any_case`). */
int outcome_parse(const char *name, bool any_case, enum outcome *out);

const char *backup_status_name(enum backup_status status);
/* -1 when `name` is none of BUILDING, COMPLETED, FAILED, DELETING. */
int backup_status_parse(const char *name, enum backup_status *out);
const char *backup_type_name(enum backup_type type); /* "manual" | "auto" */
int backup_type_parse(const char *name, enum backup_type *out);

#endif
