package models

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

// TokenUser is simplejwt's stateless user (rest_framework_simplejwt.models.TokenUser), built from a validated token without touching the database: what
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

// NewTokenUser builds the TokenUser of a validated token's claims; id is its user id claim as
// text, which the caller derives with the token layer's one rule (tokens.UserIDText, or
// tokens.Token.UserID) — models does not interpret claims. Username is the "username" claim when
// it is a string; IsStaff and IsSuperuser are true only for the JSON true.
func NewTokenUser(claims Claims, id string) TokenUser {
	u := TokenUser{ID: id, claims: claims}
	if claims == nil {
		return u
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
