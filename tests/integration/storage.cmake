# Storage faults through the seam of src/store/fault_vfs.c: the server runs in-process (it
# links rdsemu_core) so the test can make the disk "full" while it serves.
add_executable(test_storage_faults test_storage_faults.c)
target_compile_options(test_storage_faults PRIVATE ${RDSEMU_WARNINGS})
target_link_libraries(test_storage_faults PRIVATE rdsemu_core rdsemu_testkit)
add_test(NAME integration_test_storage_faults COMMAND test_storage_faults)
set_tests_properties(integration_test_storage_faults PROPERTIES TIMEOUT 60 LABELS integration)

# The database files deleted or replaced under the running binary: health 503, writes 500.
add_executable(test_storage_deleted test_storage_deleted.c)
target_compile_options(test_storage_deleted PRIVATE ${RDSEMU_WARNINGS})
target_link_libraries(test_storage_deleted PRIVATE rdsemu_testkit)
add_dependencies(test_storage_deleted rdsemu)
add_test(NAME integration_test_storage_deleted COMMAND test_storage_deleted)
set_tests_properties(integration_test_storage_deleted PROPERTIES TIMEOUT 60 LABELS integration)

# A database rdsemu cannot write (read-only file, directory or WAL files): exit 1 at start.
add_executable(test_storage_readonly test_storage_readonly.c)
target_compile_options(test_storage_readonly PRIVATE ${RDSEMU_WARNINGS})
target_compile_definitions(test_storage_readonly PRIVATE
    RDSEMU_DEMO_SEED="${PROJECT_SOURCE_DIR}/docs/examples/demo-seed.json")
target_link_libraries(test_storage_readonly PRIVATE rdsemu_testkit)
add_dependencies(test_storage_readonly rdsemu)
add_test(NAME integration_test_storage_readonly COMMAND test_storage_readonly)
set_tests_properties(integration_test_storage_readonly PROPERTIES TIMEOUT 60 LABELS integration)
