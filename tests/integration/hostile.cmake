# Hostile input through the running binary (issue "reliability", item 3).
add_executable(test_hostile_input test_hostile_input.c)
target_compile_options(test_hostile_input PRIVATE ${RDSEMU_WARNINGS})
target_compile_definitions(test_hostile_input PRIVATE
    RDSEMU_DEMO_SEED="${PROJECT_SOURCE_DIR}/docs/examples/demo-seed.json")
target_link_libraries(test_hostile_input PRIVATE rdsemu_testkit)
add_dependencies(test_hostile_input rdsemu)
add_test(NAME integration_test_hostile_input COMMAND test_hostile_input)
set_tests_properties(integration_test_hostile_input PROPERTIES TIMEOUT 60 LABELS integration)

# The HTTP transport against a hostile client: framing, header syntax, redaction, encoded
# route literals, dropped requests, refusals before the body, stops with requests held by
# delays or by a locked store, signals, a shared database under load.
add_executable(test_hostile_protocol test_hostile_protocol.c)
target_compile_options(test_hostile_protocol PRIVATE ${RDSEMU_WARNINGS})
target_compile_definitions(test_hostile_protocol PRIVATE
    RDSEMU_DEMO_SEED="${PROJECT_SOURCE_DIR}/docs/examples/demo-seed.json")
target_link_libraries(test_hostile_protocol PRIVATE rdsemu_testkit PkgConfig::SQLITE)
add_dependencies(test_hostile_protocol rdsemu)
add_test(NAME integration_test_hostile_protocol COMMAND test_hostile_protocol)
set_tests_properties(integration_test_hostile_protocol PROPERTIES TIMEOUT 120 LABELS integration)
