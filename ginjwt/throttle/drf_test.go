package throttle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/gin-gonic/gin"
	"math"
	"os/exec"
	"testing"
	"time"
)

// The tests in this file ask Debian's DRF (/usr/bin/python3, testdata/drf_throttle.py) for
// its answers and compare. They skip where DRF is not installed (.ci/run installs it).

const drfPython = "/usr/bin/python3"

type drfStep struct {
	T    float64 `json:"t"`
	Rate string  `json:"rate,omitempty"`
}

type drfRun struct {
	Rate  string    `json:"rate"`
	Steps []drfStep `json:"steps"`
}

type drfRequest struct {
	Parse   []string   `json:"parse"`
	Details []*float64 `json:"details"`
	Runs    []drfRun   `json:"runs"`
}

type drfAnswer struct {
	Parse   []*[2]float64 `json:"parse"` // nil where DRF refuses the rate
	Details []struct {
		Status     int     `json:"status"`
		Body       string  `json:"body"`
		RetryAfter *string `json:"retry_after"`
	} `json:"details"`
	Runs [][]struct {
		Allowed bool     `json:"allowed"`
		Wait    *float64 `json:"wait"`
	} `json:"runs"`
}

func askDRF(t *testing.T, q drfRequest) drfAnswer {
	t.Helper()
	if out, err := exec.Command(drfPython, "-c", "import django, rest_framework").CombinedOutput(); err != nil {
		t.Skipf("DRF comparison skipped: %s cannot import django and rest_framework (%v: %s); "+
			"install Debian's python3-djangorestframework (see .ci/run)", drfPython, err, bytes.TrimSpace(out))
	}
	in, _ := json.Marshal(q)
	cmd := exec.Command(drfPython, "testdata/drf_throttle.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("drf_throttle.py: %v\n%s", err, stderr.String())
	}
	var a drfAnswer
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("decode %s: %v", out, err)
	}
	return a
}

// TestParseRateAgainstDRF: every rate accepted here means what it means to DRF's
// parse_rate, and every rate DRF refuses is refused here.
func TestParseRateAgainstDRF(t *testing.T) {
	var q drfRequest
	for _, tc := range rateCases {
		if tc.in != "" && tc.in != "None" { // DRF's None is Python's None, not the text
			q.Parse = append(q.Parse, tc.in)
		}
	}
	a := askDRF(t, q)
	accepted, drfOnly := 0, 0
	for i, in := range q.Parse {
		drf := a.Parse[i]
		r, err := ParseRate(in)
		switch {
		case err == nil && drf == nil:
			t.Errorf("%q: accepted here (%v), refused by DRF", in, r)
		case err == nil && (drf[0] != float64(r.Num) || time.Duration(drf[1])*time.Second != r.Period):
			t.Errorf("%q: here %v, DRF %v", in, r, *drf)
		case err == nil:
			accepted++
		case drf != nil:
			drfOnly++
			t.Logf("%q: DRF reads %v; refused here: %v", in, *drf, err)
		}
	}
	t.Logf("%d rates agree with DRF, %d that DRF accepts are refused here as typos", accepted, drfOnly)
}

// TestThrottledAgainstDRF: the 429 body and Retry-After are DRF's bytes for every wait.
func TestThrottledAgainstDRF(t *testing.T) {
	waits := []time.Duration{0, time.Nanosecond, 500 * time.Millisecond, time.Second,
		time.Second + time.Microsecond, 1500 * time.Millisecond, 2 * time.Second, 59 * time.Second,
		59*time.Second + 200*time.Millisecond, 60 * time.Second, time.Hour, 24 * time.Hour}
	var q drfRequest
	for _, w := range waits {
		if w == 0 {
			q.Details = append(q.Details, nil) // DRF's None
			continue
		}
		s := w.Seconds()
		q.Details = append(q.Details, &s)
	}
	a := askDRF(t, q)
	for i, w := range waits {
		want := a.Details[i]
		e := &Throttled{Wait: w}
		wantRA := ""
		if want.RetryAfter != nil {
			wantRA = *want.RetryAfter
		}
		if got := string(e.AppendJSON(nil)); got != want.Body || e.RetryAfter() != wantRA || want.Status != 429 {
			t.Errorf("wait %v: body %s, Retry-After %q; DRF %d %s, Retry-After %q", w, got, e.RetryAfter(), want.Status, want.Body, wantRA)
		}
		// And through the middleware's writer.
		rec := req{}.send(engine(func(c *gin.Context) { WriteThrottled(c, e) }))
		if rec.Code != 429 || rec.Body.String() != want.Body || rec.Header().Get("Retry-After") != wantRA {
			t.Errorf("wait %v: WriteThrottled %d %s %q; DRF %s %q", w, rec.Code, rec.Body, rec.Header().Get("Retry-After"), want.Body, wantRA)
		}
	}
}

