package tokens

import (
	"strings"
	"time"
)

// Class is one of simplejwt's token classes (tokens.py), listed in AUTH_TOKEN_CLASSES and given
// to Manager.New, ForUser and Parse. The zero Class is no class: New refuses it.
type Class uint8

// simplejwt's token classes.
const (
	// AccessToken: token_type "access", ACCESS_TOKEN_LIFETIME; the default of AUTH_TOKEN_CLASSES.
	AccessToken Class = iota + 1
	// RefreshToken: token_type "refresh", REFRESH_TOKEN_LIFETIME; outstanded when issued and
	// checked against the blacklist when verified (BlacklistMixin) while a TokenStore is set.
	RefreshToken
	// SlidingToken: token_type "sliding", SLIDING_TOKEN_LIFETIME, plus the refresh-exp claim
	// (SLIDING_TOKEN_REFRESH_LIFETIME); blacklistable as RefreshToken.
	SlidingToken
	// UntypedToken: any token type is accepted (what /verify/ parses).
	UntypedToken
)

// classInfo is what simplejwt's class attributes say about a Class.
type classInfo struct {
	name, typ     string
	lifetime      func(*Settings) time.Duration
	blacklistable bool // BlacklistMixin
	sliding       bool // adds the refresh-exp claim
	untyped       bool // the type is not checked
}

var classes = [...]classInfo{
	AccessToken:  {name: "AccessToken", typ: "access", lifetime: func(s *Settings) time.Duration { return s.AccessTokenLifetime }},
	RefreshToken: {name: "RefreshToken", typ: "refresh", blacklistable: true, lifetime: func(s *Settings) time.Duration { return s.RefreshTokenLifetime }},
	SlidingToken: {name: "SlidingToken", typ: "sliding", blacklistable: true, sliding: true, lifetime: func(s *Settings) time.Duration { return s.SlidingTokenLifetime }},
	UntypedToken: {name: "UntypedToken", typ: "untyped", untyped: true, lifetime: func(*Settings) time.Duration { return 0 }},
}

func (c Class) info() *classInfo {
	if !c.valid() {
		return &classInfo{}
	}
	return &classes[c]
}

func (c Class) valid() bool { return c > 0 && int(c) < len(classes) }

// String returns the Python class name ("AccessToken"), which a 401's "messages" report as
// token_class; "" for a Class that is none of the constants.
func (c Class) String() string { return c.info().name }

// Type returns the token_type claim value of the class ("access").
func (c Class) Type() string { return c.info().typ }

// ClassByName returns a class by its Python name, for settings read from text ("AccessToken",
// or the dotted "rest_framework_simplejwt.tokens.AccessToken").
func ClassByName(name string) (Class, bool) {
	name = name[strings.LastIndexByte(name, '.')+1:]
	for c := AccessToken; c.valid(); c++ {
		if c.String() == name {
			return c, true
		}
	}
	return 0, false
}
