#!/usr/bin/env bash
# The multi-host deployment of docker/compose.yaml without containers, on loopback: N host processes on one
# PostgreSQL database, Debian's nginx in front (docker/nginx/proxy.inc, no sticky sessions), each host with its own
# port and node name (Workflows:NodeName).
#   Tests/infra/cluster.sh start [N]   -> N hosts (default 3); prints the nginx URL, the hosts and the admin sign-in
#   Tests/infra/cluster.sh restart I [SIGNAL]  -> stops host I (node I) with SIGNAL (TERM; KILL for a crash) and
#                                        starts it again on its port, waiting until it is ready
#   Tests/infra/cluster.sh stop        -> stops what start started (hosts, nginx, its PostgreSQL or database)
# The state is in CW_CLUSTER_DIR (default .test-run/cluster); DIR/cluster.env holds what start printed, as
# shell variables (CW_CLUSTER_URL, CW_CLUSTER_HOSTS, CW_CLUSTER_ADMIN_USER, CW_CLUSTER_ADMIN_PASSWORD, ...).
# PostgreSQL: with COMPLAINTWORKFLOWS_TEST_POSTGRES set (a server's connection string, as test.sh exports it) the
# hosts get a new database on that server; otherwise Tests/infra/postgres.sh starts a server of its own in DIR.
# The host binary: CW_HOST_DLL, else WorkflowHost/bin/${CONFIGURATION:-Debug}/net10.0 (built when missing).
# Every host inherits the caller's environment: export Workflows__... settings before start to give them all
# (Workflows__Email__Host=..., Workflows__SeedDemoData=true, ...); CW_ADMIN_PASSWORD sets the admin's password.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/free-port.sh"
dir=${CW_CLUSTER_DIR:-$root/.test-run/cluster}
cmd=${1:?start [N] | stop}
pg_bin=/usr/lib/postgresql/15/bin

# A setting of an ADO.NET connection string (Host, Port, Username, Password), empty when absent.
conn_part() { tr ';' '\n' <<<"$1" | sed -n "s/^[[:space:]]*$2[[:space:]]*=//Ip" | head -n 1; }

wait_ready() { # URL PID LOG: until /health/ready answers 200, the process dies, or 120 s pass
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$1/health/ready" 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "the host of $1 stopped while starting:" >&2; tail -n 40 "$3" >&2; return 1; fi
    sleep 0.2
  done
  echo "the host of $1 was not ready after 120 s:" >&2; tail -n 40 "$3" >&2; return 1
}

start_host() { # INDEX PORT: starts host nodeINDEX in the background, its pid in DIR/nodeINDEX/pid
  local node="node$1" port=$2
  mkdir -p "$dir/$node/data"
  (
    cd "$dir/$node"
    export Workflows__Database=Postgres Workflows__ConnectionString="$connection" Workflows__NodeName="$node" \
      Workflows__DataFolder="$dir/$node/data" Workflows__PersonalData__KeyRingFolder="$dir/personal-data-keys" \
      Workflows__SeedDemoData="${Workflows__SeedDemoData:-false}" \
      Workflows__Identity__InitialAdminPassword="$admin_password" \
      Workflows__Notifications__PublicBaseUrl="${Workflows__Notifications__PublicBaseUrl:-$url}" \
      ASPNETCORE_FORWARDEDHEADERS_ENABLED=true ASPNETCORE_URLS="http://127.0.0.1:$port"
    exec dotnet "$host_dll" >"$dir/$node/host.log" 2>&1
  ) &
  echo $! >"$dir/$node/pid"
  echo "$port" >"$dir/$node/port"
}

write_nginx_conf() { # PORT HOST_PORTS...
  local listen=$1; shift
  mkdir -p "$dir/nginx/temp"
  {
    [ "$(id -u)" = 0 ] && echo "user root;"
    echo "worker_processes 1;"
    echo "pid $dir/nginx/nginx.pid;"
    echo "error_log $dir/nginx/error.log warn;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "  log_format upstream '\$remote_addr \"\$request\" \$status upstream=\$upstream_addr';"
    echo "  access_log $dir/nginx/access.log upstream;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $dir/nginx/temp/$t;"; done
    echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }"
    echo "  upstream complaintworkflows {"
    for p in "$@"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"; done
    echo "    keepalive 16;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$listen;"
    echo "    location / { include $root/docker/nginx/proxy.inc; }"
    echo "  }"
    echo "}"
  } >"$dir/nginx/nginx.conf"
}

stop_cluster() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/node*/pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$dir"/node*/pid; do
    [ -f "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ -f "$dir/nginx/nginx.pid" ]; then
    local pid; pid=$(cat "$dir/nginx/nginx.pid")
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  if [ -f "$dir/database" ]; then
    local server; server=$(cat "$dir/server")
    PGPASSWORD=$(conn_part "$server" Password) "$pg_bin/dropdb" --if-exists --force -h "$(conn_part "$server" Host)" \
      -p "$(conn_part "$server" Port)" -U "$(conn_part "$server" Username)" "$(cat "$dir/database")" || true
  fi
  [ -d "$dir/postgres" ] && "$here/postgres.sh" stop "$dir/postgres"
  rm -rf "$dir"
}

