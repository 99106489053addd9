package ginjwt_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// TestJTIClaimNoneWithTheBlacklist: New refuses JTI_CLAIM None while the token blacklist is
// installed, whichever store holds it (before, it started and every login answered 401 "Token
// has no id"); without the blacklist JTI_CLAIM None works.
func TestJTIClaimNoneWithTheBlacklist(t *testing.T) {
	for _, gormStore := range []bool{false, true} {
		s := ginjwt.DefaultSettings()
		s.SigningKey, s.NoJTIClaim = key, true
		var db *gorm.DB
		if gormStore {
			db = freshDB(t, "sqlite") // models.GormTokenStore on Django's tables
		} else {
			s.UserStore, s.TokenStore = newUsers(), modelstest.NewTokens(nil)
		}
		_, err := ginjwt.New(db, s)
		var se *tokens.SettingError
		if !errors.As(err, &se) || se.Key != "JTI_CLAIM" || se.Field != "NoJTIClaim" ||
			!strings.HasPrefix(err.Error(), "SIMPLE_JWT_JTI_CLAIM (Settings.NoJTIClaim): cannot be None while the token blacklist is installed") {
			t.Errorf("GORM store %v: got %v", gormStore, err)
		}
	}
	j := newJWT(t, newUsers(), func(s *ginjwt.Settings) { s.NoJTIClaim = true })
	if w := do(engine(j), "/me", "Bearer "+mint(t, j, tokens.AccessToken, "1", nil)); w.Code != 200 {
		t.Errorf("JTI_CLAIM None without the blacklist: %d %s", w.Code, w.Body)
	}
}

// TestValidateIsStable: ginjwt's Settings.Validate (and New, which calls it) report every
// problem in one fixed order, the token settings first, then DatabaseTimeout, the sessions'
// durations and the user cache's bounds, then the unknown serializer names sorted; run many times, the report, first line included, never changes (the
// serializer names are map keys: ranging over them would shuffle the report).
func TestValidateIsStable(t *testing.T) {
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.UserStore, s.NoTokenBlacklist = newUsers(), true
	s.AccessTokenLifetime = -time.Minute
	s.Leeway = -time.Second
	s.DatabaseTimeout = -time.Second
	s.RefreshTokenReuseGracePeriod, s.RevocationPollInterval = -time.Second, -time.Second
	s.UserCacheSize, s.UserCacheMaxAge = -1, -time.Second
	for _, name := range []views.EndpointName{"zeta", "alpha", "token_obtain", "mid", "beta", "omega", "gamma", "delta"} {
		s.Serializers[name] = &serializers.TokenObtainPair{}
	}
	want := []string{
		"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME (Settings.AccessTokenLifetime): must be positive, got -1m0s",
		"SIMPLE_JWT_LEEWAY (Settings.Leeway): must not be negative, got -1s",
		"Settings.DatabaseTimeout: -1s: want a positive duration (zero: the default, 3s)",
		"SIMPLE_JWT_REFRESH_TOKEN_REUSE_GRACE_PERIOD (Settings.RefreshTokenReuseGracePeriod): must not be negative",
		"Settings.RevocationPollInterval: must not be negative",
		"Settings.UserCacheSize: must not be negative",
		"Settings.UserCacheMaxAge: must not be negative",
		`Settings.Serializers["alpha"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["beta"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["delta"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["gamma"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["mid"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["omega"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["token_obtain"]: no such endpoint (see views.Endpoints)`,
		`Settings.Serializers["zeta"]: no such endpoint (see views.Endpoints)`,
	}
	for i := range 200 {
		for name, err := range map[string]error{"Validate": s.Validate(), "New": newErr(s)} {
			if got := strings.Split(fmt.Sprint(err), "\n"); !slices.Equal(got, want) {
				t.Fatalf("%s, run %d:\n%s\nwant\n%s", name, i, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if !errors.Is(err, tokens.ErrInvalidSettings) {
				t.Fatalf("%s: %v is not tokens.ErrInvalidSettings", name, err)
			}
		}
	}
	// One problem alone is returned as itself: a *tokens.SettingError.
	one := ginjwt.DefaultSettings()
	one.SigningKey, one.DatabaseTimeout = key, -1
	var se *tokens.SettingError
	if err := one.Validate(); !errors.As(err, &se) || se.Field != "DatabaseTimeout" || err != error(se) {
		t.Errorf("one problem: %#v", err)
	}
	if err := ginjwt.DefaultSettings().Validate(); err == nil || !strings.HasPrefix(err.Error(), "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): is required") {
		t.Errorf("no key: %v", err)
	}
}

func newErr(s ginjwt.Settings) error {
	_, err := ginjwt.New(nil, s)
	return err
}
