package main

import (
	"context"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// This file shows simplejwt's documented customisation, custom claims, in Go. In Django:
//
//	class MyTokenObtainPairSerializer(TokenObtainPairSerializer):
//	    @classmethod
//	    def get_token(cls, user):
//	        token = super().get_token(user)
//	        token["username"] = user.username
//	        return token
//
// Go has no virtual dispatch through embedding, so the default serializer takes the override
// as a hook: GetToken receives the refresh token that for_user made ("super" has run) and
// returns the token to issue. The access token derived from it gets the claim too, which is
// what GET /api/me/stateless/ shows.

// customClaims are the claims obtainSerializer adds; /api/me/stateless/ echoes them.
var customClaims = []string{"username"}

// obtainSerializer is TOKEN_OBTAIN_SERIALIZER: simplejwt's TokenObtainPairSerializer with a
// "username" claim.
func obtainSerializer() *serializers.TokenObtainPair {
	return &serializers.TokenObtainPair{GetToken: addUsernameClaim}
}

// addUsernameClaim is the get_token override.
func addUsernameClaim(_ context.Context, _ *serializers.Env, user models.AuthUser, t *tokens.Token) (*tokens.Token, error) {
	if u, ok := user.(interface{ GetUsername() string }); ok { // *models.User
		t.Set("username", u.GetUsername())
	}
	return t, nil
}
