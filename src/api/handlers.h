/* Private to src/api/: the handlers of the route table (routes.c). Each answers its call, or
 * parks it for the writer (call_defer). */
#ifndef RDSEMU_API_HANDLERS_H
#define RDSEMU_API_HANDLERS_H

#include "call.h"

/* v1 (v1.c, v1_list.c, v1_policy.c) */
void v1_backup_create(struct call *call);
void v1_backup_list(struct call *call);
void v1_backup_delete(struct call *call);
void v1_policy_get(struct call *call);
void v1_policy_put(struct call *call);

/* v3 (v3_backups.c, v3_jobs.c, v3_policy.c, v3_instances.c) */
void v3_backup_create(struct call *call);
void v3_backup_list(struct call *call);
void v3_backup_delete(struct call *call);
void v3_job_get(struct call *call);
void v3_policy_get(struct call *call);
void v3_policy_put(struct call *call);
void v3_instance_list(struct call *call);
/* restore (restore.c, restore_new.c, backup_files.c) */
void v3_restore_time(struct call *call);
void v3_recovery(struct call *call);
void v31_recovery(struct call *call);
void v3_instance_create(struct call *call);
void v3_backup_files(struct call *call);

/* identity (identity.c, identity_tokens.c) */
void identity_versions(struct call *call);
void identity_catalog_get(struct call *call);
void identity_token_get(struct call *call);
void identity_token_post(struct call *call);
void identity_projects(struct call *call);
void identity_domains(struct call *call);

/* control plane (admin*.c) */
void admin_instance_put(struct call *call);
void admin_instance_get(struct call *call);
void admin_instance_list(struct call *call);
void admin_instance_delete(struct call *call);
void admin_project_delete(struct call *call);
void admin_reset(struct call *call);
void admin_health(struct call *call);
void admin_clock_get(struct call *call);
void admin_clock_post(struct call *call);
void admin_backup_complete(struct call *call);
void admin_backup_fail(struct call *call);
void admin_requests_get(struct call *call);
void admin_requests_delete(struct call *call);
void admin_faults_post(struct call *call);
void admin_faults_get(struct call *call);
void admin_faults_delete(struct call *call);
void admin_fault_delete(struct call *call);
void admin_metrics(struct call *call);
void admin_backup_file_get(struct call *call);
void admin_openapi(struct call *call);

#endif
