#!/bin/sh
# Runner for the reference Django project (simplejwt as Debian packages it).
#
#   run.sh migrate                      manage.py migrate --noinput
#   run.sh createuser U P [--inactive] [--superuser] [--email E]   prints the pk
#   run.sh changepassword U P           prints the pk
#   run.sh mint U [refresh|access|sliding]   prints Token.for_user(U)
#   run.sh serve [ADDR]                 runserver on 127.0.0.1 only (default 127.0.0.1:8000),
#                                       threaded, no autoreload; exec'd, so $! is the server
#   run.sh flushexpiredtokens           simplejwt's management command
#   run.sh shell-json 'EXPR'            prints a Python expression as JSON, e.g.
#                                       'OutstandingToken.objects.count()'
#   run.sh versions                     prints Python/Django/DRF/simplejwt/PyJWT versions as JSON
#   run.sh manage ARGS...               any manage.py command
#
# Environment: DATABASE_URL, DJANGO_SECRET_KEY, SIMPLE_JWT_<KEY> (see README.md).
# Always /usr/bin/python3: Debian's python3-django* packages live there.
set -eu

HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
PY=${REFPROJECT_PYTHON:-/usr/bin/python3}
export DJANGO_SETTINGS_MODULE=refproject.settings
export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
export PYTHONUNBUFFERED=1

usage() {
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[ $# -ge 1 ] || usage
cmd=$1
shift

case "$cmd" in
migrate)
    exec "$PY" "$HERE/manage.py" migrate --noinput "$@"
    ;;
flushexpiredtokens)
    exec "$PY" "$HERE/manage.py" flushexpiredtokens "$@"
    ;;
createuser | changepassword | mint | shell-json)
    exec "$PY" "$HERE/refproject/cli.py" "$cmd" "$@"
    ;;
serve)
    addr=${1:-127.0.0.1:8000}
    case "$addr" in
    *:*) host=${addr%:*} port=${addr##*:} ;;
    *) host=127.0.0.1 port=$addr ;;
    esac
    case "$host" in
    127.0.0.1 | localhost) ;;
    *)
        echo "run.sh serve: refusing to bind $host; use 127.0.0.1:PORT" >&2
        exit 2
        ;;
    esac
    case "$port" in
    '' | *[!0-9]*)
        echo "run.sh serve: bad port in $addr" >&2
        exit 2
        ;;
    esac
    exec "$PY" "$HERE/manage.py" runserver --noreload "127.0.0.1:$port"
    ;;
versions)
    exec "$PY" -c '
import json, sys, importlib.metadata as md
import django, rest_framework, jwt
print(json.dumps({
    "python": sys.version.split()[0],
    "django": django.get_version(),
    "djangorestframework": rest_framework.VERSION,
    "djangorestframework-simplejwt": md.version("djangorestframework-simplejwt"),
    "pyjwt": jwt.__version__,
}))'
    ;;
manage)
    exec "$PY" "$HERE/manage.py" "$@"
    ;;
-h | --help | help)
    usage
    ;;
*)
    echo "run.sh: unknown command $cmd" >&2
    usage
    ;;
esac
