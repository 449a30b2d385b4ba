-- The automated backup policy and automated backups (docs/policy.md), and backups that stay
-- DELETING for a while after their delete (docs/api.md "Delete").

-- The policy's weekdays as v3 writes them; whether the policy was ever set (through an API,
-- the seed or the control plane: only then does --auto-backups set make backups for it).
ALTER TABLE instances ADD COLUMN policy_period TEXT NOT NULL DEFAULT '1,2,3,4,5,6,7';
ALTER TABLE instances ADD COLUMN policy_set INTEGER NOT NULL DEFAULT 0;
-- Automated backups exist for every window start W with auto_cursor < W <= now; auto_next is
-- the next W to look at (NULL: none will come), so that finding the due ones is one index read.
-- A NULL cursor means the instance's creation.
ALTER TABLE instances ADD COLUMN auto_cursor INTEGER;
ALTER TABLE instances ADD COLUMN auto_next INTEGER;
-- Emulator times of the first PUT and of the last change. Instances stored before this
-- version get the time of the upgrade.
ALTER TABLE instances ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
UPDATE instances SET created = CAST(strftime('%s', 'now') AS INTEGER),
                     updated = CAST(strftime('%s', 'now') AS INTEGER);
ALTER TABLE instances ADD COLUMN delete_seconds INTEGER; -- NULL: use --delete-seconds
CREATE INDEX instances_auto_next ON instances (auto_next) WHERE auto_next IS NOT NULL;

-- When a row goes: a DELETING backup at the end of its delete time, an automated one once its
-- retention has passed. NULL: it stays.
ALTER TABLE backups ADD COLUMN expires INTEGER;
CREATE INDEX backups_expiring ON backups (expires) WHERE expires IS NOT NULL;

-- An automated backup holds no name: only manual backups' names must differ.
DROP INDEX backups_name_per_instance;
CREATE UNIQUE INDEX backups_name_per_instance ON backups (project_id, instance_id, name)
    WHERE type = 'manual';
