/* The error catalogue (docs/errors.md). */
#include <stdarg.h>
#include <stdio.h>

#include "rdsemu/core/errors.h"

static const struct error_entry catalogue[ERR_COUNT] = {
    [ERR_UNAUTHORIZED] = {401, 401, "APIGW.0301", "APIGW.0301", "unauthorized", true, "APIGW.0301",
                          NULL},
    [ERR_FORBIDDEN] = {403, 403, "RDS.0010", "DBS.200010", "forbidden", false, NULL, "APIGW.0302"},
    [ERR_BAD_REQUEST] = {400, 400, "RDS.0001", "DBS.200001", "bad_request", false, NULL,
                         "APIGW.0201"},
    [ERR_BODY_TOO_LARGE] = {413, 413, "RDS.0001", "DBS.200001", "payload_too_large", false, NULL,
                            "APIGW.0201"},
    [ERR_INSTANCE_NOT_FOUND] = {404, 404, "RDS.0002", "DBS.200045", "not_found", false, NULL, NULL},
    [ERR_INSTANCE_STATE] = {409, 400, "RDS.0056", "DBS.200086", "conflict", false, NULL, NULL},
    [ERR_BACKUP_RUNNING] = {409, 409, "RDS.3004", "DBS.201205", "conflict", false, NULL, NULL},
    [ERR_NAME_TAKEN] = {409, 409, "RDS.0031", "DBS.201201", "conflict", false, NULL, NULL},
    [ERR_BACKUP_NOT_FOUND] = {404, 404, "RDS.3026", "DBS.201010", "not_found", false, NULL, NULL},
    [ERR_BACKUP_BUILDING] = {409, 409, "RDS.3004", "DBS.201205", "conflict", false, NULL, NULL},
    [ERR_JOB_NOT_FOUND] = {400, 400, "RDS.0001", "DBS.200543", "not_found", false, NULL, NULL},
    [ERR_ROUTE_NOT_FOUND] = {404, 404, "APIGW.0101", "APIGW.0101", "not_found", true, "APIGW.0101",
                             NULL},
    [ERR_NOT_FOUND] = {404, 404, "RDS.0001", "DBS.200001", "not_found", false, NULL, NULL},
    [ERR_CONFLICT] = {409, 409, "RDS.0001", "DBS.200001", "conflict", false, NULL, NULL},
    /* Behind the gateway, identity fails as a backend does: the gateway's APIGW.0201 family. */
    [ERR_INTERNAL] = {500, 500, "RDS.9999", "DBS.108000", "internal", false, NULL, "APIGW.0201"},
    [ERR_ADMIN_UNAUTHORIZED] = {401, 401, "APIGW.0301", "APIGW.0301", "unauthorized", false, NULL,
                                NULL},
    [ERR_MALFORMED] = {400, 400, "APIGW.0201", "APIGW.0201", "bad_request", true, "APIGW.0201",
                       NULL},
    [ERR_NOT_IMPLEMENTED] = {501, 501, "APIGW.0201", "APIGW.0201", "not_implemented", true,
                             "APIGW.0201", NULL},
    [ERR_URI_TOO_LONG] = {414, 414, "APIGW.0201", "APIGW.0201", "uri_too_long", true, "APIGW.0201",
                          NULL},
    [ERR_UNAVAILABLE] = {503, 503, "RDS.9999", "DBS.108000", "unavailable", false, NULL,
                         "APIGW.0201"},
    [ERR_POLICY_KEEP_DAYS] = {400, 400, "RDS.0001", "DBS.280250", "bad_request", false, NULL, NULL},
    [ERR_POLICY_START_TIME] = {400, 400, "RDS.0001", "DBS.280253", "bad_request", false, NULL,
                               NULL},
    [ERR_POLICY_PERIOD] = {400, 400, "RDS.0001", "DBS.280251", "bad_request", false, NULL, NULL},
    [ERR_AUTO_BACKUP_DELETE] = {404, 400, "RDS.3026", "DBS.200001", "bad_request", false, NULL,
                                NULL},
    [ERR_BACKUP_DELETING] = {400, 400, "RDS.3016", "DBS.200001", "conflict", false, NULL, NULL},
    [ERR_INSTANCE_RESTORING] = {409, 400, "RDS.1002", "DBS.200086", "conflict", false, NULL, NULL},
    [ERR_BACKUP_IN_USE] = {409, 400, "RDS.3004", "DBS.200054", "conflict", false, NULL, NULL},
    [ERR_SOURCE_NOT_FOUND] = {404, 404, "RDS.0002", "DBS.200013", "not_found", false, NULL, NULL},
    [ERR_BACKUP_UNUSABLE] = {400, 400, "RDS.0001", "DBS.201203", "bad_request", false, NULL, NULL},
    [ERR_RESTORE_MISMATCH] = {400, 400, "RDS.0001", "DBS.201207", "bad_request", false, NULL, NULL},
    [ERR_TARGET_BUSY] = {409, 409, "RDS.0001", "DBS.201202", "conflict", false, NULL, NULL},
    [ERR_LINK_EXPIRED] = {403, 403, "RDS.0010", "DBS.200010", "forbidden", false, NULL, NULL},
};

const struct error_entry *errors_lookup(enum rdsemu_err err)
{
    if (err <= ERR_NONE || err >= ERR_COUNT)
        err = ERR_INTERNAL;
    return &catalogue[err];
}

int errors_status(enum rdsemu_err err, enum api_flavour api)
{
    const struct error_entry *e = errors_lookup(err);
    return api == API_V3 ? e->status_v3 : e->status;
}

const char *errors_code(enum rdsemu_err err, enum api_flavour api)
{
    const struct error_entry *e = errors_lookup(err);
    if (e->gateway_only)
        return e->gateway_code;
    switch (api) {
    case API_V1:
        return e->v1_code;
    case API_V3:
        return e->v3_code;
    case API_ADMIN:
        return e->admin_code;
    case API_IDENTITY:
        if (e->identity_code != NULL)
            return e->identity_code;
        break;
    case API_GATEWAY:
        break;
    }
    /* The gateway itself only ever answers its own errors; anything else it would relay
     * comes from a backend, whose v3 code is the closest it has. */
    return e->v3_code;
}

int rule_fail(struct rule_error *out, enum rdsemu_err err, const char *fmt, ...)
{
    if (out != NULL) {
        va_list ap;
        out->err = err;
        va_start(ap, fmt);
        vsnprintf(out->message, sizeof(out->message), fmt, ap);
        va_end(ap);
    }
    return -1;
}

int rule_internal(struct rule_error *out)
{
    return rule_fail(out, ERR_INTERNAL, "internal error");
}
