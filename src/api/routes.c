/* Every route the emulator answers. Anything else is the gateway's 404. */
#include "rdsemu/api.h"

const struct route api_routes[] = {
    {"POST", "/rds/{versionId}/{project_id}/backups", v1_backup_create, API_V1, "v1_backup_create"},
    {"GET", "/rds/{versionId}/{project_id}/backups", v1_backup_list, API_V1, "v1_backup_list"},
    {"DELETE", "/rds/{versionId}/{project_id}/backups/{backup_id}", v1_backup_delete, API_V1,
     "v1_backup_delete"},
    {"GET", "/rds/{versionId}/{project_id}/instances/{instance_id}/backups/policy", v1_policy_get,
     API_V1, "v1_policy_get"},
    {"PUT", "/rds/{versionId}/{project_id}/instances/{instance_id}/backups/policy", v1_policy_put,
     API_V1, "v1_policy_put"},

    {"POST", "/v3/{project_id}/backups", v3_backup_create, API_V3, "v3_backup_create"},
    {"GET", "/v3/{project_id}/backups", v3_backup_list, API_V3, "v3_backup_list"},
    {"DELETE", "/v3/{project_id}/backups/{backup_id}", v3_backup_delete, API_V3,
     "v3_backup_delete"},
    {"GET", "/v3/{project_id}/jobs", v3_job_get, API_V3, "v3_job_get"},

    {"GET", "/_emulator/health", admin_health, API_ADMIN, "admin_health"},
    /* HEAD answers as GET without the body (libmicrohttpd leaves the body out). */
    {"HEAD", "/_emulator/health", admin_health, API_ADMIN, "admin_health_head"},
    {"POST", "/_emulator/reset", admin_reset, API_ADMIN, "admin_reset"},
    {"GET", "/_emulator/clock", admin_clock_get, API_ADMIN, "admin_clock_get"},
    {"POST", "/_emulator/clock", admin_clock_post, API_ADMIN, "admin_clock_post"},
    {"POST", "/_emulator/backups/{backup_id}/complete", admin_backup_complete, API_ADMIN,
     "admin_backup_complete"},
    {"POST", "/_emulator/backups/{backup_id}/fail", admin_backup_fail, API_ADMIN,
     "admin_backup_fail"},
    {"GET", "/_emulator/projects/{project_id}/instances", admin_instance_list, API_ADMIN,
     "admin_instance_list"},
    {"PUT", "/_emulator/projects/{project_id}/instances/{instance_id}", admin_instance_put,
     API_ADMIN, "admin_instance_put"},
    {"GET", "/_emulator/projects/{project_id}/instances/{instance_id}", admin_instance_get,
     API_ADMIN, "admin_instance_get"},
    {"DELETE", "/_emulator/projects/{project_id}/instances/{instance_id}", admin_instance_delete,
     API_ADMIN, "admin_instance_delete"},
    {"DELETE", "/_emulator/projects/{project_id}", admin_project_delete, API_ADMIN,
     "admin_project_delete"},
    {"GET", "/_emulator/requests", admin_requests_get, API_ADMIN, "admin_requests_get"},
    {"DELETE", "/_emulator/requests", admin_requests_delete, API_ADMIN, "admin_requests_delete"},
    {"POST", "/_emulator/faults", admin_faults_post, API_ADMIN, "admin_faults_post"},
    {"GET", "/_emulator/faults", admin_faults_get, API_ADMIN, "admin_faults_get"},
    {"DELETE", "/_emulator/faults", admin_faults_delete, API_ADMIN, "admin_faults_delete"},
    {"DELETE", "/_emulator/faults/{fault_id}", admin_fault_delete, API_ADMIN, "admin_fault_delete"},
    {"GET", "/_emulator/metrics", admin_metrics, API_ADMIN, "admin_metrics"},
    {"GET", "/_emulator/openapi.yaml", admin_openapi, API_ADMIN, "admin_openapi"},
};

const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);
