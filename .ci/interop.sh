#!/usr/bin/env bash
# The interop suite alone, verbose: the Go example and the real djangorestframework-simplejwt
# (Debian's 5.2.2, testdata/djangoproject) on one database and one signing key. `go test ./...`
# runs it too, but hides its log; this prints the per-direction counts (and the JWKS checks per
# algorithm, TestJWKSInterop), the deliberate
# 5.2.2-vs-newest differences it saw, and each case's result.
#
#   .ci/interop.sh                  SQLite, and PostgreSQL when SIMPLEJWT_TEST_POSTGRES_DSN is set
#   .ci/interop.sh -race            extra flags go to go test
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
go test -count=1 -timeout 10m -v -run '^(TestInterop|TestJWKSInterop)$' "$@" ./example/ >"$log" 2>&1 || status=$?
# Results of every case, the summary and the notes; the whole log when something failed.
grep -E '^\s*--- (PASS|FAIL|SKIP)|interop(\[[a-z]+\])?: |jwks\[[A-Za-z0-9]+\]: |^(ok|FAIL|PASS)\b' "$log" || true
if [ "$status" -ne 0 ]; then
  echo "--- full log ---"
  cat "$log"
fi
exit "$status"