case "$cmd" in
  start)
    count=${2:-3}
    [[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "cluster.sh start: N must be a number of hosts, 1 or more (got '$count')" >&2; exit 2; }
    [ -x /usr/sbin/nginx ] || { echo "nginx is not installed (/usr/sbin/nginx): apt-get install nginx, or run ./test.sh" >&2; exit 1; }
    [ -e "$dir" ] && { echo "$dir exists: a cluster is running (cluster.sh stop first)" >&2; exit 1; }
    host_dll=${CW_HOST_DLL:-$root/WorkflowHost/bin/${CONFIGURATION:-Debug}/net10.0/ComplaintWorkflows.WorkflowHost.dll}
    if [ ! -f "$host_dll" ]; then
      echo "building the host ($host_dll is missing)" >&2
      dotnet build "$root/WorkflowHost" -c "${CONFIGURATION:-Debug}" --nologo -v quiet -clp:ErrorsOnly >&2
    fi
    mkdir -p "$dir"
    trap 'stop_cluster' ERR

    # One PostgreSQL database for every host.
    if [ -n "${COMPLAINTWORKFLOWS_TEST_POSTGRES:-}" ]; then
      server=$COMPLAINTWORKFLOWS_TEST_POSTGRES
      database="cw_cluster_$(date +%s)_$RANDOM"
      PGPASSWORD=$(conn_part "$server" Password) "$pg_bin/createdb" -T template0 -E UTF8 -h "$(conn_part "$server" Host)" \
        -p "$(conn_part "$server" Port)" -U "$(conn_part "$server" Username)" "$database"
      echo "$server" >"$dir/server"; echo "$database" >"$dir/database"
      connection=$(sed "s/Database=[^;]*/Database=$database/I" <<<"$server")
      [[ "$connection" == *"Database=$database"* ]] || connection="$connection;Database=$database"
    else
      connection=$("$here/postgres.sh" start "$dir/postgres" "$(free_port)")
    fi

    admin_user=${CW_ADMIN_USER:-admin}
    admin_password=${CW_ADMIN_PASSWORD:-cw-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)}
    nginx_port=$(free_port)
    url="http://127.0.0.1:$nginx_port"
    ports=()
    for i in $(seq 1 "$count"); do
      port=$(free_port)
      while [[ " ${ports[*]} $nginx_port " == *" $port "* ]]; do port=$(free_port); done
      ports+=("$port")
    done

    # All hosts together, also on the empty database: they run their start-up (schema, roles, first administrator,
    # seeds, process deployment) one at a time behind the start-up lock (WorkflowHost/StartupLock.cs).
    for i in $(seq 1 "$count"); do start_host "$i" "${ports[$((i - 1))]}"; done
    for i in $(seq 1 "$count"); do
      wait_ready "http://127.0.0.1:${ports[$((i - 1))]}" "$(cat "$dir/node$i/pid")" "$dir/node$i/host.log"
    done

    write_nginx_conf "$nginx_port" "${ports[@]}"
    /usr/sbin/nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log"
    for _ in $(seq 1 50); do curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null && break; sleep 0.1; done
    curl -fsS -o /dev/null "$url/health/ready" || { echo "nginx does not answer at $url:" >&2; cat "$dir/nginx/error.log" >&2; false; }

    hosts=""
    for i in $(seq 1 "$count"); do hosts+="${hosts:+ }http://127.0.0.1:${ports[$((i - 1))]}"; done
    {
      echo "CW_CLUSTER_URL=$url"
      echo "CW_CLUSTER_HOSTS=\"$hosts\""
      echo "CW_CLUSTER_CONNECTION_STRING=\"$connection\""
      echo "CW_CLUSTER_ADMIN_USER=$admin_user"
      echo "CW_CLUSTER_ADMIN_PASSWORD=$admin_password"
      echo "CW_CLUSTER_HOST_DLL=\"$host_dll\""
    } >"$dir/cluster.env"
    echo "cluster: $count hosts on one PostgreSQL database, nginx in front"
    echo "url: $url"
    for i in $(seq 1 "$count"); do
      echo "node$i: http://127.0.0.1:${ports[$((i - 1))]} (pid $(cat "$dir/node$i/pid"), log $dir/node$i/host.log)"
    done
    echo "sign in: $url/login/ as $admin_user / $admin_password"
    echo "stop: $0 stop"
    ;;
  restart)
    index=${2:?restart I [SIGNAL]: which host (1..N)}
    signal=${3:-TERM}
    [ -f "$dir/node$index/pid" ] || { echo "cluster.sh restart: no host node$index in $dir" >&2; exit 2; }
    source "$dir/cluster.env"
    connection=$CW_CLUSTER_CONNECTION_STRING admin_password=$CW_CLUSTER_ADMIN_PASSWORD url=$CW_CLUSTER_URL host_dll=$CW_CLUSTER_HOST_DLL
    pid=$(cat "$dir/node$index/pid"); port=$(cat "$dir/node$index/port")
    kill -CONT "$pid" 2>/dev/null || true # a paused host cannot stop
    kill -"$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    mv "$dir/node$index/host.log" "$dir/node$index/host.$(date +%s%N).log" 2>/dev/null || true
    start_host "$index" "$port"
    wait_ready "http://127.0.0.1:$port" "$(cat "$dir/node$index/pid")" "$dir/node$index/host.log"
    echo "node$index: restarted after SIG$signal (pid $(cat "$dir/node$index/pid"))"
    ;;
  stop)
    stop_cluster
    ;;
  *) echo "usage: $0 start [N] | restart I [SIGNAL] | stop" >&2; exit 2 ;;
esac
