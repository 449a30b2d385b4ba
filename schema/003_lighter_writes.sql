-- Fewer B-trees touched per create.
-- A backup whose build time passed may still read BUILDING in the table until it is settled,
-- so "one BUILDING backup per instance" is checked with its ready_at (in the writer's
-- transaction), and this index serves that check.
DROP INDEX backups_one_building;
CREATE INDEX backups_building ON backups (project_id, instance_id, ready_at)
    WHERE status = 'BUILDING';
-- Jobs are reached from their backup through backups.job_id and the jobs primary key.
DROP INDEX jobs_by_backup;
