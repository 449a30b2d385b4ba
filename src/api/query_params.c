/* The query parameters of the v3 lists (src/api/query_params.h). */
#include <stdlib.h>

#include "query_params.h"
#include "rdsemu/base/parse.h"
#include "respond.h"

int query_params_read_or_reply(struct call *call, const struct query_param *params, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (call_query(call, params[i].name, params[i].slot) != 0) {
            respond_error(call, ERR_BAD_REQUEST, "%s must be given at most once", params[i].name);
            return -1;
        }
    }
    return 0;
}

void query_params_free(const struct query_param *params, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(*params[i].slot);
        *params[i].slot = NULL;
    }
}

int query_paging_or_reply(struct call *call, const char *offset, const char *limit,
                          int64_t *offset_out, int64_t *limit_out)
{
    *offset_out = 0;
    *limit_out = QUERY_LIMIT_MAX;
    if (offset != NULL && !parse_bounded_int(offset, 0, QUERY_OFFSET_MAX, offset_out)) {
        respond_error(call, ERR_BAD_REQUEST, "offset must be a whole number from 0 to %lld",
                      (long long)QUERY_OFFSET_MAX);
        return -1;
    }
    if (limit != NULL && !parse_bounded_int(limit, 1, QUERY_LIMIT_MAX, limit_out)) {
        respond_error(call, ERR_BAD_REQUEST, "limit must be a whole number from 1 to %d",
                      QUERY_LIMIT_MAX);
        return -1;
    }
    return 0;
}
