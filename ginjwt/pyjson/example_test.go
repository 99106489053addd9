package pyjson_test

import (
	"fmt"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
)

// An Object keeps insertion order and encodes as DRF's JSONRenderer renders a body: raw UTF-8,
// Python's floats.
func ExampleObject() {
	b := pyjson.NewObject().Set("refresh", "r…").Set("access", "a").Set("ratio", 1e16)
	out, _ := b.MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// {"refresh":"r…","access":"a","ratio":1e+16}
}