// TestSlidingWindowAgainstDRF replays request times through DRF's SimpleRateThrottle and
// through the Limiter (memory store, injected clock), and compares every decision and the
// 429 each refusal renders.
func TestSlidingWindowAgainstDRF(t *testing.T) {
	runs := []drfRun{
		{Rate: "3/min", Steps: steps(0, 1, 2, 3, 30, 59.999, 60, 60.5, 61, 62, 62, 121.5, 125)},
		{Rate: "2/s", Steps: steps(0, 0.1, 0.2, 0.9, 1.0, 1.05, 1.1, 1.2, 2.15, 2.2)},
		{Rate: "1/hour", Steps: steps(0, 1, 3599, 3600, 3600.25)},
		{Rate: "0/min", Steps: steps(0, 30, 90)},
		// The rate lowered while the window holds more: DRF's wait is None.
		{Rate: "5/min", Steps: append(steps(0, 1, 2, 3, 4), drfStep{T: 5, Rate: "2/min"}, drfStep{T: 61.5, Rate: "2/min"}, drfStep{T: 63, Rate: "2/min"})},
	}
	a := askDRF(t, drfRequest{Runs: runs})
	compared := 0
	for i, run := range runs {
		store := NewMemoryStore(MemoryOptions{})
		clk := newClock()
		start := clk.Now()
		limiters := map[string]*gin.Engine{}
		for j, step := range run.Steps {
			rate := run.Rate
			if step.Rate != "" {
				rate = step.Rate
			}
			h := limiters[rate]
			if h == nil {
				l := mustNew(t, Config{Rates: map[string]string{"scripted": rate}, Store: store, Secret: testSecret, Now: clk.Now})
				h = engine(l.Middleware(Scoped("scripted")))
				limiters[rate] = h
			}
			clk.Set(start.Add(time.Duration(step.T * float64(time.Second))))
			rec := req{}.send(h)
			drf := a.Runs[i][j]
			want, wantRA := 200, ""
			if !drf.Allowed {
				want = 429
				if drf.Wait != nil {
					wantRA = fmt.Sprint(int(math.Ceil(*drf.Wait)))
				}
			}
			if rec.Code != want || rec.Header().Get("Retry-After") != wantRA {
				t.Errorf("%s, t=%v: %d Retry-After %q; DRF allowed=%v wait=%v", rate, step.T, rec.Code,
					rec.Header().Get("Retry-After"), drf.Allowed, fmtWait(drf.Wait))
			}
			if want == 429 {
				e := &Throttled{}
				if drf.Wait != nil {
					e.Wait = time.Duration(*drf.Wait * float64(time.Second))
				}
				if rec.Body.String() != string(e.AppendJSON(nil)) {
					t.Errorf("%s, t=%v: body %s; want %s", rate, step.T, rec.Body, e.AppendJSON(nil))
				}
			}
			compared++
		}
	}
	t.Logf("%d decisions compared with DRF's SimpleRateThrottle", compared)
}

func steps(ts ...float64) []drfStep {
	out := make([]drfStep, len(ts))
	for i, t := range ts {
		out[i] = drfStep{T: t}
	}
	return out
}

func fmtWait(w *float64) string {
	if w == nil {
		return "None"
	}
	return fmt.Sprint(*w)
}
