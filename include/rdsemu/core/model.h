/* Domain types shared by the store, the rules and the renderers. No I/O here. */
#ifndef RDSEMU_MODEL_H
#define RDSEMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROJECT_ID_MAX  64
#define INSTANCE_ID_MAX 64 /* characters */
#define BACKUP_NAME_MAX 64
#define DESCRIPTION_MAX 256 /* code points */
#define UUID_TEXT_LEN   36
#define JOB_ID_TEXT_LEN 32
#define DEFAULT_SIZE_KB 2048

enum outcome { OUTCOME_SUCCESS, OUTCOME_FAIL };
enum backup_status { BACKUP_BUILDING, BACKUP_COMPLETED, BACKUP_FAILED };

/* A list of names (databases). Owns its strings. */
struct name_list {
    char **names;
    size_t count;
};

void name_list_free(struct name_list *list);
/* 0 on success; -1 when out of memory (the list is left unchanged). `name` is copied. */
int name_list_add(struct name_list *list, const char *name);
bool name_list_contains(const struct name_list *list, const char *name);

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
    long long size_kb; /* -1: not set */
    int policy_keepday;
    char policy_starttime[9]; /* hh:mm:ss */
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
    struct name_list databases; /* empty: a full backup */
    int64_t created;
    int64_t ready_at;
    enum outcome outcome;
    enum backup_status status;
    int64_t finished;  /* -1 while BUILDING */
    long long size_kb; /* -1 until COMPLETED */
    long long size_at_ready;
    char *fail_reason; /* NULL unless FAILED */
    char job_id[JOB_ID_TEXT_LEN + 1];
};

void backup_free(struct backup *b);

enum job_status { JOB_RUNNING, JOB_COMPLETED, JOB_FAILED };

/* The job a create returns; it outlives a deleted backup. */
struct job {
    char id[JOB_ID_TEXT_LEN + 1];
    char *project_id;
    char *name; /* CreateManualBackup */
    char *backup_id;
    char *instance_id;
    char *instance_name;
    int64_t created;
    enum job_status status;
    int64_t ended;        /* -1 while Running */
    char *fail_reason;    /* NULL unless Failed */
    int64_t ready_at;     /* the backup's, for the progress of a Running job; -1 if unknown */
    enum outcome outcome; /* the backup's: what the job ends as at ready_at */
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
/* -1 when `name` is none of BUILDING, COMPLETED, FAILED. */
int backup_status_parse(const char *name, enum backup_status *out);

#endif
