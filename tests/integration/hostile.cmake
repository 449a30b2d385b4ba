# Hostile input through the running binary (issue "reliability", item 3).
rdsemu_integration_test(NAME test_hostile_input SOURCES test_hostile_input.c)

# The HTTP transport against a hostile client: framing, header syntax, redaction, encoded
# route literals, dropped requests, refusals before the body, stops with requests held by
# delays or by a locked store, signals, a shared database under load.
rdsemu_integration_test(NAME test_hostile_protocol SOURCES test_hostile_protocol.c TIMEOUT 120
                        LIBRARIES PkgConfig::SQLITE)
