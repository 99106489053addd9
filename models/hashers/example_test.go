package hashers_test

import (
	"fmt"
	"strings"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// A login against a hash from an old Django database, with its salted MD5 hasher configured on
// top of Django's defaults: the password is right, and the hash should be replaced by one from
// the preferred hasher (Django's check_password setter).
func ExampleList_CheckPassword() {
	list := hashers.Default().With(hashers.MD5())

	stored := "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3" // salted MD5, Django's own test vector
	ok, mustUpdate, err := list.CheckPassword("lètmein", stored)
	fmt.Println(ok, mustUpdate, err)

	if ok && mustUpdate {
		stored, err = list.MakePassword("lètmein") // save this in auth_user.password
		if err != nil {
			panic(err)
		}
	}
	fmt.Println(strings.HasPrefix(stored, "pbkdf2_sha256$1200000$"))

	ok, mustUpdate, _ = list.CheckPassword("lètmein", stored)
	fmt.Println(ok, mustUpdate)

	// Unusable, empty and unknown hashes never match, and cost one run of the preferred hasher.
	ok, _, _ = list.CheckPassword("lètmein", hashers.MakeUnusablePassword())
	fmt.Println(ok)

	// Neither does a hash of a hasher that is not configured: Django's defaults have no MD5.
	ok, _, _ = hashers.Default().CheckPassword("lètmein", "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3")
	fmt.Println(ok)
	// Output:
	// true true <nil>
	// true
	// true false
	// false
	// false
}

// Counting makes "the hasher ran exactly once" a plain assertion.
func ExampleCounting() {
	preferred, runs := hashers.Counting(hashers.PBKDF2SHA256(1000))
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
