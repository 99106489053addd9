package models

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Claims is what a TokenUser reads its data from: a validated token's payload. A decoded token
// of ginjwt/tokens implements it; MapClaims adapts a plain map.
type Claims interface {
	// Get returns the claim named key and whether it is present.
	Get(key string) (any, bool)
}

// MapClaims is a Claims backed by a map, e.g. a JSON object decoded into map[string]any.
type MapClaims map[string]any

// Get returns m[key].
func (m MapClaims) Get(key string) (any, bool) {
	v, ok := m[key]
	return v, ok
}

// TokenUser is simplejwt's stateless user (rest_framework_simplejwt.models.TokenUser, REFERENCE
// §2.5), built from a validated token without touching the database: what
// JWTStatelessUserAuthentication puts on the request.
//
// It is always active and has no password; its ID is the user id claim as text, Username the
// "username" claim (or ""), IsStaff and IsSuperuser the claims of those names (false unless the
// claim is the JSON true). Any other claim is read with Claim. Two TokenUsers are equal when
// their IDs are (Django's __eq__). It has no permissions and cannot be saved: it is not a
// UserModel.
type TokenUser struct {
	ID          string
	Username    string
	IsStaff     bool
	IsSuperuser bool
	claims      Claims
}

// NewTokenUser builds the TokenUser of claims; userIDClaim is simplejwt's USER_ID_CLAIM
// ("user_id"). The id claim becomes text as simplejwt ≥ 5.5.1 makes it: a string stays as it
// is, an integral JSON number is written in decimal ("1" for 1 and 1.0), another number in
// Python's shortest form; a missing, null, boolean or structured claim gives ID "" (the auth
// layer refuses such tokens before building a user).
func NewTokenUser(claims Claims, userIDClaim string) TokenUser {
	u := TokenUser{claims: claims}
	if claims == nil {
		return u
	}
	if v, ok := claims.Get(userIDClaim); ok {
		u.ID = ClaimText(v)
	}
	if v, ok := claims.Get("username"); ok {
		u.Username, _ = v.(string)
	}
	if v, ok := claims.Get("is_staff"); ok {
		u.IsStaff, _ = v.(bool)
	}
	if v, ok := claims.Get("is_superuser"); ok {
		u.IsSuperuser, _ = v.(bool)
	}
	return u
}

// ClaimText is the text form of a scalar claim value, used for user ids: strings as they are,
// integral numbers in decimal without a fraction (1, 1.0, json.Number("1") → "1"), other
// numbers in the shortest form that round-trips. Anything else (nil, bool, arrays, objects,
// NaN, ±Inf) gives "".
func ClaimText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return strconv.FormatInt(n, 10)
		}
		if isIntegerLiteral(string(x)) {
			return string(x) // beyond int64: keep every digit, as Python's int would
		}
		f, err := x.Float64()
		if err != nil {
			return ""
		}
		return ClaimText(f)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return ClaimText(float64(x))
	case int:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	default:
		return ""
	}
}

func isIntegerLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Claim returns the token's claim named key (Python's attribute fallback on TokenUser).
func (u TokenUser) Claim(key string) (any, bool) {
	if u.claims == nil {
		return nil, false
	}
	return u.claims.Get(key)
}

// GetIsActive is always true: a TokenUser is as active as its token (AuthUser).
func (u TokenUser) GetIsActive() bool { return true }

// GetPassword is always "": a TokenUser has no password (AuthUser).
func (u TokenUser) GetPassword() string { return "" }

// GetUsername returns the username claim.
func (u TokenUser) GetUsername() string { return u.Username }

// IsAuthenticated is always true, as for Django's TokenUser.
func (u TokenUser) IsAuthenticated() bool { return true }

// String is "TokenUser <id>".
func (u TokenUser) String() string { return "TokenUser " + u.ID }

// Equal reports whether both are the same user: equal IDs.
func (u TokenUser) Equal(other TokenUser) bool { return u.ID == other.ID }

var _ AuthUser = TokenUser{}
