// Package pyjson is Python's json module as PyJWT, Django REST framework and Django use it: the
// encoder that writes JWT payloads and response bodies, the decoder that reads request bodies,
// and the ordered object (Python's dict) in between.
//
// It exists because a Go service that shares tokens, clients and a database with a Django
// service must write and read the very bytes the Django side does, and Go's encoding/json
// differs from Python's json in every place that shows: it escapes <, > and &, sorts map keys,
// writes 1e16 and 1 where Python writes 1e+16 and 1.0, keeps non-ASCII characters raw where
// PyJWT escapes them, accepts what Python refuses and answers in its own words where DRF sends
// Python's ("JSON parse error - Expecting value: line 1 column 1 (char 0)"). The package
// imports the standard library only, so tokens, serializers and views all use it.
//
// # Dumps
//
// AppendValue, AppendString and AppendRaw write what json.dumps writes with compact separators,
// in one of its two modes: ensureASCII for PyJWT's payloads and headers (every character
// outside printable ASCII as \uXXXX), or not, for DRF's JSONRenderer (raw UTF-8, U+2028 and
// U+2029 escaped as DRF does). Floats are Python's repr ("1e+16", "1e-05", "1.0"); NaN and
// infinities are refused with ErrNonFinite, as DRF's STRICT_JSON refuses them.
//
// # Loads
//
// Loads is json.loads as DRF's JSONParser runs it: the body decoded by the charset's Codec as
// Python's codecs module reads a stream, then CPython's scanner, transcribed from
// Modules/_json.c so that every error carries CPython's message and position (counted in code
// points). Python strings can hold lone surrogates ("\ud800" is valid JSON to Python); Loads
// keeps them in WTF-8, and Strip, Len and FirstSurrogate read them as Python's str does, for
// DRF's CharField.
//
// # One ordered object
//
// Object is Python's dict: keys in insertion order, a repeated key keeping its first position
// and its last value. Loads makes every JSON object an Object, serializers receive request data
// and return response bodies as Objects, and views render them.
//
// The JWT payload (tokens.Claims) stays a type of its own that shares this package's encoder
// and raw scanner (ScanObject, Unquote) rather than being an Object, for two reasons. A decoded
// payload keeps each claim as its raw JSON text and decodes it only when read: the
// authentication middleware reads the few claims it checks without decoding the others, in
// storage inline in the token, and an Object holding raw text in its values would allocate for
// each claim. And a payload
// with a repeated claim is refused (RFC 7519 §4 allows it, and no two parsers can then disagree
// about which value counts), where json.loads keeps the last one.
//
// # Differences from Python, by choice
//
//   - A lone surrogate in a string being encoded is written as U+FFFD per invalid byte, not as
//     \udXXXX (ensureASCII) nor refused (DRF's renderer fails to encode it).
//   - NaN, Infinity and -Infinity are refused when decoding (DRF's strict_constant) and when
//     encoding (DRF's allow_nan=False), also where PyJWT would write them.
//   - Nesting deeper than 500 levels is refused with the text of Python's RecursionError;
//     Python's limit depends on its stack.
//   - Codecs: UTF-8, ASCII and Latin-1 (with Python's aliases); other charsets read as UTF-8.
//
// testdata/loads.json holds CPython 3.11's answers for a corpus of bodies (the error text, or
// the value and how json.dumps and DRF's renderer write it again); the tests replay it, and the
// fuzz targets check that Loads never panics and that what it accepts round-trips.
package pyjson
