#!/usr/bin/env bash
# Times the backup and restore commands on a database of N complaints (default 100,000), SQLite or PostgreSQL.
#   Tests/infra/backup-benchmark.sh sqlite [N]
#   Tests/infra/backup-benchmark.sh postgres [N]     (on COMPLAINTWORKFLOWS_TEST_POSTGRES)
# Seeding: the built host starts once on an empty database with the demo data (5 demo complaints in different
# states, each with its process instance, tasks, journal, timeline), then those rows are copied in bulk by SQL
# (INSERT ... SELECT over a number series) until there are N complaints: text ids, keys and every text column
# named ...Id get a suffix per copy (so a copy's complaint points at its own copied instance), integer keys are new.
# The copies share the originals' encrypted personal data (same ciphertext). Prints wall and CPU time and the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
kind=${1:?sqlite|postgres}
total=${2:-100000}
host_dll=WorkflowHost/bin/Debug/net10.0/ComplaintWorkflows.WorkflowHost.dll
[ -f "$host_dll" ] || { echo "build the host first: dotnet build WorkflowHost" >&2; exit 1; }
work=$(mktemp -d /tmp/cw-backup-bench.XXXXXX)
port=$((20000 + RANDOM % 10000))
settings=(--Workflows:DataFolder="$work/data" --Workflows:Identity:InitialAdminPassword=bench-admin-password --Workflows:SeedDemoComplaints=true)
tables=(cw_complaint cw_complaint_event cw_closure_record cw_notification wf_instance wf_task wf_journal wf_subscription)
if [ "$kind" = postgres ]; then
  server=${COMPLAINTWORKFLOWS_TEST_POSTGRES:?set COMPLAINTWORKFLOWS_TEST_POSTGRES}
  db=cw_bench_$RANDOM$RANDOM
  pg() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$server")" -U postgres "$@"; }
  pg -d postgres -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8'"
  pg -d postgres -c "CREATE DATABASE ${db}_restored TEMPLATE template0 ENCODING 'UTF8'"
  conn=$(sed -E "s/Database=[^;]*/Database=$db/" <<<"$server")
  settings+=(--Workflows:Database=Postgres --Workflows:ConnectionString="$conn")
fi

dotnet "$host_dll" --urls "http://127.0.0.1:$port" "${settings[@]}" >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
sleep 10   # the demo complaints are filed after start
kill "$pid"; wait "$pid" || true

copies=$(( (total + 4) / 5 ))
if [ "$kind" = sqlite ]; then
  file="$work/data/complaintworkflows.db"
  for t in "${tables[@]}"; do
    cols=$(sqlite3 "$file" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
    exprs=$(sqlite3 "$file" "SELECT group_concat(CASE
        WHEN pk = 1 AND type = 'INTEGER' THEN 'NULL'
        WHEN type = 'TEXT' AND (name LIKE '%Id' OR name IN (SELECT ii.name FROM pragma_index_list('$t') il, pragma_index_info(il.name) ii WHERE il.\"unique\" = 1) OR pk > 0)
          THEN 'CASE WHEN \"' || name || '\" IS NULL THEN NULL ELSE \"' || name || '\" || ''-b'' || n END'
        ELSE '\"' || name || '\"' END, ',') FROM pragma_table_info('$t')")
    sqlite3 "$file" "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $((copies - 1))) INSERT INTO \"$t\" ($cols) SELECT $exprs FROM \"$t\", s WHERE \"$t\".rowid IN (SELECT rowid FROM \"$t\")"
  done
  count=$(sqlite3 "$file" "SELECT count(*) FROM cw_complaint")
  size=$(stat -c %s "$file")
else
  for t in "${tables[@]}"; do
    sql=$(pg -d "$db" -At -c "SELECT 'INSERT INTO \"$t\" (' || string_agg(format('%I', c.column_name), ',' ORDER BY c.ordinal_position) || ') SELECT ' ||
      string_agg(CASE WHEN c.column_default LIKE 'nextval%' OR c.is_identity = 'YES' THEN 'DEFAULT_MARK'
        WHEN c.data_type IN ('text', 'character varying') AND (c.column_name LIKE '%Id' OR c.column_name IN (
          SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '\"$t\"'::regclass AND i.indisunique))
          THEN format('CASE WHEN %I IS NULL THEN NULL ELSE %I || ''-b'' || n END', c.column_name, c.column_name)
        ELSE format('%I', c.column_name) END, ',' ORDER BY c.ordinal_position) || ' FROM \"$t\", generate_series(1, $((copies - 1))) n'
      FROM information_schema.columns c WHERE c.table_name = '$t' AND c.table_schema = 'public'")
    # Identity columns: leave them out of the list so that they are generated.
    sql=$(python3 -c "
import re,sys
s=sys.argv[1]
head,sel=s.split(') SELECT ',1)
cols=head[head.index('(')+1:].split(',')
body,frm=sel.rsplit(' FROM ',1)
exprs=[]; depth=0; cur=''
for ch in body:
    if ch==',' and depth==0: exprs.append(cur); cur=''; continue
    depth+= ch=='(' ; depth-= ch==')'; cur+=ch
exprs.append(cur)
keep=[(c,e) for c,e in zip(cols,exprs) if e!='DEFAULT_MARK']
print(head[:head.index('(')+1]+','.join(c for c,_ in keep)+') SELECT '+','.join(e for _,e in keep)+' FROM '+frm)
" "$sql")
    pg -d "$db" -c "$sql"
  done
  count=$(pg -d "$db" -At -c "SELECT count(*) FROM cw_complaint")
  size=$(pg -d "$db" -At -c "SELECT pg_database_size('$db')")
fi
echo "seeded: $count complaints, database $size bytes"

cpu() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
timed() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  end=$(date +%s.%N)
  read -r user sys <"$work/time"
  printf '%s: %.1f s wall, %.1f s CPU (user %s + sys %s), load %s\n' "$label" "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$user" "$sys" "$(cut -d' ' -f1-3 /proc/loadavg)"
  tail -1 "$work/out"
}
timed backup dotnet "$host_dll" backup "$work/backup.zip" "${settings[@]}"
echo "archive: $(stat -c %s "$work/backup.zip") bytes"
restore=(--Workflows:DataFolder="$work/restored")
[ "$kind" = postgres ] && restore+=(--Workflows:Database=Postgres --Workflows:ConnectionString="$(sed -E "s/Database=[^;]*/Database=${db}_restored/" <<<"$server")")
timed restore dotnet "$host_dll" restore "$work/backup.zip" "${restore[@]}"
if [ "$kind" = postgres ]; then
  echo "restored: $(pg -d "${db}_restored" -At -c 'SELECT count(*) FROM cw_complaint') complaints"
  pg -d postgres -c "DROP DATABASE $db" -c "DROP DATABASE ${db}_restored"
else
  echo "restored: $(sqlite3 "$work/restored/complaintworkflows.db" 'SELECT count(*) FROM cw_complaint') complaints"
fi
rm -rf "$work"
