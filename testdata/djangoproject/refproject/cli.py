"""Small commands for run.sh that Django's manage.py lacks.

    createuser USERNAME PASSWORD [--inactive] [--superuser] [--email E]
        create_user(); prints the new primary key
    changepassword USERNAME PASSWORD
        set_password() + save(); prints the primary key
    mint USERNAME [refresh|access|sliding]
        prints Token.for_user(user) (refresh tokens also get their
        OutstandingToken row, as at login); works for inactive users too
    shell-json EXPR
        evaluates a Python expression and prints it as JSON. Names available:
        User, OutstandingToken, BlacklistedToken, AccessToken, RefreshToken,
        SlidingToken, UntypedToken, api_settings, settings, connection, django
"""

import json
import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refproject.settings")
    import django

    django.setup()


def _usage(msg=None):
    if msg:
        print(f"cli: {msg}", file=sys.stderr)
    print(__doc__, file=sys.stderr)
    sys.exit(2)


def createuser(args):
    username = password = email = None
    inactive = superuser = False
    rest = []
    it = iter(args)
    for a in it:
        if a == "--inactive":
            inactive = True
        elif a == "--superuser":
            superuser = True
        elif a == "--email":
            email = next(it, None)
            if email is None:
                _usage("--email needs a value")
        elif a.startswith("--email="):
            email = a.split("=", 1)[1]
        elif a.startswith("--"):
            _usage(f"unknown option {a}")
        else:
            rest.append(a)
    if len(rest) != 2:
        _usage("createuser USERNAME PASSWORD [--inactive] [--superuser] [--email E]")
    username, password = rest
    _setup()
    from django.contrib.auth import get_user_model

    User = get_user_model()
    extra = {"is_active": not inactive}
    if superuser:
        extra.update(is_staff=True, is_superuser=True)
    user = User.objects.create_user(username, email=email or "", password=password, **extra)
    print(user.pk)


def changepassword(args):
    if len(args) != 2:
        _usage("changepassword USERNAME PASSWORD")
    _setup()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get_by_natural_key(args[0])
    user.set_password(args[1])
    user.save()
    print(user.pk)


def mint(args):
    if len(args) not in (1, 2):
        _usage("mint USERNAME [refresh|access|sliding]")
    kind = args[1] if len(args) == 2 else "refresh"
    _setup()
    from django.contrib.auth import get_user_model
    from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, SlidingToken

    cls = {"refresh": RefreshToken, "access": AccessToken, "sliding": SlidingToken}.get(kind)
    if cls is None:
        _usage(f"unknown token kind {kind!r}")
    user = get_user_model().objects.get_by_natural_key(args[0])
    print(str(cls.for_user(user)))


def shell_json(args):
    if len(args) != 1:
        _usage("shell-json EXPR")
    _setup()
    import django
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework_simplejwt.settings import api_settings
    from rest_framework_simplejwt.tokens import (
        AccessToken,
        RefreshToken,
        SlidingToken,
        UntypedToken,
    )
    from rest_framework_simplejwt.token_blacklist.models import (
        BlacklistedToken,
        OutstandingToken,
    )

    ns = {
        "User": get_user_model(),
        "OutstandingToken": OutstandingToken,
        "BlacklistedToken": BlacklistedToken,
        "AccessToken": AccessToken,
        "RefreshToken": RefreshToken,
        "SlidingToken": SlidingToken,
        "UntypedToken": UntypedToken,
        "api_settings": api_settings,
        "settings": settings,
        "connection": connection,
        "django": django,
    }
    value = eval(args[0], ns)  # noqa: S307 - test tool, trusted input
    if hasattr(value, "values_list") and not isinstance(value, (list, tuple, dict)):
        value = list(value)
    print(json.dumps(value, default=str, ensure_ascii=False))


COMMANDS = {
    "createuser": createuser,
    "changepassword": changepassword,
    "mint": mint,
    "shell-json": shell_json,
}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        _usage()
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main(sys.argv[1:])
