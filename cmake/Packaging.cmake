# Packages built by CPack from what `cmake --install` installs (docs/install.md): a .deb for
# Debian 12 and a .tar.gz. Build them with `cmake --build BUILD --target package`, or
# `cpack --config BUILD/CPackConfig.cmake`.

set(RDSEMU_PACKAGE_MAINTAINER "rdsemu maintainers <maintainers@rdsemu.invalid>"
    CACHE STRING "Maintainer field of the packages")

set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_NAME rdsemu)
set(CPACK_PACKAGE_VENDOR "rdsemu")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${RDSEMU_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "local emulator of the Huawei Cloud RDS backup API")
set(CPACK_PACKAGE_DESCRIPTION
    "rdsemu answers the v1 and v3 backup calls of the Huawei Cloud RDS API as the real service
documents them, for integration tests, SDKs and curl. It keeps its state in one SQLite file,
starts in milliseconds, and adds a control plane for tests: instances on demand, per-project
reset, a movable clock, forced backup outcomes, a request journal and fault injection.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

# Debian: the shared libraries the binary is linked against, at least the versions of Debian 12
# that it is built and tested with (libc6's bound is the newest symbol version it uses).
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RDSEMU_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libmicrohttpd12 (>= 0.9.75), libjansson4 (>= 2.14), libsqlite3-0 (>= 3.40.1), libuuid1 (>= 2.38.1), libnettle8 (>= 3.8.1)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "curl")

# The tarball, rdsemu-VERSION-Linux-x86_64.tar.gz: one top folder of that name holding bin/ and
# share/, to unpack anywhere.
set(CPACK_SYSTEM_NAME "${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")

include(CPack)
