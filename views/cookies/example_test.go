package cookies_test

import (
	"fmt"

	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// The settings of a browser app, from the environment by their Python names, as the example
// service reads them.
func ExampleSettingsFromEnv() {
	env := map[string]string{
		"REST_AUTH_JWT_AUTH_COOKIE":          "access",
		"REST_AUTH_JWT_AUTH_REFRESH_COOKIE":  "refresh",
		"REST_AUTH_JWT_AUTH_COOKIE_USE_CSRF": "true",
		"CSRF_TRUSTED_ORIGINS":               "https://app.example.com,https://*.example.org",
	}
	s, err := cookies.SettingsFromEnv(cookies.Settings{}, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		panic(err)
	}
	d := s.WithDefaults()
	fmt.Println(d.Cookie, d.RefreshCookie, d.RefreshCookiePath, d.HTTPOnly(), d.SameSite, d.CSRFInUse())
	fmt.Println(d.CSRF.TrustedOrigins)
	// Output:
	// access refresh / true Lax true
	// [https://app.example.com https://*.example.org]
}
