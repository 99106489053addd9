"""Settings of the reference Django project, all from the environment.

DATABASE_URL        SQLite path / sqlite:///abs/path / postgres://user@host:port/db
DJANGO_SECRET_KEY   Django SECRET_KEY (simplejwt's SIGNING_KEY defaults to it)
SIMPLE_JWT_<KEY>    one SIMPLE_JWT setting, parsed like the Go side does
                    (see refproject/envconfig.py)
REFPROJECT_BLACKLIST_APP  "false" leaves rest_framework_simplejwt.token_blacklist
                    out of INSTALLED_APPS (default true); used by the golden captures
                    to show the "app not installed" behaviour.
"""

import os
import sys
from pathlib import Path

from .envconfig import database_from_url, parse_bool, simple_jwt_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    SECRET_KEY = "refproject-insecure-default-secret-key-change-me-0123456789"
    if os.environ.get("REFPROJECT_QUIET") != "1":
        print(
            "refproject: DJANGO_SECRET_KEY is not set, using a fixed insecure default",
            file=sys.stderr,
        )

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "rest_framework_simplejwt",
]
if parse_bool(os.environ.get("REFPROJECT_BLACKLIST_APP", "true"), "REFPROJECT_BLACKLIST_APP"):
    INSTALLED_APPS.append("rest_framework_simplejwt.token_blacklist")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "refproject.urls"
WSGI_APPLICATION = None
# DRF's browsable API (text/html renderer) needs the template engine.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
STATIC_URL = "/static/"

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", ""), BASE_DIR)}
# auth_user.id stays an AutoField (django.contrib.auth pins it); this only
# silences the 3.2 warning for apps without an explicit default.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_L10N = True
USE_TZ = True
TIME_ZONE = "UTC"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": (
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ),
    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),
}

SIMPLE_JWT = simple_jwt_from_env()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    },
}
