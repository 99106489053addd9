#!/usr/bin/python3
"""Capture JWTs minted by the real djangorestframework-simplejwt (Debian's 5.2.2).

    /usr/bin/python3 testdata/golden/gen_tokens.py      # rewrites tokens.json

Each settings group runs in its own Python process, because simplejwt reads
its settings at import time (token lifetimes, the token backend). Django is
configured in-process (no database: the token_blacklist app is left out, which
changes no token bytes). The clock is frozen at goldenlib.NOW (+ microseconds,
to show that exp/iat are floored) and uuid4 returns goldenlib.JTIS in order.
The user is an object whose USER_ID_FIELD ("id") is the string "1", so 5.2.2
writes "user_id":"1" like 5.5.1+ does; one case uses the integer 1 to show the
5.2.2 integer form.

HMAC and RSA (PKCS#1 v1.5) signatures are deterministic: such tokens must match
byte for byte. ECDSA signatures are random: for ES256 compare the header and
payload segments and verify the signature with ec_public.pem.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import goldenlib  # noqa: E402

PY = "/usr/bin/python3"

HS = {"ALGORITHM": "HS256", "SIGNING_KEY": goldenlib.SIGNING_KEY}

ALL_HS_CASES = [
    ("access_for_user", "access", "AccessToken.for_user(user)"),
    ("refresh_for_user", "refresh", "RefreshToken.for_user(user)"),
    (
        "refresh_access_token",
        "pair_access",
        "RefreshToken.for_user(user).access_token, as the obtain-pair view makes it "
        "(refresh jti JTIS[0], access jti JTIS[1]); the access token copies every claim "
        "but token_type/exp/jti, so iat is the refresh token's",
    ),
    ("sliding_for_user", "sliding", "SlidingToken.for_user(user)"),
    (
        "access_custom_claim",
        "access_custom_claim",
        'AccessToken.for_user(user) then token["name"] = "Zoë ☃": ensure_ascii turns '
        "non-ASCII into \\u escapes in the payload",
    ),
    (
        "refresh_custom_claim_access_token",
        "refresh_custom_claim_pair_access",
        'RefreshToken.for_user(user); refresh["name"] = "Zoë ☃"; refresh.access_token: '
        "custom claims are copied after user_id",
    ),
    (
        "access_int_user_id",
        "access_int_user_id",
        "AccessToken.for_user(user) with user.id the integer 1: simplejwt 5.2.2 writes "
        '"user_id":1 (5.5.1+ always writes "user_id":"1"). Tokens of this form must still '
        "be accepted",
    ),
    (
        "refresh_then_access_60s_later",
        "refresh_later_access",
        "The refresh view: a refresh token minted at now is decoded 60 s later and "
        ".access_token is taken (jti JTIS[1]): exp = later + ACCESS_TOKEN_LIFETIME, but iat "
        "is copied from the refresh token (5.2.2)",
    ),
    (
        "refresh_rotated_60s_later",
        "refresh_rotated",
        "ROTATE_REFRESH_TOKENS: as above, then set_jti() (JTIS[2]), set_exp(), set_iat() "
        "on the decoded refresh token; every other claim is kept",
    ),
    (
        "sliding_refreshed_60s_later",
        "sliding_refreshed",
        "The sliding refresh view 60 s later: same jti and refresh_exp, new exp and iat",
    ),
    (
        "refresh_access_token_second_boundary",
        "pair_access_second_boundary",
        "The obtain pair when the clock crosses a second between the two tokens: refresh "
        "minted at now+0.999999, access at now+1.000001. 5.2.2 copies the refresh token's iat, "
        "so exp - iat is exactly ACCESS_TOKEN_LIFETIME; 5.5.1+ keeps the access token's own iat "
        "(now+1), so exp - iat is one second short (REFERENCE section 8)",
    ),
    (
        "access_expired",
        "access_expired",
        "AccessToken.for_user(user) minted one day before now: expired at now "
        "(5.2.2 says \"Token is invalid or expired\", newest \"Token is expired\")",
    ),
]

GROUPS = [
    {
        "group": "hs256_default",
        "settings": dict(HS),
        "cases": ALL_HS_CASES,
    },
    {
        "group": "hs256_lifetimes_uid",
        "settings": dict(
            HS,
            ACCESS_TOKEN_LIFETIME="240s",
            REFRESH_TOKEN_LIFETIME="1h30m",
            SLIDING_TOKEN_LIFETIME="90",
            SLIDING_TOKEN_REFRESH_LIFETIME="24h",
            USER_ID_CLAIM="uid",
        ),
        "cases": [
            ("lifetimes_access", "access", "ACCESS_TOKEN_LIFETIME=240s, USER_ID_CLAIM=uid"),
            ("lifetimes_refresh", "refresh", "REFRESH_TOKEN_LIFETIME=1h30m"),
            (
                "lifetimes_sliding",
                "sliding",
                "SLIDING_TOKEN_LIFETIME=90 (plain seconds), SLIDING_TOKEN_REFRESH_LIFETIME=24h",
            ),
        ],
    },
    {
        "group": "hs256_audience_issuer",
        "settings": dict(HS, AUDIENCE="api", ISSUER="https://issuer.example"),
        "cases": [
            ("aud_iss_access", "access", "aud and iss are appended last, at encode time"),
            ("aud_iss_refresh", "refresh", "aud and iss are appended last"),
            (
                "aud_iss_refresh_access_token",
                "pair_access",
                "the access token of a pair: aud/iss are not in the refresh payload dict, "
                "they are added again when the access token is encoded",
            ),
            ("aud_iss_sliding", "sliding", "sliding token with aud/iss"),
        ],
    },
    {
        "group": "hs256_audience_list",
        "settings": dict(HS, AUDIENCE="api,web"),
        "cases": [("aud_list_access", "access", 'AUDIENCE=["api","web"] is encoded as a JSON list')],
    },
    {
        "group": "hs384",
        "settings": dict(HS, ALGORITHM="HS384"),
        "cases": [("hs384_access", "access", "ALGORITHM=HS384")],
    },
    {
        "group": "hs512",
        "settings": dict(HS, ALGORITHM="HS512"),
        "cases": [("hs512_access", "access", "ALGORITHM=HS512")],
    },
    {
        "group": "rs256",
        "settings": {
            "ALGORITHM": "RS256",
            "SIGNING_KEY": "rsa_private.pem",
            "VERIFYING_KEY": "rsa_public.pem",
        },
        "cases": [
            ("rs256_access", "access", "RS256 (PKCS#1 v1.5: deterministic signature)"),
            ("rs256_refresh", "refresh", "RS256 refresh token"),
        ],
    },
    {
        "group": "es256",
        "settings": {
            "ALGORITHM": "ES256",
            "SIGNING_KEY": "ec_private.pem",
            "VERIFYING_KEY": "ec_public.pem",
        },
        "cases": [
            (
                "es256_access",
                "access",
                "ES256: the signature is random; compare header_json/payload_json and verify "
                "the signature (raw r||s, 64 bytes) with ec_public.pem",
            ),
        ],
    },
]

SKIPPED = [
    {
        "name": "check_revoke_token",
        "reason": "CHECK_REVOKE_TOKEN/REVOKE_TOKEN_CLAIM (hash_password) appeared in simplejwt "
        "5.3.0; 5.2.2 ignores the setting and writes no hash_password claim.",
    }
]


# --------------------------------------------------------------------------
# child process: one settings group


def _resolve_env(settings_env):
    env = {}
    for k, v in settings_env.items():
        if k in ("SIGNING_KEY", "VERIFYING_KEY") and v.endswith(".pem"):
            v = os.path.join(HERE, v)
        env["SIMPLE_JWT_" + k] = v
    return env


class GoldenUser:
    """A stand-in user: only USER_ID_FIELD is read by Token.for_user."""

    is_active = True

    def __init__(self, pk):
        self.id = pk
        self.pk = pk


def run_group(group):
    sys.path.insert(0, goldenlib.DJANGOPROJECT)
    from refproject.envconfig import simple_jwt_from_env

    simple_jwt = simple_jwt_from_env(_resolve_env(group["settings"]))

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="golden-django-secret-key-not-used-for-signing",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "rest_framework",
            "rest_framework_simplejwt",
        ],
        USE_TZ=True,
        TIME_ZONE="UTC",
        SIMPLE_JWT=simple_jwt,
    )
    django.setup()

    clock = goldenlib.FixedClock()
    clock.install()
    from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, SlidingToken

    user = GoldenUser("1")
    out = []
    for name, kind, description in group["cases"]:
        clock.set(goldenlib.NOW, goldenlib.NOW_MICROSECONDS)
        jtis = goldenlib.JtiSource(fixed=goldenlib.JTIS)
        jtis.install()
        extra = {}
        if kind == "access":
            token = str(AccessToken.for_user(user))
        elif kind == "refresh":
            token = str(RefreshToken.for_user(user))
        elif kind == "sliding":
            token = str(SlidingToken.for_user(user))
        elif kind == "pair_access":
            refresh = RefreshToken.for_user(user)
            extra["from_token"] = str(refresh)
            token = str(refresh.access_token)
        elif kind == "pair_access_second_boundary":
            clock.set(goldenlib.NOW, 999999)
            refresh = RefreshToken.for_user(user)
            extra["from_token"] = str(refresh)
            clock.set(goldenlib.NOW + 1, 1)
            token = str(refresh.access_token)
            extra["clock"] = ["now+0.999999 (refresh)", "now+1.000001 (access)"]
        elif kind == "access_custom_claim":
            t = AccessToken.for_user(user)
            t["name"] = "Zoë ☃"
            token = str(t)
        elif kind == "refresh_custom_claim_pair_access":
            refresh = RefreshToken.for_user(user)
            refresh["name"] = "Zoë ☃"
            extra["from_token"] = str(refresh)
            token = str(refresh.access_token)
        elif kind == "access_int_user_id":
            token = str(AccessToken.for_user(GoldenUser(1)))
        elif kind in ("refresh_later_access", "refresh_rotated"):
            minted = str(RefreshToken.for_user(user))
            clock.advance(60)
            decoded = RefreshToken(minted)
            access = str(decoded.access_token)
            decoded.set_jti()
            decoded.set_exp()
            decoded.set_iat()
            rotated = str(decoded)
            extra["from_token"] = minted
            extra["decoded_at"] = clock.epoch
            token = access if kind == "refresh_later_access" else rotated
        elif kind == "sliding_refreshed":
            minted = str(SlidingToken.for_user(user))
            clock.advance(60)
            decoded = SlidingToken(minted)
            decoded.check_exp("refresh_exp")
            decoded.set_exp()
            decoded.set_iat()
            extra["from_token"] = minted
            extra["decoded_at"] = clock.epoch
            token = str(decoded)
        elif kind == "access_expired":
            clock.set(goldenlib.NOW - 86400, goldenlib.NOW_MICROSECONDS)
            token = str(AccessToken.for_user(user))
            extra["minted_at"] = clock.epoch
            extra["expired_at_now"] = True
        else:
            raise ValueError(kind)
        header_json, payload_json = goldenlib.split_jwt(token)
        algorithm = simple_jwt.get("ALGORITHM", "HS256")
        case = {
            "name": name,
            "group": group["group"],
            "description": description,
            "settings": group["settings"],
            "now": goldenlib.NOW,
            "now_microseconds": goldenlib.NOW_MICROSECONDS,
            "jti": jtis.used,
            "token": token,
            "header_json": header_json,
            "payload_json": payload_json,
            "deterministic": not algorithm.startswith("ES"),
        }
        case.update(extra)
        if "SIGNING_KEY" in group["settings"] and not algorithm.startswith("HS"):
            case["key_files"] = {
                k: group["settings"][k] for k in ("SIGNING_KEY", "VERIFYING_KEY")
            }
        _self_check(case, simple_jwt)
        out.append(case)
    return out


def _self_check(case, simple_jwt):
    """Decode with PyJWT (signature, aud, iss) at the case's 'now'."""
    import jwt

    alg = simple_jwt.get("ALGORITHM", "HS256")
    key = simple_jwt["SIGNING_KEY"] if alg.startswith("HS") else simple_jwt["VERIFYING_KEY"]
    payload = jwt.decode(
        case["token"],
        key,
        algorithms=[alg],
        audience=simple_jwt.get("AUDIENCE"),
        issuer=simple_jwt.get("ISSUER"),
        options={"verify_exp": False, "verify_aud": simple_jwt.get("AUDIENCE") is not None},
    )
    assert payload == json.loads(case["payload_json"]), case["name"]


