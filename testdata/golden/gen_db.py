#!/usr/bin/python3
"""Capture what simplejwt 5.2.2 / Django 3.2 write into a shared SQLite database.

    /usr/bin/python3 testdata/golden/gen_db.py      # rewrites db_sqlite.json

Migrates a temporary SQLite file through testdata/djangoproject, then, with the
clock frozen (simplejwt, PyJWT and django.utils.timezone.now) at goldenlib.NOW:
creates alice, obtains a pair, blacklists the refresh token, rotates another
refresh token with BLACKLIST_AFTER_ROTATION (so the rotated-away token is
blacklisted and the new one has no row), blacklists the rotated one (a row
without user and created_at), and records:
  * the CREATE statements of the tables a Go service shares (sqlite_master.sql),
  * the django_migrations rows (app, name) that Django expects,
  * every row of the token_blacklist tables and the auth_user row, as stored
    (SQLite typeof() and the raw text), so the Go side can write byte-identical
    values (note: whole-second datetimes are stored without a fraction).
"""

import json
import os
import shutil
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import goldenlib  # noqa: E402

TABLES = [
    "auth_user",
    "token_blacklist_outstandingtoken",
    "token_blacklist_blacklistedtoken",
    "django_migrations",
]


def main():
    tmp = tempfile.mkdtemp(prefix="golden-db-")
    db_path = os.path.join(tmp, "db.sqlite3")
    try:
        os.environ.update(
            {
                "DATABASE_URL": "sqlite:///" + db_path,
                "DJANGO_SECRET_KEY": "golden-django-secret-key-0123456789abcdef-not-the-jwt-key",
                "DJANGO_SETTINGS_MODULE": "refproject.settings",
                "DJANGO_LOG_LEVEL": "CRITICAL",
                "REFPROJECT_QUIET": "1",
                "SIMPLE_JWT_SIGNING_KEY": goldenlib.SIGNING_KEY,
                "SIMPLE_JWT_ROTATE_REFRESH_TOKENS": "true",
                "SIMPLE_JWT_BLACKLIST_AFTER_ROTATION": "true",
            }
        )
        sys.path.insert(0, goldenlib.DJANGOPROJECT)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client
        import django.utils.timezone as dj_tz

        call_command("migrate", verbosity=0, interactive=False)
        clock = goldenlib.FixedClock()
        clock.install()
        dj_tz.now = clock
        goldenlib.JtiSource(seed="golden-db").install()

        # a fixed salt so that the password column is reproducible too
        from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

        User = get_user_model()
        alice = User.objects.create_user("alice", password=None)
        alice.password = make_password("alice-password-1", salt="goldensalt0123456789ab",
                                       hasher=PBKDF2PasswordHasher())
        alice.date_joined = clock()
        alice.save()

        c = Client(HTTP_HOST="127.0.0.1:8000")
        pair = c.post("/api/token/", {"username": "alice", "password": "alice-password-1"},
                      content_type="application/json").json()
        steps = ["POST /api/token/ (alice)"]
        c.post("/api/token/blacklist/", {"refresh": pair["refresh"]}, content_type="application/json")
        steps.append("POST /api/token/blacklist/ (that refresh token)")
        clock.advance(60)
        pair2 = c.post("/api/token/", {"username": "alice", "password": "alice-password-1"},
                       content_type="application/json").json()
        steps.append("POST /api/token/ (alice) at now+60")
        rotated = c.post("/api/token/refresh/", {"refresh": pair2["refresh"]},
                         content_type="application/json").json()
        steps.append("POST /api/token/refresh/ with ROTATE+BLACKLIST_AFTER_ROTATION: the old refresh "
                     "token is blacklisted, the new one gets no outstanding row")
        clock.advance(60)
        c.post("/api/token/blacklist/", {"refresh": rotated["refresh"]}, content_type="application/json")
        steps.append("POST /api/token/blacklist/ (the rotated refresh token) at now+120: the "
                     "outstanding row is created with user_id NULL and created_at NULL")
        from django.db import connection

        connection.close()

        con = sqlite3.connect(db_path)
        schema = {
            name: sql
            for name, sql in con.execute(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('table','index') "
                "AND sql IS NOT NULL ORDER BY name"
            )
            if any(name == t or name.startswith(t + "_") or t in name for t in TABLES)
        }
        migrations = [
            list(r)
            for r in con.execute("SELECT app, name FROM django_migrations ORDER BY id")
        ]

        def rows(table, order="id"):
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            sel = ", ".join(f'"{c}", typeof("{c}")' for c in cols)
            out = []
            for r in con.execute(f"SELECT {sel} FROM {table} ORDER BY {order}"):
                out.append({cols[i]: {"type": r[2 * i + 1], "value": r[2 * i]} for i in range(len(cols))})
            return out

        doc = {
            "about": (
                "Rows and schema written by Django 3.2 + simplejwt 5.2.2 into SQLite, regenerated "
                "with `/usr/bin/python3 testdata/golden/gen_db.py`. Clock frozen at 'now' "
                "(simplejwt, PyJWT, django.utils.timezone.now); alice's password hashed with a fixed "
                "salt. Values are as stored (typeof() and raw value)."
            ),
            "versions": goldenlib.versions(),
            "now": goldenlib.NOW,
            "now_microseconds": goldenlib.NOW_MICROSECONDS,
            "settings": {"ROTATE_REFRESH_TOKENS": "true", "BLACKLIST_AFTER_ROTATION": "true",
                         "SIGNING_KEY": goldenlib.SIGNING_KEY},
            "steps": steps,
            "notes": [
                "Datetimes are TEXT in UTC, 'YYYY-MM-DD HH:MM:SS[.ffffff]' with a space and no zone; "
                "the fraction is omitted when the microseconds are 0 (str(datetime)), so expires_at "
                "(whole seconds from exp) has no fraction.",
                "auth_user.id is an integer AUTOINCREMENT; token_blacklist ids are integer "
                "AUTOINCREMENT too on SQLite (bigint on PostgreSQL).",
                "5.2.2 migrations stop at token_blacklist 0012 (there is no 0009; 0013 came with "
                "5.5.1). Extra applied rows unknown to Django are ignored by its migrate.",
            ],
            "schema": schema,
            "django_migrations": migrations,
            "auth_user": rows("auth_user"),
            "token_blacklist_outstandingtoken": rows("token_blacklist_outstandingtoken"),
            "token_blacklist_blacklistedtoken": rows("token_blacklist_blacklistedtoken"),
        }
        con.close()
        goldenlib.dump_json(os.path.join(HERE, "db_sqlite.json"), doc)
        print(
            f"db_sqlite.json: {len(doc['token_blacklist_outstandingtoken'])} outstanding, "
            f"{len(doc['token_blacklist_blacklistedtoken'])} blacklisted rows",
            file=sys.stderr,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
