/* Schema migrations embedded at build time (see schema/embed.cmake). */
#ifndef RDSEMU_SCHEMA_H
#define RDSEMU_SCHEMA_H

struct schema_migration {
    int version;      /* the NNN of NNN_name.sql; PRAGMA user_version after it ran */
    const char *name; /* file name, for messages */
    const char *sql;  /* the whole file, NUL-terminated */
};

extern const struct schema_migration schema_migrations[];
extern const unsigned schema_migration_count;

#endif
