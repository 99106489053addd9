package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// textHandler is slog's TextHandler (level Info, no ReplaceAttr, no source) with a shorter
// path for the record the service logs most, the request line: handleRequest writes it without
// building a record, byte for byte what TextHandler writes (TestHandleRequestSameBytes,
// FuzzHandleRequest), at a fraction of the cost (issue 14: the request log may cost at most 10%
// of a stateless request's throughput), and declines a line holding text TextHandler quotes.
// Every other record, and every handler derived with WithAttrs or WithGroup, is TextHandler's.
// Both write each line with one Write through lockedWriter, so lines never interleave.
type textHandler struct {
	text slog.Handler // slog.NewTextHandler on w: Enabled, the other records, the reference
	w    *lockedWriter
	// bufs hold the lines being formatted (a request line is about 200 bytes): *lineBuffer.
	bufs *sync.Pool
}

// lineBuffer is a line being formatted, with the last time it formatted: the lines of one
// millisecond (dozens under load) share their time's text.
type lineBuffer struct {
	b      []byte
	milli  int64
	loc    *time.Location
	stamp  []byte
	stamps bool // milli, loc and stamp are set
}

// appendTime appends t as appendRFC3339Millis does, reusing the text of the last time when it
// fell in the same millisecond of the same location (the zone's offset changes on a whole
// second, so the text is the same).
func (lb *lineBuffer) appendTime(b []byte, t time.Time) []byte {
	t = t.Round(0)
	if ms, loc := t.UnixMilli(), t.Location(); !lb.stamps || ms != lb.milli || loc != lb.loc {
		lb.stamp = appendRFC3339Millis(lb.stamp[:0], t)
		lb.milli, lb.loc, lb.stamps = ms, loc, true
	}
	return append(b, lb.stamp...)
}

var _ slog.Handler = textHandler{}

func newTextHandler(w io.Writer) textHandler {
	lw := &lockedWriter{w: w}
	return textHandler{
		text: slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelInfo}),
		w:    lw,
		bufs: &sync.Pool{New: func() any { return &lineBuffer{b: make([]byte, 0, 512)} }},
	}
}

func (h textHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.text.Enabled(ctx, level)
}

func (h textHandler) WithAttrs(attrs []slog.Attr) slog.Handler { return h.text.WithAttrs(attrs) }

func (h textHandler) WithGroup(name string) slog.Handler { return h.text.WithGroup(name) }

// Handle is TextHandler's: the records other than the request line are few.
func (h textHandler) Handle(ctx context.Context, r slog.Record) error { return h.text.Handle(ctx, r) }

// requestLine is the request log's line: what Handle writes for the record
// slog.NewRecord(at, level, "request", 0) with the attributes method, path, status, duration,
// bytes, remote and request_id, in that order.
type requestLine struct {
	at           time.Time
	level        slog.Level
	method, path string
	status       int
	duration     time.Duration
	size         int
	remote, id   string
}

// record is l as a slog record: what handleRequest writes without building it.
func (l requestLine) record() slog.Record {
	r := slog.NewRecord(l.at, l.level, "request", 0)
	r.AddAttrs(slog.String("method", l.method), slog.String("path", l.path), slog.Int("status", l.status),
		slog.Duration("duration", l.duration), slog.Int("bytes", l.size), slog.String("remote", l.remote),
		slog.String("request_id", l.id))
	return r
}

// handleRequest writes l as Handle would write its record, without building the record, or
// reports false (having written nothing) when a text of l needs TextHandler's quoting.
func (h textHandler) handleRequest(l requestLine) (bool, error) {
	level := l.level.String()
	if l.at.IsZero() || !plainText(level) || !plainText(l.method) || !plainText(l.path) || !plainText(l.remote) || !plainText(l.id) {
		return false, nil
	}
	lb := h.bufs.Get().(*lineBuffer)
	defer h.bufs.Put(lb)
	b := append(lb.b[:0], "time="...)
	b = lb.appendTime(b, l.at)
	b = append(b, " level="...)
	b = append(b, level...)
	b = append(b, " msg=request method="...)
	b = append(b, l.method...)
	b = append(b, " path="...)
	b = append(b, l.path...)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, " duration="...)
	b = append(b, l.duration.String()...)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, int64(l.size), 10)
	b = append(b, " remote="...)
	b = append(b, l.remote...)
	b = append(b, " request_id="...)
	b = append(b, l.id...)
	b = append(b, '\n')
	lb.b = b
	_, err := h.w.Write(b)
	return true, err
}

// plainText reports whether TextHandler writes s as it is: not empty, printable ASCII without
// a space, '=' or '"' (a backslash is kept as it is). Anything else (which TextHandler may or
// may not quote) goes the long way.
func plainText(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '=' || c == '"' {
			return false
		}
	}
	return true
}

// appendRFC3339Millis is log/slog's: RFC 3339 with exactly three digits of milliseconds.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	// RFC3339Nano trims trailing zeros, so add 1/10 millisecond to keep 4 digits and drop
	// the fourth.
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...)
}

// lockedWriter serialises the Writes of textHandler and of the TextHandlers beside it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
