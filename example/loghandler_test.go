package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// sameAsTextHandler logs with the record's own time through textHandler and through slog's
// TextHandler and returns both outputs.
func sameAsTextHandler(t *testing.T, log func(*slog.Logger)) (got, want string) {
	t.Helper()
	var fast, ref bytes.Buffer
	log(slog.New(requestIDHandler{newTextHandler(&fast)}))
	log(slog.New(requestIDHandler{slog.NewTextHandler(&ref, &slog.HandlerOptions{Level: slog.LevelInfo})}))
	return fast.String(), ref.String()
}

// TestTextHandlerSameBytes: textHandler (with requestIDHandler over it) writes byte for byte what
// slog's TextHandler writes, for every kind of record (quotes, spaces, '=', non-ASCII, empty
// values, other kinds, groups) and through derived handlers.
func TestTextHandlerSameBytes(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 678_901_234, time.UTC)
	east := time.FixedZone("east", 5*3600+1800)
	ctx := withRequestID(context.Background(), "0123456789abcdef")
	record := func(tm time.Time, level slog.Level, msg string, attrs ...slog.Attr) func(*slog.Logger) {
		return func(l *slog.Logger) {
			r := slog.NewRecord(tm, level, msg, 0)
			r.AddAttrs(attrs...)
			_ = l.Handler().Handle(ctx, r)
		}
	}
	requestLine := []slog.Attr{
		slog.String("method", "GET"), slog.String("path", "/api/me/stateless/"), slog.Int("status", 200),
		slog.Duration("duration", 6345*time.Nanosecond), slog.Int("bytes", 29), slog.String("remote", "127.0.0.1"),
	}
	cases := []struct {
		name string
		log  func(*slog.Logger)
	}{
		{"request line", record(at, slog.LevelInfo, "request", requestLine...)},
		{"request line at 5xx", record(at, slog.LevelError, "request", append(requestLine[:2:2], slog.Int("status", 503))...)},
		{"whole second, another zone", record(time.Date(2026, 7, 1, 0, 0, 0, 0, east), slog.LevelInfo, "request", requestLine...)},
		{"level with an offset", record(at, slog.LevelWarn+2, "request", requestLine...)},
		{"negative and long durations", record(at, slog.LevelInfo, "d", slog.Duration("a", -time.Hour-time.Nanosecond), slog.Duration("b", 0), slog.Duration("c", 90*time.Minute))},
		{"backslash kept", record(at, slog.LevelInfo, "request", slog.String("path", `/a\b`))},
		{"path with a space", record(at, slog.LevelInfo, "request", slog.String("path", "/a b"))},
		{"path with a quote and =", record(at, slog.LevelInfo, "request", slog.String("path", `/a"b=c`))},
		{"non-ASCII path", record(at, slog.LevelInfo, "request", slog.String("path", "/é"))},
		{"invalid UTF-8", record(at, slog.LevelInfo, "request", slog.String("path", "/\xff"))},
		{"control byte", record(at, slog.LevelInfo, "request", slog.String("path", "/\x7f\n"))},
		{"empty value", record(at, slog.LevelInfo, "request", slog.String("remote", ""))},
		{"empty message", record(at, slog.LevelInfo, "")},
		{"message with spaces", record(at, slog.LevelError, "simplejwt: server error", slog.String("error", "boom"))},
		{"key needing quotes", record(at, slog.LevelInfo, "m", slog.String("a key", "v"))},
		{"empty key", record(at, slog.LevelInfo, "m", slog.String("", "v"))},
		{"empty attr skipped", record(at, slog.LevelInfo, "m", slog.Attr{}, slog.Int("n", 1))},
		{"other kinds", record(at, slog.LevelInfo, "m", slog.Bool("b", true), slog.Float64("f", 1.5), slog.Uint64("u", 7), slog.Time("t", at), slog.Any("e", context.Canceled))},
		{"group", record(at, slog.LevelInfo, "m", slog.Group("g", slog.Int("n", 1)))},
		{"zero time", record(time.Time{}, slog.LevelInfo, "request", requestLine...)},
		// A Logger method's record has the clock's time, which may fall in another millisecond
		// on each side: one fixed time for both.
		{"logger methods", func(l *slog.Logger) {
			l = slog.New(fixedTimeHandler{l.Handler()})
			l.InfoContext(ctx, "request", "method", "POST", "status", 201)
			l.Debug("not logged")
		}},
		{"derived handlers", func(l *slog.Logger) {
			l = slog.New(fixedTimeHandler{l.Handler()})
			l.With("component", "throttle").InfoContext(ctx, "request", "n", 1)
			l.WithGroup("g").Info("request", "n", 2)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, want := sameAsTextHandler(t, tc.log)
			if got != want {
				t.Fatalf("textHandler:\n%q\nTextHandler:\n%q", got, want)
			}
		})
	}
}

var requestIDFormat = regexp.MustCompile(`^[0-9a-f]{16}$`)

