#!/usr/bin/env bash
# Installs the real client of the ctest entry client_node_sdk: the exact Huawei Cloud Node.js
# SDK core (and the uuid it requires) that package-lock.json beside this script pins, with
# `npm ci`, into DEST/node_modules. The ctest entry client_node_sdk_install runs it before
# client_node_sdk, with DEST in the build tree; nothing is installed in the source tree.
#
#   tests/clients/node/install.sh DEST
#
# Needs Node.js and npm (Debian 12: the packages nodejs and npm, see .ci/deps) and the npm
# registry, or npm's cache holding every pinned package. Anything missing is an error
# (exit 1), never a skip. Safe to run again: when DEST already holds a finished install of
# this very package.json and package-lock.json (the stamp file .installed-from names their
# SHA-256), nothing is done; otherwise `npm ci` installs the pinned versions afresh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
  echo "usage: $0 DEST" >&2
  exit 2
fi
for program in node npm; do
  if ! command -v "$program" >/dev/null 2>&1; then
    echo "install: $program is missing: client_node_sdk needs Node.js and npm (Debian packages" \
         "nodejs and npm, installed by .ci/deps)" >&2
    exit 1
  fi
done
dest="$1"
mkdir -p "$dest"
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -f "$dest/.installed-from" ] && [ "$(cat "$dest/.installed-from")" = "$want" ] &&
   [ -d "$dest/node_modules/@huaweicloud/huaweicloud-sdk-core" ]; then
  echo "install: already installed in $dest from this package-lock.json"
  exit 0
fi
rm -f "$dest/.installed-from"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
cd "$dest"
# A registry that cannot be reached must fail the install quickly, not hang the suite.
if ! npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=60000; then
  echo "install: npm ci failed in $(pwd): the npm registry (or npm's cache) must provide the" \
       "versions package-lock.json pins" >&2
  exit 1
fi
core=node_modules/@huaweicloud/huaweicloud-sdk-core/package.json
version=$(node -p "require('./$core').version")
echo "$want" > .installed-from
echo "install: @huaweicloud/huaweicloud-sdk-core $version and uuid" \
     "$(node -p "require('./node_modules/uuid/package.json').version")" \
     "installed in $(pwd) (node $(node --version), npm $(npm --version))"
