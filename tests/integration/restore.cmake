# Restore and backup files (docs/restore.md). Each program starts its own rdsemu with a
# frozen clock; they share the calls of policy_kit.c.
set(RDSEMU_RESTORE_TESTS
    test_restore_api    # restore-time, both recovery routes and every check, new instances, jobs
    test_backup_files)  # the files of a backup, their links, expiry on the emulator clock

foreach(name IN LISTS RDSEMU_RESTORE_TESTS)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c policy_kit.c)
endforeach()
