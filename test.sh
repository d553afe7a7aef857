#!/usr/bin/env bash
# Runs every test of ComplaintWorkflows against the real components they use, on loopback:
# installs what is missing (Debian packages, maildev from npm), starts a throwaway PostgreSQL cluster
# and an SMTP server (maildev), builds the solution, runs each test project, stops what it started,
# and exits non-zero on any failure.
# With CI=true a component that cannot be had is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
# Some npm packages (@carbon/*) start a telemetry collector from their install scripts when they see CI: not here.
export IBM_TELEMETRY_DISABLED=true
run_dir="$root/.test-run"
mkdir -p "$run_dir"

log() { printf '\n== %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
need_packages=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_packages+=(postgresql)
command -v runuser >/dev/null || need_packages+=(util-linux)
# The browser tests (Tests/Web.Tests) drive Debian's chromium; Chinese text needs the CJK fonts in screenshots.
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || need_packages+=(fonts-noto-cjk)
command -v curl >/dev/null || need_packages+=(curl)
# Tests/infra/cluster.sh (several hosts behind a load balancer) puts Debian's nginx in front of the hosts.
[ -x /usr/sbin/nginx ] || need_packages+=(nginx)
# The web pages are built with npm (WorkflowHost/ClientApp) during the build.
command -v node >/dev/null || need_packages+=(nodejs npm)

install_packages() {
  [ ${#need_packages[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${need_packages[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if ! $sudo apt-get update -qq || ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_packages[@]}"; then
    echo "could not install ${need_packages[*]}; the tests need them" >&2
    exit 1
  fi
}
install_packages

# --- PostgreSQL (throwaway cluster on a free loopback port) ----------------------------------
source "$root/Tests/infra/free-port.sh"

pg_dir="$run_dir/postgres"
smtp_dir="$run_dir/maildev"
faults_dir="$run_dir/faults"
cleanup() {
  # The fault campaign stops its hosts, nginx and PostgreSQL itself; this is for a campaign that was itself killed.
  CW_CLUSTER_DIR="$faults_dir" "$root/Tests/infra/cluster.sh" stop >/dev/null 2>&1 || true
  "$root/Tests/infra/postgres.sh" stop "$faults_dir-postgres" >/dev/null 2>&1 || true
  "$root/Tests/infra/maildev.sh" stop "$smtp_dir" || true
  "$root/Tests/infra/postgres.sh" stop "$pg_dir" || true
}
trap cleanup EXIT INT TERM

log "starting PostgreSQL 15 on loopback"
COMPLAINTWORKFLOWS_TEST_POSTGRES=$("$root/Tests/infra/postgres.sh" start "$pg_dir" "$(free_port)")
export COMPLAINTWORKFLOWS_TEST_POSTGRES
echo "$COMPLAINTWORKFLOWS_TEST_POSTGRES"

# --- SMTP server (maildev: SMTP with sign-in, and a REST API to read what arrived) -------------
log "starting maildev (SMTP) on loopback"
smtp_port=$(free_port); api_port=$(free_port)
while [ "$api_port" = "$smtp_port" ]; do api_port=$(free_port); done
smtp_user="cw-test"; smtp_password="cw-$RANDOM$RANDOM"
if "$root/Tests/infra/maildev.sh" start "$smtp_dir" "$smtp_port" "$api_port" "$smtp_user" "$smtp_password"; then
  export COMPLAINTWORKFLOWS_TEST_SMTP="127.0.0.1:$smtp_port"
  export COMPLAINTWORKFLOWS_TEST_SMTP_USER="$smtp_user" COMPLAINTWORKFLOWS_TEST_SMTP_PASSWORD="$smtp_password"
  export COMPLAINTWORKFLOWS_TEST_MAILDEV_API="http://127.0.0.1:$api_port/api"
  echo "SMTP $COMPLAINTWORKFLOWS_TEST_SMTP, messages at $COMPLAINTWORKFLOWS_TEST_MAILDEV_API"
elif [ "${CI:-}" = "true" ]; then
  echo "maildev could not be started; the email tests need it" >&2
  exit 1
else
  echo "maildev could not be started: the email tests will fail (set CI=true to stop here)" >&2
fi

# --- Camunda's npm packages (the Node.js external-task client, Camunda 7's OpenAPI document) --------
log "installing Camunda's npm test packages"
"$root/Tests/infra/camunda.sh"

# --- build and test --------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "building"
dotnet tool restore >/dev/null
dotnet build ComplaintWorkflows.sln --nologo -v quiet -clp:ErrorsOnly

# Browser tests save their screenshots here (see Tests/Web.Tests/WebHostFixture.cs).
export COMPLAINTWORKFLOWS_SCREENSHOTS="$run_dir/results/screenshots"

failed=0
for project in Tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  if ! dotnet test "$project" --no-build --nologo -v quiet \
        --logger "console;verbosity=minimal" \
        --logger "trx;LogFileName=$name.trx" --results-directory "$run_dir/results"; then
    failed=1
  fi
done

# --- the fault campaign, short: hosts killed, PostgreSQL restarted, a host paused; nothing may be lost or sent twice ---
# (the 10-minute version: docs/development.md, Benchmarks). It starts its own PostgreSQL, hosts and nginx and stops them;
# SIGTERM from the time limit makes it stop them too.
# Every run: the email send ledger (issue 17) keeps a host killed between the SMTP send and its commit from sending
# the mail twice. A failure fails the run (and the CI build).
log "fault campaign (2 minutes, 2 hosts behind nginx)"
mkdir -p "$run_dir/results"
if ! timeout --signal=TERM --kill-after=120 15m dotnet Tests/Benchmarks/bin/Debug/net10.0/ComplaintWorkflows.Benchmarks.dll \
      faults --hosts 2 --minutes 2 --kill-every 20s --survey-wait 15s --quiesce 5m --restart-limit 10m --folder "$faults_dir" \
      | tee "$run_dir/results/faults.log"; then
  failed=1
fi

if [ "$failed" -ne 0 ]; then
  log "FAILED (results in $run_dir/results)"
  exit 1
fi
log "all tests passed"
