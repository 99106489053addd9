#!/usr/bin/python3
"""Python's answers for DRF's JSONParser, for pyjson.TestLoadsGolden.

Regenerate with `/usr/bin/python3 ginjwt/pyjson/testdata/gen_loads.py > ginjwt/pyjson/testdata/loads.json`.

Each case is a body (hex) and a charset. "error" is the ParseError detail DRF renders
("JSON parse error - " + str(ValueError)), exactly as rest_framework.parsers.JSONParser.parse
builds it (codecs.getreader(charset)(stream) then json.load with DRF's strict_constant);
"recursion" marks a RecursionError, "recursion_error" its text (DRF: HTTP 500; the port
answers 400). Otherwise "value" is the parsed value as json.dumps(sort_keys=True,
ensure_ascii=True, compact) and "type" its Python type name, and the value is encoded again, in its own key order, the two ways the
Python side writes JSON: "dumps" is json.dumps(value, ensure_ascii=True, allow_nan=False,
compact), as PyJWT encodes a payload (PyJWT allows NaN; simplejwt's claims never hold one), or
"dumps_error"; "render" is DRF's JSONRenderer().render(value) with its default settings, or
"render_error" (for null, DRF renders an empty body: no "render").
"""
import codecs
import io
import json
import random
import sys


def strict_constant(o):  # rest_framework.utils.json.strict_constant
    raise ValueError("Out of range float values are not JSON compliant: " + repr(o))


def dumps_and_render(value):
    from rest_framework.renderers import JSONRenderer

    out = {}
    try:
        out["dumps"] = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    except ValueError as exc:
        out["dumps_error"] = str(exc)
    if value is not None:
        try:
            out["render"] = JSONRenderer().render(value).decode("utf-8")
        except (ValueError, UnicodeError) as exc:
            out["render_error"] = str(exc)
    return out


def drf_parse(body, charset):
    reader = codecs.getreader(charset)(io.BytesIO(body))
    try:
        value = json.load(reader, parse_constant=strict_constant)
    except RecursionError as exc:
        return {"recursion": True, "recursion_error": str(exc)}
    except ValueError as exc:
        return {"error": "JSON parse error - %s" % exc}
    out = {"type": type(value).__name__,
           "value": json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))}
    out.update(dumps_and_render(value))
    return out


