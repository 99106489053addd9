package tokens_test

import (
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

func TestValidJTI(t *testing.T) {
	tests := []struct {
		name string
		jti  string
		want bool
	}{
		{"uuid4 hex", "0f8fad5bd9cb469fa16570867728950e", true},
		{"one character", "j", true},
		{"255 ASCII characters", strings.Repeat("a", 255), true},
		{"256 ASCII characters", strings.Repeat("a", 256), false},
		{"255 two-byte characters (510 bytes)", strings.Repeat("é", 255), true},
		{"256 two-byte characters", strings.Repeat("é", 256), false},
		{"255 four-byte characters (1020 bytes)", strings.Repeat("😀", 255), true},
		{"empty", "", false},
		{"NUL", "a\x00b", false},
		{"invalid UTF-8", "a\xffb", false},
		{"lone surrogate encoded", "\xed\xa0\x80", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tokens.ValidJTI(tc.jti); got != tc.want {
				t.Errorf("ValidJTI(%d bytes) = %v, want %v", len(tc.jti), got, tc.want)
			}
		})
	}
}
