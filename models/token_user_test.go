package models

import (
	"encoding/json"
	"math"
	"testing"
)

func TestNewTokenUser(t *testing.T) {
	tests := []struct {
		name   string
		claims MapClaims
		want   TokenUser
	}{
		{"string id", MapClaims{"user_id": "42", "username": "alice"}, TokenUser{ID: "42", Username: "alice"}},
		{"int id (simplejwt < 5.5.1)", MapClaims{"user_id": float64(1)}, TokenUser{ID: "1"}},
		{"1.0 finds user 1", MapClaims{"user_id": 1.0}, TokenUser{ID: "1"}},
		{"json.Number", MapClaims{"user_id": json.Number("7")}, TokenUser{ID: "7"}},
		{"json.Number 7.0", MapClaims{"user_id": json.Number("7.0")}, TokenUser{ID: "7"}},
		{"fraction", MapClaims{"user_id": 1.5}, TokenUser{ID: "1.5"}},
		{"uuid", MapClaims{"user_id": "0f8fad5b-d9cb-469f-a165-70867728950e"}, TokenUser{ID: "0f8fad5b-d9cb-469f-a165-70867728950e"}},
		{"missing", MapClaims{}, TokenUser{}},
		{"null", MapClaims{"user_id": nil}, TokenUser{}},
		{"bool", MapClaims{"user_id": true}, TokenUser{}},
		{"object", MapClaims{"user_id": map[string]any{"$ne": nil}}, TokenUser{}},
		{"NaN", MapClaims{"user_id": math.NaN()}, TokenUser{}},
		{"flags", MapClaims{"user_id": "1", "is_staff": true, "is_superuser": true}, TokenUser{ID: "1", IsStaff: true, IsSuperuser: true}},
		{"flags must be JSON true", MapClaims{"user_id": "1", "is_staff": "true", "is_superuser": 1.0}, TokenUser{ID: "1"}},
		{"username not a string", MapClaims{"user_id": "1", "username": 5.0}, TokenUser{ID: "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NewTokenUser(tc.claims, "user_id")
			got.claims = nil
			if got != tc.want {
				t.Fatalf("NewTokenUser(%v) = %+v, want %+v", tc.claims, got, tc.want)
			}
		})
	}
}

func TestTokenUserBehaviour(t *testing.T) {
	u := NewTokenUser(MapClaims{"sub": "9", "username": "bob", "tenant": "acme"}, "sub")
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
	other := NewTokenUser(MapClaims{"sub": "9"}, "sub")
	if !u.Equal(other) || u.Equal(NewTokenUser(MapClaims{"sub": "10"}, "sub")) {
		t.Fatal("Equal must compare IDs only")
	}
	var zero TokenUser
	if _, ok := zero.Claim("x"); ok || zero.String() != "TokenUser " {
		t.Fatal("zero TokenUser misbehaves")
	}
	if got := NewTokenUser(nil, "user_id"); got.ID != "" {
		t.Fatal("nil claims")
	}
	var _ AuthUser = u
	if _, isModel := any(u).(UserModel); isModel {
		t.Fatal("TokenUser must not be a UserModel (it cannot be saved)")
	}
}

func TestClaimText(t *testing.T) {
	tests := map[any]string{
		"x": "x", 1.0: "1", -3.0: "-3", 1e20: "1e+20", 0.1: "0.1",
		int64(5): "5", 5: "5", uint64(math.MaxUint64): "18446744073709551615",
		json.Number("12345678901234567890"): "12345678901234567890", json.Number("-0"): "0", json.Number("1e400"): "",
		math.Inf(1): "", nil: "", false: "",
	}
	for in, want := range tests {
		if got := ClaimText(in); got != want {
			t.Errorf("ClaimText(%#v) = %q, want %q", in, got, want)
		}
	}
	if got := ClaimText([]any{"1"}); got != "" {
		t.Errorf("ClaimText(array) = %q", got)
	}
}
