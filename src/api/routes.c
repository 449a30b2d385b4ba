/* Every route the emulator answers, with what it is (docs/architecture.md "Routes"). Anything
 * else is the gateway's 404. The order is the router's: the first match wins. */
#include "handlers.h"

#define V1      API_V1, ROUTE_EMULATED | ROUTE_FAULTABLE | ROUTE_JSON_BODY
#define V3      API_V3, ROUTE_EMULATED | ROUTE_FAULTABLE | ROUTE_JSON_BODY
#define CONTROL API_ADMIN, ROUTE_JSON_BODY
/* Identity (docs/identity.md): matched before /v3/{project_id}/..., whose project_id "auth" or
 * "projects" would otherwise take them. */
#define IDENTITY      API_IDENTITY, ROUTE_EMULATED | ROUTE_FAULTABLE | ROUTE_IDENTITY
#define IDENTITY_OPEN API_IDENTITY, ROUTE_EMULATED | ROUTE_FAULTABLE | ROUTE_OPEN
#define LOGIN                                                                                      \
    API_IDENTITY,                                                                                  \
        ROUTE_EMULATED | ROUTE_FAULTABLE | ROUTE_OPEN | ROUTE_JSON_BODY | ROUTE_SECRET_BODY
#define V1_PATH  "/rds/{versionId}/{project_id}"
#define INSTANCE "/_emulator/projects/{project_id}/instances/{instance_id}"

const struct api_route api_routes[] = {
    {{"POST", V1_PATH "/backups"}, v1_backup_create, V1, "v1_backup_create"},
    {{"GET", V1_PATH "/backups"}, v1_backup_list, V1, "v1_backup_list"},
    {{"DELETE", V1_PATH "/backups/{backup_id}"}, v1_backup_delete, V1, "v1_backup_delete"},
    {{"GET", V1_PATH "/instances/{instance_id}/backups/policy"},
     v1_policy_get,
     V1,
     "v1_policy_get"},
    {{"PUT", V1_PATH "/instances/{instance_id}/backups/policy"},
     v1_policy_put,
     V1,
     "v1_policy_put"},

    {{"GET", "/"}, identity_versions, IDENTITY_OPEN, "identity_versions_root"},
    {{"GET", "/v3"}, identity_versions, IDENTITY_OPEN, "identity_versions"},
    {{"GET", "/v3/auth/catalog"}, identity_catalog_get, IDENTITY, "identity_catalog"},
    {{"GET", "/v3/auth/tokens"}, identity_token_get, IDENTITY, "identity_token_get"},
    {{"POST", "/v3/auth/tokens"}, identity_token_post, LOGIN, "identity_token_post"},
    {{"GET", "/v3/auth/domains"}, identity_domains, IDENTITY, "identity_domains"},
    {{"GET", "/v3/projects"}, identity_projects, IDENTITY, "identity_projects"},

    {{"POST", "/v3/{project_id}/backups"}, v3_backup_create, V3, "v3_backup_create"},
    {{"GET", "/v3/{project_id}/backups"}, v3_backup_list, V3, "v3_backup_list"},
    {{"DELETE", "/v3/{project_id}/backups/{backup_id}"}, v3_backup_delete, V3, "v3_backup_delete"},
    {{"GET", "/v3/{project_id}/jobs"}, v3_job_get, V3, "v3_job_get"},
    {{"GET", "/v3/{project_id}/instances"},
     v3_instance_list,
     V3 | ROUTE_INSTANCE_IN_ID,
     "v3_instance_list"},
    {{"POST", "/v3/{project_id}/instances"},
     v3_instance_create,
     V3 | ROUTE_INSTANCE_IN_BODY,
     "v3_instance_create"},
    {{"POST", "/v3/{project_id}/instances/recovery"},
     v3_recovery,
     V3 | ROUTE_INSTANCE_IN_BODY,
     "v3_recovery"},
    {{"POST", "/v3.1/{project_id}/instances/recovery"},
     v31_recovery,
     V3 | ROUTE_INSTANCE_IN_BODY,
     "v31_recovery"},
    {{"GET", "/v3/{project_id}/instances/{instance_id}/restore-time"},
     v3_restore_time,
     V3,
     "v3_restore_time"},
    {{"GET", "/v3/{project_id}/backup-files"}, v3_backup_files, V3, "v3_backup_files"},
    {{"GET", "/v3/{project_id}/instances/{instance_id}/backups/policy"},
     v3_policy_get,
     V3,
     "v3_policy_get"},
    {{"PUT", "/v3/{project_id}/instances/{instance_id}/backups/policy"},
     v3_policy_put,
     V3,
     "v3_policy_put"},

    {{"GET", "/_emulator/health"}, admin_health, API_ADMIN, ROUTE_QUIET, "admin_health"},
    /* HEAD answers as GET without the body (libmicrohttpd leaves the body out). */
    {{"HEAD", "/_emulator/health"}, admin_health, API_ADMIN, ROUTE_QUIET, "admin_health_head"},
    {{"POST", "/_emulator/reset"}, admin_reset, CONTROL, "admin_reset"},
    {{"GET", "/_emulator/clock"}, admin_clock_get, CONTROL, "admin_clock_get"},
    {{"POST", "/_emulator/clock"}, admin_clock_post, CONTROL, "admin_clock_post"},
    {{"POST", "/_emulator/backups/{backup_id}/complete"},
     admin_backup_complete,
     CONTROL,
     "admin_backup_complete"},
    {{"POST", "/_emulator/backups/{backup_id}/fail"},
     admin_backup_fail,
     CONTROL,
     "admin_backup_fail"},
    {{"GET", "/_emulator/projects/{project_id}/instances"},
     admin_instance_list,
     CONTROL,
     "admin_instance_list"},
    {{"PUT", INSTANCE}, admin_instance_put, CONTROL, "admin_instance_put"},
    {{"GET", INSTANCE}, admin_instance_get, CONTROL, "admin_instance_get"},
    {{"DELETE", INSTANCE}, admin_instance_delete, CONTROL, "admin_instance_delete"},
    {{"DELETE", "/_emulator/projects/{project_id}"},
     admin_project_delete,
     CONTROL,
     "admin_project_delete"},
    {{"GET", "/_emulator/requests"}, admin_requests_get, CONTROL, "admin_requests_get"},
    {{"DELETE", "/_emulator/requests"}, admin_requests_delete, CONTROL, "admin_requests_delete"},
    {{"POST", "/_emulator/faults"}, admin_faults_post, CONTROL, "admin_faults_post"},
    {{"GET", "/_emulator/faults"}, admin_faults_get, CONTROL, "admin_faults_get"},
    {{"DELETE", "/_emulator/faults"}, admin_faults_delete, CONTROL, "admin_faults_delete"},
    {{"DELETE", "/_emulator/faults/{fault_id}"}, admin_fault_delete, CONTROL, "admin_fault_delete"},
    {{"GET", "/_emulator/metrics"}, admin_metrics, CONTROL, "admin_metrics"},
    /* A backup file's download link: free of --admin-token, as a link is. */
    {{"GET", "/_emulator/backup-files/{backup_id}/{file_name}"},
     admin_backup_file_get,
     API_ADMIN,
     ROUTE_PUBLIC,
     "admin_backup_file_get"},
    {{"GET", "/_emulator/openapi.yaml"}, admin_openapi, CONTROL, "admin_openapi"},
};

const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);
