#!/usr/bin/env bash
# Runs the curl walk-through of example/WALKTHROUGH.md (which the README includes) against the
# example server, and checks every output.
#
# The commands are taken from the document's ```console blocks, so the document cannot drift
# from what works: each "$ command" line runs, in order, in this shell (variables set by one
# command are seen by the next), and its output must equal the lines that follow it, where "…"
# stands for any run of characters other than a quote or a blank (the tokens). Two things
# differ from a user's terminal: `go run ./example` is the binary built here, and
# 127.0.0.1:8000 is a free port. Everything runs in a temporary directory (the SQLite file and
# the signing-key file are made there), with no SIMPLE_JWT_* or DATABASE_URL variables.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
doc=${WALKTHROUGH_DOC:-$root/example/WALKTHROUGH.md} # another document, to test this script
tmp=$(mktemp -d)
server_pid=""
log=$tmp/server.log

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -s "$log" ]; then
    echo "--- server log (last 30 lines)" >&2
    tail -n 30 "$log" >&2
  fi
  exit 1
}

check() { echo "  ok: $*"; }

echo "== build the example"
(cd "$root" && go build -o "$tmp/example" ./example)
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
work=$tmp/work
mkdir "$work"
cd "$work"
for v in $(compgen -e); do
  case $v in SIMPLE_JWT_* | DATABASE_URL) unset "$v" ;; esac
done
export ADDR=127.0.0.1:$port
# The walk-through's throttled logins (WALKTHROUGH.md): its first login counts too, so the
# fourth obtain request in the minute is the refused one. Counters in memory, never Redis.
unset REDIS_URL
export THROTTLE_RATES=token_obtain=3/min
echo "  binary $tmp/example, server on $base, working directory $work"

# Parse the document: commands and their expected outputs, in order.
cmds=()
wants=()
in_block=0
cmd=""
want=""
flush() {
  if [ -n "$cmd" ]; then
    cmds+=("$cmd")
    wants+=("$want")
  fi
  cmd=""
  want=""
}
while IFS= read -r line; do
  if [ "$in_block" = 0 ]; then
    [ "$line" = '```console' ] && in_block=1
    continue
  fi
  if [ "$line" = '```' ]; then
    flush
    in_block=0
  elif [[ $line == '$ '* ]]; then
    flush
    cmd=${line#'$ '}
  else
    want+=$line$'\n'
  fi
done <"$doc"
[ "${#cmds[@]}" -ge 8 ] || fail "found only ${#cmds[@]} commands in $doc"
echo "== ${#cmds[@]} commands from example/WALKTHROUGH.md"

# matches WANT GOT: GOT equals WANT, "…" matching any run of non-quote, non-blank characters.
matches() {
  /usr/bin/python3 -c '
import re, sys
want, got = sys.argv[1].rstrip("\n"), sys.argv[2].rstrip("\n")
pattern = "[^\"\\s]*".join(re.escape(part) for part in want.split("\u2026"))
sys.exit(0 if re.fullmatch(pattern, got, re.S) else 1)
' "$1" "$2"
}

wait_until_up() {
  for _ in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited on start"
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/me/" || true)
    if [ "$code" = 401 ]; then
      return 0
    fi
    sleep 0.1
  done
  fail "the server did not answer within 10 s"
}

for i in "${!cmds[@]}"; do
  # Read this command's expectation before eval: a documented command may use the name i too.
  want=${wants[$i]}
  doc_cmd=${cmds[$i]}
  run=${doc_cmd//go run .\/example/\"\$tmp\/example\"}
  run=${run//127.0.0.1:8000/127.0.0.1:$port}
  echo "\$ $doc_cmd"
  if [[ $doc_cmd == *'&' ]]; then
    # The server: started in the background, logging to $log.
    eval "$run" >"$log" 2>&1 </dev/null
    server_pid=$!
    wait_until_up
    check "server started (pid $server_pid) and answers GET /api/me/ with 401"
    continue
  fi
  if eval "$run" >"$tmp/out" 2>"$tmp/err" </dev/null; then
    rc=0
  else
    rc=$?
  fi
  got=$(cat "$tmp/out")
  [ "$rc" = 0 ] || fail "exit status $rc; stdout: $got; stderr: $(cat "$tmp/err")"
  if ! matches "$want" "$got"; then
    fail "output differs
--- want
$want--- got
$got"
  fi
  if [ -n "$want" ]; then
    check "$(printf '%s' "$want" | tail -n 1)"
  else
    check "exit 0, no output"
  fi
done

echo "== what the walk-through leaves behind"
key=$work/simplejwt.sqlite3.signing-key
[ -f "$key" ] || fail "no signing-key file $key"
mode=$(stat -c %a "$key")
[ "$mode" = 600 ] || fail "signing-key file mode $mode, want 600"
check "random signing key kept in simplejwt.sqlite3.signing-key, mode 600"
grep -q 'level=WARN.*SIMPLE_JWT_SIGNING_KEY is not set' "$log" || fail "no warning about the missing SIMPLE_JWT_SIGNING_KEY"
check "warning logged about the missing SIMPLE_JWT_SIGNING_KEY"
grep -q 'msg=request method=GET path=/api/me/ status=200' "$log" || fail "no request log line for GET /api/me/"
check "request logged: method, path, status, duration"
if grep -q -e 'eyJ' -e 'alice-password-1' -e "$(cut -c1-16 "$key")" "$log"; then
  fail "the server log holds a token, a password or the key"
fi
check "no token, password or key in the server log"

echo "== graceful stop on SIGTERM"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" = 0 ] || fail "server exit status $status after SIGTERM"
grep -q 'msg="shutting down"' "$log" || fail "no shutdown log line"
check "server shut down and exited 0"

echo "== walk-through passed"
