#!/usr/bin/python3
"""Ask the real Django, DRF and simplejwt what ginjwt/locale must answer; write golden.json.

    /usr/bin/python3 testdata/gen_golden.py           # (re)write testdata/golden.json
    /usr/bin/python3 testdata/gen_golden.py --check   # exit 1 if golden.json is stale

Run from ginjwt/locale. Needs Debian's python3-django, python3-djangorestframework and
python3-djangorestframework-simplejwt (5.2.2), and msgfmt (gettext).

Translations: for each variant, in a fresh process (Django caches translations per language
and does not drop them when LANGUAGE_CODE changes), Django is set up with INSTALLED_APPS
[auth, contenttypes, rest_framework, <simplejwt>], LANGUAGES = Django 5.x's global list (the
Go package's GlobalLanguages) and a LANGUAGE_CODE; then, under translation.override(language),
every case below is computed by the real code (gettext of every msgid, DRF's exceptions and
fields, simplejwt's format_lazy calls).
  - "5.2.2": simplejwt is Debian's rest_framework_simplejwt 5.2.2, catalogs and all.
  - "head": simplejwt's place in INSTALLED_APPS is taken by a stand-in app whose locale folder
    is data/simplejwt/locale (simplejwt HEAD's catalogs, compiled), so Django's own machinery
    answers with HEAD's catalogs.
Django 3.2 has no catalog for ckb, ms and ug, which later Django added with their LANGUAGES
entries; LOCALE_PATHS gets an empty catalog for each so that, as in newer Django, they can be
selected (they translate nothing, here as in the Go package, which does not embed them).

Selection: for each case (Cookie header, Accept-Language header, LANGUAGE_CODE, LANGUAGES),
Django's LocaleMiddleware handles a request whose response already has Vary: Accept; the
golden records request.LANGUAGE_CODE and the response's Content-Language and Vary.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
GOLDEN = os.path.join(HERE, "golden.json")

GLOBAL_LANGUAGES = (
    "af ar ar-dz ast az bg be bn br bs ca ckb cs cy da de dsb el en en-au en-gb eo es es-ar "
    "es-co es-mx es-ni es-ve et eu fa fi fr fy ga gd gl he hi hr hsb hu hy ia id ig io is it ja "
    "ka kab kk km kn ko ky lb lt lv mk ml mn mr ms my nb ne nl nn os pa pl pt pt-br ro ru sk sl "
    "sq sr sr-latn sv sw ta te tg th tk tr tt udm ug uk ur uz vi zh-hans zh-hant"
).split()
NEWER_DJANGO_CATALOGS = ["ckb", "ms", "ug"]

# Languages activated besides LANGUAGES: LANGUAGE_CODE values and codes in other cases, which
# Django compares as they are for its default-language fallback.
EXTRA_LANGUAGES = ["en-us", "pt-BR", "EN-gb", "de-at", "zh"]

VARIANTS = [("5.2.2", "en-us"), ("5.2.2", "de"), ("head", "en-us"), ("head", "de")]
# The variant each one is stored against ("": the English answers, stored in full under "en").
BASES = {"5.2.2/en-us": "", "5.2.2/de": "5.2.2/en-us", "head/en-us": "5.2.2/en-us", "head/de": "head/en-us"}


# simplejwt 5.2.2's message for an invalid or expired token (HEAD says "Token is invalid" or
# "Token is expired", which the Go code sends); asked too, to compare the catalogs on it.
OLD_MESSAGES = ["Token is invalid or expired"]


def all_msgids():
    """The msgids of the message table (messages.go): the messages a client can see.

    The catalogs have more msgids (admin labels, setting errors) that never reach a client;
    some of them ("user") are translated by django.contrib.auth too, whose catalogs the package
    does not embed, so they are outside what the package answers like Django.
    """
    with open(os.path.join(PKG, "messages.go"), encoding="utf-8") as f:
        src = f.read()
    ids = [json.loads('"%s"' % m) for m in re.findall(r'ID: "((?:[^"\\]|\\.)*)"', src)]
    ids += re.findall(r"ID: `([^`]*)`", src)
    return sorted(set(ids + OLD_MESSAGES))


def newer_catalogs(tmp):
    root = os.path.join(tmp, "newer")
    for loc in NEWER_DJANGO_CATALOGS:
        d = os.path.join(root, loc, "LC_MESSAGES")
        os.makedirs(d)
        po = os.path.join(d, "django.po")
        with open(po, "w") as f:
            f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
        subprocess.run(["msgfmt", "-o", os.path.join(d, "django.mo"), po], check=True)
    return root


def setup(simplejwt, language_code, languages, tmp):
    import django
    from django.conf import settings
    apps = ["django.contrib.auth", "django.contrib.contenttypes", "rest_framework"]
    if simplejwt == "head":
        pkg = os.path.join(tmp, "sjhead")
        os.makedirs(pkg, exist_ok=True)
        open(os.path.join(pkg, "__init__.py"), "w").close()
        if not os.path.exists(os.path.join(pkg, "locale")):
            os.symlink(os.path.join(PKG, "data", "simplejwt", "locale"), os.path.join(pkg, "locale"))
        sys.path.insert(0, tmp)
        apps.append("sjhead")
    else:
        apps.append("rest_framework_simplejwt")
    settings.configure(
        SECRET_KEY="golden", INSTALLED_APPS=apps, USE_I18N=True, LANGUAGE_CODE=language_code,
        LANGUAGES=[(c, c) for c in languages], LOCALE_PATHS=[newer_catalogs(tmp)],
        ROOT_URLCONF=__name__, MIDDLEWARE=[], DATABASES={},
    )
    django.setup()


urlpatterns = []


def translation_cases(msgids):
    """name → function computing the client's text in the active language."""
    from django.utils.text import format_lazy
    from django.utils.translation import gettext, gettext_lazy
    from rest_framework import exceptions, serializers

    def field_errors(value, **kw):
        try:
            serializers.CharField(**kw).run_validation(value)
        except serializers.ValidationError as e:
            return " | ".join(str(d) for d in e.detail)
        return "<valid>"

    def list_body():
        class S(serializers.Serializer):
            username = serializers.CharField()
        s = S(data=[1])
        s.is_valid()
        return " | ".join(str(d) for d in s.errors["non_field_errors"])

    cases = {"gettext:" + m: (lambda m=m: gettext(m)) for m in msgids}
    cases.update({
        "drf:MethodNotAllowed(GET)": lambda: str(exceptions.MethodNotAllowed("GET").detail),
        "drf:UnsupportedMediaType(text/plain)": lambda: str(exceptions.UnsupportedMediaType("text/plain").detail),
        "drf:Throttled(None)": lambda: str(exceptions.Throttled().detail),
        "drf:Throttled(0.2)": lambda: str(exceptions.Throttled(0.2).detail),
        "drf:Throttled(1)": lambda: str(exceptions.Throttled(1).detail),
        "drf:Throttled(5)": lambda: str(exceptions.Throttled(5).detail),
        "drf:NotAuthenticated": lambda: str(exceptions.NotAuthenticated().detail),
        "drf:PermissionDenied": lambda: str(exceptions.PermissionDenied().detail),
        "drf:NotFound": lambda: str(exceptions.NotFound().detail),
        "drf:ParseError": lambda: str(exceptions.ParseError().detail),
        "drf:APIException": lambda: str(exceptions.APIException().detail),
        "drf:CharField(required)": lambda: field_errors(serializers.empty),
        "drf:CharField(null)": lambda: field_errors(None),
        "drf:CharField(blank)": lambda: field_errors("  "),
        "drf:CharField(invalid)": lambda: field_errors(True),
        "drf:CharField(max_length=5)": lambda: field_errors("abcdefgh", max_length=5),
        "drf:CharField(null character)": lambda: field_errors("a\x00b"),
        "drf:CharField(surrogate)": lambda: field_errors("a\ud800b"),
        "drf:Serializer(list)": list_body,
        "simplejwt:claim missing(refresh_exp)": lambda: str(format_lazy(gettext_lazy("Token has no '{}' claim"), "refresh_exp")),
        "simplejwt:claim expired(refresh_exp)": lambda: str(format_lazy(gettext_lazy("Token '{}' claim has expired"), "refresh_exp")),
    })
    return cases


