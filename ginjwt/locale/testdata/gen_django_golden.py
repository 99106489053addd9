#!/usr/bin/python3
"""Ask Debian's Django 3.2 + DRF 3.14 + simplejwt 5.2.2, with LocaleMiddleware, how it answers
each error case in each of simplejwt 5.2.2's locales, with 5.2.2's catalogs and with HEAD's;
write django_golden.json.

    /usr/bin/python3 testdata/gen_django_golden.py           # (re)write testdata/django_golden.json
    /usr/bin/python3 testdata/gen_django_golden.py --check   # exit 1 if the file is stale

Run from ginjwt/locale. The project is the reference project (testdata/djangoproject/refproject,
the one the interop suite runs) with django.middleware.locale.LocaleMiddleware added to
MIDDLEWARE where Django's docs put it, an in-memory SQLite database and no users; requests go
through Django's test client, each with Accept-Language set to the language of one of
simplejwt 5.2.2's catalogs (its locale directory as Django's to_language writes it: "pt_BR" →
"pt-br"), and "en". Every case's messages exist in simplejwt 5.2.2 (the cases whose answer
carries "Token is invalid or expired", which simplejwt HEAD replaced, are left out). The
throttling texts are DRF's Throttled(wait).detail under translation.override, as its exception
handler sends them.

The Go test (django_golden_test.go) answers the same requests with ginjwt and compares status,
body bytes, Content-Language and Vary.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in testdata/djangoproject

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GOLDEN = os.path.join(HERE, "django_golden.json")
SIMPLEJWT_LOCALES = "/usr/lib/python3/dist-packages/rest_framework_simplejwt/locale"

# (name, method, path, headers, content type, body)
CASES = [
    ("obtain: fields required", "POST", "/api/token/", {}, "application/json", "{}"),
    ("obtain: no active account", "POST", "/api/token/", {}, "application/json",
     '{"username":"nobody","password":"wrong-password"}'),
    ("obtain: username blank", "POST", "/api/token/", {}, "application/json",
     '{"username":"","password":"x"}'),
    ("obtain: username null", "POST", "/api/token/", {}, "application/json",
     '{"username":null,"password":"x"}'),
    ("obtain: not a dictionary", "POST", "/api/token/", {}, "application/json", "[1]"),
    ("obtain: GET not allowed", "GET", "/api/token/", {}, None, None),
    ("obtain: unsupported media type", "POST", "/api/token/", {}, "text/plain", "x"),
    ("verify: field required", "POST", "/api/token/verify/", {}, "application/json", "{}"),
    ("refresh: not a string", "POST", "/api/token/refresh/", {}, "application/json", '{"refresh":[]}'),
    ("me: not authenticated", "GET", "/api/me/", {}, None, None),
    ("me: bad Authorization header", "GET", "/api/me/", {"HTTP_AUTHORIZATION": "Bearer"}, None, None),
]
THROTTLE_WAITS = [None, 1, 59]
# "5.2.2": simplejwt 5.2.2 as Debian ships it; "head": its catalogs replaced by HEAD's.
VARIANTS = ["5.2.2", "head"]


def languages():
    out = ["en"]
    for loc in sorted(os.listdir(SIMPLEJWT_LOCALES)):
        lang, _, country = loc.partition("_")
        out.append((lang + "-" + country).lower() if country else lang.lower())
    return out


def setup(variant, tmp):
    sys.path.insert(0, os.path.join(REPO, "testdata", "djangoproject"))
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["REFPROJECT_QUIET"] = "1"
    os.environ.setdefault("DJANGO_SECRET_KEY", "django-golden-secret-key-0123456789abcdef")
    import refproject.settings as s

    mw = list(s.MIDDLEWARE)
    mw.insert(mw.index("django.middleware.common.CommonMiddleware"), "django.middleware.locale.LocaleMiddleware")
    s.MIDDLEWARE = mw
    if variant == "head":
        # A stand-in app in simplejwt's place in INSTALLED_APPS whose locale folder is HEAD's
        # catalogs (data/simplejwt/locale, compiled): Django's own machinery then answers with
        # HEAD's translations; the views are still 5.2.2's.
        pkg = os.path.join(tmp, "sjhead")
        os.makedirs(pkg)
        open(os.path.join(pkg, "__init__.py"), "w").close()
        os.symlink(os.path.join(HERE, "..", "data", "simplejwt", "locale"), os.path.join(pkg, "locale"))
        sys.path.insert(0, tmp)
        s.INSTALLED_APPS = ["sjhead" if a == "rest_framework_simplejwt" else a for a in s.INSTALLED_APPS]
    os.environ["DJANGO_SETTINGS_MODULE"] = "refproject.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def capture(variant, tmp):
    setup(variant, tmp)
    import django
    from django.test import Client
    from django.utils import translation
    from rest_framework.exceptions import Throttled

    client = Client(HTTP_HOST="localhost")
    out = {"django": django.get_version(), "locales": {}}
    for lang in languages():
        cases = []
        for name, method, path, headers, ctype, body in CASES:
            kw = dict(headers)
            kw["HTTP_ACCEPT_LANGUAGE"] = lang
            if method == "POST":
                resp = client.post(path, data=body, content_type=ctype, **kw)
            else:
                resp = client.generic(method, path, **kw)
            cases.append({
                "name": name, "method": method, "path": path,
                "authorization": headers.get("HTTP_AUTHORIZATION"),
                "content_type": ctype, "body": body,
                "status": resp.status_code,
                "response": resp.content.decode("utf-8"),
                "content_language": resp.get("Content-Language", ""),
                "vary": resp.get("Vary", ""),
            })
        throttled = []
        with translation.override(lang):
            for wait in THROTTLE_WAITS:
                throttled.append({"wait": wait, "detail": str(Throttled(wait=wait).detail)})
        out["locales"][lang] = {"cases": cases, "throttled": throttled}
    return out


def main():
    if "--variant" in sys.argv[1:]:
        variant = sys.argv[sys.argv.index("--variant") + 1]
        with tempfile.TemporaryDirectory() as tmp:
            json.dump(capture(variant, tmp), sys.stdout, ensure_ascii=False)
        return
    # Each variant in a fresh process: Django caches the translations per language.
    out = {}
    for variant in VARIANTS:
        run = subprocess.run([sys.executable, __file__, "--variant", variant], check=True,
                             capture_output=True, encoding="utf-8")
        out[variant] = json.loads(run.stdout)
    data = json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv[1:]:
        with open(GOLDEN, encoding="utf-8") as f:
            if f.read() != data:
                print("django_golden.json is stale: run testdata/gen_django_golden.py", file=sys.stderr)
                sys.exit(1)
        return
    with open(GOLDEN, "w", encoding="utf-8") as f:
        f.write(data)


if __name__ == "__main__":
    main()
