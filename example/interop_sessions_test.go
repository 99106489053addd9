package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// interopCaseSessionsCrossDjango: with SIMPLE_JWT_SESSIONS on the Go side only, a refresh token
// that Django rotates keeps its sid claim (simplejwt copies unknown claims), so the token stays
// in its session: Go refreshes it, lists the session as the caller's current one, and ends it;
// and a token Django rotated away, presented to Go, is reuse that ends the whole session.
// It runs last: the Go server of this configuration creates the session tables.
func interopCaseSessionsCrossDjango(t *testing.T, ix *interop) {
	p := ix.servers(t, "sessions")
	u := ix.user
	refresh := func(s *interopServer, tok string) interopReply {
		return s.post(t, "/api/token/refresh/", map[string]string{"refresh": tok})
	}
	sessions := func(access string) []map[string]any {
		r := p.gosrv.get(t, "/api/token/sessions/", access)
		var list []map[string]any
		if r.status != http.StatusOK || json.Unmarshal(r.body, &list) != nil {
			t.Errorf("interop: GET /api/token/sessions/ on Go: %v", r)
		}
		return list
	}

	// Go logs in; Django rotates; the rotated token and its access token keep the sid.
	r := p.gosrv.obtain(t, u, interopPassword, false)
	g0 := r.str("refresh")
	sid, _ := interopClaims(t, g0)["sid"].(string)
	if !ix.tally.check(t, dirGoToDjango, sid != "", "Go's refresh token has no sid: %v", interopClaims(t, g0)) {
		return
	}
	r = refresh(p.django, g0)
	if !ix.tally.status(t, dirGoToDjango, "Django rotates a token of a Go session", r, 200, "") {
		return
	}
	d1 := r.str("refresh")
	ix.tally.check(t, dirGoToDjango, interopClaims(t, d1)["sid"] == sid && interopClaims(t, r.str("access"))["sid"] == sid,
		"Django's rotation dropped the sid: %v", interopClaims(t, d1))

	// Go refreshes Django's token: same session, listed as the current one.
	r = refresh(p.gosrv, d1)
	if !ix.tally.status(t, dirDjangoToGo, "Go refreshes a token of its session rotated by Django", r, 200, "") {
		return
	}
	g2, a2 := r.str("refresh"), r.str("access")
	ix.tally.check(t, dirDjangoToGo, interopClaims(t, g2)["sid"] == sid, "Go's rotation of Django's token left the session")
	list := sessions(a2)
	ix.tally.check(t, dirDjangoToGo, len(list) >= 1 && list[0]["id"] == sid && list[0]["current"] == true,
		"the session of a token Django rotated is not the current one: %v", list)

	// g0 was rotated away by Django: presented to Go it is reuse, and the session ends.
	ix.tally.status(t, dirDjangoToGo, "Go refresh of a token Django rotated away (reuse)", refresh(p.gosrv, g0), 401, interopBodyBlacklisted)
	ix.tally.status(t, dirDjangoToGo, "Go refresh of the session's newest token after reuse", refresh(p.gosrv, g2), 401, interopBodyBlacklisted)
	ix.tally.status(t, dirGoToDjango, "Django refresh of the session's newest token after reuse", refresh(p.django, g2), 401, interopBodyBlacklisted)
	ix.tally.check(t, dirDjangoToGo, p.gosrv.get(t, "/api/me/stateless/", a2).status == 401,
		"Go still accepts an access token of a session ended by reuse")
}