def run_translations(simplejwt, language_code):
    from django.utils import translation
    msgids = json.loads(os.environ["GOLDEN_MSGIDS"])
    cases = translation_cases(msgids)
    out = {}
    for lang in GLOBAL_LANGUAGES + EXTRA_LANGUAGES:
        with translation.override(lang):
            out[lang] = {name: f() for name, f in cases.items()}
    return out


SELECT_LANGUAGE_CODES = ["en-us", "de", "pt-BR", "de-at", "zh"]
CUSTOM_LANGUAGES = ["en", "de", "fr-ca", "pt-br", "zh-hant", "ach"]


def select_cases():
    accept = [
        "", "de", "de-AT", "DE-at", "de-ch,en;q=0.5", "fr;q=0.5, ru", "fr;q=0.5,ru;q=0.5,de;q=0.5",
        "ru;q=0.1, fr;q=0.9", "en-US,en;q=0.9", "zh-Hans", "zh-hans-cn", "zh-Hant-TW", "zh-CN",
        "zh-tw", "zh-hk", "zh-sg", "zh", "pt-BR", "pt-PT", "pt", "es-419", "es-ar", "es-cl",
        "sr-latn", "sr-Latn-RS", "sr-cyrl", "fr-CA", "fr-fr", "en-gb", "en-au", "en-nz", "nb-NO",
        "no", "iw", "he-IL", "fa-IR", "ko-KR", "ja-JP", "uk-UA", "ms", "ckb", "ug", "ast",
        "xx", "xx-yy", "x-pig-latin", "*", "*, de", "de, *", "xx, *, de", "de;q=0", "de;q=0, fr;q=0.1",
        "de;q=1.0", "de;q=1.000", "de;q=1.5", "de;q=0.1234", "de;q=.5", "de;q=0.", "de;Q=0.5, fr",
        "de ; q=0.5 , fr", "de;q =0.5", "de,,fr", "de,", ",de", "de fr", "de;fr", "de\tfr",
        "de,\tfr", "de,\xa0fr", "de,\x85fr", "de,\x1cfr", "de\xe9", "d\xe9", "de-\xe9",
        "abcdefghi", "abcdefgh", "de-abcdefgh", "de-abcdefghi", "en-us-x-twain", "i-klingon",
        "de-1996", "sl-rozaj-biske", "es-419-x", "1de", "de_AT", "en-US;q=0.8,de;q=0.8",
        "de " + ", fr" * 200, "x" * 600, ("xx," * 167) + "de", ("xx," * 166) + "de,fr",
        "de\n", "de,\n", "kk",
    ]
    cookies = [None, "django_language=de", "django_language=pt-BR", "django_language=PT-br",
               "django_language=xx", "django_language=", "django_language=\"fr\"",
               "django_language=\"d\\145\"", "django_language=de-at", "django_language=zh-cn",
               "django_language=fr; django_language=ru", "a=1; django_language = it ;b=2",
               "django_language=EN-gb", "django_language=en-gb", "django_language=de\\"]
    out = []
    for code in SELECT_LANGUAGE_CODES:
        for a in accept:
            out.append({"language_code": code, "accept_language": a, "cookie": None})
    for c in cookies:
        for a in ["", "fr"]:
            out.append({"language_code": "en-us", "accept_language": a, "cookie": c})
    for a in ["", "de-AT", "fr", "fr-fr", "pt", "zh-TW", "zh-hant-hk", "ach", "ach-ug", "es"]:
        out.append({"language_code": "en", "languages": CUSTOM_LANGUAGES, "accept_language": a, "cookie": None})
    vary = [None, "Accept", "accept-language", "Cookie ,  Accept", " Accept", "*", ""]
    for v in vary:
        out.append({"language_code": "en-us", "accept_language": "de", "cookie": None, "vary": v})
    out.append({"language_code": "en-us", "accept_language": "de", "cookie": None,
                "content_language": "fr"})
    return out


