# Reliability (issue 7 items 1 and 4; docs/api.md "committed before the response", §6 options
# --sync, --max-connections, --idle-timeout and "Process"): crashes and stops under load,
# slow and many clients. Included by CMakeLists.txt beside this file.
set(RDSEMU_RELIABILITY_TESTS
    test_reliability_crash    # SIGKILL mid-load (--sync normal, full), SIGTERM mid-load
    test_reliability_clients) # 200 stuck clients, --max-connections, --idle-timeout, header limit, 128+ ready at once

foreach(name IN LISTS RDSEMU_RELIABILITY_TESTS)
  add_executable(${name} ${name}.c)
  target_compile_options(${name} PRIVATE ${RDSEMU_WARNINGS})
  target_link_libraries(${name} PRIVATE rdsemu_testkit)
  add_dependencies(${name} rdsemu)
  add_test(NAME integration_${name} COMMAND ${name})
  # Alone on the machine: they measure what a stop under load leaves unanswered, and a
  # starved worker would make that a test of the scheduler instead.
  set_tests_properties(integration_${name} PROPERTIES TIMEOUT 120 LABELS integration
                       RUN_SERIAL TRUE)
endforeach()

# The crash test reads the database file itself (PRAGMA integrity_check).
if(TARGET test_reliability_crash)
  target_link_libraries(test_reliability_crash PRIVATE PkgConfig::SQLITE)
endif()