// TestRequestIDs: ids are 16 lowercase hex digits, never repeat within a generator, also from
// concurrent requests and across the counter's wrap, and two generators start apart.
func TestRequestIDs(t *testing.T) {
	g := newRequestIDs()
	seen := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ids := make([]string, 1000)
			for i := range ids {
				ids[i] = g.next()
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range ids {
				if !requestIDFormat.MatchString(id) || seen[id] {
					t.Errorf("id %q: malformed or repeated", id)
				}
				seen[id] = true
			}
		})
	}
	wg.Wait()

	wrap := &requestIDs{start: ^uint64(0) - 1}
	if a, b := wrap.next(), wrap.next(); a != "ffffffffffffffff" || b != "0000000000000000" {
		t.Errorf("across the wrap: %q, %q", a, b)
	}
	if a, b := newRequestIDs().next(), newRequestIDs().next(); a == b {
		t.Errorf("two generators gave the same first id %q", a)
	}
}

var requestLinePattern = regexp.MustCompile(`(?m)^time=\S+ level=(\S+) msg=request method=(\S+) path=(\S+) status=(\d+) duration=\S+ bytes=(\d+) remote=(\S+) request_id=([0-9a-f]{16})$`)

// TestRequestLogLine: every request gets one line with all its fields, the id of its
// X-Request-Id, which also marks the other lines logged during the request (a panic's cause);
// a 5xx line is at level ERROR.
func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	s := newService(t)
	s.router.(*gin.Engine).GET("/api/panic/", func(*gin.Context) { panic("boom") })
	ok := s.do("GET", "/api/me/", "", "")
	boom := s.do("GET", "/api/panic/", "", "")
	ids := []string{ok.header.Get("X-Request-Id"), boom.header.Get("X-Request-Id")}
	if !requestIDFormat.MatchString(ids[0]) || !requestIDFormat.MatchString(ids[1]) || ids[0] == ids[1] {
		t.Fatalf("X-Request-Id %q", ids)
	}
	logs := s.logs.String()
	lines := requestLinePattern.FindAllStringSubmatch(logs, -1)
	want := [][]string{
		{"INFO", "GET", "/api/me/", "401", strconv.Itoa(len(ok.body)), "192.0.2.1", ids[0]},
		{"ERROR", "GET", "/api/panic/", "500", strconv.Itoa(len(boom.body)), "192.0.2.1", ids[1]},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d request lines, want %d:\n%s", len(lines), len(want), logs)
	}
	for i, w := range want {
		if got := lines[i][1:]; strings.Join(got, " ") != strings.Join(w, " ") {
			t.Errorf("line %d: %q, want %q", i, got, w)
		}
	}
	if !regexp.MustCompile(`(?m)^.*msg="simplejwt: panic".*boom.* request_id=` + ids[1] + `$`).MatchString(logs) {
		t.Errorf("the panic's line lacks the request id %s:\n%s", ids[1], logs)
	}
}

// TestRequestLogOff: REQUEST_LOG=false leaves out the request lines and X-Request-Id, not the
// other records; the variable takes Go's booleans and nothing else.
func TestRequestLogOff(t *testing.T) {
	t.Parallel()
	env, _ := testEnv(t)
	logs := &syncBuffer{}
	a := testApp(env, io.Discard, io.Discard, logs)
	j, closeDB, err := a.newJWT(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeDB)
	s := &service{t: t, router: newRouter(j, a.logger, false), logs: logs}
	s.router.(*gin.Engine).GET("/api/panic/", func(*gin.Context) { panic("boom") })
	res := s.do("GET", "/api/panic/", "", "")
	res.expect(t, "panic", 500, `{"detail":"A server error occurred."}`)
	if id := res.header.Get("X-Request-Id"); id != "" {
		t.Errorf("X-Request-Id %q with the log off", id)
	}
	if got := logs.String(); strings.Contains(got, "msg=request") || !strings.Contains(got, "boom") {
		t.Errorf("want the panic logged and no request line:\n%s", got)
	}

	for _, c := range []struct {
		value   string
		on, bad bool
	}{{"", true, false}, {"true", true, false}, {"1", true, false}, {"false", false, false}, {" 0 ", false, false}, {"off", false, true}, {"yes", false, true}} {
		env, _ := testEnv(t, "REQUEST_LOG", c.value)
		on, err := env.requestLog()
		if on != c.on || (err != nil) != c.bad || (err != nil && !strings.Contains(err.Error(), "REQUEST_LOG")) {
			t.Errorf("REQUEST_LOG=%q: %v, %v", c.value, on, err)
		}
	}
}

