#!/usr/bin/python3
"""Golden Django password hashes for the tests of models/hashers, and a Django oracle for them.

    /usr/bin/python3 testdata/gen_django_hashes.py > testdata/django_hashes.json
    /usr/bin/python3 testdata/gen_django_hashes.py check < requests.json > answers.json

The first form writes the golden vectors: every hash is made by Django's own hasher classes
(django.contrib.auth.hashers, Debian's python3-django with python3-argon2 and python3-bcrypt),
with fixed salts, so running it again gives the same file. For each vector Django's
check_password is asked about the right and the wrong password and must say True / False, and
Django's must_update is recorded for a hasher configured with the vector's own parameters.

Debian 12 ships Django 3.2, which has no ScryptPasswordHasher (added in Django 4.0). When the
installed Django lacks it, the class below is used: Django 4.0's ScryptPasswordHasher (encode,
decode, verify, must_update, harden_runtime), which is nothing but hashlib.scrypt with
maxmem=0 and dklen=64 and the format scrypt$N$salt$r$p$hash. Its vectors say so in "source".
The Go test also checks Django's own published scrypt vector, which does not depend on this.

The "check" form reads a JSON object {"check": [...], "make": [...]} on stdin, answers
{"check": [...], "make": [...]} on stdout, and is what the Go-to-Django test runs:
  check: {"password", "encoded"}  -> {"ok": check_password(password, encoded)}
  make:  {"algorithm", "password", "salt", "params"}
         -> {"encoded": make_password(password, salt, hasher)} where hasher is Django's hasher
            for algorithm with params (iterations, time_cost, memory_cost, parallelism, rounds,
            work_factor, block_size) set on it, or {"error": "..."} if Django raises.
"""

import base64
import hashlib
import json
import sys

import django
from django.conf import settings

from django.contrib.auth import hashers as dj  # noqa: E402  (settings are read lazily)
from django.utils.crypto import constant_time_compare


class ScryptPasswordHasher(dj.BasePasswordHasher):
    """Django 4.0's ScryptPasswordHasher, for Djangos that predate it (see the module doc)."""

    algorithm = "scrypt"
    block_size = 8
    maxmem = 0
    parallelism = 1
    work_factor = 2**14

    def encode(self, password, salt, n=None, r=None, p=None):
        assert password is not None
        assert salt and "$" not in salt
        n = n or self.work_factor
        r = r or self.block_size
        p = p or self.parallelism
        hash_ = hashlib.scrypt(
            password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=self.maxmem, dklen=64
        )
        hash_ = base64.b64encode(hash_).decode("ascii").strip()
        return "%s$%d$%s$%d$%d$%s" % (self.algorithm, n, salt, r, p, hash_)

    def decode(self, encoded):
        algorithm, work_factor, salt, block_size, parallelism, hash_ = encoded.split("$", 6)
        assert algorithm == self.algorithm
        return {
            "algorithm": algorithm,
            "work_factor": int(work_factor),
            "salt": salt,
            "block_size": int(block_size),
            "parallelism": int(parallelism),
            "hash": hash_,
        }

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        encoded_2 = self.encode(
            password,
            decoded["salt"],
            decoded["work_factor"],
            decoded["block_size"],
            decoded["parallelism"],
        )
        return constant_time_compare(encoded, encoded_2)

    def must_update(self, encoded):
        decoded = self.decode(encoded)
        return (
            decoded["work_factor"] != self.work_factor
            or decoded["block_size"] != self.block_size
            or decoded["parallelism"] != self.parallelism
        )

    def harden_runtime(self, password, encoded):
        pass


NATIVE_SCRYPT = hasattr(dj, "ScryptPasswordHasher")
SCRYPT_PATH = (
    "django.contrib.auth.hashers.ScryptPasswordHasher" if NATIVE_SCRYPT else "__main__.ScryptPasswordHasher"
)

CANDIDATES = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    SCRYPT_PATH,
    "django.contrib.auth.hashers.BCryptPasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.SHA1PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
]
# Only the hashers this Django ships (sha1 and the unsalted ones left in Django 5.1).
HASHERS = [p for p in CANDIDATES if p.startswith("__main__.") or hasattr(dj, p.rsplit(".", 1)[1])]

settings.configure(PASSWORD_HASHERS=HASHERS, USE_I18N=False)
django.setup()

PARAM_ATTRS = ("iterations", "time_cost", "memory_cost", "parallelism", "rounds", "work_factor", "block_size")


def configured(algorithm, params):
    """A fresh instance of Django's hasher for algorithm, with params set on it."""
    hasher = type(dj.get_hasher(algorithm))()
    for k, v in (params or {}).items():
        assert k in PARAM_ATTRS, k
        setattr(hasher, k, v)
    return hasher


def source(algorithm):
    h = dj.get_hasher(algorithm)
    return "%s.%s" % (type(h).__module__, type(h).__name__) + (
        " (Django 4.0's class, see the script)" if type(h).__module__ == "__main__" else ""
    )


# Fixed salts: strong ones have Django's 22 characters, weak ones are shorter (must_update).
S1 = "Dj4ngoS4ltTw3ntyTw0Chr"  # 22
S2 = "q8WzL0pXrT5vB2nM7cKd1Y"  # 22
WEAK = "seasalt"
BCRYPT_SALT_4 = "$2b$04$abcdefghijklmnopqrstuu"  # canonical: the last character carries 2 bits
BCRYPT_SALT_12 = "$2b$12$Q9vX0nS3aL7kE2rT8yU1wO"

