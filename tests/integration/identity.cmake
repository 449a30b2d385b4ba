# The identity routes through the running server (docs/identity.md); included from
# tests/integration/CMakeLists.txt.
#   test_identity           --auth tokens: version document, catalog (token and Credential=
#                           signature) followed to the v3 routes, tokens described and logged
#                           in, projects, domains, 401/403/400 in the gateway shape, journal
#   test_identity_presence  --auth presence and off: the seed's first project, an empty
#                           store, a lone project, password logins, X-Project-Id rules,
#                           secrets hidden in the journal, faults
foreach(name test_identity test_identity_presence)
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.c)
  target_compile_options(${name} PRIVATE ${RDSEMU_WARNINGS})
  target_link_libraries(${name} PRIVATE rdsemu_testkit PkgConfig::NETTLE)
  add_dependencies(${name} rdsemu)
  add_test(NAME integration_${name} COMMAND ${name})
  set_tests_properties(integration_${name} PROPERTIES TIMEOUT 120 LABELS integration)
endforeach()
