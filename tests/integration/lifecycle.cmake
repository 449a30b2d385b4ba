# The backup lifecycle, the emulator clock, the v1 siblings (list, delete, policy) and the v3
# jobs call (docs/api.md, docs/v3.md jobs, §5.2, §5.3; issue 3). Included by CMakeLists.txt beside this
# file; the programs share tests/common/lifecycle.c (on top of expect.c and admin.c).
set(RDSEMU_LIFECYCLE_TESTS
    test_lifecycle_transitions  # by time; header > instance > --backup-seconds; size; build 0
    test_lifecycle_forced       # POST /_emulator/backups/{id}/complete|fail
    test_lifecycle_clock        # GET/POST /_emulator/clock; timestamps; reset
    test_lifecycle_clock_back   # the clock set backwards: finished stays finished; oldest first
    test_lifecycle_restart      # offset and BUILDING backups across restarts
    test_v1_siblings_list       # v1 list and delete
    test_v1_siblings_policy     # v1 backup policy GET/PUT
    test_jobs)                  # GET /v3/{project_id}/jobs

foreach(name IN LISTS RDSEMU_LIFECYCLE_TESTS)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c)
endforeach()

# These write into the database file itself: an out-of-range clock, thousands of backups.
#   test_lifecycle_clock_range  1970 to 9999 only: moves past either end refused, clamps
#   test_v1_list_stream         a long v1 list streamed page by page; one page answered whole
foreach(name test_lifecycle_clock_range test_v1_list_stream)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c LIBRARIES PkgConfig::SQLITE)
endforeach()