PASSWORDS = [
    ("lètmein", "lètmeinz"),
    ("pässwörd", "passwörd"),
    ("correct horse battery staple", "correct horse battery stapl"),
    ("\U0001F511密码\U0001F642", "\U0001F511密码\U0001F643"),
    ("", " "),
    (" ", ""),
    ("$dollar$sign$", "$dollar$sign"),
]
LONG = [
    ("a" * 72, "a" * 71 + "b"),
    ("é" * 36, "é" * 35 + "e"),  # 72 bytes of 2-byte characters
    ("é" * 36 + "x", "é" * 36 + "y"),  # 73 bytes
    ("a" * 71 + "é", "a" * 71 + "è"),  # 73 bytes, the 72nd byte in the middle of "é"
    ("x" * 4096, "x" * 4095),  # MaxPasswordLength
]


def django_salt(algorithm, salt):
    """Django's bcrypt hashers take the salt as bytes (what bcrypt.gensalt returns)."""
    return salt.encode("ascii") if algorithm.startswith("bcrypt") else salt


def vector(algorithm, password, wrong, salt, params=None, note=""):
    hasher = configured(algorithm, params)
    encoded = dj.make_password(password, django_salt(algorithm, salt), hasher)
    ok = dj.check_password(password, encoded)
    bad = dj.check_password(wrong, encoded)
    v = {
        "algorithm": algorithm,
        "params": params or {},
        "salt": salt,
        "password": password,
        "wrong": wrong,
        "encoded": encoded,
        "django_check_password": ok,
        "django_check_wrong": bad,
        "django_must_update_same_params": hasher.must_update(encoded),
        "source": source(algorithm),
    }
    if note:
        v["note"] = note
    return v


def generate():
    out = []
    low = {
        "pbkdf2_sha256": [{"iterations": 1000}],
        "pbkdf2_sha1": [{"iterations": 1000}],
        "argon2": [{"time_cost": 1, "memory_cost": 64, "parallelism": 2}],
        "bcrypt_sha256": [{"rounds": 4}],
        "bcrypt": [{"rounds": 4}],
        "scrypt": [{"work_factor": 1024, "block_size": 8, "parallelism": 1}],
    }
    algorithms = [type(h).algorithm for h in dj.get_hashers()]
    for alg in algorithms:
        for params in low.get(alg, [None]):
            for i, (pw, wrong) in enumerate(PASSWORDS + LONG):
                if alg.startswith("unsalted"):
                    salt = ""
                elif alg.startswith("bcrypt"):
                    salt = BCRYPT_SALT_4
                else:
                    salt = [S1, S2, WEAK][i % 3]
                if alg == "bcrypt" and len(pw.encode()) > 72:
                    note = "Django's bcrypt truncates at 72 bytes; the Go port refuses longer passwords"
                else:
                    note = ""
                if alg == "argon2" and len(salt) < 8:
                    salt = "abcdefghijk"  # argon2 wants 8 bytes; still weak (Django's test salt)
                if pw == "x" * 4096 and alg not in ("pbkdf2_sha256", "md5"):
                    continue
                out.append(vector(alg, pw, wrong, salt, params, note))
    # One hash at each hasher's default parameters of this Django.
    for alg in algorithms:
        salt = "" if alg.startswith("unsalted") else BCRYPT_SALT_12 if alg.startswith("bcrypt") else S2
        out.append(vector(alg, "lètmein", "lètmeinz", salt, None, "this Django's default parameters"))
    # And PBKDF2 at Django 6.0's default count, through Django's own encode(iterations=...).
    out.append(
        vector("pbkdf2_sha256", "pässwörd", "passwörd", S1, {"iterations": 1_200_000}, "Django 6.0's default count")
    )
    # Django's default Argon2 parameters (t=2, m=102400, p=8) once more with a weak salt.
    out.append(vector("argon2", "pässwörd", "pässwörd ", "abcdefghijk", None, "weak salt, Django's test"))
    return out


def check():
    req = json.load(sys.stdin)
    res = {"check": [], "make": []}
    for c in req.get("check", []):
        res["check"].append({"ok": dj.check_password(c["password"], c["encoded"])})
    for m in req.get("make", []):
        try:
            hasher = configured(m["algorithm"], m.get("params"))
            res["make"].append({"encoded": dj.make_password(m["password"], django_salt(m["algorithm"], m["salt"]), hasher)})
        except Exception as e:  # noqa: BLE001 - reported to the Go test
            res["make"].append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(res, sys.stdout)


def main():
    if sys.argv[1:] == ["check"]:
        check()
        return
    import argon2
    import bcrypt

    doc = {
        "generator": "testdata/gen_django_hashes.py",
        "django": django.get_version(),
        "argon2_cffi": argon2.__version__,
        "bcrypt": bcrypt.__version__,
        "password_hashers": HASHERS,
        "native_scrypt": NATIVE_SCRYPT,
        "default_pbkdf2_iterations": dj.PBKDF2PasswordHasher.iterations,
        "vectors": generate(),
    }
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
