"""Environment parsing for the reference Django project.

The rules mirror the Go side's environment loader (see EXAMPLE-CONTRACT.md):

* ``SIMPLE_JWT_<KEY>`` sets ``SIMPLE_JWT["<KEY>"]`` (the Python setting name).
* durations: a Go duration (``240s``, ``5m``, ``1h30m``, ``24h``, ``1.5h``,
  ``300ms``) or plain seconds (``300``, ``2.5``);
* booleans: what Go's ``strconv.ParseBool`` accepts (``true``/``false``,
  ``1``/``0``, ``t``/``f``, ``TRUE``/``FALSE``, ``True``/``False``);
* lists: comma separated, blanks around items ignored;
  ``AUTH_TOKEN_CLASSES`` items without a dot are simplejwt class names
  (``AccessToken`` -> ``rest_framework_simplejwt.tokens.AccessToken``);
* ``AUDIENCE``: one string, or a list when it contains a comma;
* ``AUDIENCE``, ``ISSUER``, ``JWK_URL``, ``JSON_ENCODER``, ``TOKEN_TYPE_CLAIM``,
  ``JTI_CLAIM``: the empty string means ``None``;
* ``SIGNING_KEY`` / ``VERIFYING_KEY``: PEM text (``-----BEGIN``; a literal
  ``\\n`` is turned into a newline when the value has no real newline), or,
  for a non-HS algorithm only, the path of a PEM file; anything else is used
  as the literal key (HMAC secret);
* ``AUTH_HEADER_NAME``: the Django META name (``HTTP_AUTHORIZATION``) or an
  HTTP header name (``X-Access-Token`` -> ``HTTP_X_ACCESS_TOKEN``);
* any other key is passed through as a string (simplejwt ignores unknown keys).

``DATABASE_URL``: a SQLite file path, ``sqlite:///abs/path``,
``sqlite:////abs/path``, ``sqlite://:memory:``, or
``postgres://user[:password]@host[:port]/dbname[?option=value]``
(``postgresql://`` too; options such as ``sslmode`` go to psycopg2).
"""

import os
import re
from datetime import timedelta
from fractions import Fraction
from urllib.parse import parse_qsl, unquote, urlsplit

ENV_PREFIX = "SIMPLE_JWT_"

DURATION_KEYS = {
    "ACCESS_TOKEN_LIFETIME",
    "REFRESH_TOKEN_LIFETIME",
    "SLIDING_TOKEN_LIFETIME",
    "SLIDING_TOKEN_REFRESH_LIFETIME",
    "LEEWAY",
}
BOOL_KEYS = {
    "ROTATE_REFRESH_TOKENS",
    "BLACKLIST_AFTER_ROTATION",
    "UPDATE_LAST_LOGIN",
    "CHECK_REVOKE_TOKEN",  # 5.3+ only; simplejwt 5.2.2 ignores it
    "CHECK_USER_IS_ACTIVE",  # 5.4+ only; simplejwt 5.2.2 ignores it
}
LIST_KEYS = {"AUTH_HEADER_TYPES", "AUTH_TOKEN_CLASSES"}
NULLABLE_KEYS = {
    "AUDIENCE",
    "ISSUER",
    "JWK_URL",
    "JSON_ENCODER",
    "TOKEN_TYPE_CLAIM",
    "JTI_CLAIM",
}
KEY_KEYS = {"SIGNING_KEY", "VERIFYING_KEY"}

_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")
_PLAIN_SECONDS = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


class ConfigError(ValueError):
    pass


def parse_duration(value, name="duration"):
    """Go ``time.ParseDuration`` syntax, or plain seconds. Returns a timedelta.

    Python's timedelta has microsecond resolution: nanoseconds are truncated.
    """
    s = value.strip()
    if _PLAIN_SECONDS.match(s):
        return timedelta(seconds=float(s)) if "." in s else timedelta(seconds=int(s))
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s == "0":
        return timedelta(0)
    if not s:
        raise ConfigError(f"{name}: invalid duration {value!r}")
    pos = 0
    total = Fraction(0)
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if not m or m.group(1) in ("", "."):
            raise ConfigError(f"{name}: invalid duration {value!r}")
        total += Fraction(m.group(1)) * _UNIT_NS[m.group(2)]
        pos = m.end()
    return sign * timedelta(microseconds=int(total / 1000))


def parse_bool(value, name="bool"):
    v = value.strip()
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if v in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ConfigError(f"{name}: invalid boolean {value!r} (use true or false)")


def parse_list(value):
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _token_class_path(name):
    return name if "." in name else f"rest_framework_simplejwt.tokens.{name}"


def _header_meta_name(value):
    v = value.strip()
    if v.upper().startswith("HTTP_"):
        return v.upper()
    return "HTTP_" + v.upper().replace("-", "_")


def _key(value, algorithm):
    if "-----BEGIN" in value:
        if "\n" not in value and "\\n" in value:
            value = value.replace("\\n", "\n")
        return value
    if not algorithm.startswith("HS") and value and os.path.isfile(value):
        with open(value, "r", encoding="ascii") as fh:
            return fh.read()
    return value


def simple_jwt_from_env(environ=None):
    """Build the SIMPLE_JWT dict from SIMPLE_JWT_* variables."""
    environ = os.environ if environ is None else environ
    raw = {
        k[len(ENV_PREFIX):]: v
        for k, v in environ.items()
        if k.startswith(ENV_PREFIX) and len(k) > len(ENV_PREFIX)
    }
    algorithm = raw.get("ALGORITHM", "HS256").strip() or "HS256"
    out = {}
    for key, value in sorted(raw.items()):
        env_name = ENV_PREFIX + key
        if key in DURATION_KEYS:
            out[key] = parse_duration(value, env_name)
        elif key in BOOL_KEYS:
            out[key] = parse_bool(value, env_name)
        elif key == "AUTH_TOKEN_CLASSES":
            out[key] = tuple(_token_class_path(c) for c in parse_list(value))
        elif key in LIST_KEYS:
            out[key] = parse_list(value)
        elif key == "AUDIENCE":
            if value.strip() == "":
                out[key] = None
            elif "," in value:
                out[key] = list(parse_list(value))
            else:
                out[key] = value.strip()
        elif key in NULLABLE_KEYS:
            out[key] = value if value != "" else None
        elif key in KEY_KEYS:
            out[key] = _key(value, algorithm)
        elif key == "AUTH_HEADER_NAME":
            out[key] = _header_meta_name(value)
        elif key == "ALGORITHM":
            out[key] = algorithm
        else:
            out[key] = value
    return out


def database_from_url(url, base_dir):
    """Django DATABASES['default'] from DATABASE_URL."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(os.getcwd(), "db.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    lower = url.lower()
    if lower.startswith("sqlite:"):
        rest = url[len("sqlite:"):]
        if rest.startswith("//"):
            rest = rest[2:]
        if rest in ("", ":memory:", "/:memory:"):
            name = ":memory:"
        else:
            name = unquote(rest)
            if name.startswith("//"):
                name = "/" + name.lstrip("/")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"timeout": 20},
        }
    if lower.startswith(("postgres://", "postgresql://", "pgsql://")):
        parts = urlsplit(url)
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
        }
    if "://" in url:
        raise ConfigError(
            f"DATABASE_URL: unsupported scheme in {url.split('://', 1)[0]!r} "
            "(use a SQLite path, sqlite:///path or postgres://...)"
        )
    # a plain file path
    path = url if os.path.isabs(url) else os.path.join(os.getcwd(), url)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {"timeout": 20},
    }
