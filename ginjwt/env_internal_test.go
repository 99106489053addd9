package ginjwt

import (
	"reflect"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// TestEnvTable: every row names a field of Settings of its type, no key or field twice, and
// every field of tokens.Settings has its row (MaxTokenLength is set in Go only), so a setting
// added to the structs and forgotten here fails.
func TestEnvTable(t *testing.T) {
	st := reflect.TypeFor[Settings]()
	keys, fields := map[string]bool{}, map[string]bool{}
	for _, r := range envTable {
		if keys[r.key] || r.field != "" && fields[r.field] {
			t.Errorf("%s / %s is in the table twice", r.key, r.field)
		}
		keys[r.key], fields[r.field] = true, true
		if r.field == "" {
			continue
		}
		f, ok := st.FieldByName(r.field)
		if !ok {
			t.Errorf("%s: Settings has no field %s", r.key, r.field)
			continue
		}
		if r.parse != nil && f.Type != r.typ {
			t.Errorf("%s: field %s is %s, the row parses %s", r.key, r.field, f.Type, r.typ)
		}
		if r.parse == nil && f.Type.Kind() != reflect.Func && f.Type.Kind() != reflect.Interface {
			t.Errorf("%s: a code-only key for the %s field %s", r.key, f.Type, r.field)
		}
	}
	for f := range reflect.TypeFor[tokens.Settings]().Fields() {
		if !fields[f.Name] && f.Name != "MaxTokenLength" {
			t.Errorf("tokens.Settings.%s has no row in envTable", f.Name)
		}
	}
}
