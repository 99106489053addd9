package ginjwt

import "github.com/gin-simplejwt/simplejwt/views"

// This file is the OpenAPI description of the sessions routes (views.SessionEndpoints), present
// when RegisterRoutes registered them (Settings.Sessions).

// sessionSchema is one element of GET /sessions/: the views' list answer.
func sessionSchema() map[string]any {
	dateTime := map[string]any{"type": "string", "format": "date-time",
		"description": "DRF's DateTimeField in UTC: ISO 8601, microseconds when not zero, Z."}
	return map[string]any{
		"type":                 "object",
		"required":             []string{"id", "created_at", "last_used_at", "user_agent", "ip", "current"},
		"additionalProperties": false,
		"properties": map[string]any{
			"id":           map[string]any{"type": "string", "description": "The session id: the sid claim of its tokens."},
			"created_at":   dateTime,
			"last_used_at": dateTime,
			"user_agent":   map[string]any{"type": "string", "description": "User-Agent at login (\"\" when none)."},
			"ip":           map[string]any{"type": "string", "description": "Client IP at login."},
			"current":      map[string]any{"type": "boolean", "description": "The session of the token this request was authenticated with."},
		},
	}
}

// sessionPathItem is every method of a sessions route: its own, OPTIONS (DRF's metadata, behind
// authentication as every method of the view), each with 401 (WWW-Authenticate) and, for
// DELETE by cookie, the CSRF 403.
func (j *JWT) sessionPathItem(e views.SessionEndpoint) map[string]any {
	allow := func() map[string]any {
		return map[string]any{"Allow": headerSchema(e.Allow), "Cache-Control": headerSchema("no-store")}
	}
	op := func(id, summary string, responses map[string]any) map[string]any {
		responses["401"] = ref("responses", "AuthenticationFailed")
		responses["500"] = ref("responses", "ServerError")
		responses["503"] = ref("responses", "ServiceUnavailable")
		j.throttled(responses)
		o := map[string]any{
			"operationId": id,
			"summary":     summary,
			"description": e.Description,
			"tags":        []string{"sessions"},
			"security":    j.security(),
			"responses":   responses,
		}
		if e.Name == views.TokenSession {
			o["parameters"] = []any{map[string]any{"name": "id", "in": "path", "required": true,
				"description": "A session id of GET /sessions/.", "schema": map[string]any{"type": "string"}}}
		}
		return o
	}
	unsafe := func(o map[string]any) map[string]any {
		if j.accessCookie() == "" {
			return o
		}
		o["responses"].(map[string]any)["403"] = ref("responses", "CSRFFailed")
		params, _ := o["parameters"].([]any)
		o["parameters"] = append(params, j.csrfParameters()...)
		return o
	}
	noContent := map[string]any{"description": "No Content", "headers": allow()}
	item := map[string]any{
		"options": op(string(e.Name)+"_options", "DRF's metadata of the view (SimpleMetadata).", map[string]any{
			"200": map[string]any{"description": "OK", "content": jsonContent(ref("schemas", "Metadata"))},
		}),
	}
	switch e.Name {
	case views.TokenSessions:
		item["get"] = op(string(e.Name)+"_list", "List your live sessions, newest first.", map[string]any{
			"200": map[string]any{"description": "OK", "headers": allow(), "content": jsonContent(map[string]any{
				"type": "array", "items": ref("schemas", "Session")})},
		})
		item["head"] = op(string(e.Name)+"_head", "GET without the body.", map[string]any{
			"200": map[string]any{"description": "OK", "headers": allow()},
		})
		item["delete"] = unsafe(op(string(e.Name)+"_end_all", "Log out everywhere: end every session of yours, this one included.", map[string]any{
			"204": noContent,
		}))
	case views.TokenSession:
		item["delete"] = unsafe(op(string(e.Name)+"_end", e.Summary, map[string]any{
			"204": noContent,
			"404": map[string]any{"description": "Not one of your live sessions (another user's ids are never confirmed).",
				"content": jsonContent(ref("schemas", "Detail"))},
		}))
	}
	return item
}

// sessionNames are the sessions endpoints registered by only (all of them when empty).
func sessionNames(only []views.EndpointName) []views.EndpointName {
	if len(only) > 0 {
		return only
	}
	var names []views.EndpointName
	for _, e := range views.SessionEndpoints() {
		names = append(names, e.Name)
	}
	return names
}
