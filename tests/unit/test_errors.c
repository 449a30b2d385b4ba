/* The error catalogue of docs/api.md row by row. */
#include "check.h"
#include "rdsemu/core/errors.h"

struct row {
    enum rdsemu_err err;
    int status_v1, status_v3;
    const char *v1, *v3;
};

int main(void)
{
    static const struct row rows[] = {
        {ERR_UNAUTHORIZED, 401, 401, "APIGW.0301", "APIGW.0301"},
        {ERR_FORBIDDEN, 403, 403, "RDS.0010", "DBS.200010"},
        {ERR_BAD_REQUEST, 400, 400, "RDS.0001", "DBS.200001"},
        {ERR_BODY_TOO_LARGE, 413, 413, "RDS.0001", "DBS.200001"},
        {ERR_INSTANCE_NOT_FOUND, 404, 404, "RDS.0002", "DBS.200045"},
        {ERR_INSTANCE_STATE, 409, 400, "RDS.0056", "DBS.200086"},
        {ERR_BACKUP_RUNNING, 409, 409, "RDS.3004", "DBS.201205"},
        {ERR_NAME_TAKEN, 409, 409, "RDS.0031", "DBS.201201"},
        {ERR_BACKUP_NOT_FOUND, 404, 404, "RDS.3026", "DBS.201010"},
        {ERR_BACKUP_BUILDING, 409, 409, "RDS.3004", "DBS.201205"},
        {ERR_JOB_NOT_FOUND, 400, 400, NULL, "DBS.200543"},
        {ERR_ROUTE_NOT_FOUND, 404, 404, "APIGW.0101", "APIGW.0101"},
        {ERR_INTERNAL, 500, 500, "RDS.9999", "DBS.108000"},
        {ERR_MALFORMED, 400, 400, "APIGW.0201", "APIGW.0201"},
        {ERR_NOT_IMPLEMENTED, 501, 501, "APIGW.0201", "APIGW.0201"},
        {ERR_URI_TOO_LONG, 414, 414, "APIGW.0201", "APIGW.0201"},
        {ERR_UNAVAILABLE, 503, 503, "RDS.9999", "DBS.108000"},
        {ERR_POLICY_KEEP_DAYS, 400, 400, NULL, "DBS.280250"},
        {ERR_POLICY_START_TIME, 400, 400, NULL, "DBS.280253"},
        {ERR_POLICY_PERIOD, 400, 400, NULL, "DBS.280251"},
        {ERR_AUTO_BACKUP_DELETE, 404, 400, "RDS.3026", "DBS.200001"},
        {ERR_BACKUP_DELETING, 400, 400, "RDS.3016", "DBS.200001"},
        {ERR_INSTANCE_RESTORING, 409, 400, "RDS.1002", "DBS.200086"},
        {ERR_BACKUP_IN_USE, 409, 400, "RDS.3004", "DBS.200054"},
        {ERR_SOURCE_NOT_FOUND, 404, 404, NULL, "DBS.200013"},
        {ERR_BACKUP_UNUSABLE, 400, 400, NULL, "DBS.201203"},
        {ERR_RESTORE_MISMATCH, 400, 400, NULL, "DBS.201207"},
        {ERR_TARGET_BUSY, 409, 409, NULL, "DBS.201202"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        CHECK_INT(errors_status(r->err, API_V1), r->status_v1);
        CHECK_INT(errors_status(r->err, API_V3), r->status_v3);
        if (r->v1 != NULL)
            CHECK_STR(errors_code(r->err, API_V1), r->v1);
        CHECK_STR(errors_code(r->err, API_V3), r->v3);
        CHECK(errors_code(r->err, API_ADMIN) != NULL);
    }
    /* Gateway errors keep the gateway's code whatever API was asked. */
    CHECK(errors_lookup(ERR_UNAUTHORIZED)->gateway_only);
    CHECK(errors_lookup(ERR_ROUTE_NOT_FOUND)->gateway_only);
    CHECK(errors_lookup(ERR_MALFORMED)->gateway_only);
    CHECK(errors_lookup(ERR_NOT_IMPLEMENTED)->gateway_only);
    CHECK(errors_lookup(ERR_URI_TOO_LONG)->gateway_only);
    CHECK(!errors_lookup(ERR_BAD_REQUEST)->gateway_only);
    CHECK_STR(errors_code(ERR_UNAUTHORIZED, API_ADMIN), "APIGW.0301");
    CHECK_INT(errors_status(ERR_LINK_EXPIRED, API_ADMIN), 403);
    CHECK_STR(errors_code(ERR_LINK_EXPIRED, API_ADMIN), "forbidden");

    /* The identity routes: the gateway's codes, statuses as everywhere (docs/identity.md). */
    CHECK_STR(errors_code(ERR_UNAUTHORIZED, API_IDENTITY), "APIGW.0301");
    CHECK_STR(errors_code(ERR_FORBIDDEN, API_IDENTITY), "APIGW.0302");
    CHECK_STR(errors_code(ERR_BAD_REQUEST, API_IDENTITY), "APIGW.0201");
    CHECK_STR(errors_code(ERR_BODY_TOO_LARGE, API_IDENTITY), "APIGW.0201");
    CHECK_STR(errors_code(ERR_INTERNAL, API_IDENTITY), "APIGW.0201");
    CHECK_STR(errors_code(ERR_UNAVAILABLE, API_IDENTITY), "APIGW.0201");
    CHECK_STR(errors_code(ERR_ROUTE_NOT_FOUND, API_IDENTITY), "APIGW.0101");
    CHECK_INT(errors_status(ERR_FORBIDDEN, API_IDENTITY), 403);
    CHECK_INT(errors_status(ERR_BODY_TOO_LARGE, API_IDENTITY), 413);

    struct rule_error e;
    CHECK_INT(rule_fail(&e, ERR_NAME_TAKEN, "name %s taken", "abcd"), -1);
    CHECK_INT(e.err, ERR_NAME_TAKEN);
    CHECK_STR(e.message, "name abcd taken");
    return CHECK_DONE();
}