def run_select(cases):
    from django.http import HttpResponse
    from django.middleware.locale import LocaleMiddleware
    from django.test import RequestFactory
    results = []
    for case in cases:
        def view(request, case=case):
            r = HttpResponse("ok")
            if case.get("vary") is not None:
                r["Vary"] = case["vary"]
            if case.get("content_language") is not None:
                r["Content-Language"] = case["content_language"]
            return r
        meta = {"HTTP_ACCEPT_LANGUAGE": case["accept_language"]}
        if case["cookie"] is not None:
            meta["HTTP_COOKIE"] = case["cookie"]
        request = RequestFactory().get("/", **meta)
        response = LocaleMiddleware(view)(request)
        results.append(dict(case, want={
            "language": request.LANGUAGE_CODE,
            "content_language": response.get("Content-Language"),
            "vary": response.get("Vary"),
        }))
    return results


def child():
    kind = sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "select":
            code, languages = sys.argv[3], json.loads(sys.argv[4])
            setup("5.2.2", code, languages, tmp)
            cases = [c for c in select_cases() if c["language_code"] == code
                     and c.get("languages", GLOBAL_LANGUAGES) == languages]
            json.dump(run_select(cases), sys.stdout)
        else:
            setup(kind, sys.argv[3], GLOBAL_LANGUAGES, tmp)
            json.dump(run_translations(kind, sys.argv[3]), sys.stdout)


