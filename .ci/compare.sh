#!/usr/bin/env bash
# Side by side over HTTP (issue 14): the Go example as shipped (its request log on, to a file)
# and Django simplejwt 5.2.2 (testdata/djangoproject) under gunicorn with one sync worker, each
# on its own SQLite file, the same signing key, a user alice, PBKDF2-SHA256 at Django 3.2's
# 260,000 iterations on both. example/loadgen drives each case for COMPARE_SECONDS (default 3)
# with COMPARE_CLIENTS clients (default 32) and prints req/s; the Go server runs with
# GOMAXPROCS=${COMPARE_GOMAXPROCS:-1}, one core as Django's one worker. "One core" is also
# where they run: every server (the two Go ones, Django's worker) and the bare hash are pinned
# with taskset to the last CPU this script may use, and the load generators (wrk, loadgen) to
# the others, so that client and server never share or swap a core (COMPARE_PIN=false, one
# CPU, or no taskset: nothing is pinned, and the line "compare: pinned" says so). It prints
# figures and never fails on them: only a setup failure exits non-zero.
#
# Two Go-only figures come first (issue 14), and need no Django:
#   compare: log on/off   GET /api/me/stateless/ (AuthStateless, no database) on the example as
#                         shipped and on a second one with REQUEST_LOG=false, both GOMAXPROCS=1,
#                         alternated COMPARE_LOG_ROUNDS times (default 5) for COMPARE_SECONDS each,
#                         driven by wrk -t1 (Debian's; example/loadgen when absent) with
#                         COMPARE_CLIENTS connections; the log's cost in % is the median of the
#                         rounds' (each round measures on, then off, under the same neighbours),
#                         with each side's best round beside it (the goal: at most 10%).
#   compare: obtain / pbkdf2   the per-request cost of POST /api/token/ on one core (1/req/s, the
#                         server at GOMAXPROCS=1 kept busy by the clients) over one check of the
#                         password against its PBKDF2-SHA256 hash at the same 260,000 iterations,
#                         timed by the same binary (`example timehasher`, on the server's core,
#                         the mean of a run before and one after). The goal: at most 1.05. The
#                         same binary, because the hash's speed moves with the binary's code
#                         layout: the standard library's PBKDF2 timed in two builds differs by
#                         up to ~3% for the same source.
#
#   .ci/compare.sh                     the Django side needs /usr/bin/python3 with Debian's
#                                      Django, DRF, simplejwt and gunicorn (apt-get install
#                                      python3-gunicorn); without them only the Go figures print
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${COMPARE_SECONDS:-3}
clients=${COMPARE_CLIENTS:-32}
rounds=${COMPARE_LOG_ROUNDS:-5}
django=yes
if ! /usr/bin/python3 -c 'import django, rest_framework_simplejwt, gunicorn' 2>/dev/null; then
  echo "compare: django skipped: /usr/bin/python3 lacks Django, simplejwt or gunicorn (apt-get install python3-gunicorn python3-djangorestframework-simplejwt)"
  django=
