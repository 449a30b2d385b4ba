# Turns INPUT (docs/openapi.yaml) into OUTPUT, a C file defining
#   const char openapi_yaml[];     the file's bytes, followed by a NUL not counted below
#   const size_t openapi_yaml_len; the file's size in bytes
# so that GET /_emulator/openapi.yaml (src/api/admin_openapi.c) answers the very file of the
# source tree, byte for byte, from a single binary. Run as
#   cmake -DINPUT=docs/openapi.yaml -DOUTPUT=generated/openapi_embedded.c -P docs/openapi.cmake
if(NOT DEFINED INPUT OR NOT DEFINED OUTPUT)
  message(FATAL_ERROR "openapi.cmake needs -DINPUT=<openapi.yaml> -DOUTPUT=<file.c>")
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
# 16 bytes a line (CMake's regular expressions have no {n}: spell the 16 out).
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 line)
string(REGEX REPLACE "(${line})" "\\1\n    " hex "${hex}")
set(body "/* Generated from docs/openapi.yaml by docs/openapi.cmake; do not edit. */\n")
string(APPEND body "#include <stddef.h>\n\n")
string(APPEND body "extern const char openapi_yaml[];\nextern const size_t openapi_yaml_len;\n\n")
string(APPEND body "const char openapi_yaml[] = {\n    ${hex}0x00};\n")
string(APPEND body "const size_t openapi_yaml_len = ${size};\n")
# Rewrite only on a change, so that an unchanged spec rebuilds nothing.
set(old "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL body)
  file(WRITE "${OUTPUT}" "${body}")
endif()
