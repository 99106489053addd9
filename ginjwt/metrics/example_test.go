package metrics_test

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/views"
)

// The collectors go on a registry of the caller's; ginjwt's Settings.Metrics = m makes the
// views and Auth report to them (here the reports are made by hand). Serve the registry with
// promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).
func ExampleNew() {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		panic(err)
	}
	m.ObserveEndpoint(views.TokenObtainPair, views.ResultInvalidCredentials, 230*time.Millisecond)
	m.ObserveEndpoint(views.TokenObtainPair, views.ResultThrottled, time.Millisecond)
	m.ObserveAuth(views.ResultTokenNotValid, "token_not_valid")

	families, _ := reg.Gather()
	for _, f := range families {
		for _, s := range f.GetMetric() {
			if c := s.GetCounter(); c != nil && c.GetValue() > 0 {
				fmt.Print(f.GetName())
				for _, l := range s.GetLabel() {
					fmt.Printf(" %s=%s", l.GetName(), l.GetValue())
				}
				fmt.Println(":", c.GetValue())
			}
		}
	}
	// Output:
	// simplejwt_auth_requests_total result=token_not_valid: 1
	// simplejwt_auth_unauthorized_total code=token_not_valid: 1
	// simplejwt_token_requests_total endpoint=token_obtain_pair result=invalid_credentials: 1
	// simplejwt_token_requests_total endpoint=token_obtain_pair result=throttled: 1
}
