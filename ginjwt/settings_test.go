package ginjwt_test

import (
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// TestJTIClaimNoneWithTheBlacklist: New refuses JTI_CLAIM None while the token blacklist is
// installed, whichever store holds it (before, it started and every login answered 401 "Token
// has no id"); without the blacklist JTI_CLAIM None works.
func TestJTIClaimNoneWithTheBlacklist(t *testing.T) {
	for _, gormStore := range []bool{false, true} {
		s := ginjwt.DefaultSettings()
		s.SigningKey, s.JTIClaim = key, tokens.Disabled
		var db *gorm.DB
		if gormStore {
			db = freshDB(t, "sqlite") // models.GormTokenStore on Django's tables
		} else {
			s.UserStore, s.TokenStore = newUsers(), modelstest.NewTokens(nil)
		}
		_, err := ginjwt.New(db, s)
		var se *tokens.SettingError
		if !errors.As(err, &se) || se.Key != "JTI_CLAIM" || se.Field != "JTIClaim" ||
			!strings.HasPrefix(err.Error(), "SIMPLE_JWT_JTI_CLAIM (Settings.JTIClaim): cannot be None while the token blacklist is installed") {
			t.Errorf("GORM store %v: got %v", gormStore, err)
		}
	}
	j := newJWT(t, newUsers(), func(s *ginjwt.Settings) { s.JTIClaim = tokens.Disabled })
	if w := do(engine(j), "/me", "Bearer "+mint(t, j, tokens.AccessToken, "1", nil)); w.Code != 200 {
		t.Errorf("JTI_CLAIM None without the blacklist: %d %s", w.Code, w.Body)
	}
}
