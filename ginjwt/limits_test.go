package ginjwt_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// SECURITY A7: a 10 MB Authorization header through a real http.Server is refused by net/http
// (431) before it reaches us; no 5xx.
func TestHugeHeaderRealServer(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	srv := httptest.NewServer(engine(j))
	defer srv.Close()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	go func() {
		_, _ = conn.Write([]byte("GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + strings.Repeat("a", 10<<20) + "\r\n\r\n"))
	}()
	buf := make([]byte, 64)
	n, _ := conn.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 431") {
		t.Errorf("got %q", buf[:n])
	}
}

// SECURITY A8/A9: the same 10 MB value and a million dots through ServeHTTP (no header cap) are
// refused with a 401 in bounded memory: the length cap comes before any parsing or copying.
func TestHugeTokenBoundedWork(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	h := engine(j)
	for name, tok := range map[string]string{"10 MB": strings.Repeat("a", 10<<20), "1M dots": strings.Repeat(".", 1<<20)} {
		req := httptest.NewRequest(http.MethodGet, "/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		h.ServeHTTP(w, req)
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d", name, w.Code)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Errorf("%s: %d bytes allocated for one request", name, alloc)
		}
		t.Logf("%s: 401 in %s", name, elapsed)
	}
}
