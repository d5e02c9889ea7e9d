#!/usr/bin/env bash
# Property-based API test: start `socd serve --demo` on a free port with a fresh SQLite database,
# create a pro key through the CLI, and run schemathesis against /api/openapi.json.
# Passes only when no request gets a 5xx and every response matches its documented schema.
# Called by .ci/run; extra arguments go to `schemathesis run` (e.g. --max-examples 20).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
st="$root/.venv/bin/schemathesis"
[ -x "$st" ] || { echo "schemathesis.sh: $st not found (install .ci/requirements-interop.txt into .venv)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/socd.db"
# Quotas high enough that the run is about schemas, not about 429s (those are tested elsewhere).
cat >"$work/socd.yaml" <<'YAML'
plans:
  pro:
    per_minute: 10000000
    per_day: 100000000
YAML
socd() { node --import tsx src/cli/main.ts --config "$work/socd.yaml" --database-url "$db" "$@"; }

printf 'schemathesis passphrase\n' | socd users create --email schemathesis@example.com --password-stdin --plan pro >/dev/null
key="$(socd keys create --user schemathesis@example.com --name schemathesis 2>/dev/null)"

# node itself in the background (not the shell function, whose subshell would be the pid we
# kill while the server lived on).
SOCD_SCHEDULER=false LOG_LEVEL=warn node --import tsx src/cli/main.ts --config "$work/socd.yaml" --database-url "$db" \
  serve --port 0 --demo >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
url=""
for _ in $(seq 1 120); do
  url="$(sed -n 's/^socd listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out" | head -n1)"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.out" "$work/serve.err" >&2; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { echo "schemathesis.sh: server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
echo "schemathesis.sh: testing $url/api/openapi.json" >&2

set +e
SCHEMATHESIS_HOOKS="$root/scripts/schemathesis_hooks.py" "$st" run "$url/api/openapi.json" \
  -H "Authorization: Bearer $key" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-30}" \
  --request-timeout 30 \
  --seed "${SCHEMATHESIS_SEED:-20260101}" \
  "$@"
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "schemathesis.sh: schemathesis failed (exit $status); server log follows" >&2
  tail -n 50 "$work/serve.err" >&2
fi
exit "$status"
