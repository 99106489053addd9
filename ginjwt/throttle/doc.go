// Package throttle is DRF's throttling (rest_framework/throttling.py) for gin, plus the
// brute-force protection a login endpoint needs, with counters in memory for one instance or
// in Redis for several.
//
// # DRF's throttles
//
// A Limiter is built from DRF's DEFAULT_THROTTLE_RATES (Config.Rates: "anon": "1000/day",
// "token_obtain": "5/min", …; ParseRates reads them from one line such as an environment
// variable). Its Middleware applies throttles as DRF's APIView.check_throttles does:
//
//	r.Use(auth, l.Middleware(throttle.Anon(), throttle.User())) // AnonRateThrottle, UserRateThrottle
//	r.POST("/api/token/", l.Middleware(throttle.Scoped(throttle.ScopeTokenObtain)), obtain)
//
// A request over a rate is answered as DRF answers exceptions.Throttled: 429
// {"detail":"Request was throttled. Expected available in 59 seconds."} (singular for one
// second) with Retry-After: 59, the wait rounded up as DRF's math.ceil.
//
// # Failed logins
//
// Limiter.BeginLogin and LoginAttempt.Finish count failed logins per username and per client
// address (scopes "login_username" and "login_ip"). The obtain view calls BeginLogin with the
// submitted username before it looks the user up, so a throttled login is answered the same
// way, in the same time, whether the account exists or not; then Finish with the outcome.
//
// # The window
//
// Both stores keep DRF's sliding window: the time of each request in the last period, per
// key. A request is refused when the window already holds the rate's count, and the wait is
// DRF's: the time until the oldest request leaves the window. A fixed window would let twice
// the rate through around a window's edge, and GCRA releases one request every period/count
// instead of a whole window: either would answer differently from DRF, so neither is used.
//
// # Keys, addresses and clocks
//
// Keys are the scope and a keyed hash (HMAC-SHA256 under Config.Secret) of the user id,
// address or username, so no username or address is written in clear in Redis. The client
// address is the connection's peer unless Config.TrustedProxies names it, then gin's rules
// for X-Forwarded-For apply: a client cannot choose its bucket by sending the header. Time
// comes from Config.Now on every instance, never from Redis's clock (see RedisStore).
//
// # Failures
//
// A store error (Redis down, or slower than RedisOptions.Timeout) is logged with slog and
// the request goes on uncounted (Config.FailOpen) or is refused with 429 "Request was
// throttled." and no Retry-After (the default): never a 500.
package throttle
