/* Private to src/api/: the query parameters of the v3 lists (docs/v3.md "Common rules"): each
 * read once, decoded; empty means absent; given twice is a 400; offset and limit paging. */
#ifndef RDSEMU_API_QUERY_PARAMS_H
#define RDSEMU_API_QUERY_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "call.h"

#define QUERY_LIMIT_MAX 100
/* Far past any page, and far from overflowing offset + limit in a query. */
#define QUERY_OFFSET_MAX 999999999999999999LL

struct query_param {
    const char *name;
    char **slot; /* gets a new string, NULL when absent */
};

/* Reads every parameter named; -1 after answering 400 for one given twice (the slots are
 * then freed by query_params_free all the same). */
int query_params_read_or_reply(struct call *call, const struct query_param *params, size_t count);
void query_params_free(const struct query_param *params, size_t count);

/* offset (from 0, default 0) and limit (1 to 100, default 100); -1 after answering 400. */
int query_paging_or_reply(struct call *call, const char *offset, const char *limit,
                          int64_t *offset_out, int64_t *limit_out);

#endif
