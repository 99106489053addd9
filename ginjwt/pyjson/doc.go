// Package pyjson is Python's json module as PyJWT, Django REST framework and Django use it,
// for a Go service that must produce and accept the very bytes a Django service does.
package pyjson
