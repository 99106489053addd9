// Package modelstest provides test doubles for package models, as net/http/httptest does for
// net/http: an in-memory UserStore (Users) and TokenStore (Tokens) that follow the GORM stores'
// rules, and a settable clock (Clock). The hasher wrapper that counts hasher runs is
// hasherstest.CountingHasher, in models/hashers/hasherstest, below package models.
//
// Users authenticates through models.ModelBackend, the same code as GormUserStore, so a test
// against Users checks the real login rules (one hasher run on every failure, re-hash on login,
// inactive users refused after the password check). Both stores can be made to fail, for all
// or some of their methods, with FailWith: a database outage is
// FailWith(fmt.Errorf("%w: connection refused", models.ErrUnavailable)).
//
// Nothing here is meant for production: a service whose users live elsewhere implements
// models.UserStore (and models.PasswordStore, for models.ModelBackend) itself.
package modelstest