// TestPeerIPIsClientIP: on a router that trusts no proxy, peerIP answers what gin's ClientIP
// does, whatever RemoteAddr and X-Forwarded-For hold.
func TestPeerIPIsClientIP(t *testing.T) {
	r := gin.New()
	if err := r.SetTrustedProxies(nil); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{
		"192.0.2.1:1234", " 192.0.2.1:1234 ", "[::1]:80", "[2001:db8::1]:80", "[2001:DB8::1]:80",
		"[2001:db8:0:0:0:0:0:1]:80", "[::ffff:192.0.2.1]:80", "[fe80::1%eth0]:80", "001.2.3.4:5",
		"192.0.2.1", "192.0.2.256:1", "example.com:80", "", "[::1]", "@",
	} {
		for _, xff := range []string{"", "203.0.113.9"} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = addr
			if xff != "" {
				req.Header.Set("X-Forwarded-For", xff)
			}
			c := gin.CreateTestContextOnly(httptest.NewRecorder(), r)
			c.Request = req
			if got, want := peerIP(c), c.ClientIP(); got != want {
				t.Errorf("RemoteAddr %q, X-Forwarded-For %q: %q, ClientIP %q", addr, xff, got, want)
			}
		}
	}
}

// viaHandleRequest and viaTextHandler write the request lines ls through textHandler's
// handleRequest (or, where it declines, Handle) and through slog's TextHandler.
func viaHandleRequest(ls []requestLine) string {
	var out bytes.Buffer
	h := newTextHandler(&out)
	for _, l := range ls {
		if done, _ := h.handleRequest(l); !done {
			_ = h.Handle(context.Background(), l.record())
		}
	}
	return out.String()
}

func viaTextHandler(ls []requestLine) string {
	var out bytes.Buffer
	h := slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})
	for _, l := range ls {
		_ = h.Handle(context.Background(), l.record())
	}
	return out.String()
}

// TestHandleRequestSameBytes: the request line written without a record is TextHandler's line
// of the record, also when lines share a millisecond (the time's text is reused), change zone
// within it, or hold texts TextHandler quotes (then handleRequest declines).
func TestHandleRequestSameBytes(t *testing.T) {
	at := time.Date(2026, 12, 6, 3, 4, 5, 678_901_234, time.UTC)
	l := requestLine{at: at, level: slog.LevelInfo, method: "GET", path: "/api/me/stateless/", status: 200,
		duration: 6345 * time.Nanosecond, size: 29, remote: "127.0.0.1", id: "0123456789abcdef"}
	with := func(f func(*requestLine)) requestLine { c := l; f(&c); return c }
	cases := []struct {
		name  string
		lines []requestLine
		short bool
	}{
		{"one line", []requestLine{l}, true},
		{"same millisecond", []requestLine{l, with(func(c *requestLine) { c.at = at.Add(300 * time.Microsecond) })}, true},
		{"next millisecond", []requestLine{l, with(func(c *requestLine) { c.at = at.Add(time.Millisecond) })}, true},
		{"same instant, another zone", []requestLine{l, with(func(c *requestLine) { c.at = at.In(time.FixedZone("x", 3600)) })}, true},
		{"monotonic reading", []requestLine{with(func(c *requestLine) { c.at = time.Now() })}, true},
		{"5xx", []requestLine{with(func(c *requestLine) { c.level, c.status = slog.LevelError, 503 })}, true},
		{"long duration", []requestLine{with(func(c *requestLine) { c.duration = 90*time.Second + time.Millisecond })}, true},
		{"path with a space", []requestLine{with(func(c *requestLine) { c.path = "/a b" })}, false},
		{"non-ASCII path", []requestLine{with(func(c *requestLine) { c.path = "/é" })}, false},
		{"empty remote", []requestLine{with(func(c *requestLine) { c.remote = "" })}, false},
		{"method with a quote", []requestLine{with(func(c *requestLine) { c.method = `G"T` })}, false},
		{"zero time", []requestLine{with(func(c *requestLine) { c.at = time.Time{} })}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if done, _ := newTextHandler(io.Discard).handleRequest(tc.lines[0]); done != tc.short {
				t.Errorf("handleRequest wrote the line: %v, want %v", done, tc.short)
			}
			if got, want := viaHandleRequest(tc.lines), viaTextHandler(tc.lines); got != want {
				t.Fatalf("handleRequest:\n%q\nTextHandler:\n%q", got, want)
			}
		})
	}
}

// FuzzHandleRequest: for any texts, numbers and two times, the request lines written without
// a record are TextHandler's.
func FuzzHandleRequest(f *testing.F) {
	f.Add("GET", "/api/me/", "192.0.2.1", 200, int64(6345), 29, int64(1796526245678901234), int64(1), 0)
	f.Add("P O", "/\xff=\"", "", 500, int64(-1), -1, int64(0), int64(-1_000_000), 3600)
	f.Fuzz(func(t *testing.T, method, path, remote string, status int, d int64, size int, unixNano, step int64, offset int) {
		loc := time.FixedZone("z", offset%100_000)
		first := requestLine{at: time.Unix(0, unixNano).In(loc), level: slog.LevelInfo, method: method, path: path,
			status: status, duration: time.Duration(d), size: size, remote: remote, id: "0123456789abcdef"}
		second := first
		second.at = first.at.Add(time.Duration(step))
		ls := []requestLine{first, second}
		if got, want := viaHandleRequest(ls), viaTextHandler(ls); got != want {
			t.Fatalf("handleRequest:\n%q\nTextHandler:\n%q", got, want)
		}
	})
}
