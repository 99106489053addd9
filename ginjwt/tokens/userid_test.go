package tokens_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

func TestUserIDText(t *testing.T) {
	tests := []struct {
		name  string
		claim any
		want  string // "" means ErrUserIDClaim
	}{
		{"string (simplejwt ≥ 5.5.1)", "42", "42"},
		{"uuid string", "0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{"string that looks like a float stays as it is", "1.0", "1.0"},
		{"empty string", "", ""},
		{"int64 (simplejwt 5.2.2)", int64(1), "1"},
		{"negative int64", int64(-1), "-1"},
		{"Go int given to Set", 7, "7"},
		{"2^53", int64(1 << 53), "9007199254740992"},
		{"2^53+1", int64(1<<53 + 1), ""},
		{"uint64 beyond 2^53", uint64(math.MaxUint64), ""},
		{"float 1.0 names user 1", 1.0, "1"},
		{"float -0", math.Copysign(0, -1), "0"},
		{"float with a fraction", 1.5, ""},
		{"float 1e20", 1e20, ""},
		{"NaN", math.NaN(), ""},
		{"+Inf", math.Inf(1), ""},
		{"json.Number integer", json.Number("7"), "7"},
		{"json.Number 7.0", json.Number("7.0"), "7"},
		{"json.Number beyond int64", json.Number("12345678901234567890"), ""},
		{"null", nil, ""},
		{"bool", true, ""},
		{"array", []any{"1"}, ""},
		{"object", map[string]any{"$ne": nil}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tokens.UserIDText(tc.claim)
			if tc.want == "" {
				if !errors.Is(err, tokens.ErrUserIDClaim) || got != "" {
					t.Fatalf("UserIDText(%#v) = %q, %v; want ErrUserIDClaim", tc.claim, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("UserIDText(%#v) = %q, %v; want %q", tc.claim, got, err, tc.want)
			}
		})
	}
}
