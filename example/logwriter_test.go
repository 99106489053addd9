package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// fixedTimeHandler gives every record made by a Logger method (its time the clock's, not the
// record's own) the same time, also through derived handlers, so that two loggers' output can
// be compared byte for byte.
type fixedTimeHandler struct{ slog.Handler }

func (h fixedTimeHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Time = time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	return h.Handler.Handle(ctx, r)
}

func (h fixedTimeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return fixedTimeHandler{h.Handler.WithAttrs(attrs)}
}

func (h fixedTimeHandler) WithGroup(name string) slog.Handler {
	return fixedTimeHandler{h.Handler.WithGroup(name)}
}

// logRecords writes the example's kinds of records (the request line, a 5xx cause with the
// request id, text needing quotes) to logger.
func logRecords(logger *slog.Logger, n int) {
	ctx := withRequestID(context.Background(), "0123456789abcdef")
	for i := range n {
		logger.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("method", "GET"), slog.String("path", fmt.Sprintf("/api/me/%d", i)),
			slog.Int("status", 200), slog.Duration("duration", time.Duration(i)*time.Microsecond),
			slog.Int("bytes", 28), slog.String("remote", "192.0.2.1"))
		logger.Error("service unavailable", "error", "models: database unavailable: \"quoted\" =\n")
	}
}

// TestLogWriterSameBytes: through logWriter the log is byte for byte what slog's TextHandler
// writes directly, in the same order, whether flushed by the ticker, by size or by Close, and
// from concurrent goroutines every line arrives whole.
func TestLogWriterSameBytes(t *testing.T) {
	cases := []struct {
		name       string
		records    int
		flushEvery time.Duration
	}{
		{"closed before the first tick", 3, time.Hour},
		{"flushed by size", 2000, time.Hour},
		{"flushed by the ticker", 50, time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var direct, out bytes.Buffer
			opts := &slog.HandlerOptions{Level: slog.LevelInfo}
			logRecords(slog.New(requestIDHandler{fixedTimeHandler{slog.NewTextHandler(&direct, opts)}}), tc.records)
			w := newLogWriter(&out, tc.flushEvery)
			logRecords(slog.New(requestIDHandler{fixedTimeHandler{slog.NewTextHandler(w, opts)}}), tc.records)
			_ = w.Close()
			if !bytes.Equal(out.Bytes(), direct.Bytes()) {
				t.Fatalf("%d bytes through logWriter differ from TextHandler's %d", out.Len(), direct.Len())
			}
		})
	}
	t.Run("concurrent", func(t *testing.T) {
		var out bytes.Buffer
		w := newLogWriter(&out, time.Millisecond)
		logger := slog.New(slog.NewTextHandler(w, nil))
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 500 {
					logger.Info("request", "g", g, "i", i)
				}
			})
		}
		wg.Wait()
		_ = w.Close()
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != 8*500 {
			t.Fatalf("%d lines, want %d", len(lines), 8*500)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "time=") || !strings.Contains(l, " msg=request g=") {
				t.Fatalf("torn line %q", l)
			}
		}
	})
	t.Run("write after close", func(t *testing.T) {
		var out bytes.Buffer
		w := newLogWriter(&out, time.Hour)
		_ = w.Close()
		_, _ = w.Write([]byte("late\n"))
		if out.String() != "late\n" {
			t.Fatalf("got %q", out.String())
		}
	})
}

// The request log's cost on a stateless request (issue 14: at most 10%), the log going to a
// file as stderr would:
//
//	go test ./example -run '^$' -bench 'BenchmarkStatelessRequestLog' -benchtime 20000x -count 3
func BenchmarkStatelessRequestLogOff(b *testing.B)   { benchStatelessLog(b, "off") }
func BenchmarkStatelessRequestLogSync(b *testing.B)  { benchStatelessLog(b, "sync") }
func BenchmarkStatelessRequestLogAsync(b *testing.B) { benchStatelessLog(b, "async") }

func benchStatelessLog(b *testing.B, mode string) {
	s := ginjwt.DefaultSettings()
	s.SigningKey = "bench-signing-key-bench-signing-key-0123"
	j, err := ginjwt.New(nil, s)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := j.Tokens().ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := tok.Encode()
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(b.TempDir(), "stderr.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := gin.New()
	switch mode {
	case "sync":
		r.Use(requestLog(newLogger(f), false))
	case "async":
		w := newLogWriter(f, 50*time.Millisecond)
		defer w.Close()
		r.Use(requestLog(newLogger(w), false))
	}
	r.GET("/api/me/stateless/", j.AuthStateless(), j.IsAuthenticated(), statelessMeHandler)
	req := httptest.NewRequest(http.MethodGet, "/api/me/stateless/", nil)
	req.Header.Set("Authorization", "Bearer "+raw)
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

// FuzzLogWriterTextHandler: for any message, path and error text (quotes, newlines, invalid
// UTF-8, '='), the log through logWriter is byte for byte what slog's TextHandler writes
// directly.
func FuzzLogWriterTextHandler(f *testing.F) {
	f.Add("request", "/api/me/", "models: database unavailable", 3)
	f.Add("a b", "/p?q=\"x\"\n", "\xff=\x00", 40)
	f.Fuzz(func(t *testing.T, msg, path, cause string, n int) {
		n = max(1, n%64)
		opts := &slog.HandlerOptions{Level: slog.LevelInfo}
		var direct, out bytes.Buffer
		w := newLogWriter(&out, time.Millisecond)
		for _, h := range []slog.Handler{slog.NewTextHandler(&direct, opts), slog.NewTextHandler(w, opts)} {
			logger := slog.New(requestIDHandler{fixedTimeHandler{h}})
			ctx := withRequestID(context.Background(), path)
			for i := range n {
				logger.LogAttrs(ctx, slog.LevelInfo, msg, slog.String("path", path), slog.Int("i", i))
				logger.ErrorContext(ctx, msg, "error", cause)
			}
		}
		_ = w.Close()
		if !bytes.Equal(out.Bytes(), direct.Bytes()) {
			t.Fatalf("through logWriter:\n%q\ndirect:\n%q", out.Bytes(), direct.Bytes())
		}
	})
}
