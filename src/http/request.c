/* Accessors of the per-request context. */
#include <microhttpd.h>

#include "rdsemu/request.h"

const char *request_header(struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *request_param(struct request *req, const char *name)
{
    return route_match_param(&req->match, name);
}
