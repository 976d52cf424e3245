#!/usr/bin/env bash
# install_test.sh BUILD_DIR: `meson install` into a temporary folder
# (DESTDIR), then the installed program run from / : `cairn init
# --council` finds its bank holidays, `cairn demo` its code lists, and
# `cairn serve` (configured by the installed example plus CAIRN_DB and
# CAIRN_LISTEN) serves the GOV.UK stylesheet, its own stylesheet and the
# sign-in page, and exits 0 on SIGTERM.  Without the installed GOV.UK
# assets the server refuses to start, naming the folder: it does not
# fall back to the source tree or the current directory.  The unit is
# checked by systemd-analyze (verify, and security --offline).
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d /tmp/cairn-install-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

"${MESON:-meson}" install -C "$build" --destdir "$tmp/stage" --no-rebuild \
  --quiet >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "meson install"; }

prefix=$(python3 -c 'import json,sys
o={x["name"]:x["value"] for x in json.load(sys.stdin)}
print(o["prefix"]); print(o["bindir"]); print(o["datadir"]); print(o["mandir"]); print(o["sysconfdir"])' \
  < "$build/meson-info/intro-buildoptions.json")
readarray -t opt <<<"$prefix"
root="$tmp/stage${opt[0]}"
cairn="$root/${opt[1]}/cairn"
data="$root/${opt[2]}/cairn"
[ -x "$cairn" ] || fail "no installed binary at $cairn"
for f in govuk/govuk-frontend.min.css govuk/assets/fonts govuk/assets/images/favicon.ico \
         static/cairn.css codes/bank_holidays_england_wales_2018_2027.csv \
         codes/ethnicity_cin_903.csv; do
  [ -e "$data/$f" ] || fail "not installed: $data/$f"
done
[ -f "$root/${opt[3]}/man1/cairn.1" ] || fail "no man page"
grep -q '^\.TH CAIRN 1' "$root/${opt[3]}/man1/cairn.1" || fail "man page not roff"
unit=$(find "$tmp/stage" -name cairn.service | head -1)
[ -n "$unit" ] || fail "no systemd unit"
grep -q "^ExecStart=${opt[0]}/${opt[1]}/cairn serve --config " "$unit" || fail "unit's ExecStart"
grep -q '^NoNewPrivileges=yes' "$unit" && grep -q '^ProtectSystem=strict' "$unit" &&
  grep -q '^PrivateTmp=yes' "$unit" && grep -q '^User=cairn' "$unit" || fail "unit's hardening"
# the unit as systemd reads it, offline (no running systemd needed): no
# unknown or misspelt setting, its program there, and an exposure score
# of 2.0 at most out of 10 (systemd-analyze security's scale x 10)
cp "$unit" "$tmp/cairn.service"
sed -i "s|^ExecStart=${opt[0]}/${opt[1]}/cairn |ExecStart=$cairn |" "$tmp/cairn.service"
out=$(systemd-analyze verify --man=no "$tmp/cairn.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
systemd-analyze security --offline=true --threshold=20 "$tmp/cairn.service" \
  >"$tmp/security.log" 2>&1 || { tail -3 "$tmp/security.log"; fail "the unit's exposure is above 2.0"; }
example="$root/${opt[2]}/doc/cairn/cairn.conf.example"
[ -f "$example" ] || fail "no example configuration"
[ ! -e "$root/${opt[1]}/cairn-source-root" ] || fail "the build marker was installed"

# from /, with nothing of the source tree on the way
cd /
db="$tmp/var/cairn.db"
mkdir -p "$tmp/var"
"$cairn" init --db "$db" --council tst --council-name "Test council" \
  >"$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; fail "cairn init --council from /"; }
grep -q 'council tst ready, [1-9][0-9]* bank holidays' "$tmp/init.log" || fail "no bank holidays"
"$cairn" demo --db "$tmp/var/demo.db" --children 3 --seed 1 >"$tmp/demo.log" 2>&1 ||
  { cat "$tmp/demo.log"; fail "cairn demo from /"; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CAIRN_DB="$db" CAIRN_LISTEN="127.0.0.1:$port" "$cairn" serve --config "$example" \
  2>"$tmp/serve.log" &
pid=$!
python3 - "$port" <<'PY' || { cat "$tmp/serve.log"; fail "serving from /"; }
import sys, time, urllib.request, urllib.error
base = "http://127.0.0.1:%s" % sys.argv[1]
def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=5) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()
for _ in range(200):
    try:
        if get("/healthz")[0] == 200:
            break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("never healthy")
st, ct, body = get("/assets/govuk-frontend.min.css")
assert st == 200 and ct.startswith("text/css") and b".govuk-" in body, (st, ct, len(body))
st, ct, body = get("/assets/cairn.css")
assert st == 200 and ct.startswith("text/css"), (st, ct)
st, ct, body = get("/assets/images/favicon.ico")
assert st == 200, st
st, ct, body = get("/sign-in")
assert st == 200 and ct.startswith("text/html"), (st, ct)
assert b"/assets/govuk-frontend.min.css" in body
st, ct, body = get("/assets/no-such-file.css")
assert st == 404, st
PY
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || { cat "$tmp/serve.log"; fail "cairn serve exited $rc on SIGTERM"; }
grep -q '"event":"serve.stopped"' "$tmp/serve.log" || fail "no serve.stopped"

# the installed assets are the ones served: without them, no start
mv "$data/govuk" "$data/govuk.away"
rc=0
CAIRN_DB="$db" CAIRN_LISTEN="127.0.0.1:$port" timeout 20 "$cairn" serve \
  >/dev/null 2>"$tmp/noassets.log" || rc=$?
mv "$data/govuk.away" "$data/govuk"
[ "$rc" = 3 ] || fail "served without its assets (exit $rc)"
grep -q "cannot find the GOV.UK Frontend assets" "$tmp/noassets.log" || fail "no message"
echo "install_test: ok"
