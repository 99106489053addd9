"""Django's own CSRF code, driven by views/csrf's interop test (interop_test.go).

Reads one JSON object on stdin, {"ops": [...]}, and prints {"django": "<version>",
"results": [...]}, one result per op, in order. Run with Debian's interpreter
(/usr/bin/python3, python3-django); DRF is used when it is installed.

Header values, the Cookie header and bodies arrive as latin-1 text (one character per
byte), which is what a WSGI server hands Django, so Django sees the Go test's bytes.

Ops:
  {"op": "mint", "settings": {...}, "request": R}
      CsrfViewMiddleware.process_request, get_token, process_response:
      -> {"token": ..., "cookie": <the csrftoken cookie's value>, "set_cookie": <the header>}
  {"op": "check", "settings": {...}, "request": R}
      DRF's enforce_csrf: CSRFCheck.process_request + process_view
      -> {"reason": null | "<Django's reason>", "detail": null | "CSRF Failed: <reason>"}
  {"op": "urlsplit", "url": "..."}
      -> {"split": [scheme, netloc, path, query, fragment, geturl]} | {"error": "..."}
  R = {"method", "scheme", "host", "path", "headers": {name: value}, "cookie", "content_type", "body"}

"settings" holds Django setting names (CSRF_*, USE_X_FORWARDED_*, SECURE_PROXY_SSL_HEADER,
DATA_UPLOAD_MAX_MEMORY_SIZE), each applied with override_settings. CSRF_TRUSTED_ORIGINS
always comes in the Django 4.0+ form ("https://*.example.com"); for Django 3.x it is turned
into the host form of that release (".example.com").
"""

import json
import sys
from urllib.parse import urlsplit

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="views-csrf-interop",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
    LOGGING_CONFIG=None,
)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.middleware.csrf import CsrfViewMiddleware, get_token  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

try:
    from rest_framework.authentication import CSRFCheck  # noqa: E402

    CHECK_FROM = "rest_framework.authentication.CSRFCheck"
except ImportError:  # DRF's class, for a machine without DRF

    class CSRFCheck(CsrfViewMiddleware):
        def _reject(self, request, reason):
            return reason

    CHECK_FROM = "a copy of DRF's CSRFCheck"

urlpatterns = []


def django_settings(given):
    s = dict(given)
    origins = s.get("CSRF_TRUSTED_ORIGINS")
    if origins is not None and django.VERSION < (4, 0):
        s["CSRF_TRUSTED_ORIGINS"] = [urlsplit(o).netloc.lstrip("*") for o in origins]
    if "SECURE_PROXY_SSL_HEADER" in s and s["SECURE_PROXY_SSL_HEADER"] is not None:
        s["SECURE_PROXY_SSL_HEADER"] = tuple(s["SECURE_PROXY_SSL_HEADER"])
    return s


def build_request(r):
    secure = r["scheme"] == "https"
    host = r["host"]
    port = "443" if secure else "80"
    if not host.endswith("]") and ":" in host:
        port = host.rsplit(":", 1)[1]
    extra = {"HTTP_HOST": host, "SERVER_PORT": port}
    for name, value in r.get("headers", {}).items():
        extra["HTTP_" + name.upper().replace("-", "_")] = value
    if r.get("cookie") is not None:
        extra["HTTP_COOKIE"] = r["cookie"]
    body = r.get("body", "").encode("latin-1")
    content_type = r.get("content_type") or "application/octet-stream"
    return RequestFactory().generic(
        r["method"], r.get("path", "/"), data=body, content_type=content_type, secure=secure, **extra
    )


def get_response(request):  # pragma: no cover - never called
    return HttpResponse()


def op_mint(op):
    with override_settings(**django_settings(op.get("settings", {}))):
        request = build_request(op["request"])
        mw = CsrfViewMiddleware(get_response)
        mw.process_request(request)
        token = get_token(request)
        response = mw.process_response(request, HttpResponse())
        morsel = response.cookies[settings.CSRF_COOKIE_NAME]
        return {"token": token, "cookie": morsel.value, "set_cookie": morsel.OutputString()}


def op_check(op):
    with override_settings(**django_settings(op.get("settings", {}))):
        request = build_request(op["request"])
        check = CSRFCheck(get_response)
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            return {"reason": reason, "detail": "CSRF Failed: %s" % reason}
        return {"reason": None, "detail": None}


def op_urlsplit(op):
    try:
        u = urlsplit(op["url"])
    except ValueError as e:
        return {"error": str(e)}
    return {"split": [u.scheme, u.netloc, u.path, u.query, u.fragment, u.geturl()]}


OPS = {"mint": op_mint, "check": op_check, "urlsplit": op_urlsplit}


def main():
    ops = json.load(sys.stdin)["ops"]
    results = []
    for op in ops:
        try:
            results.append(OPS[op["op"]](op))
        except Exception as e:  # reported to the test, which fails on it
            results.append({"exception": "%s: %s" % (type(e).__name__, e)})
    json.dump({"django": django.get_version(), "check": CHECK_FROM, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
