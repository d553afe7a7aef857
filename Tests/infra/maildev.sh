#!/usr/bin/env bash
# Starts or stops maildev (SMTP server with a REST API to read what it received) on loopback for the tests.
#   Tests/infra/maildev.sh start DIR SMTP_PORT API_PORT USER PASSWORD   -> waits until it answers
#   Tests/infra/maildev.sh stop DIR
# maildev comes from the npm registry (Tests/infra/maildev/package.json, locked; installed with npm ci).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?start|stop}
dir=${2:?run directory}

case "$cmd" in
  start)
    smtp=${3:?smtp port}; api=${4:?api port}; user=${5:?user}; pass=${6:?password}
    command -v node >/dev/null || { echo "Node.js is not installed: maildev needs it" >&2; exit 1; }
    if [ ! -x "$here/maildev/node_modules/.bin/maildev" ]; then
      (cd "$here/maildev" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) \
        || { echo "npm ci of maildev failed" >&2; exit 1; }
    fi
    rm -rf "$dir"; mkdir -p "$dir/mail"
    nohup "$here/maildev/node_modules/.bin/maildev" --smtp "$smtp" --ip 127.0.0.1 --web "$api" --web-ip 127.0.0.1 \
      --incoming-user "$user" --incoming-pass "$pass" --mail-directory "$dir/mail" >"$dir/maildev.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fsS "http://127.0.0.1:$api/api/healthz" >/dev/null 2>&1; then exit 0; fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/maildev.log" >&2; exit 1; }
      sleep 0.2
    done
    echo "maildev did not answer on port $api" >&2; cat "$dir/maildev.log" >&2
    kill "$(cat "$dir/pid")" 2>/dev/null || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/pid" ]; then
      pid=$(cat "$dir/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR SMTP_PORT API_PORT USER PASSWORD | stop DIR" >&2; exit 2 ;;
esac
