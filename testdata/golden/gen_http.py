#!/usr/bin/python3
"""Capture HTTP answers of the real djangorestframework-simplejwt (Debian's 5.2.2).

    /usr/bin/python3 testdata/golden/gen_http.py        # rewrites http.json

Drives testdata/djangoproject (the reference Django project) in-process with
Django's test Client against a temporary SQLite database. Each settings mode runs
in its own Python process, because simplejwt reads its settings at import time.

Fixed inputs: users alice (active, "alice-password-1"), bob (inactive,
"bob-password-1"), carol (active, deleted after her tokens are minted);
SIMPLE_JWT_SIGNING_KEY = goldenlib.SIGNING_KEY; the clock (simplejwt and PyJWT)
frozen at goldenlib.NOW; uuid4 replaced by a generator seeded per mode. So every
token, and the whole file, is the same on every run.

For each case the file records the request (method, path, headers, body), the
status, the headers that matter (Content-Type, WWW-Authenticate, Allow, Vary)
and the exact body. JWTs inside bodies and headers are replaced by "<jwt>"; the
replaced tokens are listed (with their decoded header and payload) in
"response_jwts" / "request_jwts".
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import goldenlib  # noqa: E402

PY = "/usr/bin/python3"
DJANGO_SECRET_KEY = "golden-django-secret-key-0123456789abcdef-not-the-jwt-key"
ALICE_PW = "alice-password-1"
BOB_PW = "bob-password-1"
CAROL_PW = "carol-password-1"
WRONG_KEY = "some-other-signing-key-0123456789abcdef"

MAIN_SUITES = [
    "obtain",
    "obtain_sliding",
    "refresh",
    "sliding_refresh",
    "verify",
    "blacklist",
    "protected",
    "stateless",
]

MODES = [
    {
        "mode": "default",
        "settings": {},
        "suites": MAIN_SUITES,
        "description": "simplejwt defaults (blacklist app installed)",
    },
    {
        "mode": "rotate",
        "settings": {"ROTATE_REFRESH_TOKENS": "true"},
        "suites": MAIN_SUITES,
        "description": "ROTATE_REFRESH_TOKENS=true",
    },
    {
        "mode": "rotate_blacklist",
        "settings": {"ROTATE_REFRESH_TOKENS": "true", "BLACKLIST_AFTER_ROTATION": "true"},
        "suites": MAIN_SUITES,
        "description": "ROTATE_REFRESH_TOKENS=true and BLACKLIST_AFTER_ROTATION=true",
    },
    {
        "mode": "auth_classes_access_sliding",
        "settings": {"AUTH_TOKEN_CLASSES": "AccessToken,SlidingToken"},
        "suites": ["protected", "stateless"],
        "description": "AUTH_TOKEN_CLASSES=AccessToken,SlidingToken (REFERENCE section 8)",
    },
    {
        "mode": "auth_classes_sliding_access",
        "settings": {"AUTH_TOKEN_CLASSES": "SlidingToken,AccessToken"},
        "suites": ["protected"],
        "description": "AUTH_TOKEN_CLASSES=SlidingToken,AccessToken (REFERENCE section 3, "
        "several AUTH_TOKEN_CLASSES)",
    },
    {
        "mode": "no_blacklist_app",
        "settings": {"ROTATE_REFRESH_TOKENS": "true", "BLACKLIST_AFTER_ROTATION": "true"},
        "env": {"REFPROJECT_BLACKLIST_APP": "false"},
        "suites": ["no_blacklist_app"],
        "description": "rest_framework_simplejwt.token_blacklist NOT in INSTALLED_APPS, with "
        "ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION on: blacklisting silently does nothing",
    },
]

JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
RECORDED_HEADERS = ("Content-Type", "WWW-Authenticate", "Allow", "Vary")

# 5.2.2 has one message for every decode failure; 5.5+ splits it.
OLD_INVALID = "Token is invalid or expired"


# --------------------------------------------------------------------------
# child process


class Recorder:
    def __init__(self, mode, client, db_helpers):
        self.mode = mode
        self.client = client
        self.cases = []
        self.ids = set()
        self.db = db_helpers

    def _jwts(self, text):
        out = []
        for tok in JWT_RE.findall(text):
            try:
                header_json, payload_json = goldenlib.split_jwt(tok)
            except Exception:  # not a JWT after all
                continue
            out.append({"token": tok, "header_json": header_json, "payload_json": payload_json})
        return out

    @staticmethod
    def _mask(text):
        return JWT_RE.sub("<jwt>", text)

    def case(
        self,
        cid,
        ref,
        method,
        path,
        *,
        json_body=None,
        raw_body=None,
        content_type=None,
        auth=None,
        accept=None,
        expired=False,
        newest=None,
        note=None,
        request_note=None,
        observe=None,
    ):
        """Send one request and record it.

        json_body: a Python object sent as compact JSON (application/json).
        raw_body:  bytes/str sent as is with content_type.
        auth:      the Authorization header value (None = no header).
        expired:   the token is expired (for the 5.5+ message split).
        newest:    dict(status=..., body=...) when newest simplejwt answers differently
                   and the difference is not the plain message split.
        observe:   callable() -> dict of database facts recorded after the request.
        """
        assert cid not in self.ids, cid
        self.ids.add(cid)
        headers = {}
        extra = {}
        body = b""
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False).encode()
            content_type = content_type or "application/json"
        elif raw_body is not None:
            body = raw_body.encode() if isinstance(raw_body, str) else raw_body
        if content_type is not None:
            headers["Content-Type"] = content_type
        if auth is not None:
            extra["HTTP_AUTHORIZATION"] = auth
            headers["Authorization"] = auth
        if accept is not None:
            extra["HTTP_ACCEPT"] = accept
            headers["Accept"] = accept
        if body or content_type is not None:
            resp = self.client.generic(
                method, path, data=body, content_type=content_type or "", **extra
            )
        else:
            resp = self.client.generic(method, path, **extra)

        resp_text = resp.content.decode("utf-8")
        req_text = body.decode("utf-8", errors="replace")
        request = {"method": method, "path": path, "headers": self._mask_headers(headers)}
        if body:
            try:
                request["body"] = self._mask(body.decode("utf-8"))
            except UnicodeDecodeError:
                request["body_hex"] = body.hex()
        request_jwts = self._jwts(req_text) + self._jwts(auth or "")
        record = {
            "id": f"{self.mode}/{cid}",
            "mode": self.mode,
            "ref": ref,
            "request": request,
        }
        if request_note:
            record["request_note"] = request_note
        if request_jwts:
            record["request_jwts"] = request_jwts
        record["status"] = resp.status_code
        record["headers"] = {h: resp[h] for h in RECORDED_HEADERS if resp.has_header(h)}
        record["body"] = self._mask(resp_text)
        response_jwts = self._jwts(resp_text)
        record["body_has_jwt"] = bool(response_jwts)
        if response_jwts:
            try:
                parsed = json.loads(resp_text)
                fields = [k for k, v in parsed.items() if isinstance(v, str) and JWT_RE.fullmatch(v)]
            except Exception:
                fields = []
            for f, j in zip(fields, response_jwts):
                j["field"] = f
            record["response_jwts"] = response_jwts
        newest_body = None
        if OLD_INVALID in resp_text:
            newest_body = record["body"].replace(
                OLD_INVALID, "Token is expired" if expired else "Token is invalid"
            )
        if newest is not None:
            record["newest"] = newest
        elif newest_body is not None:
            record["newest"] = {"status": resp.status_code, "body": newest_body}
        if note:
            record["note"] = note
        if observe is not None:
            record["db"] = observe()
        self.cases.append(record)
        return resp

    @staticmethod
    def _mask_headers(headers):
        return {k: JWT_RE.sub("<jwt>", v) for k, v in headers.items()}


def child(mode_name):
    mode = next(m for m in MODES if m["mode"] == mode_name)
    tmp = tempfile.mkdtemp(prefix="golden-http-")
    try:
        os.environ.update(
            {
                "DATABASE_URL": "sqlite:///" + os.path.join(tmp, "db.sqlite3"),
                "DJANGO_SECRET_KEY": DJANGO_SECRET_KEY,
                "DJANGO_SETTINGS_MODULE": "refproject.settings",
                "DJANGO_LOG_LEVEL": "CRITICAL",
                "REFPROJECT_QUIET": "1",
                "SIMPLE_JWT_SIGNING_KEY": goldenlib.SIGNING_KEY,
            }
        )
        for k, v in mode["settings"].items():
            os.environ["SIMPLE_JWT_" + k] = v
        os.environ.update(mode.get("env", {}))
        sys.path.insert(0, goldenlib.DJANGOPROJECT)
        return run_mode(mode)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_mode(mode):
    import logging

    import django

    django.setup()
    logging.getLogger("django").setLevel(logging.CRITICAL)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)

    clock = goldenlib.FixedClock()
    clock.install()
    jtis = goldenlib.JtiSource(seed="golden-http:" + mode["mode"])
    jtis.install()

    User = get_user_model()
    alice = User.objects.create_user("alice", password=ALICE_PW)
    bob = User.objects.create_user("bob", password=BOB_PW, is_active=False)
    carol = User.objects.create_user("carol", password=CAROL_PW)

    blacklist_installed = "rest_framework_simplejwt.token_blacklist" in settings.INSTALLED_APPS

    def db_rows(jti):
        if not blacklist_installed:
            return {"blacklist_app_installed": False}
        from rest_framework_simplejwt.token_blacklist.models import (
            BlacklistedToken,
            OutstandingToken,
        )

        row = OutstandingToken.objects.filter(jti=jti).first()
        return {
            "outstanding_row": None
            if row is None
            else {
                "user_id": row.user_id,
                "created_at_is_null": row.created_at is None,
                "expires_at": row.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
            },
            "blacklisted": BlacklistedToken.objects.filter(token__jti=jti).exists(),
        }

    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1:8000")
    r = Recorder(mode["mode"], client, db_rows)
    t = Tokens(clock, alice, bob, carol)
    ctx = {
        "r": r,
        "t": t,
        "clock": clock,
        "mode": mode,
        "settings": settings,
        "db_rows": db_rows,
        "blacklist_installed": blacklist_installed,
    }
    for suite in mode["suites"]:
        SUITES[suite](ctx)
    return r.cases


class Tokens:
    """Token factory using the real simplejwt classes (and PyJWT for forgeries)."""

    def __init__(self, clock, alice, bob, carol):
        self.clock = clock
        self.alice, self.bob, self.carol = alice, bob, carol

    def mint(self, kind, user=None, *, at=None, mutate=None, pair_access=False):
        from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, SlidingToken

        cls = {"access": AccessToken, "refresh": RefreshToken, "sliding": SlidingToken}[kind]
        saved = self.clock.now
        if at is not None:
            self.clock.set(at, goldenlib.NOW_MICROSECONDS)
        try:
            token = cls.for_user(user or self.alice)
            if pair_access:
                token = token.access_token
            if mutate is not None:
                mutate(token)
            return str(token)
        finally:
            self.clock.now = saved

    def payload(self, kind="access", user=None):
        return json.loads(goldenlib.split_jwt(self.mint(kind, user))[1])

    @staticmethod
    def forge(payload, key=goldenlib.SIGNING_KEY, algorithm="HS256", headers=None):
        import jwt

        return jwt.encode(payload, key, algorithm=algorithm, headers=headers)

    @staticmethod
    def jti_of(token):
        return json.loads(goldenlib.split_jwt(token)[1]).get("jti")


def _drop(claim):
    def mutate(tok):
        del tok[claim]

    return mutate


def _set(claim, value):
    def mutate(tok):
        tok[claim] = value

    return mutate


# --------------------------------------------------------------------------
# suites


def suite_obtain(ctx, path="/api/token/", ref="§3 Obtain pair", prefix="obtain"):
    r = ctx["r"]
    sliding = path.endswith("/sliding/")
    r.case(
        f"{prefix}/success",
        f"{ref}: success",
        "POST",
        path,
        json_body={"username": "alice", "password": ALICE_PW},
        note=None if sliding else "key order: refresh, access",
        observe=None
        if not ctx["blacklist_installed"]
        else lambda: {"outstanding_rows": _outstanding_count()},
    )
    r.case(
        f"{prefix}/wrong_password",
        f"{ref}: wrong password",
        "POST",
        path,
        json_body={"username": "alice", "password": "wrong-password"},
    )
    r.case(
        f"{prefix}/unknown_user",
        f"{ref}: unknown user",
        "POST",
        path,
        json_body={"username": "nobody", "password": ALICE_PW},
    )
    r.case(
        f"{prefix}/inactive_user",
        f"{ref}: inactive user",
        "POST",
        path,
        json_body={"username": "bob", "password": BOB_PW},
        note="Django's ModelBackend refuses inactive users, so this is the same answer as a wrong password",
    )
    r.case(f"{prefix}/empty_object", f"{ref}: {{}}", "POST", path, json_body={})
    r.case(
        f"{prefix}/blank_strings",
        f"{ref}: blank strings",
        "POST",
        path,
        json_body={"username": "", "password": ""},
    )
    r.case(
        f"{prefix}/password_null",
        f'{ref}: "password": null',
        "POST",
        path,
        json_body={"username": "alice", "password": None},
    )
    r.case(
        f"{prefix}/both_null",
        "§8 {username: null, password: null}",
        "POST",
        path,
        json_body={"username": None, "password": None},
    )
    r.case(
        f"{prefix}/username_missing",
        f"{ref}: only the missing field is listed",
        "POST",
        path,
        json_body={"password": ALICE_PW},
    )
    r.case(
        f"{prefix}/username_number",
        f"{ref}: non-string username (a number is coerced to a string)",
        "POST",
        path,
        json_body={"username": 12345, "password": ALICE_PW},
    )
    r.case(
        f"{prefix}/username_list",
        f"{ref}: non-string username (list)",
        "POST",
        path,
        json_body={"username": ["alice"], "password": ALICE_PW},
    )
    r.case(
        f"{prefix}/username_bool",
        f"{ref}: non-string username (boolean)",
        "POST",
        path,
        json_body={"username": True, "password": ALICE_PW},
    )
    r.case(
        f"{prefix}/username_padded",
        f"{ref}: surrounding whitespace is trimmed (CharField trim_whitespace)",
        "POST",
        path,
        json_body={"username": "  alice ", "password": ALICE_PW},
    )
    r.case(
        f"{prefix}/password_padded",
        f"{ref}: PasswordField keeps trim_whitespace=True",
        "POST",
        path,
        json_body={"username": "alice", "password": " " + ALICE_PW + "\t"},
        note="the password is stripped before checking, so a padded correct password logs in",
    )
    r.case(
        f"{prefix}/username_wrong_case",
        f"{ref}: username lookup is case-sensitive",
        "POST",
        path,
        json_body={"username": "Alice", "password": ALICE_PW},
    )
    r.case(
        f"{prefix}/extra_fields",
        f"{ref}: unknown fields are ignored",
        "POST",
        path,
        json_body={"username": "alice", "password": ALICE_PW, "extra": 1},
    )
    # invalid JSON and other bodies
    for cid, raw in [
        ("invalid_json_truncated", '{"username": "alice",'),
        ("invalid_json_garbage", "not json"),
        ("invalid_json_single_quotes", "{'username': 'alice'}"),
        ("invalid_json_trailing_comma", '{"username":"alice","password":"x",}'),
        ("invalid_json_nan", '{"username":"alice","password":NaN}'),
        ("invalid_json_bad_utf8", b'{"username":"\xff"}'),
    ]:
        r.case(
            f"{prefix}/{cid}",
            f"{ref}: invalid JSON",
            "POST",
            path,
            raw_body=raw,
            content_type="application/json",
            note="the text after 'JSON parse error - ' is Python's json/codec error message",
        )
    r.case(
        f"{prefix}/json_array",
        f"{ref}: JSON array instead of an object",
        "POST",
        path,
        raw_body="[]",
        content_type="application/json",
    )
    r.case(
        f"{prefix}/json_string",
        f"{ref}: JSON string instead of an object",
        "POST",
        path,
        raw_body='"alice"',
        content_type="application/json",
    )
    r.case(
        f"{prefix}/json_null",
        f"{ref}: JSON null body",
        "POST",
        path,
        raw_body="null",
        content_type="application/json",
    )
    r.case(
        f"{prefix}/empty_body_json",
        f"{ref}: empty body with Content-Type application/json",
        "POST",
        path,
        content_type="application/json",
    )
    r.case(f"{prefix}/empty_body_no_content_type", f"{ref}: empty body, no Content-Type", "POST", path)
    r.case(
        f"{prefix}/json_charset",
        f"{ref}: application/json; charset=utf-8",
        "POST",
        path,
        raw_body=json.dumps({"username": "alice", "password": ALICE_PW}),
        content_type="application/json; charset=utf-8",
    )
    r.case(
        f"{prefix}/text_plain",
        "§8 POST with Content-Type text/plain",
        "POST",
        path,
        raw_body=json.dumps({"username": "alice", "password": ALICE_PW}),
        content_type="text/plain",
    )
    r.case(
        f"{prefix}/octet_stream",
        "§8 415 for another media type",
        "POST",
        path,
        raw_body="x",
        content_type="application/octet-stream",
    )
    r.case(
        f"{prefix}/form_urlencoded",
        f"{ref}: form-urlencoded success",
        "POST",
        path,
        raw_body=f"username=alice&password={ALICE_PW}",
        content_type="application/x-www-form-urlencoded",
    )
    boundary = "golden-boundary-7MA4YWxkTrZu0gW"
    multipart = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="username"\r\n\r\n'
        "alice\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="password"\r\n\r\n'
        f"{ALICE_PW}\r\n"
        f"--{boundary}--\r\n"
    )
    r.case(
        f"{prefix}/multipart",
        f"{ref}: multipart/form-data success",
        "POST",
        path,
        raw_body=multipart,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    r.case(
        f"{prefix}/form_wrong_password",
        f"{ref}: form-urlencoded wrong password",
        "POST",
        path,
        raw_body="username=alice&password=nope",
        content_type="application/x-www-form-urlencoded",
    )
    r.case(f"{prefix}/get", f"{ref}: GET", "GET", path)
    r.case(f"{prefix}/put", f"{ref}: PUT (405)", "PUT", path, json_body={})
    r.case(f"{prefix}/delete", f"{ref}: DELETE (405)", "DELETE", path)
    r.case(f"{prefix}/options", "§8 OPTIONS metadata", "OPTIONS", path)


def _outstanding_count():
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    return OutstandingToken.objects.count()


def suite_obtain_sliding(ctx):
    suite_obtain(ctx, path="/api/token/sliding/", ref="§3 Obtain sliding", prefix="obtain_sliding")


def _token_body_cases(ctx, path, field, ref, prefix):
    """{} / "" / null / non-string for a one-field token body."""
    r = ctx["r"]
    r.case(f"{prefix}/empty_object", f"{ref}: {{}}", "POST", path, json_body={})
    r.case(f"{prefix}/blank", f'{ref}: ""', "POST", path, json_body={field: ""})
    r.case(f"{prefix}/null", f"{ref}: null", "POST", path, json_body={field: None})
    r.case(
        f"{prefix}/number",
        f"{ref}: a number is coerced to a string, then fails to decode",
        "POST",
        path,
        json_body={field: 123},
    )
    r.case(f"{prefix}/list", f"{ref}: non-string", "POST", path, json_body={field: ["x"]})
    r.case(f"{prefix}/object", f"{ref}: non-string", "POST", path, json_body={field: {"a": 1}})
    r.case(f"{prefix}/garbage", f"{ref}: garbage", "POST", path, json_body={field: "garbage"})
    r.case(f"{prefix}/get", f"{ref}: GET", "GET", path)
    r.case(f"{prefix}/options", "§8 OPTIONS metadata", "OPTIONS", path)


def suite_refresh(ctx):
    r, t, mode = ctx["r"], ctx["t"], ctx["mode"]["mode"]
    ref = "§3 Refresh"
    path = "/api/token/refresh/"
    rotate = mode in ("rotate", "rotate_blacklist")
    blacklist_after = mode == "rotate_blacklist"

    refresh = t.mint("refresh")
    resp = r.case(
        "refresh/ok",
        f"{ref}: ok" + (" with ROTATE_REFRESH_TOKENS" if rotate else ""),
        "POST",
        path,
        json_body={"refresh": refresh},
        note=(
            "the access token copies the refresh token's iat (5.2.2); key order access, refresh"
            if rotate
            else "the access token copies the refresh token's iat (5.2.2)"
        ),
        observe=lambda: {"submitted": ctx["db_rows"](t.jti_of(refresh))},
        newest=None,
    )
    if rotate:
        new_refresh = json.loads(resp.content)["refresh"]
        r.cases[-1]["db"]["rotated"] = ctx["db_rows"](t.jti_of(new_refresh))
        r.cases[-1]["newest"] = {
            "status": 200,
            "body": r.cases[-1]["body"],
            "note": "5.5+: the rotated refresh token gets an OutstandingToken row (PR #866); "
            "5.5.1+: the access token gets its own iat",
        }
        r.case(
            "refresh/reuse_rotated_away",
            f"{ref}: the refresh token that was rotated away, submitted again"
            + (" (blacklisted)" if blacklist_after else ""),
            "POST",
            path,
            json_body={"refresh": refresh},
            note="BLACKLIST_AFTER_ROTATION blacklisted it"
            if blacklist_after
            else "without BLACKLIST_AFTER_ROTATION the old token stays valid",
        )
        r.case(
            "refresh/with_rotated_token",
            f"{ref}: the new (rotated) refresh token works",
            "POST",
            path,
            json_body={"refresh": new_refresh},
            observe=lambda: {"submitted": ctx["db_rows"](t.jti_of(new_refresh))},
            note="5.2.2: a rotated refresh token has no outstanding row until it is blacklisted"
            + ("; blacklist() then creates one with user NULL and created_at NULL" if blacklist_after else ""),
        )
    else:
        r.cases[-1]["newest"] = {
            "status": 200,
            "body": r.cases[-1]["body"],
            "note": "5.5.1+: the access token gets its own iat instead of the refresh token's",
        }

    r.case(
        "refresh/access_token",
        f"{ref}: access token submitted",
        "POST",
        path,
        json_body={"refresh": t.mint("access")},
    )
    r.case(
        "refresh/sliding_token",
        f"{ref}: sliding token submitted (wrong type)",
        "POST",
        path,
        json_body={"refresh": t.mint("sliding")},
    )
    r.case(
        "refresh/bad_signature",
        f"{ref}: bad signature",
        "POST",
        path,
        json_body={"refresh": t.forge(t.payload("refresh"), key=WRONG_KEY)},
    )
    r.case(
        "refresh/expired",
        f"{ref}: expired",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", at=goldenlib.NOW - 2 * 86400)},
        expired=True,
    )
    bl = t.mint("refresh")
    r.case(
        "refresh/blacklist_first",
        "§3 Blacklist: ok (setup for the next case)",
        "POST",
        "/api/token/blacklist/",
        json_body={"refresh": bl},
    )
    r.case(
        "refresh/blacklisted",
        f"{ref}: blacklisted (after /blacklist/)",
        "POST",
        path,
        json_body={"refresh": bl},
    )
    r.case(
        "refresh/user_inactive",
        f"{ref}: user inactive",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", t.bob)},
        request_note="RefreshToken.for_user(bob), bob inactive",
        newest={
            "status": 401,
            "body": '{"detail":"No active account found for the given token."}',
            "note": "5.4+ checks the user on refresh (PR #814)",
        },
    )
    if not getattr(t, "_carol_deleted", False):
        t.carol_refresh = t.mint("refresh", t.carol)
        t.carol_access = t.mint("access", t.carol)
        t.carol_sliding = t.mint("sliding", t.carol)
        t.carol.delete()
        t._carol_deleted = True
    r.case(
        "refresh/user_deleted",
        f"{ref}: user deleted",
        "POST",
        path,
        json_body={"refresh": t.carol_refresh},
        request_note="RefreshToken.for_user(carol), then carol was deleted",
        newest={
            "status": 401,
            "body": '{"detail":"No active account found for the given token."}',
            "note": "5.4.0-5.5.1: HTTP 500 (unhandled User.DoesNotExist); HEAD: 401",
        },
    )
    r.case(
        "refresh/no_jti",
        "§8 refresh token without jti (blacklist app installed)",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", mutate=_drop("jti"))},
        note="simplejwt crashes (KeyError in check_blacklist), still on master; a careful port "
        "answers 401 token_not_valid",
    )
    r.case(
        "refresh/no_exp",
        f"{ref}: no exp claim",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", mutate=_drop("exp"))},
    )
    r.case(
        "refresh/no_type",
        f"{ref}: no token_type claim",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", mutate=_drop("token_type"))},
    )
    _token_body_cases(ctx, path, "refresh", ref, "refresh")


def suite_sliding_refresh(ctx):
    r, t = ctx["r"], ctx["t"]
    ref = "§3 Sliding refresh"
    path = "/api/token/sliding/refresh/"
    r.case(
        "sliding_refresh/ok",
        f"{ref}: ok",
        "POST",
        path,
        json_body={"token": t.mint("sliding")},
        note="same jti and refresh_exp, new exp/iat (the clock is frozen, so they equal the old ones here)",
    )
    r.case(
        "sliding_refresh/wrong_type",
        f"{ref}: wrong type (refresh token)",
        "POST",
        path,
        json_body={"token": t.mint("refresh")},
    )
    r.case(
        "sliding_refresh/access_token",
        f"{ref}: wrong type (access token)",
        "POST",
        path,
        json_body={"token": t.mint("access")},
    )
    r.case(
        "sliding_refresh/refresh_exp_passed",
        f"{ref}: refresh_exp passed",
        "POST",
        path,
        json_body={"token": t.mint("sliding", mutate=_set("refresh_exp", goldenlib.NOW - 10))},
    )
    r.case(
        "sliding_refresh/no_refresh_exp",
        f"{ref}: no refresh_exp",
        "POST",
        path,
        json_body={"token": t.mint("sliding", mutate=_drop("refresh_exp"))},
    )
    r.case(
        "sliding_refresh/expired_refresh_exp_future",
        "§8 expired sliding token while refresh_exp is in the future",
        "POST",
        path,
        json_body={"token": t.mint("sliding", mutate=_set("exp", goldenlib.NOW - 10))},
        expired=True,
        note="the exp check (PyJWT) runs before the refresh_exp check",
    )
    if ctx["blacklist_installed"]:
        from rest_framework_simplejwt.tokens import SlidingToken

        s = t.mint("sliding")
        SlidingToken(s).blacklist()
        r.case(
            "sliding_refresh/blacklisted",
            f"{ref}: blacklisted",
            "POST",
            path,
            json_body={"token": s},
            request_note="SlidingToken(token).blacklist() was called in-process",
        )
    r.case(
        "sliding_refresh/user_inactive",
        f"{ref}: user inactive (no user check in 5.2.2 nor 5.5.1)",
        "POST",
        path,
        json_body={"token": t.mint("sliding", t.bob)},
        newest={
            "status": 401,
            "body": '{"detail":"No active account found for the given token."}',
            "note": "5.5.1: 200; HEAD adds the user checks to sliding refresh",
        },
    )
    r.case(
        "sliding_refresh/bad_signature",
        f"{ref}: bad signature",
        "POST",
        path,
        json_body={"token": t.forge(t.payload("sliding"), key=WRONG_KEY)},
    )
    _token_body_cases(ctx, path, "token", ref, "sliding_refresh")


def suite_verify(ctx):
    r, t, mode = ctx["r"], ctx["t"], ctx["mode"]["mode"]
    ref = "§3 Verify"
    path = "/api/token/verify/"
    for kind in ("access", "refresh", "sliding"):
        r.case(
            f"verify/ok_{kind}",
            f"{ref}: ok ({kind})",
            "POST",
            path,
            json_body={"token": t.mint(kind)},
        )
    r.case(
        "verify/bad_signature",
        f"{ref}: invalid (bad signature)",
        "POST",
        path,
        json_body={"token": t.forge(t.payload(), key=WRONG_KEY)},
    )
    r.case(
        "verify/expired",
        f"{ref}: expired",
        "POST",
        path,
        json_body={"token": t.mint("access", at=goldenlib.NOW - 86400)},
        expired=True,
    )
    r.case(
        "verify/alg_none",
        f"{ref}: invalid (alg none)",
        "POST",
        path,
        json_body={"token": t.forge(t.payload(), key=None, algorithm="none")},
    )
    r.case(
        "verify/other_hs_alg",
        f"{ref}: invalid (HS512 with the right key)",
        "POST",
        path,
        json_body={"token": t.forge(t.payload(), algorithm="HS512")},
    )
    r.case(
        "verify/no_jti",
        f"{ref}: no jti",
        "POST",
        path,
        json_body={"token": t.mint("access", mutate=_drop("jti"))},
    )
    r.case(
        "verify/no_exp",
        f"{ref}: no exp",
        "POST",
        path,
        json_body={"token": t.mint("access", mutate=_drop("exp"))},
    )
    r.case(
        "verify/no_type",
        f"{ref}: no token_type (UntypedToken does not check the type)",
        "POST",
        path,
        json_body={"token": t.mint("access", mutate=_drop("token_type"))},
    )
    if ctx["blacklist_installed"]:
        bl = t.mint("refresh")
        r.case(
            "verify/blacklist_first",
            "§3 Blacklist: ok (setup for the next case)",
            "POST",
            "/api/token/blacklist/",
            json_body={"refresh": bl},
        )
        after = mode == "rotate_blacklist"
        r.case(
            "verify/blacklisted",
            f"{ref}: blacklisted, BLACKLIST_AFTER_ROTATION={'True' if after else 'False'}",
            "POST",
            path,
            json_body={"token": bl},
            note="the blacklist is consulted only when BLACKLIST_AFTER_ROTATION is on, and then "
            "the answer is 400, not 401",
        )
    _token_body_cases(ctx, path, "token", ref, "verify")


def suite_blacklist(ctx):
    r, t = ctx["r"], ctx["t"]
    ref = "§3 Blacklist"
    path = "/api/token/blacklist/"
    tok = t.mint("refresh")
    r.case(
        "blacklist/ok",
        f"{ref}: ok",
        "POST",
        path,
        json_body={"refresh": tok},
        observe=lambda: ctx["db_rows"](t.jti_of(tok)),
    )
    r.case("blacklist/again", f"{ref}: same token again", "POST", path, json_body={"refresh": tok})
    r.case(
        "blacklist/access_token",
        f"{ref}: access token",
        "POST",
        path,
        json_body={"refresh": t.mint("access")},
    )
    r.case(
        "blacklist/sliding_token",
        f"{ref}: sliding token (wrong type)",
        "POST",
        path,
        json_body={"refresh": t.mint("sliding")},
    )
    r.case(
        "blacklist/expired",
        f"{ref}: expired refresh token",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", at=goldenlib.NOW - 2 * 86400)},
        expired=True,
    )
    # a refresh token this database never issued (e.g. minted by another service)
    from rest_framework_simplejwt.tokens import RefreshToken

    foreign = RefreshToken()
    foreign["user_id"] = t.alice.pk
    foreign = str(foreign)
    r.case(
        "blacklist/never_issued",
        "§8 blacklisting a refresh token with no outstanding row",
        "POST",
        path,
        json_body={"refresh": foreign},
        request_note="a valid refresh token for alice that has no OutstandingToken row",
        observe=lambda: ctx["db_rows"](t.jti_of(foreign)),
        note="5.2.2 creates the outstanding row without user and without created_at",
        newest={
            "status": 200,
            "body": "{}",
            "note": "5.4+ fills the outstanding row's user from the user_id claim",
        },
    )
    r.case(
        "blacklist/no_jti",
        "§8 refresh token without jti (blacklist app installed)",
        "POST",
        path,
        json_body={"refresh": t.mint("refresh", mutate=_drop("jti"))},
        note="simplejwt crashes (KeyError); a careful port answers 401 token_not_valid",
    )
    _token_body_cases(ctx, path, "refresh", ref, "blacklist")


def suite_protected(ctx):
    r, t, mode = ctx["r"], ctx["t"], ctx["mode"]["mode"]
    ref = "§3 Protected endpoint"
    path = "/api/me/"
    multi = mode.startswith("auth_classes")
    access = t.mint("access")

    def me(cid, title, auth, **kw):
        r.case(f"me/{cid}", f"{ref}: {title}", "GET", path, auth=auth, **kw)

    me("valid", "valid access token", f"Bearer {access}")
    me("no_header", "no header", None)
    me("empty_header", "empty header", "")
    me("whitespace_header", "header of blanks only", "   ")
    me("lowercase_bearer", "other scheme: bearer (case-sensitive)", f"bearer {access}")
    me("uppercase_bearer", "other scheme: BEARER", f"BEARER {access}")
    me("token_scheme", "other scheme: Token", f"Token {access}")
    me("basic_scheme", "other scheme: Basic", "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQtMQ==")
    me("single_garbage_word", "one word that is not a scheme", "garbage")
    me("bearer_alone", "Bearer alone", "Bearer")
    me("bearer_two_values", "Bearer a b", "Bearer a b")
    me("bearer_token_extra", "Bearer <jwt> extra", f"Bearer {access} extra")
    me("bearer_garbage", "garbage token", "Bearer garbage")
    me("bearer_dots", "garbage token with dots", "Bearer a.b.c")
    me("tab_separator", "tab separator (bytes.split)", f"Bearer\t{access}")
    me("double_space", "double space", f"Bearer  {access}")
    me("leading_space", "leading space", f" Bearer {access}")
    me("trailing_space", "trailing space", f"Bearer {access} ")
    me("bad_signature", "bad signature", f"Bearer {t.forge(t.payload(), key=WRONG_KEY)}")
    me("alg_none", "alg none", "Bearer " + t.forge(t.payload(), key=None, algorithm="none"))
    me("other_hs_alg", "other HS alg (HS512, right key)", "Bearer " + t.forge(t.payload(), algorithm="HS512"))
    me("alg_in_header_mismatch", "header alg RS256, HMAC signature",
       "Bearer " + _swap_alg(t.mint("access"), "RS256"))
    p = t.payload()
    p["nbf"] = goldenlib.NOW + 3600
    me("future_nbf", "future nbf", "Bearer " + t.forge(p))
    p = t.payload()
    p["iat"] = goldenlib.NOW + 3600
    me("future_iat", "future iat", "Bearer " + t.forge(p))
    p = t.payload()
    p["iat"] = "yesterday"
    me("string_iat", "non-integer iat", "Bearer " + t.forge(p))
    p = t.payload()
    p["exp"] = "tomorrow"
    me("string_exp", "non-integer exp", "Bearer " + t.forge(p))
    me("expired", "expired", "Bearer " + t.mint("access", at=goldenlib.NOW - 86400), expired=True)
    me("exp_equals_now", "exp == now (expired: exp <= now)",
       "Bearer " + t.mint("access", mutate=_set("exp", goldenlib.NOW)), expired=True)
    me("refresh_token", "refresh token", "Bearer " + t.mint("refresh"))
    me("sliding_token", "sliding token", "Bearer " + t.mint("sliding"))
    me("no_jti", "no jti", "Bearer " + t.mint("access", mutate=_drop("jti")),
       note="with SlidingToken among AUTH_TOKEN_CLASSES this crashes (§8)" if multi else None)
    me("no_type", "no type", "Bearer " + t.mint("access", mutate=_drop("token_type")))
    me("no_exp", "no exp", "Bearer " + t.mint("access", mutate=_drop("exp")))
    me("no_user_id", "no user_id claim", "Bearer " + t.mint("access", mutate=_drop("user_id")))
    me("user_not_found", "user not found", "Bearer " + t.mint("access", mutate=_set("user_id", 999)))
    me("user_inactive", "user inactive", "Bearer " + t.mint("access", t.bob))
    if not getattr(t, "_carol_deleted", False):
        t.carol_refresh = t.mint("refresh", t.carol)
        t.carol_access = t.mint("access", t.carol)
        t.carol_sliding = t.mint("sliding", t.carol)
        t.carol.delete()
        t._carol_deleted = True
    me("user_deleted", "user deleted", "Bearer " + t.carol_access)
    me("user_id_int", "§8 user_id 1 (JSON number)", "Bearer " + t.mint("access", mutate=_set("user_id", 1)))
    me("user_id_string", '§8 user_id "1" (string)', "Bearer " + t.mint("access", mutate=_set("user_id", "1")))
    me("user_id_float", "§8 user_id 1.0", "Bearer " + t.mint("access", mutate=_set("user_id", 1.0)))
    me("user_id_non_numeric", "§8 non-numeric user_id on a DB-backed view",
       "Bearer " + t.mint("access", mutate=_set("user_id", "abc")),
       note="simplejwt crashes (ValueError from the ORM), still on master; the sensible answer "
       "is 401 user_not_found")
    me("aud_present_not_configured", "token with an aud claim, AUDIENCE not set",
       "Bearer " + t.mint("access", mutate=_set("aud", "api")),
       note="PyJWT 2.6 ignores aud when verify_aud is off")
    if multi or ctx["blacklist_installed"]:
        from rest_framework_simplejwt.tokens import SlidingToken

        s = t.mint("sliding")
        if ctx["blacklist_installed"]:
            SlidingToken(s).blacklist()
            me("sliding_blacklisted", "blacklisted sliding token", "Bearer " + s,
               request_note="SlidingToken(token).blacklist() was called in-process")
    if not multi:
        r.case("me/post", "§8 POST on a GET-only protected view", "POST", path,
               auth=f"Bearer {access}", json_body={})
        r.case("me/post_anonymous", "§8 POST without credentials (authentication runs before the method check)",
               "POST", path, json_body={})
        r.case("me/put", "§8 PUT on a GET-only protected view", "PUT", path, auth=f"Bearer {access}",
               json_body={})
        r.case("me/options", "OPTIONS on the protected view (authenticated)", "OPTIONS", path,
               auth=f"Bearer {access}",
               note="name and description come from this project's view class and docstring")
        r.case("me/options_anonymous", "OPTIONS on the protected view without credentials", "OPTIONS", path)


def _swap_alg(token, alg):
    import base64

    h, p, s = token.split(".")
    header = json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode()
    h2 = base64.urlsafe_b64encode(header).rstrip(b"=").decode()
    return ".".join([h2, p, s])


def suite_stateless(ctx):
    r, t = ctx["r"], ctx["t"]
    ref = "§2.4 JWTStatelessUserAuthentication"
    path = "/api/me/stateless/"

    def st(cid, title, auth, **kw):
        r.case(f"stateless/{cid}", f"{ref}: {title}", "GET", path, auth=auth, **kw)

    st("valid", "valid access token (id as a string)", "Bearer " + t.mint("access"),
       note='this project answers {"id": str(token_user.id)} plus "username" when the token has one')
    st("nonexistent_user", "§8 the stateless view answers any user_id, even for unknown users",
       "Bearer " + t.mint("access", mutate=_set("user_id", 424242)))
    st("inactive_user", "no active check", "Bearer " + t.mint("access", t.bob))
    st("string_user_id", "non-numeric user_id is fine without a DB", "Bearer " + t.mint("access", mutate=_set("user_id", "abc")))
    st("username_claim", "username claim present", "Bearer " + t.mint("access", mutate=_set("username", "alice")))
    st("no_user_id", "no user_id claim", "Bearer " + t.mint("access", mutate=_drop("user_id")))
    st("no_header", "no header", None)
    st("expired", "expired", "Bearer " + t.mint("access", at=goldenlib.NOW - 86400), expired=True)
    st("refresh_token", "refresh token", "Bearer " + t.mint("refresh"))
    r.case("stateless/post", f"{ref}: POST (405)", "POST", path, auth="Bearer " + t.mint("access"), json_body={})


def suite_no_blacklist_app(ctx):
    r, t = ctx["r"], ctx["t"]
    ref = "§3 Blacklist"
    r.case("obtain/success", "§3 Obtain pair: success", "POST", "/api/token/",
           json_body={"username": "alice", "password": ALICE_PW})
    tok = t.mint("refresh")
    r.case("blacklist/app_not_installed", f"{ref}: app not installed (silent no-op)", "POST",
           "/api/token/blacklist/", json_body={"refresh": tok})
    r.case("blacklist/app_not_installed_again", f"{ref}: app not installed, same token again", "POST",
           "/api/token/blacklist/", json_body={"refresh": tok})
    r.case("refresh/after_noop_blacklist", "§3 Refresh: ok after a no-op blacklist", "POST",
           "/api/token/refresh/", json_body={"refresh": tok},
           note="ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION are on, but without the app "
           "nothing is blacklisted")
    r.case("refresh/reuse_rotated_away", "§3 Refresh: the rotated-away token still works without the app",
           "POST", "/api/token/refresh/", json_body={"refresh": tok})
    r.case("verify/after_noop_blacklist", "§3 Verify: ok", "POST", "/api/token/verify/",
           json_body={"token": tok})
    s = t.mint("sliding")
    r.case("sliding_refresh/ok", "§3 Sliding refresh: ok", "POST", "/api/token/sliding/refresh/",
           json_body={"token": s})
    r.case("refresh/no_jti", "§8 refresh token without jti, no blacklist app", "POST",
           "/api/token/refresh/", json_body={"refresh": t.mint("refresh", mutate=_drop("jti"))},
           note="without the app, the jti check of Token.verify answers")


SUITES = {
    "obtain": suite_obtain,
    "obtain_sliding": suite_obtain_sliding,
    "refresh": suite_refresh,
    "sliding_refresh": suite_sliding_refresh,
    "verify": suite_verify,
    "blacklist": suite_blacklist,
    "protected": suite_protected,
    "stateless": suite_stateless,
    "no_blacklist_app": suite_no_blacklist_app,
}


# --------------------------------------------------------------------------
# parent


NOTES = [
    "Versions: simplejwt 5.2.2 (Debian bookworm) on Django 3.2 / DRF 3.14 / PyJWT 2.6. The Go port "
    "follows the newest simplejwt; 'newest' gives the newest answer where it differs.",
    '5.2.2 answers every token decode failure with "Token is invalid or expired". 5.5+ says '
    '"Token is expired" for an expired token and "Token is invalid" otherwise (PR #830); the code '
    "stays token_not_valid.",
    "5.2.2 puts integer primary keys into user_id as JSON integers (\"user_id\":1); 5.5.1+ writes "
    "strings (\"user_id\":\"1\"). See response_jwts/request_jwts payload_json.",
    "5.2.2 copies iat from the refresh token into every access token derived from it (the pair "
    "of /api/token/ and the access token of /refresh/); 5.5.1+ gives the access token its own iat.",
    "5.2.2 does not check the user on refresh (inactive or deleted users get 200); 5.4+ answers "
    '401 {"detail":"No active account found for the given token."} (deleted: 500 in 5.4.0-5.5.1).',
    "5.2.2 gives rotated refresh tokens no OutstandingToken row; 5.5+ does. blacklist() of a token "
    "without a row creates one with user NULL and created_at NULL in 5.2.2.",
    "CHECK_REVOKE_TOKEN (password_changed) and CHECK_USER_IS_ACTIVE do not exist in 5.2.2: those "
    "REFERENCE rows are not captured.",
    "500 answers are Django's DEBUG=False page, text/html. They mark crashes in simplejwt that the "
    "Go port should answer with a clean 401 instead.",
    "The clock is frozen at 'now' for simplejwt and PyJWT; 'expired' tokens were minted at an "
    "earlier frozen time. Tokens are signed with signing_key (HS256).",
    "Headers are recorded only among Content-Type, WWW-Authenticate, Allow and Vary. The capture "
    "uses Django's test Client (no WSGI server), so Date/Server/Content-Length are not meaningful.",
]

NOT_CAPTURED = [
    {"ref": "§3 Refresh: password changed, CHECK_REVOKE_TOKEN", "why": "5.3+ only"},
    {"ref": "§3 Protected endpoint: password changed (CHECK_REVOKE_TOKEN)", "why": "5.3+ only"},
    {"ref": "§3 Refresh: user inactive/deleted 401", "why": "5.4+; 5.2.2 answers 200 (captured)"},
]


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--mode":
        json.dump(child(sys.argv[2]), sys.stdout, ensure_ascii=False)
        return

    cases = []
    per_mode = {}
    for mode in MODES:
        res = subprocess.run(
            [PY, os.path.abspath(__file__), "--mode", mode["mode"]],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8"),
        )
        if res.returncode != 0:
            sys.stderr.write(res.stderr)
            raise SystemExit(f"mode {mode['mode']} failed")
        mode_cases = json.loads(res.stdout)
        per_mode[mode["mode"]] = len(mode_cases)
        cases.extend(mode_cases)

    doc = {
        "about": (
            "HTTP answers of the real djangorestframework-simplejwt through testdata/djangoproject, "
            "regenerated with `/usr/bin/python3 testdata/golden/gen_http.py`. 'body' is the exact "
            "response body with every JWT replaced by \"<jwt>\" (body_has_jwt tells whether it "
            "had one; response_jwts lists them with their decoded header and payload). Request "
            "bodies and Authorization headers are masked the same way (request_jwts). 'ref' names "
            "the REFERENCE.md row; 'newest' is the newest simplejwt's answer where it differs."
        ),
        "versions": goldenlib.versions(),
        "signing_key": goldenlib.SIGNING_KEY,
        "now": goldenlib.NOW,
        "users": {
            "alice": {"id": 1, "password": ALICE_PW, "is_active": True},
            "bob": {"id": 2, "password": BOB_PW, "is_active": False},
            "carol": {"id": 3, "password": CAROL_PW, "is_active": True, "note": "deleted after her tokens were minted"},
        },
        "modes": [
            {k: m[k] for k in ("mode", "description", "settings") if k in m}
            | ({"env": m["env"]} if "env" in m else {})
            | {"cases": per_mode[m["mode"]]}
            for m in MODES
        ],
        "notes": NOTES,
        "not_captured": NOT_CAPTURED,
        "cases": cases,
    }
    goldenlib.dump_json(os.path.join(HERE, "http.json"), doc)
    print(f"http.json: {len(cases)} cases {per_mode}", file=sys.stderr)


if __name__ == "__main__":
    main()
