package throttle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is a parsed DRF throttle rate: at most Num requests in any Period.
// The zero Rate is DRF's None: no throttling.
type Rate struct {
	// Num is the number of requests allowed in any window of Period. 0 refuses every
	// request, as DRF does for "0/min".
	Num int
	// Period is one second, minute, hour or day.
	Period time.Duration
}

// MaxRequests bounds a rate's request count. The sliding window keeps one timestamp per
// request in the window, so the count is also the size of a key's history.
const MaxRequests = 1_000_000

// ErrRate is returned (wrapped, with the offending text) for a rate DRF's parse_rate would
// refuse, or one this package refuses for being a likely typo. Match it with errors.Is.
var ErrRate = errors.New("throttle: invalid rate")

// periods are the words whose non-empty prefixes, and the plurals of the full words, name a
// period. DRF's parse_rate reads only the first letter ("5/m", "5/min", "5/minute" and
// "5/mxyz" are all a minute); this package accepts what DRF documents and writes
// ("s", "sec", "m", "min", "h", "hour", "d", "day"), every other prefix of the word, and the
// plural, and refuses the rest as a typo, at start-up rather than silently.
var periods = [...]struct {
	word string
	d    time.Duration
	name string // the form String writes
}{
	{"second", time.Second, "sec"},
	{"minute", time.Minute, "min"},
	{"hour", time.Hour, "hour"},
	{"day", 24 * time.Hour, "day"},
}

// ParseRate parses a rate as DRF writes it: "<requests>/<period>", as in "5/min",
// "100/hour", "1000/day" or "10/s". The request count is ASCII digits (no sign, no spaces);
// the period is a prefix of second, minute, hour or day, or the plural of one. The text
// "None" (Python's None, as DRF's DEFAULT_THROTTLE_RATES allows) and "" give the zero
// Rate: not throttled. Errors wrap ErrRate.
func ParseRate(s string) (Rate, error) {
	if s == "" || s == "None" {
		return Rate{}, nil
	}
	num, period, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(period, "/") {
		return Rate{}, fmt.Errorf("%w %q: want <requests>/<period>, as in \"5/min\"", ErrRate, s)
	}
	if num == "" || strings.TrimLeft(num, "0123456789") != "" {
		return Rate{}, fmt.Errorf("%w %q: the request count must be digits", ErrRate, s)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > MaxRequests {
		return Rate{}, fmt.Errorf("%w %q: the request count must be at most %d", ErrRate, s, MaxRequests)
	}
	d, ok := parsePeriod(period)
	if !ok {
		return Rate{}, fmt.Errorf("%w %q: the period must be s[econd], m[inute], h[our] or d[ay]", ErrRate, s)
	}
	return Rate{Num: n, Period: d}, nil
}

func parsePeriod(p string) (time.Duration, bool) {
	if p == "" {
		return 0, false
	}
	for _, w := range periods {
		if strings.HasPrefix(w.word, p) || p == w.word+"s" {
			return w.d, true
		}
	}
	return 0, false
}

// IsZero reports whether r is DRF's None: no throttling.
func (r Rate) IsZero() bool { return r.Period == 0 }

// String returns the rate as DRF's documentation writes it ("5/min", "10/sec", "100/hour",
// "1000/day"), "None" for the zero Rate. ParseRate reads it back.
func (r Rate) String() string {
	for _, w := range periods {
		if r.Period == w.d {
			return strconv.Itoa(r.Num) + "/" + w.name
		}
	}
	if r.IsZero() {
		return "None"
	}
	return strconv.Itoa(r.Num) + "/" + r.Period.String()
}

// ParseRates parses DRF's DEFAULT_THROTTLE_RATES written on one line, as an environment
// variable holds it: "token_obtain=5/min,anon=1000/day". Spaces around entries, names and
// rates are ignored; an empty entry is skipped; a rate of "None" disables its scope. A scope
// named twice is an error, as is a bad rate (wrapping ErrRate).
func ParseRates(s string) (map[string]string, error) {
	out := map[string]string{}
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		scope, rate, ok := strings.Cut(entry, "=")
		scope, rate = strings.TrimSpace(scope), strings.TrimSpace(rate)
		if !ok || scope == "" {
			return nil, fmt.Errorf("throttle: rates: entry %q: want scope=rate, as in token_obtain=5/min", entry)
		}
		if _, dup := out[scope]; dup {
			return nil, fmt.Errorf("throttle: rates: scope %q named twice", scope)
		}
		if _, err := ParseRate(rate); err != nil {
			return nil, fmt.Errorf("throttle: rates: scope %q: %w", scope, err)
		}
		out[scope] = rate
	}
	return out, nil
}
