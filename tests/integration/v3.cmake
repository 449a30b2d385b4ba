# The v3 backup API (docs/v3.md): create, list, paging, delete, auth, requests, and v1 <-> v3
# over the one store. Included by CMakeLists.txt beside this file; every program starts its
# own rdsemu, so they run in parallel with `ctest -j`.
set(RDSEMU_V3_TESTS
    test_v3_create      # the exact 200, field rules, databases, instance state, conflicts
    test_v3_list        # query parameters and their validation, elements, filters, 404s
    test_v3_paging      # walking pages by offset: each backup once, stable order, limit 100
    test_v3_delete      # 200 empty, 404, 409 while BUILDING, another project's
    test_v3_request     # the refusals of tests/common/refusals.c through v3, faults, request ids
    test_v3_auth        # --auth tokens: 401 and 403 DBS.200010 on every v3 route
    test_v3_cross_api)  # v1 <-> v3: list, delete, jobs, BUILDING, names, sizes

foreach(name IN LISTS RDSEMU_V3_TESTS)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c)
endforeach()
