# The automated backup policy, automated backups, the instance API and DELETING backups
# (docs/policy.md, docs/instances.md, docs/api.md "Delete"). Each program starts its own
# rdsemu with a frozen clock; policy_kit.c holds the calls they share.
set(RDSEMU_POLICY_TESTS
    test_v3_policy       # v3 GET/PUT: every field on its boundaries per engine, v1 <-> v3 <-> instance
    test_auto_backups    # windows across clock jumps, retention, manual at a window, restarts
    test_v3_instances    # GET /v3/{p}/instances: members, filters, paging, statuses
    test_backup_deleting) # DELETING, the status filter, databases in the create answer

foreach(name IN LISTS RDSEMU_POLICY_TESTS)
  rdsemu_integration_test(NAME ${name} SOURCES ${name}.c policy_kit.c)
endforeach()
