#!/usr/bin/env bash
# store_test.sh BUILD_DIR: moving between stores and backups, with the
# real binary (issue 10 §3; docs/operations.md "Backups and restores").
#
#  1. `cairn demo` (200 children) into SQLite; `cairn migrate` into a
#     throwaway PostgreSQL (scripts/pg-tmp); `cairn migrate` back into a
#     new SQLite file.  Every table's row count is the same in all three
#     (counted with python's sqlite3 and psql, not by cairn), and `cairn
#     audit verify` passes on each.  A second migrate into the filled
#     target is refused (exit 1) and changes nothing.
#  2. `cairn backup` of the database while `cairn serve` runs against it
#     and another process writes to it; the copy verifies (`cairn audit
#     verify`), an existing file is never overwritten, a PostgreSQL
#     source is refused with a pointer to pg_dump, and the backup,
#     restored as the docs say (copied into place with its key), is
#     served.
#  3. pg_dump -Fc and pg_restore into a new database, as the docs say;
#     the restored database has the same counts, verifies, and migrates.
#
# Exit 77 (skipped) when the PostgreSQL server binaries are missing.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
cairn="$build/cairn"
tmp=$(mktemp -d /tmp/cairn-store-XXXXXX)
pgdir=$(mktemp -d /tmp/cairn-store-pg-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  "$src/scripts/pg-tmp" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "store_test: FAIL: $*" >&2; exit 1; }
step() { echo "store_test: $*"; }

rc=0
uri=$("$src/scripts/pg-tmp" start "$pgdir" $$) || rc=$?
[ "$rc" -eq 77 ] && { echo "store_test: PostgreSQL not installed: skipped"; exit 77; }
[ "$rc" -eq 0 ] || fail "cannot start PostgreSQL"
pgbin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV | head -1)}
[ -x "$pgbin/pg_dump" ] || pgbin=$(dirname "$(command -v pg_dump)")

# "TABLE COUNT" lines for every table but schema_version, by name.
counts_sqlite() {
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
         " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY name")]
for n in names:
    print(n, db.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0])
PY
}
counts_pg() {
  local t
  "$pgbin/psql" -XAtq "$1" -c "SELECT relname FROM pg_class c JOIN pg_namespace n
      ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND relname <> 'schema_version' ORDER BY relname COLLATE \"C\"" |
    while read -r t; do
      echo "$t $("$pgbin/psql" -XAtq "$1" -c "SELECT count(*) FROM \"$t\"")"
    done
}

# ---- 1. SQLite → PostgreSQL → SQLite ---------------------------------------
step "demo, migrate to PostgreSQL and back"
"$cairn" demo --db "$tmp/a.db" --children 200 --seed 7 >"$tmp/demo.log" 2>&1 ||
  { cat "$tmp/demo.log"; fail "cairn demo"; }
"$cairn" migrate --from "$tmp/a.db" --to "$uri" >"$tmp/m1.out" 2>"$tmp/m1.err" ||
  { cat "$tmp/m1.err"; fail "migrate SQLite → PostgreSQL"; }
grep -q 'row counts equal; audit chain verified: 1 councils' "$tmp/m1.out" ||
  { cat "$tmp/m1.out"; fail "migrate's summary"; }
grep -q "key_file = $tmp/a.db.key" "$tmp/m1.err" || fail "no word on the key for PostgreSQL"
"$cairn" migrate --from "$uri" --to "$tmp/c.db" --key-file "$tmp/a.db.key" \
  >"$tmp/m2.out" 2>"$tmp/m2.err" || { cat "$tmp/m2.err"; fail "migrate PostgreSQL → SQLite"; }
cmp -s "$tmp/a.db.key" "$tmp/c.db.key" || fail "the key was not put beside the SQLite target"

counts_sqlite "$tmp/a.db" >"$tmp/a.counts"
counts_pg "$uri" >"$tmp/pg.counts"
counts_sqlite "$tmp/c.db" >"$tmp/c.counts"
[ "$(wc -l <"$tmp/a.counts")" -ge 25 ] || fail "too few tables: $(wc -l <"$tmp/a.counts")"
grep -q '^child 200$' "$tmp/a.counts" || fail "the demo has no 200 children"
diff "$tmp/a.counts" "$tmp/pg.counts" || fail "row counts differ: SQLite, PostgreSQL"
diff "$tmp/a.counts" "$tmp/c.counts" || fail "row counts differ: SQLite, SQLite again"
for db in "$tmp/a.db" "$uri" "$tmp/c.db"; do
  "$cairn" audit verify --db "$db" >"$tmp/verify.out" 2>&1 ||
    { cat "$tmp/verify.out"; fail "audit verify on $db"; }
