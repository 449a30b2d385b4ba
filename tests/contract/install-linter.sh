#!/usr/bin/env bash
# Installs the OpenAPI linter of the contract tests, the exact @redocly/cli that
# package-lock.json beside this script pins, into BUILD_DIR/contract-linter/node_modules, where
# the ctest entry contract_lint looks for it (CMake cache variable RDSEMU_LINTER_DIR).
#
#   tests/contract/install-linter.sh BUILD_DIR
#
# Needs Node.js (20.19 or later) and npm, and the npm registry. Safe to run again: `npm ci`
# reinstalls the pinned version from npm's cache.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
for tool in node npm npx; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-linter: $tool is missing: the linter needs Node.js 20.19 or later with npm" >&2
    exit 1
  fi
done
dest="$1/contract-linter"
mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
cd "$dest"
npm ci --no-audit --no-fund --loglevel=error
echo "install-linter: $(npx --no-install redocly --version 2>/dev/null | tail -n 1) installed in $(pwd)"