FIXED = [
    b"", b" ", b"\n", b"{}", b"[]", b"null", b"true", b"false", b"1", b"-0", b"1.5", b"1e400", b"-1e400",
    b'"x"', b"{", b"}", b"[", b"]", b"{]", b"[}", b"{,}", b"[,]", b"[1,]", b'{"a":1,}', b'{"a"}',
    b'{"a":}', b'{"a" 1}', b'{"a":1 "b":2}', b"{'a':1}", b"{a:1}", b'{"a":1}}', b'{"a":1}{}',
    b'{"a":1} x', b"not json", b"nul", b"nulll", b"tru", b"fals", b"NaN", b"-NaN", b"Infinity",
    b"-Infinity", b"-Inf", b"Infinit", b'{"a":NaN}', b'{"a":Infinity}', b'{"a":-Infinity}',
    b'[1, NaN, x]', b'[x, NaN]', b"01", b"-", b"-x", b"--1", b"1.", b"1.e5", b".5", b"1e", b"1e+", b"1e-",
    b"1E5", b"1e5x", b"1.5.5", b"0x10", b"+1", b"1 2", b'"\\u00e9"', b'"\\uD83D\\uDE00"',
    b'"\\ud83d"', b'"\\udc00"', b'"\\ud83d\\u0041"', b'"\\ud83dx"', b'"\\ud83d\\uZZZZ"', b'"\\uZZZZ"',
    b'"\\u12"', b'"\\u1234', b'"\\u', b'"\\', b'"\\x"', b'"\\/"', b'"\\b\\f\\n\\r\\t\\"\\\\"',
    b'"a\x00b"', b'"a\x1fb"', b'"a\x7fb"', b'"a\tb"', b'"abc', b'{"a":"abc', b'\xef\xbb\xbf{}',
    b' \xef\xbb\xbf{}', b'{"a":1,"a":2}', b'{"a":{"b":1,"b":[1,2]},"a":3}', b'{"A":1,"a":2}',
    b'\n\n  {"a":\n   x}', b'{"a":1,\n"b":\n\n  }', b'[[[[]]]]', b'{"a":[1,2,{"b":null}]}',
    b'\xff', b'{"a":"\xff"}', b'{"username":"\xff"}', b'{"a":"\xe2\x82', b'{}\xe2\x82', b'{}\xe2',
    b'{}\xed\xa0', b'{}\xed\xa0\x80', b'{}\xf0\x90\x80', b'{}\xf0\x90', b'{}\xf0', b'{}\xc3',
    b'{"a":"\xed\xa0\x80"}', b'{"a":"\xf0\x90\x28"}', b'{"a":"\xe2\x28\xa1"}', b'{"a":"\xc0\x80"}',
    b'{"a":"\xf4\x90\x80\x80"}', b'{"a":"\xf5"}', b'{"a":"\x80"}', b'{"a":"\xe0\x80\x80"}',
    b'{"a":"\xe0\xa0"}', b'{"a":"\xf0\x80\x80\x80"}', b'{"a":"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"}',
    b'{"\xc3\xa9":"x", "b": 1', b'{"a":"\xc3\xa9" x}', b'\xc3\xa9', b'["\xc3\xa9", 1 2]',
    b'1' * 4300, b'1' * 4301, b'-' + b'1' * 4301, b'{"a":' + b'1' * 5000 + b'}', b'1' * 5000 + b'.5',
    b'[' * 10 + b']' * 10, b'[' * 100000, b'{"a":' * 50000, b'{"a":' * 10 + b'1' + b'}' * 10,
    b'{"username":12345678901234567890123,"password":-0}', b'{"username":1e400,"password":1.0}',
    b'{"x":1e16,"y":1e15,"z":0.0001,"w":0.00001,"v":123456789.123456789,"u":2.5e-7,"t":-0.0}',
    b'{"x":1E+2,"y":1e-2,"z":5e-324,"w":1.7976931348623157e308,"v":1e-400}',
    b'{"b":1,"a":{"d":[1,{"z":0,"y":1}],"c":2},"b":3}', b'["\\u2028\\u2029", "\xe2\x80\xa8", "\xf0\x9f\x98\x80"]',
    b'["\\u0000\\u001f\\u007f\\"\\\\/<>&\\b\\f\\n\\r\\t"]',
    b'[-0.0, 0.1, 1e22, 123456789012345678901234567890, -1e-7, 1.5E+300]',
]


def mutations(rng, seeds):
    alphabet = [b'"', b"\\", b"{", b"}", b"[", b"]", b":", b",", b" ", b"\n", b"u", b"e", b"E", b"-", b"+",
                b"0", b"1", b"9", b".", b"N", b"a", b"n", b"l", b"t", b"r", b"\x00", b"\x1f", b"\t",
                b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xff", b"\xc3", b"\xe2\x82",
                b"\xed\xa0\x80", b"\xf0\x90", b"\\u", b"\\ud800", b"\\udc00", b"\\u00", b"1e", b"Infinity"]
    out = []
    for _ in range(700):
        s = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            op = rng.randrange(4)
            pos = rng.randint(0, len(s))
            if op == 0 and s:
                del s[min(pos, len(s) - 1)]
            elif op == 1:
                s[pos:pos] = rng.choice(alphabet)
            elif op == 2:
                s = s[:pos]
            else:
                s[pos:pos] = rng.choice(alphabet) + rng.choice(alphabet)
        out.append(bytes(s))
    return out


def main():
    from django.conf import settings

    settings.configure()
    rng = random.Random(20261124)
    seeds = [b'{"username":"alice","password":"alice-password-1"}', b'{"refresh":"a.b.c"}',
             b'{"a":[1,2.5,-3e2,true,false,null,{"b":"\\u00e9\\ud83d\\ude00"}]}',
             b'{"token":"x", "n": -0.5e-3}', b'["x", {"y": [null]}]', b'"\\ud83d\\ude00\\n"']
    bodies = [(b, "utf-8") for b in FIXED] + [(b, "utf-8") for b in mutations(rng, seeds)]
    for b in [b'{"a":"\xff"}', b'{"a":"\xc3\xa9"}', b'{"a":"\x80\x81"}', b'{"a":1}\xff', b'\xff']:
        bodies += [(b, "latin-1"), (b, "ascii")]
    seen, cases = set(), []
    for body, charset in bodies:
        if (body, charset) in seen:
            continue
        seen.add((body, charset))
        case = {"hex": body.hex(), "charset": charset}
        case.update(drf_parse(body, charset))
        cases.append(case)
    json.dump({"about": __doc__.strip().splitlines()[0], "python": sys.version.split()[0], "cases": cases},
              sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
