"""Answers of DRF's own throttling code, for the Go tests to compare with.

Reads a JSON request on stdin:
  {"parse": ["5/min", ...],
   "details": [59.0, 1.0, ...],
   "runs": [{"rate": "3/min", "steps": [{"t": 0.0, "rate": "2/min"?}, ...]}, ...]}
and writes on stdout:
  {"parse": [[num, duration] | null, ...],
   "details": [{"body": "...", "retry_after": "59" | null}, ...],
   "runs": [[{"allowed": bool, "wait": float | null}, ...], ...]}
"""
import json
import sys

import django
from django.conf import settings

settings.configure(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {}},
)
django.setup()

from django.core.cache import cache  # noqa: E402
from rest_framework.exceptions import Throttled  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402
from rest_framework.views import exception_handler  # noqa: E402

req = json.load(sys.stdin)
out = {"parse": [], "details": [], "runs": []}

for rate in req.get("parse") or []:
    try:
        num, duration = SimpleRateThrottle.parse_rate(None, rate)
        out["parse"].append([num, duration])
    except Exception:
        out["parse"].append(None)

for wait in req.get("details") or []:
    resp = exception_handler(Throttled(wait), {})
    out["details"].append({
        "status": resp.status_code,
        "body": JSONRenderer().render(resp.data).decode(),
        "retry_after": resp.headers.get("Retry-After"),
    })


class Clock:
    now = 0.0


class Scripted(SimpleRateThrottle):
    scope = "scripted"
    timer = staticmethod(lambda: Clock.now)

    def __init__(self, rate):
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def get_cache_key(self, request, view):
        return "throttle_scripted_client"


for run in req.get("runs") or []:
    cache.clear()
    answers = []
    rate = run["rate"]
    for step in run["steps"]:
        rate = step.get("rate", rate)
        Clock.now = step["t"]
        th = Scripted(rate)
        allowed = th.allow_request(None, None)
        answers.append({"allowed": allowed, "wait": None if allowed else th.wait()})
    out["runs"].append(answers)

json.dump(out, sys.stdout)
