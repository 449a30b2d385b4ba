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
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c)
endforeach()
