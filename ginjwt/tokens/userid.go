package tokens

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// ErrUserIDClaim is returned by UserIDText for a user id claim that names no user.
var ErrUserIDClaim = errors.New("tokens: the user id claim is not a non-empty string or an integer")

// maxExactInt is 2^53: beyond it a JSON number no longer names one integer (a float64, which is
// what PyJWT's and most JSON decoders give, cannot tell 2^53 from 2^53+1).
const maxExactInt = 1 << 53

// UserIDText is the one rule for the user id claim (USER_ID_CLAIM) as text, the value looked up
// by USER_ID_FIELD and the ID of a TokenUser: a string stays as it is (simplejwt ≥ 5.5.1 issues
// strings); an integral JSON number, which simplejwt 5.2.2 issued, is written in decimal, so 7
// and 7.0 both name user "7", as Django's lookup of pk=7.0 finds user 7. claim is the decoded
// value (Claims.Get: string, int64, float64, json.Number, or a Go integer given to Set).
//
// It returns ErrUserIDClaim for the empty string, a number with a fraction, a number of
// magnitude above 2^53 (where float64 decoders disagree about which integer it is), NaN and
// ±Inf, null, a boolean, an array and an object: such a claim names no user, and the
// authentication answers "Token contained no recognizable user identification".
func UserIDText(claim any) (string, error) {
	switch v := claim.(type) {
	case string:
		if v == "" {
			return "", ErrUserIDClaim
		}
		return v, nil
	case int64:
		return intText(v)
	case int:
		return intText(int64(v))
	case int32:
		return intText(int64(v))
	case uint32:
		return intText(int64(v))
	case uint64:
		if v > maxExactInt {
			return "", ErrUserIDClaim
		}
		return intText(int64(v))
	case uint:
		return UserIDText(uint64(v))
	case float64:
		return floatText(v)
	case float32:
		return floatText(float64(v))
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return intText(n)
		}
		f, err := v.Float64()
		if err != nil {
			return "", ErrUserIDClaim
		}
		return floatText(f)
	}
	return "", ErrUserIDClaim
}

func intText(n int64) (string, error) {
	if n > maxExactInt || n < -maxExactInt {
		return "", ErrUserIDClaim
	}
	return strconv.FormatInt(n, 10), nil
}

func floatText(f float64) (string, error) {
	if f != math.Trunc(f) || math.Abs(f) > maxExactInt { // NaN and ±Inf fail one of the two
		return "", ErrUserIDClaim
	}
	return strconv.FormatInt(int64(f), 10), nil
}
