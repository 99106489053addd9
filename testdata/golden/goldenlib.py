"""Helpers shared by gen_tokens.py and gen_http.py (not a test of anything).

* FixedClock: one mutable "now" that simplejwt (tokens.aware_utcnow) and
  PyJWT (jwt.api_jwt.datetime.now) both read, so token bytes and expiry
  decisions do not depend on the wall clock.
* JtiSource: replaces rest_framework_simplejwt.tokens.uuid4 with a fixed list
  or a seeded generator of uuid4-shaped values.
* split_jwt: the header and payload segments of a compact JWT, base64url
  decoded, as exact text.
"""

import base64
import json
import os
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DJANGOPROJECT = os.path.join(REPO, "testdata", "djangoproject")

# Fixed inputs shared by both generators.
SIGNING_KEY = "golden-signing-key-0123456789abcdef"
NOW = 1795477898  # 2026-11-23T23:51:38Z
NOW_MICROSECONDS = 409586  # sub-second part: shows that exp/iat are floored
JTIS = [
    "eae98488e7984412b7ea16ef95a7d415",
    "1f0c6f4a4b0a4c5e9d2b7a3c8e5f6d10",
    "7d2e9a1c3b4f4e8a9c0d1e2f3a4b5c6d",
]


def b64url_decode(seg):
    return base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4))


def split_jwt(token):
    header, payload, _sig = token.split(".")
    return b64url_decode(header).decode("utf-8"), b64url_decode(payload).decode("utf-8")


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FixedClock:
    def __init__(self, epoch=NOW, microseconds=NOW_MICROSECONDS):
        self.set(epoch, microseconds)

    def set(self, epoch, microseconds=0):
        self.now = datetime.fromtimestamp(epoch, tz=timezone.utc).replace(
            microsecond=microseconds
        )

    def advance(self, seconds):
        self.now = self.now + timedelta(seconds=seconds)

    @property
    def epoch(self):
        return int(self.now.timestamp())

    def __call__(self):
        return self.now

    def install(self):
        """Patch simplejwt's and PyJWT's notion of now. Call after django.setup()."""
        import jwt.api_jwt
        import rest_framework_simplejwt.tokens as sjwt_tokens
        import rest_framework_simplejwt.utils as sjwt_utils

        clock = self

        class _FrozenDatetime(datetime):
            @classmethod
            def now(cls, tz=None):
                n = clock.now
                return n.astimezone(tz) if tz is not None else n.replace(tzinfo=None)

            @classmethod
            def utcnow(cls):
                return clock.now.replace(tzinfo=None)

        # tokens.py did "from .utils import aware_utcnow": patch the name it holds.
        sjwt_tokens.aware_utcnow = clock
        sjwt_utils.aware_utcnow = clock
        # PyJWT 2.6 api_jwt: now = timegm(datetime.now(tz=timezone.utc).utctimetuple())
        jwt.api_jwt.datetime = _FrozenDatetime
        # flushexpiredtokens imported aware_utcnow by name as well
        try:
            import rest_framework_simplejwt.token_blacklist.management.commands.flushexpiredtokens as fl

            fl.aware_utcnow = clock
        except Exception:  # pragma: no cover - app not installed
            pass


class JtiSource:
    """Deterministic replacement for uuid4 in rest_framework_simplejwt.tokens."""

    def __init__(self, fixed=None, seed=None):
        self.fixed = list(fixed or [])
        self.rng = random.Random(seed if seed is not None else 0)
        self.used = []

    def __call__(self):
        if self.fixed:
            value = uuid.UUID(hex=self.fixed.pop(0))
        else:
            value = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        self.used.append(value.hex)
        return value

    def install(self):
        import rest_framework_simplejwt.tokens as sjwt_tokens

        sjwt_tokens.uuid4 = self


def versions():
    import importlib.metadata as md

    import django
    import jwt
    import rest_framework

    return {
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "djangorestframework-simplejwt": md.version("djangorestframework-simplejwt"),
        "pyjwt": jwt.__version__,
    }


def dump_json(path, data):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
