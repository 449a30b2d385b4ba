# The identity routes through the running server (docs/identity.md); included from
# tests/integration/CMakeLists.txt.
#   test_identity           --auth tokens: version document, catalog (token and Credential=
#                           signature) followed to the v3 routes, tokens described and logged
#                           in, projects, domains, 401/403/400 in the gateway shape, journal
#   test_identity_presence  --auth presence and off: the seed's first project, an empty
#                           store, a lone project, password logins, X-Project-Id rules,
#                           secrets hidden in the journal, faults
foreach(name test_identity test_identity_presence)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c TIMEOUT 120)
endforeach()
