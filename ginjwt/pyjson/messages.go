package pyjson

// CPython's error messages, as str() of the exception prints them. DRF renders a failed parse
// as "JSON parse error - " + this text, so the wording is part of the wire format. Each one is
// checked against CPython's own answer for some input of testdata/loads.json.

// json.JSONDecodeError: the message, then ": line L column C (char N)".
const (
	msgExpectingValue    = "Expecting value"
	msgExpectingProperty = "Expecting property name enclosed in double quotes"
	msgExpectingColon    = "Expecting ':' delimiter"
	msgExpectingComma    = "Expecting ',' delimiter"
	msgExtraData         = "Extra data"
	msgBOM               = "Unexpected UTF-8 BOM (decode using utf-8-sig)"
	msgControlCharacter  = "Invalid control character at"
	msgUnterminated      = "Unterminated string starting at"
	msgInvalidEscape     = `Invalid \escape`
	msgInvalidUEscape    = `Invalid \uXXXX escape`
)

// ValueError and RecursionError, without a position.
const (
	// msgOutOfRange is DRF's strict_constant, followed by repr() of the constant.
	msgOutOfRange = "Out of range float values are not JSON compliant: "
	// msgIntDigits is int()'s limit (sys.get_int_max_str_digits), with the limit and the
	// number of digits.
	msgIntDigits = "Exceeds the limit (%d digits) for integer string conversion: value has %d digits; " +
		"use sys.set_int_max_str_digits() to increase the limit"
	msgRecursionObject = "maximum recursion depth exceeded while decoding a JSON object from a unicode string"
	msgRecursionArray  = "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
)

// UnicodeDecodeError: "'<codec>' codec can't decode byte 0xNN in position P: <reason>" (or
// "bytes in position P-Q").
const (
	reasonInvalidStart        = "invalid start byte"
	reasonInvalidContinuation = "invalid continuation byte"
	reasonNotASCII            = "ordinal not in range(128)"
)

// messages lists the table for the tests.
var messages = []string{
	msgExpectingValue, msgExpectingProperty, msgExpectingColon, msgExpectingComma, msgExtraData,
	msgBOM, msgControlCharacter, msgUnterminated, msgInvalidEscape, msgInvalidUEscape,
	msgOutOfRange, "Exceeds the limit (4300 digits) for integer string conversion", msgRecursionObject,
	msgRecursionArray, reasonInvalidStart, reasonInvalidContinuation, reasonNotASCII,
}
