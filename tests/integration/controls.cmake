# The test controls (docs/emulator.md, docs/configuration.md): request journal, fault injection, delays,
# metrics, logs and the admin token. Included by CMakeLists.txt beside this file.
set(RDSEMU_CONTROLS_TESTS
    test_controls_journal      # order, members, bound, filters, redaction, cuts, races
    test_controls_journal_reader # recording does not wait for a reader; --journal-size bound
    test_controls_faults       # every rule field, times, probability, seed, check order
    test_controls_delay        # a delayed request does not hold up another one
    test_controls_metrics      # Prometheus text format, counters, gauges, histogram
    test_controls_logs         # one line per request, json and text, no token
    test_controls_log_escape   # client bytes escaped in the log, long paths cut with a mark
    test_controls_admin_token) # --admin-token on and off

foreach(name IN LISTS RDSEMU_CONTROLS_TESTS)
  add_executable(${name} ${name}.c)
  target_compile_options(${name} PRIVATE ${RDSEMU_WARNINGS})
  target_compile_definitions(${name} PRIVATE
      RDSEMU_TEST_SEED="${CMAKE_CURRENT_SOURCE_DIR}/data/rules-seed.json")
  target_link_libraries(${name} PRIVATE rdsemu_testkit)
  add_dependencies(${name} rdsemu)
  add_test(NAME integration_${name} COMMAND ${name})
  set_tests_properties(integration_${name} PROPERTIES TIMEOUT 60 LABELS integration)
endforeach()
