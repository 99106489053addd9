package ginjwt_test

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation/pglisten"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// The endpoints on a real database (SQLite file, WAL):
//
//	go test ./ginjwt/ -run '^$' -bench 'SQLite' -benchtime 2000x -count 3
//
// BenchmarkProtectedGETSQLite (Auth with the GORM user store) is compared with
// BenchmarkProtectedGETHandWrittenSQLite: the same route with the hand-written floor middleware
// and a hand-written `SELECT … WHERE id = ?` through GORM. Target (issue 14): at most 0.5×.

func sqliteJWT(b *testing.B, mutate func(*ginjwt.Settings)) (*ginjwt.JWT, *gorm.DB) {
	return dialectJWT(b, "sqlite", mutate)
}

// dialectJWT is sqliteJWT on a fresh database of dialect (see freshDB: PostgreSQL runs when
// SIMPLEJWT_TEST_POSTGRES_DSN is set and is skipped otherwise).
func dialectJWT(b *testing.B, dialect string, mutate func(*ginjwt.Settings)) (*ginjwt.JWT, *gorm.DB) {
	ctx := context.Background()
	db := freshDB(b, dialect)
	hs := hashers.New(hashers.PBKDF2SHA256(1000))
	users, err := models.NewUserStore(db, models.UserStoreOptions{Hashers: hs})
	if err != nil {
		b.Fatal(err)
	}
	u := models.NewUser("alice")
	_ = u.SetPasswordWith(hs, "alice-password-1")
	if err := users.Create(ctx, u); err != nil {
		b.Fatal(err)
	}
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.User = models.UserStoreOptions{Hashers: hs}
	if mutate != nil {
		mutate(&s)
	}
	j, err := ginjwt.New(db, s)
	if err != nil {
		b.Fatal(err)
	}
	return j, db
}

func BenchmarkProtectedGETSQLite(b *testing.B)   { benchProtectedGET(b, "sqlite") }
func BenchmarkProtectedGETPostgres(b *testing.B) { benchProtectedGET(b, "postgres") }

func BenchmarkProtectedGETHandWrittenSQLite(b *testing.B) { benchProtectedGETHandWritten(b, "sqlite") }
func BenchmarkProtectedGETHandWrittenPostgres(b *testing.B) {
	benchProtectedGETHandWritten(b, "postgres")
}

func benchProtectedGET(b *testing.B, dialect string) {
	j, _ := dialectJWT(b, dialect, nil)
	r := gin.New()
	r.GET("/me", j.Auth(), j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserFrom(c)
		c.String(http.StatusOK, u.(*models.User).Username)
	})
	runAuthBench(b, r, "Bearer "+mint(b, j, tokens.AccessToken, "1", nil), http.StatusOK)
}

// BenchmarkProtectedGETPostgresUserCache is BenchmarkProtectedGETPostgres with the user cache
// on (Settings.UserCacheFeed, the trigger installed, FollowUsers listening) and warmed: Auth
// serves the user from memory until the user table announces a change.
func BenchmarkProtectedGETPostgresUserCache(b *testing.B) {
	j, db := dialectJWT(b, "postgres", func(s *ginjwt.Settings) { s.UserCacheFeed = pglisten.Listen })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("FollowUsers: %v", err)
		}
	})
	if err := models.MigrateUserNotify(ctx, db, models.UserStoreOptions{}); err != nil {
		b.Fatal(err)
	}
	go func() { done <- j.FollowUsers(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); !j.UserCacheListening(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the user cache does not listen")
		}
	}
	r := gin.New()
	r.GET("/me", j.Auth(), j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserFrom(c)
		c.String(http.StatusOK, u.(*models.User).Username)
	})
	runAuthBench(b, r, "Bearer "+mint(b, j, tokens.AccessToken, "1", nil), http.StatusOK)
}

func benchProtectedGETHandWritten(b *testing.B, dialect string) {
	j, db := dialectJWT(b, dialect, nil)
	r := gin.New()
	floor := floorMiddleware([]byte(key))
	r.GET("/me", floor, func(c *gin.Context) {
		// The user id, read as simply as possible from the token the floor has verified.
		raw := c.GetHeader("Authorization")[len("Bearer "):]
		p := raw[strings.IndexByte(raw, '.')+1 : strings.LastIndexByte(raw, '.')]
		payload, _ := base64.RawURLEncoding.DecodeString(p)
		var claims struct {
			UserID string `json:"user_id"`
		}
		_ = json.Unmarshal(payload, &claims)
		var u models.User
		if err := db.WithContext(c.Request.Context()).Where("id = ?", claims.UserID).First(&u).Error; err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.String(http.StatusOK, u.Username)
	})
	runAuthBench(b, r, "Bearer "+mint(b, j, tokens.AccessToken, "1", nil), http.StatusOK)
}

func postJSON(b *testing.B, h http.Handler, path, body string) (int, map[string]string) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	ctx, cancel := context.WithCancel(req.Context()) // as net/http gives every request
	defer cancel()
	req = req.WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out map[string]string
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

