# Storage faults through the seam of src/store/fault_vfs.c: the server runs in-process (it
# links rdsemu_core and includes its headers) so the test can make the disk "full" while it
# serves.
rdsemu_integration_test(NAME test_storage_faults SOURCES test_storage_faults.c
                        LIBRARIES rdsemu_core)

# The database files deleted or replaced under the running binary: health 503, writes 500.
rdsemu_integration_test(NAME test_storage_deleted SOURCES test_storage_deleted.c)

# A database rdsemu cannot write (read-only file, directory or WAL files): exit 1 at start.
rdsemu_integration_test(NAME test_storage_readonly SOURCES test_storage_readonly.c)
