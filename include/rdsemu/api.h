/* The route table of every API and the handlers behind it (src/api/). */
#ifndef RDSEMU_API_H
#define RDSEMU_API_H

#include <jansson.h>
#include <stdbool.h>

#include "rdsemu/request.h"
#include "rdsemu/router.h"
#include "rdsemu/validate.h"

extern const struct route api_routes[];
extern const size_t api_route_count;

/* Credentials: a token or a well-formed signature for the emulated APIs, the admin token
 * for the control plane. ERR_NONE or the failure, with its message in `msg`. */
enum rdsemu_err api_check_auth(struct request *req, char *msg, size_t msglen);
/* The part of auth that needs the whole body (a signature covers the body's hash): run
 * once the body has arrived, unless it was over the limit (the 413 comes first then).
 * ERR_NONE or the failure, with its message in `msg`. */
enum rdsemu_err api_check_body_auth(struct request *req, char *msg, size_t msglen);
/* The header checks after auth and faults, in the order of docs/api.md: path parameters,
 * then content type. */
enum rdsemu_err api_check_headers(struct request *req, char *msg, size_t msglen);

/* Parses the body as a JSON object: 0, or -1 after replying 400. New on success. */
int api_parse_body(struct request *req, json_t **out);

/* v1 (api/v1.c, api/v1_policy.c) */
void v1_backup_create(struct request *req);
void v1_backup_list(struct request *req);
void v1_backup_delete(struct request *req);
void v1_policy_get(struct request *req);
void v1_policy_put(struct request *req);

/* v3 (api/v3_backups.c, api/v3_jobs.c) */
void v3_backup_create(struct request *req);
void v3_backup_list(struct request *req);
void v3_backup_delete(struct request *req);
void v3_job_get(struct request *req);

/* control plane (api/admin.c) */
void admin_instance_put(struct request *req);
void admin_instance_get(struct request *req);
void admin_instance_list(struct request *req);
void admin_instance_delete(struct request *req);
void admin_project_delete(struct request *req);
void admin_reset(struct request *req);
void admin_health(struct request *req);
void admin_clock_get(struct request *req);
void admin_clock_post(struct request *req);
void admin_backup_complete(struct request *req);
void admin_backup_fail(struct request *req);
void admin_requests_get(struct request *req);
void admin_requests_delete(struct request *req);
void admin_faults_post(struct request *req);
void admin_faults_get(struct request *req);
void admin_faults_delete(struct request *req);
void admin_fault_delete(struct request *req);
void admin_metrics(struct request *req);
/* control plane (api/admin_openapi.c): docs/openapi.yaml, embedded at build time */
void admin_openapi(struct request *req);

#endif
