#!/usr/bin/env bash
# Side by side over HTTP (issue 14): the Go example as shipped (its request log on, to a file)
# and Django simplejwt 5.2.2 (testdata/djangoproject) under gunicorn with one sync worker, each
# on its own SQLite file, the same signing key, a user alice, PBKDF2-SHA256 at Django 3.2's
# 260,000 iterations on both. example/loadgen drives each case for COMPARE_SECONDS (default 3)
# with COMPARE_CLIENTS clients (default 32) and prints req/s; the Go server runs with
# GOMAXPROCS=${COMPARE_GOMAXPROCS:-1}, one core as Django's one worker. It prints figures and
# never fails on them: only a setup failure exits non-zero.
#
#   .ci/compare.sh                     needs /usr/bin/python3 with Debian's Django, DRF,
#                                      simplejwt and gunicorn (apt-get install python3-gunicorn)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${COMPARE_SECONDS:-3}
clients=${COMPARE_CLIENTS:-32}
if ! /usr/bin/python3 -c 'import django, rest_framework_simplejwt, gunicorn' 2>/dev/null; then
  echo "compare: skipped: /usr/bin/python3 lacks Django, simplejwt or gunicorn (apt-get install python3-gunicorn python3-djangorestframework-simplejwt)"
  exit 0
fi
tmp=$(mktemp -d)
pids=()
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

# Django
dj=testdata/djangoproject
export DJANGO_SECRET_KEY=compare-django-secret REFPROJECT_QUIET=1 SIMPLE_JWT_SIGNING_KEY=$key
DATABASE_URL="sqlite:///$tmp/django.sqlite3" "$dj/run.sh" migrate >/dev/null
DATABASE_URL="sqlite:///$tmp/django.sqlite3" "$dj/run.sh" createuser alice "$pw" >/dev/null
djport=$(free_port)
(cd "$dj" && DATABASE_URL="sqlite:///$tmp/django.sqlite3" DJANGO_SETTINGS_MODULE=refproject.settings \
  PYTHONDONTWRITEBYTECODE=1 DJANGO_LOG_LEVEL=WARNING \
  exec /usr/bin/python3 -m gunicorn --workers 1 --worker-class sync --bind "127.0.0.1:$djport" \
  --log-level warning 'django.core.wsgi:get_wsgi_application()' >"$tmp/django.log" 2>&1) &
pids+=($!)

# Go
goenv=(DATABASE_URL="$tmp/go.sqlite3" SIMPLE_JWT_SIGNING_KEY=$key PBKDF2_ITERATIONS=260000
  THROTTLE_RATES='token_obtain=None,anon=None,user=None,login_username=None,login_ip=None')
env "${goenv[@]}" "$tmp/example" migrate >/dev/null 2>&1
env "${goenv[@]}" "$tmp/example" createuser --username alice --password "$pw" >/dev/null 2>&1
goport=$(free_port)
env "${goenv[@]}" GOMAXPROCS="${COMPARE_GOMAXPROCS:-1}" ADDR="127.0.0.1:$goport" "$tmp/example" 2>"$tmp/go.log" &
pids+=($!)

wait_up "$djport" django || { cat "$tmp/django.log"; exit 1; }
wait_up "$goport" example || { cat "$tmp/go.log"; exit 1; }

echo "compare: ${secs}s per case, $clients clients, Go GOMAXPROCS=${COMPARE_GOMAXPROCS:-1}, Django gunicorn 1 sync worker, SQLite, PBKDF2 260000"
for c in me refresh obtain; do
  g=$("$tmp/loadgen" -base "http://127.0.0.1:$goport" -case $c -c "$clients" -d "${secs}s" -password "$pw")
  d=$("$tmp/loadgen" -base "http://127.0.0.1:$djport" -case $c -c "$clients" -d "${secs}s" -password "$pw")
  gr=$(echo "$g" | awk '{print $2}')
  dr=$(echo "$d" | awk '{print $2}')
  ratio=$(awk -v a="$gr" -v b="$dr" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  echo "compare: $c  go: $g"
  echo "compare: $c  django: $d"
  echo "compare: $c  go/django = ${ratio}x"
done
