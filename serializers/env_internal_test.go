package serializers

import "testing"

// TestCleanCredentials is Django's _clean_credentials: every value whose key matches
// api|token|key|secret|password|signature, in any case and anywhere in the key, is masked;
// the input is left as it is.
func TestCleanCredentials(t *testing.T) {
	in := map[string]string{"username": "alice", "password": "p", "API_KEY": "k", "my_token": "t", "Secret": "s", "signature": "x", "email": "e"}
	out := cleanCredentials(in)
	tests := []struct{ key, want string }{
		{"username", "alice"},
		{"email", "e"},
		{"password", cleansedSubstitute},
		{"API_KEY", cleansedSubstitute},
		{"my_token", cleansedSubstitute},
		{"Secret", cleansedSubstitute},
		{"signature", cleansedSubstitute},
	}
	for _, tc := range tests {
		if out[tc.key] != tc.want {
			t.Errorf("%s = %q, want %q", tc.key, out[tc.key], tc.want)
		}
	}
	if in["password"] != "p" || cleansedSubstitute != "********************" {
		t.Error("input modified, or not Django's substitute")
	}
}
