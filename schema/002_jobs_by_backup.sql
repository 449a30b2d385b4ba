-- Settling a backup and forcing its outcome update its job by backup ID: without this index
-- each of those UPDATEs scanned every job.
CREATE INDEX jobs_by_backup ON jobs (backup_id);
