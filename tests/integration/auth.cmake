# --auth tokens through the running server (docs/configuration.md); included from
# tests/integration/CMakeLists.txt. Both programs read the AK/SK vectors signed by the official
# SDKs, vendored in tests/data/aksk-vectors.json (tests/data/README.md says where they came from),
# through tests/common/auth.c.
#   test_auth         every vector replayed, variations refused for the named cause, an AK on
#                     another project, no secret or signature in the log or journal
#   test_auth_tokens  tokens on their projects (403 on every route, v1 and v3), tokens and
#                     signatures mixed, presence unchanged, the files checked at start
#   test_auth_credential  the Credential= form: each rule on the wire, refusals by cause,
#                     presence; signed by tests/common/credential_signer.c (nettle), which reproduces the
#                     form's vectors first
foreach(name test_auth test_auth_tokens test_auth_credential)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c TIMEOUT 120
      DEFINITIONS RDSEMU_AKSK_VECTORS="${PROJECT_SOURCE_DIR}/tests/data/aksk-vectors.json")
endforeach()
