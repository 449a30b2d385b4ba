#!/usr/bin/env bash
# The OpenAPI lint of .ci/run: lints the OpenAPI document with the rules of redocly.yaml, using the
# linter that install-linter.sh put into the build tree. Fails (never skips) when the linter
# is missing.
#
#   lint.sh LINTER_DIR SPEC CONFIG
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 LINTER_DIR SPEC CONFIG" >&2
  exit 2
fi
linter_dir=$1
spec=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
config=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
if [ ! -x "$linter_dir/node_modules/.bin/redocly" ]; then
  echo "contract_lint: FAILED: the OpenAPI linter is not installed in $linter_dir" >&2
  echo "contract_lint: install it with:  tests/contract/install-linter.sh <build dir>" >&2
  exit 1
fi
cd "$linter_dir"
# No telemetry, no update check: the lint runs offline.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
npx --no-install redocly lint --config "$config" --format stylish "$spec"
