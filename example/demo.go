package main

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"
)

// demoHTML is GET /demo/: a page with no framework that logs in with fetch, shows the user of
// /api/me/, refreshes and logs out, with the tokens in HttpOnly cookies (the cookie transport)
// and the CSRF token in the X-CSRFToken header. The browser test drives it.
//
//go:embed demo/index.html
var demoHTML []byte

// demoCSP allows the page's one inline script and one inline style by their hashes, fetches to
// its own origin only, and no framing.
var demoCSP = "default-src 'none'; script-src " + inlineHash("script") + "; style-src " + inlineHash("style") +
	"; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// inlineHash is the CSP source of the first <tag>…</tag> of demoHTML: 'sha256-…'.
func inlineHash(tag string) string {
	_, rest, ok := bytes.Cut(demoHTML, []byte("<"+tag+">"))
	body, _, ok2 := bytes.Cut(rest, []byte("</"+tag+">"))
	if !ok || !ok2 {
		panic("example: demo/index.html has no <" + tag + ">")
	}
	sum := sha256.Sum256(body)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func demoPage(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", demoCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", demoHTML)
}
