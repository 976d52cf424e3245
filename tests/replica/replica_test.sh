#!/usr/bin/env bash
# The read replica (issue 10 §5, docs/decisions.md D45): a PostgreSQL
# primary and a hot standby streaming from it, each a throwaway cluster
# (scripts/pg-tmp) on a Unix socket; `cairn serve --db PRIMARY --read-db
# STANDBY`.  With the standby's replay paused, a review created through
# the API is at once readable on the primary's pages but its progress
# report (a ROUTE_REPLICA page) is not found, because the report is
# read from the standby; once replay resumes, the report is served.
# A SQLite db with a read_db is refused at start.
#
#   tests/replica/replica_test.sh BUILD_DIR
# Exit 77 (skipped) when the PostgreSQL server binaries are missing.
set -uo pipefail
build=$(cd "${1:?usage: replica_test.sh BUILD_DIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
cairn="$build/cairn"
pgtmp="$src/scripts/pg-tmp"

tmp=$(mktemp -d /tmp/cairn-replica-XXXXXX)
# the clusters run as the postgres user when we are root: it must reach
# its folders through this one
chmod 711 "$tmp"
mkdir "$tmp/p" "$tmp/s"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  "$pgtmp" stop "$tmp/s" >/dev/null 2>&1
  "$pgtmp" stop "$tmp/p" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "replica_test: FAIL: $*" >&2; exit 1; }

primary=$("$pgtmp" start "$tmp/p" $$); rc=$?
[ $rc = 77 ] && { echo "replica_test: PostgreSQL not installed: skipped"; exit 77; }
[ $rc = 0 ] || fail "cannot start the primary"
# cairn demo makes the key file (auth/seal.h)
"$cairn" demo --db "$primary" --key-file "$tmp/key" --children 30 \
  >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; fail "cairn demo"; }
standby=$("$pgtmp" standby "$tmp/s" "$tmp/p" $$) || fail "cannot start the standby"
psql_s() { psql -X -At -h "$tmp/s" -U cairn -d cairn -c "$1"; }
psql_p() { psql -X -At -h "$tmp/p" -U cairn -d cairn -c "$1"; }
[ "$(psql_s 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"

token=$("$cairn" token create --db "$primary" --username analyst.demo) ||
  fail "cairn token create"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/cairn.conf" <<CONF
db = $primary
read_db = $standby
key_file = $tmp/key
listen = 127.0.0.1:$port
CONF
"$cairn" serve --config "$tmp/cairn.conf" 2>"$tmp/serve.log" &
server=$!

python3 - "$port" "$token" "$tmp" <<'PY' || { tail -20 "$tmp/serve.log"; fail "see above"; }
import json, subprocess, sys, time, urllib.request, urllib.error
port, token, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
base = "http://127.0.0.1:%s" % port

def req(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    r.add_header("Authorization", "Bearer " + token)
    if data is not None:
        r.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(r, timeout=10) as f:
            return f.status, f.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return 0, b""

def sql(host, q):
    return subprocess.run(["psql", "-X", "-At", "-h", host, "-U", "cairn",
                           "-d", "cairn", "-c", q], check=True,
                          capture_output=True, text=True).stdout.strip()

def check(cond, what):
    if not cond:
        print("replica_test: FAIL:", what); sys.exit(1)

for _ in range(200):
    if req("GET", "/healthz")[0] == 200:
        break
    time.sleep(0.1)
else:
    check(False, "cairn serve did not answer /healthz")

# replay stopped: the standby keeps what it has
sql(tmp + "/s", "SELECT pg_wal_replay_pause()")
st, body = req("POST", "/api/v1/reviews", {
    "body_kind": "scrutiny-panel", "body_name": "Replica Test Panel",
    "topic": "Reports from the standby"})
check(st == 201, "creating a review answered %d: %s" % (st, body[:200]))
rid = json.loads(body)["review_id"]
# the write reached the primary, and its own page (read from the
# primary) shows it
check(sql(tmp + "/p", "SELECT COUNT(*) FROM scrutiny_review WHERE "
          "review_id = %d" % rid) == "1", "the review is not on the primary")
st, _ = req("GET", "/api/v1/reviews/%d" % rid)
check(st == 200, "the review's own page answered %d" % st)
# the report is read from the standby, which has not replayed it
st, _ = req("GET", "/api/v1/reviews/%d/report" % rid)
check(st == 404, "the report answered %d while the standby was paused "
      "(expected 404: it must come from the standby)" % st)
check(sql(tmp + "/s", "SELECT COUNT(*) FROM scrutiny_review WHERE "
          "review_id = %d" % rid) == "0", "the paused standby has the review")
# replay resumed: the report is served once the standby has caught up
sql(tmp + "/s", "SELECT pg_wal_replay_resume()")
for _ in range(100):
    st, body = req("GET", "/api/v1/reviews/%d/report" % rid)
    if st == 200:
        break
    time.sleep(0.1)
check(st == 200, "the report answered %d after replay resumed" % st)
check(sql(tmp + "/s", "SELECT COUNT(*) FROM scrutiny_review WHERE "
          "review_id = %d" % rid) == "1", "the standby did not replay it")
# writes still go to the primary while reports read the standby
st, _ = req("POST", "/api/v1/reviews/%d/comments" % rid,
            {"text": "Checked against the standby."})
check(st == 201, "a comment answered %d" % st)
print("replica_test: the report came from the standby, the write from "
      "the primary")
PY

kill "$server"; wait "$server"; rc=$?; server=
[ "$rc" = 0 ] || fail "cairn serve exited $rc on SIGTERM"

# a SQLite store has no replicas: refused, naming read_db
"$cairn" init --db "$tmp/one.db" >/dev/null 2>&1 || fail "cairn init (SQLite)"
out=$(timeout 20 "$cairn" serve --db "$tmp/one.db" --read-db "$standby" \
  --listen 127.0.0.1:0 2>&1); rc=$?
[ "$rc" != 0 ] || fail "a SQLite db with a read replica was served"
printf '%s\n' "$out" | grep -q "read_db must be a PostgreSQL URI" ||
  fail "the refusal does not say why: $out"
echo "replica_test: passed"
