"""Drive Django (auth, contenttypes, simplejwt's token_blacklist) against a test database.

The Go tests in package models run this with /usr/bin/python3 to check that the Go code and
Django read and write the same tables. Configuration comes from the environment:

    SJ_DB_ENGINE   sqlite3 | postgresql | mysql
    SJ_DB_NAME     file path (sqlite3) or database name
    SJ_DB_HOST, SJ_DB_PORT, SJ_DB_USER, SJ_DB_PASSWORD   (postgresql, mysql)

Commands (one per run; results are JSON on stdout):

    migrate [app]                 call_command("migrate")
    showmigrations                {"app": {"name": applied?}} for the three apps
    plan                          migrations "migrate" would apply, as ["app.name", ...]
    create-user NAME PASSWORD [inactive]
    authenticate NAME PASSWORD    {"ok": bool, "id": pk}
    outstanding JTI               the OutstandingToken row, or null
    blacklisted JTI               whether a BlacklistedToken row exists
    outstand JTI USER_PK EXP_UNIX create an OutstandingToken row through the ORM
    flush                         call_command("flushexpiredtokens")
    delete-user PK                User.objects.get(pk=PK).delete()
"""
import io
import json
import os
import sys

import django
from django.conf import settings

ENGINE = os.environ.get("SJ_DB_ENGINE", "sqlite3")
DB = {
    "ENGINE": "django.db.backends." + ENGINE,
    "NAME": os.environ["SJ_DB_NAME"],
}
for key in ("HOST", "PORT", "USER", "PASSWORD"):
    if os.environ.get("SJ_DB_" + key):
        DB[key] = os.environ["SJ_DB_" + key]

settings.configure(
    DEBUG=False,
    SECRET_KEY="test-only-not-secret",
    USE_TZ=True,
    TIME_ZONE="UTC",
    DATABASES={"default": DB},
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "rest_framework_simplejwt.token_blacklist",
    ],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from datetime import datetime, timezone  # noqa: E402

from django.contrib.auth import authenticate, get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402

APPS = ("contenttypes", "auth", "token_blacklist")


def out(value):
    json.dump(value, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


def main(argv):
    cmd, args = argv[0], argv[1:]
    if cmd == "migrate":
        buf = io.StringIO()
        call_command("migrate", *args, interactive=False, verbosity=1, stdout=buf)
        out({"output": buf.getvalue()})
    elif cmd == "showmigrations":
        executor = MigrationExecutor(connection)
        applied = MigrationRecorder(connection).applied_migrations()
        result = {}
        for app, name in executor.loader.graph.nodes:
            if app in APPS:
                result.setdefault(app, {})[name] = (app, name) in applied
        out(result)
    elif cmd == "plan":
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        out([m.app_label + "." + m.name for m, backwards in plan])
    elif cmd == "create-user":
        User = get_user_model()
        user = User.objects.create_user(username=args[0], password=args[1])
        if len(args) > 2 and args[2] == "inactive":
            user.is_active = False
            user.save()
        out({"id": user.pk, "password": user.password})
    elif cmd == "authenticate":
        user = authenticate(username=args[0], password=args[1])
        out({"ok": user is not None, "id": user.pk if user else None})
    elif cmd in ("outstanding", "blacklisted"):
        from rest_framework_simplejwt.token_blacklist.models import (
            BlacklistedToken,
            OutstandingToken,
        )

        if cmd == "blacklisted":
            out(BlacklistedToken.objects.filter(token__jti=args[0]).exists())
            return
        tok = OutstandingToken.objects.filter(jti=args[0]).first()
        if tok is None:
            out(None)
            return
        out(
            {
                "id": tok.id,
                "user_id": tok.user_id,
                "jti": tok.jti,
                "token": tok.token,
                "created_at": tok.created_at.isoformat() if tok.created_at else None,
                "expires_at": tok.expires_at.isoformat(),
            }
        )
    elif cmd == "outstand":
        from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

        user_pk = int(args[1]) if args[1] != "" else None
        tok = OutstandingToken.objects.create(
            jti=args[0],
            user_id=user_pk,
            token="django-made",
            created_at=datetime.now(timezone.utc),
            expires_at=datetime.fromtimestamp(int(args[2]), timezone.utc),
        )
        out({"id": tok.id})
    elif cmd == "flush":
        call_command("flushexpiredtokens")
        out({"ok": True})
    elif cmd == "delete-user":
        get_user_model().objects.get(pk=int(args[0])).delete()
        out({"ok": True})
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
