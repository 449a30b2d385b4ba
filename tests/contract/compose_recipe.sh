#!/usr/bin/env bash
# compose_recipe.sh IMAGE: runs the rdsemu service of the docker-compose recipe in
# docs/testing.md with podman, the way compose runs it, and checks it works:
#
#   - the service's definition (ports, environment, healthcheck) is read from the recipe and
#     translated into `podman --runtime runc run` options, with IMAGE as the image; the port is
#     published on 127.0.0.1 as in the recipe, but on a host port podman picks, so that runs
#     never collide;
#   - waits for the health check with `podman healthcheck run`, every `interval`, at most
#     `start_period` plus `retries` attempts (the script is the timer, so podman needs no
#     systemd unit: the container runs with --health-interval disable);
#   - makes one v1 create through the published port, on an instance of the service's seed;
#   - stops the container (rdsemu must exit 0 on SIGTERM) and removes it, whatever happened.
#
# podman runs with the caller's environment: CONTAINERS_CONF, when set, is the caller's, and
# RDSEMU_PODMAN_ARGS (global podman options, such as --root and --runroot) is added to every
# podman call.
# Needs podman, curl and python3 with python3-yaml. The last line is
# "compose_recipe: N passed, M failed"; the exit status is 0 only when nothing failed.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 IMAGE" >&2
  exit 2
fi
image=$1
here=$(cd "$(dirname "$0")" && pwd)
doc="$here/../../docs/testing.md"
name="rdsemu-compose-recipe-$$"
passed=0
failed=0

read -r -a podman_args <<< "${RDSEMU_PODMAN_ARGS:-}"
pm() { podman --runtime runc "${podman_args[@]}" "$@"; }

check() { # check CONDITION-STATUS WHAT
  if [ "$1" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok   $2"
  else
    failed=$((failed + 1))
    echo "FAIL $2"
  fi
}

finish() {
  local status=$?
  if pm inspect --format '{{.State.Status}}' "$name" >/dev/null 2>&1; then
    if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then
      echo "-- the container's log:"
      pm logs "$name" 2>&1 | tail -n 40 || true
    fi
    pm rm -f -v "$name" >/dev/null 2>&1 || true
  fi
  [ "$status" -eq 0 ] || failed=$((failed + 1))
  echo "compose_recipe: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] || exit 1
  exit 0
}
trap finish EXIT

echo "CONTAINERS_CONF=${CONTAINERS_CONF:-(unset: podman uses its defaults)}"
# The service's definition, read from the recipe: set by the eval below.
run_args=()
container_port="" health_interval="" health_timeout="" health_retries=""
health_start_attempts="" smoke_project="" smoke_instance=""
eval "$(/usr/bin/python3 "$here/recipes_test.py" --compose-podman-args "$doc")"
echo "podman --runtime runc run -d --name $name $(printf '%q ' "${run_args[@]}")$image"
if pm run -d --name "$name" "${run_args[@]}" "$image" >/dev/null; then
  check 0 "the compose service runs ($image)"
else
  check 1 "the compose service runs ($image)"
  exit 1
fi

healthy=1
attempts=$((health_start_attempts + health_retries))
for _ in $(seq "$attempts"); do
  if timeout $((health_timeout + 10)) podman --runtime runc "${podman_args[@]}" healthcheck run "$name" >/dev/null 2>&1; then
    healthy=0
    break
  fi
  [ "$(pm inspect --format '{{.State.Status}}' "$name")" = running ] || break
  sleep "$health_interval"
done
check $healthy "its health check passes (podman healthcheck run, at most $attempts attempts)"
[ "$healthy" -eq 0 ] || exit 1

address=$(pm port "$name" "$container_port/tcp" | tail -n 1)
port=${address##*:}
echo "published on 127.0.0.1:$port"
body=$(mktemp)
code=$(curl -sS -o "$body" -w '%{http_code}' --max-time 15 \
  -X POST "http://127.0.0.1:$port/rds/v1/$smoke_project/backups" \
  -H 'X-Auth-Token: any-token' -H 'Content-Type: application/json' \
  -d "{\"backup\": {\"instance\": \"$smoke_instance\", \"name\": \"compose-smoke\"}}") || code=000
created=1
if [ "$code" = 200 ] && grep -q '"status":"BUILDING"' "$body"; then created=0; fi
[ "$created" -eq 0 ] || { echo "answer $code: $(head -c 400 "$body")"; }
rm -f "$body"
check $created "a v1 create through the published port answers 200"

pm stop -t 10 "$name" >/dev/null
exit_code=$(pm inspect --format '{{.State.ExitCode}}' "$name")
stopped=1
[ "$exit_code" != 0 ] || stopped=0
check $stopped "rdsemu exits 0 when the container is stopped (exit code $exit_code)"
pm rm -v "$name" >/dev/null
removed=0
if pm inspect --format '{{.State.Status}}' "$name" >/dev/null 2>&1; then removed=1; fi
check $removed "the container is removed"
