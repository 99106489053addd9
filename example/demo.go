package main

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// demoHTML is GET /demo/: a page with no framework that logs in with fetch, shows the user of
// /api/me/, refreshes and logs out, with the tokens in HttpOnly cookies (the cookie transport)
// and the CSRF token in the X-CSRFToken header. The browser test drives it.
//
//go:embed demo/index.html
var demoHTML []byte

func demoPage(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", demoHTML)
}
