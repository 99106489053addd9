package metrics_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/models"
)

// TestSessionEndedReasons: the reasons the sessions code records (models.End*) are counted under
// the documented labels, and the labels themselves pass through unchanged.
func TestSessionEndedReasons(t *testing.T) {
	cases := []struct{ reason, label string }{
		{models.EndLogout, metrics.SessionEndedLogout},
		{models.EndBlacklist, metrics.SessionEndedLogout},
		{models.EndLogoutAll, metrics.SessionEndedLogoutEverywhere},
		{models.EndPasswordChange, metrics.SessionEndedPasswordChanged},
		{models.EndReuse, metrics.SessionEndedReuse},
		{metrics.SessionEndedAdmin, metrics.SessionEndedAdmin},
		{metrics.SessionEndedLogoutEverywhere, metrics.SessionEndedLogoutEverywhere},
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) {
			m, reg := newMetrics(t)
			m.SessionEnded(c.reason)
			want := `# HELP simplejwt_sessions_ended_total Sessions ended, by reason.
# TYPE simplejwt_sessions_ended_total counter
`
			for _, l := range []string{"admin", "expired", "logout", "logout_everywhere", "password_changed", "reuse"} {
				n := "0"
				if l == c.label {
					n = "1"
				}
				want += `simplejwt_sessions_ended_total{reason="` + l + `"} ` + n + "\n"
			}
			if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "simplejwt_sessions_ended_total"); err != nil {
				t.Error(err)
			}
		})
	}
}
