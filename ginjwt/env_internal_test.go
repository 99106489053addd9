package ginjwt

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views"
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
		if r.none != "" {
			if f, ok := st.FieldByName(r.none); !ok || f.Type.Kind() != reflect.Bool || fields[r.none] {
				t.Errorf("%s: None sets %s, which is not a bool field of its own", r.key, r.none)
			}
			fields[r.none] = true
		}
		if r.field == "" {
			continue
		}
		name, index, indexed := strings.Cut(r.field, "[")
		f, ok := st.FieldByName(name)
		if !ok {
			t.Errorf("%s: Settings has no field %s", r.key, name)
			continue
		}
		if indexed {
			// Serializers["token_obtain_pair"]: a map entry, keyed by an endpoint of the table.
			e, found := views.EndpointByName(views.EndpointName(strings.Trim(index, `"]`)))
			if f.Type.Kind() != reflect.Map || !found || e.Setting != r.key {
				t.Errorf("%s: %s is not an entry of the endpoint table", r.key, r.field)
			}
			f.Type = f.Type.Elem()
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
