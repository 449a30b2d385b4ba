/* Every route the emulator answers. Anything else is the gateway's 404. */
#include "rdsemu/api.h"

const struct route api_routes[] = {
    {"POST", "/rds/{versionId}/{project_id}/backups", v1_backup_create, API_V1,
     "v1_backup_create"},

    {"GET", "/_emulator/health", admin_health, API_ADMIN, "admin_health"},
    {"POST", "/_emulator/reset", admin_reset, API_ADMIN, "admin_reset"},
    {"GET", "/_emulator/projects/{project_id}/instances", admin_instance_list, API_ADMIN,
     "admin_instance_list"},
    {"PUT", "/_emulator/projects/{project_id}/instances/{instance_id}", admin_instance_put,
     API_ADMIN, "admin_instance_put"},
    {"GET", "/_emulator/projects/{project_id}/instances/{instance_id}", admin_instance_get,
     API_ADMIN, "admin_instance_get"},
    {"DELETE", "/_emulator/projects/{project_id}/instances/{instance_id}",
     admin_instance_delete, API_ADMIN, "admin_instance_delete"},
    {"DELETE", "/_emulator/projects/{project_id}", admin_project_delete, API_ADMIN,
     "admin_project_delete"},
};

const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);
