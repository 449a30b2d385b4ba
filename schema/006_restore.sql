-- Restore (docs/restore.md): an instance being restored to, or made by a restore; restore
-- jobs. Times are emulator-clock seconds.

-- The restore settings of an instance (NULL: --restore-seconds, success).
ALTER TABLE instances ADD COLUMN restore_seconds INTEGER;
ALTER TABLE instances ADD COLUMN restore_outcome TEXT;
-- The restore it is in: 'restore' (the target of a restore, RESTORING until restore_until) or
-- 'create' (made by a restore, BUILD until restore_until, then FAILED when restore_fails).
-- A control-plane PUT clears it.
ALTER TABLE instances ADD COLUMN restore_kind TEXT;
ALTER TABLE instances ADD COLUMN restore_until INTEGER;
ALTER TABLE instances ADD COLUMN restore_fails INTEGER NOT NULL DEFAULT 0;
-- What a restore to a new instance was given for it (flavor, volume, region, zone, port, ha,
-- network), as a JSON object the instance API shows; NULL for other instances.
ALTER TABLE instances ADD COLUMN placement TEXT;

-- A restore job carries its own end and outcome (a backup's job takes them from its backup),
-- what it restores from as sent, and, in backup_id, the backup it restores ('' for a point in
-- time).
ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'backup';
ALTER TABLE jobs ADD COLUMN ready_at INTEGER;
ALTER TABLE jobs ADD COLUMN outcome TEXT;
ALTER TABLE jobs ADD COLUMN entities TEXT;
-- "Is a restore from this backup running?" (a delete asks). Only restore jobs are in it, so a
-- create's job insert does not touch it.
CREATE INDEX jobs_restoring ON jobs (backup_id, ready_at) WHERE kind = 'restore';