fi
tmp=$(mktemp -d)
pids=()
# The CPUs: the last for the servers (srv), the others for the load (cli).
srv=() cli=() pinned="nothing pinned"
cpus=$(/usr/bin/python3 -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0)))))')
read -r -a cpus <<<"$cpus"
if [ "${COMPARE_PIN:-true}" != false ] && (( ${#cpus[@]} >= 2 )) && command -v taskset >/dev/null; then
  last=${cpus[-1]}
  others=$(IFS=,; echo "${cpus[*]:0:${#cpus[@]}-1}")
  srv=(taskset -c "$last") cli=(taskset -c "$others")
  pinned="servers and the bare hash on CPU $last, load generators on CPU $others"
fi
echo "compare: pinned: $pinned"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/example" ./example
go build -o "$tmp/loadgen" ./example/loadgen
key=compare-signing-key-0123456789abcdef0123456789
pw=alice-password-1
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/api/token/" && return 0; sleep 0.1; done; echo "compare: $2 did not start" >&2; return 1; }

# Go: the example as shipped (request log on, to a file as stderr) and, for the log's cost, the
# same with REQUEST_LOG=false.
goenv=(DATABASE_URL="$tmp/go.sqlite3" SIMPLE_JWT_SIGNING_KEY=$key PBKDF2_ITERATIONS=260000
  THROTTLE_RATES='token_obtain=None,anon=None,user=None,login_username=None,login_ip=None')
env "${goenv[@]}" "$tmp/example" migrate >/dev/null 2>&1
env "${goenv[@]}" "$tmp/example" createuser --username alice --password "$pw" >/dev/null 2>&1
goport=$(free_port)
"${srv[@]}" env "${goenv[@]}" GOMAXPROCS="${COMPARE_GOMAXPROCS:-1}" ADDR="127.0.0.1:$goport" "$tmp/example" 2>"$tmp/go.log" &
pids+=($!)
offport=$(free_port)
"${srv[@]}" env "${goenv[@]}" GOMAXPROCS="${COMPARE_GOMAXPROCS:-1}" REQUEST_LOG=false ADDR="127.0.0.1:$offport" "$tmp/example" 2>"$tmp/go-off.log" &
pids+=($!)
wait_up "$goport" example || { cat "$tmp/go.log"; exit 1; }
wait_up "$offport" "example (REQUEST_LOG=false)" || { cat "$tmp/go-off.log"; exit 1; }

# The log's cost on a stateless request.
access=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\": \"alice\", \"password\": \"$pw\"}" \
  "http://127.0.0.1:$goport/api/token/" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["access"])')
stateless_rps() { # port -> req/s of GET /api/me/stateless/
  if command -v wrk >/dev/null; then
    "${cli[@]}" wrk -t1 -c"$clients" -d"${secs}s" -H "Authorization: Bearer $access" "http://127.0.0.1:$1/api/me/stateless/" |
      awk '/Non-2xx/ { bad = 1 } /Requests\/sec/ { r = $2 } END { if (bad) print 0; else print r }'
  else
    "${cli[@]}" "$tmp/loadgen" -base "http://127.0.0.1:$1" -case stateless -c "$clients" -d "${secs}s" -password "$pw" | awk '{ print $2 }'
  fi
}
driver=loadgen
command -v wrk >/dev/null && driver="wrk -t1"
on_best=0 off_best=0 costs=()
for i in $(seq "$rounds"); do
  if (( i % 2 )); then # which goes first alternates, so that neither always follows the other
    on=$(stateless_rps "$goport")
    off=$(stateless_rps "$offport")
  else
    off=$(stateless_rps "$offport")
    on=$(stateless_rps "$goport")
  fi
  cost=$(awk -v a="$on" -v b="$off" 'BEGIN { if (b > 0) printf "%.1f", 100 * (1 - a / b); else print "n/a" }')
  costs+=("$cost")
  echo "compare: log on/off round $i: on $on req/s, off $off req/s, cost $cost%"
  on_best=$(awk -v a="$on" -v b="$on_best" 'BEGIN { print (a > b) ? a : b }')
  off_best=$(awk -v a="$off" -v b="$off_best" 'BEGIN { print (a > b) ? a : b }')
done
median=$(printf '%s\n' "${costs[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "compare: log on/off  GET /api/me/stateless/, $driver, $clients connections, ${secs}s x $rounds rounds alternated:" \
  "the log costs $median% (median of the rounds; goal <= 10%); best of each: on $on_best req/s, off $off_best req/s," \
  "$(awk -v a="$on_best" -v b="$off_best" 'BEGIN { if (b > 0) printf "%.1f", 100 * (1 - a / b); else print "n/a" }')%"

# obtain's cost on one core against one check of a PBKDF2-SHA256 hash at the same iteration
# count: by the clock (1/req/s over the check's time, the issue's measure) and, as others'
# processes on the machine take CPU from either side at different moments, by CPU time (the
# server's, from /proc, per obtain over timehasher's per check).
hash_run() { # -> "ms-per-check cpu-ms-per-check"
  local out
  out=$("${srv[@]}" env "${goenv[@]}" GOMAXPROCS=1 "$tmp/example" timehasher --seconds "$secs")
  echo "compare: $out" >&2
  echo "$out" | awk '{ cpu = ($8 == "ms" && $9 == "CPU") ? $7 : 0; print $3, cpu }'
}
goproc_cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
gopid=${pids[0]}
read -r h1 hc1 < <(hash_run)
t0=$(goproc_cpu "$gopid")
ob=$("${cli[@]}" "$tmp/loadgen" -base "http://127.0.0.1:$goport" -case obtain -c "$clients" -d "${secs}s" -password "$pw")
t1=$(goproc_cpu "$gopid")
read -r h2 hc2 < <(hash_run)
echo "compare: obtain  go: $ob"
obrps=$(echo "$ob" | awk '{ print $2 }')
obn=$(( $(echo "$ob" | sed 's/.*(\([0-9]*\) ok.*/\1/') + 1 )) # and loadgen's login
echo "compare: obtain / pbkdf2 = $(awk -v o="$obrps" -v a="$h1" -v b="$h2" 'BEGIN { if (o > 0 && a + b > 0) printf "%.3f", 1000 / o / ((a + b) / 2); else print "n/a" }')" \
  "(per-request cost on one core over one check's, by the clock; goal <= 1.05);" \
  "by CPU time $(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$obn" -v a="$hc1" -v b="$hc2" \
    'BEGIN { if (t > 0 && n > 0 && a > 0 && b > 0) printf "%.3f (%.1f ms per obtain, %.1f ms per check)", (1000 * t / hz / n) / ((a + b) / 2), 1000 * t / hz / n, (a + b) / 2; else print "n/a" }')"

[ -n "$django" ] || exit 0

# Django
dj=testdata/djangoproject
export DJANGO_SECRET_KEY=compare-django-secret REFPROJECT_QUIET=1 SIMPLE_JWT_SIGNING_KEY=$key
DATABASE_URL="sqlite:///$tmp/django.sqlite3" "$dj/run.sh" migrate >/dev/null
DATABASE_URL="sqlite:///$tmp/django.sqlite3" "$dj/run.sh" createuser alice "$pw" >/dev/null
djport=$(free_port)
(cd "$dj" && DATABASE_URL="sqlite:///$tmp/django.sqlite3" DJANGO_SETTINGS_MODULE=refproject.settings \
  PYTHONDONTWRITEBYTECODE=1 DJANGO_LOG_LEVEL=WARNING \
  exec "${srv[@]}" /usr/bin/python3 -m gunicorn --workers 1 --worker-class sync --bind "127.0.0.1:$djport" \
  --log-level warning 'django.core.wsgi:get_wsgi_application()' >"$tmp/django.log" 2>&1) &
pids+=($!)

wait_up "$djport" django || { cat "$tmp/django.log"; exit 1; }

echo "compare: ${secs}s per case, $clients clients, Go GOMAXPROCS=${COMPARE_GOMAXPROCS:-1}, Django gunicorn 1 sync worker, SQLite, PBKDF2 260000"
for c in me refresh obtain; do
  g=$("${cli[@]}" "$tmp/loadgen" -base "http://127.0.0.1:$goport" -case $c -c "$clients" -d "${secs}s" -password "$pw")
  d=$("${cli[@]}" "$tmp/loadgen" -base "http://127.0.0.1:$djport" -case $c -c "$clients" -d "${secs}s" -password "$pw")
  gr=$(echo "$g" | awk '{print $2}')
  dr=$(echo "$d" | awk '{print $2}')
  ratio=$(awk -v a="$gr" -v b="$dr" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  echo "compare: $c  go: $g"
  echo "compare: $c  django: $d"
  echo "compare: $c  go/django = ${ratio}x"
done
