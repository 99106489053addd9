package clientip_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-simplejwt/simplejwt/ginjwt/clientip"
)

// Behind a load balancer in 10.0.0.0/8, the client is the address it forwards; a peer
// outside the list is the client itself, whatever header it sends.
func ExampleResolver_ClientIP() {
	res, err := clientip.New([]string{"10.0.0.0/8"}, nil)
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.5:51234"
	r.Header.Set("X-Forwarded-For", "203.0.113.7, 10.0.0.9")
	a, _ := res.ClientIP(r)
	fmt.Println(a)

	r.RemoteAddr = "198.51.100.9:4000"
	a, _ = res.ClientIP(r)
	fmt.Println(a)
	// Output:
	// 203.0.113.7
	// 198.51.100.9
}
