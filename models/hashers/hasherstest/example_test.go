package hasherstest_test

import (
	"fmt"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/hashers/hasherstest"
)

// CountingHasher makes "the hasher ran exactly once" a plain assertion.
func ExampleCountingHasher() {
	preferred, runs := hasherstest.CountingHasher(hashers.PBKDF2SHA256(1000))
	list := hashers.New(preferred, hashers.MD5())

	for _, stored := range []string{"", "!unusable", "garbage", "unknown$x$y"} {
		runs.Store(0)
		ok, _, _ := list.CheckPassword("secret", stored)
		fmt.Printf("%q: ok=%v runs=%d\n", stored, ok, runs.Load())
	}
	// Output:
	// "": ok=false runs=1
	// "!unusable": ok=false runs=1
	// "garbage": ok=false runs=1
	// "unknown$x$y": ok=false runs=1
}