# --------------------------------------------------------------------------
# parent process


def _keep_previous_random_tokens(cases):
    """ECDSA tokens differ on every run. Keep the committed one when its header and
    payload are unchanged and it still verifies, so that re-running is a no-op."""
    path = os.path.join(HERE, "tokens.json")
    if not os.path.exists(path):
        return
    import jwt

    with open(path, encoding="utf-8") as fh:
        previous = {c["name"]: c for c in json.load(fh).get("cases", [])}
    for case in cases:
        old = previous.get(case["name"])
        if case["deterministic"] or not old:
            continue
        if (old.get("header_json"), old.get("payload_json"), old.get("settings")) != (
            case["header_json"],
            case["payload_json"],
            case["settings"],
        ):
            continue
        header = json.loads(case["header_json"])
        with open(os.path.join(HERE, case["key_files"]["VERIFYING_KEY"])) as fh:
            key = fh.read()
        try:
            jwt.decode(old["token"], key, algorithms=[header["alg"]],
                       options={"verify_exp": False, "verify_aud": False})
        except jwt.InvalidTokenError:
            continue
        case["token"] = old["token"]


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--group":
        group = next(g for g in GROUPS if g["group"] == sys.argv[2])
        json.dump(run_group(group), sys.stdout, ensure_ascii=False)
        return

    cases = []
    for group in GROUPS:
        res = subprocess.run(
            [PY, os.path.abspath(__file__), "--group", group["group"]],
            check=True,
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8"),
        )
        cases.extend(json.loads(res.stdout))

    _keep_previous_random_tokens(cases)

    doc = {
        "about": (
            "JWTs minted by the real djangorestframework-simplejwt, regenerated with "
            "`/usr/bin/python3 testdata/golden/gen_tokens.py`. header_json and payload_json are "
            "the exact bytes of the first two segments, base64url-decoded. 'settings' uses the "
            "SIMPLE_JWT_<KEY> environment syntax of the Go loader; values ending in .pem are "
            "files in testdata/golden/. 'jti' lists the uuid4().hex values handed out, in order. "
            "'now' is the frozen clock in Unix seconds (plus now_microseconds). Cases with "
            "deterministic=false (ECDSA) must be compared on header_json/payload_json and "
            "verified, not compared on the token string."
        ),
        "versions": goldenlib.versions(),
        "signing_key": goldenlib.SIGNING_KEY,
        "now": goldenlib.NOW,
        "now_microseconds": goldenlib.NOW_MICROSECONDS,
        "jtis": goldenlib.JTIS,
        "newest_differs": [
            'user_id: 5.2.2 writes an integer primary key as a JSON integer ("user_id":1); '
            '5.5.1+ always writes a string ("user_id":"1"). The user here has the string id "1", '
            "so both versions produce the same bytes except in access_int_user_id.",
            "refresh_then_access_60s_later: 5.2.2 copies iat from the refresh token into the "
            "access token; 5.5.1+ gives the access token its own iat (the time of the refresh).",
            "refresh_access_token_second_boundary: in 5.2.2 the access token of a pair has the "
            "refresh token's iat, so exp - iat == ACCESS_TOKEN_LIFETIME always; in 5.5.1+ it has "
            "its own iat and exp - iat can be one second short.",
        ],
        "skipped": SKIPPED,
        "cases": cases,
    }
    goldenlib.dump_json(os.path.join(HERE, "tokens.json"), doc)
    print(f"tokens.json: {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
