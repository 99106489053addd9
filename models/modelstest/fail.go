package modelstest

import (
	"slices"
	"sync/atomic"
)

// failure is an injected error: err for the methods named in ops, or for all when ops is empty.
type failure struct {
	err error
	ops []string
}

// failSwitch holds the injected failure of a store.
type failSwitch struct{ p atomic.Pointer[failure] }

func (f *failSwitch) set(err error, ops []string) {
	if err == nil {
		f.p.Store(nil)
		return
	}
	f.p.Store(&failure{err: err, ops: slices.Clone(ops)})
}

// check returns the injected error for the method op, or nil.
func (f *failSwitch) check(op string) error {
	x := f.p.Load()
	if x == nil || (len(x.ops) > 0 && !slices.Contains(x.ops, op)) {
		return nil
	}
	return x.err
}
