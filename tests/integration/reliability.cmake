# Reliability (issue 7 items 1 and 4; docs/api.md "committed before the response", §6 options
# --sync, --max-connections, --idle-timeout and "Process"): crashes and stops under load,
# slow and many clients. Included by CMakeLists.txt beside this file.
#   test_reliability_crash    SIGKILL mid-load (--sync normal, full), SIGTERM mid-load; it
#                             reads the database file itself (PRAGMA integrity_check)
#   test_reliability_clients  200 stuck clients, --max-connections, --idle-timeout, header
#                             limit, 128+ ready at once
# Alone on the machine (RUN_SERIAL): they measure what a stop under load leaves unanswered, and
# a starved worker would make that a test of the scheduler instead.
rdsemu_integration_test(NAME test_reliability_crash SOURCES test_reliability_crash.c TIMEOUT 120
                        RUN_SERIAL LIBRARIES PkgConfig::SQLITE)
rdsemu_integration_test(NAME test_reliability_clients SOURCES test_reliability_clients.c
                        TIMEOUT 120 RUN_SERIAL)
