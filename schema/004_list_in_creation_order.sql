-- The v1 list goes through a project's backups in creation order (created, then seq) one page
-- at a time, each page starting after the last row of the one before. This index gives that
-- order without a sort (every index entry ends with the rowid, here seq), and replaces the one
-- on (project_id, seq): whatever that one served, this one serves too, so a create still
-- touches as many B-trees as before.
DROP INDEX backups_by_project;
CREATE INDEX backups_by_project ON backups (project_id, created);
