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
	fmt.Println(strings.HasPrefix(stored, "pbkdf2_sha256$1500000$"))

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

// A Go service next to a Django 3.2 service on the same database: the same PASSWORD_HASHERS
// (Django's dotted class names, here with the salted MD5 hashes of a very old database) and
// Django 3.2's PBKDF2 iteration count, so that neither side re-hashes what the other made.
func ExampleFromConfig() {
	iterations, err := hashers.DjangoPBKDF2Iterations("3.2")
	if err != nil {
		panic(err)
	}
	list, err := hashers.FromConfig(hashers.Config{
		PasswordHashers:  append(hashers.DefaultPasswordHashers(), "django.contrib.auth.hashers.MD5PasswordHasher"),
		PBKDF2Iterations: iterations,
	})
	if err != nil {
		panic(err)
	}
	// Django 3.2's make_password("lètmein", "Dj4ngoS4ltTw3ntyTw0Chr"): it verifies, and it
	// needs no update (with the default count, it would be re-hashed on this login).
	djangoMade := "pbkdf2_sha256$260000$Dj4ngoS4ltTw3ntyTw0Chr$nd/0XofHeWkwISqA+upCVdRgyUXc/R/1OKP8bEBgagI="
	fmt.Println(list.CheckPassword("lètmein", djangoMade))

	stored, _ := list.MakePassword("lètmein")
	fmt.Println(strings.HasPrefix(stored, "pbkdf2_sha256$260000$"))

	_, err = hashers.FromConfig(hashers.Config{PasswordHashers: []string{"MD5PasswordHasher"}})
	fmt.Println(err)
	// Output:
	// true false <nil>
	// true
	// hashers: invalid configuration: PASSWORD_HASHERS: unknown hasher "MD5PasswordHasher": want Django's dotted class names, such as "django.contrib.auth.hashers.MD5PasswordHasher"
}
