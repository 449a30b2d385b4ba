-- rdsemu store, version 1. Times are emulator-clock seconds since the Unix epoch (UTC).

-- Small key/value facts about the emulator itself (for example the clock offset).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Instances exist only through the control plane or the seed file.
CREATE TABLE instances (
    project_id       TEXT NOT NULL,
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    engine           TEXT NOT NULL,          -- MySQL | PostgreSQL | SQLServer
    version          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'ACTIVE',
    role             TEXT NOT NULL DEFAULT 'primary', -- primary | replica
    databases        TEXT,                   -- JSON array of names, NULL when not listed
    backup_seconds   INTEGER,                -- NULL: use --backup-seconds
    backup_outcome   TEXT,                   -- NULL | success | fail
    size_kb          INTEGER,                -- NULL: the default size
    policy_keepday   INTEGER NOT NULL DEFAULT 7,
    policy_starttime TEXT NOT NULL DEFAULT '00:00:00',
    PRIMARY KEY (project_id, id)
) WITHOUT ROWID;

-- Every backup ever created and not deleted. `seq` gives the creation order.
CREATE TABLE backups (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    project_id    TEXT NOT NULL,
    instance_id   TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT,
    engine        TEXT NOT NULL,
    version       TEXT NOT NULL,
    databases     TEXT,                      -- JSON array of names for a partial backup
    type          TEXT NOT NULL DEFAULT 'manual',
    created       INTEGER NOT NULL,
    ready_at      INTEGER NOT NULL,          -- created + build time
    outcome       TEXT NOT NULL,             -- success | fail: what happens at ready_at
    status        TEXT NOT NULL,             -- BUILDING | COMPLETED | FAILED
    finished      INTEGER,                   -- time of completion or failure
    size_kb       INTEGER,                   -- set on completion
    size_at_ready INTEGER NOT NULL,          -- the size it will have when it completes
    fail_reason   TEXT,
    job_id        TEXT NOT NULL
);
-- The two create rules, also enforced by the database as a last line of defence.
CREATE UNIQUE INDEX backups_one_building ON backups (project_id, instance_id)
    WHERE status = 'BUILDING';
CREATE UNIQUE INDEX backups_name_per_instance ON backups (project_id, instance_id, name);
CREATE INDEX backups_due ON backups (ready_at) WHERE status = 'BUILDING';
CREATE INDEX backups_by_project ON backups (project_id, seq);

-- The job that each create returns; it outlives a deleted backup.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    name          TEXT NOT NULL,             -- CreateManualBackup
    backup_id     TEXT NOT NULL,
    instance_id   TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    created       INTEGER NOT NULL,
    status        TEXT NOT NULL,             -- Running | Completed | Failed
    ended         INTEGER,
    fail_reason   TEXT
) WITHOUT ROWID;