def spawn(*args, env=None):
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, env=env).stdout
    return json.loads(out)


def generate():
    import django
    import rest_framework
    msgids = all_msgids()
    env = dict(os.environ, GOLDEN_MSGIDS=json.dumps(msgids))
    golden = {
        "generated_by": "testdata/gen_golden.py",
        "versions": {"python": sys.version.split()[0], "django": django.get_version(),
                     "djangorestframework": rest_framework.VERSION, "simplejwt": "5.2.2 (Debian) and HEAD (data/)"},
        "translations": {},
        "select": [],
    }
    # Each variant is stored as what differs from its base, so the golden shows what
    # LANGUAGE_CODE's fallback adds and where simplejwt HEAD's catalogs differ from 5.2.2's.
    results = {}
    for simplejwt, code in VARIANTS:
        name = simplejwt + "/" + code
        results[name] = spawn(simplejwt, code, env=env)
        base = BASES[name]
        entry = {"base": base, "languages": {}}
        for lang, cases in results[name].items():
            ref = results[base][lang] if base else results[name]["en"]
            diff = {k: v for k, v in cases.items() if v != ref[k]}
            if diff or not base and lang == "en":
                entry["languages"][lang] = cases if not base and lang == "en" else diff
        golden["translations"][name] = entry
    combos = []
    for c in select_cases():
        key = (c["language_code"], json.dumps(c.get("languages", GLOBAL_LANGUAGES)))
        if key not in combos:
            combos.append(key)
    for code, languages in combos:
        golden["select"].extend(spawn("select", code, languages))
    return json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
        return
    text = generate()
    if "--check" in sys.argv:
        with open(GOLDEN, encoding="utf-8") as f:
            if f.read() != text:
                print("testdata/golden.json is stale: run /usr/bin/python3 testdata/gen_golden.py", file=sys.stderr)
                sys.exit(1)
        return
    with open(GOLDEN, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote", GOLDEN, len(text), "bytes")


if __name__ == "__main__":
    main()
