# Hostile input through the running binary (issue "reliability", item 3).
add_executable(test_hostile_input test_hostile_input.c)
target_compile_options(test_hostile_input PRIVATE ${RDSEMU_WARNINGS})
target_compile_definitions(test_hostile_input PRIVATE
    RDSEMU_DEMO_SEED="${PROJECT_SOURCE_DIR}/docs/examples/demo-seed.json")
target_link_libraries(test_hostile_input PRIVATE rdsemu_testkit)
add_dependencies(test_hostile_input rdsemu)
add_test(NAME integration_test_hostile_input COMMAND test_hostile_input)
set_tests_properties(integration_test_hostile_input PROPERTIES TIMEOUT 60 LABELS integration)
