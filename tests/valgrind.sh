#!/usr/bin/env bash
# Runs every unit test program under valgrind memcheck (issue 7 item 6) and fails on any
# memory error, any definite or indirect leak, or any failing test.
#
#   tests/valgrind.sh [BUILD_DIR]     BUILD_DIR defaults to "build"; it must be built
#                                     without -DRDSEMU_SANITIZE=ON (valgrind and ASan clash)
#
# Each program runs in its ctest working directory (BUILD_DIR/tests/unit); the full valgrind
# report of a program is printed only when it fails.
set -euo pipefail

build="${1:-build}"
unit_dir="$build/tests/unit"

if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind.sh: valgrind is not installed (see .ci/deps)" >&2
  exit 1
fi
if [ ! -d "$unit_dir" ]; then
  echo "valgrind.sh: no $unit_dir: build first (cmake -S . -B $build && cmake --build $build)" >&2
  exit 1
fi
if grep -qs '^RDSEMU_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "valgrind.sh: $build is a sanitizer build; give a build without RDSEMU_SANITIZE" >&2
  exit 1
fi

# test_fd_limit changes the process's open-file limit, which valgrind keeps for itself (its
# setrlimit(RLIMIT_NOFILE) refuses any change): it runs under ctest only. It allocates nothing.
not_under_valgrind=(test_fd_limit)

programs=()
for p in "$unit_dir"/test_*; do
  name=$(basename "$p")
  if [ -f "$p" ] && [ -x "$p" ] && [[ ! " ${not_under_valgrind[*]} " =~ " $name " ]]; then
    programs+=("$name")
  fi
done
if [ ${#programs[@]} -eq 0 ]; then
  echo "valgrind.sh: no unit test programs in $unit_dir" >&2
  exit 1
fi

logs="$(mktemp -d "${TMPDIR:-/tmp}/rdsemu-valgrind-XXXXXX")"
trap 'rm -rf "$logs"' EXIT

failed=()
for name in "${programs[@]}"; do
  log="$logs/$name.log"
  status=0
  (cd "$unit_dir" &&
    valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --show-leak-kinds=definite,indirect --track-origins=yes --num-callers=30 \
      --log-file="$log" "./$name" >"$logs/$name.out" 2>&1) || status=$?
  case $status in
    0) echo "valgrind: $name clean" ;;
    99)
      echo "valgrind: $name has memory errors or leaks:"
      cat "$log"
      failed+=("$name")
      ;;
    *)
      echo "valgrind: $name failed (exit $status) under valgrind:"
      cat "$logs/$name.out" "$log"
      failed+=("$name")
      ;;
  esac
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "valgrind: ${#failed[@]} of ${#programs[@]} unit test programs failed: ${failed[*]}" >&2
  exit 1
fi
echo "valgrind: all ${#programs[@]} unit test programs clean"
