package throttle

import (
	"errors"
	"maps"
	"testing"
	"time"
)

// rateCases are the rates of the parser tests, also sent to DRF's parse_rate.
var rateCases = []struct {
	in   string
	want Rate
	err  bool
}{
	{in: "5/min", want: Rate{5, time.Minute}},
	{in: "100/hour", want: Rate{100, time.Hour}},
	{in: "1000/day", want: Rate{1000, 24 * time.Hour}},
	{in: "10/s", want: Rate{10, time.Second}},
	{in: "1/sec", want: Rate{1, time.Second}},
	{in: "2/second", want: Rate{2, time.Second}},
	{in: "3/seconds", want: Rate{3, time.Second}},
	{in: "4/m", want: Rate{4, time.Minute}},
	{in: "5/mi", want: Rate{5, time.Minute}},
	{in: "6/minute", want: Rate{6, time.Minute}},
	{in: "7/minutes", want: Rate{7, time.Minute}},
	{in: "8/h", want: Rate{8, time.Hour}},
	{in: "9/ho", want: Rate{9, time.Hour}},
	{in: "10/hours", want: Rate{10, time.Hour}},
	{in: "11/d", want: Rate{11, 24 * time.Hour}},
	{in: "12/da", want: Rate{12, 24 * time.Hour}},
	{in: "13/days", want: Rate{13, 24 * time.Hour}},
	{in: "0/min", want: Rate{0, time.Minute}},
	{in: "007/min", want: Rate{7, time.Minute}},
	{in: "1000000/s", want: Rate{MaxRequests, time.Second}},
	{in: "None", want: Rate{}},
	{in: "", want: Rate{}},
	// DRF refuses these too.
	{in: "5", err: true},
	{in: "5/", err: true},
	{in: "/min", err: true},
	{in: "5/min/x", err: true},
	{in: "5.0/min", err: true},
	{in: "abc/min", err: true},
	{in: "5/y", err: true},
	{in: "5/Min", err: true},
	{in: "5/ min", err: true},
	{in: "none", err: true},
	// DRF takes these (it reads int(num) and period[0] only); refused here as typos or
	// nonsense, at start-up.
	{in: "5/mxyz", err: true},
	{in: "5/hr", err: true},
	{in: "5/min ", err: true},
	{in: " 5/min", err: true},
	{in: "+5/min", err: true},
	{in: "-1/min", err: true},
	{in: "5_0/min", err: true},
	{in: "1000001/s", err: true},
	{in: "99999999999999999999/min", err: true},
}

func TestParseRate(t *testing.T) {
	for _, tc := range rateCases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRate(tc.in)
			if tc.err {
				if !errors.Is(err, ErrRate) {
					t.Fatalf("ParseRate(%q) = %v, %v; want an error wrapping ErrRate", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			back, err := ParseRate(got.String())
			if err != nil || back != got {
				t.Errorf("ParseRate(%q.String() = %q) = %v, %v", tc.in, got.String(), back, err)
			}
		})
	}
}

func TestRateString(t *testing.T) {
	for in, want := range map[Rate]string{
		{5, time.Minute}: "5/min", {10, time.Second}: "10/sec", {100, time.Hour}: "100/hour",
		{1000, 24 * time.Hour}: "1000/day", {}: "None", {0, time.Minute}: "0/min",
	} {
		if got := in.String(); got != want {
			t.Errorf("%#v.String() = %q; want %q", in, got, want)
		}
	}
}

func TestParseRates(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[string]string
		errRate  bool
		err      bool
	}{
		{name: "example", in: "token_obtain=5/min,anon=1000/day",
			want: map[string]string{"token_obtain": "5/min", "anon": "1000/day"}},
		{name: "spaces and empty entries", in: " token_obtain = 5/min , ,anon=None,",
			want: map[string]string{"token_obtain": "5/min", "anon": "None"}},
		{name: "empty", in: "", want: map[string]string{}},
		{name: "bad rate", in: "anon=5/fortnight", err: true, errRate: true},
		{name: "no equals", in: "anon", err: true},
		{name: "no scope", in: "=5/min", err: true},
		{name: "twice", in: "anon=5/min,anon=6/min", err: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRates(tc.in)
			if tc.err {
				if err == nil || errors.Is(err, ErrRate) != tc.errRate {
					t.Fatalf("ParseRates(%q) = %v, %v; want an error (wrapping ErrRate: %v)", tc.in, got, err, tc.errRate)
				}
				return
			}
			if err != nil || !maps.Equal(got, tc.want) {
				t.Fatalf("ParseRates(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func FuzzParseRate(f *testing.F) {
	for _, tc := range rateCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			if !errors.Is(err, ErrRate) {
				t.Fatalf("ParseRate(%q): error %v does not wrap ErrRate", s, err)
			}
			return
		}
		if r.Num < 0 || r.Num > MaxRequests {
			t.Fatalf("ParseRate(%q).Num = %d", s, r.Num)
		}
		switch r.Period {
		case 0, time.Second, time.Minute, time.Hour, 24 * time.Hour:
		default:
			t.Fatalf("ParseRate(%q).Period = %v", s, r.Period)
		}
		if back, err := ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("round trip of %q: %v → %q → %v, %v", s, r, r.String(), back, err)
		}
	})
}
