#!/usr/bin/env bash
# Installs Camunda's npm packages the tests use (Tests/infra/camunda/package.json, locked; npm ci):
# the official external-task client for Node.js and Camunda 7's OpenAPI document (openapi.json inside a generated client).
#   Tests/infra/camunda.sh          -> installs when node_modules is missing or older than the lock file
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)/camunda
command -v npm >/dev/null || { echo "npm is not installed: Camunda's test packages need it" >&2; exit 1; }
if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) || { echo "npm ci in $here failed" >&2; exit 1; }
  touch "$here/node_modules"
fi
