package models

import "testing"

func TestNewTokenUser(t *testing.T) {
	tests := []struct {
		name   string
		claims MapClaims
		want   TokenUser
	}{
		{"id as given", MapClaims{"user_id": 1.0, "username": "alice"}, TokenUser{ID: "1", Username: "alice"}},
		{"nil claims", nil, TokenUser{ID: "1"}},
		{"flags", MapClaims{"is_staff": true, "is_superuser": true}, TokenUser{ID: "1", IsStaff: true, IsSuperuser: true}},
		{"flags must be JSON true", MapClaims{"is_staff": "true", "is_superuser": 1.0}, TokenUser{ID: "1"}},
		{"username not a string", MapClaims{"username": 5.0}, TokenUser{ID: "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NewTokenUser(tc.claims, "1")
			got.claims = nil
			if got != tc.want {
				t.Fatalf("NewTokenUser(%v) = %+v, want %+v", tc.claims, got, tc.want)
			}
		})
	}
}

func TestTokenUserBehaviour(t *testing.T) {
	u := NewTokenUser(MapClaims{"sub": "9", "username": "bob", "tenant": "acme"}, "9")
	if u.ID != "9" || u.String() != "TokenUser 9" || u.GetUsername() != "bob" {
		t.Fatalf("got %+v / %q", u, u.String())
	}
	if !u.GetIsActive() || u.GetPassword() != "" || !u.IsAuthenticated() {
		t.Fatal("a TokenUser is active, authenticated and has no password")
	}
	if v, ok := u.Claim("tenant"); !ok || v != "acme" {
		t.Fatalf("Claim(tenant) = %v, %v", v, ok)
	}
	if _, ok := u.Claim("absent"); ok {
		t.Fatal("Claim(absent) reported present")
	}
	other := NewTokenUser(MapClaims{"sub": "9"}, "9")
	if !u.Equal(other) || u.Equal(NewTokenUser(MapClaims{"sub": "10"}, "10")) {
		t.Fatal("Equal must compare IDs only")
	}
	var zero TokenUser
	if _, ok := zero.Claim("x"); ok || zero.String() != "TokenUser " {
		t.Fatal("zero TokenUser misbehaves")
	}
	if got := NewTokenUser(nil, ""); got.ID != "" || got.Username != "" {
		t.Fatal("nil claims")
	}
	var _ AuthUser = u
	if _, isModel := any(u).(UserModel); isModel {
		t.Fatal("TokenUser must not be a UserModel (it cannot be saved)")
	}
}
