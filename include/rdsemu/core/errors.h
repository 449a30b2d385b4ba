/* The error catalogue of docs/api.md: one entry per situation, with its code in each API. */
#ifndef RDSEMU_ERRORS_H
#define RDSEMU_ERRORS_H

#include <stdbool.h>

enum rdsemu_err {
    ERR_NONE = 0,
    ERR_UNAUTHORIZED,       /* missing or unknown token: always the gateway shape */
    ERR_FORBIDDEN,          /* token not valid for this project */
    ERR_BAD_REQUEST,        /* any parameter / body / header error */
    ERR_BODY_TOO_LARGE,     /* over --max-body */
    ERR_INSTANCE_NOT_FOUND, /* in this project */
    ERR_INSTANCE_STATE,     /* not ACTIVE, or a read replica */
    ERR_BACKUP_RUNNING,     /* a backup of the instance is BUILDING */
    ERR_NAME_TAKEN,         /* backup name used on the instance */
    ERR_BACKUP_NOT_FOUND,   /* delete, get */
    ERR_BACKUP_BUILDING,    /* delete while BUILDING */
    ERR_JOB_NOT_FOUND,      /* v3 jobs: 400 DBS.200543 */
    ERR_ROUTE_NOT_FOUND,    /* unknown method+path: always the gateway shape */
    ERR_NOT_FOUND,          /* control plane: an unknown object */
    ERR_CONFLICT,           /* control plane: the object is in the wrong state */
    ERR_INTERNAL,           /* storage or internal failure */
    ERR_ADMIN_UNAUTHORIZED, /* control plane without the --admin-token */
    ERR_MALFORMED,          /* a request head RFC 9112 refuses: always the gateway shape */
    ERR_NOT_IMPLEMENTED,    /* a transfer coding other than chunked: the gateway shape */
    ERR_URI_TOO_LONG,       /* more query parameters than rdsemu reads: the gateway shape */
    ERR_UNAVAILABLE,        /* held-by-delay bound; health once the database is lost */
    ERR_POLICY_KEEP_DAYS,   /* v3 policy: keep_days */
    ERR_POLICY_START_TIME,  /* v3 policy: start_time */
    ERR_POLICY_PERIOD,      /* v3 policy: period */
    ERR_AUTO_BACKUP_DELETE, /* delete of an automated backup */
    ERR_BACKUP_DELETING,    /* delete of a backup already DELETING */
    ERR_INSTANCE_RESTORING, /* a backup of an instance in a restore (BUILD, RESTORING) */
    ERR_BACKUP_IN_USE,      /* delete of a backup a running restore reads */
    ERR_SOURCE_NOT_FOUND,   /* restore: the source instance */
    ERR_BACKUP_UNUSABLE,    /* restore, files: the backup is not COMPLETED; a time out of range */
    ERR_RESTORE_MISMATCH,   /* restore: engine or version */
    ERR_TARGET_BUSY,        /* restore: the target is busy */
    ERR_LINK_EXPIRED,       /* a backup file's link past its expiry: control plane 403 */
    ERR_COUNT
};

/* The API whose shape an answer takes. API_IDENTITY: the identity routes (docs/identity.md),
 * answered in the gateway's shape with the gateway's codes. */
enum api_flavour { API_V1, API_V3, API_GATEWAY, API_ADMIN, API_IDENTITY };

struct error_entry {
    int status;             /* HTTP status everywhere but where status_v3 differs */
    int status_v3;          /* HTTP status in v3 (400 for ERR_INSTANCE_STATE) */
    const char *v1_code;    /* v1 errCode */
    const char *v3_code;    /* v3 error_code */
    const char *admin_code; /* control-plane error.code word */
    bool gateway_only;      /* answered in the gateway shape whatever the API */
    const char *gateway_code;
    const char *identity_code; /* the identity routes' code; NULL: the v3 code */
};

/* Borrowed: a static catalogue row; `err` must be a valid value other than ERR_NONE. */
const struct error_entry *errors_lookup(enum rdsemu_err err);

/* The HTTP status and the code a given API answers for `err` (borrowed, static). */
int errors_status(enum rdsemu_err err, enum api_flavour api);
const char *errors_code(enum rdsemu_err err, enum api_flavour api);

/* What a rule check reports: the catalogue row and a message that names the field. */
struct rule_error {
    enum rdsemu_err err;
    char message[256];
};

/* Fills `out` (may be NULL) and returns -1, so a check can `return rule_fail(...)`. */
int rule_fail(struct rule_error *out, enum rdsemu_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* rule_fail(out, ERR_INTERNAL, ...) with the one message a client ever sees for it: the
 * detail stays in the log of whoever failed. */
int rule_internal(struct rule_error *out);

/* The gateway's fixed messages (docs/api.md). */
#define GATEWAY_ROUTE_MESSAGE "The API does not exist or has not been published in the environment"

#endif