// BenchmarkRefreshSQLite: /refresh/ as shipped (no rotation, the blacklist app installed):
// the blacklist check of the refresh token and the user check, one new access token.
func BenchmarkRefreshSQLite(b *testing.B)   { benchRefresh(b, "sqlite", false) }
func BenchmarkRefreshPostgres(b *testing.B) { benchRefresh(b, "postgres", false) }

// BenchmarkRefreshRotationSQLite: /refresh/ with ROTATE_REFRESH_TOKENS and
// BLACKLIST_AFTER_ROTATION, each iteration refreshing the token the previous one returned (a
// rotation chain: blacklist insert, outstanding insert, two tokens signed).
func BenchmarkRefreshRotationSQLite(b *testing.B)   { benchRefresh(b, "sqlite", true) }
func BenchmarkRefreshRotationPostgres(b *testing.B) { benchRefresh(b, "postgres", true) }

func benchRefresh(b *testing.B, dialect string, rotate bool) {
	j, _ := dialectJWT(b, dialect, func(s *ginjwt.Settings) { s.RotateRefreshTokens, s.BlacklistAfterRotation = rotate, rotate })
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	_, pair := postJSON(b, r, "/api/token/", `{"username":"alice","password":"alice-password-1"}`)
	refresh := pair["refresh"]
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		code, out := postJSON(b, r, "/api/token/refresh/", `{"refresh":"`+refresh+`"}`)
		if code != http.StatusOK {
			b.Fatalf("status %d %v", code, out)
		}
		if rotate {
			refresh = out["refresh"]
		}
	}
}

// BenchmarkObtainPairSQLite: /api/token/ with PBKDF2 lowered to 1000 iterations, so the
// endpoint's own cost shows (user lookup, hash check, outstanding insert, two tokens).
func BenchmarkObtainPairSQLite(b *testing.B) {
	j, _ := sqliteJWT(b, nil)
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	b.ReportAllocs()
	for b.Loop() {
		if code, out := postJSON(b, r, "/api/token/", `{"username":"alice","password":"alice-password-1"}`); code != http.StatusOK {
			b.Fatalf("status %d %v", code, out)
		}
	}
}

// BenchmarkObtainOverPBKDF2: POST /api/token/ with PBKDF2-SHA256 at Django 3.2's 260,000
// iterations (the side-by-side comparison's), each one followed by one bare pbkdf2.Key of the
// same password at the same iterations; it reports each one's ns per op and obtain/pbkdf2, the
// obtain's cost over the hash's (issue 14: at most 1.05). Interleaved, so that the machine's load
// falls on both alike. -cpu 1 is the side-by-side comparison's one core; with two Ps the obtain's
// goroutine wakeups cross cores and the ratio is a few hundredths higher:
//
//	go test ./ginjwt -run '^$' -bench ObtainOverPBKDF2 -benchtime 20x -count 3 -cpu 1,2
func BenchmarkObtainOverPBKDF2(b *testing.B) {
	const iterations, password = 260000, "alice-password-1"
	hs := hashers.New(hashers.PBKDF2SHA256(iterations))
	db := freshDB(b, "sqlite")
	users, err := models.NewUserStore(db, models.UserStoreOptions{Hashers: hs})
	if err != nil {
		b.Fatal(err)
	}
	u := models.NewUser("alice")
	if err := u.SetPasswordWith(hs, password); err != nil {
		b.Fatal(err)
	}
	if err := users.Create(context.Background(), u); err != nil {
		b.Fatal(err)
	}
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.User = models.UserStoreOptions{Hashers: hs}
	j, err := ginjwt.New(db, s)
	if err != nil {
		b.Fatal(err)
	}
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	salt := []byte("benchSaltTwentyTwoChar")
	var obtain, hash time.Duration
	for b.Loop() {
		t0 := time.Now()
		if code, out := postJSON(b, r, "/api/token/", `{"username":"alice","password":"`+password+`"}`); code != http.StatusOK {
			b.Fatalf("status %d %v", code, out)
		}
		t1 := time.Now()
		if _, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32); err != nil {
			b.Fatal(err)
		}
		obtain, hash = obtain+t1.Sub(t0), hash+time.Since(t1)
	}
	b.ReportMetric(float64(obtain.Nanoseconds())/float64(b.N), "obtain-ns/op")
	b.ReportMetric(float64(hash.Nanoseconds())/float64(b.N), "pbkdf2-ns/op")
	b.ReportMetric(float64(obtain)/float64(hash), "obtain/pbkdf2")
}

// BenchmarkVerifySQLite: /verify/ of an access token (no database access without
// BLACKLIST_AFTER_ROTATION).
func BenchmarkVerifySQLite(b *testing.B) {
	j, _ := sqliteJWT(b, nil)
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	body := `{"token":"` + mint(b, j, tokens.AccessToken, "1", nil) + `"}`
	b.ReportAllocs()
	for b.Loop() {
		if code, _ := postJSON(b, r, "/api/token/verify/", body); code != http.StatusOK {
			b.Fatalf("status %d", code)
		}
	}
}