done
# the same values, not only as many: every row, in key order
python3 - "$tmp/a.db" "$tmp/c.db" <<'PY' || fail "the round trip changed values"
import sqlite3, sys
a, c = (sqlite3.connect(p) for p in sys.argv[1:3])
for (n,) in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                      " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'"):
    ncol = len(a.execute('PRAGMA table_info("%s")' % n).fetchall())
    q = 'SELECT * FROM "%s" ORDER BY %s' % (n, ", ".join(str(i + 1) for i in range(ncol)))
    ra, rc = a.execute(q).fetchall(), c.execute(q).fetchall()
    if ra != rc:
        sys.exit("table %s differs" % n)
PY

step "a filled target is refused, unchanged"
set +e
"$cairn" migrate --from "$tmp/a.db" --to "$tmp/c.db" >/dev/null 2>"$tmp/m3.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "migrate into a filled target: exit $rc, not 1"
grep -q 'is not empty' "$tmp/m3.err" || { cat "$tmp/m3.err"; fail "no reason given"; }
counts_sqlite "$tmp/c.db" | diff "$tmp/a.counts" - || fail "the refused target changed"

# ---- 2. cairn backup while the server runs ---------------------------------
step "backup while cairn serve runs and another process writes"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$cairn" serve --db "$tmp/a.db" --listen "127.0.0.1:$port" 2>"$tmp/serve.log" &
pids+=($!)
healthy() {
  python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/healthz" % sys.argv[1], timeout=5) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}
healthy "$port" || { cat "$tmp/serve.log"; fail "the server never became healthy"; }
"$cairn" demo --db "$tmp/a.db" --council xtr --children 300 --seed 3 >"$tmp/writer.log" 2>&1 &
writer=$!
"$cairn" backup --db "$tmp/a.db" --to "$tmp/bk.db" >"$tmp/bk.out" 2>"$tmp/bk.err" ||
  { cat "$tmp/bk.err"; fail "cairn backup"; }
wait "$writer" || { cat "$tmp/writer.log"; fail "the concurrent writer"; }
grep -q 'integrity ok, schema version [0-9]*, audit chain verified' "$tmp/bk.out" ||
  { cat "$tmp/bk.out" "$tmp/bk.err"; fail "backup's summary"; }
healthy "$port" || fail "the server stopped answering during the backup"
"$cairn" audit verify --db "$tmp/bk.db" >/dev/null 2>&1 || fail "the backup does not verify"
[ ! -e "$tmp/bk.db.key" ] || fail "the key went into the backup"
set +e
"$cairn" backup --db "$tmp/a.db" --to "$tmp/bk.db" >/dev/null 2>"$tmp/bk2.err"; rc=$?
"$cairn" backup --db "$uri" --to "$tmp/pg.db" >/dev/null 2>"$tmp/bk3.err"; rc3=$?
set -e
[ "$rc" -ne 0 ] && grep -q 'not overwriting' "$tmp/bk2.err" || fail "backup over a file"
[ "$rc3" -eq 2 ] && grep -q 'pg_dump' "$tmp/bk3.err" || fail "backup of PostgreSQL not refused"
[ ! -e "$tmp/pg.db" ] || fail "a refused backup left a file"

step "restore the backup as the docs say and serve it"
mkdir "$tmp/restore"
cp "$tmp/bk.db" "$tmp/restore/cairn.db"
cp "$tmp/a.db.key" "$tmp/restore/cairn.db.key"
chmod 600 "$tmp/restore/cairn.db.key"
"$cairn" audit verify --db "$tmp/restore/cairn.db" >/dev/null 2>&1 || fail "the restored copy"
grep -q '^child [0-9]' <(counts_sqlite "$tmp/restore/cairn.db") || fail "restored: no children"
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$cairn" serve --db "$tmp/restore/cairn.db" --listen "127.0.0.1:$port2" 2>"$tmp/serve2.log" &
pids+=($!)
healthy "$port2" || { cat "$tmp/serve2.log"; fail "the restored copy is not served"; }

# ---- 3. pg_dump and pg_restore --------------------------------------------
step "pg_dump -Fc, pg_restore into a new database"
"$pgbin/pg_dump" -Fc -f "$tmp/cairn.dump" "$uri" || fail "pg_dump"
uri2=$("$src/scripts/pg-tmp" createdb "$pgdir" restored)
"$pgbin/pg_restore" --no-owner --exit-on-error --single-transaction \
  -d "$uri2" "$tmp/cairn.dump" || fail "pg_restore"
counts_pg "$uri2" | diff "$tmp/a.counts" - || fail "restored counts differ"
"$cairn" audit verify --db "$uri2" >/dev/null 2>&1 || fail "the restored database does not verify"
"$cairn" migrate --from "$uri2" --to "$tmp/r.db" --key-file "$tmp/a.db.key" \
  >"$tmp/m4.out" 2>"$tmp/m4.err" || { cat "$tmp/m4.err"; fail "migrate from the restored database"; }
counts_sqlite "$tmp/r.db" | diff "$tmp/a.counts" - || fail "counts after the restore's migrate"

step "ok"
